package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/data"
	"github.com/chokepoint/chokepoint/graph"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed: invalid data, unknown node, Neo4j down…
	exitUsage   = 2 // the command line is wrong
)

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env *cli, args []string) error
}

// cli carries what every subcommand writes to.
type cli struct {
	stdout, stderr io.Writer
}

// usageError is a command-line mistake: reported with the command's usage and exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"serve", "[--addr HOST:PORT] [--data FILE|bundled]", "run the HTTP API", runServe},
		{"import", "FILE|DIR…", "validate and import dataset files into Neo4j (all or nothing)", runImport},
		{"validate", "FILE|DIR…", "check dataset files and list every problem", runValidate},
		{"export", "[--format json|csv] [--out PATH] [filters]", "write the stored network as a dataset", runExport},
		{"analyze", "NAME [flags]", "run an analysis (see 'chokepoint analyze help')", runAnalyze},
		{"render", "flow|node|routes|control|scenario|trend|dot [ID|FILE] [flags]", "draw a flow, a neighbourhood, routes, a control tree, a scenario, a trend or any DOT as SVG, PNG or DOT", runRender},
		{"report", "list|show|run NAME [flags]", "run saved Cypher reports (needs Neo4j)", runReport},
		{"cypher", "'QUERY' [--param k=v…]", "run a read-only Cypher query (needs Neo4j)", runCypher},
		{"layout", "[--format svg|png] < DOT", "", runLayout}, // hidden: run by serve and render, one layout each
		{"version", "", "print the version", func(_ context.Context, env *cli, _ []string) error {
			fmt.Fprintln(env.stdout, "chokepoint", version)
			return nil
		}},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cli{stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		var ue usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "chokepoint %s: %s\nusage: chokepoint %s %s\n", c.name, ue.msg, c.name, c.args)
			return exitUsage
		default:
			fmt.Fprintf(stderr, "chokepoint %s: %s\n", c.name, userMessage(err))
			return exitFailure
		}
	}
	fmt.Fprintf(stderr, "chokepoint: unknown command %q\n", args[0])
	printUsage(stderr)
	return exitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: chokepoint COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		if c.summary == "" {
			continue // hidden
		}
		fmt.Fprintf(w, "  %-9s %-45s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nFlags may also be set as CHOKEPOINT_<FLAG> environment variables (e.g. CHOKEPOINT_ADDR).\nNeo4j is used when NEO4J_URI is set (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).")
}

// userMessage is what the CLI prints for an error: the safe message and every problem, or the
// full text of an unexpected error (the CLI user is the operator).
func userMessage(err error) string {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge.Error()
	}
	return err.Error()
}

// newFlags returns a flag set whose flags, once defined, take defaults from CHOKEPOINT_* variables.
func newFlags(name string, env *cli) *flag.FlagSet {
	fs := flag.NewFlagSet("chokepoint "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return fs
}

// parseFlags applies CHOKEPOINT_<FLAG> environment variables, then parses args (which win).
// Flags may come before or after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		key := "CHOKEPOINT_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(key); ok && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = usageError{fmt.Sprintf("%s=%q: %v", key, v, err)}
			}
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// openStore opens Neo4j when NEO4J_URI is set, else the embedded store seeded with dataFile
// (or the bundled dataset when dataFile is "" or "bundled"). close releases it.
func openStore(ctx context.Context, dataFile string) (store graph.Store, neo *cypher.Store, close func(), err error) {
	if cfg, ok := cypher.ConfigFromEnv(); ok {
		neo, err := cypher.Open(ctx, cfg)
		if err != nil {
			return nil, nil, nil, err
		}
		return neo, neo, func() { neo.Close(context.Background()) }, nil
	}
	ds, err := loadData(dataFile)
	if err != nil {
		return nil, nil, nil, err
	}
	mem, err := graph.NewMemStore(ds)
	if err != nil {
		return nil, nil, nil, err
	}
	return mem, nil, func() {}, nil
}

// loadData reads a dataset file, or the bundled dataset for "" and "bundled".
func loadData(path string) (*graph.Dataset, error) {
	if path == "" || path == "bundled" {
		return data.Bundled()
	}
	return readDatasets([]string{path})
}

// readDatasets reads dataset files and merges them into one: JSON documents, CSV files (grouped
// into one CSV dataset), and directories (their .json and .csv files).
func readDatasets(paths []string) (*graph.Dataset, error) {
	var jsonFiles []string
	var csvFiles []graph.CSVFile
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		files := []string{p}
		if info.IsDir() {
			entries, err := os.ReadDir(p)
			if err != nil {
				return nil, err
			}
			files = nil
			for _, e := range entries {
				if ext := strings.ToLower(filepath.Ext(e.Name())); !e.IsDir() && (ext == ".json" || ext == ".csv") {
					files = append(files, filepath.Join(p, e.Name()))
				}
			}
			sort.Strings(files)
		}
		for _, f := range files {
			switch strings.ToLower(filepath.Ext(f)) {
			case ".json":
				jsonFiles = append(jsonFiles, f)
			case ".csv":
				b, err := os.ReadFile(f)
				if err != nil {
					return nil, err
				}
				csvFiles = append(csvFiles, graph.CSVFile{Name: f, Data: b})
			default:
				return nil, usageError{fmt.Sprintf("%s: want a .json or .csv file, or a directory of them", f)}
			}
		}
	}
	merged := &graph.Dataset{}
	for _, f := range jsonFiles {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		ds, err := graph.DecodeJSON(fh, f)
		fh.Close()
		if err != nil {
			return nil, err
		}
		merged = graph.Merge(merged, ds)
	}
	if len(csvFiles) > 0 {
		ds, err := graph.DecodeCSV(csvFiles)
		if err != nil {
			return nil, err
		}
		merged = graph.Merge(merged, ds)
	}
	return merged, nil
}
