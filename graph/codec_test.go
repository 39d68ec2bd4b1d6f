package graph_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

func TestJSONRoundTrip(t *testing.T) {
	ds := fixture.Small(t)
	var b bytes.Buffer
	if err := graph.EncodeJSON(&b, ds); err != nil {
		t.Fatal(err)
	}
	back, err := graph.DecodeJSON(&b, "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if fixture.Canonical(t, back) != fixture.Canonical(t, ds) {
		t.Fatal("JSON round trip changed the dataset")
	}
}

func TestCSVRoundTrip(t *testing.T) {
	ds := fixture.Small(t)
	files, err := graph.EncodeCSV(ds)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, ","); got != "commodities.csv,mines.csv,refineries.csv,firms.csv,states.csv,coalitions.csv,edges.csv" {
		t.Fatalf("files %s", got)
	}
	back, err := graph.DecodeCSV(files)
	if err != nil {
		t.Fatal(err)
	}
	if fixture.Canonical(t, back) != fixture.Canonical(t, ds) {
		t.Fatalf("CSV round trip changed the dataset:\n%s", fixture.Canonical(t, back))
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"Syntax", "{\n \"nodes\": [\n  {\"id\": }\n ]}", `x.json:3: invalid character '}' looking for beginning of value`},
		{"UnknownField", "{\n\"nodes\": [{\"id\": \"mine:a\", \"colour\": \"red\"}]}", `x.json:2: unknown field "colour"`},
		{"WrongType", "{\"nodes\": [{\"id\": \"mine:a\", \"since\": \"2010\"}]}", `x.json:1: nodes.since: cannot use a JSON string here (want int)`},
		{"Trailing", "{} {}", `x.json:1: unexpected data after the document`},
		{"Empty", "", `x.json: the document is empty or cut short`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := graph.DecodeJSON(strings.NewReader(tc.doc), "x.json")
			ge, ok := err.(*graph.Error)
			if !ok || ge.Code != graph.EInvalid || len(ge.Problems) != 1 {
				t.Fatalf("got %v", err)
			}
			if got := ge.Problems[0].String(); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestDecodeCSVErrors(t *testing.T) {
	files := []graph.CSVFile{
		{Name: "in/mines.csv", Data: []byte("id,name,state,stage,since,capacity\nmine:a,A,AU,mining,twenty,re-concentrate=5\nmine:b,B,AU,mining,2001,re-concentrate:5\n")},
		{Name: "in/edges.csv", Data: []byte("kind,from,to,colour\n")},
		{Name: "in/plants.csv", Data: []byte("id\n")},
	}
	_, err := graph.DecodeCSV(files)
	ge, ok := err.(*graph.Error)
	if !ok {
		t.Fatalf("got %v", err)
	}
	var got []string
	for _, p := range ge.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`in/mines.csv:2: since: "twenty" is not a year`,
		`in/mines.csv:3: capacity: "re-concentrate:5" is not commodity=tonnes (e.g. ndpr-oxide=6000;re-concentrate=24000)`,
		`in/edges.csv:1: colour: unknown column "colour" (want kind, from, to, share, commodity, volume_tpa, volume_by_year, volume_basis, measure, control, pass_share, instrument, amount, currency, amount_usd, since, until, source, as_of, note)`,
		`in/plants.csv: unknown CSV file "plants.csv" (want one of commodities.csv, mines.csv, refineries.csv, firms.csv, states.csv, coalitions.csv, edges.csv)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCSVValidationLines(t *testing.T) {
	files := []graph.CSVFile{
		{Name: "commodities.csv", Data: []byte("id,name,family,stage\ngallium,Gallium,gallium,refining\n")},
		{Name: "refineries.csv", Data: []byte("id,name,state,stage\nrefinery:a,A,CN,refining\nrefinery:b,B,ZZ,refining\n")},
		{Name: "edges.csv", Data: []byte("kind,from,to,commodity,volume_tpa\nsupplies,refinery:a,refinery:b,gallium,-1\n")},
	}
	ds, err := graph.DecodeCSV(files)
	if err != nil {
		t.Fatal(err)
	}
	err = ds.Validate()
	ge, ok := err.(*graph.Error)
	if !ok {
		t.Fatalf("got %v", err)
	}
	want := "dataset is invalid: 2 problems\n  refineries.csv:3: state: \"ZZ\" is not an ISO 3166-1 alpha-2 code\n  edges.csv:2: volume_tpa: must be a finite number ≥ 0, got -1"
	if ge.Error() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", ge.Error(), want)
	}
}

func TestAsOf(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	// In 2010: mine:beta (since 2011), mine:gamma (2018), refinery:sep-my (2012) and the planned
	// refinery are out; 19 nodes - 4 = 15. Edges: the supplies from gamma and beta, the two
	// offtakes (2012), the agency's stake (2011), AusCo's two stakes and operation of the absent
	// mine and refinery, both financings (2011, 2023) and Australia's membership (2017) go; the
	// 2010 embargo and two memberships stay: 22 - 11 = 11.
	old := net.AsOf(2010)
	if len(old.Nodes()) != 15 || len(old.Edges()) != 11 {
		t.Fatalf("2010: %d nodes, %d edges", len(old.Nodes()), len(old.Edges()))
	}
	// In 2024 only the planned refinery is out; the embargo (2010 only) is gone.
	now := net.AsOf(2024)
	if len(now.Nodes()) != 18 || len(now.Edges()) != 21 {
		t.Fatalf("2024: %d nodes, %d edges", len(now.Nodes()), len(now.Edges()))
	}
	if _, err := now.CommoditySet("cobalt"); graph.ErrorCode(err) != graph.ENotFound {
		t.Fatalf("unknown commodity: %v", err)
	}
	set, _ := now.CommoditySet("rare-earths")
	b, _ := json.Marshal(set)
	if string(b) != `{"ndfeb-magnet":true,"ndpr-oxide":true,"re-concentrate":true}` {
		t.Fatalf("family set %s", b)
	}
}

// TestDecodeCSVBeforeYearlyColumns reads files written before the yearly, basis, finance and
// control columns existed: a missing column is unset.
func TestDecodeCSVBeforeYearlyColumns(t *testing.T) {
	ds, err := graph.DecodeCSV([]graph.CSVFile{
		{Name: "commodities.csv", Data: []byte("id,name,family,stage\nre-concentrate,RE concentrate,rare-earths,mining\n")},
		{Name: "mines.csv", Data: []byte("id,name,state,stage,status,capacity,since,until,source,as_of,extra\nmine:a,A,AU,mining,operating,re-concentrate=5,,,,,\n")},
		{Name: "firms.csv", Data: []byte("id,name,state,stage,status,capacity,since,until,source,as_of,extra\nfirm:b,B,JP,,,,,,,,\n")},
		{Name: "edges.csv", Data: []byte("kind,from,to,share,commodity,volume_tpa,measure,since,until,source,as_of\nsupplies,mine:a,firm:b,,re-concentrate,4,,2010,,,\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Validate(); err != nil || *ds.Edges[0].VolumeTPA != 4 || ds.Edges[0].VolumeByYear != nil || ds.Nodes[0].Output != nil {
		t.Fatalf("%v %+v", err, ds)
	}
}
