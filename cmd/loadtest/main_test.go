package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/data"
	"github.com/chokepoint/chokepoint/graph"
)

// TestRunPhases: with an outage (here commands that do nothing, on the embedded store), the run
// reports each phase, goes on for --after once the start command returned, and reads recovery.
func TestRunPhases(t *testing.T) {
	srv := bundledServer(t)
	cfg, err := parseFlags([]string{"--url", srv, "--duration", "2s", "--clients", "2", "--reports=false", "--warmup", "0",
		"--outage-at", "500ms", "--outage", "500ms", "--stop-cmd", "sleep 0.2", "--start-cmd", "sleep 0.2", "--after", "1s"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []phase{phaseUp, phaseStopping, phaseDown, phaseStarting, phaseAfter} {
		if rep.statuses[p][200] == 0 {
			t.Errorf("no answer in phase %s: %v", phaseNames[p], rep.statuses)
		}
	}
	if rep.started.Sub(rep.start) < 1400*time.Millisecond || rep.elapsed < rep.started.Sub(rep.start)+time.Second {
		t.Errorf("start command returned at %s, run ended at %s: want at least --after (1s) between", rep.started.Sub(rep.start), rep.elapsed)
	}
	var out bytes.Buffer
	rep.print(&out)
	if !strings.Contains(out.String(), "recovery: first 200 sent") || !strings.Contains(out.String(), "| down | 200 |") {
		t.Errorf("report:\n%s", out.String())
	}
}

// bundledServer serves the bundled dataset on the embedded store and returns its URL.
func bundledServer(t *testing.T) string {
	t.Helper()
	ds, err := data.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	store, err := graph.NewMemStore(ds)
	if err != nil {
		t.Fatal(err)
	}
	s := api.NewServer(store)
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRun drives a real service on the bundled dataset (embedded store) briefly and checks that
// every kind of the mix was sent and answered 200, and that the report says so.
func TestRun(t *testing.T) {
	cfg, err := parseFlags([]string{"--url", bundledServer(t), "--duration", "2s", "--clients", "2", "--reports=false", "--warmup", "0"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"node", "search", "chokepoints", "dependency", "routes", "diagram"} {
		if len(rep.took[phaseUp][kind]) == 0 {
			t.Errorf("no %s request answered", kind)
		}
	}
	for status, n := range rep.statuses[phaseUp] {
		if status != 200 {
			t.Errorf("%d answers %d", n, status)
		}
	}
	if rep.memBefore.rss == 0 || rep.memAfter.heap == 0 {
		t.Errorf("memory not read: %+v %+v", rep.memBefore, rep.memAfter)
	}
	var out bytes.Buffer
	rep.print(&out)
	for _, want := range []string{"2 clients", "| up | chokepoints |", "| up | 200 |", "server memory (MiB): RSS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--url", "http://example.org:8080"}, "loopback addresses only"},
		{[]string{"--url", "http://10.0.0.1"}, "loopback addresses only"},
		{[]string{"--clients", "1000"}, "--clients must be"},
		{[]string{"--duration", "1h"}, "--duration must be"},
		{[]string{"--outage", "10s"}, "needs --stop-cmd"},
		{[]string{"--outage", "10s", "--outage-at", "55s", "--stop-cmd", "x", "--start-cmd", "y"}, "must end before"},
		{[]string{"--outage", "10s", "--outage-at", "2s", "--stop-cmd", "x", "--start-cmd", "y"}, "after the warm-up"},
	} {
		if _, err := parseFlags(tc.args); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
	for _, ok := range []string{"http://127.0.0.1:1", "http://localhost:8080/", "http://[::1]:80"} {
		if _, err := parseFlags([]string{"--url", ok}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if percentile(d, 50) != 5 || percentile(d, 90) != 9 || percentile(d, 99) != 10 || percentile(nil, 50) != 0 {
		t.Fatal(percentile(d, 50), percentile(d, 90), percentile(d, 99))
	}
}
