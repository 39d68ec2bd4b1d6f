package graph_test

import (
	"math"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// cycleDataset is a mine held wholly by firm:a, and firms a, b, c owning each other in a ring at
// share s.
func cycleDataset(s float64) *graph.Dataset {
	firm := func(id string) graph.Node { return graph.Node{ID: id, Kind: graph.Firm, Name: id, State: "JP"} }
	owns := func(from, to string, share float64) graph.Edge {
		return graph.Edge{Kind: graph.Owns, From: from, To: to, Share: ptr(share)}
	}
	return &graph.Dataset{
		Nodes: []graph.Node{firm("firm:a"), firm("firm:b"), firm("firm:c"),
			{ID: "mine:m", Kind: graph.Mine, Name: "M", State: "AU", Stage: graph.Mining}},
		Edges: []graph.Edge{owns("firm:a", "mine:m", 1), owns("firm:a", "firm:b", s), owns("firm:b", "firm:c", s), owns("firm:c", "firm:a", s)},
	}
}

// TestOwnershipCycles: a ring of owners that hold all of each other makes look-through diverge
// and is refused; a ring that leaves part to outsiders has a limit, computed the same on every
// call.
func TestOwnershipCycles(t *testing.T) {
	t.Run("ErrDivergent", func(t *testing.T) {
		ps := problemsOf(t, cycleDataset(1))
		if len(ps) != 1 || !strings.Contains(ps[0], "ownership cycle among firm:a, firm:b, firm:c holds all of each of its members") {
			t.Fatalf("problems: %q", ps)
		}
	})
	t.Run("ErrDivergentInAYear", func(t *testing.T) {
		ds := cycleDataset(1)
		ds.Edges[1].Until = 2010 // the ring is closed only until 2010, but is then
		if ps := problemsOf(t, ds); len(ps) != 1 || !strings.Contains(ps[0], "ownership cycle") {
			t.Fatalf("problems: %q", ps)
		}
		ds.Edges[2].Since = 2011 // now never closed in one year
		if ps := problemsOf(t, ds); ps != nil {
			t.Fatalf("problems: %q", ps)
		}
	})
	t.Run("OK", func(t *testing.T) {
		net := fixture.Network(t, cycleDataset(0.9))
		// e(a) = 1 + 0.9·e(b), e(b) = 0.9·e(c), e(c) = 0.9·e(a): e(a) = 1/(1 − 0.729).
		want := map[string]float64{"firm:a": 1 / 0.271, "firm:c": 0.9 / 0.271, "firm:b": 0.81 / 0.271}
		for range 20 {
			c, err := graph.ControlOf(net, "mine:m")
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Owners) != 3 {
				t.Fatalf("owners %+v", c.Owners)
			}
			for _, o := range c.Owners {
				if math.Abs(o.Share-want[o.ID]) > 1e-6 {
					t.Fatalf("%s: share %v, want %v", o.ID, o.Share, want[o.ID])
				}
			}
		}
	})
	t.Run("ErrNotConverging", func(t *testing.T) {
		// The ring leaves 1e-7 of each member outside: valid, but its shares converge too slowly.
		net := fixture.Network(t, cycleDataset(1-1e-7))
		if _, err := graph.ControlOf(net, "mine:m"); graph.ErrorCode(err) != graph.EConflict || !strings.Contains(err.Error(), "do not converge") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("HoldingsMatchOwners", func(t *testing.T) {
		// Outside cycles, an owner's holding in an entity is its share among the entity's owners.
		net := fixture.Network(t, cycleDataset(0.9))
		if got := graph.Holdings(net, "firm:b"); len(got) != 3 || math.Abs(got["firm:c"]-0.9) > 1e-12 ||
			math.Abs(got["firm:a"]-0.81) > 1e-12 || math.Abs(got["mine:m"]-0.81) > 1e-12 {
			t.Fatalf("holdings of firm:b: %v", got)
		}
		ds := cycleDataset(0.9)
		ds.Edges = ds.Edges[:3] // no ring: c no longer owns a
		net = fixture.Network(t, ds)
		c, err := graph.ControlOf(net, "firm:c")
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range c.Owners {
			if h := graph.Holdings(net, o.ID)["firm:c"]; math.Abs(h-o.Share) > 1e-6 {
				t.Errorf("%s: holds %v of firm:c, ControlOf says %v", o.ID, h, o.Share)
			}
		}
		if len(c.Owners) != 2 {
			t.Fatalf("owners %+v", c.Owners)
		}
	})
}
