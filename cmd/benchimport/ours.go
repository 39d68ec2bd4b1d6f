package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chokepoint/chokepoint/cypher"
)

// ours times cypher.Store.Import on a fresh Store (as a new chokepoint process would see it).
// Its phases come from the Progress callback: each batch is charged to the statement it ran, and
// the wait between the last record batch and the call that announces the control spans (the
// total grows) to the validation.
func (b *bench) ours(ctx context.Context, w *workload) (time.Duration, []phase, error) {
	store, err := cypher.Open(ctx, b.cfg)
	if err != nil {
		return 0, nil, err
	}
	defer store.Close(ctx)
	bounds := ourPhases(w.stmts)
	var stamps []stamp
	attempts, furthest := 1, 0
	store.Progress = func(done, total int) {
		if n := len(stamps); n > 0 && (done < stamps[n-1].done || done == stamps[n-1].done && total == stamps[n-1].total) {
			stamps = stamps[:0] // ExecuteWrite retries the transaction function
			attempts++
		}
		stamps = append(stamps, stamp{done, total, time.Now()})
		furthest = max(furthest, done)
	}
	t0 := time.Now()
	_, err = store.Import(ctx, w.ds)
	elapsed := time.Since(t0)
	if err != nil {
		total := 0
		if len(bounds) > 0 {
			total = bounds[len(bounds)-1].done
		}
		return elapsed, nil, fmt.Errorf("%w (Progress saw %d attempt(s) of the write transaction; the furthest reached row %d of %d%s)",
			err, attempts, furthest, total, phaseAt(bounds, furthest))
	}
	// The first batch is the commodities': its time includes the projection, validation and lock.
	var phases []phase
	prev, p := t0, 0
	for i, s := range stamps {
		for p < len(bounds)-1 && s.done > bounds[p].done {
			p++
		}
		name := bounds[p].name
		if i > 0 && s.done == stamps[i-1].done {
			name = "wait for the validation"
		}
		if len(phases) == 0 {
			name = "project + validate + lock + " + name
		}
		if len(phases) > 0 && phases[len(phases)-1].name == name {
			phases[len(phases)-1].d += s.at.Sub(prev)
		} else {
			phases = append(phases, phase{name, s.at.Sub(prev)})
		}
		prev = s.at
	}
	phases = append(phases, phase{"commit", t0.Add(elapsed).Sub(prev)})
	return elapsed, phases, nil
}

// phaseAt names the statement after the one that ended at done rows: where a failure happened.
func phaseAt(bounds []bound, done int) string {
	for _, b := range bounds {
		if b.done > done {
			return ", failing in " + b.name
		}
	}
	return ""
}

type stamp struct {
	done, total int
	at          time.Time
}

// ourPhases lists the statements Store.Import runs, in order (cypher.ImportStatements), with the
// row count after each.
func ourPhases(stmts []cypher.ImportStatement) []bound {
	var out []bound
	done := 0
	for _, st := range stmts {
		done += st.Rows
		out = append(out, bound{st.Name, done})
	}
	return out
}

// bound is the end of one statement of Store.Import, in rows done.
type bound struct {
	name string
	done int
}
