package api

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// ETooManyRequests is the code of a request over its client's rate limit; Retry-After says when
// to try again.
const ETooManyRequests = "too_many_requests"

// DefaultMaxRateClients bounds how many clients a RateLimiter remembers at once.
const DefaultMaxRateClients = 100_000

// RateLimiter is a token bucket per client: each holds up to burst tokens, refilled at rate a
// second, and a request takes one. A client idle long enough for its bucket to be full again is
// forgotten (a new bucket is the same), so memory holds only recent clients, and never more than
// MaxClients. Safe for concurrent use.
type RateLimiter struct {
	// MaxClients bounds the clients remembered (0: DefaultMaxRateClients). When every remembered
	// client is active and a new one comes, an arbitrary one is forgotten: it starts again with a
	// full bucket.
	MaxClients int

	rate, burst float64
	now         func() time.Time
	// idle is how long a bucket takes to fill from empty: a client idle that long is forgotten.
	idle time.Duration

	mu        sync.Mutex
	clients   map[string]*bucket
	lastSweep time.Time
}

// bucket is one client's tokens as of last.
type bucket struct {
	tokens float64
	last   time.Time
}

// minRate is the lowest rate a RateLimiter takes (one request in about 17 minutes), so that every
// wait it computes fits a time.Duration.
const minRate = 1e-3

// maxIdleSeconds bounds how long a client is remembered after its last request, whatever the rate
// and burst (a bucket still refilling when forgotten starts again full).
const maxIdleSeconds = 7 * 24 * 3600

// NewRateLimiter returns a limiter of rate requests a second per client (at least minRate) with
// bursts of up to burst (at least 1), reading the time from now (time.Now when nil; tests pass
// their own clock).
func NewRateLimiter(rate float64, burst int, now func() time.Time) *RateLimiter {
	if now == nil {
		now = time.Now
	}
	if !(rate >= minRate) {
		rate = minRate
	}
	b := float64(max(burst, 1))
	return &RateLimiter{rate: rate, burst: b, now: now, clients: map[string]*bucket{},
		idle: time.Duration(math.Ceil(min(b/rate, maxIdleSeconds) * float64(time.Second)))}
}

// Allow takes a token from client's bucket. When there is none it reports false and how long
// until there will be one.
func (l *RateLimiter) Allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.clients[client]
	if !ok {
		l.makeRoom(now)
		b = &bucket{tokens: l.burst, last: now}
		l.clients[client] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.rate)
	}
	b.last = now
	if now.Sub(l.lastSweep) >= l.idle {
		l.sweep(now)
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
}

// makeRoom keeps the table under MaxClients before a new client is added: first the idle clients
// go, then, if every client is active, an arbitrary one.
func (l *RateLimiter) makeRoom(now time.Time) {
	limit := l.MaxClients
	if limit <= 0 {
		limit = DefaultMaxRateClients
	}
	if len(l.clients) < limit {
		return
	}
	l.sweep(now)
	for client := range l.clients {
		if len(l.clients) < limit {
			break
		}
		delete(l.clients, client)
	}
}

// sweep forgets the clients idle for long enough that their buckets are full again.
func (l *RateLimiter) sweep(now time.Time) {
	l.lastSweep = now
	for client, b := range l.clients {
		if now.Sub(b.last) >= l.idle {
			delete(l.clients, client)
		}
	}
}

// Len returns the number of clients remembered.
func (l *RateLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// ParseRate parses a rate of --rate-limit: "N/s" or "N/m" (N > 0, a decimal), in requests a
// second.
func ParseRate(s string) (float64, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	per := map[string]float64{"s": 1, "m": 60}[unit]
	if !ok || per == 0 {
		return 0, fmt.Errorf("%q: want N/s or N/m", s)
	}
	v, err := strconv.ParseFloat(n, 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q: N must be a number above 0", s)
	}
	return v / per, nil
}

// limitRate refuses a request over its client's rate limit (RateLimiter, keyed on the client
// address as in the access logs) with 429 and Retry-After in whole seconds. The probes and
// /metrics, and the web page's files, are exempt.
func (s *Server) limitRate(c *gin.Context) {
	if s.RateLimiter == nil || probePaths[c.Request.URL.Path] || isPage(c.Request.URL.Path) {
		c.Next()
		return
	}
	ok, wait := s.RateLimiter.Allow(c.ClientIP())
	if ok {
		c.Next()
		return
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Header("Retry-After", strconv.Itoa(secs))
	s.writeError(c, graph.Errorf(ETooManyRequests, "too many requests from this client: try again in %d s", secs))
	c.Abort()
}
