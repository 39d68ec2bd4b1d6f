package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

func runAnalyze(ctx context.Context, env *cli, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{"name an analysis: " + strings.Join(analysisNames(), ", ")}
	}
	name := args[0]
	if !slices.Contains(analysisNames(), name) {
		return usageError{fmt.Sprintf("unknown analysis %q (want %s)", name, strings.Join(analysisNames(), ", "))}
	}
	fs := newFlags("analyze "+name, env)
	dataFile := fs.String("data", "", "analyse this dataset file instead of the configured store (no database)")
	asOf, compare := 0, ""
	if name != graph.AnalysisTrend { // a trend has its years (--years)
		fs.IntVar(&asOf, "as-of", 0, "the year to analyse (default: this year)")
	}
	if name != "scenario" && name != graph.AnalysisTrend {
		fs.StringVar(&compare, "compare", "", "two years A,B: run the analysis for both and show the differences (e.g. 2010,2025)")
	}
	format := fs.String("format", "json", "output format: json (the HTTP API's), table or csv")
	var r graph.Request
	scenarioFile := ""
	if name == "scenario" {
		fs.StringVar(&scenarioFile, "file", "", "scenario document (JSON; - reads standard input)")
	} else {
		analysisFlags(fs, &r, name)
		if name != graph.AnalysisTrend {
			fs.IntVar(&r.Top, "top", 0, "only the top N ranked results (0: all)")
		}
	}
	if rest, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
	var result any
	if name == "scenario" {
		sc, err := readScenario(scenarioFile)
		if err != nil {
			return err
		}
		if asOf != 0 {
			sc.AsOf = asOf
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
		if asOf != 0 {
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
	} else if name == graph.AnalysisTrend { // on the whole network, which it cuts to each of its years
		net, closeStore, err := loadNetwork(ctx, *dataFile, 0)
		if err != nil {
			return err
		}
		defer closeStore()
		if result, err = graph.Analyze(net, name, r); err != nil {
			return err
		}
	} else {
		year := asOf
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

// analysisNames returns the names of chokepoint analyze: the analyses and scenario.
func analysisNames() []string { return append(graph.Analyses(), "scenario") }

// readScenario reads a scenario document from a file, or from standard input for "-".
func readScenario(path string) (graph.Scenario, error) {
	var sc graph.Scenario
	if path == "" {
		return sc, usageError{"give the scenario document with --file"}
	}
	f, err := openInput(path)
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
