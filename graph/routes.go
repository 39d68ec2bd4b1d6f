package graph

import (
	"math"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// Route costs.
const (
	CostHops = "hops" // every edge costs 1
	CostRisk = "risk" // an edge costs 1 + the governance risk (0..10) of the state it enters; 5 when unscored
)

// RouteQuery asks for alternative routes of a commodity to a consumer.
type RouteQuery struct {
	Query
	// From is a node id, a state (every mine located there), or empty for every origin.
	From    string `json:"from,omitempty"`
	K       int    `json:"k"`
	MaxHops int    `json:"max_hops"`
	Cost    string `json:"cost"`
	Avoid   Avoid  `json:"avoid"`
}

// Avoid lists what routes must not pass through.
// States may be given as ISO codes, state ids or coalitions (coalition:quad, its members). The
// Only lists are allow-lists (friend-shoring): every node outside them is avoided.
type Avoid struct {
	StatesByLocation     []string `json:"states_by_location,omitempty"`      // nodes located or headquartered there
	StatesByControl      []string `json:"states_by_control,omitempty"`       // nodes whose controlling state it is
	OnlyStatesByLocation []string `json:"only_states_by_location,omitempty"` // nodes located elsewhere
	OnlyStatesByControl  []string `json:"only_states_by_control,omitempty"`  // nodes controlled from elsewhere
	Firms                []string `json:"firms,omitempty"`                   // the firm and what it controls or operates
	Nodes                []string `json:"nodes,omitempty"`
}

// Route is one path from an origin to the consumer: its nodes, every edge of the commodity
// between consecutive nodes, its hops and cost, and its bottleneck, the smallest of the nodes'
// capacities and the hops' capacities (the summed volumes of a hop's edges).
type Route struct {
	Nodes      []NodeRef `json:"nodes"`
	Edges      []EdgeRef `json:"edges"`
	Hops       int       `json:"hops"`
	Cost       float64   `json:"cost"`
	Bottleneck Amount    `json:"bottleneck_tpa"`
}

// Routes is the answer to a RouteQuery.
type Routes struct {
	RouteQuery
	Routes []Route `json:"routes"`
}

// AlternativeRoutes returns the k shortest simple paths (Yen 1971) of the commodity's flow graph
// from the origins in q.From to the consumer, by hop count or risk cost, that avoid the states,
// firms and nodes in q.Avoid and have at most q.MaxHops hops. Each route carries its bottleneck:
// the smallest facility capacity or hop capacity (the summed volumes of the edges between two
// consecutive nodes) along it. Defaults: k DefaultRoutes, max hops DefaultMaxHops, cost hops.
// Errors: EInvalid (limits, cost), ENotFound (commodity, consumer, from, avoided ids).
func AlternativeRoutes(net *Network, q RouteQuery) (*Routes, error) {
	if q.K == 0 {
		q.K = DefaultRoutes
	}
	if q.MaxHops == 0 {
		q.MaxHops = DefaultMaxHops
	}
	if q.Cost == "" {
		q.Cost = CostHops
	}
	switch {
	case q.K < 0 || q.K > MaxRoutes:
		return nil, Errorf(EInvalid, "k must be 1..%d, got %d", MaxRoutes, q.K)
	case q.MaxHops < 0 || q.MaxHops > MaxHops:
		return nil, Errorf(EInvalid, "max hops must be 1..%d, got %d", MaxHops, q.MaxHops)
	case q.Cost != CostHops && q.Cost != CostRisk:
		return nil, Errorf(EInvalid, "unknown cost %q (want hops or risk)", q.Cost)
	}
	fg, err := newFlowGraph(net, q.Query)
	if err != nil {
		return nil, err
	}
	from, err := net.routeOrigins(q.From, fg.sources)
	if err != nil {
		return nil, err
	}
	blocked, err := net.blocked(q.Avoid)
	if err != nil {
		return nil, err
	}
	gov := governanceScores(net)
	n := len(net.nodes)
	var arcs []algo.Arc
	var edgeOf []int
	for a, arc := range fg.g.Arcs() {
		if e := fg.edgeOf[a]; e >= 0 {
			arc.Cost = 1
			if q.Cost == CostRisk {
				risk := 5.0
				if g, scored := gov[nodeState(&net.nodes[arc.To])]; scored {
					risk = 10 * (1 - g)
				}
				arc.Cost = 1 + risk
			}
			arcs = append(arcs, arc)
			edgeOf = append(edgeOf, e)
		}
	}
	s, t := n, n+1
	for _, v := range from {
		arcs = append(arcs, algo.Arc{From: s, To: v, Cap: math.Inf(1)})
	}
	for _, m := range fg.members {
		arcs = append(arcs, algo.Arc{From: m, To: t, Cap: math.Inf(1)})
	}
	g := algo.NewDigraph(n+2, arcs)
	allowed := func(v int) bool { return v >= n || !blocked[v] }
	out := &Routes{RouteQuery: q, Routes: []Route{}}
	for _, p := range algo.KShortestPaths(g, s, t, q.K, q.MaxHops+2, q.Cost != CostHops, allowed) {
		r := Route{Bottleneck: Amount(math.Inf(1))}
		bottleneck := math.Inf(1)
		for _, v := range p.Nodes[1 : len(p.Nodes)-1] {
			r.Nodes = append(r.Nodes, net.Ref(v))
			bottleneck = math.Min(bottleneck, fg.nodeCap[v])
		}
		for i, a := range p.Arcs {
			if a >= len(edgeOf) {
				continue // an arc from S or into T
			}
			// Every edge of the commodity between the two nodes carries the route: the hop's
			// capacity is their sum.
			hop := 0.0
			for _, b := range g.Out(p.Nodes[i]) {
				if int(b) < len(edgeOf) && g.Arcs()[b].To == p.Nodes[i+1] {
					r.Edges = append(r.Edges, net.edgeRef(edgeOf[b]))
					hop += g.Arcs()[b].Cap
				}
			}
			r.Hops++
			r.Cost += g.Arcs()[a].Cost
			bottleneck = math.Min(bottleneck, hop)
		}
		if r.Edges == nil {
			r.Edges = []EdgeRef{}
		}
		r.Bottleneck, r.Cost = Amount(bottleneck), round6(r.Cost)
		out.Routes = append(out.Routes, r)
	}
	return out, nil
}

// routeOrigins resolves where routes start: a node, every mine of a state, or every origin.
func (n *Network) routeOrigins(from string, origins []int) ([]int, error) {
	if from == "" {
		return origins, nil
	}
	if IsStateCode(from) {
		from = StateID(from)
	}
	i, ok := n.index[from]
	if !ok {
		return nil, Errorf(ENotFound, "unknown route origin %q", from)
	}
	if n.nodes[i].Kind != State {
		return []int{i}, nil
	}
	var mines []int
	for j := range n.nodes {
		if n.nodes[j].Kind == Mine && n.nodes[j].State == nodeState(&n.nodes[i]) {
			mines = append(mines, j)
		}
	}
	return mines, nil
}

// blocked marks the nodes an Avoid excludes.
func (n *Network) blocked(av Avoid) ([]bool, error) {
	out := make([]bool, len(n.nodes))
	var sets [4]map[string]bool
	for k, list := range [][]string{av.StatesByLocation, av.StatesByControl, av.OnlyStatesByLocation, av.OnlyStatesByControl} {
		set, err := n.stateSet(list)
		if err != nil {
			return nil, err
		}
		sets[k] = set
	}
	byLoc, byCtrl, onlyLoc, onlyCtrl := sets[0], sets[1], sets[2], sets[3]
	var ctrl [][]StateShare
	if len(byCtrl) > 0 || len(onlyCtrl) > 0 {
		ctrl = controlShares(n)
	}
	for i := range n.nodes {
		nd := &n.nodes[i]
		if nd.Kind == State || nd.Kind == Coalition {
			continue
		}
		controller := ""
		if ctrl != nil {
			controller = controllingState(ctrl[i])
		}
		if byLoc[nd.State] || byCtrl[controller] ||
			len(av.OnlyStatesByLocation) > 0 && !onlyLoc[nd.State] || len(av.OnlyStatesByControl) > 0 && !onlyCtrl[controller] {
			out[i] = true
		}
	}
	for _, id := range av.Nodes {
		i, ok := n.index[id]
		if !ok {
			return nil, Errorf(ENotFound, "unknown node %q to avoid", id)
		}
		out[i] = true
	}
	for _, id := range av.Firms {
		i, ok := n.index[id]
		if !ok || n.nodes[i].Kind != Firm {
			return nil, Errorf(ENotFound, "unknown firm %q to avoid", id)
		}
		out[i] = true
		for v, share := range n.holdings(i) {
			if share >= 0.5 {
				out[v] = true
			}
		}
		for _, e := range n.out[i] {
			if n.edges[e].Kind == Operates {
				out[n.to[e]] = true
			}
		}
	}
	return out, nil
}

// holdings returns the effective share the owner holds in every entity below it (see
// effectiveShares; past lookThrough's bound the last pass stands).
func (n *Network) holdings(owner int) map[int]float64 {
	ids, shares, _ := n.effectiveShares(owner, false)
	out := make(map[int]float64, len(ids))
	for i, y := range ids {
		out[y] = shares[i]
	}
	return out
}
