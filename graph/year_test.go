package graph_test

import (
	"testing"

	"github.com/chokepoint/chokepoint/graph"
)

func TestCheckYear(t *testing.T) {
	for _, y := range []int{graph.MinYear, 2025, graph.MaxYear} {
		if err := graph.CheckYear("as_of", y); err != nil {
			t.Errorf("CheckYear(%d) = %v, want nil", y, err)
		}
	}
	for _, tc := range []struct {
		field string
		year  int
		want  string
	}{
		{"as_of", graph.MinYear - 1, "as_of 1799 is outside 1800..2100"},
		{"--as-of", 99999, "--as-of 99999 is outside 1800..2100"},
	} {
		err := graph.CheckYear(tc.field, tc.year)
		if err == nil || err.Error() != tc.want || graph.ErrorCode(err) != graph.EInvalid {
			t.Errorf("CheckYear(%q, %d) = %v (%s), want %q (%s)", tc.field, tc.year, err, graph.ErrorCode(err), tc.want, graph.EInvalid)
		}
	}
}
