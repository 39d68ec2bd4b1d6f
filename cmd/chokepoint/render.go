package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

// defaultTop is how many chokepoints render flow highlights unless --top says otherwise.
const defaultTop = 5

func runRender(ctx context.Context, env *cli, args []string) error {
	if len(args) == 0 || args[0] == "help" || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(env.stderr, "usage: chokepoint render flow --commodity C --consumer X [flags]\n"+
			"       chokepoint render node ID [--depth N] [--kinds K,…] [flags]\n"+
			"run 'chokepoint render flow -h' or 'chokepoint render node -h' for the flags\n")
		if len(args) > 0 && args[0] == "help" {
			return nil
		}
		return usageError{"name a view: flow or node"}
	}
	view := args[0]
	fs := newFlags("render "+view, env)
	dataFile := fs.String("data", "", "draw this dataset file instead of the configured store (no database)")
	format := fs.String("format", render.FormatSVG, strings.Join(render.Formats, ", "))
	out := fs.String("out", "", "write to this file (default stdout; png needs it)")
	timeout := fs.Duration("timeout", render.DefaultTimeout, "give up on a layout after this long")
	var q graph.Query
	var top, depth, asOf int
	var kinds listFlag
	switch view {
	case "flow":
		fs.StringVar(&q.Commodity, "commodity", "", "commodity family (rare-earths) or product (ndpr-oxide)")
		fs.StringVar(&q.Consumer, "consumer", "", "consumer: a firm or facility id, or a state (state:JP)")
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: this year)")
		fs.IntVar(&top, "top", defaultTop, "chokepoints to highlight (0: none)")
	case "node":
		fs.IntVar(&asOf, "as-of", 0, "the year to draw (default: every year)")
		fs.IntVar(&depth, "depth", 1, fmt.Sprintf("hops from the node (1..%d)", render.MaxDepth))
		fs.Var(&kinds, "kinds", "edge kinds to follow (default all: owns, operates, offtake, supplies, restricts)")
	default:
		return usageError{fmt.Sprintf("unknown view %q (want flow or node)", view)}
	}
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	switch {
	case view == "flow" && len(rest) > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	case view == "node" && len(rest) == 0:
		return usageError{"name the node: chokepoint render node ID"}
	case view == "node" && len(rest) > 1:
		return usageError{fmt.Sprintf("unexpected argument %q", rest[1])}
	}
	if !slices.Contains(render.Formats, *format) {
		return usageError{fmt.Sprintf("--format must be %s, got %q", strings.Join(render.Formats, ", "), *format)}
	}
	if *format == render.FormatPNG && *out == "" {
		return usageError{"png is binary: write it to a file with --out FILE"}
	}
	if asOf != 0 && (asOf < graph.MinYear || asOf > graph.MaxYear) {
		return usageError{fmt.Sprintf("--as-of %d is outside %d..%d", asOf, graph.MinYear, graph.MaxYear)}
	}
	if view == "flow" && asOf == 0 {
		asOf = time.Now().Year()
	}
	net, closeStore, err := loadNetwork(ctx, *dataFile, 0) // the whole network: the view cuts it
	if err != nil {
		return err
	}
	defer closeStore()
	var dot []byte
	if view == "flow" {
		dot, err = render.Flow(net, q, render.FlowOptions{AsOf: asOf, Top: top})
	} else {
		var ks []graph.EdgeKind
		for _, k := range kinds {
			for _, part := range strings.Split(k, ",") {
				if part = strings.TrimSpace(part); part != "" {
					ks = append(ks, graph.EdgeKind(part))
				}
			}
		}
		dot, err = render.Neighbourhood(net, rest[0], render.NeighbourhoodOptions{Depth: depth, Kinds: ks, AsOf: asOf})
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	data, err := layoutProcesses(ctx, dot, *format) // in a process of its own: --timeout kills it
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = env.stdout.Write(data)
		return err
	}
	return writeFileAtomic(*out, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}
