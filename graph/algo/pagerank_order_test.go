package algo

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSCCOrder checks sccOrder on random digraphs with parallel arcs and self-loops against
// reachability: it orders every node once and gives each component as it completes it, its
// components are the strongly connected components, every arc between two goes forward, and inside a component an arc goes backward only where the depth-first search
// met it as a back arc, so that its head reaches its tail by arcs that go forward.
func TestSCCOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for iter := 0; iter < 300; iter++ {
		n := 1 + rng.IntN(40)
		var arcs []Arc
		for j := rng.IntN(3 * n); j > 0; j-- {
			arcs = append(arcs, Arc{From: rng.IntN(n), To: rng.IntN(n)})
		}
		g := NewDigraph(n, arcs)
		in := centSimple(g, false)
		var given [][]int32
		ord, starts := sccOrder(&in, func(comp []int32) { given = append(given, slices.Clone(comp)) })
		if len(ord) != n || starts[0] != 0 || int(starts[len(starts)-1]) != n || len(given) != len(starts)-1 {
			t.Fatalf("graph %d: %d ordered, starts %v, %d components given", iter, len(ord), starts, len(given))
		}
		comp, pos := make([]int, n), make([]int, n)
		for v := range pos {
			pos[v] = -1
		}
		for k := 0; k+1 < len(starts); k++ {
			part := ord[starts[k]:starts[k+1]]
			if len(part) == 0 || !slices.Equal(part, given[k]) {
				t.Fatalf("graph %d: component %d is %v, given %v", iter, k, part, given[k])
			}
			for i, v := range part {
				if pos[v] >= 0 {
					t.Fatalf("graph %d: node %d ordered twice", iter, v)
				}
				pos[v], comp[v] = int(starts[k])+i, k
			}
		}
		// reach[u][v]: a path from u to v, by a search from each node.
		reach := make([][]bool, n)
		for u := range reach {
			reach[u] = make([]bool, n)
			reach[u][u] = true
			stack := []int{u}
			for len(stack) > 0 {
				v := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, a := range g.Out(v) {
					if w := g.Arcs()[a].To; !reach[u][w] {
						reach[u][w] = true
						stack = append(stack, w)
					}
				}
			}
		}
		for u := 0; u < n; u++ {
			for v := 0; v < n; v++ {
				if same := comp[u] == comp[v]; same != (reach[u][v] && reach[v][u]) {
					t.Fatalf("graph %d: nodes %d and %d: same component %v, mutually reachable %v", iter, u, v, same, !same)
				}
			}
		}
		for _, a := range arcs {
			u, v := a.From, a.To
			if comp[u] > comp[v] {
				t.Fatalf("graph %d: arc %d->%d goes back from component %d to %d", iter, u, v, comp[u], comp[v])
			}
			if u == v || comp[u] != comp[v] || pos[u] < pos[v] {
				continue
			}
			// A backward arc inside a component: v must reach u by forward arcs of the component.
			seen := map[int]bool{v: true}
			stack := []int{v}
			for len(stack) > 0 && !seen[u] {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, b := range g.Out(x) {
					if w := g.Arcs()[b].To; comp[w] == comp[x] && pos[w] > pos[x] && !seen[w] {
						seen[w] = true
						stack = append(stack, w)
					}
				}
			}
			if !seen[u] {
				t.Fatalf("graph %d: arc %d->%d goes backward but is no back arc of the search", iter, u, v)
			}
		}
	}
}
