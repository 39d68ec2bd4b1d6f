package persist_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/persist"
)

// TestWriteFileAtomic: a write that fails leaves the old file as it was and no temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	write := func(s string, fail error) error {
		return persist.WriteFileAtomic(path, func(w io.Writer) error {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
			return fail
		})
	}
	if err := write("old", nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	if err := write("new, half", boom); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Fatalf("file holds %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

// TestScenarioDir: saved scenarios as files, read afresh on every call (so two processes on one
// directory agree), other files ignored, a hand-broken one reported.
func TestScenarioDir(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := persist.ScenarioDir(dir), persist.ScenarioDir(dir)
	if list, err := a.List(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("%v %v", list, err)
	}
	for _, name := range []string{"zeta", "alpha"} {
		if err := a.Put(ctx, graph.Scenario{Name: name, Commodity: "rare-earths"}); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "Bad Name.json"), []byte("x"), 0o644)
	list, err := b.List(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "alpha" || list[1].Name != "zeta" {
		t.Fatalf("%v %v", list, err)
	}
	if err := b.Delete(ctx, "zeta"); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{b.Delete(ctx, "zeta"), func() error { _, err := a.Get(ctx, "zeta"); return err }(),
		func() error { _, err := a.Get(ctx, "../etc"); return err }()} {
		if graph.ErrorCode(err) != graph.ENotFound {
			t.Fatalf("got %v, want not found", err)
		}
	}
	os.WriteFile(filepath.Join(dir, "alpha.json"), []byte(`{"name": "beta"}`), 0o644)
	if _, err := a.List(ctx); graph.ErrorCode(err) != graph.EConflict {
		t.Fatalf("got %v, want a conflict for a file naming another scenario", err)
	}
}
