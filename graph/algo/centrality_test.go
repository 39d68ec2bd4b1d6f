package algo_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// centRefDir holds the NetworkX reference values written by scripts/nxref_centrality.py.
const centRefDir = "../../testdata/nx/centrality"

const centTol = 1e-6

type centRef struct {
	Name        string    `json:"name"`
	N           int       `json:"n"`
	Arcs        [][2]int  `json:"arcs"`
	Degree      []float64 `json:"degree"`
	Betweenness []float64 `json:"betweenness"`
	Closeness   []float64 `json:"closeness"`
	PageRank    []float64 `json:"pagerank"`
	Alpha       float64   `json:"alpha"`
	Tol         float64   `json:"tol"`
}

func loadCentRefs(t *testing.T) []centRef {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(centRefDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no reference files in %s: run scripts/nxref_centrality.py", centRefDir)
	}
	refs := make([]centRef, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r centRef
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, vals := range [][]float64{r.Degree, r.Betweenness, r.Closeness, r.PageRank} {
			if len(vals) != r.N {
				t.Fatalf("%s: %d values for %d nodes", f, len(vals), r.N)
			}
		}
		refs = append(refs, r)
	}
	return refs
}

func (r centRef) digraph() *algo.Digraph {
	arcs := make([]algo.Arc, len(r.Arcs))
	for i, a := range r.Arcs {
		arcs[i] = algo.Arc{From: a[0], To: a[1], Cap: math.Inf(1), Cost: 1}
	}
	return algo.NewDigraph(r.N, arcs)
}

func compareCent(t *testing.T, graph, measure string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s %s: %d values, want %d", graph, measure, len(got), len(want))
		return
	}
	bad := 0
	for v := range want {
		if math.IsNaN(got[v]) || math.Abs(got[v]-want[v]) > centTol {
			if bad < 5 {
				t.Errorf("%s %s node %d: got %.12g, want %.12g (NetworkX)", graph, measure, v, got[v], want[v])
			}
			bad++
		}
	}
	if bad >= 5 {
		t.Errorf("%s %s: %d nodes differ in all", graph, measure, bad)
	}
}

func TestCentralityMatchesNetworkX(t *testing.T) {
	for _, r := range loadCentRefs(t) {
		t.Run(r.Name, func(t *testing.T) {
			g := r.digraph()
			compareCent(t, r.Name, "degree", algo.DegreeCentrality(g), r.Degree)
			compareCent(t, r.Name, "betweenness", algo.Betweenness(g), r.Betweenness)
			compareCent(t, r.Name, "closeness", algo.Closeness(g), r.Closeness)
			pr, err := algo.PageRank(g, r.Alpha, r.Tol, 100000)
			if err != nil {
				t.Fatalf("%s pagerank: %v", r.Name, err)
			}
			compareCent(t, r.Name, "pagerank", pr, r.PageRank)
		})
	}
}

// TestCentralityWorkers checks that the parallel measures give the same values with one worker
// as with several, and the same values on every run.
func TestCentralityWorkers(t *testing.T) {
	g, _, _, _ := layered(3000, 11)
	prev := runtime.GOMAXPROCS(1)
	bc1, cl1 := algo.Betweenness(g), algo.Closeness(g)
	runtime.GOMAXPROCS(4)
	bc4, cl4 := algo.Betweenness(g), algo.Closeness(g)
	bc4b := algo.Betweenness(g)
	runtime.GOMAXPROCS(prev)
	if !slices.Equal(cl1, cl4) {
		t.Error("closeness differs between 1 and 4 workers")
	}
	if !slices.Equal(bc4, bc4b) {
		t.Error("betweenness differs between two runs with 4 workers")
	}
	for v := range bc1 {
		if math.Abs(bc1[v]-bc4[v]) > 1e-12 {
			t.Fatalf("betweenness node %d: %g with 1 worker, %g with 4", v, bc1[v], bc4[v])
		}
	}
}

func TestPageRankNotConverged(t *testing.T) {
	g := algo.NewDigraph(3, []algo.Arc{{From: 0, To: 1}, {From: 1, To: 2}, {From: 2, To: 0}, {From: 0, To: 2}})
	_, err := algo.PageRank(g, 0.85, 1e-15, 2)
	if !errors.Is(err, algo.ErrPageRankNotConverged) {
		t.Fatalf("err = %v, want ErrPageRankNotConverged", err)
	}
	if pr, err := algo.PageRank(algo.NewDigraph(0, nil), 0.85, 1e-6, 100); err != nil || len(pr) != 0 {
		t.Fatalf("empty graph: %v, %v", pr, err)
	}
}

func TestRank(t *testing.T) {
	got := algo.Rank([]float64{0.5, 2, math.NaN(), 0.5, 3, -1, 2})
	want := []int{4, 1, 6, 0, 3, 5, 2}
	if !slices.Equal(got, want) {
		t.Fatalf("Rank = %v, want %v", got, want)
	}
	if got := algo.Rank(nil); len(got) != 0 {
		t.Fatalf("Rank(nil) = %v", got)
	}
}

// exampleCentGraph is a small supply chain: two mines 0 and 1 feed refinery 2 (mine 1 twice, a
// parallel arc), which feeds plants 3 and 4; plant 3 feeds 4, and 4 recycles back to 2. Node 2 has
// a self-loop, which the measures ignore.
func exampleCentGraph() *algo.Digraph {
	return algo.NewDigraph(5, []algo.Arc{
		{From: 0, To: 2}, {From: 1, To: 2}, {From: 1, To: 2}, {From: 2, To: 2},
		{From: 2, To: 3}, {From: 2, To: 4}, {From: 3, To: 4}, {From: 4, To: 2},
	})
}

func fmtScores(s []float64) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = fmt.Sprintf("%.4f", x)
	}
	return strings.Join(parts, " ")
}

func ExampleBetweenness() {
	g := exampleCentGraph()
	bc := algo.Betweenness(g)
	fmt.Println(fmtScores(bc))
	fmt.Println("top:", algo.Rank(bc)[:2])
	// Output:
	// 0.0000 0.0000 0.4167 0.0000 0.0833
	// top: [2 4]
}

func ExampleDegreeCentrality() {
	fmt.Println(fmtScores(algo.DegreeCentrality(exampleCentGraph())))
	// Output:
	// 0.2500 0.2500 1.2500 0.5000 0.7500
}

func ExampleCloseness() {
	fmt.Println(fmtScores(algo.Closeness(exampleCentGraph())))
	// Output:
	// 0.0000 0.0000 0.8000 0.5714 0.6667
}

func ExamplePageRank() {
	pr, err := algo.PageRank(exampleCentGraph(), 0.85, 1e-12, 1000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fmtScores(pr))
	// Output:
	// 0.0300 0.0300 0.3864 0.1942 0.3593
}

func ExampleRank() {
	fmt.Println(algo.Rank([]float64{0.1, 0.7, 0.3, 0.7}))
	// Output:
	// [1 3 2 0]
}
