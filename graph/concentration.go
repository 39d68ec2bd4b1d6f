package graph

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// ProductConcentration is the concentration of one product's capacity at its stage.
type ProductConcentration struct {
	Commodity  string    `json:"commodity"`
	Stage      Stage     `json:"stage"`
	Capacity   float64   `json:"capacity_tpa"`
	Facilities int       `json:"facilities"`
	ByLocation Breakdown `json:"by_location"`
	ByControl  Breakdown `json:"by_control"`
}

// Breakdown is a capacity split by state with its concentration indices.
type Breakdown struct {
	Shares []StateShare `json:"shares"`
	// HHI is the Herfindahl–Hirschman index of the shares in percent: 0..10,000.
	HHI float64 `json:"hhi"`
	// Top3 is the summed share of the three largest states.
	Top3 float64 `json:"top3_share"`
	// GovernanceHHI is Σ s²·w over the scored states, s a share in 0..1 and w = 10·(1 − governance)
	// the state's governance risk on the EU critical-raw-materials scale (0 best, 10 worst).
	GovernanceHHI float64 `json:"governance_hhi"`
	// UnscoredShare is the share held by states without a governance score.
	UnscoredShare float64 `json:"unscored_share"`
}

// ConcentrationOf returns, for each product of the selection (a family or one product), the
// capacity shares of the facilities by location state and by controlling state (see ControlOf),
// the HHI, top-3 share and the governance-weighted HHI of the EU method, where states carry an
// extra "governance" score in 0..1 (1 best). Products without capacity are left out. Ordered by
// stage, then product id. Errors: ENotFound for an unknown commodity.
func ConcentrationOf(net *Network, commodity string) ([]ProductConcentration, error) {
	set, err := net.CommoditySet(commodity)
	if err != nil {
		return nil, err
	}
	ctrl := controlShares(net)
	gov := governanceScores(net)
	out := []ProductConcentration{}
	for _, c := range net.commodities {
		if !set[c.ID] {
			continue
		}
		byLoc, byCtrl := map[string]float64{}, map[string]float64{}
		total, count := 0.0, 0
		for i := range net.nodes {
			v, ok := net.nodes[i].Capacity[c.ID]
			if !ok || v <= 0 {
				continue
			}
			total += v
			count++
			byLoc[net.nodes[i].State] += v
			for st, s := range ctrl[i] {
				byCtrl[st] += v * s
			}
		}
		if count == 0 {
			continue
		}
		out = append(out, ProductConcentration{Commodity: c.ID, Stage: c.Stage, Capacity: round6(total), Facilities: count,
			ByLocation: breakdown(byLoc, total, gov), ByControl: breakdown(byCtrl, total, gov)})
	}
	slices.SortStableFunc(out, func(a, b ProductConcentration) int {
		return cmp.Or(cmp.Compare(slices.Index(Stages, a.Stage), slices.Index(Stages, b.Stage)), strings.Compare(a.Commodity, b.Commodity))
	})
	return out, nil
}

func breakdown(amounts map[string]float64, total float64, gov map[string]float64) Breakdown {
	shares := map[string]float64{}
	for st, v := range amounts {
		shares[st] = v / total
	}
	b := Breakdown{Shares: sortedShares(shares)}
	hhi, ghhi, unscored := 0.0, 0.0, 0.0
	for _, s := range shares {
		hhi += (100 * s) * (100 * s)
	}
	for st, s := range shares {
		if g, ok := gov[st]; ok {
			ghhi += s * s * 10 * (1 - g)
		} else {
			unscored += s
		}
	}
	for i := 0; i < len(b.Shares) && i < 3; i++ {
		b.Top3 += b.Shares[i].Share
	}
	b.HHI, b.GovernanceHHI, b.UnscoredShare, b.Top3 = round6(hhi), round6(ghhi), round6(unscored), round6(b.Top3)
	return b
}

// governanceScores reads each state's extra "governance" score in 0..1.
func governanceScores(net *Network) map[string]float64 {
	out := map[string]float64{}
	for i := range net.nodes {
		nd := &net.nodes[i]
		if g, ok := nd.Extra["governance"].(float64); ok && nd.Kind == State && g >= 0 && g <= 1 && !math.IsNaN(g) {
			out[nodeState(nd)] = g
		}
	}
	return out
}
