package algo_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// bruteRemovalLoss is the definition NodeRemoval must meet: the maximum flow with node v's
// capacity set to 0, subtracted from the maximum flow, each from a fresh MaxFlow.
func bruteRemovalLoss(g *algo.Digraph, nodeCap []float64, sources []int, sink, v int) float64 {
	base := algo.MaxFlow(g, nodeCap, sources, sink).Value
	c := slices.Clone(nodeCap)
	c[v] = 0
	return base - algo.MaxFlow(g, c, sources, sink).Value
}

// randomFlowGraph makes a small random digraph with parallel arcs, self-loops, cycles, unbounded
// and half-unit capacities (exact in binary, so both methods must agree to the bit), many equal
// capacities (ties), and random sources and sink.
func randomFlowGraph(rng *rand.Rand) (*algo.Digraph, []float64, []int, int) {
	n := 2 + rng.IntN(18)
	capOf := func(pInf float64) float64 {
		switch {
		case rng.Float64() < pInf:
			return math.Inf(1)
		case rng.IntN(4) == 0:
			return float64(rng.IntN(8)) + 0.5
		default:
			return float64(5 * rng.IntN(5))
		}
	}
	var arcs []algo.Arc
	for j := rng.IntN(5 * n); j > 0; j-- {
		arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n), Cap: capOf(0.25), Cost: 1})
	}
	nodeCap := make([]float64, n)
	for v := range nodeCap {
		nodeCap[v] = capOf(0.5)
	}
	sink := rng.IntN(n)
	var sources []int
	for v := 0; v < n; v++ {
		if v != sink && rng.IntN(3) == 0 {
			sources = append(sources, v)
		}
	}
	return algo.NewDigraph(n, arcs), nodeCap, sources, sink
}

// TestNodeRemovalMatchesBruteForce compares the loss of every node, computed from the one maximum
// flow, with a fresh maximum flow without the node, on many seeded random graphs, on layered
// supply-chain graphs and on layered DAGs.
func TestNodeRemovalMatchesBruteForce(t *testing.T) {
	type tc struct {
		g       *algo.Digraph
		nodeCap []float64
		sources []int
		sink    int
	}
	var cases []tc
	rng := rand.New(rand.NewPCG(10, 11))
	for i := 0; i < 1500; i++ {
		g, c, s, k := randomFlowGraph(rng)
		cases = append(cases, tc{g, c, s, k})
	}
	for seed := uint64(1); seed <= 6; seed++ {
		g, c, s, k := layered(150+int(seed)*40, seed)
		cases = append(cases, tc{g, c, s, k})
		g, c, s, k = dag(200+int(seed)*50, seed)
		cases = append(cases, tc{g, c, s, k})
	}
	checked := 0
	for i, c := range cases {
		res, nr := algo.MaxFlowRemoval(c.g, c.nodeCap, c.sources, c.sink)
		want := algo.MaxFlow(c.g, c.nodeCap, c.sources, c.sink)
		if res.Value != want.Value && !(math.IsInf(res.Value, 1) && math.IsInf(want.Value, 1)) {
			t.Fatalf("case %d: value %v, MaxFlow %v", i, res.Value, want.Value)
		}
		if math.IsInf(res.Value, 1) {
			if nr != nil {
				t.Fatalf("case %d: unbounded flow with a NodeRemoval", i)
			}
			continue
		}
		w := nr.Worker()
		for v := 0; v < c.g.N(); v++ {
			got := w.Loss(v)
			if bf := bruteRemovalLoss(c.g, c.nodeCap, c.sources, c.sink, v); got != bf {
				t.Fatalf("case %d (n=%d, sink %d, sources %v) node %d: loss %v, brute force %v",
					i, c.g.N(), c.sink, c.sources, v, got, bf)
			}
			if got > res.Through[v] {
				t.Fatalf("case %d node %d: loss %v over the flow through it %v", i, v, got, res.Through[v])
			}
			checked++
		}
	}
	if checked < 5000 {
		t.Fatalf("only %d nodes checked", checked)
	}
}

// TestNodeRemovalWorkersConcurrent runs several workers of one NodeRemoval at once (go test
// -race catches shared writes) and checks they agree with one worker run alone.
func TestNodeRemovalWorkersConcurrent(t *testing.T) {
	g, nodeCap, sources, sink := layered(2000, 3)
	_, nr := algo.MaxFlowRemoval(g, nodeCap, sources, sink)
	want := make([]float64, g.N())
	w := nr.Worker()
	for v := range want {
		want[v] = w.Loss(v)
	}
	var wg sync.WaitGroup
	got := make([][]float64, 4)
	for k := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := nr.Worker()
			got[k] = make([]float64, g.N())
			for v := g.N() - 1; v >= 0; v-- {
				got[k][v] = w.Loss(v)
			}
		}()
	}
	wg.Wait()
	for k := range got {
		if !slices.Equal(got[k], want) {
			t.Fatalf("worker %d disagrees", k)
		}
	}
}

// TestTopLossesMatchesBruteForce checks the pruned, parallel ranking against every loss computed
// by brute force, sorted and cut, for every top, with a coarse score so that many nodes tie, on
// random graphs and layered DAGs.
func TestTopLossesMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	score := func(l float64) float64 { return math.Floor(l / 5) }
	for i := 0; i < 403; i++ {
		g, nodeCap, sources, sink := randomFlowGraph(rng)
		if i >= 400 { // layered DAGs, where the bound prunes little
			g, nodeCap, sources, sink = dag(150+50*(i-400), uint64(i))
		}
		res, nr := algo.MaxFlowRemoval(g, nodeCap, sources, sink)
		if nr == nil {
			continue
		}
		cands := rng.Perm(g.N()) // the order of ties
		var all []algo.NodeLoss
		for _, v := range cands {
			if l := bruteRemovalLoss(g, nodeCap, sources, sink, v); l > 0 {
				all = append(all, algo.NodeLoss{Node: v, Loss: l})
			}
		}
		pos := map[int]int{}
		for p, v := range cands {
			pos[v] = p
		}
		slices.SortStableFunc(all, func(a, b algo.NodeLoss) int {
			if sa, sb := score(a.Loss), score(b.Loss); sa != sb {
				if sa > sb {
					return -1
				}
				return 1
			}
			return pos[a.Node] - pos[b.Node]
		})
		for _, top := range []int{0, 1, 2, 3, 5, len(all)} {
			want := all
			if top > 0 && top < len(all) {
				want = all[:top]
			}
			got := nr.TopLosses(cands, res.Through, top, 0, score)
			if !slices.Equal(got, want) {
				t.Fatalf("graph %d top %d:\n got %v\nwant %v", i, top, got, want)
			}
		}
	}
}

var topLossSink []algo.NodeLoss

// BenchmarkTopLossesDAG ranks the ten largest node-removal losses on layered DAGs (one maximum
// flow included), the case where the bound prunes little.
func BenchmarkTopLossesDAG(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			g, nodeCap, sources, sink := dag(n, 1)
			cands := make([]int, g.N())
			for v := range cands {
				cands[v] = v
			}
			b.ReportAllocs()
			for b.Loop() {
				res, nr := algo.MaxFlowRemoval(g, nodeCap, sources, sink)
				topLossSink = nr.TopLosses(cands, res.Through, 10, 0, func(l float64) float64 { return l })
			}
		})
	}
}
