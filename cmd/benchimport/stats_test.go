package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestDrift: the probe's spread over the runs is reported, with a warning once the slowest
// probe took more than driftWarn longer than the fastest; failed runs and runs without a probe
// do not count.
func TestDrift(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		name   string
		probes []time.Duration
		failed int // index of a failed run, -1 for none
		want   string
	}{
		{"steady", []time.Duration{200 * ms, 205 * ms, 210 * ms}, -1, "host probe: 200ms–210ms over 3 runs (+5%)"},
		{"drifted", []time.Duration{200 * ms, 300 * ms, 210 * ms}, -1, "host probe: 200ms–300ms over 3 runs (+50%): the machine's speed changed"},
		{"failed run left out", []time.Duration{200 * ms, 300 * ms, 210 * ms}, 1, "host probe: 200ms–210ms over 2 runs (+5%)"},
		{"no probe", []time.Duration{0, 0}, -1, ""},
	} {
		var results []result
		for i, p := range c.probes {
			r := result{probe: p}
			if i == c.failed {
				r.err = errFailed
			}
			results = append(results, r)
		}
		got := drift(results)
		if c.want == "" && got != "" || c.want != "" && !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: drift = %q, want it to start with %q", c.name, got, c.want)
		}
		if warned := strings.Contains(got, "changed"); warned != strings.Contains(c.want, "changed") {
			t.Errorf("%s: drift = %q: warning %v", c.name, got, warned)
		}
	}
}

var errFailed = errors.New("failed")
