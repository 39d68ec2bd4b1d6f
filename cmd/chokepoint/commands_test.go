package main

import (
	"context"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

// paths returns the path of every command and subcommand that help documents.
func paths() [][]string {
	var out [][]string
	for _, c := range commands() {
		if c.summary == "" {
			continue
		}
		out = append(out, []string{c.name})
		for _, s := range c.subs {
			out = append(out, []string{c.name, s.name})
		}
	}
	return out
}

// TestCommandTable checks the table against the code it documents: the analyses and views the
// commands accept, the flag set and --format default of each command, and that every example
// parses.
func TestCommandTable(t *testing.T) {
	if got := names(lookup([]string{"analyze"}).subs); !slices.Equal(got, analysisNames()) {
		t.Errorf("analyze documents %v, runs %v", got, analysisNames())
	}
	if got := names(lookup([]string{"render"}).subs); !slices.Equal(got, renderViews) {
		t.Errorf("render documents %v, draws %v", got, renderViews)
	}
	for _, path := range paths() {
		name := strings.Join(path, " ")
		c := lookup(path)
		if len(c.examples) == 0 {
			t.Errorf("%s: no examples", name)
		}
		if len(c.subs) > 0 {
			continue
		}
		fs := flagsOf(context.Background(), path)
		if fs == nil {
			t.Errorf("%s: --help shows no flags", name)
			continue
		}
		formats, _ := formatsOf(path)
		switch f := fs.Lookup("format"); {
		case f == nil && formats != nil:
			t.Errorf("%s: formats %v but no --format", name, formats)
		case f != nil && (formats == nil || f.DefValue != formats[0]):
			t.Errorf("%s: --format defaults to %q, the table says %v", name, f.DefValue, formats)
		}
		for _, example := range c.examples {
			for _, args := range exampleCommands(example) {
				checkExample(t, example, args)
			}
		}
	}
}

// checkExample parses the command line of an example as the command does, up to --help.
func checkExample(t *testing.T, example string, args []string) {
	t.Helper()
	var fs *flag.FlagSet
	env := &cli{stdout: io.Discard, stderr: io.Discard, help: func(_ []string, f *flag.FlagSet) { fs = f }}
	if code := env.run(context.Background(), append(args, "--help")); code != exitOK || fs == nil {
		t.Errorf("example %q: exit %d, flags not parsed", example, code)
		return
	}
	if i := slices.Index(args, "--format"); i >= 0 {
		if err := checkFormat(commandPath(args), args[i+1]); err != nil {
			t.Errorf("example %q: %v", example, err)
		}
	}
}

// exampleCommands returns the arguments of each chokepoint command in a shell line: after the
// program name, without variable assignments, redirections, quotes and comments.
func exampleCommands(line string) [][]string {
	line, _, _ = strings.Cut(line, " #")
	if before, after, ok := strings.Cut(line, "<("); ok { // source <(chokepoint …)
		line = before + "| " + strings.TrimSuffix(after, ")")
	}
	var words []string
	var word strings.Builder
	quote := rune(0)
	inWord := false
	for _, r := range line + " " {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				words = append(words, word.String())
			}
			word.Reset()
			inWord = false
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	var out [][]string
	var cmd []string
	for i := 0; i <= len(words); i++ {
		if i == len(words) || words[i] == "|" {
			if len(cmd) > 0 && cmd[0] == "chokepoint" {
				out = append(out, cmd[1:])
			}
			cmd = nil
			continue
		}
		w := words[i]
		switch {
		case w == "<" || w == ">":
			i++ // and its file
		case len(cmd) == 0 && strings.Contains(w, "="):
		default:
			cmd = append(cmd, w)
		}
	}
	return out
}

func TestExampleCommands(t *testing.T) {
	got := exampleCommands(`CHOKEPOINT_X=1 chokepoint cypher 'MATCH (n {a: "b"}) RETURN n' --param s=JP < q.cypher | chokepoint validate - > out # note`)
	want := [][]string{{"cypher", `MATCH (n {a: "b"}) RETURN n`, "--param", "s=JP"}, {"validate", "-"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("%q", got)
	}
}
