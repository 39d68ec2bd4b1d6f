package graph_test

import (
	"math/rand/v2"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestResolveMatchesSolve checks the partial re-solve that attribution runs per origin group
// against a full solve, on the bundled dataset and on synthetic networks: random node sets of
// one to many nodes over a random base attribution (nodes attributed wholly, as a supplier's
// facilities are), exact on acyclic flow graphs and within 1e-10 on cyclic ones.
func TestResolveMatchesSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	seen := map[bool]bool{} // whether acyclic flow graphs, cyclic ones were compared
	for _, tc := range []struct {
		name     string
		ds       *graph.Dataset
		consumer string
	}{
		{"bundled", fixture.Bundled(t), "state:JP"},
		{"bundled-us", fixture.Bundled(t), "state:US"},
		{"synthetic-2k", synthetic.MustGenerate(synthetic.Config{Nodes: 2000, Edges: 6000, Seed: 5}), ""},
		{"synthetic-5k", synthetic.MustGenerate(synthetic.Config{Nodes: 5000, Edges: 15000, Seed: 9}), ""},
		{"synthetic-cycles", withCycles(synthetic.MustGenerate(synthetic.Config{Nodes: 2000, Edges: 6000, Seed: 5})), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := fixture.Network(t, tc.ds).AsOf(2025)
			consumer := tc.consumer
			if consumer == "" {
				consumer = "state:" + busiestState(net)
			}
			n := len(net.Nodes())
			for _, commodity := range []string{"rare-earths", "gallium", "germanium"} {
				base := make([]float64, n)
				for v := range base {
					if rng.IntN(5) == 0 {
						base[v] = 1
					}
				}
				var sets [][]int
				for range 40 {
					set := make([]int, 1+rng.IntN(1+rng.IntN(n/10)))
					for i := range set {
						set[i] = rng.IntN(n)
					}
					sets = append(sets, set)
				}
				gap, acyclic, restored, err := graph.ResolveGap(net, graph.Query{Commodity: commodity, Consumer: consumer}, base, sets)
				if err != nil {
					t.Fatalf("%s: %v", commodity, err)
				}
				seen[acyclic] = true
				if !restored {
					t.Fatalf("%s: u not restored", commodity)
				}
				if (acyclic && gap != 0) || gap > 1e-10 {
					t.Fatalf("%s: resolve differs from solve by %g (acyclic %v)", commodity, gap, acyclic)
				}
			}
		})
	}
	if !seen[true] || !seen[false] {
		t.Fatalf("compared acyclic flow graphs %v, cyclic ones %v", seen[true], seen[false])
	}
}

// withCycles adds to ds, for every supply between two refineries, the same supply back, which
// makes the flow graphs cyclic.
func withCycles(ds *graph.Dataset) *graph.Dataset {
	kind := map[string]graph.Kind{}
	for _, nd := range ds.Nodes {
		kind[nd.ID] = nd.Kind
	}
	for _, e := range ds.Edges {
		if e.Kind == graph.Supplies && kind[e.From] == graph.Refinery && kind[e.To] == graph.Refinery {
			e.From, e.To = e.To, e.From
			ds.Edges = append(ds.Edges, e)
		}
	}
	return ds
}
