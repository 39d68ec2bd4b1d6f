package cypher

import (
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

//go:embed reports/*.cypher
var builtinReports embed.FS

// Limits of one run, unless Reports sets others.
const (
	DefaultTimeout  = 30 * time.Second
	DefaultMaxRows  = 10000
	DefaultMaxBytes = 16 << 20 // of the rows, as JSON (approximately)
	// fetchSize is how many records the driver fetches at a time: few, so that a run stopped at
	// its byte limit has not buffered much more.
	fetchSize = 100
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

// reservedParams are names a report parameter may not take: the HTTP API reads them from the
// query string as options of the run.
var reservedParams = []string{"format", "max_rows"}

// Param is a report parameter as its header declares it.
type Param struct {
	Name        string
	Type        string
	Default     any  // converted to Type; nil when Required or declared "= null"
	Required    bool // declared without a default: every run must give it
	Description string
}

// Report is a saved report: one read-only Cypher query under a header that names, describes and
// types it (see parseReport).
type Report struct {
	Name        string
	Title       string
	Description string
	Params      []Param
	Query       string
	File        string // reports/NAME.cypher for a built-in report, else the path of the file
	Builtin     bool

	line int // the line of the name
}

// Result is the outcome of a run: the columns in the order the query returns them and the rows,
// their values made plain (see values). Truncated is set when the query had more rows than the
// row or byte limit of the run.
type Result struct {
	Columns   []string
	Rows      [][]any
	RowCount  int
	Truncated bool
	ElapsedMS float64
}

// Reports runs saved reports (the built-in ones and those of a directory) and ad-hoc Cypher, in
// read transactions, after a plan check, within a time limit and a row limit.
type Reports struct {
	// Timeout is the time limit of a run, enforced by Neo4j as the transaction timeout
	// (DefaultTimeout when zero).
	Timeout time.Duration
	// MaxRows is the most rows a run returns (DefaultMaxRows when zero); a run may ask for fewer.
	MaxRows int
	// MaxBytes bounds the rows a run returns by their size as JSON (DefaultMaxBytes when zero): a
	// run stops before the row that would pass it, and is marked truncated.
	MaxBytes int

	store *Store
	dir   string
}

// NeedsNeo4j is the message of a report run without Neo4j.
const NeedsNeo4j = "Cypher reports need Neo4j: start the service with NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD set (see README, \"Running it\")"

// NewReports returns the reports of store: the built-in ones and the *.cypher files of dir (none
// when dir is ""), read on every call, so that a new or edited file needs no restart. store may
// be nil: List and Get work, Run and Query answer ENotImplemented.
func NewReports(store *Store, dir string) *Reports {
	return &Reports{store: store, dir: dir}
}

// List returns every report, sorted by name.
// Errors: EInvalid listing each malformed header and duplicate name with its file and line.
func (r *Reports) List() ([]*Report, error) {
	var reports []*Report
	var problems []graph.Problem
	add := func(file string, data []byte, builtin bool) {
		rep, ps := parseReport(file, string(data))
		rep.Builtin = builtin
		reports, problems = append(reports, rep), append(problems, ps...)
	}
	entries, err := builtinReports.ReadDir("reports")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := builtinReports.ReadFile("reports/" + e.Name())
		if err != nil {
			return nil, err
		}
		add("reports/"+e.Name(), data, true)
	}
	if r.dir != "" {
		entries, err := os.ReadDir(r.dir)
		if err != nil {
			return nil, graph.Errorf(graph.EInvalid, "cannot read the reports directory: %v", err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".cypher") {
				continue
			}
			file := filepath.Join(r.dir, e.Name())
			data, err := os.ReadFile(file)
			if err != nil {
				return nil, graph.Errorf(graph.EInvalid, "cannot read a report: %v", err)
			}
			add(file, data, false)
		}
	}
	byName := map[string]*Report{}
	for _, rep := range reports {
		if prev, ok := byName[rep.Name]; ok && rep.Name != "" {
			problems = append(problems, graph.Problem{File: rep.File, Line: rep.line,
				Message: fmt.Sprintf("report %q is already defined in %s:%d", rep.Name, prev.File, prev.line)})
		}
		byName[rep.Name] = rep
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

// Get returns the report called name. Errors: ENotFound, and those of List.
func (r *Reports) Get(name string) (*Report, error) {
	reports, err := r.List()
	if err != nil {
		return nil, err
	}
	for _, rep := range reports {
		if rep.Name == name {
			return rep, nil
		}
	}
	return nil, graph.Errorf(graph.ENotFound, "no report is called %q (chokepoint report list, or GET /api/v1/reports, lists them)", name)
}

// Run runs the report called name with args bound to its parameters (see Report.Bind), returning
// at most maxRows rows (0: the service's limit, which maxRows cannot raise).
// Errors: ENotFound; EInvalid for bad arguments and for a query that Neo4j or the plan check
// refuses; ETimeout when the run exceeds its time limit; EUnavailable when Neo4j is down.
func (r *Reports) Run(ctx context.Context, name string, args map[string]any, maxRows int) (*Result, error) {
	rep, err := r.Get(name)
	if err != nil {
		return nil, err
	}
	params, err := rep.Bind(args)
	if err != nil {
		return nil, err
	}
	return r.run(ctx, rep.Query, params, maxRows)
}

// Query runs ad-hoc Cypher as Run runs a report. params go to Neo4j as they are, except that
// json.Number values become int64 when they are integers and float64 otherwise.
// Errors: as Run's, without ENotFound.
func (r *Reports) Query(ctx context.Context, query string, params map[string]any, maxRows int) (*Result, error) {
	if strings.TrimSpace(query) == "" {
		return nil, graph.Errorf(graph.EInvalid, "the query is empty")
	}
	p, err := plainNumbers(params)
	if err != nil {
		return nil, graph.Errorf(graph.EInvalid, "bad parameter: %v", err)
	}
	return r.run(ctx, query, p.(map[string]any), maxRows)
}

func (r *Reports) run(ctx context.Context, query string, params map[string]any, maxRows int) (*Result, error) {
	if r.store == nil {
		return nil, graph.Errorf(graph.ENotImplemented, NeedsNeo4j)
	}
	limit := cmp.Or(r.MaxRows, DefaultMaxRows)
	if maxRows < 0 {
		return nil, graph.Errorf(graph.EInvalid, "the row limit must be positive, got %d", maxRows)
	}
	if maxRows > 0 && maxRows < limit {
		limit = maxRows
	}
	timeout := cmp.Or(r.Timeout, DefaultTimeout)
	maxBytes := cmp.Or(r.MaxBytes, DefaultMaxBytes)
	start := time.Now()
	var res *Result
	// Neo4j stops the transaction at timeout; the call's own deadline, a little later, ends a run
	// on a Neo4j that stopped answering.
	err := r.store.callWrap(ctx, timeout+r.store.cfg.Timeout, false, func(err error) error { return r.wrap(err, timeout) }, func(ctx context.Context) error {
		var err error
		res, err = r.runTx(ctx, query, params, limit, maxBytes, timeout)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// runTx runs a query in a read transaction, after the plan check, keeping at most limit rows and
// maxBytes of them.
func (r *Reports) runTx(ctx context.Context, query string, params map[string]any, limit, maxBytes int, timeout time.Duration) (*Result, error) {
	session := r.store.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: r.store.cfg.Database, AccessMode: neo4j.AccessModeRead, FetchSize: fetchSize})
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (*Result, error) {
		if err := check(ctx, tx, query, params); err != nil {
			return nil, err
		}
		cursor, err := tx.Run(ctx, query, params)
		if err != nil {
			return nil, err
		}
		columns, err := cursor.Keys()
		if err != nil {
			return nil, err
		}
		res := &Result{Columns: columns}
		var rows [][]any
		size := 0
		for cursor.Next(ctx) {
			size += jsonSize(cursor.Record().Values)
			if len(rows) == limit || size > maxBytes {
				res.Truncated = true
				break
			}
			rows = append(rows, cursor.Record().Values)
		}
		if err := cursor.Err(); err != nil {
			return nil, err
		}
		if res.Rows, err = values(ctx, tx, rows); err != nil {
			return nil, err
		}
		res.RowCount = len(res.Rows)
		return res, nil
	}, neo4j.WithTxTimeout(timeout))
}

// readProcedures are the procedures a query may call: they read the schema or an index.
var readProcedures = []string{"db.labels", "db.relationshipTypes", "db.propertyKeys",
	"db.schema.nodeTypeProperties", "db.schema.relTypeProperties", "db.schema.visualization",
	"db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships"}

// explain is the prefix that plans a query without running it.
const explain = "EXPLAIN "

// check plans query with EXPLAIN, without running it, and refuses a query that writes (to the
// graph or the schema), loads files or URLs (LOAD CSV), runs inner transactions (CALL { … } IN
// TRANSACTIONS), runs an administration command (SHOW …, TERMINATE …) or calls a procedure
// other than readProcedures. The read transaction is the second guard: Neo4j refuses writes in
// it.
func check(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) error {
	cursor, err := tx.Run(ctx, explain+query, params)
	if err != nil {
		return explainError(err)
	}
	summary, err := cursor.Consume(ctx)
	if err != nil {
		return explainError(err)
	}
	if err := checkPlan(summary.Plan()); err != nil {
		return err
	}
	switch summary.StatementType() {
	case neo4j.StatementTypeReadOnly:
		return nil
	case neo4j.StatementTypeSchemaWrite:
		return graph.Errorf(graph.EInvalid, "the query changes the schema or runs an administration command; reports and ad-hoc Cypher may only read")
	}
	return graph.Errorf(graph.EInvalid, "the query writes to the graph; reports and ad-hoc Cypher may only read")
}

func checkPlan(p neo4j.Plan) error {
	if p == nil {
		return nil
	}
	op, _, _ := strings.Cut(p.Operator(), "@") // ProcedureCall@neo4j
	details, _ := p.Arguments()["Details"].(string)
	switch {
	case op == "LoadCSV":
		return graph.Errorf(graph.EInvalid, "LOAD CSV is not allowed: reports and ad-hoc Cypher may only read the graph")
	case op == "TransactionApply" || op == "TransactionForeach":
		return graph.Errorf(graph.EInvalid, "CALL { … } IN TRANSACTIONS is not allowed: reports and ad-hoc Cypher run in one read transaction")
	case strings.HasPrefix(op, "Show") || strings.HasPrefix(op, "Terminate"):
		return graph.Errorf(graph.EInvalid, "administration commands (SHOW …, TERMINATE …) are not allowed: reports and ad-hoc Cypher may only read the graph")
	case op == "ProcedureCall":
		if name, _, _ := strings.Cut(details, "("); !slices.Contains(readProcedures, name) {
			return graph.Errorf(graph.EInvalid, "procedure %s is not allowed: reports and ad-hoc Cypher may call only %s", name, strings.Join(readProcedures, ", "))
		}
	}
	for _, c := range p.Children() {
		if err := checkPlan(c); err != nil {
			return err
		}
	}
	return nil
}

var position = regexp.MustCompile(`\(line (\d+), column (\d+) \(offset: (\d+)\)\)`)

// explainError reports an error that Neo4j raised on EXPLAIN query as an error in query: it drops
// the echo of the query and moves positions back by the length of the EXPLAIN prefix.
func explainError(err error) error {
	var ne *neo4j.Neo4jError
	if !errors.As(err, &ne) || !isQueryError(ne.Code) {
		return err
	}
	msg, _, _ := strings.Cut(ne.Msg, "\n")
	msg = position.ReplaceAllStringFunc(msg, func(m string) string {
		g := position.FindStringSubmatch(m)
		line, _ := strconv.Atoi(g[1])
		col, _ := strconv.Atoi(g[2])
		off, _ := strconv.Atoi(g[3])
		if line == 1 {
			col -= len(explain)
		}
		return fmt.Sprintf("(line %d, column %d (offset: %d))", line, col, off-len(explain))
	})
	return queryError(ne.Code, msg)
}

// isQueryError reports whether a Neo4j error code blames the query, which its author can fix.
func isQueryError(code string) bool {
	return strings.HasPrefix(code, "Neo.ClientError.Statement.") || strings.HasPrefix(code, "Neo.ClientError.Procedure.") ||
		code == "Neo.ClientError.Security.Forbidden"
}

func queryError(code, msg string) error {
	if code == "Neo.ClientError.Statement.SyntaxError" {
		return graph.Errorf(graph.EInvalid, "Cypher syntax error: %s", msg)
	}
	return graph.Errorf(graph.EInvalid, "Neo4j refused the query (%s): %s", strings.TrimPrefix(code, "Neo.ClientError."), msg)
}

// wrap turns a driver error of a run into a graph.Error.
func (r *Reports) wrap(err error, timeout time.Duration) error {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		switch {
		case strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
			return graph.Errorf(graph.ETimeout, "the query was stopped at its time limit of %s", timeout)
		case isQueryError(ne.Code):
			return queryError(ne.Code, ne.Msg)
		}
	}
	return r.store.wrap(err)
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

// parseReport reads a report file: a header of "// key: value" lines from the first line to the
// first line that is not a "//" comment, then the query. Keys: name (lowercase letters, digits
// and dashes), title, description (repeatable; the lines are joined) and param, repeatable:
//
//	// param: NAME TYPE [= DEFAULT] [-- DESCRIPTION]
//
// where TYPE is one of paramTypes and DEFAULT a JSON value ("JP", 2024, 0.5, true, ["CN"], null).
// A parameter without a default is required. Every parameter must appear in the query as $NAME,
// and the query may use no other. A trailing semicolon is dropped.
func parseReport(file, text string) (*Report, []graph.Problem) {
	rep := &Report{File: file}
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
	case slices.Contains(reservedParams, name):
		return p, fmt.Errorf("name %q is reserved (%s are options of a run)", name, strings.Join(reservedParams, ", "))
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
