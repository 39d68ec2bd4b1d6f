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
