package algo

import (
	"math"
	"sort"
)

// FlowResult is a maximum flow and a minimum cut found by MaxFlow.
type FlowResult struct {
	// Value is the maximum flow value; math.Inf(1) when the flow is unbounded.
	Value float64
	// Flow[i] is the flow on arc i of the graph (an index into Digraph.Arcs). Nil when Value is infinite.
	Flow []float64
	// Through[v] is the flow through node v: what enters v from its in-arcs, plus what v emits as
	// a source. Nil when Value is infinite.
	Through []float64
	// Reachable[v] reports whether the entry side of v (v_in of the split network) is reachable from
	// the sources in the final residual network; the source side of the minimum cut. Nil when Value
	// is infinite.
	Reachable []bool
	// CutArcs are the arcs of the minimum cut, ascending: arc u->v with u_out reachable and v_in not.
	// Every such arc is saturated.
	CutArcs []int
	// CutNodes are the nodes of the minimum cut, ascending: node v with v_in reachable and v_out not,
	// so that v's node capacity is saturated.
	CutNodes []int
}

// MaxFlow computes a maximum flow from the set sources to sink and a minimum cut.
//
// Definition: arc i carries at most Arcs()[i].Cap; node v passes at most nodeCap[v] (math.Inf(1)
// for no bound; a nil or short nodeCap leaves the missing nodes unbounded). The node capacity bounds
// everything flowing through v, sources' outflow and the sink's inflow included: every node v is
// split into v_in -> v_out with capacity nodeCap[v], arc u->v becomes u_out -> v_in, a super source
// feeds every s_in through an unbounded arc, and the flow is measured into sink_out. This is the
// network that scripts/nxref_flow.py hands to nx.maximum_flow_value and nx.minimum_cut (where
// parallel arcs are merged with summed capacities; here they stay separate, with the same value).
// Negative or NaN capacities count as 0. A sink that is also a source receives up to its node
// capacity directly.
//
// Unbounded flow: if some source reaches the sink along a path whose arcs and nodes are all
// unbounded, the maximum flow is infinite; MaxFlow then returns Value = math.Inf(1) and nil flows
// and cut (NetworkX raises NetworkXUnbounded). Otherwise infinite capacities are used as such:
// every augmenting path has a finite bottleneck.
//
// The minimum cut is read from the final residual network: R is the set of split nodes reachable
// from the super source. CutArcs and CutNodes are the arcs and split arcs leaving R. Removing them
// disconnects every source from the sink, and their capacities sum to Value (max-flow min-cut).
//
// Algorithm: Dinic's blocking flows, "Algorithm for solution of a problem of maximum flow in a
// network with power estimation", Soviet Math. Doklady 11 (1970), with current-arc pointers and
// an iterative augmenting search (no recursion). O(V^2 E) in general, O(E sqrt(V)) on unit
// networks; memory O(V + E) for V = 2N+1 split nodes and E = N + M + |sources| arcs.
func MaxFlow(g *Digraph, nodeCap []float64, sources []int, sink int) FlowResult {
	n := g.n
	if sink < 0 || sink >= n {
		panic("algo: MaxFlow sink out of range")
	}
	arcs := g.arcs
	m := len(arcs)
	// Deduplicate sources.
	srcSeen := make([]bool, n)
	var srcs []int
	for _, s := range sources {
		if s < 0 || s >= n {
			panic("algo: MaxFlow source out of range")
		}
		if !srcSeen[s] {
			srcSeen[s] = true
			srcs = append(srcs, s)
		}
	}
	sort.Ints(srcs)
	ncap := func(v int) float64 {
		if v < len(nodeCap) {
			return clampCap(nodeCap[v])
		}
		return math.Inf(1)
	}

	// Split network: v_in = 2v, v_out = 2v+1, super source S = 2n, target T = 2*sink+1.
	// Residual edges come in pairs e, e^1. Edge 2*i (i < n) is the split arc of node i; edge
	// 2*(n+i) is original arc i; edge 2*(n+m+j) is the super-source arc to srcs[j].
	nv := 2*n + 1
	S, T := 2*n, 2*sink+1
	ne := 2 * (n + m + len(srcs))
	to := make([]int32, ne)
	res := make([]float64, ne)
	capOf := make([]float64, ne/2)
	addPair := func(e, u, v int, c float64) {
		to[e], to[e^1] = int32(v), int32(u)
		res[e], res[e^1] = c, 0
		capOf[e/2] = c
	}
	from := make([]int32, ne)
	for v := 0; v < n; v++ {
		addPair(2*v, 2*v, 2*v+1, ncap(v))
		from[2*v], from[2*v+1] = int32(2*v), int32(2*v+1)
	}
	for i, a := range arcs {
		e := 2 * (n + i)
		addPair(e, 2*a.From+1, 2*a.To, clampCap(a.Cap))
		from[e], from[e+1] = int32(2*a.From+1), int32(2*a.To)
	}
	for j, s := range srcs {
		e := 2 * (n + m + j)
		addPair(e, S, 2*s, math.Inf(1))
		from[e], from[e+1] = int32(S), int32(2*s)
	}
	// CSR adjacency of the residual network.
	off := make([]int32, nv+1)
	for e := 0; e < ne; e++ {
		off[from[e]+1]++
	}
	for v := 0; v < nv; v++ {
		off[v+1] += off[v]
	}
	adj := make([]int32, ne)
	next := append([]int32(nil), off[:nv]...)
	for e := 0; e < ne; e++ {
		adj[next[from[e]]] = int32(e)
		next[from[e]]++
	}
	from = nil

	// Unboundedness: is T reachable from S over infinite-capacity edges only?
	if reachesOver(S, T, off, adj, to, func(e int32) bool { return e&1 == 0 && math.IsInf(res[e], 1) }) {
		return FlowResult{Value: math.Inf(1)}
	}

	level := make([]int32, nv)
	queue := make([]int32, 0, nv)
	cur := make([]int32, nv)
	pathE := make([]int32, 0, 64)
	value := 0.0
	for {
		// BFS levels from S in the residual network.
		for i := range level {
			level[i] = -1
		}
		level[S] = 0
		queue = append(queue[:0], int32(S))
		for qi := 0; qi < len(queue) && level[T] < 0; qi++ {
			u := queue[qi]
			for _, e := range adj[off[u]:off[u+1]] {
				w := to[e]
				if level[w] < 0 && res[e] > 0 {
					level[w] = level[u] + 1
					queue = append(queue, w)
				}
			}
		}
		if level[T] < 0 {
			break
		}
		copy(cur, off[:nv])
		// Blocking flow by repeated augmenting searches along level-increasing edges.
		pathE = pathE[:0]
		u := int32(S)
		for {
			if u == int32(T) {
				b := math.Inf(1)
				for _, e := range pathE {
					b = math.Min(b, res[e])
				}
				value += b
				cut := -1
				for i, e := range pathE {
					res[e] -= b
					res[e^1] += b
					if cut < 0 && res[e] <= 0 {
						res[e] = 0
						cut = i
					}
				}
				// Continue from the tail of the first saturated edge.
				u = to[pathE[cut]^1]
				pathE = pathE[:cut]
				continue
			}
			advanced := false
			for ; cur[u] < off[u+1]; cur[u]++ {
				e := adj[cur[u]]
				w := to[e]
				if res[e] > 0 && level[w] == level[u]+1 {
					pathE = append(pathE, e)
					u = w
					advanced = true
					break
				}
			}
			if advanced {
				continue
			}
			// Dead end: retreat.
			if u == int32(S) {
				break
			}
			level[u] = -1
			last := pathE[len(pathE)-1]
			pathE = pathE[:len(pathE)-1]
			u = to[last^1]
			cur[u]++
		}
	}

	// Minimum cut: split nodes reachable from S in the residual network.
	seen := make([]bool, nv)
	seen[S] = true
	queue = append(queue[:0], int32(S))
	for qi := 0; qi < len(queue); qi++ {
		u := queue[qi]
		for _, e := range adj[off[u]:off[u+1]] {
			if w := to[e]; !seen[w] && res[e] > 0 {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	r := FlowResult{Value: value, Flow: make([]float64, m), Through: make([]float64, n), Reachable: make([]bool, n)}
	for v := 0; v < n; v++ {
		r.Through[v] = res[2*v+1]
		r.Reachable[v] = seen[2*v]
		if seen[2*v] && !seen[2*v+1] {
			r.CutNodes = append(r.CutNodes, v)
		}
	}
	for i, a := range arcs {
		r.Flow[i] = res[2*(n+i)+1]
		if seen[2*a.From+1] && !seen[2*a.To] {
			r.CutArcs = append(r.CutArcs, i)
		}
	}
	return r
}

// clampCap maps negative and NaN capacities to 0.
func clampCap(c float64) float64 {
	if c > 0 {
		return c
	}
	return 0
}

// reachesOver reports whether t is reachable from s over residual edges e with ok(e).
func reachesOver(s, t int, off, adj, to []int32, ok func(int32) bool) bool {
	seen := make([]bool, len(off)-1)
	stack := []int32{int32(s)}
	seen[s] = true
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int(u) == t {
			return true
		}
		for _, e := range adj[off[u]:off[u+1]] {
			if w := to[e]; !seen[w] && ok(e) {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return false
}
