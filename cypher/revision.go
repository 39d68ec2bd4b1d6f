package cypher

import (
	"context"
	"sync"
)

// stamp is the stored epoch and revision: what a projection must match to be current.
type stamp struct {
	epoch    string
	revision int64
}

// revisionRead is one read of the stored stamp, shared by the callers that joined it.
type revisionRead struct {
	done chan struct{}
	at   stamp
	err  error
}

// revisionReads batches the reads of the stored stamp that every read of the network makes: a
// caller joins the read that has not started yet, or starts one, so that under load one read is
// in flight and one is gathering callers, whatever their number. A read already in flight is
// never joined: it may have started before a write (on another replica) that the caller must see.
type revisionReads struct {
	read func(context.Context) (stamp, error) // the read itself, with its own deadline

	mu      sync.Mutex
	pending *revisionRead // gathering callers; started when the one in flight ends
	running bool
}

// get returns the stored stamp as read after the call began, or ctx's error when ctx ends first
// (the read goes on for the other callers).
func (r *revisionReads) get(ctx context.Context) (stamp, error) {
	r.mu.Lock()
	if r.pending == nil {
		r.pending = &revisionRead{done: make(chan struct{})}
	}
	c := r.pending
	if !r.running {
		r.start()
	}
	r.mu.Unlock()
	select {
	case <-c.done:
		return c.at, c.err
	case <-ctx.Done():
		return stamp{}, ctx.Err()
	}
}

// start runs the pending read, and when it ends the next one if callers gathered meanwhile.
// r.mu is held.
func (r *revisionReads) start() {
	c := r.pending
	r.pending, r.running = nil, true
	go func() {
		c.at, c.err = r.read(context.Background())
		close(c.done)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.running = false
		if r.pending != nil {
			r.start()
		}
	}()
}
