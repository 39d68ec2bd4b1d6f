package graph

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/chokepoint/chokepoint/graph/algo"
)

// Deal is one finances edge: money from a financier to a firm or project. Amounts are in
// millions; AmountUSD is in millions of US dollars where the dataset gives it.
type Deal struct {
	Recipient  NodeRef    `json:"recipient"`
	Instrument Instrument `json:"instrument"`
	Amount     *float64   `json:"amount_m,omitempty"`
	Currency   string     `json:"currency,omitempty"`
	AmountUSD  *float64   `json:"amount_usd_m,omitempty"`
	Year       int        `json:"year"`
	Source     string     `json:"source,omitempty"`
}

// Financed is what one financier's deals bought for a consumer in the network's year.
type Financed struct {
	NodeRef
	Deals []Deal `json:"deals"`
	// AmountUSD sums the deals' known US dollar amounts (millions); DealsWithoutUSD counts the rest.
	AmountUSD       float64 `json:"amount_usd_m"`
	DealsWithoutUSD int     `json:"deals_without_usd"`
	// Projects are the facilities the deals reach: a financed facility, and the facilities a
	// financed firm operates or holds a share in.
	Projects []NodeRef `json:"projects"`
	// SupplyTPA is the part of the consumer's inbound volume that passed through the projects
	// (traced as in DependencyOf), SupplyShare that part as a share of the inbound volume.
	SupplyTPA   float64 `json:"supply_tpa"`
	SupplyShare float64 `json:"supply_share"`
	// TonnesPerMillionUSD is SupplyTPA over AmountUSD (null without a US dollar amount).
	TonnesPerMillionUSD *float64 `json:"tonnes_per_million_usd"`
	// LossWithout is the max supply the consumer would lose without the projects, and
	// LossShare that loss as a share of its max supply.
	LossWithout Amount   `json:"loss_without_tpa"`
	LossShare   *float64 `json:"loss_share"`
}

// Finance is the finance analysis of a consumer: one entry per financier, most supply first.
type Finance struct {
	Query
	InboundTPA float64    `json:"inbound_tpa"`
	MaxSupply  Amount     `json:"max_supply"`
	Financiers []Financed `json:"financiers"`
}

// FinanceOf answers, per financier (one, or every financier with a deal in the network's year
// when financier is empty): the projects it financed, the part of the consumer's supply that
// passed through them, supply per million US dollars, and the max supply the consumer would lose
// without them. Errors: EInvalid, ENotFound for an unknown commodity, consumer or financier.
func FinanceOf(net *Network, q Query, financier string) (*Finance, error) {
	fg, err := newFlowGraph(net, q)
	if err != nil {
		return nil, err
	}
	deals := map[int][]int{} // financier → finances edges
	for i := range net.edges {
		if net.edges[i].Kind == Finances {
			f := int(net.from[i])
			deals[f] = append(deals[f], i)
		}
	}
	var financiers []int
	if financier != "" {
		i, ok := net.index[financier]
		if !ok || len(deals[i]) == 0 {
			return nil, Errorf(ENotFound, "no financier %q with a deal in this year (financiers: %s)", financier, strings.Join(net.financierIDs(deals), ", "))
		}
		financiers = []int{i}
	} else {
		for f := range deals {
			financiers = append(financiers, f)
		}
		slices.Sort(financiers)
	}
	t := newTracer(fg)
	base := fg.maxFlow()
	inbound := t.volume(t.entering)
	out := &Finance{Query: q, InboundTPA: inbound, MaxSupply: Amount(base.Value), Financiers: []Financed{}}
	for _, f := range financiers {
		r := Financed{NodeRef: net.Ref(f), Projects: []NodeRef{}}
		projects := make([]float64, len(net.nodes))
		for _, e := range deals[f] {
			ed := &net.edges[e]
			to := int(net.to[e])
			r.Deals = append(r.Deals, Deal{Recipient: net.Ref(to), Instrument: ed.Instrument, Amount: ed.Amount,
				Currency: ed.Currency, AmountUSD: usd(ed), Year: ed.Since, Source: ed.Source})
			if v := usd(ed); v != nil {
				r.AmountUSD += *v
			} else {
				r.DealsWithoutUSD++
			}
			for _, p := range net.projectsOf(to) {
				projects[p] = 1
			}
		}
		for p, in := range projects {
			if in == 1 {
				r.Projects = append(r.Projects, net.Ref(p))
			}
		}
		u, _ := t.solve(projects)
		through := t.average(u, t.entering, t.weights(t.entering))
		r.SupplyShare, r.SupplyTPA = round6(through), round6(through*inbound)
		r.AmountUSD = round6(r.AmountUSD)
		if r.AmountUSD > 0 {
			per := round6(r.SupplyTPA / r.AmountUSD)
			r.TonnesPerMillionUSD = &per
		}
		capacity := slices.Clone(fg.nodeCap)
		for p, in := range projects {
			if in == 1 {
				capacity[p] = 0
			}
		}
		loss := base.Value - algo.MaxFlow(fg.g, capacity, fg.sources, fg.t).Value
		r.LossWithout = Amount(loss)
		if base.Value > 0 && !math.IsInf(base.Value, 1) {
			share := round6(loss / base.Value)
			r.LossShare = &share
		}
		out.Financiers = append(out.Financiers, r)
	}
	slices.SortStableFunc(out.Financiers, func(a, b Financed) int {
		return cmp.Or(cmp.Compare(b.SupplyTPA, a.SupplyTPA), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// usd is a deal's amount in millions of US dollars: given, or its amount when in dollars.
func usd(e *Edge) *float64 {
	if e.AmountUSD != nil {
		return e.AmountUSD
	}
	if e.Currency == "USD" {
		return e.Amount
	}
	return nil
}

// projectsOf lists the facilities a deal with node i reaches: i itself when a facility, else
// the facilities the firm operates or holds a share in.
func (n *Network) projectsOf(i int) []int {
	if n.nodes[i].Kind.IsFacility() {
		return []int{i}
	}
	var out []int
	for v, share := range n.holdings(i) {
		if share > 0 && n.nodes[v].Kind.IsFacility() {
			out = append(out, v)
		}
	}
	for _, e := range n.out[i] {
		if n.edges[e].Kind == Operates {
			out = append(out, int(n.to[e]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (n *Network) financierIDs(deals map[int][]int) []string {
	var ids []string
	for f := range deals {
		ids = append(ids, n.nodes[f].ID)
	}
	slices.Sort(ids)
	if len(ids) == 0 {
		return []string{"none in this year"}
	}
	return ids
}
