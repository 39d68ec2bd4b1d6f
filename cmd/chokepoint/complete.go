package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
)

// The completion scripts hand the words of the command line to the hidden command
// "chokepoint __complete WORD…" (the last word is the one being completed, maybe empty), which
// prints what the word may be: a first line saying whether the shell should add file names
// ("files"), directory names ("dirs") or nothing ("none"), then one candidate a line. The
// commands and flags come from the command table and from the flag sets the commands parse, so
// the scripts cannot drift from the CLI.
const (
	completeNone  = "none"
	completeFiles = "files"
	completeDirs  = "dirs"
)

// completionScripts are the scripts of chokepoint completion SHELL.
var completionScripts = map[string]string{
	"bash": `# bash completion for chokepoint: source <(chokepoint completion bash)
_chokepoint() {
	local cur=${COMP_WORDS[COMP_CWORD]} reply
	mapfile -t reply < <("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
	COMPREPLY=("${reply[@]:1}")
	case ${reply[0]} in
	files) compopt -o filenames; mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$cur") ;;
	dirs) compopt -o filenames; mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -d -- "$cur") ;;
	esac
}
complete -F _chokepoint chokepoint
`,
	"zsh": `#compdef chokepoint
# zsh completion for chokepoint: chokepoint completion zsh > "${fpath[1]}/_chokepoint"
_chokepoint() {
	local -a reply
	reply=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
	local kind=${reply[1]}
	reply=("${(@)reply[2,-1]}")
	reply=(${reply:#})
	(( ${#reply} )) && compadd -Q -- "${reply[@]}"
	case $kind in
	files) _files ;;
	dirs) _files -/ ;;
	esac
}
if [ "$funcstack[1]" = "_chokepoint" ]; then
	_chokepoint "$@"
else
	compdef _chokepoint chokepoint
fi
`,
	"fish": `# fish completion for chokepoint: chokepoint completion fish > ~/.config/fish/completions/chokepoint.fish
function __chokepoint_complete
	set -l words (commandline -opc)
	set -l program $words[1]
	set -e words[1]
	set -l cur (commandline -ct)
	set -l reply ($program __complete $words "$cur" 2>/dev/null)
	printf '%s\n' $reply[2..-1]
	switch "$reply[1]"
		case files
			__fish_complete_path "$cur"
		case dirs
			__fish_complete_directories "$cur"
	end
end
complete -c chokepoint -f -a '(__chokepoint_complete)'
`,
}

func runCompletion(_ context.Context, env *cli, args []string) error {
	if len(args) == 0 {
		return usageError{"name a shell: bash, zsh or fish"}
	}
	script, ok := completionScripts[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("no completion for %q: want bash, zsh or fish", args[0])}
	}
	fs := newFlags("completion "+args[0], env)
	if rest, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
	_, err := io.WriteString(env.stdout, script)
	return err
}

// runComplete is the hidden "chokepoint __complete WORD…" run by the completion scripts.
func runComplete(ctx context.Context, env *cli, words []string) error {
	if len(words) == 0 {
		words = []string{""}
	}
	kind, candidates := complete(ctx, words)
	fmt.Fprintln(env.stdout, kind)
	for _, c := range candidates {
		fmt.Fprintln(env.stdout, c)
	}
	return nil
}

// complete returns what the last of words (the words after "chokepoint") may be.
func complete(ctx context.Context, words []string) (kind string, candidates []string) {
	cur, prior := words[len(words)-1], words[:len(words)-1]
	if len(prior) == 0 {
		if strings.HasPrefix(cur, "-") {
			return completeNone, withPrefix(cur, []string{"--help", "--version"})
		}
		return completeNone, withPrefix(cur, names(commands()))
	}
	top := lookup(prior[:1])
	switch {
	case top == nil || top.summary == "":
		return completeNone, nil
	case top.name == "help" && strings.HasPrefix(cur, "-"):
		return completeNone, withPrefix(cur, []string{"--help"})
	case top.name == "help" && len(prior) == 1:
		return completeNone, withPrefix(cur, append(names(commands()), slices.Sorted(maps.Keys(helpTopics()))...))
	case top.name == "help" && len(prior) == 2 && lookup(prior[1:]) != nil:
		return completeNone, withPrefix(cur, names(lookup(prior[1:]).subs))
	case top.name == "help":
		return completeNone, nil
	case len(top.subs) > 0 && len(prior) == 1:
		if strings.HasPrefix(cur, "-") {
			return completeNone, withPrefix(cur, []string{"--help"})
		}
		return completeNone, withPrefix(cur, names(top.subs))
	}
	path := commandPath(prior)
	fs := flagsOf(ctx, path)
	if fs == nil {
		return completeNone, nil
	}
	if rest := prior[len(path):]; len(rest) > 0 {
		if f := valueFlag(fs, rest[len(rest)-1]); f != nil {
			return flagValues(path, f.Name, cur)
		}
	}
	if strings.HasPrefix(cur, "-") {
		var flags []string
		fs.VisitAll(func(f *flag.Flag) { flags = append(flags, "--"+f.Name) })
		return completeNone, withPrefix(cur, append(flags, "--help"))
	}
	c := lookup(path)
	switch {
	case c == nil:
	case c.operands == operandFiles:
		return completeFiles, nil
	case c.operands == operandReports:
		dir := ""
		if f := fs.Lookup("reports-dir"); f != nil {
			dir = f.Value.String()
		}
		reports, err := cypher.NewReports(nil, dir).List()
		if err != nil {
			return completeNone, nil
		}
		var names []string
		for _, r := range reports {
			names = append(names, r.Name)
		}
		return completeNone, withPrefix(cur, names)
	}
	return completeNone, nil
}

// flagsOf returns the flag set of the command at path, with the environment applied, as the
// command defines it: the command is run with --help, and its help is caught instead of printed.
func flagsOf(ctx context.Context, path []string) *flag.FlagSet {
	top := lookup(path[:1])
	if top == nil || top.run == nil {
		return nil
	}
	var fs *flag.FlagSet
	env := &cli{stdout: io.Discard, stderr: io.Discard, help: func(_ []string, f *flag.FlagSet) { fs = f }}
	top.run(ctx, env, append(path[1:len(path):len(path)], "--help"))
	return fs
}

// valueFlag returns the flag that word (--name or -name) names when the flag takes a value in the
// next word, else nil.
func valueFlag(fs *flag.FlagSet, word string) *flag.Flag {
	name, ok := strings.CutPrefix(word, "-")
	name = strings.TrimPrefix(name, "-")
	if !ok || strings.Contains(name, "=") {
		return nil
	}
	f := fs.Lookup(name)
	if f == nil {
		return nil
	}
	if b, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool && b.IsBoolFlag() {
		return nil
	}
	return f
}

// flagValues returns what the value of the flag name of the command at path may be.
func flagValues(path []string, name, cur string) (kind string, candidates []string) {
	switch name {
	case "data", "out", "file", "api-keys-file":
		return completeFiles, nil
	case "reports-dir", "scenario-dir":
		return completeDirs, nil
	}
	formats, dirFormats := formatsOf(path)
	choices := map[string][]string{
		"format":    append(formats, dirFormats...),
		"method":    graph.ChokepointMethods(),
		"metric":    graph.CentralityMetrics(),
		"weight":    graph.DependencyWeights(),
		"basis":     graph.ConcentrationBases(),
		"cost":      {graph.CostHops, graph.CostRisk},
		"log-level": {"debug", "info", "warn", "error"},
	}
	for _, k := range graph.EdgeKinds() {
		choices["kinds"] = append(choices["kinds"], string(k))
	}
	for _, k := range graph.Kinds() {
		choices["kind"] = append(choices["kind"], string(k))
	}
	return completeNone, withPrefix(cur, choices[name])
}

// names returns the names of the commands that are not hidden.
func names(cmds []command) []string {
	var out []string
	for _, c := range cmds {
		if c.summary != "" {
			out = append(out, c.name)
		}
	}
	return out
}

// withPrefix returns the words that start with prefix.
func withPrefix(prefix string, words []string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}
