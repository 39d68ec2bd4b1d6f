package cypher

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestPrepare checks that prepare builds no more than prepareAhead batches ahead of the rows
// taken, builds a batch's rows again when it is taken again, and that stop ends the building
// of batches never taken.
func TestPrepare(t *testing.T) {
	var begun atomic.Int64 // calls of rows begun
	var ahead atomic.Int64 // the furthest a batch was built ahead of them
	p := part{stmt: "x", param: "rows", n: 10 * BatchSize, row: func(i int) any {
		if i%BatchSize == 0 {
			if d := int64(i/BatchSize) - begun.Load(); d > ahead.Load() {
				ahead.Store(d)
			}
		}
		return i
	}}
	batches := p.batches()
	goroutines := runtime.NumGoroutine()
	rows, stop := prepare(batches)
	for i := range 4 {
		begun.Add(1)
		got := rows(i)
		if len(got) != BatchSize || got[0] != i*BatchSize {
			t.Fatalf("batch %d: %d rows from %v", i, len(got), got[0])
		}
	}
	if again := rows(0); len(again) != BatchSize || again[BatchSize-1] != BatchSize-1 {
		t.Errorf("batch 0 taken again: %d rows, the last %v", len(again), again[len(again)-1])
	}
	// Batches 4 and 5 may be built by now; 6 must not be.
	time.Sleep(50 * time.Millisecond)
	if a := ahead.Load(); a >= prepareAhead {
		t.Errorf("built a batch %d ahead of the rows taken, want under %d", a, prepareAhead)
	}
	stop()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after stop, %d before prepare", runtime.NumGoroutine(), goroutines)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
