package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptsTestRefusesTheUsersNeo4j: scripts/test empties the database it tests on, so it
// refuses the state dir and the port of the README's Neo4j before it starts anything.
func TestScriptsTestRefusesTheUsersNeo4j(t *testing.T) {
	cache := t.TempDir()
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"UserStateDir", []string{"CHOKEPOINT_TEST_NEO4J_STATE=" + filepath.Join(cache, "chokepoint", "neo4j-state")}, "state dir of your own Neo4j"},
		{"UserStateDirFromNeo4jEnv", []string{"CHOKEPOINT_NEO4J_STATE=" + filepath.Join(cache, "chokepoint", "neo4j-state")}, "state dir of your own Neo4j"},
		{"UserPort", []string{"NEO4J_PORT=7687"}, "port 7687 is your own Neo4j's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("../scripts/test")
			cmd.Env = append(testEnv(), "XDG_CACHE_HOME="+cache)
			cmd.Env = append(cmd.Env, tc.env...)
			out, err := cmd.CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), tc.want) {
				t.Fatalf("scripts/test: %v\n%s\nwant exit status 2 saying %q", err, out, tc.want)
			}
		})
	}
}

// testEnv is the environment without Neo4j or chokepoint settings.
func testEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEO4J_") && !strings.HasPrefix(kv, "CHOKEPOINT_") && !strings.HasPrefix(kv, "XDG_CACHE_HOME=") {
			out = append(out, kv)
		}
	}
	return out
}
