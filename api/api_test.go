package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/gin-gonic/gin"
)

const testKey = "test-key"

// MustServer returns the real router over an embedded store holding testdata/small.json.
func MustServer(tb testing.TB) (http.Handler, *api.Server) {
	tb.Helper()
	return serve(tb, fixture.Small(tb), testKey)
}

// serve returns the real router over an embedded store holding ds, writes allowed with key (none
// when key is empty), logging nothing.
func serve(tb testing.TB, ds *graph.Dataset, key string) (http.Handler, *api.Server) {
	tb.Helper()
	store, err := graph.NewMemStore(ds)
	if err != nil {
		tb.Fatal(err)
	}
	s := api.NewServer(store)
	s.APIKey = key
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return s.Handler(), s
}

func do(h http.Handler, method, target string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestEndpoints(t *testing.T) {
	h, _ := MustServer(t)
	for _, tc := range []struct {
		name, target string
		status       int
		contains     string
	}{
		{"Healthz", "/healthz", 200, `"status":"ok"`},
		{"Readyz", "/readyz", 200, `"status":"ready"`},
		{"NodesByKind", "/api/v1/nodes?kind=mine", 200, `"total":3`},
		{"NodesByState", "/api/v1/nodes?state=JP&kind=firm", 200, `"total":3`},
		{"NodesByCommodity", "/api/v1/nodes?commodity=gallium", 200, `"total":1`},
		{"NodesByName", "/api/v1/nodes?q=separation", 200, `"total":3`},
		{"NodesAsOf", "/api/v1/nodes?kind=mine&as_of=2010", 200, `"total":1`},
		{"NodesPage", "/api/v1/nodes?limit=2&offset=1", 200, `"offset":1,"nodes":[{"id":"firm:ausco"`},
		{"Node", "/api/v1/nodes/refinery:sep-my", 200, `"other":{"id":"firm:jp-trader"`},
		{"Commodities", "/api/v1/commodities", 200, `"families":["gallium","rare-earths"]`},
		{"ExportFiltered", "/api/v1/export?state=CN", 200, `"id": "mine:alpha"`},
		{"Flow", "/api/v1/analyses/flow?commodity=rare-earths&consumer=state:JP&as_of=2024", 200, `"max_supply":90`},
		{"Chokepoints", "/api/v1/analyses/chokepoints?commodity=rare-earths&consumer=JP&as_of=2024&method=flow&top=2", 200, `"nodes":[{"id":"refinery:sep-cn"`},
		{"Dependency", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=CN&as_of=2010", 200, `"dependency":1`},
		{"Control", "/api/v1/analyses/control?node=refinery:sep-my&as_of=2024", 200, `"controlling_state":"AU"`},
		{"Concentration", "/api/v1/analyses/concentration?commodity=ndpr-oxide&as_of=2024", 200, `"hhi":5312.5`},
		{"ConcentrationByCapacity", "/api/v1/analyses/concentration?commodity=ndpr-oxide&as_of=2024&basis=capacity", 200, `"hhi":5392`},
		{"Compare", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=CN&compare=2013,2024", 200, `"diff":{"by_control":`},
		{"CompareDiff", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=CN&compare=2013,2024", 200, `"dependency":-0.190476`},
		{"ErrCompareAndAsOf", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&compare=2013,2024&as_of=2020", 400, `either as_of or compare`},
		{"ErrCompareYears", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&compare=2013", 400, `two years A,B`},
		{"ApplyControls", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2010&apply_controls=true", 200, `"max_supply":0`},
		{"ErrUnknownCoalition", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=coalition:nato", 404, `want one of coalition:quad`},
		{"ErrConcentrationBasis", "/api/v1/analyses/concentration?commodity=ndpr-oxide&basis=tonnes", 400, `want output, capacity`},
		{"ErrDependencyWeight", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=state:JP&supplier=CN&weight=mass", 400, `want volume, value`},
		{"Centrality", "/api/v1/analyses/centrality?metric=degree&as_of=2024", 200, `"metric":"degree"`},
		{"PageRankDefaultTol", "/api/v1/analyses/centrality?metric=pagerank&as_of=2024", 200, `"convergence":{"tol":0.000001,"iterations":`},
		{"PageRankTol", "/api/v1/analyses/centrality?metric=pagerank&tol=1e-12&as_of=2024", 200, `"convergence":{"tol":1e-12,"iterations":`},
		{"Routes", "/api/v1/analyses/routes?commodity=rare-earths&to=JP&avoid_states=CN&as_of=2024", 200, `"routes":[{"nodes":[{"id":"mine:beta"`},

		{"ErrNoRoute", "/api/v1/nope", 404, `"code":"not_found"`},
		{"ErrUnknownNode", "/api/v1/nodes/mine:nope", 404, `"message":"no node \"mine:nope\""`},
		{"ErrBadKind", "/api/v1/nodes?kind=plant", 400, `unknown kind \"plant\"`},
		{"ErrBadState", "/api/v1/nodes?state=China", 400, `not an ISO 3166-1 alpha-2 code`},
		{"ErrBadLimit", "/api/v1/nodes?limit=5000", 400, `limit must be 1..1000`},
		{"ErrLimitNotNumber", "/api/v1/nodes?limit=many", 400, `"code":"invalid"`},
		{"ErrAsOf", "/api/v1/nodes?as_of=99999", 400, `as_of 99999 is outside 1800..2100`},
		{"ErrUnknownAnalysis", "/api/v1/analyses/astrology?commodity=rare-earths", 404, `unknown analysis`},
		{"ErrUnknownCommodity", "/api/v1/analyses/flow?commodity=cobalt&consumer=JP", 404, `unknown commodity \"cobalt\"`},
		{"ErrNoCommodity", "/api/v1/analyses/flow?consumer=JP", 400, `flow needs a commodity`},
		{"ErrUnknownConsumer", "/api/v1/analyses/flow?commodity=rare-earths&consumer=firm:ghost", 404, `unknown consumer`},
		{"ErrMethod", "/api/v1/analyses/chokepoints?commodity=rare-earths&consumer=JP&method=magic", 400, `unknown chokepoint method`},
		{"ErrTop", "/api/v1/analyses/chokepoints?commodity=rare-earths&consumer=JP&top=100000", 400, `over the limit`},
		{"ErrTol", "/api/v1/analyses/centrality?metric=pagerank&tol=0.5", 400, `tol must be between`},
		{"ErrTolNotNumber", "/api/v1/analyses/centrality?metric=pagerank&tol=tight", 400, `"code":"invalid"`},
		{"ErrTolMetric", "/api/v1/analyses/centrality?metric=degree&tol=1e-8", 400, `tol applies to pagerank only`},
		{"ErrK", "/api/v1/analyses/routes?commodity=rare-earths&to=JP&k=500", 400, `k must be 1..50`},
		{"ErrHops", "/api/v1/analyses/routes?commodity=rare-earths&to=JP&max_hops=99", 400, `max hops must be 1..20`},
		{"ErrSupplier", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=Atlantis", 404, `unknown supplier`},
		{"ErrExportFormat", "/api/v1/export?format=xml", 400, `format must be json or csv`},
		{"ErrReportsNeedNeo4j", "/api/v1/reports", 501, `Cypher reports need Neo4j`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, "GET", tc.target, nil)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Fatalf("%s: %d %s\nwant %d containing %s", tc.target, rec.Code, rec.Body.String(), tc.status, tc.contains)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("body is not JSON: %s", rec.Body.String())
			}
		})
	}
}

func TestImport(t *testing.T) {
	newNode := `{"commodities": [], "nodes": [{"id": "firm:newco", "kind": "firm", "name": "NewCo", "state": "CA"}], "edges": [{"kind": "owns", "from": "firm:newco", "to": "mine:gamma", "share": 0.3}]}`
	t.Run("OK", func(t *testing.T) {
		h, _ := MustServer(t)
		rec := do(h, "POST", "/api/v1/import", strings.NewReader(newNode), "Content-Type", "application/json", "X-API-Key", testKey)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"total_nodes":20`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		if rec := do(h, "GET", "/api/v1/nodes/firm:newco", nil); rec.Code != 200 {
			t.Fatalf("imported node not found: %d", rec.Code)
		}
	})
	t.Run("CSVMultipart", func(t *testing.T) {
		h, _ := MustServer(t)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("files", "firms.csv")
		fw.Write([]byte("id,name,state\nfirm:csvco,CSV Co,DE\n"))
		fw, _ = mw.CreateFormFile("files", "edges.csv")
		fw.Write([]byte("kind,from,to,share\nowns,firm:csvco,mine:gamma,0.2\n"))
		mw.Close()
		rec := do(h, "POST", "/api/v1/import", &body, "Content-Type", mw.FormDataContentType(), "Authorization", "Bearer "+testKey)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"nodes":1,"edges":1`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		h, _ := MustServer(t)
		for _, key := range []string{"", "wrong"} {
			rec := do(h, "POST", "/api/v1/import", strings.NewReader(newNode), "Content-Type", "application/json", "X-API-Key", key)
			if rec.Code != 401 || !strings.Contains(rec.Body.String(), `"code":"unauthorized"`) {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
		}
	})
	t.Run("ErrInvalidChangesNothing", func(t *testing.T) {
		h, _ := MustServer(t)
		bad := `{"nodes": [{"id": "firm:x", "kind": "firm", "name": "X", "state": "XX"}], "edges": [{"kind": "owns", "from": "firm:x", "to": "mine:alpha", "share": 0.5}]}`
		rec := do(h, "POST", "/api/v1/import", strings.NewReader(bad), "Content-Type", "application/json", "X-API-Key", testKey)
		want := `{"error":{"code":"invalid","message":"dataset is invalid: 2 problems","problems":[{"file":"request body","record":"nodes[0]","field":"state","message":"\"XX\" is not an ISO 3166-1 alpha-2 code"},{"file":"request body","record":"edges[0]","field":"share","message":"the owners of \"mine:alpha\" hold 1.5 in total; shares of one entity must sum to at most 1"}]}}`
		if rec.Code != 400 || rec.Body.String() != want {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		if rec := do(h, "GET", "/api/v1/nodes/firm:x", nil); rec.Code != 404 {
			t.Fatalf("half-written import: %d", rec.Code)
		}
	})
	t.Run("ErrMalformedJSON", func(t *testing.T) {
		h, _ := MustServer(t)
		rec := do(h, "POST", "/api/v1/import", strings.NewReader(`{"nodes": [`), "Content-Type", "application/json", "X-API-Key", testKey)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "empty or cut short") {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("ErrContentType", func(t *testing.T) {
		h, _ := MustServer(t)
		rec := do(h, "POST", "/api/v1/import", strings.NewReader(newNode), "Content-Type", "text/plain", "X-API-Key", testKey)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Content-Type must be") {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		_, s := MustServer(t)
		s.MaxBodyBytes = 100
		h := s.Handler()
		rec := do(h, "POST", "/api/v1/import", strings.NewReader(newNode), "Content-Type", "application/json", "X-API-Key", testKey)
		if rec.Code != 413 || !strings.Contains(rec.Body.String(), `"code":"too_large"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
}

func TestExportRoundTrip(t *testing.T) {
	h, _ := MustServer(t)
	rec := do(h, "GET", "/api/v1/export", nil)
	if rec.Code != 200 {
		t.Fatal(rec.Code)
	}
	ds, err := graph.DecodeJSON(rec.Body, "export")
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Validate(); err != nil || len(ds.Nodes) != 19 || len(ds.Edges) != 22 {
		t.Fatalf("%v: %d nodes %d edges", err, len(ds.Nodes), len(ds.Edges))
	}
	rec = do(h, "GET", "/api/v1/export?format=csv", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestScenarios(t *testing.T) {
	h, _ := MustServer(t)
	sc := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`
	rec := do(h, "POST", "/api/v1/scenarios/run", strings.NewReader(sc))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"supply_lost":0.666667`) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	rec = do(h, "PUT", "/api/v1/scenarios/cn-embargo", strings.NewReader(sc), "X-API-Key", testKey)
	if rec.Code != 200 {
		t.Fatalf("save: %d %s", rec.Code, rec.Body.String())
	}
	rec = do(h, "POST", "/api/v1/scenarios/cn-embargo/run", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"supply_lost":0.666667`) {
		t.Fatalf("run saved: %d %s", rec.Code, rec.Body.String())
	}
	if rec := do(h, "GET", "/api/v1/scenarios", nil); !strings.Contains(rec.Body.String(), `"name":"cn-embargo"`) {
		t.Fatalf("list: %s", rec.Body.String())
	}
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		contains                   string
	}{
		{"ErrMalformed", "POST", "/api/v1/scenarios/run", `{"commodity": `, 400, "malformed scenario"},
		{"ErrUnknownField", "POST", "/api/v1/scenarios/run", `{"commodity": "rare-earths", "consumer": "JP", "remove": {"countries": ["CN"]}}`, 400, `unknown field \"countries\"`},
		{"ErrUnknownNode", "POST", "/api/v1/scenarios/run", `{"commodity": "rare-earths", "consumer": "JP", "remove": {"nodes": ["mine:ghost"]}}`, 404, `unknown node \"mine:ghost\"`},
		{"ErrRoutes", "POST", "/api/v1/scenarios/run", `{"commodity": "rare-earths", "consumer": "JP", "routes": 1000}`, 400, "routes must be"},
		{"ErrSaveWithoutKey", "PUT", "/api/v1/scenarios/x", sc, 401, "unauthorized"},
		{"ErrBadName", "PUT", "/api/v1/scenarios/Bad%20Name", sc, 401, "unauthorized"},
		{"ErrUnknownSaved", "POST", "/api/v1/scenarios/ghost/run", "", 404, `no saved scenario \"ghost\"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, strings.NewReader(tc.body))
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
		})
	}
}

func TestScenarioDir(t *testing.T) {
	dir := t.TempDir()
	_, s := MustServer(t)
	s.ScenarioDir = dir
	sc := `{"commodity": "rare-earths", "consumer": "JP", "remove": {"nodes": ["mine:alpha"]}}`
	if rec := do(s.Handler(), "PUT", "/api/v1/scenarios/alpha-closed", strings.NewReader(sc), "X-API-Key", testKey); rec.Code != 200 {
		t.Fatalf("save: %d %s", rec.Code, rec.Body.String())
	}
	// A new server on the same directory (a restart) finds it and can delete it.
	_, restarted := MustServer(t)
	restarted.ScenarioDir = dir
	h := restarted.Handler()
	if rec := do(h, "GET", "/api/v1/scenarios/alpha-closed", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"nodes":["mine:alpha"]`) {
		t.Fatalf("after restart: %d %s", rec.Code, rec.Body.String())
	}
	if rec := do(h, "DELETE", "/api/v1/scenarios/alpha-closed", nil, "X-API-Key", testKey); rec.Code != 200 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body.String())
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("files left: %v", files)
	}
}

// TestMain runs the tests with gin in release mode, as the chokepoint binary sets it once.
func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

// TestHandlerKeepsGinMode: building a router leaves gin's process-wide mode to the program.
func TestHandlerKeepsGinMode(t *testing.T) {
	gin.SetMode(gin.TestMode)
	defer gin.SetMode(gin.ReleaseMode)
	MustServer(t)
	if gin.Mode() != gin.TestMode {
		t.Fatalf("mode %s after building a router", gin.Mode())
	}
}

// TestCatalog: GET /catalog names every node and commodity of GET /export with the same name,
// kind, state and family, and the first year of a yearly figure (a volume, an output, a price)
// in the export; it takes no query.
func TestCatalog(t *testing.T) {
	h, _ := serve(t, fixture.Bundled(t), "")
	var cat struct {
		FirstYear   int `json:"first_year"`
		Nodes       []struct{ ID, Name, Kind, State string }
		Commodities []struct{ ID, Name, Family string }
	}
	rec := do(h, "GET", "/api/v1/catalog", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &cat); rec.Code != 200 || err != nil {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body.String())
	}
	var ds graph.Dataset
	rec = do(h, "GET", "/api/v1/export", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &ds); rec.Code != 200 || err != nil {
		t.Fatalf("%d %v", rec.Code, err)
	}
	if len(cat.Nodes) != len(ds.Nodes) || len(cat.Commodities) != len(ds.Commodities) {
		t.Fatalf("catalog %d nodes, %d commodities; export %d, %d", len(cat.Nodes), len(cat.Commodities), len(ds.Nodes), len(ds.Commodities))
	}
	for i, n := range ds.Nodes {
		if c := cat.Nodes[i]; c.ID != n.ID || c.Name != n.Name || c.Kind != string(n.Kind) || c.State != n.State {
			t.Errorf("catalog node %+v, export %s %s %s %s", c, n.ID, n.Name, n.Kind, n.State)
		}
	}
	for i, c := range ds.Commodities {
		if got := cat.Commodities[i]; got.ID != c.ID || got.Name != c.Name || got.Family != c.Family {
			t.Errorf("catalog commodity %+v, export %+v", got, c)
		}
	}
	first := graph.ThisYear()
	see := func(s graph.Series) {
		for y := range s {
			first = min(first, y)
		}
	}
	for _, e := range ds.Edges {
		see(e.VolumeByYear)
	}
	for _, n := range ds.Nodes {
		for _, s := range n.Output {
			see(s)
		}
	}
	for _, c := range ds.Commodities {
		see(c.PriceUSDPerT)
	}
	if cat.FirstYear != first || first >= graph.ThisYear() {
		t.Errorf("first year %d, the export's %d", cat.FirstYear, first)
	}
	if rec := do(h, "GET", "/api/v1/catalog?as_of=2010", nil); rec.Code != 400 {
		t.Errorf("a query: %d %s", rec.Code, rec.Body.String())
	}
}
