package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
)

// printResult prints one timed import and the time of each of its statements.
func (b *bench) printResult(r result) {
	if r.err != nil {
		fmt.Printf("%-24s run %d: FAILED after %s (peak transaction heap %s): %v\n", r.mode, r.run, round(r.elapsed), mib(r.txPeak), r.err)
	} else {
		fmt.Printf("%-24s run %d: %8s  %9.0f records/s  (stored %d nodes, %d relationships; peak transaction heap %s; CPU: server %s (GC pauses %s), client %s; waited %s for an idle server after the wipe; host probe %s)\n",
			r.mode, r.run, round(r.elapsed), r.rate(), r.nodes, r.rels, mib(r.txPeak), round(r.serverCPU), round(r.serverGC), round(r.clientCPU), round(r.settled), round(r.probe))
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
		serverCPU    time.Duration // medians of the runs
		clientCPU    time.Duration
	}
	byMode := map[string]*stats{}
	for _, m := range o.modes {
		var rates []float64
		var server, client []time.Duration
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
				server, client = append(server, r.serverCPU), append(client, r.clientCPU)
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
			st.serverCPU, st.clientCPU = median(server), median(client)
		}
		byMode[m] = st
	}
	ours := byMode[modeOurs]
	fmt.Printf("## Summary (%d run(s) per mode; records/s = %d records / wall time)\n\n", o.runs, results[0].records)
	fmt.Printf("| mode | transactions | ok/runs | best time | best records/s | median records/s | ours/this (best) | ours/this (median) | peak tx heap | median CPU server + client |\n")
	fmt.Printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range o.modes {
		st := byMode[m]
		if st.ok == 0 {
			fmt.Printf("| %s | %s | 0/%d | failed | – | – | – | – | %s | – |\n", m, txDesc(m, o), st.failed, mib(st.txPeak))
			continue
		}
		rb, rm := "–", "–"
		if ours != nil && ours.ok > 0 {
			rb, rm = fmt.Sprintf("%.2f", ours.best/st.best), fmt.Sprintf("%.2f", ours.median/st.median)
		}
		fmt.Printf("| %s | %s | %d/%d | %s | %.0f | %.0f | %s | %s | %s | %s + %s |\n", m, txDesc(m, o), st.ok, st.ok+st.failed,
			round(st.bestTime), st.best, st.median, rb, rm, mib(st.txPeak), round(st.serverCPU), round(st.clientCPU))
	}
	fmt.Println()
	if d := drift(results); d != "" {
		fmt.Println(d)
	}
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

// driftWarn is how much longer than the fastest the slowest host probe of a benchmark may take
// before drift warns that the machine's speed changed between runs.
const driftWarn = 0.10

// drift describes the spread of the host probes (probeSpeed) of the runs that succeeded, with a
// warning when it exceeds driftWarn; "" without probes.
func drift(results []result) string {
	var lo, hi time.Duration
	n := 0
	for _, r := range results {
		if r.err != nil || r.probe <= 0 {
			continue
		}
		if n == 0 || r.probe < lo {
			lo = r.probe
		}
		hi = max(hi, r.probe)
		n++
	}
	if n == 0 {
		return ""
	}
	spread := float64(hi-lo) / float64(lo)
	s := fmt.Sprintf("host probe: %s–%s over %d runs (+%.0f%%)", round(lo), round(hi), n, 100*spread)
	if spread > driftWarn {
		s += ": the machine's speed changed between runs; compare runs side by side (same position in the rotation), not the modes' medians"
	}
	return s
}

// median is the median of ds (the mean of the middle two for an even count).
func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	if len(ds)%2 == 0 {
		return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
	}
	return ds[len(ds)/2]
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

func countNodes(ds *graph.Dataset) string {
	n := map[graph.Kind]int{}
	for i := range ds.Nodes {
		n[ds.Nodes[i].Kind]++
	}
	var parts []string
	for _, k := range graph.Kinds() {
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
	for _, k := range graph.EdgeKinds() {
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
