package graph_test

import (
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/fixture"
)

// TestTrend: each year of a trend is what the dependency and flow analyses give for that year,
// through Analyze as the API and the CLI run it.
func TestTrend(t *testing.T) {
	net := fixture.Network(t, fixture.Small(t))
	r := graph.Request{Commodity: "rare-earths", Consumer: "state:JP", Supplier: "state:CN", Years: "2010..2024"}
	res, err := graph.Analyze(net, graph.AnalysisTrend, r)
	if err != nil {
		t.Fatal(err)
	}
	trend := res.Result.(*graph.Trend)
	if res.AsOf != 2024 || trend.From != 2010 || trend.To != 2024 || len(trend.Years) != 15 || trend.Consumer != "state:JP" || trend.Supplier != "state:CN" {
		t.Fatalf("%d %+v", res.AsOf, trend)
	}
	for i, p := range trend.Years {
		if p.Year != 2010+i {
			t.Fatalf("point %d is %d", i, p.Year)
		}
		dep, err := graph.Analyze(net.AsOf(p.Year), graph.AnalysisDependency, r)
		if err != nil {
			t.Fatal(err)
		}
		flow, err := graph.Analyze(net.AsOf(p.Year), graph.AnalysisFlow, r)
		if err != nil {
			t.Fatal(err)
		}
		d, s := dep.Result.(*graph.Dependency), flow.Result.(*graph.Supply)
		if p.Dependency == nil || *p.Dependency != d.ByLocation.Any || *p.ByControl != d.ByControl.Any || *p.Unattributed != d.UnattributedByLocation.Any ||
			p.EqualWeights != d.EqualWeights || (p.InboundTPA == nil) != d.EqualWeights || p.Unbounded != s.Unbounded ||
			(p.MaxSupply == nil) != s.Unbounded || (p.MaxSupply != nil && *p.MaxSupply != float64(s.MaxSupply)) {
			t.Errorf("%d: %+v, want the analyses' %+v and %+v", p.Year, p, d, s)
		}
	}
	// The default years, and the defaults' span.
	res, err = graph.Analyze(net, graph.AnalysisTrend, graph.Request{Commodity: "rare-earths", Consumer: "state:JP", Supplier: "CN"})
	if err != nil || res.Result.(*graph.Trend).From != graph.TrendFrom || res.Result.(*graph.Trend).To != graph.TrendTo {
		t.Fatalf("%v %+v", err, res)
	}
	// A consumer not yet in service: its early years are empty points, not an error.
	res, err = graph.Analyze(net, graph.AnalysisTrend, graph.Request{Commodity: "rare-earths", Consumer: "refinery:sep-my", Supplier: "AU", Years: "2010..2013"})
	if err != nil {
		t.Fatal(err)
	}
	if ys := res.Result.(*graph.Trend).Years; len(ys) != 4 || ys[0] != (graph.TrendPoint{Year: 2010}) || ys[1] != (graph.TrendPoint{Year: 2011}) || ys[2].Dependency == nil {
		t.Errorf("%+v", ys)
	}
	for _, tc := range []struct {
		name  string
		r     graph.Request
		code  string
		words string
	}{
		{"ErrReversed", graph.Request{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN", Years: "2024..2010"}, graph.EInvalid, "years 2024..2010: a trend needs A < B"},
		{"ErrOneYear", graph.Request{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN", Years: "2010..2010"}, graph.EInvalid, "years 2010..2010"},
		{"ErrNotARange", graph.Request{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN", Years: "2010"}, graph.EInvalid, `years wants A..B`},
		{"ErrSpan", graph.Request{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN", Years: "1900..2025"}, graph.EInvalid, "at most 60 years, got 126"},
		{"ErrOutside", graph.Request{Commodity: "rare-earths", Consumer: "JP", Supplier: "CN", Years: "1700..1710"}, graph.EInvalid, "within 1800..2100"},
		{"ErrNoSupplier", graph.Request{Commodity: "rare-earths", Consumer: "JP"}, graph.EInvalid, "supplier"},
		{"ErrNoCommodity", graph.Request{Consumer: "JP", Supplier: "CN"}, graph.EInvalid, "trend needs a commodity"},
		{"ErrCommodity", graph.Request{Commodity: "lithium", Consumer: "JP", Supplier: "CN"}, graph.ENotFound, "lithium"},
		{"ErrNeverInService", graph.Request{Commodity: "rare-earths", Consumer: "refinery:sep-my", Supplier: "AU", Years: "2008..2010"}, graph.ENotFound, "sep-my"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := graph.Analyze(net, graph.AnalysisTrend, tc.r)
			if graph.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("got %v, want %s with %q", err, tc.code, tc.words)
			}
		})
	}
	if _, err := graph.Compare(net, graph.AnalysisTrend, r, [2]int{2010, 2024}); graph.ErrorCode(err) != graph.EInvalid {
		t.Errorf("compare of a trend: %v", err)
	}
}
