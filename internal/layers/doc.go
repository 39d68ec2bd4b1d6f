// Package layers holds no code: its test checks the import rule of docs/architecture.md, which
// package may import which, and where the outside libraries (Gin, the Neo4j driver, Graphviz) may
// be used.
package layers
