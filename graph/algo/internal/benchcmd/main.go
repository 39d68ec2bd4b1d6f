// Command benchcmd times one measure of package algo on a graph file, for
// scripts/bench_centrality.py. The graph is JSON in scripts/supplynet.py's shape: {"n": N,
// "arcs": [[u, v, cap, cost], ...], "node_cap": [...], "sources": [...], "sink": s}; the
// centrality measures use only each arc's ends, the flow measures the capacities (null:
// unbounded), sources and sink.
//
// It runs the measure -warmup times untimed, then -repeat times timed, and prints one JSON object:
// {"measure", "n", "arcs", "workers" (GOMAXPROCS), "times" (seconds, each run), "min", "median",
// and per measure "iterations" and "residual" (pagerank), "value" (maxflow), "ranked"
// (chokepoints), "reachable" (dominators), "paths" (routes)}. Times cover the measure alone, not
// reading the file or building the Digraph.
//
// Measures: betweenness, closeness, degree, pagerank (-method gs: algo.PageRankGS, the engine's;
// power: algo.PageRank, NetworkX's iteration), maxflow (algo.MaxFlow), chokepoints (the loss of
// removing each node from the max flow, the -top largest, by algo.NodeRemoval.TopLosses as the
// engine ranks them), chokepoints-brute (one fresh MaxFlow per node that carries flow), dominators
// (algo.ImmediateDominators from a super source: node n, with an arc to every source; the values
// are idom of nodes 0..n, -1 where unreachable) and routes (algo.KShortestPaths: the -k shortest
// simple paths from that super source to the sink, length the sum of the arcs' costs, the super
// source's arcs costing 0; the values are the paths' lengths).
//
// Usage: benchcmd -measure NAME [-warmup 1] [-repeat 3] [-values FILE] GRAPH.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/chokepoint/chokepoint/graph/algo"
)

type options struct {
	measure, method    string
	alpha, tol         float64
	maxIter, top, k    int
	warmup, repeat     int
	valuesPath, graphF string
}

func main() {
	var o options
	flag.StringVar(&o.measure, "measure", "betweenness", "betweenness, closeness, degree, pagerank, maxflow, chokepoints, chokepoints-brute, dominators or routes")
	flag.StringVar(&o.method, "method", "gs", "pagerank iteration: gs (the engine's) or power (NetworkX's)")
	flag.StringVar(&o.valuesPath, "values", "", "also write the values to this file as JSON")
	flag.Float64Var(&o.alpha, "alpha", 0.85, "pagerank damping")
	flag.Float64Var(&o.tol, "tol", 1e-6, "pagerank tolerance: stop once a step changes the vector by under n*tol in L1 (NetworkX's default)")
	flag.IntVar(&o.maxIter, "maxiter", 1000, "pagerank passes over the arcs at most")
	flag.IntVar(&o.top, "top", 10, "chokepoints: how many (0: all)")
	flag.IntVar(&o.k, "k", 10, "routes: how many paths")
	flag.IntVar(&o.warmup, "warmup", 1, "untimed runs first")
	flag.IntVar(&o.repeat, "repeat", 3, "timed runs")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchcmd -measure NAME [-warmup 1] [-repeat 3] [-values FILE] GRAPH.json")
		os.Exit(2)
	}
	o.graphF = flag.Arg(0)
	o.repeat = max(1, o.repeat)
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchcmd:", err)
		os.Exit(1)
	}
}

type graphJSON struct {
	N       int          `json:"n"`
	Arcs    [][]*float64 `json:"arcs"`
	NodeCap []*float64   `json:"node_cap"`
	Sources []int        `json:"sources"`
	Sink    int          `json:"sink"`
}

func capOf(p *float64) float64 {
	if p == nil {
		return math.Inf(1)
	}
	return *p
}

func run(o options) error {
	data, err := os.ReadFile(o.graphF)
	if err != nil {
		return err
	}
	var gj graphJSON
	if err := json.Unmarshal(data, &gj); err != nil {
		return fmt.Errorf("%s: %w", o.graphF, err)
	}
	arcs := make([]algo.Arc, len(gj.Arcs))
	for i, a := range gj.Arcs {
		if len(a) < 2 || a[0] == nil || a[1] == nil {
			return fmt.Errorf("%s: arc %d needs two ends", o.graphF, i)
		}
		arcs[i] = algo.Arc{From: int(*a[0]), To: int(*a[1]), Cap: math.Inf(1), Cost: 1}
		if len(a) > 2 {
			arcs[i].Cap = capOf(a[2])
		}
		if len(a) > 3 && a[3] != nil {
			arcs[i].Cost = *a[3]
		}
	}
	g := algo.NewDigraph(gj.N, arcs)
	// The super source (node n, an arc of cost 0 to every source) of dominators and routes.
	super := slices.Clone(arcs)
	for _, s := range gj.Sources {
		super = append(super, algo.Arc{From: gj.N, To: s, Cap: math.Inf(1), Cost: 0})
	}
	gs := algo.NewDigraph(gj.N+1, super)
	nodeCap := make([]float64, gj.N)
	for v := range nodeCap {
		nodeCap[v] = math.Inf(1)
		if v < len(gj.NodeCap) {
			nodeCap[v] = capOf(gj.NodeCap[v])
		}
	}

	out := map[string]any{"measure": o.measure, "n": gj.N, "arcs": len(arcs), "workers": runtime.GOMAXPROCS(0)}
	var values any
	once := func() error {
		switch o.measure {
		case "betweenness":
			values = algo.Betweenness(g)
		case "closeness":
			values = algo.Closeness(g)
		case "degree":
			values = algo.DegreeCentrality(g)
		case "pagerank":
			if o.method == "power" {
				pr, err := algo.PageRank(g, o.alpha, o.tol, o.maxIter)
				values = pr
				return err
			}
			pr, st, err := algo.PageRankGS(g, o.alpha, o.tol, o.maxIter)
			values, out["iterations"], out["residual"] = pr, st.Iterations, st.Residual
			return err
		case "maxflow":
			r := algo.MaxFlow(g, nodeCap, gj.Sources, gj.Sink)
			values, out["value"] = r.Value, r.Value
		case "chokepoints":
			res, nr := algo.MaxFlowRemoval(g, nodeCap, gj.Sources, gj.Sink)
			var ranked [][2]float64
			if nr != nil {
				cands := make([]int, 0, gj.N)
				for v := 0; v < gj.N; v++ {
					if v != gj.Sink {
						cands = append(cands, v)
					}
				}
				for _, l := range nr.TopLosses(cands, res.Through, o.top, 1e-9, func(x float64) float64 { return x }) {
					ranked = append(ranked, [2]float64{float64(l.Node), l.Loss})
				}
			}
			values, out["ranked"], out["value"] = ranked, len(ranked), res.Value
		case "chokepoints-brute":
			base := algo.MaxFlow(g, nodeCap, gj.Sources, gj.Sink)
			var ranked [][2]float64
			if !math.IsInf(base.Value, 1) {
				c := slices.Clone(nodeCap)
				for v := 0; v < gj.N; v++ {
					if v == gj.Sink || base.Through[v] <= 0 {
						continue
					}
					c[v] = 0
					if loss := base.Value - algo.MaxFlow(g, c, gj.Sources, gj.Sink).Value; loss > 1e-9 {
						ranked = append(ranked, [2]float64{float64(v), loss})
					}
					c[v] = nodeCap[v]
				}
			}
			values, out["ranked"], out["value"] = ranked, len(ranked), base.Value
		case "dominators":
			idom := algo.ImmediateDominators(gs, gj.N)
			reachable := 0
			for _, d := range idom {
				if d >= 0 {
					reachable++
				}
			}
			values, out["reachable"] = idom, reachable
		case "routes":
			paths := algo.KShortestPaths(gs, gj.N, gj.Sink, o.k, 0, true, nil)
			lengths := make([]float64, len(paths))
			for i, p := range paths {
				lengths[i] = p.Length
			}
			values, out["paths"] = lengths, len(paths)
		default:
			return fmt.Errorf("unknown measure %q", o.measure)
		}
		return nil
	}
	for range o.warmup {
		if err := once(); err != nil {
			return err
		}
	}
	times := make([]float64, o.repeat)
	for r := range times {
		start := time.Now()
		if err := once(); err != nil {
			return err
		}
		times[r] = time.Since(start).Seconds()
	}
	sorted := slices.Sorted(slices.Values(times))
	median := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		median = (sorted[len(sorted)/2-1] + median) / 2
	}
	out["times"], out["min"], out["median"] = times, sorted[0], median

	if o.valuesPath != "" {
		b, err := json.Marshal(values)
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.valuesPath, b, 0o644); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
