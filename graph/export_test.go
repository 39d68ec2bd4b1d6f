package graph

import (
	"math"
	"slices"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// BruteFlowChokepoints is the flow chokepoint ranking by definition, the way it was computed
// before NodeRemoval: one fresh maximum flow per node that carries flow, with that node's
// capacity set to 0; ranked and cut to top like FindChokepoints. Kept for the tests only.
func BruteFlowChokepoints(net *Network, q Query, top int) ([]Ranked, error) {
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	base := fg.maxFlow()
	out := []Ranked{}
	if math.IsInf(base.Value, 1) || base.Value == 0 {
		return out, nil
	}
	capacity := slices.Clone(fg.nodeCap)
	for v := range fg.net.nodes {
		if base.Through[v] <= 0 || slices.Contains(fg.members, v) {
			continue
		}
		saved := capacity[v]
		capacity[v] = 0
		loss := base.Value - algo.MaxFlow(fg.g, capacity, fg.sources, fg.t).Value
		capacity[v] = saved
		if loss <= 1e-9 {
			continue
		}
		share := round6(loss / base.Value)
		out = append(out, Ranked{NodeRef: fg.net.Ref(v), Score: round6(loss), Share: &share})
	}
	sortRanked(out)
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out, nil
}

// Holdings is the effective share the owner holds in every entity below it, by id.
func Holdings(net *Network, owner string) map[string]float64 {
	out := map[string]float64{}
	for i, v := range net.holdings(net.index[owner]) {
		out[net.nodes[i].ID] = v
	}
	return out
}

// ResolveGap compares the tracer's resolve with a full solve for the network's flow graph of q:
// for each set of node indices, the u of solve with own = base plus the set attributed wholly,
// against resolve from solve(base)'s u. It returns the largest difference over every node and
// set, whether the flow graph is acyclic (then resolve must equal solve exactly), and whether u
// came back to solve(base)'s after restoring the nodes resolve reported.
func ResolveGap(net *Network, q Query, base []float64, sets [][]int) (gap float64, acyclic, restored bool, err error) {
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return 0, false, false, err
	}
	t := newTracer(fg)
	pos := make([]int, len(base))
	for i, v := range t.order {
		pos[v] = i + 1
	}
	acyclic = true
	for v, list := range t.in {
		for _, a := range list {
			if from := t.arcs[a].From; pos[from] != 0 && pos[from] >= pos[v] {
				acyclic = false
			}
		}
	}
	uBase, _ := t.solve(base)
	u := slices.Clone(uBase)
	for _, set := range sets {
		own := slices.Clone(base)
		for _, v := range set {
			own[v] = 1
		}
		want, _ := t.solve(own)
		changed := t.resolve(u, base, set)
		for v := range u {
			gap = max(gap, math.Abs(u[v]-want[v]))
		}
		for _, v := range changed {
			u[v] = uBase[v]
		}
	}
	return gap, acyclic, slices.Equal(u, uBase), nil
}
