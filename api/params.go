package api

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// scenarioAnalysis is the name under which GET /analyses lists the scenario run, which takes a
// document (POST /scenarios/run) rather than query parameters.
const scenarioAnalysis = "scenario"

// Parameter types as GET /analyses names them.
const (
	typeString  = "string"
	typeInteger = "integer"
	typeNumber  = "number"
	typeBoolean = "boolean"
	typeList    = "list" // repeated or comma-separated values
)

// analysisQuery is what the query string of an analysis sets: the request and the year, the
// years to compare, and the answer's format.
type analysisQuery struct {
	graph.Request
	AsOf    *int
	Compare string
	Format  string
}

// Param is a query parameter of an analysis as GET /analyses lists it. The same table binds it,
// so the list and what the endpoints accept cannot drift apart. Every analysis endpoint accepts
// every parameter of the table, as the CLI's flags and the OpenAPI document's one operation do;
// GET /analyses lists for each analysis those it reads.
type Param struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Default     any      `json:"default,omitempty"` // of the parameter's type; absent when computed (as_of)
	Allowed     []string `json:"allowed,omitempty"`
	Description string   `json:"description"`

	takes func(analysis string) bool         // the analyses that read it
	set   func(*analysisQuery, string) error // sets it from its first value
	list  func(*analysisQuery) *[]string     // for a list: the field that gets every value
}

// Analysis describes an analysis as GET /analyses lists it: where it runs and what it takes.
type Analysis struct {
	Name        string  `json:"name"`
	Run         string  `json:"run"`
	Description string  `json:"description"`
	Parameters  []Param `json:"parameters"`
}

// analysisRuns tells what each analysis, and the scenario, computes.
var analysisRuns = map[string]string{
	graph.AnalysisFlow:          "the maximum supply of a commodity that can reach a consumer",
	graph.AnalysisChokepoints:   "the nodes the supply of a consumer depends on, by method",
	graph.AnalysisControl:       "who owns and controls each firm and facility, or one node",
	graph.AnalysisConcentration: "how concentrated the output or capacity of a commodity is, by state and by firm",
	graph.AnalysisDependency:    "the share of a consumer's supply that depends on a supplier state, by stage",
	graph.AnalysisCentrality:    "a centrality metric of every node",
	graph.AnalysisRoutes:        "the k shortest supply routes to a consumer, avoiding what is asked",
	graph.AnalysisFinance:       "what each financier's deals deliver to a consumer",
	graph.AnalysisAttribution:   "which origins account for the change of a dependency since a base year",
	graph.AnalysisTrend:         "the dependency and the max supply of each year of a range: the dependency and flow analyses, year by year",
	scenarioAnalysis:            "a what-if document (controls, removals, stocks) run against the network; its fields are in README, \"Analyses\"",
}

// every, oneYear, forAll and only pick the analyses a parameter applies to: oneYear those of one
// year, which a trend (of its own years) is not.
func every(name string) bool   { return name != scenarioAnalysis }
func oneYear(name string) bool { return every(name) && name != graph.AnalysisTrend }
func forAll(string) bool       { return true }
func only(names ...string) func(string) bool {
	return func(name string) bool { return slices.Contains(names, name) }
}

// text, integer, number, boolean and list make a parameter's setter for a field of the query.
// Values parse as the query binding always parsed them: an empty number is 0, an empty boolean
// false, and a bad one an error from strconv.
func text(field func(*analysisQuery) *string) func(*analysisQuery, string) error {
	return func(q *analysisQuery, v string) error { *field(q) = v; return nil }
}

func integer(field func(*analysisQuery) *int) func(*analysisQuery, string) error {
	return func(q *analysisQuery, v string) error {
		n, err := strconv.ParseInt(cmpZero(v, "0"), 10, 0)
		*field(q) = int(n)
		return err
	}
}

func number(field func(*analysisQuery) *float64) func(*analysisQuery, string) error {
	return func(q *analysisQuery, v string) error {
		f, err := strconv.ParseFloat(cmpZero(v, "0"), 64)
		*field(q) = f
		return err
	}
}

func boolean(field func(*analysisQuery) *bool) func(*analysisQuery, string) error {
	return func(q *analysisQuery, v string) error {
		b, err := strconv.ParseBool(cmpZero(v, "false"))
		*field(q) = b
		return err
	}
}

// cmpZero returns v, or zero when v is empty.
func cmpZero(v, zero string) string {
	if v == "" {
		return zero
	}
	return v
}

// listParam is a parameter of several values.
func listParam(name string, takes func(string) bool, field func(*analysisQuery) *[]string, description string) Param {
	return Param{Name: name, Type: typeList, Description: description, takes: takes, list: field}
}

// withDefault returns p with its default set.
func withDefault(p Param, def any) Param {
	p.Default = def
	return p
}

// kindNames returns edge kinds as strings.
func kindNames(kinds []graph.EdgeKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// endpointParams are the parameters of the analyses' endpoints that are no part of the request:
// the year, the years to compare and the format. A view that draws an analysis has its own.
var endpointParams = []Param{
	{Name: "as_of", Type: typeInteger, Description: "the year to analyse (default: this year)", takes: oneYear,
		set: func(q *analysisQuery, v string) error {
			var y int
			err := integer(func(*analysisQuery) *int { return &y })(q, v)
			q.AsOf = &y
			return err
		}},
	{Name: "compare", Type: typeString, Description: "two years A,B: the analysis for both, side by side with the differences (instead of as_of)",
		takes: oneYear, set: text(func(q *analysisQuery) *string { return &q.Compare })},
	{Name: "format", Type: typeString, Default: "json", Allowed: []string{"json", "csv"}, Description: "the answer's format (also Accept: text/csv)",
		takes: forAll, set: text(func(q *analysisQuery) *string { return &q.Format })},
}

// requestParams is the table of the parameters that set graph.Request: their names, how GET
// /analyses documents them, which analyses take them, and the field each sets.
var requestParams = []Param{
	{Name: "commodity", Type: typeString, Description: "a family (rare-earths) or a product (ndpr-oxide); needed by all but control and centrality",
		takes: every, set: text(func(q *analysisQuery) *string { return &q.Commodity })},
	{Name: "consumer", Type: typeString, Description: "a firm or facility id, a state (state:JP), a coalition (coalition:quad), or a comma-separated list of these",
		takes: every, set: text(func(q *analysisQuery) *string { return &q.Consumer })},
	{Name: "supplier", Type: typeString, Description: "the supplier state or coalition (state:CN)",
		takes: only(graph.AnalysisDependency, graph.AnalysisAttribution, graph.AnalysisTrend), set: text(func(q *analysisQuery) *string { return &q.Supplier })},
	{Name: "method", Type: typeString, Default: graph.MethodFlow, Allowed: graph.ChokepointMethods(), Description: "how chokepoints are found",
		takes: only(graph.AnalysisChokepoints), set: text(func(q *analysisQuery) *string { return &q.Method })},
	{Name: "metric", Type: typeString, Default: graph.MetricBetweenness, Allowed: graph.CentralityMetrics(), Description: "the centrality metric",
		takes: only(graph.AnalysisCentrality), set: text(func(q *analysisQuery) *string { return &q.Metric })},
	withDefault(listParam("kinds", only(graph.AnalysisCentrality), func(q *analysisQuery) *[]string { return &q.Kinds },
		"the edge kinds to use: "+strings.Join(kindNames(graph.EdgeKinds()), ", ")), strings.Join(kindNames(graph.DefaultCentralityKinds()), ",")),
	{Name: "tol", Type: typeNumber, Default: graph.DefaultPageRankTol, Description: fmt.Sprintf("PageRank's tolerance, %g..%g: stop once a step changes the vector by under n*tol in L1", graph.MinPageRankTol, graph.MaxPageRankTol),
		takes: only(graph.AnalysisCentrality), set: number(func(q *analysisQuery) *float64 { return &q.Tol })},
	{Name: "node", Type: typeString, Description: "one entity's owners and controlling states (default: every firm and facility)",
		takes: only(graph.AnalysisControl), set: text(func(q *analysisQuery) *string { return &q.Node })},
	{Name: "from", Type: typeString, Description: "the routes' origin: a node id or a state (its mines); default every origin",
		takes: only(graph.AnalysisRoutes), set: text(func(q *analysisQuery) *string { return &q.From })},
	{Name: "to", Type: typeString, Description: "the routes' destination (the same as consumer)",
		takes: only(graph.AnalysisRoutes), set: text(func(q *analysisQuery) *string { return &q.To })},
	{Name: "k", Type: typeInteger, Default: graph.DefaultRoutes, Description: fmt.Sprintf("the number of routes, 1..%d", graph.MaxRoutes),
		takes: only(graph.AnalysisRoutes), set: integer(func(q *analysisQuery) *int { return &q.K })},
	{Name: "max_hops", Type: typeInteger, Default: graph.DefaultMaxHops, Description: fmt.Sprintf("the hop limit of a route, 1..%d", graph.MaxHops),
		takes: only(graph.AnalysisRoutes), set: integer(func(q *analysisQuery) *int { return &q.MaxHops })},
	{Name: "cost", Type: typeString, Default: graph.CostHops, Allowed: []string{graph.CostHops, graph.CostRisk}, Description: "what a route's length counts",
		takes: only(graph.AnalysisRoutes), set: text(func(q *analysisQuery) *string { return &q.Cost })},
	listParam("avoid_states", only(graph.AnalysisRoutes), func(q *analysisQuery) *[]string { return &q.AvoidStates }, "avoid nodes located in these states or coalitions"),
	listParam("avoid_control", only(graph.AnalysisRoutes), func(q *analysisQuery) *[]string { return &q.AvoidControl }, "avoid nodes controlled from these states or coalitions"),
	listParam("avoid_firms", only(graph.AnalysisRoutes), func(q *analysisQuery) *[]string { return &q.AvoidFirms }, "avoid these firms and what they control or operate"),
	listParam("avoid_nodes", only(graph.AnalysisRoutes), func(q *analysisQuery) *[]string { return &q.AvoidNodes }, "avoid these nodes"),
	listParam("only_states", graph.IsFlowAnalysis, func(q *analysisQuery) *[]string { return &q.OnlyStates }, "friend-shoring: only nodes located in these states or coalitions"),
	listParam("only_control", graph.IsFlowAnalysis, func(q *analysisQuery) *[]string { return &q.OnlyControl }, "friend-shoring: only nodes controlled from these states or coalitions"),
	{Name: "apply_controls", Type: typeBoolean, Default: false, Description: "apply the export controls in force in the year",
		takes: graph.IsFlowAnalysis, set: boolean(func(q *analysisQuery) *bool { return &q.ApplyControls })},
	{Name: "licence_pass", Type: typeNumber, Description: "with apply_controls: the share of volume (0..1) a licence or quota lets pass, overriding the data",
		takes: graph.IsFlowAnalysis, set: func(q *analysisQuery, v string) error {
			var f float64
			err := number(func(*analysisQuery) *float64 { return &f })(q, v)
			q.LicencePass = &f
			return err
		}},
	{Name: "top", Type: typeInteger, Default: 0, Description: "only the top N ranked results (0: all)",
		takes: oneYear, set: integer(func(q *analysisQuery) *int { return &q.Top })},
	{Name: "basis", Type: typeString, Default: graph.BasisOutput, Allowed: graph.ConcentrationBases(), Description: "measure facilities by their output in the year or their capacity",
		takes: only(graph.AnalysisConcentration), set: text(func(q *analysisQuery) *string { return &q.Basis })},
	{Name: "weight", Type: typeString, Default: graph.WeightVolume, Allowed: graph.DependencyWeights(), Description: "weigh what enters the consumer by volume or value",
		takes: only(graph.AnalysisDependency, graph.AnalysisTrend), set: text(func(q *analysisQuery) *string { return &q.Weight })},
	{Name: "financier", Type: typeString, Description: "one financier (firm:jogmec); default every financier with a deal by the year",
		takes: only(graph.AnalysisFinance), set: text(func(q *analysisQuery) *string { return &q.Financier })},
	{Name: "base", Type: typeInteger, Description: "the base year to compare with (e.g. 2010)",
		takes: only(graph.AnalysisAttribution), set: integer(func(q *analysisQuery) *int { return &q.Base })},
	{Name: "years", Type: typeString, Default: fmt.Sprintf("%d..%d", graph.TrendFrom, graph.TrendTo),
		Description: fmt.Sprintf("a trend's years A..B, A < B, at most %d", graph.MaxTrendYears),
		takes:       only(graph.AnalysisTrend), set: text(func(q *analysisQuery) *string { return &q.Years })},
}

// paramsOf returns the parameters of tables that the named analysis reads, in the tables' order.
func paramsOf(name string, tables ...[]Param) []Param {
	var out []Param
	for _, table := range tables {
		for _, p := range table {
			if p.takes(name) {
				out = append(out, p)
			}
		}
	}
	return out
}

// analysisEndpoint are the parameters GET /analyses/{name} accepts, for every analysis.
var analysisEndpoint = slices.Concat(endpointParams, requestParams)

// analysisList is the answer of GET /analyses: every analysis, the scenario last, with its
// parameters.
func analysisList() []Analysis {
	names := append(graph.Analyses(), scenarioAnalysis)
	out := make([]Analysis, len(names))
	for i, name := range names {
		run := "GET /api/v1/analyses/" + name
		if name == scenarioAnalysis {
			run = "POST /api/v1/scenarios/run"
		}
		out[i] = Analysis{Name: name, Run: run, Description: analysisRuns[name], Parameters: paramsOf(name, endpointParams, requestParams)}
	}
	return out
}

// bindAnalysis binds the query string into q through params (of the tables above); extra, when
// not nil, is a pointer to a struct whose form tags name further parameters of the endpoint (a
// view's), bound by gin. Errors: EInvalid for a parameter neither takes, or a value that does not
// parse.
func bindAnalysis(c *gin.Context, params []Param, q *analysisQuery, extra any) error {
	var known []string
	if extra != nil {
		known = slices.Clone(queryParams(reflect.TypeOf(extra)))
	}
	for _, p := range params {
		known = append(known, p.Name)
	}
	slices.Sort(known)
	if err := checkQuery(c, slices.Compact(known)); err != nil {
		return err
	}
	values := c.Request.URL.Query()
	for _, p := range params {
		vs, ok := values[p.Name]
		switch {
		case !ok:
		case p.list != nil:
			*p.list(q) = vs
		default:
			if err := p.set(q, vs[0]); err != nil {
				return graph.Errorf(graph.EInvalid, "bad query string: %v", err)
			}
		}
	}
	if extra != nil {
		if err := c.ShouldBindQuery(extra); err != nil {
			return graph.Errorf(graph.EInvalid, "bad query string: %v", err)
		}
	}
	return nil
}
