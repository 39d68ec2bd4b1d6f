package api

import (
	"strings"

	"github.com/chokepoint/chokepoint/graph"
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
	r.GET("/", serve)
	r.GET("/ui/*path", serve)
}

// isPage reports whether a request path is the web page's.
func isPage(path string) bool { return path == "/" || strings.HasPrefix(path, "/ui/") }
