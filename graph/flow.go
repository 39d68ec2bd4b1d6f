package graph

import (
	"math"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// Limits that keep one analysis request bounded.
const (
	MaxTop    = 1000 // ranked results
	MaxRoutes = 50   // k of alternative routes
	MaxHops   = 20   // hop limit of a route
)

// Defaults of a request that leaves a number out (zero), the same in the API, the CLI and the
// scenarios.
const (
	DefaultTop     = 5  // chokepoints a flow view highlights
	DefaultRoutes  = 5  // k of alternative routes
	DefaultMaxHops = 10 // hop limit of a route
)

// Query names what an analysis looks at: a commodity (a family such as rare-earths, or one
// product) and a consumer (a firm or facility id, or a state id meaning every firm headquartered
// and facility located there).
type Query struct {
	Commodity string `json:"commodity"`
	Consumer  string `json:"consumer,omitempty"`
}

// flowGraph is the directed graph of the supplies and offtake edges carrying the commodity, with
// a super sink T fed by the consumer's members and a super source S feeding every origin: every
// mine, and every refinery for which the dataset records no input of the commodity in any year.
// Node i < N is network node i; S = N, T = N+1. Amounts are in the selection's unit (see unit),
// so that the products of a family add up.
type flowGraph struct {
	net     *Network
	g       *algo.Digraph
	nodeCap []float64 // facility capacity in the commodity; +Inf when unknown or not a facility
	edgeOf  []int     // network edge of each arc; -1 for arcs from S or into T
	sources []int     // origins with out-arcs: mines, and refineries with no recorded input
	members []int
	s, t    int
}

// newFlowGraph builds the flow graph of q. A consumer is required.
// Errors: ENotFound for an unknown commodity or consumer, EInvalid for a missing consumer.
func newFlowGraph(net *Network, q Query) (*flowGraph, error) {
	set, err := net.CommoditySet(q.Commodity)
	if err != nil {
		return nil, err
	}
	members, err := net.consumerMembers(q.Consumer)
	if err != nil {
		return nil, err
	}
	n := len(net.nodes)
	fg := &flowGraph{net: net, members: members, s: n, t: n + 1, nodeCap: make([]float64, n+2)}
	var arcs []algo.Arc
	hasIn, hasOut := make([]bool, n), make([]bool, n)
	for i := range net.edges {
		e := &net.edges[i]
		if (e.Kind != Supplies && e.Kind != Offtake) || !set[e.Commodity] {
			continue
		}
		c := math.Inf(1)
		if e.VolumeTPA != nil {
			c = *e.VolumeTPA * net.unit(q.Commodity, e.Commodity)
		}
		from, to := int(net.from[i]), int(net.to[i])
		arcs = append(arcs, algo.Arc{From: from, To: to, Cap: c, Cost: 1})
		fg.edgeOf = append(fg.edgeOf, i)
		hasOut[from], hasIn[to] = true, true
	}
	for i := range net.nodes {
		fg.nodeCap[i] = net.throughput(i, q.Commodity, set)
		nd := &net.nodes[i]
		if nd.Kind.IsFacility() && hasOut[i] && (nd.Kind == Mine || !hasIn[i] && !net.recordsInputs(nd.ID, set)) {
			fg.sources = append(fg.sources, i)
		}
	}
	fg.nodeCap[fg.s], fg.nodeCap[fg.t] = math.Inf(1), math.Inf(1)
	for _, src := range fg.sources {
		arcs = append(arcs, algo.Arc{From: fg.s, To: src, Cap: math.Inf(1)})
		fg.edgeOf = append(fg.edgeOf, -1)
	}
	for _, m := range members {
		arcs = append(arcs, algo.Arc{From: m, To: fg.t, Cap: math.Inf(1)})
		fg.edgeOf = append(fg.edgeOf, -1)
	}
	fg.g = algo.NewDigraph(n+2, arcs)
	return fg, nil
}

// recordsInputs reports whether the dataset records any input of the selection for the node,
// in any year: such a node is fed, not an origin, even where a cut removed its suppliers.
func (n *Network) recordsInputs(id string, set map[string]bool) bool {
	for c := range n.Whole().inputsOf()[id] {
		if set[c] {
			return true
		}
	}
	return false
}

// inputsOf returns, by node id, the commodities each node of n receives through supplies and
// offtake edges. Called on the whole network, computed once.
func (n *Network) inputsOf() map[string]map[string]bool {
	n.inputsOnce.Do(func() {
		n.inputs = map[string]map[string]bool{}
		for _, e := range n.edges {
			if e.Kind == Supplies || e.Kind == Offtake {
				if n.inputs[e.To] == nil {
					n.inputs[e.To] = map[string]bool{}
				}
				n.inputs[e.To][e.Commodity] = true
			}
		}
	})
	return n.inputs
}

// throughput is node i's bound in a commodity selection (see unit): the sum over the selected
// products it makes of its output in the network's year where published, else its capacity;
// +Inf when it has neither for any selected product.
func (n *Network) throughput(i int, sel string, set map[string]bool) float64 {
	nd := &n.nodes[i]
	total, known := 0.0, false
	for _, p := range n.madeBy(nd) {
		if !set[p] {
			continue
		}
		if v, ok := nd.Output[p][n.year]; ok && n.year != 0 {
			total, known = total+v*n.unit(sel, p), true
		} else if v, ok := nd.Capacity[p]; ok {
			total, known = total+v*n.unit(sel, p), true
		}
	}
	if !known {
		return math.Inf(1)
	}
	return total
}

// madeBy lists the products a facility has a capacity or an output for, sorted.
func (n *Network) madeBy(nd *Node) []string {
	var out []string
	for p := range nd.Capacity {
		out = append(out, p)
	}
	for p := range nd.Output {
		if _, dup := nd.Capacity[p]; !dup {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// unit converts tonnes of a product into the unit of a selection: the family's unit when the
// selection is a family (the product's family factor), the product's own tonnes when it is one
// product.
func (n *Network) unit(sel, commodity string) float64 {
	c := n.CommodityOf(commodity)
	if c == nil || sel == commodity {
		return 1
	}
	return c.Factor()
}

// consumerMembers resolves a consumer: a state id (or bare ISO code) to every firm and facility
// there, a coalition to every firm and facility in its member states, any other node id to
// itself, and a comma-separated list to the union of its parts.
// Errors: EInvalid when empty, ENotFound when unknown.
func (n *Network) consumerMembers(consumer string) ([]int, error) {
	if strings.TrimSpace(consumer) == "" {
		return nil, Errorf(EInvalid, "a consumer is required (a firm or facility id, a state such as state:JP, a coalition, or a comma-separated list)")
	}
	seen := map[int]bool{}
	var members []int
	add := func(j int) {
		if !seen[j] {
			seen[j] = true
			members = append(members, j)
		}
	}
	for _, id := range strings.Split(consumer, ",") {
		id = strings.TrimSpace(id)
		if IsStateCode(id) {
			id = StateID(id)
		}
		i, ok := n.index[id]
		if !ok && !strings.HasPrefix(id, "coalition:") {
			return nil, Errorf(ENotFound, "unknown consumer %q", id)
		}
		switch kind := KindOfID(id); kind {
		case State, Coalition:
			states, err := n.stateSet([]string{id})
			if err != nil {
				return nil, err
			}
			for j := range n.nodes {
				if k := n.nodes[j].Kind; k != State && k != Coalition && states[n.nodes[j].State] {
					add(j)
				}
			}
		default:
			add(i)
		}
	}
	slices.Sort(members)
	return members, nil
}

// maxFlow runs the maximum flow from the origins to T.
func (fg *flowGraph) maxFlow() algo.FlowResult {
	return algo.MaxFlow(fg.g, fg.nodeCap, fg.sources, fg.t)
}

// Supply is the maximum supply of a commodity that can reach a consumer.
type Supply struct {
	Query
	MaxSupply Amount `json:"max_supply"`
	Unbounded bool   `json:"unbounded"`
	Sources   int    `json:"sources"`
	Members   int    `json:"members"`
}

// MaxSupply returns the maximum flow of the commodity from every origin (mines, and refineries
// whose inputs the dataset does not record) to the consumer, with node capacities (facility capacity in the
// commodity) and edge capacities (volume_tpa); unknown capacities are unbounded.
// Dinic's algorithm on the node-split graph: O(V²E).
// Errors: EInvalid, ENotFound (see Query).
func MaxSupply(net *Network, q Query) (*Supply, error) {
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	v := fg.maxFlow().Value
	return &Supply{Query: q, MaxSupply: Amount(v), Unbounded: math.IsInf(v, 1), Sources: len(fg.sources), Members: len(fg.members)}, nil
}

// Chokepoint methods.
const (
	MethodDominators   = "dominators"
	MethodFlow         = "flow"
	MethodCut          = "cut"
	MethodArticulation = "articulation"
)

// ChokepointMethods returns a new list of the methods in a fixed order.
func ChokepointMethods() []string {
	return []string{MethodDominators, MethodFlow, MethodCut, MethodArticulation}
}

// Ranked is a node with a score; Share is the score as a share of the baseline where that means
// something (a loss of max supply).
type Ranked struct {
	NodeRef
	Score float64  `json:"score"`
	Share *float64 `json:"share,omitempty"`
}

// Chokepoints is the result of one chokepoint method.
type Chokepoints struct {
	Query
	Method    string    `json:"method"`
	MaxSupply Amount    `json:"max_supply"`
	Nodes     []Ranked  `json:"nodes"`
	Edges     []EdgeRef `json:"edges,omitempty"`
}

// FindChokepoints ranks the chokepoints between the commodity's origins and the consumer by one
// method:
// The consumer's own members are not ranked by dominators and flow: they are the destination.
//   - dominators: the nodes on every origin→consumer path (the dominators of the consumer in the
//     flow graph rooted at a super source; Cooper, Harvey and Kennedy 2001), ordered from the
//     origins down; each scores the whole max supply.
//   - flow: every node whose removal lowers the max supply, scored by the drop (absolute, and as
//     a share of the baseline); computed from the one maximum flow (see flowLosses).
//   - cut: a minimum cut closest to the origins: its edges, and its nodes scored by capacity.
//   - articulation: the articulation points of the undirected flow graph, each scored by the
//     number of nodes it separates from the largest remaining component; and its bridges.
//
// top ≤ 0 returns every node. Ranked lists are ordered by score descending, then id.
// Errors: EInvalid (unknown method, top over MaxTop), ENotFound.
func FindChokepoints(net *Network, q Query, method string, top int) (*Chokepoints, error) {
	if !slices.Contains(ChokepointMethods(), method) {
		return nil, Errorf(EInvalid, "unknown chokepoint method %q (want %s)", method, strings.Join(ChokepointMethods(), ", "))
	}
	if top > MaxTop {
		return nil, Errorf(EInvalid, "top %d is over the limit of %d", top, MaxTop)
	}
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	var base algo.FlowResult
	var removal *algo.NodeRemoval
	if method == MethodFlow {
		base, removal = algo.MaxFlowRemoval(fg.g, fg.nodeCap, fg.sources, fg.t)
	} else {
		base = fg.maxFlow()
	}
	out := &Chokepoints{Query: q, Method: method, MaxSupply: Amount(base.Value), Nodes: []Ranked{}}
	switch method {
	case MethodDominators:
		idom := algo.ImmediateDominators(fg.g, fg.s)
		doms := algo.Dominators(idom, fg.t)
		for i := len(doms) - 1; i >= 0; i-- {
			if v := doms[i]; v < len(net.nodes) && !slices.Contains(fg.members, v) {
				one := 1.0
				out.Nodes = append(out.Nodes, Ranked{NodeRef: net.Ref(v), Score: round6(base.Value), Share: &one})
			}
		}
		return out, nil // dominators keep their upstream-to-consumer order
	case MethodFlow:
		out.Nodes = fg.flowLosses(base, removal, top)
	case MethodCut:
		for _, v := range base.CutNodes {
			if v < len(net.nodes) {
				out.Nodes = append(out.Nodes, Ranked{NodeRef: net.Ref(v), Score: round6(fg.nodeCap[v])})
			}
		}
		for _, a := range base.CutArcs {
			if e := fg.edgeOf[a]; e >= 0 {
				out.Edges = append(out.Edges, net.edgeRef(e))
			}
		}
	case MethodArticulation:
		out.Nodes, out.Edges = fg.articulation()
	}
	sortRanked(out.Nodes)
	if top > 0 && len(out.Nodes) > top {
		out.Nodes = out.Nodes[:top]
	}
	return out, nil
}

// flowLosses scores every node that carries flow by the max supply lost when it is removed, and
// returns those that lose more than 1e-9, or, for top > 0, at least the top best of them by
// (score descending, id). The losses come from the maximum flow already found, pruned by top and
// computed in parallel (algo.NodeRemoval.TopLosses); the result is exactly that of one fresh
// maximum flow per carrier.
func (fg *flowGraph) flowLosses(base algo.FlowResult, nr *algo.NodeRemoval, top int) []Ranked {
	if nr == nil || math.IsInf(base.Value, 1) || base.Value == 0 {
		return nil
	}
	var cands []int
	for v := range fg.net.nodes {
		if base.Through[v] > 0 && !slices.Contains(fg.members, v) {
			cands = append(cands, v)
		}
	}
	slices.SortFunc(cands, func(a, b int) int { return strings.Compare(fg.net.nodes[a].ID, fg.net.nodes[b].ID) })
	var out []Ranked
	for _, l := range nr.TopLosses(cands, base.Through, top, 1e-9, round6) {
		share := round6(l.Loss / base.Value)
		out = append(out, Ranked{NodeRef: fg.net.Ref(l.Node), Score: round6(l.Loss), Share: &share})
	}
	return out
}

// articulation returns the articulation points of the undirected flow graph (super nodes left
// out), scored by how many nodes each separates from the largest remaining component, and the
// bridges as edges.
func (fg *flowGraph) articulation() ([]Ranked, []EdgeRef) {
	n := len(fg.net.nodes)
	var arcs []algo.Arc
	var edgeOf []int
	for a, arc := range fg.g.Arcs() {
		if fg.edgeOf[a] >= 0 {
			arcs = append(arcs, arc)
			edgeOf = append(edgeOf, fg.edgeOf[a])
		}
	}
	g := algo.NewDigraph(n, arcs)
	var nodes []Ranked
	aps, sep := algo.ArticulationPoints(g)
	for i, v := range aps {
		nodes = append(nodes, Ranked{NodeRef: fg.net.Ref(v), Score: float64(sep[i])})
	}
	var edges []EdgeRef
	for _, b := range algo.Bridges(g) {
		edges = append(edges, fg.net.edgeRef(edgeBetween(g, edgeOf, b[0], b[1])))
	}
	return nodes, edges
}

// edgeBetween returns the network edge of the first arc between u and v in either direction.
func edgeBetween(g *algo.Digraph, edgeOf []int, u, v int) int {
	for _, a := range g.Out(u) {
		if g.Arcs()[a].To == v {
			return edgeOf[a]
		}
	}
	for _, a := range g.Out(v) {
		if g.Arcs()[a].To == u {
			return edgeOf[a]
		}
	}
	panic("graph: bridge without an arc")
}

func sortRanked(r []Ranked) { slices.SortStableFunc(r, compareRanked) }

// compareRanked orders by score descending, then id.
func compareRanked(a, b Ranked) int {
	if a.Score != b.Score {
		if a.Score > b.Score {
			return -1
		}
		return 1
	}
	return strings.Compare(a.ID, b.ID)
}
