package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
)

// fakeReports is a report.Service with one report, "owners", that records what it was asked.
type fakeReports struct {
	args    map[string]any
	query   string
	maxRows int
}

var owners = report.Report{Name: "owners", Title: "Owners", Description: "Who owns what.", Builtin: true, Query: "MATCH …",
	Params: []report.Param{{Name: "id", Type: "string", Required: true, Description: "the owned node"}}}

var ownersResult = report.Result{Columns: []string{"owner", "share", "chain", "node", "note"}, RowCount: 2, Truncated: true, ElapsedMS: 1.5,
	Rows: [][]any{
		{"state:JP", 0.027, []any{"state:JP", "firm:jogmec"}, cypher.NodeValue{ID: "firm:jare", Labels: []string{"Firm", "Node"}, Properties: map[string]any{"since": int64(2011)}}, nil},
		{"firm:sojitz", int64(1), map[string]any{"a": true}, nil, "with, a \"quote\" & <tag>"},
	}}

func (f *fakeReports) List() ([]*report.Report, error) {
	r := owners
	r.Query = ""
	return []*report.Report{&r}, nil
}

func (f *fakeReports) Get(name string) (*report.Report, error) {
	if name != "owners" {
		return nil, graph.Errorf(graph.ENotFound, "no report is called %q", name)
	}
	return &owners, nil
}

func (f *fakeReports) Run(_ context.Context, name string, args map[string]any, maxRows int) (*report.Result, error) {
	if _, err := f.Get(name); err != nil {
		return nil, err
	}
	f.args, f.maxRows = args, maxRows
	res := ownersResult
	return &res, nil
}

func (f *fakeReports) Query(_ context.Context, query string, params map[string]any, maxRows int) (*report.Result, error) {
	f.query, f.args, f.maxRows = query, params, maxRows
	if strings.Contains(query, "slow") {
		return nil, graph.Errorf(graph.ETimeout, "the query was stopped at its time limit of 1s")
	}
	res := ownersResult
	return &res, nil
}

func TestReports(t *testing.T) {
	_, srv := MustServer(t)
	fake := &fakeReports{}
	srv.Reports = fake
	h := srv.Handler()
	key := []string{"X-API-Key", testKey}
	for _, tc := range []struct {
		name, method, target, body string
		header                     []string
		status                     int
		contains                   string
		args                       string // the arguments the service received, as JSON
		maxRows                    int
	}{
		{"List", "GET", "/api/v1/reports", "", nil, 200, `{"reports":[{"name":"owners","title":"Owners","description":"Who owns what.","params":[{"name":"id","type":"string","default":null,"required":true,"description":"the owned node"}],"builtin":true}]}`, "", 0},
		{"Show", "GET", "/api/v1/reports/owners", "", nil, 200, `"query":"MATCH …"`, "", 0},
		{"ShowNotFound", "GET", "/api/v1/reports/nope", "", nil, 404, `"code":"not_found"`, "", 0},
		{"RunPost", "POST", "/api/v1/reports/owners/run?max_rows=5", `{"id": "firm:lynas", "year": 2024, "share": 0.5, "list": ["a"]}`, nil, 200,
			`{"columns":["owner","share","chain","node","note"],"rows":[["state:JP",0.027,["state:JP","firm:jogmec"],{"id":"firm:jare","labels":["Firm","Node"],"properties":{"since":2011}},null],["firm:sojitz",1,{"a":true},null,"with, a \"quote\" \u0026 \u003ctag\u003e"]],"row_count":2,"truncated":true,"elapsed_ms":1.5}`,
			`{"id":"firm:lynas","list":["a"],"share":0.5,"year":2024}`, 5},
		{"RunPostEmpty", "POST", "/api/v1/reports/owners/run", "", nil, 200, `"row_count":2`, `{}`, 0},
		{"RunGet", "GET", "/api/v1/reports/owners/run?id=firm:lynas&states=CN&states=JP&format=json", "", nil, 200, `"row_count":2`, `{"id":"firm:lynas","states":["CN","JP"]}`, 0},
		{"RunNotFound", "POST", "/api/v1/reports/nope/run", `{}`, nil, 404, `no report is called \"nope\"`, "", 0},
		{"RunBadBody", "POST", "/api/v1/reports/owners/run", `["firm:lynas"]`, nil, 400, `the body must be a JSON object of report parameters`, "", 0},
		{"RunTwoBodies", "POST", "/api/v1/reports/owners/run", `{} {}`, nil, 400, `more than one JSON value`, "", 0},
		{"RunPostQueryParam", "POST", "/api/v1/reports/owners/run?id=x", `{}`, nil, 400, `report parameters go in the JSON body of a POST`, "", 0},
		{"RunBadFormat", "GET", "/api/v1/reports/owners/run?format=xml", "", nil, 400, `format must be json or csv`, "", 0},
		{"RunBadMaxRows", "GET", "/api/v1/reports/owners/run?max_rows=0", "", nil, 400, `max_rows must be a positive integer`, "", 0},
		{"RunTooLarge", "POST", "/api/v1/reports/owners/run", `{"id": "` + strings.Repeat("x", 1<<20) + `"}`, nil, 413, `"code":"too_large"`, "", 0},
		{"RunDelete", "DELETE", "/api/v1/reports/owners/run", "", nil, 405, `method DELETE is not allowed`, "", 0},
		{"CypherNoKey", "POST", "/api/v1/cypher", `{"query": "RETURN 1"}`, nil, 401, `"code":"unauthorized"`, "", 0},
		{"Cypher", "POST", "/api/v1/cypher?max_rows=1", `{"query": "RETURN $n", "params": {"n": 5}}`, key, 200, `"row_count":2`, `{"n":5}`, 1},
		{"CypherNoQuery", "POST", "/api/v1/cypher", `{"params": {}}`, key, 400, `with a query`, "", 0},
		{"CypherUnknownField", "POST", "/api/v1/cypher", `{"query": "RETURN 1", "param": {}}`, key, 400, `unknown field \"param\"`, "", 0},
		{"CypherTimeout", "POST", "/api/v1/cypher", `{"query": "slow"}`, key, 503, `"code":"timeout"`, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake.args, fake.maxRows = nil, -1
			rec := do(h, tc.method, tc.target, strings.NewReader(tc.body), tc.header...)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Fatalf("%d %s, want %d with %s", rec.Code, rec.Body, tc.status, tc.contains)
			}
			if tc.args != "" {
				if b, _ := json.Marshal(fake.args); string(b) != tc.args || fake.maxRows != tc.maxRows {
					t.Fatalf("service got %s and max rows %d, want %s and %d", b, fake.maxRows, tc.args, tc.maxRows)
				}
			}
		})
	}
	t.Run("JSONNumbers", func(t *testing.T) {
		do(h, "POST", "/api/v1/reports/owners/run", strings.NewReader(`{"year": 2024, "share": 0.5}`))
		if fake.args["year"] != json.Number("2024") || fake.args["share"] != json.Number("0.5") {
			t.Fatalf("%#v", fake.args)
		}
	})
	const wantCSV = "owner,share,chain,node,note\n" +
		`state:JP,0.027,"[""state:JP"",""firm:jogmec""]","{""id"":""firm:jare"",""labels"":[""Firm"",""Node""],""properties"":{""since"":2011}}",` + "\n" +
		`firm:sojitz,1,"{""a"":true}",,"with, a ""quote"" & <tag>"` + "\n"
	for _, tc := range []struct {
		name, method, target, body string
		header                     []string
		disposition                string
	}{
		{"CSVByFormat", "GET", "/api/v1/reports/owners/run?id=x&format=csv", "", nil, `attachment; filename="owners.csv"`},
		{"CSVByAccept", "POST", "/api/v1/reports/owners/run", `{"id": "x"}`, []string{"Accept", "text/csv"}, `attachment; filename="owners.csv"`},
		{"CypherCSV", "POST", "/api/v1/cypher?format=csv", `{"query": "RETURN 1"}`, key, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, strings.NewReader(tc.body), tc.header...)
			if rec.Code != 200 || rec.Body.String() != wantCSV || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
				rec.Header().Get("Content-Disposition") != tc.disposition || rec.Header().Get("X-Row-Count") != "2" || rec.Header().Get("X-Truncated") != "true" {
				t.Fatalf("%d %v\n%s", rec.Code, rec.Header(), rec.Body)
			}
		})
	}
}

// TestReportsNeedNeo4j checks that without Neo4j (the embedded store) every report endpoint says
// how to connect one.
func TestReportsNeedNeo4j(t *testing.T) {
	h, _ := MustServer(t)
	for _, tc := range []struct {
		method, target string
		header         []string
		status         int
	}{
		{"GET", "/api/v1/reports", nil, http.StatusNotImplemented},
		{"GET", "/api/v1/reports/concentration", nil, http.StatusNotImplemented},
		{"POST", "/api/v1/reports/concentration/run", nil, http.StatusNotImplemented},
		{"POST", "/api/v1/cypher", []string{"X-API-Key", testKey}, http.StatusNotImplemented},
		{"POST", "/api/v1/cypher", nil, http.StatusUnauthorized},
	} {
		rec := do(h, tc.method, tc.target, strings.NewReader(`{"query": "RETURN 1"}`), tc.header...)
		if rec.Code != tc.status || (tc.status == 501 && !strings.Contains(rec.Body.String(), "Cypher reports need Neo4j: start the service with NEO4J_URI")) {
			t.Errorf("%s %s: %d %s", tc.method, tc.target, rec.Code, rec.Body)
		}
	}
}

func TestRecords(t *testing.T) {
	got := ownersResult.Records()
	want := [][]string{
		{"owner", "share", "chain", "node", "note"},
		{"state:JP", "0.027", `["state:JP","firm:jogmec"]`, `{"id":"firm:jare","labels":["Firm","Node"],"properties":{"since":2011}}`, ""},
		{"firm:sojitz", "1", `{"a":true}`, "", `with, a "quote" & <tag>`},
	}
	if b, w := mustJSON(t, got), mustJSON(t, want); b != w {
		t.Fatalf("got  %s\nwant %s", b, w)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
