package cypher

import (
	"context"
	"errors"
	"fmt"
	"testing"

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
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := graph.ErrorCode(s.wrap(tc.err)); got != tc.code {
				t.Fatalf("%v: code %q, want %q", s.wrap(tc.err), got, tc.code)
			}
		})
	}
}
