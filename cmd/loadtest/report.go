package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// statusTransport stands for a request that got no HTTP answer (refused, reset, timed out).
const statusTransport = 0

// sample is one request's outcome.
type sample struct {
	kind       string
	phase      phase
	sent       time.Time
	status     int
	took       time.Duration
	retryAfter time.Duration // what the answer's Retry-After asked
	message    string        // the start of an error's body
	cut        bool
}

// memory is what the server's /metrics says of its memory.
type memory struct {
	rss, heap float64 // bytes: resident set, Go heap in use
}

// report gathers the samples of a run.
type report struct {
	cfg     config
	start   time.Time
	elapsed time.Duration

	mu                                      sync.Mutex
	stopBegan, stopped, startBegan, started time.Time

	took      map[phase]map[string][]time.Duration // latencies of the answers, by phase and kind
	statuses  map[phase]map[int]int
	examples  map[string]string // the first error message by status and kind
	firstOK   time.Time         // the first 200 sent after the start command returned
	lastError time.Time         // the last non-200 sent after it

	memBefore, memAfter memory
	memPeak             memory
}

func newReport(c config) *report {
	r := &report{cfg: c, took: map[phase]map[string][]time.Duration{}, statuses: map[phase]map[int]int{}, examples: map[string]string{}}
	for p := range phaseCount {
		r.took[p], r.statuses[p] = map[string][]time.Duration{}, map[int]int{}
	}
	return r
}

// mark records the time of a phase change.
func (r *report) mark(t *time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*t = time.Now()
}

// phaseAt is the phase of a request sent at t.
func (r *report) phaseAt(t time.Time) phase {
	r.mu.Lock()
	defer r.mu.Unlock()
	before := func(mark time.Time) bool { return mark.IsZero() || t.Before(mark) }
	switch {
	case t.Before(r.start.Add(r.cfg.warmup)):
		return phaseWarmup
	case before(r.stopBegan):
		return phaseUp
	case before(r.stopped):
		return phaseStopping
	case before(r.startBegan):
		return phaseDown
	case before(r.started):
		return phaseStarting
	}
	return phaseAfter
}

// collect takes the samples until results closes.
func (r *report) collect(results <-chan sample) {
	for s := range results {
		if s.cut {
			continue
		}
		r.statuses[s.phase][s.status]++
		if key := fmt.Sprintf("%d %s", s.status, s.kind); s.message != "" && r.examples[key] == "" {
			r.examples[key] = s.message
		}
		if s.status != statusTransport {
			r.took[s.phase][s.kind] = append(r.took[s.phase][s.kind], s.took)
		}
		if s.phase != phaseAfter {
			continue
		}
		if s.status == http.StatusOK && (r.firstOK.IsZero() || s.sent.Before(r.firstOK)) {
			r.firstOK = s.sent
		}
		if s.status != http.StatusOK && s.sent.After(r.lastError) {
			r.lastError = s.sent
		}
	}
}

// sampleMemory scrapes the server's memory every second until ctx ends, keeping the peak.
func (r *report) sampleMemory(ctx context.Context, client *http.Client, base string) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if m, err := scrapeMemory(ctx, client, base); err == nil {
			r.mu.Lock()
			r.memPeak.rss, r.memPeak.heap = max(r.memPeak.rss, m.rss), max(r.memPeak.heap, m.heap)
			r.mu.Unlock()
		}
	}
}

// scrapeMemory reads process_resident_memory_bytes and go_memstats_heap_inuse_bytes from
// /metrics.
func scrapeMemory(ctx context.Context, client *http.Client, base string) (memory, error) {
	var m memory
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return m, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return m, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			m.rss, _ = strconv.ParseFloat(value, 64)
		case "go_memstats_heap_inuse_bytes":
			m.heap, _ = strconv.ParseFloat(value, 64)
		}
	}
	if m.rss == 0 {
		return m, fmt.Errorf("GET /metrics: no process_resident_memory_bytes")
	}
	return m, sc.Err()
}

// percentile returns the p-th percentile (0..100) of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

func mib(b float64) string { return strconv.FormatFloat(b/(1<<20), 'f', 1, 64) }

// print writes the report as Markdown tables.
func (r *report) print(w io.Writer) {
	total := 0
	for p := range phaseCount {
		for _, n := range r.statuses[p] {
			total += n
		}
	}
	fmt.Fprintf(w, "%d clients, %s: %d requests, %.0f req/s\n", r.cfg.clients, r.elapsed.Round(time.Millisecond), total, float64(total)/r.elapsed.Seconds())
	if !r.stopBegan.IsZero() {
		at := func(t time.Time) string { return t.Sub(r.start).Round(100 * time.Millisecond).String() }
		fmt.Fprintf(w, "warm-up %s; Neo4j: stop command at %s (returned at %s), stopped for %s, start command at %s (returned at %s)\n",
			r.cfg.warmup, at(r.stopBegan), at(r.stopped), r.cfg.outage, at(r.startBegan), at(r.started))
		switch {
		case r.started.IsZero():
			fmt.Fprintln(w, "recovery: Neo4j was not started again before the end")
		case r.firstOK.IsZero():
			fmt.Fprintln(w, "recovery: no request succeeded after Neo4j returned")
		default:
			last := "none"
			if !r.lastError.IsZero() {
				last = r.lastError.Sub(r.started).Round(time.Millisecond).String()
			}
			fmt.Fprintf(w, "recovery: first 200 sent %s after the start command returned; last error sent %s after it\n",
				r.firstOK.Sub(r.started).Round(time.Millisecond), last)
		}
	}
	fmt.Fprintln(w, "\n| phase | kind | answers | req/s | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---:|---:|---:|---:|---:|---:|")
	for p := range phaseCount {
		span := r.span(p)
		for _, kind := range slices.Sorted(maps.Keys(r.took[p])) {
			d := r.took[p][kind]
			slices.Sort(d)
			fmt.Fprintf(w, "| %s | %s | %d | %.1f | %s | %s | %s | %s |\n", phaseNames[p], kind, len(d), float64(len(d))/span.Seconds(),
				ms(percentile(d, 50)), ms(percentile(d, 90)), ms(percentile(d, 99)), ms(d[len(d)-1]))
		}
	}
	fmt.Fprintln(w, "\n| phase | status | requests |\n|---|---|---:|")
	for p := range phaseCount {
		for _, status := range slices.Sorted(maps.Keys(r.statuses[p])) {
			name := strconv.Itoa(status)
			if status == statusTransport {
				name = "no answer"
			}
			fmt.Fprintf(w, "| %s | %s | %d |\n", phaseNames[p], name, r.statuses[p][status])
		}
	}
	if len(r.examples) > 0 {
		fmt.Fprintln(w, "\nfirst error of each status and kind:")
		for _, key := range slices.Sorted(maps.Keys(r.examples)) {
			fmt.Fprintf(w, "  %s: %s\n", key, strings.TrimSpace(r.examples[key]))
		}
	}
	fmt.Fprintf(w, "\nserver memory (MiB): RSS %s before, %s peak, %s after; Go heap in use %s before, %s peak, %s after\n",
		mib(r.memBefore.rss), mib(r.memPeak.rss), mib(r.memAfter.rss), mib(r.memBefore.heap), mib(r.memPeak.heap), mib(r.memAfter.heap))
}

// span is how long phase p lasted: from its mark to the next one's, or to the end.
func (r *report) span(p phase) time.Duration {
	marks := [phaseCount + 1]time.Time{r.start, r.start.Add(r.cfg.warmup), r.stopBegan, r.stopped, r.startBegan, r.started, r.start.Add(r.elapsed)}
	end := marks[p+1]
	for i := p + 2; end.IsZero() && i <= phaseCount; i++ {
		end = marks[i]
	}
	return end.Sub(marks[p])
}
