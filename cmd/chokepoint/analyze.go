package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runAnalyze(ctx context.Context, env *cli, args []string) error {
	if len(args) == 0 || args[0] == "help" || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(env.stderr, "usage: chokepoint analyze NAME [flags]\n\nanalyses: %s, scenario\nrun 'chokepoint analyze NAME -h' for its flags\n", strings.Join(graph.Analyses, ", "))
		if len(args) > 0 && args[0] == "help" {
			return nil
		}
		return usageError{"name an analysis"}
	}
	name := args[0]
	fs := newFlags("analyze "+name, env)
	dataFile := fs.String("data", "", "analyse this dataset file instead of the configured store (no database)")
	asOf := fs.Int("as-of", 0, "the year to analyse (default: this year)")
	compare := ""
	if name != "scenario" {
		fs.StringVar(&compare, "compare", "", "two years A,B: run the analysis for both and show the differences (e.g. 2010,2025)")
	}
	format := fs.String("format", "json", "json, table or csv")
	var r graph.Request
	var kinds, avoidStates, avoidControl, avoidFirms, avoidNodes, onlyStates, onlyControl listFlag
	scenarioFile := ""
	if name == "scenario" {
		fs.StringVar(&scenarioFile, "file", "", "scenario document (JSON)")
	} else {
		fs.StringVar(&r.Commodity, "commodity", "", "commodity family (rare-earths) or product (ndpr-oxide)")
		fs.StringVar(&r.Consumer, "consumer", "", "consumer: a firm or facility id, or a state (state:JP)")
		fs.IntVar(&r.Top, "top", 0, "only the top N ranked results (0: all)")
	}
	switch name {
	case graph.AnalysisFlow, graph.AnalysisChokepoints, graph.AnalysisDependency, graph.AnalysisRoutes, graph.AnalysisFinance:
		fs.Var(&onlyStates, "only-states", "friend-shoring: only nodes located in these states or coalitions (coalition:quad)")
		fs.Var(&onlyControl, "only-control", "friend-shoring: only nodes controlled from these states or coalitions")
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
		fs.StringVar(&r.Supplier, "supplier", "", "supplier state (state:CN)")
		fs.StringVar(&r.Weight, "weight", graph.WeightVolume, "weigh what enters the consumer by "+strings.Join(graph.DependencyWeights, "|"))
	case graph.AnalysisAttribution:
		fs.StringVar(&r.Supplier, "supplier", "", "supplier state or coalition (state:CN)")
		fs.IntVar(&r.Base, "base", 0, "the base year to compare with (e.g. 2010)")
	case graph.AnalysisFinance:
		fs.StringVar(&r.Financier, "financier", "", "one financier (firm:jogmec); default every financier with a deal by the year")
	case graph.AnalysisConcentration:
		fs.StringVar(&r.Basis, "basis", graph.BasisOutput, "measure facilities by "+strings.Join(graph.ConcentrationBases, "|")+" (output: in the year analysed)")
	case graph.AnalysisChokepoints:
		fs.StringVar(&r.Method, "method", graph.MethodFlow, strings.Join(graph.ChokepointMethods, "|"))
	case graph.AnalysisCentrality:
		fs.StringVar(&r.Metric, "metric", graph.MetricBetweenness, strings.Join(graph.CentralityMetrics, "|"))
		fs.Var(&kinds, "kinds", "edge kinds to use (default supplies,offtake)")
		fs.Float64Var(&r.Tol, "tol", 0, fmt.Sprintf("pagerank tolerance: stop once a step changes the vector by under n*tol in L1 (0: %g, NetworkX's default)", graph.DefaultPageRankTol))
	case graph.AnalysisControl:
		fs.StringVar(&r.Node, "node", "", "one entity's owners and controlling states (default: every firm and facility)")
	case graph.AnalysisRoutes:
		fs.StringVar(&r.From, "from", "", "origin: a node id or a state (its mines); default every origin")
		fs.StringVar(&r.To, "to", "", "destination consumer (same as --consumer)")
		fs.IntVar(&r.K, "k", graph.DefaultRoutes, fmt.Sprintf("number of routes (1..%d)", graph.MaxRoutes))
		fs.IntVar(&r.MaxHops, "max-hops", graph.DefaultMaxHops, fmt.Sprintf("hop limit (1..%d)", graph.MaxHops))
		fs.StringVar(&r.Cost, "cost", graph.CostHops, "hops or risk")
		fs.Var(&avoidStates, "avoid-states", "avoid nodes located in these states")
		fs.Var(&avoidControl, "avoid-control", "avoid nodes controlled by these states")
		fs.Var(&avoidFirms, "avoid-firms", "avoid these firms and what they control or operate")
		fs.Var(&avoidNodes, "avoid-nodes", "avoid these nodes")
	}
	if rest, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
	r.Kinds, r.AvoidStates, r.AvoidControl, r.AvoidFirms, r.AvoidNodes = kinds, avoidStates, avoidControl, avoidFirms, avoidNodes
	r.OnlyStates, r.OnlyControl = onlyStates, onlyControl
	if *format != "json" && *format != "table" && *format != "csv" {
		return usageError{fmt.Sprintf("--format must be json, table or csv, got %q", *format)}
	}
	var result any
	if name == "scenario" {
		sc, err := readScenario(scenarioFile)
		if err != nil {
			return err
		}
		if *asOf != 0 {
			sc.AsOf = *asOf
		}
		if sc.AsOf == 0 {
			sc.AsOf = graph.ThisYear()
		}
		net, closeStore, err := loadNetwork(ctx, *dataFile, 0)
		if err != nil {
			return err
		}
		defer closeStore()
		if result, err = graph.RunScenario(net, sc); err != nil {
			return err
		}
	} else if compare != "" {
		if *asOf != 0 {
			return usageError{"give either --as-of or --compare, not both"}
		}
		years, err := graph.ParseYears(compare)
		if err != nil {
			return err
		}
		net, closeStore, err := loadNetwork(ctx, *dataFile, 0)
		if err != nil {
			return err
		}
		defer closeStore()
		if result, err = graph.Compare(net, name, r, years); err != nil {
			return err
		}
	} else {
		year := *asOf
		if year == 0 {
			year = graph.ThisYear()
		}
		net, closeStore, err := loadNetwork(ctx, *dataFile, year)
		if err != nil {
			return err
		}
		defer closeStore()
		res, err := graph.Analyze(net, name, r)
		if err != nil {
			return err
		}
		res.AsOf = year
		result = res
	}
	return writeResult(env, *format, result)
}

func readScenario(path string) (graph.Scenario, error) {
	var sc graph.Scenario
	if path == "" {
		return sc, usageError{"give the scenario document with --file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return sc, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return sc, graph.Errorf(graph.EInvalid, "%s: malformed scenario: %v", path, err)
	}
	return sc, nil
}
