package algo

import (
	"fmt"
	"math"
	"slices"
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
// row-stochastic link matrix with zero rows at dangling nodes (G. Del Corso, A. Gullí and F.
// Romani, "Fast PageRank computation via a sparse linear system", Internet Mathematics 2(3), 2005;
// A. Langville and C. Meyer, "A reordering for the PageRank problem", SIAM J. Sci. Comput. 27(6),
// 2006). That system is solved by Gauss–Seidel over the strongly connected components (Tarjan 1972)
// in topological order, as the "sccgs" solver of PRPACK (igraph's PageRank) does: each component is
// solved as the search completes it, when its inputs from earlier ones are final; they are summed
// once, so a node on no cycle is solved by one update. A cycle's nodes are swept, on a compact copy
// of the component, in the order the depth-first search finished them, so that only the search's
// back arcs carry values from the previous sweep, until a sweep changes y by less than
// (1-alpha)*n*tol per node of the component: PRPACK's own stop, at its tolerance n*tol (igraph asks
// 1e-10, that is tol = 1e-10/n here). That stop meets NetworkX's criterion with room to spare: the
// linear system's residual left is at most alpha times the last sweeps' change, so the check's
// power step changes the normalised vector by at most 2*alpha*(1-alpha)*n*tol <= n*tol/2 (sum(y) >=
// n). One power step then checks the criterion and gives the vector returned; should rounding make
// it fail, the components are solved again with a 16 times tighter stop. On a supply network,
// acyclic but for a few recycling arcs, that is about one pass over the graph. The search is O(n +
// m), each sweep O(size + arcs) of its component, the check O(n). At least one sweep and one check
// are made; once maxIter iterations are spent without meeting the criterion it returns the last
// vector, its stats and an error wrapping ErrPageRankNotConverged.
func PageRankGS(g *Digraph, alpha, tol float64, maxIter int) ([]float64, PageRankStats, error) {
	n := g.N()
	var st PageRankStats
	if n == 0 {
		return []float64{}, st, nil
	}
	in := centSimple(g, false)
	floats := make([]float64, 4*n)
	// y solves the system; z[v] = y[v]*inv[v] is what v passes on to each out-neighbour; r[v] is
	// the system's residual left at v once its component is solved (0 on no cycle).
	inv, y, z, r := floats[:n], floats[n:2*n], floats[2*n:3*n], floats[3*n:]
	for _, u := range in.adj { // out-degrees, then their inverses
		inv[u]++
	}
	for v := range inv {
		if inv[v] > 0 {
			inv[v] = 1 / inv[v]
		}
		y[v], z[v] = 1, inv[v]
	}
	fn := float64(n)
	budget := (1 - alpha) * fn * tol
	sum, dangling, most := 0.0, 0.0, 1
	// A cycle's component is swept on its own copy, its nodes numbered in the order given: member
	// holds 1 + that number while it is solved, off and adj its arcs inside, c the inputs from
	// earlier components (1 + alpha * their share; final), cy, cz and ci its y, z and inv.
	member := make([]int32, n)
	var off, adj []int32
	var c, cy, cz, ci []float64
	solve := func(comp []int32) {
		if len(comp) == 1 { // a node on no cycle: its inputs are final, one update solves it
			v := comp[0]
			s := 0.0
			for _, u := range in.adj[in.off[v]:in.off[v+1]] {
				s += z[u]
			}
			y[v] = 1 + alpha*s
			z[v] = y[v] * inv[v]
			sum += y[v]
			if inv[v] == 0 {
				dangling += y[v]
			}
			return
		}
		size, arcs := len(comp), 0
		for j, v := range comp {
			member[v] = int32(j) + 1
			arcs += int(in.off[v+1] - in.off[v])
		}
		off, adj = slices.Grow(off[:0], size+1)[:1], slices.Grow(adj[:0], arcs)
		c, cy, cz, ci = slices.Grow(c[:0], size)[:size], slices.Grow(cy[:0], size)[:size], slices.Grow(cz[:0], size)[:size], slices.Grow(ci[:0], size)[:size]
		for j, v := range comp {
			s := 0.0
			for _, u := range in.adj[in.off[v]:in.off[v+1]] {
				if m := member[u]; m > 0 {
					adj = append(adj, m-1)
				} else {
					s += z[u]
				}
			}
			off = append(off, int32(len(adj)))
			c[j], cy[j], cz[j], ci[j] = 1+alpha*s, y[v], z[v], inv[v]
		}
		most = max(most, sweepCycle(off, adj, c, cy, cz, ci, alpha, float64(size)*budget, maxIter-1-st.Iterations))
		for j, v := range comp {
			s := 0.0
			for _, u := range adj[off[j]:off[j+1]] {
				s += cz[u]
			}
			r[v] = c[j] + alpha*s - cy[j]
			y[v], z[v], member[v] = cy[j], cz[j], 0
			sum += cy[j] // no node of a cycle is dangling
		}
	}
	// Rounds: solve the components one after another, upstream first (the first round as the
	// search completes them), then check NetworkX's criterion by one power step; a round that
	// fails the check is followed by one with a tighter stop.
	ord, starts := sccOrder(&in, solve)
	out := make([]float64, n)
	for {
		// NetworkX's step from the normalised vector x = y/sum: the criterion, and the vector
		// returned. What v receives from its in-neighbours is alpha*sum(z) = y[v] - 1 + r[v].
		base := (alpha*dangling/sum + 1 - alpha) / fn
		res := 0.0
		for v := range out {
			out[v] = base + (y[v]-1+r[v])/sum
			res += math.Abs(out[v] - y[v]/sum)
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
		sum, dangling, most = 0, 0, 1
		for k := 0; k+1 < len(starts); k++ {
			solve(ord[starts[k]:starts[k+1]])
		}
	}
}

// sweepCycle sweeps a component by Gauss–Seidel, node j being updated to y[j] = c[j] + alpha *
// the sum of z over its in-neighbours adj[off[j]:off[j+1]] (and z[j] = y[j]*inv[j]), until a
// sweep changes y by less than stop in L1 or limit sweeps are made (at least one). It returns
// the sweeps made.
func sweepCycle(off, adj []int32, c, y, z, inv []float64, alpha, stop float64, limit int) int {
	for sweeps := 1; ; sweeps++ {
		d := 0.0
		for j := range c {
			s := 0.0
			for _, u := range adj[off[j]:off[j+1]] {
				s += z[u]
			}
			ny := c[j] + alpha*s
			d += math.Abs(ny - y[j])
			y[j], z[j] = ny, ny*inv[j]
		}
		if d < stop || sweeps >= limit {
			return sweeps
		}
	}
}

// sccOrder returns the nodes ordered by strongly connected component, the components in a
// topological order of the graph (every arc between two components goes forward), and where each
// component starts in that order (a last entry n closes the last); it calls done with each
// component's part of the order as the component is completed, in that order. Tarjan's
// algorithm, iterative, run on the in-adjacency: it completes a component only after every
// component that reaches it, so its completion order is topological for the arcs. Inside a
// component the nodes come in the order the depth-first search finished them: every arc of the
// search tree, and every arc to a node finished earlier, then goes forward, so only the search's
// back arcs go backward (a Gauss–Seidel sweep in this order uses fresh values on all other arcs).
// O(n + m).
func sccOrder(in *centCSR, done func(comp []int32)) (ord, starts []int32) {
	n := int32(len(in.off) - 1)
	// num[v] is 0 before v is visited, then its DFS number (1..n) until its component is complete,
	// then n+1: above every DFS number, so a complete node never lowers a low link and needs no
	// on-stack flag.
	num := make([]int32, n)
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
		if num[root] != 0 {
			continue
		}
		counter++
		num[root] = counter
		call = append(call[:0], frame{root, in.off[root], counter, 0})
		for len(call) > 0 {
			f := &call[len(call)-1]
			v, k, low := f.v, f.next, f.low
			w := int32(-1) // the first unvisited in-neighbour, if any
			for end := in.off[v+1]; k < end; k++ {
				u := in.adj[k]
				if num[u] == 0 {
					w = u
					k++
					break
				}
				low = min(low, num[u])
			}
			if w >= 0 {
				f.next, f.low = k, low
				counter++
				num[w] = counter
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
			if low != num[v] {
				finished = append(finished, v)
				continue
			}
			lo := len(ord)
			num[v] = n + 1
			for _, w := range finished[base:] {
				num[w] = n + 1
				ord = append(ord, w)
			}
			ord = append(ord, v) // the root finished last
			finished = finished[:base]
			starts = append(starts, int32(len(ord)))
			done(ord[lo:])
		}
	}
	return ord, starts
}
