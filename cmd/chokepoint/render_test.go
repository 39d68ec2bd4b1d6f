package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
)

func TestRender(t *testing.T) {
	t.Run("FlowDOT", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "flow", "--data", small, "--commodity", "rare-earths", "--consumer", "JP", "--as-of", "2024", "--top", "2", "--format", "dot")
		if code != 0 {
			t.Fatalf("%d %s", code, errOut)
		}
		f, err := os.Open(small)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		ds, err := graph.DecodeJSON(f, "small.json")
		if err != nil {
			t.Fatal(err)
		}
		net, err := graph.NewNetwork(ds)
		if err != nil {
			t.Fatal(err)
		}
		want, err := render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "JP"}, render.FlowOptions{AsOf: 2024, Top: 2})
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("the CLI's DOT differs from render.Flow's:\n%s", out)
		}
	})
	t.Run("FlowSVGBundled", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "flow", "--commodity", "rare-earths", "--consumer", "state:JP", "--as-of", "2025")
		if code != 0 || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, ">Lynas Malaysia (LAMP, Gebeng/Kuantan)</text>") {
			t.Fatalf("%d %s %.200s", code, errOut, out)
		}
	})
	t.Run("NodePNG", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "ausco.png")
		out, errOut, code := run(t, []string{"CHOKEPOINT_FORMAT=png"}, "render", "node", "firm:ausco", "--data", small, "--depth", "2", "--kinds", "owns,operates", "--out", file)
		if code != 0 || out != "" {
			t.Fatalf("%d %s %s", code, errOut, out)
		}
		b, err := os.ReadFile(file)
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("%v % x", err, b[:min(8, len(b))])
		}
	})
	t.Run("NodeDOT", func(t *testing.T) {
		out, errOut, code := run(t, nil, "render", "node", "--data", small, "--kinds", "owns", "--kinds", "operates", "--format", "dot", "firm:ausco")
		if code != 0 || !strings.Contains(out, `"firm:jp-agency" -> "firm:ausco" [label="owns 25%\n2011–"`) || strings.Contains(out, "supplies") {
			t.Fatalf("%d %s %s", code, errOut, out)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"ErrNoView", nil, 2, "name a view: flow or node"},
		{"ErrView", []string{"map"}, 2, `unknown view "map" (want flow or node)`},
		{"ErrPNGToStdout", []string{"flow", "--commodity", "rare-earths", "--consumer", "JP", "--format", "png"}, 2, "png is binary: write it to a file with --out FILE"},
		{"ErrFormat", []string{"flow", "--commodity", "rare-earths", "--consumer", "JP", "--format", "gif"}, 2, `--format must be svg, png, dot, got "gif"`},
		{"ErrYear", []string{"node", "firm:ausco", "--as-of", "1200"}, 2, "--as-of 1200 is outside 1800..2100"},
		{"ErrNoNode", []string{"node"}, 2, "name the node: chokepoint render node ID"},
		{"ErrExtra", []string{"flow", "x"}, 2, `unexpected argument "x"`},
		{"ErrConsumer", []string{"flow", "--commodity", "rare-earths", "--consumer", "firm:nope"}, 1, `unknown consumer "firm:nope"`},
		{"ErrDepth", []string{"node", "firm:ausco", "--depth", "4"}, 1, "depth must be 1..3, got 4"},
		{"ErrTimeout", []string{"node", "firm:ausco", "--timeout", "1ns"}, 1, "rendering did not finish within its deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"render"}, tc.args...)
			if len(tc.args) > 0 {
				args = append(args, "--data", small)
			}
			_, errOut, code := run(t, nil, args...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Fatalf("%d %s", code, errOut)
			}
		})
	}
}
