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
// MATCH their ends on :Node {id} (ours finds them by the element ids its node statements return)
// and are CREATEd with the same properties, key included (cypher.EdgeProperties); then the control
// spans (cypher.ControlRows, computed untimed) are loaded from their file, their ends MATCHed on
// :Node {id} as well (ours by element id), with the same properties. CREATE is valid because the
// database is wiped before every run; the schema's uniqueness constraints stay and are checked as
// in ours. The LOAD CSV statements are the import's own statements (cypher.ImportStatements), in
// its order and under its names, so the two cannot drift apart; a statement without a LOAD CSV
// form is an error. They take the file URL and the batch size as parameters; labels and
// relationship types come from fixed whitelists.
//
// Files: main.go (flags), run.go (the run loop, timing, verification), ours.go (the production
// import and its phases), load.go (LOAD CSV statements and their runs), csv.go (the CSV writer),
// stats.go (results and summary), host.go (the machine, the server and its import directory).
// It prints records per second (records = commodities + nodes + edges of the dataset) for each,
// the time of each statement, the largest transaction heap seen (what
// dbms.memory.transaction.total.max limits), the CPU time of each run on the server and in this
// process, and the ratios ours / LOAD CSV, with the machine and the Neo4j server it ran on.
// Before the timed runs it warms up (every mode on a small network, then the full network once
// through LOAD CSV, which grows the store files, in one transaction when a single-transaction
// mode is timed, which grows the server's heap), and run i starts with the i-th mode so that no
// mode always runs first.
//
// Usage:
//
//	set -a; eval "$(scripts/neo4j start)"; set +a
//	go run ./cmd/benchimport --nodes 100000 --edges 300000
//
// It reads NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE, and wipes that database.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
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
		"then the full network once (store files; in one transaction, csv-tx, when ours or csv-tx is timed), untimed")
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
