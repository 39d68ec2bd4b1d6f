package main

import (
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph/render"
)

// TestShutdownGraceOutlastsRequests: at SIGTERM, a query or a layout in flight finishes within the
// grace period instead of getting an empty reply.
func TestShutdownGraceOutlastsRequests(t *testing.T) {
	for name, limit := range map[string]time.Duration{"query": cypher.DefaultTimeout, "layout": render.DefaultTimeout} {
		if shutdownGrace <= limit {
			t.Errorf("shutdown grace %s is not longer than the %s limit %s", shutdownGrace, name, limit)
		}
	}
}
