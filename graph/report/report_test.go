package report_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
)

// TestLoadJSON: the JSON of a loaded report is the HTTP API's: a report without parameters has
// "params": [], the file stays out, and the query only when it is kept.
func TestLoadJSON(t *testing.T) {
	reports, err := report.Load([]report.File{
		{Name: "b.cypher", Text: []byte("// name: b\n// title: B\n// param: year year = 2024 -- the year\nRETURN $year\n")},
		{Name: "reports/a.cypher", Text: []byte("// name: a\n// title: A\nRETURN 1;\n"), Builtin: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	reports[1].Query = ""
	got, _ := json.Marshal(reports)
	want := `[{"name":"a","title":"A","description":"","params":[],"builtin":true,"query":"RETURN 1"},` +
		`{"name":"b","title":"B","description":"","params":[{"name":"year","type":"year","default":2024,"required":false,"description":"the year"}],"builtin":false}]`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// TestLoadDuplicate: a name defined twice is reported at the second file, naming the first.
func TestLoadDuplicate(t *testing.T) {
	_, err := report.Load([]report.File{
		{Name: "x.cypher", Text: []byte("// name: a\n// title: A\nRETURN 1\n")},
		{Name: "y.cypher", Text: []byte("//\n// name: a\n// title: A\nRETURN 2\n")},
	})
	var ge *graph.Error
	if !errors.As(err, &ge) || len(ge.Problems) != 1 || ge.Problems[0].String() != `y.cypher:2: report "a" is already defined in x.cypher:1` {
		t.Fatalf("%v", err)
	}
}
