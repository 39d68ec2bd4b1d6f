package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// gzipMinBytes is the smallest body worth compressing.
const gzipMinBytes = 256

// compressible are the content types gzipped for a client that accepts it: text and JSON, not
// PNG or zip, which are compressed already.
var compressible = []string{"application/json", "text/csv", "image/svg+xml", "text/vnd.graphviz", "text/html", "text/css", "text/javascript"}

// cachedRoutes are the route prefixes of the cached reads, whose GET answers carry an ETag (and
// the web page's files).
var cachedRoutes = []string{"/api/v1/analyses", "/api/v1/nodes", "/api/v1/catalog", "/api/v1/export", "/api/v1/render", "/ui/"}

// gzipWriters reuses gzip writers, which are costly to allocate.
var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// send writes a successful answer of handle: on a cached read, with an ETag (a weak one, derived
// from the body, so the same gzipped or not) and 304 with no body when If-None-Match matches it;
// gzipped when the client accepts gzip and the content type is worth compressing.
func (s *Server) send(c *gin.Context, contentType string, data []byte) {
	zippable := hasPrefixAny(contentType, compressible)
	if zippable {
		c.Writer.Header().Add("Vary", "Accept-Encoding")
	}
	if c.Request.Method == http.MethodGet && hasPrefixAny(c.FullPath(), cachedRoutes) {
		sum := sha256.Sum256(data)
		etag := `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
		c.Header("ETag", etag)
		if etagMatches(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			c.Writer.WriteHeaderNow()
			return
		}
	}
	if zippable && len(data) >= gzipMinBytes && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		var b bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&b)
		zw.Write(data) // writes to a bytes.Buffer do not fail
		zw.Close()
		gzipWriters.Put(zw)
		c.Header("Content-Encoding", "gzip")
		data = b.Bytes()
	}
	c.Data(http.StatusOK, contentType, data)
}

// hasPrefixAny reports whether s starts with one of prefixes.
func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// etagMatches reports whether an If-None-Match header matches etag: "*", or etag in its list
// under the weak comparison (W/ ignored).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip: named (or matched by *)
// with a q above 0.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
