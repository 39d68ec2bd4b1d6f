package main_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

const bundled = "../../data/chokepoint.json"

// neo4jEnv empties the test Neo4j, imports the bundled dataset with the CLI and returns the
// environment that names the server.
func neo4jEnv(t *testing.T) []string {
	t.Helper()
	cfg := cyphertest.Config(t)
	cyphertest.Wipe(t, cfg)
	env := []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USERNAME=" + cfg.Username, "NEO4J_PASSWORD=" + cfg.Password, "NEO4J_DATABASE=" + cfg.Database}
	if out, errOut, code := run(t, env, "import", bundled); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	return env
}

func TestReportCLI(t *testing.T) {
	env := neo4jEnv(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "jp-firms.cypher"), []byte(`// name: jp-firms
// title: Firms of a state
// param: state string = "JP" -- ISO code
// param: types list<string> = ["agency"] -- firm types
MATCH (f:Firm {state: $state}) WHERE f.firm_type IN $types
RETURN f.id AS id, f.name AS name ORDER BY id
`), 0o644)
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		out  string // stdout contains, or stderr when code != 0
	}{
		{"List", nil, []string{"report", "list"}, 0, "import-dependency  consumer,supplier,family,year  Import dependency of a state on a supplier state, by stage\n"},
		{"ListUserDir", []string{"CHOKEPOINT_REPORTS_DIR=" + dir}, []string{"report", "list", "--format", "json"}, 0, `"name": "jp-firms",`},
		{"Show", nil, []string{"report", "show", "ownership-chain"}, 0, "  id (string, default \"firm:lynas\"): the owned firm or facility"},
		{"RunCSV", env, []string{"report", "run", "ownership-chain", "--param", "id=firm:lynas", "--format", "csv"}, 0,
			"owner,owner_name,owner_kind,owner_state,chain,shares,effective_share\n" +
				`state:JP,Japan,State,JP,"[""state:JP"",""firm:jogmec"",""firm:jare"",""firm:lynas""]","[1,0.9,0.03]",0.027` + "\n" +
				`firm:sojitz,Sojitz Corporation,Firm,JP,"[""firm:sojitz"",""firm:jare"",""firm:lynas""]","[0.1,0.03]",0.003` + "\n"},
		// Japan's separated rare earths in 2024, from data/chokepoint.json (volume_by_year 2024
		// of the flows with a volume): from CNRE Baotou 9,603 t and the CREG separators 4,254 t
		// of RE compounds = 13,857 t of 19,796 t (with Lynas 1,411, La Rochelle 1,552, IREL
		// 1,000 and Vietnam 1,976); ten flows carry no volume that year.
		{"RunTable", env, []string{"report", "run", "import-dependency", "--param", "year=2024", "--param", "consumer=JP"}, 0, "separation  19796         13857              0.7             10 "},
		{"RunUserReport", append(env, "CHOKEPOINT_REPORTS_DIR="+dir), []string{"report", "run", "jp-firms", "--param", "types=agency", "--param", "types=fund", "--format", "csv"}, 0,
			"id,name\nfirm:jaga,Japan Australia Gallium Associates (JAGA)\nfirm:jare,"},
		{"RunJSON", env, []string{"report", "run", "top-producers", "--param", "commodity=gallium-crude", "--format", "json", "--max-rows", "1"}, 0, `"truncated": true,`},
		{"Cypher", env, []string{"cypher", "MATCH (f:Firm {id: $id}) RETURN f.name AS name, $n + 1 AS n", "--param", "id=firm:jogmec", "--param", "n=41", "--format", "csv"}, 0,
			"name,n\nJapan Organization for Metals and Energy Security (JOGMEC),42\n"},
		{"ErrUnknownReport", env, []string{"report", "run", "nope"}, 1, `chokepoint report: no report is called "nope"`},
		{"ErrBadParam", env, []string{"report", "run", "state-control", "--param", "year=last"}, 1, "bad parameters for report state-control\n  year: want an integer, got \"last\"\n"},
		{"ErrWrite", env, []string{"cypher", "MATCH (n) DETACH DELETE n"}, 1, "chokepoint cypher: the query writes to the graph; reports and ad-hoc Cypher may only read\n"},
		{"ErrSyntax", env, []string{"cypher", "MATCH (n RETURN n"}, 1, "Cypher syntax error: Invalid input 'RETURN'"},
		{"ErrNoNeo4j", nil, []string{"report", "run", "concentration"}, 1, "NEO4J_URI is not set"},
		{"ErrNoNeo4jCypher", nil, []string{"cypher", "RETURN 1"}, 1, "NEO4J_URI is not set"},
		{"ErrNoName", env, []string{"report", "run"}, 2, "want a report name"},
		{"ErrSubcommand", nil, []string{"report", "delete", "x"}, 2, `unknown report command "delete"`},
		{"ErrFormat", env, []string{"cypher", "RETURN 1", "--format", "xml"}, 2, `--format "xml" is not a format chokepoint cypher writes: it writes table, json or csv`},
		{"ErrBadHeader", []string{"CHOKEPOINT_REPORTS_DIR=" + writeFile(t, "bad.cypher", "// name: bad\nRETURN 1\n")}, []string{"report", "list"}, 1,
			"chokepoint report: invalid report files\n  "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, tc.env, tc.args...)
			got := out
			if tc.code != 0 {
				got = errOut
			}
			if code != tc.code || !strings.Contains(got, tc.out) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s\nwant: %s", code, tc.code, out, errOut, tc.out)
			}
		})
	}
	t.Run("CypherFromStdin", func(t *testing.T) {
		cmd := exec.Command(binary, "cypher", "-", "--param", "id=firm:jogmec", "--format", "csv")
		cmd.Env = append(withoutNeo4j(os.Environ()), env...)
		cmd.Stdin = strings.NewReader("MATCH (f:Firm {id: $id})\nRETURN f.name AS name\n")
		out, err := cmd.Output()
		if err != nil || string(out) != "name\nJapan Organization for Metals and Energy Security (JOGMEC)\n" {
			t.Fatalf("%v %q", err, out)
		}
	})
	t.Run("DataUnchanged", func(t *testing.T) {
		ds := fixture.Bundled(t)
		out, _, _ := run(t, env, "cypher", "MATCH (n:Node) RETURN count(n) AS n", "--format", "csv")
		if want := fmt.Sprintf("n\n%d\n", len(ds.Nodes)); out != want {
			t.Fatalf("%q, want %q", out, want)
		}
	})
}

// writeFile writes a file into a new directory and returns the directory.
func writeFile(t *testing.T, name, text string) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestReportHTTP serves the API on Neo4j, as a deployment does, and runs reports and Cypher
// through it.
func TestReportHTTP(t *testing.T) {
	env := neo4jEnv(t)
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(withoutNeo4j(os.Environ()), append(env, "CHOKEPOINT_API_KEY=secret")...)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.Fields(line[strings.Index(line, "http://"):])[0] + "/api/v1"
	call := func(method, path, body string, header ...string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}

	status, body, _ := call("GET", "/reports", "")
	var list struct {
		Reports []struct {
			Name   string
			Params []struct{ Name, Type string }
		}
	}
	if err := json.Unmarshal([]byte(body), &list); status != 200 || err != nil || len(list.Reports) < 10 {
		t.Fatalf("%d %s", status, body)
	}
	status, body, _ = call("POST", "/reports/agencies/run", `{"state": "JP", "types": ["agency"]}`)
	var res struct {
		Columns []string
		Rows    [][]any
	}
	if err := json.Unmarshal([]byte(body), &res); status != 200 || err != nil || res.Columns[0] != "agency" || !strings.Contains(body, `"firm:jogmec","Japan Organization for Metals and Energy Security (JOGMEC)","JP","owns","firm:lynas"`) {
		t.Fatalf("%d %s", status, body)
	}
	status, body, header := call("GET", "/reports/ownership-chain/run?id=firm:lynas", "", "Accept", "text/csv")
	if status != 200 || !strings.HasPrefix(body, "owner,owner_name,owner_kind,owner_state,chain,shares,effective_share\nstate:JP,") || header.Get("X-Row-Count") != "2" {
		t.Fatalf("%d %v %s", status, header, body)
	}
	if status, body, _ := call("POST", "/reports/state-control/run", `{"year": "last"}`); status != 400 || !strings.Contains(body, `"field":"year","message":"want an integer, got \"last\""`) {
		t.Fatalf("%d %s", status, body)
	}
	if status, body, _ := call("POST", "/reports/nope/run", `{}`); status != 404 {
		t.Fatalf("%d %s", status, body)
	}
	if status, _, _ := call("POST", "/cypher", `{"query": "RETURN 1"}`); status != 401 {
		t.Fatalf("cypher without the key: %d", status)
	}
	if status, body, _ := call("POST", "/cypher", `{"query": "MATCH (n) DETACH DELETE n"}`, "X-API-Key", "secret"); status != 400 || !strings.Contains(body, "writes to the graph") {
		t.Fatalf("%d %s", status, body)
	}
	if status, body, _ := call("POST", "/cypher", `{"query": "MATCH (n:Node) WHERE n.id = $id RETURN count(n) AS n", "params": {"id": "firm:lynas"}}`, "Authorization", "Bearer secret"); status != 200 ||
		body[:strings.Index(body, `"elapsed_ms"`)] != `{"columns":["n"],"rows":[[1]],"row_count":1,"truncated":false,` {
		t.Fatalf("%d %s", status, body)
	}
}
