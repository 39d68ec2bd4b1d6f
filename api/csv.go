package api

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/table"
	"github.com/gin-gonic/gin"
)

// Result formats of the endpoints that answer rows.
const (
	formatJSON = "json"
	formatCSV  = "csv"
)

// resultFormat is the format a request asks for: format when given (json or csv), else csv when
// Accept names text/csv, else json. Errors: EInvalid.
func resultFormat(c *gin.Context, format string) (string, error) {
	switch {
	case format == "" && strings.Contains(c.GetHeader("Accept"), "text/csv"):
		return formatCSV, nil
	case format == "":
		return formatJSON, nil
	case format != formatJSON && format != formatCSV:
		return "", graph.Errorf(graph.EInvalid, "format must be json or csv, got %q", format)
	}
	return format, nil
}

// asFormat is an analysis or scenario result v as it is (JSON) or, for csv, as a CSV download
// named name.csv, in the columns of the CLI's tables (graph/table). Errors: EInvalid for a
// result with no table.
func asFormat(v any, format, name string) (any, error) {
	if format != formatCSV {
		return v, nil
	}
	header, rows, ok := table.Of(v)
	if !ok {
		return nil, graph.Errorf(graph.EInvalid, "%s has no CSV form; ask for JSON", name)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows) // a bytes.Buffer does not fail
	return download{contentType: "text/csv; charset=utf-8", filename: name + ".csv", data: b.Bytes()}, nil
}
