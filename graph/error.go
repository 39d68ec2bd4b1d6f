package graph

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one HTTP status in the api package and one exit status in the CLI.
const (
	EInvalid        = "invalid"         // the request or data is malformed
	ENotFound       = "not_found"       // a named thing does not exist
	EConflict       = "conflict"        // the request conflicts with the current state
	EUnauthorized   = "unauthorized"    // a valid API key is missing
	ETooLarge       = "too_large"       // a size or count limit was exceeded
	ETimeout        = "timeout"         // the work did not finish within its deadline
	EUnavailable    = "unavailable"     // a dependency (Neo4j) cannot be reached
	ENotImplemented = "not_implemented" // the store in use cannot do this
	EInternal       = "internal"        // a bug or unexpected failure; details are logged, not shown
)

// Error is the one error type whose message is safe to show to users.
// Problems lists every problem found when the error is a validation failure.
type Error struct {
	Code     string
	Message  string
	Problems []Problem
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of the first *Error in its chain, EInternal otherwise,
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err: the message of the first *Error in its chain,
// or a generic text for any other error, whose details must not reach users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Problem is one validation problem, located by file, CSV line or JSON record, and field.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Record  string `json:"record,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// String formats p as "file:line: record.field: message", leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	} else if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	where := p.Record
	if p.Field != "" {
		if where != "" {
			where += "."
		}
		where += p.Field
	}
	if where != "" {
		b.WriteString(where)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}
