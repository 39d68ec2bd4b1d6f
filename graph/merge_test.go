package graph_test

import (
	"slices"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
)

// TestMergeNames checks how validation names the records of a merged dataset that came without
// an origin: a record of add by its place in add, over an empty base and over a stored one; a
// record of base as stored.
func TestMergeNames(t *testing.T) {
	add := &graph.Dataset{Nodes: []graph.Node{
		{ID: "state:AU", Kind: graph.State, Name: "Australia"},
		{ID: "mine:bad", Kind: graph.Mine, Name: "Bad", State: "XX", Stage: graph.Mining},
	}}
	empty := &graph.Dataset{}
	if got, want := problemsOf(t, graph.Merge(empty, add)), []string{`nodes[1].state: "XX" is not an ISO 3166-1 alpha-2 code`}; !slices.Equal(got, want) {
		t.Errorf("over an empty base: %q, want %q", got, want)
	}
	base := &graph.Dataset{Nodes: []graph.Node{
		{ID: "state:JP", Kind: graph.State, Name: "Japan"},
		{ID: "mine:old", Kind: graph.Mine, Name: "Old", State: "YY", Stage: graph.Mining},
	}}
	want := []string{
		`stored node mine:old.state: "YY" is not an ISO 3166-1 alpha-2 code`,
		`nodes[1].state: "XX" is not an ISO 3166-1 alpha-2 code`,
	}
	if got := problemsOf(t, graph.Merge(base, add)); !slices.Equal(got, want) {
		t.Errorf("over a stored base: %q, want %q", got, want)
	}
}
