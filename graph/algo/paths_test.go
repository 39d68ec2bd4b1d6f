package algo_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

func TestKShortestPathsMatchesNetworkX(t *testing.T) {
	for _, ref := range loadFlowRefs(t) {
		t.Run(ref.Name, func(t *testing.T) {
			g, _ := ref.graph()
			for _, weighted := range []bool{false, true} {
				want := ref.HopLens
				if weighted {
					want = ref.WeighLen
				}
				paths := algo.KShortestPaths(g, ref.PathSrc, ref.PathDst, ref.K, 0, weighted, nil)
				got := make([]float64, len(paths))
				for i, p := range paths {
					got[i] = p.Length
					checkPath(t, g, p, ref.PathSrc, ref.PathDst, weighted, 0, nil)
				}
				if len(got) != len(want) {
					t.Fatalf("weighted=%v: lengths %v, NetworkX %v", weighted, got, want)
				}
				for i := range got {
					if math.Abs(got[i]-want[i]) > flowTol {
						t.Fatalf("weighted=%v: lengths %v, NetworkX %v", weighted, got, want)
					}
				}
				checkOrdered(t, paths)
			}
		})
	}
}

// checkPath verifies that p is a simple path src->dst over allowed nodes within maxHops, along
// the cheapest of the parallel arcs, of the reported length.
func checkPath(t *testing.T, g *algo.Digraph, p algo.Path, src, dst int, weighted bool, maxHops int, allowed func(int) bool) {
	t.Helper()
	if len(p.Nodes) == 0 || p.Nodes[0] != src || p.Nodes[len(p.Nodes)-1] != dst || len(p.Arcs) != len(p.Nodes)-1 {
		t.Fatalf("path %v (arcs %v) does not run %d->%d", p.Nodes, p.Arcs, src, dst)
	}
	if maxHops > 0 && len(p.Arcs) > maxHops {
		t.Fatalf("path %v longer than %d hops", p.Nodes, maxHops)
	}
	seen := map[int]bool{}
	length := 0.0
	for i, v := range p.Nodes {
		if seen[v] {
			t.Fatalf("path %v is not simple", p.Nodes)
		}
		seen[v] = true
		if allowed != nil && !allowed(v) {
			t.Fatalf("path %v uses disallowed node %d", p.Nodes, v)
		}
		if i == len(p.Arcs) {
			break
		}
		a := g.Arcs()[p.Arcs[i]]
		if a.From != v || a.To != p.Nodes[i+1] {
			t.Fatalf("path %v: arc %d is %d->%d", p.Nodes, p.Arcs[i], a.From, a.To)
		}
		for _, j := range g.Out(v) {
			if b := g.Arcs()[j]; b.To == a.To && b.Cost < a.Cost {
				t.Fatalf("path %v: arc %d is not the cheapest %d->%d", p.Nodes, p.Arcs[i], a.From, a.To)
			}
		}
		if weighted {
			length += a.Cost
		} else {
			length++
		}
	}
	if math.Abs(length-p.Length) > flowTol {
		t.Fatalf("path %v: length %v, arcs sum to %v", p.Nodes, p.Length, length)
	}
}

// pathBefore is the documented order: length, then arcs, then lexicographic node sequence.
func pathBefore(a, b algo.Path) bool {
	if a.Length != b.Length {
		return a.Length < b.Length
	}
	if len(a.Nodes) != len(b.Nodes) {
		return len(a.Nodes) < len(b.Nodes)
	}
	return slices.Compare(a.Nodes, b.Nodes) < 0
}

func checkOrdered(t *testing.T, paths []algo.Path) {
	t.Helper()
	for i := 1; i < len(paths); i++ {
		if !pathBefore(paths[i-1], paths[i]) {
			t.Fatalf("paths out of order: %v before %v", paths[i-1], paths[i])
		}
	}
}

// allSimplePaths enumerates every simple path src->dst by brute force, in the documented order.
func allSimplePaths(g *algo.Digraph, src, dst, maxHops int, weighted bool, allowed func(int) bool) []algo.Path {
	ok := func(v int) bool { return allowed == nil || allowed(v) }
	if !ok(src) || !ok(dst) {
		return nil
	}
	cost := func(u, v int) float64 {
		c := math.Inf(1)
		for _, i := range g.Out(u) {
			if a := g.Arcs()[i]; a.To == v {
				c = math.Min(c, a.Cost)
			}
		}
		if !weighted {
			return 1
		}
		return c
	}
	var out []algo.Path
	on := make([]bool, g.N())
	var walk func(nodes []int)
	walk = func(nodes []int) {
		u := nodes[len(nodes)-1]
		if u == dst {
			p := algo.Path{Nodes: slices.Clone(nodes)}
			for i := 0; i+1 < len(nodes); i++ {
				p.Length += cost(nodes[i], nodes[i+1])
			}
			out = append(out, p)
			return
		}
		if maxHops > 0 && len(nodes)-1 >= maxHops {
			return
		}
		prev := -1
		for _, i := range g.Out(u) {
			w := g.Arcs()[i].To
			if w == prev || on[w] || !ok(w) {
				continue
			}
			prev = w
			on[w] = true
			walk(append(nodes, w))
			on[w] = false
		}
	}
	on[src] = true
	walk([]int{src})
	sort.Slice(out, func(i, j int) bool { return pathBefore(out[i], out[j]) })
	return out
}

// TestKShortestPathsBruteForce compares the exact paths, in order, with a full enumeration on
// random multigraphs with zero costs, self-loops, parallel arcs, hop limits and node filters.
func TestKShortestPathsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 5000; iter++ {
		n := 2 + rng.IntN(11)
		var arcs []algo.Arc
		for j := rng.IntN(4 * n); j > 0; j-- {
			arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n), Cost: float64(rng.IntN(4))})
		}
		g := algo.NewDigraph(n, arcs)
		src, dst := rng.IntN(n), rng.IntN(n)
		k := 1 + rng.IntN(12)
		maxHops := 0
		if rng.IntN(2) == 0 {
			maxHops = 1 + rng.IntN(4)
		}
		var allowed func(int) bool
		if rng.IntN(3) == 0 {
			banned := rng.IntN(n)
			allowed = func(v int) bool { return v != banned }
		}
		weighted := rng.IntN(2) == 0
		want := allSimplePaths(g, src, dst, maxHops, weighted, allowed)
		if len(want) > k {
			want = want[:k]
		}
		got := algo.KShortestPaths(g, src, dst, k, maxHops, weighted, allowed)
		if len(got) != len(want) {
			t.Fatalf("iter %d arcs %v %d->%d k=%d hops=%d weighted=%v: got %d paths %v, want %d %v",
				iter, arcs, src, dst, k, maxHops, weighted, len(got), got, len(want), want)
		}
		for i := range got {
			checkPath(t, g, got[i], src, dst, weighted, maxHops, allowed)
			if !slices.Equal(got[i].Nodes, want[i].Nodes) || got[i].Length != want[i].Length {
				t.Fatalf("iter %d arcs %v %d->%d k=%d hops=%d weighted=%v: path %d = %v, want %v",
					iter, arcs, src, dst, k, maxHops, weighted, i, got[i], want[i])
			}
		}
	}
}

// hopGraph: a cheap long route 0-1-2-3-4-9 (cost 5), a medium route 0-5-6-9 (cost 30) and two
// expensive direct-ish routes 0-7-9 (cost 100) and 0-8-9 (cost 200), plus the arc 0->9 (cost 1000).
func hopGraph() *algo.Digraph {
	return algo.NewDigraph(10, []algo.Arc{
		{From: 0, To: 1, Cost: 1}, {From: 1, To: 2, Cost: 1}, {From: 2, To: 3, Cost: 1}, {From: 3, To: 4, Cost: 1}, {From: 4, To: 9, Cost: 1},
		{From: 0, To: 5, Cost: 10}, {From: 5, To: 6, Cost: 10}, {From: 6, To: 9, Cost: 10},
		{From: 0, To: 7, Cost: 50}, {From: 7, To: 9, Cost: 50},
		{From: 0, To: 8, Cost: 100}, {From: 8, To: 9, Cost: 100},
		{From: 0, To: 9, Cost: 1000}, {From: 2, To: 6, Cost: 1},
	})
}

func pathNodes(paths []algo.Path) [][]int {
	out := make([][]int, len(paths))
	for i, p := range paths {
		out[i] = p.Nodes
	}
	return out
}

func TestKShortestPathsMaxHops(t *testing.T) {
	g := hopGraph()
	all := pathNodes(algo.KShortestPaths(g, 0, 9, 10, 0, true, nil))
	wantAll := [][]int{{0, 1, 2, 3, 4, 9}, {0, 1, 2, 6, 9}, {0, 5, 6, 9}, {0, 7, 9}, {0, 8, 9}, {0, 9}}
	if fmt.Sprint(all) != fmt.Sprint(wantAll) {
		t.Fatalf("unlimited: %v, want %v", all, wantAll)
	}
	// The limit prunes the search: still the k best among the short paths, not the k best
	// filtered afterwards (which would leave nothing for k = 2 and maxHops = 2).
	for _, c := range []struct {
		hops, k int
		want    [][]int
	}{
		{4, 10, [][]int{{0, 1, 2, 6, 9}, {0, 5, 6, 9}, {0, 7, 9}, {0, 8, 9}, {0, 9}}},
		{3, 2, [][]int{{0, 5, 6, 9}, {0, 7, 9}}},
		{2, 2, [][]int{{0, 7, 9}, {0, 8, 9}}},
		{1, 5, [][]int{{0, 9}}},
	} {
		got := algo.KShortestPaths(g, 0, 9, c.k, c.hops, true, nil)
		if fmt.Sprint(pathNodes(got)) != fmt.Sprint(c.want) {
			t.Errorf("maxHops %d k %d: %v, want %v", c.hops, c.k, pathNodes(got), c.want)
		}
		for _, p := range got {
			checkPath(t, g, p, 0, 9, true, c.hops, nil)
		}
	}
	// Hop counts: the limit applies the same way.
	if got := pathNodes(algo.KShortestPaths(g, 0, 9, 3, 2, false, nil)); fmt.Sprint(got) != "[[0 9] [0 7 9] [0 8 9]]" {
		t.Errorf("unweighted maxHops 2: %v", got)
	}
}

func TestKShortestPathsAllowed(t *testing.T) {
	g := hopGraph()
	noHub := func(v int) bool { return v != 2 && v != 7 }
	got := algo.KShortestPaths(g, 0, 9, 10, 0, true, noHub)
	want := [][]int{{0, 5, 6, 9}, {0, 8, 9}, {0, 9}}
	if fmt.Sprint(pathNodes(got)) != fmt.Sprint(want) {
		t.Fatalf("allowed: %v, want %v", pathNodes(got), want)
	}
	for _, p := range got {
		checkPath(t, g, p, 0, 9, true, 0, noHub)
	}
	if got := algo.KShortestPaths(g, 0, 9, 3, 0, true, func(v int) bool { return v != 9 }); got != nil {
		t.Fatalf("disallowed target: %v", got)
	}
	if got := algo.KShortestPaths(g, 0, 9, 3, 0, true, func(v int) bool { return v != 0 }); got != nil {
		t.Fatalf("disallowed source: %v", got)
	}
	if got := algo.KShortestPaths(g, 3, 3, 3, 0, true, nil); len(got) != 1 || !slices.Equal(got[0].Nodes, []int{3}) || got[0].Length != 0 {
		t.Fatalf("src == dst: %v", got)
	}
	if got := algo.KShortestPaths(g, 9, 0, 3, 0, true, nil); got != nil {
		t.Fatalf("no path: %v", got)
	}
	if got := algo.KShortestPaths(g, 0, 9, 0, 0, true, nil); got != nil {
		t.Fatalf("k = 0: %v", got)
	}
}

func ExampleKShortestPaths() {
	// Mine 0 ships to consumer 4 through refineries 1, 2 and 3; 0->1 exists twice (costs 5 and 2).
	g := algo.NewDigraph(5, []algo.Arc{
		{From: 0, To: 1, Cost: 5}, {From: 0, To: 1, Cost: 2}, {From: 0, To: 2, Cost: 4},
		{From: 1, To: 3, Cost: 1}, {From: 2, To: 3, Cost: 1}, {From: 3, To: 4, Cost: 1},
		{From: 1, To: 4, Cost: 9}, {From: 2, To: 4, Cost: 3},
	})
	for _, p := range algo.KShortestPaths(g, 0, 4, 3, 0, true, nil) {
		fmt.Println(p.Nodes, p.Arcs, p.Length)
	}
	fmt.Println("at most 2 hops, avoiding 1:")
	for _, p := range algo.KShortestPaths(g, 0, 4, 3, 2, false, func(v int) bool { return v != 1 }) {
		fmt.Println(p.Nodes, p.Length)
	}
	// Output:
	// [0 1 3 4] [1 3 5] 4
	// [0 2 3 4] [2 4 5] 6
	// [0 2 4] [2 7] 7
	// at most 2 hops, avoiding 1:
	// [0 2 4] 2
}

var pathBenchSink []algo.Path

func BenchmarkKShortestPaths(b *testing.B) {
	g, _, sources, sink := layered(10000, 1)
	for _, weighted := range []bool{false, true} {
		b.Run(fmt.Sprintf("weighted=%v/k=10", weighted), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pathBenchSink = algo.KShortestPaths(g, sources[0], sink, 10, 0, weighted, nil)
			}
			if len(pathBenchSink) == 0 {
				b.Fatal("no path")
			}
		})
	}
	b.Run("weighted=true/k=10/maxHops=5", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pathBenchSink = algo.KShortestPaths(g, sources[0], sink, 10, 5, true, nil)
		}
	})
}
