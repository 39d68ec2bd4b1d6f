package graph

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Comparison is one analysis run for two years side by side, with what changed.
type Comparison struct {
	Analysis string          `json:"analysis"`
	Years    [2]int          `json:"years"`
	A        *AnalysisResult `json:"a"`
	B        *AnalysisResult `json:"b"`
	// Diff holds, for every number both results share, B − A (zero changes left out); for
	// every other value that differs, {"a": …, "b": …}. Lists of records are matched by their
	// key (id, state, commodity and stage, or a route's path), with keys only_in_a and
	// only_in_b for the records one year lacks.
	Diff any `json:"diff"`
}

// ParseYears reads "A,B": two years to compare. Errors: EInvalid.
func ParseYears(s string) ([2]int, error) {
	a, b, ok := strings.Cut(s, ",")
	ya, err1 := strconv.Atoi(strings.TrimSpace(a))
	yb, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || CheckYear("A", ya) != nil || CheckYear("B", yb) != nil {
		return [2]int{}, Errorf(EInvalid, "compare wants two years A,B in %d..%d (e.g. 2010,2025), got %q", MinYear, MaxYear, s)
	}
	return [2]int{ya, yb}, nil
}

// Compare runs the named analysis on the whole network (see Whole) cut to each of the two years and
// returns both results with their differences. Errors: EInvalid for a trend, which spans its own
// years; those of Analyze.
func Compare(net *Network, name string, r Request, years [2]int) (*Comparison, error) {
	if name == AnalysisTrend {
		return nil, Errorf(EInvalid, "a trend spans years (years=A..B): compare applies to the analyses of one year")
	}
	out := &Comparison{Analysis: name, Years: years}
	var err error
	if out.A, err = Analyze(net.Whole().AsOf(years[0]), name, r); err != nil {
		return nil, err
	}
	if out.B, err = Analyze(net.Whole().AsOf(years[1]), name, r); err != nil {
		return nil, err
	}
	a, err := plain(out.A.Result)
	if err != nil {
		return nil, err
	}
	b, err := plain(out.B.Result)
	if err != nil {
		return nil, err
	}
	out.Diff = difference(a, b)
	if out.Diff == nil {
		out.Diff = map[string]any{}
	}
	return out, nil
}

// plain turns a result into JSON values (maps, slices, float64, strings, bools, nil).
func plain(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	var out any
	err = json.Unmarshal(raw, &out)
	return out, err
}

// difference returns b − a as described on Comparison.Diff, or nil when nothing changed.
func difference(a, b any) any {
	switch av := a.(type) {
	case float64:
		if bv, ok := b.(float64); ok {
			if d := round6(bv - av); d != 0 {
				return d
			}
			return nil
		}
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			out := map[string]any{}
			for _, k := range sortedKeys(av) {
				if _, both := bv[k]; !both {
					out[k] = map[string]any{"a": av[k], "b": nil}
				} else if d := difference(av[k], bv[k]); d != nil {
					out[k] = d
				}
			}
			for _, k := range sortedKeys(bv) {
				if _, both := av[k]; !both {
					out[k] = map[string]any{"a": nil, "b": bv[k]}
				}
			}
			if len(out) == 0 {
				return nil
			}
			return out
		}
	case []any:
		if bv, ok := b.([]any); ok {
			return listDifference(av, bv)
		}
	}
	if jsonEqual(a, b) {
		return nil
	}
	return map[string]any{"a": a, "b": b}
}

// listDifference matches the records of two lists by key (by position when they have none).
func listDifference(a, b []any) any {
	keysA, keysB := recordKeys(a), recordKeys(b)
	out := map[string]any{}
	var onlyA, onlyB []string
	index := map[string]int{}
	for i, k := range keysB {
		index[k] = i
	}
	seen := map[string]bool{}
	for i, k := range keysA {
		j, ok := index[k]
		if !ok {
			onlyA = append(onlyA, k)
			continue
		}
		seen[k] = true
		if d := difference(a[i], b[j]); d != nil {
			out[k] = d
		}
	}
	for _, k := range keysB {
		if !seen[k] {
			onlyB = append(onlyB, k)
		}
	}
	if onlyA != nil {
		out["only_in_a"] = onlyA
	}
	if onlyB != nil {
		out["only_in_b"] = onlyB
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// recordKeys names each element of a list: its id, its state, its commodity and stage, a
// route's path, or its position; repeated keys get their position appended.
func recordKeys(list []any) []string {
	keys := make([]string, len(list))
	seen := map[string]bool{}
	for i, v := range list {
		k := strconv.Itoa(i)
		if m, ok := v.(map[string]any); ok {
			switch {
			case m["id"] != nil:
				k = fmt.Sprint(m["id"])
			case m["state"] != nil:
				k = fmt.Sprint(m["state"])
			case m["commodity"] != nil && m["stage"] != nil:
				k = fmt.Sprint(m["commodity"], "@", m["stage"])
			case m["nodes"] != nil:
				if nodes, ok := m["nodes"].([]any); ok {
					var ids []string
					for _, n := range nodes {
						if nm, ok := n.(map[string]any); ok {
							ids = append(ids, fmt.Sprint(nm["id"]))
						}
					}
					k = strings.Join(ids, " > ")
				}
			}
		}
		if seen[k] {
			k += "#" + strconv.Itoa(i)
		}
		seen[k] = true
		keys[i] = k
	}
	return keys
}

func jsonEqual(a, b any) bool {
	ra, _ := json.Marshal(a)
	rb, _ := json.Marshal(b)
	return slices.Equal(ra, rb)
}
