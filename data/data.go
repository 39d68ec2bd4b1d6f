// Package data holds the bundled dataset, embedded in the binary: the rare-earth, gallium and
// germanium supply network as public sources describe it (see SOURCES.md).
package data

import (
	"bytes"
	_ "embed"

	"github.com/chokepoint/chokepoint/graph"
)

//go:embed chokepoint.json
var bundled []byte

// FileName is the bundled dataset's file name, used in error messages.
const FileName = "data/chokepoint.json"

// Bundled decodes the bundled dataset. It is not validated here; the store validates it.
func Bundled() (*graph.Dataset, error) {
	return graph.DecodeJSON(bytes.NewReader(bundled), FileName)
}
