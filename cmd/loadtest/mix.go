package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
)

// request is one request of the mix.
type request struct {
	kind, method, path, body string
}

// template makes a request of its kind from a picker's random choices.
type template struct {
	kind   string
	weight int
	make   func(p *picker) request
}

// mix is the weighted set of templates a run draws from.
type mix struct {
	templates []template
	total     int
}

// picker is one client's source of random choices.
type picker struct{ r *rand.Rand }

func newPicker(seed int64) *picker { return &picker{rand.New(rand.NewPCG(uint64(seed), 0x10ad))} }

func (p *picker) intn(n int) int { return p.r.IntN(n) }

func pickOf[T any](p *picker, list []T) T { return list[p.intn(len(list))] }

// flows are commodities and consumers with supply in the bundled dataset, and the years asked.
var (
	flows = []struct{ commodity, consumer string }{
		{"rare-earths", "state:JP"}, {"rare-earths", "state:US"}, {"antimony", "state:US"}, {"gallium", "state:JP"},
	}
	words = []string{"lynas", "china", "mine", "refinery", "baotou", "mp", "jogmec", "solvay", "gallium", "iluka"}
)

func year(p *picker) int { return 2010 + p.intn(15) }

// newMix builds the mix for the service at base: node ids from its listing, and every template
// tried once, so that a template the data cannot answer (a consumer without that commodity) is
// caught before the run rather than counted as errors.
func newMix(ctx context.Context, client *http.Client, base string, reports bool) (*mix, error) {
	var page struct {
		Nodes []struct{ ID string }
	}
	if err := getJSON(ctx, client, base+"/api/v1/nodes?limit=1000", &page); err != nil {
		return nil, err
	}
	if len(page.Nodes) == 0 {
		return nil, fmt.Errorf("%s holds no nodes: import a dataset first", base)
	}
	ids := make([]string, len(page.Nodes))
	for i, n := range page.Nodes {
		ids[i] = n.ID
	}
	analysis := func(name string, params func(p *picker) url.Values) func(p *picker) request {
		return func(p *picker) request {
			return request{kind: name, method: "GET", path: "/api/v1/analyses/" + name + "?" + params(p).Encode()}
		}
	}
	flowParams := func(p *picker, extra ...string) url.Values {
		f := pickOf(p, flows)
		v := url.Values{"commodity": {f.commodity}, "consumer": {f.consumer}, "as_of": {fmt.Sprint(year(p))}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	m := &mix{}
	add := func(kind string, weight int, make func(p *picker) request) {
		m.templates = append(m.templates, template{kind, weight, make})
		m.total += weight
	}
	add("node", 30, func(p *picker) request {
		return request{kind: "node", method: "GET", path: "/api/v1/nodes/" + url.PathEscape(pickOf(p, ids))}
	})
	add("search", 10, func(p *picker) request {
		return request{kind: "search", method: "GET", path: "/api/v1/nodes?limit=20&q=" + pickOf(p, words)}
	})
	add("chokepoints", 15, analysis("chokepoints", func(p *picker) url.Values {
		return flowParams(p, "method", pickOf(p, []string{"flow", "dominators", "cut"}), "top", "5")
	}))
	add("dependency", 15, analysis("dependency", func(p *picker) url.Values { return flowParams(p, "supplier", "state:CN") }))
	add("routes", 10, analysis("routes", func(p *picker) url.Values {
		v := flowParams(p, "k", "5", "avoid_states", "CN")
		v.Set("to", v.Get("consumer"))
		v.Del("consumer")
		return v
	}))
	add("diagram", 3, func(*picker) request { // one view: others may be empty in some years (404)
		return request{kind: "diagram", method: "GET", path: "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024&format=svg"}
	})
	if reports {
		add("report", 5, func(p *picker) request {
			return request{kind: "report", method: "POST", path: "/api/v1/reports/top-producers/run",
				body: fmt.Sprintf(`{"commodity": %q, "limit": 10, "year": %d}`, pickOf(p, []string{"ndpr-oxide", "gallium-crude", "germanium"}), year(p))}
		})
	}
	// Each template, and each flow, answered once before the run.
	p := newPicker(0)
	for _, t := range m.templates {
		for range 2 * len(flows) {
			q := t.make(p)
			if err := check(ctx, client, base, q); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// next draws a request.
func (m *mix) next(p *picker) request {
	n := p.intn(m.total)
	for _, t := range m.templates {
		if n < t.weight {
			return t.make(p)
		}
		n -= t.weight
	}
	panic("unreachable")
}

// check sends q once and wants 200.
func check(ctx context.Context, client *http.Client, base string, q request) error {
	req, err := http.NewRequestWithContext(ctx, q.method, base+q.path, strings.NewReader(q.body))
	if err != nil {
		return err
	}
	if q.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error struct{ Message string } }
		json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("%s %s: %d %s (the mix needs the bundled dataset)", q.method, q.path, resp.StatusCode, e.Error.Message)
	}
	return nil
}

// getJSON gets a URL and decodes its JSON answer.
func getJSON(ctx context.Context, client *http.Client, target string, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", target, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", target, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
