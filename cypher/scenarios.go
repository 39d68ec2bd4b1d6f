package cypher

import (
	"context"
	"encoding/json"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Scenarios is the graph.ScenarioStore in Neo4j: one (:Scenario {name, document}) node a saved
// scenario, its document the scenario's JSON. Every service instance on the database sees the same
// scenarios, with no cache to go stale. Calls have the store's deadline and fail fast with it
// while Neo4j is down.
type Scenarios struct{ store *Store }

var _ graph.ScenarioStore = Scenarios{}

// Scenarios returns the saved scenarios kept in the store's database.
func (s *Store) Scenarios() Scenarios { return Scenarios{store: s} }

const (
	scenarioList   = "MATCH (s:Scenario) RETURN s.name, s.document ORDER BY s.name"
	scenarioGet    = "MATCH (s:Scenario {name: $name}) RETURN s.name, s.document"
	scenarioPut    = "MERGE (s:Scenario {name: $name}) SET s.document = $document"
	scenarioDelete = "MATCH (s:Scenario {name: $name}) DELETE s RETURN count(*)"
)

// query runs one statement under the store's deadline, on a writer when write is set.
func (sc Scenarios) query(ctx context.Context, stmt string, params map[string]any, write bool) (*neo4j.EagerResult, error) {
	var res *neo4j.EagerResult
	routing := neo4j.ExecuteQueryWithReadersRouting()
	if write {
		routing = neo4j.ExecuteQueryWithWritersRouting()
	}
	err := sc.store.call(ctx, sc.store.cfg.Timeout, false, func(ctx context.Context) error {
		var err error
		res, err = neo4j.ExecuteQuery(ctx, sc.store.driver, stmt, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(sc.store.cfg.Database), routing)
		return err
	})
	return res, err
}

// decode reads a scenario back from a record of name and document.
func decode(rec *neo4j.Record) (graph.Scenario, error) {
	var out graph.Scenario
	name, doc := str(rec.Values[0]), str(rec.Values[1])
	if err := json.Unmarshal([]byte(doc), &out); err != nil || out.Name != name {
		return out, graph.Errorf(graph.EConflict, "the saved scenario %q in Neo4j is not a scenario document (edited outside chokepoint?): save it again or delete it", name)
	}
	return out, nil
}

// List implements graph.ScenarioStore.
func (sc Scenarios) List(ctx context.Context) ([]graph.Scenario, error) {
	res, err := sc.query(ctx, scenarioList, nil, false)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Scenario, 0, len(res.Records))
	for _, rec := range res.Records {
		s, err := decode(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Get implements graph.ScenarioStore.
func (sc Scenarios) Get(ctx context.Context, name string) (graph.Scenario, error) {
	res, err := sc.query(ctx, scenarioGet, map[string]any{"name": name}, false)
	if err != nil {
		return graph.Scenario{}, err
	}
	if len(res.Records) == 0 {
		return graph.Scenario{}, graph.NoScenario(name)
	}
	return decode(res.Records[0])
}

// Put implements graph.ScenarioStore: one statement, so all or nothing.
func (sc Scenarios) Put(ctx context.Context, s graph.Scenario) error {
	doc, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = sc.query(ctx, scenarioPut, map[string]any{"name": s.Name, "document": string(doc)}, true)
	return err
}

// Delete implements graph.ScenarioStore.
func (sc Scenarios) Delete(ctx context.Context, name string) error {
	res, err := sc.query(ctx, scenarioDelete, map[string]any{"name": name}, true)
	if err != nil {
		return err
	}
	if n, _ := res.Records[0].Values[0].(int64); n == 0 {
		return graph.NoScenario(name)
	}
	return nil
}
