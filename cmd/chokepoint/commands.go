package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/chokepoint/chokepoint/graph/render"
)

// command is a command of the CLI, or a subcommand (an analysis, a view, a report action): what
// help prints and completion offers. Its flags are not listed here: help and completion take them
// from the flag set the command itself parses (see flagsOf).
type command struct {
	name    string
	args    string   // the synopsis after the name
	summary string   // one line; "" hides the command
	formats []string // the --format values it writes, its default first; nil: no --format
	// dirFormats are the --format values it writes only into a directory (--out DIR), which a
	// CHOKEPOINT_FORMAT shared with other commands does not choose.
	dirFormats []string
	operands   string   // what its arguments are, for completion: operandFiles, operandReports or ""
	examples   []string // shell lines
	subs       []command
	// run runs a top-level command with the arguments after its name.
	run func(ctx context.Context, env *cli, args []string) error
}

// What a command's arguments complete to.
const (
	operandFiles   = "files"
	operandReports = "reports"
)

// The --format values of the commands (see 'chokepoint help formats').
var (
	tableFormats  = []string{"json", "table", "csv"}
	rowFormats    = []string{"table", "json", "csv"}
	pictureFormat = render.Formats()
	chartFormats  = []string{render.FormatSVG, render.FormatPNG}
)

// commands returns the command table: every command, subcommand and help topic's place.
func commands() []command {
	analysis := func(name, args, summary string, examples ...string) command {
		return command{name: name, args: args, summary: summary, formats: tableFormats, examples: examples}
	}
	view := func(name, args, summary string, examples ...string) command {
		return command{name: name, args: args, summary: summary, formats: pictureFormat, examples: examples}
	}
	return []command{
		{name: "serve", args: "[flags]", summary: "run the HTTP API", run: runServe, examples: []string{
			"chokepoint serve                                  # the bundled dataset, embedded store, on 127.0.0.1:8080",
			"chokepoint serve --addr :9090 --data my-network.json",
			"CHOKEPOINT_API_KEYS=k1:read,k2:write chokepoint serve --log-level debug",
		}},
		{name: "import", args: "FILE|DIR|-…", summary: "validate dataset files and import them into Neo4j (all or nothing)", operands: operandFiles, run: runImport, examples: []string{
			"chokepoint import data/chokepoint.json",
			"chokepoint import --quiet csv-dir/",
			"chokepoint export --data other.json | chokepoint import -",
		}},
		{name: "validate", args: "FILE|DIR|-…", summary: "check dataset files and list every problem", operands: operandFiles, run: runValidate, examples: []string{
			"chokepoint validate data/chokepoint.json",
			"chokepoint validate nodes.csv edges.csv commodities.csv",
			"chokepoint export - | chokepoint validate -",
		}},
		{name: "export", args: "[-] [flags]", summary: "write the stored network, or part of it, as a dataset", formats: []string{"json"}, dirFormats: []string{"csv"}, run: runExport, examples: []string{
			"chokepoint export > network.json",
			"chokepoint export --commodity rare-earths --state JP --as-of 2024 -",
			"chokepoint export --format csv --out csv-dir",
		}},
		{name: "analyze", args: "NAME [flags]", summary: "run an analysis", run: runAnalyze, examples: []string{
			"chokepoint analyze flow --commodity rare-earths --consumer state:JP --format table",
			"chokepoint analyze flow --data my-network.json --commodity gallium --consumer state:US --as-of 2020",
		}, subs: []command{
			analysis("flow", "--commodity C --consumer X [flags]", "the most of a commodity that can reach a consumer (max flow)",
				"chokepoint analyze flow --commodity rare-earths --consumer state:JP --as-of 2024"),
			analysis("chokepoints", "--commodity C --consumer X [--method M] [flags]", "the nodes a consumer's supply depends on (dominators, flow, cut, articulation)",
				"chokepoint analyze chokepoints --commodity rare-earths --consumer state:JP --method cut --format table"),
			analysis("control", "[--node ID] [flags]", "who owns and controls a firm or facility, or every one",
				"chokepoint analyze control --node refinery:lynas-malaysia --format table"),
			analysis("concentration", "[--commodity C] [--basis B] [flags]", "shares of each stage by location and controlling state, HHI",
				"chokepoint analyze concentration --commodity gallium --basis capacity --format csv"),
			analysis("dependency", "--commodity C --consumer X --supplier S [flags]", "the share of a consumer's supply that passed through a supplier, by stage",
				"chokepoint analyze dependency --commodity rare-earths --consumer state:JP --supplier CN --format table",
				"chokepoint analyze dependency --commodity rare-earths --consumer state:JP --supplier CN --compare 2010,2024"),
			analysis("centrality", "[--metric M] [--kinds K,…] [flags]", "degree, betweenness, closeness or PageRank of the supply graph",
				"chokepoint analyze centrality --metric pagerank --top 10 --format table"),
			analysis("routes", "--commodity C --to X [flags]", "the k shortest routes to a consumer, avoiding states, firms or nodes",
				"chokepoint analyze routes --commodity rare-earths --to state:JP --avoid-states CN --k 3 --format table"),
			analysis("finance", "--commodity C --consumer X [--financier ID] [flags]", "what each financier's deals reached and what the consumer would lose without them",
				"chokepoint analyze finance --commodity rare-earths --consumer state:JP --format table"),
			analysis("attribution", "--commodity C --consumer X --supplier S --base YEAR [flags]", "what lowered a dependency since a base year",
				"chokepoint analyze attribution --commodity rare-earths --consumer state:JP --supplier CN --base 2010 --as-of 2024"),
			analysis("trend", "--commodity C --consumer X --supplier S [--years A..B] [flags]", "a consumer's dependency on a supplier and its max supply, year by year",
				"chokepoint analyze trend --commodity rare-earths --consumer state:JP --supplier CN --years 2008..2024 --format table"),
			analysis("scenario", "--file SCENARIO.json|- [flags]", "a what-if: remove states, nodes or edges, apply export controls, compare",
				"chokepoint analyze scenario --file cn-ban.json --format table",
				"chokepoint analyze scenario --file - < cn-ban.json"),
		}},
		{name: "render", args: "VIEW [ID|FILE] [flags]", summary: "draw a flow, a neighbourhood, routes, a control tree, a scenario or a trend, or lay out any DOT, as SVG, PNG or DOT", formats: pictureFormat, run: runRender, examples: []string{
			"chokepoint render flow --commodity rare-earths --consumer state:JP --out flow.svg",
			"chokepoint render node firm:lynas --depth 2 --format png --out lynas.png",
		}, subs: []command{
			view("flow", "--commodity C --consumer X [flags]", "the flow graph of a commodity to a consumer, chokepoints highlighted",
				"chokepoint render flow --commodity rare-earths --consumer state:JP --out flow.svg",
				"chokepoint render flow --commodity rare-earths --consumer state:JP --format png --out - | display"),
			view("node", "ID [--depth N] [--kinds K,…] [flags]", "a node and its neighbours up to a depth",
				"chokepoint render node firm:jogmec --depth 2 --format dot"),
			view("routes", "--commodity C --consumer X [flags]", "the routes of analyze routes, drawn",
				"chokepoint render routes --commodity rare-earths --consumer state:JP --avoid-states CN --format png --out routes.png"),
			view("control", "--node ID [flags]", "the owners of a firm or facility up to its controlling states",
				"chokepoint render control --node refinery:lynas-malaysia --out control.svg"),
			view("scenario", "--file SCENARIO.json|- [flags]", "a scenario's outcome drawn against its baseline",
				"chokepoint render scenario --file docs/scenarios/china-removed.json --format png --out scenario.png"),
			{name: "trend", args: "--commodity C --consumer X --supplier S [--years A..B] [flags]", summary: "a consumer's dependency on a supplier over the years, as a chart", formats: chartFormats, examples: []string{
				"chokepoint render trend --commodity rare-earths --consumer state:JP --supplier state:CN --years 2008..2024 --out trend.svg",
			}},
			{name: "dot", args: "FILE|- [flags]", summary: "lay out any DOT document through the same bounded layout", formats: pictureFormat, operands: operandFiles, examples: []string{
				"chokepoint render dot graph.dot --format png --out graph.png",
			}},
		}},
		{name: "report", args: "list|show|run [NAME] [flags]", summary: "list, show and run saved Cypher reports (run needs Neo4j)", run: runReport, examples: []string{
			"chokepoint report list",
			"chokepoint report run ownership-chain --param id=firm:lynas",
		}, subs: []command{
			{name: "list", args: "[flags]", summary: "list the reports and their parameters", formats: []string{"table", "json"}, examples: []string{
				"chokepoint report list",
				"chokepoint report list --reports-dir my-reports --format json",
			}},
			{name: "show", args: "NAME [flags]", summary: "show a report's description, parameters and query", formats: []string{"text", "json"}, operands: operandReports, examples: []string{
				"chokepoint report show ownership-chain",
			}},
			{name: "run", args: "NAME [--param NAME=VALUE…] [flags]", summary: "run a report on Neo4j", formats: rowFormats, operands: operandReports, examples: []string{
				"chokepoint report run import-dependency --param consumer=JP --param year=2024",
				"chokepoint report run ownership-chain --param id=firm:lynas --format csv > chain.csv",
			}},
		}},
		{name: "cypher", args: "QUERY|- [--param NAME=VALUE…] [flags]", summary: "run a read-only Cypher query on Neo4j", formats: rowFormats, run: runCypher, examples: []string{
			"chokepoint cypher 'MATCH (f:Firm {state: $s}) RETURN f.id, f.name' --param s=JP",
			"chokepoint cypher - --format json < query.cypher",
		}},
		{name: "help", args: "[COMMAND…|TOPIC]", summary: "show the help of a command, or a topic: formats, environment", run: runHelp, examples: []string{
			"chokepoint help render flow",
			"chokepoint help formats",
		}},
		{name: "completion", args: "bash|zsh|fish", summary: "print a shell completion script", run: runCompletion, examples: []string{
			"source <(chokepoint completion bash)",
		}, subs: []command{
			{name: "bash", summary: "bash completion", examples: []string{"source <(chokepoint completion bash)"}},
			{name: "zsh", summary: "zsh completion", examples: []string{"chokepoint completion zsh > \"${fpath[1]}/_chokepoint\""}},
			{name: "fish", summary: "fish completion", examples: []string{"chokepoint completion fish > ~/.config/fish/completions/chokepoint.fish"}},
		}},
		{name: "version", args: "", summary: "print the version", run: runVersion, examples: []string{"chokepoint version"}},
		{name: "layout", args: "[--worker] [--format svg|png] < DOT", run: runLayout}, // hidden: run by serve and render, one layout each
		{name: "__complete", args: "WORD…", run: runComplete},                         // hidden: run by the completion scripts
	}
}

// lookup returns the command at path (["render", "flow"]), or nil.
func lookup(path []string) *command {
	cmds := commands()
	var c *command
	for _, name := range path {
		i := slices.IndexFunc(cmds, func(c command) bool { return c.name == name })
		if i < 0 {
			return nil
		}
		c = &cmds[i]
		cmds = c.subs
	}
	return c
}

// commandPath returns the words of args that name a command: the command, and its subcommand
// when it has subcommands and args name one.
func commandPath(args []string) []string {
	c := lookup(args[:1])
	if c != nil && len(args) > 1 && lookup(args[:2]) != nil {
		return args[:2]
	}
	return args[:1]
}

// formatsOf returns the --format values of the command at path, or of the closest command above
// it that has them (a view added to render without its own entry writes what render writes):
// those it writes to a file or standard output, the default first, and those it writes only into
// a directory.
func formatsOf(path []string) (formats, dirFormats []string) {
	for i := len(path); i > 0; i-- {
		if c := lookup(path[:i]); c != nil && c.formats != nil {
			return c.formats, c.dirFormats
		}
	}
	return nil, nil
}

func runVersion(_ context.Context, env *cli, args []string) error {
	fs := newFlags("version", env)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
	fmt.Fprintln(env.stdout, "chokepoint", version)
	return nil
}
