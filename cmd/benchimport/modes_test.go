package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/internal/synthetic"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestModesStoreTheSameGraph: on a real Neo4j, ours and both LOAD CSV modes store the same graph,
// which projects back to the dataset and holds the import's control spans as CONTROLS, each once
// (verify), with the same counts of nodes and relationships, CONTROLS included.
func TestModesStoreTheSameGraph(t *testing.T) {
	cfg := cyphertest.Config(t)
	cyphertest.MustOpen(t) // an empty database with the schema
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	b := &bench{cfg: cfg, driver: driver, opts: options{csvBatch: 500}}
	dir, _, err := b.importDir(ctx)
	if err != nil {
		t.Skipf("the test server's import directory is not visible here: %v", err)
	}
	ds := synthetic.MustGenerate(synthetic.Config{Nodes: synthetic.MinNodes * 4, Edges: synthetic.MinNodes * 12, Seed: 3})
	sub := filepath.Join(dir, "chokepoint-benchimport-test")
	defer os.RemoveAll(sub)
	w, err := newWorkload(ds, sub, filepath.Base(sub))
	if err != nil {
		t.Fatal(err)
	}
	var results []result
	for _, m := range allModes {
		r := b.timed(ctx, m, 1, w)
		if r.err != nil {
			t.Fatalf("%s: %v", m, r.err)
		}
		if err := b.verify(ctx, ds); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		results = append(results, r)
	}
	if err := consistent(results); err != nil {
		t.Fatal(err)
	}
	if spans := w.stmts[len(w.stmts)-1]; spans.Name != "controls" || results[0].rels < int64(len(ds.Edges)+spans.Rows) {
		t.Fatalf("%d relationships stored, want the %d edges, the location links and %d control spans", results[0].rels, len(ds.Edges), spans.Rows)
	}
}
