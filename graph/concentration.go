package graph

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Concentration bases: what a facility's share is measured by.
const (
	BasisOutput   = "output"
	BasisCapacity = "capacity"
)

// ConcentrationBases returns a new list of the bases in a fixed order; the first is the default.
func ConcentrationBases() []string {
	return []string{BasisOutput, BasisCapacity}
}

// ProductConcentration is the concentration of one product at its stage, or, when FamilyTotal is
// set, of a whole family at a stage (Commodity is then the family, amounts in the family's unit).
type ProductConcentration struct {
	Commodity   string `json:"commodity"`
	Stage       Stage  `json:"stage"`
	FamilyTotal bool   `json:"family_total,omitempty"`
	Basis       string `json:"basis"`
	// Total is the output (in the network's year) or the capacity of the scored facilities, in
	// tonnes of the product, or of the family's unit for a family total.
	Total      float64   `json:"total_t"`
	Facilities int       `json:"facilities"`
	Unscored   Unscored  `json:"unscored"`
	ByLocation Breakdown `json:"by_location"`
	ByControl  Breakdown `json:"by_control"`
}

// Unscored lists the facilities that make a product but carry no figure on the basis asked (no
// output published for the year, or no capacity): they are in no share, and the shares are of
// the scored facilities only.
type Unscored struct {
	Count int      `json:"count"`
	IDs   []string `json:"ids"`
}

// Breakdown is an amount split by state with its concentration indices. The indices are nil
// (JSON null) when there is nothing to split — no facility has a figure on the basis asked, or
// their figures sum to zero: concentration is then unknown, not zero.
type Breakdown struct {
	Shares []StateShare `json:"shares"`
	// HHI is the Herfindahl–Hirschman index of the shares in percent: 0..10,000.
	HHI *float64 `json:"hhi"`
	// Top3 is the summed share of the three largest states.
	Top3 *float64 `json:"top3_share"`
	// GovernanceHHI is Σ s²·w over the scored states, s a share in 0..1 and w = 10·(1 − governance)
	// the state's governance risk on the EU critical-raw-materials scale (0 best, 10 worst).
	GovernanceHHI *float64 `json:"governance_hhi"`
	// UnscoredShare is the share held by states without a governance score.
	UnscoredShare *float64 `json:"unscored_share"`
}

// ConcentrationOf returns, for each product of the selection (a family or one product), the
// shares of the facilities that make it by location state and by controlling state (see
// ControlOf), the HHI, top-3 share and the governance-weighted HHI of the EU method, where states
// carry an extra "governance" score in 0..1 (1 best). A facility makes a product when it has a
// capacity or an output for it or ships it. Its amount is its output in the network's year
// (basis output, the default; the network must be cut to a year) or its capacity (basis
// capacity); a facility without that figure is listed as unscored. For a family, each stage also
// gets a family-total row (before the stage's products) summing the products in the family's
// unit. Ordered by stage, then product id. Errors: EInvalid for an unknown basis or output without
// a year, ENotFound for an unknown commodity.
func ConcentrationOf(net *Network, commodity, basis string) ([]ProductConcentration, error) {
	if basis == "" {
		basis = BasisOutput
	}
	if !slices.Contains(ConcentrationBases(), basis) {
		return nil, Errorf(EInvalid, "unknown concentration basis %q (want %s)", basis, strings.Join(ConcentrationBases(), ", "))
	}
	if basis == BasisOutput && net.year == 0 {
		return nil, Errorf(EInvalid, "concentration by output needs a year (as_of)")
	}
	set, err := net.CommoditySet(commodity)
	if err != nil {
		return nil, err
	}
	ships := map[int]map[string]bool{} // facility → products it ships
	for i := range net.edges {
		if e := &net.edges[i]; e.Kind == Supplies || e.Kind == Offtake {
			from := int(net.from[i])
			if ships[from] == nil {
				ships[from] = map[string]bool{}
			}
			ships[from][e.Commodity] = true
		}
	}
	tally := func(c *Commodity) *tallied {
		t := newTallied(c.ID, c.Stage, basis)
		for i := range net.nodes {
			nd := &net.nodes[i]
			if !nd.Kind.IsFacility() {
				continue
			}
			_, hasCap := nd.Capacity[c.ID]
			_, hasOut := nd.Output[c.ID]
			if !hasCap && !hasOut && !ships[i][c.ID] {
				continue
			}
			v, ok := nd.Capacity[c.ID]
			if basis == BasisOutput {
				v, ok = nd.Output[c.ID][net.year]
			}
			t.add(net, i, v, ok)
		}
		return t
	}
	var rows []*tallied
	family := !slices.ContainsFunc(net.commodities, func(c Commodity) bool { return c.ID == commodity })
	totals := map[[2]string]*tallied{} // by family and stage
	for i := range net.commodities {
		c := &net.commodities[i]
		if !set[c.ID] {
			continue
		}
		t := tally(c)
		if t.count == 0 && len(t.unscored) == 0 {
			continue
		}
		rows = append(rows, t)
		if family {
			k := [2]string{c.Family, string(c.Stage)}
			ft := totals[k]
			if ft == nil {
				ft = newTallied(c.Family, c.Stage, basis)
				ft.family = true
				totals[k] = ft
				rows = append(rows, ft)
			}
			ft.merge(t, c.Factor())
		}
	}
	ctrl := controlShares(net)
	gov := governanceScores(net)
	out := make([]ProductConcentration, 0, len(rows))
	for _, t := range rows {
		out = append(out, t.result(net, ctrl, gov))
	}
	slices.SortStableFunc(out, func(a, b ProductConcentration) int {
		return cmp.Or(cmp.Compare(slices.Index(Stages(), a.Stage), slices.Index(Stages(), b.Stage)),
			-cmp.Compare(boolInt(a.FamilyTotal), boolInt(b.FamilyTotal)), strings.Compare(a.Commodity, b.Commodity))
	})
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// tallied gathers one concentration row: amounts by facility, and the unscored facilities.
type tallied struct {
	commodity string
	stage     Stage
	basis     string
	family    bool
	amounts   map[int]float64 // facility → amount
	unscored  map[string]bool
	count     int
}

func newTallied(commodity string, stage Stage, basis string) *tallied {
	return &tallied{commodity: commodity, stage: stage, basis: basis, amounts: map[int]float64{}, unscored: map[string]bool{}}
}

func (t *tallied) add(net *Network, i int, v float64, ok bool) {
	if !ok {
		t.unscored[net.nodes[i].ID] = true
		return
	}
	if _, seen := t.amounts[i]; !seen {
		t.count++
	}
	t.amounts[i] += v
}

// merge adds a product's row into a family total, converting to the family's unit.
func (t *tallied) merge(p *tallied, factor float64) {
	for i, v := range p.amounts {
		if _, seen := t.amounts[i]; !seen {
			t.count++
		}
		t.amounts[i] += v * factor
	}
	for id := range p.unscored {
		t.unscored[id] = true
	}
}

func (t *tallied) result(net *Network, ctrl [][]StateShare, gov map[string]float64) ProductConcentration {
	byLoc, byCtrl := map[string]float64{}, map[string]float64{}
	total := 0.0
	facilities := make([]int, 0, len(t.amounts))
	for i := range t.amounts {
		facilities = append(facilities, i)
	}
	slices.Sort(facilities) // a fixed order of summation: results do not depend on map order
	for _, i := range facilities {
		v := t.amounts[i]
		total += v
		byLoc[net.nodes[i].State] += v
		for _, s := range ctrl[i] {
			byCtrl[s.State] += v * s.Share
		}
	}
	ids := sortedKeys(t.unscored)
	return ProductConcentration{Commodity: t.commodity, Stage: t.stage, FamilyTotal: t.family, Basis: t.basis,
		Total: round6(total), Facilities: t.count, Unscored: Unscored{Count: len(ids), IDs: ids},
		ByLocation: breakdown(byLoc, total, gov), ByControl: breakdown(byCtrl, total, gov)}
}

func breakdown(amounts map[string]float64, total float64, gov map[string]float64) Breakdown {
	shares := map[string]float64{}
	if total <= 0 {
		return Breakdown{Shares: []StateShare{}}
	}
	var list []StateShare
	for st, v := range amounts {
		shares[st] = v / total
		list = append(list, StateShare{State: st, Share: v / total})
	}
	b := Breakdown{Shares: sortedShares(list)}
	hhi, ghhi, unscored := 0.0, 0.0, 0.0
	for _, st := range sortedKeys(shares) { // a fixed order of summation
		s := shares[st]
		hhi += (100 * s) * (100 * s)
		if g, ok := gov[st]; ok {
			ghhi += s * s * 10 * (1 - g)
		} else {
			unscored += s
		}
	}
	top3 := 0.0
	for i := 0; i < len(b.Shares) && i < 3; i++ {
		top3 += b.Shares[i].Share
	}
	index := func(v float64) *float64 { v = round6(v); return &v }
	b.HHI, b.GovernanceHHI, b.UnscoredShare, b.Top3 = index(hhi), index(ghhi), index(unscored), index(top3)
	return b
}

// governanceScores reads each state's extra "governance" score in 0..1.
func governanceScores(net *Network) map[string]float64 {
	out := map[string]float64{}
	for i := range net.nodes {
		nd := &net.nodes[i]
		if g, ok := nd.Extra["governance"].(float64); ok && nd.Kind == State && g >= 0 && g <= 1 && !math.IsNaN(g) {
			out[nodeState(nd)] = g
		}
	}
	return out
}
