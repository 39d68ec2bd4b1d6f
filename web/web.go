// Package web is the analysts' web page: static HTML, CSS and JavaScript modules embedded in the
// binary, which call only the public /api/v1 endpoints. The api package serves it at / and /ui/….
package web

import (
	"embed"
	"path"
	"slices"
	"strings"
)

//go:embed index.html assets
var files embed.FS

// Views are the page's views: /ui/VIEW answers the page, which shows that view.
var Views = []string{"ask", "explore", "node", "whatif", "reports", "trends"}

// CSP is the Content-Security-Policy of every file of the page: scripts and styles only from the
// page's own files (no inline script or handler), pictures from the page, inline or fetched, calls only to
// the same origin.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// File is one file of the page.
type File struct {
	Body []byte
	Type string // its Content-Type
}

// Lookup returns the file served at urlPath: the page for / and /ui/VIEW, an asset for
// /ui/assets/NAME; ok is false for any other path.
func Lookup(urlPath string) (f File, ok bool) {
	name := "index.html"
	if rest, isUI := strings.CutPrefix(urlPath, "/ui/"); isUI {
		if asset, isAsset := strings.CutPrefix(rest, "assets/"); isAsset {
			if asset == "" || strings.Contains(asset, "/") {
				return File{}, false
			}
			name = "assets/" + asset
		} else if !slices.Contains(Views, rest) {
			return File{}, false
		}
	} else if urlPath != "/" {
		return File{}, false
	}
	body, err := files.ReadFile(name)
	if err != nil {
		return File{}, false
	}
	return File{Body: body, Type: types[path.Ext(name)]}, true
}

// types are the content types of the page's files, by extension (not the system's MIME table,
// which differs between machines).
var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}
