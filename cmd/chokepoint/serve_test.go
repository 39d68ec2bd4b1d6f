package main_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to write from the process's copier while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestServeAccess runs serve with keys from the environment and from a file, CORS and a rate
// limit, as an operator would configure them, and checks each from outside; the logs (at DEBUG)
// never hold a key.
func TestServeAccess(t *testing.T) {
	keysFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keysFile, []byte("# CI\nwkey-secret-1:write  # deploys\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--api-keys-file", keysFile,
		"--cors-origins", "https://app.example", "--rate-limit", "1000/s", "--log-level", "debug")
	cmd.Env = append(withoutNeo4j(os.Environ()), "CHOKEPOINT_API_KEYS=rkey-secret-1:read")
	var logs lockedBuffer
	cmd.Stderr = &logs
	url := startServe(t, cmd)
	sc := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`
	for _, tc := range []struct {
		name, method, path, key, origin string
		status                          int
	}{
		{"ErrReadNoKey", "GET", "/api/v1/commodities", "", "", 401},
		{"OKRead", "GET", "/api/v1/commodities", "rkey-secret-1", "", 200},
		{"OKProbe", "GET", "/healthz", "", "", 200},
		{"ErrWriteReadKey", "PUT", "/api/v1/scenarios/x", "rkey-secret-1", "", 403},
		{"OKWrite", "PUT", "/api/v1/scenarios/x", "wkey-secret-1", "", 200},
		{"OKPreflight", "OPTIONS", "/api/v1/scenarios/x", "", "https://app.example", 204},
		{"ErrPreflight", "OPTIONS", "/api/v1/scenarios/x", "", "https://evil.example", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, url+tc.path, strings.NewReader(sc))
			if tc.key != "" {
				req.Header.Set("X-API-Key", tc.key)
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
				req.Header.Set("Access-Control-Request-Method", "PUT")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.status)
			}
		})
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if l := logs.String(); !strings.Contains(l, `"status":403`) || strings.Contains(l, "secret-1") {
		t.Fatalf("logs without the requests, or with a key:\n%s", l)
	}
}
