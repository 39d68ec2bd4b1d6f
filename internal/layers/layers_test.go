package layers_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/chokepoint/chokepoint/"

// mayImport lists, for every package (relative to the module), the packages of the module it may
// import; docs/architecture.md explains the rule. A package missing here fails the test: give it
// its place in the rule and in the document.
var mayImport = map[string][]string{
	"graph/algo":                   nil,
	"graph/algo/internal/benchcmd": {"graph/algo"},
	"graph":                        {"graph/algo"},
	"graph/render":                 {"graph"},
	"graph/table":                  {"graph"},
	"graph/report":                 {"graph"},
	"data":                         {"graph"},
	"cypher":                       {"graph", "graph/report"},
	"cypher/cyphertest":            {"cypher", "graph"},
	"api":                          {"graph", "graph/render", "graph/report", "graph/table", "internal/persist", "web"},
	"web":                          nil,
	"internal/persist":             {"graph"},
	"internal/fixture":             {"data", "graph"},
	"internal/synthetic":           {"graph"},
	"internal/layers":              nil,
	"deploy":                       nil,
	"docs":                         nil,
	"cmd/chokepoint":               {"*"},
	"cmd/benchimport":              {"*"},
	"cmd/loadtest":                 {"*"},
}

// confined lists outside libraries (module path prefixes) and the only packages that may import
// them: HTTP in api, Neo4j in cypher, drawing in graph/render, and the commands that wire them.
var confined = map[string][]string{
	"github.com/gin-gonic/gin":            {"api", "cmd/chokepoint"},
	"github.com/neo4j/neo4j-go-driver/":   {"cypher", "cypher/cyphertest", "cmd/benchimport"},
	"github.com/goccy/go-graphviz":        {"graph/render"},
	"gonum.org/v1/plot":                   {"graph/render"},
	"github.com/prometheus/client_golang": {"api"},
}

// TestImportRule checks every package's direct imports (tests left aside) against the rule.
func TestImportRule(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = filepath.Join(filepath.Dir(self), "..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		allowed, known := mayImport[pkg]
		if !known {
			t.Errorf("%s has no place in the import rule (internal/layers, docs/architecture.md)", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if dep, ok := strings.CutPrefix(imp, module); ok {
				if !slices.Contains(allowed, "*") && !slices.Contains(allowed, dep) {
					t.Errorf("%s imports %s: the rule allows %v", pkg, dep, allowed)
				}
				continue
			}
			for lib, users := range confined {
				if strings.HasPrefix(imp, lib) && !slices.Contains(users, pkg) {
					t.Errorf("%s imports %s, which only %v may use", pkg, imp, users)
				}
			}
		}
	}
}
