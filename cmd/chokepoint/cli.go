package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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

// cli carries what every subcommand writes to.
type cli struct {
	stdout, stderr io.Writer
	// help shows the help of a command once its flags are defined: printHelp to stdout, unless
	// completion or a test wants the flags themselves.
	help func(path []string, fs *flag.FlagSet)
}

// usageError is a command-line mistake: reported with the command's usage and exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cli{stdout: stdout, stderr: stderr}
	env.help = func(path []string, fs *flag.FlagSet) { printHelp(env.stdout, path, fs) }
	return env.run(ctx, args)
}

// run runs the command line args: a command, help or the version.
func (env *cli) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		printUsage(env.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help":
		printUsage(env.stdout)
		return exitOK
	case "--version":
		fmt.Fprintln(env.stdout, "chokepoint", version)
		return exitOK
	}
	path := commandPath(args)
	c := lookup(path[:1])
	if c == nil {
		fmt.Fprintf(env.stderr, "chokepoint: unknown command %q\n", args[0])
		printUsage(env.stderr)
		return exitUsage
	}
	if len(c.subs) > 0 && len(args) > 1 && isHelp(args[1]) { // render --help: the views
		printHelp(env.stdout, path[:1], nil)
		return exitOK
	}
	err := c.run(ctx, env, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		name := strings.Join(path, " ")
		fmt.Fprintf(env.stderr, "chokepoint %s: %s\nusage: chokepoint %s %s\nRun 'chokepoint %s --help' for more.\n",
			c.name, ue.msg, name, lookup(path).args, name)
		return exitUsage
	default:
		fmt.Fprintf(env.stderr, "chokepoint %s: %s\n", c.name, userMessage(err))
		return exitFailure
	}
}

// isHelp reports whether a word asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// userMessage is what the CLI prints for an error: the safe message and every problem, or the
// full text of an unexpected error (the CLI user is the operator).
func userMessage(err error) string {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge.Error()
	}
	return err.Error()
}

// newFlags returns the flag set of the command "name" ("render flow"). Once its flags are defined,
// parseFlags reads them from the environment and the command line; -h and --help show them.
func newFlags(name string, env *cli) *flag.FlagSet {
	fs := flag.NewFlagSet("chokepoint "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports the errors
	fs.Usage = func() { env.help(strings.Fields(name), fs) }
	return fs
}

// parseFlags applies the environment (see envFlags), then parses args, which win. Flags may come
// before or after positional arguments, which it returns. -h or --help shows the command's help
// and returns flag.ErrHelp; a --format the command cannot write is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	path := strings.Fields(strings.TrimPrefix(fs.Name(), "chokepoint "))
	envErr := envFlags(fs, path)
	help := fs.Usage
	fs.Usage = func() {} // the flag package calls it on errors too
	defer func() { fs.Usage = help }()
	var positional []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			help()
			return nil, err
		} else if err != nil {
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	if envErr != nil {
		return nil, envErr
	}
	if f := fs.Lookup("format"); f != nil {
		if err := checkFormat(path, f.Value.String()); err != nil {
			return nil, usageError{"--format " + err.Error()}
		}
	}
	return positional, nil
}

// envFlags sets each flag --NAME of the command path (["report", "run"]) from the first of
// CHOKEPOINT_REPORT_RUN_NAME, CHOKEPOINT_REPORT_NAME and CHOKEPOINT_NAME that is set (NAME in
// capitals, dashes as underscores). --format is the one flag whose values differ between
// commands: the variables shared with other commands are passed over where the command does not
// write their format to a file or standard output; the one that names the command must be a
// format it writes.
func envFlags(fs *flag.FlagSet, path []string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		for i := len(path); i >= 0 && err == nil; i-- {
			key := envName(append(path[:i:i], f.Name))
			v, ok := os.LookupEnv(key)
			if !ok {
				continue
			}
			if formats, _ := formatsOf(path); f.Name == "format" && i < len(path) && !slices.Contains(formats, v) {
				continue
			}
			if f.Name == "format" {
				if bad := checkFormat(path, v); bad != nil {
					err = usageError{fmt.Sprintf("%s=%q: %v", key, v, bad)}
					return
				}
			}
			if e := fs.Set(f.Name, v); e != nil {
				err = usageError{fmt.Sprintf("%s=%q: invalid value for --%s: %v", key, v, f.Name, e)}
			}
			return
		}
	})
	return err
}

// envName is the environment variable of a flag of a command: CHOKEPOINT_REPORT_RUN_MAX_ROWS for
// ["report", "run", "max-rows"].
func envName(words []string) string {
	return "CHOKEPOINT_" + strings.ToUpper(strings.ReplaceAll(strings.Join(words, "_"), "-", "_"))
}

// checkFormat returns an error saying which formats the command writes unless it writes format.
func checkFormat(path []string, format string) error {
	formats, dirFormats := formatsOf(path)
	all := append(slices.Clone(formats), dirFormats...)
	if formats == nil || slices.Contains(all, format) {
		return nil
	}
	return fmt.Errorf("%q is not a format chokepoint %s writes: it writes %s (see 'chokepoint help formats')",
		format, strings.Join(path, " "), orList(all))
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// openInput opens a file to read, or standard input for "-".
func openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(path)
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
// into one CSV dataset), directories (their .json and .csv files), and "-", a JSON document on
// standard input.
func readDatasets(paths []string) (*graph.Dataset, error) {
	var jsonFiles []string
	var csvFiles []graph.CSVFile
	for _, p := range paths {
		if p == "-" {
			jsonFiles = append(jsonFiles, p)
			continue
		}
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
				return nil, usageError{fmt.Sprintf("%s: want a .json or .csv file, a directory of them, or - (JSON on standard input)", f)}
			}
		}
	}
	merged := &graph.Dataset{}
	for _, f := range jsonFiles {
		fh, err := openInput(f)
		if err != nil {
			return nil, err
		}
		name := f
		if f == "-" {
			name = "stdin"
		}
		ds, err := graph.DecodeJSON(fh, name)
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
