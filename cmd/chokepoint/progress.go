package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// progressBar draws import progress on a terminal; it is nil when stderr is not a terminal.
type progressBar struct {
	w     io.Writer
	drawn bool
}

// newProgressBar returns a bar when w is a terminal and quiet is false, else nil.
func newProgressBar(w io.Writer, quiet bool) *progressBar {
	f, ok := w.(*os.File)
	if quiet || !ok {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progressBar{w: w}
}

func (b *progressBar) update(done, total int) {
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d rows (%d%%)", strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		done, total, 100*done/max(total, 1))
	b.drawn = true
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
