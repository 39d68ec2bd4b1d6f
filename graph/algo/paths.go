package algo

import (
	"container/heap"
	"encoding/binary"
	"math"
)

// Path is a simple directed path found by KShortestPaths.
type Path struct {
	// Nodes are the nodes from source to target; Arcs[i] is the arc (index into Digraph.Arcs)
	// from Nodes[i] to Nodes[i+1], the cheapest of its parallel arcs (lowest index on ties).
	Nodes []int
	Arcs  []int
	// Length is the number of arcs when unweighted, else the sum of the arcs' costs.
	Length float64
}

// KShortestPaths returns up to k shortest simple (loopless) paths from src to dst, shortest first.
//
// Definition: the paths are node sequences of the simple digraph obtained by collapsing parallel
// arcs into their cheapest one (self-loops never lie on a simple path), as with
// nx.shortest_simple_paths(G, src, dst, weight) on a DiGraph: with weighted=false the length of a
// path is its number of arcs (weight=None), with weighted=true the sum of Arc.Cost (weight="cost";
// negative and NaN costs count as 0). Paths are ordered by length, then number of arcs, then
// lexicographic node sequence, and the result is exactly the first k paths in that total order
// (up to floating-point rounding when sums of non-integer costs tie); NetworkX returns the same
// lengths but may order equal-length paths differently. src == dst gives the single path [src] of
// length 0 (as NetworkX). No path gives nil.
//
// allowed (nil for all) restricts the nodes: a node with allowed(v) false is never on a path, src
// and dst included; it is called once per node. maxHops > 0 limits paths to at most maxHops arcs; the limit prunes the search
// itself (every spur search is hop-constrained), so the result is the k best paths among those of
// at most maxHops arcs, not the k best paths filtered afterwards. maxHops <= 0 means no limit.
//
// Algorithm: Yen, "Finding the k shortest loopless paths in a network", Management Science 17(11)
// (1971), with Lawler's rule ("A procedure for computing the k best solutions to discrete
// optimization problems...", Management Science 18(7), 1972) of spurring only from a path's
// deviation node on. Each spur path is the least (length, arcs, lexicographic) path: an A* search
// (Hart, Nilsson and Raphael, IEEE Trans. SSC 4(2), 1968) from the spur node, guided by exact
// distances to dst in the unrestricted graph (one reverse Dijkstra per call: Dijkstra, Numerische
// Mathematik 1, 1959), finds the optimal length and the nodes that can lie on an optimal path; a
// reverse Dijkstra over those nodes and a greedy forward walk pick the lexicographically least one.
// If it breaks the hop budget, a hop-layered Bellman–Ford (Bellman, 1958) replaces it.
// O(M + k·L·(M + N log N)) time for paths of at most L nodes in the worst case, usually far less
// as A* explores little beyond the optimal paths; O(k·L·B·M) for spurs that need the hop-layered
// search with budget B. Memory O(N + M + k·L) besides the candidate paths.
func KShortestPaths(g *Digraph, src, dst, k, maxHops int, weighted bool, allowed func(v int) bool) []Path {
	n := g.n
	if src < 0 || src >= n || dst < 0 || dst >= n {
		panic("algo: KShortestPaths node out of range")
	}
	if k <= 0 || (allowed != nil && (!allowed(src) || !allowed(dst))) {
		return nil
	}
	if src == dst {
		return []Path{{Nodes: []int{src}, Arcs: []int{}, Length: 0}}
	}
	y := newYen(g, dst, maxHops, weighted, allowed)
	if y.hd[src] == infKey {
		return nil
	}
	first, ok := y.spur(nil, nil, src)
	if !ok {
		return nil
	}
	A := []yenPath{first}
	var B candHeap
	seen := map[string]struct{}{first.key(): {}}
	for len(A) < k {
		last := A[len(A)-1]
		for i := last.dev; i < len(last.Nodes)-1; i++ {
			if maxHops > 0 && i >= maxHops {
				break
			}
			root := last.Nodes[:i+1]
			y.stamp++
			for _, v := range root {
				y.blocked[v] = y.stamp
			}
			for _, q := range A {
				if len(q.Nodes) > i+1 && equalInts(q.Nodes[:i+1], root) {
					y.removed[q.Nodes[i+1]] = y.stamp
				}
			}
			p, ok := y.spur(root[:i], last.Arcs[:i], root[i])
			if !ok {
				continue
			}
			p.dev = i
			if key := p.key(); !hasKey(seen, key) {
				seen[key] = struct{}{}
				heap.Push(&B, p)
			}
		}
		if B.Len() == 0 {
			break
		}
		A = append(A, heap.Pop(&B).(yenPath))
	}
	out := make([]Path, len(A))
	for i, p := range A {
		out[i] = p.Path
	}
	return out
}

func hasKey(m map[string]struct{}, k string) bool { _, ok := m[k]; return ok }

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// yenPath is a path with the index of the node it deviates from its parent path at.
type yenPath struct {
	Path
	dev int
}

func (p yenPath) key() string {
	b := make([]byte, 0, 4*len(p.Nodes))
	for _, v := range p.Nodes {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return string(b)
}

// pathLess orders paths by length, then number of arcs, then lexicographic node sequence.
func pathLess(a, b *Path) bool {
	if a.Length != b.Length {
		return a.Length < b.Length
	}
	if len(a.Nodes) != len(b.Nodes) {
		return len(a.Nodes) < len(b.Nodes)
	}
	for i := range a.Nodes {
		if a.Nodes[i] != b.Nodes[i] {
			return a.Nodes[i] < b.Nodes[i]
		}
	}
	return false
}

type candHeap []yenPath

func (h candHeap) Len() int           { return len(h) }
func (h candHeap) Less(i, j int) bool { return pathLess(&h[i].Path, &h[j].Path) }
func (h candHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candHeap) Push(x any)        { *h = append(*h, x.(yenPath)) }
func (h *candHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// pkey is the key of a path (suffix): its length, then its number of arcs, ordered
// lexicographically.
type pkey struct {
	l float64
	h int32
}

func (a pkey) less(b pkey) bool { return a.l < b.l || (a.l == b.l && a.h < b.h) }

func (a pkey) plus(l float64, h int32) pkey { return pkey{a.l + l, a.h + h} }

var infKey = pkey{math.Inf(1), math.MaxInt32}

// yen holds the state of one KShortestPaths call: the simple digraph (parallel arcs collapsed to
// the cheapest, self-loops and disallowed nodes dropped) in forward and reverse CSR form, the
// unrestricted distances to dst, and the reusable search state. Per-spur sets are stamped arrays:
// blocked[v] == stamp marks a root node, removed[w] == stamp an arc spur->w of an earlier path.
type yen struct {
	g        *Digraph
	n, dst   int
	maxHops  int
	weighted bool

	fOff, fTo, fArc []int32 // out-neighbors of v: fTo[fOff[v]:fOff[v+1]], via arc fArc
	fStep           []float64
	rOff, rFrom     []int32 // in-neighbors
	rStep           []float64
	hd              []pkey // least key of a path v->dst in the whole (allowed) graph

	stamp   int32
	blocked []int32
	removed []int32

	run        int32
	fvis, fdon []int32 // forward A*: reached / settled in this run
	gk         []pkey
	rvis, rdon []int32 // reverse Dijkstra over the A* nodes
	rk         []pkey
	pq         keyHeap

	// Hop-layered Bellman–Ford state: recs[v] lists (layer, key) improvements of v, by layer.
	recs    [][]layerKey
	touched []int32
	inNext  []int32
}

type layerKey struct {
	layer int32
	k     pkey
}

func newYen(g *Digraph, dst, maxHops int, weighted bool, allowed func(int) bool) *yen {
	n := g.n
	y := &yen{g: g, n: n, dst: dst, maxHops: maxHops, weighted: weighted, stamp: 1,
		blocked: make([]int32, n), removed: make([]int32, n),
		fvis: make([]int32, n), fdon: make([]int32, n), gk: make([]pkey, n),
		rvis: make([]int32, n), rdon: make([]int32, n), rk: make([]pkey, n)}
	ok := make([]bool, n)
	for v := range ok {
		ok[v] = allowed == nil || allowed(v)
	}
	// Forward CSR of the simple digraph.
	y.fOff = make([]int32, n+1)
	y.fTo = make([]int32, 0, len(g.arcs))
	y.fArc = make([]int32, 0, len(g.arcs))
	y.fStep = make([]float64, 0, len(g.arcs))
	for u := 0; u < n; u++ {
		if ok[u] {
			out := g.Out(u)
			for lo := 0; lo < len(out); {
				w := g.arcs[out[lo]].To
				best, bc := out[lo], g.arcs[out[lo]].Cost
				hi := lo + 1
				for ; hi < len(out) && g.arcs[out[hi]].To == w; hi++ {
					if c := g.arcs[out[hi]].Cost; c < bc || (math.IsNaN(bc) && !math.IsNaN(c)) {
						best, bc = out[hi], c
					}
				}
				lo = hi
				if w == u || !ok[w] {
					continue
				}
				y.fTo = append(y.fTo, int32(w))
				y.fArc = append(y.fArc, best)
				y.fStep = append(y.fStep, y.step(best))
			}
		}
		y.fOff[u+1] = int32(len(y.fTo))
	}
	// Reverse CSR.
	m := len(y.fTo)
	y.rOff = make([]int32, n+1)
	for _, w := range y.fTo {
		y.rOff[w+1]++
	}
	for v := 0; v < n; v++ {
		y.rOff[v+1] += y.rOff[v]
	}
	y.rFrom = make([]int32, m)
	y.rStep = make([]float64, m)
	next := append([]int32(nil), y.rOff[:n]...)
	for u := 0; u < n; u++ {
		for j := y.fOff[u]; j < y.fOff[u+1]; j++ {
			w := y.fTo[j]
			y.rFrom[next[w]] = int32(u)
			y.rStep[next[w]] = y.fStep[j]
			next[w]++
		}
	}
	// Unrestricted distances to dst: the A* heuristic (exact, hence consistent, on every
	// restriction of the graph a spur search uses).
	y.hd = make([]pkey, n)
	for v := range y.hd {
		y.hd[v] = infKey
	}
	if ok[dst] {
		y.hd[dst] = pkey{}
		y.pq = append(y.pq[:0], keyItem{pkey{}, int32(dst)})
		for len(y.pq) > 0 {
			it := y.pq.pop()
			v := it.v
			if it.k != y.hd[v] {
				continue
			}
			for j := y.rOff[v]; j < y.rOff[v+1]; j++ {
				u := y.rFrom[j]
				if nk := it.k.plus(y.rStep[j], 1); nk.less(y.hd[u]) {
					y.hd[u] = nk
					y.pq.push(keyItem{nk, u})
				}
			}
		}
	}
	return y
}

// step is the length an arc adds: 1 unweighted, else its cost (negative and NaN as 0).
func (y *yen) step(a int32) float64 {
	if !y.weighted {
		return 1
	}
	if c := y.g.arcs[a].Cost; c > 0 {
		return c
	}
	return 0
}

// spur returns the least path from s to dst avoiding the root nodes (blocked) and the removed
// first arcs, prefixed with the root path rootNodes (ending before s) along rootArcs, within the
// hop budget maxHops-len(rootArcs).
func (y *yen) spur(rootNodes []int, rootArcs []int, s int) (yenPath, bool) {
	i := len(rootArcs)
	budget := math.MaxInt32
	if y.maxHops > 0 {
		budget = y.maxHops - i
	}
	nodes, arcs, ok := y.astarSpur(s)
	if ok && len(arcs) > budget {
		nodes, arcs, ok = y.layeredSpur(s, budget)
	}
	if !ok {
		return yenPath{}, false
	}
	p := yenPath{}
	p.Nodes = make([]int, 0, i+len(nodes))
	p.Nodes = append(append(p.Nodes, rootNodes...), nodes...)
	p.Arcs = make([]int, 0, len(p.Nodes)-1)
	p.Arcs = append(append(p.Arcs, rootArcs...), arcs...)
	for _, a := range p.Arcs {
		p.Length += y.step(int32(a))
	}
	return p, true
}

// usable reports whether w may follow v on a spur path from s: w is not s nor a root node, and
// v->w is not a removed first arc.
func (y *yen) usable(v, w, s int32) bool {
	return w != s && y.blocked[w] != y.stamp && (v != s || y.removed[w] != y.stamp)
}

// astarSpur finds the least spur path from s. Phase 1, A* from s with the exact unrestricted
// distances hd as heuristic, finds the optimal key K and settles every node v with
// g(v) + hd(v) <= K: a superset of the nodes of all optimal paths. Phase 2, a reverse Dijkstra
// from dst over those nodes, gives each of them its least key to dst, and a greedy walk from s
// takes the least (then lowest-numbered) successor, which yields the lexicographically least
// optimal path.
func (y *yen) astarSpur(s int) ([]int, []int, bool) {
	if y.hd[s] == infKey {
		return nil, nil, false
	}
	y.run++
	run := y.run
	s32, dst := int32(s), int32(y.dst)
	y.fvis[s], y.gk[s] = run, pkey{}
	y.pq = append(y.pq[:0], keyItem{y.hd[s], s32})
	found := false
	var limit float64
	for len(y.pq) > 0 {
		it := y.pq.pop()
		v := it.v
		if y.fdon[v] == run || it.k != y.gk[v].plus(y.hd[v].l, y.hd[v].h) {
			continue
		}
		if found && it.k.l > limit {
			break
		}
		y.fdon[v] = run
		if v == dst {
			found = true
			k := y.gk[v].l
			limit = k + 1e-9*math.Abs(k) // float slack: extra nodes are harmless
			continue
		}
		gv := y.gk[v]
		for j := y.fOff[v]; j < y.fOff[v+1]; j++ {
			w := y.fTo[j]
			if !y.usable(v, w, s32) || y.hd[w] == infKey || y.fdon[w] == run {
				continue
			}
			if ng := gv.plus(y.fStep[j], 1); y.fvis[w] != run || ng.less(y.gk[w]) {
				y.fvis[w], y.gk[w] = run, ng
				y.pq.push(keyItem{ng.plus(y.hd[w].l, y.hd[w].h), w})
			}
		}
	}
	if !found {
		return nil, nil, false
	}

	// Phase 2: reverse Dijkstra from dst over the settled nodes, until s is settled.
	best := infKey
	y.rvis[dst], y.rk[dst] = run, pkey{}
	y.pq = append(y.pq[:0], keyItem{pkey{}, dst})
	for len(y.pq) > 0 {
		it := y.pq.pop()
		v := it.v
		if y.rdon[v] == run || it.k != y.rk[v] {
			continue
		}
		if !it.k.less(best) {
			break
		}
		y.rdon[v] = run
		for j := y.rOff[v]; j < y.rOff[v+1]; j++ {
			u := y.rFrom[j]
			nk := it.k.plus(y.rStep[j], 1)
			if u == s32 {
				if y.removed[v] != y.stamp && nk.less(best) {
					best = nk
				}
				continue
			}
			if y.fdon[u] != run || y.rdon[u] == run {
				continue
			}
			if y.rvis[u] != run || nk.less(y.rk[u]) {
				y.rvis[u], y.rk[u] = run, nk
				y.pq.push(keyItem{nk, u})
			}
		}
	}
	if best == infKey {
		return nil, nil, false
	}
	// Greedy forward walk: at each node the least settled successor, by node id on ties. Keys
	// strictly decrease along the walk, so it is simple and ends at dst.
	nodes := []int{s}
	var arcs []int
	for v := s32; v != dst; {
		bw, ba, bk := int32(-1), int32(-1), infKey
		for j := y.fOff[v]; j < y.fOff[v+1]; j++ {
			w := y.fTo[j]
			if y.rdon[w] != run || !y.usable(v, w, s32) {
				continue
			}
			if nk := y.rk[w].plus(y.fStep[j], 1); nk.less(bk) {
				bw, ba, bk = w, y.fArc[j], nk
			}
		}
		if bw < 0 || len(nodes) > y.n {
			return nil, nil, false
		}
		nodes = append(nodes, int(bw))
		arcs = append(arcs, int(ba))
		v = bw
	}
	return nodes, arcs, true
}

// get returns the key of v with at most layer arcs, infKey if none.
func (y *yen) get(v int32, layer int32) pkey {
	r := y.recs[v]
	for j := len(r) - 1; j >= 0; j-- {
		if r[j].layer <= layer {
			return r[j].k
		}
	}
	return infKey
}

func (y *yen) set(v int32, layer int32, k pkey) {
	r := y.recs[v]
	if len(r) == 0 {
		y.touched = append(y.touched, v)
	}
	if len(r) > 0 && r[len(r)-1].layer == layer {
		r[len(r)-1].k = k
		return
	}
	y.recs[v] = append(r, layerKey{layer, k})
}

// layeredSpur finds the least spur path of at most budget arcs by a hop-layered Bellman–Ford from
// dst: layer h holds, for every usable node, the least key of a path to dst of at most h arcs.
func (y *yen) layeredSpur(s, budget int) ([]int, []int, bool) {
	if budget < 1 {
		return nil, nil, false
	}
	if y.recs == nil {
		y.recs = make([][]layerKey, y.n)
		y.inNext = make([]int32, y.n)
		for i := range y.inNext {
			y.inNext[i] = -1
		}
	}
	defer func() {
		for _, v := range y.touched {
			y.recs[v] = y.recs[v][:0]
			y.inNext[v] = -1
		}
		y.touched = y.touched[:0]
	}()
	s32, dst := int32(s), int32(y.dst)
	y.set(dst, 0, pkey{})
	frontier := []int32{dst}
	var next []int32
	for h := int32(1); h < int32(budget) && len(frontier) > 0; h++ {
		next = next[:0]
		for _, v := range frontier {
			kv := y.get(v, h-1)
			for j := y.rOff[v]; j < y.rOff[v+1]; j++ {
				u := y.rFrom[j]
				if u == dst || u == s32 || y.blocked[u] == y.stamp {
					continue
				}
				if nk := kv.plus(y.rStep[j], 1); nk.less(y.get(u, h)) {
					y.set(u, h, nk)
					if y.inNext[u] != h {
						y.inNext[u] = h
						next = append(next, u)
					}
				}
			}
		}
		frontier, next = next, frontier
	}
	// Greedy forward walk with a decreasing budget; keys strictly decrease along it.
	nodes := []int{s}
	var arcs []int
	for v, b := s32, int32(budget); v != dst; b-- {
		if b <= 0 {
			return nil, nil, false
		}
		bw, ba, bk := int32(-1), int32(-1), infKey
		for j := y.fOff[v]; j < y.fOff[v+1]; j++ {
			w := y.fTo[j]
			if !y.usable(v, w, s32) {
				continue
			}
			kw := y.get(w, b-1)
			if kw == infKey {
				continue
			}
			if nk := kw.plus(y.fStep[j], 1); nk.less(bk) {
				bw, ba, bk = w, y.fArc[j], nk
			}
		}
		if bw < 0 {
			return nil, nil, false
		}
		nodes = append(nodes, int(bw))
		arcs = append(arcs, int(ba))
		v = bw
	}
	return nodes, arcs, true
}

type keyItem struct {
	k pkey
	v int32
}

// keyHeap is a binary min-heap of keyItems by key, then node.
type keyHeap []keyItem

func (h keyHeap) less(i, j int) bool {
	if h[i].k != h[j].k {
		return h[i].k.less(h[j].k)
	}
	return h[i].v < h[j].v
}

func (h *keyHeap) push(it keyItem) {
	*h = append(*h, it)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

func (h *keyHeap) pop() keyItem {
	q := *h
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(q) {
			break
		}
		c := l
		if r := l + 1; r < len(q) && q.less(r, l) {
			c = r
		}
		if !q.less(c, i) {
			break
		}
		q[i], q[c] = q[c], q[i]
		i = c
	}
	*h = q
	return top
}
