package graph_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

func ptr(v float64) *float64 { return &v }

// problemsOf validates ds and returns its problems as strings.
func problemsOf(t *testing.T, ds *graph.Dataset) []string {
	t.Helper()
	err := ds.Validate()
	if err == nil {
		return nil
	}
	ge, ok := err.(*graph.Error)
	if !ok || ge.Code != graph.EInvalid {
		t.Fatalf("Validate returned %T %v, want *graph.Error with code invalid", err, err)
	}
	var out []string
	for _, p := range ge.Problems {
		out = append(out, p.String())
	}
	return out
}

func TestValidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if ps := problemsOf(t, fixture.Small(t)); ps != nil {
			t.Fatalf("small.json: unexpected problems:\n%s", strings.Join(ps, "\n"))
		}
	})
	node := func(ds *graph.Dataset, id string) *graph.Node {
		for i := range ds.Nodes {
			if ds.Nodes[i].ID == id {
				return &ds.Nodes[i]
			}
		}
		t.Fatalf("no node %s", id)
		return nil
	}
	// Node and edge indices refer to testdata/small.json.
	for _, tc := range []struct {
		name   string
		mutate func(ds *graph.Dataset)
		want   []string
	}{
		{"DuplicateNodeID", func(ds *graph.Dataset) {
			ds.Nodes = append(ds.Nodes, graph.Node{ID: "mine:alpha", Kind: graph.Mine, Name: "Alpha again", State: "CN", Stage: graph.Mining})
		}, []string{`nodes[19].id: duplicate node id "mine:alpha"`}},
		{"DuplicateCommodity", func(ds *graph.Dataset) {
			ds.Commodities = append(ds.Commodities, graph.Commodity{ID: "re-concentrate", Name: "again", Family: "rare-earths", Stage: graph.Mining})
		}, []string{`commodities[4].id: duplicate commodity id "re-concentrate"`}},
		{"UnknownKind", func(ds *graph.Dataset) { node(ds, "firm:jp-maker").Kind = "factory" },
			[]string{`small.json: nodes[16].kind: unknown kind "factory" (want mine, refinery, firm or state)`}},
		{"IDPrefix", func(ds *graph.Dataset) {
			node(ds, "mine:alpha").Kind = graph.Refinery
			node(ds, "mine:alpha").Stage = graph.Separation
		},
			[]string{`small.json: nodes[5].id: "mine:alpha" must start with "refinery:"`}},
		{"UnknownCommodityInCapacity", func(ds *graph.Dataset) { node(ds, "mine:alpha").Capacity["unobtainium"] = 1 },
			[]string{`small.json: nodes[5].capacity.unobtainium: unknown commodity "unobtainium"`}},
		{"NegativeCapacity", func(ds *graph.Dataset) { node(ds, "mine:alpha").Capacity["re-concentrate"] = -5 },
			[]string{`small.json: nodes[5].capacity.re-concentrate: must be a finite number ≥ 0, got -5`}},
		{"CapacityOnFirm", func(ds *graph.Dataset) { node(ds, "firm:ausco").Capacity = map[string]float64{"gallium": 1} },
			[]string{`small.json: nodes[14].capacity: only mines and refineries have capacities`}},
		{"BadStateCode", func(ds *graph.Dataset) { node(ds, "mine:beta").State = "XX" },
			[]string{`small.json: nodes[6].state: "XX" is not an ISO 3166-1 alpha-2 code`}},
		{"LowercaseStateCode", func(ds *graph.Dataset) { node(ds, "mine:beta").State = "au" },
			[]string{`small.json: nodes[6].state: "au" is not an ISO 3166-1 alpha-2 code`}},
		{"MissingState", func(ds *graph.Dataset) { node(ds, "firm:ausco").State = "" },
			[]string{`small.json: nodes[14].state: is required for a firm`}},
		{"StateNodeCode", func(ds *graph.Dataset) { node(ds, "state:JP").State = "CN" },
			[]string{`small.json: nodes[2].state: "CN" must equal the id's code "JP"`}},
		{"StateNodeID", func(ds *graph.Dataset) { node(ds, "state:US").ID = "state:XU" },
			[]string{`small.json: nodes[4].id: "XU" is not an ISO 3166-1 alpha-2 code`, `small.json: edges[20].from: unknown node "state:US"`}},
		{"MineStage", func(ds *graph.Dataset) { node(ds, "mine:beta").Stage = graph.Separation },
			[]string{`small.json: nodes[6].stage: a mine's stage must be "mining", got "separation"`}},
		{"RefineryStage", func(ds *graph.Dataset) { node(ds, "refinery:sep-cn").Stage = "" },
			[]string{`small.json: nodes[8].stage: a refinery needs a processing stage (one of concentration, cracking, separation, refining, metal, alloy, magnet, recycling), got ""`}},
		{"FirmStage", func(ds *graph.Dataset) { node(ds, "firm:ausco").Stage = graph.Metal },
			[]string{`small.json: nodes[14].stage: a firm has no stage`}},
		{"Status", func(ds *graph.Dataset) { node(ds, "mine:beta").Status = "mothballed" },
			[]string{`small.json: nodes[6].status: unknown status "mothballed" (want operating, construction, planned or closed)`}},
		{"SinceAfterUntil", func(ds *graph.Dataset) { node(ds, "mine:beta").Until = 2005 },
			[]string{`small.json: nodes[6].until: until 2005 is before since 2011`}},
		{"YearRange", func(ds *graph.Dataset) { ds.Edges[0].Since = 20100 },
			[]string{`small.json: edges[0].since: year 20100 is outside 1800..2100`}},
		{"Source", func(ds *graph.Dataset) { node(ds, "mine:beta").Source = "ftp://x" },
			[]string{`small.json: nodes[6].source: "ftp://x" is not an http(s) URL`}},
		{"ExtraReserved", func(ds *graph.Dataset) { node(ds, "firm:ausco").Extra["cap_x"] = "y" },
			[]string{`small.json: nodes[14].extra.cap_x: key is reserved for a node field`}},
		{"ExtraType", func(ds *graph.Dataset) { node(ds, "firm:ausco").Extra["tags"] = []any{"a"} },
			[]string{`small.json: nodes[14].extra.tags: must be a string, number or boolean, got []interface {}`}},
		{"UnknownEnd", func(ds *graph.Dataset) { ds.Edges[1].To = "mine:nowhere" },
			[]string{`small.json: edges[1].to: unknown node "mine:nowhere"`}},
		{"MineOwnsNothing", func(ds *graph.Dataset) { ds.Edges[1].From = "mine:beta" },
			[]string{`small.json: edges[1].from: a owns edge cannot start at a mine (allowed: firm, state)`}},
		{"StateLocatedNowhere", func(ds *graph.Dataset) { ds.Edges[10].To = "state:JP" },
			[]string{`small.json: edges[10].to: a supplies edge cannot end at a state (allowed: refinery, firm)`}},
		{"UnknownEdgeKind", func(ds *graph.Dataset) { ds.Edges[9].Kind = "located_in" },
			[]string{`small.json: edges[9].kind: unknown edge kind "located_in" (want owns, operates, offtake, supplies, restricts, finances, member)`}},
		{"SelfLoop", func(ds *graph.Dataset) { ds.Edges[1].To = "firm:cn-group" },
			[]string{`small.json: edges[1].to: an edge cannot connect "firm:cn-group" to itself`}},
		{"ShareRange", func(ds *graph.Dataset) { ds.Edges[2].Share = ptr(1.5) },
			[]string{`small.json: edges[2].share: must be between 0 and 1, got 1.5`}},
		{"ShareRequired", func(ds *graph.Dataset) { ds.Edges[2].Share = nil },
			[]string{`small.json: edges[2].share: is required for an owns edge`}},
		{"OwnersSumAboveOne", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Owns, From: "state:JP", To: "refinery:sep-cn", Share: ptr(0.45)})
		}, []string{`edges[22].share: the owners of "refinery:sep-cn" hold 1.05 in total; shares of one entity must sum to at most 1`}},
		{"OwnersWithinTolerance", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Owns, From: "state:JP", To: "refinery:sep-cn", Share: ptr(0.4005)})
		}, nil},
		{"OwnersInDifferentYears", func(ds *graph.Dataset) {
			// CN Group holds 0.6 throughout; JP 0.3 until 2009, then AusCo 0.4 from 2010: at most 1.0 in any year.
			ds.Edges = append(ds.Edges,
				graph.Edge{Kind: graph.Owns, From: "state:JP", To: "refinery:sep-cn", Share: ptr(0.3), Until: 2009},
				graph.Edge{Kind: graph.Owns, From: "firm:ausco", To: "refinery:sep-cn", Share: ptr(0.4), Since: 2010})
		}, nil},
		{"OwnersOverlapInAYear", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges,
				graph.Edge{Kind: graph.Owns, From: "state:JP", To: "refinery:sep-cn", Share: ptr(0.3), Until: 2012},
				graph.Edge{Kind: graph.Owns, From: "firm:ausco", To: "refinery:sep-cn", Share: ptr(0.4), Since: 2010})
		}, []string{`edges[23].share: the owners of "refinery:sep-cn" hold 1.3 in total in 2010; shares of one entity must sum to at most 1`}},
		{"NegativeVolume", func(ds *graph.Dataset) { ds.Edges[10].VolumeTPA = ptr(-1) },
			[]string{`small.json: edges[10].volume_tpa: must be a finite number ≥ 0, got -1`}},
		{"CommodityRequired", func(ds *graph.Dataset) { ds.Edges[10].Commodity = "" },
			[]string{`small.json: edges[10].commodity: is required for a supplies edge`}},
		{"UnknownEdgeCommodity", func(ds *graph.Dataset) { ds.Edges[10].Commodity = "cobalt" },
			[]string{`small.json: edges[10].commodity: unknown commodity "cobalt"`}},
		{"DuplicateEdge", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Supplies, From: "mine:alpha", To: "refinery:sep-cn", Commodity: "re-concentrate", Since: 2020})
		}, []string{`edges[22].since: duplicates edges[10] (same kind, ends and commodity in overlapping years)`}},
		{"DuplicateEdgeUnknownEnds", func(ds *graph.Dataset) {
			// The same unknown end twice is a duplicate; two different unknown ends are not.
			ds.Edges = append(ds.Edges,
				graph.Edge{Kind: graph.Supplies, From: "mine:ghost", To: "refinery:sep-cn", Commodity: "re-concentrate"},
				graph.Edge{Kind: graph.Supplies, From: "mine:ghost", To: "refinery:sep-cn", Commodity: "re-concentrate"},
				graph.Edge{Kind: graph.Supplies, From: "mine:phantom", To: "refinery:sep-cn", Commodity: "re-concentrate"})
		}, []string{`edges[22].from: unknown node "mine:ghost"`, `edges[23].from: unknown node "mine:ghost"`,
			`edges[23].since: duplicates edges[22] (same kind, ends and commodity in overlapping years)`,
			`edges[24].from: unknown node "mine:phantom"`}},
		{"VolumeYearOutsideEdge", func(ds *graph.Dataset) { ds.Edges[11].VolumeByYear = graph.Series{2010: 5, 2018: -2} },
			[]string{`small.json: edges[11].volume_by_year: year 2010 is outside the record's years 2018–…`,
				`small.json: edges[11].volume_by_year: 2018: must be a finite number ≥ 0, got -2`}},
		{"VolumeOnOwns", func(ds *graph.Dataset) {
			ds.Edges[1].VolumeByYear, ds.Edges[1].VolumeBasis = graph.Series{2020: 1}, "reported"
		},
			[]string{`small.json: edges[1].volume_by_year: a owns edge has no volume`, `small.json: edges[1].volume_basis: a owns edge has no volume`}},
		{"UnknownVolumeBasis", func(ds *graph.Dataset) { ds.Edges[10].VolumeBasis = "nameplate" },
			[]string{`small.json: edges[10].volume_basis: unknown basis "nameplate" (want reported, estimate, contract)`}},
		{"CapacityBasisWithoutCapacity", func(ds *graph.Dataset) {
			node(ds, "mine:alpha").CapacityBasis = map[string]graph.Basis{"ndpr-oxide": "quota", "re-concentrate": "reported"}
		}, []string{`small.json: nodes[5].capacity_basis.ndpr-oxide: has no capacity to qualify`,
			`small.json: nodes[5].capacity_basis.re-concentrate: unknown basis "reported" (want nameplate, target, quota, estimate)`}},
		{"OutputOfAFirm", func(ds *graph.Dataset) { node(ds, "firm:ausco").Output = map[string]graph.Series{"gallium": {2020: 1}} },
			[]string{`small.json: nodes[14].output: only mines and refineries have an output`}},
		{"OutputBeforeOpening", func(ds *graph.Dataset) { node(ds, "mine:beta").Output = map[string]graph.Series{"cobalt": {2005: 10}} },
			[]string{`small.json: nodes[6].output.cobalt: unknown commodity "cobalt"`,
				`small.json: nodes[6].output.cobalt: year 2005 is outside the record's years 2011–…`}},
		{"OutputBasisWithoutOutput", func(ds *graph.Dataset) {
			node(ds, "mine:beta").OutputBasis = map[string]graph.Basis{"re-concentrate": "estimate"}
		},
			[]string{`small.json: nodes[6].output_basis.re-concentrate: has no output to qualify`}},
		{"ReservedExtraPrefix", func(ds *graph.Dataset) { node(ds, "mine:beta").Extra = map[string]any{"out_x_2020": 1.0} },
			[]string{`small.json: nodes[6].extra.out_x_2020: key is reserved for a node field`}},
		{"BadFamilyFactorAndPrices", func(ds *graph.Dataset) {
			ds.Commodities[0].FamilyFactor = -1
			ds.Commodities[0].PriceUSDPerT = graph.Series{1700: 5}
		}, []string{`small.json: commodities[0].family_factor: must be a finite number > 0, got -1`,
			`small.json: commodities[0].price_usd_per_t: year 1700 is outside 1800..2100`,
			`small.json: commodities[0].price_source: is required with prices`}},
		{"DuplicateDeal", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Finances, From: "firm:jp-agency", To: "firm:ausco", Instrument: graph.Equity, Since: 2011})
		}, []string{`edges[22].instrument: duplicates edges[17] (a deal of the same instrument, ends and year)`}},
		{"LoanAndEquityOfOneYear", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Finances, From: "firm:jp-agency", To: "firm:ausco", Instrument: graph.Loan, Since: 2011})
		}, nil},
		{"BadDeal", func(ds *graph.Dataset) {
			ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Finances, From: "firm:jp-agency", To: "firm:ausco", Instrument: "bond", Amount: ptr(5), Currency: "XYZ"})
		}, []string{`edges[22].instrument: unknown instrument "bond" (want loan, equity, grant, guarantee, prepayment)`,
			`edges[22].currency: unknown currency "XYZ" (want USD, EUR, JPY, AUD, CAD, GBP, KRW, CNY, INR, NOK, SEK)`,
			`edges[22].since: a finances edge needs the deal's year`}},
		{"BadControl", func(ds *graph.Dataset) { ds.Edges[16].Control, ds.Edges[16].PassShare = graph.Ban, ptr(0.5) },
			[]string{`small.json: edges[16].pass_share: a ban lets nothing pass; got 0.5`}},
		{"MemberOfAFirm", func(ds *graph.Dataset) { ds.Edges[19].To = "firm:ausco" },
			[]string{`small.json: edges[19].to: a member edge cannot end at a firm (allowed: coalition)`}},
		{"EveryProblemReported", func(ds *graph.Dataset) {
			node(ds, "mine:beta").State = "XX"
			ds.Edges[2].Share = ptr(2)
			ds.Edges[10].VolumeTPA = ptr(-3)
		}, []string{
			`small.json: nodes[6].state: "XX" is not an ISO 3166-1 alpha-2 code`,
			`small.json: edges[2].share: must be between 0 and 1, got 2`,
			`small.json: edges[10].volume_tpa: must be a finite number ≥ 0, got -3`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture.Small(t)
			tc.mutate(ds)
			got := problemsOf(t, ds)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestValidateTextSpaces: free text with spaces at its start or end is refused: a CSV cell drops
// them, so the JSON and the CSV of one dataset would differ (found by FuzzDecodeJSON).
func TestValidateTextSpaces(t *testing.T) {
	ds := fixture.Small(t)
	ds.Commodities[0].Name = " Rare-earth concentrate"
	ds.Nodes[5].Name = "Alpha\t"
	ds.Edges[0].Note = "owned since 2001 "
	_, err := graph.NewNetwork(ds)
	var ge *graph.Error
	if !errors.As(err, &ge) || len(ge.Problems) != 3 {
		t.Fatalf("got %v", err)
	}
	for i, field := range []string{"name", "name", "note"} {
		if p := ge.Problems[i]; p.Field != field || !strings.Contains(p.Message, "begins or ends with spaces") {
			t.Errorf("problem %d: %+v", i, p)
		}
	}
}
