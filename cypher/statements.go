package cypher

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed schema.cypher import.cypher
var files embed.FS

// namedStatements parses a file of statements, each introduced by a "// name: NAME" comment line
// and ended by a semicolon. Other comment lines are dropped.
func namedStatements(file string) map[string]string {
	data, err := files.ReadFile(file)
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	out := map[string]string{}
	var name string
	var body []string
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if n, ok := strings.CutPrefix(trimmed, "// name:"); ok {
			name, body = strings.TrimSpace(n), nil
			continue
		}
		if strings.HasPrefix(trimmed, "//") || trimmed == "" {
			continue
		}
		body = append(body, line)
		if strings.HasSuffix(trimmed, ";") {
			if name == "" {
				panic(fmt.Sprintf("cypher: %s: statement without a name", file))
			}
			out[name] = strings.TrimSuffix(strings.TrimSpace(strings.Join(body, "\n")), ";")
			name, body = "", nil
		}
	}
	return out
}

// schemaStatements returns the schema statements in file order.
func schemaStatements() []string {
	data, err := files.ReadFile("schema.cypher")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "//") {
			out = append(out, strings.TrimSuffix(line, ";"))
		}
	}
	return out
}
