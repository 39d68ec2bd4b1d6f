package algo_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
	"gonum.org/v1/gonum/graph/flow"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
)

// randomPair returns the same random simple digraph as a Digraph and as a gonum graph.
func randomPair(rng *rand.Rand, n int, p float64) (*algo.Digraph, *simple.DirectedGraph) {
	gg := simple.NewDirectedGraph()
	for v := 0; v < n; v++ {
		gg.AddNode(simple.Node(v))
	}
	var arcs []algo.Arc
	for u := 0; u < n; u++ {
		for v := 0; v < n; v++ {
			if u != v && rng.Float64() < p {
				arcs = append(arcs, algo.Arc{From: u, To: v, Cap: 1, Cost: 1})
				gg.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
			}
		}
	}
	return algo.NewDigraph(n, arcs), gg
}

// TestAgainstGonum cross-checks the CSR implementations with gonum's, a second trusted peer
// beside NetworkX: immediate dominators (Lengauer–Tarjan in gonum) and the lengths of Yen's k
// shortest paths, on seeded random digraphs.
func TestAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 200; trial++ {
		n := 3 + rng.IntN(30)
		g, gg := randomPair(rng, n, 0.05+0.2*rng.Float64())
		root := rng.IntN(n)
		idom := algo.ImmediateDominators(g, root)
		tree := flow.Dominators(simple.Node(root), gg)
		for v := 0; v < n; v++ {
			want := -1
			if v == root {
				want = root
			} else if d := tree.DominatorOf(int64(v)); d != nil {
				want = int(d.ID())
			}
			if idom[v] != want {
				t.Fatalf("trial %d: idom[%d] = %d, gonum says %d", trial, v, idom[v], want)
			}
		}
		src, dst := rng.IntN(n), rng.IntN(n)
		if src == dst {
			continue
		}
		k := 1 + rng.IntN(6)
		ours := algo.KShortestPaths(g, src, dst, k, 0, false, nil)
		theirs := path.YenKShortestPaths(gg, k, math.Inf(1), simple.Node(src), simple.Node(dst))
		if len(ours) != len(theirs) {
			t.Fatalf("trial %d: %d paths, gonum finds %d", trial, len(ours), len(theirs))
		}
		for i := range ours {
			if int(ours[i].Length) != len(theirs[i])-1 {
				t.Fatalf("trial %d: path %d has %v hops, gonum's %d", trial, i, ours[i].Length, len(theirs[i])-1)
			}
		}
	}
}
