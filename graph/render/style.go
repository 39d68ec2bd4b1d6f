package render

import (
	"cmp"
	"fmt"
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

// statePalette outlines nodes by location state: the states with the most nodes in a view get
// these colours in turn, the rest otherStateColor.
var statePalette = []string{"#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#bcbd22"}

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

// stateColors assigns statePalette to the states of the nodes, most frequent first (ties by
// code), and returns the assignment and the states in that order.
func stateColors(states []string) (map[string]string, []string) {
	count := map[string]int{}
	for _, s := range states {
		if s != "" {
			count[s]++
		}
	}
	order := make([]string, 0, len(count))
	for s := range count {
		order = append(order, s)
	}
	slices.SortFunc(order, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), strings.Compare(a, b)) })
	colors := map[string]string{}
	for i, s := range order {
		if i < len(statePalette) {
			colors[s] = statePalette[i]
		} else {
			colors[s] = otherStateColor
		}
	}
	return colors, order
}

// legend is the HTML-like label of the legend: the fill classes and states present, the
// chokepoint mark when there is one, and the edge kinds present.
func legend(classes []string, states []string, colors map[string]string, chokepoints bool, kinds []graph.EdgeKind) string {
	var b strings.Builder
	b.WriteString(`<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">`)
	row := func(swatch, text string) {
		fmt.Fprintf(&b, `<tr><td width="18" %s></td><td align="left">%s</td></tr>`, swatch, html.EscapeString(text))
	}
	for _, c := range fillOrder {
		if slices.Contains(classes, c) {
			row(fmt.Sprintf(`bgcolor="%s" border="1"`, fillOf[c]), c)
		}
	}
	others := false
	for _, s := range states {
		if colors[s] == otherStateColor {
			others = true
			continue
		}
		row(fmt.Sprintf(`border="3" color="%s"`, colors[s]), "in "+s)
	}
	if others {
		row(fmt.Sprintf(`border="3" color="%s"`, otherStateColor), "in other states")
	}
	if chokepoints {
		row(fmt.Sprintf(`border="4" color="%s"`, chokepointColor), "chokepoint (rank)")
	}
	for _, k := range graph.EdgeKinds {
		if slices.Contains(kinds, k) {
			style, color := edgeStyle(k)
			fmt.Fprintf(&b, `<tr><td><font color="%s">%s</font></td><td align="left">%s</td></tr>`, color, edgeGlyph[style], k)
		}
	}
	b.WriteString(`</table>>`)
	return b.String()
}

// edgeGlyph draws an edge style in the legend.
var edgeGlyph = map[string]string{"solid": "───►", "dashed": "─ ─►", "dotted": "····►"}
