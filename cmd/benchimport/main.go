// Command benchimport measures chokepoint's Neo4j import against LOAD CSV on the same rows.
//
// It generates a deterministic synthetic supply network (internal/synthetic), then, each time on
// an emptied database (the schema's constraints and indexes stay):
//
//   - ours: cypher.Store.Import of the whole dataset, the production path: projection of the
//     stored graph, validation of the merged dataset, then batched UNWIND statements in one write
//     transaction; on the emptied database every record is new, so they CREATE the nodes with
//     their location links and the relationships (import.cypher's create-* statements);
//   - csv-batched: the same rows written as CSV files into Neo4j's import directory and loaded
//     with LOAD CSV … CALL { … } IN TRANSACTIONS OF --csv-batch ROWS (auto-commit), the usual way
//     to bulk-load with Cypher;
//   - csv-tx: the same LOAD CSV statements without CALL … IN TRANSACTIONS, all in one explicit
//     transaction: all-or-nothing like ours, so the like-for-like comparison.
//
// Both LOAD CSV variants write what ours writes on an empty database, the same way: commodities
// MERGE on :Commodity {id}; states, then mines, refineries and firms are CREATEd as :Node with
// their kind label and the same typed properties (cypher.NodeProperties), each non-state node
// with its LOCATED_IN or HEADQUARTERED_IN link to its state in the same statement; relationships
// MATCH their ends on :Node {id} and are CREATEd with the same properties, key included
// (cypher.EdgeProperties). CREATE is valid because the database is wiped before every run; the
// schema's uniqueness constraints stay and are checked as in ours.
// It prints records per second (records = commodities + nodes + edges of the dataset) for each,
// the time of each statement, the largest transaction heap seen (what
// dbms.memory.transaction.total.max limits), and the ratios ours / LOAD CSV, with the machine
// and the Neo4j server it ran on. Before the timed runs it warms up (every mode on a small
// network, then the full network once through LOAD CSV, which grows the store files), and run i
// starts with the i-th mode so that no mode always runs first.
//
// Usage:
//
//	set -a; eval "$(scripts/neo4j start)"; set +a
//	go run ./cmd/benchimport --nodes 100000 --edges 300000
//
// It reads NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE, and wipes that database.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/synthetic"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// csvSubdir is the directory under Neo4j's import directory that holds the benchmark's CSV files.
const csvSubdir = "chokepoint-bench"

// Modes, in the order they run.
const (
	modeOurs       = "ours"
	modeCSVBatched = "csv-batched"
	modeCSVTx      = "csv-tx"
)

// allModes are the modes, in their default order.
var allModes = []string{modeOurs, modeCSVBatched, modeCSVTx}

type options struct {
	nodes, edges int
	seed         uint64
	importDir    string
	modes        []string
	runs         int
	csvBatch     int
	warmup       bool
	verify       bool
	keepCSV      bool
	cpuProfile   string
	printCypher  bool
}

func main() {
	var o options
	var modes string
	flag.IntVar(&o.nodes, "nodes", 100_000, "nodes in the synthetic network")
	flag.IntVar(&o.edges, "edges", 300_000, "edges in the synthetic network")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the synthetic network")
	flag.StringVar(&o.importDir, "import-dir", "", "Neo4j's LOAD CSV import directory, as seen from here "+
		"(default: the server's server.directories.import if it exists here, else $NEO4J_IMPORT_DIR, "+
		"else $CHOKEPOINT_NEO4J_STATE/import, else ~/.cache/chokepoint/neo4j-state/import)")
	flag.StringVar(&modes, "modes", strings.Join(allModes, ","), "comma-separated modes to time: ours, csv-batched, csv-tx")
	flag.IntVar(&o.runs, "runs", 1, "timed runs of every mode")
	flag.IntVar(&o.csvBatch, "csv-batch", 10_000, "rows per transaction of csv-batched (CALL … IN TRANSACTIONS OF n ROWS)")
	flag.BoolVar(&o.warmup, "warmup", true, "first run every mode once on a network 1/50 the size (JIT, query plans), "+
		"then the full network once through csv-batched (store files), untimed")
	flag.BoolVar(&o.verify, "verify", false, "after each mode, project the stored graph and check it equals the dataset")
	flag.BoolVar(&o.keepCSV, "keep-csv", false, "leave the CSV files in the import directory")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the timed runs to this file")
	flag.BoolVar(&o.printCypher, "print-cypher", false, "print the LOAD CSV statements (csv-batched form)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: benchimport [flags]\n\nImports a synthetic network into the Neo4j named by NEO4J_URI "+
			"(wiping its database) through chokepoint's import and through LOAD CSV, and prints records/s.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	for m := range strings.SplitSeq(modes, ",") {
		m = strings.TrimSpace(m)
		if !slices.Contains(allModes, m) {
			fatalf("unknown mode %q (want ours, csv-batched, csv-tx)", m)
		}
		o.modes = append(o.modes, m)
	}
	if o.runs < 1 || o.csvBatch < 1 {
		fatalf("--runs and --csv-batch must be at least 1")
	}
	if err := run(context.Background(), o); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchimport: "+format+"\n", args...)
	os.Exit(1)
}

// bench is one benchmark session: a server, a dataset and its CSV files.
type bench struct {
	cfg    cypher.Config
	driver neo4j.DriverWithContext
	opts   options
}

// result is one timed import.
type result struct {
	mode    string
	run     int
	elapsed time.Duration
	records int
	nodes   int64 // stored nodes and relationships afterwards, :Meta excluded
	rels    int64
	txPeak  int64 // largest estimated heap of one transaction seen while it ran, sampled each second
	phases  []phase
	err     error
}

// phase is a step of an import and its duration.
type phase struct {
	name string
	d    time.Duration
}

func (r result) rate() float64 { return float64(r.records) / r.elapsed.Seconds() }

func run(ctx context.Context, o options) error {
	cfg, ok := cypher.ConfigFromEnv()
	if !ok {
		return errors.New("NEO4J_URI is unset: start Neo4j with `set -a; eval \"$(scripts/neo4j start)\"; set +a`")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return fmt.Errorf("Neo4j at %s: %w", cfg.URI, err)
	}
	b := &bench{cfg: cfg, driver: driver, opts: o}

	fmt.Printf("# chokepoint import benchmark\n\n")
	fmt.Printf("command:  %s\n", strings.Join(append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...), " "))
	fmt.Printf("date:     %s\n", time.Now().UTC().Format(time.RFC3339))
	machine := machineInfo()
	for _, kv := range machine {
		fmt.Printf("%-9s %s\n", kv[0]+":", kv[1])
	}
	server := b.serverInfo(ctx)
	for _, kv := range server {
		fmt.Printf("%-9s %s\n", kv[0]+":", kv[1])
	}

	t0 := time.Now()
	ds, err := synthetic.Generate(synthetic.Config{Nodes: o.nodes, Edges: o.edges, Seed: o.seed})
	if err != nil {
		return err
	}
	records := len(ds.Commodities) + len(ds.Nodes) + len(ds.Edges)
	fmt.Printf("dataset:  seed %d: %d commodities, %d nodes (%s), %d edges (%s) = %d records; generated in %s\n",
		o.seed, len(ds.Commodities), len(ds.Nodes), countNodes(ds), len(ds.Edges), countEdges(ds), records, round(time.Since(t0)))
	t0 = time.Now()
	if _, err := graph.NewNetwork(ds); err != nil {
		return fmt.Errorf("the synthetic dataset is invalid: %w", err)
	}
	fmt.Printf("validate: graph.NewNetwork (validation + indexing, Go side, part of ours) takes %s\n", round(time.Since(t0)))

	dir, how, err := b.importDir(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("csv dir:  %s (%s)\n", filepath.Join(dir, csvSubdir), how)

	// Open applies the schema; the wipes below keep it.
	store, err := cypher.Open(ctx, cfg)
	if err != nil {
		return err
	}
	store.Close(ctx)

	// The CSV files serve the LOAD CSV modes and the full-size warm-up.
	t0 = time.Now()
	load, err := writeCSV(filepath.Join(dir, csvSubdir), csvSubdir, ds)
	if err != nil {
		return err
	}
	if !o.keepCSV {
		defer os.RemoveAll(filepath.Join(dir, csvSubdir))
	}
	fmt.Printf("csv:      %d files, %s, written in %s (untimed)\n", len(load.tables), mib(load.bytes), round(time.Since(t0)))
	if o.printCypher {
		for _, st := range load.statements {
			fmt.Printf("\n// %s\n%s;\n", st.name, st.batched(o.csvBatch))
		}
		fmt.Println()
	}

	if o.warmup {
		small := synthetic.Config{Nodes: max(synthetic.MinNodes, o.nodes/50), Edges: o.edges / 50, Seed: o.seed + 1}
		wds, err := synthetic.Generate(small)
		if err != nil {
			return fmt.Errorf("warm-up dataset: %w", err)
		}
		wload, err := writeCSV(filepath.Join(dir, csvSubdir+"-warmup"), csvSubdir+"-warmup", wds)
		if err != nil {
			return err
		}
		if !o.keepCSV {
			defer os.RemoveAll(filepath.Join(dir, csvSubdir+"-warmup"))
		}
		// The small imports compile the statements and warm the JIT; the full one grows the store
		// files, which the first import into a new database pays for and later ones (after a
		// wipe) do not.
		fmt.Printf("warm-up:  every mode once on %d nodes, %d edges, then the full network once with %s (untimed)\n",
			small.Nodes, small.Edges, modeCSVBatched)
		for _, m := range o.modes {
			if r := b.timed(ctx, m, 0, wds, wload); r.err != nil {
				return fmt.Errorf("warm-up %s: %w", m, r.err)
			}
		}
		if r := b.timed(ctx, modeCSVBatched, 0, ds, load); r.err != nil {
			return fmt.Errorf("warm-up %s: %w", modeCSVBatched, r.err)
		}
	}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	fmt.Println()
	var results []result
	for i := 1; i <= o.runs; i++ {
		// Run i starts with the i-th mode, so that no mode always runs first.
		k := (i - 1) % len(o.modes)
		for _, m := range append(o.modes[k:len(o.modes):len(o.modes)], o.modes[:k]...) {
			r := b.timed(ctx, m, i, ds, load)
			results = append(results, r)
			b.printResult(r)
			if r.err == nil && o.verify {
				if err := b.verify(ctx, ds); err != nil {
					return fmt.Errorf("%s run %d: %w", m, i, err)
				}
				fmt.Printf("    verified: the stored graph projects back to the dataset\n")
			}
		}
	}
	if err := consistent(results); err != nil {
		return err
	}
	fmt.Println()
	printSummary(results, o)
	return nil
}

// timed wipes the database and times one import in mode m.
func (b *bench) timed(ctx context.Context, m string, run int, ds *graph.Dataset, load *csvLoad) result {
	r := result{mode: m, run: run, records: len(ds.Commodities) + len(ds.Nodes) + len(ds.Edges)}
	if err := b.wipe(ctx); err != nil {
		r.err = err
		return r
	}
	runtime.GC()
	stop := b.watchTxMemory(ctx, &r.txPeak)
	defer stop()
	switch m {
	case modeOurs:
		r.elapsed, r.phases, r.err = b.ours(ctx, ds)
	case modeCSVBatched:
		r.elapsed, r.phases, r.err = b.loadCSV(ctx, load, true)
	case modeCSVTx:
		r.elapsed, r.phases, r.err = b.loadCSV(ctx, load, false)
	}
	stop()
	if r.err == nil {
		r.nodes, r.rels, r.err = b.count(ctx)
	}
	return r
}

// watchTxMemory samples, every second until stop is called, the estimated heap memory of the
// running transactions, and keeps the largest in *peak. It is what dbms.memory.transaction.total.max
// limits.
func (b *bench) watchTxMemory(ctx context.Context, peak *int64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			res, err := neo4j.ExecuteQuery(ctx, b.driver, "SHOW TRANSACTIONS YIELD estimatedUsedHeapMemory AS mem, currentQuery "+
				"WHERE NOT currentQuery STARTS WITH 'SHOW' RETURN max(mem)",
				nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(b.cfg.Database))
			if err == nil && len(res.Records) > 0 {
				if v, ok := res.Records[0].Values[0].(int64); ok && v > *peak {
					*peak = v
				}
			}
		}
	}()
	var once bool
	return func() {
		if !once {
			once = true
			cancel()
			<-done
		}
	}
}

// ours times cypher.Store.Import on a fresh Store (as a new chokepoint process would see it).
// Its phases come from the Progress callback: each batch is charged to the statement it ran.
func (b *bench) ours(ctx context.Context, ds *graph.Dataset) (time.Duration, []phase, error) {
	store, err := cypher.Open(ctx, b.cfg)
	if err != nil {
		return 0, nil, err
	}
	defer store.Close(ctx)
	bounds := ourPhases(ds)
	var stamps []stamp
	attempts, furthest := 1, 0
	store.Progress = func(done, total int) {
		if len(stamps) > 0 && done <= stamps[len(stamps)-1].done {
			stamps = stamps[:0] // ExecuteWrite retries the transaction function
			attempts++
		}
		stamps = append(stamps, stamp{done, time.Now()})
		furthest = max(furthest, done)
	}
	t0 := time.Now()
	_, err = store.Import(ctx, ds)
	elapsed := time.Since(t0)
	if err != nil {
		total := 0
		if len(bounds) > 0 {
			total = bounds[len(bounds)-1].done
		}
		return elapsed, nil, fmt.Errorf("%w (Progress saw %d attempt(s) of the write transaction; the furthest reached row %d of %d%s)",
			err, attempts, furthest, total, phaseAt(bounds, furthest))
	}
	// The first batch is the commodities': its time includes the projection, validation and lock.
	var phases []phase
	prev, p := t0, 0
	for _, s := range stamps {
		for p < len(bounds)-1 && s.done > bounds[p].done {
			p++
		}
		name := bounds[p].name
		if len(phases) == 0 {
			name = "project + validate + lock + " + name
		}
		if len(phases) > 0 && phases[len(phases)-1].name == name {
			phases[len(phases)-1].d += s.at.Sub(prev)
		} else {
			phases = append(phases, phase{name, s.at.Sub(prev)})
		}
		prev = s.at
	}
	phases = append(phases, phase{"commit", t0.Add(elapsed).Sub(prev)})
	return elapsed, phases, nil
}

// phaseAt names the statement after the one that ended at done rows: where a failure happened.
func phaseAt(bounds []bound, done int) string {
	for _, b := range bounds {
		if b.done > done {
			return ", failing in " + b.name
		}
	}
	return ""
}

type stamp struct {
	done int
	at   time.Time
}

// ourPhases lists the statements Store.Import runs on an empty database, in order, with the row
// count after each: commodities, then states, mines, refineries and firms (CREATE, the location
// link inline), then edges by kind (CREATE). Nothing is stored yet, so no node is MERGEd and
// neither locate nor locate-states runs.
func ourPhases(ds *graph.Dataset) []bound {
	var out []bound
	done := 0
	add := func(name string, n int) {
		if n > 0 {
			done += n
			out = append(out, bound{name, done})
		}
	}
	add("commodities", len(ds.Commodities))
	for _, k := range []graph.Kind{graph.State, graph.Mine, graph.Refinery, graph.Firm} {
		n := 0
		for i := range ds.Nodes {
			if ds.Nodes[i].Kind == k {
				n++
			}
		}
		name := "nodes " + string(k)
		if k != graph.State {
			name += " (+ location link)"
		}
		add(name, n)
	}
	for _, k := range graph.EdgeKinds {
		n := 0
		for i := range ds.Edges {
			if ds.Edges[i].Kind == k {
				n++
			}
		}
		add("edges "+string(k), n)
	}
	return out
}

// bound is the end of one statement of Store.Import, in rows done.
type bound struct {
	name string
	done int
}

// loadCSV runs the LOAD CSV statements: each in its own auto-commit transaction with
// CALL … IN TRANSACTIONS when batched, else all in one explicit transaction.
func (b *bench) loadCSV(ctx context.Context, load *csvLoad, batched bool) (time.Duration, []phase, error) {
	session := b.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: b.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	var phases []phase
	t0 := time.Now()
	if batched {
		for _, st := range load.statements {
			t := time.Now()
			res, err := session.Run(ctx, st.batched(b.opts.csvBatch), nil)
			if err == nil {
				_, err = res.Consume(ctx)
			}
			if err != nil {
				return time.Since(t0), phases, fmt.Errorf("%s: %w", st.name, err)
			}
			phases = append(phases, phase{st.name, time.Since(t)})
		}
		return time.Since(t0), phases, nil
	}
	// An explicit transaction, not ExecuteWrite: its retries would hide the error of an import
	// that does not fit the transaction memory or time limits.
	tx, err := session.BeginTransaction(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Close(ctx)
	for _, st := range load.statements {
		t := time.Now()
		res, err := tx.Run(ctx, st.single(), nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return time.Since(t0), phases, fmt.Errorf("%s: %w", st.name, err)
		}
		phases = append(phases, phase{st.name, time.Since(t)})
	}
	t := time.Now()
	if err := tx.Commit(ctx); err != nil {
		return time.Since(t0), phases, fmt.Errorf("commit: %w", err)
	}
	phases = append(phases, phase{"commit", time.Since(t)})
	return time.Since(t0), phases, nil
}

// wipe deletes every node and relationship; constraints and indexes stay.
func (b *bench) wipe(ctx context.Context) error {
	session := b.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: b.cfg.Database})
	defer session.Close(ctx)
	// CALL … IN TRANSACTIONS needs an auto-commit transaction: session.Run, not ExecuteQuery.
	res, err := session.Run(ctx, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("wipe: %w", err)
	}
	return nil
}

// count returns the stored nodes and relationships, the :Meta revision node excluded (only ours
// writes it).
func (b *bench) count(ctx context.Context) (nodes, rels int64, err error) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver,
		"MATCH (n) WHERE NOT n:Meta WITH count(n) AS n OPTIONAL MATCH ()-[r]->() RETURN n, count(r)",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(b.cfg.Database))
	if err != nil {
		return 0, 0, err
	}
	return res.Records[0].Values[0].(int64), res.Records[0].Values[1].(int64), nil
}

// verify projects the stored graph with a fresh Store and compares it with the dataset.
func (b *bench) verify(ctx context.Context, ds *graph.Dataset) error {
	store, err := cypher.Open(ctx, b.cfg)
	if err != nil {
		return err
	}
	defer store.Close(ctx)
	net, err := store.Network(ctx)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	want, err := graph.NewNetwork(ds)
	if err != nil {
		return err
	}
	var got, exp bytes.Buffer
	if err := graph.EncodeJSON(&got, net.Dataset()); err != nil {
		return err
	}
	if err := graph.EncodeJSON(&exp, want.Dataset()); err != nil {
		return err
	}
	if !bytes.Equal(got.Bytes(), exp.Bytes()) {
		return errors.New("verify: the stored graph differs from the dataset")
	}
	locs, err := neo4j.ExecuteQuery(ctx, b.driver,
		"MATCH (n:Node)-[:LOCATED_IN|HEADQUARTERED_IN]->(s:State) WHERE s.id = 'state:' + n.state RETURN count(*)",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(b.cfg.Database))
	if err != nil {
		return err
	}
	nonStates := 0
	for i := range ds.Nodes {
		if ds.Nodes[i].Kind != graph.State {
			nonStates++
		}
	}
	if n := locs.Records[0].Values[0].(int64); n != int64(nonStates) {
		return fmt.Errorf("verify: %d location links, want %d", n, nonStates)
	}
	return nil
}

// consistent checks that every successful run stored the same number of nodes and relationships.
func consistent(results []result) error {
	var ref *result
	for i := range results {
		r := &results[i]
		if r.err != nil {
			continue
		}
		if ref == nil {
			ref = r
		} else if r.nodes != ref.nodes || r.rels != ref.rels {
			return fmt.Errorf("%s run %d stored %d nodes, %d relationships but %s run %d stored %d, %d",
				r.mode, r.run, r.nodes, r.rels, ref.mode, ref.run, ref.nodes, ref.rels)
		}
	}
	return nil
}

func (b *bench) printResult(r result) {
	if r.err != nil {
		fmt.Printf("%-24s run %d: FAILED after %s (peak transaction heap %s): %v\n", r.mode, r.run, round(r.elapsed), mib(r.txPeak), r.err)
	} else {
		fmt.Printf("%-24s run %d: %8s  %9.0f records/s  (stored %d nodes, %d relationships; peak transaction heap %s)\n",
			r.mode, r.run, round(r.elapsed), r.rate(), r.nodes, r.rels, mib(r.txPeak))
	}
	for _, p := range r.phases {
		fmt.Printf("    %-48s %8s\n", p.name, round(p.d))
	}
}

// printSummary prints, per mode, the best and the median of its runs and the ratios of ours to
// it, as a markdown table.
func printSummary(results []result, o options) {
	type stats struct {
		ok, failed   int
		best, median float64 // records/s
		bestTime     time.Duration
		txPeak       int64
	}
	byMode := map[string]*stats{}
	for _, m := range o.modes {
		var rates []float64
		st := &stats{}
		for _, r := range results {
			if r.mode == m {
				st.txPeak = max(st.txPeak, r.txPeak)
			}
			switch {
			case r.mode != m:
			case r.err != nil:
				st.failed++
			default:
				rates = append(rates, r.rate())
				if st.bestTime == 0 || r.elapsed < st.bestTime {
					st.bestTime = r.elapsed
				}
			}
		}
		if st.ok = len(rates); st.ok > 0 {
			slices.Sort(rates)
			st.best = rates[len(rates)-1]
			st.median = rates[len(rates)/2]
			if len(rates)%2 == 0 {
				st.median = (rates[len(rates)/2-1] + rates[len(rates)/2]) / 2
			}
		}
		byMode[m] = st
	}
	ours := byMode[modeOurs]
	fmt.Printf("## Summary (%d run(s) per mode; records/s = %d records / wall time)\n\n", o.runs, results[0].records)
	fmt.Printf("| mode | transactions | ok/runs | best time | best records/s | median records/s | ours/this (best) | ours/this (median) | peak tx heap |\n")
	fmt.Printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range o.modes {
		st := byMode[m]
		if st.ok == 0 {
			fmt.Printf("| %s | %s | 0/%d | failed | – | – | – | – | %s |\n", m, txDesc(m, o), st.failed, mib(st.txPeak))
			continue
		}
		rb, rm := "–", "–"
		if ours != nil && ours.ok > 0 {
			rb, rm = fmt.Sprintf("%.2f", ours.best/st.best), fmt.Sprintf("%.2f", ours.median/st.median)
		}
		fmt.Printf("| %s | %s | %d/%d | %s | %.0f | %.0f | %s | %s | %s |\n", m, txDesc(m, o), st.ok, st.ok+st.failed,
			round(st.bestTime), st.best, st.median, rb, rm, mib(st.txPeak))
	}
	fmt.Println()
	if ours == nil || ours.ok == 0 {
		return
	}
	for _, m := range []string{modeCSVTx, modeCSVBatched} {
		if st := byMode[m]; st != nil && st.ok > 0 {
			verdict := "slower than"
			if ours.median >= st.median {
				verdict = "at least as fast as"
			}
			fmt.Printf("ours / %s = %.2f (median): ours is %s LOAD CSV with %s\n", m, ours.median/st.median, verdict, txDesc(m, o))
		}
	}
}

func txDesc(m string, o options) string {
	switch m {
	case modeOurs:
		return fmt.Sprintf("1 (UNWIND batches of %d rows)", cypher.BatchSize)
	case modeCSVBatched:
		return fmt.Sprintf("IN TRANSACTIONS OF %d ROWS", o.csvBatch)
	}
	return "1"
}

// --- CSV ---------------------------------------------------------------------------------------

// colType is how a CSV column is converted back to the type our import stores.
type colType int

const (
	colString colType = iota
	colInt
	colFloat
	colBool
)

// cypher returns the expression that reads the column from row, typed.
func (t colType) cypher(name string) string {
	ref := "row." + name
	switch t {
	case colInt:
		return "toInteger(" + ref + ")"
	case colFloat:
		return "toFloat(" + ref + ")"
	case colBool:
		return "toBoolean(" + ref + ")"
	}
	return ref
}

// table is one CSV file: its columns (in header order) and the property map of each row.
type table struct {
	file  string
	cols  []string
	types map[string]colType
	rows  []map[string]any
}

func newTable(file string) *table { return &table{file: file, types: map[string]colType{}} }

// add appends a row, adding its new columns (in name order, so the files are reproducible).
func (t *table) add(row map[string]any) error {
	for _, k := range sortedKeys(row) {
		v := row[k]
		var ct colType
		switch v.(type) {
		case string:
			ct = colString
		case int64:
			ct = colInt
		case float64:
			ct = colFloat
		case bool:
			ct = colBool
		default:
			return fmt.Errorf("%s: property %s has type %T", t.file, k, v)
		}
		if have, ok := t.types[k]; !ok {
			t.types[k] = ct
			t.cols = append(t.cols, k)
		} else if have != ct {
			return fmt.Errorf("%s: property %s is sometimes %T", t.file, k, v)
		}
	}
	t.rows = append(t.rows, row)
	return nil
}

// props returns the Cypher map literal of the properties, in column order, less skip.
func (t *table) props(skip ...string) string {
	var parts []string
	for _, c := range t.cols {
		if !slices.Contains(skip, c) {
			parts = append(parts, "`"+c+"`: "+t.types[c].cypher(c))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// write writes the table as CSV with a header; absent properties are empty fields, which LOAD CSV
// reads as null.
func (t *table) write(path string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cw := &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	w := csv.NewWriter(cw)
	if err := w.Write(t.cols); err != nil {
		return 0, err
	}
	rec := make([]string, len(t.cols))
	for _, row := range t.rows {
		for i, c := range t.cols {
			switch v := row[c].(type) {
			case nil:
				rec[i] = ""
			case string:
				rec[i] = v
			case int64:
				rec[i] = strconv.FormatInt(v, 10)
			case float64:
				rec[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case bool:
				rec[i] = strconv.FormatBool(v)
			}
		}
		if err := w.Write(rec); err != nil {
			return 0, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, err
	}
	if err := cw.w.(*bufio.Writer).Flush(); err != nil {
		return 0, err
	}
	return cw.n, f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// loadStatement is one LOAD CSV statement: the body runs once per row.
type loadStatement struct {
	name, url, body string
}

func (s loadStatement) batched(rows int) string {
	return fmt.Sprintf("LOAD CSV WITH HEADERS FROM '%s' AS row\nCALL { WITH row\n%s\n} IN TRANSACTIONS OF %d ROWS", s.url, s.body, rows)
}

func (s loadStatement) single() string {
	return fmt.Sprintf("LOAD CSV WITH HEADERS FROM '%s' AS row\n%s", s.url, s.body)
}

// csvLoad is a dataset written as CSV files and the LOAD CSV statements that import them.
type csvLoad struct {
	tables     []*table
	statements []loadStatement
	bytes      int64
}

// writeCSV writes ds into dir (urlDir relative to the import directory) and returns the LOAD CSV
// statements that store it the way Store.Import does: commodities, states, then mines, refineries
// and firms each with the link to its state, then relationships by type.
func writeCSV(dir, urlDir string, ds *graph.Dataset) (*csvLoad, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	load := &csvLoad{}
	emit := func(t *table, name, body string) error {
		if len(t.rows) == 0 {
			return nil
		}
		n, err := t.write(filepath.Join(dir, t.file))
		if err != nil {
			return err
		}
		load.bytes += n
		load.tables = append(load.tables, t)
		load.statements = append(load.statements, loadStatement{name: name, url: "file:///" + urlDir + "/" + t.file, body: body})
		return nil
	}

	com := newTable("commodities.csv")
	for _, c := range ds.Commodities {
		if err := com.add(map[string]any{"id": c.ID, "name": c.Name, "family": c.Family, "stage": string(c.Stage)}); err != nil {
			return nil, err
		}
	}
	if err := emit(com, "commodities", "MERGE (c:Commodity {id: row.id})\nSET c = "+com.props()); err != nil {
		return nil, err
	}
	kinds := []graph.Kind{graph.State, graph.Mine, graph.Refinery, graph.Firm}
	for _, k := range kinds {
		t := newTable("nodes_" + string(k) + ".csv")
		// Fixed leading columns keep the files readable; the rest come in first-seen order.
		for _, c := range []string{"id", "name", "state", "stage", "status"} {
			t.types[c] = colString
			t.cols = append(t.cols, c)
		}
		for i := range ds.Nodes {
			if n := &ds.Nodes[i]; n.Kind == k {
				if err := t.add(cypher.NodeProperties(n)); err != nil {
					return nil, err
				}
			}
		}
		dropEmptyColumns(t)
		body := fmt.Sprintf("CREATE (n:Node:%s)\nSET n = %s", label(k), t.props())
		if k != graph.State {
			rel := "LOCATED_IN"
			if k == graph.Firm {
				rel = "HEADQUARTERED_IN"
			}
			body += fmt.Sprintf("\nWITH n, row\nMATCH (s:State {id: 'state:' + row.state})\nCREATE (n)-[:%s]->(s)", rel)
		}
		if err := emit(t, "nodes "+string(k)+" (+ location link)", body); err != nil {
			return nil, err
		}
	}
	for _, k := range graph.EdgeKinds {
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
					return nil, err
				}
			}
		}
		body := fmt.Sprintf("MATCH (a:Node {id: row.from}), (b:Node {id: row.to})\nCREATE (a)-[r:%s]->(b)\nSET r = %s",
			strings.ToUpper(string(k)), t.props("from", "to"))
		if err := emit(t, "edges "+string(k), body); err != nil {
			return nil, err
		}
	}
	return load, nil
}

// label is a node kind's label: mine → Mine.
func label(k graph.Kind) string { return strings.ToUpper(string(k[:1])) + string(k[1:]) }

// dropEmptyColumns removes the fixed columns no row uses (a state has no stage).
func dropEmptyColumns(t *table) {
	t.cols = slices.DeleteFunc(t.cols, func(c string) bool {
		return !slices.ContainsFunc(t.rows, func(r map[string]any) bool { _, ok := r[c]; return ok })
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// --- environment ---------------------------------------------------------------------------------

// importDir finds the directory LOAD CSV reads file:/// URLs from, and says how it was found.
func (b *bench) importDir(ctx context.Context) (dir, how string, err error) {
	check := func(dir, how string) (string, string, error) {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", "", fmt.Errorf("import directory %s (%s) is not a directory here; pass --import-dir", dir, how)
		}
		return dir, how, nil
	}
	if b.opts.importDir != "" {
		return check(b.opts.importDir, "--import-dir")
	}
	if dir := b.setting(ctx, "server.directories.import"); dir != "" {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir, "the server's server.directories.import", nil
		}
	}
	if dir := os.Getenv("NEO4J_IMPORT_DIR"); dir != "" {
		return check(dir, "$NEO4J_IMPORT_DIR")
	}
	if state := os.Getenv("CHOKEPOINT_NEO4J_STATE"); state != "" {
		return check(filepath.Join(state, "import"), "$CHOKEPOINT_NEO4J_STATE/import")
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", "", err
		}
		cache = filepath.Join(home, ".cache")
	}
	return check(filepath.Join(cache, "chokepoint", "neo4j-state", "import"), "scripts/neo4j's default")
}

// setting returns a server setting's value, or "" when it cannot be read.
func (b *bench) setting(ctx context.Context, name string) string {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value",
		map[string]any{"name": name}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("system"))
	if err != nil || len(res.Records) == 0 {
		return ""
	}
	s, _ := res.Records[0].Values[0].(string)
	return s
}

// serverInfo describes the Neo4j server: version, edition, heap and memory limits.
func (b *bench) serverInfo(ctx context.Context) [][2]string {
	var out [][2]string
	res, err := neo4j.ExecuteQuery(ctx, b.driver, "CALL dbms.components() YIELD name, versions, edition RETURN versions[0], edition",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("system"))
	if err == nil && len(res.Records) > 0 {
		out = append(out, [2]string{"neo4j", fmt.Sprintf("%v %v at %s, database %s", res.Records[0].Values[0], res.Records[0].Values[1], b.cfg.URI, b.cfg.Database)})
	} else {
		out = append(out, [2]string{"neo4j", fmt.Sprintf("%s (version unknown: %v)", b.cfg.URI, err)})
	}
	heap := ""
	res, err = neo4j.ExecuteQuery(ctx, b.driver, "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "+
		"RETURN attributes.HeapMemoryUsage.value.properties.init, attributes.HeapMemoryUsage.value.properties.max",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("system"))
	if err == nil && len(res.Records) > 0 {
		init, _ := res.Records[0].Values[0].(int64)
		maxHeap, _ := res.Records[0].Values[1].(int64)
		heap = fmt.Sprintf("JVM heap initial %s, max %s", mib(init), mib(maxHeap))
	}
	var limits []string
	for _, s := range []string{"server.memory.heap.max_size", "server.memory.pagecache.size", "dbms.memory.transaction.total.max",
		"db.memory.transaction.max", "db.transaction.timeout"} {
		if v := b.setting(ctx, s); v != "" {
			limits = append(limits, s+"="+v)
		}
	}
	out = append(out, [2]string{"memory", strings.TrimPrefix(heap+"; "+strings.Join(limits, ", "), "; ")})
	return out
}

// machineInfo describes this machine (the benchmark assumes Neo4j runs on it too).
func machineInfo() [][2]string {
	cpu, mem, load := "unknown", "unknown", "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
					mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	return [][2]string{
		{"machine", fmt.Sprintf("%d CPUs (nproc), %s RAM, %s; load average %s", runtime.NumCPU(), mem, cpu, load)},
		{"go", fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)},
	}
}

func countNodes(ds *graph.Dataset) string {
	n := map[graph.Kind]int{}
	for i := range ds.Nodes {
		n[ds.Nodes[i].Kind]++
	}
	var parts []string
	for _, k := range graph.Kinds {
		parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
	}
	return strings.Join(parts, ", ")
}

func countEdges(ds *graph.Dataset) string {
	n := map[graph.EdgeKind]int{}
	for i := range ds.Edges {
		n[ds.Edges[i].Kind]++
	}
	var parts []string
	for _, k := range graph.EdgeKinds {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

func mib(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
