package api_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// answered checks an answer to arbitrary input: never a 5xx, always a body, and an error in the
// one JSON shape.
func answered(t *testing.T, target string, code int, body string) {
	t.Helper()
	if code >= 500 || body == "" {
		t.Fatalf("%s: %d %q", target, code, body)
	}
	if code >= 400 {
		var e struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("%s: %d %s", target, code, body)
		}
	}
}

// FuzzScenarioBody posts arbitrary scenario documents to the real router.
func FuzzScenarioBody(f *testing.F) {
	f.Add(`{"commodity": "rare-earths", "consumer": "JP", "as_of": 2024, "remove": {"nodes": ["mine:alpha"]}}`)
	f.Add(`{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "state:CN", "controls": [{"from": "CN", "to": ["JP"], "commodity": "rare-earths", "control": "licence", "pass_share": 0.3}], "apply_controls": true, "licence_pass": 0.5}`)
	f.Add(`{"commodity": "ndpr-oxide", "consumer": "coalition:quad", "routes": 3, "top": 2, "recycling_scale": 2, "stocks": [{"holder": {"id": "firm:jp-agency"}, "commodity": "ndpr-oxide"}]}`)
	f.Add(`{"commodity": "rare-earths", "consumer": "JP", "remove": {"states": ["CN"], "firms": ["firm:cn-group"], "control_states": ["CN"]}, "as_of": 1800}`)
	f.Add(`{"commodity": 1}`)
	h, _ := MustServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := do(h, "POST", "/api/v1/scenarios/run", strings.NewReader(body), "Content-Type", "application/json")
		answered(t, body, rec.Code, rec.Body.String())
	})
}

// FuzzAnalysisQuery sends arbitrary query strings to every analysis through the real router.
func FuzzAnalysisQuery(f *testing.F) {
	f.Add("flow", "commodity=rare-earths&consumer=JP&as_of=2024")
	f.Add("chokepoints", "commodity=rare-earths&consumer=state:JP&method=cut&top=2&only_states=coalition:quad")
	f.Add("dependency", "commodity=rare-earths&consumer=JP&supplier=CN&compare=2013,2024&apply_controls=true&licence_pass=0.2")
	f.Add("centrality", "metric=pagerank&tol=1e-9&kinds=supplies,owns&top=3")
	f.Add("routes", "commodity=rare-earths&to=JP&k=3&max_hops=4&cost=risk&avoid_states=CN&avoid_firms=firm:ausco")
	f.Add("concentration", "commodity=ndpr-oxide&basis=capacity&format=csv")
	f.Add("attribution", "commodity=rare-earths&consumer=JP&supplier=CN&base=2010&as_of=2024")
	f.Add("finance", "commodity=rare-earths&consumer=JP&financier=firm:jp-agency")
	f.Add("control", "node=refinery:sep-my&as_of=%ff&top=-1")
	h, _ := MustServer(f)
	f.Fuzz(func(t *testing.T, name, query string) {
		target := "/api/v1/analyses/" + url.PathEscape(name) + "?" + query
		if _, err := url.ParseRequestURI(target); err != nil || strings.IndexFunc(target, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
			return // no client can send it: a request line has no spaces or control characters
		}
		rec := do(h, "GET", target, nil)
		answered(t, target, rec.Code, rec.Body.String())
	})
}
