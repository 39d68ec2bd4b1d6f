package algo_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

func TestBiconnectedMatchesNetworkX(t *testing.T) {
	for _, ref := range loadFlowRefs(t) {
		t.Run(ref.Name, func(t *testing.T) {
			g, _ := ref.graph()
			if got, sep := algo.ArticulationPoints(g); !slices.Equal(got, ref.APs) || !slices.Equal(sep, ref.Separated) {
				t.Errorf("articulation points %v separating %v, NetworkX %v separating %v", got, sep, ref.APs, ref.Separated)
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
		if got, _ := algo.ArticulationPoints(g); !slices.Equal(got, wantAPs) {
			t.Fatalf("arcs %v: articulation points %v, want %v", arcs, got, wantAPs)
		}
		if got := algo.Bridges(g); !slices.Equal(got, wantBr) {
			t.Fatalf("arcs %v: bridges %v, want %v", arcs, got, wantBr)
		}
	}
}

// separatedByWalk is the reference for ArticulationPoints' separated counts, one walk of v's
// component per articulation point: the nodes reached from v's neighbors without passing v, in
// parts, minus the largest part.
func separatedByWalk(g *algo.Digraph, v int) int {
	seen := make([]bool, g.N())
	seen[v] = true
	var sizes []int
	total := 0
	neighbors := func(u int) []int {
		var out []int
		for _, a := range g.Out(u) {
			out = append(out, g.Arcs()[a].To)
		}
		for _, a := range g.In(u) {
			out = append(out, g.Arcs()[a].From)
		}
		return out
	}
	for _, start := range neighbors(v) {
		if seen[start] {
			continue
		}
		size := 0
		stack := []int{start}
		seen[start] = true
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			for _, w := range neighbors(u) {
				if !seen[w] {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
		sizes = append(sizes, size)
		total += size
	}
	return total - slices.Max(sizes)
}

// checkSeparated compares ArticulationPoints' separated counts on g with separatedByWalk.
func checkSeparated(t *testing.T, name string, g *algo.Digraph) {
	t.Helper()
	aps, sep := algo.ArticulationPoints(g)
	if len(sep) != len(aps) {
		t.Fatalf("%s: %d articulation points, %d counts", name, len(aps), len(sep))
	}
	for i, v := range aps {
		if want := separatedByWalk(g, v); sep[i] != want {
			t.Fatalf("%s: node %d separates %d, walk %d", name, v, sep[i], want)
		}
	}
}

// TestArticulationSeparatedRandom compares the separated counts with one walk per articulation
// point on random graphs of several shapes: trees, cycles, paths, stars, sparse and dense
// multigraphs with self-loops and opposite arcs, several components, isolated nodes, and
// relabelled nodes so that depth-first roots fall anywhere.
func TestArticulationSeparatedRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	shapes := map[string]func(n int) []algo.Arc{
		"tree": func(n int) []algo.Arc {
			var arcs []algo.Arc
			for v := 1; v < n; v++ {
				arcs = append(arcs, algo.Arc{From: rng.IntN(v), To: v})
			}
			return arcs
		},
		"path": func(n int) []algo.Arc {
			var arcs []algo.Arc
			for v := 1; v < n; v++ {
				arcs = append(arcs, algo.Arc{From: v, To: v - 1})
			}
			return arcs
		},
		"star": func(n int) []algo.Arc {
			var arcs []algo.Arc
			for v := 1; v < n; v++ {
				arcs = append(arcs, algo.Arc{From: v, To: 0})
			}
			return arcs
		},
		"cycles": func(n int) []algo.Arc {
			// Cycles of random lengths chained at shared nodes, some trees hanging off.
			var arcs []algo.Arc
			for v := 1; v < n; v++ {
				arcs = append(arcs, algo.Arc{From: v - 1, To: v})
				if rng.IntN(4) == 0 {
					arcs = append(arcs, algo.Arc{From: v, To: rng.IntN(v)})
				}
			}
			return arcs
		},
		"sparse": func(n int) []algo.Arc {
			var arcs []algo.Arc
			for j := rng.IntN(n + 1); j > 0; j-- {
				arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n)})
			}
			return arcs
		},
		"multi": func(n int) []algo.Arc {
			// Few distinct edges, each repeated in both directions, plus self-loops.
			var arcs []algo.Arc
			for j := rng.IntN(2*n + 1); j > 0; j-- {
				a := algo.Arc{From: rng.IntN(n), To: rng.IntN(n)}
				arcs = append(arcs, a, a, algo.Arc{From: a.To, To: a.From}, algo.Arc{From: a.From, To: a.From})
			}
			return arcs
		},
		"dense": func(n int) []algo.Arc {
			var arcs []algo.Arc
			for j := 3 * n; j > 0; j-- {
				arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n)})
			}
			return arcs
		},
	}
	for name, shape := range shapes {
		for iter := 0; iter < 200; iter++ {
			n := 1 + rng.IntN(40)
			// Up to three components of this shape, then isolated nodes, all relabelled.
			var arcs []algo.Arc
			total := 0
			for c := 1 + rng.IntN(3); c > 0; c-- {
				for _, a := range shape(n) {
					arcs = append(arcs, algo.Arc{From: a.From + total, To: a.To + total})
				}
				total += n
			}
			total += rng.IntN(4)
			perm := rng.Perm(total)
			for i := range arcs {
				arcs[i].From, arcs[i].To = perm[arcs[i].From], perm[arcs[i].To]
			}
			checkSeparated(t, name, algo.NewDigraph(total, arcs))
		}
	}
}

// TestArticulationSeparatedBundled compares the separated counts with one walk per articulation
// point on the bundled dataset: all its edges, and each commodity's edges with the edges without
// a commodity.
func TestArticulationSeparatedBundled(t *testing.T) {
	ds := fixture.Bundled(t)
	index := map[string]int{}
	for i, nd := range ds.Nodes {
		index[nd.ID] = i
	}
	graphOf := func(commodity string) *algo.Digraph {
		var arcs []algo.Arc
		for _, e := range ds.Edges {
			if commodity == "" || e.Commodity == "" || e.Commodity == commodity {
				arcs = append(arcs, algo.Arc{From: index[e.From], To: index[e.To]})
			}
		}
		return algo.NewDigraph(len(ds.Nodes), arcs)
	}
	g := graphOf("")
	if aps, _ := algo.ArticulationPoints(g); len(aps) == 0 {
		t.Fatal("the bundled dataset has no articulation points")
	}
	checkSeparated(t, "all edges", g)
	for _, c := range ds.Commodities {
		checkSeparated(t, c.ID, graphOf(c.ID))
	}
}

func TestBiconnectedSmall(t *testing.T) {
	// 0 <-> 1 (opposite arcs: one edge, a bridge), 1 -> 2 twice (parallel: one edge, a bridge),
	// 2 -> 2 (self-loop, ignored), 3 isolated.
	g := algo.NewDigraph(4, []algo.Arc{{From: 0, To: 1}, {From: 1, To: 0}, {From: 1, To: 2}, {From: 1, To: 2}, {From: 2, To: 2}})
	if got, _ := algo.ArticulationPoints(g); !slices.Equal(got, []int{1}) {
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
	if aps, _ := algo.ArticulationPoints(p); len(aps) != n-2 || aps[0] != 1 || aps[n-3] != n-2 {
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
		apBenchSink, _ = algo.ArticulationPoints(g)
	}
}
