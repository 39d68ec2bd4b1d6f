package graph

import (
	"fmt"
	"math"
	"strconv"
)

// How results write numbers: amounts in tonnes a year, and every figure rounded to six decimals.

// Amount is a flow figure in tonnes a year; null in JSON when unbounded (some path has neither
// a capacity nor a volume).
type Amount float64

// MarshalJSON writes an unbounded amount as null.
func (a Amount) MarshalJSON() ([]byte, error) {
	if math.IsInf(float64(a), 0) || math.IsNaN(float64(a)) {
		return []byte("null"), nil
	}
	return []byte(formatFloat(round6(float64(a)))), nil
}

// round6 rounds a result figure to six decimals.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// formatFloat writes v in the shortest form that reads back exactly; ±Inf and NaN as Go spells them.
func formatFloat(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return fmt.Sprint(v)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
