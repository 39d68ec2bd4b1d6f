package graph

import "fmt"

// Merge returns base with add laid over it: a commodity, node or edge of add replaces the one of
// base with the same id or key, and the rest of add is appended. Neither input is modified.
// Records kept from base that were not read from a file are named "stored …" in validation problems.
// Importing add into a store that holds base leaves the store holding Merge(base, add).
func Merge(base, add *Dataset) *Dataset {
	out := &Dataset{}
	addC := make(map[string]bool, len(add.Commodities))
	for _, c := range add.Commodities {
		addC[c.ID] = true
	}
	for _, c := range base.Commodities {
		if !addC[c.ID] {
			c.at = storedOrigin(c.at, "stored commodity "+c.ID)
			out.Commodities = append(out.Commodities, c)
		}
	}
	out.Commodities = append(out.Commodities, add.Commodities...)
	addN := make(map[string]bool, len(add.Nodes))
	for _, n := range add.Nodes {
		addN[n.ID] = true
	}
	for _, n := range base.Nodes {
		if !addN[n.ID] {
			n.at = storedOrigin(n.at, "stored node "+n.ID)
			out.Nodes = append(out.Nodes, n)
		}
	}
	out.Nodes = append(out.Nodes, add.Nodes...)
	addE := make(map[EdgeKey]bool, len(add.Edges))
	for i := range add.Edges {
		addE[add.Edges[i].Key()] = true
	}
	for i := range base.Edges {
		if e := base.Edges[i]; !addE[e.Key()] {
			e.at = storedOrigin(e.at, fmt.Sprintf("stored edge %s %s→%s", e.Kind, e.From, e.To))
			out.Edges = append(out.Edges, e)
		}
	}
	out.Edges = append(out.Edges, add.Edges...)
	return out
}

func storedOrigin(at origin, name string) origin {
	if at.file != "" {
		return at
	}
	return origin{record: name}
}
