package api_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/api"
)

// TestParseAPIKeys: the environment form and the file form, and their mistakes (never quoting a
// key in the message).
func TestParseAPIKeys(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		keys, err := api.ParseAPIKeys(" key1:read, key2:write ,")
		if err != nil {
			t.Fatal(err)
		}
		want := []api.APIKey{{Key: "key1", Scope: api.ScopeRead}, {Key: "key2", Scope: api.ScopeWrite}}
		if len(keys) != 2 || keys[0] != want[0] || keys[1] != want[1] {
			t.Fatalf("%v", keys)
		}
	})
	t.Run("OKFile", func(t *testing.T) {
		keys, err := api.ReadAPIKeys(strings.NewReader("# operators\nkey1:read\n\n  key2:write  # ci\n"))
		if err != nil || len(keys) != 2 || keys[1] != (api.APIKey{Key: "key2", Scope: api.ScopeWrite}) {
			t.Fatalf("%v %v", keys, err)
		}
	})
	for _, bad := range []string{"secretkey", "secretkey:admin", ":read", "secretkey:"} {
		t.Run("Err "+bad, func(t *testing.T) {
			_, err := api.ParseAPIKeys(bad)
			if err == nil || strings.Contains(err.Error(), "secretkey") {
				t.Fatalf("%v", err)
			}
		})
	}
	t.Run("ErrFileLine", func(t *testing.T) {
		_, err := api.ReadAPIKeys(strings.NewReader("key1:read\nsecretkey:root\n"))
		if err == nil || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "secretkey") {
			t.Fatalf("%v", err)
		}
	})
}

// accessServer returns a router over the small fixture with the given keys and no legacy key.
func accessServer(t *testing.T, keys []api.APIKey, legacy string) (http.Handler, *bytes.Buffer) {
	t.Helper()
	_, s := MustServer(t)
	var logs bytes.Buffer
	s.APIKey, s.APIKeys = legacy, keys
	s.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return s.Handler(), &logs
}

// TestAccess: reads are open unless a read key is configured; writes need a write key; a
// missing or unknown key is 401, a read key where write is needed 403; keys are never logged.
func TestAccess(t *testing.T) {
	scenario := `{"commodity": "rare-earths", "consumer": "state:JP", "supplier": "CN", "as_of": 2024, "remove": {"states_by_location": ["CN"]}}`
	type call struct {
		name, method, target, key string
		status                    int
		code                      string
	}
	run := func(t *testing.T, h http.Handler, logs *bytes.Buffer, calls []call) {
		for _, tc := range calls {
			t.Run(tc.name, func(t *testing.T) {
				var body io.Reader
				if tc.method == "PUT" {
					body = strings.NewReader(scenario)
				}
				var header []string
				if tc.key != "" {
					header = []string{"X-API-Key", tc.key}
				}
				rec := do(h, tc.method, tc.target, body, header...)
				if rec.Code != tc.status || (tc.code != "" && !strings.Contains(rec.Body.String(), `"code":"`+tc.code+`"`)) {
					t.Fatalf("%d %s, want %d %s", rec.Code, rec.Body.String(), tc.status, tc.code)
				}
			})
		}
		if strings.Contains(logs.String(), "rkey-secret") || strings.Contains(logs.String(), "wkey-secret") {
			t.Fatalf("a key was logged: %s", logs.String())
		}
	}
	t.Run("ReadKeyConfigured", func(t *testing.T) {
		h, logs := accessServer(t, []api.APIKey{{Key: "rkey-secret", Scope: api.ScopeRead}, {Key: "wkey-secret", Scope: api.ScopeWrite}}, "")
		run(t, h, logs, []call{
			{"ErrReadNoKey", "GET", "/api/v1/commodities", "", 401, "unauthorized"},
			{"ErrReadUnknownKey", "GET", "/api/v1/commodities", "nope", 401, "unauthorized"},
			{"ErrMetricsNoKey", "GET", "/metrics", "", 401, "unauthorized"},
			{"OKRead", "GET", "/api/v1/commodities", "rkey-secret", 200, ""},
			{"OKReadWithWriteKey", "GET", "/api/v1/nodes?limit=1", "wkey-secret", 200, ""},
			{"OKProbe", "GET", "/healthz", "", 200, ""},
			{"OKReadyProbe", "GET", "/readyz", "", 200, ""},
			{"ErrWriteNoKey", "PUT", "/api/v1/scenarios/x", "", 401, "unauthorized"},
			{"ErrWriteReadKey", "PUT", "/api/v1/scenarios/x", "rkey-secret", 403, "forbidden"},
			{"ErrDeleteReadKey", "DELETE", "/api/v1/scenarios/x", "rkey-secret", 403, "forbidden"},
			{"ErrImportReadKey", "POST", "/api/v1/import", "rkey-secret", 403, "forbidden"},
			{"ErrCypherReadKey", "POST", "/api/v1/cypher", "rkey-secret", 403, "forbidden"},
			{"OKWrite", "PUT", "/api/v1/scenarios/x", "wkey-secret", 200, ""},
			{"OKDelete", "DELETE", "/api/v1/scenarios/x", "wkey-secret", 200, ""},
		})
	})
	t.Run("OnlyWriteKeys", func(t *testing.T) {
		h, logs := accessServer(t, []api.APIKey{{Key: "wkey-secret", Scope: api.ScopeWrite}}, "")
		run(t, h, logs, []call{
			{"OKReadOpen", "GET", "/api/v1/commodities", "", 200, ""},
			{"OKReadOpenAnyKey", "GET", "/api/v1/commodities", "nope", 200, ""},
			{"ErrWriteNoKey", "PUT", "/api/v1/scenarios/x", "", 401, "unauthorized"},
			{"ErrWriteUnknownKey", "PUT", "/api/v1/scenarios/x", "nope", 401, "unauthorized"},
			{"OKWrite", "PUT", "/api/v1/scenarios/x", "wkey-secret", 200, ""},
		})
	})
	t.Run("LegacyKeyIsAWriteKey", func(t *testing.T) {
		h, logs := accessServer(t, []api.APIKey{{Key: "rkey-secret", Scope: api.ScopeRead}}, "wkey-secret")
		run(t, h, logs, []call{
			{"OKWrite", "PUT", "/api/v1/scenarios/x", "wkey-secret", 200, ""},
			{"OKRead", "GET", "/api/v1/scenarios", "wkey-secret", 200, ""},
			{"ErrWriteReadKey", "PUT", "/api/v1/scenarios/x", "rkey-secret", 403, "forbidden"},
		})
	})
	t.Run("NoKeys", func(t *testing.T) {
		h, logs := accessServer(t, nil, "")
		run(t, h, logs, []call{
			{"OKRead", "GET", "/api/v1/commodities", "", 200, ""},
			{"ErrWrite", "PUT", "/api/v1/scenarios/x", "anything", 401, "unauthorized"},
		})
	})
	t.Run("Bearer", func(t *testing.T) {
		h, _ := accessServer(t, []api.APIKey{{Key: "rkey-secret", Scope: api.ScopeRead}}, "")
		if rec := do(h, "GET", "/api/v1/commodities", nil, "Authorization", "bearer rkey-secret"); rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
}
