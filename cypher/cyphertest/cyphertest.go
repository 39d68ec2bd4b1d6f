// Package cyphertest opens the Neo4j that integration tests run against.
//
// Tests use the server named by CHOKEPOINT_TEST_NEO4J_URI, CHOKEPOINT_TEST_NEO4J_USERNAME,
// CHOKEPOINT_TEST_NEO4J_PASSWORD and CHOKEPOINT_TEST_NEO4J_DATABASE, which scripts/test sets for a
// Neo4j of their own (its own state dir and port). They never read NEO4J_URI: that names the
// user's database, and every test that opens the store empties its database first. Without
// CHOKEPOINT_TEST_NEO4J_URI they skip, unless CHOKEPOINT_NEO4J_REQUIRED=1 (as in CI and make
// test), when they fail. Packages that use it must not run in parallel (go test -p 1).
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
	cfg, ok := ConfigFromEnv()
	if !ok {
		if os.Getenv("CHOKEPOINT_NEO4J_REQUIRED") == "1" {
			tb.Fatal("CHOKEPOINT_TEST_NEO4J_URI is unset but CHOKEPOINT_NEO4J_REQUIRED=1: run the tests with scripts/test")
		}
		tb.Skip("CHOKEPOINT_TEST_NEO4J_URI is unset: skipping a Neo4j integration test (scripts/test runs them on a Neo4j of their own)")
	}
	return cfg
}

// ConfigFromEnv reads the test server's settings from the CHOKEPOINT_TEST_NEO4J_* variables
// (username neo4j and database neo4j by default); ok is false when CHOKEPOINT_TEST_NEO4J_URI is
// unset.
func ConfigFromEnv() (cfg cypher.Config, ok bool) {
	cfg = cypher.Config{URI: os.Getenv("CHOKEPOINT_TEST_NEO4J_URI"), Username: os.Getenv("CHOKEPOINT_TEST_NEO4J_USERNAME"),
		Password: os.Getenv("CHOKEPOINT_TEST_NEO4J_PASSWORD"), Database: os.Getenv("CHOKEPOINT_TEST_NEO4J_DATABASE")}
	if cfg.Username == "" {
		cfg.Username = "neo4j"
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	return cfg, cfg.URI != ""
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
	if err := WipeDatabase(ctx, driver, cfg.Database); err != nil {
		tb.Fatalf("wipe Neo4j: %v", err)
	}
}

// WipeDatabase deletes every node and relationship of database, in transactions of 10,000 nodes;
// constraints and indexes stay. Wipe and cmd/benchimport use it. Neo4j stops it at
// cypher.DefaultLongTimeout, as an import, not at the server's default limit.
func WipeDatabase(ctx context.Context, driver neo4j.DriverWithContext, database string) error {
	// CALL … IN TRANSACTIONS needs an auto-commit transaction: session.Run, not ExecuteQuery.
	session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database})
	defer session.Close(ctx)
	res, err := session.Run(ctx, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil,
		neo4j.WithTxTimeout(cypher.DefaultLongTimeout))
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return err
}

// CountDatabase returns the number of nodes of database that carry none of the labels in except,
// and the number of its relationships. Count and cmd/benchimport use it.
func CountDatabase(ctx context.Context, driver neo4j.DriverWithContext, database string, except ...string) (nodes, rels int64, err error) {
	res, err := neo4j.ExecuteQuery(ctx, driver,
		"MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $except) WITH count(n) AS n OPTIONAL MATCH ()-[r]->() RETURN n, count(r)",
		map[string]any{"except": append([]string{}, except...)}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return 0, 0, err
	}
	return res.Records[0].Values[0].(int64), res.Records[0].Values[1].(int64), nil
}

// Count returns the number of nodes and relationships in the test database.
func Count(tb testing.TB, cfg cypher.Config) (nodes, rels int64) {
	tb.Helper()
	ctx := context.Background()
	driver := openDriver(tb, cfg)
	defer driver.Close(ctx)
	nodes, rels, err := CountDatabase(ctx, driver, cfg.Database)
	if err != nil {
		tb.Fatal(err)
	}
	return nodes, rels
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
