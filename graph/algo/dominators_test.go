package algo_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// withSuperSource returns g plus a node n with an arc to every source.
func withSuperSource(g *algo.Digraph, sources []int) *algo.Digraph {
	n := g.N()
	arcs := append([]algo.Arc(nil), g.Arcs()...)
	for _, s := range sources {
		arcs = append(arcs, algo.Arc{From: n, To: s, Cap: 1, Cost: 1})
	}
	return algo.NewDigraph(n+1, arcs)
}

func TestImmediateDominatorsMatchesNetworkX(t *testing.T) {
	for _, ref := range loadFlowRefs(t) {
		t.Run(ref.Name, func(t *testing.T) {
			g, _ := ref.graph()
			h := withSuperSource(g, ref.Sources)
			idom := algo.ImmediateDominators(h, ref.N)
			if idom[ref.N] != ref.N {
				t.Fatalf("idom[root] = %d, want root %d", idom[ref.N], ref.N)
			}
			if !slices.Equal(idom[:ref.N], ref.Idom) {
				for v := range ref.Idom {
					if idom[v] != ref.Idom[v] {
						t.Fatalf("idom[%d] = %d, NetworkX %d", v, idom[v], ref.Idom[v])
					}
				}
			}
			checkDominators(t, h, ref.N, idom)
		})
	}
}

// checkDominators compares Dominators(idom, v) with the definition: d dominates v iff v is not
// reachable from root once d is removed.
func checkDominators(t *testing.T, g *algo.Digraph, root int, idom []int) {
	t.Helper()
	n := g.N()
	reach := func(removed int) []bool {
		seen := make([]bool, n)
		if removed == root {
			return seen
		}
		seen[root] = true
		stack := []int{root}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, i := range g.Out(u) {
				if w := g.Arcs()[i].To; w != removed && !seen[w] {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
		return seen
	}
	all := reach(-1)
	doms := make([][]int, n) // doms[v]: the dominators of v found by brute force, ascending
	for d := 0; d < n; d++ {
		r := reach(d)
		for v := 0; v < n; v++ {
			if all[v] && (v == d || !r[v]) {
				doms[v] = append(doms[v], d)
			}
		}
	}
	for v := 0; v < n; v++ {
		got := algo.Dominators(idom, v)
		if !all[v] {
			if got != nil || idom[v] != -1 {
				t.Fatalf("unreachable %d: idom %d, dominators %v", v, idom[v], got)
			}
			continue
		}
		if got[0] != v || got[len(got)-1] != root {
			t.Fatalf("dominators of %d = %v: must run from %d to root %d", v, got, v, root)
		}
		slices.Sort(got)
		if !slices.Equal(got, doms[v]) {
			t.Fatalf("dominators of %d = %v, by definition %v", v, got, doms[v])
		}
	}
}

func TestImmediateDominatorsSmall(t *testing.T) {
	// The NetworkX docstring example, shifted to 0-based: 0->1, 0->2, 1->4, 2->3, 3->4.
	g := algo.NewDigraph(6, []algo.Arc{{From: 0, To: 1}, {From: 0, To: 2}, {From: 1, To: 4}, {From: 2, To: 3},
		{From: 3, To: 4}, {From: 3, To: 3}, {From: 4, To: 2}})
	got := algo.ImmediateDominators(g, 0)
	want := []int{0, 0, 0, 2, 0, -1}
	if !slices.Equal(got, want) {
		t.Fatalf("idom %v, want %v", got, want)
	}
	if d := algo.Dominators(got, 3); !slices.Equal(d, []int{3, 2, 0}) {
		t.Fatalf("Dominators(3) = %v", d)
	}
	if d := algo.Dominators(got, 5); d != nil {
		t.Fatalf("Dominators(unreachable) = %v", d)
	}
	// A 200k-node chain: no recursion limits.
	const n = 200000
	arcs := make([]algo.Arc, n-1)
	for i := range arcs {
		arcs[i] = algo.Arc{From: i, To: i + 1}
	}
	idom := algo.ImmediateDominators(algo.NewDigraph(n, arcs), 0)
	if idom[n-1] != n-2 || idom[0] != 0 {
		t.Fatalf("chain idom[last] = %d", idom[n-1])
	}
}

func TestImmediateDominatorsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 200; iter++ {
		n := 1 + rng.IntN(20)
		var arcs []algo.Arc
		for j := rng.IntN(3 * n); j > 0; j-- {
			arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n)})
		}
		g := algo.NewDigraph(n, arcs)
		root := rng.IntN(n)
		checkDominators(t, g, root, algo.ImmediateDominators(g, root))
	}
}

var domBenchSink []int

func BenchmarkDominators(b *testing.B) {
	g, _, sources, _ := layered(10000, 1)
	h := withSuperSource(g, sources)
	b.ReportAllocs()
	for b.Loop() {
		domBenchSink = algo.ImmediateDominators(h, g.N())
	}
}
