package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

func TestRender(t *testing.T) {
	h, s := MustServer(t)
	for _, tc := range []struct {
		name, target string
		status       int
		contentType  string
		contains     []string
	}{
		{"FlowSVG", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024", 200, "image/svg+xml",
			[]string{"<svg", ">Separation CN</text>", ">#1 chokepoint: 60 t/a (66.7% of supply)</text>", ">#4 chokepoint: 30 t/a (33.3% of supply)</text>"}},
		{"FlowTop", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&as_of=2024&top=1&format=dot", 200, "text/vnd.graphviz; charset=utf-8",
			[]string{`digraph "chokepoint"`, "#1 chokepoint", "the top chokepoint by lost supply in red"}},
		{"FlowThisYear", "/api/v1/render/flow?commodity=ndpr-oxide&consumer=firm:jp-maker&format=dot", 200, "text/vnd.graphviz; charset=utf-8",
			[]string{fmt.Sprintf("as of %d", time.Now().Year())}},
		{"FlowPNG", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=png", 200, "image/png",
			[]string{"\x89PNG\r\n\x1a\n"}},
		{"Node", "/api/v1/render/node/firm:ausco", 200, "image/svg+xml",
			[]string{">AusCo</text>", ">owns 25%</text>", ">2011–</text>", "all years"}},
		{"NodeOptions", "/api/v1/render/node/mine:beta?depth=3&kinds=supplies&kinds=offtake&as_of=2024&format=dot", 200, "text/vnd.graphviz; charset=utf-8",
			[]string{`"firm:jp-maker" [`, "3-hop neighbourhood, as of 2024, supplies, offtake"}},
		{"Routes", "/api/v1/render/routes?commodity=rare-earths&consumer=state:JP&avoid_states=CN&as_of=2024&format=dot", 200, "text/vnd.graphviz; charset=utf-8",
			[]string{"route 1: 2 hops, bottleneck 30 t/a", "avoiding nodes in CN", `"mine:beta" -> "refinery:sep-my"`}},
		{"RoutesSVG", "/api/v1/render/routes?commodity=rare-earths&to=JP&k=1&as_of=2024", 200, "image/svg+xml", []string{"<svg", ">route 1: 2 hops"}},
		{"Control", "/api/v1/render/control?node=refinery:sep-my&as_of=2024&format=dot", 200, "text/vnd.graphviz; charset=utf-8",
			[]string{"effective share 25% · ultimate owner", "the node in view"}},
		{"TrendSVG", "/api/v1/render/trend?commodity=rare-earths&consumer=state:JP&supplier=state:CN&years=2010..2024", 200, "image/svg+xml",
			[]string{"<svg", "2010", "2024"}},
		{"TrendPNG", "/api/v1/render/trend?commodity=rare-earths&consumer=state:JP&supplier=CN&format=png", 200, "image/png", []string{"\x89PNG\r\n\x1a\n"}},

		{"ErrEmpty", "/api/v1/render/flow?commodity=gallium&consumer=JP&as_of=2024", 404, "application/json; charset=utf-8",
			[]string{`"code":"not_found"`, "receives no gallium from an origin (as of 2024). It receives: ndpr-oxide; draw one of these as the commodity."}},
		{"ErrControlNode", "/api/v1/render/control?as_of=2024", 400, "application/json; charset=utf-8", []string{"the control view needs a node"}},
		{"ErrTrendDOT", "/api/v1/render/trend?commodity=rare-earths&consumer=JP&supplier=CN&format=dot", 400, "application/json; charset=utf-8", []string{"a trend is a chart"}},
		{"ErrTrendAsOf", "/api/v1/render/trend?commodity=rare-earths&consumer=JP&supplier=CN&as_of=2020", 400, "application/json; charset=utf-8", []string{"not one as_of year"}},
		{"ErrTrendYears", "/api/v1/render/trend?commodity=rare-earths&consumer=JP&supplier=CN&years=2010", 400, "application/json; charset=utf-8", []string{"years wants A..B"}},
		{"ErrFormat", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&format=gif", 400, "application/json; charset=utf-8",
			[]string{`"code":"invalid"`, `unknown format \"gif\" (want svg, png, dot)`}},
		{"ErrNoCommodity", "/api/v1/render/flow?consumer=JP", 400, "application/json; charset=utf-8", []string{`"code":"invalid"`, "a commodity is required"}},
		{"ErrConsumer", "/api/v1/render/flow?commodity=rare-earths&consumer=firm:nope", 404, "application/json; charset=utf-8", []string{`"code":"not_found"`}},
		{"ErrYear", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&as_of=0", 400, "application/json; charset=utf-8", []string{`as_of 0 is outside`}},
		{"ErrTop", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&top=x", 400, "application/json; charset=utf-8", []string{`bad query string`}},
		{"ErrDepth", "/api/v1/render/node/firm:ausco?depth=4", 400, "application/json; charset=utf-8", []string{`depth must be 1..3, got 4`}},
		{"ErrKind", "/api/v1/render/node/firm:ausco?kinds=likes", 400, "application/json; charset=utf-8", []string{`unknown edge kind \"likes\"`}},
		{"ErrNode", "/api/v1/render/node/firm:nope", 404, "application/json; charset=utf-8", []string{`"message":"no node \"firm:nope\""`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, "GET", tc.target, nil)
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != tc.contentType {
				t.Fatalf("%d %s: %.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			for _, want := range tc.contains {
				if !strings.Contains(rec.Body.String(), want) {
					t.Errorf("body lacks %q: %.300s", want, rec.Body)
				}
			}
		})
	}
	t.Run("SameAsRender", func(t *testing.T) {
		net, err := s.Store.Network(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want, err := render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2024, Top: graph.DefaultTop})
		if err != nil {
			t.Fatal(err)
		}
		rec := do(h, "GET", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=dot", nil)
		if !bytes.Equal(rec.Body.Bytes(), want) {
			t.Errorf("the API's DOT differs from render.Flow's:\n%s", rec.Body)
		}
	})
}

// TestRenderTooLarge checks that a view over the size limits is refused with 413 and advice.
func TestRenderTooLarge(t *testing.T) {
	ds := fixture.ManyMines(200)
	store, err := graph.NewMemStore(ds)
	if err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(store)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	rec := do(srv.Handler(), "GET", "/api/v1/render/node/firm:buyer", nil)
	var body api.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 413 || body.Error.Code != graph.ETooLarge ||
		!strings.Contains(body.Error.Message, "201 nodes") || !strings.Contains(body.Error.Message, "smaller depth") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// TestRenderLayout checks that pictures are laid out by Server.Layout when it is set, and that
// its errors reach the client as any other: a timeout as 503, a failure as an internal error.
func TestRenderLayout(t *testing.T) {
	h, s := MustServer(t)
	var calls []string
	var fail error
	s.Layout = func(ctx context.Context, dot []byte, format string) ([]byte, error) {
		if _, ok := ctx.Deadline(); ok {
			t.Error("the API set a deadline of its own") // the layout's default applies
		}
		calls = append(calls, format)
		if fail != nil {
			return nil, fail
		}
		return []byte("<svg>" + strconv.Itoa(len(dot)) + "</svg>"), nil
	}
	rec := do(h, "GET", "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "<svg>") || rec.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	fail = graph.Errorf(graph.ETimeout, "rendering did not finish within its deadline")
	if rec := do(h, "GET", "/api/v1/render/node/firm:ausco?format=png", nil); rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	fail = errors.New("layout process: exit status 1: chokepoint layout: secret detail")
	if rec := do(h, "GET", "/api/v1/render/node/firm:ausco", nil); rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if want := []string{"svg", "png", "svg"}; !slices.Equal(calls, want) {
		t.Errorf("layouts %v, want %v", calls, want)
	}
}

// cnRemoved is a scenario of the small network: every node in China removed, Japan's supply in 2024.
const cnRemoved = `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "state:CN", "as_of": 2024,
 "remove": {"states_by_location": ["CN"]}}`

// TestRenderScenario: a scenario document in the body, or a saved one by name, draws what
// render.Scenario draws of the same scenario; bad documents and names answer as the scenario
// endpoints do.
func TestRenderScenario(t *testing.T) {
	h, s := MustServer(t)
	net, err := s.Store.Network(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var sc graph.Scenario
	if err := json.Unmarshal([]byte(cnRemoved), &sc); err != nil {
		t.Fatal(err)
	}
	want, err := render.Scenario(net, sc)
	if err != nil {
		t.Fatal(err)
	}
	rec := do(h, "POST", "/api/v1/render/scenario?format=dot", strings.NewReader(cnRemoved))
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) {
		t.Fatalf("%d: the API's DOT differs from render.Scenario's:\n%s", rec.Code, rec.Body)
	}
	if rec := do(h, "PUT", "/api/v1/scenarios/cn-out", strings.NewReader(cnRemoved), "X-API-Key", testKey); rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	sc.Name = "cn-out"
	want, err = render.Scenario(net, sc)
	if err != nil {
		t.Fatal(err)
	}
	rec = do(h, "GET", "/api/v1/render/scenario/cn-out?format=dot", nil)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) || !strings.Contains(rec.Body.String(), "Scenario cn-out: rare-earths") {
		t.Fatalf("%d: the saved scenario's DOT differs from render.Scenario's:\n%s", rec.Code, rec.Body)
	}
	rec = do(h, "GET", "/api/v1/render/scenario/cn-out", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(rec.Body.String(), ">removed by the scenario</text>") {
		t.Fatalf("%d %.300s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		msg                        string
	}{
		{"ErrNoSaved", "GET", "/api/v1/render/scenario/nope", "", 404, `no saved scenario \"nope\"`},
		{"ErrBody", "POST", "/api/v1/render/scenario", `{"commodity": "rare-earths", "consumer": "JP", "remoov": {}}`, 400, "malformed scenario"},
		{"ErrConsumer", "POST", "/api/v1/render/scenario", `{"commodity": "rare-earths", "consumer": "firm:nope"}`, 404, `unknown consumer \"firm:nope\"`},
		{"ErrParam", "POST", "/api/v1/render/scenario?as_of=2024", cnRemoved, 400, "as_of"},
		{"ErrFormat", "GET", "/api/v1/render/scenario/cn-out?format=gif", "", 400, `unknown format \"gif\"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, strings.NewReader(tc.body))
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.msg) {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
		})
	}
}

// countLayouts makes s lay its pictures out with render.Render and returns the count of layouts.
func countLayouts(s *api.Server) *int {
	layouts := new(int)
	s.Layout = func(ctx context.Context, dot []byte, format string) ([]byte, error) {
		*layouts++
		return render.Render(ctx, dot, format)
	}
	return layouts
}

// TestRenderCache: a picture asked again is answered from the cache without a layout, a
// revalidation with its ETag is 304, and an import (a new network) draws it again.
func TestRenderCache(t *testing.T) {
	h, s := MustServer(t)
	layouts := countLayouts(s)
	const target = "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024"
	first := do(h, "GET", target, nil)
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" || *layouts != 1 {
		t.Fatalf("%d %q, %d layouts", first.Code, etag, *layouts)
	}
	// The same parameters in another order are the same picture.
	again := do(h, "GET", "/api/v1/render/flow?as_of=2024&consumer=state:JP&commodity=rare-earths", nil)
	if again.Code != 200 || !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) || *layouts != 1 {
		t.Fatalf("%d, %d layouts", again.Code, *layouts)
	}
	if rec := do(h, "GET", target, nil, "If-None-Match", etag); rec.Code != 304 || rec.Body.Len() != 0 || *layouts != 1 {
		t.Fatalf("%d %q, %d layouts", rec.Code, rec.Body, *layouts)
	}
	if rec := do(h, "POST", "/api/v1/render/scenario", strings.NewReader(cnRemoved)); rec.Code != 200 || *layouts != 2 {
		t.Fatalf("%d, %d layouts", rec.Code, *layouts)
	}
	if rec := do(h, "POST", "/api/v1/render/scenario", strings.NewReader(cnRemoved)); rec.Code != 200 || *layouts != 2 {
		t.Fatalf("the same document drawn again: %d, %d layouts", rec.Code, *layouts)
	}
	if rec := do(h, "GET", target+"&format=png", nil); rec.Code != 200 || *layouts != 3 {
		t.Fatalf("another format: %d, %d layouts", rec.Code, *layouts)
	}
	// A new node in Japan receiving from Beta: the network and the picture change.
	add := `{"nodes": [{"id": "firm:jp-new", "kind": "firm", "name": "JP Newcomer", "state": "JP"}],
 "edges": [{"kind": "offtake", "from": "refinery:sep-my", "to": "firm:jp-new", "commodity": "ndpr-oxide", "volume_tpa": 5}]}`
	if rec := do(h, "POST", "/api/v1/import", strings.NewReader(add), "Content-Type", "application/json", "X-API-Key", testKey); rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec := do(h, "GET", target, nil, "If-None-Match", etag)
	if rec.Code != 200 || *layouts != 4 || !strings.Contains(rec.Body.String(), ">JP Newcomer</text>") {
		t.Fatalf("after the import: %d, %d layouts", rec.Code, *layouts)
	}
}
