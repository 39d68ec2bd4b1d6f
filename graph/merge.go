package graph

import "fmt"

// Merge returns base with add laid over it: a commodity, node or edge of add replaces the one of
// base with the same id or key, and the rest of add is appended. Neither input is modified, and
// the result, which may share add's lists (as over an empty base), is not to be modified either.
// Importing add into a store that holds base leaves the store holding Merge(base, add).
// Records without an origin are named in validation problems by their place in add ("nodes[3]")
// or as "stored …" when they come from base.
func Merge(base, add *Dataset) *Dataset {
	return &Dataset{
		Commodities: mergeRecords(base.Commodities, add.Commodities, "commodities",
			func(c *Commodity) (string, **origin) { return c.ID, &c.at },
			func(c *Commodity) string { return "stored commodity " + c.ID }),
		Nodes: mergeRecords(base.Nodes, add.Nodes, "nodes",
			func(n *Node) (string, **origin) { return n.ID, &n.at },
			func(n *Node) string { return "stored node " + n.ID }),
		Edges: mergeRecords(base.Edges, add.Edges, "edges",
			func(e *Edge) (EdgeKey, **origin) { return e.Key(), &e.at },
			func(e *Edge) string { return fmt.Sprintf("stored edge %s %s→%s", e.Kind, e.From, e.To) }),
	}
}

// mergeRecords keeps the records of base whose key add does not hold, then appends add's,
// naming every record that has no origin. Over an empty base it returns add itself: a record's
// place in the result is its place in add, which names it.
func mergeRecords[T any, K comparable](base, add []T, list string, key func(*T) (K, **origin), stored func(*T) string) []T {
	if len(base) == 0 {
		return add
	}
	replaced := make(map[K]bool, len(add))
	for i := range add {
		k, _ := key(&add[i])
		replaced[k] = true
	}
	out := make([]T, 0, len(base)+len(add))
	for _, r := range base {
		if k, at := key(&r); !replaced[k] {
			if *at == nil {
				*at = &origin{stored: stored(&r)}
			}
			out = append(out, r)
		}
	}
	for i, r := range add {
		if _, at := key(&r); *at == nil {
			*at = &origin{record: place{list, i}}
		}
		out = append(out, r)
	}
	return out
}
