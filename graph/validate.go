package graph

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ShareTolerance is how far above 1 the shares of one entity's owners may sum, for rounding.
const ShareTolerance = 0.001

// Limits on single values, the same on every store: Neo4j cannot index longer strings, and
// analyses add and multiply amounts, which must stay finite.
const (
	MaxIDBytes   = 200  // an id (node or commodity), in bytes
	MaxNameBytes = 500  // a name, in bytes
	MaxTonnes    = 1e12 // a capacity or volume, in tonnes a year (world output of anything is far below)
)

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	extraKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// reservedProperties are node property names that extra keys may not take: they are the fields
// of Node as stored in Neo4j.
var reservedProperties = map[string]bool{
	"id": true, "kind": true, "name": true, "state": true, "stage": true, "status": true,
	"capacity": true, "capacity_basis": true, "output": true, "output_basis": true, "stock": true, "stock_days": true, "since": true, "until": true, "source": true, "as_of": true, "extra": true,
}

// allowedEnds says which node kinds each edge kind may connect, from and to.
var allowedEnds = map[EdgeKind][2][]Kind{
	Owns:      {{Firm, State}, {Firm, Mine, Refinery}},
	Operates:  {{Firm}, {Mine, Refinery}},
	Offtake:   {{Mine, Refinery, Firm}, {Firm}},
	Supplies:  {{Mine, Refinery}, {Refinery, Firm}},
	Restricts: {{State}, {State}},
	Finances:  {{Firm, State}, {Firm, Mine, Refinery}},
	Member:    {{State}, {Coalition}},
}

// problems collects validation problems for one dataset.
type problems []Problem

// place is a record's place in a list of a dataset, named ("nodes[3]") only when a problem is
// reported: the zero place names nothing.
type place struct {
	list  string
	index int
}

// String names the place as a problem does: nodes[3].
func (p place) String() string {
	if p.list == "" {
		return ""
	}
	return p.list + "[" + strconv.Itoa(p.index) + "]"
}

// add reports a problem in field of the record at place record of the dataset validated. The
// record is named by its origin when it has one: a CSV line, its place in the file or request it
// came in, or what the store holds it as.
func (ps *problems) add(at *origin, record place, field, format string, args ...any) {
	if at == nil {
		at = &origin{}
	}
	p := Problem{File: at.file, Line: at.line, Field: field, Message: fmt.Sprintf(format, args...)}
	switch {
	case at.line > 0:
	case at.stored != "":
		p.Record = at.stored
	case at.record.list != "":
		p.Record = at.record.String()
	default:
		p.Record = record.String()
	}
	*ps = append(*ps, p)
}

// Validate checks the whole dataset and returns nil or an *Error with code EInvalid that lists
// every problem found, each located by file, CSV line or JSON record, and field.
func (ds *Dataset) Validate() error {
	_, err := ds.validate()
	return err
}

// validate is Validate, and returns as well, when the dataset is valid, each edge's ends as places
// in ds.Nodes.
func (ds *Dataset) validate() ([][2]int32, error) {
	var ps problems
	commodities := ds.validateCommodities(&ps)
	nodeAt := ds.validateNodes(&ps, commodities)
	families := map[string]bool{}
	for _, c := range ds.Commodities {
		families[c.Family] = true
	}
	ends := ds.validateEdges(&ps, commodities, families, nodeAt)
	ds.checkOwnershipCycles(&ps)
	if len(ps) == 0 {
		return ends, nil
	}
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return nil, &Error{Code: EInvalid, Message: fmt.Sprintf("dataset is invalid: %d %s", len(ps), noun), Problems: ps}
}

func (ds *Dataset) validateCommodities(ps *problems) map[string]bool {
	seen := make(map[string]bool, len(ds.Commodities))
	for i := range ds.Commodities {
		c := &ds.Commodities[i]
		rec := place{"commodities", i}
		validateLengths(ps, c.at, rec, c.ID, c.Name)
		switch {
		case len(c.ID) > MaxIDBytes: // reported by validateLengths
		case !slugRE.MatchString(c.ID):
			ps.add(c.at, rec, "id", "%q is not a slug (lowercase letters, digits and single dashes)", c.ID)
		case seen[c.ID]:
			ps.add(c.at, rec, "id", "duplicate commodity id %q", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Name) == "" {
			ps.add(c.at, rec, "name", "is required")
		}
		validateText(ps, c.at, rec, "name", c.Name)
		if !slugRE.MatchString(c.Family) {
			ps.add(c.at, rec, "family", "%q is not a slug", c.Family)
		}
		if !slices.Contains(Stages(), c.Stage) {
			ps.add(c.at, rec, "stage", "unknown stage %q (want one of %s)", c.Stage, joinNames(Stages()))
		}
		if f := c.FamilyFactor; f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			ps.add(c.at, rec, "family_factor", "must be a finite number > 0, got %v", f)
		}
		validateSeries(ps, c.at, rec, "price_usd_per_t", c.PriceUSDPerT, 0, 0)
		if len(c.PriceUSDPerT) > 0 && c.PriceSource == "" {
			ps.add(c.at, rec, "price_source", "is required with prices")
		}
		validateSource(ps, c.at, rec, "price_source", c.PriceSource)
		if r := c.RecyclingRate; r != nil && !(*r >= 0 && *r <= 1) {
			ps.add(c.at, rec, "recycling_rate", "must be between 0 and 1, got %v", *r)
		}
	}
	return seen
}

// validateNodes checks the nodes and returns the place in ds.Nodes of the node of each id (the
// last one, if an id is duplicated).
func (ds *Dataset) validateNodes(ps *problems, commodities map[string]bool) map[string]int {
	nodeAt := make(map[string]int, len(ds.Nodes))
	for i := range ds.Nodes {
		n := &ds.Nodes[i]
		rec := place{"nodes", i}
		validateLengths(ps, n.at, rec, n.ID, n.Name)
		if _, dup := nodeAt[n.ID]; dup {
			ps.add(n.at, rec, "id", "duplicate node id %q", n.ID)
		}
		if len(n.ID) > MaxIDBytes { // too long to check further: reported by validateLengths
		} else if !slices.Contains(Kinds(), n.Kind) {
			ps.add(n.at, rec, "kind", "unknown kind %q (want mine, refinery, firm or state)", n.Kind)
		} else if KindOfID(n.ID) != n.Kind {
			ps.add(n.at, rec, "id", "%q must start with %q", n.ID, string(n.Kind)+":")
		} else if _, slug, _ := strings.Cut(n.ID, ":"); n.Kind != State && !slugRE.MatchString(slug) {
			ps.add(n.at, rec, "id", "%q: the part after %q is not a slug", n.ID, string(n.Kind)+":")
		}
		nodeAt[n.ID] = i
		if strings.TrimSpace(n.Name) == "" {
			ps.add(n.at, rec, "name", "is required")
		}
		validateText(ps, n.at, rec, "name", n.Name)
		switch {
		case n.Kind == State:
			code := strings.TrimPrefix(n.ID, "state:")
			if !IsStateCode(code) {
				ps.add(n.at, rec, "id", "%q is not an ISO 3166-1 alpha-2 code", code)
			} else if n.State != "" && n.State != code {
				ps.add(n.at, rec, "state", "%q must equal the id's code %q", n.State, code)
			}
		case n.Kind == Coalition:
			if n.State != "" {
				ps.add(n.at, rec, "state", "a coalition has no state: its members are its states")
			}
		case n.State == "":
			ps.add(n.at, rec, "state", "is required for a %s", n.Kind)
		case !IsStateCode(n.State):
			ps.add(n.at, rec, "state", "%q is not an ISO 3166-1 alpha-2 code", n.State)
		}
		switch {
		case n.Kind == Mine && n.Stage != Mining:
			ps.add(n.at, rec, "stage", "a mine's stage must be %q, got %q", Mining, n.Stage)
		case n.Kind == Refinery && (n.Stage == Mining || !slices.Contains(Stages(), n.Stage)):
			ps.add(n.at, rec, "stage", "a refinery needs a processing stage (one of %s), got %q", joinNames(Stages()[1:]), n.Stage)
		case !n.Kind.IsFacility() && n.Stage != "":
			ps.add(n.at, rec, "stage", "a %s has no stage", n.Kind)
		}
		if n.Status != "" && !slices.Contains(Statuses(), n.Status) {
			ps.add(n.at, rec, "status", "unknown status %q (want operating, construction, planned or closed)", n.Status)
		}
		if len(n.Capacity) > 0 && !n.Kind.IsFacility() {
			ps.add(n.at, rec, "capacity", "only mines and refineries have capacities")
		}
		for _, c := range sortedKeys(n.Capacity) {
			if !commodities[c] {
				ps.add(n.at, rec, "capacity."+c, "unknown commodity %q", c)
			}
			if v := n.Capacity[c]; v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				ps.add(n.at, rec, "capacity."+c, "must be a finite number ≥ 0, got %v", v)
			} else if v > MaxTonnes {
				ps.add(n.at, rec, "capacity."+c, "must be at most %g t/yr, got %v", MaxTonnes, v)
			}
		}
		for _, c := range sortedKeys(n.CapacityBasis) {
			if _, ok := n.Capacity[c]; !ok {
				ps.add(n.at, rec, "capacity_basis."+c, "has no capacity to qualify")
			}
			validateBasis(ps, n.at, rec, "capacity_basis."+c, n.CapacityBasis[c], CapacityBases)
		}
		if len(n.Output) > 0 && !n.Kind.IsFacility() {
			ps.add(n.at, rec, "output", "only mines and refineries have an output")
		}
		for _, c := range sortedKeys(n.Output) {
			if !commodities[c] {
				ps.add(n.at, rec, "output."+c, "unknown commodity %q", c)
			}
			validateSeries(ps, n.at, rec, "output."+c, n.Output[c], n.Since, n.Until)
		}
		for _, c := range sortedKeys(n.OutputBasis) {
			if _, ok := n.Output[c]; !ok {
				ps.add(n.at, rec, "output_basis."+c, "has no output to qualify")
			}
			validateBasis(ps, n.at, rec, "output_basis."+c, n.OutputBasis[c], OutputBases)
		}
		for _, stock := range []struct {
			field string
			m     map[string]Series
		}{{"stock", n.Stock}, {"stock_days", n.StockDays}} {
			if len(stock.m) > 0 && n.Kind != Firm && n.Kind != State {
				ps.add(n.at, rec, stock.field, "only firms and states hold stockpiles")
			}
			for _, c := range sortedKeys(stock.m) {
				if !commodities[c] {
					ps.add(n.at, rec, stock.field+"."+c, "unknown commodity %q", c)
				}
				validateSeries(ps, n.at, rec, stock.field+"."+c, stock.m[c], 0, 0)
			}
		}
		validateYears(ps, n.at, rec, n.Since, n.Until, n.AsOf)
		validateSource(ps, n.at, rec, "source", n.Source)
		for _, k := range sortedKeys(n.Extra) {
			switch v := n.Extra[k]; {
			case !extraKeyRE.MatchString(k):
				ps.add(n.at, rec, "extra."+k, "key must be lowercase letters, digits and underscores, starting with a letter")
			case reservedProperties[k] || hasReservedPrefix(k):
				ps.add(n.at, rec, "extra."+k, "key is reserved for a node field")
			default:
				switch x := v.(type) {
				case string, bool:
				case float64:
					if math.IsNaN(x) || math.IsInf(x, 0) {
						ps.add(n.at, rec, "extra."+k, "must be a finite number")
					} else if math.Abs(x) > MaxTonnes {
						ps.add(n.at, rec, "extra."+k, "must be at most %g in magnitude, got %v", MaxTonnes, x)
					}
				default:
					ps.add(n.at, rec, "extra."+k, "must be a string, number or boolean, got %T", v)
				}
			}
		}
	}
	return nodeAt
}

// validateEdges checks the edges and returns their ends as places in ds.Nodes, an unknown end as a
// negative number.
func (ds *Dataset) validateEdges(ps *problems, commodities, families map[string]bool, nodeAt map[string]int) [][2]int32 {
	// Edges of one kind between the same ends with the same commodity are chained in index order
	// (first and last of each chain by key, the next of each edge in next) to look for duplicates.
	// An end is keyed by its node's place, an unknown end by a negative number of its own; the
	// kind and commodity by a number of their own, so that the key hashes fast.
	type pairKey struct{ kind, from, to, comm int32 }
	codes := map[string]int32{}
	code := func(s string) int32 {
		c, ok := codes[s]
		if !ok {
			c = int32(len(codes))
			codes[s] = c
		}
		return c
	}
	kinds := make([]Kind, len(ds.Nodes)) // by place: a compact copy, read once per edge end
	for i := range ds.Nodes {
		kinds[i] = ds.Nodes[i].Kind
	}
	type chain struct{ first, last int }
	byPair := make(map[pairKey]chain, len(ds.Edges))
	next := make([]int, len(ds.Edges))
	unknown := map[string]int32{}
	nodePlace := func(id string) int32 {
		if at, ok := nodeAt[id]; ok {
			return int32(at)
		}
		if _, ok := unknown[id]; !ok {
			unknown[id] = -1 - int32(len(unknown))
		}
		return unknown[id]
	}
	owners := make(map[string][]int) // target id → indices of owns edges
	ends := make([][2]int32, len(ds.Edges))
	for i := range ds.Edges {
		e := &ds.Edges[i]
		rec := place{"edges", i}
		allowed, known := allowedEnds[e.Kind]
		if !known {
			ps.add(e.at, rec, "kind", "unknown edge kind %q (want %s)", e.Kind, joinNames(EdgeKinds()))
		}
		from, to := nodePlace(e.From), nodePlace(e.To)
		ends[i] = [2]int32{from, to}
		for _, end := range []struct {
			field, id string
			at        int32
			allowed   []Kind
		}{{"from", e.From, from, allowed[0]}, {"to", e.To, to, allowed[1]}} {
			var k Kind
			if end.at >= 0 {
				k = kinds[end.at]
			}
			switch {
			case end.id == "":
				ps.add(e.at, rec, end.field, "is required")
			case end.at < 0:
				ps.add(e.at, rec, end.field, "unknown node %q", end.id)
			case known && slices.Contains(Kinds(), k) && !slices.Contains(end.allowed, k):
				ps.add(e.at, rec, end.field, "a %s edge cannot %s a %s (allowed: %s)", e.Kind, map[string]string{"from": "start at", "to": "end at"}[end.field], k, joinNames(end.allowed))
			}
		}
		if e.From != "" && e.From == e.To && e.Kind != Restricts {
			ps.add(e.at, rec, "to", "an edge cannot connect %q to itself", e.From)
		}
		needsCommodity := e.Kind == Offtake || e.Kind == Supplies || e.Kind == Restricts
		switch {
		case e.Commodity == "" && needsCommodity:
			ps.add(e.at, rec, "commodity", "is required for a %s edge", e.Kind)
		case e.Commodity != "" && known && !needsCommodity:
			ps.add(e.at, rec, "commodity", "a %s edge has no commodity", e.Kind)
		case e.Commodity != "" && !commodities[e.Commodity] && !(e.Kind == Restricts && families[e.Commodity]):
			ps.add(e.at, rec, "commodity", "unknown commodity %q", e.Commodity)
		}
		switch {
		case e.Share == nil && e.Kind == Owns:
			ps.add(e.at, rec, "share", "is required for an owns edge")
		case e.Share != nil && known && e.Kind != Owns && e.Kind != Offtake:
			ps.add(e.at, rec, "share", "a %s edge has no share", e.Kind)
		case e.Share != nil && !(*e.Share >= 0 && *e.Share <= 1):
			ps.add(e.at, rec, "share", "must be between 0 and 1, got %v", *e.Share)
		}
		switch {
		case e.VolumeTPA != nil && known && e.Kind != Offtake && e.Kind != Supplies:
			ps.add(e.at, rec, "volume_tpa", "a %s edge has no volume", e.Kind)
		case e.VolumeTPA != nil && !(*e.VolumeTPA >= 0 && !math.IsInf(*e.VolumeTPA, 1)):
			ps.add(e.at, rec, "volume_tpa", "must be a finite number ≥ 0, got %v", *e.VolumeTPA)
		case e.VolumeTPA != nil && *e.VolumeTPA > MaxTonnes:
			ps.add(e.at, rec, "volume_tpa", "must be at most %g t/yr, got %v", MaxTonnes, *e.VolumeTPA)
		}
		carries := e.Kind == Offtake || e.Kind == Supplies
		if len(e.VolumeByYear) > 0 && known && !carries {
			ps.add(e.at, rec, "volume_by_year", "a %s edge has no volume", e.Kind)
		}
		validateSeries(ps, e.at, rec, "volume_by_year", e.VolumeByYear, e.Since, e.Until)
		if e.VolumeBasis != "" && known && !carries {
			ps.add(e.at, rec, "volume_basis", "a %s edge has no volume", e.Kind)
		}
		validateBasis(ps, e.at, rec, "volume_basis", e.VolumeBasis, VolumeBases)
		if e.Measure != "" && known && e.Kind != Restricts {
			ps.add(e.at, rec, "measure", "only a restricts edge has a measure")
		}
		validateText(ps, e.at, rec, "measure", e.Measure)
		validateText(ps, e.at, rec, "note", e.Note)
		validateControl(ps, e, rec, known)
		validateFinance(ps, e, rec, known)
		validateYears(ps, e.at, rec, e.Since, e.Until, e.AsOf)
		validateSource(ps, e.at, rec, "source", e.Source)
		pk := pairKey{code(string(e.Kind)), from, to, code(e.Commodity)}
		c, seen := byPair[pk]
		for j := c.first; seen && j != -1; j = next[j] {
			if o := &ds.Edges[j]; e.Kind == Finances {
				if o.Key() == e.Key() {
					ps.add(e.at, rec, "instrument", "duplicates edges[%d] (a deal of the same instrument, ends and year)", j)
					break
				}
				continue // deals of other instruments or years are other deals
			}
			if o := &ds.Edges[j]; overlap(o.Since, o.Until, e.Since, e.Until) {
				ps.add(e.at, rec, "since", "duplicates edges[%d] (same kind, ends and commodity in overlapping years)", j)
				break
			}
		}
		next[i] = -1
		if seen {
			next[c.last] = i
			byPair[pk] = chain{c.first, i}
		} else {
			byPair[pk] = chain{i, i}
		}
		if e.Kind == Owns && e.Share != nil && *e.Share >= 0 && *e.Share <= 1 && e.From != e.To {
			owners[e.To] = append(owners[e.To], i)
		}
	}
	for _, target := range sortedKeys(owners) {
		idx := owners[target]
		if year, sum := maxOwnedShare(ds.Edges, idx); sum > 1+ShareTolerance {
			last := &ds.Edges[idx[len(idx)-1]]
			when := ""
			if year != 0 {
				when = fmt.Sprintf(" in %d", year)
			}
			ps.add(last.at, place{"edges", idx[len(idx)-1]}, "share",
				"the owners of %q hold %.4g in total%s; shares of one entity must sum to at most 1", target, sum, when)
		}
	}
	return ends
}

// maxOwnedShare returns the year (0 = always) in which the summed shares of the owns edges idx
// are largest, and that sum. Ownership changes over time, so sums are taken year by year at each
// year an edge starts, plus once for the edges with no start year.
func maxOwnedShare(edges []Edge, idx []int) (year int, sum float64) {
	years := []int{0}
	for _, i := range idx {
		if s := edges[i].Since; s != 0 {
			years = append(years, s)
		}
	}
	sort.Ints(years)
	best, bestYear := -1.0, 0
	for _, y := range years {
		total := 0.0
		for _, i := range idx {
			e := &edges[i]
			if y == 0 && e.Since == 0 || y != 0 && ExistsIn(e.Since, e.Until, y) {
				total += *e.Share
			}
		}
		if total > best+1e-12 {
			best, bestYear = total, y
		}
	}
	return bestYear, best
}

func validateControl(ps *problems, e *Edge, rec place, known bool) {
	if (e.Control != "" || e.PassShare != nil) && known && e.Kind != Restricts {
		ps.add(e.at, rec, "control", "only a restricts edge has a control and a pass share")
		return
	}
	if e.Control != "" && !slices.Contains(Measures(), e.Control) {
		ps.add(e.at, rec, "control", "unknown control %q (want %s)", e.Control, joinNames(Measures()))
	}
	switch p := e.PassShare; {
	case p == nil:
	case !(*p >= 0 && *p <= 1):
		ps.add(e.at, rec, "pass_share", "must be between 0 and 1, got %v", *p)
	case e.Control == Ban && *p != 0:
		ps.add(e.at, rec, "pass_share", "a ban lets nothing pass; got %v", *p)
	case e.Control == "":
		ps.add(e.at, rec, "pass_share", "needs a control (%s)", joinNames(Measures()))
	}
}

func validateFinance(ps *problems, e *Edge, rec place, known bool) {
	if e.Kind != Finances {
		if known && (e.Instrument != "" || e.Amount != nil || e.Currency != "" || e.AmountUSD != nil) {
			ps.add(e.at, rec, "instrument", "only a finances edge has an instrument, amount and currency")
		}
		return
	}
	switch {
	case e.Instrument == "":
		ps.add(e.at, rec, "instrument", "is required for a finances edge (%s)", joinNames(Instruments()))
	case !slices.Contains(Instruments(), e.Instrument):
		ps.add(e.at, rec, "instrument", "unknown instrument %q (want %s)", e.Instrument, joinNames(Instruments()))
	}
	for _, a := range []struct {
		field string
		v     *float64
	}{{"amount", e.Amount}, {"amount_usd", e.AmountUSD}} {
		if a.v != nil && !(*a.v >= 0 && *a.v <= MaxTonnes) {
			ps.add(e.at, rec, a.field, "must be a number in 0..%g (millions), got %v", MaxTonnes, *a.v)
		}
	}
	switch {
	case e.Amount != nil && e.Currency == "":
		ps.add(e.at, rec, "currency", "is required with an amount (%s)", strings.Join(Currencies(), ", "))
	case e.Currency != "" && !slices.Contains(Currencies(), e.Currency):
		ps.add(e.at, rec, "currency", "unknown currency %q (want %s)", e.Currency, strings.Join(Currencies(), ", "))
	}
	if e.Since == 0 {
		ps.add(e.at, rec, "since", "a finances edge needs the deal's year")
	}
}

func overlap(s1, u1, s2, u2 int) bool {
	lo1, hi1 := yearRange(s1, u1)
	lo2, hi2 := yearRange(s2, u2)
	return lo1 <= hi2 && lo2 <= hi1
}

func yearRange(since, until int) (int, int) {
	if since == 0 {
		since = math.MinInt
	}
	if until == 0 {
		until = math.MaxInt
	}
	return since, until
}

func validateYears(ps *problems, at *origin, rec place, since, until, asOf int) {
	for _, y := range []struct {
		field string
		v     int
	}{{"since", since}, {"until", until}, {"as_of", asOf}} {
		if y.v == 0 {
			continue
		}
		if err := CheckYear("year", y.v); err != nil {
			ps.add(at, rec, y.field, "%s", err.Error())
		}
	}
	if since != 0 && until != 0 && since > until {
		ps.add(at, rec, "until", "until %d is before since %d", until, since)
	}
}

// validateLengths checks the byte lengths of an id and a name against MaxIDBytes and MaxNameBytes.
func validateLengths(ps *problems, at *origin, rec place, id, name string) {
	if len(id) > MaxIDBytes {
		ps.add(at, rec, "id", "is %d bytes long; an id may have at most %d", len(id), MaxIDBytes)
	}
	if len(name) > MaxNameBytes {
		ps.add(at, rec, "name", "is %d bytes long; a name may have at most %d", len(name), MaxNameBytes)
	}
}

// validateText checks free text: no spaces at its start or end, which a CSV cell drops (so the
// JSON and the CSV of a dataset hold the same).
func validateText(ps *problems, at *origin, rec place, field, text string) {
	if trimmed := strings.TrimSpace(text); trimmed != "" && trimmed != text {
		ps.add(at, rec, field, "%q begins or ends with spaces", text)
	}
}

func validateSource(ps *problems, at *origin, rec place, field, source string) {
	if source == "" || plainURL(source) {
		return
	}
	u, err := url.Parse(source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.add(at, rec, field, "%q is not an http(s) URL", source)
	}
}

// plainURL reports whether s is an http(s) URL of the plainest form, which url.Parse accepts:
// a host of letters, digits, dots and dashes, then a path of letters, digits and "-._~/". Most
// sources are of this form, and this check is far cheaper than parsing.
func plainURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	host, path, _ := strings.Cut(rest, "/")
	if host == "" {
		return false
	}
	alnum := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }
	for _, c := range []byte(host) {
		if !alnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	for _, c := range []byte(path) {
		if !alnum(c) && !strings.ContainsRune("-._~/", rune(c)) {
			return false
		}
	}
	return true
}

// validateSeries checks a yearly series: years in range and, when since or until bound the
// record, within them; values finite and ≥ 0.
func validateSeries(ps *problems, at *origin, rec place, field string, s Series, since, until int) {
	for _, y := range s.Years() {
		switch v, yearErr := s[y], CheckYear("year", y); {
		case yearErr != nil:
			ps.add(at, rec, field, "%s", yearErr.Error())
		case !ExistsIn(since, until, y):
			ps.add(at, rec, field, "year %d is outside the record's years %s", y, yearSpan(since, until))
		case v < 0 || math.IsNaN(v) || math.IsInf(v, 0):
			ps.add(at, rec, field, "%d: must be a finite number ≥ 0, got %v", y, v)
		case v > MaxTonnes:
			ps.add(at, rec, field, "%d: must be at most %g, got %v", y, MaxTonnes, v)
		}
	}
}

func yearSpan(since, until int) string {
	span := func(y int) string {
		if y == 0 {
			return "…"
		}
		return fmt.Sprint(y)
	}
	return span(since) + "–" + span(until)
}

func validateBasis(ps *problems, at *origin, rec place, field string, b Basis, allowed []Basis) {
	if b != "" && !slices.Contains(allowed, b) {
		parts := make([]string, len(allowed))
		for i, a := range allowed {
			parts[i] = string(a)
		}
		ps.add(at, rec, field, "unknown basis %q (want %s)", b, strings.Join(parts, ", "))
	}
}

// reservedPrefixes start the Neo4j property names of capacities, their bases, outputs and stocks.
var reservedPrefixes = []string{"cap_", "basis_", "out_", "outbasis_", "stock_", "stockdays_"}

func hasReservedPrefix(k string) bool {
	return slices.ContainsFunc(reservedPrefixes, func(p string) bool { return strings.HasPrefix(k, p) })
}

// joinNames lists names, comma-separated, for messages.
func joinNames[T ~string](names []T) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
