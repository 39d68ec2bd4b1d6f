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
