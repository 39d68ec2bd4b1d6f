package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// RequestIDHeader carries a request's id, on the request (optional) and on every response.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an incoming request id; a longer one is replaced.
const maxRequestIDLen = 128

// requestIDKey is the gin context key of the request id.
const requestIDKey = "chokepoint.request_id"

// probePaths are logged at DEBUG: load balancers and Prometheus call them every few seconds.
var probePaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// saneRequestID reports whether an incoming id may be kept: 1 to maxRequestIDLen of A-Z, a-z, 0-9
// and . _ : - (nothing that could break a log line or a header).
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 128 random bits as 32 hex digits.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b[:])
}

// requestID gives the request an id — the client's X-Request-Id when sane, else a new one — and
// sends it back on the response.
func requestID(c *gin.Context) {
	id := c.GetHeader(RequestIDHeader)
	if !saneRequestID(id) {
		id = newRequestID()
	}
	c.Set(requestIDKey, id)
	c.Header(RequestIDHeader, id)
	c.Next()
}

// logFor returns the logger for lines about the request c: each carries its request id.
func (s *Server) logFor(c *gin.Context) *slog.Logger {
	if id := c.GetString(requestIDKey); id != "" {
		return s.Logger.With("request_id", id)
	}
	return s.Logger
}

// headKey marks, in a request's context, a HEAD request answered as a GET.
type headKey struct{}

// methodOf is the method the client sent: HEAD for a HEAD answered as a GET.
func methodOf(c *gin.Context) string {
	if head, _ := c.Request.Context().Value(headKey{}).(bool); head {
		return http.MethodHead
	}
	return c.Request.Method
}

// observe counts and times each request and writes its access log line: method, route template,
// path, query string, status, bytes, duration, client address (X-Forwarded-For only from
// TrustedProxies) and user agent: at DEBUG, or at INFO for a server error (5xx) or a request slower
// than SlowRequest (the probes always at DEBUG), so a production log at INFO shows what needs
// attention.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	s.metrics.inFlight.Inc()
	defer s.metrics.inFlight.Dec()
	c.Next()
	d := time.Since(start)
	method, route, status := methodOf(c), c.FullPath(), c.Writer.Status()
	s.metrics.observeRequest(method, route, status, d)
	slow := s.SlowRequest
	if slow <= 0 {
		slow = DefaultSlowRequest
	}
	level := slog.LevelDebug
	if !probePaths[c.Request.URL.Path] && (status >= 500 || d > slow) {
		level = slog.LevelInfo
	}
	if route == "" {
		route = unmatchedRoute
	}
	attrs := []slog.Attr{slog.String("method", method), slog.String("route", route), slog.String("path", c.Request.URL.Path),
		slog.String("query", c.Request.URL.RawQuery), slog.Int("status", status),
		slog.Int("bytes", max(c.Writer.Size(), 0)), slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.String("client", c.ClientIP()), slog.String("user_agent", c.Request.UserAgent())}
	if d > slow {
		attrs = append(attrs, slog.Bool("slow", true))
	}
	s.logFor(c).LogAttrs(c.Request.Context(), level, "request", attrs...)
}

// DefaultSlowRequest is the duration over which a request is logged at INFO.
const DefaultSlowRequest = time.Second

// answerHead answers HEAD wherever GET is served: the request is routed as a GET (so HEAD needs
// no routes of its own, and passes the same checks), and the body is counted, not sent.
func answerHead(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodHead {
			next.ServeHTTP(w, req)
			return
		}
		get := req.WithContext(context.WithValue(req.Context(), headKey{}, true))
		get.Method = http.MethodGet
		hw := &headWriter{ResponseWriter: w}
		next.ServeHTTP(hw, get)
		hw.finish()
	})
}

// headWriter holds back the status of a HEAD answer until the body's length is known, and drops
// the body.
type headWriter struct {
	http.ResponseWriter
	status, n int
}

// WriteHeader implements http.ResponseWriter: the first status counts.
func (h *headWriter) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}

// Write implements http.ResponseWriter: the bytes are counted and dropped.
func (h *headWriter) Write(p []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	h.n += len(p)
	return len(p), nil
}

// Flush implements http.Flusher: there is nothing to send before finish.
func (h *headWriter) Flush() {}

// Unwrap returns the underlying writer, for http.ResponseController.
func (h *headWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// finish sends the status with the Content-Length the GET would have had.
func (h *headWriter) finish() {
	h.WriteHeader(http.StatusOK)
	if h.Header().Get("Content-Length") == "" && h.status != http.StatusNotModified && h.status != http.StatusNoContent {
		h.Header().Set("Content-Length", strconv.Itoa(h.n))
	}
	h.ResponseWriter.WriteHeader(h.status)
}
