package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestPhasesFollowTheImport: the LOAD CSV statements and the phases of ours are the import's
// statements (cypher.ImportStatements), in its order, under its names, with its row counts.
func TestPhasesFollowTheImport(t *testing.T) {
	ds, err := synthetic.Generate(synthetic.Config{Nodes: synthetic.MinNodes * 4, Edges: synthetic.MinNodes * 12, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := cypher.ImportStatements(ds)
	if err != nil {
		t.Fatal(err)
	}
	load, err := writeCSV(t.TempDir(), "bench", ds)
	if err != nil {
		t.Fatal(err)
	}
	var want, got, phases []string
	total := 0
	for _, st := range stmts {
		want = append(want, st.Name)
		total += st.Rows
	}
	for _, st := range load.statements {
		got = append(got, st.name)
	}
	bounds := ourPhases(stmts)
	for _, b := range bounds {
		phases = append(phases, b.name)
	}
	if !slices.Equal(got, want) || !slices.Equal(phases, want) {
		t.Errorf("LOAD CSV statements %v and phases of ours %v, want the import's %v", got, phases, want)
	}
	if records := len(ds.Commodities) + len(ds.Nodes) + len(ds.Edges); bounds[len(bounds)-1].done != records || total != records {
		t.Errorf("phases end at row %d (import rows %d), want %d records", bounds[len(bounds)-1].done, total, records)
	}
	for i, st := range load.statements {
		if st.url == "" || strings.Contains(st.batched(), st.url) || load.tables[i].file == "" {
			t.Errorf("%s: the URL must be the parameter $url, not part of the statement:\n%s", st.name, st.batched())
		}
	}
}
