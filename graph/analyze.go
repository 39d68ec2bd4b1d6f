package graph

import (
	"slices"
	"strings"
)

// Analysis names, as the CLI (chokepoint analyze NAME) and the HTTP API (/api/v1/analyses/NAME)
// spell them.
const (
	AnalysisFlow          = "flow"
	AnalysisChokepoints   = "chokepoints"
	AnalysisControl       = "control"
	AnalysisConcentration = "concentration"
	AnalysisDependency    = "dependency"
	AnalysisCentrality    = "centrality"
	AnalysisRoutes        = "routes"
	AnalysisFinance       = "finance"
	AnalysisAttribution   = "attribution"
	AnalysisTrend         = "trend"
)

// Analyses returns a new list of the analysis names in a fixed order.
func Analyses() []string {
	return []string{AnalysisFlow, AnalysisChokepoints, AnalysisControl, AnalysisConcentration,
		AnalysisDependency, AnalysisCentrality, AnalysisRoutes, AnalysisFinance, AnalysisAttribution, AnalysisTrend}
}

// AnalysisResult wraps an analysis result with the year it describes (a trend's: its last year):
// the one JSON shape the HTTP API and the CLI both give.
type AnalysisResult struct {
	Analysis string `json:"analysis"`
	AsOf     int    `json:"as_of"`
	// Controls lists the export controls applied (with apply_controls).
	Controls []AppliedControl `json:"controls_applied,omitempty"`
	Result   any              `json:"result"`
}

// flowAnalyses are the analyses of flows to a consumer: friend-shoring allow-lists and export
// controls apply to them (to a trend's analyses of each year).
var flowAnalyses = []string{AnalysisFlow, AnalysisChokepoints, AnalysisDependency, AnalysisRoutes, AnalysisFinance, AnalysisTrend}

// IsFlowAnalysis reports whether friend-shoring allow-lists and export controls apply to the
// named analysis.
func IsFlowAnalysis(name string) bool { return slices.Contains(flowAnalyses, name) }

// Request carries the parameters of any analysis; each analysis reads the ones it needs.
// The HTTP API binds it from the query string (api's parameter table), the CLI from flags, so both
// give the same result.
type Request struct {
	Commodity     string
	Consumer      string
	Supplier      string
	Method        string
	Metric        string
	Kinds         []string
	Node          string
	From          string
	To            string
	K             int
	MaxHops       int
	Cost          string
	AvoidStates   []string
	AvoidControl  []string
	AvoidFirms    []string
	AvoidNodes    []string
	OnlyStates    []string
	OnlyControl   []string
	ApplyControls bool
	LicencePass   *float64
	Top           int
	Basis         string
	Weight        string
	Financier     string
	Base          int
	// Tol is PageRank's tolerance (0: DefaultPageRankTol); see Centrality.
	Tol float64
	// Years are a trend's years, "A..B" ("": TrendFrom..TrendTo); see TrendOf.
	Years string
}

// Analyze runs the named analysis on net (already cut to the year wanted; a trend cuts the whole
// network to each of its years) and wraps its result.
// Errors: EInvalid for an unknown analysis or bad parameters, ENotFound for unknown ids.
func Analyze(net *Network, name string, r Request) (*AnalysisResult, error) {
	if err := CheckAnalysis(name); err != nil {
		return nil, err
	}
	if name == AnalysisTrend {
		t, err := TrendOf(net, r)
		if err != nil {
			return nil, err
		}
		return &AnalysisResult{Analysis: name, AsOf: t.To, Result: t}, nil
	}
	out := &AnalysisResult{Analysis: name, AsOf: net.Year()}
	if r.ApplyControls || r.LicencePass != nil {
		if !slices.Contains(flowAnalyses, name) {
			return nil, Errorf(EInvalid, "apply_controls applies to %s", strings.Join(flowAnalyses, ", "))
		}
		if !r.ApplyControls {
			return nil, Errorf(EInvalid, "licence_pass needs apply_controls")
		}
		controlled, applied, err := net.WithControls(true, nil, r.LicencePass)
		if err != nil {
			return nil, err
		}
		net, out.Controls = controlled, applied
	}
	res, err := analyze(net, name, r)
	if err != nil {
		return nil, err
	}
	out.Result = res
	return out, nil
}

func analyze(net *Network, name string, r Request) (any, error) {
	needsCommodity := name != AnalysisControl && name != AnalysisCentrality
	if needsCommodity && r.Commodity == "" {
		return nil, Errorf(EInvalid, "%s needs a commodity: a family (%s) or a product id", name, strings.Join(net.Families(), ", "))
	}
	if r.Top < 0 {
		return nil, Errorf(EInvalid, "top must be ≥ 0")
	}
	q := Query{Commodity: r.Commodity, Consumer: r.Consumer}
	if only := (Removal{OnlyStatesByLocation: splitList(r.OnlyStates), OnlyStatesByControl: splitList(r.OnlyControl)}); len(only.OnlyStatesByLocation) > 0 || len(only.OnlyStatesByControl) > 0 {
		if !slices.Contains(flowAnalyses, name) {
			return nil, Errorf(EInvalid, "only_states and only_control apply to %s", strings.Join(flowAnalyses, ", "))
		}
		cut, _, _, err := net.without(only)
		if err != nil {
			return nil, err
		}
		net = cut
	}
	switch name {
	case AnalysisFlow:
		return MaxSupply(net, q)
	case AnalysisChokepoints:
		if r.Method == "" {
			r.Method = MethodFlow
		}
		return FindChokepoints(net, q, r.Method, r.Top)
	case AnalysisControl:
		if r.Node != "" {
			return ControlOf(net, r.Node)
		}
		return ControlTable(net, r.Commodity)
	case AnalysisConcentration:
		return ConcentrationOf(net, r.Commodity, r.Basis)
	case AnalysisDependency:
		if r.Supplier == "" {
			return nil, Errorf(EInvalid, "dependency needs a supplier state (e.g. state:CN)")
		}
		return DependencyOf(net, q, r.Supplier, r.Weight)
	case AnalysisFinance:
		return FinanceOf(net, q, r.Financier)
	case AnalysisAttribution:
		if r.Supplier == "" {
			return nil, Errorf(EInvalid, "attribution needs a supplier state (e.g. state:CN)")
		}
		return AttributionOf(net, q, r.Supplier, r.Base)
	case AnalysisCentrality:
		if r.Metric == "" {
			r.Metric = MetricBetweenness
		}
		kinds := SplitEdgeKinds(r.Kinds)
		return Centrality(net, r.Metric, kinds, r.Commodity, r.Top, r.Tol)
	case AnalysisRoutes:
		if r.To != "" {
			if r.Consumer != "" && r.Consumer != r.To {
				return nil, Errorf(EInvalid, "give the routes' end once, as to or consumer")
			}
			q.Consumer = r.To
		}
		return AlternativeRoutes(net, RouteQuery{Query: q, From: r.From, K: r.K, MaxHops: r.MaxHops, Cost: r.Cost,
			Avoid: Avoid{StatesByLocation: splitList(r.AvoidStates), StatesByControl: splitList(r.AvoidControl),
				OnlyStatesByLocation: splitList(r.OnlyStates), OnlyStatesByControl: splitList(r.OnlyControl),
				Firms: splitList(r.AvoidFirms), Nodes: splitList(r.AvoidNodes)}})
	}
	return nil, CheckAnalysis(name)
}

// CheckAnalysis returns ENotFound unless name is one of Analyses: the check an unknown name meets
// before any of its parameters is looked at.
func CheckAnalysis(name string) error {
	if slices.Contains(Analyses(), name) {
		return nil
	}
	return Errorf(ENotFound, "unknown analysis %q (want %s)", name, strings.Join(Analyses(), ", "))
}

// SplitEdgeKinds reads a list of edge kinds given as repeated values, comma-separated ones or both
// ("supplies,offtake" and "supplies", "offtake" alike): trimmed, empty ones and repeats dropped,
// in the order given. It does not check the kinds; the analyses and views that take them do.
func SplitEdgeKinds(values []string) []EdgeKind {
	parts := splitList(values)
	kinds := make([]EdgeKind, len(parts))
	for i, k := range parts {
		kinds[i] = EdgeKind(k)
	}
	return kinds
}

// splitList accepts repeated values and comma-separated ones alike.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}
