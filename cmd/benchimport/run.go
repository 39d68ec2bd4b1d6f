package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/synthetic"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// bench is one benchmark session: a server and its options.
type bench struct {
	cfg    cypher.Config
	driver neo4j.DriverWithContext
	opts   options
}

// workload is a dataset, the statements the import runs for it and its CSV files.
type workload struct {
	ds    *graph.Dataset
	stmts []cypher.ImportStatement
	load  *csvLoad
}

// newWorkload plans the import of ds (untimed) and writes its CSV files into dir (urlDir relative
// to the import directory).
func newWorkload(ds *graph.Dataset, dir, urlDir string) (*workload, error) {
	stmts, err := cypher.ImportStatements(ds)
	if err != nil {
		return nil, err
	}
	load, err := writeCSV(dir, urlDir, ds, stmts)
	if err != nil {
		return nil, err
	}
	return &workload{ds: ds, stmts: stmts, load: load}, nil
}

// result is one timed import.
type result struct {
	mode    string
	run     int
	elapsed time.Duration
	records int
	nodes   int64 // stored nodes and relationships afterwards, :Meta excluded
	rels    int64
	txPeak  int64         // largest estimated heap of one transaction seen while it ran, sampled each second
	settled time.Duration // untimed: from the end of the wipe until the server was idle
	probe   time.Duration // untimed: probeSpeed just before the import, 0 when not taken
	// CPU time the import took on the server (the JVM's) and in this process: on a shared machine
	// less sensitive than wall time to what else runs; serverCPU is -1 when it cannot be read.
	serverCPU, clientCPU time.Duration
	serverGC             time.Duration // of serverCPU, the collectors' pauses; -1 when not read
	phases               []phase
	err                  error
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
	w, err := newWorkload(ds, filepath.Join(dir, csvSubdir), csvSubdir)
	if err != nil {
		return err
	}
	load := w.load
	if !o.keepCSV {
		defer os.RemoveAll(filepath.Join(dir, csvSubdir))
	}
	fmt.Printf("csv:      %d files, %s, written in %s (untimed)\n", len(load.tables), mib(load.bytes), round(time.Since(t0)))
	if o.printCypher {
		for _, st := range load.statements {
			fmt.Printf("\n// %s ($url = %q, $batch = %d)\n%s;\n", st.name, st.url, o.csvBatch, st.batched())
		}
		fmt.Println()
	}

	if o.warmup {
		small := synthetic.Config{Nodes: max(synthetic.MinNodes, o.nodes/50), Edges: o.edges / 50, Seed: o.seed + 1}
		wds, err := synthetic.Generate(small)
		if err != nil {
			return fmt.Errorf("warm-up dataset: %w", err)
		}
		ww, err := newWorkload(wds, filepath.Join(dir, csvSubdir+"-warmup"), csvSubdir+"-warmup")
		if err != nil {
			return err
		}
		if !o.keepCSV {
			defer os.RemoveAll(filepath.Join(dir, csvSubdir+"-warmup"))
		}
		// The small imports compile the statements and warm the JIT. Then every mode imports the
		// full network once: the first import into a new database grows the store files and the
		// first transaction of full size the server's heap, which later imports (after a wipe) do
		// not pay for; and a mode's own code paths (Bolt parameters or CSV reading, its
		// statements' plans) are compiled for full-size work only after a full-size run of it.
		fmt.Printf("warm-up:  every mode once on %d nodes, %d edges, then once on the full network (untimed)\n",
			small.Nodes, small.Edges)
		for _, work := range []*workload{ww, w} {
			for _, m := range o.modes {
				if r := b.timed(ctx, m, 0, work); r.err != nil {
					return fmt.Errorf("warm-up %s: %w", m, r.err)
				}
			}
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
			r := b.timed(ctx, m, i, w)
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

// timed wipes the database and times one import of w in mode m.
func (b *bench) timed(ctx context.Context, m string, run int, w *workload) result {
	r := result{mode: m, run: run, records: len(w.ds.Commodities) + len(w.ds.Nodes) + len(w.ds.Edges)}
	if err := cyphertest.WipeDatabase(ctx, b.driver, b.cfg.Database); err != nil {
		r.err = fmt.Errorf("wipe: %w", err)
		return r
	}
	r.settled = b.settle(ctx)
	r.probe = probeSpeed(w.ds)
	runtime.GC()
	server0, gc0, client0 := b.serverCPU(ctx), b.serverGC(ctx), clientCPU()
	stop := b.watchTxMemory(ctx, &r.txPeak)
	defer stop()
	switch m {
	case modeOurs:
		r.elapsed, r.phases, r.err = b.ours(ctx, w)
	case modeCSVBatched:
		r.elapsed, r.phases, r.err = b.loadCSV(ctx, w.load, true)
	case modeCSVTx:
		r.elapsed, r.phases, r.err = b.loadCSV(ctx, w.load, false)
	}
	stop()
	r.serverCPU, r.clientCPU = -1, clientCPU()-client0
	if server1 := b.serverCPU(ctx); server0 >= 0 && server1 >= 0 {
		r.serverCPU = server1 - server0
	}
	r.serverGC = -1
	if gc1 := b.serverGC(ctx); gc0 >= 0 && gc1 >= 0 {
		r.serverGC = gc1 - gc0
	}
	if r.err == nil {
		// Only ours writes the :Meta revision node: it is not counted.
		r.nodes, r.rels, r.err = cyphertest.CountDatabase(ctx, b.driver, b.cfg.Database, "Meta")
	}
	return r
}

// settle waits until the server is idle after a wipe, so that no import pays for background
// work the one before left (Community has no procedure to force a checkpoint): the server's CPU
// time is read every second until it used less than a tenth of a core in one, for at most a
// minute. It returns the time it waited.
func (b *bench) settle(ctx context.Context) time.Duration {
	start := time.Now()
	for prev := b.serverCPU(ctx); prev >= 0 && time.Since(start) < time.Minute; {
		time.Sleep(time.Second)
		now := b.serverCPU(ctx)
		if now < 0 || now-prev < 100*time.Millisecond {
			break
		}
		prev = now
	}
	return time.Since(start)
}

// serverCPU returns the CPU time the server's JVM has used so far, -1 when it cannot be read.
func (b *bench) serverCPU(ctx context.Context) time.Duration {
	ns, ok := b.jmxInt(ctx, "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes "+
		"RETURN attributes.ProcessCpuTime.value")
	if !ok {
		return -1
	}
	return time.Duration(ns)
}

// serverGC returns the time the server's JVM has spent in its collectors' pauses so far (their
// CollectionTime), -1 when it cannot be read.
func (b *bench) serverGC(ctx context.Context) time.Duration {
	ms, ok := b.jmxInt(ctx, "CALL dbms.queryJmx('java.lang:type=GarbageCollector,name=*') YIELD attributes "+
		"RETURN sum(attributes.CollectionTime.value)")
	if !ok {
		return -1
	}
	return time.Duration(ms) * time.Millisecond
}

// jmxInt runs a query of the server's JMX beans that returns one integer.
func (b *bench) jmxInt(ctx context.Context, query string) (int64, bool) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, query, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("system"))
	if err != nil || len(res.Records) == 0 {
		return 0, false
	}
	v, ok := res.Records[0].Values[0].(int64)
	return v, ok
}

// clientCPU returns the CPU time this process has used so far (user and system).
func clientCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
	return b.verifyControls(ctx, want)
}

// verifyControls checks that the stored CONTROLS relationships are the control spans of net, as
// the import writes them (cypher.ControlRows), each once.
func (b *bench) verifyControls(ctx context.Context, net *graph.Network) error {
	res, err := neo4j.ExecuteQuery(ctx, b.driver,
		"MATCH (s:State)-[c:CONTROLS]->(n:Node) RETURN [n.id, s.id, c.share, c.since, c.until]",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(b.cfg.Database))
	if err != nil {
		return err
	}
	want := map[string]int{}
	rows := cypher.ControlRows(net)
	for _, r := range rows {
		want[fmt.Sprintf("%#v", r)]++
	}
	for _, r := range res.Records {
		k := fmt.Sprintf("%#v", r.Values[0])
		if want[k] == 0 {
			return fmt.Errorf("verify: a CONTROLS relationship that is no control span (or one stored twice): %s", k)
		}
		want[k]--
	}
	if len(res.Records) != len(rows) {
		return fmt.Errorf("verify: %d CONTROLS relationships, want %d control spans", len(res.Records), len(rows))
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
