package algo

import (
	"fmt"
	"math"
)

// PageRankStats reports how a PageRank computation ended.
type PageRankStats struct {
	// Iterations counts the sweeps of the component that took most (every component is swept
	// at least once; a single node is solved by one) plus the whole-graph sweeps and power steps
	// after them.
	Iterations int `json:"iterations"`
	// Residual is NetworkX's convergence measure at the end: the L1 norm of the change made by
	// the last power-iteration step, which produced the returned vector.
	Residual float64 `json:"residual"`
}

// PageRankGS returns the same PageRank vector as PageRank and NetworkX's pagerank(G, alpha,
// tol=tol): the stationary distribution of the random surfer on the simple digraph (parallel arcs
// collapsed, self-loops ignored) who follows a uniformly chosen out-arc with probability alpha and
// otherwise, or always at a node without out-arcs, jumps to a uniformly chosen node. It stops on
// NetworkX's criterion: the returned vector is one power-iteration step applied to a vector it
// differs from by less than n*tol in L1 (Residual in the stats), the accuracy NetworkX's own
// iteration delivers at that tol.
//
// Method: with uniform teleportation and uniform dangling jumps the PageRank vector is the
// normalised solution y/sum(y) of the sparse linear system y = 1 + alpha * M^T y, M the
// row-stochastic link matrix with zero rows at dangling nodes (G. Del Corso, A. Gullí and
// F. Romani, "Fast PageRank computation via a sparse linear system", Internet Mathematics 2(3),
// 2005; A. Langville and C. Meyer, "A reordering for the PageRank problem", SIAM J. Sci. Comput.
// 27(6), 2006). That system is solved by Gauss–Seidel over the strongly connected components
// (Tarjan 1972) in topological order, as the "sccgs" solver of PRPACK (igraph's PageRank) does:
// a component's inputs from earlier ones are final when it is reached, so a node on no cycle is
// solved by one update, and a cycle is swept until its change is well under its share of n*tol.
// On a supply network, acyclic but for a few recycling arcs, that is about one pass over the
// graph. A power step then checks NetworkX's criterion; if it fails, whole-graph sweeps and checks
// alternate until it holds. The ordering is O(n + m) once, each pass O(n + m). After maxIter
// iterations without meeting the criterion it returns the last vector, its stats and an error
// wrapping ErrPageRankNotConverged.
func PageRankGS(g *Digraph, alpha, tol float64, maxIter int) ([]float64, PageRankStats, error) {
	n := g.N()
	var st PageRankStats
	if n == 0 {
		return []float64{}, st, nil
	}
	in := centSimple(g, false)
	ord, starts := sccOrder(&in)
	// Relabel by the order: node i here is ord[i]; in-neighbours mostly precede, so a sweep runs
	// through memory in order.
	ints := make([]int32, 2*n+1+len(in.adj))
	label, off, adj := ints[:n], ints[n:2*n+1], ints[2*n+1:]
	for i, v := range ord {
		label[v] = int32(i)
	}
	outdeg := in.listed()
	floats := make([]float64, 6*n)
	inv, y, z := floats[:n], floats[n:2*n], floats[2*n:3*n] // z[i] = y[i]*inv[i], what i passes on
	x, xs, next := floats[3*n:4*n], floats[4*n:5*n], floats[5*n:]
	for i, v := range ord {
		lo, hi := in.off[v], in.off[v+1]
		off[i+1] = off[i] + (hi - lo)
		for k, u := range in.adj[lo:hi] {
			adj[int(off[i])+k] = label[u]
		}
		if d := outdeg[v]; d > 0 {
			inv[i] = 1 / float64(d)
		}
	}
	fn := float64(n)
	for i := range y {
		y[i] = 1
		z[i] = inv[i]
	}
	// sweep updates nodes lo..hi-1 once and returns the L1 change.
	sweep := func(lo, hi int) float64 {
		delta := 0.0
		for i := lo; i < hi; i++ {
			s := 0.0
			for _, u := range adj[off[i]:off[i+1]] {
				s += z[u]
			}
			ny := 1 + alpha*s
			delta += math.Abs(ny - y[i])
			y[i], z[i] = ny, ny*inv[i]
		}
		return delta
	}
	// First the components one after another, upstream first: a component's inputs from earlier
	// ones are final, so a single node is solved by one update and a cycle is swept until its
	// change is well under its share of the tolerance (sum(y) >= n, so a change of d in y is at
	// most d/n in the normalised vector).
	sweeps := 1
	for c := 0; c+1 < len(starts); c++ {
		lo, hi := int(starts[c]), int(starts[c+1])
		if hi-lo == 1 { // a node on no cycle: its inputs are final
			s := 0.0
			for _, u := range adj[off[lo]:off[lo+1]] {
				s += z[u]
			}
			y[lo] = 1 + alpha*s
			z[lo] = y[lo] * inv[lo]
			continue
		}
		budget := 0.01 * float64(hi-lo) * tol * fn
		for k := 1; ; k++ {
			d := sweep(lo, hi)
			sweeps = max(sweeps, k)
			if d < budget || k >= maxIter-1 {
				break
			}
		}
	}
	st.Iterations = sweeps
	check := true
	for st.Iterations < maxIter {
		if !check && st.Iterations < maxIter-1 { // the last pass allowed is always a check
			sum := 0.0
			for _, v := range y {
				sum += v
			}
			st.Iterations++
			check = sweep(0, n)/sum < fn*tol
			continue
		}
		// NetworkX's step from the normalised vector: the criterion, and the vector returned.
		sum := 0.0
		for _, v := range y {
			sum += v
		}
		dangling := 0.0
		for i := range x {
			x[i] = y[i] / sum
			xs[i] = x[i] * inv[i]
			if inv[i] == 0 {
				dangling += x[i]
			}
		}
		base := alpha*dangling/fn + (1-alpha)/fn
		res := 0.0
		for i := range next {
			s := 0.0
			for _, u := range adj[off[i]:off[i+1]] {
				s += xs[u]
			}
			next[i] = base + alpha*s
			res += math.Abs(next[i] - x[i])
		}
		st.Iterations++
		st.Residual = res
		if res < fn*tol {
			return unlabel(next, ord), st, nil
		}
		check = false
	}
	return unlabel(next, ord), st, fmt.Errorf("%w in %d iterations", ErrPageRankNotConverged, maxIter)
}

// unlabel maps values indexed by position in ord back to node indices.
func unlabel(vals []float64, ord []int32) []float64 {
	out := make([]float64, len(vals))
	for i, v := range ord {
		out[v] = vals[i]
	}
	return out
}

// sccOrder returns the nodes ordered by strongly connected component, the components in a
// topological order of the graph (every arc between two components goes forward), and where each
// component starts in that order (a last entry n closes the last). Tarjan's
// algorithm, iterative, run on the in-adjacency: it completes a component only after every
// component that reaches it, so its completion order is topological for the arcs. O(n + m).
func sccOrder(in *centCSR) ([]int32, []int32) {
	n := len(in.off) - 1
	index := make([]int32, n) // DFS number + 1; 0: unvisited
	low := make([]int32, n)
	onStack := make([]bool, n)
	stack := make([]int32, 0, n)
	ord := make([]int32, 0, n)
	starts := append(make([]int32, 0, n+1), 0)
	type frame struct{ v, next int32 }
	var call []frame
	counter := int32(0)
	for root := 0; root < n; root++ {
		if index[root] != 0 {
			continue
		}
		counter++
		index[root], low[root] = counter, counter
		stack = append(stack, int32(root))
		onStack[root] = true
		call = append(call[:0], frame{int32(root), in.off[root]})
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if f.next < in.off[v+1] {
				w := in.adj[f.next]
				f.next++
				if index[w] == 0 {
					counter++
					index[w], low[w] = counter, counter
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, in.off[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				if p := call[len(call)-1].v; low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					ord = append(ord, w)
					if w == v {
						break
					}
				}
				starts = append(starts, int32(len(ord)))
			}
		}
	}
	return ord, starts
}
