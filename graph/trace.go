package graph

import (
	"math"
	"slices"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// tracer follows a consumer's inbound volume upstream through a flow graph, in proportion to
// the volumes of the edges (see DependencyOf for the equations).
type tracer struct {
	fg     *flowGraph
	arcs   []algo.Arc
	in     [][]int     // inbound flow arcs by node
	inW    [][]float64 // their weights
	weight []float64   // weight by arc: its volume (unbounded when unknown)
	order  []int       // upstream first
	// entering are the arcs of the consumer's supply: into its members from outside (imports),
	// and from its own origins (mines, recycling plants) to its other members (domestic).
	entering []int
	imports  []int
	// unknown marks the nodes whose upstream is unknown: no inbound flow in the year, and
	// neither a mine (an origin) nor a recycling plant (a secondary origin).
	unknown []bool
	// unrecorded is, by node, the volume it is recorded to ship beyond what it is recorded to
	// receive (when every input volume is known): an input of unknown origin.
	unrecorded []float64
	// pos is each node's index in order (-1 if not there) and seen a scratch mark, for resolve;
	// both made on its first call.
	pos  []int
	seen []bool
}

func newTracer(fg *flowGraph) *tracer {
	net, n := fg.net, len(fg.net.nodes)
	t := &tracer{fg: fg, arcs: fg.g.Arcs(), in: make([][]int, n), inW: make([][]float64, n), unknown: make([]bool, n)}
	t.weight = make([]float64, len(t.arcs))
	for a, arc := range t.arcs {
		t.weight[a] = arc.Cap
		if fg.edgeOf[a] >= 0 {
			t.in[arc.To] = append(t.in[arc.To], a)
		}
	}
	t.unrecorded = make([]float64, n)
	for v := range t.in {
		t.inW[v] = t.weights(t.in[v])
		nd := &net.nodes[v]
		t.unknown[v] = len(t.in[v]) == 0 && nd.Kind != Mine && nd.Stage != Recycling
		if len(t.in[v]) > 0 {
			var outArcs []int
			for _, a := range fg.g.Out(v) {
				if fg.edgeOf[a] >= 0 {
					outArcs = append(outArcs, int(a))
				}
			}
			in, out := known(t.arcs, t.in[v]), t.volume(outArcs)
			if !math.IsInf(in, 1) && out > in*(1+1e-9) {
				t.unrecorded[v] = out - in
			}
		}
	}
	t.order = upstreamFirst(n, t.in, fg)
	isMember := make([]bool, n)
	for _, m := range fg.members {
		isMember[m] = true
	}
	for v := range t.in {
		for _, a := range t.in[v] {
			from := t.arcs[a].From
			switch {
			case !isMember[v]:
			case !isMember[from]:
				t.entering = append(t.entering, a)
				t.imports = append(t.imports, a)
			case len(t.in[from]) == 0 && !t.unknown[from]:
				t.entering = append(t.entering, a)
			}
		}
	}
	return t
}

// weights returns the weights of a list of arcs: their volumes, edges without a volume weighing
// nothing beside ones with a volume, and all alike when none has one.
func (t *tracer) weights(list []int) []float64 {
	w := make([]float64, len(list))
	known := false
	for i, a := range list {
		if c := t.weight[a]; !math.IsInf(c, 1) {
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

// average is the weighted mean of vals at the tails of the arcs.
func (t *tracer) average(vals []float64, list []int, w []float64) float64 {
	sum, total := 0.0, 0.0
	for i, a := range list {
		sum += w[i] * vals[t.arcs[a].From]
		total += w[i]
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

// known sums the volumes of arcs: +Inf when any is unknown.
func known(arcs []algo.Arc, list []int) float64 {
	total := 0.0
	for _, a := range list {
		total += arcs[a].Cap
	}
	return total
}

// mix is the average of vals over node v's inputs, with its unrecorded input counted as value
// unrecordedVal.
func (t *tracer) mix(vals []float64, v int, unrecordedVal float64) float64 {
	sum, total := 0.0, t.unrecorded[v]
	for i, a := range t.in[v] {
		sum += t.inW[v][i] * vals[t.arcs[a].From]
		total += t.inW[v][i]
	}
	if total == 0 {
		return 0
	}
	return (sum + t.unrecorded[v]*unrecordedVal) / total
}

// solve returns, for every node, u, the share of its output that passed through what own
// attributes (own[v] in 0..1 of node v itself), and x, the share whose path the data cannot tell,
// by fixed-point iteration: exact after depth-many rounds on an acyclic network. A node whose
// known shipments exceed its recorded inputs (every input volume known) has the difference as an
// input of unknown origin (mass balance).
func (t *tracer) solve(own []float64) (u, x []float64) {
	n := len(own)
	u, x = make([]float64, n), make([]float64, n)
	for v := range own {
		u[v] = own[v]
		if t.unknown[v] {
			x[v] = 1 - own[v]
		}
	}
	for iter := 0; iter < n+1; iter++ {
		change := 0.0
		for _, v := range t.order {
			nu := t.attributed(u, own, v)
			nx := (1 - own[v]) * t.mix(x, v, 1)
			change = max(change, math.Abs(nu-u[v]), math.Abs(nx-x[v]))
			u[v], x[v] = nu, nx
		}
		if change < 1e-12 {
			break
		}
	}
	return u, x
}

// attributed is solve's update of node v's u: what own attributes of v wholly, and of the rest
// the share its inputs carry (mix of u).
func (t *tracer) attributed(u, own []float64, v int) float64 {
	return 1 - (1-own[v])*(1-t.mix(u, v, 0))
}

// resolve turns u, the u of solve(own), into the u of solve for own with the nodes of extra
// attributed wholly, and returns the nodes whose value it recomputed (the caller restores them to
// reuse u). Only the nodes downstream of the extra ones that own does not already attribute are
// solved again, in the same order and with the same rule as solve, the others keeping their
// values, so the cost follows the size of that downstream part, not of the network. On an acyclic
// network the values are those of solve; with cycles both stop within the same tolerance.
func (t *tracer) resolve(u, own []float64, extra []int) []int {
	if t.pos == nil {
		t.pos = make([]int, len(own))
		for v := range t.pos {
			t.pos[v] = -1
		}
		for i, v := range t.order {
			t.pos[v] = i
		}
		t.seen = make([]bool, len(own))
	}
	var down []int
	for _, v := range extra {
		if own[v] < 1 && !t.seen[v] {
			t.seen[v] = true
			down = append(down, v)
		}
	}
	extraOwn := len(down) // down[:extraOwn] are the extra nodes, attributed wholly
	// A node that own attributes wholly keeps its value 1 whatever its inputs: not followed.
	for i := 0; i < len(down); i++ {
		for _, a := range t.fg.g.Out(down[i]) {
			if w := t.arcs[a].To; t.fg.edgeOf[a] >= 0 && !t.seen[w] && own[w] < 1 {
				t.seen[w] = true
				down = append(down, w)
			}
		}
	}
	for _, v := range down {
		t.seen[v] = false
	}
	for _, v := range down[:extraOwn] {
		u[v] = 1
	}
	var order []int
	for _, v := range down[extraOwn:] {
		if t.pos[v] >= 0 {
			order = append(order, v)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return t.pos[a] - t.pos[b] })
	for iter := 0; iter < len(own)+1; iter++ {
		change := 0.0
		for _, v := range order {
			nu := t.attributed(u, own, v)
			change = max(change, math.Abs(nu-u[v]))
			u[v] = nu
		}
		if change < 1e-12 {
			break
		}
	}
	return down
}

// share is the consumer's share of vals over the given entering arcs, rounded.
func (t *tracer) share(vals []float64, list []int) float64 {
	return round6(t.average(vals, list, t.weights(list)))
}

// volume sums the known volumes of arcs, rounded.
func (t *tracer) volume(list []int) float64 {
	total := 0.0
	for _, a := range list {
		if c := t.arcs[a].Cap; !math.IsInf(c, 1) {
			total += c
		}
	}
	return round6(total)
}
