package graph

import (
	"strconv"
	"strings"
)

// Default years of a trend, and the most years one spans (each year runs two analyses).
const (
	TrendFrom     = 2008
	TrendTo       = 2025
	MaxTrendYears = 60
)

// Trend is the trend analysis's result: a consumer's dependency on a supplier and its max supply,
// one point a year from From to To.
type Trend struct {
	Commodity string       `json:"commodity"`
	Consumer  string       `json:"consumer"`
	Supplier  string       `json:"supplier"`
	From      int          `json:"from"`
	To        int          `json:"to"`
	Years     []TrendPoint `json:"years"`
}

// TrendPoint is one year of a trend: the dependency analysis's shares (0..1) and the flow
// analysis's max supply in that year, as those analyses give them for the year. Nil where the
// year has no figure: the analyses failed for it (the consumer did not exist yet; every figure is
// nil), or the max supply is unbounded (Unbounded is set).
type TrendPoint struct {
	Year         int      `json:"year"`
	Dependency   *float64 `json:"dependency"`               // by location, any stage
	ByControl    *float64 `json:"by_control"`               // by control, any stage
	Unattributed *float64 `json:"unattributed_by_location"` // any stage
	InboundTPA   *float64 `json:"inbound_tpa"`              // nil when no entering flow has a volume
	MaxSupply    *float64 `json:"max_supply"`
	// Unbounded is set when some path to the consumer has no capacity figure (no max supply).
	Unbounded bool `json:"unbounded"`
	// EqualWeights is set when no flow entering the consumer has a volume that year, so the
	// shares weigh the flows alike (Dependency.EqualWeights).
	EqualWeights bool `json:"equal_weights"`
}

// TrendOf runs the dependency and flow analyses (Analyze, with the parameters of the dependency
// analysis in r) on the whole network (see Whole) cut to every year of r.Years ("A..B"; default
// TrendFrom..TrendTo), and returns one point a year. A year whose analyses fail with ENotFound (a
// consumer or supplier not in service then) has an empty point. O(years · analyses).
// Errors: EInvalid (years not A..B with A < B within MinYear..MaxYear, more than MaxTrendYears,
// the analyses' parameters), and the analyses' errors when every year fails.
func TrendOf(net *Network, r Request) (*Trend, error) {
	from, to, err := parseYearRange(r.Years)
	if err != nil {
		return nil, err
	}
	if r.Commodity == "" {
		return nil, Errorf(EInvalid, "trend needs a commodity: a family (%s) or a product id", strings.Join(net.Families(), ", "))
	}
	if r.Supplier == "" {
		return nil, Errorf(EInvalid, "trend needs a supplier state (e.g. state:CN)")
	}
	out := &Trend{Commodity: r.Commodity, Consumer: r.Consumer, Supplier: r.Supplier, From: from, To: to}
	var firstErr error
	ok := false
	for y := from; y <= to; y++ {
		p, d, err := trendPoint(net.Whole().AsOf(y), r)
		if err != nil {
			if ErrorCode(err) != ENotFound {
				return nil, err
			}
			if firstErr == nil {
				firstErr = err
			}
		} else if !ok {
			out.Commodity, out.Consumer, out.Supplier, ok = d.Commodity, d.Consumer, d.Supplier, true
		}
		out.Years = append(out.Years, p)
	}
	if !ok {
		return nil, firstErr
	}
	return out, nil
}

// trendPoint is the point of the year net is cut to, and the dependency it comes from.
func trendPoint(net *Network, r Request) (TrendPoint, *Dependency, error) {
	p := TrendPoint{Year: net.Year()}
	dep, err := Analyze(net, AnalysisDependency, r)
	if err != nil {
		return p, nil, err
	}
	flow, err := Analyze(net, AnalysisFlow, r)
	if err != nil {
		return p, nil, err
	}
	d, s := dep.Result.(*Dependency), flow.Result.(*Supply)
	p.Dependency, p.ByControl = &d.ByLocation.Any, &d.ByControl.Any
	p.Unattributed, p.EqualWeights = &d.UnattributedByLocation.Any, d.EqualWeights
	if !d.EqualWeights {
		p.InboundTPA = &d.InboundTPA
	}
	if p.Unbounded = s.Unbounded; !s.Unbounded {
		m := float64(s.MaxSupply)
		p.MaxSupply = &m
	}
	return p, d, nil
}

// parseYearRange reads the years of a trend, "A..B" ("": the defaults). Errors: EInvalid, naming
// the parameter years.
func parseYearRange(s string) (from, to int, err error) {
	if s == "" {
		return TrendFrom, TrendTo, nil
	}
	a, b, ok := strings.Cut(s, "..")
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to, err2 := strconv.Atoi(strings.TrimSpace(b))
	switch {
	case !ok || err1 != nil || err2 != nil:
		return 0, 0, Errorf(EInvalid, "years wants A..B (e.g. %d..%d), got %q", TrendFrom, TrendTo, s)
	case CheckYear("years", from) != nil || CheckYear("years", to) != nil:
		return 0, 0, Errorf(EInvalid, "years %s: both years must lie within %d..%d", s, MinYear, MaxYear)
	case from >= to:
		return 0, 0, Errorf(EInvalid, "years %s: a trend needs A < B, two years at least (for one year, ask the dependency and flow analyses with as_of)", s)
	case to-from >= MaxTrendYears:
		return 0, 0, Errorf(EInvalid, "years %s: a trend spans at most %d years, got %d", s, MaxTrendYears, to-from+1)
	}
	return from, to, nil
}
