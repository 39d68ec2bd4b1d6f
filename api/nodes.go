package api

import (
	"slices"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

func (s *Server) nodeRoutes(r *gin.RouterGroup) {
	r.GET("/commodities", s.handle(s.listCommodities))
	r.GET("/catalog", s.handle(s.catalog))
	r.GET("/nodes", s.handle(s.listNodes))
	r.GET("/nodes/:id", s.handle(s.getNode))
}

// networkQuery is the part of a query string that picks the network to read.
type networkQuery struct {
	AsOf *int `form:"as_of"`
}

// filterQuery filters nodes; see graph.NodeFilter.
type filterQuery struct {
	networkQuery
	Kind      string `form:"kind"`
	State     string `form:"state"`
	Commodity string `form:"commodity"`
	Q         string `form:"q"`
}

// nodeQuery asks for a page of the nodes a filter selects.
type nodeQuery struct {
	filterQuery
	Limit  int `form:"limit"`
	Offset int `form:"offset"`
}

// network returns the store's network, cut to a year when the query gives one.
func (s *Server) network(c *gin.Context, q networkQuery) (*graph.Network, error) {
	if q.AsOf != nil {
		if err := graph.CheckYear("as_of", *q.AsOf); err != nil {
			return nil, err
		}
	}
	net, err := s.Store.Network(c)
	if err != nil || q.AsOf == nil {
		return net, err
	}
	return net.AsOf(*q.AsOf), nil
}

// filtered checks a node query and returns the network it reads and its filter.
func (s *Server) filtered(c *gin.Context, q filterQuery) (*graph.Network, graph.NodeFilter, error) {
	if q.Kind != "" && !slices.Contains(graph.Kinds(), graph.Kind(q.Kind)) {
		return nil, graph.NodeFilter{}, graph.Errorf(graph.EInvalid, "unknown kind %q (want mine, refinery, firm or state)", q.Kind)
	}
	if q.State != "" && !graph.IsStateCode(q.State) {
		return nil, graph.NodeFilter{}, graph.Errorf(graph.EInvalid, "state %q is not an ISO 3166-1 alpha-2 code", q.State)
	}
	net, err := s.network(c, q.networkQuery)
	return net, graph.NodeFilter{Kind: graph.Kind(q.Kind), State: q.State, Commodity: q.Commodity, Name: q.Q}, err
}

// NodeList is a page of nodes.
type NodeList struct {
	Total  int          `json:"total"`
	Offset int          `json:"offset"`
	Nodes  []graph.Node `json:"nodes"`
}

func (s *Server) listNodes(c *gin.Context) (any, error) {
	var q nodeQuery
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	if q.Limit == 0 {
		q.Limit = DefaultPageSize
	}
	if q.Limit < 0 || q.Limit > MaxPageSize || q.Offset < 0 {
		return nil, graph.Errorf(graph.EInvalid, "limit must be 1..%d and offset ≥ 0", MaxPageSize)
	}
	net, f, err := s.filtered(c, q.filterQuery)
	if err != nil {
		return nil, err
	}
	nodes, err := net.FindNodes(f)
	if err != nil {
		return nil, err
	}
	start := min(q.Offset, len(nodes)) // offset+limit may overflow: never add them
	page := nodes[start : start+min(q.Limit, len(nodes)-start)]
	return NodeList{Total: len(nodes), Offset: q.Offset, Nodes: append([]graph.Node{}, page...)}, nil
}

// Link is an edge seen from one of its ends, with the node at the other end.
type Link struct {
	graph.Edge
	Other graph.NodeRef `json:"other"`
}

// NodeDetail is one node with its relationships.
type NodeDetail struct {
	Node graph.Node `json:"node"`
	Out  []Link     `json:"out"`
	In   []Link     `json:"in"`
}

func (s *Server) getNode(c *gin.Context) (any, error) {
	var q networkQuery
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	net, err := s.network(c, q)
	if err != nil {
		return nil, err
	}
	id := c.Param("id")
	i, ok := net.NodeIndex(id)
	if !ok {
		return nil, graph.Errorf(graph.ENotFound, "no node %q", id)
	}
	d := NodeDetail{Node: net.Nodes()[i], Out: []Link{}, In: []Link{}}
	for _, e := range net.Out(i) {
		_, to := net.Ends(int(e))
		d.Out = append(d.Out, Link{Edge: net.Edges()[e], Other: net.Ref(to)})
	}
	for _, e := range net.In(i) {
		from, _ := net.Ends(int(e))
		d.In = append(d.In, Link{Edge: net.Edges()[e], Other: net.Ref(from)})
	}
	return d, nil
}

// CommodityList lists the commodities and their families.
type CommodityList struct {
	Families    []string          `json:"families"`
	Commodities []graph.Commodity `json:"commodities"`
}

func (s *Server) listCommodities(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	net, err := s.Store.Network(c)
	if err != nil {
		return nil, err
	}
	return CommodityList{Families: net.Families(), Commodities: append([]graph.Commodity{}, net.Commodities()...)}, nil
}

// Catalog names what a network holds, briefly: for pickers (the web page's), which need no
// more of GET /export.
type Catalog struct {
	// FirstYear is the first year with a yearly figure (an edge's volume, a facility's output, a
	// price); this year when there is none.
	FirstYear   int                `json:"first_year"`
	Nodes       []graph.NodeRef    `json:"nodes"`
	Commodities []CatalogCommodity `json:"commodities"`
	// Question is what the web page asks when its URL asks nothing.
	Question Question `json:"question"`
}

// CatalogCommodity names a commodity and its family.
type CatalogCommodity struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Family string `json:"family"`
}

// catalog answers the Catalog of the whole network.
func (s *Server) catalog(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	net, err := s.Store.Network(c)
	if err != nil {
		return nil, err
	}
	out := Catalog{FirstYear: graph.ThisYear(), Nodes: make([]graph.NodeRef, len(net.Nodes())), Commodities: []CatalogCommodity{}, Question: defaultQuestion(net)}
	see := func(s graph.Series) {
		for y := range s {
			out.FirstYear = min(out.FirstYear, y)
		}
	}
	for i, n := range net.Nodes() {
		out.Nodes[i] = net.Ref(i)
		for _, s := range n.Output {
			see(s)
		}
	}
	for _, e := range net.Edges() {
		see(e.VolumeByYear)
	}
	for _, c := range net.Commodities() {
		out.Commodities = append(out.Commodities, CatalogCommodity{ID: c.ID, Name: c.Name, Family: c.Family})
		see(c.PriceUSDPerT)
	}
	return out, nil
}
