package api_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
)

// TestNeo4jOutage takes Neo4j away from a running service: readiness and store-backed calls
// answer 503 with Retry-After, the service keeps running, and it recovers by itself.
func TestNeo4jOutage(t *testing.T) {
	store := cyphertest.MustOpen(t)
	if _, err := store.Import(context.Background(), mustSmall(t)); err != nil {
		t.Fatal(err)
	}
	neo, p := cyphertest.OpenViaProxy(t, 0)
	srv := api.NewServer(neo)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	h := srv.Handler()
	flow := "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2024"

	if rec := do(h, "GET", flow, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"max_supply":90`) {
		t.Fatalf("before: %d %s", rec.Code, rec.Body.String())
	}
	p.Set(cyphertest.Refuse)
	for _, target := range []string{"/readyz", flow, "/api/v1/nodes/mine:alpha"} {
		rec := do(h, "GET", target, nil)
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"code":"unavailable"`) {
			t.Fatalf("during outage, %s: %d %s", target, rec.Code, rec.Body.String())
		}
	}
	p.Set(cyphertest.Pass)
	if rec := do(h, "GET", "/readyz", nil); rec.Code != 200 {
		t.Fatalf("after: readyz %d %s", rec.Code, rec.Body.String())
	}
	if rec := do(h, "GET", flow, nil); rec.Code != 200 {
		t.Fatalf("after: %d %s", rec.Code, rec.Body.String())
	}
	// The metrics saw the Neo4j calls and the outage's errors, and the projection served.
	wantLines(t, scrape(t, h),
		`chokepoint_store_call_errors_total{code="unavailable",op="network"} 2`,
		`chokepoint_store_call_errors_total{code="unavailable",op="ready"} 1`,
		`chokepoint_store_call_duration_seconds_count{op="ready"} 2`,
		`chokepoint_store_call_duration_seconds_count{op="network"} 4`,
		`chokepoint_http_requests_total{method="GET",route="/api/v1/analyses/:name",status="503"} 1`,
		`chokepoint_projection_nodes 19`,
	)
}

func mustSmall(t *testing.T) *graph.Dataset {
	t.Helper()
	_, s := MustServer(t)
	net, err := s.Store.Network(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return net.Dataset()
}
