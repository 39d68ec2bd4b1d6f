package api_test

import (
	"strconv"
	"strings"
	"testing"
)

// TestUnknownQueryParameters: a parameter the endpoint does not declare answers 400 naming it,
// for every kind of endpoint; declared ones pass.
func TestUnknownQueryParameters(t *testing.T) {
	_, s := MustServer(t)
	s.Reports = &fakeReports{}
	h := s.Handler()
	for _, tc := range []struct {
		name, method, target string
		status               int
		contains             string
	}{
		{"ErrAsofForAsOf", "GET", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=CN&asof=2010", 400, `unknown query parameter \"asof\": GET /api/v1/analyses/:name takes apply_controls, as_of, avoid_control`},
		{"ErrSeveral", "GET", "/api/v1/nodes?kind=mine&page=2&sort=name", 400, `unknown query parameters \"page\", \"sort\"`},
		{"ErrExportLimit", "GET", "/api/v1/export?limit=5", 400, `unknown query parameter \"limit\"`},
		{"ErrNode", "GET", "/api/v1/nodes/mine:alpha?depth=2", 400, `GET /api/v1/nodes/:id takes as_of`},
		{"ErrRender", "GET", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&fromat=dot", 400, `unknown query parameter \"fromat\"`},
		{"ErrNoParameters", "GET", "/api/v1/commodities?x=1", 400, `GET /api/v1/commodities takes no query parameters`},
		{"ErrHealthz", "GET", "/healthz?verbose=1", 400, `unknown query parameter \"verbose\"`},
		{"ErrScenarioRun", "POST", "/api/v1/scenarios/run?as_of=2024", 400, `POST /api/v1/scenarios/run takes format`},
		{"ErrCypher", "POST", "/api/v1/cypher?limit=1", 400, `POST /api/v1/cypher takes format, max_rows`},
		{"OKDeclared", "GET", "/api/v1/nodes?kind=mine&state=CN&commodity=re-concentrate&q=a&as_of=2024&limit=5&offset=0", 200, `"total":`},
		{"OKRepeated", "GET", "/api/v1/analyses/centrality?metric=degree&kinds=supplies&kinds=offtake&as_of=2024", 200, `"metric":"degree"`},
		{"OKReportParameters", "GET", "/api/v1/reports/owners/run?id=mine:alpha&format=json", 200, `"columns"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, strings.NewReader(""), "X-API-Key", testKey)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Fatalf("%d %s\nwant %d containing %s", rec.Code, rec.Body.String(), tc.status, tc.contains)
			}
		})
	}
}

// TestMethodNotAllowed: a method the path does not take answers 405 with Allow, HEAD beside GET.
func TestMethodNotAllowed(t *testing.T) {
	h, _ := MustServer(t)
	for _, tc := range []struct{ method, target, allow string }{
		{"POST", "/api/v1/nodes", "GET, HEAD"},
		{"DELETE", "/api/v1/analyses/flow", "GET, HEAD"},
		{"GET", "/api/v1/import", "POST"},
		{"HEAD", "/api/v1/import", "POST"},
		{"PATCH", "/api/v1/scenarios/x", "GET, PUT, DELETE, HEAD"},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, nil)
			if rec.Code != 405 || rec.Header().Get("Allow") != tc.allow {
				t.Fatalf("%d Allow %q, want 405 Allow %q", rec.Code, rec.Header().Get("Allow"), tc.allow)
			}
			if tc.method != "HEAD" && !strings.Contains(rec.Body.String(), `"code":"method_not_allowed"`) {
				t.Fatalf("body %s", rec.Body.String())
			}
		})
	}
}

// TestHead: HEAD is answered wherever GET is, with the GET's status and headers and no body.
func TestHead(t *testing.T) {
	h, _ := MustServer(t)
	for _, target := range []string{"/healthz", "/api/v1/nodes/refinery:sep-my", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2024", "/api/v1/openapi.json", "/metrics", "/api/v1/nodes/mine:nope", "/api/v1/nodes?kind=plant"} {
		t.Run(target, func(t *testing.T) {
			get := do(h, "GET", target, nil)
			head := do(h, "HEAD", target, nil)
			if head.Code != get.Code || head.Body.Len() != 0 {
				t.Fatalf("HEAD %d with %d bytes; GET %d", head.Code, head.Body.Len(), get.Code)
			}
			if target != "/metrics" && head.Header().Get("Content-Length") != strconv.Itoa(get.Body.Len()) {
				t.Errorf("Content-Length %q, GET sent %d bytes", head.Header().Get("Content-Length"), get.Body.Len())
			}
			if head.Header().Get("Content-Type") != get.Header().Get("Content-Type") || head.Header().Get("X-Request-Id") == "" {
				t.Errorf("headers %v, GET's %v", head.Header(), get.Header())
			}
		})
	}
}
