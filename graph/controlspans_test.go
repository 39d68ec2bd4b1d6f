package graph_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestControlSpans: in every year, the spans covering it give every firm and facility in service
// exactly the controlling states ControlOf gives on the network cut to that year.
func TestControlSpans(t *testing.T) {
	ringLeaving := cycleDataset(0.9)
	ringLeaving.Edges[1].Since = 2015 // the ring closes in 2015
	// The synthetic network starts and ends nodes and ownership edges in most years from 1950:
	// each year recomputes a different part of it.
	synth := synthetic.MustGenerate(synthetic.Config{Nodes: 1000, Edges: 3000, Seed: 7})
	// A chain: firm:a (AU) takes 60% of firm:b (JP) in 2015, and b holds the mine: the mine's
	// control changes in 2015 although nothing of its own does.
	chain := &graph.Dataset{
		Nodes: []graph.Node{{ID: "firm:a", Kind: graph.Firm, Name: "A", State: "AU"}, {ID: "firm:b", Kind: graph.Firm, Name: "B", State: "JP"},
			{ID: "mine:m", Kind: graph.Mine, Name: "M", State: "CA", Stage: graph.Mining}},
		Edges: []graph.Edge{{Kind: graph.Owns, From: "firm:a", To: "firm:b", Share: ptr(0.6), Since: 2015},
			{Kind: graph.Owns, From: "firm:b", To: "mine:m", Share: ptr(1)}},
	}
	for name, ds := range map[string]*graph.Dataset{"small": fixture.Small(t), "bundled": fixture.Bundled(t), "ring": ringLeaving, "chain": chain, "synthetic": synth} {
		t.Run(name, func(t *testing.T) {
			net := fixture.Network(t, ds)
			spans := graph.ControlSpans(net)
			if len(spans) == 0 {
				t.Fatal("no spans")
			}
			for year := 1990; year <= 2035; year++ {
				got := map[string][]graph.StateShare{}
				for _, s := range spans {
					if (s.Since == 0 || s.Since <= year) && (s.Until == 0 || year <= s.Until) {
						got[s.Entity] = append(got[s.Entity], graph.StateShare{State: s.State, Share: s.Share})
					}
				}
				cut := net.AsOf(year)
				for _, n := range cut.Nodes() {
					if n.Kind == graph.State || n.Kind == graph.Coalition {
						continue
					}
					c, err := graph.ControlOf(cut, n.ID)
					if err != nil {
						t.Fatal(err)
					}
					g := got[n.ID]
					slices.SortFunc(g, func(a, b graph.StateShare) int {
						return cmp.Or(cmp.Compare(b.Share, a.Share), strings.Compare(a.State, b.State))
					})
					if fmt.Sprint(g) != fmt.Sprint(c.States) {
						t.Fatalf("%d %s: spans %v, ControlOf %v", year, n.ID, g, c.States)
					}
					delete(got, n.ID)
				}
				if len(got) > 0 {
					t.Fatalf("%d: spans for entities not in service: %v", year, got)
				}
			}
		})
	}
}
