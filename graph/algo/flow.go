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
// from the super source, so this is the minimum cut closest to the sources (nx.minimum_cut
// partitions by what can still reach the sink, the cut closest to the sink; when minimum cuts are
// not unique the two differ, with the same value). CutArcs and CutNodes are the arcs and split arcs leaving R. Removing them
// disconnects every source from the sink, and their capacities sum to Value (max-flow min-cut).
//
// Algorithm: Dinic's blocking flows, "Algorithm for solution of a problem of maximum flow in a
// network with power estimation", Soviet Math. Doklady 11 (1970), with levels taken as residual
// distances to the sink (a backward BFS that stops at the super source, cheap when the sources are
// many and the sink is one), current-arc pointers and an iterative augmenting search (no
// recursion). O(V^2 E) in general, O(E sqrt(V)) on unit networks; memory O(V + E) for V = 2N+1
// split nodes and E = N + M + |sources| arcs.
func MaxFlow(g *Digraph, nodeCap []float64, sources []int, sink int) FlowResult {
	r, _ := maxFlow(g, nodeCap, sources, sink)
	return r
}

// residual is the split network of MaxFlow with its residual capacities. Node v of the Digraph
// is v_in = 2v and v_out = 2v+1; the super source is S = 2n and the target T = 2*sink+1. Pair p
// (p < n: split arc of node p; n <= p < n+m: original arc p-n; then the super-source arcs to
// srcs) is a forward residual edge and its reverse. Edges are laid out in adjacency order: the
// edges leaving split node u are positions off[u]..off[u+1]-1, rev[e] is e's partner and fwd[p]
// the forward edge of pair p. The flow on pair p is res[rev[fwd[p]]].
type residual struct {
	n, m, nv int
	S, T     int32
	off, to  []int32
	rev, fwd []int32
	res      []float64
}

// maxFlow runs MaxFlow and returns its residual network too (nil when the flow is unbounded).
func maxFlow(g *Digraph, nodeCap []float64, sources []int, sink int) (FlowResult, *residual) {
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

	nv := 2*n + 1
	S, T := 2*n, 2*sink+1
	np := n + m + len(srcs)
	pairEnds := func(p int) (int, int, float64) {
		switch {
		case p < n:
			return 2 * p, 2*p + 1, ncap(p)
		case p < n+m:
			a := arcs[p-n]
			return 2*a.From + 1, 2 * a.To, clampCap(a.Cap)
		default:
			return S, 2 * srcs[p-n-m], math.Inf(1)
		}
	}
	off := make([]int32, nv+1)
	for p := 0; p < np; p++ {
		u, v, _ := pairEnds(p)
		off[u+1]++
		off[v+1]++
	}
	for v := 0; v < nv; v++ {
		off[v+1] += off[v]
	}
	ne := 2 * np
	to := make([]int32, ne)
	rev := make([]int32, ne)
	res := make([]float64, ne)
	fwd := make([]int32, np)
	next := append([]int32(nil), off[:nv]...)
	for p := 0; p < np; p++ {
		u, v, c := pairEnds(p)
		e, r := next[u], next[v]
		next[u]++
		next[v]++
		to[e], to[r] = int32(v), int32(u)
		rev[e], rev[r] = r, e
		res[e] = c
		fwd[p] = e
	}
	next = nil

	// Unboundedness: is T reachable from S over infinite-capacity edges only? Before any flow
	// only forward edges have positive (here infinite) residual capacity.
	if reachesOver(S, T, off, to, func(e int32) bool { return math.IsInf(res[e], 1) }) {
		return FlowResult{Value: math.Inf(1)}, nil
	}

	level := make([]int32, nv)
	queue := make([]int32, 0, nv)
	cur := make([]int32, nv)
	pathE := make([]int32, 0, 64)
	value := 0.0
	for {
		// Levels: BFS distances to T in the residual network, computed backward from T until S is
		// labeled (cheaper than a forward BFS when sources are many and the sink is one).
		for i := range level {
			level[i] = -1
		}
		level[T] = 0
		queue = append(queue[:0], int32(T))
		for qi := 0; qi < len(queue) && level[S] < 0; qi++ {
			w := queue[qi]
			lw := level[w] + 1
			for e := off[w]; e < off[w+1]; e++ {
				if u := to[e]; level[u] < 0 && res[rev[e]] > 0 {
					level[u] = lw
					queue = append(queue, u)
				}
			}
		}
		if level[S] < 0 {
			break
		}
		copy(cur, off[:nv])
		// Blocking flow by repeated augmenting searches along edges that get one step closer to T.
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
					res[rev[e]] += b
					if cut < 0 && res[e] <= 0 {
						res[e] = 0
						cut = i
					}
				}
				// Continue from the tail of the first saturated edge.
				u = to[rev[pathE[cut]]]
				pathE = pathE[:cut]
				continue
			}
			advanced := false
			for lw, end := level[u]-1, off[u+1]; cur[u] < end; cur[u]++ {
				e := cur[u]
				if res[e] > 0 && level[to[e]] == lw {
					pathE = append(pathE, e)
					u = to[e]
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
			u = to[rev[last]]
			cur[u]++
		}
	}

	// Minimum cut: split nodes reachable from S in the residual network.
	seen := make([]bool, nv)
	seen[S] = true
	queue = append(queue[:0], int32(S))
	for qi := 0; qi < len(queue); qi++ {
		u := queue[qi]
		for e := off[u]; e < off[u+1]; e++ {
			if w := to[e]; !seen[w] && res[e] > 0 {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	r := FlowResult{Value: value, Flow: make([]float64, m), Through: make([]float64, n), Reachable: make([]bool, n)}
	for v := 0; v < n; v++ {
		r.Through[v] = res[rev[fwd[v]]]
		r.Reachable[v] = seen[2*v]
		if seen[2*v] && !seen[2*v+1] {
			r.CutNodes = append(r.CutNodes, v)
		}
	}
	for i, a := range arcs {
		r.Flow[i] = res[rev[fwd[n+i]]]
		if seen[2*a.From+1] && !seen[2*a.To] {
			r.CutArcs = append(r.CutArcs, i)
		}
	}
	return r, &residual{n: n, m: m, nv: nv, S: int32(S), T: int32(T), off: off, to: to, rev: rev, fwd: fwd, res: res}
}

// clampCap maps negative and NaN capacities to 0.
func clampCap(c float64) float64 {
	if c > 0 {
		return c
	}
	return 0
}

// reachesOver reports whether t is reachable from s over residual edges e with ok(e).
func reachesOver(s, t int, off, to []int32, ok func(int32) bool) bool {
	seen := make([]bool, len(off)-1)
	stack := []int32{int32(s)}
	seen[s] = true
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int(u) == t {
			return true
		}
		for e := off[u]; e < off[u+1]; e++ {
			if w := to[e]; !seen[w] && ok(e) {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return false
}
