package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/internal/persist"
)

func runValidate(_ context.Context, env *cli, args []string) error {
	fs := newFlags("validate", env)
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{"give at least one dataset file or directory"}
	}
	ds, err := readDatasets(files)
	if err != nil {
		return err
	}
	if err := ds.Validate(); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "ok: %d commodities, %d nodes, %d edges\n", len(ds.Commodities), len(ds.Nodes), len(ds.Edges))
	return nil
}

func runImport(ctx context.Context, env *cli, args []string) error {
	fs := newFlags("import", env)
	quiet := fs.Bool("quiet", false, "no progress bar")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{"give at least one dataset file or directory"}
	}
	cfg, err := cypher.ConfigFor("import writes to Neo4j (the embedded store lives only inside 'serve': use 'serve --data FILE' there)")
	if err != nil {
		return err
	}
	ds, err := readDatasets(files)
	if err != nil {
		return err
	}
	store, err := cypher.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if bar := newProgressBar(env.stderr, *quiet); bar != nil {
		store.Progress = bar.update
		defer bar.finish()
	}
	res, err := store.Import(ctx, ds)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "imported %d commodities, %d nodes, %d edges; Neo4j now holds %d nodes and %d edges\n",
		res.Commodities, res.Nodes, res.Edges, res.TotalNodes, res.TotalEdges)
	return nil
}

func runExport(ctx context.Context, env *cli, args []string) error {
	fs := newFlags("export", env)
	format := fs.String("format", "json", "json, or csv: one file per kind, into the directory --out")
	out := fs.String("out", "", "output file (json; default - for stdout) or directory (csv; required)")
	dataFile := fs.String("data", "", "export this dataset file instead of the store (no database)")
	var f graph.NodeFilter
	kind := fs.String("kind", "", "only nodes of this kind")
	fs.StringVar(&f.State, "state", "", "only nodes located or headquartered in this state (ISO code)")
	fs.StringVar(&f.Commodity, "commodity", "", "only nodes and edges of this commodity or family")
	fs.StringVar(&f.Name, "name", "", "only nodes whose name or id contains this text")
	asOf := fs.Int("as-of", 0, "only what was in service in this year")
	rest, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return err
	case len(rest) > 1 || len(rest) == 1 && rest[0] != "-":
		return usageError{fmt.Sprintf("unexpected argument %q (write to a file with --out FILE; - is standard output)", rest[len(rest)-1])}
	case len(rest) == 1 && *out != "" && *out != "-":
		return usageError{"give either - (standard output) or --out FILE, not both"}
	case *format == "csv" && (*out == "" || *out == "-" || len(rest) == 1):
		return usageError{"--format csv writes one file per kind: give --out DIR"}
	}
	f.Kind = graph.Kind(*kind)
	net, closeStore, err := loadNetwork(ctx, *dataFile, *asOf)
	if err != nil {
		return err
	}
	defer closeStore()
	ds, err := net.Subset(f)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeOutput(env, *out, func(w io.Writer) error { return graph.EncodeJSON(w, ds) })
	}
	files, err := graph.EncodeCSV(ds)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, cf := range files {
		if err := persist.WriteFileAtomic(filepath.Join(*out, cf.Name), func(w io.Writer) error {
			_, err := w.Write(cf.Data)
			return err
		}); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.stderr, "wrote %d files to %s\n", len(files), *out)
	return nil
}

// loadNetwork returns the network of a dataset file when one is given, else the configured
// store's, cut to asOf when it is not zero.
func loadNetwork(ctx context.Context, dataFile string, asOf int) (*graph.Network, func(), error) {
	var net *graph.Network
	closeStore := func() {}
	if dataFile != "" {
		ds, err := loadData(dataFile)
		if err != nil {
			return nil, nil, err
		}
		if net, err = graph.NewNetwork(ds); err != nil {
			return nil, nil, err
		}
	} else {
		store, _, closeFn, err := openStore(ctx, "")
		if err != nil {
			return nil, nil, err
		}
		closeStore = closeFn
		if net, err = store.Network(ctx); err != nil {
			closeStore()
			return nil, nil, err
		}
	}
	if asOf != 0 {
		if err := graph.CheckYear("--as-of", asOf); err != nil {
			closeStore()
			return nil, nil, usageError{err.Error()}
		}
		net = net.AsOf(asOf)
	}
	return net, closeStore, nil
}

// writeOutput writes to path atomically (persist.WriteFileAtomic), or to standard output when
// path is "" or "-".
func writeOutput(env *cli, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(env.stdout)
	}
	return persist.WriteFileAtomic(path, write)
}
