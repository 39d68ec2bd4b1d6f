package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph/report"
)

func runReport(ctx context.Context, env *cli, args []string) error {
	if len(args) == 0 {
		return usageError{"want list, show NAME or run NAME"}
	}
	sub, args := args[0], args[1:]
	fs := newFlags("report "+sub, env)
	dir := fs.String("reports-dir", "", "directory of your own *.cypher reports, listed beside the built-in ones")
	switch sub {
	case "list":
		format := fs.String("format", "table", "output format: table or json")
		if _, err := parseArgs(fs, args, 0); err != nil {
			return err
		}
		reports, err := cypher.NewReports(nil, *dir).List()
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSON(env, reports)
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tPARAMETERS\tTITLE")
		for _, r := range reports {
			names := make([]string, len(r.Params))
			for i, p := range r.Params {
				names[i] = p.Name
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, strings.Join(names, ","), r.Title)
		}
		return tw.Flush()
	case "show":
		format := fs.String("format", "text", "output format: text or json")
		rest, err := parseArgs(fs, args, 1)
		if err != nil {
			return err
		}
		r, err := cypher.NewReports(nil, *dir).Get(rest[0])
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSON(env, r)
		}
		fmt.Fprintf(env.stdout, "%s: %s\n\n%s\n\nParameters (--param NAME=VALUE):\n", r.Name, r.Title, r.Description)
		for _, p := range r.Params {
			def := "required"
			if !p.Required {
				b, _ := json.Marshal(p.Default)
				def = "default " + string(b)
			}
			fmt.Fprintf(env.stdout, "  %s (%s, %s): %s\n", p.Name, p.Type, def, p.Description)
		}
		fmt.Fprintf(env.stdout, "\n%s\n", r.Query)
		return nil
	case "run":
		params := paramFlag{}
		fs.Var(params, "param", "a report parameter `NAME=VALUE` (repeatable; for a list, repeat the name or separate values with commas)")
		format, lim := runFlags(fs)
		rest, err := parseArgs(fs, args, 1)
		if err != nil {
			return err
		}
		reports, closeStore, err := openReports(ctx, *dir, lim)
		if err != nil {
			return err
		}
		defer closeStore()
		res, err := reports.Run(ctx, rest[0], params, 0)
		if err != nil {
			return err
		}
		return writeRows(env, *format, res)
	}
	return usageError{fmt.Sprintf("unknown report command %q: want list, show or run", sub)}
}

func runCypher(ctx context.Context, env *cli, args []string) error {
	fs := newFlags("cypher", env)
	params := paramFlag{}
	fs.Var(params, "param", "a query parameter `NAME=VALUE` (repeatable); VALUE is read as JSON when it is JSON (5, true, [\"CN\"]), else as a string")
	format, lim := runFlags(fs)
	rest, err := parseArgs(fs, args, 1)
	if err != nil {
		return err
	}
	query := rest[0]
	if query == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return err
		}
		query = string(b)
	}
	reports, closeStore, err := openReports(ctx, "", lim)
	if err != nil {
		return err
	}
	defer closeStore()
	res, err := reports.Query(ctx, query, params.jsonValues(), 0)
	if err != nil {
		return err
	}
	return writeRows(env, *format, res)
}

// limits are the --timeout and --max-rows flags of a run.
type limits struct {
	timeout time.Duration
	maxRows int
}

// runFlags defines the --format, --timeout and --max-rows flags of a run.
func runFlags(fs *flag.FlagSet) (*string, *limits) {
	var lim limits
	format := fs.String("format", "table", "output format: table, json (the HTTP API's shape) or csv")
	fs.DurationVar(&lim.timeout, "timeout", cypher.DefaultTimeout, "time limit of the query; Neo4j stops it then")
	fs.IntVar(&lim.maxRows, "max-rows", cypher.DefaultMaxRows, "the most rows to return")
	return format, &lim
}

// parseArgs parses the flags and wants n positional arguments.
func parseArgs(fs *flag.FlagSet, args []string, n int) ([]string, error) {
	rest, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return nil, err
	case len(rest) > n:
		return nil, usageError{fmt.Sprintf("unexpected argument %q", rest[n])}
	case len(rest) < n && fs.Name() == "chokepoint cypher":
		return nil, usageError{"want a Cypher query, or - to read it from standard input"}
	case len(rest) < n:
		return nil, usageError{"want a report name (chokepoint report list lists them)"}
	}
	return rest, nil
}

// openReports opens Neo4j and returns its reports with the given limits; closeStore closes it.
func openReports(ctx context.Context, dir string, lim *limits) (reports report.Service, closeStore func(), err error) {
	if lim.timeout <= 0 || lim.maxRows <= 0 {
		return nil, nil, usageError{"--timeout and --max-rows must be positive"}
	}
	cfg, err := cypher.ConfigFor("running Cypher needs Neo4j")
	if err != nil {
		return nil, nil, err
	}
	store, err := cypher.Open(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	r := cypher.NewReports(store, dir)
	r.Timeout, r.MaxRows = lim.timeout, lim.maxRows
	return r, func() { store.Close(context.Background()) }, nil
}

// writeRows prints a result as an aligned table, as JSON (the HTTP API's shape) or as CSV (the
// HTTP API's too). Rows left out at the limit are reported on stderr.
func writeRows(env *cli, format string, res *report.Result) error {
	switch format {
	case "json":
		if err := writeJSON(env, res); err != nil {
			return err
		}
	case "csv":
		w := csv.NewWriter(env.stdout)
		if err := w.WriteAll(res.Records()); err != nil {
			return err
		}
	default:
		tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
		flat := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
		for _, rec := range res.Records() {
			for i, cell := range rec {
				rec[i] = flat.Replace(cell)
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "(%d rows, %.0f ms)\n", res.RowCount, res.ElapsedMS)
	}
	if res.Truncated {
		fmt.Fprintf(env.stderr, "chokepoint: only the first %d rows: the query has more (raise --max-rows)\n", res.RowCount)
	}
	return nil
}

// paramFlag collects repeated --param NAME=VALUE flags; a name given more than once collects a
// list of strings.
type paramFlag map[string]any

func (p paramFlag) String() string { return "" }

func (p paramFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	switch old := p[name].(type) {
	case nil:
		p[name] = value
	case string:
		p[name] = []string{old, value}
	case []string:
		p[name] = append(old, value)
	}
	return nil
}

// jsonValues returns the parameters with every value read as JSON when it is JSON, else kept as
// a string: 5 is a number, "5" (with the quotes) and JP are strings.
func (p paramFlag) jsonValues() map[string]any {
	out := map[string]any{}
	for name, v := range p {
		switch x := v.(type) {
		case string:
			out[name] = jsonValue(x)
		case []string:
			list := make([]any, len(x))
			for i, s := range x {
				list[i] = jsonValue(s)
			}
			out[name] = list
		}
	}
	return out
}

func jsonValue(s string) any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return s
	}
	return v
}
