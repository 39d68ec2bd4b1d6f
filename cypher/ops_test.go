package cypher_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// watchdog is how long a test waits for a call that must not hang before it reports a hang. It
// bounds a deadlock, not a duration: every call it guards ends far sooner.
const watchdog = 2 * time.Minute

// within runs f and fails t if it has not returned within the watchdog.
func within[T any](t *testing.T, what string, f func() (T, error)) (T, error) {
	t.Helper()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(watchdog):
		t.Fatalf("%s hung", what)
		panic("unreachable")
	}
}

// TestCacheKeyedOnEpoch: a wiped database whose revision counter starts again is not taken for
// the one the cache was projected from.
func TestCacheKeyedOnEpoch(t *testing.T) {
	ctx := context.Background()
	cfg := cyphertest.Config(t)
	s1 := cyphertest.MustOpen(t)
	if _, err := s1.Import(ctx, fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Network(ctx); err != nil {
		t.Fatal(err)
	}
	cyphertest.Wipe(t, cfg)
	s2 := cyphertest.MustOpenKeep(t)
	tiny := &graph.Dataset{Nodes: []graph.Node{{ID: "state:JP", Kind: graph.State, Name: "Japan"}}}
	if _, err := s2.Import(ctx, tiny); err != nil { // revision 1 again
		t.Fatal(err)
	}
	net, err := s1.Network(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Nodes()) != 1 {
		t.Fatalf("the first store still shows %d nodes after the database was wiped", len(net.Nodes()))
	}
}

// TestImportFailsLoudlyOnMissingMatch: when Neo4j no longer holds a node the store's projection
// holds (deleted outside chokepoint, revision untouched), an import that links to it fails with
// nothing written, instead of silently dropping the edge and the headquarters link.
func TestImportFailsLoudlyOnMissingMatch(t *testing.T) {
	ctx := context.Background()
	cfg := cyphertest.Config(t)
	for _, tc := range []struct {
		name string
		add  *graph.Dataset
	}{
		{"Edge", &graph.Dataset{Edges: []graph.Edge{{Kind: graph.Owns, From: "firm:ausco", To: "mine:beta", Share: ptrTo(0.01)}}}},
		{"HeadquartersLink", &graph.Dataset{Nodes: []graph.Node{{ID: "firm:newco", Kind: graph.Firm, Name: "NewCo", State: "JP"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cyphertest.MustOpen(t)
			if _, err := s.Import(ctx, fixture.Small(t)); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"state:JP", "mine:beta"} {
				if _, err := neo4j.ExecuteQuery(ctx, s.Driver(), "MATCH (n:Node {id: $id}) DETACH DELETE n", map[string]any{"id": id},
					neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database())); err != nil {
					t.Fatal(err)
				}
			}
			nodes, rels := cyphertest.Count(t, cfg)
			_, err := s.Import(ctx, tc.add)
			if graph.ErrorCode(err) != graph.EConflict {
				t.Fatalf("got %v, want a conflict", err)
			}
			if n, r := cyphertest.Count(t, cfg); n != nodes || r != rels {
				t.Fatalf("the failed import wrote: %d/%d nodes, %d/%d relationships", n, nodes, r, rels)
			}
		})
	}
}

// TestStalledNeo4jIsUnavailable: a Neo4j that stops answering (kill -STOP) makes store calls end at
// their deadline as unavailable (503 with Retry-After), not hang.
func TestStalledNeo4jIsUnavailable(t *testing.T) {
	ctx := context.Background()
	cyphertest.Wipe(t, cyphertest.Config(t))
	s, p := cyphertest.OpenViaProxy(t, 2*time.Second)
	if _, err := s.Import(ctx, fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	p.Set(cyphertest.Stall)
	_, err := within(t, "a node lookup on a stalled Neo4j", func() (*graph.Network, error) { return s.Network(ctx) })
	if graph.ErrorCode(err) != graph.EUnavailable {
		t.Fatalf("got %v, want unavailable", err)
	}
	_, err = within(t, "an import on a stalled Neo4j", func() (graph.ImportResult, error) {
		return s.Import(ctx, &graph.Dataset{Nodes: []graph.Node{{ID: "firm:x", Kind: graph.Firm, Name: "X", State: "JP"}}})
	})
	if graph.ErrorCode(err) != graph.EUnavailable {
		t.Fatalf("import: got %v, want unavailable", err)
	}
	p.Set(cyphertest.Pass)
}

// TestReadsDoNotWaitForImports: a read served from the cached projection does not wait behind an
// import in flight.
func TestReadsDoNotWaitForImports(t *testing.T) {
	ctx := context.Background()
	s := cyphertest.MustOpen(t)
	if _, err := s.Import(ctx, fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	s.Progress = func(done, total int) {
		once.Do(func() { close(inside); <-release })
	}
	imported := make(chan error, 1)
	go func() {
		_, err := s.Import(ctx, &graph.Dataset{Nodes: []graph.Node{{ID: "firm:newco", Kind: graph.Firm, Name: "NewCo", State: "JP"}}})
		imported <- err
	}()
	<-inside // the import holds its transaction open
	net, err := within(t, "a read during an import", func() (*graph.Network, error) { return s.Network(ctx) })
	close(release)
	if err != nil || net.Node("mine:alpha") == nil {
		t.Fatalf("read during the import: %v", err)
	}
	if err := <-imported; err != nil {
		t.Fatal(err)
	}
	net, err = s.Network(ctx)
	if err != nil || net.Node("firm:newco") == nil {
		t.Fatalf("after the import: %v", err)
	}
}

// TestBreakerFailsFast: once Neo4j is known down, calls fail as unavailable without trying it
// again until a probe (readiness, or the first call after a cool-down) finds it back.
func TestBreakerFailsFast(t *testing.T) {
	ctx := context.Background()
	cyphertest.Wipe(t, cyphertest.Config(t))
	s, p := cyphertest.OpenViaProxy(t, 2*time.Second)
	s.Cooldown = time.Hour // only the readiness probe closes the breaker in this test
	if _, err := s.Import(ctx, fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	p.Set(cyphertest.Refuse)
	if _, err := s.Network(ctx); graph.ErrorCode(err) != graph.EUnavailable {
		t.Fatalf("first call: %v", err)
	}
	before := p.Accepted()
	for range 5 {
		if _, err := s.Network(ctx); graph.ErrorCode(err) != graph.EUnavailable {
			t.Fatalf("while down: %v", err)
		}
	}
	if n := p.Accepted() - before; n != 0 {
		t.Fatalf("%d connections tried while Neo4j was known down", n)
	}
	p.Set(cyphertest.Pass)
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("ready after recovery: %v", err)
	}
	if net, err := s.Network(ctx); err != nil || net.Node("mine:alpha") == nil {
		t.Fatalf("after recovery: %v", err)
	}
}

// TestCypherBoundedInBytes: a run stops at its byte limit as at its row limit, marked truncated.
func TestCypherBoundedInBytes(t *testing.T) {
	r := cypher.NewReports(cyphertest.MustOpen(t), "")
	r.MaxBytes = 1 << 20
	res, err := r.Query(context.Background(), "UNWIND range(1, 1000) AS i RETURN i, [x IN range(1, 2000) | x] AS l", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res.Rows)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.RowCount == 0 || res.RowCount != len(res.Rows) || len(data) > r.MaxBytes {
		t.Fatalf("truncated %v, %d rows, %d bytes", res.Truncated, res.RowCount, len(data))
	}
}

// TestBreakerProbeIsCheap: the call that first finds the cool-down over does not itself probe
// Neo4j: a long one (a heavy report) would keep every other call failing fast while Neo4j is
// back. A quick connectivity check probes instead, and the other calls recover while the long
// one still runs.
func TestBreakerProbeIsCheap(t *testing.T) {
	ctx := context.Background()
	cyphertest.Wipe(t, cyphertest.Config(t))
	s, p := cyphertest.OpenViaProxy(t, 0)
	s.Cooldown = 50 * time.Millisecond
	if _, err := s.Import(ctx, fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	p.Set(cyphertest.Refuse)
	if _, err := s.Network(ctx); graph.ErrorCode(err) != graph.EUnavailable {
		t.Fatalf("while down: %v", err)
	}
	p.Set(cyphertest.Pass)
	time.Sleep(4 * s.Cooldown) // no call meanwhile: the next one is the first after the cool-down
	reports := cypher.NewReports(s, "")
	reports.Timeout = watchdog
	longCtx, stopLong := context.WithCancel(ctx)
	defer stopLong()
	long := make(chan error, 1)
	before := p.Accepted()
	go func() {
		_, err := reports.Query(longCtx, "UNWIND range(1, 9000000000000) AS x RETURN count(x)", nil, 0)
		long <- err
	}()
	for p.Accepted() == before { // the long call has reached Neo4j
		time.Sleep(5 * time.Millisecond)
	}
	for {
		select {
		case err := <-long:
			t.Fatalf("the other calls failed fast until the long call ended (%v)", err)
		default:
		}
		if _, err := s.Network(ctx); err == nil {
			return // recovered while the long call still runs
		} else if graph.ErrorCode(err) != graph.EUnavailable {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
