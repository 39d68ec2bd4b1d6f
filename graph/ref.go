package graph

// How results name nodes and edges.

// NodeRef names a node in results.
type NodeRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kind  Kind   `json:"kind"`
	State string `json:"state,omitempty"`
}

// Ref names node i briefly, for results.
func (n *Network) Ref(i int) NodeRef {
	nd := &n.nodes[i]
	return NodeRef{ID: nd.ID, Name: nd.Name, Kind: nd.Kind, State: nodeState(nd)}
}

// EdgeRef names an edge in results.
type EdgeRef struct {
	Kind      EdgeKind `json:"kind"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Commodity string   `json:"commodity,omitempty"`
	VolumeTPA *float64 `json:"volume_tpa,omitempty"`
}

// edgeRef names edge i briefly, for results.
func (n *Network) edgeRef(i int) EdgeRef {
	e := &n.edges[i]
	return EdgeRef{Kind: e.Kind, From: e.From, To: e.To, Commodity: e.Commodity, VolumeTPA: e.VolumeTPA}
}
