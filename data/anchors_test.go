package data_test

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/data"
	"github.com/chokepoint/chokepoint/graph"
)

// An anchor is a public headline figure that the bundled dataset must reproduce within a
// tolerance: a row of the table in data/ANCHORS.md.
type anchor struct {
	id, figure, family string
	year               int
	public             float64 // a share in 0..1, or tonnes
	share              bool
	tolerance          float64 // absolute, in the unit of public
	query              string
}

// readAnchors parses the anchor table of ANCHORS.md:
// | id | figure | family | year | public | tolerance | source | query |
// public is "69%" (a share) or "270,000 t"; tolerance is "3 pts" (shares) or "10%" (relative).
func readAnchors(t *testing.T) []anchor {
	t.Helper()
	f, err := os.Open("ANCHORS.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []anchor
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 8 || !strings.HasPrefix(strings.TrimSpace(cells[0]), "A") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		a := anchor{id: cells[0], figure: cells[1], family: cells[2], query: strings.Trim(cells[7], "`")}
		var err error
		if a.year, err = strconv.Atoi(cells[3]); err != nil {
			t.Fatalf("ANCHORS.md:%d: year %q", line, cells[3])
		}
		pub := strings.ReplaceAll(cells[4], ",", "")
		switch {
		case strings.HasSuffix(pub, "%"):
			a.share = true
			v, err := strconv.ParseFloat(strings.TrimSuffix(pub, "%"), 64)
			if err != nil {
				t.Fatalf("ANCHORS.md:%d: public %q", line, cells[4])
			}
			a.public = v / 100
		case strings.HasSuffix(pub, " t"):
			v, err := strconv.ParseFloat(strings.TrimSuffix(pub, " t"), 64)
			if err != nil {
				t.Fatalf("ANCHORS.md:%d: public %q", line, cells[4])
			}
			a.public = v
		default:
			t.Fatalf("ANCHORS.md:%d: public %q is neither NN%% nor N t", line, cells[4])
		}
		tol := cells[5]
		switch {
		case a.share && strings.HasSuffix(tol, " pts"):
			v, err := strconv.ParseFloat(strings.TrimSuffix(tol, " pts"), 64)
			if err != nil {
				t.Fatalf("ANCHORS.md:%d: tolerance %q", line, tol)
			}
			a.tolerance = v / 100
		case !a.share && strings.HasSuffix(tol, "%"):
			v, err := strconv.ParseFloat(strings.TrimSuffix(tol, "%"), 64)
			if err != nil {
				t.Fatalf("ANCHORS.md:%d: tolerance %q", line, tol)
			}
			a.tolerance = a.public * v / 100
		default:
			t.Fatalf("ANCHORS.md:%d: tolerance %q (want N pts for a share, N%% for tonnes)", line, tol)
		}
		out = append(out, a)
	}
	return out
}

// evaluate runs an anchor's query on the network of its year. A query is an analysis and
// key=value parameters:
//
//	concentration commodity=F stage=S state=CC [by=location|control] [basis=output|capacity]
//	total commodity=F stage=S [basis=…]                     (the stage's total, in t)
//	dependency commodity=F consumer=C supplier=CC [stage=mining|processing|any] [by=…] [pick=share|unattributed|shipment] [weight=…]
//	flow commodity=F consumer=C                              (max supply, in t)
func evaluate(net *graph.Network, query string) (float64, error) {
	fields := strings.Fields(query)
	if len(fields) == 0 {
		return 0, fmt.Errorf("empty query")
	}
	p := map[string]string{"by": "location", "stage": "any", "pick": "share"}
	for _, kv := range fields[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return 0, fmt.Errorf("%q is not key=value", kv)
		}
		p[k] = v
	}
	switch fields[0] {
	case "concentration", "total":
		rows, err := graph.ConcentrationOf(net, p["commodity"], p["basis"])
		if err != nil {
			return 0, err
		}
		for _, r := range rows {
			if string(r.Stage) != p["stage"] || r.Commodity != p["commodity"] {
				continue
			}
			if fields[0] == "total" {
				return r.Total, nil
			}
			b := r.ByLocation
			if p["by"] == "control" {
				b = r.ByControl
			}
			for _, s := range b.Shares {
				if s.State == p["state"] {
					return s.Share, nil
				}
			}
			return 0, nil
		}
		return 0, fmt.Errorf("no %s row at stage %s", p["commodity"], p["stage"])
	case "dependency":
		d, err := graph.DependencyOf(net, graph.Query{Commodity: p["commodity"], Consumer: p["consumer"]}, p["supplier"], p["weight"])
		if err != nil {
			return 0, err
		}
		if p["pick"] == "shipment" {
			return d.ByShipment, nil
		}
		s := map[[2]string]graph.StageShares{{"share", "location"}: d.ByLocation, {"share", "control"}: d.ByControl,
			{"unattributed", "location"}: d.UnattributedByLocation, {"unattributed", "control"}: d.UnattributedByControl}[[2]string{p["pick"], p["by"]}]
		return map[string]float64{"mining": s.Mining, "processing": s.Processing, "any": s.Any}[p["stage"]], nil
	case "flow":
		s, err := graph.MaxSupply(net, graph.Query{Commodity: p["commodity"], Consumer: p["consumer"]})
		if err != nil {
			return 0, err
		}
		return float64(s.MaxSupply), nil
	}
	return 0, fmt.Errorf("unknown query %q", fields[0])
}

// TestAnchors runs every anchor's query on the bundled dataset and compares it with the public
// figure; it prints both side by side. A data change that moves a figure out of its tolerance
// fails here.
func TestAnchors(t *testing.T) {
	ds, err := data.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	net, err := graph.NewNetwork(ds)
	if err != nil {
		t.Fatal(err)
	}
	anchors := readAnchors(t)
	families := map[string]bool{}
	japanYears := map[int]bool{}
	var report strings.Builder
	fmt.Fprintf(&report, "%-5s %-62s %4s %12s %12s %8s\n", "id", "figure", "year", "public", "chokepoint", "")
	for _, a := range anchors {
		got, err := evaluate(net.AsOf(a.year), a.query)
		if err != nil {
			t.Errorf("%s: %s: %v", a.id, a.query, err)
			continue
		}
		families[a.family] = true
		if strings.HasPrefix(a.query, "dependency commodity=rare-earths consumer=state:JP supplier=CN") {
			japanYears[a.year] = true
		}
		verdict := "ok"
		if math.Abs(got-a.public) > a.tolerance+1e-9 {
			verdict = "OUT"
			t.Errorf("%s %s (%d): public %s, chokepoint %s, tolerance %s", a.id, a.figure, a.year, show(a.public, a.share), show(got, a.share), show(a.tolerance, a.share))
		}
		fmt.Fprintf(&report, "%-5s %-62.62s %4d %12s %12s %8s\n", a.id, a.figure, a.year, show(a.public, a.share), show(got, a.share), verdict)
	}
	t.Log("\n" + report.String())
	if len(anchors) < 25 || len(families) < 6 || len(japanYears) < 8 {
		t.Errorf("%d anchors over %d families and %d years of Japan's rare-earth dependency on China; want ≥ 25, 6 and 8",
			len(anchors), len(families), len(japanYears))
	}
}

func show(v float64, share bool) string {
	if share {
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " t"
}
