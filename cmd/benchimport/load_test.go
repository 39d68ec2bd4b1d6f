package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestPhasesFollowTheImport: the LOAD CSV statements and the phases of ours are the import's
// statements (cypher.ImportStatements), in its order, under its names, with its row counts: the
// records, then the control spans, loaded from their file by the import's own statement.
func TestPhasesFollowTheImport(t *testing.T) {
	ds, err := synthetic.Generate(synthetic.Config{Nodes: synthetic.MinNodes * 4, Edges: synthetic.MinNodes * 12, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := cypher.ImportStatements(ds)
	if err != nil {
		t.Fatal(err)
	}
	load, err := writeCSV(t.TempDir(), "bench", ds, stmts)
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
	net, err := graph.NewNetwork(ds)
	if err != nil {
		t.Fatal(err)
	}
	spans := len(cypher.ControlRows(net))
	if records := len(ds.Commodities) + len(ds.Nodes) + len(ds.Edges); bounds[len(bounds)-1].done != records+spans || total != records+spans || spans == 0 {
		t.Errorf("phases end at row %d (import rows %d), want %d records and %d spans", bounds[len(bounds)-1].done, total, records, spans)
	}
	controls := load.statements[len(load.statements)-1]
	if controls.name != "controls" || !controls.lists || !strings.HasSuffix(controls.single(), "\n"+controlsBody) ||
		load.tables[len(load.tables)-1].len() != spans {
		t.Errorf("the spans are not loaded by controlsBody:\n%s", controls.single())
	}
	for i, st := range load.statements {
		if st.url == "" || strings.Contains(st.batched(), st.url) || load.tables[i].file == "" {
			t.Errorf("%s: the URL must be the parameter $url, not part of the statement:\n%s", st.name, st.batched())
		}
	}
}
