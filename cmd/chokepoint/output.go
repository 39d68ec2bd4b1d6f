package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/chokepoint/chokepoint/graph/table"
)

// writeResult prints an analysis result as JSON (the HTTP API's shape), an aligned table, or CSV.
func writeResult(env *cli, format string, v any) error {
	if format == "json" {
		return writeJSON(env, v)
	}
	header, rows, _ := table.Of(v)
	if format == "csv" {
		w := csv.NewWriter(env.stdout)
		w.Write(header)
		w.WriteAll(rows)
		return w.Error()
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// writeJSON prints v as indented JSON, escaped as the HTTP API escapes it.
func writeJSON(env *cli, v any) error {
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
