package graph

import (
	"math"
	"strings"
)

// StageShares are shares of a consumer's inbound volume per value-chain stage.
type StageShares struct {
	Mining     float64 `json:"mining"`
	Processing float64 `json:"processing"`
	Any        float64 `json:"any"`
}

// Dependency is how much of a consumer's inbound volume passed through a supplier state.
type Dependency struct {
	Query
	Supplier   string      `json:"supplier"`
	InboundTPA float64     `json:"inbound_tpa"`
	Dependency float64     `json:"dependency"`
	ByLocation StageShares `json:"by_location"`
	ByControl  StageShares `json:"by_control"`
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
// at either (any; also reported as dependency). By location a node belongs to the state it is in;
// by control, to its controlling states in proportion to their shares (see ControlOf).
//
// For each node v and lens, u(v) is the share of v's output that passed through the supplier:
//
//	u(v) = 1 − (1 − a(v))·(1 − Σ_in w·u(from) / Σ_in w)
//
// where a(v) is v's own attribution (0 or 1 by location, the control share by control) when v is
// a facility of the lens's stage, else 0, and w an inbound edge's volume; when none of v's inbound
// edges has a volume they weigh alike, and edges without a volume beside ones with a volume weigh
// nothing. Solved by fixed-point iteration (exact after depth-many rounds on an acyclic network).
// The consumer's share is the same average over the edges entering its members from outside.
// Errors: EInvalid, ENotFound for an unknown commodity, consumer or supplier.
func DependencyOf(net *Network, q Query, supplier string) (*Dependency, error) {
	code := strings.TrimPrefix(supplier, "state:")
	if !IsStateCode(code) {
		return nil, Errorf(ENotFound, "unknown supplier state %q (want a state id such as state:CN)", supplier)
	}
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	n := len(net.nodes)
	ctrl := controlShares(net)
	// inbound flow edges (arc indices) by node, with weights
	in := make([][]int, n)
	for a, arc := range fg.g.Arcs() {
		if fg.edgeOf[a] >= 0 {
			in[arc.To] = append(in[arc.To], a)
		}
	}
	weights := func(arcs []int) []float64 {
		w := make([]float64, len(arcs))
		known := false
		for i, a := range arcs {
			if c := fg.g.Arcs()[a].Cap; !math.IsInf(c, 1) {
				w[i], known = c, true
			}
		}
		if !known {
			for i := range w {
				w[i] = 1
			}
		}
		return w
	}
	inW := make([][]float64, n)
	for v := range in {
		inW[v] = weights(in[v])
	}
	var own [2][lensCount][]float64 // [location|control][lens][node]
	var u [2][lensCount][]float64
	for by := 0; by < 2; by++ {
		for l := 0; l < lensCount; l++ {
			own[by][l] = make([]float64, n)
			u[by][l] = make([]float64, n)
		}
		for v := range net.nodes {
			nd := &net.nodes[v]
			a := ctrl[v][code] // by control
			if by == 0 {
				a = 0
				if nd.State == code {
					a = 1
				}
			}
			if nd.Kind == Mine {
				own[by][lensMining][v], own[by][lensAny][v] = a, a
			} else if nd.Kind == Refinery {
				own[by][lensProcessing][v], own[by][lensAny][v] = a, a
			}
			for l := 0; l < lensCount; l++ {
				u[by][l][v] = own[by][l][v]
			}
		}
	}
	average := func(vals []float64, arcs []int, w []float64) float64 {
		sum, total := 0.0, 0.0
		for i, a := range arcs {
			sum += w[i] * vals[fg.g.Arcs()[a].From]
			total += w[i]
		}
		if total == 0 {
			return 0
		}
		return sum / total
	}
	order := upstreamFirst(n, in, fg)
	for iter := 0; iter < n+1; iter++ {
		change := 0.0
		for by := 0; by < 2; by++ {
			for l := 0; l < lensCount; l++ {
				vals := u[by][l]
				for _, v := range order {
					next := 1 - (1-own[by][l][v])*(1-average(vals, in[v], inW[v]))
					change = math.Max(change, math.Abs(next-vals[v]))
					vals[v] = next
				}
			}
		}
		if change < 1e-12 {
			break
		}
	}
	isMember := make([]bool, n)
	for _, m := range fg.members {
		isMember[m] = true
	}
	var entering []int
	for v := range in {
		for _, a := range in[v] {
			if isMember[v] && !isMember[fg.g.Arcs()[a].From] {
				entering = append(entering, a)
			}
		}
	}
	w := weights(entering)
	out := &Dependency{Query: q, Supplier: StateID(code)}
	for _, a := range entering {
		if c := fg.g.Arcs()[a].Cap; !math.IsInf(c, 1) {
			out.InboundTPA += c
		}
	}
	share := func(by, l int) float64 { return round6(average(u[by][l], entering, w)) }
	out.ByLocation = StageShares{Mining: share(0, lensMining), Processing: share(0, lensProcessing), Any: share(0, lensAny)}
	out.ByControl = StageShares{Mining: share(1, lensMining), Processing: share(1, lensProcessing), Any: share(1, lensAny)}
	out.Dependency = out.ByLocation.Any
	out.InboundTPA = round6(out.InboundTPA)
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
