package algo

import "math"

// NodeRemoval keeps a maximum flow found by MaxFlowRemoval with its residual network, so that the
// loss of removing any one node can be computed from it instead of from a fresh maximum flow.
// It is read-only once made: each goroutine asks through a RemovalWorker of its own.
type NodeRemoval struct {
	r     *residual
	value float64
	isRev []bool // isRev[e]: e is the reverse edge of its pair
	fromS []bool // fromS[u]: split node u is reachable from S in the residual network
	// inTree[u] for u in fromS other than S: the residual edge into u of a breadth-first tree
	// of fromS from S.
	inTree []int32
}

// MaxFlowRemoval is MaxFlow, keeping the maximum flow for NodeRemoval's loss queries. The
// NodeRemoval is nil when the flow is unbounded.
func MaxFlowRemoval(g *Digraph, nodeCap []float64, sources []int, sink int) (FlowResult, *NodeRemoval) {
	fr, r := maxFlow(g, nodeCap, sources, sink)
	if r == nil {
		return fr, nil
	}
	isRev := make([]bool, len(r.res))
	for i := range isRev {
		isRev[i] = true
	}
	for _, e := range r.fwd {
		isRev[e] = false
	}
	fromS, inTree := make([]bool, r.nv), make([]int32, r.nv)
	fromS[r.S] = true
	queue := []int32{r.S}
	for qi := 0; qi < len(queue); qi++ {
		for e := r.off[queue[qi]]; e < r.off[queue[qi]+1]; e++ {
			if z := r.to[e]; !fromS[z] && r.res[e] > 0 {
				fromS[z], inTree[z] = true, e
				queue = append(queue, z)
			}
		}
	}
	return fr, &NodeRemoval{r: r, value: fr.Value, isRev: isRev, fromS: fromS, inTree: inTree}
}

// Value returns the maximum flow value.
func (nr *NodeRemoval) Value() float64 { return nr.value }

// RemovalWorker computes node-removal losses for one goroutine. It holds a private copy of the
// residual network and search buffers, O(V + E) memory, restored after every query: the cost of a
// query is the work it does, not the size of the graph.
type RemovalWorker struct {
	nr  *NodeRemoval
	res []float64

	// Undo log of res for the current query.
	stamp   uint32
	touched []uint32
	log     []undo

	dead int32 // the removed node; its split nodes are 2*dead and 2*dead+1

	// Imbalances of the cancelled flow, per split node, and the nodes that have one.
	excess, deficit []float64
	exNodes, defNod []int32

	// Walks (flow cancellation): current edge per split node, positions on the walk.
	curStamp []uint32
	cur      []int32
	pos      []int32
	path     []int32 // residual edges of the walk
	nodes    []int32 // nodes of the walk: nodes[i] is the tail of path[i]

	walkGen, searchGen uint32

	// Breadth-first searches (shortcut, augment's levels): the nodes reached, stamped with the
	// search; the residual edge that reached each (or its level, for augment); the queue.
	seen  []uint32
	via   []int32
	queue []int32
}

type undo struct {
	e   int32
	old float64
}

// Worker returns a new RemovalWorker for nr. A worker is not safe for concurrent use; give
// every goroutine its own.
func (nr *NodeRemoval) Worker() *RemovalWorker {
	r := nr.r
	ne := len(r.res)
	w := &RemovalWorker{
		nr: nr, res: append([]float64(nil), r.res...), touched: make([]uint32, ne),
		excess: make([]float64, r.nv), deficit: make([]float64, r.nv),
		curStamp: make([]uint32, r.nv), cur: make([]int32, r.nv), pos: make([]int32, r.nv),
		seen: make([]uint32, r.nv), via: make([]int32, r.nv),
	}
	for i := range w.pos {
		w.pos[i] = -1
	}
	w.dead = -1
	return w
}

// newSearch returns the stamp of a new search, clearing the search marks when the stamps wrap.
func (w *RemovalWorker) newSearch() uint32 {
	w.searchGen++
	if w.searchGen == 0 {
		clear(w.seen)
		w.searchGen = 1
	}
	return w.searchGen
}

// set writes res[e], logging its old value for the undo at the end of the query.
func (w *RemovalWorker) set(e int32, v float64) {
	if w.touched[e] != w.stamp {
		w.touched[e] = w.stamp
		w.log = append(w.log, undo{e, w.res[e]})
	}
	w.res[e] = v
}

// push sends d along residual edge e.
func (w *RemovalWorker) push(e int32, d float64) {
	w.set(e, w.res[e]-d)
	r := w.nr.r.rev[e]
	w.set(r, w.res[r]+d)
}

func (w *RemovalWorker) isDead(u int32) bool { return u>>1 == w.dead && u < w.nr.r.S }

// Loss returns how much the maximum flow value drops when node v is removed (its node capacity
// set to 0): Value() minus the maximum flow of the graph without v. It is at most the flow
// through v in the maximum flow found.
//
// Algorithm: the flow through v is cancelled and the remaining flow re-augmented, all on the
// residual network of the maximum flow f. Taking v out leaves its predecessors with excess (the
// flow they sent to v) and its successors with deficit (what v sent them). (1) Each excess is
// walked back along arcs carrying flow, cancelling it, until it meets the super source or a
// deficit (flow decomposition guarantees one of the two; flow cycles met on the way are
// cancelled); (2) each deficit left is walked forward along flow to the sink, cancelling it: the
// flow is now feasible without v and has lost what reached the sink that way, B; (3) augmenting
// paths from the sources to the sink avoiding v are added (C): first by a search confined to
// what the query changed (shortcut), which also proves that none is left, then by blocking flows
// of Dinic's method (augment). The loss is B - C, exact because step 3 is Ford and Fulkerson's
// method started from a feasible flow. Time O(walks + augmentations * (V + E)) in the worst case,
// in practice the size of v's flow paths plus one search of the residual network per blocking
// flow; memory O(V + E) per worker, shared by all queries.
func (w *RemovalWorker) Loss(v int) float64 {
	l, _ := w.loss(v, nil, nil)
	return l
}

// loss is Loss for TopLosses. When beaten is not nil, the query stops as soon as beaten(ub) holds
// for an upper bound ub of the loss, and returns ub and false; otherwise it returns the loss and
// true. When flows is not nil, it then calls flows(x, g) for every node x whose flow the query
// changed, g the flow through x in the flow without v that the query ended with: a flow of the
// whole graph of value Value() minus what loss returns, so that the loss of removing x is at
// most that plus g.
func (w *RemovalWorker) loss(v int, flows func(x int, g float64), beaten func(ub float64) bool) (float64, bool) {
	r := w.nr.r
	if v < 0 || v >= r.n {
		panic("algo: NodeRemoval node out of range")
	}
	if int32(2*v+1) == r.T {
		return w.nr.value, true
	}
	split := r.fwd[v]
	if w.res[r.rev[split]] <= 0 {
		return 0, true // no flow through v: f stays feasible and maximum without it
	}
	w.begin(int32(v))
	defer w.end()

	vin, vout := int32(2*v), int32(2*v+1)
	// Cancel everything at v: flow into v_in leaves excess at its tail (nothing at S), flow out of
	// v_out leaves deficit at its head.
	for e := r.off[vin]; e < r.off[vin+1]; e++ {
		if u := r.to[e]; w.nr.isRev[e] && w.res[e] > 0 {
			f := w.res[e]
			w.push(e, f)
			if !w.isDead(u) && u != r.S {
				w.addExcess(u, f)
			}
		}
	}
	for e := r.off[vout]; e < r.off[vout+1]; e++ {
		if u := r.to[e]; !w.nr.isRev[e] && w.res[r.rev[e]] > 0 {
			f := w.res[r.rev[e]]
			w.push(r.rev[e], f)
			if !w.isDead(u) {
				w.addDeficit(u, f)
			}
		}
	}
	if f := w.res[r.rev[split]]; f > 0 {
		w.push(r.rev[split], f)
	}

	// (1) Excess back to S or to a deficit.
	w.stamp2()
	for _, x := range w.exNodes {
		w.walk(x, true)
	}
	// (2) Deficit forward to the sink.
	w.stamp2()
	lost := 0.0
	for _, x := range w.defNod {
		lost += w.walk(x, false)
	}
	// (3) Re-augment.
	// The flow without v is at most the flow with it: once lost is regained, v loses nothing.
	gained, exact := 0.0, true
	for gained < lost {
		if beaten != nil && beaten(lost-gained) {
			exact = false
			break
		}
		d, found := w.shortcut(lost - gained)
		if !found {
			break
		}
		if d <= 0 {
			if d = w.augment(lost - gained); d <= 0 {
				break
			}
		}
		gained += d
	}
	if flows != nil {
		for _, l := range w.log {
			// The reverse edge of node x's split edge x_in -> x_out holds the flow through x.
			if e := l.e; w.nr.isRev[e] && r.to[e]&1 == 0 && r.to[e] < r.S && r.fwd[r.to[e]>>1] == r.rev[e] {
				flows(int(r.to[e]>>1), w.res[e])
			}
		}
	}
	return lost - gained, exact
}

func (w *RemovalWorker) begin(v int32) {
	w.stamp++
	if w.stamp == 0 { // wrapped: clear the stamps
		clear(w.touched)
		clear(w.curStamp)
		w.stamp = 1
	}
	w.dead = v
	w.log = w.log[:0]
	w.exNodes, w.defNod = w.exNodes[:0], w.defNod[:0]
}

// end undoes every change of the query.
func (w *RemovalWorker) end() {
	for i := len(w.log) - 1; i >= 0; i-- {
		w.res[w.log[i].e] = w.log[i].old
	}
	for _, u := range w.exNodes {
		w.excess[u] = 0
	}
	for _, u := range w.defNod {
		w.deficit[u] = 0
	}
	w.dead = -1
}

// stamp2 starts a new round of walks, or a blocking flow of augment: every current-edge pointer
// starts again at its node's first edge.
func (w *RemovalWorker) stamp2() {
	w.walkGen++
	if w.walkGen == 0 {
		clear(w.curStamp)
		w.walkGen = 1
	}
}

func (w *RemovalWorker) addExcess(u int32, f float64) {
	if w.excess[u] == 0 {
		w.exNodes = append(w.exNodes, u)
	}
	w.excess[u] += f
}

func (w *RemovalWorker) addDeficit(u int32, f float64) {
	if w.deficit[u] == 0 {
		w.defNod = append(w.defNod, u)
	}
	w.deficit[u] += f
}

// current returns u's current-edge pointer in this round (stamp2): at u's first edge when the
// round has not used it yet.
func (w *RemovalWorker) current(u int32) *int32 {
	if w.curStamp[u] != w.walkGen {
		w.curStamp[u] = w.walkGen
		w.cur[u] = w.nr.r.off[u]
	}
	return &w.cur[u]
}

// edgeAt returns the next usable edge at u from its current pointer, or -1. Backward walks use
// reverse edges with flow (cancelling the flow into u); forward walks use forward edges with flow,
// and return the residual edge to push along, their reverse.
func (w *RemovalWorker) edgeAt(u int32, back bool) int32 {
	r := w.nr.r
	for c := w.current(u); *c < r.off[u+1]; *c++ {
		e := *c
		if w.nr.isRev[e] != back || w.isDead(r.to[e]) {
			continue
		}
		if back {
			if w.res[e] > 0 {
				return e
			}
		} else if re := r.rev[e]; w.res[re] > 0 {
			return re
		}
	}
	return -1
}

// walk cancels the imbalance at x: backward (excess) to S or a deficit, forward (deficit) to the
// sink or an excess. It returns how much reached the sink (forward walks only).
func (w *RemovalWorker) walk(x int32, back bool) float64 {
	r := w.nr.r
	amount := &w.excess[x]
	if !back {
		amount = &w.deficit[x]
	}
	other := w.deficit
	if !back {
		other = w.excess
	}
	atSink := 0.0
	w.path, w.nodes = w.path[:0], append(w.nodes[:0], x)
	w.pos[x] = 0
	defer func() {
		for _, u := range w.nodes {
			w.pos[u] = -1
		}
	}()
	u := x
	for *amount > 0 {
		terminal := u != x && (back && u == r.S || !back && u == r.T || other[u] > 0)
		if terminal {
			d := *amount
			for _, e := range w.path {
				d = math.Min(d, w.res[e])
			}
			if other[u] > 0 {
				d = math.Min(d, other[u])
			}
			for _, e := range w.path {
				w.push(e, d)
			}
			*amount -= d
			if other[u] > 0 {
				other[u] -= d
				if other[u] < 0 {
					other[u] = 0
				}
			} else if !back {
				atSink += d
			}
			if *amount <= 0 {
				break
			}
			w.truncate()
			u = w.nodes[len(w.nodes)-1]
			continue
		}
		e := w.edgeAt(u, back)
		if e < 0 {
			if u == x {
				break // only rounding residue is left
			}
			w.pos[u] = -1
			w.path = w.path[:len(w.path)-1]
			w.nodes = w.nodes[:len(w.nodes)-1]
			u = w.nodes[len(w.nodes)-1]
			w.cur[u]++
			continue
		}
		// A backward walk moves along the residual edge e; a forward walk at u uses the forward
		// edge f = rev[e] (u -> to[f]) and e points from to[f] back to u.
		z := r.to[e]
		if !back {
			z = r.to[r.rev[e]]
		}
		if p := w.pos[z]; p >= 0 {
			// A flow cycle: cancel it and go on from z.
			d := w.res[e]
			for _, c := range w.path[p:] {
				d = math.Min(d, w.res[c])
			}
			w.push(e, d)
			for _, c := range w.path[p:] {
				w.push(c, d)
			}
			for _, q := range w.nodes[p+1:] {
				w.pos[q] = -1
			}
			w.path, w.nodes = w.path[:p], w.nodes[:p+1]
			u = z
			continue
		}
		w.path = append(w.path, e)
		w.pos[z] = int32(len(w.nodes))
		w.nodes = append(w.nodes, z)
		u = z
	}
	return atSink
}

// truncate cuts the walk back to the tail of its first saturated edge.
func (w *RemovalWorker) truncate() {
	for i, e := range w.path {
		if w.res[e] <= 0 {
			for _, q := range w.nodes[i+1:] {
				w.pos[q] = -1
			}
			w.path, w.nodes = w.path[:i], w.nodes[:i+1]
			return
		}
	}
}

// shortcut looks for an augmenting path by a search confined to what the query changed, and
// pushes up to limit along the first it finds. The residual network of the maximum flow has no
// path from S to T, so on a path of the query's residual network the last node a reachable from
// S in the maximum flow's (fromS) is left by an edge a -> b whose residual capacity the query
// raised (any other edge out of a leads into fromS), and b..T avoid fromS. The search starts from
// the heads of the raised edges out of fromS and expands only nodes outside fromS: it costs the
// query's edges plus what it reaches outside fromS, often far less than a search from S or T.
// Reaching T, it completes the path by the breadth-first tree of fromS from S (inTree) when that
// part is still residual. It returns what it pushed and whether T was reached: false proves that
// there is no augmenting path.
func (w *RemovalWorker) shortcut(limit float64) (float64, bool) {
	r, fromS, inTree := w.nr.r, w.nr.fromS, w.nr.inTree
	g, q := w.newSearch(), w
	q.queue = q.queue[:0]
	reach := func(e int32) bool {
		z := r.to[e]
		if w.res[e] <= 0 || fromS[z] || q.seen[z] == g || w.isDead(z) {
			return false
		}
		q.seen[z], q.via[z] = g, e
		q.queue = append(q.queue, z)
		return z == r.T
	}
	found := false
	for _, l := range w.log {
		if e := l.e; w.res[e] > r.res[e] && fromS[r.to[r.rev[e]]] && reach(e) {
			found = true
			break
		}
	}
	for qi := 0; !found && qi < len(q.queue); qi++ {
		u := q.queue[qi]
		for e := r.off[u]; e < r.off[u+1]; e++ {
			if reach(e) {
				found = true
				break
			}
		}
	}
	if !found {
		return 0, false
	}
	w.path = w.path[:0]
	for u := r.T; u != r.S; {
		e := q.via[u]
		if fromS[u] {
			e = inTree[u]
		}
		if w.isDead(u) || w.res[e] <= 0 {
			return 0, true
		}
		w.path = append(w.path, e)
		u = r.to[r.rev[e]]
	}
	d := limit
	for _, e := range w.path {
		d = math.Min(d, w.res[e])
	}
	for _, e := range w.path {
		w.push(e, d)
	}
	return d, true
}

// augment adds one blocking flow of Dinic's method to the flow without the removed node, at most
// limit: the levels are residual distances to T, found by a breadth-first search backward from T
// that stops once S has one, and a depth-first search from S along residual edges one level
// closer to T, with a current-edge pointer per node, pushes along every path it finds. It returns
// what it pushed; 0 when S does not reach T.
func (w *RemovalWorker) augment(limit float64) float64 {
	r := w.nr.r
	g := w.newSearch()
	level := w.via
	w.seen[r.T], level[r.T] = g, 0
	w.queue = append(w.queue[:0], r.T)
	for qi := 0; qi < len(w.queue) && w.seen[r.S] != g; qi++ {
		x := w.queue[qi]
		for e := r.off[x]; e < r.off[x+1]; e++ {
			if u := r.to[e]; w.seen[u] != g && w.res[r.rev[e]] > 0 && !w.isDead(u) {
				w.seen[u], level[u] = g, level[x]+1
				w.queue = append(w.queue, u)
			}
		}
	}
	if w.seen[r.S] != g {
		return 0
	}
	w.stamp2()
	got, u := 0.0, r.S
	w.path = w.path[:0]
	for got < limit {
		if u == r.T {
			d := limit - got
			for _, e := range w.path {
				d = min(d, w.res[e])
			}
			cut := -1
			for i, e := range w.path {
				w.push(e, d)
				if cut < 0 && w.res[e] <= 0 {
					cut = i
				}
			}
			got += d
			if cut < 0 {
				break // limit reached
			}
			// Go on from the tail of the first saturated edge.
			u = r.to[r.rev[w.path[cut]]]
			w.path = w.path[:cut]
			continue
		}
		if e := w.levelEdge(u, g); e >= 0 {
			w.path = append(w.path, e)
			u = r.to[e]
			continue
		}
		if u == r.S {
			break
		}
		w.seen[u] = 0 // a dead end for the rest of the phase
		last := w.path[len(w.path)-1]
		w.path = w.path[:len(w.path)-1]
		u = r.to[r.rev[last]]
		w.cur[u]++
	}
	return got
}

// levelEdge returns the next residual edge from u, from its current-edge pointer, to a node one
// level closer to T in augment's search g, or -1.
func (w *RemovalWorker) levelEdge(u int32, g uint32) int32 {
	r := w.nr.r
	for c := w.current(u); *c < r.off[u+1]; *c++ {
		e := *c
		if z := r.to[e]; w.res[e] > 0 && w.seen[z] == g && w.via[z] == w.via[u]-1 {
			return e
		}
	}
	return -1
}
