package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// EMethodNotAllowed is the code of a request whose method the path does not take; the answer's
// Allow header lists those it does.
const EMethodNotAllowed = "method_not_allowed"

// statusOf is the one place that decides an HTTP status: from the error code.
var statusOf = map[string]int{
	graph.EInvalid:        http.StatusBadRequest,
	graph.EUnauthorized:   http.StatusUnauthorized,
	EForbidden:            http.StatusForbidden,
	graph.ENotFound:       http.StatusNotFound,
	EMethodNotAllowed:     http.StatusMethodNotAllowed,
	graph.EConflict:       http.StatusConflict,
	graph.ETooLarge:       http.StatusRequestEntityTooLarge,
	ETooManyRequests:      http.StatusTooManyRequests,
	graph.ENotImplemented: http.StatusNotImplemented,
	graph.EUnavailable:    http.StatusServiceUnavailable,
	graph.ETimeout:        http.StatusServiceUnavailable,
	graph.EInternal:       http.StatusInternalServerError,
}

// StatusClientClosedRequest is the status logged for a request whose client disconnected before
// the answer (nginx's 499); the client never sees it.
const StatusClientClosedRequest = 499

// ErrorBody is the JSON shape of every error response: {"error": {...}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail carries a stable code, a message safe for users and, for invalid data, every problem.
type ErrorDetail struct {
	Code     string          `json:"code"`
	Message  string          `json:"message"`
	Problems []graph.Problem `json:"problems,omitempty"`
}

func (s *Server) writeError(c *gin.Context, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = graph.Errorf(graph.ETooLarge, "the request body is larger than %d bytes", mbe.Limit)
	}
	if ctx := c.Request.Context(); ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// The client went away: there is no one to answer, and nothing went wrong here.
		s.logFor(c).Info("client went away", "path", c.Request.URL.Path, "err", err)
		c.AbortWithStatus(StatusClientClosedRequest)
		return
	}
	code := graph.ErrorCode(err)
	if code == graph.EInternal {
		s.logFor(c).Error("internal error", "path", c.Request.URL.Path, "err", err)
	}
	detail := ErrorDetail{Code: code, Message: graph.ErrorMessage(err)}
	var ge *graph.Error
	if errors.As(err, &ge) {
		detail.Problems = ge.Problems
	}
	if code == graph.EUnavailable || code == graph.ETimeout {
		c.Header("Retry-After", "5")
	}
	c.JSON(statusOf[code], ErrorBody{Error: detail})
}

// download is a non-JSON result: a file to send as it is.
type download struct {
	contentType, filename string
	data                  []byte
}

// handle adapts a handler that returns a result or an error: errors go through writeError,
// downloads are sent as they are and every other result as JSON with status 200, both through
// send (ETag and 304 on cached reads, gzip when accepted). The JSON is
// encoded before anything is written, so a result that cannot be encoded is a logged 500 with an
// error body, not a 200 with an empty one.
func (s *Server) handle(f func(*gin.Context) (any, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := f(c)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if d, ok := v.(download); ok {
			if d.filename != "" {
				c.Header("Content-Disposition", `attachment; filename="`+d.filename+`"`)
			}
			s.send(c, d.contentType, d.data)
			return
		}
		data, err := json.Marshal(v)
		if err != nil {
			s.writeError(c, fmt.Errorf("encoding the response: %w", err))
			return
		}
		s.send(c, "application/json; charset=utf-8", data)
	}
}
