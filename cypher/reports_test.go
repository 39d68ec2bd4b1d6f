package cypher_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// mustReports loads the bundled dataset into the empty test database and returns its reports.
func mustReports(t *testing.T) (*cypher.Reports, *graph.Dataset) {
	t.Helper()
	store := cyphertest.MustOpen(t)
	ds := fixture.Bundled(t)
	if _, err := store.Import(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	return cypher.NewReports(store, ""), ds
}

// run runs a report and returns its rows as maps from column to value.
func run(t *testing.T, r *cypher.Reports, name string, args map[string]any) []map[string]any {
	t.Helper()
	res, err := r.Run(context.Background(), name, args, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rows := make([]map[string]any, len(res.Rows))
	for i, row := range res.Rows {
		rows[i] = map[string]any{}
		for j, c := range res.Columns {
			rows[i][c] = row[j]
		}
	}
	return rows
}

// find returns the rows whose column has the value.
func find(rows []map[string]any, column string, value any) []map[string]any {
	var out []map[string]any
	for _, r := range rows {
		if r[column] == value {
			out = append(out, r)
		}
	}
	return out
}

func num(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// family returns the products of a commodity family in the dataset.
func family(ds *graph.Dataset, name string) map[string]graph.Stage {
	out := map[string]graph.Stage{}
	for _, c := range ds.Commodities {
		if c.Family == name {
			out[c.ID] = c.Stage
		}
	}
	return out
}

func nodesByID(ds *graph.Dataset) map[string]*graph.Node {
	out := map[string]*graph.Node{}
	for i := range ds.Nodes {
		out[ds.Nodes[i].ID] = &ds.Nodes[i]
	}
	return out
}

// volumeIn returns an edge's volume in a year: that year's entry of volume_by_year, else
// volume_tpa; nil when neither is known.
func volumeIn(e *graph.Edge, year int) *float64 {
	if v, ok := e.VolumeByYear[year]; ok {
		return &v
	}
	return e.VolumeTPA
}

// active reports whether a node is in service in a year as the analyses count it (graph.Active).
func active(n *graph.Node, year int) bool { return graph.Active(n.Since, n.Until, n.Status, year) }

// covered returns the products a restricts edge's commodity covers: the product, or every product
// of the family it names.
func covered(ds *graph.Dataset, commodity string) map[string]bool {
	out := map[string]bool{}
	for _, c := range ds.Commodities {
		if c.ID == commodity || c.Family == commodity {
			out[c.ID] = true
		}
	}
	return out
}

// stateShares computes, independently of Cypher, the effective share of a state in every entity
// it owns through chains of owns edges (at most eight) in service in year.
func stateShares(ds *graph.Dataset, state string, year int) map[string]float64 {
	nodes := nodesByID(ds)
	out := map[string]float64{}
	var walk func(id string, share float64, depth int)
	walk = func(id string, share float64, depth int) {
		if depth == 8 {
			return
		}
		for _, e := range ds.Edges {
			to := nodes[e.To]
			if e.Kind == graph.Owns && e.From == id && graph.ExistsIn(e.Since, e.Until, year) && graph.ExistsIn(to.Since, to.Until, year) {
				out[e.To] += share * *e.Share
				walk(e.To, share**e.Share, depth+1)
			}
		}
	}
	walk(graph.StateID(state), 1, 0)
	return out
}

func TestBuiltinReports(t *testing.T) {
	r, ds := mustReports(t)
	nodes := nodesByID(ds)

	t.Run("AllRunWithDefaults", func(t *testing.T) {
		reports, err := r.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) < 10 {
			t.Fatalf("%d built-in reports", len(reports))
		}
		for _, rep := range reports {
			if !rep.Builtin || rep.Description == "" {
				t.Errorf("%s: builtin %v, description %q", rep.Name, rep.Builtin, rep.Description)
			}
			for _, p := range rep.Params {
				if p.Description == "" {
					t.Errorf("%s: param %s has no description", rep.Name, p.Name)
				}
			}
			if rows := run(t, r, rep.Name, nil); len(rows) == 0 {
				t.Errorf("%s: no rows with the defaults", rep.Name)
			}
		}
	})

	t.Run("Concentration", func(t *testing.T) {
		rows := run(t, r, "concentration", map[string]any{"family": "rare-earths", "year": 2025})
		products := family(ds, "rare-earths")
		for product := range products {
			byState, total := map[string]float64{}, 0.0
			for _, n := range ds.Nodes {
				if c, ok := n.Capacity[product]; ok && active(&n, 2025) {
					byState[n.State] += c
					total += c
				}
			}
			got := find(rows, "commodity", product)
			if total == 0 {
				if len(got) != 0 {
					t.Errorf("%s: %v, want no row", product, got)
				}
				continue
			}
			if len(got) != 1 {
				t.Fatalf("%s: %v", product, got)
			}
			top, hhi := "", 0.0
			for s, c := range byState {
				if top == "" || c > byState[top] || (c == byState[top] && s < top) {
					top = s
				}
				hhi += math.Pow(100*c/total, 2)
			}
			row := got[0]
			if num(row["capacity_tpa"]) != total || row["top_state"] != top || !near(num(row["top_share"]), byState[top]/total, 1e-4) ||
				!near(num(row["hhi"]), hhi, 1) {
				t.Errorf("%s: %v, want total %v, top %s %.4f, hhi %.0f", product, row, total, top, byState[top]/total, hhi)
			}
		}
		// China's share of NdPr oxide separation, as data/chokepoint.json says (cap ndpr-oxide):
		// CNRE Baotou 38,700, the CREG separators 19,500 and Leshan Shenghe 5,000 against Lynas
		// Malaysia 10,500, Mountain Pass 4,000, IREL Vizag 4,000 and Ionic Belfast 10. Nolans
		// (planned, no start year) and Caremag Lacq (from 2026) are not in service in 2025.
		ndpr := find(rows, "commodity", "ndpr-oxide")[0]
		if ndpr["top_state"] != "CN" || !near(num(ndpr["top_share"]), (38700.0+19500+5000)/(38700+19500+5000+10500+4000+4000+10), 1e-4) {
			t.Errorf("ndpr-oxide: %v", ndpr)
		}
	})

	t.Run("ImportDependency", func(t *testing.T) {
		rows := run(t, r, "import-dependency", map[string]any{"consumer": "JP", "supplier": "CN", "family": "rare-earths", "year": 2024})
		products := family(ds, "rare-earths")
		// Every stage with an entering flow has a row, also when none of its flows has a volume
		// that year (counted in flows_without_volume).
		imported, fromCN, without := map[graph.Stage]float64{}, map[graph.Stage]float64{}, map[graph.Stage]int{}
		for i := range ds.Edges {
			e := &ds.Edges[i]
			src, dst := nodes[e.From], nodes[e.To]
			stage, ok := products[e.Commodity]
			if !ok || (e.Kind != graph.Supplies && e.Kind != graph.Offtake) || dst.State != "JP" || src.State == "JP" ||
				!graph.ExistsIn(e.Since, e.Until, 2024) || !active(src, 2024) || !active(dst, 2024) {
				continue
			}
			imported[stage] += 0
			v := volumeIn(e, 2024)
			if v == nil {
				without[stage]++
				continue
			}
			imported[stage] += *v
			if src.State == "CN" {
				fromCN[stage] += *v
			}
		}
		if len(rows) != len(imported) {
			t.Fatalf("%v, want stages %v", rows, imported)
		}
		for _, row := range rows {
			stage := graph.Stage(row["stage"].(string))
			if num(row["imported_tpa"]) != imported[stage] || num(row["from_supplier_tpa"]) != fromCN[stage] ||
				num(row["flows_without_volume"]) != float64(without[stage]) {
				t.Errorf("%v, want %v of %v, %d without a volume", row, fromCN[stage], imported[stage], without[stage])
			}
			if imported[stage] > 0 && !near(num(row["supplier_share"]), fromCN[stage]/imported[stage], 1e-4) || imported[stage] == 0 && row["supplier_share"] != nil {
				t.Errorf("%v, want a share of %v/%v", row, fromCN[stage], imported[stage])
			}
		}
		if rows[0]["stage"] != "separation" || num(rows[0]["supplier_share"]) < 0.5 {
			t.Errorf("Japan's separated rare earths: %v", rows[0])
		}
	})

	t.Run("SingleSupplier", func(t *testing.T) {
		rows := run(t, r, "single-supplier", map[string]any{"family": "rare-earths", "year": 2024})
		// CNRE Baotou takes all of Bayan Obo's concentrate: the edge's volume of 2024.
		var want *float64
		for i := range ds.Edges {
			if e := &ds.Edges[i]; e.Kind == graph.Supplies && e.From == "mine:bayan-obo" && e.To == "refinery:cnre-baotou" && graph.ExistsIn(e.Since, e.Until, 2024) {
				want = volumeIn(e, 2024)
			}
		}
		baotou := find(rows, "receiver", "refinery:cnre-baotou")
		if want == nil || len(baotou) != 1 || baotou[0]["supplier"] != "mine:bayan-obo" || num(baotou[0]["volume_tpa"]) != *want {
			t.Errorf("CNRE Baotou: %v, want Bayan Obo %v", baotou, want)
		}
		// The CREG separators take ionic clays from Jiangxi and from Kachin: two suppliers.
		if got := find(rows, "receiver", "refinery:creg-south-separation"); len(got) != 0 {
			t.Errorf("CREG separators: %v", got)
		}
		if got := find(rows, "receiver", "firm:tdk"); len(got) != 0 {
			t.Errorf("firms without include_firms: %v", got)
		}
		firms := run(t, r, "single-supplier", map[string]any{"family": "rare-earths", "include_firms": "true", "year": 2024})
		if got := find(firms, "receiver", "firm:tdk"); len(got) != 2 {
			t.Errorf("TDK with include_firms: %v", got)
		}
	})

	t.Run("StateControl", func(t *testing.T) {
		rows := run(t, r, "state-control", map[string]any{"state": "CN", "year": 2025})
		want := stateShares(ds, "CN", 2025)
		if len(rows) != len(want) {
			t.Errorf("%d rows, want %d: %v", len(rows), len(want), want)
		}
		for _, row := range rows {
			if !near(num(row["effective_share"]), want[row["entity"].(string)], 1e-6) {
				t.Errorf("%v, want %v", row, want[row["entity"].(string)])
			}
		}
		creg := find(rows, "entity", "firm:china-rare-earth-group")[0]
		if !near(num(creg["effective_share"]), 0.3121+0.2033+0.2033+0.039+0.039, 1e-6) || len(creg["chains"].([]any)) != 5 ||
			!slices.Contains(creg["operates"].([]any), any("refinery:creg-south-separation")) {
			t.Errorf("CREG: %v", creg)
		}
		over := run(t, r, "state-control", map[string]any{"state": "CN", "min_share": 0.5, "year": 2025})
		for _, row := range over {
			if num(row["effective_share"]) < 0.5 {
				t.Errorf("min_share 0.5: %v", row)
			}
		}
	})

	t.Run("OfftakeExposure", func(t *testing.T) {
		rows := run(t, r, "offtake-exposure", map[string]any{"state": "JP", "year": 2025})
		var want []string
		for _, e := range ds.Edges {
			if e.Kind == graph.Offtake && nodes[e.To].State == "JP" && graph.ExistsIn(e.Since, e.Until, 2025) {
				want = append(want, e.From+">"+e.To+":"+e.Commodity)
			}
		}
		var got []string
		for _, row := range rows {
			got = append(got, row["seller"].(string)+">"+row["buyer"].(string)+":"+row["commodity"].(string))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		dyTb := find(rows, "commodity", "dy-tb-oxide")
		if len(dyTb) != 1 || dyTb[0]["seller"] != "refinery:lynas-malaysia" || dyTb[0]["buyer"] != "firm:sojitz" || num(dyTb[0]["share_of_output"]) != 0.65 {
			t.Errorf("Lynas Dy/Tb to Sojitz: %v", dyTb)
		}
	})

	t.Run("ExportControls", func(t *testing.T) {
		rows := run(t, r, "export-controls", map[string]any{"state": "CN", "year": 2025})
		// A restricts edge covers a product or a whole family; one from CN to itself covers
		// exports to every other state.
		restricted, targets, all := map[string]bool{}, map[string][]any{}, map[string]bool{}
		for _, e := range ds.Edges {
			if e.Kind == graph.Restricts && e.From == "state:CN" && graph.ExistsIn(e.Since, e.Until, 2025) {
				for product := range covered(ds, e.Commodity) {
					restricted[product] = true
					if e.To == e.From {
						all[product] = true
					} else if to := strings.TrimPrefix(e.To, "state:"); !slices.Contains(targets[product], any(to)) {
						targets[product] = append(targets[product], to)
					}
				}
			}
		}
		if len(rows) != len(restricted) {
			t.Fatalf("%v, want %v", rows, restricted)
		}
		for _, row := range rows {
			product := row["commodity"].(string)
			inCN, world := 0.0, 0.0
			for _, n := range ds.Nodes {
				if c, ok := n.Capacity[product]; ok && active(&n, 2025) {
					world += c
					if n.State == "CN" {
						inCN += c
					}
				}
			}
			slices.SortFunc(targets[product], func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			if !restricted[product] || num(row["restricted_capacity_tpa"]) != inCN || num(row["world_capacity_tpa"]) != world ||
				row["all_destinations"] != all[product] || show(row["targets"]) != show(append([]any{}, targets[product]...)) {
				t.Errorf("%v, want %v of %v, targets %v, all %v", row, inCN, world, targets[product], all[product])
			}
		}
		// Magnets: MOFCOM/GAC Announcement No. 18 (2025), a licence on exports to every state.
		magnets := find(rows, "commodity", "ndfeb-magnet")[0]
		if magnets["all_destinations"] != true || len(magnets["targets"].([]any)) != 0 || !slices.Equal(magnets["controls"].([]any), []any{"licence"}) ||
			num(magnets["restricted_share"]) < 0.9 {
			t.Errorf("magnets: %v", magnets)
		}
		// Gallium: the 2023 licence on the whole family and the 2024-2025 ban on the United States.
		gallium := find(rows, "commodity", "gallium-crude")[0]
		if gallium["all_destinations"] != true || !slices.Equal(gallium["targets"].([]any), []any{"US"}) || num(gallium["min_pass_share"]) != 0 {
			t.Errorf("gallium: %v", gallium)
		}
	})

	t.Run("OwnershipChain", func(t *testing.T) {
		rows := run(t, r, "ownership-chain", map[string]any{"id": "firm:lynas"})
		if len(rows) != 2 ||
			!slices.Equal(rows[0]["chain"].([]any), []any{"state:JP", "firm:jogmec", "firm:jare", "firm:lynas"}) || !near(num(rows[0]["effective_share"]), 0.9*0.03, 1e-9) ||
			rows[1]["owner"] != "firm:sojitz" || !near(num(rows[1]["effective_share"]), 0.1*0.03, 1e-9) {
			t.Errorf("%v", rows)
		}
		// JARE was founded in 2011: no chain to Lynas in 2010.
		if rows := run(t, r, "ownership-chain", map[string]any{"id": "firm:lynas", "year": 2010}); len(rows) != 0 {
			t.Errorf("2010: %v", rows)
		}
	})

	t.Run("TopProducers", func(t *testing.T) {
		rows := run(t, r, "top-producers", map[string]any{"commodity": "ndpr-oxide", "limit": 3})
		if len(rows) != 3 || rows[0]["facility"] != "refinery:cnre-baotou" || rows[2]["facility"] != "refinery:lynas-malaysia" {
			t.Fatalf("%v", rows)
		}
		// The report's controlling states are the control analysis's (graph.ControlOf), in every
		// year: Lynas Malaysia is held by Lynas, an Australian firm of which JARE (JOGMEC and
		// Sojitz) holds 3%: AU 0.97, JP 0.03 in 2025.
		net := fixture.Network(t, ds)
		for _, year := range []int{2012, 2013, 2018, 2024, 2025} {
			for _, commodity := range []string{"ndpr-oxide", "re-concentrate", "gallium-crude"} {
				for _, row := range run(t, r, "top-producers", map[string]any{"commodity": commodity, "limit": 20, "year": year}) {
					c, err := graph.ControlOf(net.AsOf(year), row["facility"].(string))
					if err != nil {
						t.Fatal(err)
					}
					var want []any
					for _, s := range c.States {
						want = append(want, map[string]any{"state": s.State, "share": s.Share})
					}
					if got := row["controlling_states"]; fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("%d %s %s: report %v, analysis %v", year, commodity, row["facility"], got, want)
					}
				}
			}
		}
		lynas := rows[2]["controlling_states"].([]any)
		if fmt.Sprint(lynas) != "[map[share:0.97 state:AU] map[share:0.03 state:JP]]" {
			t.Errorf("Lynas Malaysia controllers %v", lynas)
		}
	})

	t.Run("ProjectsOutside", func(t *testing.T) {
		rows := run(t, r, "projects-outside", nil)
		for _, row := range rows {
			if row["located"] == "CN" || (row["status"] != "planned" && row["status"] != "construction") {
				t.Errorf("%v", row)
			}
		}
		var want []string
		for _, n := range ds.Nodes {
			if n.Kind.IsFacility() && n.State != "CN" && (n.Status == graph.Planned || n.Status == graph.Construction) {
				want = append(want, n.ID)
			}
		}
		var got []string
		for _, row := range rows {
			got = append(got, row["facility"].(string))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		// Lofdal, a pre-feasibility project, has no status in the data: not listed.
		if lofdal := find(rows, "facility", "mine:lofdal"); len(lofdal) != 0 {
			t.Errorf("Lofdal: %v", lofdal)
		}
		// Tsumeb: Sinomine has held 98% since 2024. Caremag Lacq: JOGMEC's equity of 2025.
		tsumeb := find(rows, "facility", "refinery:tsumeb-smelter")
		if len(tsumeb) != 1 || !slices.Equal(tsumeb[0]["owners"].([]any), []any{nodes["firm:sinomine"].Name + " (0.98)"}) {
			t.Errorf("Tsumeb: %v", tsumeb)
		}
		caremag := find(rows, "facility", "refinery:caremag-lacq")
		if len(caremag) != 1 || !slices.ContainsFunc(caremag[0]["financiers"].([]any), func(f any) bool {
			return strings.HasPrefix(f.(string), nodes["firm:jogmec"].Name+" (equity 2025")
		}) {
			t.Errorf("Caremag Lacq: %v", caremag)
		}
		re := run(t, r, "projects-outside", map[string]any{"family": "rare-earths", "statuses": "construction"})
		if len(re) == 0 || len(find(re, "facility", "refinery:caremag-lacq")) != 1 || len(find(re, "status", "construction")) != len(re) {
			t.Errorf("rare-earth projects under construction: %v", re)
		}
	})

	t.Run("Changes", func(t *testing.T) {
		rows := run(t, r, "changes", map[string]any{"from": 2010, "to": 2025})
		want := 0
		count := func(since, until int) {
			if since > 2010 && since <= 2025 {
				want++
			}
			if until != 0 && until >= 2010 && until < 2025 {
				want++
			}
		}
		for _, n := range ds.Nodes {
			count(n.Since, n.Until)
		}
		for _, e := range ds.Edges {
			count(e.Since, e.Until)
		}
		if len(rows) != want {
			t.Errorf("%d changes, want %d", len(rows), want)
		}
		jare := find(rows, "id", "firm:jare")
		if len(jare) != 1 || jare[0]["change"] != "started" || jare[0]["year"] != int64(2011) {
			t.Errorf("JARE: %v", jare)
		}
		// The 2010 halt: one restricts edge on the rare-earths family, in force in 2010 only.
		if got := find(find(rows, "id", "state:CN → state:JP"), "year", int64(2010)); len(got) != 1 || got[0]["change"] != "ended" ||
			!strings.HasPrefix(got[0]["detail"].(string), "rare-earths licence pass 0.83 ") {
			t.Errorf("the 2010 embargo: %v", got)
		}
		// A measure from a state to itself covers exports to every other state.
		if got := find(find(rows, "id", "state:CN → state:CN"), "year", int64(2025)); len(got) == 0 || got[0]["name"] != "China → every other state" {
			t.Errorf("China's 2025 licences: %v", got)
		}
		for i := 1; i < len(rows); i++ {
			if rows[i]["year"].(int64) < rows[i-1]["year"].(int64) {
				t.Fatalf("not by year: %v then %v", rows[i-1], rows[i])
			}
		}
	})

	t.Run("Agencies", func(t *testing.T) {
		rows := run(t, r, "agencies", map[string]any{"state": "JP"})
		jogmec := find(rows, "agency", "firm:jogmec")
		lynas := find(jogmec, "entity", "firm:lynas")
		if len(lynas) != 1 || lynas[0]["relation"] != "owns" || !near(num(lynas[0]["share"]), 0.027, 1e-9) ||
			!slices.Equal(lynas[0]["chains"].([]any), []any{"firm:jogmec → firm:jare → firm:lynas"}) {
			t.Errorf("JOGMEC and Lynas: %v", lynas)
		}
		if len(find(jogmec, "entity", "mine:lofdal")) != 1 {
			t.Errorf("JOGMEC and Lofdal: %v", jogmec)
		}
		dod := run(t, r, "agencies", map[string]any{"state": "US", "year": 2028})
		offtake := find(dod, "relation", "offtake")
		if len(offtake) != 1 || offtake[0]["entity"] != "refinery:mp-10x" || offtake[0]["commodity"] != "ndfeb-magnet" {
			t.Errorf("DoD offtake: %v", dod)
		}
	})

	t.Run("RestrictedFlows", func(t *testing.T) {
		// want returns the flows that the restricts edges in force in year reach from another
		// state to JP (a restricts edge from a state to itself reaches every other state), by
		// seller>buyer:product, with its volume in the year and the product of the pass shares of
		// the measures that carry a control (a ban: 0; a tariff without one: 1), or nil when none does.
		type flow struct{ pass, volume *float64 }
		want := func(year int) map[string]*flow {
			out := map[string]*flow{}
			for _, x := range ds.Edges {
				if x.Kind != graph.Restricts || !graph.ExistsIn(x.Since, x.Until, year) || x.From == "state:JP" || (x.To != "state:JP" && x.To != x.From) {
					continue
				}
				products := covered(ds, x.Commodity)
				for i := range ds.Edges {
					e := &ds.Edges[i]
					src, dst := nodes[e.From], nodes[e.To]
					if (e.Kind == graph.Supplies || e.Kind == graph.Offtake) && products[e.Commodity] && graph.StateID(src.State) == x.From && dst.State == "JP" &&
						graph.ExistsIn(e.Since, e.Until, year) && active(src, year) && active(dst, year) {
						key := e.From + ">" + e.To + ":" + e.Commodity
						if out[key] == nil {
							out[key] = &flow{volume: volumeIn(e, year)}
						}
						if x.Control == "" {
							continue
						}
						share := 1.0
						if x.Control == graph.Ban {
							share = 0
						} else if x.PassShare != nil {
							share = *x.PassShare
						}
						if out[key].pass != nil {
							share *= *out[key].pass
						}
						out[key].pass = &share
					}
				}
			}
			return out
		}
		check := func(year int) []map[string]any {
			rows := run(t, r, "restricted-flows", map[string]any{"target": "JP", "year": year})
			flows := want(year)
			if len(rows) != len(flows) {
				t.Errorf("%d: %d flows, want %d: %v", year, len(rows), len(flows), flows)
			}
			for _, row := range rows {
				key := row["seller"].(string) + ">" + row["buyer"].(string) + ":" + row["commodity"].(string)
				f, ok := flows[key]
				if !ok || (f.pass != nil && !near(num(row["pass_share"]), *f.pass, 1e-6)) || (f.pass == nil && row["pass_share"] != nil) ||
					(f.volume == nil) != (row["volume_tpa"] == nil) || (f.volume != nil && num(row["volume_tpa"]) != *f.volume) {
					t.Errorf("%d: %v, want it listed (%v) with pass share %v", year, row, ok, f)
				}
			}
			return rows
		}
		rows := check(2025)
		// Dy/Tb: the CREG separators' shipments to Japan under China's 2025 licence on exports
		// to every state (MOFCOM/GAC Announcement No. 18), which lets half pass.
		dyTb := find(rows, "commodity", "dy-tb-oxide")
		for _, row := range dyTb {
			if row["seller"] != "refinery:creg-south-separation" || row["restricting_state"] != "CN" || num(row["pass_share"]) != 0.5 {
				t.Errorf("%v", row)
			}
		}
		if len(dyTb) != 4 {
			t.Errorf("Dy/Tb under China's licences: %v", dyTb)
		}
		if india := find(rows, "restricting_state", "IN"); len(india) != 1 || india[0]["buyer"] != "firm:toyota-tsusho" || india[0]["pass_share"] != nil {
			t.Errorf("India's suspension: %v", india)
		}
		// 2010: the halt for Japan and the export quota, both on the whole rare-earths family,
		// reach every rare-earth flow from China: 0.83 × 0.6 passes.
		halt := check(2010)
		for _, row := range halt {
			if !near(num(row["pass_share"]), 0.83*0.6, 1e-6) || len(row["measures"].([]any)) != 2 {
				t.Errorf("2010: %v", row)
			}
		}
		if len(find(halt, "seller", "refinery:cnre-baotou"))+len(find(halt, "seller", "refinery:creg-south-separation")) != len(halt) || len(halt) == 0 {
			t.Errorf("2010: %v", halt)
		}
	})
}

// TestReadOnly checks that no report or ad-hoc query can change the data, and that each refusal
// says why.
func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sneaky.cypher"), []byte("// name: sneaky\n// title: Looks harmless\nMATCH (n:Node) SET n.name = 'x' RETURN count(n)\n"), 0o644)
	store := cyphertest.MustOpen(t)
	ds := fixture.Bundled(t)
	if _, err := store.Import(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	r := cypher.NewReports(store, dir)
	cfg := cyphertest.Config(t)
	nodes, rels := cyphertest.Count(t, cfg)
	for _, tc := range []struct{ name, query, want string }{
		{"Create", "CREATE (n:Node {id: 'x'}) RETURN n", "writes to the graph"},
		{"Merge", "MERGE (n:Node {id: 'firm:jogmec'}) ON MATCH SET n.name = 'x'", "writes to the graph"},
		{"Set", "MATCH (n:Node) SET n.name = 'x'", "writes to the graph"},
		{"Delete", "MATCH (n) DETACH DELETE n", "writes to the graph"},
		{"Remove", "MATCH (n:Firm) REMOVE n:Firm", "writes to the graph"},
		{"Foreach", "MATCH (n:Node) FOREACH (x IN [1] | SET n.x = x)", "writes to the graph"},
		{"InTransactions", "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS", "IN TRANSACTIONS is not allowed"},
		{"ReadInTransactions", "UNWIND [1, 2] AS x CALL { WITH x RETURN x AS y } IN TRANSACTIONS RETURN y", "IN TRANSACTIONS is not allowed"},
		{"WritingProcedure", "CALL db.createLabel('X')", "procedure db.createLabel is not allowed"},
		{"DbmsProcedure", "CALL dbms.listConfig() YIELD name RETURN name", "procedure dbms.listConfig is not allowed"},
		{"ReadProcedureNotAllowed", "CALL db.stats.collect('QUERIES')", "procedure db.stats.collect is not allowed"},
		{"LoadCSV", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV is not allowed"},
		{"Schema", "CREATE INDEX x FOR (n:Node) ON (n.x)", "changes the schema"},
		{"Terminate", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "administration commands"},
		{"Show", "SHOW TRANSACTIONS", "administration commands"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Query(context.Background(), tc.query, nil, 0)
			if graph.ErrorCode(err) != graph.EInvalid || !strings.Contains(graph.ErrorMessage(err), tc.want) {
				t.Fatalf("%v (%s), want EInvalid saying %q", err, graph.ErrorCode(err), tc.want)
			}
		})
	}
	t.Run("Report", func(t *testing.T) {
		if _, err := r.Run(context.Background(), "sneaky", nil, 0); graph.ErrorCode(err) != graph.EInvalid || !strings.Contains(err.Error(), "writes to the graph") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("Injection", func(t *testing.T) {
		for _, evil := range []string{"JP' }) DETACH DELETE n //", `JP"}) DETACH DELETE n //`, "JP\n MATCH (n) DETACH DELETE n"} {
			rows := run(t, r, "import-dependency", map[string]any{"consumer": evil})
			if len(rows) != 0 {
				t.Errorf("%q: %v", evil, rows)
			}
			res, err := r.Query(context.Background(), "RETURN $id AS id, COUNT { MATCH (s:State {id: $id}) } AS n", map[string]any{"id": evil}, 0)
			if err != nil || res.Rows[0][0] != evil || res.Rows[0][1] != int64(0) {
				t.Errorf("%q: %v %v", evil, res, err)
			}
		}
	})
	if n, m := cyphertest.Count(t, cfg); n != nodes || m != rels {
		t.Fatalf("the data changed: %d nodes and %d relationships, was %d and %d", n, m, nodes, rels)
	}
	res, err := r.Query(context.Background(), "MATCH (n:Node {id: 'firm:jogmec'}) RETURN n.name, n:Firm", nil, 0)
	if err != nil || res.Rows[0][0] != nodesByID(ds)["firm:jogmec"].Name || res.Rows[0][1] != true {
		t.Fatalf("JOGMEC changed: %v %v", res, err)
	}
}

func TestLimits(t *testing.T) {
	r := cypher.NewReports(cyphertest.MustOpen(t), "")
	ctx := context.Background()

	t.Run("Timeout", func(t *testing.T) {
		r.Timeout = time.Second
		defer func() { r.Timeout = 0 }()
		for _, q := range []string{
			"UNWIND range(1, 1000000000) AS x WITH x WHERE x = -1 RETURN count(*)",
			"UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b UNWIND range(1, 3000) AS c RETURN count(*)",
		} {
			_, err := r.Query(ctx, q, nil, 0)
			if graph.ErrorCode(err) != graph.ETimeout || !strings.Contains(err.Error(), "time limit of 1s") {
				t.Fatalf("%v (%s)", err, graph.ErrorCode(err))
			}
		}
	})

	t.Run("Rows", func(t *testing.T) {
		r.MaxRows = 10
		defer func() { r.MaxRows = 0 }()
		for _, tc := range []struct {
			query     string
			maxRows   int
			rows      int
			truncated bool
		}{
			{"UNWIND range(1, 100000000) AS x RETURN x", 0, 10, true},
			{"UNWIND range(1, 100) AS x RETURN x", 5, 5, true},
			{"UNWIND range(1, 100) AS x RETURN x", 50, 10, true}, // a run cannot raise the limit
			{"UNWIND range(1, 10) AS x RETURN x", 0, 10, false},
			{"UNWIND [] AS x RETURN x", 0, 0, false},
		} {
			res, err := r.Query(ctx, tc.query, nil, tc.maxRows)
			if err != nil || res.RowCount != tc.rows || len(res.Rows) != tc.rows || res.Truncated != tc.truncated ||
				(tc.rows > 0 && res.Rows[tc.rows-1][0] != int64(tc.rows)) {
				t.Errorf("%s max %d: %+v %v", tc.query, tc.maxRows, res, err)
			}
		}
		if _, err := r.Query(ctx, "RETURN 1", nil, -1); graph.ErrorCode(err) != graph.EInvalid {
			t.Errorf("max rows -1: %v", err)
		}
	})

	t.Run("QueryErrors", func(t *testing.T) {
		for _, tc := range []struct{ query, want string }{
			{"MATCH (n RETURN n", "Cypher syntax error: Invalid input 'RETURN'"},
			{"MATCH (n RETURN n", "(line 1, column 10 (offset: 9))"},
			{"MATCH (n)\nRETURN m", "(line 2, column 8 (offset: 17))"},
			{"RETURN $missing", "ParameterMissing"},
			{"RETURN 1 / 0", "/ by zero"},
			{"  ", "the query is empty"},
		} {
			_, err := r.Query(ctx, tc.query, nil, 0)
			if graph.ErrorCode(err) != graph.EInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: %v, want EInvalid with %q", tc.query, err, tc.want)
			}
		}
	})
}

// TestReportFiles checks the header format on files of a user directory, without Neo4j.
func TestReportFiles(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}

	t.Run("OK", func(t *testing.T) {
		dir := write(t, map[string]string{
			"mine.cypher": `// name: firms-of
// title: Firms of a state
// description: The firms headquartered in a state,
// description: by name.
// param: state string = "JP" -- ISO code
// param: kinds list<string> = ["company", "agency"] -- firm types
// param: limit int -- how many
// param: since year = null -- founded since
// param: min float = 0.5 -- unused threshold
// param: all bool = false -- every firm
MATCH (f:Firm {state: $state}) WHERE ($all OR f.firm_type IN $kinds) AND ($since IS NULL OR f.since >= $since) AND $min >= 0
RETURN f.id ORDER BY f.name LIMIT $limit;
`,
			"notes.txt": "not a report",
		})
		reports := cypher.NewReports(nil, dir)
		rep, err := reports.Get("firms-of")
		if err != nil {
			t.Fatal(err)
		}
		if listed, err := reports.List(); err != nil || !slices.ContainsFunc(listed, func(r *report.Report) bool { return r.Name == "firms-of" && r.Query == "" }) {
			t.Fatalf("firms-of not listed, or listed with its query: %v", err)
		}
		if rep.Builtin || rep.File != filepath.Join(dir, "mine.cypher") || rep.Title != "Firms of a state" ||
			rep.Description != "The firms headquartered in a state, by name." || strings.HasSuffix(rep.Query, ";") || !strings.HasPrefix(rep.Query, "MATCH") {
			t.Fatalf("%+v", rep)
		}
		want := []report.Param{
			{Name: "state", Type: "string", Default: "JP", Description: "ISO code"},
			{Name: "kinds", Type: "list<string>", Default: []any{"company", "agency"}, Description: "firm types"},
			{Name: "limit", Type: "int", Required: true, Description: "how many"},
			{Name: "since", Type: "year", Description: "founded since"},
			{Name: "min", Type: "float", Default: 0.5, Description: "unused threshold"},
			{Name: "all", Type: "bool", Default: false, Description: "every firm"},
		}
		for i, p := range rep.Params {
			if p.Name != want[i].Name || p.Type != want[i].Type || p.Required != want[i].Required || p.Description != want[i].Description ||
				show(p.Default) != show(want[i].Default) {
				t.Errorf("param %d: %#v, want %#v", i, p, want[i])
			}
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		dir := write(t, map[string]string{
			"a.cypher": "// name: Bad Name\n// title: A\nRETURN 1\n",
			"b.cypher": "// name: b\n// title: B\n// colour: blue\n// param: x integer = 1 -- what\n// param: y int = one\n// param: format string = \"csv\"\n// param: z int = 1 - trailing\nRETURN $x, $y, $w\n",
			"c.cypher": "MATCH (n) RETURN n\n",
			"d.cypher": "// name: concentration\n// title: Mine\nRETURN 1\n",
			"e.cypher": "// name: e\n// title: E\n// param: unused string = \"a\" -- not used\nRETURN 1\n",
			"f.cypher": "// name: e\n// title: F\n// param: a int\n// param: a int\n\n",
		})
		_, err := cypher.NewReports(nil, dir).List()
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Code != graph.EInvalid {
			t.Fatalf("%v", err)
		}
		var got []string
		for _, p := range ge.Problems {
			got = append(got, strings.TrimPrefix(p.String(), dir+string(filepath.Separator)))
		}
		want := []string{
			`a.cypher:1: name "Bad Name": want lowercase letters, digits and dashes, as in state-dependency`,
			`a.cypher:1: no "// name: NAME" line in the header (the header is the comment lines at the top of the file)`,
			`b.cypher:3: unknown key "colour": want name, title, description or param`,
			`b.cypher:4: param: x: type "integer": want one of string, int, float, bool, list<string>, year`,
			`b.cypher:5: param: y: the default must be a JSON value, such as "JP", 2024, 0.5, true, ["CN", "JP"] or null`,
			`b.cypher:6: param: name "format" is reserved (format, max_rows are options of a run)`,
			`b.cypher:7: param: z: unexpected "- trailing": want NAME TYPE [= DEFAULT] [-- DESCRIPTION]`,
			`b.cypher:8: the query uses $x, which the header does not declare`,
			`b.cypher:8: the query uses $y, which the header does not declare`,
			`b.cypher:8: the query uses $w, which the header does not declare`,
			`c.cypher:1: no "// name: NAME" line in the header (the header is the comment lines at the top of the file)`,
			`c.cypher:1: no "// title: TITLE" line in the header`,
			`d.cypher:1: report "concentration" is already defined in reports/concentration.cypher:1`,
			`e.cypher:3: param unused is declared but the query does not use $unused`,
			`f.cypher:1: report "e" is already defined in ` + filepath.Join(dir, "e.cypher") + `:1`,
			`f.cypher:4: param a is already declared on line 3`,
			`f.cypher:5: no Cypher query after the header`,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := cypher.NewReports(nil, "").Get("nope"); graph.ErrorCode(err) != graph.ENotFound {
			t.Fatalf("%v", err)
		}
		if _, err := cypher.NewReports(nil, filepath.Join(t.TempDir(), "missing")).List(); graph.ErrorCode(err) != graph.EInvalid {
			t.Fatalf("%v", err)
		}
	})
}

func TestBind(t *testing.T) {
	rep, err := cypher.NewReports(nil, "").Get("projects-outside")
	if err != nil {
		t.Fatal(err)
	}
	params, err := rep.Bind(map[string]any{"exclude": "CN, US", "statuses": []string{"planned"}})
	if err != nil || show(params) != `{"exclude":["CN","US"],"family":null,"statuses":["planned"]}` {
		t.Errorf("%s %v", show(params), err)
	}
	rep, _ = cypher.NewReports(nil, "").Get("state-control")
	for _, tc := range []struct {
		args map[string]any
		want string // the parameters as JSON, or the error
	}{
		{nil, `{"min_share":0,"state":"CN","year":2025}`},
		{map[string]any{"state": "JP", "min_share": "0.25", "year": "2011"}, `{"min_share":0.25,"state":"JP","year":2011}`},
		{map[string]any{"min_share": jsonNumber("1"), "year": 2010.0, "state": nil}, `{"min_share":1,"state":"CN","year":2010}`},
		{map[string]any{"year": 2010.5}, "bad parameters for report state-control\n  year: want an integer, got 2010.5"},
		{map[string]any{"year": "99"}, "bad parameters for report state-control\n  year: want a year from 1000 to 9999, got 99"},
		{map[string]any{"state": 5, "min_share": "x", "colour": "red"}, "bad parameters for report state-control\n" +
			"  state: want a string, got 5\n  min_share: want a number, got \"x\"\n  colour: unknown parameter (the report takes: state, min_share, year)"},
	} {
		params, err := rep.Bind(tc.args)
		got := show(params)
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%v:\n got %s\nwant %s", tc.args, got, tc.want)
		}
	}
	rep, _ = cypher.NewReports(nil, "").Get("single-supplier")
	if params, err := rep.Bind(map[string]any{"include_firms": "true"}); err != nil || params["include_firms"] != true {
		t.Errorf("%v %v", params, err)
	}
	if _, err := rep.Bind(map[string]any{"include_firms": "maybe"}); err == nil || !strings.Contains(err.Error(), "want true or false") {
		t.Errorf("%v", err)
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func jsonNumber(s string) json.Number { return json.Number(s) }
