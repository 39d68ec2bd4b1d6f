package api

import (
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/gin-gonic/gin"
)

// DefaultTop is how many chokepoints a flow picture highlights unless top says otherwise.
const DefaultTop = 5

func (s *Server) renderRoutes(r *gin.RouterGroup) {
	r.GET("/render/flow", s.handle(s.renderFlow))
	r.GET("/render/node/:id", s.handle(s.renderNode))
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
	if q.AsOf != nil && (*q.AsOf < graph.MinYear || *q.AsOf > graph.MaxYear) {
		return nil, graph.Errorf(graph.EInvalid, "as_of %d is outside %d..%d", *q.AsOf, graph.MinYear, graph.MaxYear)
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
// its top chokepoints (DefaultTop by default) highlighted.
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
	o := render.FlowOptions{AsOf: time.Now().Year(), Top: DefaultTop}
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
	o := render.NeighbourhoodOptions{Depth: q.Depth}
	if q.AsOf != nil {
		o.AsOf = *q.AsOf
	}
	for _, v := range q.Kinds {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				o.Kinds = append(o.Kinds, graph.EdgeKind(k))
			}
		}
	}
	return s.picture(c, q.pictureQuery, func(net *graph.Network) ([]byte, error) {
		return render.Neighbourhood(net, c.Param("id"), o)
	})
}
