package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// TestEncodingFailureIs500: a result that cannot be encoded as JSON (NaN, infinities) answers a
// logged 500 with an error body, never a 200 with an empty body.
func TestEncodingFailureIs500(t *testing.T) {
	var logs bytes.Buffer
	s := api.NewServer(nil)
	s.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	r := gin.New()
	r.GET("/inf", s.Handle(func(*gin.Context) (any, error) { return map[string]float64{"x": math.Inf(1)}, nil }))
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/inf", nil))
	var body api.ErrorBody
	if rec.Code != 500 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error.Code != graph.EInternal {
		t.Fatalf("%d %q", rec.Code, rec.Body.String())
	}
	if !strings.Contains(logs.String(), "unsupported value") {
		t.Fatalf("not logged: %s", logs.String())
	}
}

// TestRequestDefects: requests that used to panic, answer 500 or be accepted wrongly.
func TestRequestDefects(t *testing.T) {
	h, _ := MustServer(t)
	t.Run("ErrOffsetOverflow", func(t *testing.T) {
		rec := do(h, "GET", "/api/v1/nodes?offset=9223372036854775807", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"nodes":[]`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("ErrTruncatedMultipart", func(t *testing.T) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("files", "firms.csv")
		fw.Write([]byte("id,name,state\nfirm:csvco,CSV Co,DE\n"))
		mw.Close()
		cut := body.Bytes()[:body.Len()-20] // the closing boundary is lost
		rec := do(h, "POST", "/api/v1/import", bytes.NewReader(cut), "Content-Type", mw.FormDataContentType(), "X-API-Key", testKey)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":"invalid"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
	t.Run("ErrSaveScenarioUnknownConsumer", func(t *testing.T) {
		sc := `{"commodity": "rare-earths", "consumer": "firm:ghost", "remove": {"states_by_location": ["CN"]}}`
		rec := do(h, "PUT", "/api/v1/scenarios/ghost", strings.NewReader(sc), "X-API-Key", testKey)
		if rec.Code != 404 || !strings.Contains(rec.Body.String(), `unknown consumer`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		if rec := do(h, "GET", "/api/v1/scenarios/ghost", nil); rec.Code != 404 {
			t.Fatalf("saved anyway: %d %s", rec.Code, rec.Body.String())
		}
		if rec := do(h, "POST", "/api/v1/scenarios/run", strings.NewReader(sc)); rec.Code != 404 {
			t.Fatalf("run: %d %s", rec.Code, rec.Body.String())
		}
	})
}

// TestClientDisconnectIsNotAnError: a request whose client went away is logged as such, not as
// an internal error.
func TestClientDisconnectIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	s := api.NewServer(nil)
	s.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	r := gin.New()
	r.GET("/slow", s.Handle(func(c *gin.Context) (any, error) {
		<-c.Request.Context().Done()
		return nil, fmt.Errorf("neo4j: %w", c.Request.Context().Err())
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil).WithContext(ctx))
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "client went away") {
		t.Fatalf("logs: %s", logs.String())
	}
}

// TestReadyWhileWarming: until the server has warmed up (s.Warmed), /readyz answers
// 503 unavailable and says why, while the service answers everything else, pictures included;
// then /readyz answers ready.
func TestReadyWhileWarming(t *testing.T) {
	h, s := MustServer(t)
	var warm atomic.Bool
	s.Warmed = warm.Load
	rec := do(h, "GET", "/readyz", nil)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `"code":"unavailable"`) || !strings.Contains(rec.Body.String(), "warming up") {
		t.Fatalf("readyz while warming: %d %s", rec.Code, rec.Body.String())
	}
	for _, target := range []string{"/healthz", "/ui/ask", "/api/v1/analyses/flow?commodity=rare-earths&consumer=state:JP&as_of=2024",
		"/api/v1/render/flow?commodity=rare-earths&consumer=state:JP&as_of=2024"} {
		if rec := do(h, "GET", target, nil); rec.Code != 200 {
			t.Errorf("%s while warming: %d %s", target, rec.Code, rec.Body.String())
		}
	}
	warm.Store(true)
	if rec := do(h, "GET", "/readyz", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"ready"`) {
		t.Fatalf("readyz once warm: %d %s", rec.Code, rec.Body.String())
	}
}
