package api

import (
	"context"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// latencyBuckets are the upper bounds, in seconds, of the latency histograms: from a cached
// lookup to a projection or a layout at its deadline.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// unmatchedRoute is the route label of requests that matched no route: never the raw path, which
// would make a label value per URL.
const unmatchedRoute = "unmatched"

// metrics holds a server's Prometheus collectors, on a registry of its own (two servers in one
// process, as in tests, do not collide).
type metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec   // method, route, status
	latency      *prometheus.HistogramVec // method, route, status
	inFlight     prometheus.Gauge
	storeLatency *prometheus.HistogramVec // op
	storeErrors  *prometheus.CounterVec   // op, code
	projection   atomic.Pointer[projectionSeen]
}

// projectionSeen is the last projection a store call returned, and when it was first seen.
type projectionSeen struct {
	net  *graph.Network
	seen time.Time
}

// newMetrics registers the collectors of s: its requests, store calls, projection, layout slots
// (from s.LayoutSlots), build (s.Version) and the Go runtime and process.
func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chokepoint_http_requests_total",
		Help: "HTTP requests answered, by method, route template and status.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "chokepoint_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by method, route template and status.",
		Buckets: latencyBuckets,
	}, []string{"method", "route", "status"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chokepoint_http_requests_in_flight",
		Help: "HTTP requests being answered.",
	})
	m.storeLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "chokepoint_store_call_duration_seconds",
		Help: "Time of a call to the store (Neo4j, or the embedded store) by operation: network " +
			"(revision check, and projection when the graph changed), import, ready, report, cypher.",
		Buckets: latencyBuckets,
	}, []string{"op"})
	m.storeErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chokepoint_store_call_errors_total",
		Help: "Failed calls to the store, by operation and error code (unavailable, timeout, invalid…).",
	}, []string{"op", "code"})
	layoutSlot := func(capacity bool) func() float64 {
		return func() float64 {
			if s.LayoutSlots == nil {
				return 0
			}
			inUse, n := s.LayoutSlots()
			if capacity {
				return float64(n)
			}
			return float64(inUse)
		}
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.storeLatency, m.storeErrors, buildInfoCollector{s},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "chokepoint_layout_slots_in_use",
			Help: "Layout workers busy (drawing a picture, or starting).",
		}, layoutSlot(false)),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "chokepoint_layout_slots",
			Help: "Layout workers (pictures that may be drawn at once).",
		}, layoutSlot(true)),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "chokepoint_picture_cache_hits_total",
			Help: "Pictures answered from the picture cache, without a layout.",
		}, func() float64 { hits, _ := s.pictures.lookups(); return float64(hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "chokepoint_picture_cache_misses_total",
			Help: "Pictures not in the picture cache: drawn (or failed) and kept.",
		}, func() float64 { _, misses := s.pictures.lookups(); return float64(misses) }),
		projectionCollector{m},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// handler serves the metrics in the Prometheus exposition formats.
func (m *metrics) handler() gin.HandlerFunc {
	return gin.WrapH(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// knownMethods are the methods that are their own label value; any other is "other", so that
// clients cannot make label values at will.
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true, "OPTIONS": true}

// observeRequest counts an answered request.
func (m *metrics) observeRequest(method, route string, status int, d time.Duration) {
	if route == "" {
		route = unmatchedRoute
	}
	if !knownMethods[method] {
		method = "other"
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, code).Inc()
	m.latency.WithLabelValues(method, route, code).Observe(d.Seconds())
}

// observeCall records a store call's time and, when it failed, its error code.
func (m *metrics) observeCall(op string, start time.Time, err error) {
	m.storeLatency.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if err != nil {
		m.storeErrors.WithLabelValues(op, graph.ErrorCode(err)).Inc()
	}
}

// observeProjection notes the projection a store call returned: a new one starts its age.
func (m *metrics) observeProjection(net *graph.Network) {
	if net == nil {
		return
	}
	if last := m.projection.Load(); last != nil && last.net == net {
		return
	}
	m.projection.Store(&projectionSeen{net: net, seen: time.Now()})
}

var (
	projectionAgeDesc = prometheus.NewDesc("chokepoint_projection_age_seconds",
		"Time since the projection being served was first returned by the store (it is replaced after each write).", nil, nil)
	projectionNodesDesc = prometheus.NewDesc("chokepoint_projection_nodes", "Nodes in the projection being served.", nil, nil)
	projectionEdgesDesc = prometheus.NewDesc("chokepoint_projection_edges", "Edges in the projection being served.", nil, nil)
)

// projectionCollector exposes the age and size of the projection being served, and nothing before
// the first one (an age of 0 would claim a fresh projection).
type projectionCollector struct{ m *metrics }

// Describe implements prometheus.Collector.
func (p projectionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- projectionAgeDesc
	ch <- projectionNodesDesc
	ch <- projectionEdgesDesc
}

// Collect implements prometheus.Collector.
func (p projectionCollector) Collect(ch chan<- prometheus.Metric) {
	last := p.m.projection.Load()
	if last == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(projectionAgeDesc, prometheus.GaugeValue, time.Since(last.seen).Seconds())
	ch <- prometheus.MustNewConstMetric(projectionNodesDesc, prometheus.GaugeValue, float64(len(last.net.Nodes())))
	ch <- prometheus.MustNewConstMetric(projectionEdgesDesc, prometheus.GaugeValue, float64(len(last.net.Edges())))
}

var buildInfoDesc = prometheus.NewDesc("chokepoint_build_info", "Always 1; the labels name the build.",
	[]string{"version", "goversion"}, nil)

// buildInfoCollector exposes the server's Version as it is when scraped.
type buildInfoCollector struct{ s *Server }

// Describe implements prometheus.Collector.
func (b buildInfoCollector) Describe(ch chan<- *prometheus.Desc) { ch <- buildInfoDesc }

// Collect implements prometheus.Collector.
func (b buildInfoCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(buildInfoDesc, prometheus.GaugeValue, 1, b.s.Version, runtime.Version())
}

// observedStore is a graph.Store whose calls are timed and counted.
type observedStore struct {
	graph.Store
	m *metrics
}

// Import implements graph.Store.
func (o observedStore) Import(ctx context.Context, add *graph.Dataset) (graph.ImportResult, error) {
	start := time.Now()
	res, err := o.Store.Import(ctx, add)
	o.m.observeCall("import", start, err)
	return res, err
}

// Network implements graph.Store.
func (o observedStore) Network(ctx context.Context) (*graph.Network, error) {
	start := time.Now()
	net, err := o.Store.Network(ctx)
	o.m.observeCall("network", start, err)
	if err == nil {
		o.m.observeProjection(net)
	}
	return net, err
}

// Ready implements graph.Store.
func (o observedStore) Ready(ctx context.Context) error {
	start := time.Now()
	err := o.Store.Ready(ctx)
	o.m.observeCall("ready", start, err)
	return err
}

// observedReports is a report.Service whose runs are timed and counted.
type observedReports struct {
	report.Service
	m *metrics
}

// Run implements report.Service.
func (o observedReports) Run(ctx context.Context, name string, args map[string]any, maxRows int) (*report.Result, error) {
	start := time.Now()
	res, err := o.Service.Run(ctx, name, args, maxRows)
	o.m.observeCall("report", start, err)
	return res, err
}

// Query implements report.Service.
func (o observedReports) Query(ctx context.Context, query string, params map[string]any, maxRows int) (*report.Result, error) {
	start := time.Now()
	res, err := o.Service.Query(ctx, query, params, maxRows)
	o.m.observeCall("cypher", start, err)
	return res, err
}

// observedScenarios is a graph.ScenarioStore whose calls are timed and counted, as op scenarios.
type observedScenarios struct {
	graph.ScenarioStore
	m *metrics
}

// List implements graph.ScenarioStore.
func (o observedScenarios) List(ctx context.Context) ([]graph.Scenario, error) {
	start := time.Now()
	list, err := o.ScenarioStore.List(ctx)
	o.m.observeCall("scenarios", start, err)
	return list, err
}

// Get implements graph.ScenarioStore.
func (o observedScenarios) Get(ctx context.Context, name string) (graph.Scenario, error) {
	start := time.Now()
	sc, err := o.ScenarioStore.Get(ctx, name)
	o.m.observeCall("scenarios", start, err)
	return sc, err
}

// Put implements graph.ScenarioStore.
func (o observedScenarios) Put(ctx context.Context, sc graph.Scenario) error {
	start := time.Now()
	err := o.ScenarioStore.Put(ctx, sc)
	o.m.observeCall("scenarios", start, err)
	return err
}

// Delete implements graph.ScenarioStore.
func (o observedScenarios) Delete(ctx context.Context, name string) error {
	start := time.Now()
	err := o.ScenarioStore.Delete(ctx, name)
	o.m.observeCall("scenarios", start, err)
	return err
}
