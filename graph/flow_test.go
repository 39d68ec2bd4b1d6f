package graph_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestFlowChokepointsMatchBruteForce compares the flow chokepoints (ranked from one maximum flow,
// pruned by top, computed in parallel) with the definition (one fresh maximum flow per node) on
// seeded synthetic networks: with their own volumes, and with volumes and capacities rounded to
// multiples of 50 so that many nodes tie; for every top, including cuts through a tie.
func TestFlowChokepointsMatchBruteForce(t *testing.T) {
	compared, ties := 0, 0
	for seed := uint64(1); seed <= 16; seed++ {
		nodes := 150 + int(seed%4)*150
		ds := synthetic.MustGenerate(synthetic.Config{Nodes: nodes, Edges: nodes * 3, Seed: seed})
		if seed%2 == 0 {
			q50 := func(v float64) float64 { return math.Max(50, math.Round(v/50)*50) }
			for i := range ds.Edges {
				if p := ds.Edges[i].VolumeTPA; p != nil {
					v := q50(*p)
					ds.Edges[i].VolumeTPA = &v
				}
			}
			for i := range ds.Nodes {
				for c, v := range ds.Nodes[i].Capacity {
					ds.Nodes[i].Capacity[c] = q50(v)
				}
			}
		}
		net := fixture.Network(t, ds)
		net = net.AsOf(2025)
		consumers := []string{"state:CN", "state:JP", "state:US", "state:DE"}
		for _, n := range net.Nodes() {
			if n.Kind == graph.Firm && len(consumers) < 7 {
				consumers = append(consumers, n.ID)
			}
		}
		for _, fam := range []string{"rare-earths", "gallium"} {
			for _, c := range consumers {
				q := graph.Query{Commodity: fam, Consumer: c}
				all, err := graph.BruteFlowChokepoints(net, q, 0)
				if err != nil {
					continue // a consumer absent from this network
				}
				for i := 1; i < len(all); i++ {
					if all[i].Score == all[i-1].Score {
						ties++
					}
				}
				for _, top := range []int{0, 1, 2, 3, 5, 10, len(all), len(all) + 1} {
					want := all
					if top > 0 && top < len(all) {
						want = all[:top]
					}
					got, err := graph.FindChokepoints(net, q, graph.MethodFlow, top)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := show(got.Nodes), show(want); g != w {
						t.Fatalf("seed %d %s %s top %d:\n got %s\nwant %s", seed, fam, c, top, g, w)
					}
					compared++
				}
			}
		}
	}
	t.Logf("%d rankings compared, %d ties", compared, ties)
	if compared < 200 || ties < 20 {
		t.Fatalf("only %d rankings compared, %d ties", compared, ties)
	}
}

func show(r []graph.Ranked) string {
	s := fmt.Sprint(len(r), ":")
	for _, x := range r {
		s += fmt.Sprintf(" %s=%v/%v", x.ID, x.Score, *x.Share)
	}
	return s
}

// TestFlowChokepointsBundledMatchBruteForce does the same on the bundled dataset: every state as
// consumer, every family, two years.
func TestFlowChokepointsBundledMatchBruteForce(t *testing.T) {
	ds := fixture.Bundled(t)
	full := fixture.Network(t, ds)
	compared := 0
	for _, year := range []int{2010, 2025} {
		net := full.AsOf(year)
		for _, fam := range net.Families() {
			for _, n := range net.Nodes() {
				if n.Kind != graph.State {
					continue
				}
				q := graph.Query{Commodity: fam, Consumer: n.ID}
				all, err := graph.BruteFlowChokepoints(net, q, 0)
				if err != nil || len(all) == 0 {
					continue
				}
				for _, top := range []int{0, 1, 5} {
					want := all
					if top > 0 && top < len(all) {
						want = all[:top]
					}
					got, err := graph.FindChokepoints(net, q, graph.MethodFlow, top)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := show(got.Nodes), show(want); g != w {
						t.Fatalf("%d %s %s top %d:\n got %s\nwant %s", year, fam, n.ID, top, g, w)
					}
					compared++
				}
			}
		}
	}
	if compared < 30 {
		t.Fatalf("only %d rankings compared", compared)
	}
	t.Logf("%d rankings compared", compared)
}
