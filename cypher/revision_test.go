package cypher

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestRevisionReads: callers that arrive while a read is in flight share the next read, which
// starts after they arrived; none of them gets the answer of the read already in flight.
func TestRevisionReads(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	reads := 0
	r := revisionReads{read: func(context.Context) (stamp, error) {
		mu.Lock()
		reads++
		n := reads
		mu.Unlock()
		if n == 1 {
			<-release // the first read stays in flight until the others have arrived
		}
		return stamp{epoch: "e", revision: int64(n)}, nil
	}}
	ctx := context.Background()
	first := make(chan stamp)
	go func() {
		at, _ := r.get(ctx)
		first <- at
	}()
	for { // the first read is in flight
		mu.Lock()
		started := reads == 1
		mu.Unlock()
		if started {
			break
		}
		time.Sleep(time.Millisecond)
	}
	const callers = 50
	var wg sync.WaitGroup
	got := make([]stamp, callers)
	var joined sync.WaitGroup
	joined.Add(callers)
	for i := range callers {
		wg.Go(func() {
			joined.Done()
			got[i], _ = r.get(ctx)
		})
	}
	joined.Wait()
	time.Sleep(20 * time.Millisecond) // let them reach get while the first read is in flight
	close(release)
	if at := <-first; at.revision != 1 {
		t.Fatalf("first caller got %+v", at)
	}
	wg.Wait()
	for i, at := range got {
		if at.revision < 2 {
			t.Fatalf("caller %d got the read in flight when it arrived: %+v", i, at)
		}
	}
	if reads > 3 {
		t.Errorf("%d callers made %d reads; want them to share", callers+1, reads)
	}

	// A caller whose context ends stops waiting; the read goes on for the others.
	block := make(chan struct{})
	r2 := revisionReads{read: func(context.Context) (stamp, error) { <-block; return stamp{revision: 7}, nil }}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r2.get(gone); !errors.Is(err, context.Canceled) {
		t.Fatalf("ended caller: %v", err)
	}
	close(block)
	if at, err := r2.get(ctx); err != nil || at.revision != 7 {
		t.Fatalf("after it: %+v %v", at, err)
	}
}
