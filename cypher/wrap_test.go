package cypher

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestWrap checks how driver errors reach users, including errors the driver keeps inside its
// retry limit without wrapping them.
func TestWrap(t *testing.T) {
	s := &Store{cfg: Config{URI: "bolt://db:7687"}}
	outOfMemory := &neo4j.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError", Msg: "limit reached"}
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"OutOfTransactionMemory", outOfMemory, graph.ETooLarge},
		{"OutOfMemoryAfterRetries", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{outOfMemory}}, graph.ETooLarge},
		{"RetriesExhausted", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{errors.New("connection reset")}}, graph.EUnavailable},
		{"TimedOut", &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"}, graph.ETimeout},
		{"Deadline", fmt.Errorf("run: %w", context.DeadlineExceeded), graph.ETimeout},
		{"Auth", &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized"}, graph.EUnavailable},
		{"Other", &neo4j.Neo4jError{Code: "Neo.DatabaseError.General.UnknownError"}, graph.EInternal},
		{"Syntax", &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "bad"}, graph.EInvalid},
		{"Procedure", &neo4j.Neo4jError{Code: "Neo.ClientError.Procedure.ProcedureNotFound", Msg: "no"}, graph.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := graph.ErrorCode(s.wrap(tc.err, 0)); got != tc.code {
				t.Fatalf("%v: code %q, want %q", s.wrap(tc.err, 0), got, tc.code)
			}
		})
	}
}

// TestWrapTimeLimit: a transaction stopped at its time limit names the limit when the call set one.
func TestWrapTimeLimit(t *testing.T) {
	s := &Store{cfg: Config{URI: "bolt://db:7687"}}
	err := &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOut"}
	if got := s.wrap(err, 0).Error(); got != "the query was stopped at its time limit" {
		t.Errorf("no limit: %q", got)
	}
	if got := s.wrap(err, 30*time.Second).Error(); got != "the query was stopped at its time limit of 30s" {
		t.Errorf("30s: %q", got)
	}
}

// TestConfigFor: a command that needs Neo4j without NEO4J_URI gets one error kind, naming what
// needs it and what to set.
func TestConfigFor(t *testing.T) {
	t.Setenv("NEO4J_URI", "")
	for _, need := range []string{"import writes to Neo4j", "running Cypher needs Neo4j"} {
		_, err := ConfigFor(need)
		if graph.ErrorCode(err) != graph.ENotImplemented || !strings.HasPrefix(err.Error(), need+", and NEO4J_URI is not set: set NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD") {
			t.Errorf("%q: %v (%s)", need, err, graph.ErrorCode(err))
		}
	}
	t.Setenv("NEO4J_URI", "bolt://db:7687")
	if cfg, err := ConfigFor("import writes to Neo4j"); err != nil || cfg.URI != "bolt://db:7687" || cfg.Username != "neo4j" {
		t.Fatalf("%+v %v", cfg, err)
	}
}
