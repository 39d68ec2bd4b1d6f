// Package persist keeps what chokepoint saves in local files: one atomic write, used by the CLI's
// outputs and by ScenarioDir, the saved scenarios of the embedded store.
package persist

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
)

// WriteFileAtomic writes a file through a temporary file in the same directory, renamed over path
// once complete, so a failure or a crash never leaves a half-written file behind and a reader sees
// the old file or the new one.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes files private
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ScenarioDir is a graph.ScenarioStore in a directory, one NAME.json file a scenario. It reads
// the directory on every call, so processes sharing it agree, and writes atomically.
type ScenarioDir string

var _ graph.ScenarioStore = ScenarioDir("")

func (d ScenarioDir) path(name string) string { return filepath.Join(string(d), name+".json") }

// List implements graph.ScenarioStore; files whose name is no scenario name are not scenarios.
func (d ScenarioDir) List(ctx context.Context) ([]graph.Scenario, error) {
	entries, err := os.ReadDir(string(d))
	if err != nil {
		return nil, err
	}
	out := []graph.Scenario{} // [] in JSON when there are none
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !graph.ValidName(name) || e.IsDir() {
			continue
		}
		sc, err := d.Get(ctx, name)
		if graph.ErrorCode(err) == graph.ENotFound {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	graph.SortScenarios(out)
	return out, nil
}

// Get implements graph.ScenarioStore.
func (d ScenarioDir) Get(_ context.Context, name string) (graph.Scenario, error) {
	var sc graph.Scenario
	if !graph.ValidName(name) {
		return sc, graph.NoScenario(name)
	}
	data, err := os.ReadFile(d.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return sc, graph.NoScenario(name)
	}
	if err != nil {
		return sc, err
	}
	if err := json.Unmarshal(data, &sc); err != nil || sc.Name != name {
		return sc, graph.Errorf(graph.EConflict, "the saved scenario file %s does not hold scenario %q (edited by hand?): fix or delete it", d.path(name), name)
	}
	return sc, nil
}

// Put implements graph.ScenarioStore.
func (d ScenarioDir) Put(_ context.Context, sc graph.Scenario) error {
	data, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(d.path(sc.Name), func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Delete implements graph.ScenarioStore.
func (d ScenarioDir) Delete(_ context.Context, name string) error {
	if !graph.ValidName(name) {
		return graph.NoScenario(name)
	}
	err := os.Remove(d.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return graph.NoScenario(name)
	}
	return err
}
