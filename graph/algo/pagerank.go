package algo

import (
	"fmt"
	"math"
)

// PageRankStats reports how a PageRank computation ended.
type PageRankStats struct {
	// Iterations counts, for each round of PageRankGS, the sweeps of the component that took
	// most (at least one; a node on no cycle is solved by one update) and the power step that
	// checks the round. One round suffices unless rounding defeats the check.
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
// a component's inputs from earlier ones are final when it is reached and are summed once, so a
// node on no cycle is solved by one update. A cycle's nodes are swept in the order the
// depth-first search finished them, so that only the search's back arcs carry values from the
// previous sweep, until a sweep changes y by less than (1-alpha)*n*tol per node of the
// component: PRPACK's own stop, at its tolerance n*tol (igraph asks 1e-10, that is tol =
// 1e-10/n here). That stop meets NetworkX's criterion with room to spare: the linear system's
// residual left is at most alpha times the last sweeps' change, so the check's power step
// changes the normalised vector by at most 2*alpha*(1-alpha)*n*tol <= n*tol/2 (sum(y) >= n). One
// power step then checks the criterion and gives the vector returned; should rounding make it
// fail, the components are solved again with a 16 times tighter stop. On a supply network,
// acyclic but for a few recycling arcs, that is about one pass over the graph. The ordering is
// O(n + m), each sweep O(size + arcs) of its component. At least one sweep and one check are
// made; once maxIter iterations are spent without meeting the criterion it returns the last
// vector, its stats and an error wrapping ErrPageRankNotConverged.
func PageRankGS(g *Digraph, alpha, tol float64, maxIter int) ([]float64, PageRankStats, error) {
	n := g.N()
	var st PageRankStats
	if n == 0 {
		return []float64{}, st, nil
	}
	in := centSimple(g, false)
	ord, starts, pos := sccOrder(&in)
	// Relabel by the order, node i here being ord[i], so that a sweep runs through memory in
	// order. Node i's in-neighbours in earlier components come first, adj[off[i]:mid[i]], then
	// those in its own, adj[mid[i]:off[i+1]] (none for a node on no cycle). inv counts the
	// out-degrees first.
	ints := make([]int32, 2*n+1+len(in.adj))
	off, mid, adj := ints[:n+1], ints[n+1:2*n+1], ints[2*n+1:]
	floats := make([]float64, 4*n)
	inv, y, z, c := floats[:n], floats[n:2*n], floats[2*n:3*n], floats[3*n:]
	p := int32(0)
	for k := 0; k+1 < len(starts); k++ {
		lo, hi := starts[k], starts[k+1]
		for i := lo; i < hi; i++ {
			v := ord[i]
			nb := in.adj[in.off[v]:in.off[v+1]]
			off[i] = p
			for _, u := range nb {
				if l := pos[u]; l < lo {
					adj[p] = l
					inv[l]++
					p++
				}
			}
			mid[i] = p
			if hi-lo == 1 {
				continue
			}
			for _, u := range nb {
				if l := pos[u]; l >= lo {
					adj[p] = l
					inv[l]++
					p++
				}
			}
		}
	}
	off[n] = p
	for i := range inv {
		if inv[i] > 0 {
			inv[i] = 1 / inv[i]
		}
		y[i], z[i] = 1, inv[i] // z[i] = y[i]*inv[i], what i passes on to each out-neighbour
	}
	fn := float64(n)
	out := make([]float64, n)
	// Rounds: solve the components one after another, upstream first, then check NetworkX's
	// criterion by one power step; a round that fails the check is followed by one with a
	// tighter stop.
	budget := (1 - alpha) * fn * tol
	for {
		sum, dangling, most := 0.0, 0.0, 1
		for k := 0; k+1 < len(starts); k++ {
			lo, hi := int(starts[k]), int(starts[k+1])
			// The inputs from earlier components are final: c[i] = 1 + alpha * their share.
			for i := lo; i < hi; i++ {
				s := 0.0
				for _, u := range adj[off[i]:mid[i]] {
					s += z[u]
				}
				c[i] = 1 + alpha*s
			}
			if hi-lo == 1 { // a node on no cycle: solved
				y[lo], z[lo] = c[lo], c[lo]*inv[lo]
			} else {
				for sweeps := 1; ; sweeps++ {
					d := 0.0
					for i := lo; i < hi; i++ {
						s := 0.0
						for _, u := range adj[mid[i]:off[i+1]] {
							s += z[u]
						}
						ny := c[i] + alpha*s
						d += math.Abs(ny - y[i])
						y[i], z[i] = ny, ny*inv[i]
					}
					most = max(most, sweeps)
					if d < float64(hi-lo)*budget || st.Iterations+sweeps >= maxIter-1 {
						break
					}
				}
			}
			for i := lo; i < hi; i++ {
				sum += y[i]
				if inv[i] == 0 {
					dangling += y[i]
				}
			}
		}
		// NetworkX's step from the normalised vector x = y/sum: the criterion, and the vector
		// returned. The share from earlier components is alpha*sum(z)/sum = (c[i]-1)/sum.
		base := (alpha*dangling/sum + 1 - alpha) / fn
		res := 0.0
		for i := 0; i < n; i++ {
			s := 0.0
			for _, u := range adj[mid[i]:off[i+1]] {
				s += z[u]
			}
			next := base + (c[i]-1+alpha*s)/sum
			res += math.Abs(next - y[i]/sum)
			out[ord[i]] = next
		}
		st.Iterations += most + 1
		st.Residual = res
		if res < fn*tol {
			return out, st, nil
		}
		if st.Iterations+2 > maxIter { // no room for a sweep and a check
			return out, st, fmt.Errorf("%w in %d iterations", ErrPageRankNotConverged, maxIter)
		}
		budget /= 16
	}
}

// sccOrder returns the nodes ordered by strongly connected component, the components in a
// topological order of the graph (every arc between two components goes forward), where each
// component starts in that order (a last entry n closes the last), and each node's position in
// the order. Tarjan's algorithm, iterative, run on the in-adjacency: it completes a component
// only after every component that reaches it, so its completion order is topological for the
// arcs. Inside a component the nodes come in the order the depth-first search finished them:
// every arc of the search tree, and every arc to a node finished earlier, then goes forward, so
// only the search's back arcs go backward (a Gauss–Seidel sweep in this order uses fresh values
// on all other arcs). O(n + m).
func sccOrder(in *centCSR) (ord, starts, pos []int32) {
	n := int32(len(in.off) - 1)
	// pos[v] is 0 before v is visited, its DFS number (1..n) until its component is complete,
	// then n+1 plus its position: above every DFS number, so a complete node never lowers a low
	// link and needs no on-stack flag.
	pos = make([]int32, n)
	// finished holds the nodes whose search is over and whose component is not complete, in the
	// order they finished; a component is the part pushed since its root was reached.
	finished := make([]int32, 0, n)
	ord = make([]int32, 0, n)
	starts = append(make([]int32, 0, n+1), 0)
	// A frame of the search: node v, its next in-arc, its low link, and the length of finished
	// when v was reached.
	type frame struct{ v, next, low, base int32 }
	var call []frame
	counter := int32(0)
	for root := int32(0); root < n; root++ {
		if pos[root] != 0 {
			continue
		}
		counter++
		pos[root] = counter
		call = append(call[:0], frame{root, in.off[root], counter, 0})
		for len(call) > 0 {
			f := &call[len(call)-1]
			v, k, low := f.v, f.next, f.low
			w := int32(-1) // the first unvisited in-neighbour, if any
			for end := in.off[v+1]; k < end; k++ {
				u := in.adj[k]
				if pos[u] == 0 {
					w = u
					k++
					break
				}
				low = min(low, pos[u])
			}
			if w >= 0 {
				f.next, f.low = k, low
				counter++
				pos[w] = counter
				call = append(call, frame{w, in.off[w], counter, int32(len(finished))})
				continue
			}
			base := f.base
			call = call[:len(call)-1]
			if len(call) > 0 {
				if p := &call[len(call)-1]; low < p.low {
					p.low = low
				}
			}
			finished = append(finished, v)
			if low == pos[v] {
				for _, w := range finished[base:] {
					pos[w] = n + 1 + int32(len(ord))
					ord = append(ord, w)
				}
				finished = finished[:base]
				starts = append(starts, int32(len(ord)))
			}
		}
	}
	for v := range pos {
		pos[v] -= n + 1
	}
	return ord, starts, pos
}
