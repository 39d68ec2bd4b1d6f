package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// Control writes as DOT the control tree of a firm or facility: the entity (double outline) and
// its owners up to the ultimate ones, exactly as the control analysis finds them
// (graph.ControlOf on net cut to the year), joined by their ownership edges with the direct
// shares; each owner labelled with its effective share and whether it is an ultimate owner, the
// entity with its controlling states. Owners are drawn above what they own. net is the whole
// network; year 0 draws it uncut, every edge with its years. O(V + E).
// Errors: EInvalid (no node, year out of range), ENotFound (unknown node), EConflict (see
// graph.ControlOf).
func Control(net *graph.Network, node string, year int) ([]byte, error) {
	if node == "" {
		return nil, graph.Errorf(graph.EInvalid, "the control view needs a node: a firm or facility id (e.g. refinery:lynas-malaysia)")
	}
	cut, err := asOf(net, year)
	if err != nil {
		return nil, err
	}
	if _, ok := cut.NodeIndex(node); !ok && year != 0 {
		if _, known := net.NodeIndex(node); known {
			return nil, graph.Errorf(graph.ENotFound, "%s was not in service in %d", node, year)
		}
	}
	res, err := graph.Analyze(cut, graph.AnalysisControl, graph.Request{Node: node})
	if err != nil {
		return nil, err
	}
	c := res.Result.(*graph.Control)
	x, _ := cut.NodeIndex(c.ID)
	in := map[int]bool{x: true}
	v := &view{net: cut, center: x, allYears: year == 0, rankdir: "TB", notes: map[int][]string{}}
	// A facility with no recorded owner is held by its operators in equal parts (the control
	// analysis's rule): draw them and their owners, as ControlOf finds those.
	owners, share, ultimate := c.Owners, map[int]float64{}, map[int]bool{}
	var operators []int
	if len(owners) == 0 {
		for _, e := range cut.In(x) {
			if cut.Edges()[e].Kind == graph.Operates {
				op, _ := cut.Ends(int(e))
				operators = append(operators, op)
			}
		}
	}
	for _, op := range operators {
		res, err := graph.Analyze(cut, graph.AnalysisControl, graph.Request{Node: cut.Nodes()[op].ID})
		if err != nil {
			return nil, err
		}
		in[op] = true
		part := 1 / float64(len(operators))
		share[op] += part
		ultimate[op] = len(res.Result.(*graph.Control).Owners) == 0
		for _, o := range res.Result.(*graph.Control).Owners {
			i, _ := cut.NodeIndex(o.ID)
			share[i] += part * o.Share
			ultimate[i] = o.Ultimate
		}
	}
	for _, o := range owners {
		i, _ := cut.NodeIndex(o.ID)
		share[i], ultimate[i] = o.Share, o.Ultimate
	}
	for i, sh := range share {
		in[i] = true
		note := "effective share " + percent(sh)
		if slices.Contains(operators, i) {
			note = "operator · " + note
		}
		if ultimate[i] {
			note += " · ultimate owner"
		}
		v.notes[i] = []string{note}
	}
	// What recorded owners do not hold counts to the entity's home state.
	for i := range in {
		held, owned := 0.0, false
		for _, e := range cut.In(i) {
			if ed := cut.Edges()[e]; ed.Kind == graph.Owns && ed.Share != nil {
				held += *ed.Share
				owned = true
			}
		}
		if owned && held < 1-1e-9 {
			v.notes[i] = append(v.notes[i], fmt.Sprintf("%s not recorded: counted to %s", percent(1-held), cut.Ref(i).State))
		}
	}
	var states []string
	for _, s := range c.States {
		states = append(states, s.State+" "+percent(s.Share))
	}
	v.notes[x] = append(v.notes[x], "controlling states: "+strings.Join(states, ", "))
	for i := range cut.Nodes() {
		if in[i] {
			v.nodes = append(v.nodes, i)
		}
	}
	for e, ed := range cut.Edges() {
		from, to := cut.Ends(e)
		if ed.Kind == graph.Owns && in[from] && in[to] || ed.Kind == graph.Operates && to == x && slices.Contains(operators, from) {
			v.edges = append(v.edges, e)
		}
	}
	if err := checkSize("control tree of "+c.ID, len(v.nodes), len(v.edges), "choose an as_of year"); err != nil {
		return nil, err
	}
	when := "all years"
	if year != 0 {
		when = fmt.Sprintf("as of %d", year)
	}
	v.title = []string{fmt.Sprintf("Who controls %s (%s), %s", c.Name, c.ID, when),
		fmt.Sprintf("controlling state %s; shares are effective (through every chain of ownership)", c.ControllingState)}
	switch {
	case len(owners) == 0 && len(operators) > 0:
		v.title[1] = fmt.Sprintf("no recorded owner: held by its operators; controlling state %s; shares are effective", c.ControllingState)
	case len(owners) == 0:
		v.title[1] = fmt.Sprintf("no recorded owner or operator: controlled by %s", strings.Join(states, ", "))
	}
	return v.dot(), nil
}
