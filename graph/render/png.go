package render

import (
	"context"

	"codeberg.org/go-fonts/liberation/liberationsansregular"

	"github.com/goccy/go-graphviz"
	"github.com/goccy/go-graphviz/gvc"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

// PNG output: go-graphviz draws bitmaps with its own Go renderer, not Graphviz's cairo one.
const (
	pngDPI  = 120 // Graphviz's default of 96 leaves 9-point edge labels hard to read
	pngSize = 30  // inches: the largest bitmap is 3,600 pixels a side (52 MB while drawn)
)

// newGraphviz starts a Graphviz context with the SVG renderer built in and the corrected PNG
// renderer (pngEngine).
func newGraphviz(ctx context.Context) (*graphviz.Graphviz, error) {
	base, err := gvc.PNGRenderPlugin(ctx)
	if err != nil {
		return nil, err
	}
	png, err := gvc.NewRenderPlugin(ctx, "png", &pngEngine{RenderEngine: base.RenderEngine()})
	if err != nil {
		return nil, err
	}
	device, err := gvc.PNGDevicePlugin(ctx)
	if err != nil {
		return nil, err
	}
	sans, err := opentype.Parse(liberationsansregular.TTF)
	if err != nil {
		return nil, err
	}
	faces := map[float64]font.Face{}
	graphviz.SetFontLoader(func(_ context.Context, job *gvc.Job, f *gvc.TextFont) (font.Face, error) {
		return fontFace(sans, faces, f.Size()*job.Zoom()*sansScale, job.DPI().X())
	})
	return graphviz.NewWithPlugins(ctx, png, device)
}

// sansScale shrinks Liberation Sans to the space Graphviz lays out for a line of text: its
// estimate (Helvetica's metrics) runs about 7% narrower than the face drawn at the same size on
// the bundled views, so scaled by 0.9 no line overflows its box.
const sansScale = 0.9

// fontFace returns the Liberation Sans face for a font size in points at a resolution, cached.
// go-graphviz's own fallback sizes text in pixels at 72 dpi, too small at any other resolution,
// and looks fonts up among those installed: with one embedded face, a PNG is the same on every
// machine. Liberation Sans has the metrics of Helvetica and Arial, which Graphviz lays the text
// out with (fontName), so every line fills the space laid out for it; and its hyphen is a hyphen
// (Go Regular, used before, draws it as wide as a minus sign).
func fontFace(f *opentype.Font, cache map[float64]font.Face, size, dpi float64) (font.Face, error) {
	if face, ok := cache[size*dpi]; ok {
		return face, nil
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: dpi, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	cache[size*dpi] = face
	return face, nil
}

// pngEngine corrects go-graphviz v0.2.10's bitmap renderer. Its bridge reports every shape as
// filled, so the renderer fills edges (they become blobs between their ends) and the outer
// outlines of a node, and it never strokes a filled shape (node borders and chokepoint marks
// vanish). pngEngine decides itself, as Graphviz's emitter means it:
//   - a shape drawn with a transparent pen is a fill (page background, table cell colour);
//   - the first shape of a node or cluster whose style is filled is filled, later ones (outer
//     peripheries) are outlines;
//   - an edge's curve is stroked and its arrowheads filled;
//
// and then strokes every shape that has an opaque pen, as cairo does.
// Graphviz calls it from one layout at a time (see engine).
type pngEngine struct {
	gvc.RenderEngine
	filled bool // the current node or cluster has had its filled shape
}

// BeginCluster starts a cluster's shapes.
func (e *pngEngine) BeginCluster(ctx context.Context, job *gvc.Job) error {
	e.filled = false
	return e.RenderEngine.BeginCluster(ctx, job)
}

// BeginNode starts a node's shapes.
func (e *pngEngine) BeginNode(ctx context.Context, job *gvc.Job) error {
	e.filled = false
	return e.RenderEngine.BeginNode(ctx, job)
}

// fill reports whether the current shape is to be filled, and stroke whether outlined.
func (e *pngEngine) paint(job *gvc.Job, curve bool) (fill, stroke bool) {
	o := job.Object()
	stroke = o.PenColor().RGBAUint()[3] > 0
	switch {
	case o.Type() == gvc.EdgeObjectType:
		fill = !curve
	case !stroke:
		fill = true
	case o.Fill() != gvc.FillNone && !e.filled:
		fill, e.filled = true, true
	}
	return fill && o.FillColor().RGBAUint()[3] > 0, stroke
}

// Polygon fills and outlines a polygon.
func (e *pngEngine) Polygon(ctx context.Context, job *gvc.Job, p []*gvc.PointFloat, _ bool) error {
	fill, stroke := e.paint(job, false)
	return draw(fill, stroke, func(filled bool) error { return e.RenderEngine.Polygon(ctx, job, p, filled) })
}

// Ellipse fills and outlines an ellipse.
func (e *pngEngine) Ellipse(ctx context.Context, job *gvc.Job, p []*gvc.PointFloat, _ bool) error {
	fill, stroke := e.paint(job, false)
	return draw(fill, stroke, func(filled bool) error { return e.RenderEngine.Ellipse(ctx, job, p, filled) })
}

// BezierCurve fills and outlines a closed curve (a rounded box), and strokes an edge.
func (e *pngEngine) BezierCurve(ctx context.Context, job *gvc.Job, p []*gvc.PointFloat, _ bool) error {
	fill, stroke := e.paint(job, true)
	return draw(fill, stroke, func(filled bool) error { return e.RenderEngine.BezierCurve(ctx, job, p, filled) })
}

// draw fills, then strokes, a shape with the base renderer.
func draw(fill, stroke bool, shape func(filled bool) error) error {
	if fill {
		if err := shape(true); err != nil {
			return err
		}
	}
	if stroke {
		return shape(false)
	}
	return nil
}
