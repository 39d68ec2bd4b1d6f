package report

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
)

// Service lists saved reports and runs them and ad-hoc Cypher.
type Service interface {
	// List returns every report, sorted by name, without its query. Errors: EInvalid for broken
	// report files.
	List() ([]*Report, error)
	// Get returns one report with its query. Errors: ENotFound; EInvalid for broken report files.
	Get(name string) (*Report, error)
	// Run runs a report with args (JSON values, json.Number for numbers, or strings to parse; see
	// Report.Bind), returning at most maxRows rows (0 for the service's limit, which maxRows
	// cannot raise). Errors: ENotFound; EInvalid for bad args or a query that the store or its
	// guards refuse; ETimeout; EUnavailable.
	Run(ctx context.Context, name string, args map[string]any, maxRows int) (*Result, error)
	// Query runs read-only ad-hoc Cypher with params under the same guards and limits as Run.
	// Errors: as Run's, without ENotFound.
	Query(ctx context.Context, query string, params map[string]any, maxRows int) (*Result, error)
}

// Report is a saved report: one read-only query under a header that names, describes and types
// it (see Load).
type Report struct {
	Name        string  `json:"name"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Params      []Param `json:"params"`
	Builtin     bool    `json:"builtin"`
	Query       string  `json:"query,omitempty"`
	File        string  `json:"-"` // reports/NAME.cypher for a built-in report, else the path of the file

	line int // the line of the name in File
}

// Param is a report parameter as its header declares it.
type Param struct {
	Name        string `json:"name"`
	Type        string `json:"type"`     // one of the Type constants
	Default     any    `json:"default"`  // converted to Type; nil when Required or declared "= null"
	Required    bool   `json:"required"` // declared without a default: every run must give it
	Description string `json:"description"`
}

// Result is the outcome of a run: the columns in the order the query returns them and the rows,
// their values plain JSON (see the README). Truncated is set when the query had more rows than
// the row or byte limit of the run.
type Result struct {
	Columns   []string `json:"columns"`
	Rows      [][]any  `json:"rows"`
	RowCount  int      `json:"row_count"`
	Truncated bool     `json:"truncated"`
	ElapsedMS float64  `json:"elapsed_ms"`
}

// Records returns the columns and then each row as text, as the CSV form holds them: null as an
// empty cell, a string as it is, and any other value (number, boolean, list, map, node,
// relationship, path, point) as compact JSON.
func (r *Result) Records() [][]string {
	out := [][]string{r.Columns}
	for _, row := range r.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = cellText(v)
		}
		out = append(out, rec)
	}
	return out
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// RunOptions returns the options of a run, sorted: the HTTP API reads them from the query string
// (?format=json|csv, ?max_rows=N), so no report parameter may take their names.
func RunOptions() []string { return []string{"format", "max_rows"} }
