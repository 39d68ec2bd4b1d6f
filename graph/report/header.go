package report

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// Parameter types a report header may declare.
const (
	TypeString     = "string"
	TypeInt        = "int"
	TypeFloat      = "float"
	TypeBool       = "bool"
	TypeStringList = "list<string>"
	TypeYear       = "year" // an integer from 1000 to 9999
)

var paramTypes = []string{TypeString, TypeInt, TypeFloat, TypeBool, TypeStringList, TypeYear}

// File is a report file to load.
type File struct {
	Name    string // reports/NAME.cypher for a built-in report, else the path of the file
	Text    []byte
	Builtin bool
}

// Load parses report files and returns their reports, sorted by name.
// Errors: EInvalid listing each malformed header and duplicate name with its file and line.
func Load(files []File) ([]*Report, error) {
	var reports []*Report
	var problems []graph.Problem
	byName := map[string]*Report{}
	for _, f := range files {
		rep, ps := parse(f.Name, string(f.Text))
		rep.Builtin = f.Builtin
		problems = append(problems, ps...)
		if prev, ok := byName[rep.Name]; ok && rep.Name != "" {
			problems = append(problems, graph.Problem{File: rep.File, Line: rep.line,
				Message: fmt.Sprintf("report %q is already defined in %s:%d", rep.Name, prev.File, prev.line)})
		}
		byName[rep.Name] = rep
		reports = append(reports, rep)
	}
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b graph.Problem) int {
			return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line)
		})
		return nil, &graph.Error{Code: graph.EInvalid, Message: "invalid report files", Problems: problems}
	}
	slices.SortFunc(reports, func(a, b *Report) int { return strings.Compare(a.Name, b.Name) })
	return reports, nil
}

// Bind checks args against the report's parameters and returns the query's parameters: every
// declared one, given or else defaulted, converted to its type. A nil argument counts as not
// given. Strings, as a command line or a URL gives them, are parsed: "2024" for an int or a year,
// "0.5" for a float, "true" for a bool, and "CN,JP" for a list<string>.
// Errors: EInvalid listing every unknown, missing or ill-typed argument.
func (rep *Report) Bind(args map[string]any) (map[string]any, error) {
	params := map[string]any{}
	var problems []graph.Problem
	for _, p := range rep.Params {
		v := args[p.Name]
		if v == nil {
			if p.Required {
				msg := "missing: the report needs this " + p.Type
				if p.Description != "" {
					msg += " (" + p.Description + ")"
				}
				problems = append(problems, graph.Problem{Field: p.Name, Message: msg})
			}
			params[p.Name] = p.Default
			continue
		}
		c, err := convert(p.Type, v)
		if err != nil {
			problems = append(problems, graph.Problem{Field: p.Name, Message: err.Error()})
		}
		params[p.Name] = c
	}
	names := make([]string, len(rep.Params))
	for i, p := range rep.Params {
		names[i] = p.Name
	}
	for _, k := range slices.Sorted(maps.Keys(args)) {
		if !slices.Contains(names, k) {
			problems = append(problems, graph.Problem{Field: k, Message: fmt.Sprintf("unknown parameter (the report takes: %s)", strings.Join(names, ", "))})
		}
	}
	if len(problems) > 0 {
		return nil, &graph.Error{Code: graph.EInvalid, Message: fmt.Sprintf("bad parameters for report %s", rep.Name), Problems: problems}
	}
	return params, nil
}

// convert converts v, from JSON (with or without UseNumber), a command line or a URL, to typ.
func convert(typ string, v any) (any, error) {
	s, isString := v.(string)
	s = strings.TrimSpace(s)
	switch typ {
	case TypeString:
		if isString {
			return v, nil
		}
	case TypeInt, TypeYear:
		var i int64
		var err error
		switch x := v.(type) {
		case int64:
			i = x
		case int:
			i = int64(x)
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return nil, fmt.Errorf("want an integer, got %v", x)
			}
			i = int64(x)
		case json.Number:
			i, err = strconv.ParseInt(string(x), 10, 64)
		case string:
			i, err = strconv.ParseInt(s, 10, 64)
		default:
			err = errors.New("not a number")
		}
		if err != nil {
			return nil, fmt.Errorf("want an integer, got %s", show(v))
		}
		if typ == TypeYear && (i < 1000 || i > 9999) {
			return nil, fmt.Errorf("want a year from 1000 to 9999, got %d", i)
		}
		return i, nil
	case TypeFloat:
		var f float64
		var err error
		switch x := v.(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
		case int:
			f = float64(x)
		case json.Number:
			f, err = x.Float64()
		case string:
			f, err = strconv.ParseFloat(s, 64)
		default:
			err = errors.New("not a number")
		}
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("want a number, got %s", show(v))
		}
		return f, nil
	case TypeBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		if b, err := strconv.ParseBool(s); isString && err == nil {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %s", show(v))
	case TypeStringList:
		out := []any{}
		switch x := v.(type) {
		case string:
			for _, e := range strings.Split(x, ",") {
				if e = strings.TrimSpace(e); e != "" {
					out = append(out, e)
				}
			}
			return out, nil
		case []string:
			for _, e := range x {
				out = append(out, e)
			}
			return out, nil
		case []any:
			for _, e := range x {
				if _, ok := e.(string); !ok {
					return nil, fmt.Errorf("want a list of strings, got %s", show(v))
				}
			}
			return x, nil
		}
		return nil, fmt.Errorf("want a list of strings, got %s", show(v))
	}
	return nil, fmt.Errorf("want a %s, got %s", typ, show(v))
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

var (
	reportName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	paramName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	paramUse   = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
)

// parse reads a report file: a header of "// key: value" lines from the first line to the
// first line that is not a "//" comment, then the query. Keys: name (lowercase letters, digits
// and dashes), title, description (repeatable; the lines are joined) and param, repeatable:
//
//	// param: NAME TYPE [= DEFAULT] [-- DESCRIPTION]
//
// where TYPE is one of paramTypes and DEFAULT a JSON value ("JP", 2024, 0.5, true, ["CN"], null).
// A parameter without a default is required. Every parameter must appear in the query as $NAME,
// and the query may use no other. A trailing semicolon is dropped.
func parse(file, text string) (*Report, []graph.Problem) {
	rep := &Report{File: file, Params: []Param{}}
	var problems []graph.Problem
	bad := func(line int, format string, args ...any) {
		problems = append(problems, graph.Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	lines := strings.Split(text, "\n")
	paramLines := map[string]int{}
	n := 0
	for ; n < len(lines); n++ {
		comment, ok := strings.CutPrefix(strings.TrimSpace(lines[n]), "//")
		if !ok {
			break
		}
		line := n + 1
		if comment = strings.TrimSpace(comment); comment == "" {
			continue
		}
		key, value, ok := strings.Cut(comment, ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case !ok:
			bad(line, `want "// key: value" with key name, title, description or param`)
		case key == "name" && rep.Name != "":
			bad(line, "a second name")
		case key == "name" && !reportName.MatchString(value):
			bad(line, "name %q: want lowercase letters, digits and dashes, as in state-dependency", value)
		case key == "name":
			rep.Name, rep.line = value, line
		case key == "title" && rep.Title != "":
			bad(line, "a second title")
		case key == "title":
			rep.Title = value
		case key == "description":
			rep.Description = strings.TrimSpace(rep.Description + " " + value)
		case key == "param":
			p, err := parseParam(value)
			switch {
			case err != nil:
				bad(line, "param: %v", err)
			case paramLines[p.Name] > 0:
				bad(line, "param %s is already declared on line %d", p.Name, paramLines[p.Name])
			default:
				rep.Params = append(rep.Params, p)
				paramLines[p.Name] = line
			}
		default:
			bad(line, "unknown key %q: want name, title, description or param", key)
		}
	}
	if rep.Name == "" {
		bad(1, `no "// name: NAME" line in the header (the header is the comment lines at the top of the file)`)
	}
	if rep.Title == "" {
		bad(1, `no "// title: TITLE" line in the header`)
	}
	rep.Query = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.Join(lines[n:], "\n")), ";"))
	if rep.Query == "" {
		bad(n+1, "no Cypher query after the header")
		return rep, problems
	}
	used := map[string]bool{}
	header := len(strings.Join(lines[:n], "\n"))
	for _, m := range paramUse.FindAllStringSubmatchIndex(text, -1) {
		if m[0] < header {
			continue
		}
		name := text[m[2]:m[3]]
		if !used[name] && paramLines[name] == 0 {
			bad(strings.Count(text[:m[0]], "\n")+1, "the query uses $%s, which the header does not declare", name)
		}
		used[name] = true
	}
	for _, p := range rep.Params {
		if !used[p.Name] {
			bad(paramLines[p.Name], "param %s is declared but the query does not use $%s", p.Name, p.Name)
		}
	}
	return rep, problems
}

// parseParam parses "NAME TYPE [= DEFAULT] [-- DESCRIPTION]".
func parseParam(s string) (Param, error) {
	name, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	typ, rest, _ := strings.Cut(strings.TrimSpace(rest), " ")
	rest = strings.TrimSpace(rest)
	p := Param{Name: name, Type: typ, Required: true}
	switch {
	case !paramName.MatchString(name):
		return p, fmt.Errorf("name %q: want letters, digits and underscores, as in min_share", name)
	case slices.Contains(RunOptions(), name):
		return p, fmt.Errorf("name %q is reserved (%s are options of a run)", name, strings.Join(RunOptions(), ", "))
	case !slices.Contains(paramTypes, typ):
		return p, fmt.Errorf("%s: type %q: want one of %s", name, typ, strings.Join(paramTypes, ", "))
	}
	if lit, ok := strings.CutPrefix(rest, "="); ok {
		dec := json.NewDecoder(strings.NewReader(lit))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return p, fmt.Errorf(`%s: the default must be a JSON value, such as "JP", 2024, 0.5, true, ["CN", "JP"] or null`, name)
		}
		rest = strings.TrimSpace(lit[dec.InputOffset():])
		p.Required = false
		if v != nil {
			var err error
			if p.Default, err = convert(typ, v); err != nil {
				return p, fmt.Errorf("%s: default: %v", name, err)
			}
		}
	}
	if rest != "" {
		desc, ok := strings.CutPrefix(rest, "--")
		if !ok {
			return p, fmt.Errorf("%s: unexpected %q: want NAME TYPE [= DEFAULT] [-- DESCRIPTION]", name, rest)
		}
		p.Description = strings.TrimSpace(desc)
	}
	return p, nil
}
