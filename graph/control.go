package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// StateShare is a state's share of the control of an entity.
type StateShare struct {
	State string  `json:"state"`
	Share float64 `json:"share"`
}

// controlShares returns, for every node, its controlling states weighted by effective share,
// sorted by state: a state controls itself wholly; any other node is controlled by its owners in
// proportion to their shares, and the part no recorded owner holds (free float, unrecorded
// holders) by its home state (where it is located or headquartered):
//
//	c(x) = Σ_{o owns x with share s} s·c(o) + (1 − Σ s)·δ(home(x))
//
// A facility with no recorded owner is held by its operators, in equal shares. Solved by
// lookThrough (its convergence rule; past its bound the last pass stands). Computed once per
// Network; callers must not modify the result.
func controlShares(net *Network) [][]StateShare {
	net.controlOnce.Do(func() { net.control = computeControl(net, newHomes(net)) })
	return net.control
}

// homes indexes the home states of a network's nodes: states sorted, home[i] the index of node
// i's state.
type homes struct {
	states []string
	home   []int32
}

func newHomes(net *Network) *homes {
	h := &homes{home: make([]int32, len(net.nodes))}
	seen := map[string]bool{}
	for i := range net.nodes {
		if st := nodeState(&net.nodes[i]); !seen[st] {
			seen[st] = true
			h.states = append(h.states, st)
		}
	}
	slices.Sort(h.states)
	for i := range net.nodes {
		k, _ := slices.BinarySearch(h.states, nodeState(&net.nodes[i]))
		h.home[i] = int32(k)
	}
	return h
}

// computeControl computes the control shares of every node of net (see controlShares).
func computeControl(net *Network, h *homes) [][]StateShare {
	n := len(net.nodes)
	edgeOn := make([]bool, len(net.edges))
	for e := range edgeOn {
		edgeOn[e] = true
	}
	terms, base, val := make([][]term, n), make([][]entry, n), make([][]entry, n)
	var order []int
	for x := range net.nodes {
		terms[x], base[x], val[x] = controlInputs(net, x, true, edgeOn, h)
		if base[x] != nil {
			order = append(order, x)
		}
	}
	lookThrough(order, terms, base, val, len(h.states))
	ctrl := make([][]StateShare, n)
	for x := range val {
		for _, e := range val[x] {
			ctrl[x] = append(ctrl[x], StateShare{State: h.states[e.key], Share: e.val})
		}
	}
	return ctrl
}

// controlInputs returns the look-through inputs of node x (see controlShares), given whether it
// is in service and which edges are: its terms (its owners' shares, or else its operators' equal
// shares), its base (the part no owner holds, at home; nil for a state or a node with no owner or
// operator, which keep their start value) and its start value (wholly its home; nil, with no
// terms, when it is not in service).
func controlInputs(net *Network, x int, inService bool, edgeOn []bool, h *homes) (terms []term, base, start []entry) {
	if !inService {
		return nil, nil, nil
	}
	var operated []int32
	for _, e := range net.in[x] {
		if !edgeOn[e] {
			continue
		}
		switch net.edges[e].Kind {
		case Owns:
			terms = append(terms, term{net.from[e], *net.edges[e].Share})
		case Operates:
			operated = append(operated, net.from[e])
		}
	}
	if len(terms) == 0 {
		for _, op := range operated {
			terms = append(terms, term{op, 1 / float64(len(operated))})
		}
	}
	if net.nodes[x].Kind == State || len(terms) == 0 {
		return terms, nil, []entry{{h.home[x], 1}}
	}
	held := 0.0
	for _, t := range terms {
		held += t.share
	}
	both := []entry{{h.home[x], 1}, {h.home[x], math.Max(0, 1-held)}} // one allocation for the two
	return terms, both[1:], both[:1:1]
}

// reported is a control share as it is reported: rounded; ok is false for a share too small to
// report.
func reported(share float64) (rounded float64, ok bool) { return round6(share), share > 1e-9 }

// sortedShares orders shares by share (reported) descending, then state; tiny shares are dropped.
func sortedShares(shares []StateShare) []StateShare {
	out := make([]StateShare, 0, len(shares))
	for _, s := range shares {
		if share, ok := reported(s.Share); ok {
			out = append(out, StateShare{State: s.State, Share: share})
		}
	}
	slices.SortFunc(out, func(a, b StateShare) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), strings.Compare(a.State, b.State))
	})
	return out
}

// controllingState is the state with the largest control share (ties to the lower code).
func controllingState(shares []StateShare) string {
	if s := sortedShares(shares); len(s) > 0 {
		return s[0].State
	}
	return ""
}

// ControlSpan is a state's share of the control of a firm or facility (see ControlOf) over a
// span of years: Since and Until, 0 when open (the span reaches MinYear or MaxYear).
type ControlSpan struct {
	Entity string
	State  string
	Share  float64
	Since  int
	Until  int
}

// ControlSpans returns the controlling states of every firm and facility in every year it is in
// service, as ControlOf gives them for the whole network cut to that year (its States), joined
// into spans of consecutive years with the same share; ordered by entity, since and state.
//
// Only the years in which a node or an ownership or operation edge starts or ends can change a
// share, and in such a year only the nodes downstream of the change (by ownership and operation)
// can: each year solves the look-through for those nodes alone, the others keeping the values of
// the year before (the same fixed point, as nothing upstream of them changed).
func ControlSpans(net *Network) []ControlSpan {
	whole := net.Whole()
	h := newHomes(whole)
	n := len(whole.nodes)
	nodeOn, edgeOn := make([]bool, n), make([]bool, len(whole.edges))
	terms, base, val := make([][]term, n), make([][]entry, n), make([][]entry, n)
	// The spans by node and state index (ordered as the codes): open[x] holds node x's open
	// spans, indices in spans in state order.
	type span struct {
		node, state  int32
		share        float64
		since, until int
	}
	var spans []span
	open := make([][]int32, n)
	var next []int32
	mark := make([]bool, n)
	// A node or an ownership or operation edge can change service only in the year it starts and
	// the year after it ends: the first year checks them all, each later year those of its own.
	nodesAt, edgesAt := make([][]int, MaxYear+1), make([][]int, MaxYear+1)
	at := func(list [][]int, y, i int) {
		if MinYear < y && y <= MaxYear {
			list[y] = append(list[y], i)
		}
	}
	for x := range whole.nodes {
		nd := &whole.nodes[x]
		at(nodesAt, nd.Since, x)
		if nd.Until != 0 {
			at(nodesAt, nd.Until+1, x)
		}
	}
	controls := make([]bool, len(whole.edges))
	var allEdges []int
	for e := range whole.edges {
		if ed := &whole.edges[e]; conveysControl(ed.Kind) {
			controls[e] = true
			allEdges = append(allEdges, e)
			at(edgesAt, ed.Since, e)
			if ed.Until != 0 {
				at(edgesAt, ed.Until+1, e)
			}
		}
	}
	for y := MinYear; y <= MaxYear; y++ {
		initial := y == MinYear
		if !initial && len(nodesAt[y]) == 0 && len(edgesAt[y]) == 0 {
			continue // nothing can change
		}
		// The nodes whose inputs changed since the year before (every node in the first year).
		var changed []int
		checkNode := func(x int) {
			if on := inService(&whole.nodes[x], y); initial || on != nodeOn[x] {
				nodeOn[x] = on
				changed = append(changed, x)
			}
		}
		checkEdge := func(e int) {
			ed := &whole.edges[e]
			on := nodeOn[whole.from[e]] && nodeOn[whole.to[e]] && ExistsIn(ed.Since, ed.Until, y)
			if initial || on != edgeOn[e] {
				edgeOn[e] = on
				changed = append(changed, int(whole.to[e]))
			}
		}
		if initial {
			for x := range whole.nodes {
				checkNode(x)
			}
			for _, e := range allEdges {
				checkEdge(e)
			}
		} else {
			for _, x := range nodesAt[y] {
				checkNode(x)
			}
			// The edges of the nodes that changed service (an edge is in service only while
			// both its ends are), and those of their own.
			for _, x := range slices.Clone(changed) {
				for _, adj := range [2][]int32{whole.out[x], whole.in[x]} {
					for _, e := range adj {
						if controls[e] {
							checkEdge(int(e))
						}
					}
				}
			}
			for _, e := range edgesAt[y] {
				checkEdge(e)
			}
		}
		affected := downstream(whole, controls, changed, mark)
		var order []int
		for _, x := range affected {
			terms[x], base[x], val[x] = controlInputs(whole, x, nodeOn[x], edgeOn, h)
			if base[x] != nil {
				order = append(order, x)
			}
		}
		lookThrough(order, terms, base, val, len(h.states))
		for _, x := range affected {
			if kind := whole.nodes[x].Kind; kind == State || kind == Coalition {
				continue
			}
			// Merge the open spans with the shares of the year (those reported),
			// both in state order: a span whose share is gone or differs ends the year before,
			// a share with no open span opens one.
			next = next[:0]
			cur, i := open[x], 0
			for _, e := range val[x] {
				share, ok := reported(e.val)
				if !ok {
					continue
				}
				for ; i < len(cur) && spans[cur[i]].state <= e.key; i++ {
					if s := &spans[cur[i]]; s.state == e.key && s.share == share {
						next = append(next, cur[i])
					} else {
						s.until = y - 1
					}
				}
				if len(next) == 0 || spans[next[len(next)-1]].state != e.key {
					next = append(next, int32(len(spans)))
					spans = append(spans, span{int32(x), e.key, share, y, MaxYear})
				}
			}
			for ; i < len(cur); i++ {
				spans[cur[i]].until = y - 1
			}
			open[x] = append(cur[:0], next...)
		}
	}
	// Each node's spans were opened in order of since and state: grouping them by node, in
	// node (id) order, orders them by entity, since and state.
	first := make([]int, n+1)
	for _, s := range spans {
		first[s.node+1]++
	}
	for x := range n {
		first[x+1] += first[x]
	}
	out := make([]ControlSpan, len(spans))
	for _, s := range spans {
		c := ControlSpan{Entity: whole.nodes[s.node].ID, State: h.states[s.state], Share: s.share, Since: s.since, Until: s.until}
		if c.Since == MinYear {
			c.Since = 0
		}
		if c.Until == MaxYear {
			c.Until = 0
		}
		out[first[s.node]] = c
		first[s.node]++
	}
	return out
}

// conveysControl reports whether edges of kind k pass control on: ownership and operation.
func conveysControl(k EdgeKind) bool { return k == Owns || k == Operates }

// downstream returns the nodes reachable from from by the edges that controls marks, ownership
// and operation (of any year), from included, ascending. mark is scratch space of
// len(net.nodes), all false, and is left so.
func downstream(net *Network, controls []bool, from []int, mark []bool) []int {
	var out []int
	stack := slices.Clone(from)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if mark[x] {
			continue
		}
		mark[x] = true
		out = append(out, x)
		for _, e := range net.out[x] {
			if controls[e] {
				stack = append(stack, int(net.to[e]))
			}
		}
	}
	for _, x := range out {
		mark[x] = false
	}
	slices.Sort(out)
	return out
}

// Owner is an owner of an entity with its effective share: the sum over ownership chains of the
// product of the shares. Ultimate owners have no recorded owner themselves.
type Owner struct {
	NodeRef
	Share    float64 `json:"share"`
	Ultimate bool    `json:"ultimate"`
}

// Control describes who controls an entity.
type Control struct {
	NodeRef
	ControllingState string       `json:"controlling_state"`
	States           []StateShare `json:"states"`
	Owners           []Owner      `json:"owners"`
}

// ControlOf returns the effective owners of the entity (direct and through chains), its ultimate
// owners, and its controlling states (see controlShares for the definition).
// The owners' effective shares are those of effectiveShares upwards.
// Errors: ENotFound; EConflict when the shares do not converge (see lookThrough).
func ControlOf(net *Network, id string) (*Control, error) {
	x, ok := net.index[id]
	if !ok {
		return nil, Errorf(ENotFound, "unknown node %q", id)
	}
	ctrl := controlShares(net)
	out := &Control{NodeRef: net.Ref(x), ControllingState: controllingState(ctrl[x]), States: sortedShares(ctrl[x]), Owners: []Owner{}}
	owners, shares, converged := net.effectiveShares(x, true)
	if !converged {
		return nil, Errorf(EConflict, "the effective shares of the owners of %q do not converge: an ownership cycle above it holds nearly all of its members", id)
	}
	for i, o := range owners {
		out.Owners = append(out.Owners, Owner{NodeRef: net.Ref(o), Share: round6(shares[i]), Ultimate: len(net.ownsEdges(o, true)) == 0})
	}
	slices.SortFunc(out.Owners, func(a, b Owner) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// ControlledEntity is an entity and the state that controls it most.
type ControlledEntity struct {
	NodeRef
	ControllingState string  `json:"controlling_state"`
	Share            float64 `json:"share"`
}

// ControlTable returns the controlling state of every firm and facility, optionally only those
// handling the commodity (empty: all), ordered by id.
// Errors: ENotFound for an unknown commodity.
func ControlTable(net *Network, commodity string) ([]ControlledEntity, error) {
	handles, err := net.handlers(commodity)
	if err != nil {
		return nil, err
	}
	ctrl := controlShares(net)
	out := []ControlledEntity{}
	for i := range net.nodes {
		if net.nodes[i].Kind == State || handles != nil && !handles[i] {
			continue
		}
		top := sortedShares(ctrl[i])
		out = append(out, ControlledEntity{NodeRef: net.Ref(i), ControllingState: top[0].State, Share: top[0].Share})
	}
	return out, nil
}

// checkOwnershipCycles reports every ring of owners whose shares make the look-through diverge:
// a strongly connected set of owns edges in service in one year in which the owners inside the
// set hold all (a share of at least 1) of each member. The effective shares around such a ring,
// sums over ever longer chains, grow without bound; a ring that leaves part of one member to
// outside owners has a limit. The owns edges in service change only at their since years, so
// those years (and the first) are checked. O(years · owns edges).
func (ds *Dataset) checkOwnershipCycles(ps *problems) {
	var owns []int
	for i := range ds.Edges {
		if e := &ds.Edges[i]; e.Kind == Owns && e.Share != nil && *e.Share > 0 && *e.Share <= 1 && e.From != e.To {
			owns = append(owns, i)
		}
	}
	years := []int{MinYear}
	for _, i := range owns {
		if s := ds.Edges[i].Since; s > MinYear {
			years = append(years, s)
		}
	}
	slices.Sort(years)
	reported := map[string]bool{}
	for _, y := range slices.Compact(years) {
		var active []int
		for _, i := range owns {
			if e := &ds.Edges[i]; ExistsIn(e.Since, e.Until, y) {
				active = append(active, i)
			}
		}
		for _, ring := range ownershipRings(ds.Edges, active) {
			key := strings.Join(ring.members, " ")
			if reported[key] {
				continue
			}
			reported[key] = true
			when := ""
			if y != MinYear {
				when = fmt.Sprintf(" in %d", y)
			}
			e := &ds.Edges[ring.last]
			ps.add(e.at, place{"edges", ring.last}, "share",
				"the ownership cycle among %s holds all of each of its members%s, so effective shares around it grow without bound: leave part of one member to an owner outside the cycle",
				strings.Join(ring.members, ", "), when)
		}
	}
}

// ring is a divergent ownership cycle: its members (sorted) and its owns edge with the highest index.
type ring struct {
	members []string
	last    int
}

// ownershipRings returns the strongly connected sets of the owns edges idx (Tarjan's algorithm)
// whose members are each held wholly, within 1e-9, by owners in the set.
func ownershipRings(edges []Edge, idx []int) []ring {
	index := map[string]int{}
	var ids []string
	node := func(id string) int {
		if i, ok := index[id]; ok {
			return i
		}
		index[id] = len(ids)
		ids = append(ids, id)
		return len(ids) - 1
	}
	type arc struct{ to, edge int }
	var out [][]arc
	for _, i := range idx {
		f, t := node(edges[i].From), node(edges[i].To)
		for len(out) < len(ids) {
			out = append(out, nil)
		}
		out[f] = append(out[f], arc{t, i})
	}
	n := len(ids)
	order, low, comp := make([]int, n), make([]int, n), make([]int, n)
	for i := range order {
		order[i], comp[i] = -1, -1
	}
	var stack []int
	next, comps := 0, 0
	var visit func(v int)
	visit = func(v int) {
		order[v], low[v] = next, next
		next++
		stack = append(stack, v)
		for _, a := range out[v] {
			switch {
			case order[a.to] < 0:
				visit(a.to)
				low[v] = min(low[v], low[a.to])
			case comp[a.to] < 0:
				low[v] = min(low[v], order[a.to])
			}
		}
		if low[v] == order[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				comp[w] = comps
				if w == v {
					break
				}
			}
			comps++
		}
	}
	for v := range n {
		if order[v] < 0 {
			visit(v)
		}
	}
	held := make([]float64, n)
	size := make([]int, comps)
	last := make([]int, comps)
	for v := range n {
		size[comp[v]]++
		for _, a := range out[v] {
			if comp[a.to] == comp[v] {
				held[a.to] += *edges[a.edge].Share
				last[comp[v]] = max(last[comp[v]], a.edge)
			}
		}
	}
	whole := make([]bool, comps)
	for c := range whole {
		whole[c] = size[c] > 1
	}
	for v := range n {
		if held[v] < 1-1e-9 {
			whole[comp[v]] = false
		}
	}
	var rings []ring
	for c := range comps {
		if !whole[c] {
			continue
		}
		r := ring{last: last[c]}
		for v := range n {
			if comp[v] == c {
				r.members = append(r.members, ids[v])
			}
		}
		slices.Sort(r.members)
		rings = append(rings, r)
	}
	return rings
}
