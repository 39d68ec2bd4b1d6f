package cypher

import (
	"fmt"
	"reflect"
	"testing"
)

// TestPrepareRowsInOrderAndAgain checks that prepare hands out each batch's rows in order, and the
// same rows again when a retried transaction starts over, and that stop ends it midway.
func TestPrepareRowsInOrderAndAgain(t *testing.T) {
	var batches []batch
	for _, n := range []int{3, 1, 2, 4} {
		batches = append(batches, part{n: n, row: func(i int) any { return fmt.Sprintf("%d/%d", n, i) }}.batches()...)
	}
	rows, stop := prepare(batches)
	defer stop()
	for attempt := range 2 {
		for i, b := range batches {
			if got, want := rows(i), b.rows(); !reflect.DeepEqual(got, want) {
				t.Fatalf("attempt %d, batch %d: rows %v, want %v", attempt, i, got, want)
			}
			if attempt == 0 && i == 1 {
				break // the transaction failed here: the retry starts again at batch 0
			}
		}
	}
	rows, stop2 := prepare(batches)
	if got := rows(0); !reflect.DeepEqual(got, batches[0].rows()) {
		t.Fatalf("rows %v, want %v", got, batches[0].rows())
	}
	stop2() // the goroutine, waiting to hand over batch 1, ends
}
