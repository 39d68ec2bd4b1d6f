package api

import (
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/gin-gonic/gin"
)

func (s *Server) renderRoutes(r *gin.RouterGroup) {
	r.GET("/render/flow", s.handle(s.renderFlow))
	r.GET("/render/node/:id", s.handle(s.renderNode))
	r.GET("/render/routes", s.handle(s.renderRoutesView))
	r.GET("/render/control", s.handle(s.renderControl))
	r.GET("/render/trend", s.handle(s.renderTrend))
}

// pictureQuery is what every picture takes: the year and the output format.
type pictureQuery struct {
	networkQuery
	Format string `form:"format"`
}

// picture lays a view out in the format asked (svg by default) with s.Layout (render.Render when
// nil), within the layout's deadline.
func (s *Server) picture(c *gin.Context, q pictureQuery, view func(*graph.Network) ([]byte, error)) (any, error) {
	if q.Format == "" {
		q.Format = render.FormatSVG
	}
	if err := render.CheckFormat(q.Format); err != nil {
		return nil, err
	}
	if q.AsOf != nil {
		if err := graph.CheckYear("as_of", *q.AsOf); err != nil {
			return nil, err
		}
	}
	net, err := s.Store.Network(c) // the whole network: the view cuts it to the year
	if err != nil {
		return nil, err
	}
	dot, err := view(net)
	if err != nil {
		return nil, err
	}
	layout := s.Layout
	if layout == nil {
		layout = render.Render
	}
	out, err := layout(c, dot, q.Format)
	if err != nil {
		return nil, err
	}
	return download{contentType: render.ContentType(q.Format), data: out}, nil
}

// renderFlow draws the flow of a commodity to a consumer as of a year (this year by default),
// its top chokepoints (graph.DefaultTop by default) highlighted.
func (s *Server) renderFlow(c *gin.Context) (any, error) {
	var q struct {
		pictureQuery
		Commodity string `form:"commodity"`
		Consumer  string `form:"consumer"`
		Top       *int   `form:"top"`
	}
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	o := render.FlowOptions{AsOf: graph.ThisYear(), Top: graph.DefaultTop}
	if q.AsOf != nil {
		o.AsOf = *q.AsOf
	}
	if q.Top != nil {
		o.Top = *q.Top
	}
	return s.picture(c, q.pictureQuery, func(net *graph.Network) ([]byte, error) {
		return render.Flow(net, graph.Query{Commodity: q.Commodity, Consumer: q.Consumer}, o)
	})
}

// renderNode draws a node's neighbourhood: every year unless as_of names one, as GET /nodes/{id}.
func (s *Server) renderNode(c *gin.Context) (any, error) {
	var q struct {
		pictureQuery
		Depth int      `form:"depth"`
		Kinds []string `form:"kinds"`
	}
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	o := render.NeighbourhoodOptions{Depth: q.Depth, Kinds: graph.SplitEdgeKinds(q.Kinds)}
	if q.AsOf != nil {
		o.AsOf = *q.AsOf
	}
	return s.picture(c, q.pictureQuery, func(net *graph.Network) ([]byte, error) {
		return render.Neighbourhood(net, c.Param("id"), o)
	})
}

// thisYear is the year a view of one year draws unless as_of says otherwise.
func thisYear(q networkQuery) int {
	if q.AsOf != nil {
		return *q.AsOf
	}
	return graph.ThisYear()
}

// renderRoutesView draws what GET /analyses/routes returns for the same parameters, as of a year
// (this year by default).
func (s *Server) renderRoutesView(c *gin.Context) (any, error) {
	var q pictureQuery
	var r analysisQuery
	if err := bindAnalysis(c, requestParams, &r, &q); err != nil {
		return nil, err
	}
	year := thisYear(q.networkQuery)
	return s.picture(c, q, func(net *graph.Network) ([]byte, error) {
		return render.Routes(net, r.Request, year)
	})
}

// renderControl draws the control tree of a node, as GET /analyses/control?node= finds it, as of a
// year (this year by default).
func (s *Server) renderControl(c *gin.Context) (any, error) {
	var q struct {
		pictureQuery
		Node string `form:"node"`
	}
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	year := thisYear(q.networkQuery)
	return s.picture(c, q.pictureQuery, func(net *graph.Network) ([]byte, error) {
		return render.Control(net, q.Node, year)
	})
}

// renderTrend charts the dependency and the max supply over a range of years (years=A..B,
// default render.TrendFrom..render.TrendTo) as SVG or PNG, taking the dependency analysis's
// parameters. A chart needs no Graphviz layout: it is drawn here.
func (s *Server) renderTrend(c *gin.Context) (any, error) {
	var q struct {
		pictureQuery
		Years string `form:"years"`
	}
	var r analysisQuery
	if err := bindAnalysis(c, requestParams, &r, &q); err != nil {
		return nil, err
	}
	if q.AsOf != nil {
		return nil, graph.Errorf(graph.EInvalid, "a trend spans years (years=A..B), not one as_of year")
	}
	if q.Format == "" {
		q.Format = render.FormatSVG
	}
	from, to, err := render.ParseYearRange(q.Years)
	if err != nil {
		return nil, err
	}
	net, err := s.Store.Network(c)
	if err != nil {
		return nil, err
	}
	out, err := render.Trend(net, r.Request, from, to, q.Format)
	if err != nil {
		return nil, err
	}
	return download{contentType: render.ContentType(q.Format), data: out}, nil
}
