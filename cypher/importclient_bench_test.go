package cypher

import (
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// BenchmarkImportClient times the work Store.Import does in Go for a first import of 100,000
// nodes and 300,000 edges, without Neo4j: the validation of the merged dataset, the control
// spans, and the rows of every statement.
func BenchmarkImportClient(b *testing.B) {
	ds := synthetic.MustGenerate(synthetic.Config{Nodes: 100_000, Edges: 300_000, Seed: 1})
	empty, err := graph.NewNetwork(&graph.Dataset{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		net, err := graph.NewNetwork(graph.Merge(empty.Dataset(), ds))
		if err != nil {
			b.Fatal(err)
		}
		batches := importBatches(ds, empty)
		rows, stop := prepare(batches)
		for i := range batches {
			rows(i)
		}
		stop()
		for _, c := range controlBatches(ControlRows(net), map[string]string{}) {
			c.rows()
		}
	}
}
