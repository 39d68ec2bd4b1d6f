package cypher_test

import (
	"context"
	"testing"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// BenchmarkImport times Store.Import of a synthetic network of 10,000 nodes and 30,000 edges into
// an emptied database: projection, validation and the one write transaction. The wipe before each
// import is not timed. The full-size comparison with LOAD CSV is cmd/benchimport
// (scripts/bench_import.sh).
func BenchmarkImport(b *testing.B) {
	cfg := cyphertest.Config(b)
	ds := synthetic.MustGenerate(synthetic.Config{Nodes: 10_000, Edges: 30_000, Seed: 1})
	records := len(ds.Commodities) + len(ds.Nodes) + len(ds.Edges)
	store := cyphertest.MustOpen(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		cyphertest.Wipe(b, cfg)
		b.StartTimer()
		res, err := store.Import(ctx, ds)
		if err != nil {
			b.Fatal(err)
		}
		if res.TotalNodes != len(ds.Nodes) || res.TotalEdges != len(ds.Edges) {
			b.Fatalf("imported %d nodes, %d edges; want %d, %d", res.TotalNodes, res.TotalEdges, len(ds.Nodes), len(ds.Edges))
		}
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(records), "records/op")
}
