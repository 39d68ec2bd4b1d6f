package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

// Limits of the layout processes.
const (
	maxLayoutOutput = 64 << 20 // bytes of image a layout process may write
	maxLayoutStderr = 64 << 10 // bytes of its error output kept
	// layoutWaitDelay bounds the wait for a killed layout process's output to close.
	layoutWaitDelay = time.Second
)

// layoutProcesses is the layout of serve and render: each layout in a child process, at most one
// per CPU at once.
var layoutProcesses render.Layout = layoutPool.layout

// layoutPool holds the processes of layoutProcesses; serve reports its slots in use as a metric.
var layoutPool = newLayoutPool(runtime.NumCPU())

// processLayout lays DOT out in child processes: this binary re-run as "chokepoint layout", one
// process per layout. go-graphviz cannot be interrupted and never frees its WebAssembly memory
// (see render.Render); a process is killed at its deadline and takes its memory with it.
type processLayout struct {
	exe     func() (string, error)
	slots   chan struct{} // a token per running process
	timeout time.Duration // of a layout with no deadline of its own, from when it gets a slot
}

// newLayoutPool returns a processLayout whose layout method runs each layout in its own process,
// at most n at once. FormatDOT needs no layout and is returned as it is.
func newLayoutPool(n int) *processLayout {
	return &processLayout{exe: sync.OnceValues(os.Executable), slots: make(chan struct{}, n), timeout: render.DefaultTimeout}
}

// slotsInUse returns how many layout processes are running and how many may run at once.
func (p *processLayout) slotsInUse() (inUse, capacity int) { return len(p.slots), cap(p.slots) }

// layout runs one layout process. Every layout has a deadline, when it is killed: ctx's, or else
// p.timeout counted from when the layout gets its slot, so that a layout that waited for a slot
// has as long to run as one that did not. A layout waits for a free slot until ctx's deadline, or
// else for p.timeout.
// Errors: EInvalid (unknown format), ETimeout (past the deadline, or ctx cancelled),
// EUnavailable (no slot came free before the deadline), ETooLarge (the image is larger than
// maxLayoutOutput), and an internal error, with the process's error output, when it fails.
func (p *processLayout) layout(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if err := render.CheckFormat(format); err != nil {
		return nil, err
	}
	if format == render.FormatDOT {
		return dot, nil
	}
	_, own := ctx.Deadline()
	wait := ctx
	if !own {
		var cancel context.CancelFunc
		wait, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	if wait.Err() != nil {
		return nil, render.TimeoutError(wait)
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-wait.Done():
		if errors.Is(wait.Err(), context.DeadlineExceeded) {
			return nil, graph.Errorf(graph.EUnavailable, "every renderer (%d) stayed busy with earlier layouts until this one's deadline; try again shortly", cap(p.slots))
		}
		return nil, render.TimeoutError(wait)
	}
	if !own { // the layout's deadline counts from here
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	exe, err := p.exe()
	if err != nil {
		return nil, fmt.Errorf("layout process: finding this executable: %w", err)
	}
	deadline, _ := ctx.Deadline()
	// The process gives up by itself a second after the deadline, should this one die first.
	cmd := exec.CommandContext(ctx, exe, "layout", "--format", format, "--timeout", (time.Until(deadline) + time.Second).String())
	stdout := &cappedBuffer{max: maxLayoutOutput}
	stderr := &cappedBuffer{max: maxLayoutStderr}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(dot), stdout, stderr
	cmd.WaitDelay = layoutWaitDelay
	err = cmd.Run()
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, render.TimeoutError(ctx)
	case err != nil:
		return nil, fmt.Errorf("layout process: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	case stdout.over:
		return nil, graph.Errorf(graph.ETooLarge, "the %s picture is larger than %d MiB: narrow the view (a product instead of a family, a smaller depth, an as_of year)", format, maxLayoutOutput>>20)
	}
	return stdout.Bytes(), nil
}

// cappedBuffer keeps the first max bytes written to it and discards the rest, so that a process
// writing more never blocks.
type cappedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

// runLayout is the hidden "chokepoint layout" command run by processLayout: it lays out the DOT
// on stdin in this process and writes the picture to stdout.
func runLayout(ctx context.Context, env *cli, args []string) error {
	fs := flag.NewFlagSet("chokepoint layout", flag.ContinueOnError) // no CHOKEPOINT_* defaults
	fs.SetOutput(env.stderr)
	format := fs.String("format", render.FormatSVG, "svg or png")
	timeout := fs.Duration("timeout", render.DefaultTimeout, "give up after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	dot, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	out, err := render.Render(ctx, dot, *format)
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(out)
	return err
}
