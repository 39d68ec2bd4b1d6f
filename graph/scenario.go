package graph

import (
	"encoding/json"
	"maps"
	"math"
	"regexp"
	"slices"
)

// Scenario is a what-if: remove what an embargo or a closure removes, and compare with the
// baseline. It is a JSON document that can be saved under a name and run again.
type Scenario struct {
	Name      string  `json:"name,omitempty"`
	Commodity string  `json:"commodity"`
	Consumer  string  `json:"consumer"`
	Supplier  string  `json:"supplier,omitempty"` // state whose share of supply is reported
	AsOf      int     `json:"as_of,omitempty"`
	Remove    Removal `json:"remove"`
	Routes    int     `json:"routes,omitempty"` // k alternative routes to list; default 5
	Top       int     `json:"top,omitempty"`    // chokepoints to list; default 10
	// ApplyControls applies the dataset's export controls in force, to baseline and outcome;
	// Controls adds hypothetical ones to the outcome; LicencePass overrides the pass share of
	// every licence and quota.
	ApplyControls bool            `json:"apply_controls,omitempty"`
	Controls      []ExportControl `json:"controls,omitempty"`
	LicencePass   *float64        `json:"licence_pass,omitempty"`
	// RecyclingScale multiplies the capacity, output and shipments of every recycling plant in
	// the outcome (2: recycling doubled).
	RecyclingScale *float64 `json:"recycling_scale,omitempty"`
}

// StockCover is a stockpile of the consumer's (held by one of its firms or its state) and how
// long it lasts under the scenario's cut: tonnes over the max supply lost per day, or days of
// consumption over the share of supply lost. DaysCovered is null when nothing is lost.
type StockCover struct {
	Holder      NodeRef  `json:"holder"`
	Commodity   string   `json:"commodity"`
	Tonnes      *float64 `json:"stock_t,omitempty"`
	Days        *float64 `json:"stock_days,omitempty"`
	DaysCovered *float64 `json:"days_covered"`
}

// Removal is what a scenario takes out of the network. States may be ISO codes, state ids or
// coalitions; the Only lists keep nothing outside them (friend-shoring).
type Removal struct {
	StatesByLocation     []string       `json:"states_by_location,omitempty"`
	StatesByControl      []string       `json:"states_by_control,omitempty"`
	OnlyStatesByLocation []string       `json:"only_states_by_location,omitempty"`
	OnlyStatesByControl  []string       `json:"only_states_by_control,omitempty"`
	Nodes                []string       `json:"nodes,omitempty"`
	Edges                []EdgeSelector `json:"edges,omitempty"`
}

// EdgeSelector matches edges; empty fields match anything, but from or to must be given.
type EdgeSelector struct {
	Kind      EdgeKind `json:"kind,omitempty"`
	From      string   `json:"from,omitempty"`
	To        string   `json:"to,omitempty"`
	Commodity string   `json:"commodity,omitempty"`
}

// Outcome is what a network gives the consumer.
type Outcome struct {
	MaxSupply   Amount      `json:"max_supply"`
	Dependency  *Dependency `json:"dependency,omitempty"`
	Chokepoints []Ranked    `json:"chokepoints"`
	Routes      []Route     `json:"routes"`
}

// ScenarioResult sets the baseline against the scenario.
type ScenarioResult struct {
	Scenario     Scenario `json:"scenario"`
	RemovedNodes []string `json:"removed_nodes"`
	RemovedEdges int      `json:"removed_edges"`
	// Controls are the export controls applied to the outcome (in force and hypothetical).
	Controls []AppliedControl `json:"controls_applied,omitempty"`
	Baseline Outcome          `json:"baseline"`
	Outcome  Outcome          `json:"outcome"`
	// SupplyLost is the share of the baseline max supply the scenario removes (null if unbounded).
	SupplyLost *float64 `json:"supply_lost"`
	// Stocks are the consumer's stockpiles of the commodity in the year, with their cover.
	Stocks []StockCover `json:"stocks"`
}

var scenarioNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidName reports whether name can name a saved scenario: 1–64 of a-z, 0-9, '-' and '_'.
func ValidName(name string) bool { return scenarioNameRE.MatchString(name) }

// RunScenario cuts the network to the scenario's year (when given), applies the export controls
// in force when asked (to baseline and outcome), removes what the scenario removes (a node
// removed by state keeps the state node itself; removal by control uses the controlling states of
// the baseline), applies its hypothetical export controls to the outcome, and reports max supply, dependency on the supplier, the
// top flow chokepoints and the alternative routes, baseline against scenario.
// Errors: EInvalid, ENotFound.
func RunScenario(net *Network, sc Scenario) (*ScenarioResult, error) {
	run, err := RunScenarioNetworks(net, sc)
	if err != nil {
		return nil, err
	}
	return run.Result, nil
}

// ScenarioRun is a scenario's result with the two networks it compares: what a picture of the
// scenario draws.
type ScenarioRun struct {
	Result *ScenarioResult
	// Baseline is the network of the baseline (cut to the year, export controls in force applied
	// when asked); Outcome is it less the removal, with the scenario's changes applied.
	Baseline, Outcome *Network
}

// RunScenarioNetworks runs a scenario as RunScenario does and returns the networks with the
// result. Errors: EInvalid, ENotFound.
func RunScenarioNetworks(net *Network, sc Scenario) (*ScenarioRun, error) {
	if sc.Name != "" && !ValidName(sc.Name) {
		return nil, Errorf(EInvalid, "scenario name %q: use 1-64 of a-z, 0-9, '-' and '_'", sc.Name)
	}
	if sc.AsOf != 0 {
		if err := CheckYear("as_of", sc.AsOf); err != nil {
			return nil, err
		}
		net = net.AsOf(sc.AsOf)
	}
	if sc.Routes == 0 {
		sc.Routes = DefaultRoutes
	}
	if sc.Top == 0 {
		sc.Top = 10
	}
	if sc.Routes < 0 || sc.Routes > MaxRoutes || sc.Top < 0 || sc.Top > MaxTop {
		return nil, Errorf(EInvalid, "routes must be 1..%d and top 1..%d", MaxRoutes, MaxTop)
	}
	if _, err := net.consumerMembers(sc.Consumer); err != nil {
		return nil, err // only the scenario's cut may remove the consumer
	}
	var inForce []AppliedControl
	if sc.ApplyControls {
		var err error
		if net, inForce, err = net.WithControls(true, nil, sc.LicencePass); err != nil {
			return nil, err
		}
	}
	cut, removedNodes, removedEdges, err := net.without(sc.Remove)
	if err != nil {
		return nil, err
	}
	res := &ScenarioResult{Scenario: sc, RemovedNodes: removedNodes, RemovedEdges: removedEdges, Controls: inForce}
	if k := sc.RecyclingScale; k != nil {
		if !(*k >= 0 && *k <= 1000) {
			return nil, Errorf(EInvalid, "recycling_scale must be between 0 and 1000, got %v", *k)
		}
		cut = cut.scaleRecycling(*k)
	}
	if len(sc.Controls) > 0 {
		var added []AppliedControl
		if cut, added, err = cut.WithControls(false, sc.Controls, sc.LicencePass); err != nil {
			return nil, err
		}
		res.Controls = append(res.Controls, added...)
	}
	if res.Baseline, err = outcome(net, sc); err != nil {
		return nil, err
	}
	if res.Outcome, err = outcome(cut, sc); err != nil {
		return nil, err
	}
	b, o := float64(res.Baseline.MaxSupply), float64(res.Outcome.MaxSupply)
	if b > 0 && !math.IsInf(b, 0) && !math.IsInf(o, 0) {
		lost := round6((b - o) / b)
		res.SupplyLost = &lost
	}
	if res.Stocks, err = net.stockCover(sc, b, o); err != nil {
		return nil, err
	}
	return &ScenarioRun{Result: res, Baseline: net, Outcome: cut}, nil
}

// stockCover lists the consumer's stockpiles of the commodity in the network's year and how long
// each lasts when the max supply falls from base to left (t/yr in the selection's unit).
func (n *Network) stockCover(sc Scenario, base, left float64) ([]StockCover, error) {
	out := []StockCover{}
	lost := base - left
	if math.IsInf(base, 0) || math.IsInf(left, 0) || math.IsNaN(lost) {
		lost = 0
	}
	set, err := n.CommoditySet(sc.Commodity)
	if err != nil {
		return nil, err
	}
	members, err := n.consumerMembers(sc.Consumer)
	if err != nil {
		return out, nil // the consumer itself was removed
	}
	states := map[string]bool{}
	holder := map[int]bool{}
	for _, m := range members {
		holder[m] = true
		states[n.nodes[m].State] = true
	}
	for i := range n.nodes {
		nd := &n.nodes[i]
		if nd.Kind == State && states[nodeState(nd)] || holder[i] && nd.Kind == Firm {
			for _, p := range sortedKeys(set) {
				c := StockCover{Holder: n.Ref(i), Commodity: p}
				if v, ok := nd.Stock[p][n.year]; ok {
					c.Tonnes = &v
					if lost > 0 {
						days := round6(v * n.unit(sc.Commodity, p) / lost * 365)
						c.DaysCovered = &days
					}
				}
				if v, ok := nd.StockDays[p][n.year]; ok {
					c.Days = &v
					if c.DaysCovered == nil && lost > 0 {
						days := round6(v * base / lost)
						c.DaysCovered = &days
					}
				}
				if c.Tonnes != nil || c.Days != nil {
					out = append(out, c)
				}
			}
		}
	}
	return out, nil
}

// scaleRecycling multiplies the capacities, outputs and shipments of the recycling plants by k.
func (n *Network) scaleRecycling(k float64) *Network {
	nodes := slices.Clone(n.nodes)
	recycling := make([]bool, len(nodes))
	for i := range nodes {
		nd := &nodes[i]
		if nd.Stage != Recycling {
			continue
		}
		recycling[i] = true
		nd.Capacity = maps.Clone(nd.Capacity)
		for p := range nd.Capacity {
			nd.Capacity[p] *= k
		}
		nd.Output = maps.Clone(nd.Output)
		for p, series := range nd.Output {
			if v, ok := series[n.year]; ok {
				nd.Output[p] = Series{n.year: v * k}
			}
		}
	}
	edges := slices.Clone(n.edges)
	for i := range edges {
		if e := &edges[i]; recycling[n.from[i]] && e.VolumeTPA != nil && (e.Kind == Supplies || e.Kind == Offtake) {
			v := *e.VolumeTPA * k
			e.VolumeTPA = &v
		}
	}
	out := build(n.commodities, nodes, edges, n.ends(nil))
	out.year, out.whole = n.year, n.Whole()
	return out
}

func outcome(net *Network, sc Scenario) (Outcome, error) {
	q := Query{Commodity: sc.Commodity, Consumer: sc.Consumer}
	if _, err := net.consumerMembers(sc.Consumer); err != nil && ErrorCode(err) == ENotFound {
		// The consumer itself was removed: nothing reaches it.
		return Outcome{Chokepoints: []Ranked{}, Routes: []Route{}}, nil
	}
	chk, err := FindChokepoints(net, q, MethodFlow, sc.Top)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{MaxSupply: chk.MaxSupply, Chokepoints: chk.Nodes}
	if sc.Supplier != "" {
		if out.Dependency, err = DependencyOf(net, q, sc.Supplier, WeightVolume); err != nil {
			return Outcome{}, err
		}
	}
	routes, err := AlternativeRoutes(net, RouteQuery{Query: q, K: sc.Routes})
	if err != nil {
		return Outcome{}, err
	}
	out.Routes = routes.Routes
	return out, nil
}

// without returns the network less the removal, the ids of the nodes removed and the number of
// edges removed. Errors: EInvalid for a bad state or selector, ENotFound for unknown ids.
func (n *Network) without(r Removal) (*Network, []string, int, error) {
	drop, err := n.blocked(Avoid{StatesByLocation: r.StatesByLocation, StatesByControl: r.StatesByControl,
		OnlyStatesByLocation: r.OnlyStatesByLocation, OnlyStatesByControl: r.OnlyStatesByControl, Nodes: r.Nodes})
	if err != nil {
		return nil, nil, 0, err
	}
	dropEdge := make([]bool, len(n.edges))
	for k, sel := range r.Edges {
		if sel.From == "" && sel.To == "" {
			return nil, nil, 0, Errorf(EInvalid, "an edge to remove needs from or to")
		}
		matched := false
		for i := range n.edges {
			e := &n.edges[i]
			if (sel.Kind == "" || e.Kind == sel.Kind) && (sel.From == "" || e.From == sel.From) &&
				(sel.To == "" || e.To == sel.To) && (sel.Commodity == "" || e.Commodity == sel.Commodity) {
				dropEdge[i], matched = true, true
			}
		}
		if !matched {
			doc, _ := json.Marshal(sel)
			return nil, nil, 0, Errorf(ENotFound, "no edge matches remove.edges[%d] %s", k, doc)
		}
	}
	var nodes []Node
	removed := []string{}
	keep := make([]bool, len(n.nodes))
	for i := range n.nodes {
		if drop[i] {
			removed = append(removed, n.nodes[i].ID)
		} else {
			keep[i] = true
			nodes = append(nodes, n.nodes[i])
		}
	}
	place := keptPlaces(keep)
	var edges []Edge
	var ends [][2]int32
	for i := range n.edges {
		if !dropEdge[i] && keep[n.from[i]] && keep[n.to[i]] {
			edges = append(edges, n.edges[i])
			ends = append(ends, [2]int32{place[n.from[i]], place[n.to[i]]})
		}
	}
	slices.Sort(removed)
	out := build(n.commodities, nodes, edges, ends)
	out.year, out.whole = n.year, n.Whole()
	return out, removed, len(n.edges) - len(edges), nil
}
