package graph

import (
	"math"
	"testing"
)

// TestLookThrough solves a ring of three owners at share s, node 0 fixed at 1 and owning node 1
// wholly: v1 = 1 + s·v3, v2 = s·v1, v3 = s·v2, so v1 = 1/(1 − s³).
func TestLookThrough(t *testing.T) {
	ring := func(s float64) ([]int, [][]term, [][]entry) {
		terms := [][]term{nil, {{0, 1}, {3, s}}, {{1, s}}, {{2, s}}}
		val := [][]entry{{{0, 1}}, nil, nil, nil}
		return []int{1, 2, 3}, terms, val
	}
	order, terms, val := ring(0.9)
	if !lookThrough(order, terms, make([][]entry, 4), val, 1) {
		t.Fatal("not converged")
	}
	want := 1 / (1 - 0.729)
	for i, w := range []float64{want, 0.9 * want, 0.81 * want} {
		if got := val[i+1][0].val; math.Abs(got-w) > 1e-9*w {
			t.Errorf("v%d = %v, want %v", i+1, got, w)
		}
	}
	// A ring that holds nearly all of its members converges more slowly than the bound allows.
	order, terms, val = ring(1 - 1e-7)
	if lookThrough(order, terms, make([][]entry, 4), val, 1) {
		t.Fatal("converged")
	}
	// Vector values: node 2 is held half by node 0 (key 0) and half by node 1 (key 1), with a
	// base of 0.25 on key 1.
	val = [][]entry{{{0, 1}}, {{1, 1}}, nil}
	terms = [][]term{nil, nil, {{0, 0.5}, {1, 0.5}}}
	base := [][]entry{nil, nil, {{1, 0.25}}}
	if !lookThrough([]int{2}, terms, base, val, 2) {
		t.Fatal("not converged")
	}
	if got := val[2]; len(got) != 2 || got[0] != (entry{0, 0.5}) || got[1] != (entry{1, 0.75}) {
		t.Fatalf("v2 = %v", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b []entry
		want float64
	}{
		{nil, nil, 0},
		{[]entry{{0, 1}}, nil, 1},
		{nil, []entry{{3, -2}}, 2},
		{[]entry{{0, 1}, {2, 0.5}}, []entry{{1, 0.25}, {2, 0.75}}, 1},
		{[]entry{{0, 1}, {2, 0.5}}, []entry{{0, 0.9}, {2, 0.5}}, 0.1},
	} {
		if got := distance(tc.a, tc.b); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("distance(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
