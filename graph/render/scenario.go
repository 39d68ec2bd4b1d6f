package render

import (
	"fmt"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// How a scenario view marks what the scenario takes away.
const (
	greyRemoved = "removed by the scenario"
	greyCutOff  = "cut off: no longer reaches the consumer"
	lostRemoved = "flow lost: edge removed or banned"
	lostCutOff  = "flow lost: cut off from the consumer"
)

// Scenario writes as DOT a scenario's baseline against its outcome, exactly as graph.RunScenario
// runs it (graph.RunScenarioNetworks): the baseline's flow part (graph.FlowPartOf on the baseline
// network), with the nodes the scenario removes greyed with a dashed outline, the nodes left but
// cut off from the consumer greyed, the edges whose flow is lost grey and labelled with the flow
// lost, an edge whose volume changed (an export control's cut, recycling scaled) labelled with its
// volume before and after, and the
// outcome's routes each in its colour. The title gives the max supply and the dependency on the
// supplier before and after; the legend explains every mark used. net is the whole network;
// sc.AsOf 0 runs it uncut. O(V + E) after the scenario.
// Errors: those of the scenario (EInvalid, ENotFound), ETooLarge (the baseline's flow part has
// more than MaxNodes nodes or MaxEdges edges).
func Scenario(net *graph.Network, sc graph.Scenario) ([]byte, error) {
	run, err := graph.RunScenarioNetworks(net, sc)
	if err != nil {
		return nil, err
	}
	res, base, out := run.Result, run.Baseline, run.Outcome
	q := graph.Query{Commodity: sc.Commodity, Consumer: sc.Consumer}
	part, err := graph.FlowPartOf(base, q)
	if err != nil {
		return nil, err
	}
	if err := checkSize("scenario view", len(part.Nodes), len(part.Edges), "choose one product instead of a family, or a single firm or facility as the consumer"); err != nil {
		return nil, err
	}
	set, _ := base.CommoditySet(sc.Commodity) // known good: the scenario resolved it
	v := &view{net: base, products: set, weighted: true, center: -1, allYears: sc.AsOf == 0,
		nodes: part.Nodes, edges: part.Edges, members: part.Members,
		greyed: map[int]string{}, lost: map[int]string{}, routes: map[int][]int{}, edgeText: map[int][]string{}}

	// What is left: the outcome's flow part, matched to the baseline by id and edge key.
	left, leftEdges := map[string]bool{}, map[edgeKey]*graph.Edge{}
	if after, err := graph.FlowPartOf(out, q); err == nil { // else the consumer itself was removed
		for _, i := range after.Nodes {
			left[out.Nodes()[i].ID] = true
		}
		for _, e := range after.Edges {
			leftEdges[keyOf(&out.Edges()[e])] = &out.Edges()[e]
		}
	}
	inOutcome := map[edgeKey]bool{}
	for e := range out.Edges() {
		inOutcome[keyOf(&out.Edges()[e])] = true
	}
	removed := map[string]bool{}
	for _, id := range res.RemovedNodes {
		removed[id] = true
	}
	for _, i := range part.Nodes {
		switch id := base.Nodes()[i].ID; {
		case removed[id]:
			v.greyed[i] = greyRemoved
		case !left[id]:
			v.greyed[i] = greyCutOff
		}
	}
	edgeIndex := map[edgeKey]int{}
	for _, e := range part.Edges {
		ed := &base.Edges()[e]
		k := keyOf(ed)
		edgeIndex[k] = e
		after, ok := leftEdges[k]
		switch {
		case !ok && !inOutcome[k]:
			v.lost[e] = lostRemoved
		case !ok:
			v.lost[e] = lostCutOff
		case ed.VolumeTPA != nil && after.VolumeTPA != nil && *after.VolumeTPA != *ed.VolumeTPA:
			// An export control's cut, or recycling scaled.
			v.edgeText[e] = []string{ed.Commodity, strings.TrimSuffix(tonnes(*ed.VolumeTPA), " t/a") + " → " + tonnes(*after.VolumeTPA)}
		}
		if v.lost[e] != "" {
			text := []string{ed.Commodity, "lost"}
			if ed.VolumeTPA != nil {
				text[1] = "lost " + tonnes(*ed.VolumeTPA)
			}
			v.edgeText[e] = text
		}
	}
	for n, rt := range res.Outcome.Routes {
		for _, ref := range rt.Edges {
			if e, ok := edgeIndex[edgeKey{ref.Kind, ref.From, ref.To, ref.Commodity}]; ok && v.lost[e] == "" {
				v.routes[e] = append(v.routes[e], n)
			}
		}
		hops := "hops"
		if rt.Hops == 1 {
			hops = "hop"
		}
		v.routeRows = append(v.routeRows, legendRow{color: routeColor(n),
			text: fmt.Sprintf("remaining route %d: %d %s, bottleneck %s", n+1, rt.Hops, hops, tonnes(float64(rt.Bottleneck)))})
	}

	when := "all years"
	if sc.AsOf != 0 {
		when = fmt.Sprintf("as of %d", sc.AsOf)
	}
	consumer := consumerName(base, sc.Consumer)
	name := "Scenario"
	if sc.Name != "" {
		name += " " + sc.Name
	}
	supply := fmt.Sprintf("max supply %s → %s", tonnes(float64(res.Baseline.MaxSupply)), tonnes(float64(res.Outcome.MaxSupply)))
	if res.SupplyLost != nil {
		supply += fmt.Sprintf(" (%s lost)", percent(*res.SupplyLost))
	}
	if b, o := res.Baseline.Dependency, res.Outcome.Dependency; b != nil {
		after := "none left"
		if o != nil {
			after = percent(o.Dependency)
		}
		supply += fmt.Sprintf("; dependency on %s %s → %s", sc.Supplier, percent(b.Dependency), after)
	}
	v.title = []string{fmt.Sprintf("%s: %s to %s, %s", name, sc.Commodity, consumer, when), supply}
	if what := scenarioChanges(res); what != "" {
		v.title = append(v.title, what)
	}
	v.cluster = "consumer: " + consumer
	if len(v.nodes) == 0 {
		v.empty = []string{v.title[0], "Nothing to show: no origin reaches the consumer in the baseline; choose another commodity, consumer or year."}
	}
	return v.dot(), nil
}

// edgeKey matches an edge of one network with the same edge of another (a scenario's outcome).
type edgeKey struct {
	kind           graph.EdgeKind
	from, to, what string
}

func keyOf(e *graph.Edge) edgeKey { return edgeKey{e.Kind, e.From, e.To, e.Commodity} }

// scenarioChanges describes what a scenario changed: the nodes and edges removed, the export
// controls applied, the recycling scaled.
func scenarioChanges(res *graph.ScenarioResult) string {
	var parts []string
	if n := len(res.RemovedNodes); n > 0 || res.RemovedEdges > 0 {
		parts = append(parts, fmt.Sprintf("removed %d nodes and %d edges", n, res.RemovedEdges))
	}
	for _, c := range res.Controls {
		to := "every state"
		if len(c.To) > 0 {
			to = strings.Join(c.To, ", ")
		}
		parts = append(parts, fmt.Sprintf("%s %s of %s to %s", c.From, c.Control, c.Commodity, to))
	}
	if k := res.Scenario.RecyclingScale; k != nil {
		parts = append(parts, fmt.Sprintf("recycling ×%g", *k))
	}
	return strings.Join(parts, "; ")
}
