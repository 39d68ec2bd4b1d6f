package main

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
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

// standIn writes a stand-in worker that speaks the worker protocol: it says ready, then answers
// each request after running body (which may read $dot, the request's DOT) with its pid.
func standIn(t *testing.T, body string) func() (string, error) {
	t.Helper()
	return gatedStandIn(t, "", body)
}

// gatedStandIn is standIn whose start first runs warmUp (shell: waiting for a file, failing).
func gatedStandIn(t *testing.T, warmUp, body string) func() (string, error) {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "worker")
	script := "#!/bin/sh\n" + warmUp + "\necho ready\nwhile read format len; do\n  dot=$(head -c \"$len\")\n  " + body +
		"\n  pid=$$\n  printf 'ok %d\\n%s' ${#pid} $pid\ndone\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return func() (string, error) { return exe, nil }
}

// pool returns a pool of n stand-in workers.
func pool(exe func() (string, error), n int, timeout time.Duration) *processLayout {
	p := newLayoutPool(n)
	p.exe, p.timeout = exe, timeout
	return p
}

// pid lays a picture out and returns the pid of the worker that drew it.
func pid(t *testing.T, p *processLayout, dot string) int {
	t.Helper()
	out, err := p.layout(context.Background(), []byte(dot), render.FormatSVG)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(string(out))
	if err != nil {
		t.Fatalf("answer %q", out)
	}
	return n
}

// alive reports whether process pid runs (and is not a zombie).
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	return len(stat) > 0 && !containsState(stat, 'Z')
}

// containsState reports whether a /proc/PID/stat line is in the state s.
func containsState(stat []byte, s byte) bool {
	for i := len(stat) - 1; i > 0; i-- {
		if stat[i] == ')' {
			return i+2 < len(stat) && stat[i+2] == s
		}
	}
	return false
}

// TestLayoutDeadlineCountsFromItsSlot: two layouts that each fit their deadline alone both finish
// when they arrive together and take turns on one worker: the second one's deadline counts from
// when its layout starts, not from the request.
func TestLayoutDeadlineCountsFromItsSlot(t *testing.T) {
	p := pool(standIn(t, "sleep 3"), 1, 5*time.Second) // a layout takes 60% of the deadline
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = p.layout(context.Background(), []byte("digraph{}"), render.FormatPNG)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("layout %d: %v", i, err)
		}
	}
}

// TestLayoutWorkers: a worker serves layout after layout; it is killed at a layout's deadline and
// replaced, and replaced after its quota of layouts or past its memory ceiling.
func TestLayoutWorkers(t *testing.T) {
	t.Run("Reused", func(t *testing.T) {
		p := pool(standIn(t, ":"), 1, render.DefaultTimeout)
		first := pid(t, p, "digraph{a}")
		for range 3 {
			if got := pid(t, p, "digraph{b}"); got != first {
				t.Fatalf("worker %d, then %d", first, got)
			}
		}
	})
	t.Run("KilledAtDeadline", func(t *testing.T) {
		p := pool(standIn(t, `[ "$dot" = slow ] && sleep 600`), 1, time.Second)
		first := pid(t, p, "digraph{a}")
		_, err := p.layout(context.Background(), []byte("slow"), render.FormatSVG)
		if graph.ErrorCode(err) != graph.ETimeout {
			t.Fatalf("got %v, want a timeout", err)
		}
		if alive(first) {
			t.Errorf("worker %d outlived its layout's deadline", first)
		}
		if next := pid(t, p, "digraph{a}"); next == first || !alive(next) {
			t.Errorf("worker %d after %d", next, first)
		}
	})
	t.Run("ClientGone", func(t *testing.T) {
		// A request cancelled during its layout (the client went away) does not kill the worker.
		p := pool(standIn(t, `[ "$dot" = slow ] && sleep 1`), 1, render.DefaultTimeout)
		first := pid(t, p, "digraph{}")
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			p.layout(ctx, []byte("slow"), render.FormatSVG) // cancelled while it runs, or before
			close(done)
		}()
		time.Sleep(100 * time.Millisecond)
		cancel()
		<-done
		if next := pid(t, p, "digraph{}"); next != first {
			t.Errorf("worker %d replaced by %d after a cancelled request", first, next)
		}
	})
	t.Run("Recycled", func(t *testing.T) {
		p := pool(standIn(t, ":"), 1, render.DefaultTimeout)
		p.maxLayouts = 2
		a, b, c := pid(t, p, "digraph{}"), pid(t, p, "digraph{}"), pid(t, p, "digraph{}")
		if a != b || c == a {
			t.Errorf("workers %d, %d, %d: want the second replaced after two layouts", a, b, c)
		}
		if alive(a) {
			t.Errorf("retired worker %d still runs", a)
		}
	})
	t.Run("MemoryCeiling", func(t *testing.T) {
		p := pool(standIn(t, ":"), 1, render.DefaultTimeout)
		p.maxMemory = 1 // every worker is over it
		if a, b := pid(t, p, "digraph{}"), pid(t, p, "digraph{}"); a == b {
			t.Errorf("worker %d kept past its memory ceiling", a)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		p := pool(standIn(t, `[ "$dot" = bad ] && { printf 'error invalid 13\nmalformed DOT'; continue; }
  [ "$dot" = crash ] && { echo boom >&2; exit 3; }`), 1, render.DefaultTimeout)
		first := pid(t, p, "digraph{}")
		_, err := p.layout(context.Background(), []byte("bad"), render.FormatSVG)
		if graph.ErrorCode(err) != graph.EInvalid || graph.ErrorMessage(err) != "malformed DOT" {
			t.Fatalf("got %v, want the worker's invalid error", err)
		}
		if again := pid(t, p, "digraph{}"); again != first {
			t.Errorf("worker %d replaced by %d after an invalid request", first, again)
		}
		_, err = p.layout(context.Background(), []byte("crash"), render.FormatSVG)
		if graph.ErrorCode(err) != graph.EInternal || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("got %v, want an internal error with the worker's error output", err)
		}
		if next := pid(t, p, "digraph{}"); next == first {
			t.Errorf("the crashed worker %d still answers", first)
		}
	})
	t.Run("Prestart", func(t *testing.T) {
		// The pool is warm once every worker has started, not before: a worker that has not said
		// ready yet keeps it warming.
		gate := filepath.Join(t.TempDir(), "go")
		p := pool(gatedStandIn(t, "until [ -e "+gate+" ]; do sleep 0.01; done", ":"), 2, render.DefaultTimeout)
		var log bytes.Buffer // written before p.warmed closes
		p.prestart(slog.New(slog.NewTextHandler(&log, nil)))
		if closed(p.warmed) {
			t.Fatal("warm before any worker said ready")
		}
		if err := os.WriteFile(gate, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		<-p.warmed
		if n := p.startedWorkers(); n != 2 || !closed(p.warmed) {
			t.Fatalf("%d workers started (warm %v), want 2", n, closed(p.warmed))
		}
		if !strings.Contains(log.String(), "layout workers warm") || !strings.Contains(log.String(), "started=2") {
			t.Errorf("log:\n%s", log.String())
		}
	})
	t.Run("PrestartFails", func(t *testing.T) {
		// Workers that cannot start are logged with their error output; the pool is warm (serve
		// goes on without them), and the next layout tries again.
		p := pool(gatedStandIn(t, "echo no engine here >&2; exit 3", ":"), 2, render.DefaultTimeout)
		var log bytes.Buffer // written before p.warmed closes
		p.prestart(slog.New(slog.NewTextHandler(&log, nil)))
		<-p.warmed
		if n := p.startedWorkers(); n != 0 || !closed(p.warmed) {
			t.Fatalf("%d workers started (warm %v), want none, warm", n, closed(p.warmed))
		}
		if got := log.String(); strings.Count(got, "level=ERROR") != 2 || !strings.Contains(got, "no engine here") || !strings.Contains(got, "started=0") {
			t.Errorf("log:\n%s", got)
		}
		p.exe = standIn(t, ":")
		if n := pid(t, p, "digraph{}"); !alive(n) {
			t.Errorf("worker %d after a failed warm-up", n)
		}
	})
}

// startedWorkers waits for every worker to be idle and counts those that have a process.
func (p *processLayout) startedWorkers() int {
	var tokens []*worker
	for range cap(p.slots) {
		tokens = append(tokens, <-p.slots)
	}
	n := 0
	for _, w := range tokens {
		if w != nil {
			n++
		}
		p.slots <- w
	}
	return n
}

// TestLayoutWorkerCollectsBetweenLayouts runs the real worker on tiny pictures and on a 143-node
// view with the Go runtime's trace of collections on: every collection after its warm-up is one
// it asks for between layouts (gctrace marks those "(forced)"), none starts during a layout,
// where it would wait for the WebAssembly call to return before it could stop the world; and it
// collects once its garbage has grown, not after every layout.
func TestLayoutWorkerCollectsBetweenLayouts(t *testing.T) {
	exe := os.Getenv("CHOKEPOINT_TEST_BINARY") // set by TestMain
	if exe == "" {
		t.Skip("no chokepoint binary built")
	}
	net := fixture.Network(t, fixture.Bundled(t))
	dot, err := render.Neighbourhood(net, "state:JP", render.NeighbourhoodOptions{Depth: 3})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "layout", "--worker")
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	var trace bytes.Buffer
	cmd.Stderr = &trace
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &worker{cmd: cmd, in: in, out: bufio.NewReader(stdout)}
	if line, err := w.out.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("worker said %q, %v", line, err)
	}
	const layouts = 12
	for i := range layouts {
		picture := dot
		if i < 4 {
			picture = []byte("digraph{a}")
		}
		if _, err := w.roundTrip(picture, render.FormatSVG); err != nil {
			t.Fatal(err)
		}
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %s", err, trace.String())
	}
	forced := 0
	for line := range strings.Lines(trace.String()) {
		switch {
		case !strings.HasPrefix(line, "gc "):
		case strings.Contains(line, "(forced)"):
			forced++
		case forced > 0:
			t.Errorf("a collection the worker did not ask for, after its warm-up: %s", line)
		}
	}
	if forced < 2 || forced > layouts/2 {
		t.Errorf("%d collections after the warm-up and %d layouts, want one after the warm-up and a few as garbage grows:\n%s", forced, layouts, trace.String())
	}
}
