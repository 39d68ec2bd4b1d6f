package render

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Trend draws the trend analysis (graph.TrendOf) as a chart of two panels, in SVG or PNG: above,
// the shares of the consumer's supply that passed through the supplier by location and by
// control, and the share the data cannot trace; below, the max supply and the supply that
// entered. Years without a figure are gaps.
// Errors: those of graph.TrendOf; EInvalid for a format other than SVG or PNG.
func Trend(net *graph.Network, r graph.Request, format string) ([]byte, error) {
	if format != FormatSVG && format != FormatPNG {
		return nil, graph.Errorf(graph.EInvalid, "a trend is a chart: format svg or png, got %q", format)
	}
	trend, err := graph.TrendOf(net, r)
	if err != nil {
		return nil, err
	}
	points := trend.Years
	whole := net.Whole()
	consumer := consumerName(whole, r.Consumer)
	supplier := r.Supplier
	if graph.IsStateCode(supplier) {
		supplier = graph.StateID(supplier)
	}
	if n := whole.Node(supplier); n != nil {
		supplier = n.Name
	}
	first, last := points[0].Year, points[len(points)-1].Year

	share := plot.New()
	share.Title.Text = fmt.Sprintf("%s: the share of %s's supply that passed through %s, %d–%d", r.Commodity, consumer, supplier, first, last)
	share.Y.Label.Text = "share of supply (%)"
	// Headroom above 100% keeps the legend off the lines.
	share.Y.Min, share.Y.Max = 0, 140
	share.Y.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 25, Label: "25"},
		{Value: 50, Label: "50"}, {Value: 75, Label: "75"}, {Value: 100, Label: "100"}})
	supply := plot.New()
	supply.Title.Text = "supply (gaps: max supply unbounded, a path with no capacity figure; no volume recorded)"
	supply.Y.Label.Text = "t/a"
	supply.Y.Min = 0
	top := 0.0
	for _, p := range points {
		for _, v := range []*float64{p.MaxSupply, p.InboundTPA} {
			if v != nil {
				top = math.Max(top, *v)
			}
		}
	}
	supply.Y.Max = math.Max(1, top) * 1.4
	supply.Y.Tick.Marker = tonnesTicks{limit: math.Max(1, top)}
	for _, p := range []*plot.Plot{share, supply} {
		sansSerif(p)
		p.X.Min, p.X.Max = float64(first)-0.5, float64(last)+0.5
		p.X.Tick.Marker = yearTicks{}
		p.Add(plotter.NewGrid())
		p.Legend.Top, p.Legend.Left = true, true
		p.Legend.XOffs = vg.Points(8)
		p.Legend.ThumbnailWidth = vg.Points(28)
	}
	add := func(p *plot.Plot, name string, c color.Color, dashes []vg.Length, value func(graph.TrendPoint) *float64, scale float64) error {
		for i, seg := range segments(points, value, scale) {
			line, dots, err := plotter.NewLinePoints(seg)
			if err != nil {
				return fmt.Errorf("render: trend: %w", err)
			}
			line.Color, line.Width, line.Dashes = c, vg.Points(2), dashes
			dots.Color, dots.Shape = c, vgdraw.CircleGlyph{}
			p.Add(line, dots)
			if i == 0 {
				p.Legend.Add(name, line, dots)
			}
		}
		return nil
	}
	dashed := []vg.Length{vg.Points(5), vg.Points(3)}
	for _, s := range []struct {
		p      *plot.Plot
		name   string
		color  color.Color
		dashes []vg.Length
		value  func(graph.TrendPoint) *float64
		scale  float64
	}{
		{share, "through " + r.Supplier + " (by location)", hexColor(fixedOrHash(r.Supplier)), nil, func(p graph.TrendPoint) *float64 { return p.Dependency }, 100},
		{share, "controlled from " + r.Supplier, hexColor("#7f7f7f"), dashed, func(p graph.TrendPoint) *float64 { return p.ByControl }, 100},
		{share, "untraceable (by location)", hexColor("#bcbcbc"), []vg.Length{vg.Points(2), vg.Points(2)}, func(p graph.TrendPoint) *float64 { return p.Unattributed }, 100},
		{supply, "max supply (max flow)", hexColor("#1f5fa8"), nil, func(p graph.TrendPoint) *float64 { return p.MaxSupply }, 1},
		{supply, "supply entering (recorded volumes)", hexColor("#444444"), dashed, func(p graph.TrendPoint) *float64 { return p.InboundTPA }, 1},
	} {
		if err := add(s.p, s.name, s.color, s.dashes, s.value, s.scale); err != nil {
			return nil, err
		}
	}

	var alike plotter.XYs
	for _, p := range points {
		if p.EqualWeights && p.Dependency != nil {
			alike = append(alike, plotter.XY{X: float64(p.Year), Y: *p.Dependency * 100})
		}
	}
	if len(alike) > 0 {
		rings, err := plotter.NewScatter(alike)
		if err != nil {
			return nil, fmt.Errorf("render: trend: %w", err)
		}
		rings.Shape, rings.Radius, rings.Color = vgdraw.RingGlyph{}, vg.Points(6), color.Black
		share.Add(rings)
		share.Legend.Add("no entering flow has a volume: flows weighed alike", rings)
	}

	w, h := 9*vg.Inch, 7*vg.Inch
	var buf bytes.Buffer
	layout := func(c vgdraw.Canvas) {
		tiles := vgdraw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(16), PadY: vg.Points(16)}
		cells := plot.Align([][]*plot.Plot{{share}, {supply}}, tiles, c)
		share.Draw(cells[0][0])
		supply.Draw(cells[1][0])
	}
	if format == FormatSVG {
		c := vgsvg.New(w, h)
		layout(vgdraw.New(c))
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("render: trend: %w", err)
		}
		// A browser without Liberation Sans falls back to the faces whose metrics it shares,
		// not to its default serif.
		return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
			[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")), nil
	}
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI))
	layout(vgdraw.New(c))
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("render: trend: %w", err)
	}
	return buf.Bytes(), nil
}

// segments splits a series at the years without a figure, scaled.
func segments(points []graph.TrendPoint, value func(graph.TrendPoint) *float64, scale float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for _, p := range points {
		v := value(p)
		if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, plotter.XY{X: float64(p.Year), Y: *v * scale})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// fixedOrHash is the colour of a supplier: its state's, or the chart's default for a coalition.
func fixedOrHash(supplier string) string {
	if graph.IsStateCode(supplier) {
		return stateColor(supplier)
	}
	if code, ok := strings.CutPrefix(supplier, "state:"); ok {
		return stateColor(code)
	}
	return "#d95f02"
}

// hexColor is the colour #rrggbb of one of this package's palettes.
func hexColor(s string) color.Color {
	c, _ := rgb(s)
	return c
}

// rgb parses an opaque colour #rrggbb.
func rgb(s string) (color.NRGBA, error) {
	v, err := strconv.ParseUint(s[1:], 16, 32)
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, err
}

// yearTicks marks every year, labelling every other one (every year on short ranges).
type yearTicks struct{}

// Ticks returns the ticks of the years within min..max.
func (yearTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	step := 1
	if hi-lo > 10 {
		step = 2
	}
	var out []plot.Tick
	for y := lo; y <= hi; y++ {
		t := plot.Tick{Value: float64(y)}
		if (y-lo)%step == 0 {
			t.Label = strconv.Itoa(y)
		}
		out = append(out, t)
	}
	return out
}

// tonnesTicks labels an axis of tonnes with thousands separated, up to limit (the headroom
// above it, where the legend is, has no ticks).
type tonnesTicks struct{ limit float64 }

// Ticks returns the default ticks up to the limit with the labels written as tonnes.
func (t tonnesTicks) Ticks(min, _ float64) []plot.Tick {
	var out []plot.Tick
	for _, tick := range (plot.DefaultTicks{}).Ticks(min, t.limit) {
		if tick.Label != "" {
			tick.Label = strings.TrimSuffix(tonnes(tick.Value), " t/a")
		}
		out = append(out, tick)
	}
	return out
}

// sansSerif sets every text of a plot in Liberation Sans, the face of the network pictures.
func sansSerif(p *plot.Plot) {
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Variant = "Sans"
	}
}
