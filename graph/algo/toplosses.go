package algo

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// NodeLoss is the maximum flow lost when Node is removed.
type NodeLoss struct {
	Node int
	Loss float64
}

// TopLosses returns the nodes of cands whose removal loses more than minLoss of the maximum flow,
// with their losses, ordered by score(loss) descending and then by position in cands; for top > 0
// only the first top of them. score must be non-decreasing (a rounding, say); cands give the
// order of ties and must not repeat a node.
//
// The loss of a node is at most the flow through it (flow[v], FlowResult.Through of the same
// maximum flow), so the candidates are tried in descending order of that bound and, for top > 0,
// skipped once score(bound) cannot reach the current top-th result. Each query tightens the
// bound of the nodes whose flow it moved (a flow of value Value() - L with g through x bounds
// x's loss by L + g), and stops as soon as its own loss is bound below the top.
// runtime.GOMAXPROCS workers take the candidates in that order, each with its own
// RemovalWorker. The result is the same as from computing every loss.
func (nr *NodeRemoval) TopLosses(cands []int, flow []float64, top int, minLoss float64, score func(float64) float64) []NodeLoss {
	pos := make([]int, nr.r.n)
	for i, v := range cands {
		pos[v] = i
	}
	order := make([]int, 0, len(cands))
	for _, v := range cands {
		if flow[v] > 0 {
			order = append(order, v)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(flow[b], flow[a]); c != 0 {
			return c
		}
		return cmp.Compare(pos[a], pos[b])
	})
	type entry struct {
		NodeLoss
		score float64
		pos   int
	}
	compare := func(a, b entry) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	}
	var (
		mu   sync.Mutex
		best []entry // sorted; for top > 0 at most top
		next atomic.Int64
		wg   sync.WaitGroup
	)
	// bound[v] is at least the loss of v: the flow through v at first, lowered by every query
	// (RemovalWorker.loss) that ends with less flow through v.
	bound := slices.Clone(flow)
	slack := 1e-9 * nr.value
	// beaten reports whether e cannot enter the top.
	beaten := func(e entry) bool {
		return top > 0 && len(best) >= top && compare(e, best[len(best)-1]) > 0
	}
	// boundBeaten reports whether v, losing at most ub, cannot enter the top. Rounding may put a
	// computed loss a little above its bound. Called with mu held.
	boundBeaten := func(v int, ub float64) bool {
		return beaten(entry{score: score(ub*(1+1e-12) + slack), pos: pos[v]})
	}
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var (
				w     *RemovalWorker
				v     int        // the candidate of the query
				flows []NodeLoss // (x, flow through x) after a query
			)
			collect := func(x int, g float64) { flows = append(flows, NodeLoss{x, g}) }
			stop := func(ub float64) bool {
				mu.Lock()
				defer mu.Unlock()
				return boundBeaten(v, ub)
			}
			if top <= 0 {
				collect, stop = nil, nil // every carrier is computed: no bound to tighten, no stop
			}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(order) {
					return
				}
				v = order[i]
				mu.Lock()
				skip := boundBeaten(v, bound[v])
				mu.Unlock()
				if skip {
					continue
				}
				if w == nil {
					w = nr.Worker()
				}
				flows = flows[:0]
				loss, exact := w.loss(v, collect, stop)
				mu.Lock()
				for _, f := range flows {
					bound[f.Node] = min(bound[f.Node], loss+f.Loss)
				}
				if !exact || loss <= minLoss {
					mu.Unlock()
					continue
				}
				e := entry{NodeLoss{v, loss}, score(loss), pos[v]}
				if !beaten(e) {
					at, _ := slices.BinarySearchFunc(best, e, compare)
					best = slices.Insert(best, at, e)
					if top > 0 && len(best) > top {
						best = best[:top]
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	out := make([]NodeLoss, len(best))
	for i, e := range best {
		out[i] = e.NodeLoss
	}
	return out
}
