package graph_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// The hand-checked network is testdata/small.json. In 2024, rare-earth flow edges are:
//
//	mine:alpha (CN, cap 100) --90--> refinery:sep-cn (CN, cap 80) --60--> refinery:magnet-jp (JP, cap 70)
//	mine:gamma (US, cap 40)  --30--/
//	mine:beta  (AU, cap 50)  --45--> refinery:sep-my (MY, cap 45) --30 offtake--> firm:jp-trader --30--> firm:jp-maker
//
// Japan's members are magnet-jp, jp-trader, jp-maker and jp-agency.
func smallNet(t *testing.T, year int) *graph.Network {
	t.Helper()
	net, err := graph.NewNetwork(fixture.Small(t))
	if err != nil {
		t.Fatal(err)
	}
	return net.AsOf(year)
}

var japanRE = graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func ranking(r []graph.Ranked) string {
	var parts []string
	for _, x := range r {
		parts = append(parts, x.ID+"="+jsonOf(x.Score))
	}
	return strings.Join(parts, " ")
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestMaxSupply(t *testing.T) {
	// 2024: the Chinese route carries 60 (sep-cn → magnet-jp edge), the Malaysian one 30 (offtake).
	s, err := graph.MaxSupply(smallNet(t, 2024), japanRE)
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxSupply != 90 || s.Sources != 3 || s.Members != 4 {
		t.Fatalf("got %+v", s)
	}
	// 2010: only alpha → sep-cn → magnet-jp, bounded by the 60 t edge.
	s, _ = graph.MaxSupply(smallNet(t, 2010), japanRE)
	if s.MaxSupply != 60 {
		t.Fatalf("2010: got %v", s.MaxSupply)
	}
	t.Run("ErrUnknownConsumer", func(t *testing.T) {
		_, err := graph.MaxSupply(smallNet(t, 2024), graph.Query{Commodity: "rare-earths", Consumer: "firm:nobody"})
		if graph.ErrorCode(err) != graph.ENotFound {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrUnknownCommodity", func(t *testing.T) {
		_, err := graph.MaxSupply(smallNet(t, 2024), graph.Query{Commodity: "unobtainium", Consumer: "JP"})
		if graph.ErrorCode(err) != graph.ENotFound {
			t.Fatalf("got %v", err)
		}
	})
}

func TestChokepoints(t *testing.T) {
	net := smallNet(t, 2024)
	for _, tc := range []struct{ method, nodes, edges string }{
		// Removing sep-cn loses the 60 t Chinese route; alpha leaves sep-cn only gamma's 30 t
		// (loss 30); beta and sep-my each carry the 30 t Malaysian route. gamma loses nothing:
		// alpha alone fills sep-cn's 60 t outlet. Japan's own members (magnet-jp, jp-trader) are
		// the destination, not chokepoints.
		{graph.MethodFlow, "refinery:sep-cn=60 mine:alpha=30 mine:beta=30 refinery:sep-my=30", ""},
		// Two disjoint routes: no node is on every path.
		{graph.MethodDominators, "", ""},
		// The cut closest to the origins: the two saturated edges into Japan.
		{graph.MethodCut, "", `[{"kind":"offtake","from":"refinery:sep-my","to":"firm:jp-trader","commodity":"ndpr-oxide","volume_tpa":30},{"kind":"supplies","from":"refinery:sep-cn","to":"refinery:magnet-jp","commodity":"ndpr-oxide","volume_tpa":60}]`},
		// Two trees: sep-cn cuts alpha, gamma and magnet-jp apart (3 nodes, largest part 1: 2
		// separated); sep-my and jp-trader each separate one node. Every edge is a bridge.
		{graph.MethodArticulation, "refinery:sep-cn=2 firm:jp-trader=1 refinery:sep-my=1", ""},
	} {
		t.Run(tc.method, func(t *testing.T) {
			c, err := graph.FindChokepoints(net, japanRE, tc.method, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := ranking(c.Nodes); got != tc.nodes {
				t.Fatalf("nodes %s, want %s", got, tc.nodes)
			}
			if tc.edges != "" && jsonOf(c.Edges) != tc.edges {
				t.Fatalf("edges %s", jsonOf(c.Edges))
			}
			if tc.method == graph.MethodArticulation && len(c.Edges) != 6 {
				t.Fatalf("bridges %s", jsonOf(c.Edges))
			}
		})
	}
	t.Run("DominatorsIn2010", func(t *testing.T) {
		// One route: alpha → sep-cn → magnet-jp (Japan's), listed from the mine down.
		c, err := graph.FindChokepoints(smallNet(t, 2010), japanRE, graph.MethodDominators, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := ranking(c.Nodes); got != "mine:alpha=60 refinery:sep-cn=60" {
			t.Fatal(got)
		}
	})
	t.Run("ConsumerList", func(t *testing.T) {
		// The magnet plant alone gets the Chinese 60 t; with the trader, the Malaysian 30 t too.
		for consumer, want := range map[string]graph.Amount{"refinery:magnet-jp": 60, "refinery:magnet-jp, firm:jp-trader": 90} {
			s, err := graph.MaxSupply(net, graph.Query{Commodity: "rare-earths", Consumer: consumer})
			if err != nil || s.MaxSupply != want {
				t.Fatalf("%s: %v %v", consumer, s, err)
			}
		}
	})
	t.Run("ErrMethod", func(t *testing.T) {
		if _, err := graph.FindChokepoints(net, japanRE, "vibes", 0); graph.ErrorCode(err) != graph.EInvalid {
			t.Fatal(err)
		}
	})
}

func TestDependency(t *testing.T) {
	for _, tc := range []struct {
		year     int
		supplier string
		loc, ctl graph.StageShares
	}{
		// Inbound: 60 t from sep-cn (CN) and 30 t from sep-my (MY). sep-cn's feed is 90 t from
		// alpha (CN) and 30 t from gamma (US): 75% Chinese-mined. Mining: 60·0.75/90 = 0.5;
		// processing: 60/90. Control equals location: alpha and sep-cn are wholly Chinese
		// (CN Group's 60% of sep-cn plus the unrecorded 40% at home).
		{2024, "state:CN", graph.StageShares{Mining: 0.5, Processing: 0.666667, Any: 0.666667},
			graph.StageShares{Mining: 0.5, Processing: 0.666667, Any: 0.666667}},
		// Australia: beta feeds the 30 t Malaysian route: mining 30/90 by location. By control,
		// AusCo (owner of beta and sep-my) is 25% held by the Japanese agency: beta and sep-my are
		// 75% Australian, so mining 0.75·30/90 = 0.25, processing 0.25, any stage
		// 1 − 0.25·0.25 = 0.9375 of the route: 0.3125.
		{2024, "AU", graph.StageShares{Mining: 0.333333, Processing: 0, Any: 0.333333},
			graph.StageShares{Mining: 0.25, Processing: 0.25, Any: 0.3125}},
		// 2010: everything comes through alpha and sep-cn.
		{2010, "CN", graph.StageShares{Mining: 1, Processing: 1, Any: 1}, graph.StageShares{Mining: 1, Processing: 1, Any: 1}},
	} {
		d, err := graph.DependencyOf(smallNet(t, tc.year), japanRE, tc.supplier)
		if err != nil {
			t.Fatal(err)
		}
		if d.ByLocation != tc.loc || d.ByControl != tc.ctl || d.Dependency != tc.loc.Any {
			t.Errorf("%d %s: location %+v control %+v", tc.year, tc.supplier, d.ByLocation, d.ByControl)
		}
	}
	if _, err := graph.DependencyOf(smallNet(t, 2024), japanRE, "state:XX"); graph.ErrorCode(err) != graph.ENotFound {
		t.Fatal(err)
	}
}

func TestControl(t *testing.T) {
	// sep-my is AusCo's (1); AusCo is 25% the agency's, which is wholly Japan's.
	c, err := graph.ControlOf(smallNet(t, 2024), "refinery:sep-my")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"refinery:sep-my","name":"Separation MY","kind":"refinery","state":"MY","controlling_state":"AU","states":[{"state":"AU","share":0.75},{"state":"JP","share":0.25}],"owners":[{"id":"firm:ausco","name":"AusCo","kind":"firm","state":"AU","share":1,"ultimate":false},{"id":"firm:jp-agency","name":"JP Agency","kind":"firm","state":"JP","share":0.25,"ultimate":false},{"id":"state:JP","name":"Japan","kind":"state","state":"JP","share":0.25,"ultimate":true}]}`
	if got := jsonOf(c); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Before the agency bought in (2011), AusCo is wholly Australian.
	c, _ = graph.ControlOf(smallNet(t, 2010), "firm:ausco")
	if c.ControllingState != "AU" || len(c.Owners) != 0 {
		t.Fatalf("2010: %s", jsonOf(c))
	}
	if _, err := graph.ControlOf(smallNet(t, 2024), "firm:nobody"); graph.ErrorCode(err) != graph.ENotFound {
		t.Fatal(err)
	}
}

func TestConcentration(t *testing.T) {
	got, err := graph.ConcentrationOf(smallNet(t, 2024), "rare-earths")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Commodity != "re-concentrate" || got[1].Commodity != "ndpr-oxide" || got[2].Commodity != "ndfeb-magnet" {
		t.Fatalf("products %s", jsonOf(got))
	}
	// Mining: CN 100, AU 50, US 40 of 190 t. HHI = (100/1.9)² + (50/1.9)² + (40/1.9)² = 3905.817175.
	// Governance: CN 0.4 → risk 6, AU 0.9 → risk 1, US unscored:
	// (100/190)²·6 + (50/190)²·1 = 1.731302, with 40/190 = 0.210526 unscored.
	m := got[0].ByLocation
	if !near(m.HHI, 3905.817175) || !near(m.Top3, 1) || !near(m.GovernanceHHI, 1.731302) || !near(m.UnscoredShare, 0.210526) {
		t.Fatalf("mining by location %+v", m)
	}
	// By control, beta's 50 t is 75% Australian and 25% Japanese: CN 100, US 40, AU 37.5, JP 12.5.
	if c := got[0].ByControl.Shares; jsonOf(c) != `[{"state":"CN","share":0.526316},{"state":"US","share":0.210526},{"state":"AU","share":0.197368},{"state":"JP","share":0.065789}]` {
		t.Fatalf("mining by control %s", jsonOf(c))
	}
	// Separation: CN 80, MY 45 of 125: HHI 64² + 36² = 5392; governance 0.64²·6 + 0.36²·4 = 2.976
	// (Malaysia 0.6 → risk 4).
	if s := got[1].ByLocation; s.HHI != 5392 || !near(s.GovernanceHHI, 2.976) {
		t.Fatalf("separation %+v", s)
	}
	if got[2].ByLocation.HHI != 10000 {
		t.Fatalf("magnets %+v", got[2].ByLocation)
	}
}

func TestScenario(t *testing.T) {
	net, err := graph.NewNetwork(fixture.Small(t))
	if err != nil {
		t.Fatal(err)
	}
	// China cuts off everything located there in 2024: the Chinese route goes, the Malaysian
	// 30 t stays: 2/3 of the 90 t lost.
	res, err := graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", Supplier: "CN", AsOf: 2024,
		Remove: graph.Removal{StatesByLocation: []string{"CN"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Baseline.MaxSupply != 90 || res.Outcome.MaxSupply != 30 || res.SupplyLost == nil || *res.SupplyLost != 0.666667 {
		t.Fatalf("supply %s", jsonOf(res))
	}
	if got := strings.Join(res.RemovedNodes, " "); got != "firm:cn-group mine:alpha refinery:ga-cn refinery:sep-cn" {
		t.Fatalf("removed %s", got)
	}
	if res.Outcome.Dependency.Dependency != 0 || res.Baseline.Dependency.Dependency != 0.666667 {
		t.Fatalf("dependency %s / %s", jsonOf(res.Baseline.Dependency), jsonOf(res.Outcome.Dependency))
	}
	// Routes left: beta → sep-my → jp-trader, and on to jp-maker.
	if len(res.Outcome.Routes) != 2 || res.Outcome.Routes[0].Hops != 2 || res.Outcome.Routes[1].Hops != 3 ||
		res.Outcome.Routes[0].Nodes[0].ID != "mine:beta" || res.Outcome.Routes[0].Bottleneck != 30 {
		t.Fatalf("routes %s", jsonOf(res.Outcome.Routes))
	}
	if len(res.Baseline.Routes) != 4 {
		t.Fatalf("baseline routes %s", jsonOf(res.Baseline.Routes))
	}
	t.Run("FedRefineryIsNoOrigin", func(t *testing.T) {
		// With both its mines closed, sep-cn has no input left; it does not become an origin
		// of its own, so only the Malaysian 30 t reach Japan.
		res, err := graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", AsOf: 2024,
			Remove: graph.Removal{Nodes: []string{"mine:alpha", "mine:gamma"}}})
		if err != nil || res.Outcome.MaxSupply != 30 {
			t.Fatalf("%v %s", err, jsonOf(res))
		}
	})
	t.Run("ErrUnknownNode", func(t *testing.T) {
		_, err := graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", Remove: graph.Removal{Nodes: []string{"mine:nope"}}})
		if graph.ErrorCode(err) != graph.ENotFound {
			t.Fatal(err)
		}
	})
	t.Run("ErrBadState", func(t *testing.T) {
		_, err := graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", Remove: graph.Removal{StatesByControl: []string{"China"}}})
		if graph.ErrorCode(err) != graph.EInvalid {
			t.Fatal(err)
		}
	})
}

func TestRoutes(t *testing.T) {
	net := smallNet(t, 2024)
	// Avoiding China by location leaves the Malaysian route only.
	r, err := graph.AlternativeRoutes(net, graph.RouteQuery{Query: japanRE, Avoid: graph.Avoid{StatesByLocation: []string{"CN"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Routes) != 2 || r.Routes[0].Nodes[1].ID != "refinery:sep-my" {
		t.Fatalf("%s", jsonOf(r.Routes))
	}
	// Avoiding AusCo removes what it owns and operates: beta and sep-my.
	r, _ = graph.AlternativeRoutes(net, graph.RouteQuery{Query: japanRE, Avoid: graph.Avoid{Firms: []string{"firm:ausco"}}})
	for _, route := range r.Routes {
		for _, n := range route.Nodes {
			if n.ID == "mine:beta" || n.ID == "refinery:sep-my" {
				t.Fatalf("route through %s", n.ID)
			}
		}
	}
	if len(r.Routes) != 2 {
		t.Fatalf("%s", jsonOf(r.Routes))
	}
	// From the US: gamma → sep-cn → magnet-jp, bottleneck the 30 t edge.
	r, _ = graph.AlternativeRoutes(net, graph.RouteQuery{Query: japanRE, From: "state:US"})
	if len(r.Routes) != 1 || r.Routes[0].Bottleneck != 30 || r.Routes[0].Hops != 2 {
		t.Fatalf("%s", jsonOf(r.Routes))
	}
	// Parallel edges carry a hop together: a second offtake of 10 t from sep-my to the trader
	// makes that hop 40 t, the route's bottleneck (beta and sep-my allow 45).
	ds := fixture.Small(t)
	ten := 10.0
	ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Offtake, From: "refinery:sep-my", To: "firm:jp-trader", Commodity: "ndfeb-magnet", VolumeTPA: &ten})
	wide, err := graph.NewNetwork(ds)
	if err != nil {
		t.Fatal(err)
	}
	r, _ = graph.AlternativeRoutes(wide.AsOf(2024), graph.RouteQuery{Query: japanRE, From: "AU", K: 1})
	if len(r.Routes) != 1 || r.Routes[0].Bottleneck != 40 || r.Routes[0].Hops != 2 || len(r.Routes[0].Edges) != 3 {
		t.Fatalf("%s", jsonOf(r.Routes))
	}
	// A hop limit of 1 admits nothing.
	r, _ = graph.AlternativeRoutes(net, graph.RouteQuery{Query: japanRE, MaxHops: 1})
	if len(r.Routes) != 0 {
		t.Fatalf("%s", jsonOf(r.Routes))
	}
	for _, q := range []graph.RouteQuery{{Query: japanRE, K: 51}, {Query: japanRE, MaxHops: 21}, {Query: japanRE, Cost: "distance"}} {
		if _, err := graph.AlternativeRoutes(net, q); graph.ErrorCode(err) != graph.EInvalid {
			t.Fatalf("%+v: %v", q, err)
		}
	}
}

func TestCentralityPageRankTol(t *testing.T) {
	net := smallNet(t, 2024)
	def, err := graph.Centrality(net, graph.MetricPageRank, nil, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := def.Convergence
	if c == nil || c.Tol != graph.DefaultPageRankTol || c.Iterations < 1 || !(c.Residual < float64(def.Nodes)*c.Tol) {
		t.Fatalf("default: %+v", c)
	}
	tight, err := graph.Centrality(net, graph.MetricPageRank, nil, "", 0, 1e-13)
	if err != nil {
		t.Fatal(err)
	}
	if c := tight.Convergence; c.Tol != 1e-13 || !(c.Residual < float64(tight.Nodes)*1e-13) {
		t.Fatalf("tight: %+v", c)
	}
	sum := 0.0
	for i, r := range tight.Ranking {
		sum += r.Score
		if d := math.Abs(r.Score - def.Ranking[i].Score); d > 1e-5 || r.ID != def.Ranking[i].ID && d > 0 {
			t.Fatalf("rank %d: %s %v at 1e-13, %s %v at the default", i, r.ID, r.Score, def.Ranking[i].ID, def.Ranking[i].Score)
		}
	}
	if !near(sum, 1) {
		t.Fatalf("sum %v", sum)
	}
	if b, _ := graph.Centrality(net, graph.MetricBetweenness, nil, "", 0, 0); b.Convergence != nil {
		t.Fatal("betweenness reports a convergence")
	}
	for _, tc := range []struct {
		metric string
		tol    float64
	}{{graph.MetricPageRank, -1}, {graph.MetricPageRank, 1e-20}, {graph.MetricPageRank, math.NaN()}, {graph.MetricPageRank, 0.5}, {graph.MetricCloseness, 1e-8}} {
		if _, err := graph.Centrality(net, tc.metric, nil, "", 0, tc.tol); graph.ErrorCode(err) != graph.EInvalid {
			t.Errorf("%s tol %v: %v, want invalid", tc.metric, tc.tol, err)
		}
	}
}
