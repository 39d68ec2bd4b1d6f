package graph_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestNetworkOrder checks that a network orders its nodes by id and its edges by kind, from, to,
// commodity and since (as strings, the kind alphabetically), whatever the order of the dataset,
// and that its indices agree with the edges' ends.
func TestNetworkOrder(t *testing.T) {
	ds := synthetic.MustGenerate(synthetic.Config{Nodes: 2_000, Edges: 6_000, Seed: 3})
	// A second supplies edge in another year for some pairs, so that since breaks ties.
	for i := range 40 {
		if e := ds.Edges[i*50]; e.Kind == graph.Supplies && e.Since == 0 {
			e.Since, e.Until = 2031, 2040
			ds.Edges[i*50].Until = 2030
			ds.Edges = append(ds.Edges, e)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ds.Nodes), func(i, j int) { ds.Nodes[i], ds.Nodes[j] = ds.Nodes[j], ds.Nodes[i] })
	rng.Shuffle(len(ds.Edges), func(i, j int) { ds.Edges[i], ds.Edges[j] = ds.Edges[j], ds.Edges[i] })
	net, err := graph.NewNetwork(ds)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(net.Nodes(), func(a, b graph.Node) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("nodes are not ordered by id")
	}
	edges := net.Edges()
	if len(edges) != len(ds.Edges) {
		t.Fatalf("%d edges, want %d", len(edges), len(ds.Edges))
	}
	for i := 1; i < len(edges); i++ {
		a, b := &edges[i-1], &edges[i]
		if c := cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), strings.Compare(a.From, b.From),
			strings.Compare(a.To, b.To), strings.Compare(a.Commodity, b.Commodity), cmp.Compare(a.Since, b.Since)); c >= 0 {
			t.Fatalf("edges %d and %d out of order: %v then %v", i-1, i, a.Key(), b.Key())
		}
	}
	for e := range edges {
		from, to := net.Ends(e)
		if net.Nodes()[from].ID != edges[e].From || net.Nodes()[to].ID != edges[e].To {
			t.Fatalf("edge %d: ends %d, %d are not %s, %s", e, from, to, edges[e].From, edges[e].To)
		}
		if !slices.Contains(net.Out(from), int32(e)) || !slices.Contains(net.In(to), int32(e)) {
			t.Fatalf("edge %d missing from its ends' lists", e)
		}
	}
}
