package graph

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// StageShares are shares of a consumer's inbound volume per value-chain stage.
type StageShares struct {
	Mining     float64 `json:"mining"`
	Processing float64 `json:"processing"`
	Any        float64 `json:"any"`
}

// Dependency is how much of a consumer's inbound volume passed through a supplier (a state, or a
// coalition: any of its member states), and how
// much of it the data cannot trace at each stage (unattributed: neither the supplier's nor known
// to be another's).
type Dependency struct {
	Query
	Supplier    string   `json:"supplier"`
	Weight      string   `json:"weight"`
	InboundTPA  float64  `json:"inbound_tpa"`
	DomesticTPA float64  `json:"domestic_tpa"`
	InboundUSD  *float64 `json:"inbound_usd,omitempty"`
	// FlowsWithoutVolume counts the flows entering the consumer with no volume in the year;
	// EqualWeights is set when none has one, so the shares weigh the flows alike, not tonnes.
	FlowsWithoutVolume     int                 `json:"flows_without_volume"`
	EqualWeights           bool                `json:"equal_weights"`
	Dependency             float64             `json:"dependency"`
	ByShipment             float64             `json:"by_shipment"`
	ByLocation             StageShares         `json:"by_location"`
	ByControl              StageShares         `json:"by_control"`
	UnattributedByLocation StageShares         `json:"unattributed_by_location"`
	UnattributedByControl  StageShares         `json:"unattributed_by_control"`
	ByProduct              []ProductDependency `json:"by_product,omitempty"`
}

// ProductDependency is the dependency of the volume that enters the consumer as one product.
type ProductDependency struct {
	Commodity              string      `json:"commodity"`
	Stage                  Stage       `json:"stage"`
	InboundTPA             float64     `json:"inbound_tpa"`
	ByLocation             StageShares `json:"by_location"`
	ByControl              StageShares `json:"by_control"`
	UnattributedByLocation StageShares `json:"unattributed_by_location"`
	UnattributedByControl  StageShares `json:"unattributed_by_control"`
}

// Dependency weights: by tonnes (in the family's unit), or by value at the year's prices.
const (
	WeightVolume = "volume"
	WeightValue  = "value"
)

// DependencyWeights returns a new list of the weights in a fixed order; the first is the default.
func DependencyWeights() []string {
	return []string{WeightVolume, WeightValue}
}

// stage lenses of the dependency trace.
const (
	lensMining = iota
	lensProcessing
	lensAny
	lensCount
)

// DependencyOf traces the consumer's inbound volume of the commodity upstream through the
// supplies and offtake edges, in proportion to their volumes, and returns the share of it that
// passed through a node of the supplier state: at a mine (mining), at a refinery (processing), or
// at either (any; also reported as dependency). The consumer's supply (InboundTPA) is what enters
// its members from outside, plus what its own mines and recycling plants ship to its other
// members (DomesticTPA). ByShipment is the share of the imports shipped straight from a node of
// the supplier state, the view of customs statistics (country of consignment), against which the
// traced shares show what passed through the state further up.
// By location a node belongs to the state it is in; by control, to its controlling states in
// proportion to their shares (see ControlOf).
//
// For each node v and lens, u(v) is the share of v's output that passed through the supplier and
// x(v) the share whose path at that stage the data cannot tell (unattributed):
//
//	u(v) = 1 − (1 − a(v))·(1 − U(v)),   x(v) = (1 − a(v))·X(v)
//
// where a(v) is v's own attribution (0 or 1 by location, the control share by control) when v is
// a facility of the lens's stage, else 0; U(v) and X(v) are the averages of u and x over v's
// inbound edges weighted by volume. With weight "value" the edges entering the consumer weigh by
// value instead (volume times the product's price in the network's year), so that a tonne of
// Dy/Tb oxide counts for what it is worth; upstream, inputs still mix by volume. A node with no
// inbound edge in the year is an origin: a mine, or a recycling plant (a secondary origin), has
// nothing upstream (U = X = 0); any other node has an unknown upstream (U = 0, X = 1), so volume
// that a refinery or trader ships without recorded inputs is unattributed, never counted as not
// the supplier's. When none of v's inbound edges has a volume they weigh alike, and edges without
// a volume beside ones with a volume weigh nothing. Solved by fixed-point iteration (exact after
// depth-many rounds on an acyclic network). The consumer's shares are the same averages over the
// edges entering its members from outside; for a family, ByProduct gives them per product
// entering. Errors: EInvalid (unknown weight, a price missing for value), ENotFound for an
// unknown commodity, consumer or supplier.
func DependencyOf(net *Network, q Query, supplier, weight string) (*Dependency, error) {
	if IsStateCode(supplier) {
		supplier = StateID(supplier)
	}
	if !(KindOfID(supplier) == State && IsStateCode(strings.TrimPrefix(supplier, "state:")) || KindOfID(supplier) == Coalition) {
		return nil, Errorf(ENotFound, "unknown supplier %q (want a state such as state:CN or a coalition)", supplier)
	}
	codes, err := net.stateSet([]string{supplier})
	if err != nil {
		return nil, err
	}
	if weight == "" {
		weight = WeightVolume
	}
	if !slices.Contains(DependencyWeights(), weight) {
		return nil, Errorf(EInvalid, "unknown dependency weight %q (want %s)", weight, strings.Join(DependencyWeights(), ", "))
	}
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	n := len(net.nodes)
	t := newTracer(fg)
	if weight == WeightValue {
		var unpriced []string
		for _, a := range t.entering {
			if math.IsInf(t.arcs[a].Cap, 1) {
				continue
			}
			e := &net.edges[fg.edgeOf[a]]
			price, ok := net.CommodityOf(e.Commodity).PriceUSDPerT[net.year]
			if !ok && !slices.Contains(unpriced, e.Commodity) {
				unpriced = append(unpriced, e.Commodity)
			}
			t.weight[a] = *e.VolumeTPA * price
		}
		if len(unpriced) > 0 {
			slices.Sort(unpriced)
			return nil, Errorf(EInvalid, "weight by value needs a %d price for %s", net.year, strings.Join(unpriced, ", "))
		}
	}
	ctrl := controlShares(net)
	var u, x [2][lensCount][]float64 // [location|control][lens][node]
	for by := 0; by < 2; by++ {
		var own [lensCount][]float64
		for l := range own {
			own[l] = make([]float64, n)
		}
		for v := range net.nodes {
			nd := &net.nodes[v]
			a := 0.0
			if by == 0 && codes[nd.State] {
				a = 1
			}
			for _, s := range ctrl[v] {
				if by == 1 && codes[s.State] {
					a += s.Share
				}
			}
			if nd.Kind == Mine {
				own[lensMining][v], own[lensAny][v] = a, a
			} else if nd.Kind == Refinery {
				own[lensProcessing][v], own[lensAny][v] = a, a
			}
		}
		for l := range own {
			u[by][l], x[by][l] = t.solve(own[l])
		}
	}
	shares := func(vals [lensCount][]float64, list []int) StageShares {
		return StageShares{Mining: t.share(vals[lensMining], list), Processing: t.share(vals[lensProcessing], list), Any: t.share(vals[lensAny], list)}
	}
	entering := t.entering
	out := &Dependency{Query: q, Supplier: supplier, Weight: weight, InboundTPA: t.volume(entering),
		ByLocation: shares(u[0], entering), ByControl: shares(u[1], entering),
		UnattributedByLocation: shares(x[0], entering), UnattributedByControl: shares(x[1], entering)}
	out.Dependency = out.ByLocation.Any
	for _, a := range entering {
		if math.IsInf(t.arcs[a].Cap, 1) {
			out.FlowsWithoutVolume++
		}
	}
	out.EqualWeights = len(entering) > 0 && out.FlowsWithoutVolume == len(entering)
	shipped := make([]float64, n)
	for v := range net.nodes {
		if codes[nodeState(&net.nodes[v])] {
			shipped[v] = 1
		}
	}
	out.ByShipment = t.share(shipped, t.imports)
	out.DomesticTPA = round6(out.InboundTPA - t.volume(t.imports))
	if weight == WeightValue {
		usd := 0.0
		for _, a := range entering {
			if !math.IsInf(t.weight[a], 1) {
				usd += t.weight[a]
			}
		}
		usd = round6(usd)
		out.InboundUSD = &usd
	}
	if net.CommodityOf(q.Commodity) == nil { // a family: one row per product entering
		for i := range net.commodities {
			c := &net.commodities[i]
			var list []int
			for _, a := range entering {
				if net.edges[fg.edgeOf[a]].Commodity == c.ID {
					list = append(list, a)
				}
			}
			if len(list) == 0 {
				continue
			}
			out.ByProduct = append(out.ByProduct, ProductDependency{Commodity: c.ID, Stage: c.Stage, InboundTPA: t.volume(list),
				ByLocation: shares(u[0], list), ByControl: shares(u[1], list),
				UnattributedByLocation: shares(x[0], list), UnattributedByControl: shares(x[1], list)})
		}
		slices.SortStableFunc(out.ByProduct, func(a, b ProductDependency) int {
			return cmp.Or(cmp.Compare(slices.Index(Stages(), a.Stage), slices.Index(Stages(), b.Stage)), strings.Compare(a.Commodity, b.Commodity))
		})
	}
	return out, nil
}

// upstreamFirst orders the nodes that have inbound flow arcs so that, on an acyclic network,
// every node comes after its suppliers (reverse postorder of a depth-first search along the
// arcs): one in-place sweep then settles the trace, and cycles take a few more.
func upstreamFirst(n int, in [][]int, fg *flowGraph) []int {
	state := make([]uint8, n) // 0 new, 1 on the stack, 2 done
	var post []int
	type frame struct{ v, next int }
	for root := 0; root < n; root++ {
		if state[root] != 0 {
			continue
		}
		stack := []frame{{root, 0}}
		state[root] = 1
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			out := fg.g.Out(f.v)
			if f.next < len(out) {
				w := fg.g.Arcs()[out[f.next]].To
				f.next++
				if w < n && state[w] == 0 {
					state[w] = 1
					stack = append(stack, frame{w, 0})
				}
				continue
			}
			state[f.v] = 2
			post = append(post, f.v)
			stack = stack[:len(stack)-1]
		}
	}
	order := make([]int, 0, n)
	for i := len(post) - 1; i >= 0; i-- {
		if v := post[i]; len(in[v]) > 0 {
			order = append(order, v)
		}
	}
	return order
}
