package main

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/graph/render"
)

// TestLayoutDeadlineCountsFromItsSlot: two layouts that each fit their deadline alone both finish
// when they arrive together and take turns on one slot: the second one's deadline counts from when
// it gets the slot, not from the request.
func TestLayoutDeadlineCountsFromItsSlot(t *testing.T) {
	// A stand-in layout process that takes 60% of the deadline.
	exe := filepath.Join(t.TempDir(), "layout")
	script := "#!/bin/sh\ncat >/dev/null\nsleep 3\nprintf picture\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &processLayout{exe: func() (string, error) { return exe, nil }, slots: make(chan struct{}, 1), timeout: 5 * time.Second}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = p.layout(context.Background(), []byte("digraph{}"), render.FormatPNG)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("layout %d: %v", i, err)
		}
	}
}
