package api_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite testdata/analyses.golden from the current code")

// goldenRequests cover every analysis on the bundled dataset in several years, with its methods,
// metrics and options, comparisons of two years, and scenarios.
var goldenRequests = []struct{ method, target, body string }{}

func init() {
	get := func(format string, args ...any) {
		goldenRequests = append(goldenRequests, struct{ method, target, body string }{http.MethodGet, "/api/v1/analyses/" + fmt.Sprintf(format, args...), ""})
	}
	re := "commodity=rare-earths&consumer=state:JP"
	for _, y := range []int{2008, 2010, 2014, 2024} {
		get("flow?%s&as_of=%d", re, y)
		get("dependency?%s&supplier=state:CN&as_of=%d", re, y)
		get("chokepoints?%s&as_of=%d", re, y)
	}
	for _, m := range []string{"flow", "dominators", "cut", "articulation"} {
		get("chokepoints?%s&method=%s&top=6&as_of=2024", re, m)
	}
	for _, c := range []string{"gallium", "germanium", "graphite", "antimony", "tungsten"} {
		get("flow?commodity=%s&consumer=state:US&as_of=2024", c)
		get("chokepoints?commodity=%s&consumer=state:US&as_of=2024", c)
		get("dependency?commodity=%s&consumer=state:US&supplier=CN&as_of=2024", c)
		get("concentration?commodity=%s&as_of=2024", c)
	}
	get("flow?commodity=rare-earths&consumer=coalition:eu27&as_of=2024")
	get("dependency?%s&supplier=state:CN&weight=value&as_of=2018", re)
	get("dependency?%s&supplier=coalition:quad&as_of=2024", re)
	get("dependency?%s&supplier=state:CN&apply_controls=true&as_of=2024", re)
	get("dependency?%s&supplier=state:CN&apply_controls=true&licence_pass=0.5&as_of=2024", re)
	get("dependency?%s&supplier=state:CN&only_control=coalition:msp&as_of=2024", re)
	for _, y := range []int{2013, 2018, 2025} {
		get("control?node=refinery:lynas-malaysia&as_of=%d", y)
		get("control?node=firm:china-northern-rare-earth&as_of=%d", y)
		get("control?commodity=rare-earths&as_of=%d", y)
	}
	get("control?as_of=2024")
	get("control?node=mine:willowdale&as_of=2023")
	for _, b := range []string{"output", "capacity"} {
		for _, y := range []int{2018, 2024} {
			get("concentration?commodity=rare-earths&basis=%s&as_of=%d", b, y)
		}
	}
	for _, m := range []string{"degree", "betweenness", "closeness", "pagerank"} {
		get("centrality?metric=%s&top=15&as_of=2024", m)
		get("centrality?metric=%s&commodity=rare-earths&kinds=supplies,offtake,owns&as_of=2015", m)
	}
	get("routes?commodity=rare-earths&to=state:JP&as_of=2024")
	get("routes?commodity=rare-earths&to=state:JP&cost=risk&k=8&as_of=2024")
	get("routes?commodity=rare-earths&to=state:JP&avoid_states=CN&as_of=2024")
	get("routes?commodity=rare-earths&to=state:JP&avoid_control=CN&max_hops=6&as_of=2024")
	get("routes?commodity=rare-earths&to=state:JP&only_states=coalition:msp&as_of=2024")
	get("routes?commodity=rare-earths&to=state:JP&avoid_firms=firm:lynas&from=AU&as_of=2024")
	get("routes?commodity=rare-earths&consumer=state:US&apply_controls=true&as_of=2025")
	get("finance?%s&as_of=2024", re)
	get("finance?%s&as_of=2014", re)
	get("finance?commodity=rare-earths&consumer=state:US&as_of=2024")
	get("attribution?%s&supplier=state:CN&base=2010&as_of=2024", re)
	get("attribution?%s&supplier=CN&base=2008&as_of=2014", re)
	get("dependency?%s&supplier=state:CN&compare=2010,2024", re)
	get("chokepoints?%s&compare=2010,2024", re)
	get("control?node=refinery:lynas-malaysia&compare=2013,2025")
	get("routes?commodity=rare-earths&to=state:JP&compare=2014,2024")
	get("trend?%s&supplier=state:CN&years=2008..2024", re)
	get("trend?%s&supplier=state:CN&years=2008..2024&format=csv", re)
	get("trend?commodity=gallium&consumer=state:US&supplier=CN&apply_controls=true&years=2020..2025")
	get("trend?%s&supplier=state:CN&years=2024..2008", re)
	get("trend?%s&supplier=state:CN&as_of=2024", re)
	get("flow?%s&as_of=2024&format=csv", re)
	get("nosuch?as_of=2024")
	get("dependency?%s&as_of=2024", re)
	for _, sc := range []string{
		`{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "state:CN", "as_of": 2024,
		  "controls": [{"from": "CN", "to": ["JP"], "commodity": "rare-earths", "control": "ban"}]}`,
		`{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "state:CN", "as_of": 2010, "remove": {"states_by_location": ["CN"]}}`,
		`{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "state:CN", "as_of": 2024, "remove": {"states_by_control": ["CN"]}, "routes": 3, "top": 4}`,
		`{"commodity": "rare-earths", "consumer": "state:US", "as_of": 2024, "remove": {"only_states_by_control": ["coalition:g7"]}, "recycling_scale": 2}`,
		`{"commodity": "rare-earths", "consumer": "state:JP", "as_of": 2024, "apply_controls": true, "remove": {"nodes": ["refinery:lynas-malaysia"]}}`,
		`{"commodity": "gallium", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"edges": [{"kind": "supplies", "from": "state:CN"}]}}`,
		`{"commodity": "rare-earths", "consumer": "state:JP", "as_of": 2024, "remove": {"edges": [{"kind": "supplies", "to": "refinery:lynas-malaysia"}]}}`,
	} {
		goldenRequests = append(goldenRequests, struct{ method, target, body string }{http.MethodPost, "/api/v1/scenarios/run", sc})
	}
}

// TestAnalysesGolden runs every request of goldenRequests on the bundled dataset through the real
// router and compares status and body with testdata/analyses.golden byte for byte, so that a
// change that should not change behaviour is shown to change no byte of any answer. Run with
// -update to rewrite the file after a change that means to change answers.
func TestAnalysesGolden(t *testing.T) {
	ds := fixture.Bundled(t)
	h, _ := serve(t, ds, "")
	var got bytes.Buffer
	for _, r := range goldenRequests {
		var body io.Reader
		if r.body != "" {
			body = strings.NewReader(r.body)
		}
		rec := do(h, r.method, r.target, body, "Content-Type", "application/json")
		fmt.Fprintf(&got, "### %s %s %s\n%d\n%s\n", r.method, r.target, strings.Join(strings.Fields(r.body), " "), rec.Code, strings.TrimRight(rec.Body.String(), "\n"))
	}
	path := filepath.Join("testdata", "analyses.golden")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d differs from %s (go test -run TestAnalysesGolden -update rewrites it)\ngot:  %.400s\nwant: %.400s", i+1, path, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", path, len(gl), len(wl))
	}
}
