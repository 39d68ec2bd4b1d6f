package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeJSON reads a dataset document from r. file names the source in error messages.
// Unknown fields, wrong types and trailing data are errors with code EInvalid; the dataset is
// not validated (call Validate).
func DecodeJSON(r io.Reader, file string) (*Dataset, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ds Dataset
	if err := dec.Decode(&ds); err != nil {
		return nil, jsonError(data, file, err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{Code: EInvalid, Message: "invalid JSON dataset", Problems: []Problem{{
			File: file, Line: lineAt(data, dec.InputOffset()), Message: "unexpected data after the document"}}}
	}
	for i := range ds.Commodities {
		ds.Commodities[i].at = &origin{file: file, record: place{"commodities", i}}
	}
	for i := range ds.Nodes {
		ds.Nodes[i].at = &origin{file: file, record: place{"nodes", i}}
	}
	for i := range ds.Edges {
		ds.Edges[i].at = &origin{file: file, record: place{"edges", i}}
	}
	return &ds, nil
}

func jsonError(data []byte, file string, err error, offset int64) error {
	p := Problem{File: file, Line: lineAt(data, offset), Message: err.Error()}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		p.Line, p.Message = lineAt(data, syntax.Offset), syntax.Error()
	case errors.As(err, &typ):
		p.Line, p.Field = lineAt(data, typ.Offset), typ.Field
		p.Message = fmt.Sprintf("cannot use a JSON %s here (want %s)", typ.Value, typ.Type)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		p.Line, p.Message = 0, "the document is empty or cut short"
	default:
		p.Message = strings.TrimPrefix(err.Error(), "json: ")
	}
	return &Error{Code: EInvalid, Message: "invalid JSON dataset", Problems: []Problem{p}}
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// EncodeJSON writes ds as an indented JSON document; empty lists are written as [].
func EncodeJSON(w io.Writer, ds *Dataset) error {
	out := *ds
	if out.Commodities == nil {
		out.Commodities = []Commodity{}
	}
	if out.Nodes == nil {
		out.Nodes = []Node{}
	}
	if out.Edges == nil {
		out.Edges = []Edge{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}

// Canonical encodes ds in a Network's order as indented JSON, so that two datasets with the same
// content give the same bytes whatever the order of their records. Errors: EInvalid.
func Canonical(ds *Dataset) ([]byte, error) {
	net, err := NewNetwork(ds)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = EncodeJSON(&b, net.Dataset())
	return b.Bytes(), err
}
