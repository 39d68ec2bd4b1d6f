package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// complete runs "chokepoint __complete WORD…" as the completion scripts do and returns its kind
// line and candidates.
func complete(t *testing.T, words ...string) (kind string, candidates []string) {
	t.Helper()
	out, errOut, code := run(t, nil, append([]string{"__complete"}, words...)...)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) == 0 {
		t.Fatalf("__complete %q: %d %s", words, code, errOut)
	}
	return lines[0], lines[1:]
}

// commandPaths returns every command and subcommand the CLI offers, as completion lists them.
func commandPaths(t *testing.T) [][]string {
	var paths [][]string
	_, top := complete(t, "")
	for _, c := range top {
		paths = append(paths, []string{c})
		if c == "help" {
			continue
		}
		_, subs := complete(t, c, "")
		for _, s := range subs {
			paths = append(paths, []string{c, s})
		}
	}
	return paths
}

// helpFlags returns the --flags that a help text lists.
func helpFlags(help string) []string {
	var flags []string
	for _, line := range strings.Split(help, "\n") {
		if f, ok := strings.CutPrefix(line, "  --"); ok {
			flags = append(flags, "--"+strings.Fields(f)[0])
		} else if strings.HasPrefix(line, "  -h, --help") {
			flags = append(flags, "--help")
		}
	}
	slices.Sort(flags)
	return flags
}

// TestHelp asks every command and subcommand for help in each of the three ways: on stdout, exit
// status 0, the same text, with examples, listing the flags that completion offers.
func TestHelp(t *testing.T) {
	top, _, code := run(t, nil, "--help")
	if code != 0 || !strings.HasPrefix(top, "chokepoint maps critical-minerals") || !strings.Contains(top, "\n  completion  ") {
		t.Fatalf("--help: %d %s", code, top)
	}
	for _, args := range [][]string{{"-h"}, {"help"}} {
		if out, errOut, code := run(t, nil, args...); code != 0 || out != top || errOut != "" {
			t.Errorf("%v: %d %q %q", args, code, out, errOut)
		}
	}
	if out, errOut, code := run(t, nil); code != 2 || out != "" || !strings.Contains(errOut, "Usage: chokepoint COMMAND") {
		t.Errorf("no arguments: %d %q %q", code, out, errOut)
	}
	paths := commandPaths(t)
	if len(paths) < 30 || !slices.ContainsFunc(paths, func(p []string) bool { return slices.Equal(p, []string{"report", "run"}) }) {
		t.Fatalf("commands: %v", paths)
	}
	for _, path := range paths {
		name := strings.Join(path, " ")
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			help, errOut, code := run(t, nil, append(path, "--help")...)
			if code != 0 || errOut != "" || !strings.HasPrefix(help, "Usage: chokepoint "+name+" ") || !strings.Contains(help, "\nExamples:\n  ") {
				t.Fatalf("--help: %d %q\n%s", code, errOut, help)
			}
			for _, args := range [][]string{append(path, "-h"), append([]string{"help"}, path...)} {
				if out, errOut, code := run(t, nil, args...); code != 0 || out != help || errOut != "" {
					t.Errorf("%v: %d %q\n%s", args, code, errOut, out)
				}
			}
			if _, subs := complete(t, path[0], ""); len(path) == 1 && len(subs) > 0 && path[0] != "help" {
				for _, s := range subs {
					if !strings.Contains(help, "\n  "+s+" ") {
						t.Errorf("the help does not list %s", s)
					}
				}
				return
			}
			_, offered := complete(t, append(path, "--")...)
			slices.Sort(offered)
			if got := helpFlags(help); !slices.Equal(got, offered) || !slices.Contains(got, "--help") {
				t.Errorf("help lists %v, completion offers %v", got, offered)
			}
			for _, line := range strings.Split(help, "\n") {
				if strings.HasPrefix(line, "  -") && !strings.HasPrefix(line, "  --") && !strings.HasPrefix(line, "  -h, --help") {
					t.Errorf("not a GNU-style flag: %q", line)
				}
			}
		})
	}
	for _, topic := range []string{"formats", "environment"} {
		if out, _, code := run(t, nil, "help", topic); code != 0 || !strings.Contains(out, "CHOKEPOINT_FORMAT") {
			t.Errorf("help %s: %d %s", topic, code, out)
		}
	}
	if _, errOut, code := run(t, nil, "help", "bogus"); code != 2 || !strings.Contains(errOut, `no help for "bogus"`) {
		t.Errorf("help bogus: %d %s", code, errOut)
	}
	version, _, code := run(t, nil, "--version")
	if again, _, _ := run(t, nil, "version"); code != 0 || version != again || !strings.HasPrefix(version, "chokepoint ") {
		t.Errorf("--version %q, version %q", version, again)
	}
}

// TestFormats: one set of --format values; a command says which it writes, and a shared
// CHOKEPOINT_FORMAT leaves the commands that cannot write it at their default.
func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    []string
		args   []string
		code   int
		prefix string // of stdout, or a part of stderr when code != 0
	}{
		{"AnalyzeCSV", []string{"CHOKEPOINT_FORMAT=csv"}, []string{"analyze", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024"}, 0, "commodity,consumer,max_supply_tpa,"},
		{"RenderKeepsSVG", []string{"CHOKEPOINT_FORMAT=csv"}, []string{"render", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024"}, 0, "<?xml"},
		{"ExportKeepsJSON", []string{"CHOKEPOINT_FORMAT=csv"}, []string{"export", "--data", small}, 0, "{\n"},
		{"ReportListKeepsTable", []string{"CHOKEPOINT_FORMAT=csv"}, []string{"report", "list"}, 0, "NAME "},
		{"ReportShowKeepsText", []string{"CHOKEPOINT_FORMAT=table"}, []string{"report", "show", "concentration"}, 0, "concentration: "},
		{"CommandVariableWins", []string{"CHOKEPOINT_FORMAT=csv", "CHOKEPOINT_ANALYZE_FORMAT=table"}, []string{"analyze", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024"}, 0, "commodity    consumer"},
		{"FlagWins", []string{"CHOKEPOINT_ANALYZE_FLOW_FORMAT=table"}, []string{"analyze", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024", "--format", "json"}, 0, "{\n"},
		{"SharedRenderVariable", []string{"CHOKEPOINT_RENDER_FORMAT=dot"}, []string{"render", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024"}, 0, "digraph"},
		{"SharedPassedOver", []string{"CHOKEPOINT_RENDER_FORMAT=dot"}, []string{"render", "trend", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN", "--years", "2020..2024"}, 0, "<?xml"},
		{"ErrOwnVariable", []string{"CHOKEPOINT_RENDER_TREND_FORMAT=dot"}, []string{"render", "trend", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN"}, 2,
			`CHOKEPOINT_RENDER_TREND_FORMAT="dot": "dot" is not a format chokepoint render trend writes: it writes svg or png (see 'chokepoint help formats')`},
		{"ErrFlag", nil, []string{"render", "flow", "--format", "csv", "--commodity", "rare-earths", "--consumer", "JP"}, 2,
			`--format "csv" is not a format chokepoint render flow writes: it writes svg, png or dot`},
		{"ErrExportCSVNoDir", nil, []string{"export", "--format", "csv"}, 2, "--format csv writes one file per kind: give --out DIR"},
		{"ErrBadVariable", []string{"CHOKEPOINT_AS_OF=last"}, []string{"analyze", "flow", "--data", small}, 2, `CHOKEPOINT_AS_OF="last": invalid value for --as-of`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, tc.env, tc.args...)
			if code != tc.code || tc.code == 0 && !strings.HasPrefix(out, tc.prefix) || tc.code != 0 && !strings.Contains(errOut, tc.prefix) {
				t.Fatalf("exit %d, want %d\nstdout: %.300s\nstderr: %s\nwant: %s", code, tc.code, out, errOut, tc.prefix)
			}
		})
	}
}

// pipe runs "chokepoint a… | chokepoint b…" as a shell does, two processes joined by a pipe, and
// returns the second's output and exit status.
func pipe(t *testing.T, a, b []string) (string, string, int) {
	t.Helper()
	first, second := exec.Command(binary, a...), exec.Command(binary, b...)
	first.Env, second.Env = withoutNeo4j(os.Environ()), withoutNeo4j(os.Environ())
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var firstErr, out, errOut bytes.Buffer
	first.Stdout, first.Stderr = w, &firstErr
	second.Stdin, second.Stdout, second.Stderr = r, &out, &errOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r.Close()
	if err := first.Wait(); err != nil {
		t.Fatalf("%v: %v %s", a, err, firstErr.String())
	}
	second.Wait()
	return out.String(), errOut.String(), second.ProcessState.ExitCode()
}

// TestStdinStdout: - reads standard input and writes standard output wherever a file is read or
// written.
func TestStdinStdout(t *testing.T) {
	for _, export := range [][]string{{"export", "--data", small, "-"}, {"export", "--data", small}, {"export", "--data", small, "--out", "-"}} {
		if out, errOut, code := pipe(t, export, []string{"validate", "-"}); code != 0 || out != "ok: 4 commodities, 19 nodes, 22 edges\n" {
			t.Errorf("%v | validate -: %d %q %s", export, code, out, errOut)
		}
	}
	flow := []string{"--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024", "--format", "csv"}
	want, _, _ := run(t, nil, append([]string{"analyze", "flow", "--data", small}, flow...)...)
	if out, errOut, code := pipe(t, []string{"export", "--data", small}, append([]string{"analyze", "flow", "--data", "-"}, flow...)); code != 0 || out != want {
		t.Errorf("analyze --data -: %d %q %s", code, out, errOut)
	}
	dot := []string{"render", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024", "--format", "dot"}
	if viaDash, _, code := run(t, nil, append(dot, "--out", "-")...); code != 0 || !strings.HasPrefix(viaDash, "digraph") {
		t.Errorf("render --out -: %d %s", code, viaDash)
	} else if plain, _, _ := run(t, nil, dot...); plain != viaDash {
		t.Errorf("render --out - differs from the default stdout")
	}
	png, _, code := run(t, nil, "render", "node", "firm:ausco", "--data", small, "--format", "png", "--out", "-")
	if code != 0 || !strings.HasPrefix(png, "\x89PNG\r\n\x1a\n") {
		t.Errorf("render png --out -: %d %.20q", code, png)
	}
	scenario := filepath.Join(t.TempDir(), "sc.json")
	os.WriteFile(scenario, []byte(`{"commodity": "rare-earths", "consumer": "state:JP", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`), 0o644)
	cmd := exec.Command(binary, "analyze", "scenario", "--data", small, "--file", "-", "--format", "csv")
	cmd.Env = withoutNeo4j(os.Environ())
	cmd.Stdin, _ = os.Open(scenario)
	fromStdin, err := cmd.Output()
	fromFile, _, _ := run(t, nil, "analyze", "scenario", "--data", small, "--file", scenario, "--format", "csv")
	if err != nil || string(fromStdin) != fromFile || !strings.Contains(fromFile, "max_supply_tpa") {
		t.Errorf("analyze scenario --file -: %v\n%s\nwant\n%s", err, fromStdin, fromFile)
	}
	if _, errOut, code := run(t, nil, "export", "notes.json"); code != 2 || !strings.Contains(errOut, "write to a file with --out FILE") {
		t.Errorf("export FILE: %d %s", code, errOut)
	}
}

// bashComplete runs the bash completion script's function on the words after "chokepoint" as bash
// does on TAB, in dir, and returns the candidates.
func bashComplete(t *testing.T, bash, script, dir string, words ...string) []string {
	t.Helper()
	line := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _chokepoint; printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command(bash, append([]string{"--norc", "--noprofile", "-c", line, "bash", script, binary}, words...)...)
	cmd.Dir = dir
	cmd.Env = withoutNeo4j(os.Environ())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%q: %v", words, err)
	}
	got := strings.Fields(string(out))
	slices.Sort(got)
	return got
}

// TestCompletion runs the completion scripts in the shells that are installed: their functions
// on real command lines (zsh's with compadd stood in for), and zsh and fish parse their scripts.
func TestCompletion(t *testing.T) {
	scripts := map[string]string{}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, errOut, code := run(t, nil, "completion", shell)
		if code != 0 || !strings.Contains(out, "__complete") {
			t.Fatalf("completion %s: %d %s", shell, code, errOut)
		}
		scripts[shell] = filepath.Join(t.TempDir(), "chokepoint."+shell)
		os.WriteFile(scripts[shell], []byte(out), 0o644)
	}
	if _, errOut, code := run(t, nil, "completion", "tcsh"); code != 2 || !strings.Contains(errOut, "want bash, zsh or fish") {
		t.Errorf("completion tcsh: %d %s", code, errOut)
	}
	t.Run("Bash", func(t *testing.T) {
		bash, err := exec.LookPath("bash")
		if err != nil {
			t.Skip("no bash")
		}
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "small.json"), []byte("{}"), 0o644)
		os.WriteFile(filepath.Join(dir, "smaller.csv"), []byte(""), 0o644)
		for _, tc := range []struct {
			words []string
			want  string
		}{
			{[]string{"re"}, "render report"},
			{[]string{"-"}, "--help --version"},
			{[]string{"render", ""}, "control dot flow node routes scenario trend"},
			{[]string{"render", "trend", "--format", ""}, "png svg"},
			{[]string{"render", "flow", "--format", "d"}, "dot"},
			{[]string{"analyze", "dependency", "--we"}, "--weight"},
			{[]string{"analyze", "dependency", "--weight", ""}, "value volume"},
			{[]string{"analyze", "chokepoints", "--method", "c"}, "cut"},
			{[]string{"analyze", "dependency", "--apply-controls", "--a"}, "--apply-controls --as-of"},
			{[]string{"report", "show", "ownership"}, "ownership-chain"},
			{[]string{"report", "run", "--format", ""}, "csv json table"},
			{[]string{"export", "--format", ""}, "csv json"},
			{[]string{"validate", "sma"}, "small.json smaller.csv"},
			{[]string{"analyze", "flow", "--data", "small."}, "small.json"},
			{[]string{"serve", "--log-level", "d"}, "debug"},
			{[]string{"help", "f"}, "formats"},
			{[]string{"help", "render", "t"}, "trend"},
			{[]string{"completion", ""}, "bash fish zsh"},
			{[]string{"analyze", "flow", "--commodity", ""}, ""},
		} {
			if got := strings.Join(bashComplete(t, bash, scripts["bash"], dir, tc.words...), " "); got != tc.want {
				t.Errorf("chokepoint %s<TAB>: %q, want %q", strings.Join(tc.words, " "), got, tc.want)
			}
		}
	})
	t.Run("Zsh", func(t *testing.T) {
		zsh, err := exec.LookPath("zsh")
		if err != nil {
			t.Skip("no zsh")
		}
		if out, err := exec.Command(zsh, "-n", scripts["zsh"]).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
		// The completion function on a command line, with compadd and _files replaced by
		// functions that print what they are given.
		line := `autoload -U compinit && compinit -u -d "$2" && source "$1" || exit 1
compadd() { shift $(( ${@[(i)--]} )); print -l -- "$@"; }
_files() { print -- "(files $*)"; }
words=("$@[3,-1]"); CURRENT=$#words; _chokepoint`
		for _, tc := range []struct {
			words []string
			want  string
		}{
			{[]string{"render", "trend", "--format", ""}, "svg png"},
			{[]string{"rep"}, "report"},
			{[]string{"report", "run", "--max"}, "--max-rows"},
			{[]string{"import", "d"}, "(files )"},
			{[]string{"serve", "--reports-dir", ""}, "(files -/)"},
		} {
			args := append([]string{"-f", "-c", line, "zsh", scripts["zsh"], filepath.Join(t.TempDir(), "zcompdump"), binary}, tc.words...)
			out, err := exec.Command(zsh, args...).Output()
			if got := strings.Join(strings.Fields(string(out)), " "); err != nil || got != tc.want {
				t.Errorf("chokepoint %s<TAB>: %v %q, want %q", strings.Join(tc.words, " "), err, got, tc.want)
			}
		}
	})
	t.Run("Fish", func(t *testing.T) {
		fish, err := exec.LookPath("fish")
		if err != nil {
			t.Skip("no fish")
		}
		if out, err := exec.Command(fish, "--no-execute", scripts["fish"]).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C"chokepoint render trend --format "`, scripts["fish"])
		cmd.Env = append(withoutNeo4j(os.Environ()), "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.Output()
		if got := strings.Fields(string(out)); err != nil || !slices.Equal(got, []string{"png", "svg"}) && !slices.Equal(got, []string{"svg", "png"}) {
			t.Fatalf("fish: %v %q", err, out)
		}
	})
}
