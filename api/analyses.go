package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/persist"
	"github.com/gin-gonic/gin"
)

// MaxScenarioBytes bounds a scenario document.
const MaxScenarioBytes = 1 << 20

func (s *Server) analysisRoutes(r *gin.RouterGroup) {
	r.GET("/analyses", s.handle(func(c *gin.Context) (any, error) {
		if err := noQuery(c); err != nil {
			return nil, err
		}
		return gin.H{"analyses": analysisList()}, nil
	}))
	r.GET("/analyses/:name", s.handle(s.analyze))
	r.POST("/scenarios/run", s.handle(s.runScenarioBody))
	r.GET("/scenarios", s.handle(s.listScenarios))
	r.GET("/scenarios/:name", s.handle(s.getScenario))
	r.PUT("/scenarios/:name", s.requireKey, s.handle(s.saveScenario))
	r.DELETE("/scenarios/:name", s.requireKey, s.handle(s.deleteScenario))
	r.POST("/scenarios/:name/run", s.handle(s.runSavedScenario))
}

// analysisNetwork is the network an analysis runs on: as of the year asked, or this year.
func (s *Server) analysisNetwork(c *gin.Context, q networkQuery) (*graph.Network, int, error) {
	if q.AsOf == nil {
		year := graph.ThisYear()
		q.AsOf = &year
	}
	net, err := s.network(c, q)
	return net, *q.AsOf, err
}

// analyze runs the analysis the path names: an unknown name is 404 before any parameter is read.
func (s *Server) analyze(c *gin.Context) (any, error) {
	name := c.Param("name")
	if name == scenarioAnalysis {
		return nil, graph.Errorf(graph.ENotFound, "a scenario runs a document: POST /api/v1/scenarios/run")
	}
	if err := graph.CheckAnalysis(name); err != nil {
		return nil, err
	}
	var q analysisQuery
	if err := bindAnalysis(c, analysisEndpoint, &q, nil); err != nil {
		return nil, err
	}
	format, err := resultFormat(c, q.Format)
	if err != nil {
		return nil, err
	}
	if name == graph.AnalysisTrend && (q.AsOf != nil || q.Compare != "") {
		return nil, graph.Errorf(graph.EInvalid, "a trend spans years (years=A..B): as_of and compare are for the analyses of one year")
	}
	if q.Compare != "" {
		if q.AsOf != nil {
			return nil, graph.Errorf(graph.EInvalid, "give either as_of or compare, not both")
		}
		years, err := graph.ParseYears(q.Compare)
		if err != nil {
			return nil, err
		}
		net, err := s.network(c, networkQuery{})
		if err != nil {
			return nil, err
		}
		cmp, err := graph.Compare(net, name, q.Request, years)
		if err != nil {
			return nil, err
		}
		return asFormat(cmp, format, name)
	}
	if name == graph.AnalysisTrend { // on the whole network, which it cuts to each of its years
		net, err := s.network(c, networkQuery{})
		if err != nil {
			return nil, err
		}
		res, err := graph.Analyze(net, name, q.Request)
		if err != nil {
			return nil, err
		}
		return asFormat(res, format, name)
	}
	net, year, err := s.analysisNetwork(c, networkQuery{AsOf: q.AsOf})
	if err != nil {
		return nil, err
	}
	res, err := graph.Analyze(net, name, q.Request)
	if err != nil {
		return nil, err
	}
	res.AsOf = year
	return asFormat(res, format, name)
}

// decodeScenario reads a scenario document strictly: unknown fields and trailing data are errors.
func decodeScenario(c *gin.Context) (graph.Scenario, error) {
	var sc graph.Scenario
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, MaxScenarioBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return sc, err
		}
		return sc, graph.Errorf(graph.EInvalid, "malformed scenario: %v", err)
	}
	if dec.More() {
		return sc, graph.Errorf(graph.EInvalid, "malformed scenario: unexpected data after the document")
	}
	return sc, nil
}

// scenarioParams are the query parameters of a scenario run.
var scenarioParams = paramsOf(scenarioAnalysis, endpointParams)

// runScenario runs sc, answering JSON or (format=csv, Accept: text/csv) CSV.
func (s *Server) runScenario(c *gin.Context, sc graph.Scenario) (any, error) {
	var q analysisQuery
	if err := bindAnalysis(c, scenarioParams, &q, nil); err != nil {
		return nil, err
	}
	format, err := resultFormat(c, q.Format)
	if err != nil {
		return nil, err
	}
	res, err := s.scenarioResult(c, sc)
	if err != nil {
		return nil, err
	}
	name := sc.Name
	if name == "" {
		name = "scenario"
	}
	return asFormat(res, format, name)
}

// scenarioResult runs sc on the network, in the current year unless it names one.
func (s *Server) scenarioResult(c *gin.Context, sc graph.Scenario) (*graph.ScenarioResult, error) {
	net, err := s.Store.Network(c)
	if err != nil {
		return nil, err
	}
	return graph.RunScenario(net, withScenarioYear(sc))
}

// withScenarioYear gives a scenario without a year this year's.
func withScenarioYear(sc graph.Scenario) graph.Scenario {
	if sc.AsOf == 0 {
		sc.AsOf = graph.ThisYear()
	}
	return sc
}

func (s *Server) runScenarioBody(c *gin.Context) (any, error) {
	if err := bindAnalysis(c, scenarioParams, &analysisQuery{}, nil); err != nil {
		return nil, err // before reading the body
	}
	sc, err := decodeScenario(c)
	if err != nil {
		return nil, err
	}
	return s.runScenario(c, sc)
}

func (s *Server) runSavedScenario(c *gin.Context) (any, error) {
	if err := bindAnalysis(c, scenarioParams, &analysisQuery{}, nil); err != nil {
		return nil, err // before looking the scenario up
	}
	sc, err := s.scenarios().Get(c, c.Param("name"))
	if err != nil {
		return nil, err
	}
	return s.runScenario(c, sc)
}

func (s *Server) listScenarios(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	list, err := s.scenarios().List(c)
	if err != nil {
		return nil, err
	}
	return gin.H{"scenarios": list}, nil
}

func (s *Server) getScenario(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	return s.scenarios().Get(c, c.Param("name"))
}

// saveScenario stores a scenario under a name after checking that it runs.
func (s *Server) saveScenario(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	name := c.Param("name")
	if !graph.ValidName(name) {
		return nil, graph.Errorf(graph.EInvalid, "scenario name %q: use 1-64 of a-z, 0-9, '-' and '_'", name)
	}
	sc, err := decodeScenario(c)
	if err != nil {
		return nil, err
	}
	if sc.Name != "" && sc.Name != name {
		return nil, graph.Errorf(graph.EInvalid, "the document names scenario %q but the URL %q", sc.Name, name)
	}
	sc.Name = name
	if _, err := s.scenarioResult(c, sc); err != nil {
		return nil, err
	}
	if err := s.scenarios().Put(c, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

func (s *Server) deleteScenario(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	if err := s.scenarios().Delete(c, c.Param("name")); err != nil {
		return nil, err
	}
	return gin.H{"deleted": c.Param("name")}, nil
}

// scenarios returns where saved scenarios are kept — Scenarios, else ScenarioDir, else memory —
// its calls timed and counted in the metrics.
func (s *Server) scenarios() graph.ScenarioStore {
	var store graph.ScenarioStore = &s.memScenarios
	switch {
	case s.Scenarios != nil:
		store = s.Scenarios
	case s.ScenarioDir != "":
		store = persist.ScenarioDir(s.ScenarioDir)
	}
	return observedScenarios{ScenarioStore: store, m: s.metrics}
}
