package algo_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// flowRefDir holds the reference files written by scripts/nxref_flow.py.
const flowRefDir = "../../testdata/nx/flow"

const flowTol = 1e-6

// flowRef is one reference file: a supplynet graph and what NetworkX computes on it.
type flowRef struct {
	Name      string        `json:"name"`
	N         int           `json:"n"`
	Arcs      [][4]*float64 `json:"arcs"` // u, v, cap (null: unbounded), cost
	NodeCap   []*float64    `json:"node_cap"`
	Sources   []int         `json:"sources"`
	Sink      int           `json:"sink"`
	MaxFlow   *float64      `json:"max_flow"`
	MinCut    *float64      `json:"min_cut"`
	Unbound   bool          `json:"unbounded"`
	Idom      []int         `json:"idom"`
	APs       []int         `json:"articulation_points"`
	Separated []int         `json:"separated"`
	Bridges   [][2]int      `json:"bridges"`
	K         int           `json:"k"`
	PathSrc   int           `json:"path_src"`
	PathDst   int           `json:"path_dst"`
	HopLens   []float64     `json:"hop_lengths"`
	WeighLen  []float64     `json:"weighted_lengths"`
}

func loadFlowRefs(t testing.TB) []flowRef {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(flowRefDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no reference files in %s (run scripts/nxref_flow.py): %v", flowRefDir, err)
	}
	sort.Strings(files)
	refs := make([]flowRef, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r flowRef
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		refs = append(refs, r)
	}
	return refs
}

func flowCapOf(p *float64) float64 {
	if p == nil {
		return math.Inf(1)
	}
	return *p
}

// graph returns the reference graph with its arcs in file order and its node capacities.
func (r *flowRef) graph() (*algo.Digraph, []float64) {
	arcs := make([]algo.Arc, len(r.Arcs))
	for i, a := range r.Arcs {
		arcs[i] = algo.Arc{From: int(*a[0]), To: int(*a[1]), Cap: flowCapOf(a[2]), Cost: *a[3]}
	}
	nodeCap := make([]float64, r.N)
	for v, c := range r.NodeCap {
		nodeCap[v] = flowCapOf(c)
	}
	return algo.NewDigraph(r.N, arcs), nodeCap
}

func TestMaxFlowMatchesNetworkX(t *testing.T) {
	for _, ref := range loadFlowRefs(t) {
		t.Run(ref.Name, func(t *testing.T) {
			g, nodeCap := ref.graph()
			r := algo.MaxFlow(g, nodeCap, ref.Sources, ref.Sink)
			if ref.Unbound {
				if !math.IsInf(r.Value, 1) {
					t.Fatalf("value %v, NetworkX: unbounded", r.Value)
				}
				return
			}
			if math.Abs(r.Value-*ref.MaxFlow) > flowTol {
				t.Fatalf("value %v, NetworkX %v", r.Value, *ref.MaxFlow)
			}
			if math.Abs(*ref.MinCut-*ref.MaxFlow) > flowTol {
				t.Fatalf("NetworkX min cut %v != max flow %v", *ref.MinCut, *ref.MaxFlow)
			}
			checkFlow(t, g, nodeCap, ref.Sources, ref.Sink, r)
		})
	}
}

// checkFlow verifies that r is a feasible flow of value r.Value and that its cut is a valid
// minimum cut: removing CutArcs and CutNodes separates the sources from the sink and their
// capacities sum to r.Value.
func checkFlow(t *testing.T, g *algo.Digraph, nodeCap []float64, sources []int, sink int, r algo.FlowResult) {
	t.Helper()
	n := g.N()
	arcs := g.Arcs()
	isSrc := make([]bool, n)
	for _, s := range sources {
		isSrc[s] = true
	}
	ncap := func(v int) float64 {
		if v < len(nodeCap) {
			return nodeCap[v]
		}
		return math.Inf(1)
	}
	in, out := make([]float64, n), make([]float64, n)
	for i, a := range arcs {
		f := r.Flow[i]
		if f < -flowTol || f > a.Cap+flowTol {
			t.Fatalf("arc %d (%d->%d) flow %v outside [0, %v]", i, a.From, a.To, f, a.Cap)
		}
		out[a.From] += f
		in[a.To] += f
	}
	for v := 0; v < n; v++ {
		through := math.Max(in[v], out[v])
		if math.Abs(r.Through[v]-through) > flowTol && !(isSrc[v] || v == sink) {
			t.Fatalf("node %d: Through %v, arcs carry %v", v, r.Through[v], through)
		}
		if r.Through[v] > ncap(v)+flowTol {
			t.Fatalf("node %d: flow %v over its capacity %v", v, r.Through[v], ncap(v))
		}
		switch {
		case v == sink:
		case isSrc[v]:
			if out[v] < in[v]-flowTol {
				t.Fatalf("source %d absorbs flow: in %v out %v", v, in[v], out[v])
			}
		default:
			if math.Abs(in[v]-out[v]) > flowTol {
				t.Fatalf("node %d: in %v out %v", v, in[v], out[v])
			}
		}
	}
	if !isSrc[sink] && math.Abs(in[sink]-out[sink]-r.Value) > flowTol {
		t.Fatalf("sink receives %v, value %v", in[sink]-out[sink], r.Value)
	}
	// The cut: capacities sum to the value, cut arcs are saturated, and it separates.
	sum := 0.0
	cutArc := make([]bool, len(arcs))
	for _, i := range r.CutArcs {
		cutArc[i] = true
		sum += arcs[i].Cap
		if math.Abs(r.Flow[i]-arcs[i].Cap) > flowTol {
			t.Fatalf("cut arc %d not saturated: %v of %v", i, r.Flow[i], arcs[i].Cap)
		}
	}
	cutNode := make([]bool, n)
	for _, v := range r.CutNodes {
		cutNode[v] = true
		sum += ncap(v)
	}
	if math.Abs(sum-r.Value) > flowTol {
		t.Fatalf("cut capacity %v (arcs %v, nodes %v), value %v", sum, r.CutArcs, r.CutNodes, r.Value)
	}
	seen := make([]bool, n)
	var stack []int
	for _, s := range sources {
		if !cutNode[s] && !seen[s] {
			seen[s] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if u == sink {
			t.Fatalf("sink still reachable after removing cut arcs %v and nodes %v", r.CutArcs, r.CutNodes)
		}
		for _, i := range g.Out(u) {
			if w := arcs[i].To; !cutArc[i] && !cutNode[w] && !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
}

func TestMaxFlowSmall(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name    string
		n       int
		arcs    []algo.Arc
		nodeCap []float64
		sources []int
		sink    int
		want    float64
	}{
		{"unbounded", 3, []algo.Arc{{0, 1, inf, 1}, {1, 2, inf, 1}}, nil, []int{0}, 2, inf},
		{"unbounded-second-source", 4, []algo.Arc{{0, 2, 5, 1}, {1, 2, inf, 1}, {2, 3, inf, 1}}, nil, []int{0, 1}, 3, inf},
		{"node-cap-bounds-inf-arcs", 3, []algo.Arc{{0, 1, inf, 1}, {1, 2, inf, 1}}, []float64{inf, 7, inf}, []int{0}, 2, 7},
		{"source-cap", 3, []algo.Arc{{0, 1, inf, 1}, {1, 2, inf, 1}}, []float64{4, inf, inf}, []int{0}, 2, 4},
		{"sink-cap", 3, []algo.Arc{{0, 2, 9, 1}, {1, 2, 9, 1}}, []float64{inf, inf, 12}, []int{0, 1}, 2, 12},
		{"parallel", 2, []algo.Arc{{0, 1, 2, 1}, {0, 1, 3, 1}, {0, 1, inf, 1}}, []float64{inf, 10}, []int{0}, 1, 10},
		{"unreachable", 4, []algo.Arc{{0, 1, 3, 1}, {2, 3, 3, 1}}, nil, []int{0}, 3, 0},
		{"no-sources", 2, []algo.Arc{{0, 1, 3, 1}}, nil, nil, 1, 0},
		{"sink-is-source", 2, []algo.Arc{{0, 1, 3, 1}}, []float64{inf, 5}, []int{0, 1}, 1, 5},
		{"self-loop-and-back-arc", 3, []algo.Arc{{0, 0, 9, 1}, {0, 1, 4, 1}, {1, 0, 9, 1}, {1, 2, 6, 1}}, nil, []int{0}, 2, 4},
		{"zero-and-negative", 3, []algo.Arc{{0, 1, 0, 1}, {0, 2, -3, 1}, {1, 2, 5, 1}}, nil, []int{0}, 2, 0},
		{"classic", 6, []algo.Arc{{0, 1, 16, 0}, {0, 2, 13, 0}, {1, 2, 10, 0}, {2, 1, 4, 0}, {1, 3, 12, 0},
			{3, 2, 9, 0}, {2, 4, 14, 0}, {4, 3, 7, 0}, {3, 5, 20, 0}, {4, 5, 4, 0}}, nil, []int{0}, 5, 23},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := algo.NewDigraph(c.n, c.arcs)
			r := algo.MaxFlow(g, c.nodeCap, c.sources, c.sink)
			if r.Value != c.want && math.Abs(r.Value-c.want) > flowTol {
				t.Fatalf("value %v, want %v", r.Value, c.want)
			}
			if math.IsInf(c.want, 1) {
				if r.Flow != nil || r.CutArcs != nil {
					t.Fatalf("unbounded result carries a flow or cut")
				}
				return
			}
			if c.name != "zero-and-negative" && c.name != "sink-is-source" {
				checkFlow(t, g, c.nodeCap, c.sources, c.sink, r)
			}
		})
	}
}

// TestMaxFlowRandom checks feasibility and the cut on random graphs with mixed capacities, where
// max-flow = min-cut certifies optimality.
func TestMaxFlowRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 300; iter++ {
		n := 2 + rng.IntN(14)
		var arcs []algo.Arc
		for j := rng.IntN(4 * n); j > 0; j-- {
			c := float64(rng.IntN(20))
			if rng.IntN(5) == 0 {
				c = math.Inf(1)
			}
			arcs = append(arcs, algo.Arc{From: rng.IntN(n), To: rng.IntN(n), Cap: c, Cost: 1})
		}
		nodeCap := make([]float64, n)
		for v := range nodeCap {
			nodeCap[v] = math.Inf(1)
			if rng.IntN(2) == 0 {
				nodeCap[v] = float64(1 + rng.IntN(30))
			}
		}
		sink := rng.IntN(n)
		var sources []int
		for v := 0; v < n; v++ {
			if v != sink && rng.IntN(3) == 0 {
				sources = append(sources, v)
			}
		}
		g := algo.NewDigraph(n, arcs)
		r := algo.MaxFlow(g, nodeCap, sources, sink)
		if math.IsInf(r.Value, 1) {
			continue
		}
		checkFlow(t, g, nodeCap, sources, sink, r)
	}
}

func ExampleMaxFlow() {
	inf := math.Inf(1)
	// Two mines (0, 1) feed two refineries (2, 3); both ship to a magnet plant (4) that serves a
	// consumer (5). Refinery 3 can process only 4 units.
	g := algo.NewDigraph(6, []algo.Arc{
		{From: 0, To: 2, Cap: 10}, {From: 1, To: 2, Cap: 10}, {From: 1, To: 3, Cap: 10},
		{From: 2, To: 4, Cap: 7}, {From: 3, To: 4, Cap: 7}, {From: 4, To: 5, Cap: inf},
	})
	nodeCap := []float64{inf, inf, inf, 4, 9, inf}
	r := algo.MaxFlow(g, nodeCap, []int{0, 1}, 5)
	fmt.Println("max flow:", r.Value)
	fmt.Println("cut nodes:", r.CutNodes, "cut arcs:", r.CutArcs)
	// Output:
	// max flow: 9
	// cut nodes: [4] cut arcs: []
}

var flowBenchSink algo.FlowResult

func BenchmarkMaxFlow(b *testing.B) {
	g, nodeCap, sources, sink := layered(10000, 1)
	b.ReportAllocs()
	for b.Loop() {
		flowBenchSink = algo.MaxFlow(g, nodeCap, sources, sink)
	}
	b.ReportMetric(flowBenchSink.Value, "flow")
}

func BenchmarkMaxFlowDAG(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			g, nodeCap, sources, sink := dag(n, 1)
			b.ReportAllocs()
			for b.Loop() {
				flowBenchSink = algo.MaxFlow(g, nodeCap, sources, sink)
			}
			b.ReportMetric(flowBenchSink.Value, "flow")
		})
	}
}
