package graph

// FlowPart is the part of a commodity's flow graph (see MaxSupply) that lies on some path from an
// origin to the consumer: what a picture of the flow draws. Indices are the network's.
type FlowPart struct {
	Nodes   []int // ascending
	Edges   []int // supplies and offtake edges carrying the commodity, ascending
	Members []int // the consumer's members among Nodes, ascending
}

// FlowPartOf returns the part of q's flow graph on some origin→consumer path, from the flow graph
// every flow analysis builds (the same origins, consumer and commodity selection). O(V + E).
// Errors: EInvalid, ENotFound (see Query).
func FlowPartOf(net *Network, q Query) (*FlowPart, error) {
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	n := len(net.nodes)
	fwd, back := make([][]int, n), make([][]int, n)
	for a, arc := range fg.g.Arcs() {
		if fg.edgeOf[a] >= 0 {
			fwd[arc.From] = append(fwd[arc.From], arc.To)
			back[arc.To] = append(back[arc.To], arc.From)
		}
	}
	fromOrigin, toConsumer := reachable(fwd, fg.sources), reachable(back, fg.members)
	part := &FlowPart{}
	for i := range n {
		if fromOrigin[i] && toConsumer[i] {
			part.Nodes = append(part.Nodes, i)
		}
	}
	for a, arc := range fg.g.Arcs() {
		if e := fg.edgeOf[a]; e >= 0 && fromOrigin[arc.From] && toConsumer[arc.To] {
			part.Edges = append(part.Edges, e)
		}
	}
	for _, m := range fg.members {
		if fromOrigin[m] && toConsumer[m] {
			part.Members = append(part.Members, m)
		}
	}
	return part, nil
}

// ConsumerMembers resolves a consumer as every flow analysis does: a state id (or bare ISO code)
// to every firm and facility there, a coalition to those of its member states, any other node id
// to itself, a comma-separated list to the union of its parts. Ascending.
// Errors: EInvalid when empty, ENotFound when unknown.
func (n *Network) ConsumerMembers(consumer string) ([]int, error) { return n.consumerMembers(consumer) }

// reachable marks the nodes reachable from starts along next.
func reachable(next [][]int, starts []int) []bool {
	seen := make([]bool, len(next))
	stack := append([]int(nil), starts...)
	for _, s := range starts {
		seen[s] = true
	}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, w := range next[u] {
			if !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return seen
}
