package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// corsMaxAge is how long a browser may keep a preflight's answer.
const corsMaxAge = 10 * 60

// Headers a cross-origin request may send, and response headers its script may read.
var (
	corsAllowHeaders  = "Accept, Authorization, Content-Type, If-None-Match, X-API-Key, " + RequestIDHeader
	corsExposeHeaders = "ETag, Retry-After, X-Row-Count, X-Truncated, " + RequestIDHeader
	corsAllowMethods  = "GET, HEAD, POST, PUT, DELETE"
)

// cors answers cross-origin requests when CORSOrigins is set (else it does nothing, and browsers
// refuse cross-origin calls). An Origin listed exactly gets Access-Control-Allow-Origin, and its
// preflight (OPTIONS with Access-Control-Request-Method) 204 with the methods and headers allowed,
// before any key or rate check; any other origin gets no CORS headers, and its preflight 403
// forbidden.
func (s *Server) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	if len(s.CORSOrigins) == 0 || origin == "" {
		c.Next()
		return
	}
	c.Writer.Header().Add("Vary", "Origin")
	allowed := slices.Contains(s.CORSOrigins, origin)
	preflight := c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != ""
	switch {
	case preflight && !allowed:
		s.writeError(c, graph.Errorf(EForbidden, "origin %q is not allowed (CHOKEPOINT_CORS_ORIGINS)", origin))
		c.Abort()
	case preflight:
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Access-Control-Max-Age", strconv.Itoa(corsMaxAge))
		c.AbortWithStatus(http.StatusNoContent)
	case allowed:
		c.Header("Access-Control-Allow-Origin", origin)
		c.Header("Access-Control-Expose-Headers", corsExposeHeaders)
		c.Next()
	default:
		c.Next()
	}
}

// ParseOrigins parses a comma-separated list of origins (scheme://host[:port], as browsers send
// them in Origin); blank entries are skipped.
func ParseOrigins(s string) ([]string, error) {
	var origins []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		scheme, host, ok := strings.Cut(o, "://")
		if !ok || (scheme != "http" && scheme != "https") || host == "" || strings.ContainsAny(host, "/?#* ") {
			return nil, graph.Errorf(graph.EInvalid, "%q is not an origin (scheme://host[:port], no path)", o)
		}
		origins = append(origins, o)
	}
	return origins, nil
}
