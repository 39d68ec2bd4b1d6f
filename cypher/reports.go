package cypher

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
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

// Reports runs saved reports (the built-in ones and those of a directory) and ad-hoc Cypher, in
// read transactions, after a plan check, within a time limit and a row limit. It is the
// report.Service of Neo4j.
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

// List returns every report, sorted by name, without its query.
// Errors: EInvalid listing each malformed header and duplicate name with its file and line.
func (r *Reports) List() ([]*report.Report, error) {
	reports, err := r.load()
	if err != nil {
		return nil, err
	}
	for _, rep := range reports {
		rep.Query = ""
	}
	return reports, nil
}

// Get returns the report called name, with its query. Errors: ENotFound, and those of List.
func (r *Reports) Get(name string) (*report.Report, error) {
	reports, err := r.load()
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

// load reads and parses the built-in reports and the *.cypher files of the directory.
func (r *Reports) load() ([]*report.Report, error) {
	var files []report.File
	entries, err := builtinReports.ReadDir("reports")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := builtinReports.ReadFile("reports/" + e.Name())
		if err != nil {
			return nil, err
		}
		files = append(files, report.File{Name: "reports/" + e.Name(), Text: data, Builtin: true})
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
			files = append(files, report.File{Name: file, Text: data})
		}
	}
	return report.Load(files)
}

// Run runs the report called name with args bound to its parameters (see report.Report.Bind),
// returning at most maxRows rows (0: the service's limit, which maxRows cannot raise).
// Errors: ENotFound; EInvalid for bad arguments and for a query that Neo4j or the plan check
// refuses; ETimeout when the run exceeds its time limit; EUnavailable when Neo4j is down.
func (r *Reports) Run(ctx context.Context, name string, args map[string]any, maxRows int) (*report.Result, error) {
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
func (r *Reports) Query(ctx context.Context, query string, params map[string]any, maxRows int) (*report.Result, error) {
	if strings.TrimSpace(query) == "" {
		return nil, graph.Errorf(graph.EInvalid, "the query is empty")
	}
	p, err := plainNumbers(params)
	if err != nil {
		return nil, graph.Errorf(graph.EInvalid, "bad parameter: %v", err)
	}
	return r.run(ctx, query, p.(map[string]any), maxRows)
}

func (r *Reports) run(ctx context.Context, query string, params map[string]any, maxRows int) (*report.Result, error) {
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
	var res *report.Result
	// Neo4j stops the transaction at timeout; the call's own deadline, a little later, ends a run
	// on a Neo4j that stopped answering.
	err := r.store.callLimited(ctx, timeout+r.store.cfg.Timeout, false, timeout, func(ctx context.Context) error {
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
func (r *Reports) runTx(ctx context.Context, query string, params map[string]any, limit, maxBytes int, timeout time.Duration) (*report.Result, error) {
	session := r.store.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: r.store.cfg.Database, AccessMode: neo4j.AccessModeRead, FetchSize: fetchSize})
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (*report.Result, error) {
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
		res := &report.Result{Columns: columns}
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
