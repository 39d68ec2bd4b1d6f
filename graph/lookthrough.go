package graph

import (
	"math"
	"slices"
)

// Ownership look-through: the one fixed-point iteration behind control shares (controlShares),
// effective owners (ControlOf) and holdings.

// lookThroughPasses bounds the passes of lookThrough. A pass costs O(terms · components), so
// the bound keeps a ring that holds nearly all of its members from running without end.
const lookThroughPasses = 100000

// term is one input of a look-through value: share of the value of node from.
type term struct {
	from  int32
	share float64
}

// entry is one component of a look-through value: its key (a state index, or 0 for a scalar)
// and its value.
type entry struct {
	key int32
	val float64
}

// lookThrough solves, for the nodes in order (distinct, ascending),
//
//	v(x) = Σ_{(y, s) ∈ terms[x]} s·v(y) + base[x]
//
// in place in val, where val[y] of a node y not in order stays at its start value. A value is a
// sparse vector over the keys 0..dim−1, its entries sorted by key.
//
// Method: Gauss–Seidel, each pass visiting order in turn with the values already updated in the
// pass, summing a node's terms in their order and then its base, so that every call computes
// the same numbers (no map is iterated).
//
// Convergence rule: it stops after the first pass that changes no component by
// 1e-12·max(1, largest component of the pass) or more, and reports false when
// lookThroughPasses passes do not get there. The iteration converges whenever every ownership
// cycle among the nodes leaves part of one member to owners outside it, which validation
// requires (checkOwnershipCycles); slowly when a cycle holds nearly all of its members.
func lookThrough(order []int, terms [][]term, base, val [][]entry, dim int) bool {
	acc := make([]float64, dim)
	seen := make([]bool, dim)
	var keys []int32
	add := func(k int32, v float64) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		acc[k] += v
	}
	for range lookThroughPasses {
		change, largest := 0.0, 1.0
		for _, x := range order {
			keys = keys[:0]
			for _, t := range terms[x] {
				for _, e := range val[t.from] {
					add(e.key, t.share*e.val)
				}
			}
			for _, e := range base[x] {
				add(e.key, e.val)
			}
			slices.Sort(keys)
			if cur := val[x]; sameKeys(cur, keys) { // the usual case after the first passes: no allocation
				for i, k := range keys {
					change = math.Max(change, math.Abs(acc[k]-cur[i].val))
					cur[i].val = acc[k]
				}
			} else {
				next := make([]entry, len(keys))
				for i, k := range keys {
					next[i] = entry{k, acc[k]}
				}
				change = math.Max(change, distance(cur, next))
				val[x] = next
			}
			for _, k := range keys {
				largest = math.Max(largest, acc[k])
				acc[k], seen[k] = 0, false
			}
		}
		if change < 1e-12*largest {
			return true
		}
	}
	return false
}

// sameKeys reports whether the entries of v have exactly the keys, in order.
func sameKeys(v []entry, keys []int32) bool {
	if len(v) != len(keys) {
		return false
	}
	for i, k := range keys {
		if v[i].key != k {
			return false
		}
	}
	return true
}

// distance is the largest difference between two sparse vectors' components.
func distance(a, b []entry) float64 {
	d := 0.0
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].key < b[j].key:
			d = math.Max(d, math.Abs(a[i].val))
			i++
		case i == len(a) || b[j].key < a[i].key:
			d = math.Max(d, math.Abs(b[j].val))
			j++
		default:
			d = math.Max(d, math.Abs(a[i].val-b[j].val))
			i, j = i+1, j+1
		}
	}
	return d
}

// effectiveShares returns the effective share, the sum over ownership chains of the products of
// the shares, between root and every entity it reaches along owns edges: upwards, its owners'
// shares in root (e(root) = 1, e(o) = Σ_{o owns y with share s} s·e(y)); downwards, root's shares
// in the entities below it (e(y) = Σ_{o owns y with share s} s·e(o)). The entities are in
// ascending index order, root not among them; converged is lookThrough's.
func (n *Network) effectiveShares(root int, upwards bool) (ids []int, shares []float64, converged bool) {
	seen := map[int]bool{root: true}
	stack := []int{root}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range n.ownsEdges(v, upwards) {
			if w := n.otherEnd(e, upwards); !seen[w] {
				seen[w] = true
				ids = append(ids, w)
				stack = append(stack, w)
			}
		}
	}
	slices.Sort(ids)
	terms := make([][]term, len(n.nodes))
	for _, x := range ids {
		for _, e := range n.ownsEdges(x, !upwards) {
			terms[x] = append(terms[x], term{int32(n.otherEnd(e, !upwards)), *n.edges[e].Share})
		}
	}
	val := make([][]entry, len(n.nodes))
	val[root] = []entry{{0, 1}}
	converged = lookThrough(ids, terms, make([][]entry, len(n.nodes)), val, 1)
	shares = make([]float64, len(ids))
	for i, x := range ids {
		if len(val[x]) > 0 {
			shares[i] = val[x][0].val
		}
	}
	return ids, shares, converged
}

// ownsEdges returns the owns edges into v (its owners) when upwards, else out of v.
func (n *Network) ownsEdges(v int, upwards bool) []int32 {
	list := n.out[v]
	if upwards {
		list = n.in[v]
	}
	var out []int32
	for _, e := range list {
		if n.edges[e].Kind == Owns {
			out = append(out, e)
		}
	}
	return out
}

// otherEnd returns the owner of edge e when upwards, else what it owns.
func (n *Network) otherEnd(e int32, upwards bool) int {
	if upwards {
		return int(n.from[e])
	}
	return int(n.to[e])
}
