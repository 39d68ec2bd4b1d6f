package main_test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestServeEmbeddedReports: on the embedded store the reports are listed and shown as the CLI's
// report list and show do; only running one needs Neo4j (501 saying so).
func TestServeEmbeddedReports(t *testing.T) {
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = withoutNeo4j(os.Environ())
	url := startServe(t, cmd)
	for _, tc := range []struct {
		method, path string
		status       int
		contains     string
	}{
		{"GET", "/api/v1/reports", 200, `"name":"top-producers"`},
		{"GET", "/api/v1/reports/top-producers", 200, `"query":`},
		{"GET", "/api/v1/reports/nope", 404, `not_found`},
		{"POST", "/api/v1/reports/top-producers/run", 501, `Cypher reports need Neo4j`},
	} {
		req, _ := http.NewRequest(tc.method, url+tc.path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, resp.StatusCode, body)
		}
	}
}

// TestServeScenarioDirOnNeo4j: saved scenarios live in Neo4j when the service is on it, so a
// scenario directory there is a usage error, not a silent split between replicas.
func TestServeScenarioDirOnNeo4j(t *testing.T) {
	_, errOut, code := run(t, []string{"NEO4J_URI=bolt://127.0.0.1:1", "NEO4J_PASSWORD=x"}, "serve", "--scenario-dir", t.TempDir())
	if code != 2 || !strings.Contains(errOut, "--scenario-dir is for the embedded store") {
		t.Fatalf("%d %s", code, errOut)
	}
}
