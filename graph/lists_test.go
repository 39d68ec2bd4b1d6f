package graph_test

import (
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

// TestListsAreFresh: the exported lists of names are new on every call, so that no caller can
// change what another sees.
func TestListsAreFresh(t *testing.T) {
	for name, list := range map[string]func() []string{
		"Analyses": graph.Analyses, "CentralityMetrics": graph.CentralityMetrics, "ChokepointMethods": graph.ChokepointMethods,
		"ConcentrationBases": graph.ConcentrationBases, "Currencies": graph.Currencies, "DependencyWeights": graph.DependencyWeights,
		"render.Formats": render.Formats,
	} {
		a := list()
		first := a[0]
		a[0] = "changed"
		if list()[0] != first {
			t.Errorf("%s: a change to one result shows in the next", name)
		}
	}
	k, e, s := graph.Kinds(), graph.EdgeKinds(), graph.Stages()
	k[0], e[0], s[0] = "x", "x", "x"
	m, i, st := graph.Measures(), graph.Instruments(), graph.Statuses()
	m[0], i[0], st[0] = "x", "x", "x"
	if graph.Kinds()[0] != graph.Mine || graph.EdgeKinds()[0] != graph.Owns || graph.Stages()[0] != graph.Mining ||
		graph.Measures()[0] != graph.Ban || graph.Instruments()[0] != graph.Loan || graph.Statuses()[0] != graph.Operating {
		t.Error("a change to one result shows in the next")
	}
}
