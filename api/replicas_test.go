package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
)

// replica starts one service instance on the test Neo4j, as docker compose runs each replica: its
// own store (driver, projection cache, breaker), its saved scenarios in Neo4j, its own listener.
func replica(t *testing.T) string {
	t.Helper()
	store := cyphertest.MustOpenKeep(t)
	s := api.NewServer(store)
	s.APIKey = testKey
	s.Scenarios = store.Scenarios()
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// call makes one request to a replica and returns its status and body.
func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-API-Key", testKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// TestReplicas runs two instances on one Neo4j, as behind a load balancer: what is written through
// one (an import, a scenario saved or deleted) is what the other reads next, although the other
// had already projected and cached the network before the write.
func TestReplicas(t *testing.T) {
	cyphertest.Wipe(t, cyphertest.Config(t))
	seed := cyphertest.MustOpenKeep(t)
	if _, err := seed.Import(context.Background(), mustSmall(t)); err != nil {
		t.Fatal(err)
	}
	a, b := replica(t), replica(t)
	expect := func(method, url, body string, status int, contains string) {
		t.Helper()
		code, got := call(t, method, url, body)
		if code != status || !strings.Contains(got, contains) {
			t.Fatalf("%s %s: %d %s, want %d with %s", method, url, code, got, status, contains)
		}
	}
	flow := "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2024"
	// Both project and cache the network.
	expect("GET", a+flow, "", 200, `"max_supply":90`)
	expect("GET", b+flow, "", 200, `"max_supply":90`)
	expect("GET", b+"/api/v1/nodes/firm:newco", "", 404, "not_found")

	// An import through A: B's next read sees it (its cache notices the new revision).
	newco := `{"nodes": [{"id": "firm:newco", "kind": "firm", "name": "NewCo", "state": "CA"}], "edges": [{"kind": "owns", "from": "firm:newco", "to": "mine:gamma", "share": 0.3}]}`
	expect("POST", a+"/api/v1/import", newco, 200, `"total_nodes":20`)
	expect("GET", b+"/api/v1/nodes/firm:newco", "", 200, `"name":"NewCo"`)
	// And the other way round, on data that changes an analysis.
	more := `{"edges": [{"kind": "supplies", "from": "mine:beta", "to": "refinery:sep-my", "commodity": "re-concentrate", "volume_tpa": 10, "since": 2012}]}`
	expect("POST", b+"/api/v1/import", more, 200, `"total_nodes":20`)
	expect("GET", a+flow, "", 200, `"max_supply":70`)

	// A scenario saved through A is listed, read and run by B; deleted through B, gone for A.
	sc := `{"commodity": "rare-earths", "consumer": "JP", "as_of": 2024, "remove": {"nodes": ["mine:alpha"]}}`
	expect("GET", b+"/api/v1/scenarios", "", 200, `{"scenarios":[]}`)
	expect("PUT", a+"/api/v1/scenarios/alpha-closed", sc, 200, `"name":"alpha-closed"`)
	expect("GET", b+"/api/v1/scenarios", "", 200, `"name":"alpha-closed"`)
	expect("GET", b+"/api/v1/scenarios/alpha-closed", "", 200, `"nodes":["mine:alpha"]`)
	expect("POST", b+"/api/v1/scenarios/alpha-closed/run", "", 200, `"max_supply"`)
	expect("PUT", b+"/api/v1/scenarios/alpha-closed", strings.Replace(sc, "mine:alpha", "mine:beta", 1), 200, `"mine:beta"`)
	expect("GET", a+"/api/v1/scenarios/alpha-closed", "", 200, `"nodes":["mine:beta"]`)
	expect("DELETE", b+"/api/v1/scenarios/alpha-closed", "", 200, `"deleted":"alpha-closed"`)
	expect("GET", a+"/api/v1/scenarios/alpha-closed", "", 404, `no saved scenario \"alpha-closed\"`)
	expect("DELETE", a+"/api/v1/scenarios/alpha-closed", "", 404, `no saved scenario`)
	// A's metrics time its scenario calls: the save, the two reads and the delete.
	if _, metrics := call(t, "GET", a+"/metrics", ""); !strings.Contains(metrics, `chokepoint_store_call_duration_seconds_count{op="scenarios"} 4`) ||
		!strings.Contains(metrics, `chokepoint_store_call_errors_total{code="not_found",op="scenarios"} 2`) {
		t.Errorf("scenario calls not in A's metrics:\n%s", metrics)
	}
	// A scenario that does not run is saved by neither.
	expect("PUT", a+"/api/v1/scenarios/ghost", `{"commodity": "rare-earths", "consumer": "state:ZZ"}`, 404, "not_found")
	expect("GET", b+"/api/v1/scenarios", "", 200, `{"scenarios":[]}`)
}
