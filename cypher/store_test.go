package cypher_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestImportRoundTrip(t *testing.T) {
	store := cyphertest.MustOpen(t)
	ctx := context.Background()
	ds := fixture.Bundled(t)
	res, err := store.Import(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	if res.Nodes != len(ds.Nodes) || res.TotalEdges != len(ds.Edges) {
		t.Fatalf("result %+v", res)
	}
	cfg := cyphertest.Config(t)
	nodes1, rels1 := cyphertest.Count(t, cfg)
	// Every firm and facility whose state is in the dataset is linked to it, once.
	wantLinks := 0
	for _, n := range ds.Nodes {
		if n.Kind != graph.State && stateNode(ds, n.State) {
			wantLinks++
		}
	}
	links := func() int64 {
		res, err := neo4j.ExecuteQuery(ctx, store.Driver(),
			`MATCH (n:Node)-[r:LOCATED_IN|HEADQUARTERED_IN]->(s:State) WHERE s.id = 'state:' + n.state RETURN count(r)`,
			nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(store.Database()))
		if err != nil {
			t.Fatal(err)
		}
		return res.Records[0].Values[0].(int64)
	}
	if got := links(); got != int64(wantLinks) {
		t.Fatalf("%d location links, want %d", got, wantLinks)
	}

	// A second store (another process, in effect) projects the stored graph from scratch.
	fresh := cyphertest.MustOpenKeep(t)
	net, err := fresh.Network(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fixture.Canonical(t, net.Dataset()), fixture.Canonical(t, ds); got != want {
		os.WriteFile(t.TempDir()+"/got.json", []byte(got), 0o644)
		t.Fatal("export after import differs from the bundled dataset")
	}

	t.Run("ReimportIsIdempotent", func(t *testing.T) {
		if _, err := store.Import(ctx, ds); err != nil {
			t.Fatal(err)
		}
		nodes2, rels2 := cyphertest.Count(t, cfg)
		if nodes2 != nodes1 || rels2 != rels1 || links() != int64(wantLinks) {
			t.Fatalf("re-import changed counts: %d/%d nodes, %d/%d relationships", nodes2, nodes1, rels2, rels1)
		}
	})

	t.Run("ErrInvalidLeavesNeo4jUnchanged", func(t *testing.T) {
		bad := &graph.Dataset{
			Nodes: []graph.Node{{ID: "mine:new", Kind: graph.Mine, Name: "New", State: "AU", Stage: graph.Mining}},
			Edges: []graph.Edge{{Kind: graph.Owns, From: "firm:nobody", To: "mine:new", Share: ptrTo(0.5)}},
		}
		_, err := store.Import(ctx, bad)
		if graph.ErrorCode(err) != graph.EInvalid {
			t.Fatalf("got %v", err)
		}
		if got := err.Error(); got != "dataset is invalid: 1 problem\n  edges[0].from: unknown node \"firm:nobody\"" {
			t.Fatalf("message %q", got)
		}
		if n, r := cyphertest.Count(t, cfg); n != nodes1 || r != rels1 {
			t.Fatalf("invalid import changed Neo4j: %d nodes, %d relationships", n, r)
		}
	})

	t.Run("ErrInvalidAfterEveryRowWasWritten", func(t *testing.T) {
		// Neo4j takes every row of this import (its node and edge are well-formed and its ends
		// exist); only the validation, which runs while the rows are written, refuses it.
		bad := &graph.Dataset{
			Nodes: []graph.Node{{ID: "firm:late", Kind: graph.Firm, Name: "Late", State: "AU"}},
			Edges: []graph.Edge{{Kind: graph.Owns, From: "firm:late", To: ds.Nodes[firstFacility(ds)].ID, Share: ptrTo(1.5)}},
		}
		_, err := store.Import(ctx, bad)
		if graph.ErrorCode(err) != graph.EInvalid || !strings.Contains(err.Error(), "share: must be between 0 and 1, got 1.5") {
			t.Fatalf("got %v", err)
		}
		if n, r := cyphertest.Count(t, cfg); n != nodes1 || r != rels1 {
			t.Fatalf("invalid import changed Neo4j: %d nodes, %d relationships", n, r)
		}
	})

	t.Run("MergeOverStored", func(t *testing.T) {
		// An edge to a stored node validates against the stored graph; the new node replaces
		// nothing and is linked to its stored state.
		if !stateNode(ds, "AU") {
			t.Fatal("the bundled dataset has no state:AU")
		}
		add := &graph.Dataset{
			Nodes: []graph.Node{{ID: "firm:newco", Kind: graph.Firm, Name: "NewCo", State: "AU"}},
			Edges: []graph.Edge{{Kind: graph.Operates, From: "firm:newco", To: ds.Nodes[firstFacility(ds)].ID}},
		}
		res, err := store.Import(ctx, add)
		if err != nil {
			t.Fatal(err)
		}
		if res.TotalNodes != len(ds.Nodes)+1 || res.TotalEdges != len(ds.Edges)+1 {
			t.Fatalf("%+v", res)
		}
		if got := links(); got != int64(wantLinks+1) {
			t.Fatalf("%d location links, want %d", got, wantLinks+1)
		}
		net, err := fresh.Network(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if net.Node("firm:newco") == nil {
			t.Fatal("the other store did not see the import")
		}
	})
}

func stateNode(ds *graph.Dataset, code string) bool {
	for _, n := range ds.Nodes {
		if n.ID == graph.StateID(code) {
			return true
		}
	}
	return false
}

func firstFacility(ds *graph.Dataset) int {
	for i, n := range ds.Nodes {
		if n.Kind.IsFacility() {
			return i
		}
	}
	panic("no facility")
}

func ptrTo(v float64) *float64 { return &v }
