package graph

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// ScenarioStore keeps saved scenarios by name (ValidName). Implementations: MemScenarios in
// memory, persist.ScenarioDir in a directory of files (the embedded store), cypher.Scenarios in
// Neo4j, where every service instance on the database sees the same ones.
type ScenarioStore interface {
	// List returns every saved scenario, by name. Errors: EUnavailable, ETimeout, EConflict for
	// a stored document that does not read.
	List(ctx context.Context) ([]Scenario, error)
	// Get returns one. Errors: ENotFound, and List's.
	Get(ctx context.Context, name string) (Scenario, error)
	// Put saves sc under sc.Name, replacing any scenario of that name, all or nothing.
	// Errors: EUnavailable, ETimeout.
	Put(ctx context.Context, sc Scenario) error
	// Delete removes one. Errors: ENotFound, EUnavailable, ETimeout.
	Delete(ctx context.Context, name string) error
}

// NoScenario is the error of Get and Delete for a name nothing is saved under.
func NoScenario(name string) error { return Errorf(ENotFound, "no saved scenario %q", name) }

// SortScenarios orders scenarios by name, as List returns them.
func SortScenarios(list []Scenario) {
	slices.SortFunc(list, func(a, b Scenario) int { return strings.Compare(a.Name, b.Name) })
}

// MemScenarios is a ScenarioStore in memory, lost at exit.
type MemScenarios struct {
	mu sync.Mutex
	m  map[string]Scenario
}

var _ ScenarioStore = (*MemScenarios)(nil)

// List implements ScenarioStore.
func (s *MemScenarios) List(context.Context) ([]Scenario, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Scenario, 0, len(s.m))
	for _, sc := range s.m {
		out = append(out, sc)
	}
	SortScenarios(out)
	return out, nil
}

// Get implements ScenarioStore.
func (s *MemScenarios) Get(_ context.Context, name string) (Scenario, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, ok := s.m[name]
	if !ok {
		return sc, NoScenario(name)
	}
	return sc, nil
}

// Put implements ScenarioStore.
func (s *MemScenarios) Put(_ context.Context, sc Scenario) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Scenario{}
	}
	s.m[sc.Name] = sc
	return nil
}

// Delete implements ScenarioStore.
func (s *MemScenarios) Delete(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[name]; !ok {
		return NoScenario(name)
	}
	delete(s.m, name)
	return nil
}
