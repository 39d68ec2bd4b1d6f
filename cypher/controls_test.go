package cypher_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestControlsFollowImports: after every import, the CONTROLS relationships in Neo4j are the
// control analysis's spans (graph.ControlSpans) of the whole stored network, also after an
// import that changes a share, and for the bundled dataset.
func TestControlsFollowImports(t *testing.T) {
	ctx := context.Background()
	s := cyphertest.MustOpen(t)
	check := func(s *cypher.Store, when string) {
		t.Helper()
		net, err := s.Network(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, c := range graph.ControlSpans(net) {
			want = append(want, fmt.Sprint(c.Entity, c.State, c.Share, c.Since, c.Until))
		}
		res, err := neo4j.ExecuteQuery(ctx, s.Driver(), `MATCH (s:State)-[c:CONTROLS]->(n:Node)
			RETURN n.id, substring(s.id, 6), c.share, coalesce(c.since, 0), coalesce(c.until, 0)
			ORDER BY n.id, coalesce(c.since, 0), s.id`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database()))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range res.Records {
			got = append(got, fmt.Sprint(r.Values...))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(got) == 0 {
			t.Fatalf("%s: stored %v\nwant %v", when, got, want)
		}
	}
	if _, err := s.Import(ctx, fixture.Small(t)); err != nil {
		t.Fatal(err)
	}
	check(s, "first import")
	// JP Agency's stake in AusCo rises from 25% to 60%: AusCo and what it owns change hands.
	share := 0.6
	if _, err := s.Import(ctx, &graph.Dataset{Edges: []graph.Edge{{Kind: graph.Owns, From: "firm:jp-agency", To: "firm:ausco", Share: &share, Since: 2011}}}); err != nil {
		t.Fatal(err)
	}
	check(s, "second import")
	bundled := cyphertest.MustOpen(t)
	if _, err := bundled.Import(ctx, fixture.Bundled(t)); err != nil {
		t.Fatal(err)
	}
	check(bundled, "bundled")
}
