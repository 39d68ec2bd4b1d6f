package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/chokepoint/chokepoint/web"
	"github.com/gin-gonic/gin"
)

// pageRoutes serves the analysts' web page (package web) at / and /ui/…. It is not part of the
// API (the OpenAPI document leaves it out): it holds no data, so it needs no key, takes any query
// (the page's state), and calls the API like any other client.
func (s *Server) pageRoutes(r *gin.Engine) {
	serve := s.handle(func(c *gin.Context) (any, error) {
		f, ok := web.Lookup(c.Request.URL.Path)
		if !ok {
			return nil, graph.Errorf(graph.ENotFound, "no page %s", c.Request.URL.Path)
		}
		c.Header("Content-Security-Policy", web.CSP)
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Cache-Control", "no-cache")
		return download{contentType: f.Type, data: f.Body}, nil
	})
	r.GET("/", func(c *gin.Context) {
		if target, ok := s.questionURL(c); ok {
			c.Header("Cache-Control", "no-cache")
			c.Redirect(http.StatusFound, target)
			return
		}
		serve(c)
	})
	r.GET("/ui/*path", serve)
}

// questionURL is where / sends a browser: Ask with the Question, so that the page can send its
// questions as soon as it starts, without waiting for the catalog to learn them. It is not ok when
// / has a query (the page reads it), when reads need a key (the question is data: the page asks
// the catalog with its key), or when the store does not answer (the page says why).
func (s *Server) questionURL(c *gin.Context) (string, bool) {
	if c.Request.URL.RawQuery != "" || s.keys.readGuarded {
		return "", false
	}
	net, err := s.Store.Network(c)
	if err != nil {
		return "", false
	}
	return "/ui/ask?" + defaultQuestion(net).values().Encode(), true
}

// isPage reports whether a request path is the web page's.
func isPage(path string) bool { return path == "/" || strings.HasPrefix(path, "/ui/") }

// Question is the question the web page asks when its URL asks none, given by GET /catalog: the
// README's worked example — Japan's dependency on China for rare earths, this year — as far as the
// network has it (else the first commodity family, and no consumer or supplier).
type Question struct {
	Commodity string `json:"commodity"`
	Consumer  string `json:"consumer"`
	Supplier  string `json:"supplier"`
	AsOf      int    `json:"as_of"`
}

// values are the question's non-empty fields as the page's URL parameters.
func (q Question) values() url.Values {
	v := url.Values{"as_of": {strconv.Itoa(q.AsOf)}}
	for k, s := range map[string]string{"commodity": q.Commodity, "consumer": q.Consumer, "supplier": q.Supplier} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// defaultQuestion is the Question of a network.
func defaultQuestion(net *graph.Network) Question {
	q := Question{AsOf: graph.ThisYear()}
	families := net.Families()
	if slices.Contains(families, "rare-earths") {
		q.Commodity = "rare-earths"
	} else if len(families) > 0 {
		q.Commodity = families[0]
	}
	if net.Node("state:JP") != nil {
		q.Consumer = "state:JP"
	}
	if net.Node("state:CN") != nil {
		q.Supplier = "state:CN"
	}
	return q
}

// Warm draws into the picture cache the slowest answer of a first visit to the web page: the flow
// picture of the Question, as the page asks for it (GET /api/v1/render/flow with the question's
// commodity, consumer and year, the other parameters left to their defaults). serve calls it once
// the layout workers have started, before /readyz says ready.
func (s *Server) Warm(ctx context.Context) error {
	net, err := s.Store.Network(ctx)
	if err != nil {
		return err
	}
	q := defaultQuestion(net)
	query := q.values()
	query.Del("supplier")
	key := pictureKey(http.MethodGet, "/api/v1/render/flow", query, "")
	if _, ok := s.pictures.get(net, key); ok {
		return nil
	}
	dot, err := render.Flow(net, graph.Query{Commodity: q.Commodity, Consumer: q.Consumer}, render.FlowOptions{AsOf: q.AsOf, Top: graph.DefaultTop})
	if err != nil {
		return err
	}
	out, err := s.lay(ctx, dot, render.FormatSVG)
	if err != nil {
		return err
	}
	s.pictures.put(net, key, out)
	return nil
}
