package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"strings"
	"time"

	"github.com/chokepoint/chokepoint/api"
	"github.com/chokepoint/chokepoint/cypher"
	"github.com/chokepoint/chokepoint/graph/render"
)

// shutdownGrace is how long serve waits at SIGTERM for requests in flight: longer than the longest
// a request may run (a Cypher report at its time limit, or a layout at its deadline after waiting
// as long for a slot), so that none of them gets an empty reply.
const shutdownGrace = max(cypher.DefaultTimeout, 2*render.DefaultTimeout) + 5*time.Second

func runServe(ctx context.Context, env *cli, args []string) error {
	fs := newFlags("serve", env)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dataFile := fs.String("data", "", "dataset to serve on the embedded store (default: the bundled dataset); with Neo4j, a dataset to import at start ('bundled' for the bundled one)")
	apiKey := fs.String("api-key", "", "a write key: guards imports, scenario writes and ad-hoc Cypher (better set as CHOKEPOINT_API_KEY)")
	apiKeys := fs.String("api-keys", "", "API keys and their scopes, KEY:read or KEY:write, comma-separated (better set as CHOKEPOINT_API_KEYS); with a read key, reads need a key too")
	apiKeysFile := fs.String("api-keys-file", "", "file of API keys, one KEY:read or KEY:write a line, # comments (- reads standard input)")
	scenarioDir := fs.String("scenario-dir", "", "on the embedded store, keep saved scenarios as JSON files in this directory (default: in memory; on Neo4j they are kept in Neo4j)")
	reportsDir := fs.String("reports-dir", "", "directory of your own *.cypher reports, listed beside the built-in ones")
	trustedProxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDRs of proxies whose X-Forwarded-For names the client in access logs (default: none)")
	corsOrigins := fs.String("cors-origins", "", "comma-separated origins (scheme://host[:port], exact match) whose browser scripts may call the API (default: none, CORS off)")
	rateLimit := fs.String("rate-limit", "", "requests a client (address) may make, N/s or N/m, with bursts of --rate-burst; over it, 429 (default: no limit; the probes, /metrics and the web page's files are exempt)")
	rateBurst := fs.Int("rate-burst", 0, "requests a client may make at once under --rate-limit (default: a second's worth, at least 1)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error (the probes and /metrics are logged at debug)")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", rest[0])}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError{fmt.Sprintf("--log-level: %v", err)}
	}
	var proxies []string
	for _, p := range strings.Split(*trustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return usageError{fmt.Sprintf("--trusted-proxies: %q is neither an IP address nor a CIDR", p)}
		}
		proxies = append(proxies, p)
	}
	keys, err := api.ParseAPIKeys(*apiKeys)
	if err != nil {
		return usageError{fmt.Sprintf("--api-keys: %v", err)}
	}
	if *apiKeysFile != "" {
		fileKeys, err := readAPIKeysFile(*apiKeysFile)
		if err != nil {
			return usageError{fmt.Sprintf("--api-keys-file: %v", err)}
		}
		keys = append(keys, fileKeys...)
	}
	origins, err := api.ParseOrigins(*corsOrigins)
	if err != nil {
		return usageError{fmt.Sprintf("--cors-origins: %v", err)}
	}
	var limiter *api.RateLimiter
	if *rateLimit != "" {
		rate, err := api.ParseRate(*rateLimit)
		if err != nil {
			return usageError{fmt.Sprintf("--rate-limit: %v", err)}
		}
		burst := *rateBurst
		if burst == 0 {
			burst = max(1, int(math.Ceil(rate)))
		} else if burst < 0 {
			return usageError{"--rate-burst: must be at least 1"}
		}
		limiter = api.NewRateLimiter(rate, burst, nil)
	}
	if _, onNeo4j := cypher.ConfigFromEnv(); onNeo4j && *scenarioDir != "" {
		return usageError{"--scenario-dir is for the embedded store: on Neo4j saved scenarios are kept in Neo4j, shared by every instance"}
	}
	logger := slog.New(slog.NewJSONHandler(env.stderr, &slog.HandlerOptions{Level: level}))
	store, neo, closeStore, err := openStore(ctx, *dataFile)
	if err != nil {
		return err
	}
	defer closeStore()
	srv := api.NewServer(store)
	srv.APIKey, srv.APIKeys, srv.Logger, srv.Version, srv.ScenarioDir = *apiKey, keys, logger, version, *scenarioDir
	warmed := make(chan struct{})
	srv.Layout, srv.LayoutSlots, srv.TrustedProxies = layoutProcesses, layoutPool.slotsInUse, proxies
	srv.Warmed = func() bool { return closed(warmed) } // /readyz answers 503 until then
	layoutPool.prestart(logger)
	srv.CORSOrigins, srv.RateLimiter = origins, limiter
	// Report list and show need no database; running one does (501 without it).
	srv.Reports = cypher.NewReports(neo, *reportsDir)
	if *scenarioDir != "" {
		if err := os.MkdirAll(*scenarioDir, 0o755); err != nil {
			return err
		}
	}
	if neo != nil {
		srv.Scenarios = neo.Scenarios()
		if *dataFile != "" {
			ds, err := loadData(*dataFile)
			if err != nil {
				return err
			}
			res, err := neo.Import(ctx, ds)
			if err != nil {
				return err
			}
			logger.Info("imported", "file", *dataFile, "nodes", res.Nodes, "edges", res.Edges)
		}
	}
	if err := srv.Open(*addr); err != nil {
		return err
	}
	go func() {
		defer close(warmed)
		<-layoutPool.warmed
		begun := time.Now()
		if err := srv.Warm(ctx); err != nil {
			logger.Warn("warm-up: the web page's first picture is not drawn ahead", "err", err)
			return
		}
		logger.Info("web page's first picture drawn ahead", "ms", time.Since(begun).Milliseconds())
	}()
	storeName := "embedded store"
	if neo != nil {
		storeName = "Neo4j at " + os.Getenv("NEO4J_URI")
	}
	fmt.Fprintf(env.stdout, "chokepoint %s listening on http://%s (%s)\n", version, srv.Addr(), storeName)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return srv.Close(shutdown)
}

// readAPIKeysFile reads the keys of --api-keys-file.
func readAPIKeysFile(name string) ([]api.APIKey, error) {
	f, err := openInput(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return api.ReadAPIKeys(f)
}
