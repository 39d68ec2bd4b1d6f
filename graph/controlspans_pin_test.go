package graph_test

import (
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
	"github.com/chokepoint/chokepoint/internal/synthetic"
)

// TestControlSpansPinned: ControlSpans gives, span for span (order and float values included),
// the output recorded from its first implementation (the year-by-year solve of commit cbcc3a4)
// on synthetic networks, so that making it faster cannot change what an import writes.
func TestControlSpansPinned(t *testing.T) {
	for _, c := range []struct {
		nodes, edges int
		seed         uint64
		spans        int
		digest       string
	}{
		{10_000, 30_000, 1, 19990, "9c211653d95e4ae2d877270ff514eb743a41a88cef2ac27bc2ae82e6a1101afc"},
		{1000, 3000, 1, 1910, "31de313b5e1348b119cf34282590c0f508436ea354fe732c66627f1817b957f3"},
		{1000, 3000, 2, 1942, "2754cc6502d6a20f97154916db2f9da4971be5846b0b8839075281067f77d4fb"},
		{1000, 3000, 3, 2012, "abb4c76a4e76348146bd96148a5a9fac1fc5ce7b7051e368653d92b6cdadff07"},
		{1000, 3000, 7, 1877, "ad26f3229e00798176453d7025248c933c5bdb2c3d681d67020396f796b7aa7d"},
	} {
		t.Run(fmt.Sprintf("%d-%d", c.nodes, c.seed), func(t *testing.T) {
			net := fixture.Network(t, synthetic.MustGenerate(synthetic.Config{Nodes: c.nodes, Edges: c.edges, Seed: c.seed}))
			spans := graph.ControlSpans(net)
			digest := fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprint(spans))))
			if len(spans) != c.spans || digest != c.digest {
				t.Errorf("%d spans, digest %s; want %d, %s", len(spans), digest, c.spans, c.digest)
			}
		})
	}
}
