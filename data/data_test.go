package data_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chokepoint/chokepoint/data"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// TestBundled checks that the bundled dataset is valid, that every record names its source and
// year, and that the CSV copy in data/csv holds the same content.
func TestBundled(t *testing.T) {
	ds, err := data.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, n := range ds.Nodes {
		if n.Source == "" || n.AsOf == 0 {
			t.Errorf("node %s has no source or as_of", n.ID)
		}
	}
	for _, e := range ds.Edges {
		if e.Source == "" || e.AsOf == 0 {
			t.Errorf("edge %s %s→%s has no source or as_of", e.Kind, e.From, e.To)
		}
	}
	var files []graph.CSVFile
	for _, name := range graph.CSVFileNames() {
		b, err := os.ReadFile(filepath.Join("csv", name))
		if os.IsNotExist(err) && name != graph.CommoditiesCSV && name != graph.EdgesCSV {
			continue // a node file is written only for kinds the dataset has
		}
		if err != nil {
			t.Fatalf("%v (regenerate with: chokepoint export --data data/chokepoint.json --format csv --out data/csv)", err)
		}
		files = append(files, graph.CSVFile{Name: name, Data: b})
	}
	fromCSV, err := graph.DecodeCSV(files)
	if err != nil {
		t.Fatal(err)
	}
	if fixture.Canonical(t, fromCSV) != fixture.Canonical(t, ds) {
		t.Fatal("data/csv differs from data/chokepoint.json (regenerate with: chokepoint export --data data/chokepoint.json --format csv --out data/csv)")
	}
}
