package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// NeighbourhoodOptions tune a neighbourhood view.
type NeighbourhoodOptions struct {
	Depth int              // hops from the node, 1..MaxDepth; zero means 1
	Kinds []graph.EdgeKind // edge kinds followed and drawn; empty means all
	// AsOf is the year shown: the network is cut to what was in service then (see
	// graph.Network.AsOf). Zero shows the network as given, every edge with its years.
	AsOf int
}

// Neighbourhood writes as DOT the nodes within o.Depth hops of the node id, following edges of
// o.Kinds in either direction, and every edge of those kinds among them (the induced subgraph,
// as NetworkX's ego_graph). Ownership and operation are dashed, export restrictions dotted red;
// the node itself has a double outline. A bare ISO code names its state. net is the whole
// network; the view is cut to o.AsOf here. O(V + E).
// Errors: EInvalid (depth, kinds), ENotFound (id), ETooLarge (more than MaxNodes nodes or
// MaxEdges edges).
func Neighbourhood(net *graph.Network, id string, o NeighbourhoodOptions) ([]byte, error) {
	if o.Depth == 0 {
		o.Depth = 1
	}
	if o.Depth < 1 || o.Depth > MaxDepth {
		return nil, graph.Errorf(graph.EInvalid, "depth must be 1..%d, got %d", MaxDepth, o.Depth)
	}
	kinds := o.Kinds
	if len(kinds) == 0 {
		kinds = graph.EdgeKinds()
	}
	for _, k := range kinds {
		if !slices.Contains(graph.EdgeKinds(), k) {
			return nil, graph.Errorf(graph.EInvalid, "unknown edge kind %q (want %s)", k, kindNames(graph.EdgeKinds()))
		}
	}
	net, err := asOf(net, o.AsOf)
	if err != nil {
		return nil, err
	}
	if graph.IsStateCode(id) {
		id = graph.StateID(id)
	}
	center, ok := net.NodeIndex(id)
	if !ok {
		return nil, graph.Errorf(graph.ENotFound, "no node %q", id)
	}
	follow := func(e int32) bool { return slices.Contains(kinds, net.Edges()[e].Kind) }
	in := map[int]bool{center: true}
	frontier := []int{center}
	// A state's firms and facilities (those headquartered or located there, as a consumer
	// state's members) are one hop from it, drawn in a cluster.
	var located []int
	if net.Nodes()[center].Kind == graph.State {
		located, _ = net.ConsumerMembers(id) // a state of the network: found
	}
	for hop := range o.Depth {
		var next []int
		if hop == 0 {
			for _, m := range located {
				in[m] = true
				next = append(next, m)
			}
		}
		for _, u := range frontier {
			for _, list := range [][]int32{net.Out(u), net.In(u)} {
				for _, e := range list {
					w, to := net.Ends(int(e))
					if w == u {
						w = to
					}
					if !in[w] && follow(e) {
						in[w] = true
						next = append(next, w)
					}
				}
			}
		}
		frontier = next
	}
	v := &view{net: net, center: center, allYears: o.AsOf == 0}
	for i := range net.Nodes() {
		if in[i] {
			v.nodes = append(v.nodes, i)
		}
	}
	for e := range net.Edges() {
		if from, to := net.Ends(e); in[from] && in[to] && follow(int32(e)) {
			v.edges = append(v.edges, e)
		}
	}
	advice := "choose a smaller depth, fewer edge kinds (e.g. supplies,offtake) or an as_of year"
	if err := checkSize(fmt.Sprintf("neighbourhood of %s at depth %d", id, o.Depth), len(v.nodes), len(v.edges), advice); err != nil {
		return nil, err
	}
	year := "all years"
	if o.AsOf != 0 {
		year = fmt.Sprintf("as of %d", o.AsOf)
	}
	title := fmt.Sprintf("%s (%s): %d-hop neighbourhood, %s", net.Nodes()[center].Name, id, o.Depth, year)
	if len(o.Kinds) > 0 {
		title += ", " + kindNames(kinds)
	}
	v.title = []string{title}
	if len(located) > 0 {
		v.members, v.spread = located, true
		v.cluster = fmt.Sprintf("headquartered or located in %s (%s)", net.Nodes()[center].Name, id)
	}
	return v.dot(), nil
}

// kindNames lists edge kinds for messages and titles.
func kindNames(kinds []graph.EdgeKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
