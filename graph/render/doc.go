// Package render draws focused views of a supply network as Graphviz DOT and lays them out as SVG or PNG with go-graphviz.
package render
