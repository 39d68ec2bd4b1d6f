package cypher_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// TestValues checks the JSON shape of every kind of Neo4j value in a result.
func TestValues(t *testing.T) {
	store := cyphertest.MustOpen(t)
	if _, err := store.Import(context.Background(), fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	r := cypher.NewReports(store, "")
	for _, tc := range []struct{ name, query, want string }{
		{"Scalars", "RETURN 1 AS i, 0.5 AS f, 2.0 AS whole, 'a' AS s, true AS b, null AS n, [1, 'x', null] AS l, {k: 1, m: {n: [true]}} AS m",
			`[1,0.5,2,"a",true,null,[1,"x",null],{"k":1,"m":{"n":[true]}}]`},
		{"NotFinite", "RETURN 0.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0", `["NaN","Infinity","-Infinity"]`},
		{"Temporal", "RETURN date('2024-01-02'), localtime('12:30:01.5'), time('12:30:01+02:00'), localdatetime('2024-01-02T03:04:05'), " +
			"datetime('2024-01-02T03:04:05.25[Europe/Paris]'), datetime('2024-01-02T03:04:05Z'), duration('P1Y2M3DT4H5M6.5S'), duration('P1D')",
			`["2024-01-02","12:30:01.5","12:30:01+02:00","2024-01-02T03:04:05","2024-01-02T03:04:05.25+01:00[Europe/Paris]","2024-01-02T03:04:05Z","P14M3DT14706.5S","P0M1DT0S"]`},
		{"Points", "RETURN point({x: 1, y: 2.5}), point({longitude: 139.7, latitude: 35.7, height: 40})",
			`[{"srid":7203,"x":1,"y":2.5},{"srid":4979,"x":139.7,"y":35.7,"z":40}]`},
		{"Node", "MATCH (s:State {id: 'state:JP'}) RETURN s",
			`[{"id":"state:JP","labels":["Node","State"],"properties":{"governance":0.85,"id":"state:JP","name":"Japan","state":"JP"}}]`},
		{"Relationship", "MATCH (:Node {id: 'firm:jp-agency'})-[o:OWNS]->(:Node {id: 'firm:ausco'}) RETURN o",
			`[{"type":"OWNS","start":"firm:jp-agency","end":"firm:ausco","properties":{"key":"|2011","share":0.25,"since":2011}}]`},
		{"Path", "MATCH p = (:State {id: 'state:JP'})-[:OWNS]->(a:Firm)-[:OWNS]->(:Firm) RETURN p, {agency: a.id, nodes: size(nodes(p))}",
			`[{"nodes":[{"id":"state:JP","labels":["Node","State"],"properties":{"governance":0.85,"id":"state:JP","name":"Japan","state":"JP"}},` +
				`{"id":"firm:jp-agency","labels":["Firm","Node"],"properties":{"firm_type":"agency","id":"firm:jp-agency","name":"JP Agency","state":"JP","stock_ndpr_oxide_2024":12,"stockdays_ndpr_oxide_2024":60}},` +
				`{"id":"firm:ausco","labels":["Firm","Node"],"properties":{"firm_type":"company","id":"firm:ausco","name":"AusCo","state":"AU"}}],` +
				`"relationships":[{"type":"OWNS","start":"state:JP","end":"firm:jp-agency","properties":{"key":"|0","share":1}},` +
				`{"type":"OWNS","start":"firm:jp-agency","end":"firm:ausco","properties":{"key":"|2011","share":0.25,"since":2011}}]},{"agency":"firm:jp-agency","nodes":3}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Query(context.Background(), tc.query, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(res.Rows[0]); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	t.Run("Params", func(t *testing.T) {
		params := map[string]any{"n": json.Number("3"), "x": json.Number("0.5"), "l": []any{json.Number("1"), "a"}, "m": map[string]any{"k": json.Number("2")}}
		res, err := r.Query(context.Background(), "RETURN $n + 1, $x * 2, $l, $m, range(1, $n)", params, 0)
		if err != nil || show(res.Rows[0]) != `[4,1,[1,"a"],{"k":2},[1,2,3]]` || res.Rows[0][0] != int64(4) {
			t.Fatalf("%v %v", res, err)
		}
	})
}
