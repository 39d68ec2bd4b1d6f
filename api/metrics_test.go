package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/graph"
)

// scrape returns the text of GET /metrics.
func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := do(h, "GET", "/metrics", nil)
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// wantLines fails unless text holds a line starting with each prefix.
func wantLines(t *testing.T, text string, prefixes ...string) {
	t.Helper()
	for _, p := range prefixes {
		found := false
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, p) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no metric line starting %s", p)
		}
	}
}

// TestMetrics: requests are counted by route template (never the raw path) and status with a
// latency histogram; store calls by operation with their errors; the projection's age and size,
// the layout slots and the build are exposed.
func TestMetrics(t *testing.T) {
	_, s := MustServer(t)
	s.Version = "v9.9.9"
	s.LayoutSlots = func() (int, int) { return 1, 4 }
	h := s.Handler()
	do(h, "GET", "/api/v1/nodes/refinery:sep-my", nil)
	do(h, "GET", "/api/v1/nodes/mine:nope", nil)
	do(h, "GET", "/api/v1/nodes/mine:nope", nil)
	do(h, "GET", "/no/such/path/12345", nil)
	do(h, "BREW", "/api/v1/nodes", nil)
	text := scrape(t, h)
	wantLines(t, text,
		`chokepoint_http_requests_total{method="GET",route="/api/v1/nodes/:id",status="200"} 1`,
		`chokepoint_http_requests_total{method="GET",route="/api/v1/nodes/:id",status="404"} 2`,
		`chokepoint_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`chokepoint_http_requests_total{method="other",route="unmatched",status="405"} 1`,
		`chokepoint_http_request_duration_seconds_bucket{method="GET",route="/api/v1/nodes/:id",status="200",le="+Inf"} 1`,
		`chokepoint_http_request_duration_seconds_count{method="GET",route="/api/v1/nodes/:id",status="404"} 2`,
		`chokepoint_http_requests_in_flight 1`, // the scrape itself
		`chokepoint_store_call_duration_seconds_count{op="network"} 3`,
		`chokepoint_projection_nodes 19`,
		`chokepoint_projection_edges 22`,
		`chokepoint_projection_age_seconds `,
		`chokepoint_layout_slots_in_use 1`,
		`chokepoint_layout_slots 4`,
		`chokepoint_build_info{goversion="go`,
		`go_goroutines `,
		`process_`,
	)
	if strings.Contains(text, "/no/such/path") || strings.Contains(text, "BREW") {
		t.Error("an unmatched path or an unknown method became a label")
	}
	if !regexp.MustCompile(`chokepoint_build_info\{[^}]*version="v9\.9\.9"\} 1`).MatchString(text) {
		t.Error("build info without the version")
	}
	t.Run("StoreErrors", func(t *testing.T) {
		s := api.NewServer(failingStore{})
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		h := s.Handler()
		if rec := do(h, "GET", "/api/v1/commodities", nil); rec.Code != 503 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		text := scrape(t, h)
		wantLines(t, text,
			`chokepoint_store_call_errors_total{code="unavailable",op="network"} 1`,
			`chokepoint_store_call_duration_seconds_count{op="network"} 1`,
		)
		if strings.Contains(text, "chokepoint_projection_nodes") {
			t.Error("a projection size before any projection")
		}
	})
}

// failingStore is a store whose Neo4j is down.
type failingStore struct{}

func (failingStore) Import(context.Context, *graph.Dataset) (graph.ImportResult, error) {
	return graph.ImportResult{}, graph.Errorf(graph.EUnavailable, "down")
}
func (failingStore) Network(context.Context) (*graph.Network, error) {
	return nil, graph.Errorf(graph.EUnavailable, "down")
}
func (failingStore) Ready(context.Context) error { return graph.Errorf(graph.EUnavailable, "down") }

// logLines decodes JSON log lines.
func logLines(t *testing.T, b *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// jsonLogServer is the test server logging JSON into logs at level.
func jsonLogServer(t *testing.T, logs *bytes.Buffer, level slog.Level) http.Handler {
	_, s := MustServer(t)
	s.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: level}))
	return s.Handler()
}

// TestRequestID: every response carries X-Request-Id: the client's when it is sane, else one of
// the server's; every log line of the request carries it too.
func TestRequestID(t *testing.T) {
	generated := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, tc := range []struct {
		name, incoming string
		keep           bool
	}{
		{"OK", "req-42.abc:XY_z", true},
		{"Generated", "", false},
		{"ErrTooLong", strings.Repeat("a", 129), false},
		{"ErrBadCharacters", "evil\" id=1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := jsonLogServer(t, &logs, slog.LevelDebug)
			var header []string
			if tc.incoming != "" {
				header = []string{"X-Request-Id", tc.incoming}
			}
			// An unknown node: the access log line; a failing encoder would add an error line.
			rec := do(h, "GET", "/api/v1/nodes/mine:nope", nil, header...)
			id := rec.Header().Get("X-Request-Id")
			switch {
			case tc.keep && id != tc.incoming:
				t.Fatalf("id %q, want the client's %q", id, tc.incoming)
			case !tc.keep && !generated.MatchString(id):
				t.Fatalf("id %q, want 32 hex digits", id)
			}
			lines := logLines(t, &logs)
			if len(lines) == 0 {
				t.Fatal("nothing logged")
			}
			for _, l := range lines {
				if l["request_id"] != id {
					t.Errorf("log line without the request id %q: %v", id, l)
				}
			}
		})
	}
	t.Run("Unique", func(t *testing.T) {
		h, _ := MustServer(t)
		a := do(h, "GET", "/healthz", nil).Header().Get("X-Request-Id")
		b := do(h, "GET", "/healthz", nil).Header().Get("X-Request-Id")
		if a == b {
			t.Fatalf("two requests share id %q", a)
		}
	})
}

// TestAccessLog: one line a request with its route, path, query string, status and client
// address, at DEBUG (TestAccessLogLevels: INFO for errors and slow requests); the probes and
// /metrics at DEBUG, so a log at INFO has none of these lines.
func TestAccessLog(t *testing.T) {
	var quiet bytes.Buffer
	hq := jsonLogServer(t, &quiet, slog.LevelInfo)
	for _, target := range []string{"/api/v1/nodes?kind=mine", "/healthz", "/readyz", "/metrics"} {
		do(hq, "GET", target, nil)
	}
	if lines := logLines(t, &quiet); len(lines) != 0 {
		t.Fatalf("at INFO: %v", lines)
	}
	var logs bytes.Buffer
	h := jsonLogServer(t, &logs, slog.LevelDebug)
	req := httptest.NewRequest("GET", "/api/v1/nodes?kind=mine&q=alpha", nil)
	req.RemoteAddr = "192.0.2.7:5555"
	req.Header.Set("X-Forwarded-For", "203.0.113.9") // no trusted proxy: not believed
	h.ServeHTTP(httptest.NewRecorder(), req)
	for _, probe := range []string{"/healthz", "/readyz", "/metrics"} {
		do(h, "GET", probe, nil)
	}
	lines := logLines(t, &logs)
	if len(lines) != 4 {
		t.Fatalf("want the node listing's line and the probes', got %v", lines)
	}
	l := lines[0]
	for k, want := range map[string]any{"msg": "request", "level": "DEBUG", "method": "GET", "route": "/api/v1/nodes",
		"path": "/api/v1/nodes", "query": "kind=mine&q=alpha", "status": 200.0, "client": "192.0.2.7"} {
		if l[k] != want {
			t.Errorf("%s = %v, want %v", k, l[k], want)
		}
	}
	for _, k := range []string{"duration_ms", "bytes", "request_id"} {
		if _, ok := l[k]; !ok {
			t.Errorf("no %s in %v", k, l)
		}
	}

	t.Run("TrustedProxy", func(t *testing.T) {
		var logs bytes.Buffer
		_, s := MustServer(t)
		s.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		s.TrustedProxies = []string{"192.0.2.0/24"}
		req := httptest.NewRequest("GET", "/api/v1/commodities", nil)
		req.RemoteAddr = "192.0.2.7:5555"
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		s.Handler().ServeHTTP(httptest.NewRecorder(), req)
		if lines := logLines(t, &logs); len(lines) != 1 || lines[0]["client"] != "203.0.113.9" {
			t.Fatalf("%v", lines)
		}
	})
	t.Run("ProbesAtDebug", func(t *testing.T) {
		var logs bytes.Buffer
		h := jsonLogServer(t, &logs, slog.LevelDebug)
		do(h, "GET", "/healthz", nil)
		lines := logLines(t, &logs)
		if len(lines) != 1 || lines[0]["level"] != "DEBUG" || lines[0]["path"] != "/healthz" {
			t.Fatalf("%v", lines)
		}
	})
}
