// Package algo holds the graph algorithms behind chokepoint's analyses, written over a compact
// integer-indexed directed graph so that they run fast and small on large projections.
// Every algorithm is defined as NetworkX 3 defines it and tested against NetworkX reference values.
package algo
