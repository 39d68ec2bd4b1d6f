// Command loadtest drives a running chokepoint service on loopback with a realistic mix of
// requests — node lookups and searches, chokepoints, dependency, routes, a diagram, a Cypher
// report — from a fixed number of clients for a fixed time, optionally stopping Neo4j in the
// middle with a command of the caller's, and prints throughput, latency percentiles by kind and
// phase, answers by status, and the server's memory before and after. make loadtest runs it
// against a service of its own on a Neo4j of its own (scripts/loadtest).
//
//	loadtest --url http://127.0.0.1:18080 --duration 60s --clients 8 \
//	  --outage-at 15s --outage 10s --stop-cmd 'scripts/neo4j stop' --start-cmd 'scripts/neo4j start'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Bounds on what one run may ask for.
const (
	maxClients  = 64
	maxDuration = 10 * time.Minute
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:])
	if err == nil {
		var rep *report
		if rep, err = run(ctx, cfg); err == nil {
			rep.print(os.Stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is what a run does.
type config struct {
	base      string
	duration  time.Duration
	clients   int
	warmup    time.Duration // at first, not counted with the rest
	outageAt  time.Duration // when the stop command runs
	outage    time.Duration // how long Neo4j stays stopped once the stop command returned (0: no outage)
	after     time.Duration // the least the run goes on after the start command returned
	stopCmd   string
	startCmd  string
	timeout   time.Duration // of one request
	reportRun bool          // include Cypher report runs (they need Neo4j)
	wait      time.Duration // how long to wait for /readyz before starting
	backoff   time.Duration // the most a client waits as Retry-After asks
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&c.base, "url", "http://127.0.0.1:8080", "base URL of the service; loopback only")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "how long to drive it (at most 10m)")
	fs.IntVar(&c.clients, "clients", 8, fmt.Sprintf("concurrent clients, each one request at a time (1..%d)", maxClients))
	fs.DurationVar(&c.warmup, "warmup", 5*time.Second, "the first part of the run, reported apart (a cold server and database)")
	fs.DurationVar(&c.outageAt, "outage-at", 20*time.Second, "when to run --stop-cmd")
	fs.DurationVar(&c.after, "after", 15*time.Second, "with --outage: go on at least this long after --start-cmd returned, beyond --duration if need be")
	fs.DurationVar(&c.outage, "outage", 0, "how long Neo4j stays stopped before --start-cmd runs (0: no outage)")
	fs.StringVar(&c.stopCmd, "stop-cmd", "", "shell command that stops Neo4j (with --outage)")
	fs.StringVar(&c.startCmd, "start-cmd", "", "shell command that starts Neo4j again and returns once it is up")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up on one request after this long")
	fs.BoolVar(&c.reportRun, "reports", true, "include Cypher report runs in the mix (they need Neo4j)")
	fs.DurationVar(&c.backoff, "max-backoff", time.Second, "after an answer with Retry-After (503, 429), a client waits as it asks, up to this long")
	fs.DurationVar(&c.wait, "wait", 0, "wait up to this long for the service's /readyz to answer 200 first")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.clients < 1 || c.clients > maxClients:
		return c, fmt.Errorf("--clients must be 1..%d", maxClients)
	case c.duration <= 0 || c.duration > maxDuration:
		return c, fmt.Errorf("--duration must be over 0 and at most %s", maxDuration)
	case c.outage < 0 || c.outageAt < 0 || c.after < 0 || c.warmup < 0:
		return c, errors.New("--warmup, --outage, --outage-at and --after must not be negative")
	case c.outage > 0 && c.outageAt < c.warmup:
		return c, errors.New("the outage must begin after the warm-up")
	case c.outage > 0 && (c.stopCmd == "" || c.startCmd == ""):
		return c, errors.New("--outage needs --stop-cmd and --start-cmd")
	case c.outage > 0 && c.outageAt+c.outage >= c.duration:
		return c, errors.New("the outage must end before --duration")
	}
	c.base = strings.TrimSuffix(c.base, "/")
	return c, checkLoopback(c.base)
}

// checkLoopback refuses a URL whose host is not a loopback address: the load goes nowhere else.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url %q: want http://HOST:PORT", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--url %q: the load test drives loopback addresses only (127.0.0.1, ::1, localhost)", base)
	}
	return nil
}

// phase names when a request was sent, relative to the warm-up and the outage.
type phase int

const (
	phaseWarmup   phase = iota // the first --warmup
	phaseUp                    // then until the outage, or to the end of a run without one
	phaseStopping              // while the stop command runs
	phaseDown                  // from its return to the start command
	phaseStarting              // while the start command runs
	phaseAfter                 // after it returned
	phaseCount
)

var phaseNames = [phaseCount]string{"warm-up", "up", "stopping", "down", "starting", "after"}

// run drives the service and returns what it measured.
func run(ctx context.Context, c config) (*report, error) {
	client := &http.Client{Timeout: c.timeout, Transport: &http.Transport{MaxIdleConnsPerHost: c.clients}}
	if err := waitReady(ctx, client, c.base, c.wait); err != nil {
		return nil, err
	}
	mix, err := newMix(ctx, client, c.base, c.reportRun)
	if err != nil {
		return nil, err
	}
	rep := newReport(c)
	if rep.memBefore, err = scrapeMemory(ctx, client, c.base); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, maxDuration)
	defer cancel()
	start := time.Now()
	rep.start = start
	outage := make(chan error, 1)
	if c.outage > 0 {
		go func() {
			err := rep.runOutage(ctx, c)
			outage <- err
			if err == nil {
				time.Sleep(c.after)
			}
			<-time.After(time.Until(start.Add(c.duration)))
			cancel()
		}()
	} else {
		outage <- nil
		go func() {
			<-time.After(c.duration)
			cancel()
		}()
	}
	results := make(chan sample, 1024)
	done := make(chan struct{})
	go func() {
		rep.collect(results)
		close(done)
	}()
	clientsDone := make(chan struct{}, c.clients)
	for i := range c.clients {
		go func() {
			defer func() { clientsDone <- struct{}{} }()
			pick := newPicker(int64(i + 1))
			for ctx.Err() == nil {
				s := send(ctx, client, c.base, mix.next(pick), rep.phaseAt)
				results <- s
				select { // as a well-behaved client does
				case <-time.After(min(s.retryAfter, c.backoff)):
				case <-ctx.Done():
				}
			}
		}()
	}
	sampled := make(chan struct{})
	go func() {
		rep.sampleMemory(ctx, client, c.base)
		close(sampled)
	}()
	for range c.clients {
		<-clientsDone
	}
	<-sampled
	close(results)
	<-done
	rep.elapsed = time.Since(start)
	if err := <-outage; err != nil {
		return nil, err
	}
	// The memory after the run, once the requests in flight have been answered.
	if rep.memAfter, err = scrapeMemory(context.Background(), client, c.base); err != nil {
		return nil, err
	}
	return rep, nil
}

// waitReady polls /readyz until it answers 200, for up to wait.
func waitReady(ctx context.Context, client *http.Client, base string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		req, err := http.NewRequestWithContext(ctx, "GET", base+"/readyz", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /readyz: %s", resp.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the service at %s is not ready: %w", base, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// runOutage stops Neo4j at outageAt, keeps it stopped for outage, and starts it again, recording
// the moments the phases change.
func (r *report) runOutage(ctx context.Context, c config) error {
	select {
	case <-time.After(c.outageAt):
	case <-ctx.Done():
		return nil
	}
	r.mark(&r.stopBegan)
	if err := shell(c.stopCmd); err != nil {
		return fmt.Errorf("--stop-cmd: %w", err)
	}
	r.mark(&r.stopped)
	time.Sleep(c.outage)
	r.mark(&r.startBegan)
	if err := shell(c.startCmd); err != nil {
		return fmt.Errorf("--start-cmd: %w", err)
	}
	r.mark(&r.started)
	return nil
}

// shell runs a command line, its output to stderr.
func shell(cmdline string) error {
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// send makes one request and times it.
func send(ctx context.Context, client *http.Client, base string, q request, phaseAt func(time.Time) phase) sample {
	req, err := http.NewRequestWithContext(ctx, q.method, base+q.path, strings.NewReader(q.body))
	if err != nil {
		panic(err) // the mix builds only valid requests
	}
	if q.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	begin := time.Now()
	s := sample{kind: q.kind, phase: phaseAt(begin), sent: begin}
	resp, err := client.Do(req)
	if err == nil {
		s.status = resp.StatusCode
		if s.status >= 400 { // keep the start of an error's message, to report
			var head [300]byte
			n, _ := io.ReadFull(resp.Body, head[:])
			s.message = string(head[:n])
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs > 0 {
			s.retryAfter = time.Duration(secs) * time.Second
		}
	}
	s.took = time.Since(begin)
	switch {
	case ctx.Err() != nil:
		s.cut = true // the run ended while it was in flight: not counted
	case err != nil:
		s.status = statusTransport
	}
	return s
}
