package graph_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// decoded checks what a decoder returned: an error is a *graph.Error (the API's 400, never a 500),
// and a dataset that validates survives the trip through JSON and through CSV unchanged.
func decoded(t *testing.T, ds *graph.Dataset, err error) {
	t.Helper()
	if err != nil {
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Code != graph.EInvalid {
			t.Fatalf("decode error %T %v, want an EInvalid *graph.Error", err, err)
		}
		return
	}
	want, err := graph.Canonical(ds)
	if err != nil {
		return // decoded but invalid: validation said why
	}
	viaJSON, err := graph.DecodeJSON(bytes.NewReader(want), "round trip")
	if err != nil {
		t.Fatalf("a valid dataset does not decode from its own JSON: %v\n%s", err, want)
	}
	if got, err := graph.Canonical(viaJSON); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("JSON round trip: %v\n%s\nwant\n%s", err, got, want)
	}
	files, err := graph.EncodeCSV(ds)
	if err != nil {
		t.Fatalf("a valid dataset does not encode as CSV: %v", err)
	}
	viaCSV, err := graph.DecodeCSV(files)
	if err != nil {
		t.Fatalf("a valid dataset does not decode from its own CSV: %v", err)
	}
	if got, err := graph.Canonical(viaCSV); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("CSV round trip: %v\n%s\nwant\n%s", err, got, want)
	}
}

// FuzzDecodeJSON feeds the JSON dataset decoder arbitrary documents.
func FuzzDecodeJSON(f *testing.F) {
	small, err := os.ReadFile(fixture.Path("small.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(`{"nodes": [{"id": "state:JP", "kind": "state", "name": "Japan"}]}`))
	f.Add([]byte(`{"edges": [{"kind": "owns", "from": "a", "to": "b", "share": 1e308}]}`))
	f.Add([]byte(`{"commodities": [{"id": "x", "name": "X", "family": "x", "stage": "mining", "price_usd_per_t": {"2024": -1}}]} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := graph.DecodeJSON(bytes.NewReader(data), "fuzz.json")
		decoded(t, ds, err)
	})
}

// FuzzDecodeCSV feeds the CSV dataset decoder arbitrary commodity, mine and edge files.
func FuzzDecodeCSV(f *testing.F) {
	read := func(name string) []byte {
		data, err := os.ReadFile("../data/csv/" + name)
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	f.Add(read("commodities.csv"), read("mines.csv"), read("edges.csv"))
	f.Add([]byte("id,name,family,stage\nx,X,x,mining\n"), []byte("id,name,state,stage,status,capacity\nmine:a,A,CN,mining,operating,\"{\"\"x\"\": 1}\"\n"), []byte("kind,from,to\n"))
	f.Add([]byte("id,name\n\"unterminated\n"), []byte(""), []byte("kind,from,to,share\nowns,a,b,NaN\n"))
	f.Fuzz(func(t *testing.T, commodities, mines, edges []byte) {
		ds, err := graph.DecodeCSV([]graph.CSVFile{{Name: "commodities.csv", Data: commodities}, {Name: "mines.csv", Data: mines}, {Name: "edges.csv", Data: edges}})
		decoded(t, ds, err)
	})
}
