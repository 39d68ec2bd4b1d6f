package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

// renderViews are the views of chokepoint render.
var renderViews = []string{"flow", "node", "routes", "control", "scenario", "trend", "dot"}

// renderUsage lists the views and their main arguments.
const renderUsage = `usage: chokepoint render flow --commodity C --consumer X [flags]
       chokepoint render node ID [--depth N] [--kinds K,…] [flags]
       chokepoint render routes --commodity C --consumer X [the flags of analyze routes] [flags]
       chokepoint render control --node ID [flags]
       chokepoint render scenario --file SCENARIO.json [flags]
       chokepoint render trend --commodity C --consumer X --supplier S [--years A..B] [flags]
       chokepoint render dot FILE|- [flags]      lay out any DOT document (- reads stdin)
run 'chokepoint render VIEW -h' for the flags
`

func runRender(ctx context.Context, env *cli, args []string) error {
	if len(args) == 0 || args[0] == "help" || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(env.stderr, renderUsage)
		if len(args) > 0 && args[0] == "help" {
			return nil
		}
		return usageError{"name a view: " + strings.Join(renderViews, ", ")}
	}
	view := args[0]
	fs := newFlags("render "+view, env)
	dataFile := fs.String("data", "", "draw this dataset file instead of the configured store (no database)")
	format := fs.String("format", render.FormatSVG, strings.Join(render.Formats(), ", "))
	out := fs.String("out", "", "write to this file, or - for stdout (the default; png needs --out)")
	timeout := fs.Duration("timeout", render.DefaultTimeout, "give up on a layout after this long")
	var r graph.Request
	var top, depth, asOf int
	var kinds listFlag
	var scenarioFile string
	switch view {
	case "flow":
		analysisFlags(fs, &r, "")
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: this year)")
		fs.IntVar(&top, "top", graph.DefaultTop, "chokepoints to highlight (0: none)")
	case "node":
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: every year)")
		fs.IntVar(&depth, "depth", 1, fmt.Sprintf("hops from the node (1..%d)", render.MaxDepth))
		fs.Var(&kinds, "kinds", "edge kinds to follow (default all: owns, operates, offtake, supplies, restricts)")
	case "routes":
		analysisFlags(fs, &r, graph.AnalysisRoutes)
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: this year)")
	case "control":
		fs.StringVar(&r.Node, "node", "", "the firm or facility whose owners to draw")
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: this year)")
	case "scenario":
		fs.StringVar(&scenarioFile, "file", "", "scenario document (JSON), as for analyze scenario")
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: the scenario's, else this year)")
	case "dot":
	case "trend":
		analysisFlags(fs, &r, graph.AnalysisTrend)
	default:
		return usageError{fmt.Sprintf("unknown view %q (want %s)", view, strings.Join(renderViews, ", "))}
	}
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	positional := view == "node" || view == "dot" // the node's id; the DOT file
	switch {
	case !positional && len(rest) > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	case view == "node" && len(rest) == 0:
		return usageError{"name the node: chokepoint render node ID"}
	case view == "dot" && len(rest) == 0:
		return usageError{"name the DOT file, or - for stdin: chokepoint render dot FILE"}
	case positional && len(rest) > 1:
		return usageError{fmt.Sprintf("unexpected argument %q", rest[1])}
	}
	if !slices.Contains(render.Formats(), *format) {
		return usageError{fmt.Sprintf("--format must be %s, got %q", strings.Join(render.Formats(), ", "), *format)}
	}
	if *format == render.FormatPNG && *out == "" {
		return usageError{"png is binary: write it to a file with --out FILE"}
	}
	if asOf != 0 {
		if err := graph.CheckYear("--as-of", asOf); err != nil {
			return usageError{err.Error()}
		}
	}
	write := func(data []byte) error {
		return writeOutput(env, *out, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
	}
	if view == "dot" { // any DOT document, through the same bounded layout
		dot, err := readDOT(rest[0])
		if err != nil {
			return err
		}
		return layoutAndWrite(ctx, dot, *format, *timeout, write)
	}
	var sc graph.Scenario
	if view == "scenario" {
		if sc, err = readScenario(scenarioFile); err != nil {
			return err
		}
		sc.AsOf = cmp.Or(asOf, sc.AsOf)
		asOf = sc.AsOf
	}
	if view != "node" && asOf == 0 {
		asOf = graph.ThisYear()
		sc.AsOf = asOf
	}
	net, closeStore, err := loadNetwork(ctx, *dataFile, 0) // the whole network: the view cuts it
	if err != nil {
		return err
	}
	defer closeStore()
	if view == "trend" { // a chart: drawn here, no Graphviz layout
		data, err := render.Trend(net, r, *format)
		if err != nil {
			return err
		}
		return write(data)
	}
	var dot []byte
	switch view {
	case "flow":
		dot, err = render.Flow(net, graph.Query{Commodity: r.Commodity, Consumer: r.Consumer}, render.FlowOptions{AsOf: asOf, Top: top})
	case "routes":
		dot, err = render.Routes(net, r, asOf)
	case "control":
		dot, err = render.Control(net, r.Node, asOf)
	case "scenario":
		dot, err = render.Scenario(net, sc)
	default:
		dot, err = render.Neighbourhood(net, rest[0], render.NeighbourhoodOptions{Depth: depth, Kinds: graph.SplitEdgeKinds(kinds), AsOf: asOf})
	}
	var empty *render.EmptyView
	if errors.As(err, &empty) && *out != "" {
		// The picture says why the view is empty, as the error does: write both.
		if err := layoutAndWrite(ctx, empty.DOT, *format, *timeout, write); err != nil {
			return err
		}
		return empty
	}
	if err != nil {
		return err
	}
	return layoutAndWrite(ctx, dot, *format, *timeout, write)
}

// layoutAndWrite lays dot out in a layout worker (killed at the timeout) and writes it.
func layoutAndWrite(ctx context.Context, dot []byte, format string, timeout time.Duration, write func([]byte) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	data, err := layoutProcesses(ctx, dot, format)
	if err != nil {
		return err
	}
	return write(data)
}

// readDOT reads a DOT document from a file, or from stdin for "-", at most maxDOTBytes.
func readDOT(path string) ([]byte, error) {
	var in io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	dot, err := io.ReadAll(io.LimitReader(in, maxDOTBytes+1))
	if err != nil {
		return nil, err
	}
	if len(dot) > maxDOTBytes {
		return nil, graph.Errorf(graph.ETooLarge, "%s: a DOT document over %d MiB", path, maxDOTBytes>>20)
	}
	return dot, nil
}

// maxDOTBytes bounds a DOT document given to render dot.
const maxDOTBytes = 4 << 20
