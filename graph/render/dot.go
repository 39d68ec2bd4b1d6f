package render

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// dotWriter accumulates DOT text. Identifiers and strings are double-quoted (the legend's
// HTML-like label aside), so deterministic output needs only a deterministic order of calls.
type dotWriter struct{ bytes.Buffer }

// line writes one indented statement.
func (w *dotWriter) line(indent int, format string, args ...any) {
	w.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(w, format, args...)
	w.WriteByte('\n')
}

// attrs formats name/value pairs as a DOT attribute list with quoted values: [a="1", b="2"].
func attrs(kv ...string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(quote(kv[i+1]))
	}
	b.WriteByte(']')
	return b.String()
}

// quote writes s as a DOT double-quoted string: backslashes and quotes escaped, so that no
// escape sequence of Graphviz (\N, \G, \l…) is formed from the text; a newline becomes the
// line break \n and other control characters become spaces.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < ' ' || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// label joins text lines into one label value (quote writes the line breaks). Each line is made
// safe for Graphviz: line breaks inside it become spaces, and '&' becomes "&amp;", since Graphviz
// decodes HTML entities in every label and would show a name containing "&lt;" as "<".
func label(lines ...string) string {
	esc := make([]string, len(lines))
	for i, l := range lines {
		l = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "&", "&amp;").Replace(l)
		esc[i] = l
	}
	return strings.Join(esc, "\n")
}

// tonnes formats an amount in tonnes a year: thousands separated, whole tonnes from 100 up,
// at most two decimals below.
func tonnes(v float64) string {
	if math.IsInf(v, 1) {
		return "unbounded"
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v >= 100 {
		s = strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	} else if v != math.Round(v*100)/100 {
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, d := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String() + " t/a"
}

// percent formats a share 0..1 as a percentage with at most one decimal.
func percent(share float64) string {
	return strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64) + "%"
}

// Widths of wrapped text, in characters: a long name or measure makes its node or its edge's
// rank as wide, so it is wrapped. An edge label keeps at most maxEdgeLines lines.
const (
	nameWidth    = 30
	edgeWidth    = 28
	maxEdgeLines = 4
)

// wrap breaks a line of text between words into lines of at most width characters (a longer
// word keeps its own line).
func wrap(line string, width int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(line) {
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= width:
			cur += " " + w
		default:
			out = append(out, cur)
			cur = w
		}
	}
	return append(out, cur)
}

// wrapEdge wraps an edge label's lines at edgeWidth and keeps the first maxEdgeLines, the last
// one ending in "…" when some are left out (the tooltip has them all).
func wrapEdge(lines []string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, wrap(l, edgeWidth)...)
	}
	if len(out) > maxEdgeLines {
		out = append(out[:maxEdgeLines-1:maxEdgeLines-1], out[maxEdgeLines-1]+" …")
	}
	return out
}
