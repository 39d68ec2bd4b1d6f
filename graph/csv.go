package graph

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// CSV file names: one per node kind, one for edges and one for commodities.
const (
	CommoditiesCSV = "commodities.csv"
	EdgesCSV       = "edges.csv"
)

// nodeCSV maps each node kind to its file name.
var nodeCSV = map[Kind]string{Mine: "mines.csv", Refinery: "refineries.csv", Firm: "firms.csv", State: "states.csv",
	Coalition: "coalitions.csv"}

// CSV column orders, as written; reading accepts any order and requires the header row.
var (
	commodityColumns = []string{"id", "name", "family", "stage", "family_factor", "price_usd_per_t", "price_source", "recycling_rate"}
	nodeColumns      = []string{"id", "name", "state", "stage", "status", "capacity", "capacity_basis", "output", "output_basis",
		"stock", "stock_days", "since", "until", "source", "as_of", "extra"}
	edgeColumns = []string{"kind", "from", "to", "share", "commodity", "volume_tpa", "volume_by_year", "volume_basis",
		"measure", "control", "pass_share", "instrument", "amount", "currency", "amount_usd", "since", "until", "source", "as_of", "note"}
)

// CSVFile is one named CSV file of a dataset.
type CSVFile struct {
	Name string
	Data []byte
}

// CSVFileNames lists the file names a CSV dataset may hold, in the order EncodeCSV writes them.
func CSVFileNames() []string {
	return []string{CommoditiesCSV, nodeCSV[Mine], nodeCSV[Refinery], nodeCSV[Firm], nodeCSV[State], nodeCSV[Coalition], EdgesCSV}
}

// DecodeCSV reads a dataset from CSV files, each named by its base name (mines.csv, edges.csv…;
// see CSVFileNames). Any subset of the files may be given. Every parse problem is reported with
// file, line and column name; the dataset is not validated (call Validate).
func DecodeCSV(files []CSVFile) (*Dataset, error) {
	var ds Dataset
	var ps problems
	seen := map[string]bool{}
	for _, f := range files {
		base := path.Base(strings.ReplaceAll(f.Name, `\`, "/"))
		if seen[base] {
			ps.add(&origin{file: f.Name}, place{}, "", "file %s given twice", base)
			continue
		}
		seen[base] = true
		rows, err := readCSV(f, &ps)
		if err != nil {
			continue
		}
		switch kind := kindOfCSV(base); {
		case base == CommoditiesCSV:
			for _, r := range rows.records(&ps, commodityColumns, "id", "name", "family", "stage") {
				factor := 0.0
				if f := r.optFloat("family_factor"); f != nil {
					factor = *f
				}
				ds.Commodities = append(ds.Commodities, Commodity{ID: r.get("id"), Name: r.get("name"),
					Family: r.get("family"), Stage: Stage(r.get("stage")), FamilyFactor: factor,
					PriceUSDPerT: r.series("price_usd_per_t"), PriceSource: r.get("price_source"),
					RecyclingRate: r.optFloat("recycling_rate"), at: r.at})
			}
		case base == EdgesCSV:
			for _, r := range rows.records(&ps, edgeColumns, "kind", "from", "to") {
				ds.Edges = append(ds.Edges, Edge{Kind: EdgeKind(r.get("kind")), From: r.get("from"), To: r.get("to"),
					Share: r.optFloat("share"), Commodity: r.get("commodity"), VolumeTPA: r.optFloat("volume_tpa"),
					VolumeByYear: r.series("volume_by_year"), VolumeBasis: Basis(r.get("volume_basis")), Measure: r.get("measure"),
					Control: Measure(r.get("control")), PassShare: r.optFloat("pass_share"), Instrument: Instrument(r.get("instrument")),
					Amount: r.optFloat("amount"), Currency: r.get("currency"), AmountUSD: r.optFloat("amount_usd"), Since: r.year("since"), Until: r.year("until"),
					Source: r.get("source"), AsOf: r.year("as_of"), Note: r.get("note"), at: r.at})
			}
		case kind != "":
			for _, r := range rows.records(&ps, nodeColumns, "id", "name") {
				ds.Nodes = append(ds.Nodes, Node{ID: r.get("id"), Kind: kind, Name: r.get("name"), State: r.get("state"),
					Stage: Stage(r.get("stage")), Status: Status(r.get("status")), Capacity: r.capacity("capacity"),
					CapacityBasis: r.bases("capacity_basis"), Output: r.output("output"), OutputBasis: r.bases("output_basis"),
					Stock: r.output("stock"), StockDays: r.output("stock_days"),
					Since: r.year("since"), Until: r.year("until"), Source: r.get("source"), AsOf: r.year("as_of"),
					Extra: r.extra("extra"), at: r.at})
			}
		default:
			ps.add(&origin{file: f.Name}, place{}, "", "unknown CSV file %q (want one of %s)", base, strings.Join(CSVFileNames(), ", "))
		}
	}
	if len(ps) > 0 {
		return nil, &Error{Code: EInvalid, Message: fmt.Sprintf("invalid CSV dataset: %d problems", len(ps)), Problems: ps}
	}
	return &ds, nil
}

func kindOfCSV(base string) Kind {
	for k, name := range nodeCSV {
		if name == base {
			return k
		}
	}
	return ""
}

type csvRows struct {
	file   string
	header []string
	lines  [][]string
	starts []int // line of each record
}

func readCSV(f CSVFile, ps *problems) (*csvRows, error) {
	r := csv.NewReader(bytes.NewReader(f.Data))
	r.FieldsPerRecord = -1
	rows := &csvRows{file: f.Name}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line, err = pe.StartLine, pe.Err
			}
			ps.add(&origin{file: f.Name, line: line}, place{}, "", "%v", err)
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if rows.header == nil {
			rows.header = rec
			continue
		}
		rows.lines = append(rows.lines, rec)
		rows.starts = append(rows.starts, line)
	}
	if rows.header == nil {
		ps.add(&origin{file: f.Name}, place{}, "", "the file is empty: a header row is required")
		return nil, errors.New("empty")
	}
	return rows, nil
}

type csvRecord struct {
	at     *origin
	values map[string]string
	ps     *problems
}

// records checks the header against known and required columns and returns the rows.
func (rows *csvRows) records(ps *problems, known []string, required ...string) []csvRecord {
	at := &origin{file: rows.file, line: 1}
	col := map[string]int{}
	bad := false
	for i, h := range rows.header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch _, dup := col[h]; {
		case !slices.Contains(known, h):
			ps.add(at, place{}, h, "unknown column %q (want %s)", h, strings.Join(known, ", "))
			bad = true
		case dup:
			ps.add(at, place{}, h, "column %q given twice", h)
			bad = true
		}
		col[h] = i
	}
	for _, req := range required {
		if _, ok := col[req]; !ok {
			ps.add(at, place{}, req, "required column %q is missing", req)
			bad = true
		}
	}
	if bad {
		return nil
	}
	out := make([]csvRecord, 0, len(rows.lines))
	for i, line := range rows.lines {
		r := csvRecord{at: &origin{file: rows.file, line: rows.starts[i]}, values: map[string]string{}, ps: ps}
		if len(line) != len(rows.header) {
			ps.add(r.at, place{}, "", "has %d fields, the header has %d", len(line), len(rows.header))
			continue
		}
		for name, j := range col {
			r.values[name] = strings.TrimSpace(line[j])
		}
		out = append(out, r)
	}
	return out
}

func (r csvRecord) get(name string) string { return r.values[name] }

func (r csvRecord) year(name string) int {
	s := r.values[name]
	if s == "" {
		return 0
	}
	y, err := strconv.Atoi(s)
	if err != nil {
		r.ps.add(r.at, place{}, name, "%q is not a year", s)
	}
	return y
}

func (r csvRecord) optFloat(name string) *float64 {
	s := r.values[name]
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r.ps.add(r.at, place{}, name, "%q is not a number", s)
		return nil
	}
	return &v
}

// capacity parses "commodity=tpa;commodity=tpa".
func (r csvRecord) capacity(name string) map[string]float64 {
	s := r.values[name]
	if s == "" {
		return nil
	}
	m := map[string]float64{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil {
			r.ps.add(r.at, place{}, name, "%q is not commodity=tonnes (e.g. ndpr-oxide=6000;re-concentrate=24000)", part)
			continue
		}
		m[strings.TrimSpace(k)] = f
	}
	return m
}

// series parses "year=value;year=value".
func (r csvRecord) series(name string) Series {
	s := r.values[name]
	if s == "" {
		return nil
	}
	out := Series{}
	for _, part := range strings.Split(s, ";") {
		y, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		year, err1 := strconv.Atoi(strings.TrimSpace(y))
		f, err2 := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err1 != nil || err2 != nil {
			r.ps.add(r.at, place{}, name, "%q is not year=value (e.g. 2010=5000;2011=3200)", part)
			continue
		}
		out[year] = f
	}
	return out
}

// bases parses "commodity=basis;commodity=basis".
func (r csvRecord) bases(name string) map[string]Basis {
	s := r.values[name]
	if s == "" {
		return nil
	}
	out := map[string]Basis{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			r.ps.add(r.at, place{}, name, "%q is not commodity=basis (e.g. ndpr-oxide=target)", part)
			continue
		}
		out[strings.TrimSpace(k)] = Basis(strings.TrimSpace(v))
	}
	return out
}

// output parses "commodity@year=amount;commodity@year=amount" (outputs and stocks).
func (r csvRecord) output(name string) map[string]Series {
	s := r.values[name]
	if s == "" {
		return nil
	}
	out := map[string]Series{}
	for _, part := range strings.Split(s, ";") {
		c, rest, ok1 := strings.Cut(strings.TrimSpace(part), "@")
		y, v, ok2 := strings.Cut(rest, "=")
		year, err1 := strconv.Atoi(strings.TrimSpace(y))
		f, err2 := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok1 || !ok2 || err1 != nil || err2 != nil {
			r.ps.add(r.at, place{}, name, "%q is not commodity@year=tonnes (e.g. ndpr-oxide@2024=6000)", part)
			continue
		}
		c = strings.TrimSpace(c)
		if out[c] == nil {
			out[c] = Series{}
		}
		out[c][year] = f
	}
	return out
}

// extra parses a JSON object of strings, numbers and booleans.
func (r csvRecord) extra(name string) map[string]any {
	s := r.values[name]
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		r.ps.add(r.at, place{}, name, "is not a JSON object: %v", err)
		return nil
	}
	return m
}

// EncodeCSV writes ds as CSV files, in the order of CSVFileNames, each with its header row.
// Node files are written only for kinds present; commodities and edges always.
func EncodeCSV(ds *Dataset) ([]CSVFile, error) {
	var files []CSVFile
	write := func(name string, header []string, rows [][]string) error {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.Write(header); err != nil {
			return err
		}
		if err := w.WriteAll(rows); err != nil {
			return err
		}
		files = append(files, CSVFile{Name: name, Data: b.Bytes()})
		return nil
	}
	var rows [][]string
	for _, c := range ds.Commodities {
		factor := ""
		if c.FamilyFactor != 0 {
			factor = formatFloat(c.FamilyFactor)
		}
		rows = append(rows, []string{c.ID, c.Name, c.Family, string(c.Stage), factor, formatSeries(c.PriceUSDPerT), c.PriceSource,
			formatOptFloat(c.RecyclingRate)})
	}
	if err := write(CommoditiesCSV, commodityColumns, rows); err != nil {
		return nil, err
	}
	for _, k := range Kinds() {
		rows = nil
		for _, n := range ds.Nodes {
			if n.Kind != k {
				continue
			}
			extra := ""
			if len(n.Extra) > 0 {
				b, err := json.Marshal(n.Extra)
				if err != nil {
					return nil, fmt.Errorf("node %s extra: %w", n.ID, err)
				}
				extra = string(b)
			}
			rows = append(rows, []string{n.ID, n.Name, n.State, string(n.Stage), string(n.Status),
				formatCapacity(n.Capacity), formatBases(n.CapacityBasis), formatOutput(n.Output), formatBases(n.OutputBasis), formatOutput(n.Stock), formatOutput(n.StockDays), formatYear(n.Since), formatYear(n.Until), n.Source, formatYear(n.AsOf), extra})
		}
		if rows != nil {
			if err := write(nodeCSV[k], nodeColumns, rows); err != nil {
				return nil, err
			}
		}
	}
	rows = nil
	for _, e := range ds.Edges {
		rows = append(rows, []string{string(e.Kind), e.From, e.To, formatOptFloat(e.Share), e.Commodity,
			formatOptFloat(e.VolumeTPA), formatSeries(e.VolumeByYear), string(e.VolumeBasis), e.Measure, string(e.Control),
			formatOptFloat(e.PassShare), string(e.Instrument), formatOptFloat(e.Amount), e.Currency, formatOptFloat(e.AmountUSD), formatYear(e.Since), formatYear(e.Until), e.Source, formatYear(e.AsOf), e.Note})
	}
	if err := write(EdgesCSV, edgeColumns, rows); err != nil {
		return nil, err
	}
	return files, nil
}

func formatCapacity(m map[string]float64) string {
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + formatFloat(m[k])
	}
	return strings.Join(parts, ";")
}

func formatSeries(s Series) string {
	parts := make([]string, 0, len(s))
	for _, y := range s.Years() {
		parts = append(parts, strconv.Itoa(y)+"="+formatFloat(s[y]))
	}
	return strings.Join(parts, ";")
}

func formatBases(m map[string]Basis) string {
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + string(m[k])
	}
	return strings.Join(parts, ";")
}

func formatOutput(m map[string]Series) string {
	var parts []string
	for _, c := range sortedKeys(m) {
		for _, y := range m[c].Years() {
			parts = append(parts, c+"@"+strconv.Itoa(y)+"="+formatFloat(m[c][y]))
		}
	}
	return strings.Join(parts, ";")
}

func formatYear(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func formatOptFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return formatFloat(*v)
}
