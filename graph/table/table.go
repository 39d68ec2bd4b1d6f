package table

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// Of flattens an analysis result into a header and rows of text, numbers to six significant
// digits: an *graph.AnalysisResult, a *graph.Comparison (both years' rows, each marked with its
// year), a *graph.ScenarioResult, or the result of one analysis. ok is false for a value with no
// table (it is then one "value" cell of its default text).
func Of(v any) (header []string, rows [][]string, ok bool) {
	if cmp, isCmp := v.(*graph.Comparison); isCmp {
		header, rowsA, okA := Of(cmp.A)
		_, rowsB, okB := Of(cmp.B)
		for i, part := range [][][]string{rowsA, rowsB} {
			for _, r := range part {
				rows = append(rows, append([]string{itoa(cmp.Years[i])}, r...))
			}
		}
		return append([]string{"year"}, header...), rows, okA && okB
	}
	if ar, ok := v.(*graph.AnalysisResult); ok {
		v = ar.Result
	}
	switch r := v.(type) {
	case *graph.Supply:
		return []string{"commodity", "consumer", "max_supply_tpa", "sources", "members"},
			[][]string{{r.Commodity, r.Consumer, amount(r.MaxSupply), itoa(r.Sources), itoa(r.Members)}}, true
	case *graph.Chokepoints:
		for i, n := range r.Nodes {
			rows = append(rows, []string{"node", itoa(i + 1), n.ID, n.Name, string(n.Kind), n.State, num(n.Score), optNum(n.Share)})
		}
		for _, e := range r.Edges {
			rows = append(rows, []string{"edge", "", e.From + " -> " + e.To, string(e.Kind), "", "", optNum(e.VolumeTPA), ""})
		}
		return []string{"item", "rank", "id", "name", "kind", "state", "score", "share"}, rows, true
	case *graph.Control:
		for _, o := range r.Owners {
			rows = append(rows, []string{"owner", o.ID, o.Name, string(o.Kind), o.State, num(o.Share), strconv.FormatBool(o.Ultimate)})
		}
		for _, s := range r.States {
			rows = append(rows, []string{"state", graph.StateID(s.State), "", "state", s.State, num(s.Share), ""})
		}
		return []string{"item", "id", "name", "kind", "state", "share", "ultimate"}, rows, true
	case []graph.ControlledEntity:
		for _, c := range r {
			rows = append(rows, []string{c.ID, c.Name, string(c.Kind), c.State, c.ControllingState, num(c.Share)})
		}
		return []string{"id", "name", "kind", "state", "controlling_state", "share"}, rows, true
	case []graph.ProductConcentration:
		for _, c := range r {
			name := c.Commodity
			if c.FamilyTotal {
				name += " (total)"
			}
			for _, lens := range []struct {
				name string
				b    graph.Breakdown
			}{{"location", c.ByLocation}, {"control", c.ByControl}} {
				for _, s := range lens.b.Shares {
					rows = append(rows, []string{name, string(c.Stage), c.Basis, lens.name, s.State, num(s.Share),
						num(*lens.b.HHI), num(*lens.b.Top3), num(*lens.b.GovernanceHHI), itoa(c.Unscored.Count)})
				}
			}
			if len(c.ByLocation.Shares) == 0 {
				rows = append(rows, []string{name, string(c.Stage), c.Basis, "", "", "", "", "", "", itoa(c.Unscored.Count)})
			}
		}
		return []string{"commodity", "stage", "basis", "by", "state", "share", "hhi", "top3_share", "governance_hhi", "unscored"}, rows, true
	case *graph.Dependency:
		add := func(product string, inbound float64, by string, s graph.StageShares) {
			rows = append(rows, []string{r.Consumer, r.Supplier, product, num(inbound), by, num(s.Mining), num(s.Processing), num(s.Any)})
		}
		rows = append(rows, []string{r.Consumer, r.Supplier, "all", num(r.InboundTPA), "shipment (customs)", "", "", num(r.ByShipment)})
		add("all", r.InboundTPA, "location", r.ByLocation)
		add("all", r.InboundTPA, "control", r.ByControl)
		add("all", r.InboundTPA, "unattributed (location)", r.UnattributedByLocation)
		add("all", r.InboundTPA, "unattributed (control)", r.UnattributedByControl)
		for _, p := range r.ByProduct {
			if len(r.ByProduct) == 1 {
				break // the one product is the whole
			}
			add(p.Commodity, p.InboundTPA, "location", p.ByLocation)
			add(p.Commodity, p.InboundTPA, "control", p.ByControl)
			add(p.Commodity, p.InboundTPA, "unattributed (location)", p.UnattributedByLocation)
		}
		return []string{"consumer", "supplier", "product", "inbound_tpa", "by", "mining", "processing", "any"}, rows, true
	case *graph.Attribution:
		rows = append(rows, []string{"dependency", r.Supplier, num(r.BaseDependency), num(r.Dependency), num(r.Change)})
		rows = append(rows, []string{"unattributed", "", num(r.BaseUnattributed), num(r.Unattributed), num(r.Unattributed - r.BaseUnattributed)})
		for _, g := range r.Groups {
			rows = append(rows, []string{g.Kind, g.ID, num(g.BaseShare), num(g.Share), num(g.Points)})
		}
		return []string{"group", "id", itoa(r.Base), itoa(r.Year), "points"}, rows, true
	case *graph.Finance:
		for _, f := range r.Financiers {
			rows = append(rows, []string{f.ID, itoa(len(f.Deals)), num(f.AmountUSD), itoa(len(f.Projects)), num(f.SupplyTPA),
				num(f.SupplyShare), optNum(f.TonnesPerMillionUSD), amount(f.LossWithout), optNum(f.LossShare)})
		}
		return []string{"financier", "deals", "usd_m", "projects", "supply_tpa", "supply_share", "t_per_usd_m", "loss_without_tpa", "loss_share"}, rows, true
	case *graph.CentralityResult:
		for i, n := range r.Ranking {
			rows = append(rows, []string{itoa(i + 1), n.ID, n.Name, string(n.Kind), n.State, num(n.Score)})
		}
		return []string{"rank", "id", "name", "kind", "state", r.Metric}, rows, true
	case *graph.Trend:
		for _, p := range r.Years {
			maxSupply := optNum(p.MaxSupply)
			if p.Unbounded {
				maxSupply = "unbounded"
			}
			rows = append(rows, []string{itoa(p.Year), optNum(p.Dependency), optNum(p.ByControl), optNum(p.Unattributed),
				optNum(p.InboundTPA), maxSupply, strconv.FormatBool(p.EqualWeights)})
		}
		return []string{"year", "by_location", "by_control", "unattributed_by_location", "inbound_tpa", "max_supply_tpa", "equal_weights"}, rows, true
	case *graph.Routes:
		return []string{"route", "hops", "cost", "bottleneck_tpa", "path"}, routeRows(r.Routes), true
	case *graph.ScenarioResult:
		rows = append(rows, []string{"max_supply_tpa", amount(r.Baseline.MaxSupply), amount(r.Outcome.MaxSupply)})
		if r.Baseline.Dependency != nil {
			b, o := r.Baseline.Dependency, r.Outcome.Dependency
			rows = append(rows,
				[]string{"dependency_mining", num(b.ByLocation.Mining), num(o.ByLocation.Mining)},
				[]string{"dependency_processing", num(b.ByLocation.Processing), num(o.ByLocation.Processing)})
		}
		rows = append(rows, []string{"routes", itoa(len(r.Baseline.Routes)), itoa(len(r.Outcome.Routes))})
		for i, route := range r.Outcome.Routes {
			rows = append(rows, []string{fmt.Sprintf("route %d", i+1), "", routeRows([]graph.Route{route})[0][4]})
		}
		return []string{"measure", "baseline", "scenario"}, rows, true
	}
	return []string{"value"}, [][]string{{fmt.Sprint(v)}}, false
}

func routeRows(routes []graph.Route) [][]string {
	var rows [][]string
	for i, rt := range routes {
		ids := make([]string, len(rt.Nodes))
		for j, n := range rt.Nodes {
			ids[j] = n.ID
		}
		rows = append(rows, []string{itoa(i + 1), itoa(rt.Hops), num(rt.Cost), amount(rt.Bottleneck), strings.Join(ids, " > ")})
	}
	return rows
}

func itoa(i int) string { return strconv.Itoa(i) }

func num(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

func optNum(f *float64) string {
	if f == nil {
		return ""
	}
	return num(*f)
}

func amount(a graph.Amount) string {
	b, _ := a.MarshalJSON()
	if string(b) == "null" {
		return "unbounded"
	}
	return string(b)
}
