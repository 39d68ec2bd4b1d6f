package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

func runAnalyze(ctx context.Context, env *cli, args []string) error {
	if len(args) == 0 || args[0] == "help" || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(env.stderr, "usage: chokepoint analyze NAME [flags]\n\nanalyses: %s, scenario\nrun 'chokepoint analyze NAME -h' for its flags\n", strings.Join(graph.Analyses, ", "))
		if len(args) > 0 && args[0] == "help" {
			return nil
		}
		return usageError{"name an analysis"}
	}
	name := args[0]
	if name != "scenario" {
		if err := graph.CheckAnalysis(name); err != nil {
			return usageError{err.Error() + ", or scenario"} // before the flags, which depend on the analysis
		}
	}
	fs := newFlags("analyze "+name, env)
	dataFile := fs.String("data", "", "analyse this dataset file instead of the configured store (no database)")
	asOf := fs.Int("as-of", 0, "the year to analyse (default: this year)")
	compare := ""
	if name != "scenario" {
		fs.StringVar(&compare, "compare", "", "two years A,B: run the analysis for both and show the differences (e.g. 2010,2025)")
	}
	format := fs.String("format", "json", "json, table or csv")
	var r graph.Request
	scenarioFile := ""
	if name == "scenario" {
		fs.StringVar(&scenarioFile, "file", "", "scenario document (JSON)")
	} else {
		analysisFlags(fs, &r, name)
		fs.IntVar(&r.Top, "top", 0, "only the top N ranked results (0: all)")
	}
	if rest, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
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
