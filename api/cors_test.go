package api_test

import (
	"strings"
	"testing"
)

// TestCORS: off by default; with origins configured, a listed origin (exact match) gets the CORS
// headers and its preflight a 204, any other origin none, and its preflight 403.
func TestCORS(t *testing.T) {
	t.Run("OffByDefault", func(t *testing.T) {
		h, _ := MustServer(t)
		rec := do(h, "GET", "/api/v1/commodities", nil, "Origin", "https://app.example")
		if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
		rec = do(h, "OPTIONS", "/api/v1/commodities", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
		if rec.Code != 405 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
		}
	})
	_, s := MustServer(t)
	s.CORSOrigins = []string{"https://app.example", "http://localhost:3000"}
	h := s.Handler()
	t.Run("OKAllowed", func(t *testing.T) {
		rec := do(h, "GET", "/api/v1/commodities", nil, "Origin", "http://localhost:3000")
		if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" || rec.Header().Get("Vary") == "" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
	})
	t.Run("OKPreflight", func(t *testing.T) {
		rec := do(h, "OPTIONS", "/api/v1/scenarios/x", nil, "Origin", "https://app.example",
			"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-api-key, content-type")
		hd := rec.Header()
		if rec.Code != 204 || hd.Get("Access-Control-Allow-Origin") != "https://app.example" ||
			hd.Get("Access-Control-Allow-Methods") == "" || hd.Get("Access-Control-Allow-Headers") == "" || hd.Get("Access-Control-Max-Age") == "" {
			t.Fatalf("%d %v", rec.Code, hd)
		}
	})
	t.Run("OKPreflightNeedsNoKey", func(t *testing.T) {
		_, s := MustServer(t)
		s.CORSOrigins = []string{"https://app.example"}
		s.APIKeys = nil
		s.APIKey = ""
		rec := do(s.Handler(), "OPTIONS", "/api/v1/import", nil, "Origin", "https://app.example", "Access-Control-Request-Method", "POST")
		if rec.Code != 204 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("ErrRefusedOrigin", func(t *testing.T) {
		rec := do(h, "GET", "/api/v1/commodities", nil, "Origin", "https://app.example.evil")
		if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
		rec = do(h, "OPTIONS", "/api/v1/commodities", nil, "Origin", "https://APP.example", "Access-Control-Request-Method", "GET")
		if rec.Code != 403 || rec.Header().Get("Access-Control-Allow-Origin") != "" || !strings.Contains(rec.Body.String(), `"code":"forbidden"`) {
			t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body.String())
		}
	})
	t.Run("OKNoOrigin", func(t *testing.T) {
		rec := do(h, "OPTIONS", "/api/v1/commodities", nil)
		if rec.Code != 405 {
			t.Fatalf("%d", rec.Code)
		}
	})
}
