package cyphertest

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
)

// Proxy modes.
const (
	Pass   = ""       // forward every byte
	Stall  = "stall"  // hold every byte, as a stopped (kill -STOP) server does
	Refuse = "refuse" // close every connection at once, as a dead server does
)

// Proxy forwards TCP connections from a loopback port to the test Neo4j, so that a test can take
// Neo4j away from a store (Stall, Refuse) and give it back (Pass). It counts the connections it
// accepted.
type Proxy struct {
	target string
	ln     net.Listener
	mu     sync.Mutex
	mode   string
	conns  []net.Conn
	accept int
}

// OpenViaProxy opens a Store on the test database, as it is, through a new Proxy; a timeout
// above 0 sets the store's per-call deadline. Both are closed when tb ends.
func OpenViaProxy(tb testing.TB, timeout time.Duration) (*cypher.Store, *Proxy) {
	tb.Helper()
	cfg := Config(tb)
	u, err := url.Parse(cfg.URI)
	if err != nil {
		tb.Fatal(err)
	}
	p := startProxy(tb, u.Host)
	cfg.URI = u.Scheme + "://" + p.ln.Addr().String()
	if timeout > 0 {
		cfg.Timeout = timeout
	}
	s, err := cypher.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	return s, p
}

func startProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{target: target, ln: ln}
	tb.Cleanup(func() { ln.Close(); p.Set(Refuse) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.accept++
			mode := p.mode
			p.mu.Unlock()
			if mode == Refuse {
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go p.pipe(up, c)
			go p.pipe(c, up)
		}
	}()
	return p
}

// pipe copies src to dst, holding the bytes while the proxy stalls.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		for p.get() == Stall {
			time.Sleep(10 * time.Millisecond)
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				src.Close()
			}
			return
		}
	}
}

func (p *Proxy) get() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode
}

// Set changes the mode (Pass, Stall or Refuse); Refuse also closes every open connection.
func (p *Proxy) Set(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
	if mode == Refuse {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// Accepted returns the number of connections the proxy accepted.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accept
}
