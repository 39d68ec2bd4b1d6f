package main_test

import (
	"strings"
	"testing"
)

// TestAnalyzeUnknown: an unknown analysis is a usage error that says so, before any flag or
// parameter is looked at.
func TestAnalyzeUnknown(t *testing.T) {
	for _, args := range [][]string{{"analyze", "bogus"}, {"analyze", "bogus", "--commodity", "rare-earths"}, {"analyze", "bogus", "--zz"}} {
		_, errOut, code := run(t, nil, args...)
		if code != 2 || !strings.Contains(errOut, `unknown analysis "bogus" (want flow, chokepoints`) || !strings.Contains(errOut, "scenario)") {
			t.Errorf("%v: %d %s", args, code, errOut)
		}
	}
}
