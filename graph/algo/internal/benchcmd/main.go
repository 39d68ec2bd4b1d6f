// Command benchcmd times one centrality measure of package algo on a graph file, for
// scripts/bench_centrality.py. The graph is JSON in scripts/supplynet.py's shape: {"n": N,
// "arcs": [[u, v, ...], ...]}; only the first two entries of each arc are used. It prints one JSON
// object: {"measure", "n", "arcs", "workers", "seconds"}, where seconds covers the measure alone,
// not reading the file or building the Digraph, and is the best of -repeat runs.
//
// Usage: benchcmd -measure betweenness|closeness|pagerank|degree [-repeat N] [-values FILE] GRAPH.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"time"

	"github.com/chokepoint/chokepoint/graph/algo"
)

func main() {
	measure := flag.String("measure", "betweenness", "betweenness, closeness, pagerank or degree")
	values := flag.String("values", "", "also write the values to this file as a JSON array")
	alpha := flag.Float64("alpha", 0.85, "pagerank damping")
	tol := flag.Float64("tol", 1e-6, "pagerank tolerance (NetworkX's default)")
	maxIter := flag.Int("maxiter", 100, "pagerank iterations (NetworkX's default)")
	repeat := flag.Int("repeat", 1, "run the measure this many times and report the fastest")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchcmd -measure NAME [-values FILE] GRAPH.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *measure, *values, *alpha, *tol, *maxIter, max(1, *repeat)); err != nil {
		fmt.Fprintln(os.Stderr, "benchcmd:", err)
		os.Exit(1)
	}
}

func run(path, measure, valuesPath string, alpha, tol float64, maxIter, repeat int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var gj struct {
		N    int         `json:"n"`
		Arcs [][]float64 `json:"arcs"`
	}
	if err := json.Unmarshal(data, &gj); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	arcs := make([]algo.Arc, len(gj.Arcs))
	for i, a := range gj.Arcs {
		if len(a) < 2 {
			return fmt.Errorf("%s: arc %d has %d entries", path, i, len(a))
		}
		arcs[i] = algo.Arc{From: int(a[0]), To: int(a[1]), Cap: math.Inf(1), Cost: 1}
	}
	g := algo.NewDigraph(gj.N, arcs)

	var vals []float64
	best := math.Inf(1)
	for r := 0; r < repeat; r++ {
		start := time.Now()
		switch measure {
		case "betweenness":
			vals = algo.Betweenness(g)
		case "closeness":
			vals = algo.Closeness(g)
		case "degree":
			vals = algo.DegreeCentrality(g)
		case "pagerank":
			vals, err = algo.PageRank(g, alpha, tol, maxIter)
			if err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown measure %q", measure)
		}
		best = min(best, time.Since(start).Seconds())
	}

	if valuesPath != "" {
		out, err := json.Marshal(vals)
		if err != nil {
			return err
		}
		if err := os.WriteFile(valuesPath, out, 0o644); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"measure": measure, "n": gj.N, "arcs": len(arcs), "workers": runtime.GOMAXPROCS(0), "seconds": best,
	})
}
