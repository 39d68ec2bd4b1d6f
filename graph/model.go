package graph

import (
	"slices"
	"strings"
)

// Kind is the kind of a node: a Neo4j label.
type Kind string

// Node kinds. A coalition is a named set of states (its members' member edges).
const (
	Mine      Kind = "mine"
	Refinery  Kind = "refinery"
	Firm      Kind = "firm"
	State     Kind = "state"
	Coalition Kind = "coalition"
)

// Kinds returns a new list of the node kinds in a fixed order.
func Kinds() []Kind {
	return []Kind{Mine, Refinery, Firm, State, Coalition}
}

// IsFacility reports whether k is a physical facility (a mine or a refinery).
func (k Kind) IsFacility() bool { return k == Mine || k == Refinery }

// EdgeKind is the kind of an edge: a Neo4j relationship type.
type EdgeKind string

// Edge kinds. Location is a node field, not an edge. Restricts is an export control of one state
// on its exports to another (or, from a state to itself, to every other state); finances is money
// from an agency, bank, firm or state to a firm or project; member ties a state to a coalition.
const (
	Owns      EdgeKind = "owns"
	Operates  EdgeKind = "operates"
	Offtake   EdgeKind = "offtake"
	Supplies  EdgeKind = "supplies"
	Restricts EdgeKind = "restricts"
	Finances  EdgeKind = "finances"
	Member    EdgeKind = "member"
)

// EdgeKinds returns a new list of the edge kinds in a fixed order.
func EdgeKinds() []EdgeKind {
	return []EdgeKind{Owns, Operates, Offtake, Supplies, Restricts, Finances, Member}
}

// Measure is the kind of an export control: a ban lets nothing pass; a licence, quota or tariff
// lets a share pass (the measure's pass_share).
type Measure string

// Measures.
const (
	Ban     Measure = "ban"
	Licence Measure = "licence"
	QuotaOn Measure = "quota"
	Tariff  Measure = "tariff"
)

// Measures returns a new list of the export-control kinds.
func Measures() []Measure {
	return []Measure{Ban, Licence, QuotaOn, Tariff}
}

// Instrument is the kind of a finances edge.
type Instrument string

// Instruments.
const (
	Loan       Instrument = "loan"
	Equity     Instrument = "equity"
	Grant      Instrument = "grant"
	Guarantee  Instrument = "guarantee"
	Prepayment Instrument = "prepayment"
)

// Instruments returns a new list of the finance instruments.
func Instruments() []Instrument {
	return []Instrument{Loan, Equity, Grant, Guarantee, Prepayment}
}

// Currencies returns a new list of the currencies a finances amount may be given in (ISO 4217).
func Currencies() []string {
	return []string{"USD", "EUR", "JPY", "AUD", "CAD", "GBP", "KRW", "CNY", "INR", "NOK", "SEK"}
}

// Stage is a step of a mineral's value chain. Mining is the mining stage; every other is processing.
type Stage string

// Stages.
const (
	Mining        Stage = "mining"
	Concentration Stage = "concentration"
	Cracking      Stage = "cracking"
	Separation    Stage = "separation"
	Refining      Stage = "refining"
	Metal         Stage = "metal"
	Alloy         Stage = "alloy"
	Magnet        Stage = "magnet"
	Recycling     Stage = "recycling"
)

// Stages returns a new list of the stages in value-chain order.
func Stages() []Stage {
	return []Stage{Mining, Concentration, Cracking, Separation, Refining, Metal, Alloy, Magnet, Recycling}
}

// Status is the operating status of a node.
type Status string

// Statuses.
const (
	Operating    Status = "operating"
	Construction Status = "construction"
	Planned      Status = "planned"
	Closed       Status = "closed"
)

// Statuses returns a new list of the statuses.
func Statuses() []Status {
	return []Status{Operating, Construction, Planned, Closed}
}

// Basis says what kind of figure a capacity, output or volume is.
type Basis string

// Bases. Capacity is nameplate (default), a target, a quota or an estimate; output is reported
// (default) or an estimate; a volume is reported (default), an estimate or a contract's amount.
const (
	Nameplate Basis = "nameplate"
	Target    Basis = "target"
	Quota     Basis = "quota"
	Estimate  Basis = "estimate"
	Reported  Basis = "reported"
	Contract  Basis = "contract"
)

// CapacityBases, OutputBases and VolumeBases list the bases each figure may take.
var (
	CapacityBases = []Basis{Nameplate, Target, Quota, Estimate}
	OutputBases   = []Basis{Reported, Estimate}
	VolumeBases   = []Basis{Reported, Estimate, Contract}
)

// Series is a figure by calendar year; in JSON an object keyed by the year ("2010": 5000).
type Series map[int]float64

// Years returns the series' years in order.
func (s Series) Years() []int {
	years := make([]int, 0, len(s))
	for y := range s {
		years = append(years, y)
	}
	slices.Sort(years)
	return years
}

// Commodity is a product of the network. It belongs to one family and is produced at one stage.
// FamilyFactor converts tonnes of the product into the family's unit (rare earths: tonnes of REO
// equivalent); zero means 1. Prices are yearly averages in US dollars a tonne of the product.
// RecyclingRate is the end-of-life recycling input rate: the share of the product's supply that
// comes from recycled end-of-life material (0..1), nil when unknown.
type Commodity struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Family        string   `json:"family"`
	Stage         Stage    `json:"stage"`
	FamilyFactor  float64  `json:"family_factor,omitempty"`
	PriceUSDPerT  Series   `json:"price_usd_per_t,omitempty"`
	PriceSource   string   `json:"price_source,omitempty"`
	RecyclingRate *float64 `json:"recycling_rate,omitempty"`

	at *origin
}

// Factor returns the commodity's family factor: 1 when none is given.
func (c *Commodity) Factor() float64 {
	if c.FamilyFactor == 0 {
		return 1
	}
	return c.FamilyFactor
}

// Node is a mine, refinery, firm or state.
// Years are calendar years; zero means unknown or open-ended.
// A facility's Capacity is in tonnes a year by product, each of a basis (CapacityBasis, nameplate
// when not given); Output is what it produced, by product and year, where published. A firm or
// state may hold stockpiles: Stock in tonnes, StockDays in days of its consumption, by product
// and year.
type Node struct {
	ID            string             `json:"id"`
	Kind          Kind               `json:"kind"`
	Name          string             `json:"name"`
	State         string             `json:"state,omitempty"`
	Stage         Stage              `json:"stage,omitempty"`
	Status        Status             `json:"status,omitempty"`
	Capacity      map[string]float64 `json:"capacity,omitempty"`
	CapacityBasis map[string]Basis   `json:"capacity_basis,omitempty"`
	Output        map[string]Series  `json:"output,omitempty"`
	OutputBasis   map[string]Basis   `json:"output_basis,omitempty"`
	Stock         map[string]Series  `json:"stock,omitempty"`
	StockDays     map[string]Series  `json:"stock_days,omitempty"`
	Since         int                `json:"since,omitempty"`
	Until         int                `json:"until,omitempty"`
	Source        string             `json:"source,omitempty"`
	AsOf          int                `json:"as_of,omitempty"`
	Extra         map[string]any     `json:"extra,omitempty"`

	at *origin
}

// Edge is a directed relationship between two nodes.
// Share and VolumeTPA are nil when not given. VolumeByYear gives the volume of the years it lists;
// the other years of the edge take VolumeTPA. A restricts edge's Measure names the legal act; its
// Control (ban, licence, quota, tariff) and PassShare say what it lets through (a ban: nothing);
// its commodity may be a family. A finances edge has
// an Instrument, an Amount in a Currency (and, where known, AmountUSD), and the deal's year as
// Since.
type Edge struct {
	Kind         EdgeKind   `json:"kind"`
	From         string     `json:"from"`
	To           string     `json:"to"`
	Share        *float64   `json:"share,omitempty"`
	Commodity    string     `json:"commodity,omitempty"`
	VolumeTPA    *float64   `json:"volume_tpa,omitempty"`
	VolumeByYear Series     `json:"volume_by_year,omitempty"`
	VolumeBasis  Basis      `json:"volume_basis,omitempty"`
	Measure      string     `json:"measure,omitempty"`
	Control      Measure    `json:"control,omitempty"`
	PassShare    *float64   `json:"pass_share,omitempty"`
	Instrument   Instrument `json:"instrument,omitempty"`
	Amount       *float64   `json:"amount,omitempty"`
	Currency     string     `json:"currency,omitempty"`
	AmountUSD    *float64   `json:"amount_usd,omitempty"`
	Since        int        `json:"since,omitempty"`
	Until        int        `json:"until,omitempty"`
	Source       string     `json:"source,omitempty"`
	AsOf         int        `json:"as_of,omitempty"`
	Note         string     `json:"note,omitempty"`

	at *origin
}

// EdgeKey identifies an edge: two edges with the same key are the same edge. Its What is the
// commodity, or for a finances edge the instrument (a loan and equity of one year are two deals).
type EdgeKey struct {
	Kind     EdgeKind
	From, To string
	What     string
	Since    int
}

// Key returns the edge's identity.
func (e *Edge) Key() EdgeKey {
	what := e.Commodity
	if e.Kind == Finances {
		what = string(e.Instrument)
	}
	return EdgeKey{Kind: e.Kind, From: e.From, To: e.To, What: what, Since: e.Since}
}

// Dataset is the public exchange document: what analysts edit, import takes and export writes.
type Dataset struct {
	Commodities []Commodity `json:"commodities"`
	Nodes       []Node      `json:"nodes"`
	Edges       []Edge      `json:"edges"`
}

// origin is where a record was read from, for error messages.
type origin struct {
	file   string
	line   int    // CSV line, 1-based; 0 for JSON
	record place  // when it has no line: its place in the file or request it came in
	stored string // or, for a record the store holds, what it is ("stored node mine:x")
}

// ExistsIn reports whether a record valid from since to until (zero = open) existed in year.
func ExistsIn(since, until, year int) bool {
	return (since == 0 || since <= year) && (until == 0 || year <= until)
}

// KindOfID returns the kind that an id's prefix names ("mine:x" → Mine), or "" if none.
func KindOfID(id string) Kind {
	prefix, _, ok := strings.Cut(id, ":")
	if !ok {
		return ""
	}
	for _, k := range Kinds() {
		if string(k) == prefix {
			return k
		}
	}
	return ""
}

// StateID returns the node id of the state with the ISO 3166-1 alpha-2 code.
func StateID(code string) string { return "state:" + code }
