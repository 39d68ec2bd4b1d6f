package algo

import "sort"

// Arc is one directed arc of a Digraph, from node From to node To.
// Cap is its capacity (math.Inf(1) when unbounded) and Cost its length for weighted paths.
type Arc struct {
	From, To  int
	Cap, Cost float64
}

// Digraph is an immutable directed graph on nodes 0..N-1, stored in compressed sparse row form
// in both directions. Parallel arcs are kept; algorithms that need a simple graph say so.
type Digraph struct {
	n      int
	arcs   []Arc
	outOff []int32 // out-arcs of v are outArc[outOff[v]:outOff[v+1]]
	outArc []int32 // arc indices, sorted by (From, To, index)
	inOff  []int32
	inArc  []int32
}

// NewDigraph builds a Digraph on n nodes from arcs. It panics on an arc whose ends are outside 0..n-1.
func NewDigraph(n int, arcs []Arc) *Digraph {
	g := &Digraph{n: n, arcs: append([]Arc(nil), arcs...)}
	for _, a := range g.arcs {
		if a.From < 0 || a.From >= n || a.To < 0 || a.To >= n {
			panic("algo: arc end out of range")
		}
	}
	g.outOff, g.outArc = buildIndex(n, g.arcs, func(a Arc) (int, int) { return a.From, a.To })
	g.inOff, g.inArc = buildIndex(n, g.arcs, func(a Arc) (int, int) { return a.To, a.From })
	return g
}

func buildIndex(n int, arcs []Arc, ends func(Arc) (int, int)) ([]int32, []int32) {
	off := make([]int32, n+1)
	for _, a := range arcs {
		v, _ := ends(a)
		off[v+1]++
	}
	for v := 0; v < n; v++ {
		off[v+1] += off[v]
	}
	idx := make([]int32, len(arcs))
	next := append([]int32(nil), off[:n]...)
	for i, a := range arcs {
		v, _ := ends(a)
		idx[next[v]] = int32(i)
		next[v]++
	}
	for v := 0; v < n; v++ {
		seg := idx[off[v]:off[v+1]]
		sort.Slice(seg, func(i, j int) bool {
			_, wi := ends(arcs[seg[i]])
			_, wj := ends(arcs[seg[j]])
			if wi != wj {
				return wi < wj
			}
			return seg[i] < seg[j]
		})
	}
	return off, idx
}

// N returns the number of nodes.
func (g *Digraph) N() int { return g.n }

// Arcs returns the arcs in the order they were given. The slice must not be modified.
func (g *Digraph) Arcs() []Arc { return g.arcs }

// Out returns the indices of the arcs leaving v, ordered by head node. The slice must not be modified.
func (g *Digraph) Out(v int) []int32 { return g.outArc[g.outOff[v]:g.outOff[v+1]] }

// In returns the indices of the arcs entering v, ordered by tail node. The slice must not be modified.
func (g *Digraph) In(v int) []int32 { return g.inArc[g.inOff[v]:g.inOff[v+1]] }
