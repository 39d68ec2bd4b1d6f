package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

// Limits of the layout workers.
const (
	maxLayoutOutput = 64 << 20 // bytes of image a layout may give
	maxLayoutStderr = 4 << 10  // bytes of a worker's last error output kept
	// workerLayouts is how many layouts a worker does before it is replaced; workerMemory is the
	// resident memory past which it is replaced. go-graphviz never frees its WebAssembly memory
	// (see render.Render): about 85 KB a picture of the Japan view, SVG or PNG.
	workerLayouts = 500
	workerMemory  = 768 << 20
	// workerStartTimeout bounds a worker's start: the process, and the engine's first layout.
	workerStartTimeout = 30 * time.Second
)

// layoutProcesses is the layout of serve and render: each layout in a worker process.
var layoutProcesses render.Layout = layoutPool.layout

// layoutPool holds the workers of layoutProcesses, one per CPU and at least two, so that one
// layout running to its deadline leaves another worker free; serve starts them ahead and reports
// its slots in use as a metric.
var layoutPool = newLayoutPool(max(2, runtime.NumCPU()))

// processLayout lays DOT out in worker processes: this binary re-run as "chokepoint layout
// --worker", which keeps one Graphviz engine (its WebAssembly module compiled once) across
// layouts and does one layout at a time. go-graphviz cannot be interrupted and never frees its
// memory (see render.Render): a worker is killed at a layout's deadline, and replaced after
// maxLayouts layouts or past maxMemory resident bytes, taking its memory with it.
type processLayout struct {
	exe        func() (string, error)
	slots      chan *worker // a token per worker; nil: not started, or being replaced
	timeout    time.Duration
	maxLayouts int
	maxMemory  int64
	warm       atomic.Bool   // set by prestart: replace a retired worker at once, not at the next layout
	warmed     chan struct{} // closed when prestart's workers have all started, or failed to
	log        *slog.Logger  // prestart's: workers that fail to start in the background
}

// newLayoutPool returns a processLayout of n workers, none started yet.
func newLayoutPool(n int) *processLayout {
	p := &processLayout{exe: sync.OnceValues(os.Executable), slots: make(chan *worker, n), timeout: render.DefaultTimeout,
		maxLayouts: workerLayouts, maxMemory: workerMemory, warmed: make(chan struct{})}
	for range n {
		p.slots <- nil
	}
	return p
}

// slotsInUse returns how many workers are laying out (or starting) and how many there are.
func (p *processLayout) slotsInUse() (inUse, capacity int) {
	return cap(p.slots) - len(p.slots), cap(p.slots)
}

// prestart starts every worker not yet started, in the background: serve calls it, so that its
// first pictures do not wait for a process and an engine to start (a worker says ready once its
// engine is compiled and has laid out a first graph). It logs to log when they have all started,
// and each that failed to (serve goes on: the next layout tries again); then it closes p.warmed.
// It is called once.
func (p *processLayout) prestart(log *slog.Logger) {
	p.log = log
	p.warm.Store(true)
	tokens := make([]*worker, cap(p.slots))
	for i := range tokens {
		tokens[i] = <-p.slots
	}
	begun := time.Now()
	var starting sync.WaitGroup
	var started atomic.Int64
	for _, w := range tokens {
		if w != nil {
			p.slots <- w
			continue
		}
		starting.Go(func() {
			if p.fill() {
				started.Add(1)
			}
		})
	}
	go func() {
		starting.Wait()
		log.Info("layout workers warm", "workers", cap(p.slots), "started", started.Load(), "ms", time.Since(begun).Milliseconds())
		close(p.warmed)
	}()
}

// closed reports whether c is closed, without waiting.
func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// replace starts a worker in the background (see fill).
func (p *processLayout) replace() {
	go p.fill()
}

// fill starts a worker and gives it its free slot when it is ready, or nil if it failed to start
// (logged; the next layout tries again). It reports whether the worker started.
func (p *processLayout) fill() bool {
	w, err := p.start(context.Background())
	if err != nil {
		p.log.Error("a layout worker did not start; the next picture tries again", "err", err)
		w = nil
	}
	p.slots <- w
	return err == nil
}

// layout lays dot out in a worker. Every layout has a deadline, when its worker is killed:
// ctx's, or else p.timeout counted from the start of the layout, so that a layout that waited for
// a worker has as long to run as one that did not (and ctx's cancellation then no longer stops it). A layout waits for a free worker until ctx's
// deadline, or else for p.timeout. FormatDOT needs no layout and is returned as it is.
// Errors: EInvalid (unknown format, malformed DOT), ETimeout (past the deadline, or ctx
// cancelled), EUnavailable (no worker came free before the deadline), ETooLarge (the image is
// larger than maxLayoutOutput), and an internal error, with the worker's error output, when it
// fails.
func (p *processLayout) layout(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if err := render.CheckFormat(format); err != nil {
		return nil, err
	}
	if format == render.FormatDOT {
		return dot, nil
	}
	_, own := ctx.Deadline()
	wait := ctx
	if !own {
		var cancel context.CancelFunc
		wait, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	if wait.Err() != nil {
		return nil, render.TimeoutError(wait)
	}
	var w *worker
	select {
	case w = <-p.slots:
	case <-wait.Done():
		if errors.Is(wait.Err(), context.DeadlineExceeded) {
			return nil, graph.Errorf(graph.EUnavailable, "every renderer (%d) stayed busy with earlier layouts until this one's deadline; try again shortly", cap(p.slots))
		}
		return nil, render.TimeoutError(wait)
	}
	if w == nil {
		var err error
		if w, err = p.start(wait); err != nil {
			p.slots <- nil
			return nil, err
		}
	}
	if !own {
		// The layout's deadline counts from here, and a client that goes away does not kill the
		// worker (a new one would cost a process and an engine): the layout runs to its end.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), p.timeout)
		defer cancel()
	}
	out, err := w.layout(ctx, dot, format)
	switch {
	case !w.dead() && w.layouts < p.maxLayouts && w.memory() <= p.maxMemory:
		p.slots <- w
	case p.warm.Load():
		w.kill()
		p.replace()
	default:
		w.kill()
		p.slots <- nil
	}
	return out, err
}

// worker is a running "chokepoint layout --worker" process.
type worker struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	stderr  *lastBytes
	exited  chan struct{} // closed when the process has exited and been waited for
	layouts int
}

// start starts a worker and waits until its engine is ready, for at most workerStartTimeout or
// until ctx ends (ETimeout).
func (p *processLayout) start(ctx context.Context) (*worker, error) {
	exe, err := p.exe()
	if err != nil {
		return nil, fmt.Errorf("layout worker: finding this executable: %w", err)
	}
	cmd := exec.Command(exe, "layout", "--worker")
	w := &worker{cmd: cmd, stderr: &lastBytes{max: maxLayoutStderr}, exited: make(chan struct{})}
	cmd.Stderr = w.stderr
	// A group of its own, killed whole: nothing it started outlives it holding its pipes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = time.Second
	if w.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w.out = bufio.NewReader(stdout)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("layout worker: %w", err)
	}
	go func() {
		cmd.Wait()
		close(w.exited)
	}()
	ready := make(chan error, 1)
	go func() {
		line, err := w.out.ReadString('\n')
		if err == nil && line != "ready\n" {
			err = fmt.Errorf("said %q", line)
		}
		ready <- err
	}()
	select {
	case err = <-ready:
	case <-time.After(workerStartTimeout):
		err = errors.New("not ready in time")
	case <-ctx.Done():
		w.kill()
		return nil, render.TimeoutError(ctx)
	}
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("layout worker did not start: %v: %s", err, w.stderr.text())
	}
	return w, nil
}

// layout sends one layout to the worker and reads its answer; at ctx's end it kills the worker.
func (w *worker) layout(ctx context.Context, dot []byte, format string) ([]byte, error) {
	w.layouts++
	type answer struct {
		out []byte
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := w.roundTrip(dot, format)
		done <- answer{out, err}
	}()
	select {
	case a := <-done:
		var ge *graph.Error
		if a.err != nil && !errors.As(a.err, &ge) { // the worker failed: it is done for
			w.kill()
			return nil, fmt.Errorf("layout worker: %v: %s", a.err, w.stderr.text())
		}
		return a.out, a.err
	case <-ctx.Done():
		w.kill()
		<-done // the pipes closed with the process
		return nil, render.TimeoutError(ctx)
	}
}

// roundTrip writes a request, "FORMAT LENGTH\n" and the DOT, and reads the answer: "ok LENGTH\n"
// and the picture, or "error CODE LENGTH\n" and the message. An answer over maxLayoutOutput kills
// the worker (its rest is never read).
func (w *worker) roundTrip(dot []byte, format string) ([]byte, error) {
	if _, err := fmt.Fprintf(w.in, "%s %d\n", format, len(dot)); err != nil {
		return nil, err
	}
	if _, err := w.in.Write(dot); err != nil {
		return nil, err
	}
	head, err := w.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(head)
	var n int
	if len(f) > 0 {
		n, err = strconv.Atoi(f[len(f)-1])
	}
	switch {
	case len(f) == 0 || err != nil || n < 0 || f[0] == "ok" && len(f) != 2 || f[0] == "error" && len(f) != 3 || f[0] != "ok" && f[0] != "error":
		w.kill()
		return nil, fmt.Errorf("layout worker: malformed answer %q", head)
	case n > maxLayoutOutput:
		w.kill()
		return nil, graph.Errorf(graph.ETooLarge, "the %s picture is larger than %d MiB: narrow the view (a product instead of a family, a smaller depth, an as_of year)", format, maxLayoutOutput>>20)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(w.out, body); err != nil {
		return nil, err
	}
	if f[0] == "error" {
		if f[1] == graph.EInternal {
			return nil, fmt.Errorf("layout worker: %s", body)
		}
		return nil, graph.Errorf(f[1], "%s", body)
	}
	return body, nil
}

// kill kills the worker's process group and waits for the worker to be reaped.
func (w *worker) kill() {
	syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
	<-w.exited
}

// dead reports whether the worker's process has exited.
func (w *worker) dead() bool { return closed(w.exited) }

// memory returns the worker's resident memory in bytes (VmRSS), 0 where /proc does not say.
func (w *worker) memory() int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", w.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// lastBytes keeps the last max bytes written to it, for a worker's error output.
type lastBytes struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *lastBytes) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = b.buf[len(b.buf)-b.max:]
	}
	return len(p), nil
}

func (b *lastBytes) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(bytes.TrimSpace(b.buf))
}

// runLayout is the hidden "chokepoint layout" command. With --worker it is a layout worker of
// processLayout: it warms its engine, says "ready", and then answers requests on stdin (see
// worker.roundTrip) one at a time until stdin closes. Without, it lays out the DOT on stdin once
// and writes the picture to stdout.
func runLayout(ctx context.Context, env *cli, args []string) error {
	fs := flag.NewFlagSet("chokepoint layout", flag.ContinueOnError) // no CHOKEPOINT_* defaults
	fs.SetOutput(env.stderr)
	format := fs.String("format", render.FormatSVG, "svg or png")
	timeout := fs.Duration("timeout", render.DefaultTimeout, "give up after this long")
	serveWorker := fs.Bool("worker", false, "answer layout requests on stdin until it closes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *serveWorker {
		return layoutWorker(ctx, os.Stdin, env.stdout)
	}
	dot, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	out, err := render.Render(ctx, dot, *format)
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(out)
	return err
}

// workerRenderTimeout is the deadline of a layout in a worker: longer than any a parent gives,
// which kills the worker at its own.
const workerRenderTimeout = time.Hour

// workerGarbage is how many bytes a layout worker allocates between two of its collections.
const workerGarbage = 64 << 20

// layoutWorker answers layout requests from in on out until in closes.
//
// It collects its garbage between layouts, once workerGarbage bytes have been allocated since
// the last collection, not during them: Go cannot preempt the WebAssembly code of a layout, so
// a collection that starts during one waits, holding the other CPU, until the layout next calls
// back into Go. The memory limit (the worker's ceiling) still collects during a layout that
// makes that much garbage.
func layoutWorker(ctx context.Context, in io.Reader, out io.Writer) error {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(workerMemory)
	if _, err := render.Render(ctx, []byte("digraph{a}"), render.FormatSVG); err != nil { // compiles the engine
		return err
	}
	runtime.GC()
	collected := allocatedBytes()
	r, w := bufio.NewReader(in), bufio.NewWriter(out)
	if _, err := w.WriteString("ready\n"); err != nil {
		return err
	}
	for {
		if err := w.Flush(); err != nil {
			return err
		}
		if allocatedBytes()-collected > workerGarbage {
			runtime.GC()
			collected = allocatedBytes()
		}
		head, err := r.ReadString('\n')
		if err == io.EOF && head == "" {
			return nil
		}
		if err != nil {
			return err
		}
		format, size, _ := strings.Cut(strings.TrimSpace(head), " ")
		n, err := strconv.Atoi(size)
		if err != nil || n < 0 {
			return fmt.Errorf("malformed request %q", head)
		}
		dot := make([]byte, n)
		if _, err := io.ReadFull(r, dot); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, workerRenderTimeout)
		pic, err := render.Render(ctx, dot, format)
		cancel()
		if err != nil {
			msg := graph.ErrorMessage(err)
			if graph.ErrorCode(err) == graph.EInternal {
				msg = err.Error() // for the parent's log, never shown to users
			}
			fmt.Fprintf(w, "error %s %d\n%s", graph.ErrorCode(err), len(msg), msg)
			continue
		}
		fmt.Fprintf(w, "ok %d\n", len(pic))
		w.Write(pic)
	}
}

// allocatedBytes returns how many bytes this process has allocated on its heap since it started.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
