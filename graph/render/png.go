package render

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/colornames"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// PNG output. Graphviz lays the picture out and writes it as SVG, as for an SVG picture; drawPNG
// draws that SVG's shapes and text on a bitmap in Go and encodes it. (go-graphviz's own bitmap
// renderer reads every coordinate across the WebAssembly bridge, a call each, and encodes at
// image/png's default compression: 2–4 times as slow as native dot.)
const (
	pngDPI  = 120 // Graphviz's default of 96 leaves 9-point edge labels hard to read
	pngSize = 30  // inches: the largest bitmap is 3,600 pixels a side (52 MB while drawn)
)

// drawPNG draws an SVG document that Graphviz wrote as a PNG: at pngDPI, scaled down to fit
// pngSize inches a side. It draws what Graphviz writes: polygons, polylines, ellipses, paths of
// cubic Bézier curves, lines of text, with their fill, stroke, stroke width, dashes and opacity,
// in the graph's transform; and leaves out titles, links, images and gradients.
func drawPNG(svg []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Entity = xml.HTMLEntity
	var p *painter
	var text *xml.StartElement // the text element open
	var chars []byte           // its text so far
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("render: reading Graphviz's SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "svg" {
				if p, err = newPainter(t); err != nil {
					return nil, err
				}
				continue
			}
			if p == nil {
				return nil, errors.New("render: Graphviz's SVG does not start with an svg element")
			}
			switch t.Name.Local {
			case "g": // the graph's group has its transform, no other has one
				if tr := attr(t, "transform"); tr != "" {
					p.transform(tr)
				}
			case "text":
				text, chars = &t, chars[:0]
			case "polygon", "polyline", "ellipse", "path":
				if err := p.element(t); err != nil {
					return nil, err
				}
			}
		case xml.CharData:
			if text != nil {
				chars = append(chars, t...)
			}
		case xml.EndElement:
			if t.Name.Local == "text" && text != nil {
				if err := p.text(*text, string(chars)); err != nil {
					return nil, err
				}
				text = nil
			}
		}
	}
	if p == nil {
		return nil, errors.New("render: Graphviz's SVG has no svg element")
	}
	return encodePNG(p.img)
}

// attr returns an element's attribute, "" when it has none.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// numbers reads the numbers of an attribute, separated by commas or spaces.
func numbers(s string) ([]float64, error) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	out := make([]float64, len(f))
	for i, v := range f {
		var err error
		if out[i], err = strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("render: a number in Graphviz's SVG: %q", s)
		}
	}
	return out, nil
}

// painter draws the elements of an SVG document on a bitmap.
type painter struct {
	img   *image.RGBA
	k     float64    // pixels a unit of the document (a point)
	m     [6]float64 // the graph's transform to the document: x' = m0 x + m2 y + m4, y' = m1 x + m3 y + m5
	scale float64    // pixels a unit of the graph: k times the transform's scale
	z     vector.Rasterizer
	mask  image.Alpha           // what z covers, 0–255 a pixel
	faces map[float64]font.Face // by size in pixels
}

// newPainter returns a painter of a white bitmap for the svg element of a document: its
// viewBox at pngDPI, scaled down to fit pngSize inches a side.
func newPainter(svg xml.StartElement) (*painter, error) {
	box, err := numbers(attr(svg, "viewBox"))
	if err != nil || len(box) != 4 || box[2] <= 0 || box[3] <= 0 {
		return nil, fmt.Errorf("render: Graphviz's SVG viewBox %q", attr(svg, "viewBox"))
	}
	k := min(1, pngSize*72/box[2], pngSize*72/box[3]) * pngDPI / 72
	p := &painter{img: image.NewRGBA(image.Rect(0, 0, int(math.Round(box[2]*k)), int(math.Round(box[3]*k)))), k: k, m: [6]float64{1, 0, 0, 1, 0, 0}, scale: k,
		faces: map[float64]font.Face{}}
	draw.Draw(p.img, p.img.Bounds(), image.White, image.Point{}, draw.Src)
	return p, nil
}

// transform applies the transform of a group, as Graphviz writes the graph's: "scale(S S)
// rotate(A) translate(X Y)", applied right to left.
func (p *painter) transform(s string) {
	for f := range strings.SplitSeq(s, ")") {
		name, args, _ := strings.Cut(strings.TrimSpace(f), "(")
		v, err := numbers(args)
		if err != nil || len(v) == 0 {
			continue
		}
		var t [6]float64
		switch name {
		case "scale":
			t = [6]float64{v[0], 0, 0, v[len(v)-1], 0, 0}
		case "rotate":
			sin, cos := math.Sincos(v[0] * math.Pi / 180)
			t = [6]float64{cos, sin, -sin, cos, 0, 0}
		case "translate":
			t = [6]float64{1, 0, 0, 1, v[0], v[len(v)-1]}
		default:
			continue
		}
		m := p.m
		p.m = [6]float64{m[0]*t[0] + m[2]*t[1], m[1]*t[0] + m[3]*t[1], m[0]*t[2] + m[2]*t[3], m[1]*t[2] + m[3]*t[3],
			m[0]*t[4] + m[2]*t[5] + m[4], m[1]*t[4] + m[3]*t[5] + m[5]}
	}
	p.scale = p.k * math.Sqrt(math.Abs(p.m[0]*p.m[3]-p.m[1]*p.m[2]))
}

// at returns the bitmap point of a point of the graph.
func (p *painter) at(x, y float64) vec {
	m := p.m
	return vec{(m[0]*x + m[2]*y + m[4]) * p.k, (m[1]*x + m[3]*y + m[5]) * p.k}
}

// element draws a polygon, polyline, ellipse or path.
func (p *painter) element(e xml.StartElement) error {
	fill, err := paintOf(attr(e, "fill"), attr(e, "fill-opacity"), color.Black) // SVG fills black unless told
	if err != nil {
		return err
	}
	stroke, err := paintOf(attr(e, "stroke"), attr(e, "stroke-opacity"), nil)
	if err != nil {
		return err
	}
	width := 1.0
	if w := attr(e, "stroke-width"); w != "" {
		if width, err = strconv.ParseFloat(w, 64); err != nil {
			return fmt.Errorf("render: Graphviz's stroke width %q", w)
		}
	}
	var dash []float64
	if s := attr(e, "stroke-dasharray"); s != "" && s != "none" {
		if dash, err = numbers(s); err != nil {
			return err
		}
	}
	var pts []vec
	closed := true
	switch e.Name.Local {
	case "polygon", "polyline":
		v, err := numbers(attr(e, "points"))
		if err != nil {
			return err
		}
		for i := 0; i+1 < len(v); i += 2 {
			pts = append(pts, p.at(v[i], v[i+1]))
		}
		closed = e.Name.Local == "polygon"
	case "ellipse":
		var v [4]float64
		for i, name := range []string{"cx", "cy", "rx", "ry"} {
			if v[i], err = strconv.ParseFloat(attr(e, name), 64); err != nil {
				return fmt.Errorf("render: Graphviz's ellipse %s %q", name, attr(e, name))
			}
		}
		pts = p.ellipse(v[0], v[1], v[2], v[3])
	case "path":
		if pts, err = p.path(attr(e, "d")); err != nil {
			return err
		}
		closed = len(pts) > 2 && pts[0] == pts[len(pts)-1]
	}
	p.shape(fill, stroke, width, dash, pts, closed)
	return nil
}

// paintOf reads a fill or stroke: a colour (#rrggbb or an SVG colour name) with an opacity
// (0–1, "" for opaque), nil for none (none, transparent, a gradient); def when s is "".
func paintOf(s, opacity string, def color.Color) (color.Color, error) {
	var c color.NRGBA
	switch {
	case s == "":
		return def, nil
	case s == "none" || s == "transparent" || strings.HasPrefix(s, "url("):
		return nil, nil
	case len(s) == 7 && s[0] == '#':
		var err error
		if c, err = rgb(s); err != nil {
			return nil, fmt.Errorf("render: Graphviz's colour %q", s)
		}
	default:
		rgba, ok := colornames.Map[s]
		if !ok {
			return nil, fmt.Errorf("render: Graphviz's colour %q", s)
		}
		c = color.NRGBA{rgba.R, rgba.G, rgba.B, 0xff}
	}
	if opacity != "" {
		a, err := strconv.ParseFloat(opacity, 64)
		if err != nil {
			return nil, fmt.Errorf("render: Graphviz's opacity %q", opacity)
		}
		c.A = uint8(math.Round(255 * min(1, max(0, a))))
	}
	return c, nil
}

// path returns the points of a path as Graphviz writes them: absolute moves (M), cubic Bézier
// curves (C, flattened) and lines (L).
func (p *painter) path(d string) ([]vec, error) {
	var out []vec
	var cmd byte
	var args []vec
	flush := func() error {
		switch {
		case cmd == 0 && len(args) == 0:
		case cmd == 'M' || cmd == 'L' && len(out) > 0:
			out = append(out, args...)
		case cmd == 'C' && len(out) > 0 && len(args)%3 == 0:
			out = append(out, bezier(append([]vec{out[len(out)-1]}, args...))[1:]...)
		default:
			return fmt.Errorf("render: Graphviz's SVG path %q", d)
		}
		return nil
	}
	f := strings.FieldsFunc(d, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	var x []float64
	for _, tok := range f {
		for tok != "" {
			if c := tok[0]; c == 'M' || c == 'C' || c == 'L' {
				if len(x) > 0 {
					return nil, fmt.Errorf("render: Graphviz's SVG path %q", d)
				}
				if err := flush(); err != nil {
					return nil, err
				}
				cmd, args, tok = c, args[:0], tok[1:]
				continue
			}
			n := strings.IndexAny(tok, "MCL")
			if n < 0 {
				n = len(tok)
			}
			v, err := strconv.ParseFloat(tok[:n], 64)
			if err != nil {
				return nil, fmt.Errorf("render: Graphviz's SVG path %q", d)
			}
			if x = append(x, v); len(x) == 2 {
				args, x = append(args, p.at(x[0], x[1])), x[:0]
			}
			tok = tok[n:]
		}
	}
	if len(x) > 0 {
		return nil, fmt.Errorf("render: Graphviz's SVG path %q", d)
	}
	return out, flush()
}

// encodePNG encodes an opaque bitmap as an RGB PNG, fast: every row filtered by the row above
// (PNG's Up filter: an unchanged row becomes zeros) and compressed at zlib's best speed.
// image/png tries every filter on every row, which took a third of a picture's time.
func encodePNG(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var data bytes.Buffer
	z, err := zlib.NewWriterLevel(&data, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+3*w)
	out[0] = 2                 // Up
	above := make([]byte, 4*w) // the row above the first: zeros
	for y := range h {
		row := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):][:4*w]
		src, up, dst := row, above, out[1:]
		for len(src) >= 4 && len(up) >= 4 && len(dst) >= 3 {
			dst[0], dst[1], dst[2] = src[0]-up[0], src[1]-up[1], src[2]-up[2]
			src, up, dst = src[4:], up[4:], dst[3:]
		}
		if _, err := z.Write(out); err != nil {
			return nil, err
		}
		above = row
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	head := make([]byte, 13)
	binary.BigEndian.PutUint32(head[0:], uint32(w))
	binary.BigEndian.PutUint32(head[4:], uint32(h))
	head[8], head[9] = 8, 2 // 8 bits a sample, RGB
	pngChunk(&b, "IHDR", head)
	pngChunk(&b, "IDAT", data.Bytes())
	pngChunk(&b, "IEND", nil)
	return b.Bytes(), nil
}

// pngChunk writes a PNG chunk: its length, type, data and CRC.
func pngChunk(b *bytes.Buffer, kind string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	b.WriteString(kind)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}

// vec is a point on the bitmap, in pixels.
type vec struct{ x, y float64 }

func (a vec) add(b vec) vec             { return vec{a.x + b.x, a.y + b.y} }
func (a vec) sub(b vec) vec             { return vec{a.x - b.x, a.y - b.y} }
func (a vec) mul(k float64) vec         { return vec{a.x * k, a.y * k} }
func (a vec) dot(b vec) float64         { return a.x*b.x + a.y*b.y }
func (a vec) cross(b vec) float64       { return a.x*b.y - a.y*b.x }
func (a vec) len() float64              { return math.Hypot(a.x, a.y) }
func (a vec) lerp(b vec, t float64) vec { return a.add(b.sub(a).mul(t)) }

// ellipse returns the bitmap points of a polygon close to an ellipse of the graph: centre cx, cy
// and radii rx, ry.
func (p *painter) ellipse(cx, cy, rx, ry float64) []vec {
	n := max(16, int(math.Ceil(2*math.Pi*max(rx, ry)*p.scale/3)))
	out := make([]vec, n)
	for i := range out {
		sin, cos := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		out[i] = p.at(cx+rx*cos, cy+ry*sin)
	}
	return out
}

// bezier returns a polyline close to a piecewise cubic Bézier curve (its points: a start, then
// three for each piece), to within about a pixel.
func bezier(pts []vec) []vec {
	if len(pts) == 0 {
		return nil
	}
	out := []vec{pts[0]}
	for i := 0; i+3 < len(pts); i += 3 {
		a, b, c, d := pts[i], pts[i+1], pts[i+2], pts[i+3]
		n := min(100, max(1, int(math.Ceil((b.sub(a).len()+c.sub(b).len()+d.sub(c).len())/6))))
		for j := 1; j <= n; j++ {
			t := float64(j) / float64(n)
			ab, bc, cd := a.lerp(b, t), b.lerp(c, t), c.lerp(d, t)
			out = append(out, ab.lerp(bc, t).lerp(bc.lerp(cd, t), t))
		}
	}
	return out
}

// shape fills the outline pts with fill and strokes it with stroke, width units wide and
// dashed (units on and off) or solid (nil); a nil colour is none. A closed shape's stroke joins
// its end to its start.
func (p *painter) shape(fill, stroke color.Color, width float64, dash []float64, pts []vec, closed bool) {
	if len(pts) < 2 {
		return
	}
	if fill != nil {
		p.paint(fill, [][]vec{pts}, 0)
	}
	if stroke == nil {
		return
	}
	if closed && pts[0] != pts[len(pts)-1] {
		pts = append(pts[:len(pts):len(pts)], pts[0])
	}
	w := max(1, width*p.scale)
	var pieces [][]vec
	for _, run := range dashes(pts, dash, p.scale) {
		pieces = append(pieces, strokeRun(run, w/2, closed && dash == nil)...)
	}
	p.paint(stroke, pieces, w)
}

// dashes cuts a polyline into the runs of a dash pattern (lengths on and off, in graph units of
// scale pixels), or returns it whole when the pattern is nil.
func dashes(pts []vec, dash []float64, scale float64) [][]vec {
	if dash == nil {
		return [][]vec{pts}
	}
	var runs [][]vec
	run := []vec{pts[0]}
	i, left, on := 0, dash[0]*scale, true
	for k := 1; k < len(pts); k++ {
		a, b := pts[k-1], pts[k]
		seg := b.sub(a).len()
		pos := 0.0 // along the segment
		for seg-pos > left {
			pos += left
			q := a.lerp(b, pos/seg)
			if on {
				runs = append(runs, append(run, q))
				run = nil
			} else {
				run = []vec{q}
			}
			on = !on
			i = (i + 1) % len(dash)
			left = max(dash[i]*scale, 0.5)
		}
		left -= seg - pos
		if on {
			run = append(run, b)
		}
	}
	if on && len(run) > 1 {
		runs = append(runs, run)
	}
	return runs
}

// miterLimit is the longest miter join, in pen widths, as cairo's; a sharper corner is bevelled.
const miterLimit = 10

// strokeRun returns the pieces that cover a polyline drawn r pixels to each side: a quadrilateral
// per segment (butt ends) and a miter join at each corner, and at the start of a closed run.
// Every piece winds the same way, so that where they overlap they add up to one cover.
func strokeRun(pts []vec, r float64, closed bool) [][]vec {
	var pieces [][]vec
	var prev vec // the unit direction of the segment before, zero at the start
	for k := len(pts) - 1; closed && k > 0 && prev == (vec{}); k-- {
		prev = unit(pts[k].sub(pts[k-1])) // the last segment leads into the first
	}
	for k := 1; k < len(pts); k++ {
		a, b := pts[k-1], pts[k]
		d := unit(b.sub(a))
		if d == (vec{}) {
			continue
		}
		n := vec{-d.y, d.x}.mul(r)
		pieces = append(pieces, wind([]vec{a.add(n), b.add(n), b.sub(n), a.sub(n)}))
		if c := prev.cross(d); prev != (vec{}) && math.Abs(c) > 1e-9 {
			// The outer side of the corner at a.
			s := -math.Copysign(1, c)
			n1, n2 := vec{-prev.y, prev.x}.mul(s), vec{-d.y, d.x}.mul(s)
			if k1 := 1 + n1.dot(n2); k1 > 2/(miterLimit*miterLimit) {
				pieces = append(pieces, wind([]vec{a, a.add(n1.mul(r)), a.add(n1.add(n2).mul(r / k1)), a.add(n2.mul(r))}))
			} else {
				pieces = append(pieces, wind([]vec{a, a.add(n1.mul(r)), a.add(n2.mul(r))}))
			}
		}
		prev = d
	}
	return pieces
}

// unit returns v scaled to length 1, or zero.
func unit(v vec) vec {
	if l := v.len(); l > 0 {
		return v.mul(1 / l)
	}
	return vec{}
}

// wind returns a polygon wound counter-clockwise on the bitmap (its y axis points down).
func wind(pts []vec) []vec {
	area := 0.0
	for i, a := range pts {
		area += a.cross(pts[(i+1)%len(pts)])
	}
	if area < 0 {
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	return pts
}

// paint fills polygons with a colour, as one cover (where they overlap, once), anti-aliased:
// only over their bounding box (grown by margin pixels), so that a small shape costs little.
func (p *painter) paint(c color.Color, polys [][]vec, margin float64) {
	if _, _, _, a := c.RGBA(); a == 0 || len(polys) == 0 {
		return
	}
	lo, hi := vec{math.Inf(1), math.Inf(1)}, vec{math.Inf(-1), math.Inf(-1)}
	for _, poly := range polys {
		for _, q := range poly {
			lo, hi = vec{min(lo.x, q.x), min(lo.y, q.y)}, vec{max(hi.x, q.x), max(hi.y, q.y)}
		}
	}
	r := image.Rect(int(math.Floor(lo.x-margin)), int(math.Floor(lo.y-margin)), int(math.Ceil(hi.x+margin)), int(math.Ceil(hi.y+margin))).
		Intersect(p.img.Bounds())
	if r.Empty() {
		return
	}
	p.z.Reset(r.Dx(), r.Dy())
	p.z.DrawOp = draw.Src
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	for _, poly := range polys {
		p.z.MoveTo(float32(poly[0].x-ox), float32(poly[0].y-oy))
		for _, q := range poly[1:] {
			p.z.LineTo(float32(q.x-ox), float32(q.y-oy))
		}
		p.z.ClosePath()
	}
	if n := r.Dx() * r.Dy(); n > cap(p.mask.Pix) {
		p.mask.Pix = make([]uint8, n)
	}
	p.mask.Pix, p.mask.Stride, p.mask.Rect = p.mask.Pix[:r.Dx()*r.Dy()], r.Dx(), image.Rect(0, 0, r.Dx(), r.Dy())
	p.z.Draw(&p.mask, p.mask.Rect, image.Opaque, image.Point{})
	p.cover(r, c)
}

// cover paints colour c over the bitmap's rectangle r, as much as the mask covers each pixel.
// The bitmap stays opaque.
func (p *painter) cover(r image.Rectangle, c color.Color) {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	cr, cg, cb, ca := uint32(n.R), uint32(n.G), uint32(n.B), uint32(n.A)
	for y := range r.Dy() {
		row := p.img.Pix[p.img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x, m := range p.mask.Pix[y*p.mask.Stride : (y+1)*p.mask.Stride] {
			if m == 0 {
				continue
			}
			px := row[4*x : 4*x+3 : 4*x+3]
			if a := uint32(m) * ca; a == 255*255 {
				px[0], px[1], px[2] = n.R, n.G, n.B
			} else {
				px[0] = uint8((uint32(px[0])*(255*255-a) + cr*a) / (255 * 255))
				px[1] = uint8((uint32(px[1])*(255*255-a) + cg*a) / (255 * 255))
				px[2] = uint8((uint32(px[2])*(255*255-a) + cb*a) / (255 * 255))
			}
		}
	}
}

// sansScale shrinks Liberation Sans to the space Graphviz lays out for a line of text: its
// estimate (Helvetica's metrics) runs about 7% narrower than the face drawn at the same size on
// the bundled views, so scaled by 0.9 no line overflows its box.
const sansScale = 0.9

// sans is the face of every PNG's text: Liberation Sans, embedded, so that a picture is the same
// on every machine. It has the metrics of Helvetica and Arial, which Graphviz lays the text out
// with (fontName), so every line fills the space laid out for it; and its hyphen is a hyphen.
var sans = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(liberationsansregular.TTF) })

// text draws a line of text in its fill colour (black unless told), its baseline at x, y,
// starting, centred or ending there (text-anchor); level, in a rotated graph too.
func (p *painter) text(e xml.StartElement, s string) error {
	c, err := paintOf(attr(e, "fill"), attr(e, "fill-opacity"), color.Black)
	if err != nil || c == nil || s == "" {
		return err
	}
	var v [3]float64
	for i, name := range []string{"x", "y", "font-size"} {
		if v[i], err = strconv.ParseFloat(attr(e, name), 64); err != nil {
			return fmt.Errorf("render: Graphviz's text %s %q", name, attr(e, name))
		}
	}
	size := v[2] * p.scale * sansScale // pixels
	face, ok := p.faces[size]
	if !ok {
		f, err := sans()
		if err != nil {
			return err
		}
		if face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone}); err != nil {
			return err
		}
		p.faces[size] = face
	}
	d := font.Drawer{Dst: p.img, Src: image.NewUniform(c), Face: face}
	at := p.at(v[0], v[1])
	switch w := float64(d.MeasureString(s)) / 64; attr(e, "text-anchor") {
	case "middle":
		at.x -= w / 2
	case "end":
		at.x -= w
	}
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round(at.x * 64)), Y: fixed.Int26_6(math.Round(at.y * 64))}
	d.DrawString(s)
	return nil
}
