package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

var binary string

// TestMain builds the real binary once; every test runs it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chokepoint-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "chokepoint")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	os.Setenv("CHOKEPOINT_TEST_BINARY", binary) // for the layout benchmark of package main
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const small = "../../testdata/small.json"

// run runs the binary with args and extra environment (NEO4J_URI is cleared unless given).
func run(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(withoutNeo4j(os.Environ()), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func withoutNeo4j(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "NEO4J_") && !strings.HasPrefix(kv, "CHOKEPOINT_") {
			out = append(out, kv)
		}
	}
	return out
}

func TestValidate(t *testing.T) {
	out, _, code := run(t, nil, "validate", small)
	if code != 0 || out != "ok: 4 commodities, 19 nodes, 22 edges\n" {
		t.Fatalf("%d %q", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"nodes": [{"id": "mine:x", "kind": "mine", "name": "", "state": "XX", "stage": "mining"}],
 "edges": [{"kind": "owns", "from": "mine:x", "to": "state:JP", "share": 2}]}`), 0o644)
	out, errOut, code := run(t, nil, "validate", bad)
	want := "chokepoint validate: dataset is invalid: 5 problems\n" +
		"  " + bad + ": nodes[0].name: is required\n" +
		"  " + bad + ": nodes[0].state: \"XX\" is not an ISO 3166-1 alpha-2 code\n" +
		"  " + bad + ": edges[0].from: a owns edge cannot start at a mine (allowed: firm, state)\n" +
		"  " + bad + ": edges[0].to: unknown node \"state:JP\"\n" +
		"  " + bad + ": edges[0].share: must be between 0 and 1, got 2\n"
	if code != 1 || out != "" || errOut != want {
		t.Fatalf("%d\n%s", code, errOut)
	}
}

func TestUsage(t *testing.T) {
	if _, errOut, code := run(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("%d %s", code, errOut)
	}
	if _, errOut, code := run(t, nil, "analyze", "flow", "--k", "3"); code != 2 || !strings.Contains(errOut, "flag provided but not defined: -k") {
		t.Fatalf("%d %s", code, errOut)
	}
	if out, _, code := run(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "chokepoint ") {
		t.Fatalf("%d %s", code, out)
	}
	if _, errOut, code := run(t, nil, "import", small); code != 1 || !strings.Contains(errOut, "import writes to Neo4j (the embedded store lives only inside 'serve': use 'serve --data FILE' there), and NEO4J_URI is not set") {
		t.Fatalf("%d %s", code, errOut)
	}
}

// TestAnalyzeMatchesHTTP checks that the CLI on a file and the HTTP API give the same JSON, and
// the same CSV.
func TestAnalyzeMatchesHTTP(t *testing.T) {
	store, _ := graph.NewMemStore(fixture.Small(t))
	srv := api.NewServer(store)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	h := srv.Handler()
	for _, tc := range []struct {
		args  []string
		query string
	}{
		{[]string{"analyze", "dependency", "--commodity", "rare-earths", "--consumer", "state:JP", "--supplier", "CN"}, "/api/v1/analyses/dependency?commodity=rare-earths&consumer=state:JP&supplier=CN"},
		{[]string{"analyze", "chokepoints", "--method", "cut", "--commodity", "rare-earths", "--consumer", "JP"}, "/api/v1/analyses/chokepoints?method=cut&commodity=rare-earths&consumer=JP"},
		{[]string{"analyze", "centrality", "--metric", "pagerank"}, "/api/v1/analyses/centrality?metric=pagerank"},
		{[]string{"analyze", "centrality", "--metric", "pagerank", "--tol", "1e-12"}, "/api/v1/analyses/centrality?metric=pagerank&tol=1e-12"},
		{[]string{"analyze", "routes", "--commodity", "rare-earths", "--to", "JP", "--k", "3", "--avoid-states", "CN"}, "/api/v1/analyses/routes?commodity=rare-earths&to=JP&k=3&max_hops=10&cost=hops&avoid_states=CN"},
		{[]string{"analyze", "control", "--node", "firm:ausco"}, "/api/v1/analyses/control?node=firm:ausco"},
		{[]string{"analyze", "concentration", "--commodity", "rare-earths"}, "/api/v1/analyses/concentration?commodity=rare-earths"},
		{[]string{"analyze", "flow", "--commodity", "rare-earths", "--consumer", "JP"}, "/api/v1/analyses/flow?commodity=rare-earths&consumer=JP"},
		{[]string{"analyze", "flow", "--commodity", "rare-earths", "--consumer", "coalition:quad", "--apply-controls", "--only-control", "coalition:quad,MY"},
			"/api/v1/analyses/flow?commodity=rare-earths&consumer=coalition:quad&apply_controls=true&only_control=coalition:quad,MY"},
		{[]string{"analyze", "finance", "--commodity", "rare-earths", "--consumer", "JP"}, "/api/v1/analyses/finance?commodity=rare-earths&consumer=JP"},
		{[]string{"analyze", "attribution", "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN", "--base", "2010"},
			"/api/v1/analyses/attribution?commodity=rare-earths&consumer=JP&supplier=CN&base=2010"},
	} {
		for _, year := range []string{"2010", "2024"} {
			args := append(append([]string{}, tc.args...), "--data", small, "--as-of", year, "--format", "json")
			out, errOut, code := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("%v: %d %s", args, code, errOut)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tc.query+"&as_of="+year, nil))
			if rec.Code != 200 {
				t.Fatalf("%s: %d %s", tc.query, rec.Code, rec.Body.String())
			}
			if compact(t, out) != compact(t, rec.Body.String()) {
				t.Fatalf("%v:\nCLI  %s\nHTTP %s", args, compact(t, out), rec.Body.String())
			}
			args[len(args)-1] = "csv"
			out, errOut, code = run(t, nil, args...)
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tc.query+"&as_of="+year+"&format=csv", nil))
			if code != 0 || rec.Code != 200 || out != rec.Body.String() {
				t.Fatalf("%v: %d %s\nCLI  %s\nHTTP %d %s", args, code, errOut, out, rec.Code, rec.Body.String())
			}
		}
	}
	// A trend has its years, not one: the same answer, and --as-of is no flag of it.
	for _, format := range []string{"json", "csv"} {
		args := []string{"analyze", "trend", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN", "--years", "2010..2024", "--format", format}
		out, errOut, code := run(t, nil, args...)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/analyses/trend?commodity=rare-earths&consumer=JP&supplier=CN&years=2010..2024&format="+format, nil))
		if code != 0 || rec.Code != 200 || (format == "json" && compact(t, out) != rec.Body.String()) || (format == "csv" && out != rec.Body.String()) {
			t.Fatalf("%v: %d %s\nCLI  %s\nHTTP %d %s", args, code, errOut, out, rec.Code, rec.Body.String())
		}
	}
	if _, errOut, code := run(t, nil, "analyze", "trend", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN", "--as-of", "2024"); code != 2 || !strings.Contains(errOut, "-as-of") {
		t.Errorf("analyze trend --as-of: %d %s", code, errOut)
	}
}

func compact(t *testing.T, s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %s", s)
	}
	return b.String()
}

func TestAnalyzeFormats(t *testing.T) {
	out, _, code := run(t, []string{"CHOKEPOINT_FORMAT=csv"}, "analyze", "dependency", "--data", small, "--commodity", "rare-earths",
		"--consumer", "JP", "--supplier", "CN", "--as-of", "2024")
	want := "consumer,supplier,product,inbound_tpa,by,mining,processing,any\nJP,state:CN,all,90,shipment (customs),,,0.666667\n" +
		"JP,state:CN,all,90,location,0.5,0.666667,0.666667\nJP,state:CN,all,90,control,0.5,0.666667,0.666667\n" +
		"JP,state:CN,all,90,unattributed (location),0,0,0\nJP,state:CN,all,90,unattributed (control),0,0,0\n"
	if code != 0 || out != want {
		t.Fatalf("%d %q", code, out)
	}
	scenario := filepath.Join(t.TempDir(), "sc.json")
	os.WriteFile(scenario, []byte(`{"commodity": "rare-earths", "consumer": "state:JP", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`), 0o644)
	out, errOut, code := run(t, nil, "analyze", "scenario", "--data", small, "--file", scenario, "--format", "table")
	if code != 0 || !strings.Contains(out, "max_supply_tpa  90") || !strings.Contains(out, "mine:beta > refinery:sep-my > firm:jp-trader") {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
}

func TestExportCSV(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := run(t, nil, "export", "--data", small, "--format", "csv", "--out", dir); code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	out, errOut, code := run(t, nil, "validate", dir)
	if code != 0 || out != "ok: 4 commodities, 19 nodes, 22 edges\n" {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
}

// TestServe starts the service on the embedded store as the README's first command does, queries
// it, and stops it with SIGTERM.
func TestServe(t *testing.T) {
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = withoutNeo4j(os.Environ())
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	url := startServe(t, cmd)
	// Ready once its layout workers, one per CPU, have started, which it logs.
	waitReady(t, url)
	if want := fmt.Sprintf(`"msg":"layout workers warm","workers":%d,"started":%[1]d,`, runtime.NumCPU()); !strings.Contains(stderr.String(), want) {
		t.Errorf("log without %s:\n%s", want, stderr.String())
	}
	resp, err := http.Get(url + "/api/v1/nodes?q=lynas&kind=firm")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"total":`) || strings.Contains(string(body), `"total":0`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
	// The metrics see the layout processes' slots, one per CPU.
	resp, err = http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := fmt.Sprintf("\nchokepoint_layout_slots %d\n", runtime.NumCPU()); !strings.Contains(string(body), want) {
		t.Errorf("metrics without %q:\n%s", want, body)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve did not exit cleanly: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

// TestNeo4j imports through the CLI into the real Neo4j and analyses and exports from it.
func TestNeo4j(t *testing.T) {
	cfg := cyphertest.Config(t)
	cyphertest.Wipe(t, cfg)
	env := []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USERNAME=" + cfg.Username, "NEO4J_PASSWORD=" + cfg.Password, "NEO4J_DATABASE=" + cfg.Database}
	out, errOut, code := run(t, env, "import", small)
	if code != 0 || !strings.Contains(out, "imported 4 commodities, 19 nodes, 22 edges") {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	out, errOut, code = run(t, env, "analyze", "flow", "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024")
	if code != 0 || !strings.Contains(out, `"max_supply": 90`) {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	out, _, code = run(t, env, "export")
	if code != 0 {
		t.Fatal(code)
	}
	ds, err := graph.DecodeJSON(strings.NewReader(out), "export")
	if err != nil || len(ds.Nodes) != 19 || len(ds.Edges) != 22 {
		t.Fatalf("%v %s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"edges": [{"kind": "owns", "from": "firm:ausco", "to": "mine:alpha", "share": 0.5}]}`), 0o644)
	_, errOut, code = run(t, env, "import", bad)
	if code != 1 || !strings.Contains(errOut, `the owners of "mine:alpha" hold 1.5 in total`) {
		t.Fatalf("%d %s", code, errOut)
	}
	wrong := append(env[:2:2], "NEO4J_PASSWORD=wrong-password", env[3])
	if _, errOut, code := run(t, wrong, "export"); code != 1 || !strings.Contains(errOut, "refused the credentials") {
		t.Fatalf("%d %s", code, errOut)
	}
}

// TestServeFlags: bad operations flags are usage errors, before anything starts.
func TestServeFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--trusted-proxies", "10.0.0.0/8,proxy.local"}, `--trusted-proxies: "proxy.local" is neither an IP address nor a CIDR`},
		{[]string{"serve", "--log-level", "loud"}, `--log-level`},
		{[]string{"serve", "--api-keys", "k1:read,secretkey:admin"}, `--api-keys: API key entry 2: the scope must be read or write`},
		{[]string{"serve", "--api-keys-file", "/nonexistent/keys"}, `--api-keys-file`},
		{[]string{"serve", "--rate-limit", "10"}, `--rate-limit: "10": want N/s or N/m`},
		{[]string{"serve", "--rate-limit", "10/s", "--rate-burst", "-1"}, `--rate-burst: must be at least 1`},
		{[]string{"serve", "--cors-origins", "https://ok.example,https://app.example/path"}, `--cors-origins: "https://app.example/path" is not an origin`},
	} {
		if _, errOut, code := run(t, nil, tc.args...); code != 2 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "secretkey") {
			t.Errorf("%v: %d %s", tc.args, code, errOut)
		}
	}
}

// startServe starts a chokepoint serve command (killed when the test ends unless stopped before)
// and returns the base URL it announces on its first line.
func startServe(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(line[strings.Index(line, "http://"):])[0]
}

// waitReady polls base's /readyz, as a deployment's readiness probe does, until it answers 200
// (failing the test after 30 s).
func waitReady(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz: not ready after 30 s (%v)", base, err)
		}
	}
}
