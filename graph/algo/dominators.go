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
	// Postorder by an iterative DFS from root.
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
		order = append(order, top.v)
		stack = stack[:len(stack)-1]
	}

	// Renumber the reachable nodes in reverse postorder (root = 0) and gather their reachable
	// predecessors in that numbering, so the passes below scan memory sequentially.
	nr := len(order)
	rpo := make([]int32, n) // node -> reverse-postorder number, -1 if unreachable
	for v := range rpo {
		rpo[v] = -1
	}
	for k, v := range order {
		rpo[v] = int32(nr - 1 - k)
	}
	predOff := make([]int32, nr+1)
	preds := make([]int32, 0, len(g.arcs))
	for k := 0; k < nr; k++ {
		v := order[nr-1-k]
		for _, ai := range g.In(int(v)) {
			if u := rpo[g.arcs[ai].From]; u >= 0 {
				preds = append(preds, u)
			}
		}
		predOff[k+1] = int32(len(preds))
	}
	// Cooper–Harvey–Kennedy on the numbering: an ancestor in the DFS tree has a smaller number.
	idom := make([]int32, nr)
	for i := range idom {
		idom[i] = -1
	}
	idom[0] = 0
	intersect := func(a, b int32) int32 {
		for a != b {
			for a > b {
				a = idom[a]
			}
			for b > a {
				b = idom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		for k := int32(1); k < int32(nr); k++ {
			nd := int32(-1)
			for _, u := range preds[predOff[k]:predOff[k+1]] {
				if idom[u] < 0 {
					continue // not yet processed
				}
				if nd < 0 {
					nd = u
				} else if nd != u {
					nd = intersect(u, nd)
				}
			}
			if idom[k] != nd {
				idom[k] = nd
				changed = true
			}
		}
	}
	r := make([]int, n)
	for v := range r {
		r[v] = -1
		if k := rpo[v]; k >= 0 {
			r[v] = int(order[nr-1-int(idom[k])])
		}
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
