// Package graph is chokepoint's domain: the kinds of nodes and edges of a critical-minerals supply
// network, the dataset that carries them (JSON and CSV codecs, validation), the immutable indexed
// Network snapshot, and every analysis as a pure function of a Network.
//
// The package does no I/O beyond io.Reader and io.Writer and knows nothing of Neo4j or HTTP.
package graph
