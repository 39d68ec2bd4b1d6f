package graph

import "fmt"

// Merge returns base with add laid over it: a commodity, node or edge of add replaces the one of
// base with the same id or key, and the rest of add is appended. Neither input is modified.
// Records without an origin are named in validation problems by their place in add ("nodes[3]")
// or as "stored …" when they come from base.
// Importing add into a store that holds base leaves the store holding Merge(base, add).
func Merge(base, add *Dataset) *Dataset {
	out := &Dataset{}
	addC := make(map[string]bool, len(add.Commodities))
	for _, c := range add.Commodities {
		addC[c.ID] = true
	}
	for _, c := range base.Commodities {
		if !addC[c.ID] {
			c.at = namedOrigin(c.at, "stored commodity "+c.ID)
			out.Commodities = append(out.Commodities, c)
		}
	}
	for i, c := range add.Commodities {
		c.at = namedOrigin(c.at, fmt.Sprintf("commodities[%d]", i))
		out.Commodities = append(out.Commodities, c)
	}
	addN := make(map[string]bool, len(add.Nodes))
	for _, n := range add.Nodes {
		addN[n.ID] = true
	}
	for _, n := range base.Nodes {
		if !addN[n.ID] {
			n.at = namedOrigin(n.at, "stored node "+n.ID)
			out.Nodes = append(out.Nodes, n)
		}
	}
	for i, n := range add.Nodes {
		n.at = namedOrigin(n.at, fmt.Sprintf("nodes[%d]", i))
		out.Nodes = append(out.Nodes, n)
	}
	addE := make(map[EdgeKey]bool, len(add.Edges))
	for i := range add.Edges {
		addE[add.Edges[i].Key()] = true
	}
	for i := range base.Edges {
		if e := base.Edges[i]; !addE[e.Key()] {
			e.at = namedOrigin(e.at, fmt.Sprintf("stored edge %s %s→%s", e.Kind, e.From, e.To))
			out.Edges = append(out.Edges, e)
		}
	}
	for i, e := range add.Edges {
		e.at = namedOrigin(e.at, fmt.Sprintf("edges[%d]", i))
		out.Edges = append(out.Edges, e)
	}
	return out
}

// namedOrigin keeps a record's origin, or names it when it has none (built in code, or projected
// from a store), so that problems in a merged dataset still point at the right record.
func namedOrigin(at *origin, name string) *origin {
	if at != nil {
		return at
	}
	return &origin{record: name}
}
