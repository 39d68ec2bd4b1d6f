package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

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
	r.POST("/render/scenario", s.handle(s.renderScenarioBody))
	r.GET("/render/scenario/:name", s.handle(s.renderSavedScenario))
}

// pictureQuery is what every picture takes: the year and the output format.
type pictureQuery struct {
	networkQuery
	Format string `form:"format"`
}

// picture lays a view out in the format asked (svg by default) with s.Layout (render.Render when
// nil), within the layout's deadline; the picture is cached (see cachedPicture), body being the
// request's document in canonical form ("" for none).
func (s *Server) picture(c *gin.Context, q pictureQuery, body string, view func(*graph.Network) ([]byte, error)) (any, error) {
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
	return s.cachedPicture(c, q.Format, body, func(net *graph.Network) ([]byte, error) {
		dot, err := view(net)
		if err != nil {
			return nil, err
		}
		return s.lay(c, dot, q.Format)
	})
}

// lay lays dot out in a format with s.Layout (render.Render when nil).
func (s *Server) lay(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if s.Layout == nil {
		return render.Render(ctx, dot, format)
	}
	return s.Layout(ctx, dot, format)
}

// cachedPicture answers the picture that draw makes of the whole network (the view cuts it to its
// year) in a format, from s.pictures when it holds the picture of the same request (path, query,
// and body, which the caller gives canonically as body) on the same network, else drawn and kept.
func (s *Server) cachedPicture(c *gin.Context, format, body string, draw func(*graph.Network) ([]byte, error)) (any, error) {
	net, err := s.Store.Network(c)
	if err != nil {
		return nil, err
	}
	key := pictureKey(c.Request.Method, c.Request.URL.Path, c.Request.URL.Query(), body)
	out, ok := s.pictures.get(net, key)
	if !ok {
		if out, err = draw(net); err != nil {
			return nil, err
		}
		s.pictures.put(net, key, out)
	}
	return download{contentType: render.ContentType(format), data: out}, nil
}

// pictureKey is the picture cache's key of a request: its method, path, query in canonical order,
// and body, with this year (the default of a view's year).
func pictureKey(method, path string, query url.Values, body string) string {
	return fmt.Sprintf("%s %s?%s\x00%d\x00%s", method, path, query.Encode(), graph.ThisYear(), body)
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
	return s.picture(c, q.pictureQuery, "", func(net *graph.Network) ([]byte, error) {
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
	return s.picture(c, q.pictureQuery, "", func(net *graph.Network) ([]byte, error) {
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
	return s.picture(c, q, "", func(net *graph.Network) ([]byte, error) {
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
	return s.picture(c, q.pictureQuery, "", func(net *graph.Network) ([]byte, error) {
		return render.Control(net, q.Node, year)
	})
}

// renderTrend charts what GET /analyses/trend returns for the same parameters (years=A..B,
// default graph.TrendFrom..graph.TrendTo) as SVG or PNG. A chart needs no Graphviz layout: it is
// drawn here.
func (s *Server) renderTrend(c *gin.Context) (any, error) {
	var q pictureQuery
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
	return s.cachedPicture(c, q.Format, "", func(net *graph.Network) ([]byte, error) {
		return render.Trend(net, r.Request, q.Format)
	})
}

// renderScenarioBody draws the scenario document in the body, baseline against outcome, as
// POST /scenarios/run runs it.
func (s *Server) renderScenarioBody(c *gin.Context) (any, error) {
	var q pictureFormat
	if err := bindQuery(c, &q); err != nil {
		return nil, err // before reading the body
	}
	sc, err := decodeScenario(c)
	if err != nil {
		return nil, err
	}
	return s.scenarioPicture(c, q.Format, sc)
}

// renderSavedScenario draws a saved scenario, as POST /scenarios/{name}/run runs it.
func (s *Server) renderSavedScenario(c *gin.Context) (any, error) {
	var q pictureFormat
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	sc, err := s.scenarios().Get(c, c.Param("name"))
	if err != nil {
		return nil, err
	}
	return s.scenarioPicture(c, q.Format, sc)
}

// pictureFormat is the query of a picture whose document gives its year: the format only.
type pictureFormat struct {
	Format string `form:"format"`
}

// scenarioPicture draws sc in its year, or this year, as scenarioResult runs it.
func (s *Server) scenarioPicture(c *gin.Context, format string, sc graph.Scenario) (any, error) {
	sc = withScenarioYear(sc)
	doc, err := json.Marshal(sc) // canonical: the cache key of the document
	if err != nil {
		return nil, err
	}
	return s.picture(c, pictureQuery{Format: format}, string(doc), func(net *graph.Network) ([]byte, error) {
		return render.Scenario(net, sc)
	})
}
