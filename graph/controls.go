package graph

import (
	"slices"
	"strings"
)

// ExportControl is a measure a scenario adds to those of the dataset: an exporting state's
// control on one commodity (a product or a family) to target states or coalitions (none: every
// other state).
type ExportControl struct {
	From      string   `json:"from"`
	To        []string `json:"to,omitempty"`
	Commodity string   `json:"commodity"`
	Control   Measure  `json:"control"`
	PassShare *float64 `json:"pass_share,omitempty"`
}

// AppliedControl is an export control in force that an analysis applied, with what it cut.
type AppliedControl struct {
	From      string   `json:"from"`
	To        []string `json:"to"` // target states; empty: every other state
	Commodity string   `json:"commodity"`
	Measure   string   `json:"measure,omitempty"`
	Control   Measure  `json:"control"`
	PassShare float64  `json:"pass_share"`
	// Hypothetical is set for a measure the scenario added.
	Hypothetical bool `json:"hypothetical,omitempty"`
	// Edges counts the flow edges it acts on; CutTPA is the volume it takes off those with a
	// known volume (tonnes of each edge's product).
	Edges  int     `json:"edges"`
	CutTPA float64 `json:"cut_tpa"`
}

// measure is one export control resolved for application.
type measure struct {
	applied  AppliedControl
	exporter string
	targets  map[string]bool // nil: every other state
	products map[string]bool
}

// WithControls returns the network with export controls applied to its flows: with inForce, the
// dataset's restricts edges that carry a control (the network must be cut to a year, so that
// only the measures in force remain), and the extra ones. A measure acts on every supplies and
// offtake edge of a covered product from a node located in the exporting state to a node located
// in a target state, multiplying its volume by the measure's pass share (a tariff without one: 1);
// a ban removes the edges it covers, and other measures leave edges of unknown volume unbounded.
// Transshipment through third states is not traced. licencePass, when given, overrides the pass
// share of every licence and quota. Errors: EInvalid for a bad measure or a licence or quota
// without a pass share, ENotFound for an unknown commodity, state or coalition.
func (n *Network) WithControls(inForce bool, extra []ExportControl, licencePass *float64) (*Network, []AppliedControl, error) {
	var ms []measure
	for i := range n.edges {
		e := &n.edges[i]
		if !inForce || e.Kind != Restricts || e.Control == "" {
			continue
		}
		from, to := nodeState(&n.nodes[n.from[i]]), nodeState(&n.nodes[n.to[i]])
		targets := []string{to}
		if from == to {
			targets = nil
		}
		m, err := n.resolveMeasure(ExportControl{From: from, To: targets, Commodity: e.Commodity, Control: e.Control, PassShare: e.PassShare}, licencePass)
		if err != nil {
			return nil, nil, err
		}
		m.applied.Measure = e.Measure
		ms = append(ms, m)
	}
	for _, x := range extra {
		m, err := n.resolveMeasure(x, licencePass)
		if err != nil {
			return nil, nil, err
		}
		m.applied.Hypothetical = true
		ms = append(ms, m)
	}
	edges := slices.Clone(n.edges)
	dropped := make([]bool, len(edges))
	for i := range edges {
		e := &edges[i]
		if e.Kind != Supplies && e.Kind != Offtake {
			continue
		}
		from, to := n.nodes[n.from[i]].State, n.nodes[n.to[i]].State
		for k := range ms {
			m := &ms[k]
			if from != m.exporter || to == from || m.targets != nil && !m.targets[to] || !m.products[e.Commodity] {
				continue
			}
			m.applied.Edges++
			if e.VolumeTPA != nil {
				v := *e.VolumeTPA * m.applied.PassShare
				m.applied.CutTPA += *e.VolumeTPA - v
				e.VolumeTPA = &v
			}
			dropped[i] = dropped[i] || m.applied.PassShare == 0
		}
	}
	kept := edges[:0]
	for i := range edges {
		if !dropped[i] {
			kept = append(kept, edges[i])
		}
	}
	out := build(n.commodities, n.nodes, kept, n.ends(dropped))
	out.year, out.whole = n.year, n.Whole()
	applied := make([]AppliedControl, len(ms))
	for i := range ms {
		ms[i].applied.CutTPA = round6(ms[i].applied.CutTPA)
		applied[i] = ms[i].applied
	}
	return out, applied, nil
}

func (n *Network) resolveMeasure(x ExportControl, licencePass *float64) (measure, error) {
	from := strings.TrimPrefix(x.From, "state:")
	if !IsStateCode(from) {
		return measure{}, Errorf(EInvalid, "export control from %q: want the exporting state (e.g. CN)", x.From)
	}
	if !slices.Contains(Measures(), x.Control) {
		return measure{}, Errorf(EInvalid, "unknown control %q (want %s)", x.Control, joinNames(Measures()))
	}
	products, err := n.CommoditySet(x.Commodity)
	if err != nil || x.Commodity == "" {
		return measure{}, Errorf(ENotFound, "export control on unknown commodity %q: give a family (%s) or a product id", x.Commodity, strings.Join(n.Families(), ", "))
	}
	m := measure{exporter: from, products: products,
		applied: AppliedControl{From: StateID(from), To: []string{}, Commodity: x.Commodity, Control: x.Control}}
	if len(x.To) > 0 {
		if m.targets, err = n.stateSet(x.To); err != nil {
			return measure{}, err
		}
		for _, c := range sortedKeys(m.targets) {
			m.applied.To = append(m.applied.To, StateID(c))
		}
	}
	pass := x.PassShare
	if licencePass != nil && (x.Control == Licence || x.Control == QuotaOn) {
		pass = licencePass
	}
	switch {
	case x.Control == Ban:
		m.applied.PassShare = 0
	case pass != nil && *pass >= 0 && *pass <= 1:
		m.applied.PassShare = *pass
	case pass != nil:
		return measure{}, Errorf(EInvalid, "pass share must be between 0 and 1, got %v", *pass)
	case x.Control == Tariff:
		m.applied.PassShare = 1
	default:
		return measure{}, Errorf(EInvalid, "the %s of %s on %s has no pass share: give the share assumed to pass (pass_share)", x.Control, m.applied.From, x.Commodity)
	}
	return m, nil
}
