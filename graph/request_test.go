package graph_test

import (
	"slices"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
)

func TestSplitEdgeKinds(t *testing.T) {
	got := graph.SplitEdgeKinds([]string{"supplies, offtake", "", "owns", "supplies"})
	want := []graph.EdgeKind{graph.EdgeKind("supplies"), graph.EdgeKind("offtake"), graph.EdgeKind("owns")}
	if !slices.Equal(got, want) {
		t.Errorf("SplitEdgeKinds = %v, want %v", got, want)
	}
	if got := graph.SplitEdgeKinds(nil); len(got) != 0 {
		t.Errorf("SplitEdgeKinds(nil) = %v, want none", got)
	}
}
