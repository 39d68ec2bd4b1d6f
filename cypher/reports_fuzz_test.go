package cypher_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
)

// FuzzReportHeader feeds the report file parser arbitrary files, through the reports' own
// reading of a directory: a file is either refused with EInvalid problems or listed and found by
// its name, never a panic.
func FuzzReportHeader(f *testing.F) {
	builtin, err := os.ReadFile("reports/top-producers.cypher")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(builtin))
	f.Add("// name: mine\n// title: Mine\n// param: n int = 3 -- how many\nMATCH (n) RETURN n LIMIT $n;")
	f.Add("// name: x\n// title: X\n// param: s list<string> = [\"CN\"]\n// param: y year\nRETURN $s, $y")
	f.Add("// name: Bad Name\n// param: format string\n// param: a float = 1e400\nRETURN $b")
	f.Add("//\n//:\n// param:\n")
	dir := f.TempDir() // one per worker process, whose inputs run one at a time
	f.Fuzz(func(t *testing.T, text string) {
		if err := os.WriteFile(filepath.Join(dir, "fuzz.cypher"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		reports := cypher.NewReports(nil, dir)
		list, err := reports.List()
		if err != nil {
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.Code != graph.EInvalid || len(ge.Problems) == 0 {
				t.Fatalf("got %T %v, want EInvalid with problems", err, err)
			}
			return
		}
		for _, r := range list {
			if _, err := reports.Get(r.Name); err != nil {
				t.Fatalf("listed %q, but Get: %v", r.Name, err)
			}
		}
	})
}
