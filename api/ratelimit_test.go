package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/api"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{{"10/s", 10, true}, {"0.5/s", 0.5, true}, {"120/m", 2, true}, {"10", 0, false}, {"0/s", 0, false}, {"-1/s", 0, false}, {"x/s", 0, false}, {"5/h", 0, false}} {
		got, err := api.ParseRate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: %v %v", tc.in, got, err)
		}
	}
}

// TestRateLimiter: a bucket per client, refilled at the rate up to the burst, with the wait until
// the next token; idle clients are forgotten and the table never grows past its bound.
func TestRateLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	l := api.NewRateLimiter(2, 3, clock.Now) // 2/s, burst 3
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d refused within the burst", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("4th: %v %v, want refused with 500ms", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client shares the bucket")
	}
	clock.Advance(500 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("not refilled")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("refilled too much")
	}
	// Idle clients (full buckets again) are swept away.
	clock.Advance(10 * time.Second)
	l.Allow("c")
	if n := l.Len(); n != 1 {
		t.Fatalf("%d clients kept, want 1", n)
	}
	// The table is bounded even when every client is active.
	small := api.NewRateLimiter(1, 1, clock.Now)
	small.MaxClients = 100
	for i := 0; i < 1000; i++ {
		small.Allow(strings.Repeat("x", i%7) + string(rune('A'+i%26)) + time.Duration(i).String())
	}
	if n := small.Len(); n > 100 {
		t.Fatalf("%d clients kept, want at most 100", n)
	}
}

// TestRateLimit: over the limit is 429 too_many_requests with Retry-After; the probes are exempt;
// clients are told apart by address.
func TestRateLimit(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	_, s := MustServer(t)
	s.RateLimiter = api.NewRateLimiter(1, 2, clock.Now)
	h := s.Handler()
	get := func(target, addr string) (int, string, string) {
		rec := doFrom(h, "GET", target, addr)
		return rec.Code, rec.Header().Get("Retry-After"), rec.Body.String()
	}
	for i := 0; i < 2; i++ {
		if code, _, body := get("/api/v1/commodities", "192.0.2.1:1000"); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	code, retry, body := get("/api/v1/commodities", "192.0.2.1:1001")
	if code != 429 || retry != "1" || !strings.Contains(body, `"code":"too_many_requests"`) {
		t.Fatalf("%d Retry-After %q %s", code, retry, body)
	}
	for _, probe := range []string{"/healthz", "/readyz", "/metrics"} {
		if code, _, body := get(probe, "192.0.2.1:1002"); code != 200 {
			t.Fatalf("%s: %d %s", probe, code, body)
		}
	}
	if code, _, _ := get("/api/v1/commodities", "192.0.2.2:1000"); code != 200 {
		t.Fatalf("another client: %d", code)
	}
	clock.Advance(time.Second)
	if code, _, _ := get("/api/v1/commodities", "192.0.2.1:1003"); code != 200 {
		t.Fatalf("after a second: %d", code)
	}
}

// doFrom is do from a client address.
func doFrom(h http.Handler, method, target, addr string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
