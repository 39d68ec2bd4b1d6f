package graph

import (
	"cmp"
	"slices"
	"strings"
)

// Attribution kinds: what an origin group is.
const (
	GroupPartner   = "partner"   // a state other than the supplier, by location of its facilities
	GroupFinancier = "financier" // the projects a financier's deals reached
	GroupRecycling = "recycling" // every recycling plant
)

// Attribution sets a consumer's dependency on a supplier in a year against a base year, and
// ranks the origin groups by how much of the change they account for.
type Attribution struct {
	Query
	Supplier         string  `json:"supplier"`
	Base             int     `json:"base"`
	Year             int     `json:"year"`
	BaseDependency   float64 `json:"base_dependency"`
	Dependency       float64 `json:"dependency"`
	Change           float64 `json:"change"`
	BaseUnattributed float64 `json:"base_unattributed"`
	Unattributed     float64 `json:"unattributed"`
	// Groups, most reduction first. Groups overlap (a route can pass through a partner state and
	// a financed project), so their points need not add up to the change.
	Groups []AttributedGroup `json:"groups"`
}

// AttributedGroup is one origin group: the share of the consumer's supply that passed through
// it and never through the supplier, in the base year and in the year, and the points of
// dependency that change stands for (Points = −(Share − BaseShare): negative lowers dependency).
type AttributedGroup struct {
	Kind      string  `json:"kind"`
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	BaseShare float64 `json:"base_share"`
	Share     float64 `json:"share"`
	SupplyTPA float64 `json:"supply_tpa"`
	Points    float64 `json:"points"`
}

// AttributionOf compares the consumer's dependency on the supplier (by location, any stage) in
// the network's year with a base year read from the whole dataset, and for each origin group —
// every other state with a facility on the consumer's supply, every financier, and recycling —
// the share of supply that passed through the group and not through the supplier.
// Errors: EInvalid (no year, a base year out of range), ENotFound (unknown commodity, consumer,
// supplier).
func AttributionOf(net *Network, q Query, supplier string, base int) (*Attribution, error) {
	if net.year == 0 {
		return nil, Errorf(EInvalid, "attribution needs a year (as_of)")
	}
	if CheckYear("base", base) != nil {
		return nil, Errorf(EInvalid, "attribution needs a base year in %d..%d (e.g. base=2010)", MinYear, MaxYear)
	}
	out := &Attribution{Query: q, Base: base, Year: net.year, Groups: []AttributedGroup{}}
	type side struct {
		dep, unatt float64
		inbound    float64
		shares     map[[2]string]float64
		names      map[[2]string]string
	}
	measure := func(n *Network) (*side, error) {
		d, err := DependencyOf(n, q, supplier, "")
		if err != nil {
			return nil, err
		}
		out.Supplier = d.Supplier
		codes, _ := n.stateSet([]string{d.Supplier})
		fg, err := newFlowGraph(n, q)
		if err != nil {
			return nil, err
		}
		t := newTracer(fg)
		s := &side{dep: d.ByLocation.Any, unatt: d.UnattributedByLocation.Any, inbound: d.InboundTPA,
			shares: map[[2]string]float64{}, names: map[[2]string]string{}}
		supplierOwn := make([]float64, len(n.nodes))
		groups := map[[2]string][]int{} // the facilities of each group
		add := func(kind, id, name string, v int) {
			k := [2]string{kind, id}
			if groups[k] == nil {
				s.names[k] = name
			}
			groups[k] = append(groups[k], v)
		}
		for v := range n.nodes {
			nd := &n.nodes[v]
			if !nd.Kind.IsFacility() {
				continue
			}
			if codes[nd.State] {
				supplierOwn[v] = 1
			} else {
				add(GroupPartner, StateID(nd.State), nd.State, v)
			}
			if nd.Stage == Recycling {
				add(GroupRecycling, "recycling", "recycling plants", v)
			}
		}
		for i := range n.edges {
			if n.edges[i].Kind == Finances {
				f := int(n.from[i])
				for _, p := range n.projectsOf(int(n.to[i])) {
					add(GroupFinancier, n.nodes[f].ID, n.nodes[f].Name, p)
				}
			}
		}
		// Each group adds its facilities to the supplier's: only what lies downstream of them
		// is solved again, from the supplier's values, which u gets back after each group.
		uSupplier, _ := t.solve(supplierOwn)
		w := t.weights(t.entering)
		viaSupplier := t.average(uSupplier, t.entering, w)
		u := slices.Clone(uSupplier)
		for k, facilities := range groups {
			changed := t.resolve(u, supplierOwn, facilities)
			if share := t.average(u, t.entering, w) - viaSupplier; share > 1e-9 {
				s.shares[k] = share
			}
			for _, v := range changed {
				u[v] = uSupplier[v]
			}
		}
		return s, nil
	}
	now, err := measure(net)
	if err != nil {
		return nil, err
	}
	then, err := measure(net.Whole().AsOf(base))
	if err != nil {
		return nil, err
	}
	out.BaseDependency, out.Dependency, out.Change = then.dep, now.dep, round6(now.dep-then.dep)
	out.BaseUnattributed, out.Unattributed = then.unatt, now.unatt
	keys := map[[2]string]bool{}
	for k := range now.shares {
		keys[k] = true
	}
	for k := range then.shares {
		keys[k] = true
	}
	for k := range keys {
		name := now.names[k]
		if name == "" {
			name = then.names[k]
		}
		g := AttributedGroup{Kind: k[0], ID: k[1], Name: name, BaseShare: round6(then.shares[k]), Share: round6(now.shares[k]),
			SupplyTPA: round6(now.shares[k] * now.inbound)}
		g.Points = round6(then.shares[k] - now.shares[k])
		out.Groups = append(out.Groups, g)
	}
	slices.SortFunc(out.Groups, func(a, b AttributedGroup) int {
		return cmp.Or(cmp.Compare(a.Points, b.Points), strings.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}
