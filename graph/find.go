package graph

import "strings"

// NodeFilter selects nodes; a zero field matches everything.
type NodeFilter struct {
	Kind      Kind   // node kind
	State     string // ISO code of the location or headquarters
	Commodity string // family or product the node has capacity in or trades
	Name      string // case-insensitive substring of the name or id
}

// FindNodes returns the nodes that match f, ordered by id.
// Errors: ENotFound for an unknown commodity.
func (n *Network) FindNodes(f NodeFilter) ([]Node, error) {
	handles, err := n.handlers(f.Commodity)
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(f.Name)
	var out []Node
	for i := range n.nodes {
		nd := &n.nodes[i]
		if f.Kind != "" && nd.Kind != f.Kind ||
			f.State != "" && nodeState(nd) != f.State ||
			handles != nil && !handles[i] ||
			name != "" && !strings.Contains(strings.ToLower(nd.Name), name) && !strings.Contains(nd.ID, name) {
			continue
		}
		out = append(out, *nd)
	}
	return out, nil
}

// Subset returns the part of the network f selects as a dataset: the matching nodes, the edges
// between them (with a commodity filter, only edges without a commodity or carrying it), and
// every commodity, so that the result is itself a valid dataset.
// Errors: ENotFound for an unknown commodity.
func (n *Network) Subset(f NodeFilter) (*Dataset, error) {
	nodes, err := n.FindNodes(f)
	if err != nil {
		return nil, err
	}
	set, _ := n.CommoditySet(f.Commodity)
	keep := make(map[string]bool, len(nodes))
	for _, nd := range nodes {
		keep[nd.ID] = true
	}
	ds := &Dataset{Commodities: append([]Commodity(nil), n.commodities...), Nodes: nodes}
	for _, e := range n.edges {
		if keep[e.From] && keep[e.To] && (f.Commodity == "" || e.Commodity == "" || set[e.Commodity]) {
			ds.Edges = append(ds.Edges, e)
		}
	}
	return ds, nil
}

// handlers marks the nodes with capacity in the selection or an edge carrying it;
// nil when sel is empty.
func (n *Network) handlers(sel string) ([]bool, error) {
	if sel == "" {
		return nil, nil
	}
	set, err := n.CommoditySet(sel)
	if err != nil {
		return nil, err
	}
	marks := make([]bool, len(n.nodes))
	for i := range n.nodes {
		for c := range n.nodes[i].Capacity {
			if set[c] {
				marks[i] = true
			}
		}
	}
	for i := range n.edges {
		if set[n.edges[i].Commodity] {
			marks[n.from[i]], marks[n.to[i]] = true, true
		}
	}
	return marks, nil
}

// nodeState is the ISO code where a node is: its state field, or a state node's own code.
func nodeState(nd *Node) string {
	if nd.Kind == State {
		return strings.TrimPrefix(nd.ID, "state:")
	}
	return nd.State
}
