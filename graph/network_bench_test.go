package graph_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkProjectionMemory measures what a projected Network of 100,000 nodes and 300,000 edges
// holds once its input dataset is gone, and reports it in MB and bytes per node and edge.
func BenchmarkProjectionMemory(b *testing.B) {
	for b.Loop() {
		before := heapInUse()
		ds := synthetic.MustGenerate(synthetic.Config{Nodes: 100_000, Edges: 300_000, Seed: 1})
		net := fixture.Network(b, ds)
		ds = nil
		held := heapInUse() - before
		records := len(net.Nodes()) + len(net.Edges())
		b.ReportMetric(float64(held)/(1<<20), "MB")
		b.ReportMetric(float64(held)/float64(records), "bytes/record")
		runtime.KeepAlive(net)
	}
}

// BenchmarkAnalysesScale times every analysis of graph.Analyze, every chokepoint method and
// centrality metric, on the bundled dataset and on synthetic networks of 10k, 30k and 100k nodes
// (internal/synthetic, seed 1, three edges per node), as of 2025, rare earths, consumer Japan on
// the bundled dataset and the state with most firms on the synthetic ones, supplier China.
// Sub-benchmarks are SIZE/ANALYSIS. The network's control shares (computed once per Network, used
// by control, concentration, dependency, routes, finance and attribution) are computed before the
// timing, as in a server answering repeated requests; control-cold times the control analysis on a
// fresh Network, that computation included. The full flow ranking takes time quadratic in the
// network's size (docs/benchmarks.md) and runs up to 30k nodes only.
func BenchmarkAnalysesScale(b *testing.B) {
	for _, size := range []struct {
		name  string
		nodes int // 0: the bundled dataset
	}{{"bundled", 0}, {"10k", 10_000}, {"30k", 30_000}, {"100k", 100_000}} {
		b.Run(size.name, func(b *testing.B) { benchAnalyses(b, size.nodes) })
	}
}

// benchAnalyses runs BenchmarkAnalysesScale's sub-benchmarks on one network: the bundled dataset
// (nodes 0) or a synthetic one of that many nodes.
func benchAnalyses(b *testing.B, nodes int) {
	var ds *graph.Dataset
	if nodes == 0 {
		ds = fixture.Bundled(b)
	} else {
		ds = synthetic.MustGenerate(synthetic.Config{Nodes: nodes, Edges: 3 * nodes, Seed: 1})
	}
	whole := fixture.Network(b, ds)
	net := whole.AsOf(2025)
	consumer := "JP"
	if nodes > 0 {
		consumer = busiestState(net)
	}
	flowReq := graph.Request{Commodity: "rare-earths", Consumer: consumer}
	withMethod := func(method string, top int) graph.Request {
		r := flowReq
		r.Method, r.Top = method, top
		return r
	}
	withMetric := func(metric string) graph.Request { return graph.Request{Metric: metric} }
	if _, err := graph.Analyze(net, graph.AnalysisControl, graph.Request{}); err != nil {
		b.Fatal(err)
	}
	const quadratic = 30_000 // the largest network the quadratic analysis runs on
	for _, tc := range []struct {
		name, analysis string
		req            graph.Request
		maxNodes       int // 0: every size
	}{
		{"flow", graph.AnalysisFlow, flowReq, 0},
		{"chokepoints-flow-top10", graph.AnalysisChokepoints, withMethod(graph.MethodFlow, 10), 0},
		{"chokepoints-flow", graph.AnalysisChokepoints, withMethod(graph.MethodFlow, 0), quadratic},
		{"chokepoints-dominators", graph.AnalysisChokepoints, withMethod(graph.MethodDominators, 0), 0},
		{"chokepoints-cut", graph.AnalysisChokepoints, withMethod(graph.MethodCut, 0), 0},
		{"chokepoints-articulation", graph.AnalysisChokepoints, withMethod(graph.MethodArticulation, 0), 0},
		{"control", graph.AnalysisControl, graph.Request{}, 0},
		{"concentration", graph.AnalysisConcentration, graph.Request{Commodity: "rare-earths"}, 0},
		{"dependency", graph.AnalysisDependency, graph.Request{Commodity: "rare-earths", Consumer: consumer, Supplier: "CN"}, 0},
		{"centrality-degree", graph.AnalysisCentrality, withMetric(graph.MetricDegree), 0},
		{"centrality-betweenness", graph.AnalysisCentrality, withMetric(graph.MetricBetweenness), 0},
		{"centrality-closeness", graph.AnalysisCentrality, withMetric(graph.MetricCloseness), 0},
		{"centrality-pagerank", graph.AnalysisCentrality, withMetric(graph.MetricPageRank), 0},
		{"routes", graph.AnalysisRoutes, graph.Request{Commodity: "rare-earths", To: consumer, K: 10}, 0},
		{"finance", graph.AnalysisFinance, flowReq, 0},
		{"attribution", graph.AnalysisAttribution, graph.Request{Commodity: "rare-earths", Consumer: consumer, Supplier: "CN", Base: 2015}, 0},
	} {
		if tc.maxNodes > 0 && nodes > tc.maxNodes {
			continue
		}
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := graph.Analyze(net, tc.analysis, tc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("control-cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			fresh := whole.AsOf(2025)
			b.StartTimer()
			if _, err := graph.Analyze(fresh, graph.AnalysisControl, graph.Request{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFlowChokepoints times the flow chokepoints against one max flow (the flow analysis) on
// synthetic networks of 10k nodes (every chokepoint ranked) and 100k nodes (top 10), for the
// consumer state with the most firms.
func BenchmarkFlowChokepoints(b *testing.B) {
	for _, size := range []struct{ nodes, top int }{{10_000, 0}, {100_000, 10}} {
		net := fixture.Network(b, synthetic.MustGenerate(synthetic.Config{Nodes: size.nodes, Edges: size.nodes * 3, Seed: 1}))
		net = net.AsOf(2025)
		q := graph.Query{Commodity: "rare-earths", Consumer: busiestState(net)}
		b.Run(fmt.Sprintf("flow/%d", size.nodes), func(b *testing.B) {
			for b.Loop() {
				if _, err := graph.MaxSupply(net, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("chokepoints/%d/top%d", size.nodes, size.top), func(b *testing.B) {
			var n int
			for b.Loop() {
				r, err := graph.FindChokepoints(net, q, graph.MethodFlow, size.top)
				if err != nil {
					b.Fatal(err)
				}
				n = len(r.Nodes)
			}
			b.ReportMetric(float64(n), "ranked")
		})
	}
}

// busiestState returns the state with the most firms (ties: the smallest code).
func busiestState(net *graph.Network) string {
	states := map[string]int{}
	for _, n := range net.Nodes() {
		if n.Kind == graph.Firm {
			states[n.State]++
		}
	}
	consumer, most := "", 0
	for s, c := range states {
		if c > most || c == most && s < consumer {
			consumer, most = s, c
		}
	}
	return consumer
}

// BenchmarkFlowChokepointsBrute times the definition the flow chokepoints are tested against (one
// fresh max flow per node that carries flow) on the 10k network of BenchmarkFlowChokepoints.
func BenchmarkFlowChokepointsBrute(b *testing.B) {
	net := fixture.Network(b, synthetic.MustGenerate(synthetic.Config{Nodes: 10_000, Edges: 30_000, Seed: 1}))
	net = net.AsOf(2025)
	q := graph.Query{Commodity: "rare-earths", Consumer: busiestState(net)}
	for b.Loop() {
		if _, err := graph.BruteFlowChokepoints(net, q, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkControlSpans times the control spans an import writes (graph.ControlSpans) on the
// synthetic 10k-node network of BenchmarkFlowChokepoints.
func BenchmarkControlSpans(b *testing.B) {
	net := fixture.Network(b, synthetic.MustGenerate(synthetic.Config{Nodes: 10_000, Edges: 30_000, Seed: 1}))
	var n int
	for b.Loop() {
		n = len(graph.ControlSpans(net))
	}
	b.ReportMetric(float64(n), "spans")
}

// BenchmarkNewNetwork times graph.NewNetwork, the validation and indexing every import and
// projection does, on the synthetic network of 100,000 nodes and 300,000 edges.
func BenchmarkNewNetwork(b *testing.B) {
	ds := synthetic.MustGenerate(synthetic.Config{Nodes: 100_000, Edges: 300_000, Seed: 1})
	for b.Loop() {
		if _, err := graph.NewNetwork(ds); err != nil {
			b.Fatal(err)
		}
	}
}
