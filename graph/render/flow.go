package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// FlowOptions tune a flow view.
type FlowOptions struct {
	// AsOf is the year shown: the network is cut to what was in service then (see
	// graph.Network.AsOf). Zero shows the network as given.
	AsOf int
	// Top is how many chokepoints to highlight, ranked by the flow method (the drop in max
	// supply if the node disappears); zero highlights none.
	Top int
}

// Flow writes the flow view of q as DOT: the part of the commodity's flow graph (the supplies
// and offtake edges carrying it, see graph.MaxSupply) that lies on some path from an origin to
// the consumer. An origin is, as in the analyses, a mine, or a refinery for which net records no
// input of the commodity in any year, with an edge carrying it. Nodes show name, location state,
// stage and capacity in the commodity, filled by stage and outlined by state; edges show commodity
// and volume, with widths following volumes; the top chokepoints are outlined thick red with
// their rank; the consumer's members are grouped in a cluster; mines are on the left, the
// consumer on the right.
//
// net is the whole network: origins are told from every year's records, and the view is cut to
// o.AsOf here. O(V + E) plus one max flow per flow-carrying node for the chokepoints.
// Errors: EInvalid (missing commodity or consumer, year or top out of range), ENotFound (unknown
// commodity or consumer; an *EmptyView when no origin reaches the consumer, naming the products
// it does receive), ETooLarge (more than MaxNodes nodes or MaxEdges edges).
func Flow(net *graph.Network, q graph.Query, o FlowOptions) ([]byte, error) {
	if q.Commodity == "" {
		return nil, graph.Errorf(graph.EInvalid, "a commodity is required: a family (%s) or a product id", strings.Join(net.Families(), ", "))
	}
	if o.Top < 0 || o.Top > graph.MaxTop {
		return nil, graph.Errorf(graph.EInvalid, "top must be 0..%d, got %d", graph.MaxTop, o.Top)
	}
	cut, err := asOf(net, o.AsOf)
	if err != nil {
		return nil, err
	}
	// MaxSupply checks the commodity and the consumer as every analysis does.
	supply, err := graph.MaxSupply(cut, q)
	if err != nil {
		return nil, err
	}
	set, _ := cut.CommoditySet(q.Commodity) // known good: MaxSupply resolved it
	part, err := graph.FlowPartOf(cut, q)
	if err != nil {
		return nil, err
	}
	v := &view{net: cut, products: set, weighted: true, center: -1, allYears: o.AsOf == 0,
		nodes: part.Nodes, edges: part.Edges, members: part.Members}
	err = checkSize(fmt.Sprintf("flow view of %s to %s", q.Commodity, q.Consumer), len(v.nodes), len(v.edges),
		"choose one product (e.g. ndpr-oxide) instead of a family, a single firm or facility as the consumer, or an earlier as_of year")
	if err != nil {
		return nil, err
	}
	if o.Top > 0 {
		cp, err := graph.FindChokepoints(cut, q, graph.MethodFlow, o.Top)
		if err != nil {
			return nil, err
		}
		v.ranked = cp.Nodes
	}
	year := "all years"
	if o.AsOf != 0 {
		year = fmt.Sprintf("as of %d", o.AsOf)
	}
	consumer := consumerName(cut, q.Consumer)
	v.title = []string{fmt.Sprintf("%s flow to %s, %s", q.Commodity, consumer, year),
		"max supply " + tonnes(float64(supply.MaxSupply))}
	switch len(v.ranked) {
	case 0:
	case 1:
		v.title[1] += "; the top chokepoint by lost supply in red"
	default:
		v.title[1] += fmt.Sprintf("; top %d chokepoints by lost supply in red", len(v.ranked))
	}
	v.cluster = "consumer: " + consumer
	if len(v.nodes) == 0 {
		members, _ := cut.ConsumerMembers(q.Consumer) // known good: MaxSupply resolved it
		v.empty = emptyFlow(cut, members, set, q, consumer, year)
		return nil, &EmptyView{Err: graph.Errorf(graph.ENotFound, "%s", strings.Join(v.empty, " ")), DOT: v.dot()}
	}
	return v.dot(), nil
}

// EmptyView is the error of a view with nothing to draw: an ENotFound graph.Error whose message
// says why and what would show something, and the DOT of a picture that says the same.
type EmptyView struct {
	Err *graph.Error
	DOT []byte
}

// Error returns the message.
func (e *EmptyView) Error() string { return e.Err.Error() }

// Unwrap returns the graph.Error, so that graph.ErrorCode and graph.ErrorMessage read it.
func (e *EmptyView) Unwrap() error { return e.Err }

// emptyFlow explains an empty flow view: the consumer receives none of the commodity from an
// origin in the year, and these are the products it does receive (on the supplies and offtake
// edges into its members from outside), which would show something.
func emptyFlow(net *graph.Network, members []int, set map[string]bool, q graph.Query, consumer, year string) []string {
	in := map[int]bool{}
	for _, m := range members {
		in[m] = true
	}
	var received, selected []string
	for e, ed := range net.Edges() {
		from, to := net.Ends(e)
		if (ed.Kind == graph.Supplies || ed.Kind == graph.Offtake) && in[to] && !in[from] && !slices.Contains(received, ed.Commodity) {
			received = append(received, ed.Commodity)
			if set[ed.Commodity] {
				selected = append(selected, ed.Commodity)
			}
		}
	}
	slices.Sort(received)
	slices.Sort(selected)
	lines := []string{fmt.Sprintf("Nothing to show: %s receives no %s from an origin (%s).", consumer, q.Commodity, year)}
	switch {
	case len(received) == 0:
		lines = append(lines, "It receives no product at all then: choose another consumer or year.")
	case len(selected) > 0:
		lines = append(lines, fmt.Sprintf("It receives %s, but no recorded chain leads back to a mine or an origin refinery.", strings.Join(selected, ", ")),
			fmt.Sprintf("It receives: %s.", strings.Join(received, ", ")))
	default:
		lines = append(lines, fmt.Sprintf("It receives: %s; draw one of these as the commodity.", strings.Join(received, ", ")))
	}
	return lines
}

// asOf cuts net to a year; zero leaves it whole.
func asOf(net *graph.Network, year int) (*graph.Network, error) {
	if year == 0 {
		return net, nil
	}
	if err := graph.CheckYear("as_of", year); err != nil {
		return nil, err
	}
	return net.AsOf(year), nil
}

// consumerName names a consumer already checked: each part's name and id.
func consumerName(net *graph.Network, consumer string) string {
	var names []string
	for _, id := range strings.Split(consumer, ",") {
		id = strings.TrimSpace(id)
		if graph.IsStateCode(id) {
			id = graph.StateID(id)
		}
		names = append(names, fmt.Sprintf("%s (%s)", net.Node(id).Name, id))
	}
	return strings.Join(names, ", ")
}
