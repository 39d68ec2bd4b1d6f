package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
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
	// Store and Reports are wrapped, when the handler is first built, so that their calls are
	// timed and counted in the metrics.
	Store   graph.Store
	Reports report.Service // nil when no Neo4j is configured: report endpoints answer 501
	// APIKey is a write key (CHOKEPOINT_API_KEY), kept beside APIKeys for existing setups.
	APIKey string
	// APIKeys are the accepted keys and their scopes. Writes and ad-hoc Cypher need a write key
	// (with no write key at all they are refused); reads need a key only when some key is a read
	// key. The probes never need one.
	APIKeys      []APIKey
	MaxBodyBytes int64
	// Scenarios keeps saved scenarios (cypher.Scenarios on Neo4j, so that every instance sees the
	// same); when nil, they are kept as JSON files in ScenarioDir when set, else in memory only.
	Scenarios   graph.ScenarioStore
	ScenarioDir string
	// Logger gets one access-log record per request: at DEBUG, or at INFO when the request failed
	// (status 5xx) or took longer than SlowRequest.
	Logger *slog.Logger
	// SlowRequest is the duration over which a request is logged at INFO (0: DefaultSlowRequest).
	SlowRequest time.Duration
	Version     string
	// Layout draws the pictures of /render (a render.Layout); nil lays them out in this process.
	Layout func(ctx context.Context, dot []byte, format string) ([]byte, error)
	// LayoutSlots, when set, tells the metrics how many layouts are running and may run at once.
	LayoutSlots func() (inUse, capacity int)
	// Warmed, when set, tells /readyz whether the server has warmed up (its layout workers
	// started and Warm done, or failed, which is logged): until then /readyz answers 503, and
	// everything else answers.
	Warmed func() bool
	// TrustedProxies are the addresses or CIDRs of proxies whose X-Forwarded-For names the client
	// in access logs; with none, the client is the connection's peer.
	TrustedProxies []string
	// CORSOrigins are the origins (scheme://host[:port], matched exactly) whose browser scripts
	// may call the API; with none, CORS is off.
	CORSOrigins []string
	// RateLimiter, when set, limits each client's request rate (see limitRate); nil: no limit.
	RateLimiter *RateLimiter

	ln           net.Listener
	srv          *http.Server
	memScenarios graph.MemScenarios
	obsOnce      sync.Once
	metrics      *metrics
	keys         *keyring
	pictures     pictureCache
}

// NewServer returns a Server over store with default limits.
func NewServer(store graph.Store) *Server {
	return &Server{Store: store, MaxBodyBytes: DefaultMaxBodyBytes, Logger: slog.Default(), Version: "dev"}
}

// Handler builds the router. The first call also sets up the metrics, wrapping Store and Reports.
func (s *Server) Handler() http.Handler { return answerHead(s.router()) }

// router builds the gin router of Handler.
func (s *Server) router() *gin.Engine {
	s.obsOnce.Do(func() {
		s.metrics = newMetrics(s)
		if s.Store != nil {
			s.Store = observedStore{Store: s.Store, m: s.metrics}
		}
		if s.Reports != nil {
			s.Reports = observedReports{Service: s.Reports, m: s.metrics}
		}
	})
	r := gin.New()
	r.ContextWithFallback = true
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(s.TrustedProxies); err != nil {
		s.Logger.Error("bad trusted proxies: trusting none", "err", err)
		r.SetTrustedProxies(nil)
	}
	s.keys = newKeyring(s.APIKeys, s.APIKey)
	r.Use(requestID, s.observe, s.recoverPanics, s.cors, s.limitRate, s.requireRead)
	r.NoRoute(s.handle(func(c *gin.Context) (any, error) {
		return nil, graph.Errorf(graph.ENotFound, "no route %s %s", methodOf(c), c.Request.URL.Path)
	}))
	r.NoMethod(s.handle(s.methodNotAllowed))
	r.GET("/healthz", s.handle(func(c *gin.Context) (any, error) {
		if err := noQuery(c); err != nil {
			return nil, err
		}
		return gin.H{"status": "ok", "version": s.Version}, nil
	}))
	r.GET("/readyz", s.handle(s.ready))
	r.GET("/metrics", s.metrics.handler())
	s.pageRoutes(r)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", s.handle(s.serveOpenAPI))
	s.nodeRoutes(v1)
	s.datasetRoutes(v1)
	s.analysisRoutes(v1)
	s.reportRoutes(v1)
	s.renderRoutes(v1)
	return r
}

// methodNotAllowed answers a method the path does not take: 405 with Allow (set by gin from the
// routes), where GET implies HEAD.
func (s *Server) methodNotAllowed(c *gin.Context) (any, error) {
	allow := c.Writer.Header().Get("Allow")
	methods := strings.Split(allow, ", ")
	if slices.Contains(methods, http.MethodGet) && !slices.Contains(methods, http.MethodHead) {
		allow += ", " + http.MethodHead
		c.Header("Allow", allow)
	}
	return nil, graph.Errorf(EMethodNotAllowed, "method %s is not allowed on %s (allowed: %s)", methodOf(c), c.Request.URL.Path, allow)
}

// ready answers /readyz: ready when the store answers and the server has warmed up.
func (s *Server) ready(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c, 3*time.Second)
	defer cancel()
	if err := s.Store.Ready(ctx); err != nil {
		return nil, err
	}
	if s.Warmed != nil && !s.Warmed() {
		return nil, graph.Errorf(graph.EUnavailable, "still warming up (the layout workers, the web page's first picture)")
	}
	return gin.H{"status": "ready"}, nil
}

func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.logFor(c).Error("panic", "path", c.Request.URL.Path, "panic", v)
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
