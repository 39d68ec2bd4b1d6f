package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// helpTopics returns the topics of 'chokepoint help TOPIC' that are not commands.
func helpTopics() map[string]func(io.Writer) {
	return map[string]func(io.Writer){"formats": printFormats, "environment": printEnvironment}
}

// printUsage prints the top-level help: the commands, the topics and the global flags.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "chokepoint maps critical-minerals supply networks and finds their chokepoints.\n\n",
		"Usage: chokepoint COMMAND [ARGS] [flags]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands() {
		if c.summary != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
		}
	}
	tw.Flush()
	fmt.Fprint(w, "\nHelp topics: ", strings.Join(slices.Sorted(maps.Keys(helpTopics())), ", "), " (chokepoint help TOPIC)\n",
		"\nFlags:\n  -h, --help     show this help\n      --version  print the version\n",
		"\nExamples:\n",
		"  chokepoint analyze dependency --commodity rare-earths --consumer state:JP --supplier CN --format table\n",
		"  chokepoint render flow --commodity rare-earths --consumer state:JP --out flow.svg\n",
		"  chokepoint help analyze\n",
		"\nRun 'chokepoint COMMAND --help' (or 'chokepoint help COMMAND') for a command's flags and examples.\n")
}

// printHelp prints the help of the command at path: its synopsis, its subcommands or its flags
// (those of fs, as the command parses them), its formats, examples and environment variables.
func printHelp(w io.Writer, path []string, fs *flag.FlagSet) {
	name := strings.Join(path, " ")
	c := lookup(path)
	if c == nil { // a subcommand without an entry of its own: its flags, under its parent's name
		c = &command{args: "[flags]"}
	}
	fmt.Fprintf(w, "Usage: chokepoint %s %s\n", name, c.args)
	if c.summary != "" {
		fmt.Fprintf(w, "\n%s%s.\n", strings.ToUpper(c.summary[:1]), c.summary[1:])
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(c.subs) > 0 {
		fmt.Fprintln(w, "\nSubcommands:")
		for _, s := range c.subs {
			fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.summary)
		}
		tw.Flush()
		fmt.Fprintf(w, "\nRun 'chokepoint %s NAME --help' for the flags and examples of one.\n", name)
	}
	if fs != nil {
		fmt.Fprintln(w, "\nFlags:")
		fs.VisitAll(func(f *flag.Flag) {
			meta, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(tw, "  --%s\t%s\n", strings.TrimSpace(f.Name+" "+placeholder(f.Name, meta)), usage+defaultText(f))
		})
		fmt.Fprintf(tw, "  -h, --help\tshow this help\n")
		tw.Flush()
	}
	if formats, dirFormats := formatsOf(path); fs != nil && fs.Lookup("format") != nil {
		fmt.Fprintf(w, "\nFormats (--format): %s (see 'chokepoint help formats').\n", formatText(formats, dirFormats))
	}
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	if fs != nil && hasFlags(fs) {
		vars := make([]string, 0, len(path)+1)
		for i := len(path); i >= 0; i-- {
			vars = append(vars, envName(append(path[:i:i], "<FLAG>")))
		}
		fmt.Fprintf(w, "\nEnvironment: a flag takes its default from the first set of %s\n(FLAG in capitals, - as _; see 'chokepoint help environment').\n", orList(vars))
	}
}

// hasFlags reports whether fs defines any flag.
func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// placeholder names the value of a flag in help: the name quoted in its usage, else one by type.
func placeholder(name, meta string) string {
	switch meta {
	case "":
		return "" // a boolean
	case "int":
		return "N"
	case "float":
		return "NUMBER"
	case "duration":
		return "DURATION"
	case "value":
		return "LIST"
	case "string":
		switch {
		case name == "data" || name == "file" || strings.HasSuffix(name, "-file"):
			return "FILE"
		case name == "out":
			return "PATH"
		case strings.HasSuffix(name, "-dir"):
			return "DIR"
		}
		return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	}
	return meta
}

// defaultText is " (default X)" for a flag whose default is not the zero value.
func defaultText(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return ""
	}
	return " (default " + f.DefValue + ")"
}

func runHelp(ctx context.Context, env *cli, args []string) error {
	fs := newFlags("help", env)
	words, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		printUsage(env.stdout)
		return nil
	}
	if topic, ok := helpTopics()[words[0]]; ok && len(words) == 1 {
		topic(env.stdout)
		return nil
	}
	path := commandPath(words)
	top := lookup(path[:1])
	if top == nil || top.summary == "" {
		return usageError{fmt.Sprintf("no help for %q: name a command or a topic (%s)", words[0], strings.Join(slices.Sorted(maps.Keys(helpTopics())), ", "))}
	}
	if len(words) > len(path) {
		return usageError{fmt.Sprintf("no help for %q", strings.Join(words, " "))}
	}
	if len(path) == 1 && len(top.subs) > 0 {
		printHelp(env.stdout, path, nil)
		return nil
	}
	if err := top.run(ctx, env, append(path[1:len(path):len(path)], "--help")); err != flag.ErrHelp {
		return err
	}
	return nil
}

// printFormats prints the help topic "formats": one set of --format values and what each
// command writes.
func printFormats(w io.Writer) {
	fmt.Fprint(w, `Formats (--format): one set of names, the same meaning in every command.

  table  aligned columns to read (analyze, report list, report run, cypher)
  text   a report described for reading (report show)
  json   the HTTP API's JSON, indented (analyze, export, report, cypher)
  csv    comma-separated with a header row: the HTTP API's CSV (analyze, report run, cypher);
         export --format csv writes one file per kind into --out DIR
  svg    a picture as SVG (render)
  png    a picture as PNG: binary, so render writes it only with --out FILE or --out - (stdout)
  dot    the Graphviz source of a picture, without layout (render; not trend, a chart)

What each command writes:
`)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var walk func(prefix string, cmds []command)
	walk = func(prefix string, cmds []command) {
		for _, c := range cmds {
			switch {
			case c.summary == "":
			case len(c.subs) > 0:
				walk(prefix+c.name+" ", c.subs)
			case c.formats != nil:
				fmt.Fprintf(tw, "  %s%s\t%s\n", prefix, c.name, formatText(c.formats, c.dirFormats))
			}
		}
	}
	walk("", commands())
	tw.Flush()
	fmt.Fprint(w, `
A format a command cannot write is a usage error (exit status 2) that names the ones it can.
CHOKEPOINT_FORMAT sets the format of every command that can write it to a file or standard
output and leaves the others at their default (see 'chokepoint help environment').
`)
}

// formatText describes the formats of a command: "json (default), csv (into --out DIR)".
func formatText(formats, dirFormats []string) string {
	words := slices.Clone(formats)
	words[0] += " (default)"
	for _, f := range dirFormats {
		words = append(words, f+" (into --out DIR)")
	}
	return strings.Join(words, ", ")
}

// printEnvironment prints the help topic "environment".
func printEnvironment(w io.Writer) {
	fmt.Fprint(w, `Environment

Every flag --NAME of a command takes its default from the first of these that is set (NAME in
capitals, dashes as underscores); a flag on the command line wins:
  CHOKEPOINT_<COMMAND>_<SUBCOMMAND>_<NAME>  one subcommand     CHOKEPOINT_REPORT_RUN_MAX_ROWS=500
  CHOKEPOINT_<COMMAND>_<NAME>               a command          CHOKEPOINT_RENDER_TIMEOUT=30s
  CHOKEPOINT_<NAME>                         every command      CHOKEPOINT_DATA=my-network.json
A value the flag does not take is a usage error naming the variable.

--format is the one flag whose values differ between commands. A CHOKEPOINT_FORMAT, or a
CHOKEPOINT_<COMMAND>_FORMAT shared by subcommands, that a command cannot write to a file or
standard output is passed over there: CHOKEPOINT_FORMAT=csv makes analyze, report run and cypher
write CSV and leaves render at svg, report list at table, report show at text and export at json
(its CSV is a directory of files). The variable that names the command itself
(CHOKEPOINT_EXPORT_FORMAT, CHOKEPOINT_RENDER_TREND_FORMAT) must be a format it writes.

Neo4j: import, report run and cypher need it; serve, analyze, render and export use it when
NEO4J_URI is set, else the embedded store with the bundled dataset (or --data FILE).
  NEO4J_URI                      bolt://HOST:PORT or neo4j://HOST:PORT
  NEO4J_USERNAME                 default neo4j
  NEO4J_PASSWORD
  NEO4J_DATABASE                 default neo4j
  CHOKEPOINT_NEO4J_TIMEOUT       deadline of one call to Neo4j (default 10s)
  CHOKEPOINT_NEO4J_LONG_TIMEOUT  deadline of an import or a projection (default 10m)

serve also reads CHOKEPOINT_API_KEY, CHOKEPOINT_API_KEYS and the rest of its flags this way
(chokepoint serve --help).
`)
}
