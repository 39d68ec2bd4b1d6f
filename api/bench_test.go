package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// BenchmarkAnalysesHTTP times every analysis on the bundled dataset through a real server on
// loopback (projection cached), on the embedded store and, on the test Neo4j when there is one (where
// each request also checks the stored revision), and reports the median latency as median-ms.
func BenchmarkAnalysesHTTP(b *testing.B) {
	ds := fixture.Bundled(b)
	mem, err := graph.NewMemStore(ds)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("embedded", func(b *testing.B) { benchAnalyses(b, mem) })
	if _, ok := cyphertest.ConfigFromEnv(); ok {
		neo := cyphertest.MustOpen(b)
		if _, err := neo.Import(b.Context(), ds); err != nil {
			b.Fatal(err)
		}
		b.Run("neo4j", func(b *testing.B) { benchAnalyses(b, neo) })
	}
}

func benchAnalyses(b *testing.B, store graph.Store) {
	srv := api.NewServer(store)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer srv.Close(b.Context())
	base := "http://" + srv.Addr() + "/api/v1/analyses/"
	const jp = "&consumer=state:JP&as_of=2025"
	for _, q := range []struct{ name, query string }{
		{"flow", "flow?commodity=rare-earths" + jp},
		{"chokepoints-flow", "chokepoints?method=flow&commodity=rare-earths" + jp},
		{"chokepoints-dominators", "chokepoints?method=dominators&commodity=rare-earths" + jp},
		{"chokepoints-cut", "chokepoints?method=cut&commodity=rare-earths" + jp},
		{"chokepoints-articulation", "chokepoints?method=articulation&commodity=rare-earths" + jp},
		{"control", "control?as_of=2025"},
		{"concentration", "concentration?commodity=rare-earths&as_of=2025"},
		{"dependency", "dependency?commodity=rare-earths&supplier=state:CN" + jp},
		{"centrality-betweenness", "centrality?metric=betweenness&as_of=2025"},
		{"centrality-pagerank", "centrality?metric=pagerank&as_of=2025"},
		{"routes", "routes?commodity=rare-earths&to=state:JP&k=10&avoid_states=CN&as_of=2025"},
		{"trend", "trend?commodity=rare-earths&consumer=state:JP&supplier=state:CN&years=2008..2024"},
	} {
		b.Run(q.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				resp, err := http.Get(base + q.query)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %d", q.query, resp.StatusCode)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
