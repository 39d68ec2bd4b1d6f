package render

import (
	"fmt"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// Routes writes as DOT exactly the routes that the routes analysis returns for r on net cut to
// the year (graph.Analyze with graph.AnalysisRoutes: the same flow graph, origins, avoidances,
// export controls and limits): the nodes and edges of every route, each route's edges in its
// own colour (an edge on several routes drawn once for each), labelled with commodity and volume,
// the consumer's members in a cluster, and the routes' hops, cost and bottleneck in the legend.
// No route (everything avoided) draws a picture saying so. net is the whole network; year 0
// draws it uncut. O(routes · hops) after the analysis.
// Errors: those of the analysis (EInvalid, ENotFound), EInvalid for a year out of range.
func Routes(net *graph.Network, r graph.Request, year int) ([]byte, error) {
	cut, err := asOf(net, year)
	if err != nil {
		return nil, err
	}
	res, err := graph.Analyze(cut, graph.AnalysisRoutes, r)
	if err != nil {
		return nil, err
	}
	routes := res.Result.(*graph.Routes)
	consumer := routes.Consumer
	v := &view{net: cut, center: -1, allYears: year == 0, routes: map[int][]int{}, edgeText: map[int][]string{}}
	edgeIndex := map[edgeKey]int{}
	for e := range cut.Edges() {
		edgeIndex[keyOf(&cut.Edges()[e])] = e
	}
	onRoute := map[int]bool{}
	for n, rt := range routes.Routes {
		for _, ref := range rt.Nodes {
			if i, ok := cut.NodeIndex(ref.ID); ok {
				onRoute[i] = true
			}
		}
		for _, ref := range rt.Edges {
			e, ok := edgeIndex[edgeKey{ref.Kind, ref.From, ref.To, ref.Commodity}]
			if !ok {
				continue // an edge of a scenario's network only; not in the data
			}
			v.routes[e] = append(v.routes[e], n)
			// The analysis's volume: export controls may have cut it.
			text := []string{ref.Commodity}
			if ref.VolumeTPA != nil {
				text = append(text, tonnes(*ref.VolumeTPA))
			}
			v.edgeText[e] = text
		}
		hops := "hops"
		if rt.Hops == 1 {
			hops = "hop"
		}
		row := fmt.Sprintf("route %d: %d %s, bottleneck %s", n+1, rt.Hops, hops, tonnes(float64(rt.Bottleneck)))
		if routes.Cost == graph.CostRisk {
			row += fmt.Sprintf(", risk cost %.4g", rt.Cost)
		}
		v.routeRows = append(v.routeRows, legendRow{color: routeColor(n), text: row})
	}
	for i := range cut.Nodes() {
		if onRoute[i] {
			v.nodes = append(v.nodes, i)
		}
	}
	for e := range cut.Edges() {
		if len(v.routes[e]) > 0 {
			v.edges = append(v.edges, e)
		}
	}
	if err := checkSize("routes view", len(v.nodes), len(v.edges), "ask for fewer routes (k) or one product instead of a family"); err != nil {
		return nil, err
	}
	members, _ := cut.ConsumerMembers(consumer) // known good: the analysis resolved it
	for _, m := range members {
		if onRoute[m] {
			v.members = append(v.members, m)
		}
	}
	when := "all years"
	if year != 0 {
		when = fmt.Sprintf("as of %d", year)
	}
	name := consumerName(cut, consumer)
	v.cluster = "consumer: " + name
	v.title = []string{fmt.Sprintf("%s routes to %s, %s", routes.Commodity, name, when), routeConditions(routes, r)}
	if len(routes.Routes) == 0 {
		v.empty = []string{v.title[0], "No route: " + routeConditions(routes, r) + " leaves no path from an origin to the consumer."}
	}
	return v.dot(), nil
}

// routeConditions describes what a routes query asked for: how many routes by which cost, from
// where, within how many hops, avoiding or keeping to what.
func routeConditions(routes *graph.Routes, r graph.Request) string {
	parts := []string{fmt.Sprintf("the %d shortest by %s", routes.K, routes.Cost)}
	if routes.From != "" {
		parts = append(parts, "from "+routes.From)
	}
	parts = append(parts, fmt.Sprintf("within %d hops", routes.MaxHops))
	a := routes.Avoid
	for _, c := range []struct {
		what string
		ids  []string
	}{
		{"avoiding nodes in", a.StatesByLocation}, {"avoiding nodes controlled by", a.StatesByControl},
		{"only nodes in", a.OnlyStatesByLocation}, {"only nodes controlled by", a.OnlyStatesByControl},
		{"avoiding firms", a.Firms}, {"avoiding", a.Nodes},
	} {
		if len(c.ids) > 0 {
			parts = append(parts, c.what+" "+strings.Join(c.ids, ", "))
		}
	}
	if r.ApplyControls {
		parts = append(parts, "export controls applied")
	}
	return strings.Join(parts, ", ")
}
