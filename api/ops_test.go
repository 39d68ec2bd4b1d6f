package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
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
	gin.SetMode(gin.ReleaseMode)
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
