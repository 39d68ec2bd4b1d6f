package api_test

import (
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
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
		if rec := do(h, "GET", target, nil); rec.Code != 200 {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
	codes := []int{do(h, "GET", "/api/v1/commodities", nil).Code, do(h, "GET", "/api/v1/commodities", nil).Code}
	if codes[0] != 200 || codes[1] != 429 {
		t.Errorf("API calls: %v, want 200 then 429", codes)
	}
}
