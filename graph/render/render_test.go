package render_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// japan is the bundled view of Japan's rare-earth supply in 2025.
func japan(tb testing.TB) []byte {
	tb.Helper()
	dot, err := render.Flow(fixture.Network(tb, fixture.Bundled(tb)), graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2025, Top: 5})
	if err != nil {
		tb.Fatal(err)
	}
	return dot
}

var (
	nodeRE = regexp.MustCompile(`(?m)^\s*"([a-z]+:[^"]*)" \[(.*)\]$`)
	edgeRE = regexp.MustCompile(`(?m)^\s*"([^"]*)" -> "([^"]*)" \[(.*)\]$`)
)

// parsed is a DOT document as the views write it: node and edge statements by id.
type parsed struct {
	nodes   []string          // ids, in order
	attrs   map[string]string // node id or "from -> to" → attribute list
	edges   []string          // "from -> to", in order
	cluster []string          // ids declared in the consumer cluster
}

func parse(t *testing.T, dot []byte) parsed {
	t.Helper()
	p := parsed{attrs: map[string]string{}}
	for _, m := range nodeRE.FindAllStringSubmatch(string(dot), -1) {
		p.nodes = append(p.nodes, m[1])
		p.attrs[m[1]] = m[2]
	}
	for _, m := range edgeRE.FindAllStringSubmatch(string(dot), -1) {
		k := m[1] + " -> " + m[2]
		p.edges = append(p.edges, k)
		p.attrs[k] += m[3]
	}
	if _, rest, ok := strings.Cut(string(dot), `subgraph "cluster_consumer" {`); ok {
		body, _, _ := strings.Cut(rest, "\n  }")
		for _, m := range nodeRE.FindAllStringSubmatch(body, -1) {
			p.cluster = append(p.cluster, m[1])
		}
	}
	return p
}

func TestFlow(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	q := graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}
	t.Run("OK", func(t *testing.T) {
		dot, err := render.Flow(net, q, render.FlowOptions{AsOf: 2024, Top: 2})
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, dot)
		// Every mine reaches Japan; the planned refinery, the gallium chain, owners and the
		// agency (a member of the consumer without any flow) are left out.
		wantNodes := []string{"firm:jp-maker", "firm:jp-trader", "refinery:magnet-jp", // the cluster first
			"mine:alpha", "mine:beta", "mine:gamma", "refinery:sep-cn", "refinery:sep-my"}
		if !slices.Equal(p.nodes, wantNodes) {
			t.Errorf("nodes %v, want %v", p.nodes, wantNodes)
		}
		wantEdges := []string{"firm:jp-trader -> firm:jp-maker", "refinery:sep-my -> firm:jp-trader",
			"mine:alpha -> refinery:sep-cn", "mine:beta -> refinery:sep-my", "mine:gamma -> refinery:sep-cn",
			"refinery:sep-cn -> refinery:magnet-jp"}
		if !slices.Equal(p.edges, wantEdges) {
			t.Errorf("edges %v, want %v", p.edges, wantEdges)
		}
		if want := []string{"firm:jp-maker", "firm:jp-trader", "refinery:magnet-jp"}; !slices.Equal(p.cluster, want) {
			t.Errorf("cluster %v, want %v", p.cluster, want)
		}
		for _, want := range []string{
			`rankdir="LR"`,
			`label="rare-earths flow to Japan (state:JP), as of 2024\nmax supply 90 t/a; top 2 chokepoints by lost supply in red"`,
			`graph [label="consumer: Japan (state:JP)", fontsize="11", style="rounded,filled", fillcolor="#f4f4f4", color="#999999", rank="same"]`,
			`subgraph "cluster_legend"`,
		} {
			if !bytes.Contains(dot, []byte(want)) {
				t.Errorf("missing %s", want)
			}
		}
		for id, want := range map[string]string{
			// The flow method ranks Separation CN first (it carries 60 of 90 t/a); Alpha, Beta
			// and Separation MY each cost 30 t/a, and Alpha wins the tie by id.
			"refinery:sep-cn":                       `label="#1 chokepoint: 60 t/a (66.7% of supply)\nSeparation CN\nCN · separation\ncap 80 t/a ndpr-oxide", shape="box", style="rounded,filled", fillcolor="#b9d6f2", color="#d62728", penwidth="5"`,
			"mine:alpha":                            `label="#2 chokepoint: 30 t/a (33.3% of supply)\nAlpha\nCN · mining\ncap 100 t/a re-concentrate", shape="box", style="rounded,filled", fillcolor="#d8b48a", color="#d62728", penwidth="5"`,
			"mine:beta":                             `label="Beta\nAU · mining\ncap 50 t/a re-concentrate", shape="box", style="rounded,filled", fillcolor="#d8b48a", color="#9467bd", penwidth="2"`,
			"firm:jp-trader":                        `label="JP Trader\nJP · firm", shape="box", style="filled", fillcolor="#ffffff", color="#1f77b4", penwidth="2"`,
			"mine:alpha -> refinery:sep-cn":         `label="re-concentrate\n90 t/a", style="solid", color="#444444", fontcolor="#444444", penwidth="5"`,
			"refinery:sep-my -> firm:jp-trader":     `label="ndpr-oxide\n30 t/a", style="solid", color="#1f5fa8", fontcolor="#1f5fa8", penwidth="3.3"`,
			"refinery:sep-cn -> refinery:magnet-jp": `label="ndpr-oxide\n60 t/a"`,
		} {
			if !strings.Contains(p.attrs[id], want) {
				t.Errorf("%s: got\n%s\nwant it to contain\n%s", id, p.attrs[id], want)
			}
		}
		again, _ := render.Flow(net, q, render.FlowOptions{AsOf: 2024, Top: 2})
		if !bytes.Equal(dot, again) {
			t.Error("the DOT differs between two runs")
		}
	})
	t.Run("AsOf", func(t *testing.T) {
		// In 2010 only Alpha fed Japan, through Separation CN; Beta and Gamma had not opened.
		dot, err := render.Flow(net, q, render.FlowOptions{AsOf: 2010, Top: 5})
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, dot)
		if want := []string{"refinery:magnet-jp", "mine:alpha", "refinery:sep-cn"}; !slices.Equal(p.nodes, want) {
			t.Errorf("nodes %v, want %v", p.nodes, want)
		}
	})
	t.Run("AllYears", func(t *testing.T) {
		dot, err := render.Flow(net, graph.Query{Commodity: "ndpr-oxide", Consumer: "firm:jp-maker"}, render.FlowOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, dot)
		if want := []string{"firm:jp-maker", "firm:jp-trader", "refinery:sep-my"}; !slices.Equal(p.nodes, want) {
			t.Errorf("nodes %v, want %v", p.nodes, want)
		}
		if want := `label="ndpr-oxide\n30 t/a\n2012–"`; !strings.Contains(p.attrs["refinery:sep-my -> firm:jp-trader"], want) {
			t.Errorf("edge without its years: %s", p.attrs["refinery:sep-my -> firm:jp-trader"])
		}
		if strings.Contains(string(dot), "#1 chokepoint") {
			t.Error("top 0 highlights chokepoints")
		}
	})
	t.Run("NoPath", func(t *testing.T) {
		// Japan receives only ndpr-oxide: the view says so in the error and in the picture.
		dot, err := render.Flow(net, graph.Query{Commodity: "gallium", Consumer: "state:JP"}, render.FlowOptions{Top: 3})
		var empty *render.EmptyView
		if dot != nil || !errors.As(err, &empty) || graph.ErrorCode(err) != graph.ENotFound {
			t.Fatalf("got %v, %v; want an EmptyView", dot, err)
		}
		want := "Nothing to show: Japan (state:JP) receives no gallium from an origin (all years). It receives: ndpr-oxide; draw one of these as the commodity."
		if graph.ErrorMessage(err) != want {
			t.Errorf("message %q, want %q", graph.ErrorMessage(err), want)
		}
		if p := parse(t, empty.DOT); len(p.nodes) != 0 || !strings.Contains(string(empty.DOT), `label="Nothing to show: Japan (state:JP) receives no gallium from an origin (all years).\nIt receives: ndpr-oxide; draw one of these as the commodity."`) {
			t.Errorf("nodes %v in\n%s", p.nodes, empty.DOT)
		}
		if strings.Contains(string(empty.DOT), "Legend") {
			t.Error("an empty view has a legend")
		}
	})
	t.Run("NothingReceived", func(t *testing.T) {
		// A mine receives nothing at all.
		_, err := render.Flow(net, graph.Query{Commodity: "ndpr-oxide", Consumer: "mine:alpha"}, render.FlowOptions{AsOf: 2024})
		if want := "It receives no product at all then"; !strings.Contains(graph.ErrorMessage(err), want) {
			t.Errorf("got %v, want it to contain %q", err, want)
		}
	})
	for _, tc := range []struct {
		name string
		q    graph.Query
		o    render.FlowOptions
		code string
	}{
		{"ErrNoCommodity", graph.Query{Consumer: "state:JP"}, render.FlowOptions{}, graph.EInvalid},
		{"ErrNoConsumer", graph.Query{Commodity: "rare-earths"}, render.FlowOptions{}, graph.EInvalid},
		{"ErrUnknownCommodity", graph.Query{Commodity: "lithium", Consumer: "JP"}, render.FlowOptions{}, graph.ENotFound},
		{"ErrUnknownConsumer", graph.Query{Commodity: "rare-earths", Consumer: "firm:nope"}, render.FlowOptions{}, graph.ENotFound},
		{"ErrYear", q, render.FlowOptions{AsOf: 1200}, graph.EInvalid},
		{"ErrTop", q, render.FlowOptions{Top: -1}, graph.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := render.Flow(net, tc.q, tc.o); graph.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

func TestNeighbourhood(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	t.Run("OK", func(t *testing.T) {
		dot, err := render.Neighbourhood(net, "firm:ausco", render.NeighbourhoodOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, dot)
		if want := []string{"firm:ausco", "firm:jp-agency", "mine:beta", "refinery:sep-my"}; !slices.Equal(p.nodes, want) {
			t.Errorf("nodes %v, want %v", p.nodes, want)
		}
		// Edges of every kind among them, Beta's supplies to Separation MY too, by kind: the
		// agency's financings first, then ownership, operation and supply.
		wantEdges := []string{"firm:jp-agency -> firm:ausco", "firm:jp-agency -> refinery:sep-my", "firm:ausco -> mine:beta",
			"firm:ausco -> mine:beta", "firm:ausco -> refinery:sep-my", "firm:jp-agency -> firm:ausco", "mine:beta -> refinery:sep-my"}
		if !slices.Equal(p.edges, wantEdges) {
			t.Errorf("edges %v, want %v", p.edges, wantEdges)
		}
		for id, want := range map[string]string{
			"firm:ausco":                        `peripheries="2"`,
			"firm:jp-agency -> firm:ausco":      `label="owns 25%\n2011–", style="dashed"`,
			"mine:beta -> refinery:sep-my":      `label="re-concentrate\n45 t/a\n2012–", style="solid"`,
			"firm:jp-agency -> refinery:sep-my": `label="loan 100m AUD\n2023–", style="dashed"`,
		} {
			if !strings.Contains(p.attrs[id], want) {
				t.Errorf("%s: %s lacks %s", id, p.attrs[id], want)
			}
		}
		if !strings.Contains(p.attrs["firm:ausco -> mine:beta"], `label="operates", style="dashed"`) {
			t.Errorf("operates edge: %s", p.attrs["firm:ausco -> mine:beta"])
		}
	})
	t.Run("DepthKindsAsOf", func(t *testing.T) {
		dot, err := render.Neighbourhood(net, "mine:beta", render.NeighbourhoodOptions{Depth: 3, Kinds: []graph.EdgeKind{graph.Supplies, graph.Offtake}, AsOf: 2024})
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, dot)
		if want := []string{"firm:jp-maker", "firm:jp-trader", "mine:beta", "refinery:sep-my"}; !slices.Equal(p.nodes, want) {
			t.Errorf("nodes %v, want %v", p.nodes, want)
		}
		if !strings.Contains(string(dot), `3-hop neighbourhood, as of 2024, supplies, offtake"`) {
			t.Errorf("title in\n%s", dot)
		}
	})
	t.Run("StateCode", func(t *testing.T) {
		dot, err := render.Neighbourhood(net, "JP", render.NeighbourhoodOptions{Depth: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Its coalition too: Japan is a member of the Quad. And, in a cluster first, every
		// firm and facility headquartered or located in Japan, with or without an edge to it.
		p := parse(t, dot)
		located := []string{"firm:jp-agency", "firm:jp-maker", "firm:jp-trader", "refinery:magnet-jp"}
		if want := append(located, "coalition:quad", "state:CN", "state:JP"); !slices.Equal(p.nodes, want) {
			t.Errorf("nodes %v, want %v", p.nodes, want)
		}
		if !slices.Equal(p.cluster, located) || !strings.Contains(string(dot), `label="headquartered or located in Japan (state:JP)"`) {
			t.Errorf("cluster %v", p.cluster)
		}
	})
	for _, tc := range []struct {
		name, id string
		o        render.NeighbourhoodOptions
		code     string
	}{
		{"ErrDepth", "firm:ausco", render.NeighbourhoodOptions{Depth: 4}, graph.EInvalid},
		{"ErrKind", "firm:ausco", render.NeighbourhoodOptions{Kinds: []graph.EdgeKind{"likes"}}, graph.EInvalid},
		{"ErrNotFound", "firm:nope", render.NeighbourhoodOptions{}, graph.ENotFound},
		{"ErrGoneThen", "mine:gamma", render.NeighbourhoodOptions{AsOf: 2010}, graph.ENotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := render.Neighbourhood(net, tc.id, tc.o); graph.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

// TestEscaping checks that names reach the picture as they are: quotes, ampersands, angle
// brackets, backslashes (Graphviz's \N would otherwise print the node id) and non-ASCII text.
func TestEscaping(t *testing.T) {
	const name = `Fish "&" Chips <Ltd> \N Ünïcode – 東京 &lt;`
	ds := &graph.Dataset{
		Commodities: []graph.Commodity{{ID: "gallium", Name: "Gallium", Family: "gallium", Stage: graph.Refining}},
		Nodes: []graph.Node{
			{ID: "refinery:r", Kind: graph.Refinery, Name: "R", State: "JP", Stage: graph.Refining, Status: graph.Operating},
			{ID: "firm:f", Kind: graph.Firm, Name: name, State: "JP"},
		},
		Edges: []graph.Edge{{Kind: graph.Supplies, From: "refinery:r", To: "firm:f", Commodity: "gallium"}},
	}
	dot, err := render.Flow(fixture.Network(t, ds), graph.Query{Commodity: "gallium", Consumer: "firm:f"}, render.FlowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `label="Fish \"&amp;\" Chips <Ltd> \\N\nÜnïcode – 東京 &amp;lt;\nJP · firm"`; !strings.Contains(string(dot), want) {
		t.Fatalf("DOT lacks %s:\n%s", want, dot)
	}
	svg := mustRender(t, context.Background(), dot, render.FormatSVG)
	texts := svgTexts(t, svg)
	if !slices.Contains(texts, `Fish "&" Chips <Ltd> \N`) || !slices.Contains(texts, "Ünïcode – 東京 &lt;") { // the name, wrapped
		t.Fatalf("SVG texts %q lack %q", texts, name)
	}
}

// svgTexts checks that svg is well-formed XML and returns the contents of its text elements.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	var root string
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tk.Name.Local
			}
			inText = tk.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(tk))
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return texts
}

func mustRender(t testing.TB, ctx context.Context, dot []byte, format string) []byte {
	t.Helper()
	out, err := render.Render(ctx, dot, format)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTooLarge checks the size limits on a firm fed by 200 mines.
func TestTooLarge(t *testing.T) {
	ds := fixture.ManyMines(200)
	net := fixture.Network(t, ds)
	_, err := render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "firm:buyer"}, render.FlowOptions{})
	want := "the flow view of rare-earths to firm:buyer has 201 nodes and 200 edges, over the limit of 150 nodes and 400 edges: choose one product (e.g. ndpr-oxide) instead of a family"
	if graph.ErrorCode(err) != graph.ETooLarge || !strings.HasPrefix(graph.ErrorMessage(err), want) {
		t.Errorf("flow: %v", err)
	}
	_, err = render.Neighbourhood(net, "firm:buyer", render.NeighbourhoodOptions{Depth: 1})
	want = "the neighbourhood of firm:buyer at depth 1 has 201 nodes and 200 edges, over the limit of 150 nodes and 400 edges: choose a smaller depth, fewer edge kinds"
	if graph.ErrorCode(err) != graph.ETooLarge || !strings.HasPrefix(graph.ErrorMessage(err), want) {
		t.Errorf("neighbourhood: %v", err)
	}
}

func TestRender(t *testing.T) {
	ctx := context.Background()
	small, err := render.Flow(fixture.Network(t, fixture.Small(t)), graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2024, Top: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("SVG", func(t *testing.T) {
		texts := svgTexts(t, mustRender(t, ctx, small, render.FormatSVG))
		for _, name := range []string{"Alpha", "Beta", "Gamma", "Separation CN", "Separation MY", "Magnet plant JP", "JP Trader", "JP Maker",
			"#1 chokepoint: 60 t/a (66.7% of supply)", "consumer: Japan (state:JP)", "Legend"} {
			if !slices.Contains(texts, name) {
				t.Errorf("SVG lacks %q", name)
			}
		}
	})
	t.Run("Japan", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, render.DefaultTimeout)
		defer cancel()
		texts := svgTexts(t, mustRender(t, ctx, japan(t), render.FormatSVG))
		for _, name := range []string{"Lynas Malaysia (LAMP,", "Gebeng/Kuantan)", "Bayan Obo", "Mount Weld", "Shin-Etsu Takefu plant (Fukui)"} {
			if !slices.Contains(texts, name) {
				t.Errorf("SVG lacks %q", name)
			}
		}
	})
	t.Run("PNG", func(t *testing.T) {
		out := mustRender(t, ctx, small, render.FormatPNG)
		if !bytes.HasPrefix(out, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("not a PNG: % x", out[:min(8, len(out))])
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		// The layout's size (the SVG's viewBox, in points) at 120 dpi.
		var svg struct {
			ViewBox string `xml:"viewBox,attr"`
		}
		if err := xml.Unmarshal(mustRender(t, ctx, small, render.FormatSVG), &svg); err != nil {
			t.Fatal(err)
		}
		var w, h float64
		if _, err := fmt.Sscanf(svg.ViewBox, "0.00 0.00 %g %g", &w, &h); err != nil {
			t.Fatal(svg.ViewBox, err)
		}
		if b := img.Bounds(); b.Dx() != int(math.Round(w*120/72)) || b.Dy() != int(math.Round(h*120/72)) || b.Dx() < 500 {
			t.Errorf("image of %v, want %g × %g points at 120 dpi", b, w, h)
		}
	})
	t.Run("PNGCapped", func(t *testing.T) { // 30 inches at most a side: 3,600 pixels
		var b strings.Builder
		b.WriteString("digraph { rankdir=LR\n")
		for i := range 60 {
			fmt.Fprintf(&b, "n%d -> n%d\n", i, i+1)
		}
		b.WriteString("}\n")
		img, err := png.Decode(bytes.NewReader(mustRender(t, ctx, []byte(b.String()), render.FormatPNG)))
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() != 3600 || r.Dy() < 20 || r.Dy() > 100 {
			t.Errorf("image of %v, want 3,600 pixels wide, scaled down", r)
		}
	})
	t.Run("PNGRotated", func(t *testing.T) { // rotate=90: a red box, turned to stand upright
		img, err := png.Decode(bytes.NewReader(mustRender(t, ctx, []byte(`digraph { rotate=90; a [shape=box, style=filled, fillcolor="#ff0000", width=2, height=1, label=""] }`), render.FormatPNG)))
		if err != nil {
			t.Fatal(err)
		}
		b, red := img.Bounds(), 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if r, g, bl, _ := img.At(x, y).RGBA(); r == 0xffff && g == 0 && bl == 0 {
					red++
				}
			}
		}
		if b.Dx() >= b.Dy() || red < b.Dx()*b.Dy()*7/10 {
			t.Errorf("image of %v with %d red pixels, want a box standing upright filling most of it", b, red)
		}
	})
	t.Run("DOT", func(t *testing.T) {
		if out := mustRender(t, ctx, small, render.FormatDOT); !bytes.Equal(out, small) {
			t.Error("dot output differs from its input")
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		if _, err := render.Render(ctx, small, "gif"); graph.ErrorCode(err) != graph.EInvalid {
			t.Fatal(err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		if _, err := render.Render(ctx, []byte("digraph { a -> }"), render.FormatSVG); graph.ErrorCode(err) != graph.EInvalid {
			t.Fatal(err)
		}
		mustRender(t, ctx, small, render.FormatSVG) // the engine still works
	})
}

// slow is a random graph that takes Graphviz a few hundred milliseconds to lay out.
func slow() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("digraph {\n")
	for i := range 80 {
		fmt.Fprintf(&b, "n%d -> n%d [label=\"e%d\"]\n", r.IntN(30), r.IntN(30), i)
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func TestRenderDeadline(t *testing.T) {
	dot := japan(t)
	t.Run("Expired", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
		defer cancel()
		time.Sleep(time.Millisecond)
		_, err := render.Render(ctx, dot, render.FormatSVG)
		if graph.ErrorCode(err) != graph.ETimeout || !strings.Contains(graph.ErrorMessage(err), "deadline") {
			t.Fatal(err)
		}
	})
	t.Run("DuringLayout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		_, err := render.Render(ctx, slow(), render.FormatSVG)
		if graph.ErrorCode(err) != graph.ETimeout {
			t.Fatal(err)
		}
		// The abandoned layout finishes in the background, holding the engine: a render with a
		// short deadline gives up waiting, one with the default deadline waits its turn.
		ctx, cancel = context.WithTimeout(context.Background(), 5*time.Millisecond)
		defer cancel()
		if _, err := render.Render(ctx, dot, render.FormatSVG); graph.ErrorCode(err) != graph.EUnavailable {
			t.Fatal(err)
		}
		mustRender(t, context.Background(), dot, render.FormatSVG)
	})
	t.Run("Cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := render.Render(ctx, dot, render.FormatSVG); graph.ErrorCode(err) != graph.ETimeout {
			t.Fatal(err)
		}
	})
}

// BenchmarkRenderJapan times the bundled view of Japan's rare-earth supply in 2025: building its
// DOT, and laying it out as SVG and as PNG.
func BenchmarkRenderJapan(b *testing.B) {
	net := fixture.Network(b, fixture.Bundled(b))
	q := graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}
	b.Run("DOT", func(b *testing.B) {
		for b.Loop() {
			if _, err := render.Flow(net, q, render.FlowOptions{AsOf: 2025, Top: 5}); err != nil {
				b.Fatal(err)
			}
		}
	})
	dot := japan(b)
	for _, format := range []string{render.FormatSVG, render.FormatPNG} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				mustRender(b, context.Background(), dot, format)
			}
		})
	}
}

// BenchmarkRenderNeighbourhood times the largest view of the render benchmark against native dot
// (state:JP at depth 3, 143 nodes) laid out as SVG in this process: the work a layout worker
// does for it, without the pipe between the worker and the server.
func BenchmarkRenderNeighbourhood(b *testing.B) {
	dot, err := render.Neighbourhood(fixture.Network(b, fixture.Bundled(b)), "state:JP", render.NeighbourhoodOptions{Depth: 3})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		mustRender(b, context.Background(), dot, render.FormatSVG)
	}
}
