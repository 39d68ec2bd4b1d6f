package graph

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// Network is an immutable, indexed snapshot of a valid dataset: what every analysis runs on.
// Nodes are ordered by id, edges by (kind, from, to, commodity, since); indices into both are
// stable for the life of the Network. A Network must not be modified after NewNetwork.
type Network struct {
	commodities []Commodity
	commodity   map[string]int
	nodes       []Node
	index       map[string]int
	edges       []Edge
	from, to    []int32   // edge ends as node indices
	out, in     [][]int32 // edge indices by node
	// inputs records, for the whole network (see inputsOf), the commodities each node receives
	// through supplies and offtake edges; computed on first use.
	inputsOnce sync.Once
	inputs     map[string]map[string]bool

	year  int      // the year AsOf cut the network to; 0 when not cut
	whole *Network // the network before any cut; nil for the whole network itself

	controlOnce sync.Once
	control     [][]StateShare // see controlShares
}

// NewNetwork validates ds and builds its Network. The Network shares no mutable state with ds.
// Errors: EInvalid with every problem found.
func NewNetwork(ds *Dataset) (*Network, error) {
	ends, err := ds.validate()
	if err != nil {
		return nil, err
	}
	n := build(ds.Commodities, ds.Nodes, ds.Edges, ends)
	n.compact()
	return n, nil
}

// compact drops the records' origins, which only serve validation (a record from a Network reads
// "stored"), and interns the strings that repeat across records (sources, commodities, states),
// so that a projection read from Neo4j, where every value arrives as its own string, stays small.
// A cut or scenario of the Network shares its strings already.
func (n *Network) compact() {
	for i := range n.commodities {
		n.commodities[i].at = nil
	}
	interned := make(map[string]string, len(n.nodes)+len(n.edges))
	intern := func(s string) string {
		if s == "" {
			return s
		}
		if c, ok := interned[s]; ok {
			return c
		}
		interned[s] = s
		return s
	}
	for i := range n.nodes {
		nd := &n.nodes[i]
		nd.at, nd.Source, nd.State = nil, intern(nd.Source), intern(nd.State)
		nd.Kind, nd.Stage, nd.Status = Kind(intern(string(nd.Kind))), Stage(intern(string(nd.Stage))), Status(intern(string(nd.Status)))
	}
	for i := range n.edges {
		e := &n.edges[i]
		e.at, e.Source, e.Commodity, e.Measure = nil, intern(e.Source), intern(e.Commodity), intern(e.Measure)
		e.Kind = EdgeKind(intern(string(e.Kind)))
	}
}

// build indexes records already known to be valid; ends holds each edge's ends as places in
// nodes, which may come in any order.
func build(commodities []Commodity, nodes []Node, edges []Edge, ends [][2]int32) *Network {
	n := &Network{commodities: slices.Clone(commodities)}
	slices.SortFunc(n.commodities, func(a, b Commodity) int { return strings.Compare(a.ID, b.ID) })
	// Nodes are sorted by id through their places (small keys, the ids read from a compact copy),
	// and rank gives each place's index in the Network.
	ids := make([]string, len(nodes))
	byID := make([]int32, len(nodes))
	for i := range nodes {
		ids[i], byID[i] = nodes[i].ID, int32(i)
	}
	slices.SortFunc(byID, func(a, b int32) int { return strings.Compare(ids[a], ids[b]) })
	n.nodes = make([]Node, len(nodes))
	rank := make([]int32, len(nodes))
	for r, i := range byID {
		n.nodes[r], rank[i] = nodes[i], int32(r)
	}
	n.commodity = make(map[string]int, len(n.commodities))
	for i, c := range n.commodities {
		n.commodity[c.ID] = i
	}
	n.index = make(map[string]int, len(n.nodes))
	for i := range n.nodes {
		n.index[n.nodes[i].ID] = i
	}
	// Edges are sorted by their ends' node indices, which follow the ids' order, rather than by
	// the ids themselves: comparing integers, and moving small keys instead of whole edges.
	kindOrder := EdgeKinds()
	slices.Sort(kindOrder)
	kinds := map[EdgeKind]int32{}
	for i, k := range kindOrder {
		kinds[k] = int32(i)
	}
	keys := make([]edgeOrder, len(edges))
	for i := range edges {
		e := &edges[i]
		keys[i] = edgeOrder{kinds[e.Kind], rank[ends[i][0]], rank[ends[i][1]], int32(i)}
	}
	slices.SortFunc(keys, func(a, b edgeOrder) int {
		if c := cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)); c != 0 {
			return c
		}
		ea, eb := &edges[a.edge], &edges[b.edge]
		return cmp.Or(strings.Compare(ea.Commodity, eb.Commodity), cmp.Compare(ea.Since, eb.Since))
	})
	n.edges = make([]Edge, len(edges))
	n.from = make([]int32, len(edges))
	n.to = make([]int32, len(edges))
	n.out = make([][]int32, len(n.nodes))
	n.in = make([][]int32, len(n.nodes))
	for i, k := range keys {
		e := &n.edges[i]
		*e = edges[k.edge]
		e.From, e.To = n.nodes[k.from].ID, n.nodes[k.to].ID // share the node's string
		n.from[i], n.to[i] = k.from, k.to
		n.out[k.from] = append(n.out[k.from], int32(i))
		n.in[k.to] = append(n.in[k.to], int32(i))
	}
	return n
}

// edgeOrder is the sort key of edge number edge in build: its kind's place among the kinds in
// alphabetical order, and its ends' node indices.
type edgeOrder struct{ kind, from, to, edge int32 }

// Dataset returns the network's content as a dataset, in the network's order.
func (n *Network) Dataset() *Dataset {
	return &Dataset{Commodities: slices.Clone(n.commodities), Nodes: slices.Clone(n.nodes), Edges: slices.Clone(n.edges)}
}

// Commodities returns the commodities ordered by id. The slice must not be modified.
func (n *Network) Commodities() []Commodity { return n.commodities }

// Nodes returns the nodes ordered by id. The slice must not be modified.
func (n *Network) Nodes() []Node { return n.nodes }

// Edges returns the edges in key order. The slice must not be modified.
func (n *Network) Edges() []Edge { return n.edges }

// NodeIndex returns the index of the node with the id.
func (n *Network) NodeIndex(id string) (int, bool) {
	i, ok := n.index[id]
	return i, ok
}

// Node returns the node with the id, or nil.
func (n *Network) Node(id string) *Node {
	if i, ok := n.index[id]; ok {
		return &n.nodes[i]
	}
	return nil
}

// Ends returns the node indices of edge e's ends.
func (n *Network) Ends(e int) (from, to int) { return int(n.from[e]), int(n.to[e]) }

// Out returns the indices of the edges leaving node i. The slice must not be modified.
func (n *Network) Out(i int) []int32 { return n.out[i] }

// In returns the indices of the edges entering node i. The slice must not be modified.
func (n *Network) In(i int) []int32 { return n.in[i] }

// Active reports whether a node or edge with these years and status was in service in year:
// it existed then (since ≤ year ≤ until), and it is neither closed with no end year nor planned
// or under construction without a start year that has come.
func Active(since, until int, status Status, year int) bool {
	switch status {
	case Closed:
		if until == 0 {
			return false
		}
	case Planned, Construction:
		if since == 0 {
			return false
		}
	}
	return ExistsIn(since, until, year)
}

// inService reports whether node nd is in the network cut to year: a state always, any other
// node when Active.
func inService(nd *Node, year int) bool {
	return nd.Kind == State || Active(nd.Since, nd.Until, nd.Status, year)
}

// AsOf returns the part of the network in service in year: the active nodes, and the active
// edges whose ends are both active, each edge carrying the volume of that year (VolumeByYear,
// else VolumeTPA). Commodities are kept whole.
func (n *Network) AsOf(year int) *Network {
	keep := make([]bool, len(n.nodes))
	var nodes []Node
	for i := range n.nodes {
		nd := &n.nodes[i]
		if inService(nd, year) {
			keep[i] = true
			nodes = append(nodes, *nd)
		}
	}
	place := keptPlaces(keep)
	var edges []Edge
	var ends [][2]int32
	for i := range n.edges {
		e := &n.edges[i]
		if keep[n.from[i]] && keep[n.to[i]] && ExistsIn(e.Since, e.Until, year) {
			cut := *e
			if v, ok := e.VolumeByYear[year]; ok {
				cut.VolumeTPA = &v
			}
			edges = append(edges, cut)
			ends = append(ends, [2]int32{place[n.from[i]], place[n.to[i]]})
		}
	}
	out := build(n.commodities, nodes, edges, ends)
	out.year, out.whole = year, n.Whole()
	return out
}

// keptPlaces returns each node's place among the nodes keep keeps, in order (-1 for a node it
// drops).
func keptPlaces(keep []bool) []int32 {
	place := make([]int32, len(keep))
	kept := int32(0)
	for i, k := range keep {
		place[i] = -1
		if k {
			place[i], kept = kept, kept+1
		}
	}
	return place
}

// ends returns the ends, as node indices, of n's edges that drop does not drop (all when drop is
// nil), as build takes them when the nodes stay n's own.
func (n *Network) ends(drop []bool) [][2]int32 {
	var out [][2]int32
	for i := range n.edges {
		if drop == nil || !drop[i] {
			out = append(out, [2]int32{n.from[i], n.to[i]})
		}
	}
	return out
}

// Whole returns the network before any cut by year or scenario.
func (n *Network) Whole() *Network {
	if n.whole != nil {
		return n.whole
	}
	return n
}

// Year returns the year the network was cut to by AsOf, or 0 for the whole network.
func (n *Network) Year() int { return n.year }

// CommodityOf returns the commodity with the id, or nil.
func (n *Network) CommodityOf(id string) *Commodity {
	if i, ok := n.commodity[id]; ok {
		return &n.commodities[i]
	}
	return nil
}

// CommoditySet resolves a commodity selection, a family (rare-earths) or one product (ndpr-oxide),
// to the set of product ids. An empty selection means every commodity.
// Errors: ENotFound when the name is neither a family nor a product.
func (n *Network) CommoditySet(sel string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, c := range n.commodities {
		if sel == "" || c.ID == sel || c.Family == sel {
			set[c.ID] = true
		}
	}
	if len(set) == 0 {
		return nil, Errorf(ENotFound, "unknown commodity %q: give a family (%s) or a product id", sel, strings.Join(n.Families(), ", "))
	}
	return set, nil
}

// Families returns the commodity families, sorted.
func (n *Network) Families() []string {
	var fams []string
	for _, c := range n.commodities {
		if !slices.Contains(fams, c.Family) {
			fams = append(fams, c.Family)
		}
	}
	slices.Sort(fams)
	return fams
}
