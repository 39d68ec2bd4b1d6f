package api_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
)

// proxy forwards TCP connections from a loopback port to target until cut, so a test can take
// Neo4j away from the service and give it back.
type proxy struct {
	target string
	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
}

func startProxy(t *testing.T, target, addr string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{target: target, ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

// cut closes the listener and every forwarded connection.
func (p *proxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestNeo4jOutage takes Neo4j away from a running service: readiness and store-backed calls
// answer 503 with Retry-After, the service keeps running, and it recovers by itself.
func TestNeo4jOutage(t *testing.T) {
	cfg := cyphertest.Config(t)
	store := cyphertest.MustOpen(t)
	if _, err := store.Import(context.Background(), mustSmall(t)); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(cfg.URI)
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host, "127.0.0.1:0")
	addr := p.ln.Addr().String()
	viaProxy := cfg
	viaProxy.URI = u.Scheme + "://" + addr
	neo, err := cypher.Open(context.Background(), viaProxy)
	if err != nil {
		t.Fatal(err)
	}
	defer neo.Close(context.Background())
	srv := api.NewServer(neo)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	h := srv.Handler()
	flow := "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2024"

	if rec := do(h, "GET", flow, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"max_supply":90`) {
		t.Fatalf("before: %d %s", rec.Code, rec.Body.String())
	}
	p.cut()
	for _, target := range []string{"/readyz", flow, "/api/v1/nodes/mine:alpha"} {
		rec := do(h, "GET", target, nil)
		if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), `"code":"unavailable"`) {
			t.Fatalf("during outage, %s: %d %s", target, rec.Code, rec.Body.String())
		}
	}
	p = startProxy(t, u.Host, addr)
	defer p.cut()
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
