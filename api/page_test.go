package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// TestPage: the web page is served at / and /ui/VIEW, its files under /ui/assets/, with a strict
// Content-Security-Policy, an ETag, and any query (the page's state); with read keys configured
// the page needs no key, while the API it calls still does.
func TestPage(t *testing.T) {
	_, s := MustServer(t)
	s.APIKeys = []api.APIKey{{Key: "rkey", Scope: api.ScopeRead}}
	h := s.Handler()
	for _, tc := range []struct {
		target, contentType string
		status              int
	}{
		{"/", "text/html", 200},
		{"/ui/ask?commodity=rare-earths&consumer=state:JP&anything=1", "text/html", 200},
		{"/ui/node?id=mine:alpha", "text/html", 200},
		{"/ui/assets/app.js", "text/javascript", 200},
		{"/ui/assets/style.css", "text/css", 200},
		{"/ui/nope", "application/json", 404},
		{"/ui/assets/nope.js", "application/json", 404},
		{"/ui/assets/", "application/json", 404},
		{"/ui/", "application/json", 404},
		{"/api/v1/nodes", "application/json", 401},
	} {
		rec := do(h, "GET", tc.target, nil)
		if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType) {
			t.Errorf("%s: %d %s, want %d %s", tc.target, rec.Code, rec.Header().Get("Content-Type"), tc.status, tc.contentType)
			continue
		}
		if tc.status == 200 && !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: CSP %q", tc.target, rec.Header().Get("Content-Security-Policy"))
		}
	}
	rec := do(h, "GET", "/ui/assets/app.js", nil, "Accept-Encoding", "gzip")
	etag := rec.Header().Get("ETag")
	if etag == "" || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("ETag %q, Content-Encoding %q", etag, rec.Header().Get("Content-Encoding"))
	}
	if rec := do(h, "GET", "/ui/assets/app.js", nil, "If-None-Match", etag); rec.Code != 304 {
		t.Errorf("If-None-Match: %d, want 304", rec.Code)
	}
	if rec := do(h, "POST", "/ui/ask", nil); rec.Code != 405 {
		t.Errorf("POST /ui/ask: %d, want 405", rec.Code)
	}
}

// TestPageNotRateLimited: the page's files do not count against a client's rate limit (a page
// load is a dozen files); its API calls do.
func TestPageNotRateLimited(t *testing.T) {
	_, s := MustServer(t)
	s.RateLimiter = api.NewRateLimiter(1, 1, nil)
	h := s.Handler()
	for _, target := range []string{"/", "/ui/ask", "/ui/assets/app.js", "/ui/assets/ui.js", "/ui/assets/style.css"} {
		if rec := do(h, "GET", target, nil); rec.Code != 200 && rec.Code != 302 {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
	codes := []int{do(h, "GET", "/api/v1/commodities", nil).Code, do(h, "GET", "/api/v1/commodities", nil).Code}
	if codes[0] != 200 || codes[1] != 429 {
		t.Errorf("API calls: %v, want 200 then 429", codes)
	}
}

// TestWarm: the catalog's question is the README's example where the network has it, else the
// first commodity family; / redirects to Ask with it (not when reads need a key: TestPage); Warm
// draws its flow picture as the page asks for it (commodity, consumer and year, the rest left to
// defaults), so that the page's first picture needs no layout, and draws nothing when it is
// already kept.
func TestWarm(t *testing.T) {
	h, s := MustServer(t)
	layouts := countLayouts(s)
	var cat api.Catalog
	if rec := do(h, "GET", "/api/v1/catalog", nil); rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &cat) != nil {
		t.Fatalf("catalog: %d %s", rec.Code, rec.Body)
	}
	year := graph.ThisYear()
	if want := (api.Question{Commodity: "rare-earths", Consumer: "state:JP", Supplier: "state:CN", AsOf: year}); cat.Question != want {
		t.Fatalf("question %+v, want %+v", cat.Question, want)
	}
	// / sends a browser to Ask with that question; / with a query is the page itself.
	if rec := do(h, "GET", "/", nil); rec.Code != 302 || rec.Header().Get("Location") != fmt.Sprintf("/ui/ask?as_of=%d&commodity=rare-earths&consumer=state%%3AJP&supplier=state%%3ACN", year) {
		t.Errorf("/: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := do(h, "GET", "/?consumer=state:US", nil); rec.Code != 200 {
		t.Errorf("/ with a query: %d", rec.Code)
	}
	if err := s.Warm(context.Background()); err != nil || *layouts != 1 {
		t.Fatalf("warm: %v, %d layouts", err, *layouts)
	}
	if err := s.Warm(context.Background()); err != nil || *layouts != 1 {
		t.Fatalf("warm again: %v, %d layouts", err, *layouts)
	}
	target := fmt.Sprintf("/api/v1/render/flow?consumer=state:JP&commodity=rare-earths&as_of=%d", year)
	rec := do(h, "GET", target, nil)
	if rec.Code != 200 || *layouts != 1 || !strings.Contains(rec.Body.String(), "<svg") {
		t.Fatalf("the page's first picture: %d, %d layouts", rec.Code, *layouts)
	}
	metrics := do(h, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{"chokepoint_picture_cache_hits_total 2", "chokepoint_picture_cache_misses_total 1"} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}

	// No rare earths: the first family, alphabetically.
	ds := fixture.Small(t)
	families := map[string]bool{}
	for i := range ds.Commodities {
		ds.Commodities[i].Family = "z-" + ds.Commodities[i].Family
		families[ds.Commodities[i].Family] = true
	}
	first := slices.Sorted(maps.Keys(families))[0]
	h, _ = serve(t, ds, testKey)
	if rec := do(h, "GET", "/api/v1/catalog", nil); rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &cat) != nil || cat.Question.Commodity != first {
		t.Fatalf("question without rare earths: %+v, want the family %s", cat.Question, first)
	}
}
