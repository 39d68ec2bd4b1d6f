package api_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
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
