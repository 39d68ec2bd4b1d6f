package render

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// Limits on a view. Graphviz's layout time grows steeply with size on graphs that are not
// hierarchical, so a larger view is refused and the caller told how to narrow it. Supply-network
// views at the limits lay out in about 0.2 s; a random graph of 150 nodes and 450 edges takes
// minutes, which Render's deadline cuts short.
const (
	MaxNodes = 150
	MaxEdges = 400
	MaxDepth = 3 // of a neighbourhood
)

// view is what a DOT document shows: a set of network nodes and edges with decorations.
type view struct {
	net      *graph.Network
	title    []string
	nodes    []int            // network node indices, ascending (id order)
	edges    []int            // network edge indices, ascending (key order)
	products map[string]bool  // capacities shown; nil shows every capacity
	allYears bool             // the view is not cut to a year: edges show their years
	ranked   []graph.Ranked   // chokepoints, best first
	members  []int            // consumer members drawn in a cluster
	cluster  string           // the cluster's title
	spread   bool             // the cluster's members keep their own ranks (else one rank)
	center   int              // the node a view is about (double outline); -1 for none
	weighted bool             // edge widths follow volumes
	rankdir  string           // layout direction; "" is left to right
	notes    map[int][]string // extra label lines per node
	empty    []string         // what is drawn when there are no nodes: why, and what would show something
	// routes, when set, draws each edge once per route it is on (edge index → route numbers,
	// from 0) in that route's colour; routeRows are the legend's rows of the routes.
	routes    map[int][]int
	routeRows []legendRow
	edgeText  map[int][]string // edge labels that replace edgeLabel's
	// greyed are nodes drawn grey, and lost edges drawn grey, with the legend text saying why
	// (greyRemoved, greyCutOff; lostRemoved, lostCutOff).
	greyed map[int]string
	lost   map[int]string
}

// checkSize refuses a view over MaxNodes or MaxEdges, with advice on narrowing it.
func checkSize(what string, nodes, edges int, advice string) error {
	if nodes > MaxNodes || edges > MaxEdges {
		return graph.Errorf(graph.ETooLarge, "the %s has %d nodes and %d edges, over the limit of %d nodes and %d edges: %s",
			what, nodes, edges, MaxNodes, MaxEdges, advice)
	}
	return nil
}

// dot writes the view as a DOT document. The output depends only on the view: nodes and edges
// in network order, attributes in a fixed order.
func (v *view) dot() []byte {
	nodes := v.net.Nodes()
	control := map[int]*graph.Control{}
	for _, i := range v.nodes {
		if k := nodes[i].Kind; k != graph.State && k != graph.Coalition {
			control[i], _ = graph.ControlOf(v.net, nodes[i].ID) // a node of the network: found
		}
	}
	l := legendSpec{chokepoints: len(v.ranked) > 0, focus: v.center >= 0 && slices.Contains(v.nodes, v.center), routes: v.routeRows}
	for _, i := range v.nodes {
		if why := v.greyed[i]; why != "" {
			if !slices.Contains(l.greyed, why) {
				l.greyed = append(l.greyed, why)
			}
			continue
		}
		if s := v.net.Ref(i).State; !slices.Contains(l.states, s) {
			l.states = append(l.states, s)
		}
		if c := fillClass(&nodes[i]); !slices.Contains(l.classes, c) {
			l.classes = append(l.classes, c)
		}
	}
	slices.Sort(l.states)
	maxVolume := 0.0
	for _, e := range v.edges {
		ed := &v.net.Edges()[e]
		if why := v.lost[e]; why != "" {
			if !slices.Contains(l.lost, why) {
				l.lost = append(l.lost, why)
			}
		} else if len(v.routes[e]) == 0 && !slices.Contains(l.kinds, ed.Kind) {
			l.kinds = append(l.kinds, ed.Kind)
		}
		if ed.VolumeTPA != nil {
			maxVolume = math.Max(maxVolume, *ed.VolumeTPA)
		}
	}
	l.widths = v.weighted && maxVolume > 0
	rank := map[int]int{}
	for r, c := range v.ranked {
		if i, ok := v.net.NodeIndex(c.ID); ok {
			rank[i] = r
		}
	}
	rankdir := cmp.Or(v.rankdir, "LR")

	var w dotWriter
	w.line(0, "digraph %s {", quote("chokepoint"))
	w.line(1, "graph %s", attrs("rankdir", rankdir, "ranksep", "0.5", "nodesep", "0.18", "newrank", "true",
		"fontname", fontName, "fontsize", "14", "labelloc", "t", "label", label(v.title...)))
	w.line(1, "node %s", attrs("fontname", fontName, "fontsize", "10", "margin", "0.1,0.04", "penwidth", "2"))
	w.line(1, "edge %s", attrs("fontname", fontName, "fontsize", "9", "arrowsize", "0.6"))
	if len(v.nodes) == 0 {
		w.line(1, "%s %s", quote("empty"), attrs("shape", "box", "style", "rounded", "color", "#999999",
			"margin", "0.3,0.2", "fontsize", "12", "label", label(v.emptyText()...)))
		w.line(0, "}")
		return w.Bytes()
	}
	w.line(1, "subgraph %s {", quote("cluster_legend"))
	w.line(2, "graph %s", attrs("label", "Legend", "fontsize", "10", "style", "rounded", "color", "#bbbbbb"))
	w.line(2, "%s [shape=%s, fontsize=%s, label=%s]", quote("legend"), quote("plaintext"), quote("9"), legend(l))
	w.line(1, "}")
	member := map[int]bool{}
	if len(v.members) > 0 {
		w.line(1, "subgraph %s {", quote("cluster_consumer"))
		kv := []string{"label", label(v.cluster), "fontsize", "11", "style", "rounded,filled", "fillcolor", "#f4f4f4", "color", "#999999"}
		if !v.spread {
			kv = append(kv, "rank", "same")
		}
		w.line(2, "graph %s", attrs(kv...))
		for _, i := range v.members {
			member[i] = true
			w.line(2, "%s %s", quote(nodes[i].ID), v.nodeAttrs(i, control, rank))
		}
		w.line(1, "}")
	}
	for _, i := range v.nodes {
		if !member[i] {
			w.line(1, "%s %s", quote(nodes[i].ID), v.nodeAttrs(i, control, rank))
		}
	}
	groups := v.parallel()
	for _, e := range v.edges {
		ed := &v.net.Edges()[e]
		style, color := edgeStyle(ed.Kind)
		tooltip := v.edgeTooltip(ed)
		if group, ok := groups[e]; ok {
			if group[0] == e {
				v.writeGroup(&w, group, maxVolume)
			}
			continue
		}
		if why := v.lost[e]; why != "" {
			style, color = lostStyle[why], greyColor
		}
		if len(v.routes[e]) > 0 {
			for n, r := range v.routes[e] {
				kv := []string{"style", "bold", "color", routeColor(r), "penwidth", "2.5"}
				if n == 0 {
					text, ok := v.edgeText[e]
					if !ok {
						text = v.edgeLabel(ed)
					}
					kv = append(kv, v.edgeLabelAttr(), label(wrapEdge(text)...), "fontcolor", "#444444")
				}
				kv = append(kv, "tooltip", label(fmt.Sprintf("route %d: ", r+1))+tooltip)
				w.line(1, "%s -> %s %s", quote(ed.From), quote(ed.To), attrs(kv...))
			}
			continue
		}
		text, ok := v.edgeText[e]
		if !ok {
			text = v.edgeLabel(ed)
		}
		kv := []string{v.edgeLabelAttr(), label(wrapEdge(text)...), "style", style, "color", color, "fontcolor", color}
		if v.weighted && ed.VolumeTPA != nil && maxVolume > 0 && v.lost[e] == "" {
			kv = append(kv, "penwidth", strconv.FormatFloat(math.Round(10*(1+4*math.Sqrt(*ed.VolumeTPA/maxVolume)))/10, 'f', -1, 64))
		}
		kv = append(kv, "tooltip", tooltip)
		w.line(1, "%s -> %s %s", quote(ed.From), quote(ed.To), attrs(kv...))
	}
	w.line(0, "}")
	return w.Bytes()
}

// xlabelFrom is the number of nodes from which edges are labelled with xlabel, placed beside the
// edge after the layout, instead of label, which the layout makes room for: in a large view the
// room for labels between ranks makes the picture about a third wider (the node view of state:JP
// at depth 3: 2,760 pt against 2,167 pt).
const xlabelFrom = 60

// edgeLabelAttr is the attribute that labels the view's edges: label, or xlabel in a large view.
func (v *view) edgeLabelAttr() string {
	if len(v.nodes) >= xlabelFrom {
		return "xlabel"
	}
	return "label"
}

// mergeAt is how many parallel edges of one kind make one edge: beyond it, their labels would
// stack into a column wider than the nodes.
const mergeAt = 3

// parallel groups the edges drawn plainly (not on a route, not lost) by kind and ends, and
// returns the groups of at least mergeAt edges by each member edge. Edges are in key order, so a
// group's edges are adjacent.
func (v *view) parallel() map[int][]int {
	out := map[int][]int{}
	var group []int
	flush := func() {
		if len(group) >= mergeAt {
			for _, e := range group {
				out[e] = group
			}
		}
		group = nil
	}
	for _, e := range v.edges {
		ed := &v.net.Edges()[e]
		if len(v.routes[e]) > 0 || v.lost[e] != "" {
			flush()
			continue
		}
		if len(group) > 0 {
			if g := &v.net.Edges()[group[0]]; g.Kind != ed.Kind || g.From != ed.From || g.To != ed.To {
				flush()
			}
		}
		group = append(group, e)
	}
	flush()
	return out
}

// writeGroup draws parallel edges as one: their kind and number, and what they carry or
// restrict; the tooltip describes each; the width follows their summed volume.
func (v *view) writeGroup(w *dotWriter, group []int, maxVolume float64) {
	first := &v.net.Edges()[group[0]]
	style, color := edgeStyle(first.Kind)
	var what, tips []string
	volume, known := 0.0, false
	for _, e := range group {
		ed := &v.net.Edges()[e]
		if ed.Commodity != "" && !slices.Contains(what, ed.Commodity) {
			what = append(what, ed.Commodity)
		}
		if ed.VolumeTPA != nil {
			volume, known = volume+*ed.VolumeTPA, true
		}
		tips = append(tips, v.edgeTooltip(ed))
	}
	text := []string{fmt.Sprintf("%s ×%d", first.Kind, len(group))}
	if len(what) > 0 {
		text = append(text, strings.Join(what, ", "))
	}
	kv := []string{v.edgeLabelAttr(), label(wrapEdge(text)...), "style", style, "color", color, "fontcolor", color}
	if v.weighted && known && maxVolume > 0 {
		kv = append(kv, "penwidth", strconv.FormatFloat(math.Round(10*(1+4*math.Sqrt(min(volume, maxVolume)/maxVolume)))/10, 'f', -1, 64))
	}
	kv = append(kv, "tooltip", strings.Join(tips, "\n\n"))
	w.line(1, "%s -> %s %s", quote(first.From), quote(first.To), attrs(kv...))
}

// emptyText is what an empty view says.
func (v *view) emptyText() []string {
	if len(v.empty) == 0 {
		return []string{"nothing to show"}
	}
	return v.empty
}

// nodeAttrs draws node i: filled by kind or stage, outlined by location state (or thick red for
// a chokepoint, with its rank in the label), the centre of a neighbourhood with a double outline.
func (v *view) nodeAttrs(i int, control map[int]*graph.Control, rank map[int]int) string {
	n := &v.net.Nodes()[i]
	ref := v.net.Ref(i)
	var lines []string
	outline, width := stateColor(ref.State), "2"
	if r, ok := rank[i]; ok {
		c := v.ranked[r]
		head := fmt.Sprintf("#%d chokepoint: %s", r+1, tonnes(c.Score))
		if c.Share != nil {
			head += " (" + percent(*c.Share) + " of supply)"
		}
		lines = append(lines, head)
		outline, width = chokepointColor, "5"
	}
	lines = append(lines, wrap(n.Name, nameWidth)...)
	what := string(n.Kind)
	if n.Kind.IsFacility() && n.Stage != "" {
		what = string(n.Stage)
	}
	// A view of one year holds only what was in service that year (graph.Network.AsOf): a
	// node closed or opened later was operating then. The view of every year shows the
	// status recorded.
	if n.Status != "" && n.Status != graph.Operating && v.net.Year() == 0 {
		what += " · " + string(n.Status)
	}
	where := what
	if ref.State != "" {
		where = ref.State + " · " + what
	}
	if c := control[i]; c != nil && c.ControllingState != ref.State {
		where += " · controlled by " + c.ControllingState
	}
	lines = append(lines, where)
	lines = append(lines, v.notes[i]...)
	for _, p := range slices.Sorted(maps.Keys(n.Capacity)) {
		if v.products == nil || v.products[p] {
			lines = append(lines, "cap "+tonnes(n.Capacity[p])+" "+p)
		}
	}
	shape, style := shapeOf(n.Kind)
	fill := fillOf[fillClass(n)]
	var font []string
	if why := v.greyed[i]; why != "" {
		lines = append(lines, greyNote[why])
		fill, outline, width, font = greyFill[why], greyColor, "1.5", []string{"fontcolor", greyText}
		style += "," + greyStyle[why]
	}
	kv := []string{"label", label(lines...), "shape", shape, "style", style, "fillcolor", fill,
		"color", outline, "penwidth", width, "tooltip", label(v.nodeTooltip(i, control[i])...), "URL", NodeURL(n.ID)}
	kv = append(kv, font...)
	if i == v.center {
		kv = append(kv, "peripheries", "2")
	}
	return attrs(kv...)
}

// edgeLabel describes an edge: its commodity and volume, its share of ownership, its measure, or
// its finance (amounts in millions), and its years when the view is not cut to one.
func (v *view) edgeLabel(e *graph.Edge) []string {
	var lines []string
	switch e.Kind {
	case graph.Supplies, graph.Offtake:
		lines = append(lines, e.Commodity)
		if e.VolumeTPA != nil {
			lines = append(lines, tonnes(*e.VolumeTPA))
		}
	case graph.Owns:
		if e.Share != nil {
			lines = append(lines, "owns "+percent(*e.Share))
		} else {
			lines = append(lines, "owns")
		}
	case graph.Restricts:
		lines = append(lines, strings.TrimSpace("restricts "+e.Commodity))
		if e.Measure != "" {
			lines = append(lines, e.Measure)
		}
		if e.Control != "" {
			line := string(e.Control)
			if e.PassShare != nil && e.Control != graph.Ban {
				line += ", " + percent(*e.PassShare) + " passes"
			}
			lines = append(lines, line)
		}
	case graph.Finances:
		line := string(e.Instrument)
		if e.Amount != nil {
			line += " " + strconv.FormatFloat(*e.Amount, 'f', -1, 64) + "m " + e.Currency
		}
		lines = append(lines, line)
	default:
		lines = append(lines, string(e.Kind))
	}
	if v.allYears && (e.Since != 0 || e.Until != 0) {
		lines = append(lines, years(e.Since, e.Until))
	}
	return lines
}

// years formats a validity period: 2012–, –2010, 2010–2015, 2010.
func years(since, until int) string {
	if since == until {
		return strconv.Itoa(since)
	}
	var s, u string
	if since != 0 {
		s = strconv.Itoa(since)
	}
	if until != 0 {
		u = strconv.Itoa(until)
	}
	return s + "–" + u
}

// NodeURL is the API resource of a node, which every node of an SVG picture links to.
func NodeURL(id string) string { return "/api/v1/nodes/" + url.PathEscape(id) }

// nodeTooltip describes node i for the SVG tooltip: name and id, kind or stage, state and status,
// its figures in the year drawn (capacity with its basis, and output where published), its
// controlling states where known, and its source.
func (v *view) nodeTooltip(i int, c *graph.Control) []string {
	n := &v.net.Nodes()[i]
	year := v.net.Year()
	lines := []string{fmt.Sprintf("%s (%s)", n.Name, n.ID)}
	what := string(n.Kind)
	if n.Kind.IsFacility() && n.Stage != "" {
		what = string(n.Stage)
	}
	if s := v.net.Ref(i).State; s != "" {
		what += " in " + s
	}
	switch {
	case year != 0 && n.Kind.IsFacility():
		what += fmt.Sprintf(", in service in %d", year)
	case year == 0 && n.Status != "":
		what += ", " + string(n.Status)
	}
	if n.Since != 0 || n.Until != 0 {
		what += " (" + years(n.Since, n.Until) + ")"
	}
	lines = append(lines, what)
	products := slices.Sorted(maps.Keys(n.Capacity))
	for p := range n.Output {
		if _, ok := n.Capacity[p]; !ok {
			products = append(products, p)
		}
	}
	slices.Sort(products)
	for _, p := range products {
		var figs []string
		if c, ok := n.Capacity[p]; ok {
			figs = append(figs, "capacity "+tonnes(c)+" ("+string(cmp.Or(n.CapacityBasis[p], graph.Nameplate))+")")
		}
		out := n.Output[p]
		y := year
		if y == 0 && len(out) > 0 {
			y = slices.Max(out.Years()) // every year drawn: the latest output
		}
		if o, ok := out[y]; ok {
			figs = append(figs, fmt.Sprintf("output %d %s (%s)", y, tonnes(o), cmp.Or(n.OutputBasis[p], graph.Reported)))
		}
		if len(figs) > 0 {
			lines = append(lines, p+": "+strings.Join(figs, ", "))
		}
	}
	if c != nil && len(c.States) > 0 {
		var states []string
		for _, s := range c.States {
			states = append(states, s.State+" "+percent(s.Share))
		}
		lines = append(lines, "controlling states: "+strings.Join(states, ", "))
	}
	if n.Source != "" {
		lines = append(lines, "source: "+n.Source)
	}
	return lines
}

// edgeTooltip describes an edge for the SVG tooltip: kind and ends, commodity, volume in the year
// drawn with its basis, share, measure or finance, years, and source.
func (v *view) edgeTooltip(e *graph.Edge) string {
	lines := []string{fmt.Sprintf("%s %s → %s", e.Kind, e.From, e.To)}
	var figs []string
	if e.Commodity != "" && (e.Kind == graph.Supplies || e.Kind == graph.Offtake) {
		figs = append(figs, e.Commodity)
	}
	if e.VolumeTPA != nil {
		vol := tonnes(*e.VolumeTPA)
		if y := v.net.Year(); y != 0 {
			vol += fmt.Sprintf(" in %d", y)
		}
		figs = append(figs, vol+" ("+string(cmp.Or(e.VolumeBasis, graph.Reported))+")")
	}
	if e.Kind != graph.Supplies && e.Kind != graph.Offtake {
		figs = append(figs, v.edgeLabel(e)...)
	} else if e.Since != 0 || e.Until != 0 {
		figs = append(figs, years(e.Since, e.Until))
	}
	if len(figs) > 0 {
		lines = append(lines, strings.Join(slices.Compact(figs), " · "))
	}
	if e.Source != "" {
		lines = append(lines, "source: "+e.Source)
	}
	return label(lines...)
}
