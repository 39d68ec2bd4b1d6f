package algo_test

import (
	"testing"

	"github.com/chokepoint/chokepoint/graph/algo"
)

func BenchmarkZZDom(b *testing.B) {
	g, _, src, _ := flowLayered(300000, 3)
	h := withSuperSource(g, src)
	for b.Loop() {
		algo.ImmediateDominators(h, 300000)
	}
}
func BenchmarkZZFlow(b *testing.B) {
	g, nc, src, sink := flowLayered(300000, 3)
	for b.Loop() {
		algo.MaxFlow(g, nc, src, sink)
	}
}
