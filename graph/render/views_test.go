package render_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/render"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite the golden DOT files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./graph/render -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

var (
	legendStateRE = regexp.MustCompile(`<td width="18" border="3" color="(#[0-9a-f]{6})"></td><td align="left">in ([A-Z]{2})</td>`)
	colorRE       = regexp.MustCompile(`, color="(#[0-9a-f]{6})", penwidth="2"`)
)

// TestPalette draws every view of the small network and of the bundled data in several years and
// checks that each state has one outline colour everywhere, in the nodes and in the legends, and
// that the fixed states have their table's colours.
func TestPalette(t *testing.T) {
	small, bundled := fixture.Network(t, fixture.Small(t)), fixture.Network(t, fixture.Bundled(t))
	type drawing struct {
		name string
		net  *graph.Network
		dot  func() ([]byte, error)
	}
	var drawings []drawing
	for _, year := range []int{0, 2010, 2018, 2024} {
		drawings = append(drawings,
			drawing{"flow small", small, func() ([]byte, error) {
				return render.Flow(small, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: year, Top: 1})
			}},
			drawing{"node small", small, func() ([]byte, error) {
				return render.Neighbourhood(small, "firm:ausco", render.NeighbourhoodOptions{Depth: 3, AsOf: year})
			}},
			drawing{"routes small", small, func() ([]byte, error) {
				return render.Routes(small, graph.Request{Commodity: "rare-earths", Consumer: "state:JP"}, year)
			}},
			drawing{"control small", small, func() ([]byte, error) { return render.Control(small, "firm:ausco", year) }},
			drawing{"scenario small", small, func() ([]byte, error) {
				return render.Scenario(small, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", AsOf: year,
					Remove: graph.Removal{StatesByLocation: []string{"AU"}}})
			}},
		)
	}
	for _, year := range []int{2010, 2025} {
		drawings = append(drawings,
			drawing{"flow bundled", bundled, func() ([]byte, error) {
				return render.Flow(bundled, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: year})
			}},
			drawing{"routes bundled", bundled, func() ([]byte, error) {
				return render.Routes(bundled, graph.Request{Commodity: "rare-earths", Consumer: "state:JP", K: 8}, year)
			}},
			drawing{"scenario bundled", bundled, func() ([]byte, error) {
				return render.Scenario(bundled, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", AsOf: year,
					Remove: graph.Removal{StatesByLocation: []string{"CN"}}})
			}},
			drawing{"control bundled", bundled, func() ([]byte, error) { return render.Control(bundled, "refinery:lynas-malaysia", max(year, 2013)) }}, // opened in 2012
		)
	}
	colorOf := map[string]string{}
	seen := map[string]string{} // state → the first drawing that coloured it
	check := func(where, state, color string) {
		t.Helper()
		if c, ok := colorOf[state]; ok && c != color {
			t.Errorf("%s: %s is %s, but %s in %s", where, state, color, c, seen[state])
		} else if !ok {
			colorOf[state], seen[state] = color, where
		}
	}
	for _, d := range drawings {
		dot, err := d.dot()
		var empty *render.EmptyView
		if errors.As(err, &empty) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		p := parse(t, dot)
		for _, id := range p.nodes {
			m := colorRE.FindStringSubmatch(p.attrs[id])
			if m == nil {
				continue // a chokepoint: red
			}
			i, _ := d.net.NodeIndex(id)
			if state := d.net.Ref(i).State; state != "" {
				check(d.name+" "+id, state, m[1])
			}
		}
		for _, m := range legendStateRE.FindAllStringSubmatch(string(dot), -1) {
			check(d.name+" legend", m[2], m[1])
		}
	}
	for state, want := range map[string]string{"CN": "#ff7f0e", "JP": "#1f77b4", "US": "#2ca02c", "AU": "#9467bd", "MY": "#17becf",
		"IN": "#8c564b", "FR": "#e377c2", "VN": "#bcbd22", "MM": "#393b79"} {
		if got, ok := colorOf[state]; ok && got != want {
			t.Errorf("%s is %s, want %s", state, got, want)
		}
	}
	for _, state := range []string{"CN", "JP", "AU", "MY", "US", "IN", "FR", "MM"} {
		if _, ok := colorOf[state]; !ok {
			t.Errorf("no view drew %s", state)
		}
	}
}

// TestStatusAsOf: a node closed in 2015 was operating in 2010; the view of every year shows the
// status recorded.
func TestStatusAsOf(t *testing.T) {
	ds := fixture.Small(t)
	for i := range ds.Nodes {
		if ds.Nodes[i].ID == "mine:alpha" {
			ds.Nodes[i].Status, ds.Nodes[i].Until = graph.Closed, 2015
		}
	}
	net := fixture.Network(t, ds)
	dot, err := render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2010})
	if err != nil {
		t.Fatal(err)
	}
	if a := parse(t, dot).attrs["mine:alpha"]; !strings.Contains(a, `label="Alpha\nCN · mining\n`) {
		t.Errorf("2010: %s", a)
	}
	dot, err = render.Neighbourhood(net, "mine:alpha", render.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a := parse(t, dot).attrs["mine:alpha"]; !strings.Contains(a, `label="Alpha\nCN · mining · closed\n`) {
		t.Errorf("all years: %s", a)
	}
}

// TestLegend: the legend lists the marks a view uses and no other.
func TestLegend(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	const focus = "the node in view"
	node, err := render.Neighbourhood(net, "firm:ausco", render.NeighbourhoodOptions{AsOf: 2024})
	if err != nil {
		t.Fatal(err)
	}
	flow, err := render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2024})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name          string
		dot           []byte
		want, without []string
	}{
		{"node", node, []string{focus, ">owns<", ">operates<", ">in AU<", ">in MY<", ">in JP<"}, []string{"chokepoint (rank)", ">offtake<", "line width", ">in CN<"}},
		{"flow", flow, []string{"line width: volume", ">supplies<", ">offtake<", ">in CN<"}, []string{focus, "chokepoint (rank)", ">owns<", "route 1"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(string(c.dot), w) {
				t.Errorf("%s: legend without %s", c.name, w)
			}
		}
		for _, w := range c.without {
			if strings.Contains(string(c.dot), w) {
				t.Errorf("%s: legend with %s", c.name, w)
			}
		}
	}
}

func TestRoutes(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	r := graph.Request{Commodity: "rare-earths", Consumer: "state:JP", AvoidStates: []string{"CN"}}
	t.Run("Golden", func(t *testing.T) {
		dot, err := render.Routes(net, r, 2024)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "routes-small.dot", dot)
	})
	t.Run("SameAsAnalysis", func(t *testing.T) {
		// Every node and edge of the analysis's routes is drawn, and nothing else.
		r := graph.Request{Commodity: "rare-earths", Consumer: "state:JP", K: 3}
		dot, err := render.Routes(net, r, 2024)
		if err != nil {
			t.Fatal(err)
		}
		res, err := graph.Analyze(net.AsOf(2024), graph.AnalysisRoutes, r)
		if err != nil {
			t.Fatal(err)
		}
		var nodes, edges []string
		for _, rt := range res.Result.(*graph.Routes).Routes {
			for _, n := range rt.Nodes {
				nodes = append(nodes, n.ID)
			}
			for _, e := range rt.Edges {
				edges = append(edges, e.From+" -> "+e.To)
			}
		}
		p := parse(t, dot)
		if got, want := sorted(p.nodes), sorted(nodes); !slices.Equal(got, want) {
			t.Errorf("nodes %v, want %v", got, want)
		}
		if got, want := sorted(p.edges), sorted(edges); !slices.Equal(got, want) {
			t.Errorf("edges %v, want %v", got, want)
		}
	})
	t.Run("NoRoute", func(t *testing.T) {
		dot, err := render.Routes(net, graph.Request{Commodity: "rare-earths", Consumer: "state:JP", AvoidStates: []string{"CN", "AU"}}, 2024)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(dot), `No route: the 5 shortest by hops, within 10 hops, avoiding nodes in CN, AU leaves no path from an origin to the consumer.`) {
			t.Errorf("no explanation in\n%s", dot)
		}
	})
	for _, tc := range []struct {
		name string
		r    graph.Request
		year int
		code string
	}{
		{"ErrK", graph.Request{Commodity: "rare-earths", Consumer: "JP", K: 99}, 2024, graph.EInvalid},
		{"ErrConsumer", graph.Request{Commodity: "rare-earths", Consumer: "firm:nope"}, 2024, graph.ENotFound},
		{"ErrYear", graph.Request{Commodity: "rare-earths", Consumer: "JP"}, 1200, graph.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := render.Routes(net, tc.r, tc.year); graph.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

// sorted returns a sorted copy without duplicates.
func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

func TestControl(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	t.Run("Golden", func(t *testing.T) {
		dot, err := render.Control(net, "refinery:sep-my", 2024)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "control-small.dot", dot)
	})
	t.Run("Operators", func(t *testing.T) {
		// The firm's owners hold the mine it operates, as in the control analysis.
		ds := fixture.Small(t)
		ds.Edges = slices.DeleteFunc(ds.Edges, func(e graph.Edge) bool { return e.Kind == graph.Owns && e.To == "mine:beta" })
		dot, err := render.Control(fixture.Network(t, ds), "mine:beta", 2024)
		if err != nil {
			t.Fatal(err)
		}
		p := parse(t, dot)
		if want := []string{"firm:ausco", "firm:jp-agency", "mine:beta", "state:JP"}; !slices.Equal(p.nodes, want) {
			t.Errorf("nodes %v, want %v", p.nodes, want)
		}
		if a := p.attrs["firm:ausco"]; !strings.Contains(a, "operator · effective share 100%") {
			t.Errorf("operator: %s", a)
		}
	})
	for _, tc := range []struct {
		name, node string
		code       string
	}{
		{"ErrNoNode", "", graph.EInvalid},
		{"ErrNode", "firm:nope", graph.ENotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := render.Control(net, tc.node, 2024); graph.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

func TestTrend(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	r := graph.Request{Commodity: "rare-earths", Consumer: "state:JP", Supplier: "state:CN"}
	t.Run("SVG", func(t *testing.T) {
		svg, err := render.Trend(net, r, render.FormatSVG)
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(svg))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("the SVG is not XML: %v", err)
			}
		}
		for _, want := range []string{"2008", "2025", "share of supply (%)", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"} {
			if !bytes.Contains(svg, []byte(want)) {
				t.Errorf("the SVG lacks %q", want)
			}
		}
	})
	t.Run("PNG", func(t *testing.T) {
		r := r
		r.Years = "2008..2024"
		out, err := render.Trend(net, r, render.FormatPNG)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 600 {
			t.Errorf("a %v picture", b)
		}
	})
	reversed := r
	reversed.Years = "2020..2010"
	for _, tc := range []struct {
		name   string
		r      graph.Request
		format string
		code   string
	}{
		{"ErrDOT", r, render.FormatDOT, graph.EInvalid},
		{"ErrYears", reversed, render.FormatSVG, graph.EInvalid},
		{"ErrCommodity", graph.Request{Commodity: "lithium", Consumer: "JP", Supplier: "CN"}, render.FormatSVG, graph.ENotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := render.Trend(net, tc.r, tc.format); graph.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

// TestViewsSVG lays every Graphviz view of the small network out: the SVG is XML and holds every
// node of the view, each a group titled with its id (which a web page reads to open the node)
// linking to the node's API resource with a tooltip of its figures; edges carry tooltips with
// their volume and year; and the PNG decodes.
func TestViewsSVG(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	views := map[string]func() ([]byte, error){
		"flow": func() ([]byte, error) {
			return render.Flow(net, graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}, render.FlowOptions{AsOf: 2024, Top: 2})
		},
		"node": func() ([]byte, error) {
			return render.Neighbourhood(net, "firm:ausco", render.NeighbourhoodOptions{Depth: 2})
		},
		"routes": func() ([]byte, error) {
			return render.Routes(net, graph.Request{Commodity: "rare-earths", Consumer: "state:JP"}, 2024)
		},
		"control": func() ([]byte, error) { return render.Control(net, "refinery:sep-my", 2024) },
		"scenario": func() ([]byte, error) {
			return render.Scenario(net, graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", AsOf: 2024, Remove: graph.Removal{StatesByLocation: []string{"CN"}}})
		},
	}
	for name, view := range views {
		t.Run(name, func(t *testing.T) {
			dot, err := view()
			if err != nil {
				t.Fatal(err)
			}
			svg := mustRender(t, t.Context(), dot, render.FormatSVG)
			texts := svgTexts(t, svg)
			nodes := svgNodes(t, svg)
			for _, id := range parse(t, dot).nodes {
				i, _ := net.NodeIndex(id)
				n := net.Nodes()[i]
				if !slices.Contains(texts, n.Name) {
					t.Errorf("the SVG does not name %s", id)
				}
				a, ok := nodes[id]
				if !ok {
					t.Errorf("no node titled %s", id)
					continue
				}
				if a.href != render.NodeURL(id) || !strings.HasPrefix(a.title, n.Name+" ("+id+")\n") {
					t.Errorf("%s: link %q, tooltip %q", id, a.href, a.title)
				}
				if n.Source != "" && !strings.Contains(a.title, "source: "+n.Source) {
					t.Errorf("%s: tooltip without its source: %q", id, a.title)
				}
			}
			if _, err := png.Decode(bytes.NewReader(mustRender(t, t.Context(), dot, render.FormatPNG))); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("Figures", func(t *testing.T) {
		dot, _ := views["flow"]()
		svg := string(mustRender(t, t.Context(), dot, render.FormatSVG))
		for _, want := range []string{
			// Separation MY: its capacity with the basis, its output in the year, its controlling states.
			`xlink:title="Separation MY (refinery:sep&#45;my)&#10;separation in MY, in service in 2024 (2012–)&#10;ndpr&#45;oxide: capacity 45 t/a (target), output 2024 45 t/a (estimate)&#10;controlling states: AU 75%, JP 25%`,
			`xlink:title="supplies mine:alpha → refinery:sep&#45;cn&#10;re&#45;concentrate · 90 t/a in 2024 (reported)`,
		} {
			if !strings.Contains(svg, want) {
				t.Errorf("the SVG lacks %s", want)
			}
		}
	})
}

// svgNode is a node of an SVG picture: its link and tooltip.
type svgNode struct{ href, title string }

// svgNodes reads the node groups of an SVG picture by their titles, with the link inside each.
func svgNodes(t *testing.T, svg []byte) map[string]svgNode {
	t.Helper()
	var doc struct {
		Groups []struct {
			Class string `xml:"class,attr"`
			Title string `xml:"title"`
			Links []struct {
				A struct {
					Href  string `xml:"http://www.w3.org/1999/xlink href,attr"`
					Title string `xml:"http://www.w3.org/1999/xlink title,attr"`
				} `xml:"a"`
			} `xml:"g"`
		} `xml:"g>g"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]svgNode{}
	for _, g := range doc.Groups {
		if g.Class == "node" && len(g.Links) > 0 {
			out[g.Title] = svgNode{g.Links[0].A.Href, g.Links[0].A.Title}
		}
	}
	return out
}

// TestScenario: the scenario view draws the baseline's flow with what the scenario takes away
// greyed and the outcome's routes, exactly those graph.RunScenario returns.
func TestScenario(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	sc := graph.Scenario{Name: "cn-out", Commodity: "rare-earths", Consumer: "state:JP", Supplier: "state:CN", AsOf: 2024,
		Remove: graph.Removal{StatesByLocation: []string{"CN"}}}
	dot, err := render.Scenario(net, sc)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "scenario-small.dot", dot)
	p := parse(t, dot)
	res, err := graph.RunScenario(net, sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range res.RemovedNodes {
		if a, ok := p.attrs[id]; ok && !strings.Contains(a, `\nremoved", shape="box", style="rounded,filled,dashed", fillcolor="#ffffff", color="#9e9e9e"`) {
			t.Errorf("%s is removed but drawn %s", id, a)
		}
	}
	// Magnet JP was fed by Separation CN only: left, but cut off.
	if a := p.attrs["refinery:magnet-jp"]; !strings.Contains(a, `\ncut off", shape="box", style="rounded,filled,dotted", fillcolor="#ffffff"`) {
		t.Errorf("magnet-jp: %s", a)
	}
	for k, want := range map[string]string{
		"mine:alpha -> refinery:sep-cn":         `label="re-concentrate\nlost 90 t/a", style="dashed", color="#9e9e9e"`,
		"refinery:sep-cn -> refinery:magnet-jp": `label="ndpr-oxide\nlost 60 t/a", style="dashed", color="#9e9e9e"`,
	} {
		if !strings.Contains(p.attrs[k], want) {
			t.Errorf("%s: %s, want %s", k, p.attrs[k], want)
		}
	}
	// Every edge of every remaining route is drawn in its route's colour.
	for n, rt := range res.Outcome.Routes {
		for _, e := range rt.Edges {
			if k := e.From + " -> " + e.To; !strings.Contains(p.attrs[k], fmt.Sprintf(`color="%s"`, routeColors[n])) {
				t.Errorf("route %d: %s is %s", n+1, k, p.attrs[k])
			}
		}
	}
	for _, want := range []string{
		`label="Scenario cn-out: rare-earths to Japan (state:JP), as of 2024\nmax supply 90 t/a → 30 t/a (66.7% lost); dependency on state:CN 66.7% → 0%\nremoved 4 nodes and 7 edges"`,
		">removed by the scenario<", ">cut off: no longer reaches the consumer<", ">flow lost: edge removed or banned<", ">remaining route 1: 2 hops, bottleneck 30 t/a<",
	} {
		if !strings.Contains(string(dot), want) {
			t.Errorf("missing %s", want)
		}
	}
	for _, unused := range []string{">in CN<", ">flow lost: cut off from the consumer<", "chokepoint (rank)"} {
		if strings.Contains(string(dot), unused) {
			t.Errorf("the legend explains %s, which is not drawn", unused)
		}
	}
	t.Run("Controls", func(t *testing.T) {
		// A licence passing a quarter of China's ndpr-oxide to Japan: the edge stays, cut.
		pass := 0.25
		sc := graph.Scenario{Commodity: "rare-earths", Consumer: "state:JP", AsOf: 2024,
			Controls: []graph.ExportControl{{From: "CN", To: []string{"JP"}, Commodity: "ndpr-oxide", Control: graph.Licence, PassShare: &pass}}}
		dot, err := render.Scenario(net, sc)
		if err != nil {
			t.Fatal(err)
		}
		if a := parse(t, dot).attrs["refinery:sep-cn -> refinery:magnet-jp"]; !strings.Contains(a, `label="ndpr-oxide\n60 → 15 t/a"`) {
			t.Errorf("%s", a)
		}
		if !strings.Contains(string(dot), `state:CN licence of ndpr-oxide to state:JP`) {
			t.Errorf("the title does not name the control:\n%s", dot)
		}
	})
	t.Run("Bundled", func(t *testing.T) {
		bundled := fixture.Network(t, fixture.Bundled(t))
		sc := graph.Scenario{Name: "china-removed", Commodity: "rare-earths", Consumer: "state:JP", Supplier: "state:CN", AsOf: 2024,
			Remove: graph.Removal{StatesByLocation: []string{"CN"}}}
		dot, err := render.Scenario(bundled, sc)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "scenario-china-removed-2024.dot", dot)
		if !strings.Contains(string(dot), `max supply 71,261 t/a → 10,561 t/a (85.2% lost)`) {
			t.Errorf("title: %s", dot[:400])
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, sc := range []graph.Scenario{
			{Commodity: "rare-earths", Consumer: "firm:nope"},
			{Commodity: "rare-earths", Consumer: "JP", Remove: graph.Removal{Nodes: []string{"mine:nope"}}},
			{Commodity: "rare-earths", Consumer: "JP", AsOf: 1200},
		} {
			if _, err := render.Scenario(net, sc); err == nil {
				t.Errorf("%+v: no error", sc)
			}
		}
	})
}

// routeColors are the routes' colours in the order the views give them.
var routeColors = []string{"#e7298a", "#1b9e77", "#7570b3", "#d95f02", "#66a61e", "#e6ab02", "#a6761d", "#666666"}

// maxWidthPt bounds the width of the widest bundled view, the node view of state:JP at depth 3
// (143 nodes, near the view limit): 30 inches, the width of a PNG drawn at full scale.
const maxWidthPt = 2160

var svgSizeRE = regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)

// TestWideView: the state's node view holds its firms and facilities, and its picture is no wider
// than maxWidthPt: long names and labels wrap, parallel edges merge, and a large view labels its
// edges beside them instead of between ranks.
func TestWideView(t *testing.T) {
	net := fixture.Network(t, fixture.Bundled(t))
	dot, err := render.Neighbourhood(net, "state:JP", render.NeighbourhoodOptions{Depth: 3})
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, dot)
	members, _ := net.ConsumerMembers("state:JP")
	for _, m := range members {
		if id := net.Nodes()[m].ID; !slices.Contains(p.cluster, id) {
			t.Errorf("%s is in Japan but not in its cluster", id)
		}
	}
	if len(p.nodes) < 100 {
		t.Fatalf("%d nodes: not a wide view", len(p.nodes))
	}
	svg := mustRender(t, t.Context(), dot, render.FormatSVG)
	m := svgSizeRE.FindSubmatch(svg)
	if m == nil {
		t.Fatalf("no size in %.300s", svg)
	}
	if w, _ := strconv.ParseFloat(string(m[1]), 64); w > maxWidthPt {
		t.Errorf("the node view of state:JP at depth 3 is %.0f pt wide, over %d pt", w, maxWidthPt)
	} else {
		t.Logf("%d nodes, %s × %s pt", len(p.nodes), m[1], m[2])
	}
	if texts := svgTexts(t, svg); len(svgNodes(t, svg)) != len(p.nodes) {
		t.Errorf("the SVG has %d nodes, the DOT %d (%d texts)", len(svgNodes(t, svg)), len(p.nodes), len(texts))
	}
}

// TestGolden keeps the DOT of every Graphviz view of the small fixture and of the bundled data
// (routes, control and scenario have their own golden tests above): a change in any view shows
// here as a diff to review (go test ./graph/render -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	small, bundled := fixture.Network(t, fixture.Small(t)), fixture.Network(t, fixture.Bundled(t))
	jp := graph.Query{Commodity: "rare-earths", Consumer: "state:JP"}
	for name, view := range map[string]func() ([]byte, error){
		"flow-small.dot": func() ([]byte, error) { return render.Flow(small, jp, render.FlowOptions{AsOf: 2024, Top: 2}) },
		"node-small.dot": func() ([]byte, error) {
			return render.Neighbourhood(small, "firm:ausco", render.NeighbourhoodOptions{Depth: 2})
		},
		"node-state-small.dot": func() ([]byte, error) {
			return render.Neighbourhood(small, "JP", render.NeighbourhoodOptions{Depth: 1, AsOf: 2024})
		},
		"flow-japan-2024.dot": func() ([]byte, error) { return render.Flow(bundled, jp, render.FlowOptions{AsOf: 2024, Top: 5}) },
		"node-japan-depth1.dot": func() ([]byte, error) {
			return render.Neighbourhood(bundled, "state:JP", render.NeighbourhoodOptions{Depth: 1})
		},
		"routes-japan-avoiding-china-2024.dot": func() ([]byte, error) {
			return render.Routes(bundled, graph.Request{Commodity: "rare-earths", Consumer: "state:JP", AvoidStates: []string{"CN"}}, 2024)
		},
		"control-lynas-malaysia-2025.dot": func() ([]byte, error) { return render.Control(bundled, "refinery:lynas-malaysia", 2025) },
	} {
		t.Run(name, func(t *testing.T) {
			dot, err := view()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name, dot)
		})
	}
}
