package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// Limits on what one request may ask for.
const (
	DefaultMaxBodyBytes = 64 << 20 // import body
	DefaultPageSize     = 100
	MaxPageSize         = 1000
)

// Server serves the API over a graph.Store.
type Server struct {
	Store   graph.Store
	Reports Reports // nil when no Neo4j is configured: report endpoints answer 501
	// APIKey guards writes and ad-hoc Cypher; when empty those endpoints refuse every request.
	APIKey       string
	MaxBodyBytes int64
	// ScenarioDir, when set, keeps saved scenarios as JSON files there; else in memory only.
	ScenarioDir string
	// Logger gets one access-log record per request: at DEBUG, or at INFO when the request failed
	// (status 5xx) or took longer than SlowRequest.
	Logger *slog.Logger
	// SlowRequest is the duration over which a request is logged at INFO (0: DefaultSlowRequest).
	SlowRequest time.Duration
	Version     string
	// Layout draws the pictures of /render (a render.Layout); nil lays them out in this process.
	Layout func(ctx context.Context, dot []byte, format string) ([]byte, error)

	ln       net.Listener
	srv      *http.Server
	bookOnce sync.Once
	book     *scenarioBook
}

// NewServer returns a Server over store with default limits.
func NewServer(store graph.Store) *Server {
	return &Server{Store: store, MaxBodyBytes: DefaultMaxBodyBytes, Logger: slog.Default(), Version: "dev"}
}

// Handler builds the router.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	r.HandleMethodNotAllowed = true
	r.Use(s.logRequests, s.recoverPanics)
	r.NoRoute(s.handle(func(c *gin.Context) (any, error) {
		return nil, graph.Errorf(graph.ENotFound, "no route %s %s", c.Request.Method, c.Request.URL.Path)
	}))
	r.NoMethod(s.handle(func(c *gin.Context) (any, error) {
		return nil, graph.Errorf(graph.EInvalid, "method %s is not allowed on %s", c.Request.Method, c.Request.URL.Path)
	}))
	r.GET("/healthz", s.handle(func(*gin.Context) (any, error) {
		return gin.H{"status": "ok", "version": s.Version}, nil
	}))
	r.GET("/readyz", s.handle(s.ready))

	v1 := r.Group("/api/v1")
	s.nodeRoutes(v1)
	s.datasetRoutes(v1)
	s.analysisRoutes(v1)
	s.reportRoutes(v1)
	s.renderRoutes(v1)
	return r
}

func (s *Server) ready(c *gin.Context) (any, error) {
	ctx, cancel := context.WithTimeout(c, 3*time.Second)
	defer cancel()
	if err := s.Store.Ready(ctx); err != nil {
		return nil, err
	}
	return gin.H{"status": "ready"}, nil
}

// requireKey lets a request through only with the configured API key in X-API-Key or
// "Authorization: Bearer KEY".
func (s *Server) requireKey(c *gin.Context) {
	key := c.GetHeader("X-API-Key")
	if bearer, ok := cutPrefixFold(c.GetHeader("Authorization"), "Bearer "); ok {
		key = bearer
	}
	switch {
	case s.APIKey == "":
		s.writeError(c, graph.Errorf(graph.EUnauthorized, "this server has no API key configured (CHOKEPOINT_API_KEY), so writes and ad-hoc Cypher are disabled"))
	case subtle.ConstantTimeCompare([]byte(key), []byte(s.APIKey)) != 1:
		s.writeError(c, graph.Errorf(graph.EUnauthorized, "a valid API key is required (X-API-Key header or Authorization: Bearer)"))
	default:
		c.Next()
		return
	}
	c.Abort()
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}

// DefaultSlowRequest is the duration over which a request is logged at INFO.
const DefaultSlowRequest = time.Second

// logRequests writes the access log: DEBUG for a request that succeeded in time, INFO for a
// server error (5xx) or a slow one, so that a production log at INFO shows what needs attention.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	elapsed := time.Since(start)
	slow := s.SlowRequest
	if slow <= 0 {
		slow = DefaultSlowRequest
	}
	level, attrs := slog.LevelDebug, []any{"method", c.Request.Method, "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "duration_ms", float64(elapsed.Microseconds()) / 1000}
	if c.Writer.Status() >= 500 {
		level = slog.LevelInfo
	}
	if elapsed > slow {
		level, attrs = slog.LevelInfo, append(attrs, "slow", true)
	}
	s.Logger.Log(c.Request.Context(), level, "request", attrs...)
}

func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.Logger.Error("panic", "path", c.Request.URL.Path, "panic", v)
			s.writeError(c, errors.New("panic"))
			c.Abort()
		}
	}()
	c.Next()
}

// Open listens on addr synchronously (a bad address fails at once; ":0" picks a port) and
// serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Logger.Error("serve", "err", err)
		}
	}()
	return nil
}

// Addr returns the address the server listens on, after Open.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close shuts the server down gracefully, waiting for requests in flight until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}
