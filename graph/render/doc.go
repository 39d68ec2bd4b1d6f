// Package render draws focused views of a supply network as Graphviz DOT, lays them out as SVG with go-graphviz, and draws PNG from that SVG in Go.
package render
