// Package cyphertest opens the Neo4j that integration tests run against.
//
// Tests use the server named by NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE
// (scripts/neo4j start prints them). Without NEO4J_URI they skip, unless
// CHOKEPOINT_NEO4J_REQUIRED=1 (as in CI and make test), when they fail. Every test that opens the
// store starts from an empty database, so packages that use it must not run in parallel
// (go test -p 1).
package cyphertest

import (
	"context"
	"os"
	"testing"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Config returns the test server's settings, skipping or failing tb when there is none.
func Config(tb testing.TB) cypher.Config {
	tb.Helper()
	cfg, ok := cypher.ConfigFromEnv()
	if !ok {
		if os.Getenv("CHOKEPOINT_NEO4J_REQUIRED") == "1" {
			tb.Fatal("NEO4J_URI is unset but CHOKEPOINT_NEO4J_REQUIRED=1: start Neo4j with scripts/neo4j start")
		}
		tb.Skip("NEO4J_URI is unset: skipping a Neo4j integration test (run scripts/neo4j start)")
	}
	return cfg
}

// MustOpen empties the test database, opens a Store on it and closes it when tb ends.
func MustOpen(tb testing.TB) *cypher.Store {
	tb.Helper()
	Wipe(tb, Config(tb))
	return MustOpenKeep(tb)
}

// Wipe deletes every node and relationship of the test database, in batches.
func Wipe(tb testing.TB, cfg cypher.Config) {
	tb.Helper()
	ctx := context.Background()
	driver := openDriver(tb, cfg)
	defer driver.Close(ctx)
	// CALL … IN TRANSACTIONS needs an auto-commit transaction: session.Run, not ExecuteQuery.
	session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg.Database})
	defer session.Close(ctx)
	res, err := session.Run(ctx, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		tb.Fatalf("wipe Neo4j: %v", err)
	}
}

// Count returns the number of nodes and relationships in the test database.
func Count(tb testing.TB, cfg cypher.Config) (nodes, rels int64) {
	tb.Helper()
	ctx := context.Background()
	driver := openDriver(tb, cfg)
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, "MATCH (n) WITH count(n) AS n OPTIONAL MATCH ()-[r]->() RETURN n, count(r)",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil {
		tb.Fatal(err)
	}
	return res.Records[0].Values[0].(int64), res.Records[0].Values[1].(int64)
}

// MustOpenKeep opens a Store on the test database as it is, without emptying it.
func MustOpenKeep(tb testing.TB) *cypher.Store {
	tb.Helper()
	cfg := Config(tb)
	s, err := cypher.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open Neo4j at %s: %v", cfg.URI, err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// openDriver opens a driver of its own on the test database, for work outside a Store.
func openDriver(tb testing.TB, cfg cypher.Config) neo4j.DriverWithContext {
	tb.Helper()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""))
	if err != nil {
		tb.Fatal(err)
	}
	return driver
}
