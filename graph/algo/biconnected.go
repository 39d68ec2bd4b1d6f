package algo

import "sort"

// ArticulationPoints returns the cut vertices of the undirected view of g, ascending, and for each
// the number of nodes it separates: sep[i] counts the nodes of aps[i]'s component, aps[i] itself
// excluded, outside the largest part that removing aps[i] leaves of that component.
//
// Definition: the undirected view has an edge {u, v} when g has an arc u->v or v->u (parallel and
// opposite arcs give one edge; self-loops are ignored). A node is an articulation point when
// removing it increases the number of connected components. This equals
// sorted(nx.articulation_points(G.to_undirected())).
//
// Algorithm: Hopcroft and Tarjan, "Algorithm 447: efficient algorithms for graph manipulation",
// CACM 16(6) (1973): depth-first search with low points, run iteratively (no recursion). The parts
// that removing v leaves are the depth-first subtrees of v's children c with low[c] >= disc[v] and,
// unless v is the root, the rest of the component; the search counts subtree sizes, so every
// sep[i] follows in O(1) once the component is done. O(N + M) time and memory.
func ArticulationPoints(g *Digraph) (aps, sep []int) {
	aps, sep, _ = lowPoints(g, true, false)
	return aps, sep
}

// Bridges returns the bridges of the undirected view of g as [min, max] node pairs, sorted.
//
// Definition: an edge of the undirected view (see ArticulationPoints) is a bridge when removing
// it increases the number of connected components. Because parallel and opposite arcs collapse to
// one edge, two arcs u->v and v->u never make a bridge redundant. This equals the sorted
// [min, max] pairs of nx.bridges(G.to_undirected()).
//
// Algorithm: Tarjan, "A note on finding the bridges of a graph", Information Processing Letters
// 2(6) (1974): depth-first search with low points, run iteratively. O(N + M) time and memory.
func Bridges(g *Digraph) [][2]int {
	_, _, br := lowPoints(g, false, true)
	return br
}

// undirectedCSR returns the simple undirected view of g: neighbors of v are
// nbr[off[v]:off[v+1]], ascending, without v itself and without repeats.
func undirectedCSR(g *Digraph) (off, nbr []int32) {
	n := g.n
	off = make([]int32, n+1)
	nbr = make([]int32, 0, 2*len(g.arcs))
	for v := 0; v < n; v++ {
		out, in := g.Out(v), g.In(v)
		i, j := 0, 0
		last := int32(-1)
		for i < len(out) || j < len(in) {
			var w int32
			if j >= len(in) || (i < len(out) && g.arcs[out[i]].To <= g.arcs[in[j]].From) {
				w = int32(g.arcs[out[i]].To)
				i++
			} else {
				w = int32(g.arcs[in[j]].From)
				j++
			}
			if w != last && w != int32(v) {
				nbr = append(nbr, w)
				last = w
			}
		}
		off[v+1] = int32(len(nbr))
	}
	return off, nbr
}

// lowPoints runs the depth-first search of ArticulationPoints and Bridges: the articulation points
// with their separated counts when wantAPs, the bridges when wantBridges.
func lowPoints(g *Digraph, wantAPs, wantBridges bool) (aps, sep []int, bridges [][2]int) {
	n := g.n
	off, nbr := undirectedCSR(g)
	disc := make([]int32, n)
	low := make([]int32, n)
	for i := range disc {
		disc[i] = -1
	}
	// size[v]: nodes in v's depth-first subtree; cut[v]: nodes in the subtrees of children that
	// removing v separates, big[v]: the largest of those subtrees.
	size := make([]int32, n)
	cut := make([]int32, n)
	big := make([]int32, n)
	isAP := make([]bool, n)
	sepOf := make([]int32, n)
	var compAPs []int32
	type frame struct{ v, parent, i int32 }
	var stack []frame
	t := int32(0)
	for root := 0; root < n; root++ {
		if disc[root] >= 0 {
			continue
		}
		disc[root], low[root] = t, t
		t++
		rootChildren := 0
		compAPs = compAPs[:0]
		stack = append(stack[:0], frame{int32(root), -1, off[root]})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			v := top.v
			if top.i < off[v+1] {
				w := nbr[top.i]
				top.i++
				if w == top.parent {
					continue
				}
				if disc[w] < 0 {
					disc[w], low[w] = t, t
					t++
					if v == int32(root) {
						rootChildren++
					}
					stack = append(stack, frame{w, v, off[w]})
				} else if disc[w] < low[v] {
					low[v] = disc[w]
				}
				continue
			}
			// v is finished: report to its parent.
			p := top.parent
			stack = stack[:len(stack)-1]
			size[v]++
			if isAP[v] {
				compAPs = append(compAPs, v)
			}
			if p < 0 {
				continue
			}
			size[p] += size[v]
			if low[v] < low[p] {
				low[p] = low[v]
			}
			if low[v] >= disc[p] {
				cut[p] += size[v]
				big[p] = max(big[p], size[v])
				if p != int32(root) {
					isAP[p] = true
				}
			}
			if wantBridges && low[v] > disc[p] {
				a, b := int(p), int(v)
				if a > b {
					a, b = b, a
				}
				bridges = append(bridges, [2]int{a, b})
			}
		}
		if rootChildren >= 2 {
			isAP[root] = true
			compAPs = append(compAPs, int32(root))
		}
		// The parts without v: the separated subtrees and the rest of the component.
		others := size[root] - 1
		for _, v := range compAPs {
			sepOf[v] = others - max(big[v], others-cut[v])
		}
	}
	if wantAPs {
		for v, ok := range isAP {
			if ok {
				aps = append(aps, v)
				sep = append(sep, int(sepOf[v]))
			}
		}
	}
	sort.Slice(bridges, func(i, j int) bool {
		if bridges[i][0] != bridges[j][0] {
			return bridges[i][0] < bridges[j][0]
		}
		return bridges[i][1] < bridges[j][1]
	})
	return aps, sep, bridges
}
