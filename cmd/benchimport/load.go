package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// loadCSV runs the LOAD CSV statements: each in its own auto-commit transaction with
// CALL … IN TRANSACTIONS when batched, else all in one explicit transaction. Neo4j stops a
// transaction at the limit Store.Import gives its own (the long call timeout).
func (b *bench) loadCSV(ctx context.Context, load *csvLoad, batched bool) (time.Duration, []phase, error) {
	session := b.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: b.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	limit := neo4j.WithTxTimeout(cmp.Or(b.cfg.LongTimeout, cypher.DefaultLongTimeout))
	t0 := time.Now()
	if batched {
		run := func(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
			return session.Run(ctx, cypher, params, limit)
		}
		phases, err := runStatements(ctx, load.statements, run, func(st loadStatement) (string, map[string]any) {
			return st.batched(), st.params(b.opts.csvBatch)
		})
		return time.Since(t0), phases, err
	}
	// An explicit transaction, not ExecuteWrite: its retries would hide the error of an import
	// that does not fit the transaction memory or time limits.
	tx, err := session.BeginTransaction(ctx, limit)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Close(ctx)
	phases, err := runStatements(ctx, load.statements, tx.Run, func(st loadStatement) (string, map[string]any) {
		return st.single(), st.params(0)
	})
	if err != nil {
		return time.Since(t0), phases, err
	}
	t := time.Now()
	if err := tx.Commit(ctx); err != nil {
		return time.Since(t0), phases, fmt.Errorf("commit: %w", err)
	}
	phases = append(phases, phase{"commit", time.Since(t)})
	return time.Since(t0), phases, nil
}

// runStatements runs the statements in order with run (a session's or a transaction's), each in
// the form form gives, and times each.
func runStatements(ctx context.Context, statements []loadStatement,
	run func(context.Context, string, map[string]any) (neo4j.ResultWithContext, error),
	form func(loadStatement) (string, map[string]any)) ([]phase, error) {
	var phases []phase
	for _, st := range statements {
		t := time.Now()
		cypher, params := form(st)
		res, err := run(ctx, cypher, params)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return phases, fmt.Errorf("%s: %w", st.name, err)
		}
		phases = append(phases, phase{st.name, time.Since(t)})
	}
	return phases, nil
}

// loadStatement is one LOAD CSV statement, named as the import's statement it mirrors: the body
// runs once per row, a map by the file's header or, for a file without one (lists), a list. The
// file's URL and the batch size are parameters ($url, $batch); the body holds only labels and
// relationship types from the whitelists below and property names checked by table.add, or is
// controlsBody.
type loadStatement struct {
	name, url, body string
	lists           bool
}

// batched is the statement in its own auto-commit transaction, CALL … IN TRANSACTIONS OF $batch
// ROWS.
func (s loadStatement) batched() string {
	return s.load() + "CALL { WITH row\n" + s.body + "\n} IN TRANSACTIONS OF $batch ROWS"
}

// single is the statement as one part of an explicit transaction.
func (s loadStatement) single() string {
	return s.load() + s.body
}

func (s loadStatement) load() string {
	if s.lists {
		return "LOAD CSV FROM $url AS row\n"
	}
	return "LOAD CSV WITH HEADERS FROM $url AS row\n"
}

// params are the statement's parameters; batch is used by batched only.
func (s loadStatement) params(batch int) map[string]any {
	p := map[string]any{"url": s.url}
	if batch > 0 {
		p["batch"] = batch
	}
	return p
}

// csvLoad is a dataset written as CSV files and the LOAD CSV statements that import them.
type csvLoad struct {
	tables     []*table
	statements []loadStatement
	bytes      int64
}

// nodeLabels are the labels of the node kinds LOAD CSV creates, locationLinks the type of their
// link to their state, edgeTypes the relationship types: labels and types cannot be parameters,
// so the statements take them from here only.
var (
	nodeLabels    = map[graph.Kind]string{graph.State: "State", graph.Mine: "Mine", graph.Refinery: "Refinery", graph.Firm: "Firm"}
	locationLinks = map[graph.Kind]string{graph.Mine: "LOCATED_IN", graph.Refinery: "LOCATED_IN", graph.Firm: "HEADQUARTERED_IN"}
	edgeTypes     = map[graph.EdgeKind]string{graph.Owns: "OWNS", graph.Operates: "OPERATES", graph.Offtake: "OFFTAKE",
		graph.Supplies: "SUPPLIES", graph.Restricts: "RESTRICTS", graph.Finances: "FINANCES", graph.Member: "MEMBER"}
)

// writeCSV writes ds into dir (urlDir relative to the import directory) and returns the LOAD CSV
// statements that store it the way Store.Import does: one for each of the import's statements
// (stmts, cypher.ImportStatements of ds), in the same order and under the same names:
// commodities, then the nodes by kind each with the link to its state, then relationships by
// type, then the control spans (the rows cypher.ControlRows gives, by controlsBody). A statement
// it has no LOAD CSV form for is an error, so the benchmark cannot silently skip part of the
// import.
func writeCSV(dir, urlDir string, ds *graph.Dataset, stmts []cypher.ImportStatement) (*csvLoad, error) {
	net, err := graph.NewNetwork(ds)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	load := &csvLoad{}
	for _, st := range stmts {
		t, body, err := loadTable(st, ds, net)
		if err != nil {
			return nil, err
		}
		if t.len() != st.Rows {
			return nil, fmt.Errorf("%s: %d CSV rows, but the import writes %d", st.Name, t.len(), st.Rows)
		}
		n, err := t.write(filepath.Join(dir, t.file))
		if err != nil {
			return nil, err
		}
		load.bytes += n
		load.tables = append(load.tables, t)
		load.statements = append(load.statements, loadStatement{name: st.Name, url: "file:///" + urlDir + "/" + t.file, body: body, lists: t.lists != nil})
	}
	return load, nil
}

// controlsBody loads a row of cypher.ControlRows as the import's controls statement writes it,
// with the ends found by their ids (the import has their element ids) and the values read from
// text (an open year is an empty field).
const controlsBody = "MATCH (s:State {id: row[1]}), (n:Node {id: row[0]})\n" +
	"CREATE (s)-[:CONTROLS {share: toFloat(row[2]), since: toInteger(row[3]), until: toInteger(row[4])}]->(n)"

// loadTable returns the rows of one import statement as a table, and the body of its LOAD CSV
// statement.
func loadTable(st cypher.ImportStatement, ds *graph.Dataset, net *graph.Network) (*table, string, error) {
	switch {
	case st.Name == "controls":
		return &table{file: "controls.csv", lists: cypher.ControlRows(net)}, controlsBody, nil
	case st.Name == "commodities":
		t := newTable("commodities.csv")
		for _, c := range ds.Commodities {
			if err := t.add(map[string]any{"id": c.ID, "name": c.Name, "family": c.Family, "stage": string(c.Stage)}); err != nil {
				return nil, "", err
			}
		}
		return t, "MERGE (c:Commodity {id: row.id})\nSET c = " + t.props(), nil
	case st.Node != "" && nodeLabels[st.Node] != "" && strings.HasPrefix(st.Name, "create-"):
		k := st.Node
		t := newTable("nodes_" + string(k) + ".csv")
		// Fixed leading columns keep the files readable; the rest come in first-seen order.
		for _, c := range []string{"id", "name", "state", "stage", "status"} {
			t.types[c] = colString
			t.cols = append(t.cols, c)
		}
		for i := range ds.Nodes {
			if n := &ds.Nodes[i]; n.Kind == k {
				if err := t.add(cypher.NodeProperties(n)); err != nil {
					return nil, "", err
				}
			}
		}
		dropEmptyColumns(t)
		body := "CREATE (n:Node:" + nodeLabels[k] + ")\nSET n = " + t.props()
		if rel := locationLinks[k]; rel != "" {
			body += "\nWITH n, row\nMATCH (s:State {id: 'state:' + row.state})\nCREATE (n)-[:" + rel + "]->(s)"
		}
		return t, body, nil
	case st.Edge != "" && edgeTypes[st.Edge] != "" && st.Name == "create-"+string(st.Edge):
		k := st.Edge
		t := newTable("edges_" + string(k) + ".csv")
		for _, c := range []string{"from", "to", "key"} {
			t.types[c] = colString
			t.cols = append(t.cols, c)
		}
		for i := range ds.Edges {
			if e := &ds.Edges[i]; e.Kind == k {
				row := cypher.EdgeProperties(e)
				row["from"], row["to"] = e.From, e.To
				if err := t.add(row); err != nil {
					return nil, "", err
				}
			}
		}
		body := "MATCH (a:Node {id: row.from}), (b:Node {id: row.to})\nCREATE (a)-[r:" + edgeTypes[k] + "]->(b)\nSET r = " + t.props("from", "to")
		return t, body, nil
	}
	return nil, "", fmt.Errorf("the import runs %s, which benchimport has no LOAD CSV statement for", st.Name)
}
