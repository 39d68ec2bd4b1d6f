package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/goccy/go-graphviz"
)

// Output formats.
const (
	FormatSVG = "svg"
	FormatPNG = "png"
	FormatDOT = "dot" // the DOT text as it is, without layout
)

// Formats returns a new list of the output formats.
func Formats() []string {
	return []string{FormatSVG, FormatPNG, FormatDOT}
}

// ContentType returns the media type of a format.
func ContentType(format string) string {
	switch format {
	case FormatSVG:
		return "image/svg+xml"
	case FormatPNG:
		return "image/png"
	}
	return "text/vnd.graphviz; charset=utf-8"
}

// DefaultTimeout bounds a render whose context has no deadline.
const DefaultTimeout = 10 * time.Second

// Layout lays out a DOT document and draws it in a format, as Render does. Render is the
// in-process one; a server lays out in worker processes instead (see chokepoint serve), which
// can be killed at a deadline and take their memory with them.
type Layout func(ctx context.Context, dot []byte, format string) ([]byte, error)

var _ Layout = Render

// The layout engine. go-graphviz runs Graphviz as one WebAssembly module per process, shared by
// every graphviz.Graphviz and not safe for concurrent use (goccy/go-graphviz#117), so all layouts
// in the process take turns on one engine, created at first use and then reused. The module's
// memory only grows: go-graphviz v0.2.10 never frees the strings it copies in
// (goccy/go-graphviz#111), about 85 KB for each picture of the bundled Japan view (a PNG is laid
// out as SVG, then drawn in Go: see drawPNG). A long-running process should therefore not lay
// out in-process but in worker processes that are replaced after a number of layouts.
var (
	// engine holds the one token of the right to lay out; its holder may use gv.
	engine = make(chan struct{}, 1)
	gv     *graphviz.Graphviz
)

// CheckFormat returns an EInvalid error unless format is one of Formats.
func CheckFormat(format string) error {
	if !slices.Contains(Formats(), format) {
		return graph.Errorf(graph.EInvalid, "unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	return nil
}

// Render lays out a DOT document with Graphviz's dot and draws it as SVG or PNG, in this
// process; FormatDOT returns dot as it is.
//
// Every render has a deadline: ctx's, or DefaultTimeout when it has none. Layouts take turns on
// one engine (see engine); a render waits for its turn until its deadline. The layout itself
// cannot be interrupted (go-graphviz ignores the context, and a wazero module stopped mid-call
// stays unusable, goccy/go-graphviz#118), so it runs in a goroutine: when the deadline comes
// first, Render returns ETimeout and the layout finishes in the background, holding the engine
// until it does. Only killing the process (a layout worker of chokepoint serve) is rid of it.
// Errors: EInvalid (unknown format, malformed DOT), ETimeout (the layout ran past the deadline,
// or ctx was cancelled), EUnavailable (the engine stayed busy until the deadline).
func Render(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if err := CheckFormat(format); err != nil {
		return nil, err
	}
	if format == FormatDOT {
		return dot, nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	if ctx.Err() != nil {
		return nil, TimeoutError(ctx)
	}
	select {
	case engine <- struct{}{}:
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, graph.Errorf(graph.EUnavailable, "the renderer stayed busy with earlier layouts until this one's deadline; try again shortly")
		}
		return nil, TimeoutError(ctx)
	}
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned layout never blocks
	go func() {
		defer func() { <-engine }()
		out, err := layout(dot, format)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return nil, TimeoutError(ctx)
	}
}

// TimeoutError is the ETimeout error for a render whose context ended: cancelled, or past its
// deadline.
func TimeoutError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return graph.Errorf(graph.ETimeout, "rendering was cancelled")
	}
	return graph.Errorf(graph.ETimeout, "rendering did not finish within its deadline: narrow the view (a product instead of a family, a smaller depth, an as_of year)")
}

// layout runs Graphviz on dot. The caller holds the engine.
func layout(dot []byte, format string) ([]byte, error) {
	ctx := context.Background()
	if gv == nil {
		g, err := graphviz.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("render: starting graphviz: %w", err)
		}
		gv = g
	}
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, graph.Errorf(graph.EInvalid, "malformed DOT: %v", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("render: graphviz: %w", err)
	}
	if format == FormatPNG {
		return drawPNG(buf.Bytes()) // the same layout, drawn on a bitmap
	}
	return buf.Bytes(), nil
}
