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
	return fixture.Network(t, fixture.Small(t)).AsOf(year)
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
		d, err := graph.DependencyOf(smallNet(t, tc.year), japanRE, tc.supplier, "")
		if err != nil {
			t.Fatal(err)
		}
		if d.ByLocation != tc.loc || d.ByControl != tc.ctl || d.Dependency != tc.loc.Any {
			t.Errorf("%d %s: location %+v control %+v", tc.year, tc.supplier, d.ByLocation, d.ByControl)
		}
	}
	if _, err := graph.DependencyOf(smallNet(t, 2024), japanRE, "state:XX", ""); graph.ErrorCode(err) != graph.ENotFound {
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
	rows, err := graph.ConcentrationOf(smallNet(t, 2024), "rare-earths", graph.BasisCapacity)
	if err != nil {
		t.Fatal(err)
	}
	// A family gets a total per stage before the stage's products; here one product a stage,
	// so each total equals its product.
	var got, totals []graph.ProductConcentration
	for _, r := range rows {
		if r.FamilyTotal {
			totals = append(totals, r)
		} else {
			got = append(got, r)
		}
	}
	if len(got) != 3 || got[0].Commodity != "re-concentrate" || got[1].Commodity != "ndpr-oxide" || got[2].Commodity != "ndfeb-magnet" {
		t.Fatalf("products %s", jsonOf(rows))
	}
	if len(totals) != 3 || rows[0].Commodity != "rare-earths" || !rows[0].FamilyTotal || rows[0].Total != 190 ||
		jsonOf(rows[0].ByLocation) != jsonOf(got[0].ByLocation) {
		t.Fatalf("family totals %s", jsonOf(totals))
	}
	// Mining: CN 100, AU 50, US 40 of 190 t. HHI = (100/1.9)² + (50/1.9)² + (40/1.9)² = 3905.817175.
	// Governance: CN 0.4 → risk 6, AU 0.9 → risk 1, US unscored:
	// (100/190)²·6 + (50/190)²·1 = 1.731302, with 40/190 = 0.210526 unscored.
	m := got[0].ByLocation
	if !near(*m.HHI, 3905.817175) || !near(*m.Top3, 1) || !near(*m.GovernanceHHI, 1.731302) || !near(*m.UnscoredShare, 0.210526) {
		t.Fatalf("mining by location %+v", m)
	}
	// By control, beta's 50 t is 75% Australian and 25% Japanese: CN 100, US 40, AU 37.5, JP 12.5.
	if c := got[0].ByControl.Shares; jsonOf(c) != `[{"state":"CN","share":0.526316},{"state":"US","share":0.210526},{"state":"AU","share":0.197368},{"state":"JP","share":0.065789}]` {
		t.Fatalf("mining by control %s", jsonOf(c))
	}
	// Separation: CN 80, MY 45 of 125: HHI 64² + 36² = 5392; governance 0.64²·6 + 0.36²·4 = 2.976
	// (Malaysia 0.6 → risk 4).
	if s := got[1].ByLocation; *s.HHI != 5392 || !near(*s.GovernanceHHI, 2.976) {
		t.Fatalf("separation %+v", s)
	}
	if *got[2].ByLocation.HHI != 10000 {
		t.Fatalf("magnets %+v", got[2].ByLocation)
	}
}

func TestScenario(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
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
	t.Run("ErrNoSuchEdge", func(t *testing.T) {
		// The selector is named as the scenario document spells it, not as a Go struct.
		_, err := graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", Remove: graph.Removal{
			Edges: []graph.EdgeSelector{{From: "mine:alpha"}, {Kind: graph.Supplies, From: "state:CN"}}}})
		if graph.ErrorCode(err) != graph.ENotFound || err.Error() != `no edge matches remove.edges[1] {"kind":"supplies","from":"state:CN"}` {
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
	wide := fixture.Network(t, ds)
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

func TestConcentrationByOutput(t *testing.T) {
	// 2024 output: sep-cn 75 t, sep-my 45 t (an estimate): CN 0.625, MY 0.375,
	// HHI 62.5² + 37.5² = 5312.5. The mines publish no output: all three unscored.
	rows, err := graph.ConcentrationOf(smallNet(t, 2024), "rare-earths", "")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]graph.ProductConcentration{}
	for _, r := range rows {
		if !r.FamilyTotal {
			byID[r.Commodity] = r
		}
	}
	sep := byID["ndpr-oxide"]
	if sep.Basis != graph.BasisOutput || sep.Total != 120 || *sep.ByLocation.HHI != 5312.5 || sep.Unscored.Count != 0 {
		t.Fatalf("separation %s", jsonOf(sep))
	}
	if m := byID["re-concentrate"]; m.Total != 0 || m.Facilities != 0 || m.Unscored.Count != 3 ||
		strings.Join(m.Unscored.IDs, " ") != "mine:alpha mine:beta mine:gamma" || len(m.ByLocation.Shares) != 0 {
		t.Fatalf("mining %s", jsonOf(m))
	}
	// Nothing scored: the indices are unknown (null), never 0.
	if m := byID["re-concentrate"]; m.ByLocation.HHI != nil || m.ByControl.Top3 != nil ||
		!strings.Contains(jsonOf(m), `"hhi":null,"top3_share":null,"governance_hhi":null,"unscored_share":null`) {
		t.Fatalf("mining indices %s", jsonOf(m))
	}
	// 2023: only sep-cn reported (70 t); sep-my is unscored, never a zero share.
	rows, err = graph.ConcentrationOf(smallNet(t, 2023), "ndpr-oxide", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Total != 70 || *rows[0].ByLocation.HHI != 10000 ||
		strings.Join(rows[0].Unscored.IDs, " ") != "refinery:sep-my" {
		t.Fatalf("2023 %s", jsonOf(rows))
	}
	full := fixture.Network(t, fixture.Small(t))
	if _, err := graph.ConcentrationOf(full, "ndpr-oxide", ""); graph.ErrorCode(err) != graph.EInvalid {
		t.Fatalf("output without a year: %v", err)
	}
	if _, err := graph.ConcentrationOf(smallNet(t, 2024), "ndpr-oxide", "tonnes"); graph.ErrorCode(err) != graph.EInvalid ||
		!strings.Contains(err.Error(), "output, capacity") {
		t.Fatalf("unknown basis: %v", err)
	}
}

func TestYearlyVolumes(t *testing.T) {
	// The Malaysian offtake is 30 t a year except 2013, when it was 10 t: Japan receives 60 + 10.
	s, err := graph.MaxSupply(smallNet(t, 2013), japanRE)
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxSupply != 70 {
		t.Fatalf("2013 max supply %v", s.MaxSupply)
	}
	d, err := graph.DependencyOf(smallNet(t, 2013), japanRE, "CN", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.InboundTPA != 70 || d.Dependency != 0.857143 {
		t.Fatalf("2013 dependency %s", jsonOf(d))
	}
	if s, _ := graph.MaxSupply(smallNet(t, 2024), japanRE); s.MaxSupply != 90 {
		t.Fatalf("2024 max supply %v", s.MaxSupply)
	}
}

// withFrance adds a French separator with no recorded input that ships 20 t of Dy/Tb oxide to
// JP Maker, with yearly prices for both oxides.
func withFrance(t *testing.T, year int) *graph.Network {
	t.Helper()
	ds := fixture.Small(t)
	ds.Commodities = append(ds.Commodities, graph.Commodity{ID: "dy-tb-oxide", Name: "Dy/Tb oxide", Family: "rare-earths",
		Stage: graph.Separation, PriceUSDPerT: graph.Series{2024: 400000}, PriceSource: "https://example.org/prices"})
	ds.Nodes = append(ds.Nodes, graph.Node{ID: "refinery:sep-fr", Kind: graph.Refinery, Name: "Separation FR", State: "FR",
		Stage: graph.Separation, Status: graph.Operating, Capacity: map[string]float64{"dy-tb-oxide": 20}})
	twenty := 20.0
	ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Supplies, From: "refinery:sep-fr", To: "firm:jp-maker",
		Commodity: "dy-tb-oxide", VolumeTPA: &twenty})
	net := fixture.Network(t, ds)
	return net.AsOf(year)
}

func TestDependencyUnattributed(t *testing.T) {
	// Entering Japan in 2024: 60 t from sep-cn (mined 90 CN : 30 US), 30 t from sep-my (AU ore),
	// 20 t from sep-fr, whose input is not recorded. Mining: 60·0.75/110 = 0.409091 Chinese,
	// 20/110 = 0.181818 unattributed. Processing: 60/110 Chinese; sep-fr is French, but what it
	// refined is unknown: 20/110 unattributed. Never counted as "not China".
	d, err := graph.DependencyOf(withFrance(t, 2024), japanRE, "CN", "")
	if err != nil {
		t.Fatal(err)
	}
	want := graph.StageShares{Mining: 0.409091, Processing: 0.545455, Any: 0.545455}
	unatt := graph.StageShares{Mining: 0.181818, Processing: 0.181818, Any: 0.181818}
	// Shipped straight from China: sep-cn's 60 t of 110 t.
	if d.InboundTPA != 110 || d.ByLocation != want || d.UnattributedByLocation != unatt || d.UnattributedByControl != unatt ||
		d.ByShipment != 0.545455 {
		t.Fatalf("dependency %s", jsonOf(d))
	}
	// Per product entering: NdPr oxide 90 t with nothing unattributed, Dy/Tb oxide 20 t all of it.
	if len(d.ByProduct) != 2 || d.ByProduct[0].Commodity != "dy-tb-oxide" || d.ByProduct[0].InboundTPA != 20 ||
		d.ByProduct[0].UnattributedByLocation.Mining != 1 || d.ByProduct[1].InboundTPA != 90 ||
		d.ByProduct[1].ByLocation.Mining != 0.5 || d.ByProduct[1].UnattributedByLocation.Any != 0 {
		t.Fatalf("by product %s", jsonOf(d.ByProduct))
	}
	// A French supplier: sep-fr's own 20 t counts at processing, its mining origin stays unknown.
	fr, _ := graph.DependencyOf(withFrance(t, 2024), japanRE, "FR", "")
	if fr.ByLocation.Processing != 0.181818 || fr.UnattributedByLocation.Processing != 0 || fr.UnattributedByLocation.Mining != 0.181818 {
		t.Fatalf("France %s", jsonOf(fr))
	}
}

func TestDependencyByValue(t *testing.T) {
	// Value 2024: sep-cn 60 t × 60,000 = 3.6 M$, sep-my 30 t × 60,000 = 1.8 M$, sep-fr 20 t ×
	// 400,000 = 8 M$ of 13.4 M$. Chinese processing 3.6/13.4 = 0.268657, mining 0.75·3.6/13.4 =
	// 0.201493; unattributed 8/13.4 = 0.597015.
	d, err := graph.DependencyOf(withFrance(t, 2024), japanRE, "CN", graph.WeightValue)
	if err != nil {
		t.Fatal(err)
	}
	if d.Weight != "value" || d.ByLocation.Processing != 0.268657 || d.ByLocation.Mining != 0.201493 ||
		d.UnattributedByLocation.Any != 0.597015 || d.InboundUSD == nil || *d.InboundUSD != 13.4e6 || d.InboundTPA != 110 {
		t.Fatalf("by value %s", jsonOf(d))
	}
	// No 2023 prices: a clear error naming the products.
	_, err = graph.DependencyOf(withFrance(t, 2023), japanRE, "CN", graph.WeightValue)
	if graph.ErrorCode(err) != graph.EInvalid || !strings.Contains(err.Error(), "2023 price for dy-tb-oxide, ndpr-oxide") {
		t.Fatalf("missing prices: %v", err)
	}
	if _, err := graph.DependencyOf(withFrance(t, 2024), japanRE, "CN", "mass"); graph.ErrorCode(err) != graph.EInvalid {
		t.Fatalf("unknown weight: %v", err)
	}
}

func TestFamilyFactor(t *testing.T) {
	// Magnets count 0.3 t REO a tonne in the family: the 70 t magnet plant bounds the family flow
	// through it at 21 t, while the product alone is counted in its own tonnes.
	ds := fixture.Small(t)
	for i := range ds.Commodities {
		if ds.Commodities[i].ID == "ndfeb-magnet" {
			ds.Commodities[i].FamilyFactor = 0.3
		}
	}
	fifty := 50.0
	ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Supplies, From: "refinery:magnet-jp", To: "firm:jp-trader",
		Commodity: "ndfeb-magnet", VolumeTPA: &fifty})
	net := fixture.Network(t, ds)
	net = net.AsOf(2024)
	q := graph.Query{Commodity: "rare-earths", Consumer: "firm:jp-trader"}
	s, err := graph.MaxSupply(net, q)
	if err != nil {
		t.Fatal(err)
	}
	// 30 t oxide from Malaysia, plus the magnet plant's 21 t REO (its capacity 70 × 0.3; the
	// 50 t of magnets are 15 t REO): 30 + 15.
	if s.MaxSupply != 45 {
		t.Fatalf("family max supply %v", s.MaxSupply)
	}
	q.Commodity = "ndfeb-magnet"
	if s, _ := graph.MaxSupply(net, q); s.Unbounded || s.MaxSupply != 50 {
		t.Fatalf("product max supply %s", jsonOf(s))
	}
}

func TestCoalitions(t *testing.T) {
	net := smallNet(t, 2024)
	// The Quad (JP, US, AU) in 2024: mined by gamma (US, 30 of sep-cn's 120 t in) and beta (AU)
	// for Japan: (60·0.25 + 30)/90 = 0.5; no Quad refinery processes Japan's supply.
	d, err := graph.DependencyOf(net, japanRE, "coalition:quad", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Supplier != "coalition:quad" || d.ByLocation != (graph.StageShares{Mining: 0.5, Processing: 0, Any: 0.5}) {
		t.Fatalf("dependency on the Quad %s", jsonOf(d))
	}
	if members, _ := net.CoalitionMembers("coalition:quad"); strings.Join(members, " ") != "AU JP US" {
		t.Fatalf("members 2024 %v", members)
	}
	// Australia joined in 2017.
	if members, _ := smallNet(t, 2010).CoalitionMembers("coalition:quad"); strings.Join(members, " ") != "JP US" {
		t.Fatalf("members 2010 %v", members)
	}
	// The Quad as a consumer: every firm and facility in JP, US and AU. Beta (50) and gamma (40)
	// are members themselves; Japan's magnet plant takes 60 from sep-cn: 150.
	s, err := graph.MaxSupply(net, graph.Query{Commodity: "rare-earths", Consumer: "coalition:quad"})
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxSupply != 150 {
		t.Fatalf("Quad max supply %s", jsonOf(s))
	}
	// Friend-shoring: only through Quad states by location, Japan gets nothing (both its
	// separators are outside); by control, sep-my is AusCo's (Australian): 30 t.
	for _, tc := range []struct {
		only graph.Request
		want graph.Amount
	}{
		{graph.Request{OnlyStates: []string{"coalition:quad"}}, 0},
		{graph.Request{OnlyControl: []string{"coalition:quad"}}, 30},
		{graph.Request{OnlyStates: []string{"coalition:quad", "MY"}}, 30},
	} {
		r := tc.only
		r.Commodity, r.Consumer = "rare-earths", "state:JP"
		res, err := graph.Analyze(net, graph.AnalysisFlow, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Result.(*graph.Supply).MaxSupply; got != tc.want {
			t.Errorf("%v %v: %v, want %v", r.OnlyStates, r.OnlyControl, got, tc.want)
		}
	}
	routes, err := graph.AlternativeRoutes(net, graph.RouteQuery{Query: japanRE, K: 5,
		Avoid: graph.Avoid{OnlyStatesByLocation: []string{"coalition:quad", "MY"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(routes.Routes) == 0 || routes.Routes[0].Nodes[0].ID != "mine:beta" {
		t.Fatalf("friend-shored routes %s", jsonOf(routes))
	}
	for _, r := range routes.Routes {
		for _, n := range r.Nodes {
			if n.State == "CN" {
				t.Fatalf("route through China: %s", jsonOf(r))
			}
		}
	}
	_, err = graph.DependencyOf(net, japanRE, "coalition:nato", "")
	if graph.ErrorCode(err) != graph.ENotFound || !strings.Contains(err.Error(), "want one of coalition:quad") {
		t.Fatalf("unknown coalition: %v", err)
	}
	if _, err := graph.Analyze(net, graph.AnalysisConcentration, graph.Request{Commodity: "rare-earths", OnlyStates: []string{"JP"}}); graph.ErrorCode(err) != graph.EInvalid {
		t.Fatalf("only_states on concentration: %v", err)
	}
}

func TestExportControls(t *testing.T) {
	// 2010: China's ban on NdPr oxide to Japan is in force; sep-cn's 60 t to the magnet plant
	// is all Japan gets, and the ban takes it.
	net := smallNet(t, 2010)
	res, err := graph.Analyze(net, graph.AnalysisFlow, graph.Request{Commodity: "rare-earths", Consumer: "JP", ApplyControls: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Result.(*graph.Supply).MaxSupply; got != 0 || len(res.Controls) != 1 || res.Controls[0].Edges != 1 ||
		res.Controls[0].CutTPA != 60 || res.Controls[0].Control != graph.Ban || jsonOf(res.Controls[0].To) != `["state:JP"]` {
		t.Fatalf("2010 with controls %s", jsonOf(res))
	}
	if res, _ := graph.Analyze(net, graph.AnalysisFlow, graph.Request{Commodity: "rare-earths", Consumer: "JP"}); res.Result.(*graph.Supply).MaxSupply != 60 {
		t.Fatalf("2010 without controls %s", jsonOf(res))
	}
	// 2024: the ban has lapsed. A hypothetical licence letting half of China's NdPr oxide to
	// Japan pass takes 30 of the 90 t; a ban on all Chinese rare-earth exports takes 60.
	half := 0.5
	for _, tc := range []struct {
		name    string
		control graph.ExportControl
		pass    *float64
		outcome graph.Amount
	}{
		{"Licence", graph.ExportControl{From: "CN", To: []string{"JP"}, Commodity: "ndpr-oxide", Control: graph.Licence, PassShare: &half}, nil, 60},
		{"LicencePassOverride", graph.ExportControl{From: "CN", To: []string{"coalition:quad"}, Commodity: "ndpr-oxide", Control: graph.Licence}, &half, 60},
		{"BanToEveryState", graph.ExportControl{From: "state:CN", Commodity: "rare-earths", Control: graph.Ban}, nil, 30},
		{"TariffPassesAll", graph.ExportControl{From: "CN", Commodity: "rare-earths", Control: graph.Tariff}, nil, 90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			full := fixture.Network(t, fixture.Small(t))
			res, err := graph.RunScenario(full, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", AsOf: 2024,
				Controls: []graph.ExportControl{tc.control}, LicencePass: tc.pass})
			if err != nil {
				t.Fatal(err)
			}
			if res.Baseline.MaxSupply != 90 || res.Outcome.MaxSupply != tc.outcome || len(res.Controls) != 1 || !res.Controls[0].Hypothetical {
				t.Fatalf("%s", jsonOf(res))
			}
		})
	}
	for _, bad := range []graph.ExportControl{
		{From: "CN", Commodity: "ndpr-oxide", Control: graph.Licence},                             // no pass share
		{From: "CN", Commodity: "ndpr-oxide", Control: "embargo"},                                 // unknown kind
		{From: "China", Commodity: "ndpr-oxide", Control: graph.Ban},                              // not a state
		{From: "CN", Commodity: "unobtainium", Control: graph.Ban},                                // unknown commodity
		{From: "CN", To: []string{"coalition:nato"}, Commodity: "ndpr-oxide", Control: graph.Ban}, // unknown coalition
	} {
		full := fixture.Network(t, fixture.Small(t))
		_, err := graph.RunScenario(full, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", AsOf: 2024, Controls: []graph.ExportControl{bad}})
		if c := graph.ErrorCode(err); c != graph.EInvalid && c != graph.ENotFound {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := graph.Analyze(net, graph.AnalysisControl, graph.Request{ApplyControls: true}); graph.ErrorCode(err) != graph.EInvalid {
		t.Fatalf("apply_controls on control: %v", err)
	}
}

func TestCompare(t *testing.T) {
	// Japan 2013 (70 t in, 6/7 Chinese) against 2024 (90 t, 2/3): −0.190476, +20 t.
	full := fixture.Network(t, fixture.Small(t))
	c, err := graph.Compare(full, graph.AnalysisDependency, graph.Request{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN"}, [2]int{2013, 2024})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Diff.(map[string]any)
	if c.A.AsOf != 2013 || c.B.AsOf != 2024 || d["dependency"] != -0.190476 || d["inbound_tpa"] != 20.0 {
		t.Fatalf("diff %s", jsonOf(c.Diff))
	}
	if _, ok := d["supplier"]; ok {
		t.Fatalf("unchanged fields in the diff: %s", jsonOf(c.Diff))
	}
	// Chokepoints: lists matched by node id; a node only one year has is named.
	c, err = graph.Compare(full, graph.AnalysisChokepoints, graph.Request{Commodity: "rare-earths", Consumer: "JP"}, [2]int{2010, 2024})
	if err != nil {
		t.Fatal(err)
	}
	nodes := c.Diff.(map[string]any)["nodes"].(map[string]any)
	if jsonOf(nodes["only_in_b"]) != `["mine:beta","refinery:sep-my"]` && jsonOf(nodes["only_in_b"]) != `["refinery:sep-my","mine:beta"]` {
		t.Fatalf("chokepoints diff %s", jsonOf(c.Diff))
	}
	for _, bad := range []string{"2010", "2010,abc", "1700,2010", "2010,2024,2025"} {
		if _, err := graph.ParseYears(bad); graph.ErrorCode(err) != graph.EInvalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestFinance(t *testing.T) {
	// JP Agency: equity in AusCo (2011, 250 M$) and a loan to sep-my (2023, 100 M A$ = 70 M$).
	// AusCo holds beta and sep-my; Japan's 30 t through sep-my of its 90 t in 2024 passed through
	// them: 30 t, 1/3, 30/320 = 0.09375 t per M$; without them Japan loses the 30 t.
	f, err := graph.FinanceOf(smallNet(t, 2024), japanRE, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Financiers) != 1 {
		t.Fatalf("financiers %s", jsonOf(f))
	}
	r := f.Financiers[0]
	if r.ID != "firm:jp-agency" || len(r.Deals) != 2 || r.AmountUSD != 320 || r.DealsWithoutUSD != 0 ||
		jsonOf(r.Projects) != `[{"id":"mine:beta","name":"Beta","kind":"mine","state":"AU"},{"id":"refinery:sep-my","name":"Separation MY","kind":"refinery","state":"MY"}]` ||
		r.SupplyTPA != 30 || r.SupplyShare != 0.333333 || r.TonnesPerMillionUSD == nil || *r.TonnesPerMillionUSD != 0.09375 ||
		r.LossWithout != 30 || r.LossShare == nil || *r.LossShare != 0.333333 {
		t.Fatalf("JP Agency %s", jsonOf(r))
	}
	// In 2015 only the 2011 equity counts.
	f, _ = graph.FinanceOf(smallNet(t, 2015), japanRE, "firm:jp-agency")
	if len(f.Financiers[0].Deals) != 1 || f.Financiers[0].AmountUSD != 250 {
		t.Fatalf("2015 %s", jsonOf(f))
	}
	if _, err := graph.FinanceOf(smallNet(t, 2024), japanRE, "firm:ausco"); graph.ErrorCode(err) != graph.ENotFound ||
		!strings.Contains(err.Error(), "financiers: firm:jp-agency") {
		t.Fatalf("not a financier: %v", err)
	}
}

func TestScenarioStocksAndRecycling(t *testing.T) {
	// China removed in 2024: Japan loses 60 of 90 t a year. JP Agency's 12 t of NdPr oxide last
	// 12 / 60 · 365 = 73 days; its 60 days of consumption last 60 / (2/3) = 90 days.
	full := fixture.Network(t, fixture.Small(t))
	res, err := graph.RunScenario(full, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", AsOf: 2024,
		Remove: graph.Removal{StatesByLocation: []string{"CN"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Stocks) != 1 || res.Stocks[0].Holder.ID != "firm:jp-agency" || *res.Stocks[0].Tonnes != 12 || *res.Stocks[0].DaysCovered != 73 {
		t.Fatalf("stocks %s", jsonOf(res.Stocks))
	}
	ds := fixture.Small(t)
	ds.Nodes[len(ds.Nodes)-2].Stock = nil // JP Agency keeps only its days of consumption
	net, _ := graph.NewNetwork(ds)
	res, _ = graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", AsOf: 2024,
		Remove: graph.Removal{StatesByLocation: []string{"CN"}}})
	if len(res.Stocks) != 1 || *res.Stocks[0].Days != 60 || *res.Stocks[0].DaysCovered != 90 {
		t.Fatalf("days of consumption %s", jsonOf(res.Stocks))
	}
	// A Japanese recycler ships 5 t to JP Maker: a secondary origin, never unattributed, and
	// domestic supply. Japan 2024: 95 t, 60 Chinese (0.631579). Recycling tripled: 105 t,
	// 60/105 = 0.571429; the recycler, a member of Japan, adds its capacity (3 × 10) to the
	// max supply: 90 + 30.
	ds = fixture.Small(t)
	five := 5.0
	ds.Nodes = append(ds.Nodes, graph.Node{ID: "refinery:recycle-jp", Kind: graph.Refinery, Name: "Recycler JP", State: "JP",
		Stage: graph.Recycling, Status: graph.Operating, Capacity: map[string]float64{"ndpr-oxide": 10}})
	ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Supplies, From: "refinery:recycle-jp", To: "firm:jp-maker", Commodity: "ndpr-oxide", VolumeTPA: &five})
	net = fixture.Network(t, ds)
	three := 3.0
	res, err = graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN", AsOf: 2024, RecyclingScale: &three})
	if err != nil {
		t.Fatal(err)
	}
	b, o := res.Baseline.Dependency, res.Outcome.Dependency
	if b.InboundTPA != 95 || b.DomesticTPA != 5 || b.Dependency != 0.631579 || b.UnattributedByLocation.Any != 0 ||
		b.ByShipment != 0.666667 || o.InboundTPA != 105 || o.Dependency != 0.571429 || res.Outcome.MaxSupply != 120 {
		t.Fatalf("recycling %s %s", jsonOf(b), jsonOf(o))
	}
	bad := -1.0
	if _, err := graph.RunScenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "JP", AsOf: 2024, RecyclingScale: &bad}); graph.ErrorCode(err) != graph.EInvalid {
		t.Fatalf("negative scale: %v", err)
	}
}

func TestAttribution(t *testing.T) {
	// Japan on China, 2010 against 2024: all of 2010's 60 t came through China (1); in 2024 the
	// Malaysian route (30 of 90 t) does not: dependency −1/3. Australia (beta), Malaysia
	// (sep-my) and JP Agency's projects (beta, sep-my) each carry that third.
	a, err := graph.AttributionOf(smallNet(t, 2024), japanRE, "CN", 2010)
	if err != nil {
		t.Fatal(err)
	}
	if a.BaseDependency != 1 || a.Dependency != 0.666667 || a.Change != -0.333333 || len(a.Groups) != 3 {
		t.Fatalf("attribution %s", jsonOf(a))
	}
	var got []string
	for _, g := range a.Groups {
		got = append(got, g.Kind+":"+g.ID+"="+jsonOf(g.Points)+"/"+jsonOf(g.SupplyTPA))
	}
	if strings.Join(got, " ") != "financier:firm:jp-agency=-0.333333/30 partner:state:AU=-0.333333/30 partner:state:MY=-0.333333/30" {
		t.Fatalf("groups %v", got)
	}
	if _, err := graph.AttributionOf(smallNet(t, 2024), japanRE, "CN", 0); graph.ErrorCode(err) != graph.EInvalid {
		t.Fatalf("no base: %v", err)
	}
}

func TestDependencyMassBalance(t *testing.T) {
	// Beta delivers only 10 t to sep-my, which ships 30 t to Japan: 20 t of its output came from
	// inputs the data does not record. Japan 2024: mining 45/90 Chinese as before, and
	// 30 · 20/30 / 90 = 0.222222 unattributed, at the mining stage and at processing too (the
	// unrecorded input may have been processed before, e.g. intermediates from elsewhere).
	ds := fixture.Small(t)
	for i := range ds.Edges {
		if e := &ds.Edges[i]; e.From == "mine:beta" && e.To == "refinery:sep-my" {
			ten := 10.0
			e.VolumeTPA = &ten
		}
	}
	net := fixture.Network(t, ds)
	d, err := graph.DependencyOf(net.AsOf(2024), japanRE, "CN", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.ByLocation.Mining != 0.5 || d.UnattributedByLocation.Mining != 0.222222 || d.UnattributedByLocation.Processing != 0.222222 {
		t.Fatalf("mass balance %s", jsonOf(d))
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
