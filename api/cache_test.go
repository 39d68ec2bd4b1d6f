package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"
)

// gunzip returns the decompressed body.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGzip: JSON, CSV, SVG and DOT are gzipped when the client accepts it, PNG never; the
// decompressed body is the plain one.
func TestGzip(t *testing.T) {
	_, s := MustServer(t)
	s.Layout = func(_ context.Context, dot []byte, format string) ([]byte, error) {
		if format == "png" {
			return append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 4096)...), nil
		}
		return append([]byte("<svg>"), append(bytes.Repeat([]byte("<g/>"), 1000), "</svg>"...)...), nil
	}
	h := s.Handler()
	for _, tc := range []struct {
		name, target, accept string
		gzipped              bool
	}{
		{"JSON", "/api/v1/nodes?limit=1000", "gzip", true},
		{"JSONWithQ", "/api/v1/nodes?limit=1000", "br;q=1.0, gzip;q=0.8", true},
		{"CSV", "/api/v1/analyses/concentration?commodity=rare-earths&format=csv&as_of=2024", "gzip", true},
		{"SVG", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=svg", "gzip", true},
		{"DOT", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=dot", "gzip", true},
		{"PNGNever", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=png", "gzip", false},
		{"NotAccepted", "/api/v1/nodes?limit=1000", "", false},
		{"Refused", "/api/v1/nodes?limit=1000", "gzip;q=0, identity", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := do(h, "GET", tc.target, nil)
			var header []string
			if tc.accept != "" {
				header = []string{"Accept-Encoding", tc.accept}
			}
			rec := do(h, "GET", tc.target, nil, header...)
			if rec.Code != 200 || plain.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzipped {
				t.Fatalf("Content-Encoding %q, want gzip %v", rec.Header().Get("Content-Encoding"), tc.gzipped)
			}
			body := rec.Body.Bytes()
			if tc.gzipped {
				body = gunzip(t, body)
				if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
					t.Fatalf("Vary %q", rec.Header().Get("Vary"))
				}
				if rec.Header().Get("Content-Type") != plain.Header().Get("Content-Type") {
					t.Fatalf("Content-Type %q, plain %q", rec.Header().Get("Content-Type"), plain.Header().Get("Content-Type"))
				}
			}
			if !bytes.Equal(body, plain.Body.Bytes()) {
				t.Fatalf("body differs from the plain one")
			}
		})
	}
}

// TestETag: cached reads carry an ETag, the same gzipped or not, and a matching If-None-Match
// answers 304 with no body; other answers carry none.
func TestETag(t *testing.T) {
	h, _ := MustServer(t)
	for _, target := range []string{
		"/api/v1/nodes?limit=5",
		"/api/v1/nodes/mine:alpha",
		"/api/v1/analyses/concentration?commodity=rare-earths&as_of=2024",
		"/api/v1/export",
		"/api/v1/catalog",
		"/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=dot",
	} {
		t.Run(target, func(t *testing.T) {
			rec := do(h, "GET", target, nil)
			etag := rec.Header().Get("ETag")
			if rec.Code != 200 || !strings.HasPrefix(etag, `W/"`) {
				t.Fatalf("%d ETag %q", rec.Code, etag)
			}
			if z := do(h, "GET", target, nil, "Accept-Encoding", "gzip"); z.Header().Get("ETag") != etag {
				t.Fatalf("gzipped ETag %q, plain %q", z.Header().Get("ETag"), etag)
			}
			for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
				rec := do(h, "GET", target, nil, "If-None-Match", inm)
				if rec.Code != 304 || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
					t.Fatalf("If-None-Match %s: %d %q", inm, rec.Code, rec.Body.String())
				}
			}
			if rec := do(h, "HEAD", target, nil, "If-None-Match", etag); rec.Code != 304 {
				t.Fatalf("HEAD: %d", rec.Code)
			}
			if rec := do(h, "GET", target, nil, "If-None-Match", `W/"stale"`); rec.Code != 200 || rec.Body.Len() == 0 {
				t.Fatalf("stale: %d", rec.Code)
			}
		})
	}
	t.Run("NotOnWritesOrErrors", func(t *testing.T) {
		sc := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`
		if rec := do(h, "POST", "/api/v1/scenarios/run", strings.NewReader(sc)); rec.Code != 200 || rec.Header().Get("ETag") != "" {
			t.Fatalf("%d ETag %q", rec.Code, rec.Header().Get("ETag"))
		}
		if rec := do(h, "GET", "/api/v1/nodes/mine:ghost", nil); rec.Code != 404 || rec.Header().Get("ETag") != "" {
			t.Fatalf("%d ETag %q", rec.Code, rec.Header().Get("ETag"))
		}
	})
}
