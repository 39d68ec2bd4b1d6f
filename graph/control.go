package graph

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// controlIterations bounds the fixed-point iterations over ownership cycles; each iteration
// multiplies what is left on a cycle by a share below 1, so 200 suffice to 1e-12 for shares ≤ 0.87.
const controlIterations = 200

// ownerIterations bounds the iterations of the effective shares of one entity's owners, which
// converge, slowly when a ring of owners holds nearly all of its members; past it, ControlOf
// reports the shares as not converging rather than returning wrong ones.
const ownerIterations = 100000

// StateShare is a state's share of the control of an entity.
type StateShare struct {
	State string  `json:"state"`
	Share float64 `json:"share"`
}

// controlShares returns, for every node, its controlling states weighted by effective share:
// a state controls itself wholly; any other node is controlled by its owners in proportion to
// their shares, and the part no recorded owner holds (free float, unrecorded holders) by its home
// state (where it is located or headquartered):
//
//	c(x) = Σ_{o owns x with share s} s·c(o) + (1 − Σ s)·δ(home(x))
//
// A facility with no recorded owner is held by its operators, in equal shares.
//
// solved by fixed-point iteration, which converges whenever every ownership cycle holds less
// than 1. O(iterations · owns edges · states). Computed once per Network; callers must not
// modify the maps.
func controlShares(net *Network) []map[string]float64 {
	net.controlOnce.Do(func() { net.control = computeControl(net) })
	return net.control
}

func computeControl(net *Network) []map[string]float64 {
	n := len(net.nodes)
	ctrl := make([]map[string]float64, n)
	for i := range net.nodes {
		ctrl[i] = map[string]float64{nodeState(&net.nodes[i]): 1}
	}
	type holder struct {
		from  int32
		share float64
	}
	owned := make([][]holder, n)
	operated := make([][]int32, n)
	for e := range net.edges {
		switch net.edges[e].Kind {
		case Owns:
			owned[net.to[e]] = append(owned[net.to[e]], holder{net.from[e], *net.edges[e].Share})
		case Operates:
			operated[net.to[e]] = append(operated[net.to[e]], net.from[e])
		}
	}
	for x := range owned {
		if len(owned[x]) == 0 {
			for _, op := range operated[x] {
				owned[x] = append(owned[x], holder{op, 1 / float64(len(operated[x]))})
			}
		}
	}
	for iter := 0; iter < controlIterations; iter++ {
		change := 0.0
		for x := range net.nodes {
			if net.nodes[x].Kind == State || len(owned[x]) == 0 {
				continue
			}
			next := map[string]float64{}
			held := 0.0
			for _, h := range owned[x] {
				held += h.share
				for st, v := range ctrl[h.from] {
					next[st] += h.share * v
				}
			}
			next[nodeState(&net.nodes[x])] += math.Max(0, 1-held)
			for st, v := range next {
				change = math.Max(change, math.Abs(v-ctrl[x][st]))
			}
			ctrl[x] = next
		}
		if change < 1e-12 {
			break
		}
	}
	return ctrl
}

// sortedShares orders a share map by share descending, then state; tiny shares are dropped.
func sortedShares(m map[string]float64) []StateShare {
	out := make([]StateShare, 0, len(m))
	for st, v := range m {
		if v > 1e-9 {
			out = append(out, StateShare{State: st, Share: round6(v)})
		}
	}
	slices.SortFunc(out, func(a, b StateShare) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), strings.Compare(a.State, b.State))
	})
	return out
}

// controllingState is the state with the largest control share (ties to the lower code).
func controllingState(m map[string]float64) string {
	if s := sortedShares(m); len(s) > 0 {
		return s[0].State
	}
	return ""
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
// Effective ownership e(o) of owner o solves e(x) = 1, e(o) = Σ_{o owns y with share s} s·e(y)
// over the owners reachable upwards from x, by fixed-point iteration.
// Errors: ENotFound.
func ControlOf(net *Network, id string) (*Control, error) {
	x, ok := net.index[id]
	if !ok {
		return nil, Errorf(ENotFound, "unknown node %q", id)
	}
	ctrl := controlShares(net)
	out := &Control{NodeRef: net.Ref(x), ControllingState: controllingState(ctrl[x]), States: sortedShares(ctrl[x]), Owners: []Owner{}}
	// Owners reachable upwards.
	up := map[int]bool{}
	stack := []int{x}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range net.in[v] {
			if o := int(net.from[e]); net.edges[e].Kind == Owns && !up[o] && o != x {
				up[o] = true
				stack = append(stack, o)
			}
		}
	}
	// In a defined order, so that every call computes the same numbers; validation refuses the
	// rings that diverge (checkOwnershipCycles), so the iteration converges to the limit.
	order := slices.Sorted(maps.Keys(up))
	eff := map[int]float64{x: 1}
	converged := false
	for iter := 0; iter < ownerIterations && !converged; iter++ {
		change, largest := 0.0, 1.0
		for _, o := range order {
			v := 0.0
			for _, e := range net.out[o] {
				if net.edges[e].Kind == Owns {
					v += *net.edges[e].Share * eff[int(net.to[e])]
				}
			}
			change = math.Max(change, math.Abs(v-eff[o]))
			largest = math.Max(largest, v)
			eff[o] = v
		}
		converged = change < 1e-12*largest
	}
	if len(order) > 0 && !converged {
		return nil, Errorf(EConflict, "the effective shares of the owners of %q do not converge: an ownership cycle above it holds nearly all of its members", id)
	}
	for _, o := range order {
		ultimate := true
		for _, e := range net.in[o] {
			if net.edges[e].Kind == Owns {
				ultimate = false
			}
		}
		out.Owners = append(out.Owners, Owner{NodeRef: net.Ref(o), Share: round6(eff[o]), Ultimate: ultimate})
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
			ps.add(e.at, fmt.Sprintf("edges[%d]", ring.last), "share",
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
