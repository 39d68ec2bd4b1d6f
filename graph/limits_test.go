package graph_test

import (
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// TestValidateLimits: values that no store can hold or no analysis can add up are refused the
// same way on every store: ids over 200 bytes, names over 500, numbers over 1e12 t/yr.
func TestValidateLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	firm := func(id, name string) graph.Node {
		return graph.Node{ID: id, Kind: graph.Firm, Name: name, State: "JP"}
	}
	for _, tc := range []struct {
		name   string
		mutate func(ds *graph.Dataset)
		want   []string
	}{
		{"IDAtLimit", func(ds *graph.Dataset) { ds.Nodes = append(ds.Nodes, firm("firm:"+long(195), "X")) }, nil},
		{"IDTooLong", func(ds *graph.Dataset) { ds.Nodes = append(ds.Nodes, firm("firm:"+long(10000), "X")) },
			[]string{`nodes[19].id: is 10005 bytes long; an id may have at most 200`}},
		{"NameAtLimit", func(ds *graph.Dataset) { ds.Nodes = append(ds.Nodes, firm("firm:x", long(500))) }, nil},
		{"NameTooLong", func(ds *graph.Dataset) { ds.Nodes = append(ds.Nodes, firm("firm:x", long(10000))) },
			[]string{`nodes[19].name: is 10000 bytes long; a name may have at most 500`}},
		{"CommodityIDTooLong", func(ds *graph.Dataset) {
			ds.Commodities = append(ds.Commodities, graph.Commodity{ID: long(201), Name: "X", Family: "x", Stage: graph.Mining})
		}, []string{`commodities[4].id: is 201 bytes long; an id may have at most 200`}},
		{"CommodityNameTooLong", func(ds *graph.Dataset) {
			ds.Commodities = append(ds.Commodities, graph.Commodity{ID: "x", Name: long(501), Family: "x", Stage: graph.Mining})
		}, []string{`commodities[4].name: is 501 bytes long; a name may have at most 500`}},
		{"VolumeAtLimit", func(ds *graph.Dataset) { ds.Edges[10].VolumeTPA = ptr(1e12) }, nil},
		{"VolumeTooLarge", func(ds *graph.Dataset) { ds.Edges[10].VolumeTPA = ptr(1e308) },
			[]string{`small.json: edges[10].volume_tpa: must be at most 1e+12 t/yr, got 1e+308`}},
		{"CapacityTooLarge", func(ds *graph.Dataset) { ds.Nodes[5].Capacity["re-concentrate"] = 2e12 },
			[]string{`small.json: nodes[5].capacity.re-concentrate: must be at most 1e+12 t/yr, got 2e+12`}},
		{"ExtraNumberTooLarge", func(ds *graph.Dataset) { ds.Nodes[14].Extra["employees"] = 1e300 },
			[]string{`small.json: nodes[14].extra.employees: must be at most 1e+12 in magnitude, got 1e+300`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture.Small(t)
			tc.mutate(ds)
			got := problemsOf(t, ds)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
