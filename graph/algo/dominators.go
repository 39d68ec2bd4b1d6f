package algo

// ImmediateDominators returns the immediate dominator of every node for flows starting at root.
//
// Definition: node d dominates v if every path from root to v passes through d; the immediate
// dominator idom[v] is the dominator of v (other than v) that every other such dominator
// dominates, i.e. v's parent in the dominator tree. idom[root] = root and idom[v] = -1 for nodes
// not reachable from root. This equals nx.immediate_dominators(G, root) on the reachable nodes
// (NetworkX 3.6 leaves root and unreachable nodes out of its dict). Parallel arcs and self-loops
// do not matter. To get dominators from a set of sources, build a graph with a super source that
// points to every source and use it as root.
//
// Algorithm: Cooper, Harvey and Kennedy, "A simple, fast dominance algorithm", Software Practice &
// Experience 4 (2001), the same iterative algorithm NetworkX uses: intersect the predecessors'
// dominator-tree paths in reverse postorder until nothing changes. O(N + M) per pass, a few
// passes on supply graphs (O(N·M) worst case); memory O(N). The DFS is iterative.
func ImmediateDominators(g *Digraph, root int) []int {
	n := g.n
	if root < 0 || root >= n {
		panic("algo: ImmediateDominators root out of range")
	}
	// Postorder numbers by an iterative DFS from root.
	po := make([]int32, n)
	for i := range po {
		po[i] = -1
	}
	visited := make([]bool, n)
	order := make([]int32, 0, n) // nodes in postorder
	type frame struct{ v, i int32 }
	stack := []frame{{int32(root), 0}}
	visited[root] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		out := g.Out(int(top.v))
		if int(top.i) < len(out) {
			w := g.arcs[out[top.i]].To
			top.i++
			if !visited[w] {
				visited[w] = true
				stack = append(stack, frame{int32(w), 0})
			}
			continue
		}
		po[top.v] = int32(len(order))
		order = append(order, top.v)
		stack = stack[:len(stack)-1]
	}

	idom := make([]int32, n)
	for i := range idom {
		idom[i] = -1
	}
	idom[root] = int32(root)
	intersect := func(a, b int32) int32 {
		for a != b {
			for po[a] < po[b] {
				a = idom[a]
			}
			for po[b] < po[a] {
				b = idom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		// Reverse postorder, root (last in postorder) excluded.
		for k := len(order) - 2; k >= 0; k-- {
			v := order[k]
			nd := int32(-1)
			for _, ai := range g.In(int(v)) {
				u := int32(g.arcs[ai].From)
				if idom[u] < 0 {
					continue // unreachable or not yet processed
				}
				if nd < 0 {
					nd = u
				} else if nd != u {
					nd = intersect(u, nd)
				}
			}
			if nd >= 0 && idom[v] != nd {
				idom[v] = nd
				changed = true
			}
		}
	}
	r := make([]int, n)
	for v, d := range idom {
		r[v] = int(d)
	}
	return r
}

// Dominators returns every dominator of v given the immediate dominators idom computed by
// ImmediateDominators: the chain v, idom[v], idom[idom[v]], ..., root, starting with v itself and
// ending with the root. It returns nil when v is unreachable (idom[v] < 0). O(depth of v in the
// dominator tree). Definition and reference as for ImmediateDominators.
func Dominators(idom []int, v int) []int {
	if v < 0 || v >= len(idom) || idom[v] < 0 {
		return nil
	}
	chain := []int{v}
	for idom[v] != v {
		v = idom[v]
		chain = append(chain, v)
		if len(chain) > len(idom) {
			panic("algo: Dominators: idom is not a tree")
		}
	}
	return chain
}
