package synthetic

import (
	"bytes"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
)

func TestGenerateValidSizedDeterministic(t *testing.T) {
	for _, cfg := range []Config{
		{Nodes: MinNodes, Edges: 300, Seed: 7},
		{Nodes: 10_000, Edges: 30_000, Seed: 1},
	} {
		ds, err := Generate(cfg)
		if err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		if len(ds.Nodes) != cfg.Nodes || len(ds.Edges) != cfg.Edges {
			t.Fatalf("%+v: got %d nodes, %d edges", cfg, len(ds.Nodes), len(ds.Edges))
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		kinds := map[graph.EdgeKind]int{}
		for _, e := range ds.Edges {
			kinds[e.Kind]++
		}
		for _, k := range []graph.EdgeKind{graph.Owns, graph.Operates, graph.Offtake, graph.Supplies} {
			if kinds[k] == 0 {
				t.Errorf("%+v: no %s edges", cfg, k)
			}
		}
		again := MustGenerate(cfg)
		if a, b := encode(t, ds), encode(t, again); !bytes.Equal(a, b) {
			t.Fatalf("%+v: two runs differ", cfg)
		}
		other := MustGenerate(Config{Nodes: cfg.Nodes, Edges: cfg.Edges, Seed: cfg.Seed + 1})
		if bytes.Equal(encode(t, ds), encode(t, other)) {
			t.Fatalf("%+v: another seed gives the same network", cfg)
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	for _, cfg := range []Config{{Nodes: MinNodes - 1}, {Nodes: 1000, Edges: -1}, {Nodes: 1000, Edges: 8001}} {
		if _, err := Generate(cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

func encode(t *testing.T, ds *graph.Dataset) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := graph.EncodeJSON(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		MustGenerate(Config{Nodes: 100_000, Edges: 300_000, Seed: 1})
	}
}
