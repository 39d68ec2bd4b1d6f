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
// skipped once score(bound) cannot reach the current top-th result. runtime.GOMAXPROCS workers
// take the candidates in that order, each with its own RemovalWorker. The result is the same as
// from computing every loss.
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
	// beaten reports whether e cannot enter the top.
	beaten := func(e entry) bool {
		return top > 0 && len(best) >= top && compare(e, best[len(best)-1]) > 0
	}
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w *RemovalWorker
			for {
				i := int(next.Add(1)) - 1
				if i >= len(order) {
					return
				}
				v := order[i]
				// Rounding may put a computed loss a few ulps above the flow through the node.
				bound := entry{score: score(flow[v] * (1 + 1e-12)), pos: pos[v]}
				mu.Lock()
				skip := beaten(bound)
				mu.Unlock()
				if skip {
					continue
				}
				if w == nil {
					w = nr.Worker()
				}
				loss := w.Loss(v)
				if loss <= minLoss {
					continue
				}
				e := entry{NodeLoss{v, loss}, score(loss), pos[v]}
				mu.Lock()
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
