package render

import (
	"fmt"
	"hash/fnv"
	"html"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// Colours. The chokepoint red is used for nothing else.
const (
	chokepointColor = "#d62728"
	otherStateColor = "#8c8c8c"
	fontName        = "Helvetica,Arial,sans-serif"
)

// fillOf is the fill colour of a node: by stage for facilities, by kind otherwise.
var fillOf = map[string]string{
	string(graph.Mining):        "#d8b48a",
	string(graph.Concentration): "#eed9b0",
	string(graph.Cracking):      "#fdd0a2",
	string(graph.Separation):    "#b9d6f2",
	string(graph.Refining):      "#c7e9c0",
	string(graph.Metal):         "#cfcfcf",
	string(graph.Alloy):         "#dadaeb",
	string(graph.Magnet):        "#f7c6e0",
	string(graph.Recycling):     "#e5f5a0",
	string(graph.Refinery):      "#eeeeee", // a refinery without a stage
	string(graph.Firm):          "#ffffff",
	string(graph.State):         "#fff3b0",
	string(graph.Coalition):     "#fde0ef",
}

// fillOrder is the order of fill classes in the legend: the value chain, then firms and states.
var fillOrder = []string{string(graph.Mining), string(graph.Concentration), string(graph.Cracking),
	string(graph.Separation), string(graph.Refining), string(graph.Metal), string(graph.Alloy),
	string(graph.Magnet), string(graph.Recycling), string(graph.Refinery), string(graph.Firm), string(graph.State), string(graph.Coalition)}

// fixedStateColors are the outline colours of the states that appear in most views: the same in
// every picture and every year, so that pictures can be laid side by side.
var fixedStateColors = map[string]string{
	"CN": "#ff7f0e", // orange
	"JP": "#1f77b4", // blue
	"US": "#2ca02c", // green
	"AU": "#9467bd", // purple
	"MY": "#17becf", // cyan
	"IN": "#8c564b", // brown
	"FR": "#e377c2", // pink
	"VN": "#bcbd22", // olive
	"MM": "#393b79", // navy
}

// hashPalette colours every other state, chosen by a hash of its ISO code: colours of Kelly's
// set of maximum contrast that are far from the fixed colours, the chokepoint red and
// otherStateColor. Two such states can share a colour; the legend names each state present.
var hashPalette = []string{"#222222", "#f3c300", "#a1caf1", "#c2b280", "#8db600", "#2b3d26", "#f99379"}

// stateColor is the outline colour of a state, fixed for the code: from fixedStateColors, else
// hashPalette by the FNV-1a hash of the code; otherStateColor for a node with no state.
func stateColor(code string) string {
	if code == "" {
		return otherStateColor
	}
	if c, ok := fixedStateColors[code]; ok {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(code))
	return hashPalette[h.Sum32()%uint32(len(hashPalette))]
}

// routePalette colours the routes of a routes view, the first route first.
// (ColorBrewer Dark2), with no red: the chokepoint red means nothing else.
var routePalette = []string{"#e7298a", "#1b9e77", "#7570b3", "#d95f02", "#66a61e", "#e6ab02", "#a6761d", "#666666"}

// routeColor is the colour of route r (from 0); more routes than colours repeat them.
func routeColor(r int) string { return routePalette[r%len(routePalette)] }

// fillClass is the legend class of a node: its stage for a facility with one, else its kind.
func fillClass(n *graph.Node) string {
	if n.Kind.IsFacility() && n.Stage != "" {
		return string(n.Stage)
	}
	return string(n.Kind)
}

// shapeOf draws facilities as rounded boxes, firms as square boxes and states as octagons.
func shapeOf(k graph.Kind) (shape, style string) {
	switch k {
	case graph.Firm:
		return "box", "filled"
	case graph.State:
		return "octagon", "filled"
	case graph.Coalition:
		return "doubleoctagon", "filled"
	}
	return "box", "rounded,filled"
}

// edgeStyle is how an edge kind is drawn: physical flow solid, offtake solid blue, ownership,
// operation and finance dashed, export restrictions dotted red, coalition membership dotted grey.
func edgeStyle(k graph.EdgeKind) (style, color string) {
	switch k {
	case graph.Offtake:
		return "solid", "#1f5fa8"
	case graph.Owns:
		return "dashed", "#7f7f7f"
	case graph.Operates:
		return "dashed", "#b07aa1"
	case graph.Restricts:
		return "dotted", chokepointColor
	case graph.Finances:
		return "dashed", "#2e8b57"
	case graph.Member:
		return "dotted", "#9e9e9e"
	}
	return "solid", "#444444"
}

// Greys of what a scenario takes away.
const (
	greyColor = "#9e9e9e" // outline of a greyed node, line of a lost edge
	greyText  = "#6e6e6e" // text of a greyed node
)

// greyFill fills the nodes a scenario takes away: white, so that no stage's fill (metal is grey)
// is mistaken for them; their grey outline (dashed when removed, dotted when cut off) and grey
// text mark them.
var greyFill = map[string]string{greyRemoved: "#ffffff", greyCutOff: "#ffffff"}

// greyStyle outlines the nodes a scenario takes away: removed dashed, cut off dotted.
var greyStyle = map[string]string{greyRemoved: "dashed", greyCutOff: "dotted"}

// greyNote is the line a node the scenario takes away carries; the legend explains it.
var greyNote = map[string]string{greyRemoved: "removed", greyCutOff: "cut off"}

// lostStyle draws an edge whose flow a scenario loses: removed dashed, cut off dotted.
var lostStyle = map[string]string{lostRemoved: "dashed", lostCutOff: "dotted"}

// legendSpec lists the marks a view uses, so that its legend explains every one and nothing else.
type legendSpec struct {
	classes     []string // fill classes present
	states      []string // states present, ordered by code; "" for nodes without a state
	chokepoints bool     // chokepoints are outlined red
	focus       bool     // the node the view is about has a double outline
	kinds       []graph.EdgeKind
	widths      bool        // edge widths follow volumes
	routes      []legendRow // one row per route, in its colour
	greyed      []string    // greyed node marks used (greyRemoved, greyCutOff)
	lost        []string    // lost edge marks used (lostRemoved, lostCutOff)
}

// legendRow is a coloured line in the legend.
type legendRow struct{ color, text string }

// legend is the HTML-like label of the legend: the fill classes and states present, the marks
// used, and the edge kinds (or routes) drawn.
func legend(l legendSpec) string {
	var b strings.Builder
	b.WriteString(`<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">`)
	row := func(swatch, text string) {
		fmt.Fprintf(&b, `<tr><td width="18" %s></td><td align="left">%s</td></tr>`, swatch, html.EscapeString(text))
	}
	for _, c := range fillOrder {
		if slices.Contains(l.classes, c) {
			row(fmt.Sprintf(`bgcolor="%s" border="1"`, fillOf[c]), c)
		}
	}
	// States, many in a wide view, legendStatesPerRow to a row.
	for i, s := range l.states {
		if i%legendStatesPerRow == 0 {
			if i > 0 {
				b.WriteString(`</tr></table></td></tr>`)
			}
			b.WriteString(`<tr><td colspan="2"><table border="0" cellborder="0" cellspacing="2" cellpadding="2"><tr>`)
		}
		text := "in " + s
		if s == "" {
			text = "no state"
		}
		fmt.Fprintf(&b, `<td width="18" border="3" color="%s"></td><td align="left">%s</td>`, stateColor(s), html.EscapeString(text))
	}
	if len(l.states) > 0 {
		b.WriteString(`</tr></table></td></tr>`)
	}
	for _, why := range []string{greyRemoved, greyCutOff} {
		if slices.Contains(l.greyed, why) {
			row(fmt.Sprintf(`bgcolor="%s" border="1" color="%s" style="%s"`, greyFill[why], greyColor, greyStyle[why]), why)
		}
	}
	if l.chokepoints {
		row(fmt.Sprintf(`border="4" color="%s"`, chokepointColor), "chokepoint (rank)")
	}
	if l.focus {
		fmt.Fprintf(&b, `<tr><td><table border="1" cellborder="1" cellspacing="2" cellpadding="3"><tr><td></td></tr></table></td><td align="left">%s</td></tr>`,
			"the node in view")
	}
	for _, k := range graph.EdgeKinds() {
		if slices.Contains(l.kinds, k) {
			style, color := edgeStyle(k)
			fmt.Fprintf(&b, `<tr><td><font color="%s">%s</font></td><td align="left">%s</td></tr>`, color, edgeGlyph[style], k)
		}
	}
	for _, why := range []string{lostRemoved, lostCutOff} {
		if slices.Contains(l.lost, why) {
			fmt.Fprintf(&b, `<tr><td><font color="%s">%s</font></td><td align="left">%s</td></tr>`, greyColor, edgeGlyph[lostStyle[why]], why)
		}
	}
	for _, r := range l.routes {
		fmt.Fprintf(&b, `<tr><td><font color="%s">%s</font></td><td align="left">%s</td></tr>`, r.color, edgeGlyph["bold"], html.EscapeString(r.text))
	}
	if l.widths {
		fmt.Fprintf(&b, `<tr><td>%s</td><td align="left">%s</td></tr>`, edgeGlyph["solid"], "line width: volume")
	}
	b.WriteString(`</table>>`)
	return b.String()
}

// legendStatesPerRow is how many states a row of the legend names.
const legendStatesPerRow = 4

// edgeGlyph draws an edge style in the legend.
// Em and en dashes, which every face has (box-drawing lines are missing from Liberation Sans).
var edgeGlyph = map[string]string{"solid": "———►", "dashed": "– – ►", "dotted": "·····►", "bold": "———►"}
