package algo

// Centrality measures, each defined exactly as NetworkX 3 defines it on an nx.DiGraph built from the
// Digraph's arcs: parallel arcs are collapsed into one arc and self-loops are ignored (dropped
// before computing; NetworkX would count a self-loop in degree and PageRank, so the reference
// script removes them too). Arc capacities and costs are not used: every measure here is unweighted.
//
// gonum's graph/network package has Betweenness and PageRank, but it walks map-based graphs through
// interfaces and returns maps keyed by int64 IDs, which is far too slow and large for projections
// of 100k nodes. The measures here run on int32 compressed-sparse-row adjacency of the collapsed
// simple graph, reuse per-worker buffers, and split the per-source work over runtime.GOMAXPROCS
// goroutines.

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// centCSR is the compressed-sparse-row adjacency of the simple digraph behind a Digraph, in one
// direction: the neighbours of v are adj[off[v]:off[v+1]], ascending, without repeats or v itself.
type centCSR struct {
	off []int32
	adj []int32
}

func (c *centCSR) deg(v int) int { return int(c.off[v+1] - c.off[v]) }

// listed returns how often each node appears in the adjacency lists: the out-degrees for an
// in-adjacency, the in-degrees for an out-adjacency.
func (c *centCSR) listed() []int32 {
	d := make([]int32, len(c.off)-1)
	for _, u := range c.adj {
		d[u]++
	}
	return d
}

// centSimple collapses g's parallel arcs and drops its self-loops. With out true the adjacency
// lists successors (from g.Out), otherwise predecessors (from g.In). g's index lists are sorted by
// the other end, so repeats are adjacent.
func centSimple(g *Digraph, out bool) centCSR {
	n := g.N()
	arcs := g.Arcs()
	c := centCSR{off: make([]int32, n+1), adj: make([]int32, 0, len(arcs))}
	for v := 0; v < n; v++ {
		var idx []int32
		if out {
			idx = g.Out(v)
		} else {
			idx = g.In(v)
		}
		last := int32(-1)
		for _, a := range idx {
			w := arcs[a].To
			if !out {
				w = arcs[a].From
			}
			if w == v || int32(w) == last {
				continue
			}
			last = int32(w)
			c.adj = append(c.adj, last)
		}
		c.off[v+1] = int32(len(c.adj))
	}
	return c
}

// centWorkers returns how many goroutines to use for jobs independent items.
func centWorkers(jobs int) int {
	w := runtime.GOMAXPROCS(0)
	if w > jobs {
		w = jobs
	}
	if w < 1 {
		w = 1
	}
	return w
}

// DegreeCentrality returns, for each node v, NetworkX's degree_centrality: the in-degree plus the
// out-degree of v in the simple digraph (parallel arcs collapsed, self-loops ignored) divided by
// n-1. As in NetworkX every node scores 1 when n is 1. It runs in O(n + m) time for m arcs.
func DegreeCentrality(g *Digraph) []float64 {
	n := g.N()
	c := make([]float64, n)
	if n == 1 {
		c[0] = 1
	}
	if n <= 1 {
		return c
	}
	in := centSimple(g, false)
	deg := in.listed()
	s := 1.0 / (float64(n) - 1.0)
	for v := range c {
		c[v] = float64(int(deg[v])+in.deg(v)) * s
	}
	return c
}

// Betweenness returns, for each node v, NetworkX's betweenness_centrality(G, normalized=True) of a
// directed graph: the sum over ordered pairs s != t, both different from v, of the fraction of
// shortest s-t paths (counted in arcs) that pass through v, divided by (n-1)(n-2) when n > 2.
// Parallel arcs are collapsed and self-loops ignored, so each path is counted once.
//
// It is Brandes' algorithm (U. Brandes, "A faster algorithm for betweenness centrality", Journal of
// Mathematical Sociology 25(2), 2001): one breadth-first search per source and a dependency
// accumulation in reverse BFS order, O(n m) time and O(n + m) space per worker. A source with no
// in-arcs and a single out-arc (a mine selling to one refinery) needs no search of its own: it is
// folded, exactly, into its successor's. The other sources are split over runtime.GOMAXPROCS
// workers in fixed interleaved blocks; each worker sums into its own slice and the slices are
// added in worker order, so the result is the same on every run with the same GOMAXPROCS. Path
// counts are kept in float64 because they can exceed any integer type.
func Betweenness(g *Digraph) []float64 {
	n := g.N()
	bc := make([]float64, n)
	if n < 3 {
		return bc // no node lies strictly inside a shortest path
	}
	out := centSimple(g, true)
	indeg := out.listed()
	// A source s that no arc enters and whose only arc goes to u sees the graph as u does, one
	// level further away, because no path from u comes back to s: its dependency on every node
	// v != u equals u's, and its dependency on u is the number of nodes u reaches. So s needs no
	// search of its own; weight[u] counts it and u's search adds its share (common in supply
	// chains: a mine that sells to one refinery). Sources without successors add nothing.
	weight := make([]float64, n)
	for v := 0; v < n; v++ {
		weight[v] = 1
	}
	pruned := make([]bool, n)
	for v := 0; v < n; v++ {
		if indeg[v] == 0 && out.deg(v) == 1 {
			pruned[v] = true
			weight[out.adj[out.off[v]]]++
		}
	}
	sources := make([]int32, 0, n)
	for v := 0; v < n; v++ {
		if out.deg(v) > 0 && !pruned[v] {
			sources = append(sources, int32(v))
		}
	}
	const block = 16
	blocks := (len(sources) + block - 1) / block
	workers := centWorkers(blocks)
	parts := make([][]float64, workers)
	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			acc := bc
			if wk > 0 {
				acc = make([]float64, n)
			}
			b := newBrandes(n)
			for k := wk; k < blocks; k += workers {
				lo, hi := k*block, min((k+1)*block, len(sources))
				for _, s := range sources[lo:hi] {
					b.source(&out, s, weight[s], acc)
				}
			}
			parts[wk] = acc
		}(wk)
	}
	wg.Wait()
	for wk := 1; wk < workers; wk++ {
		for v, x := range parts[wk] {
			bc[v] += x
		}
	}
	scale := 1 / (float64(n-1) * float64(n-2))
	for v := range bc {
		bc[v] *= scale
	}
	return bc
}

// brandes holds one worker's reusable per-source buffers.
type brandes struct {
	node  []brandesNode
	queue []int32 // BFS order; read backwards it is the stack of Brandes' algorithm
}

// brandesNode keeps together what one arc's head is asked for, so each arc costs one cache line.
type brandesNode struct {
	dist int32 // BFS level, -1 when not reached
	// val is sigma, the number of shortest paths from the source, until the node's dependency
	// delta is final; then it is (1 + delta) / sigma, all that its predecessors need.
	val float64
}

func newBrandes(n int) *brandes {
	b := &brandes{node: make([]brandesNode, n), queue: make([]int32, n)}
	for i := range b.node {
		b.node[i].dist = -1
	}
	return b
}

// source adds to acc the dependencies of source s on every other node, times wt, and the
// dependencies on s of the wt-1 pruned sources that feed only s.
func (b *brandes) source(out *centCSR, s int32, wt float64, acc []float64) {
	off, adj := out.off, out.adj
	node, queue := b.node, b.queue
	queue[0] = s
	node[s] = brandesNode{dist: 0, val: 1}
	tail := 1
	for head := 0; head < tail; head++ {
		v := queue[head]
		dn := node[v].dist + 1
		sv := node[v].val
		for _, w := range adj[off[v]:off[v+1]] {
			nw := &node[w]
			switch nw.dist {
			case -1:
				nw.dist = dn
				nw.val = sv
				queue[tail] = w
				tail++
			case dn:
				nw.val += sv
			}
		}
	}
	// Reverse BFS order: every successor w one level below v is final before v is reached, and
	// delta[v] = sigma[v] * sum over those w of (1 + delta[w]) / sigma[w].
	for i := tail - 1; i > 0; i-- {
		v := queue[i]
		dn := node[v].dist + 1
		sum := 0.0
		for _, w := range adj[off[v]:off[v+1]] {
			if nw := &node[w]; nw.dist == dn {
				sum += nw.val
			}
		}
		sigma := node[v].val
		d := sigma * sum
		acc[v] += wt * d
		node[v].val = (1 + d) / sigma
	}
	acc[s] += (wt - 1) * float64(tail-1)
	for _, v := range queue[:tail] {
		node[v].dist = -1
	}
}

// Closeness returns, for each node u, NetworkX's closeness_centrality(G) of a directed graph with
// wf_improved=True, which uses incoming distances: with r the number of nodes that reach u (u not
// counted) and d the sum of their shortest-path distances to u in arcs,
//
//	C(u) = (r / d) * (r / (n-1)),
//
// and 0 when no node reaches u. The second factor is Wasserman and Faust's scaling for graphs that
// are not strongly connected (S. Wasserman and K. Faust, Social Network Analysis, 1994; as in
// NetworkX). It needs one breadth-first search per node on the reversed simple graph, O(n m) time;
// they run 64 at a time as one bit-parallel search (M. Then et al., "The more the merrier:
// efficient multi-source graph traversal", VLDB 2015), in batches split over runtime.GOMAXPROCS
// workers. Distances are summed in integers and each node's value is computed by one worker, so the
// result does not depend on scheduling.
func Closeness(g *Digraph) []float64 {
	n := g.N()
	cl := make([]float64, n)
	if n < 2 {
		return cl
	}
	in := centSimple(g, false)
	// Nodes that nobody reaches score 0. The others are batched in index order, which keeps a
	// supply stage's nodes together when they are numbered stage by stage; ordering them by a
	// search of the graph was tried on layered graphs and made the batches share less.
	var sources []int32
	for u := 0; u < n; u++ {
		if in.deg(u) > 0 {
			sources = append(sources, int32(u))
		}
	}
	batches := (len(sources) + 63) / 64
	workers := centWorkers(batches)
	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			m := newMSBFS(n)
			for k := wk; k < batches; k += workers {
				batch := sources[k*64 : min((k+1)*64, len(sources))]
				m.run(&in, batch)
				for i, u := range batch {
					r, d := float64(m.reached[i]), float64(m.total[i])
					if d > 0 {
						c := r / d
						c *= r / float64(n-1)
						cl[u] = c
					}
				}
			}
		}(wk)
	}
	wg.Wait()
	return cl
}

// msbfs is one worker's state for bit-parallel breadth-first search from up to 64 sources: bit i
// of a node's word stands for source i.
type msbfs struct {
	seen, frontier, next []uint64
	cur, nxt             []int32 // nodes whose frontier (next) word is not zero
	reached, total       [64]int64
}

func newMSBFS(n int) *msbfs {
	return &msbfs{seen: make([]uint64, n), frontier: make([]uint64, n), next: make([]uint64, n)}
}

// run searches from batch along adj and leaves in reached[i] and total[i] the number of nodes that
// source i reaches (itself not counted) and the sum of their distances.
func (m *msbfs) run(adj *centCSR, batch []int32) {
	seen, frontier, next := m.seen, m.frontier, m.next
	clear(seen)
	m.reached, m.total = [64]int64{}, [64]int64{}
	cur := m.cur[:0]
	for i, s := range batch {
		if frontier[s] == 0 {
			cur = append(cur, s)
		}
		seen[s] |= 1 << i
		frontier[s] |= 1 << i
	}
	nxt := m.nxt[:0]
	for level := int64(1); len(cur) > 0; level++ {
		for _, v := range cur {
			f := frontier[v]
			for _, w := range adj.adj[adj.off[v]:adj.off[v+1]] {
				if nb := f &^ seen[w]; nb != 0 {
					if next[w] == 0 {
						nxt = append(nxt, w)
					}
					next[w] |= nb
				}
			}
		}
		for _, v := range cur {
			frontier[v] = 0
		}
		for _, w := range nxt {
			nb := next[w]
			next[w] = 0
			seen[w] |= nb
			frontier[w] = nb
			for ; nb != 0; nb &= nb - 1 {
				i := bits.TrailingZeros64(nb)
				m.reached[i]++
				m.total[i] += level
			}
		}
		cur, nxt = nxt, cur[:0]
	}
	m.cur, m.nxt = cur, nxt
}

// ErrPageRankNotConverged is wrapped by the error PageRank returns when the power iteration does
// not meet its tolerance within the allowed iterations.
var ErrPageRankNotConverged = errors.New("algo: pagerank power iteration did not converge")

// PageRank returns NetworkX's pagerank(G, alpha=alpha, tol=tol, max_iter=maxIter) of the
// unweighted simple digraph (parallel arcs collapsed, self-loops ignored), with no personalization:
// the stationary distribution of the random surfer that follows a uniformly chosen out-arc with
// probability alpha and jumps to a uniformly chosen node otherwise, a node without out-arcs
// jumping uniformly always (L. Page, S. Brin, R. Motwani and T. Winograd, "The PageRank citation
// ranking: bringing order to the web", Stanford InfoLab, 1999).
//
// As in NetworkX, the power iteration starts from the uniform vector, computes
//
//	x'[v] = alpha * (sum over arcs u->v of x[u]/outdeg(u) + sum over dangling u of x[u]/n) + (1-alpha)/n
//
// and stops at the first iterate whose L1 distance to the previous one is below n*tol, which it
// returns unnormalised; after maxIter iterations without that it returns the last iterate and an
// error wrapping ErrPageRankNotConverged. Each iteration pulls along the in-adjacency with
// precomputed 1/outdeg, O(n + m) time; the whole is O((n + m) * iterations). Given the same tol,
// NetworkX stops at the same iterate unless rounding decides a tie at the threshold; with a tight
// tol (say 1e-12) both end within about 1e-9 of the fixed point and agree to 1e-6 regardless.
func PageRank(g *Digraph, alpha, tol float64, maxIter int) ([]float64, error) {
	n := g.N()
	if n == 0 {
		return []float64{}, nil
	}
	in := centSimple(g, false)
	inv := make([]float64, n) // 1/outdeg, 0 for dangling nodes
	var dangling []int32
	for v, d := range in.listed() {
		if d > 0 {
			inv[v] = 1 / float64(d)
		} else {
			dangling = append(dangling, int32(v))
		}
	}
	fn := float64(n)
	p := 1 / fn
	jump := (1 - alpha) * p
	x, next := make([]float64, n), make([]float64, n)
	y, ynext := make([]float64, n), make([]float64, n) // x[u]/outdeg(u), for the next pull
	for v := range x {
		x[v] = p
		y[v] = p * inv[v]
	}
	off, adj := in.off[:n+1], in.adj
	for it := 0; it < maxIter; it++ {
		ds := 0.0 // in index order, as NetworkX sums it
		for _, u := range dangling {
			ds += x[u]
		}
		base := ds * p
		err := 0.0
		x, next, ynext = x[:n], next[:n], ynext[:n]
		lo := off[0]
		for v := range next {
			hi := off[v+1]
			s := 0.0
			for _, u := range adj[lo:hi] {
				s += y[u]
			}
			lo = hi
			nv := alpha*(s+base) + jump
			next[v] = nv
			err += math.Abs(nv - x[v])
			ynext[v] = nv * inv[v]
		}
		x, next = next, x
		y, ynext = ynext, y
		if err < fn*tol {
			return x, nil
		}
	}
	return x, fmt.Errorf("%w in %d iterations", ErrPageRankNotConverged, maxIter)
}

// Rank returns the node indices ordered by score, highest first, ties (and equal NaNs) by
// ascending index; NaN scores come last. It is deterministic and takes O(n log n) time.
func Rank(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			// cmp.Compare orders NaN first, so descending order puts it last.
			return c
		}
		return cmp.Compare(a, b)
	})
	return idx
}
