// Package synthetic generates deterministic, valid critical-minerals supply networks of any size,
// for benchmarks: mines, refineries at every processing stage, firms and a few dozen real states,
// linked by supplies and offtake flows (with commodity and volume), owns edges (shares, so that
// the owners of one entity hold at most 1 in total) and operates edges.
//
// The same Config always yields the same dataset, and every dataset it yields passes
// graph.Dataset.Validate.
package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/chokepoint/chokepoint/graph"
)

// Config sizes a synthetic network.
type Config struct {
	// Nodes is the exact number of nodes (states included); at least MinNodes.
	Nodes int
	// Edges is the exact number of edges; at most Nodes*8.
	Edges int
	// Seed selects the network: the same Config always yields the same dataset.
	Seed uint64
}

// MinNodes is the smallest network Generate builds: every state plus a few facilities and firms.
const MinNodes = 100

// Node mix: the share of the non-state nodes that are mines and refineries; the rest are firms.
const (
	mineShare     = 0.25
	refineryShare = 0.30
)

// Edge mix: the share of the edges of each kind (supplies takes the rest).
const (
	ownsShare     = 0.20
	operatesShare = 0.10
	offtakeShare  = 0.25
)

// state is a real ISO 3166-1 alpha-2 state with a weight: how likely a node is to be located there.
type state struct {
	code, name string
	weight     float64
}

// states are the states of the synthetic world, heavy in the places that dominate the real one.
var states = []state{
	{"CN", "China", 30}, {"AU", "Australia", 8}, {"US", "United States", 8}, {"MM", "Myanmar", 4},
	{"JP", "Japan", 4}, {"VN", "Viet Nam", 2}, {"IN", "India", 3}, {"BR", "Brazil", 3},
	{"RU", "Russian Federation", 3}, {"MY", "Malaysia", 2}, {"TH", "Thailand", 1}, {"LA", "Lao PDR", 1},
	{"KR", "Republic of Korea", 2}, {"DE", "Germany", 2}, {"FR", "France", 1.5}, {"GB", "United Kingdom", 1},
	{"EE", "Estonia", 0.5}, {"BE", "Belgium", 1}, {"CA", "Canada", 3}, {"GL", "Greenland", 0.5},
	{"ZA", "South Africa", 2}, {"MG", "Madagascar", 1}, {"MW", "Malawi", 0.5}, {"TZ", "Tanzania", 1},
	{"NA", "Namibia", 0.5}, {"AO", "Angola", 0.5}, {"BI", "Burundi", 0.3}, {"UG", "Uganda", 0.3},
	{"KZ", "Kazakhstan", 1}, {"UZ", "Uzbekistan", 0.5}, {"KG", "Kyrgyzstan", 0.3}, {"MN", "Mongolia", 0.5},
	{"SA", "Saudi Arabia", 0.5}, {"TR", "Türkiye", 0.5}, {"SE", "Sweden", 0.5}, {"NO", "Norway", 0.5},
	{"FI", "Finland", 0.5}, {"PL", "Poland", 0.3}, {"CZ", "Czechia", 0.3}, {"AT", "Austria", 0.3},
	{"CL", "Chile", 1}, {"AR", "Argentina", 0.5}, {"PE", "Peru", 0.5}, {"MX", "Mexico", 0.5},
	{"ID", "Indonesia", 1}, {"PH", "Philippines", 0.5}, {"TW", "Taiwan", 1}, {"SG", "Singapore", 0.3},
}

// Commodities returns the commodities every synthetic network uses: the value chains of rare
// earths, gallium and germanium.
func Commodities() []graph.Commodity {
	out := make([]graph.Commodity, 0, len(commodities))
	for _, c := range commodities {
		out = append(out, graph.Commodity{ID: c.id, Name: c.name, Family: c.family, Stage: c.stage})
	}
	return out
}

type commodity struct {
	id, name, family string
	stage            graph.Stage
}

var commodities = []commodity{
	{"re-concentrate", "Rare-earth mineral concentrate", "rare-earths", graph.Mining},
	{"ionic-clay-concentrate", "Ionic-clay mixed rare-earth product", "rare-earths", graph.Mining},
	{"mixed-re-carbonate", "Mixed rare-earth carbonate", "rare-earths", graph.Cracking},
	{"re-chloride", "Mixed rare-earth chloride", "rare-earths", graph.Cracking},
	{"ndpr-oxide", "NdPr oxide", "rare-earths", graph.Separation},
	{"dy-tb-oxide", "Dysprosium and terbium oxides", "rare-earths", graph.Separation},
	{"la-ce-oxide", "Lanthanum and cerium oxides", "rare-earths", graph.Separation},
	{"other-re-oxide", "Other separated rare-earth oxides", "rare-earths", graph.Separation},
	{"ndpr-metal", "NdPr metal", "rare-earths", graph.Metal},
	{"ndfeb-alloy", "NdFeB alloy", "rare-earths", graph.Alloy},
	{"ndfeb-magnet", "Sintered NdFeB magnet", "rare-earths", graph.Magnet},
	{"recycled-re-oxide", "Recycled rare-earth oxide", "rare-earths", graph.Recycling},
	{"ga-bearing-bauxite", "Bauxite, gallium content", "gallium", graph.Mining},
	{"gallium-crude", "Primary low-purity gallium", "gallium", graph.Refining},
	{"gallium", "High-purity gallium", "gallium", graph.Refining},
	{"ge-bearing-ore", "Germanium-bearing ore", "germanium", graph.Mining},
	{"germanium-concentrate", "Germanium concentrate", "germanium", graph.Concentration},
	{"germanium", "Germanium metal and dioxide", "germanium", graph.Refining},
}

// families are the value chains, with how likely a facility is to belong to each.
var families = []struct {
	name   string
	weight float64
}{{"rare-earths", 0.7}, {"gallium", 0.15}, {"germanium", 0.15}}

var statuses = []struct {
	status graph.Status
	weight float64
}{{graph.Operating, 0.7}, {graph.Construction, 0.1}, {graph.Planned, 0.12}, {graph.Closed, 0.08}}

var firmTypes = []string{"company", "company", "company", "company", "soe", "soe", "agency", "fund"}

// facility is what the generator remembers of a mine or refinery: what it makes and how much.
type facility struct {
	node      int // index into the dataset's nodes
	family    int // index into families
	stage     int // index into graph.Stages()
	commodity string
	capacity  float64
}

// pairKey is what makes an edge a duplicate of another when their years overlap.
type pairKey struct {
	kind           graph.EdgeKind
	from, to, comm string
}

// generator holds the state of one Generate call.
type generator struct {
	rng        *rand.Rand
	ds         *graph.Dataset
	stateCDF   []float64
	facilities []facility
	// byFamilyStage[family][stage] lists indices into facilities of the refineries there.
	byFamilyStage [][][]int
	firms         []int              // node indices
	stateNodes    []int              // node indices
	edgeKeys      map[pairKey]bool   // edges made, by (kind, from, to, commodity)
	ownedShare    map[string]float64 // node id → sum of its owners' shares
}

// Generate builds the network that cfg describes.
// Errors: cfg asks for fewer than MinNodes nodes, for a negative number of edges or for more
// edges than the nodes can carry without duplicates.
func Generate(cfg Config) (*graph.Dataset, error) {
	switch {
	case cfg.Nodes < MinNodes:
		return nil, fmt.Errorf("synthetic: need at least %d nodes, got %d", MinNodes, cfg.Nodes)
	case cfg.Edges < 0:
		return nil, fmt.Errorf("synthetic: negative number of edges %d", cfg.Edges)
	case cfg.Edges > cfg.Nodes*8:
		return nil, fmt.Errorf("synthetic: %d edges are too many for %d nodes (at most %d)", cfg.Edges, cfg.Nodes, cfg.Nodes*8)
	}
	g := &generator{
		rng:        rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		ds:         &graph.Dataset{Commodities: Commodities()},
		edgeKeys:   make(map[pairKey]bool, cfg.Edges),
		ownedShare: make(map[string]float64),
	}
	g.nodes(cfg.Nodes)
	if err := g.edges(cfg.Edges); err != nil {
		return nil, err
	}
	return g.ds, nil
}

// MustGenerate is Generate for sizes known to be valid; it panics on error.
func MustGenerate(cfg Config) *graph.Dataset {
	ds, err := Generate(cfg)
	if err != nil {
		panic(err)
	}
	return ds
}

func (g *generator) nodes(total int) {
	nStates := min(len(states), total/10)
	rest := total - nStates
	nMines := int(float64(rest) * mineShare)
	nRefineries := int(float64(rest) * refineryShare)
	nFirms := rest - nMines - nRefineries
	g.ds.Nodes = make([]graph.Node, 0, total)
	sum := 0.0
	for _, s := range states[:nStates] {
		sum += s.weight
		g.stateCDF = append(g.stateCDF, sum)
	}
	for i := range g.stateCDF {
		g.stateCDF[i] /= sum
	}
	g.byFamilyStage = make([][][]int, len(families))
	for f := range g.byFamilyStage {
		g.byFamilyStage[f] = make([][]int, len(graph.Stages()))
	}
	for i := range nMines {
		g.facility(graph.Mine, i)
	}
	for i := range nRefineries {
		g.facility(graph.Refinery, i)
	}
	for i := range nFirms {
		g.firms = append(g.firms, len(g.ds.Nodes))
		g.ds.Nodes = append(g.ds.Nodes, graph.Node{
			ID: fmt.Sprintf("firm:f%06d", i), Kind: graph.Firm, Name: fmt.Sprintf("Firm %d", i),
			State: g.state(), Source: fmt.Sprintf("https://example.org/synthetic/firm/%d", i), AsOf: 2024,
			Extra: map[string]any{"firm_type": firmTypes[g.rng.IntN(len(firmTypes))]},
		})
	}
	for _, s := range states[:nStates] {
		g.stateNodes = append(g.stateNodes, len(g.ds.Nodes))
		g.ds.Nodes = append(g.ds.Nodes, graph.Node{
			ID: graph.StateID(s.code), Kind: graph.State, Name: s.name, State: s.code,
			Source: "https://example.org/synthetic/state/" + s.code, AsOf: 2023,
			Extra: map[string]any{"governance": round(g.rng.Float64(), 3)},
		})
	}
}

// facility adds the i-th mine or refinery: a family, a stage and one product with its capacity.
func (g *generator) facility(kind graph.Kind, i int) {
	f := g.pickFamily()
	var candidates []commodity
	for _, c := range commodities {
		if c.family == families[f].name && (c.stage == graph.Mining) == (kind == graph.Mine) {
			candidates = append(candidates, c)
		}
	}
	c := candidates[g.rng.IntN(len(candidates))]
	stage := stageIndex(c.stage)
	capacity := round(math.Exp(g.rng.Float64()*8+2), 0) // 7 … 22,000 t/yr, log-uniform
	fac := facility{node: len(g.ds.Nodes), family: f, stage: stage, commodity: c.id, capacity: capacity}
	if kind == graph.Refinery {
		g.byFamilyStage[f][stage] = append(g.byFamilyStage[f][stage], len(g.facilities))
	}
	g.facilities = append(g.facilities, fac)
	prefix := map[graph.Kind]string{graph.Mine: "m", graph.Refinery: "r"}[kind]
	title := map[graph.Kind]string{graph.Mine: "Mine", graph.Refinery: "Refinery"}[kind]
	g.ds.Nodes = append(g.ds.Nodes, graph.Node{
		ID: fmt.Sprintf("%s:%s%06d", kind, prefix, i), Kind: kind, Name: fmt.Sprintf("%s %d", title, i),
		State: g.state(), Stage: c.stage, Status: g.status(), Capacity: map[string]float64{c.id: capacity},
		Since: 1950 + g.rng.IntN(80), Source: fmt.Sprintf("https://example.org/synthetic/%s/%d", kind, i), AsOf: 2024,
	})
}

func (g *generator) edges(total int) error {
	nOwns := int(float64(total) * ownsShare)
	nOperates := int(float64(total) * operatesShare)
	nOfftake := int(float64(total) * offtakeShare)
	nSupplies := total - nOwns - nOperates - nOfftake
	g.ds.Edges = make([]graph.Edge, 0, total)
	for _, step := range []struct {
		n    int
		kind graph.EdgeKind
		try  func() (graph.Edge, bool)
	}{
		{nSupplies, graph.Supplies, g.supplies},
		{nOfftake, graph.Offtake, g.offtake},
		{nOwns, graph.Owns, g.owns},
		{nOperates, graph.Operates, g.operates},
	} {
		made, tries := 0, 0
		for made < step.n {
			if tries++; tries > 50*step.n+1000 {
				return fmt.Errorf("synthetic: could only place %d of %d %s edges without duplicates; use more nodes", made, step.n, step.kind)
			}
			e, ok := step.try()
			// Edges are open-ended, so two with the same kind, ends and commodity would overlap.
			key := pairKey{e.Kind, e.From, e.To, e.Commodity}
			if !ok || e.From == e.To || g.edgeKeys[key] {
				continue
			}
			g.edgeKeys[key] = true
			if e.Kind == graph.Owns {
				g.ownedShare[e.To] += *e.Share
			}
			e.Source = fmt.Sprintf("https://example.org/synthetic/%s/%d", e.Kind, made)
			e.AsOf = 2024
			g.ds.Edges = append(g.ds.Edges, e)
			made++
		}
	}
	return nil
}

// supplies: a mine or refinery sells its product to a refinery of the same family at a later stage,
// or to a firm (a trader or manufacturer) when there is none.
func (g *generator) supplies() (graph.Edge, bool) {
	from := &g.facilities[g.rng.IntN(len(g.facilities))]
	var to int
	if later := g.laterRefineries(from); len(later) > 0 && g.rng.Float64() < 0.85 {
		to = g.facilities[later[g.rng.IntN(len(later))]].node
	} else {
		to = g.firms[g.rng.IntN(len(g.firms))]
	}
	return graph.Edge{Kind: graph.Supplies, From: g.id(from.node), To: g.id(to), Commodity: from.commodity,
		VolumeTPA: ptr(round(from.capacity*g.rng.Float64()*0.5, 1)), Since: 1990 + g.rng.IntN(36)}, true
}

// laterRefineries returns the refineries of from's family at the first later stage that has any.
func (g *generator) laterRefineries(from *facility) []int {
	for s := from.stage + 1; s < len(graph.Stages()); s++ {
		if r := g.byFamilyStage[from.family][s]; len(r) > 0 {
			return r
		}
	}
	return nil
}

// offtake: a facility (or, less often, a firm reselling) commits part of its output to a firm.
func (g *generator) offtake() (graph.Edge, bool) {
	to := g.firms[g.rng.IntN(len(g.firms))]
	e := graph.Edge{Kind: graph.Offtake, To: g.id(to), Since: 2000 + g.rng.IntN(30)}
	if g.rng.Float64() < 0.8 {
		from := &g.facilities[g.rng.IntN(len(g.facilities))]
		e.From, e.Commodity = g.id(from.node), from.commodity
		e.VolumeTPA = ptr(round(from.capacity*g.rng.Float64()*0.3, 1))
	} else {
		e.From = g.id(g.firms[g.rng.IntN(len(g.firms))])
		e.Commodity = commodities[g.rng.IntN(len(commodities))].id
		e.VolumeTPA = ptr(round(math.Exp(g.rng.Float64()*7), 1))
	}
	if g.rng.Float64() < 0.5 {
		e.Share = ptr(round(0.05+g.rng.Float64()*0.5, 2))
	}
	return e, true
}

// owns: a firm (or a state) holds a share of a firm, mine or refinery, never taking the owners of
// one entity above 1 in total.
func (g *generator) owns() (graph.Edge, bool) {
	var target int
	switch r := g.rng.Float64(); {
	case r < 0.6:
		target = g.facilities[g.rng.IntN(len(g.facilities))].node
	default:
		target = g.firms[g.rng.IntN(len(g.firms))]
	}
	free := round(1-g.ownedShare[g.id(target)], 2)
	if free < 0.01 {
		return graph.Edge{}, false
	}
	share := min(free, round(0.05+g.rng.Float64()*0.95, 2))
	var owner int
	if g.rng.Float64() < 0.05 {
		owner = g.stateNodes[g.rng.IntN(len(g.stateNodes))]
	} else {
		owner = g.firms[g.rng.IntN(len(g.firms))]
	}
	return graph.Edge{Kind: graph.Owns, From: g.id(owner), To: g.id(target), Share: ptr(share)}, true
}

// operates: a firm runs a mine or refinery.
func (g *generator) operates() (graph.Edge, bool) {
	to := g.facilities[g.rng.IntN(len(g.facilities))].node
	from := g.firms[g.rng.IntN(len(g.firms))]
	return graph.Edge{Kind: graph.Operates, From: g.id(from), To: g.id(to), Since: 1990 + g.rng.IntN(36)}, true
}

func (g *generator) id(node int) string { return g.ds.Nodes[node].ID }

func (g *generator) state() string {
	r := g.rng.Float64()
	for i, c := range g.stateCDF {
		if r < c {
			return states[i].code
		}
	}
	return states[len(g.stateCDF)-1].code
}

func (g *generator) status() graph.Status {
	r := g.rng.Float64()
	for _, s := range statuses {
		if r < s.weight {
			return s.status
		}
		r -= s.weight
	}
	return graph.Operating
}

func (g *generator) pickFamily() int {
	r := g.rng.Float64()
	for i, f := range families {
		if r < f.weight {
			return i
		}
		r -= f.weight
	}
	return 0
}

func stageIndex(s graph.Stage) int {
	for i, t := range graph.Stages() {
		if t == s {
			return i
		}
	}
	return 0
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

func ptr[T any](v T) *T { return &v }
