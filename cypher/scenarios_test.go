package cypher_test

import (
	"context"
	"testing"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestScenarios: saved scenarios in Neo4j, shared by two stores (two service instances), apart
// from the network (no :Node, no revision change), and a document edited outside reported.
func TestScenarios(t *testing.T) {
	ctx := context.Background()
	a := cyphertest.MustOpen(t)
	b := cyphertest.MustOpenKeep(t)
	sa, sb := a.Scenarios(), b.Scenarios()
	share := 0.5
	sc := graph.Scenario{Name: "ban", Commodity: "rare-earths", Consumer: "state:JP", AsOf: 2024,
		Controls: []graph.ExportControl{{From: "CN", To: []string{"JP"}, Commodity: "rare-earths", Control: graph.Licence, PassShare: &share}}}
	if err := sa.Put(ctx, sc); err != nil {
		t.Fatal(err)
	}
	if err := sa.Put(ctx, graph.Scenario{Name: "aaa", Commodity: "gallium"}); err != nil {
		t.Fatal(err)
	}
	got, err := sb.Get(ctx, "ban")
	if err != nil || got.Controls[0].Control != graph.Licence || *got.Controls[0].PassShare != 0.5 || got.AsOf != 2024 {
		t.Fatalf("%+v %v", got, err)
	}
	list, err := sb.List(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "aaa" || list[1].Name != "ban" {
		t.Fatalf("%+v %v", list, err)
	}
	if nodes, _ := cyphertest.Count(t, cyphertest.Config(t)); nodes != 2 {
		t.Fatalf("%d nodes in Neo4j, want the 2 scenarios", nodes)
	}
	if net, err := b.Network(ctx); err != nil || len(net.Nodes()) != 0 {
		t.Fatalf("the scenarios reached the network: %v", err)
	}
	if err := sb.Delete(ctx, "aaa"); err != nil {
		t.Fatal(err)
	}
	if err := sa.Delete(ctx, "aaa"); graph.ErrorCode(err) != graph.ENotFound {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := sa.Get(ctx, "aaa"); graph.ErrorCode(err) != graph.ENotFound {
		t.Fatalf("get deleted: %v", err)
	}
	if _, err := neo4j.ExecuteQuery(ctx, a.Driver(), "MATCH (s:Scenario {name: 'ban'}) SET s.document = '{'", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(a.Database())); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.List(ctx); graph.ErrorCode(err) != graph.EConflict {
		t.Fatalf("edited document: %v", err)
	}
}
