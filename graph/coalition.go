package graph

import (
	"slices"
	"strings"
)

// CoalitionMembers returns the ISO codes of a coalition's members in the network (cut to a year,
// its members of that year), sorted. Errors: ENotFound for an unknown coalition, naming the
// coalitions the network has.
func (n *Network) CoalitionMembers(id string) ([]string, error) {
	i, ok := n.index[id]
	if !ok || n.nodes[i].Kind != Coalition {
		return nil, Errorf(ENotFound, "unknown coalition %q (want one of %s)", id, strings.Join(n.coalitionIDs(), ", "))
	}
	var codes []string
	for _, e := range n.in[i] {
		if n.edges[e].Kind == Member {
			codes = append(codes, nodeState(&n.nodes[n.from[e]]))
		}
	}
	slices.Sort(codes)
	return slices.Compact(codes), nil
}

func (n *Network) coalitionIDs() []string {
	var ids []string
	for i := range n.nodes {
		if n.nodes[i].Kind == Coalition {
			ids = append(ids, n.nodes[i].ID)
		}
	}
	if len(ids) == 0 {
		return []string{"none in this dataset"}
	}
	return ids
}

// stateSet resolves a list of states and coalitions (CN, state:CN, coalition:quad) to the set of
// ISO codes it names. Errors: EInvalid for a name that is neither, ENotFound for an unknown
// coalition.
func (n *Network) stateSet(list []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, s := range list {
		if strings.HasPrefix(s, "coalition:") {
			codes, err := n.CoalitionMembers(s)
			if err != nil {
				return nil, err
			}
			for _, c := range codes {
				out[c] = true
			}
			continue
		}
		c := strings.TrimPrefix(s, "state:")
		if !IsStateCode(c) {
			return nil, Errorf(EInvalid, "%q is not a state or coalition (want an ISO code such as CN, state:CN, or coalition:ID)", s)
		}
		out[c] = true
	}
	return out, nil
}
