package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"testing"

	"github.com/chokepoint/chokepoint/data"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

// BenchmarkLayoutVsNative lays the same DOT out through the service's path (a warm layout
// worker of the built binary, as serve runs it) and with the native dot command, for a view of
// about 50 nodes, one of about 150 and the Japan view, as SVG and PNG (the same resolution and
// size cap). scripts/bench_render.sh runs it and prints the times side by side with their ratio.
// It needs the binary that TestMain builds, and Graphviz's dot on the PATH for the native side.
func BenchmarkLayoutVsNative(b *testing.B) {
	exe := os.Getenv("CHOKEPOINT_TEST_BINARY") // set by TestMain
	if exe == "" {
		b.Skip("no chokepoint binary built")
	}
	ds, err := data.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	net, err := graph.NewNetwork(ds)
	if err != nil {
		b.Fatal(err)
	}
	views := []struct {
		name string
		dot  func() ([]byte, error)
	}{
		{"japan", func() ([]byte, error) {
			return render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2025, Top: graph.DefaultTop})
		}},
		{"n50", func() ([]byte, error) { // state:JP, 2 hops along flows and ownership: 50 nodes
			return render.Neighbourhood(net, "state:JP", render.NeighbourhoodOptions{Depth: 2, Kinds: []graph.EdgeKind{graph.Supplies, graph.Offtake, graph.Owns}})
		}},
		{"n150", func() ([]byte, error) { // state:JP, 3 hops: 143 nodes
			return render.Neighbourhood(net, "state:JP", render.NeighbourhoodOptions{Depth: 3})
		}},
	}
	p := newLayoutPool(1)
	p.exe = func() (string, error) { return exe, nil }
	p.prestart(slog.New(slog.DiscardHandler))
	native, nativeErr := exec.LookPath("dot")
	for _, v := range views {
		dot, err := v.dot()
		if err != nil {
			b.Fatal(err)
		}
		for _, format := range []string{render.FormatSVG, render.FormatPNG} {
			b.Run(v.name+"/"+format+"/service", func(b *testing.B) {
				for b.Loop() {
					if _, err := p.layout(context.Background(), dot, format); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(v.name+"/"+format+"/native", func(b *testing.B) {
				if nativeErr != nil {
					b.Skip("native dot is not installed (Debian: apt-get install graphviz)")
				}
				args := []string{"-T" + format}
				if format == render.FormatPNG {
					args = append(args, "-Gdpi=120", "-Gsize=30,30") // as render's PNG
				}
				for b.Loop() {
					cmd := exec.Command(native, args...)
					cmd.Stdin = bytes.NewReader(dot)
					if out, err := cmd.Output(); err != nil || len(out) == 0 {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
