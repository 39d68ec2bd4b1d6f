package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// sectionRef is how a message names a README section: README, "Section" (quotes escaped or not).
var sectionRef = regexp.MustCompile(`README, \\?"([^"\\]+)\\?"`)

// TestReadmeSectionsExist: every README section that a message, the OpenAPI document or a report
// names exists as a heading of the README, and every mention of the README in them names one.
func TestReadmeSectionsExist(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, line := range strings.Split(string(readme), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			headings = append(headings, strings.TrimSpace(h))
		} else if h, ok := strings.CutPrefix(line, "### "); ok {
			headings = append(headings, strings.TrimSpace(h))
		}
	}
	refs := 0
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		ext := filepath.Ext(path)
		if d.IsDir() || strings.HasSuffix(path, "_test.go") || (ext != ".go" && ext != ".yaml" && ext != ".cypher") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for n, line := range strings.Split(string(data), "\n") {
			code, _, _ := strings.Cut(line, "// ") // Go comments are no messages
			if ext != ".go" {
				code = line
			}
			if !strings.Contains(code, "README") {
				continue
			}
			found := sectionRef.FindAllStringSubmatch(code, -1)
			if len(found) != strings.Count(code, "README") {
				t.Errorf("%s:%d mentions the README without naming a section as README, \"Section\": %s", path, n+1, strings.TrimSpace(line))
			}
			for _, m := range found {
				refs++
				if !slices.Contains(headings, m[1]) {
					t.Errorf("%s:%d names README section %q, which is no heading of README.md (%v)", path, n+1, m[1], headings)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if refs == 0 {
		t.Fatal("no README section named anywhere: the pattern no longer matches")
	}
}
