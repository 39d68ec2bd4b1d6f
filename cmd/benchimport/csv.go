package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// colType is how a CSV column is converted back to the type our import stores.
type colType int

const (
	colString colType = iota
	colInt
	colFloat
	colBool
)

// cypher returns the expression that reads the column from row, typed.
func (t colType) cypher(name string) string {
	ref := "row." + name
	switch t {
	case colInt:
		return "toInteger(" + ref + ")"
	case colFloat:
		return "toFloat(" + ref + ")"
	case colBool:
		return "toBoolean(" + ref + ")"
	}
	return ref
}

// table is one CSV file: its columns (in header order) and the property map of each row, or,
// for a file without a header, lists (each row a list of values).
type table struct {
	file  string
	cols  []string
	types map[string]colType
	rows  []map[string]any
	lists [][]any
}

// len is the number of rows.
func (t *table) len() int { return len(t.rows) + len(t.lists) }

func newTable(file string) *table { return &table{file: file, types: map[string]colType{}} }

// add appends a row, adding its new columns (in name order, so the files are reproducible).
func (t *table) add(row map[string]any) error {
	for _, k := range slices.Sorted(maps.Keys(row)) {
		v := row[k]
		var ct colType
		switch v.(type) {
		case string:
			ct = colString
		case int64:
			ct = colInt
		case float64:
			ct = colFloat
		case bool:
			ct = colBool
		default:
			return fmt.Errorf("%s: property %s has type %T", t.file, k, v)
		}
		if have, ok := t.types[k]; !ok {
			if !propertyName.MatchString(k) {
				return fmt.Errorf("%s: property name %q is not an identifier", t.file, k)
			}
			t.types[k] = ct
			t.cols = append(t.cols, k)
		} else if have != ct {
			return fmt.Errorf("%s: property %s is sometimes %T", t.file, k, v)
		}
	}
	t.rows = append(t.rows, row)
	return nil
}

// propertyName is what a column may be called: it is written into the statements (a property
// name cannot be a parameter), so only identifiers pass.
var propertyName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// props returns the Cypher map literal of the properties, in column order, less skip.
func (t *table) props(skip ...string) string {
	var parts []string
	for _, c := range t.cols {
		if !slices.Contains(skip, c) {
			parts = append(parts, "`"+c+"`: "+t.types[c].cypher(c))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// write writes the table as CSV, with a header unless it holds lists; absent properties and nil
// values are empty fields, which LOAD CSV reads as null.
func (t *table) write(path string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cw := &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	w := csv.NewWriter(cw)
	var rec []string
	if t.lists == nil {
		if err := w.Write(t.cols); err != nil {
			return 0, err
		}
		for _, row := range t.rows {
			rec = rec[:0]
			for _, c := range t.cols {
				rec = append(rec, field(row[c]))
			}
			if err := w.Write(rec); err != nil {
				return 0, err
			}
		}
	}
	for _, row := range t.lists {
		rec = rec[:0]
		for _, v := range row {
			rec = append(rec, field(v))
		}
		if err := w.Write(rec); err != nil {
			return 0, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, err
	}
	if err := cw.w.(*bufio.Writer).Flush(); err != nil {
		return 0, err
	}
	return cw.n, f.Close()
}

// field is a value as a CSV field: nil is empty.
func field(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// dropEmptyColumns removes the fixed columns no row uses (a state has no stage).
func dropEmptyColumns(t *table) {
	t.cols = slices.DeleteFunc(t.cols, func(c string) bool {
		return !slices.ContainsFunc(t.rows, func(r map[string]any) bool { _, ok := r[c]; return ok })
	})
}
