package algo_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

func TestBiconnectedMatchesNetworkX(t *testing.T) {
	for _, ref := range loadFlowRefs(t) {
		t.Run(ref.Name, func(t *testing.T) {
			g, _ := ref.graph()
			if got := algo.ArticulationPoints(g); !slices.Equal(got, ref.APs) {
				t.Errorf("articulation points %v, NetworkX %v", got, ref.APs)
			}
			if got := algo.Bridges(g); !slices.Equal(got, ref.Bridges) {
				t.Errorf("bridges %v, NetworkX %v", got, ref.Bridges)
			}
		})
	}
}

// undirectedComponents counts connected components of the undirected view of g without node
// skipNode and without the edge {a, b} (a < 0 for none).
func undirectedComponents(g *algo.Digraph, skipNode, a, b int) int {
	n := g.N()
	seen := make([]bool, n)
	count := 0
	for s := 0; s < n; s++ {
		if s == skipNode || seen[s] {
			continue
		}
		count++
		seen[s] = true
		stack := []int{s}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			visit := func(w int) {
				if w == skipNode || seen[w] || (u == a && w == b) || (u == b && w == a) {
					return
				}
				seen[w] = true
				stack = append(stack, w)
			}
			for _, i := range g.Out(u) {
				visit(g.Arcs()[i].To)
			}
			for _, i := range g.In(u) {
				visit(g.Arcs()[i].From)
			}
		}
	}
	return count
}

// TestBiconnectedRandom compares with the definitions on random multigraphs with self-loops and
// opposite arcs.
func TestBiconnectedRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 300; iter++ {
		n := 1 + rng.IntN(15)
		var arcs []algo.Arc
		for j := rng.IntN(2 * n); j > 0; j-- {
			arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n)})
		}
		g := algo.NewDigraph(n, arcs)
		base := undirectedComponents(g, -1, -1, -1)
		var wantAPs []int
		for v := 0; v < n; v++ {
			// Removing v drops v's own component count by one if v was isolated.
			if undirectedComponents(g, v, -1, -1) > base {
				wantAPs = append(wantAPs, v)
			}
		}
		var wantBr [][2]int
		for u := 0; u < n; u++ {
			for v := u + 1; v < n; v++ {
				adjacent := false
				for _, i := range g.Out(u) {
					adjacent = adjacent || g.Arcs()[i].To == v
				}
				for _, i := range g.In(u) {
					adjacent = adjacent || g.Arcs()[i].From == v
				}
				if adjacent && undirectedComponents(g, -1, u, v) > base {
					wantBr = append(wantBr, [2]int{u, v})
				}
			}
		}
		if got := algo.ArticulationPoints(g); !slices.Equal(got, wantAPs) {
			t.Fatalf("arcs %v: articulation points %v, want %v", arcs, got, wantAPs)
		}
		if got := algo.Bridges(g); !slices.Equal(got, wantBr) {
			t.Fatalf("arcs %v: bridges %v, want %v", arcs, got, wantBr)
		}
	}
}

func TestBiconnectedSmall(t *testing.T) {
	// 0 <-> 1 (opposite arcs: one edge, a bridge), 1 -> 2 twice (parallel: one edge, a bridge),
	// 2 -> 2 (self-loop, ignored), 3 isolated.
	g := algo.NewDigraph(4, []algo.Arc{{From: 0, To: 1}, {From: 1, To: 0}, {From: 1, To: 2}, {From: 1, To: 2}, {From: 2, To: 2}})
	if got := algo.ArticulationPoints(g); !slices.Equal(got, []int{1}) {
		t.Fatalf("articulation points %v", got)
	}
	if got := algo.Bridges(g); !slices.Equal(got, [][2]int{{0, 1}, {1, 2}}) {
		t.Fatalf("bridges %v", got)
	}
	// A 200k-node path, reversed arcs: no recursion limits.
	const n = 200000
	arcs := make([]algo.Arc, n-1)
	for i := range arcs {
		arcs[i] = algo.Arc{From: i + 1, To: i}
	}
	p := algo.NewDigraph(n, arcs)
	if aps := algo.ArticulationPoints(p); len(aps) != n-2 || aps[0] != 1 || aps[n-3] != n-2 {
		t.Fatalf("path: %d articulation points", len(aps))
	}
	if br := algo.Bridges(p); len(br) != n-1 || br[n-2] != [2]int{n - 2, n - 1} {
		t.Fatalf("path: %d bridges", len(br))
	}
}

var apBenchSink []int

func BenchmarkArticulationPoints(b *testing.B) {
	g, _, _, _ := layered(10000, 1)
	b.ReportAllocs()
	for b.Loop() {
		apBenchSink = algo.ArticulationPoints(g)
	}
}
