package graph

import (
	"context"
	"sync"
)

// Store holds the supply network: Neo4j in production (package cypher), memory otherwise.
type Store interface {
	// Import merges add over the stored network (a record replaces the stored one with the same
	// id or key) after validating the merged whole; a dataset with any problem changes nothing.
	// Errors: EInvalid with every problem, EUnavailable, ETimeout.
	Import(ctx context.Context, add *Dataset) (ImportResult, error)
	// Network returns the projection of the stored network, cached until the next write.
	// Errors: EUnavailable, ETimeout.
	Network(ctx context.Context) (*Network, error)
	// Ready returns nil when the store can serve requests. Errors: EUnavailable.
	Ready(ctx context.Context) error
}

// ImportResult counts the records an import wrote, and the stored totals after it.
type ImportResult struct {
	Commodities int `json:"commodities"`
	Nodes       int `json:"nodes"`
	Edges       int `json:"edges"`
	TotalNodes  int `json:"total_nodes"`
	TotalEdges  int `json:"total_edges"`
}

// MemStore is a Store held in memory: the embedded default when no Neo4j is configured.
type MemStore struct {
	mu  sync.RWMutex
	net *Network
}

// NewMemStore returns a MemStore holding ds. Errors: EInvalid.
func NewMemStore(ds *Dataset) (*MemStore, error) {
	net, err := NewNetwork(ds)
	if err != nil {
		return nil, err
	}
	return &MemStore{net: net}, nil
}

// Import implements Store.
func (s *MemStore) Import(_ context.Context, add *Dataset) (ImportResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	net, err := NewNetwork(Merge(s.net.Dataset(), add))
	if err != nil {
		return ImportResult{}, err
	}
	s.net = net
	return ImportResult{Commodities: len(add.Commodities), Nodes: len(add.Nodes), Edges: len(add.Edges),
		TotalNodes: len(net.nodes), TotalEdges: len(net.edges)}, nil
}

// Network implements Store.
func (s *MemStore) Network(context.Context) (*Network, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.net, nil
}

// Ready implements Store; a MemStore is always ready.
func (s *MemStore) Ready(context.Context) error { return nil }
