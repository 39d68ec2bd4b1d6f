package api_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// brokenStore fails every read with an infrastructure error (a 500).
type brokenStore struct{ graph.Store }

func (brokenStore) Network(context.Context) (*graph.Network, error) {
	return nil, errors.New("disk on fire")
}

// TestAccessLogLevels: every request is logged at DEBUG; errors (5xx) and slow requests at INFO.
func TestAccessLogLevels(t *testing.T) {
	store, err := graph.NewMemStore(fixture.Small(t))
	if err != nil {
		t.Fatal(err)
	}
	logged := func(s *api.Server, target string) string {
		var buf bytes.Buffer
		s.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		do(s.Handler(), "GET", target, nil)
		return buf.String()
	}
	t.Run("OKAtDebug", func(t *testing.T) {
		for _, target := range []string{"/api/v1/nodes?kind=mine", "/api/v1/nodes/mine:nope"} {
			if out := logged(api.NewServer(store), target); !strings.Contains(out, "level=DEBUG msg=request") || !strings.Contains(out, "status=") {
				t.Errorf("%s: %q", target, out)
			}
		}
	})
	t.Run("ErrorAtInfo", func(t *testing.T) {
		out := logged(api.NewServer(brokenStore{store}), "/api/v1/nodes")
		if !strings.Contains(out, "level=INFO msg=request") || !strings.Contains(out, "status=500") {
			t.Errorf("%q", out)
		}
	})
	t.Run("SlowAtInfo", func(t *testing.T) {
		s := api.NewServer(store)
		s.SlowRequest = time.Nanosecond
		if out := logged(s, "/api/v1/nodes"); !strings.Contains(out, "level=INFO msg=request") || !strings.Contains(out, "slow=true") {
			t.Errorf("%q", out)
		}
	})
}
