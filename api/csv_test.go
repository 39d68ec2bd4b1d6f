package api_test

import (
	"encoding/csv"
	"strings"
	"testing"
)

// TestAnalysisCSV: the tabular results answer CSV with format=csv or Accept: text/csv, in the
// CLI's columns (one tabulation, graph/table); other formats are refused.
func TestAnalysisCSV(t *testing.T) {
	h, _ := MustServer(t)
	sc := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`
	for _, tc := range []struct {
		name, method, target, body, accept string
		header                             string
		rows                               int
	}{
		{"Chokepoints", "GET", "/api/v1/analyses/chokepoints?commodity=rare-earths&consumer=JP&as_of=2024&method=flow&top=2&format=csv", "", "", "item,rank,id,name,kind,state,score,share", 2},
		{"Accept", "GET", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2024", "", "text/csv", "commodity,consumer,max_supply_tpa,sources,members", 1},
		{"Compare", "GET", "/api/v1/analyses/dependency?commodity=rare-earths&consumer=JP&supplier=CN&compare=2013,2024&format=csv", "", "", "year,consumer,supplier,product,inbound_tpa,by,mining,processing,any", -1},
		{"Concentration", "GET", "/api/v1/analyses/concentration?commodity=ndpr-oxide&as_of=2024&format=csv", "", "", "commodity,stage,basis,by,state,share,hhi,top3_share,governance_hhi,unscored", -1},
		{"Routes", "GET", "/api/v1/analyses/routes?commodity=rare-earths&to=JP&as_of=2024&format=csv", "", "", "route,hops,cost,bottleneck_tpa,path", -1},
		{"Scenario", "POST", "/api/v1/scenarios/run?format=csv", sc, "", "measure,baseline,scenario", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.accept != "" {
				header = []string{"Accept", tc.accept}
			}
			rec := do(h, tc.method, tc.target, strings.NewReader(tc.body), header...)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Fatalf("%d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
			}
			if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) || !strings.HasSuffix(cd, `.csv"`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			records, err := csv.NewReader(rec.Body).ReadAll()
			if err != nil || len(records) < 2 || strings.Join(records[0], ",") != tc.header {
				t.Fatalf("%v %q", err, records)
			}
			if tc.rows >= 0 && len(records)-1 != tc.rows {
				t.Fatalf("%d rows, want %d: %q", len(records)-1, tc.rows, records)
			}
		})
	}
	t.Run("ErrFormat", func(t *testing.T) {
		rec := do(h, "GET", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&format=xml", nil)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `format must be json or csv, got \"xml\"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("JSONByDefault", func(t *testing.T) {
		rec := do(h, "GET", "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP&as_of=2024", nil, "Accept", "application/json")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
