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

// BenchmarkAnalysesLarge times the analyses on the same 100k/300k synthetic network.
func BenchmarkAnalysesLarge(b *testing.B) {
	net := fixture.Network(b, synthetic.MustGenerate(synthetic.Config{Nodes: 100_000, Edges: 300_000, Seed: 1}))
	net = net.AsOf(2025)
	consumer := busiestState(net)
	for _, tc := range []struct {
		name string
		req  graph.Request
	}{
		{graph.AnalysisFlow, graph.Request{Commodity: "rare-earths", Consumer: consumer}},
		{graph.AnalysisChokepoints, graph.Request{Commodity: "rare-earths", Consumer: consumer, Method: graph.MethodFlow, Top: 10}},
		{graph.AnalysisDependency, graph.Request{Commodity: "rare-earths", Consumer: consumer, Supplier: "CN"}},
		{graph.AnalysisConcentration, graph.Request{Commodity: "rare-earths"}},
		{graph.AnalysisControl, graph.Request{}},
		{graph.AnalysisCentrality, graph.Request{Metric: graph.MetricPageRank}},
		{graph.AnalysisRoutes, graph.Request{Commodity: "rare-earths", To: consumer, K: 10}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := graph.Analyze(net, tc.name, tc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
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
