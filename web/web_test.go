package web_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/web"
)

// TestLookup: every view and every file the page links to or imports is served with a content
// type, and nothing else is.
func TestLookup(t *testing.T) {
	index, ok := web.Lookup("/")
	if !ok || !strings.HasPrefix(index.Type, "text/html") {
		t.Fatalf("/: %v %q", ok, index.Type)
	}
	for _, v := range web.Views {
		if f, ok := web.Lookup("/ui/" + v); !ok || string(f.Body) != string(index.Body) {
			t.Errorf("/ui/%s is not the page", v)
		}
	}
	// The page's links and imports: href="/ui/…", src="/ui/…", import … from './x.js' and
	// import('./x.js').
	refs := regexp.MustCompile(`(?:href|src)="(/ui/[^"#?]*)"|(?:from |import\()'\./([a-z]+\.js)'`)
	checked := map[string]bool{}
	var check func(path string)
	check = func(path string) {
		if checked[path] {
			return
		}
		checked[path] = true
		f, ok := web.Lookup(path)
		if !ok || f.Type == "" {
			t.Errorf("%s is not served (ok %v, type %q)", path, ok, f.Type)
			return
		}
		for _, m := range refs.FindAllStringSubmatch(string(f.Body), -1) {
			if m[1] != "" {
				check(m[1])
			} else {
				check("/ui/assets/" + m[2])
			}
		}
	}
	check("/")
	for _, p := range []string{"/ui/assets/app.js", "/ui/assets/ui.js", "/ui/assets/ask.js", "/ui/assets/trends.js", "/ui/assets/reports.js"} {
		if !checked[p] {
			t.Errorf("%s was not reached from the page", p)
		}
	}
	for _, p := range []string{"/index.html", "/ui/index.html", "/ui/assets", "/ui/assets/", "/ui/assets/../index.html", "/ui/ask/x", "/assets/app.js"} {
		if _, ok := web.Lookup(p); ok {
			t.Errorf("%s is served", p)
		}
	}
}

// TestScripts: the scripts leave data out of HTML: no innerHTML, outerHTML, insertAdjacentHTML or
// document.write, and no inline event handler in the page (the CSP would refuse it).
func TestScripts(t *testing.T) {
	err := fs.WalkDir(web.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(web.Files, path)
		if err != nil {
			return err
		}
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", " onclick=", " onload=", "eval("} {
			if strings.Contains(string(body), bad) {
				t.Errorf("%s uses %s", path, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
