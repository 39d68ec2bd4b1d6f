package cyphertest_test

import (
	"testing"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
)

// TestConfigIgnoresTheUsersNeo4j: NEO4J_URI names the user's database, which tests empty; only
// CHOKEPOINT_TEST_NEO4J_URI names a test server.
func TestConfigIgnoresTheUsersNeo4j(t *testing.T) {
	t.Setenv("NEO4J_URI", "bolt://127.0.0.1:7687")
	t.Setenv("CHOKEPOINT_TEST_NEO4J_URI", "")
	if cfg, ok := cyphertest.ConfigFromEnv(); ok {
		t.Fatalf("tests would use %s", cfg.URI)
	}
	t.Setenv("CHOKEPOINT_TEST_NEO4J_URI", "bolt://127.0.0.1:7698")
	if cfg, ok := cyphertest.ConfigFromEnv(); !ok || cfg.URI != "bolt://127.0.0.1:7698" || cfg.Database != "neo4j" {
		t.Fatalf("%+v %v", cfg, ok)
	}
}
