package render

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// pngFixture is SVG as Graphviz writes it, 100 × 60 points, translated by (4, 56): a red box with
// a blue border 2 points wide, an outlined green ellipse, a dashed curve, a half-transparent
// black square, a line of text starting at a point and one centred on another.
const pngFixture = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="100pt" height="60pt" viewBox="0.00 0.00 100.00 60.00" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 56)">
<title>fixture</title>
<polygon fill="white" stroke="none" points="-4,4 -4,-56 96,-56 96,4 -4,4"/>
<g id="node1" class="node"><title>box</title>
<a xlink:href="/api/v1/nodes/x" xlink:title="tooltip">
<polygon fill="#ff0000" stroke="#0000ff" stroke-width="2" points="6,-6 6,-26 36,-26 36,-6 6,-6"/>
</a></g>
<ellipse fill="none" stroke="lime" cx="70" cy="-16" rx="12" ry="8"/>
<path fill="none" stroke="black" stroke-width="2" stroke-dasharray="5,2" d="M6,-46C20,-46 40,-46 56,-46"/>
<polygon fill="#000000" fill-opacity="0.500000" stroke="none" points="80,-30 80,-40 90,-40 90,-30 80,-30"/>
<text text-anchor="start" x="60" y="-40" font-family="Helvetica,Arial,sans-serif" font-size="10.00" fill="#112233">H&#45;H</text>
<text text-anchor="middle" x="21" y="-30" font-family="Helvetica,Arial,sans-serif" font-size="10.00">MM</text>
</g>
</svg>
`

// at returns the pixel of a point of pngFixture's graph (before its translation): pixels are
// 120/72 of a point.
func fixturePixel(img image.Image, x, y float64) color.NRGBA {
	const k = float64(pngDPI) / 72
	return color.NRGBAModel.Convert(img.At(int((x+4)*k), int((y+56)*k))).(color.NRGBA)
}

func TestDrawPNG(t *testing.T) {
	out, err := drawPNG([]byte(pngFixture))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 167 || b.Dy() != 100 { // 100 × 60 points at 120 dpi
		t.Fatalf("image of %v, want 167 × 100", b)
	}
	white, red, blue, lime, black := color.NRGBA{255, 255, 255, 255}, color.NRGBA{255, 0, 0, 255},
		color.NRGBA{0, 0, 255, 255}, color.NRGBA{0, 255, 0, 255}, color.NRGBA{0, 0, 0, 255}
	for _, c := range []struct {
		name string
		x, y float64
		want color.NRGBA
	}{
		{"margin", -3, 3, white},
		{"box fill", 21, -16, red},
		{"box border", 6, -16, blue},
		{"box corner (a miter join)", 5.3, -5.3, blue},
		{"box fill by its border", 8, -16, red},
		{"ellipse outline", 82, -16, lime},
		{"ellipse inside (not filled)", 70, -16, white},
		{"first dash", 8.5, -46, black},
		{"first gap", 12, -46, white},
		{"second dash", 14, -46, black},
		{"after the curve", 60, -46, white},
		{"half-transparent fill", 85, -35, color.NRGBA{127, 127, 127, 255}},
	} {
		got := fixturePixel(img, c.x, c.y)
		d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
		if d(got.R, c.want.R) > 1 || d(got.G, c.want.G) > 1 || d(got.B, c.want.B) > 1 || got.A != 255 {
			t.Errorf("%s at (%g, %g): %v, want %v", c.name, c.x, c.y, got, c.want)
		}
	}
	// The text: pixels of its colour from its start, on its baseline, to about its size above.
	ink := 0
	for x := 60.0; x < 80; x += 0.2 {
		for y := -48.0; y < -40; y += 0.2 {
			if fixturePixel(img, x, y) == (color.NRGBA{0x11, 0x22, 0x33, 255}) {
				ink++
			}
		}
	}
	if ink < 100 {
		t.Errorf("%d samples of the text's colour, want its glyphs drawn", ink)
	}
	if fixturePixel(img, 59, -44) != white {
		t.Error("ink before the text's start")
	}
	// The centred text: about as much ink on either side of its centre.
	var left, right int
	for x := 6.0; x < 36; x += 0.2 {
		for y := -38.0; y < -30; y += 0.2 {
			if fixturePixel(img, x, y).R < 128 {
				if x < 21 {
					left++
				} else {
					right++
				}
			}
		}
	}
	if left < 50 || right < 50 || left > 2*right || right > 2*left {
		t.Errorf("centred text: %d samples of ink left of its centre, %d right", left, right)
	}
}

func TestDrawPNGErrors(t *testing.T) {
	for name, svg := range map[string]string{
		"not SVG":        `digraph { a }`,
		"unclosed":       `<svg viewBox="0 0 10 10"><polygon fill="red" points="0,0 1,1"`,
		"no viewBox":     `<svg><polygon points="0,0 1,1 1,0"/></svg>`,
		"shape first":    `<polygon points="0,0 1,1 1,0"/><svg viewBox="0 0 10 10"></svg>`,
		"bad points":     `<svg viewBox="0 0 10 10"><polygon fill="red" points="0,0 x,1"/></svg>`,
		"bad colour":     `<svg viewBox="0 0 10 10"><polygon fill="#12345z" points="0,0 1,1 1,0"/></svg>`,
		"unknown colour": `<svg viewBox="0 0 10 10"><polygon fill="reddish" points="0,0 1,1 1,0"/></svg>`,
		"relative path":  `<svg viewBox="0 0 10 10"><path stroke="red" d="m1,1c1,1 2,2 3,3"/></svg>`,
		"odd curve":      `<svg viewBox="0 0 10 10"><path stroke="red" d="M1,1C1,1 2,2"/></svg>`,
		"bad text size":  `<svg viewBox="0 0 10 10"><text x="1" y="1" font-size="big">a</text></svg>`,
	} {
		if _, err := drawPNG([]byte(svg)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestEncodePNG: what encodePNG writes decodes to the same pixels, row after row (each filtered
// by the one above).
func TestEncodePNG(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	img := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	out, err := encodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != img.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), img.Bounds())
	}
	for y := range 23 {
		for x := range 37 {
			if g, w := color.RGBAModel.Convert(got.At(x, y)), img.At(x, y); g != w {
				t.Fatalf("pixel (%d, %d): %v, want %v", x, y, g, w)
			}
		}
	}
}
