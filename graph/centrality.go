package graph

import (
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// Centrality metrics.
const (
	MetricDegree      = "degree"
	MetricBetweenness = "betweenness"
	MetricCloseness   = "closeness"
	MetricPageRank    = "pagerank"
)

// CentralityMetrics returns a new list of the metrics in a fixed order.
func CentralityMetrics() []string {
	return []string{MetricDegree, MetricBetweenness, MetricCloseness, MetricPageRank}
}

// DefaultCentralityKinds returns the edge kinds centrality runs on unless told otherwise.
func DefaultCentralityKinds() []EdgeKind { return []EdgeKind{Supplies, Offtake} }

// PageRank tolerance: the default is NetworkX's (pagerank stops once an iteration changes the
// vector by less than n*tol in L1); a caller may ask for any tol in [MinPageRankTol, MaxPageRankTol].
const (
	DefaultPageRankTol = 1e-6
	MinPageRankTol     = 1e-14
	MaxPageRankTol     = 1e-2
	pageRankMaxIter    = 1000
)

// CentralityResult ranks nodes by one centrality metric.
type CentralityResult struct {
	Metric    string     `json:"metric"`
	Commodity string     `json:"commodity,omitempty"`
	EdgeKinds []EdgeKind `json:"edge_kinds"`
	Nodes     int        `json:"nodes"`
	// Convergence is how the PageRank iteration ended; nil for the other metrics.
	Convergence *Convergence `json:"convergence,omitempty"`
	Ranking     []Ranked     `json:"ranking"`
}

// Convergence reports an iterative computation: the tolerance asked, the passes over the arcs it
// took and its final residual (for PageRank: the L1 change of the last step, under n*tol).
type Convergence struct {
	Tol        float64 `json:"tol"`
	Iterations int     `json:"iterations"`
	Residual   float64 `json:"residual"`
}

// Centrality ranks the nodes of the directed graph made of the edges of the given kinds (default
// supplies and offtake), restricted to the commodity when one is given (edges without a commodity
// are kept), by a metric defined and normalised as NetworkX 3 defines it on that nx.DiGraph (the
// graph's nodes are the edges' ends; parallel edges count once): degree_centrality,
// betweenness_centrality, closeness_centrality (inward distances) or pagerank (alpha 0.85, to
// tolerance tol: 0 means DefaultPageRankTol, NetworkX's; computed by algo.PageRankGS, which stops
// on NetworkX's criterion, total change under n*tol).
// top ≤ 0 returns every node. Ordered by score descending, then id.
// Errors: EInvalid (metric, kind, top, tol), ENotFound (commodity), EInternal (PageRank did not
// converge in 1000 passes).
func Centrality(net *Network, metric string, kinds []EdgeKind, commodity string, top int, tol float64) (*CentralityResult, error) {
	if !slices.Contains(CentralityMetrics(), metric) {
		return nil, Errorf(EInvalid, "unknown metric %q (want %s)", metric, strings.Join(CentralityMetrics(), ", "))
	}
	if top > MaxTop {
		return nil, Errorf(EInvalid, "top %d is over the limit of %d", top, MaxTop)
	}
	switch {
	case tol != 0 && metric != MetricPageRank:
		return nil, Errorf(EInvalid, "tol applies to pagerank only")
	case tol == 0:
		tol = DefaultPageRankTol
	case !(tol >= MinPageRankTol && tol <= MaxPageRankTol):
		return nil, Errorf(EInvalid, "tol must be between %g and %g", MinPageRankTol, MaxPageRankTol)
	}
	if len(kinds) == 0 {
		kinds = DefaultCentralityKinds()
	}
	for _, k := range kinds {
		if !slices.Contains(EdgeKinds(), k) {
			return nil, Errorf(EInvalid, "unknown edge kind %q", k)
		}
	}
	var set map[string]bool
	if commodity != "" {
		var err error
		if set, err = net.CommoditySet(commodity); err != nil {
			return nil, err
		}
	}
	compact := make([]int, len(net.nodes))
	for i := range compact {
		compact[i] = -1
	}
	var nodes []int
	var arcs []algo.Arc
	for e := range net.edges {
		ed := &net.edges[e]
		if !slices.Contains(kinds, ed.Kind) || set != nil && ed.Commodity != "" && !set[ed.Commodity] {
			continue
		}
		ends := [2]int{int(net.from[e]), int(net.to[e])}
		for _, v := range ends {
			if compact[v] < 0 {
				compact[v] = len(nodes)
				nodes = append(nodes, v)
			}
		}
		arcs = append(arcs, algo.Arc{From: compact[ends[0]], To: compact[ends[1]], Cap: 1, Cost: 1})
	}
	g := algo.NewDigraph(len(nodes), arcs)
	var scores []float64
	var conv *Convergence
	switch metric {
	case MetricDegree:
		scores = algo.DegreeCentrality(g)
	case MetricBetweenness:
		scores = algo.Betweenness(g)
	case MetricCloseness:
		scores = algo.Closeness(g)
	case MetricPageRank:
		var err error
		var st algo.PageRankStats
		if scores, st, err = algo.PageRankGS(g, 0.85, tol, pageRankMaxIter); err != nil {
			return nil, Errorf(EInternal, "pagerank: %v", err)
		}
		conv = &Convergence{Tol: tol, Iterations: st.Iterations, Residual: st.Residual}
	}
	out := &CentralityResult{Metric: metric, Commodity: commodity, EdgeKinds: kinds, Nodes: len(nodes), Convergence: conv, Ranking: []Ranked{}}
	for c, v := range nodes {
		out.Ranking = append(out.Ranking, Ranked{NodeRef: net.Ref(v), Score: scores[c]})
	}
	sortRanked(out.Ranking)
	if top > 0 && len(out.Ranking) > top {
		out.Ranking = out.Ranking[:top]
	}
	return out, nil
}
