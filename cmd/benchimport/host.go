package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

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

// probeSpeed times graph.NewNetwork (validation and indexing) of ds, the heaviest Go work of
// ours, before every run: it shows whether the machine itself got slower or faster between runs,
// as this shared virtual machine does, by up to half within an hour (docs/benchmarks.md). ds was
// validated at the start, so the error is not looked at.
func probeSpeed(ds *graph.Dataset) time.Duration {
	start := time.Now()
	_, _ = graph.NewNetwork(ds)
	return time.Since(start)
}
