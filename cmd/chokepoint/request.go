package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// analysisFlags registers the flags with which the named analysis reads graph.Request, as
// chokepoint analyze NAME takes them, writing into r: the commodity and consumer, the
// friend-shoring and export-control flags of a flow analysis, and the analysis's own. A view that
// draws an analysis takes the same flags; name "" registers only the commodity and consumer.
func analysisFlags(fs *flag.FlagSet, r *graph.Request, name string) {
	fs.StringVar(&r.Commodity, "commodity", "", "commodity family (rare-earths) or product (ndpr-oxide)")
	fs.StringVar(&r.Consumer, "consumer", "", "consumer: a firm or facility id, a state (state:JP) or a coalition (coalition:quad)")
	list := func(field *[]string, flagName, usage string) { fs.Var((*listFlag)(field), flagName, usage) }
	if graph.IsFlowAnalysis(name) {
		list(&r.OnlyStates, "only-states", "friend-shoring: only nodes located in these states or coalitions (coalition:quad)")
		list(&r.OnlyControl, "only-control", "friend-shoring: only nodes controlled from these states or coalitions")
		fs.BoolVar(&r.ApplyControls, "apply-controls", false, "apply the export controls in force in the year")
		fs.Func("licence-pass", "with --apply-controls: share of volume a licence or quota lets pass (0..1), overriding the data", func(v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("not a number: %q", v)
			}
			r.LicencePass = &f
			return nil
		})
	}
	switch name {
	case graph.AnalysisDependency:
		fs.StringVar(&r.Supplier, "supplier", "", "supplier state or coalition (state:CN)")
		fs.StringVar(&r.Weight, "weight", graph.WeightVolume, "weigh what enters the consumer by "+strings.Join(graph.DependencyWeights(), "|"))
	case graph.AnalysisTrend:
		fs.StringVar(&r.Supplier, "supplier", "", "supplier state or coalition (state:CN)")
		fs.StringVar(&r.Weight, "weight", graph.WeightVolume, "weigh what enters the consumer by "+strings.Join(graph.DependencyWeights(), "|"))
		fs.StringVar(&r.Years, "years", "", fmt.Sprintf("the years A..B, A < B, at most %d (default %d..%d)", graph.MaxTrendYears, graph.TrendFrom, graph.TrendTo))
	case graph.AnalysisAttribution:
		fs.StringVar(&r.Supplier, "supplier", "", "supplier state or coalition (state:CN)")
		fs.IntVar(&r.Base, "base", 0, "the base year to compare with (e.g. 2010)")
	case graph.AnalysisFinance:
		fs.StringVar(&r.Financier, "financier", "", "one financier (firm:jogmec); default every financier with a deal by the year")
	case graph.AnalysisConcentration:
		fs.StringVar(&r.Basis, "basis", graph.BasisOutput, "measure facilities by "+strings.Join(graph.ConcentrationBases(), "|")+" (output: in the year analysed)")
	case graph.AnalysisChokepoints:
		fs.StringVar(&r.Method, "method", graph.MethodFlow, strings.Join(graph.ChokepointMethods(), "|"))
	case graph.AnalysisCentrality:
		fs.StringVar(&r.Metric, "metric", graph.MetricBetweenness, strings.Join(graph.CentralityMetrics(), "|"))
		list(&r.Kinds, "kinds", "edge kinds to use (default supplies,offtake)")
		fs.Float64Var(&r.Tol, "tol", 0, fmt.Sprintf("pagerank tolerance: stop once a step changes the vector by under n*tol in L1 (0: %g, NetworkX's default)", graph.DefaultPageRankTol))
	case graph.AnalysisControl:
		fs.StringVar(&r.Node, "node", "", "one entity's owners and controlling states (default: every firm and facility)")
	case graph.AnalysisRoutes:
		fs.StringVar(&r.From, "from", "", "origin: a node id or a state (its mines); default every origin")
		fs.StringVar(&r.To, "to", "", "destination consumer (same as --consumer)")
		fs.IntVar(&r.K, "k", graph.DefaultRoutes, fmt.Sprintf("number of routes (1..%d)", graph.MaxRoutes))
		fs.IntVar(&r.MaxHops, "max-hops", graph.DefaultMaxHops, fmt.Sprintf("hop limit (1..%d)", graph.MaxHops))
		fs.StringVar(&r.Cost, "cost", graph.CostHops, "hops or risk")
		list(&r.AvoidStates, "avoid-states", "avoid nodes located in these states or coalitions")
		list(&r.AvoidControl, "avoid-control", "avoid nodes controlled by these states or coalitions")
		list(&r.AvoidFirms, "avoid-firms", "avoid these firms and what they control or operate")
		list(&r.AvoidNodes, "avoid-nodes", "avoid these nodes")
	}
}
