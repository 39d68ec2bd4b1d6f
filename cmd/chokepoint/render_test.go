package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

func TestRender(t *testing.T) {
	t.Run("FlowDOT", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024", "--top", "2", "--format", "dot")
		if code != 0 {
			t.Fatalf("%d %s", code, errOut)
		}
		net := fixture.Network(t, fixture.Small(t))
		want, err := render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "JP"}, render.FlowOptions{AsOf: 2024, Top: 2})
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("the CLI's DOT differs from render.Flow's:\n%s", out)
		}
	})
	t.Run("FlowSVGBundled", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "flow", "--commodity", "rare-earths", "--consumer", "state:JP", "--as-of", "2025")
		if code != 0 || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, ">Lynas Malaysia (LAMP,</text>") {
			t.Fatalf("%d %s %.200s", code, errOut, out)
		}
	})
	t.Run("NodePNG", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "ausco.png")
		out, errOut, code := run(t, []string{"CHOKEPOINT_FORMAT=png"}, "render", "node", "firm:ausco", "--data", small, "--depth", "2", "--kinds", "owns,operates", "--out", file)
		if code != 0 || out != "" {
			t.Fatalf("%d %s %s", code, errOut, out)
		}
		b, err := os.ReadFile(file)
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("%v % x", err, b[:min(8, len(b))])
		}
	})
	t.Run("NodeDOT", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "node", "--data", small, "--kinds", "owns", "--kinds", "operates", "--format", "dot", "firm:ausco")
		if code != 0 || !strings.Contains(out, `"firm:jp-agency" -> "firm:ausco" [label="owns 25%\n2011–"`) || strings.Contains(out, "supplies") {
			t.Fatalf("%d %s %s", code, errOut, out)
		}
	})
	t.Run("RoutesDOT", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "routes", "--data", small, "--commodity", "rare-earths", "--consumer", "JP",
			"--avoid-states", "CN", "--as-of", "2024", "--format", "dot")
		if code != 0 {
			t.Fatalf("%d %s", code, errOut)
		}
		net := fixture.Network(t, fixture.Small(t))
		want, err := render.Routes(net, graph.Request{Commodity: "rare-earths", Consumer: "JP", K: 5, MaxHops: 10, Cost: graph.CostHops, AvoidStates: []string{"CN"}}, 2024)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("the CLI's DOT differs from render.Routes's:\n%s", out)
		}
	})
	t.Run("ScenarioDOT", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "cn.json")
		doc := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "state:CN", "remove": {"states_by_location": ["CN"]}}`
		if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := run(t, nil, "render", "scenario", "--data", small, "--file", file, "--as-of", "2024", "--format", "dot")
		if code != 0 {
			t.Fatalf("%d %s", code, errOut)
		}
		net, err := graph.NewNetwork(fixture.Small(t))
		if err != nil {
			t.Fatal(err)
		}
		want, err := render.Scenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", Supplier: "state:CN", AsOf: 2024,
			Remove: graph.Removal{StatesByLocation: []string{"CN"}}})
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("the CLI's DOT differs from render.Scenario's:\n%s", out)
		}
	})
	t.Run("DOTFileAndStdin", func(t *testing.T) {
		dot := `digraph { "a:x" [label="Alpha node"]; "a:x" -> "b:y" }`
		file := filepath.Join(t.TempDir(), "g.dot")
		if err := os.WriteFile(file, []byte(dot), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := run(t, nil, "render", "dot", file)
		if code != 0 || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, ">Alpha node</text>") {
			t.Fatalf("%d %s %.200s", code, errOut, out)
		}
		png := filepath.Join(t.TempDir(), "g.png")
		cmd := exec.Command(binary, "render", "dot", "-", "--format", "png", "--out", png)
		cmd.Env = withoutNeo4j(os.Environ())
		cmd.Stdin = strings.NewReader(dot)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, b)
		}
		if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("ControlDOT", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "control", "--data", small, "--node", "refinery:sep-my", "--as-of", "2024", "--format", "dot")
		if code != 0 || !strings.Contains(out, "effective share 25% · ultimate owner") {
			t.Fatalf("%d %s %s", code, errOut, out)
		}
	})
	t.Run("TrendPNG", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "trend.png")
		_, errOut, code := run(t, nil, "render", "trend", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN",
			"--years", "2010..2024", "--format", "png", "--out", file)
		if code != 0 {
			t.Fatalf("%d %s", code, errOut)
		}
		if b, err := os.ReadFile(file); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("EmptyWritesThePicture", func(t *testing.T) {
		// The error says why the view is empty, and so does the picture written.
		file := filepath.Join(t.TempDir(), "empty.dot")
		_, errOut, code := run(t, nil, "render", "flow", "--data", small, "--commodity", "gallium", "--consumer", "JP", "--as-of", "2024",
			"--format", "dot", "--out", file)
		msg := "It receives: ndpr-oxide; draw one of these as the commodity."
		if code != 1 || !strings.Contains(errOut, msg) {
			t.Fatalf("%d %s", code, errOut)
		}
		if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), msg) {
			t.Fatalf("%v %s", err, b)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"ErrNoView", nil, 2, "name a view: flow, node, routes, control, scenario, trend, dot"},
		{"ErrView", []string{"map"}, 2, `unknown view "map" (want flow, node, routes, control, scenario, trend, dot)`},
		{"ErrTrendYears", []string{"trend", "--commodity", "rare-earths", "--consumer", "JP", "--supplier", "CN", "--years", "2010"}, 1, "years wants A..B"},
		{"ErrControlNode", []string{"control"}, 1, "the control view needs a node"},
		{"ErrPNGToStdout", []string{"flow", "--commodity", "rare-earths", "--consumer", "JP", "--format", "png"}, 2, "png is binary: write it to a file with --out FILE"},
		{"ErrFormat", []string{"flow", "--commodity", "rare-earths", "--consumer", "JP", "--format", "gif"}, 2, `--format "gif" is not a format chokepoint render flow writes: it writes svg, png or dot`},
		{"ErrYear", []string{"node", "firm:ausco", "--as-of", "1200"}, 2, "--as-of 1200 is outside 1800..2100"},
		{"ErrNoNode", []string{"node"}, 2, "name the node: chokepoint render node ID"},
		{"ErrExtra", []string{"flow", "x"}, 2, `unexpected argument "x"`},
		{"ErrConsumer", []string{"flow", "--commodity", "rare-earths", "--consumer", "firm:nope"}, 1, `unknown consumer "firm:nope"`},
		{"ErrDepth", []string{"node", "firm:ausco", "--depth", "4"}, 1, "depth must be 1..3, got 4"},
		{"ErrTimeout", []string{"node", "firm:ausco", "--timeout", "1ns"}, 1, "rendering did not finish within its deadline"},
		{"ErrScenarioFile", []string{"scenario"}, 2, "give the scenario document with --file"},
		{"ErrDOTFile", []string{"dot"}, 2, "name the DOT file, or - for stdin"},
		{"ErrDOTMissing", []string{"dot", "/nonexistent.dot"}, 1, "no such file"},
		{"ErrDOTMalformed", []string{"dot", "../../testdata/small.json"}, 1, "malformed DOT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"render"}, tc.args...)
			if len(tc.args) > 0 {
				args = append(args, "--data", small)
			}
			_, errOut, code := run(t, nil, args...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Fatalf("%d %s", code, errOut)
			}
		})
	}
}

// TestRenderProcess checks the layout processes that serve and render run: a picture, a layout
// killed at its deadline, and several at once through serve.
func TestRenderProcess(t *testing.T) {
	t.Run("SVG", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "state:JP", "--as-of", "2024", "--top", "2")
		if code != 0 || !strings.HasPrefix(out, "<?xml") {
			t.Fatalf("%d %s %.200s", code, errOut, out)
		}
		for _, want := range []string{">Separation CN</text>", ">#1 chokepoint: 60 t/a (66.7% of supply)</text>", ">consumer: Japan (state:JP)</text>"} {
			if !strings.Contains(out, want) {
				t.Errorf("SVG lacks %s", want)
			}
		}
	})
	t.Run("Hidden", func(t *testing.T) {
		if _, errOut, _ := run(t, nil, "help"); strings.Contains(errOut, "layout") {
			t.Errorf("usage lists the layout command:\n%s", errOut)
		}
		cmd := exec.Command(binary, "layout", "--format", "svg")
		cmd.Stdin = strings.NewReader("digraph { a -> }")
		var e bytes.Buffer
		cmd.Stderr = &e
		if err := cmd.Run(); err == nil || !strings.Contains(e.String(), "malformed DOT") {
			t.Fatalf("%v %s", err, e.String())
		}
	})
	t.Run("Deadline", func(t *testing.T) {
		// The 3-hop neighbourhood of this random ownership web (labelled edges, 59 nodes: under
		// xlabelFrom) takes Graphviz minutes.
		file := filepath.Join(t.TempDir(), "web.json")
		b, err := json.Marshal(ownershipWeb(59, 300))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(binary, "render", "node", "firm:f000", "--depth", "3", "--data", file, "--timeout", "1s")
		cmd.Env = withoutNeo4j(os.Environ())
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		children := map[int]bool{} // the layout processes seen while render ran
		var err2 error
	poll:
		for {
			select {
			case err2 = <-done:
				break poll
			case <-time.After(10 * time.Millisecond):
				for _, pid := range layoutProcesses(t, cmd.Process.Pid) {
					children[pid] = true
				}
			}
		}
		elapsed := time.Since(start)
		if ee, ok := err2.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(e.String(), "rendering did not finish within its deadline") {
			t.Fatalf("%v %s", err2, e.String())
		}
		if len(children) == 0 {
			t.Fatal("no layout process seen")
		}
		for pid := range children {
			if isLayoutProcess(pid) {
				t.Errorf("layout process %d still runs", pid)
			}
		}
		t.Logf("returned after %s", elapsed)
	})
	t.Run("Concurrent", func(t *testing.T) {
		cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
		cmd.Env = withoutNeo4j(os.Environ())
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}()
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		url := strings.Fields(line[strings.Index(line, "http://"):])[0]
		var wg sync.WaitGroup
		for i := range 8 {
			format := []string{"svg", "png"}[i%2]
			wg.Go(func() {
				resp, err := http.Get(url + "/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2025&format=" + format)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != render.ContentType(format) ||
					(format == "svg" && !strings.Contains(string(body), ">Lynas Malaysia (LAMP,</text>")) ||
					(format == "png" && !bytes.HasPrefix(body, []byte("\x89PNG\r\n\x1a\n"))) {
					t.Errorf("%s: %d %.200s", format, resp.StatusCode, body)
				}
			})
		}
		wg.Wait()
	})
}

// TestServeLayoutDeadline: a picture whose layout runs past the deadline answers 503 timeout, its
// worker is killed, and the server keeps answering, pictures included.
func TestServeLayoutDeadline(t *testing.T) {
	// Graphviz needs minutes for the 3-hop neighbourhood of this random ownership web (labelled
	// edges, 59 nodes: under xlabelFrom).
	file := filepath.Join(t.TempDir(), "web.json")
	b, err := json.Marshal(ownershipWeb(59, 300))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--data", file)
	cmd.Env = withoutNeo4j(os.Environ())
	url := startServe(t, cmd)
	get := func(path string) (int, string) {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	heavy := make(chan string, 1)
	go func() {
		code, body := get("/api/v1/render/node/firm:f000?depth=3&format=png")
		heavy <- fmt.Sprintf("%d %s", code, body)
	}()
	// Meanwhile the other worker draws what fits.
	if code, body := get("/api/v1/render/node/firm:f001?depth=1"); code != 200 || !strings.Contains(body, "<svg") {
		t.Fatalf("%d %.200s", code, body)
	}
	if got := <-heavy; !strings.HasPrefix(got, "503 ") || !strings.Contains(got, `"code":"timeout"`) {
		t.Fatalf("the heavy layout: %.300s", got)
	}
	// And after, every worker draws again.
	for _, id := range []string{"firm:f002", "firm:f003", "firm:f004"} {
		if code, body := get("/api/v1/render/node/" + id + "?depth=1&format=png"); code != 200 || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("%s: %d %.200s", id, code, body)
		}
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
}

// ownershipWeb is a dataset of n firms and m random owns edges among them.
func ownershipWeb(n, m int) *graph.Dataset {
	r := rand.New(rand.NewPCG(1, 2))
	ds := &graph.Dataset{}
	for i := range n {
		ds.Nodes = append(ds.Nodes, graph.Node{ID: fmt.Sprintf("firm:f%03d", i), Kind: graph.Firm, Name: fmt.Sprintf("Firm %d", i), State: "JP"})
	}
	seen := map[[2]int]bool{}
	share := 0.001
	for len(ds.Edges) < m {
		a, b := r.IntN(n), r.IntN(n)
		if a == b || seen[[2]int{a, b}] {
			continue
		}
		seen[[2]int{a, b}] = true
		ds.Edges = append(ds.Edges, graph.Edge{Kind: graph.Owns, From: ds.Nodes[a].ID, To: ds.Nodes[b].ID, Share: &share})
	}
	return ds
}

// layoutProcesses returns the pids of the layout processes whose parent is ppid.
func layoutProcesses(t *testing.T, ppid int) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !isLayoutProcess(pid) {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so count from the last ')'.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(ppid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// isLayoutProcess reports whether pid is a live "chokepoint layout" process of the test binary.
func isLayoutProcess(pid int) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := strings.Split(string(cmdline), "\x00")
	if len(args) < 2 || args[0] != binary || args[1] != "layout" {
		return false
	}
	stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
