package algo_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// layered makes a supply-chain-shaped digraph like scripts/supplynet.py's layered(n, seed):
// six layers shrinking downstream, each node feeding about three nodes of the next layer (10% of
// them the one after), 1% of arcs pointing upstream; capacities 1..100 (10% of arcs and half of the
// nodes unbounded) and costs 1..9. It returns the graph, node capacities, the sources (first
// layer) and the sink (first node of the last layer). Deterministic for a given seed.
func layered(n int, seed uint64) (*algo.Digraph, []float64, []int, int) {
	const layers, fanout, back = 6, 3.0, 0.01
	rng := rand.New(rand.NewPCG(seed, 0xf10e))
	capOf := func(pUnbounded float64) float64 {
		if rng.Float64() < pUnbounded {
			return math.Inf(1)
		}
		return float64(1 + rng.IntN(100))
	}
	total := 0
	for i := 0; i < layers; i++ {
		total += 1 << (layers - i)
	}
	sizes := make([]int, layers)
	sum := 0
	for i := range sizes {
		sizes[i] = max(1, n*(1<<(layers-i))/total)
		sum += sizes[i]
	}
	sizes[0] += n - sum
	starts := make([]int, layers+1)
	for i, s := range sizes {
		starts[i+1] = starts[i] + s
	}
	pick := func(layer int) int { return starts[layer] + rng.IntN(sizes[layer]) }
	var arcs []algo.Arc
	for li := 0; li < layers-1; li++ {
		for u := starts[li]; u < starts[li+1]; u++ {
			for j := max(1, int(rng.ExpFloat64()*fanout)); j > 0; j-- {
				tl := li + 1
				if rng.Float64() < 0.1 && li+2 < layers {
					tl = li + 2
				}
				arcs = append(arcs, algo.Arc{From: u, To: pick(tl), Cap: capOf(0.1), Cost: float64(1 + rng.IntN(9))})
			}
		}
	}
	for j := int(float64(len(arcs)) * back); j > 0; j-- {
		li := 1 + rng.IntN(layers-1)
		arcs = append(arcs, algo.Arc{From: pick(li), To: pick(rng.IntN(li)), Cap: capOf(0.1), Cost: float64(1 + rng.IntN(9))})
	}
	nodeCap := make([]float64, n)
	for v := range nodeCap {
		nodeCap[v] = capOf(0.5)
	}
	sources := make([]int, sizes[0])
	for i := range sources {
		sources[i] = i
	}
	return algo.NewDigraph(n, arcs), nodeCap, sources, starts[layers-1]
}

var centSink []float64

func benchCent(b *testing.B, measure func(*algo.Digraph) []float64) {
	for _, n := range []int{1000, 10000} {
		g, _, _, _ := layered(n, 7)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				centSink = measure(g)
			}
		})
	}
}

func BenchmarkDegreeCentrality(b *testing.B) { benchCent(b, algo.DegreeCentrality) }

func BenchmarkBetweenness(b *testing.B) { benchCent(b, algo.Betweenness) }

func BenchmarkCloseness(b *testing.B) { benchCent(b, algo.Closeness) }

func BenchmarkPageRank(b *testing.B) {
	benchCent(b, func(g *algo.Digraph) []float64 {
		pr, err := algo.PageRank(g, 0.85, 1e-6, 100)
		if err != nil {
			b.Fatal(err)
		}
		return pr
	})
}

func BenchmarkPageRankGS(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		g, _, _, _ := layered(n, 7)
		for _, tol := range []float64{1e-6, 1e-10} {
			b.Run(fmt.Sprintf("n=%d/tol=%g", n, tol), func(b *testing.B) {
				var st algo.PageRankStats
				for b.Loop() {
					var err error
					if centSink, st, err = algo.PageRankGS(g, 0.85, tol, 1000); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(st.Iterations), "passes")
			})
		}
	}
}

// dag makes a layered DAG like scripts/supplynet.py's dag(n, seed): n-1 nodes in ten layers of
// equal size, then one consumer, the sink. Each node feeds about three nodes of the next layer
// (70% of arcs), the one after (20%) or the third (10%), never beyond the last; every node of
// the last layer feeds the sink. Capacities 1..100 (10% of arcs and half of the nodes unbounded,
// the sink's node unbounded as bench_centrality.py lifts it); the sources are the first layer.
func dag(n int, seed uint64) (*algo.Digraph, []float64, []int, int) {
	const layers, fanout = 10, 3.0
	rng := rand.New(rand.NewPCG(seed, 0xda9))
	capOf := func(pUnbounded float64) float64 {
		if rng.Float64() < pUnbounded {
			return math.Inf(1)
		}
		return float64(1 + rng.IntN(100))
	}
	sink := n - 1
	size := max(1, sink/layers)
	layerOf := func(v int) int { return min(v/size, layers-1) }
	last := layerOf(sink - 1)
	start := func(l int) int { return min(l*size, sink) }
	var arcs []algo.Arc
	for u := 0; u < sink; u++ {
		li := layerOf(u)
		if li == last {
			arcs = append(arcs, algo.Arc{From: u, To: sink, Cap: capOf(0.1), Cost: float64(1 + rng.IntN(9))})
			continue
		}
		for j := max(1, int(rng.ExpFloat64()*fanout)); j > 0; j-- {
			r, tl := rng.Float64(), li+3
			if r < 0.7 {
				tl = li + 1
			} else if r < 0.9 {
				tl = li + 2
			}
			tl = min(tl, last)
			hi := sink
			if tl < last {
				hi = start(tl + 1)
			}
			v := start(tl) + rng.IntN(hi-start(tl))
			arcs = append(arcs, algo.Arc{From: u, To: v, Cap: capOf(0.1), Cost: float64(1 + rng.IntN(9))})
		}
	}
	nodeCap := make([]float64, n)
	for v := range nodeCap {
		nodeCap[v] = capOf(0.5)
	}
	nodeCap[sink] = math.Inf(1)
	sources := make([]int, start(1))
	for i := range sources {
		sources[i] = i
	}
	return algo.NewDigraph(n, arcs), nodeCap, sources, sink
}
