package api_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// TestAnalysisList: GET /analyses lists every analysis and the scenario, each with the parameters
// it reads, every one of which the endpoint that runs it accepts.
func TestAnalysisList(t *testing.T) {
	h, _ := MustServer(t)
	rec := do(h, "GET", "/api/v1/analyses", nil)
	var got struct {
		Analyses []struct {
			Name, Run  string
			Parameters []struct {
				Name, Type string
				Default    any
				Allowed    []string
			}
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != 200 || err != nil {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body.String())
	}
	var names []string
	takes := regexp.MustCompile(`takes ([a-z_]+(?:, [a-z_]+)*)`)
	for _, a := range got.Analyses {
		names = append(names, a.Name)
		method, path, _ := strings.Cut(a.Run, " ")
		rec := do(h, method, path+"?zz_unknown=1", strings.NewReader("{}"))
		m := takes.FindStringSubmatch(rec.Body.String())
		if rec.Code != 400 || m == nil {
			t.Fatalf("%s: %d %s", a.Run, rec.Code, rec.Body.String())
		}
		accepted := strings.Split(m[1], ", ")
		for _, p := range a.Parameters {
			if !slices.Contains(accepted, p.Name) {
				t.Errorf("%s lists %s, which %s does not accept", a.Name, p.Name, a.Run)
			}
		}
	}
	// A default is of its parameter's type (a list's as its comma-separated text).
	for _, a := range got.Analyses {
		for _, p := range a.Parameters {
			ok := true
			switch d := p.Default.(type) {
			case nil:
			case float64:
				ok = p.Type == "number" || p.Type == "integer" && d == float64(int(d))
			case bool:
				ok = p.Type == "boolean"
			case string:
				ok = p.Type == "string" || p.Type == "list"
			default:
				ok = false
			}
			if !ok || (p.Default != nil && len(p.Allowed) > 0 && !slices.Contains(p.Allowed, p.Default.(string))) {
				t.Errorf("%s: %s %s has default %#v (allowed %v)", a.Name, p.Type, p.Name, p.Default, p.Allowed)
			}
		}
	}
	if want := append(graph.Analyses(), "scenario"); !slices.Equal(names, want) {
		t.Fatalf("analyses %v, want %v", names, want)
	}
	// A few entries in full: what each analysis reads, with its default and allowed values.
	params := func(name string) map[string][]string {
		out := map[string][]string{}
		for _, a := range got.Analyses {
			if a.Name == name {
				for _, p := range a.Parameters {
					def, _ := json.Marshal(p.Default)
					out[p.Name] = append([]string{p.Type, string(def)}, p.Allowed...)
				}
			}
		}
		return out
	}
	if p := params("chokepoints")["method"]; !slices.Equal(p, append([]string{"string", `"flow"`}, graph.ChokepointMethods()...)) {
		t.Errorf("chokepoints method: %v", p)
	}
	if p := params("routes")["k"]; !slices.Equal(p, []string{"integer", "5"}) {
		t.Errorf("routes k: %v", p)
	}
	if _, ok := params("flow")["metric"]; ok {
		t.Error("flow lists metric, which it does not read")
	}
	if p := params("scenario"); len(p) != 1 || p["format"] == nil {
		t.Errorf("scenario: %v", p)
	}
	if p := params("dependency"); p["supplier"] == nil || p["only_states"] == nil || p["weight"][1] != `"volume"` {
		t.Errorf("dependency: %v", p)
	}
}

// TestUnknownAnalysisFirst: an unknown analysis is 404 before any of its parameters is looked at.
func TestUnknownAnalysisFirst(t *testing.T) {
	h, _ := MustServer(t)
	for target, want := range map[string]string{
		"/api/v1/analyses/nope":                `unknown analysis \"nope\"`,
		"/api/v1/analyses/nope?zz=1&top=x":     `unknown analysis \"nope\"`,
		"/api/v1/analyses/scenario?format=csv": `POST /api/v1/scenarios/run`,
	} {
		rec := do(h, "GET", target, nil)
		if rec.Code != 404 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
	}
}

// TestTrendAnalysis: GET /analyses/trend answers, for each year of its range, what GET
// /analyses/dependency and /analyses/flow answer for that year with the same parameters, through
// the real router on the bundled dataset; bad years are 400 naming the parameter.
func TestTrendAnalysis(t *testing.T) {
	h, _ := serve(t, fixture.Bundled(t), "")
	get := func(target string, v any) {
		t.Helper()
		rec := do(h, "GET", target, nil)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		q        string
		from, to int
	}{
		{"commodity=rare-earths&consumer=state:JP&supplier=state:CN", 2008, 2024},
		{"commodity=rare-earths&consumer=state:JP&supplier=CN&weight=value", 2008, 2023}, // no 2024 price
		{"commodity=rare-earths&consumer=state:US&supplier=state:CN&apply_controls=true", 2015, 2025},
		{"commodity=gallium&consumer=state:JP&supplier=coalition:quad&only_control=coalition:msp", 2010, 2024},
	} {
		q := tc.q
		var trend struct {
			Analysis string
			AsOf     int `json:"as_of"`
			Result   struct {
				From, To int
				Years    []map[string]any
			}
		}
		get(fmt.Sprintf("/api/v1/analyses/trend?%s&years=%d..%d", q, tc.from, tc.to), &trend)
		if trend.Analysis != "trend" || trend.AsOf != tc.to || trend.Result.From != tc.from || trend.Result.To != tc.to || len(trend.Result.Years) != tc.to-tc.from+1 {
			t.Fatalf("%s: %+v", q, trend)
		}
		for i, p := range trend.Result.Years {
			year := tc.from + i
			var dep struct {
				Result struct {
					InboundTPA             float64               `json:"inbound_tpa"`
					EqualWeights           bool                  `json:"equal_weights"`
					ByLocation             struct{ Any float64 } `json:"by_location"`
					ByControl              struct{ Any float64 } `json:"by_control"`
					UnattributedByLocation struct{ Any float64 } `json:"unattributed_by_location"`
				}
			}
			get(fmt.Sprintf("/api/v1/analyses/dependency?%s&as_of=%d", q, year), &dep)
			var flow struct {
				Result struct {
					MaxSupply *float64 `json:"max_supply"`
					Unbounded bool
				}
			}
			get(fmt.Sprintf("/api/v1/analyses/flow?%s&as_of=%d", q, year), &flow) // the flow analysis ignores supplier and weight
			d := dep.Result
			want := map[string]any{"year": float64(year), "dependency": d.ByLocation.Any, "by_control": d.ByControl.Any,
				"unattributed_by_location": d.UnattributedByLocation.Any, "inbound_tpa": d.InboundTPA, "max_supply": nil,
				"unbounded": flow.Result.Unbounded, "equal_weights": d.EqualWeights}
			if d.EqualWeights {
				want["inbound_tpa"] = nil
			}
			if flow.Result.MaxSupply != nil {
				want["max_supply"] = *flow.Result.MaxSupply
			}
			if !reflect.DeepEqual(p, want) {
				t.Errorf("%s, %d: the trend has %v, the analyses %v", q, year, p, want)
			}
		}
	}
	// GET /analyses lists it with its years.
	var list struct {
		Analyses []struct {
			Name       string
			Parameters []struct{ Name string }
		}
	}
	get("/api/v1/analyses", &list)
	var params []string
	for _, a := range list.Analyses {
		if a.Name == "trend" {
			for _, p := range a.Parameters {
				params = append(params, p.Name)
			}
		}
	}
	if !slices.Contains(params, "years") || !slices.Contains(params, "supplier") || slices.Contains(params, "as_of") || slices.Contains(params, "compare") {
		t.Errorf("GET /analyses lists trend with %v", params)
	}
	for target, want := range map[string]string{
		"years=2024..2008":  `years 2024..2008: a trend needs A < B`,
		"years=2010..2010":  `years 2010..2010: a trend needs A < B`,
		"years=2010":        `years wants A..B (e.g. 2008..2025), got "2010"`,
		"years=1990..2100":  `years 1990..2100: a trend spans at most 60 years, got 111`,
		"years=1700..1710":  `years 1700..1710: both years must lie within 1800..2100`,
		"as_of=2020":        `a trend spans years (years=A..B): as_of and compare`,
		"compare=2010,2024": `a trend spans years (years=A..B): as_of and compare`,
	} {
		rec := do(h, "GET", "/api/v1/analyses/trend?commodity=rare-earths&consumer=JP&supplier=CN&"+target, nil)
		var e struct{ Error struct{ Message string } }
		json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != 400 || !strings.Contains(e.Error.Message, want) {
			t.Errorf("%s: %d %s, want 400 with %s", target, rec.Code, rec.Body.String(), want)
		}
	}
}
