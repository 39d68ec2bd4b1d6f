package api_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// loadOpenAPI loads the served document and checks it is a valid OpenAPI 3.1 document.
func loadOpenAPI(t *testing.T, h http.Handler) *openapi3.T {
	t.Helper()
	rec := do(h, "GET", "/api/v1/openapi.json", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return doc
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// isPageRoute reports whether a route is the analysts' web page's (/ and /ui/…): files, not the
// API, so the OpenAPI document leaves them out; web's and the browser tests cover them.
func isPageRoute(path string) bool { return path == "/" || strings.HasPrefix(path, "/ui/") }

// TestOpenAPIRoutes: every route the router registers (but the web page's), with Neo4j reports or
// without, is in the document with its method, and every operation of the document is a route.
func TestOpenAPIRoutes(t *testing.T) {
	for _, withReports := range []bool{false, true} {
		_, s := MustServer(t)
		if withReports {
			s.Reports = &fakeReports{}
		}
		doc := loadOpenAPI(t, s.Handler())
		registered := map[string]bool{}
		for _, r := range s.Routes() {
			if isPageRoute(r.Path) {
				continue
			}
			path := ginParam.ReplaceAllString(r.Path, "{$1}")
			registered[r.Method+" "+path] = true
			item := doc.Paths.Find(path)
			if item == nil || item.GetOperation(r.Method) == nil {
				t.Errorf("reports %v: %s %s is not in the OpenAPI document", withReports, r.Method, path)
			}
		}
		for path, item := range doc.Paths.Map() {
			for method := range item.Operations() {
				if !registered[method+" "+path] {
					t.Errorf("reports %v: the document has %s %s, which no route serves", withReports, method, path)
				}
			}
		}
	}
}

// TestOpenAPIResponses runs requests through the real router on testdata/small.json — at least one
// success of every operation of the document, and errors — and validates each response (status,
// content type, body) against the document.
func TestOpenAPIResponses(t *testing.T) {
	for _, ct := range []string{"image/svg+xml", "image/png", "text/vnd.graphviz", "application/zip", "application/openmetrics-text"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	_, s := MustServer(t)
	s.Reports = &fakeReports{}
	h := s.Handler()
	doc := loadOpenAPI(t, h)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	var multipartBody bytes.Buffer
	mw := multipart.NewWriter(&multipartBody)
	fw, _ := mw.CreateFormFile("files", "firms.csv")
	fw.Write([]byte("id,name,state\nfirm:csvco,CSV Co,DE\n"))
	mw.Close()

	key := []string{"X-API-Key", testKey}
	json := []string{"Content-Type", "application/json", "X-API-Key", testKey}
	sc := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"states_by_location": ["CN"]}, "controls": [{"from": "CN", "to": ["JP"], "commodity": "rare-earths", "control": "ban"}]}`
	type call struct {
		method, target, body string
		header               []string
		status               int
	}
	calls := []call{
		{"GET", "/healthz", "", nil, 200},
		{"GET", "/readyz", "", nil, 200},
		{"GET", "/metrics", "", nil, 200},
		{"GET", "/api/v1/openapi.json", "", nil, 200},
		{"GET", "/api/v1/commodities", "", nil, 200},
		{"GET", "/api/v1/catalog", "", nil, 200},
		{"GET", "/api/v1/nodes?kind=refinery&as_of=2024&limit=2&offset=1", "", nil, 200},
		{"GET", "/api/v1/nodes?limit=5000", "", nil, 400},
		{"GET", "/api/v1/nodes/refinery:sep-my", "", nil, 200},
		{"GET", "/api/v1/nodes/mine:nope", "", nil, 404},
		{"POST", "/api/v1/import", `{"nodes": [{"id": "firm:newco", "kind": "firm", "name": "NewCo", "state": "CA"}]}`, json, 200},
		{"POST", "/api/v1/import", multipartBody.String(), []string{"Content-Type", mw.FormDataContentType(), "X-API-Key", testKey}, 200},
		{"POST", "/api/v1/import", `{"nodes": [{"id": "firm:x", "kind": "firm", "name": "X", "state": "XX"}]}`, json, 400},
		{"POST", "/api/v1/import", `{}`, []string{"Content-Type", "application/json"}, 401},
		{"GET", "/api/v1/export?state=CN", "", nil, 200},
		{"GET", "/api/v1/export?format=csv", "", nil, 200},
		{"GET", "/api/v1/analyses", "", nil, 200},
		{"GET", "/api/v1/analyses/nope?commodity=x", "", nil, 404},
		{"GET", "/api/v1/analyses/flow?asof=2024", "", nil, 400},
		{"PATCH", "/api/v1/analyses", "", nil, 405},
		{"POST", "/api/v1/scenarios/run", sc, nil, 200},
		{"POST", "/api/v1/scenarios/run", `{"nope": 1}`, nil, 400},
		{"PUT", "/api/v1/scenarios/cn-ban", sc, key, 200},
		{"GET", "/api/v1/scenarios", "", nil, 200},
		{"GET", "/api/v1/scenarios/cn-ban", "", nil, 200},
		{"POST", "/api/v1/scenarios/cn-ban/run", "", nil, 200},
		{"POST", "/api/v1/scenarios/cn-ban/run?format=csv", "", nil, 200},
		{"GET", "/api/v1/render/scenario/cn-ban?format=dot", "", nil, 200},
		{"POST", "/api/v1/render/scenario?format=dot", sc, nil, 200},
		{"DELETE", "/api/v1/scenarios/cn-ban", "", key, 200},
		{"GET", "/api/v1/scenarios/cn-ban", "", nil, 404},
		{"GET", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&as_of=2024&format=dot&top=2", "", nil, 200},
		{"GET", "/api/v1/render/flow?commodity=rare-earths&consumer=JP&as_of=2024", "", nil, 200},
		{"GET", "/api/v1/render/node/refinery:sep-my?depth=1&format=dot&kinds=supplies,owns", "", nil, 200},
		{"GET", "/api/v1/render/node/refinery:sep-my?format=gif", "", nil, 400},
		{"GET", "/api/v1/render/routes?commodity=rare-earths&to=JP&avoid_states=CN&as_of=2024&format=dot", "", nil, 200},
		{"GET", "/api/v1/render/control?node=refinery:sep-my&as_of=2024&format=dot", "", nil, 200},
		{"GET", "/api/v1/render/trend?commodity=rare-earths&consumer=JP&supplier=CN&years=2020..2024", "", nil, 200},
		{"GET", "/api/v1/analyses/trend?commodity=rare-earths&consumer=JP&supplier=CN&years=2020..2024", "", nil, 200},
		{"GET", "/api/v1/analyses/trend?commodity=rare-earths&consumer=JP&supplier=CN&years=2020..2024&format=csv", "", nil, 200},
		{"GET", "/api/v1/analyses/trend?commodity=rare-earths&consumer=JP&supplier=CN&years=2024..2020", "", nil, 400},
		{"GET", "/api/v1/reports", "", nil, 200},
		{"GET", "/api/v1/reports/owners", "", nil, 200},
		{"GET", "/api/v1/reports/ghost", "", nil, 404},
		{"GET", "/api/v1/reports/owners/run?id=mine:alpha", "", nil, 200},
		{"GET", "/api/v1/reports/owners/run?id=mine:alpha&format=csv", "", nil, 200},
		{"POST", "/api/v1/reports/owners/run?max_rows=1", `{"id": "mine:alpha"}`, nil, 200},
		{"POST", "/api/v1/cypher", `{"query": "RETURN 1"}`, key, 200},
		{"POST", "/api/v1/cypher", `{"query": "slow"}`, key, 503},
	}
	for _, a := range []string{
		"flow?commodity=rare-earths&consumer=state:JP&as_of=2024&apply_controls=true",
		"flow?commodity=rare-earths&consumer=JP&as_of=2010&apply_controls=true",
		"chokepoints?commodity=rare-earths&consumer=JP&as_of=2024&method=flow&top=2",
		"chokepoints?commodity=rare-earths&consumer=JP&as_of=2024&method=cut",
		"control?node=refinery:sep-my&as_of=2024",
		"control?as_of=2024",
		"concentration?commodity=ndpr-oxide&as_of=2024&basis=capacity",
		"dependency?commodity=rare-earths&consumer=JP&supplier=CN&as_of=2024&weight=value",
		"dependency?commodity=rare-earths&consumer=JP&supplier=CN&compare=2013,2024",
		"dependency?commodity=rare-earths&consumer=JP&supplier=CN&compare=2013,2024&format=csv",
		"chokepoints?commodity=rare-earths&consumer=JP&as_of=2024&format=csv",
		"centrality?metric=pagerank&kinds=supplies&kinds=offtake&as_of=2024",
		"routes?commodity=rare-earths&to=JP&avoid_states=CN&k=2&as_of=2024",
		"finance?commodity=rare-earths&consumer=JP&as_of=2024",
		"attribution?commodity=rare-earths&consumer=JP&supplier=CN&base=2013&as_of=2024",
	} {
		calls = append(calls, call{"GET", "/api/v1/analyses/" + a, "", nil, 200})
	}

	succeeded := map[*openapi3.Operation]bool{}
	for _, tc := range calls {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			for i := 0; i+1 < len(tc.header); i += 2 {
				req.Header.Set(tc.header[i], tc.header[i+1])
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("%d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
			if rec.Code == 405 {
				return // not an operation of the document; TestMethodNotAllowed checks it
			}
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("no operation in the document: %v", err)
			}
			err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 rec.Code,
				Header:                 rec.Header(),
				Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
				Options:                &openapi3filter.Options{IncludeResponseStatus: true},
			})
			if err != nil {
				body := rec.Body.String()
				if len(body) > 2000 {
					body = body[:2000] + "…"
				}
				t.Fatalf("response does not match the document: %v\n%s", err, body)
			}
			if rec.Code < 300 {
				succeeded[route.Operation] = true
			}
		})
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !succeeded[op] {
				t.Errorf("no successful response of %s %s was validated", method, path)
			}
		}
	}
}

// TestOpenAPIQueryParameters: the query parameters the document gives each operation are those
// its binding struct declares, as the endpoint itself says when asked with an unknown one.
func TestOpenAPIQueryParameters(t *testing.T) {
	_, s := MustServer(t)
	s.Reports = &fakeReports{}
	h := s.Handler()
	doc := loadOpenAPI(t, h)
	sample := strings.NewReplacer(":id", "mine:alpha", "/analyses/:name", "/analyses/flow", "/reports/:name", "/reports/owners", ":name", "x")
	takes := regexp.MustCompile(`takes (no query parameters|[a-z_]+(?:, [a-z_]+)*)`)
	for _, r := range s.Routes() {
		if r.Path == "/metrics" || r.Path == "/api/v1/reports/:name/run" && r.Method == "GET" || isPageRoute(r.Path) {
			continue // Prometheus's handler; the report's own parameters; the web page's state
		}
		path := ginParam.ReplaceAllString(r.Path, "{$1}")
		t.Run(r.Method+" "+path, func(t *testing.T) {
			rec := do(h, r.Method, sample.Replace(r.Path)+"?zz_unknown=1", strings.NewReader("{}"), "X-API-Key", testKey, "Content-Type", "application/json")
			m := takes.FindStringSubmatch(rec.Body.String())
			if rec.Code != 400 || m == nil {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			var declared []string
			if m[1] != "no query parameters" {
				declared = strings.Split(m[1], ", ")
			}
			var documented []string
			op := doc.Paths.Find(path).GetOperation(r.Method)
			for _, p := range append(doc.Paths.Find(path).Parameters, op.Parameters...) {
				if p.Value.In == openapi3.ParameterInQuery {
					documented = append(documented, p.Value.Name)
				}
			}
			slices.Sort(documented)
			if !slices.Equal(declared, documented) {
				t.Fatalf("the endpoint takes %v, the document says %v", declared, documented)
			}
		})
	}
}
