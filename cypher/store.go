package cypher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// BatchSize is the number of rows sent in one UNWIND statement.
const BatchSize = 5000

// Config holds the Neo4j connection settings.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
	// Timeout bounds each store call (DefaultCallTimeout when zero); LongTimeout bounds imports and
	// projections (DefaultLongTimeout when zero).
	Timeout     time.Duration
	LongTimeout time.Duration
}

// ConfigFromEnv reads NEO4J_URI, NEO4J_USERNAME (default neo4j), NEO4J_PASSWORD, NEO4J_DATABASE
// (default neo4j), and CHOKEPOINT_NEO4J_TIMEOUT and CHOKEPOINT_NEO4J_LONG_TIMEOUT (durations such as
// 10s; one that does not parse makes Open fail). ok is false when NEO4J_URI is unset.
func ConfigFromEnv() (cfg Config, ok bool) {
	cfg = Config{URI: os.Getenv("NEO4J_URI"), Username: os.Getenv("NEO4J_USERNAME"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE"),
		Timeout: envDuration("CHOKEPOINT_NEO4J_TIMEOUT"), LongTimeout: envDuration("CHOKEPOINT_NEO4J_LONG_TIMEOUT")}
	if cfg.Username == "" {
		cfg.Username = "neo4j"
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	return cfg, cfg.URI != ""
}

// ConfigFor is ConfigFromEnv for what cannot run without Neo4j (need says what, e.g. "import
// writes to Neo4j"). Errors: ENotImplemented without NEO4J_URI, as the HTTP API answers a report
// on a service without Neo4j.
func ConfigFor(need string) (Config, error) {
	cfg, ok := ConfigFromEnv()
	if !ok {
		return cfg, graph.Errorf(graph.ENotImplemented, `%s, and NEO4J_URI is not set: set NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD (and NEO4J_DATABASE), e.g. with eval "$(scripts/neo4j start)"`, need)
	}
	return cfg, nil
}

// envDuration reads a positive duration from the environment: 0 when unset, -1 when malformed.
func envDuration(name string) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return 0
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d
	}
	return -1
}

// Defaults of the per-call deadlines and of the circuit breaker.
const (
	// DefaultCallTimeout bounds one store call (a revision check, a readiness check): a Neo4j that
	// stops answering makes the call unavailable at this deadline instead of hanging.
	DefaultCallTimeout = 10 * time.Second
	// DefaultLongTimeout bounds the calls that move the whole network: an import, a projection.
	DefaultLongTimeout = 10 * time.Minute
	// DefaultCooldown is how long the store fails fast after finding Neo4j down before it lets one
	// call try again.
	DefaultCooldown = time.Second
)

// Store is the graph.Store backed by Neo4j, the system of record. It keeps the last projection
// and the database epoch and revision it was taken at; a cheap check of both decides whether to
// project again, so writes by other processes (chokepoint import, another service) are seen, and
// a wiped database, whose revision starts again, is not taken for the one projected.
//
// No lock is held across a round trip to Neo4j: reads of the cached projection take none, one
// projection runs at a time (readers that find one under way use the current projection), and
// imports take turns among themselves only. Once a call finds Neo4j unreachable, calls fail fast
// as unavailable until a probe finds it back (see Cooldown and Ready).
type Store struct {
	driver neo4j.DriverWithContext
	cfg    Config
	stmts  map[string]string

	// Progress, when set, is called after each batch of an import with rows done and the total:
	// the records' rows, then, once the validation has computed them, the control spans' too
	// (the total grows then, with a call before their first batch).
	Progress func(done, total int)
	// Cooldown is how long calls fail fast after Neo4j was found unreachable, before one call
	// tries it again (DefaultCooldown when zero). Ready always tries.
	Cooldown time.Duration

	snap      atomic.Pointer[snapshot]
	revisions revisionReads
	refresh   chan struct{} // a token: one projection at a time
	writes    chan struct{} // a token: one import at a time in this process
	breaker   breaker
}

// snapshot is a projection and the database epoch and revision it was taken at.
type snapshot struct {
	net      *graph.Network
	epoch    string
	revision int64
}

var _ graph.Store = (*Store)(nil)

// errStalled is the cause of a store call's own deadline.
var errStalled = errors.New("Neo4j did not answer within the call's deadline")

// Open connects to Neo4j, verifies connectivity and applies the schema (idempotent).
// Errors: EInvalid for a bad URI or timeout; EUnavailable when Neo4j cannot be reached or refuses
// the credentials.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Timeout < 0 || cfg.LongTimeout < 0 {
		return nil, graph.Errorf(graph.EInvalid, "the Neo4j timeouts must be positive durations (CHOKEPOINT_NEO4J_TIMEOUT, e.g. 10s)")
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultCallTimeout)
	cfg.LongTimeout = cmp.Or(cfg.LongTimeout, DefaultLongTimeout)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *config.Config) {
			// Fail fast while Neo4j is away: requests answer 503 in seconds, not after the
			// driver's default half minute of retries, and the next request tries again.
			c.MaxTransactionRetryTime = 5 * time.Second
			c.SocketConnectTimeout = 2 * time.Second
			c.ConnectionAcquisitionTimeout = 5 * time.Second
		})
	if err != nil {
		return nil, graph.Errorf(graph.EInvalid, "bad NEO4J_URI %q: %v", cfg.URI, err)
	}
	s := &Store{driver: driver, cfg: cfg, stmts: namedStatements("import.cypher"),
		refresh: make(chan struct{}, 1), writes: make(chan struct{}, 1)}
	s.revisions.read = s.readStamp
	err = s.call(ctx, cfg.Timeout, true, driver.VerifyConnectivity)
	if err == nil {
		// The schema's first application builds indexes over what is stored: as long as an import.
		err = s.call(ctx, cfg.LongTimeout, true, s.applySchema)
	}
	if err != nil {
		driver.Close(ctx)
		return nil, err
	}
	return s, nil
}

// applySchema applies the schema statements (idempotent).
func (s *Store) applySchema(ctx context.Context) error {
	for _, stmt := range schemaStatements() {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.cfg.Database)); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the driver.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Driver returns the store's driver, for the reports that share it.
func (s *Store) Driver() neo4j.DriverWithContext { return s.driver }

// Database returns the name of the database the store uses.
func (s *Store) Database() string { return s.cfg.Database }

// Ready implements graph.Store: Neo4j answers. It always tries, also while calls fail fast, and
// its success ends the failing fast.
func (s *Store) Ready(ctx context.Context) error {
	return s.call(ctx, s.cfg.Timeout, true, s.driver.VerifyConnectivity)
}

// call runs fn under a deadline of timeout (whose expiry means Neo4j stalled: EUnavailable),
// failing fast without running it while the breaker is open, unless probe is set. The outcome
// feeds the breaker. A ctx that ends first ends the call with ctx's error.
func (s *Store) call(ctx context.Context, timeout time.Duration, probe bool, fn func(context.Context) error) error {
	return s.callLimited(ctx, timeout, probe, 0, fn)
}

// callLimited is call for fn whose transaction Neo4j stops at txLimit (0: none set), which its
// error then names.
func (s *Store) callLimited(ctx context.Context, timeout time.Duration, probe bool, txLimit time.Duration, fn func(context.Context) error) error {
	trial, err := s.breaker.allow(probe)
	if err != nil {
		return err
	}
	if trial { // the first call after a cool-down: a quick check decides, not this call however long
		if err := s.call(ctx, s.cfg.Timeout, true, s.driver.VerifyConnectivity); err != nil {
			return err
		}
	}
	cctx, cancel := context.WithTimeoutCause(ctx, timeout, errStalled)
	defer cancel()
	err = fn(cctx)
	switch {
	case err == nil:
	case ctx.Err() != nil: // the caller gave up or ran out of time: says nothing about Neo4j
		s.breaker.abandon()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return s.wrap(ctx.Err(), 0)
		}
		return fmt.Errorf("neo4j: %w", ctx.Err())
	case errors.Is(context.Cause(cctx), errStalled):
		err = graph.Errorf(graph.EUnavailable, "Neo4j at %s did not answer within %s; retry later", s.cfg.URI, timeout)
	default:
		err = s.wrap(err, txLimit)
	}
	s.breaker.record(err, cmp.Or(s.Cooldown, DefaultCooldown))
	return err
}

// Network implements graph.Store: the cached projection when the stored epoch and revision have
// not moved, else a new one.
func (s *Store) Network(ctx context.Context) (*graph.Network, error) {
	snap, err := s.current(ctx, false)
	if err != nil {
		return nil, err
	}
	return snap.net, nil
}

// current checks the stored epoch and revision and returns the projection taken at them. When
// they moved and another caller is projecting, it returns the current projection unless wait is
// set or there is none, and else waits for its turn to project.
func (s *Store) current(ctx context.Context, wait bool) (*snapshot, error) {
	at, err := s.revisions.get(ctx)
	if err != nil {
		return nil, s.wrap(err, 0)
	}
	fresh := func() *snapshot {
		if snap := s.snap.Load(); snap != nil && snap.epoch == at.epoch && snap.revision == at.revision {
			return snap
		}
		return nil
	}
	if snap := fresh(); snap != nil {
		return snap, nil
	}
	select {
	case s.refresh <- struct{}{}:
	default:
		if snap := s.snap.Load(); snap != nil && !wait {
			return snap, nil // another caller is projecting: use what there is
		}
		select {
		case s.refresh <- struct{}{}:
		case <-ctx.Done():
			return nil, s.wrap(ctx.Err(), 0)
		}
	}
	defer func() { <-s.refresh }()
	if snap := fresh(); snap != nil { // projected while this one waited
		return snap, nil
	}
	var snap *snapshot
	err = s.call(ctx, s.cfg.LongTimeout, false, func(ctx context.Context) error {
		var err error
		snap, err = s.project(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.snap.Store(snap)
	return snap, nil
}

// readStamp reads the stored epoch and revision (see revisionReads, which shares each read
// between concurrent callers), under the store's per-call deadline.
func (s *Store) readStamp(ctx context.Context) (stamp, error) {
	var at stamp
	err := s.call(ctx, s.cfg.Timeout, false, func(ctx context.Context) error {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, s.stmts["revision"], nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
		if err == nil && len(res.Records) > 0 {
			at.revision, _ = res.Records[0].Values[0].(int64)
			at.epoch, _ = res.Records[0].Values[1].(string)
		}
		return err
	})
	return at, err
}

// project reads the stored graph back into a network, with the epoch and revision it was stored
// at, in one read transaction, which Neo4j stops at LongTimeout (as the call).
func (s *Store) project(ctx context.Context) (*snapshot, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	snap := &snapshot{}
	out, err := session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		ds := &graph.Dataset{}
		err := each(ctx, tx, s.stmts["revision"], func(r *neo4j.Record) error {
			snap.revision, _ = r.Values[0].(int64)
			snap.epoch, _ = r.Values[1].(string)
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = each(ctx, tx, s.stmts["project-commodities"], func(r *neo4j.Record) error {
			props, _ := r.Values[0].(map[string]any)
			ds.Commodities = append(ds.Commodities, commodityFromProps(props))
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = each(ctx, tx, s.stmts["project-nodes"], func(r *neo4j.Record) error {
			props, _ := r.Values[1].(map[string]any)
			ds.Nodes = append(ds.Nodes, nodeFromProps(graph.Kind(strings.ToLower(str(r.Values[0]))), props))
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = each(ctx, tx, s.stmts["project-edges"], func(r *neo4j.Record) error {
			props, _ := r.Values[3].(map[string]any)
			ds.Edges = append(ds.Edges, edgeFromProps(graph.EdgeKind(strings.ToLower(str(r.Values[0]))),
				str(r.Values[1]), str(r.Values[2]), props))
			return nil
		})
		return ds, err
	}, neo4j.WithTxTimeout(s.cfg.LongTimeout))
	if err != nil {
		return nil, err
	}
	net, err := graph.NewNetwork(out.(*graph.Dataset))
	if err != nil {
		var ge *graph.Error
		if errors.As(err, &ge) {
			return nil, &graph.Error{Code: graph.EConflict, Problems: ge.Problems,
				Message: "the graph stored in Neo4j is not a valid dataset (was it edited outside chokepoint?)"}
		}
		return nil, err
	}
	snap.net = net
	return snap, nil
}

func each(ctx context.Context, tx neo4j.ManagedTransaction, stmt string, fn func(*neo4j.Record) error) error {
	res, err := tx.Run(ctx, stmt, nil)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		if err := fn(res.Record()); err != nil {
			return err
		}
	}
	return res.Err()
}

// Import implements graph.Store: every row is written in one transaction, which commits only
// once the merged dataset is found valid, so a failure anywhere leaves Neo4j as it was. The
// validation runs while the rows are written; when it fails, its error is the answer, whatever
// else failed meanwhile. The control spans of the merged network (see controlBatches) follow
// the rows. The transaction first checks that the stored epoch and revision are
// those of the projection the import builds on, and every statement that the rows' MATCHes might
// cut short reports how many rows it wrote: fewer than sent means Neo4j does not hold what the
// import builds on (edited outside chokepoint), and the import fails with nothing written.
// Neo4j stops the transaction at the call's deadline, LongTimeout.
func (s *Store) Import(ctx context.Context, add *graph.Dataset) (graph.ImportResult, error) {
	select {
	case s.writes <- struct{}{}:
	case <-ctx.Done():
		return graph.ImportResult{}, s.wrap(ctx.Err(), 0)
	}
	defer func() { <-s.writes }()
	base, err := s.current(ctx, true)
	if err != nil {
		return graph.ImportResult{}, err
	}
	var net *graph.Network
	var spans [][]any
	var invalid error
	validated := make(chan struct{})
	go func() {
		defer close(validated)
		if net, invalid = graph.NewNetwork(graph.Merge(base.net.Dataset(), add)); invalid == nil {
			spans = ControlRows(net)
		}
	}()
	batches := importBatches(add, base.net)
	rows, stop := prepare(batches)
	defer stop()
	records := 0
	for _, b := range batches {
		records += b.n
	}
	var epoch string
	// The transaction's limit on the server is the call's own (not the server's default, which
	// scripts/neo4j sets to 2 minutes).
	err = s.callLimited(ctx, s.cfg.LongTimeout, false, s.cfg.LongTimeout, func(ctx context.Context) error {
		session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeWrite})
		defer session.Close(ctx)
		_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, s.stmts["lock"], nil)
			if err != nil {
				return nil, err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return nil, err
			}
			before, _ := rec.Values[0].(int64)
			epochBefore, _ := rec.Values[1].(string)
			if before != base.revision || epochBefore != base.epoch {
				return nil, graph.Errorf(graph.EConflict, "the network changed while this import was validated; retry")
			}
			epoch, _ = rec.Values[2].(string)
			elementIDs := make(map[string]string, len(add.Nodes)) // of the nodes written or looked up, by business id
			states := map[string]any{}                            // the state nodes' element ids by state code
			elementID := func(id any) any {
				if e, ok := elementIDs[id.(string)]; ok {
					return e
				}
				return nil // an unknown node, which the validation refuses
			}
			run := func(b batch, rows []any) error {
				if b.ends {
					sent := make([]any, len(rows))
					for i, r := range rows {
						row := slices.Clone(r.([]any))
						row[0], row[1] = elementID(row[0]), elementID(row[1])
						sent[i] = row
					}
					rows = sent
				}
				params := map[string]any{b.param: rows}
				if b.states {
					params["states"] = states
				}
				res, err := tx.Run(ctx, s.stmts[b.stmt], params)
				if err != nil {
					return err
				}
				rec, err := res.Single(ctx)
				if err != nil {
					return err
				}
				written, _ := rec.Values[0].(int64)
				var ids []any
				if b.node != nil {
					ids, _ = rec.Values[1].([]any)
				}
				if written != int64(b.want) || b.node != nil && len(ids) != b.n {
					return graph.Errorf(graph.EConflict, "Neo4j does not hold what this import builds on (%s wrote %d of %d rows): the stored graph was changed outside chokepoint; nothing was written, retry", b.stmt, written, b.want)
				}
				for i, id := range ids {
					node := b.node(b.lo + i)
					elementIDs[node], _ = id.(string)
					if code, ok := strings.CutPrefix(node, "state:"); ok {
						states[code] = id
					}
				}
				return nil
			}
			done, total := 0, records
			progress := func(rows int) {
				if done += rows; s.Progress != nil {
					s.Progress(done, total)
				}
			}
			for i, b := range batches {
				if err := run(b, rows(i)); err != nil {
					return nil, err
				}
				progress(b.n)
			}
			<-validated
			if invalid != nil {
				return nil, invalid
			}
			if len(base.net.Nodes()) > 0 { // spans stored before: rewritten whole
				if err := run(batch{part: part{stmt: "controls-clear", param: "rows"}, n: 1, want: 1}, []any{true}); err != nil {
					return nil, err
				}
			}
			controls := controlBatches(spans, elementIDs)
			if len(controls) > 0 {
				for _, b := range controls {
					total += b.n
				}
				progress(0)
			}
			for _, b := range controls {
				if err := run(b, b.rows()); err != nil {
					return nil, err
				}
				progress(b.n)
			}
			return nil, nil
		}, neo4j.WithTxTimeout(s.cfg.LongTimeout))
		return err
	})
	<-validated
	if invalid != nil {
		return graph.ImportResult{}, invalid
	}
	if err != nil {
		if graph.ErrorCode(err) == graph.EConflict {
			// Project again on the next call: what is cached does not match Neo4j.
			s.snap.CompareAndSwap(base, &snapshot{net: base.net, epoch: base.epoch, revision: -1})
		}
		return graph.ImportResult{}, err
	}
	s.snap.Store(&snapshot{net: net, epoch: epoch, revision: base.revision + 1})
	return graph.ImportResult{Commodities: len(add.Commodities), Nodes: len(add.Nodes), Edges: len(add.Edges),
		TotalNodes: len(net.Nodes()), TotalEdges: len(net.Edges())}, nil
}

// breaker fails calls fast once Neo4j was found unreachable: for a cool-down, then until one
// call (a probe) finds it back. Its lock is held only to read and set its fields.
type breaker struct {
	mu        sync.Mutex
	downUntil time.Time // zero: closed
	probing   bool      // a call is trying Neo4j after the cool-down
	last      error
}

// allow returns nil when a call may try Neo4j, else the error that found it down. A probe is
// always allowed. trial is set for the one call that finds the cool-down over: it must probe
// Neo4j first (its outcome recorded), the other calls failing fast meanwhile.
func (b *breaker) allow(probe bool) (trial bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.downUntil.IsZero() || probe:
		return false, nil
	case time.Now().Before(b.downUntil) || b.probing:
		return false, b.last
	}
	b.probing = true
	return true, nil
}

// record takes a call's outcome: unavailable opens the breaker for cooldown, anything else
// closes it.
func (b *breaker) record(err error, cooldown time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	if graph.ErrorCode(err) == graph.EUnavailable {
		b.last, b.downUntil = err, time.Now().Add(cooldown)
		return
	}
	b.downUntil = time.Time{}
}

// abandon takes a call that ended without an answer about Neo4j: a probe lets the next call try.
func (b *breaker) abandon() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
}

// part is the records one statement writes: n of them, row(i) builds the row of record i, and
// counts (nil: every record) says which records the statement reports written. node, when set,
// is the business id of the node record i writes or looks up: the statement returns the element
// ids of those nodes, in row order. ends marks rows of a relationship (an edge, a control span)
// whose first two values, the business ids of its ends, are sent as the ends' element ids.
// states marks a statement that links its nodes to their states by the states' element ids,
// which it takes by state code ($states).
type part struct {
	stmt, param string
	n           int
	row         func(i int) any
	counts      func(i int) bool
	node        func(i int) string
	ends        bool
	states      bool
}

// batch is records lo to lo+n-1 of a part, sent in one statement, and the count of rows it must
// report written (n, or fewer where a location link legitimately finds no state node).
type batch struct {
	part
	lo, n, want int
}

// batches cuts the part into batches of BatchSize.
func (p part) batches() []batch {
	var out []batch
	for lo := 0; lo < p.n; lo += BatchSize {
		b := batch{part: p, lo: lo, n: min(BatchSize, p.n-lo)}
		for i := lo; i < lo+b.n; i++ {
			if p.counts == nil || p.counts(i) {
				b.want++
			}
		}
		out = append(out, b)
	}
	return out
}

// rows builds the batch's rows.
func (b batch) rows() []any {
	out := make([]any, b.n)
	for i := range out {
		out[i] = b.row(b.lo + i)
	}
	return out
}

// prepareAhead is how many batches prepare builds ahead of the one being sent: enough that the
// next batch's rows are ready while Neo4j writes the one before, few enough that building every
// row does not take a core at the start of the import, when the validation takes another.
const prepareAhead = 2

// prepare builds the rows of batches in order in a goroutine of its own, at most prepareAhead
// batches ahead of the rows taken. rows(i) waits for batch i's rows; a later call (a retried
// transaction) builds them again, so that no row outlives its statement. The first calls must
// come in order of i, as the transaction sends the batches. stop ends the building.
func prepare(batches []batch) (rows func(i int) []any, stop func()) {
	ready := make([]chan []any, len(batches))
	for i := range ready {
		ready[i] = make(chan []any, 1)
	}
	credit := make(chan struct{}, prepareAhead)
	for range prepareAhead {
		credit <- struct{}{}
	}
	done := make(chan struct{})
	go func() {
		for i, b := range batches {
			select {
			case <-credit:
			case <-done:
				return
			}
			ready[i] <- b.rows()
		}
	}()
	taken := make([]bool, len(batches))
	rows = func(i int) []any {
		if taken[i] {
			return batches[i].rows()
		}
		taken[i] = true
		credit <- struct{}{}
		return <-ready[i]
	}
	return rows, func() { close(done) }
}

// importBatches turns a dataset into statements in dependency order: commodities, states, the
// stored states the new nodes are located in, the other nodes by kind, the stored nodes the new
// edges need, edges by kind, then the location links of stored nodes that changed. Nodes and
// edges that base (the stored network) does not hold are CREATEd, with their location links (to
// their state by its element id); the rest are MERGEd. Each batch must write one location
// link for each of its nodes whose state has a state node, in base or in ds. A node's row is its
// properties (NodeProperties); an edge's is the list [from, to, properties] (EdgeProperties): a
// list, not a map, so that the planner sees no property read that the SET of the properties
// might conflict with (no Eager operator).
func importBatches(ds *graph.Dataset, base *graph.Network) []batch {
	var out []batch
	// The nodes base does not hold (CREATEd) and those it holds (MERGEd), by kind.
	created, merged := map[graph.Kind][]*graph.Node{}, map[graph.Kind][]*graph.Node{}
	dsState := map[string]bool{} // state codes with a state node in ds
	for i := range ds.Nodes {
		n := &ds.Nodes[i]
		if base.Node(n.ID) == nil {
			created[n.Kind] = append(created[n.Kind], n)
		} else {
			merged[n.Kind] = append(merged[n.Kind], n)
		}
		if n.Kind == graph.State {
			dsState[strings.TrimPrefix(n.ID, "state:")] = true
		}
	}
	hasState := map[string]bool{} // state codes with a state node in ds or base, as asked
	located := func(n *graph.Node) bool {
		if _, known := hasState[n.State]; !known {
			hasState[n.State] = dsState[n.State] || base.Node(graph.StateID(n.State)) != nil
		}
		return hasState[n.State]
	}
	linked := []graph.Kind{graph.Mine, graph.Refinery, graph.Firm} // the kinds with a location link
	// The stored state nodes that ds does not rewrite and new nodes are located in: looked up
	// before the nodes' statements, which link to them by element id.
	var storedStates []string
	asked := map[string]bool{}
	for _, k := range linked {
		for _, n := range created[k] {
			if !dsState[n.State] && !asked[n.State] && located(n) {
				asked[n.State] = true
				storedStates = append(storedStates, graph.StateID(n.State))
			}
		}
	}
	out = append(out, part{stmt: "commodities", param: "rows", n: len(ds.Commodities),
		row: func(i int) any { return CommodityProperties(&ds.Commodities[i]) }}.batches()...)
	var relocate []*graph.Node
	var newStates []string
	for _, k := range []graph.Kind{graph.State, graph.Mine, graph.Refinery, graph.Firm, graph.Coalition} {
		created, merged := created[k], merged[k]
		var createdLocated func(i int) bool
		if slices.Contains(linked, k) { // else no location link to write
			createdLocated = func(i int) bool { return located(created[i]) }
			relocate = append(relocate, merged...)
		}
		out = append(out, part{stmt: "create-" + labelStatement[k], param: "rows", n: len(created), counts: createdLocated,
			row: func(i int) any { return NodeProperties(created[i]) }, node: func(i int) string { return created[i].ID },
			states: createdLocated != nil}.batches()...)
		out = append(out, part{stmt: labelStatement[k], param: "rows", n: len(merged),
			row: func(i int) any { return NodeProperties(merged[i]) }, node: func(i int) string { return merged[i].ID }}.batches()...)
		if k == graph.State {
			if len(base.Nodes()) > 0 {
				for _, n := range created {
					newStates = append(newStates, strings.TrimPrefix(n.ID, "state:"))
				}
			}
			out = append(out, part{stmt: "node-ids", param: "ids", n: len(storedStates),
				row: func(i int) any { return storedStates[i] }, node: func(i int) string { return storedStates[i] }}.batches()...)
		}
	}
	var kept []string // the stored nodes at an end of an edge of ds that ds does not rewrite
	if len(base.Nodes()) > 0 {
		written := make(map[string]bool, len(ds.Nodes))
		for i := range ds.Nodes {
			written[ds.Nodes[i].ID] = true
		}
		for i := range ds.Edges {
			for _, id := range []string{ds.Edges[i].From, ds.Edges[i].To} {
				if !written[id] && base.Node(id) != nil {
					written[id] = true
					kept = append(kept, id)
				}
			}
		}
	}
	out = append(out, part{stmt: "node-ids", param: "ids", n: len(kept),
		row: func(i int) any { return kept[i] }, node: func(i int) string { return kept[i] }}.batches()...)
	stored := make(map[graph.EdgeKey]bool, len(base.Edges()))
	for i := range base.Edges() {
		stored[base.Edges()[i].Key()] = true
	}
	byEdgeKind := map[graph.EdgeKind][]*graph.Edge{}
	for i := range ds.Edges {
		byEdgeKind[ds.Edges[i].Kind] = append(byEdgeKind[ds.Edges[i].Kind], &ds.Edges[i])
	}
	for _, k := range graph.EdgeKinds() {
		var created, merged []*graph.Edge
		for _, e := range byEdgeKind[k] {
			if stored[e.Key()] {
				merged = append(merged, e)
			} else {
				created = append(created, e)
			}
		}
		out = append(out, part{stmt: "create-" + string(k), param: "rows", n: len(created), ends: true,
			row: func(i int) any { return edgeRow(created[i]) }}.batches()...)
		out = append(out, part{stmt: string(k), param: "rows", n: len(merged), ends: true,
			row: func(i int) any { return edgeRow(merged[i]) }}.batches()...)
	}
	out = append(out, part{stmt: "locate", param: "ids", n: len(relocate), row: func(i int) any { return relocate[i].ID },
		counts: func(i int) bool { return located(relocate[i]) }}.batches()...)
	out = append(out, part{stmt: "locate-states", param: "codes", n: len(newStates),
		row: func(i int) any { return newStates[i] }}.batches()...)
	return out
}

// edgeRow is an edge's row in the edge statements: from, to and its properties.
func edgeRow(e *graph.Edge) []any { return []any{e.From, e.To, EdgeProperties(e)} }

// controlBatches writes the control spans rows (ControlRows) with their ends by element id, after
// looking up the ends whose element id the import has not learnt yet (known: by business id, from
// the statements before). A first import has written every end already.
func controlBatches(rows [][]any, known map[string]string) []batch {
	var missing []string
	asked := map[string]bool{}
	for _, r := range rows {
		for _, end := range r[:2] {
			if id := end.(string); known[id] == "" && !asked[id] {
				asked[id] = true
				missing = append(missing, id)
			}
		}
	}
	out := part{stmt: "node-ids", param: "ids", n: len(missing),
		row: func(i int) any { return missing[i] }, node: func(i int) string { return missing[i] }}.batches()
	return append(out, part{stmt: "controls", param: "rows", n: len(rows), ends: true,
		row: func(i int) any { return rows[i] }}.batches()...)
}

// ControlRows returns the control spans Store.Import writes for the network net: those of
// graph.ControlSpans whose state has a node, each as the row of its controls statement: the ids
// of the entity's node and of the state's node, the share, since and until (the last two nil
// when open).
func ControlRows(net *graph.Network) [][]any {
	spans := graph.ControlSpans(net)
	rows := make([][]any, 0, len(spans))
	states := map[string]any{} // by state code: its node's id, nil when it has none
	for _, c := range spans {
		state, seen := states[c.State]
		if !seen {
			if id := graph.StateID(c.State); net.Node(id) != nil {
				state = id
			}
			states[c.State] = state
		}
		if state == nil {
			continue
		}
		row := []any{c.Entity, state, c.Share, nil, nil}
		if c.Since != 0 {
			row[3] = int64(c.Since)
		}
		if c.Until != 0 {
			row[4] = int64(c.Until)
		}
		rows = append(rows, row)
	}
	return rows
}

// ImportStatement is one statement of an import (its name in import.cypher) and the rows it
// writes, all its batches together. Node and Edge name the kind of record it writes, if any.
type ImportStatement struct {
	Name string
	Node graph.Kind
	Edge graph.EdgeKind
	Rows int
}

// ImportStatements returns the statements Store.Import runs to import ds into an empty database,
// in the order it runs them, with their rows (statements without rows left out): the order in
// which Progress counts rows, the records' statements, then controls (ControlRows). It is
// computed by the import's own planning, so a tool that mirrors the import (cmd/benchimport)
// follows it and cannot drift from it.
// Errors: EInvalid (ds is not a valid dataset).
func ImportStatements(ds *graph.Dataset) ([]ImportStatement, error) {
	empty, err := graph.NewNetwork(&graph.Dataset{})
	if err != nil {
		return nil, err
	}
	net, err := graph.NewNetwork(ds)
	if err != nil {
		return nil, err
	}
	var out []ImportStatement
	for _, b := range importBatches(ds, empty) {
		if n := len(out); n > 0 && out[n-1].Name == b.stmt {
			out[n-1].Rows += b.n
			continue
		}
		st := ImportStatement{Name: b.stmt, Rows: b.n}
		for k, name := range labelStatement {
			if b.stmt == "create-"+name || b.stmt == name {
				st.Node = k
			}
		}
		for _, k := range graph.EdgeKinds() {
			if b.stmt == "create-"+string(k) || b.stmt == string(k) {
				st.Edge = k
			}
		}
		out = append(out, st)
	}
	if n := len(ControlRows(net)); n > 0 {
		out = append(out, ImportStatement{Name: "controls", Rows: n})
	}
	return out, nil
}

var labelStatement = map[graph.Kind]string{graph.Mine: "mines", graph.Refinery: "refineries", graph.Firm: "firms",
	graph.State: "states", graph.Coalition: "coalitions"}

// NodeProperties returns a node's properties as stored: the fields by their JSON names (zero
// values left out), capacities as cap_<commodity> with dashes turned into underscores, and extra
// keys as they are (validation keeps them apart).
func NodeProperties(n *graph.Node) map[string]any {
	p := map[string]any{"id": n.ID, "name": n.Name}
	setNonZero(p, "state", n.State)
	setNonZero(p, "stage", string(n.Stage))
	setNonZero(p, "status", string(n.Status))
	setNonZero(p, "source", n.Source)
	setNonZero(p, "since", int64(n.Since))
	setNonZero(p, "until", int64(n.Until))
	setNonZero(p, "as_of", int64(n.AsOf))
	for c, v := range n.Capacity {
		p[CapacityProperty(c)] = v
	}
	for c, b := range n.CapacityBasis {
		p["basis_"+propertyName(c)] = string(b)
	}
	for c, series := range n.Output {
		for y, v := range series {
			p["out_"+propertyName(c)+"_"+strconv.Itoa(y)] = v
		}
	}
	for c, b := range n.OutputBasis {
		p["outbasis_"+propertyName(c)] = string(b)
	}
	for prefix, m := range map[string]map[string]graph.Series{"stock_": n.Stock, "stockdays_": n.StockDays} {
		for c, series := range m {
			for y, v := range series {
				p[prefix+propertyName(c)+"_"+strconv.Itoa(y)] = v
			}
		}
	}
	for k, v := range n.Extra {
		p[k] = v
	}
	return p
}

// CapacityProperty returns the node property that holds the capacity for a commodity:
// ndpr-oxide → cap_ndpr_oxide.
func CapacityProperty(commodity string) string { return "cap_" + propertyName(commodity) }

// propertyName turns a commodity id into a property-name part: dashes become underscores.
func propertyName(commodity string) string { return strings.ReplaceAll(commodity, "-", "_") }

// commodityOf turns a property-name part back into a commodity id.
func commodityOf(part string) string { return strings.ReplaceAll(part, "_", "-") }

// yearSuffixed splits "name_2010" into name and year.
func yearSuffixed(k string) (string, int, bool) {
	i := strings.LastIndexByte(k, '_')
	if i < 0 {
		return "", 0, false
	}
	y, err := strconv.Atoi(k[i+1:])
	return k[:i], y, err == nil
}

// yearlyField returns the node's by-product yearly figures that property k belongs to (out_,
// stock_ or stockdays_), created if needed, and the rest of k; nil when k is none of them.
func yearlyField(n *graph.Node, k string) (*map[string]graph.Series, string) {
	for _, f := range []struct {
		prefix string
		m      *map[string]graph.Series
	}{{"out_", &n.Output}, {"stock_", &n.Stock}, {"stockdays_", &n.StockDays}} {
		if rest, ok := strings.CutPrefix(k, f.prefix); ok {
			if *f.m == nil {
				*f.m = map[string]graph.Series{}
			}
			return f.m, rest
		}
	}
	return nil, ""
}

// CommodityProperties returns a commodity's properties as stored: the fields by their JSON names
// (zero values left out) and each yearly price as price_<year>.
func CommodityProperties(c *graph.Commodity) map[string]any {
	p := map[string]any{"id": c.ID, "name": c.Name, "family": c.Family, "stage": string(c.Stage)}
	if c.FamilyFactor != 0 {
		p["family_factor"] = c.FamilyFactor
	}
	setNonZero(p, "price_source", c.PriceSource)
	for y, v := range c.PriceUSDPerT {
		p["price_"+strconv.Itoa(y)] = v
	}
	if c.RecyclingRate != nil {
		p["recycling_rate"] = *c.RecyclingRate
	}
	return p
}

func commodityFromProps(p map[string]any) graph.Commodity {
	c := graph.Commodity{ID: str(p["id"]), Name: str(p["name"]), Family: str(p["family"]),
		Stage: graph.Stage(str(p["stage"])), PriceSource: str(p["price_source"])}
	if v, ok := p["family_factor"]; ok {
		c.FamilyFactor = num(v)
	}
	if v, ok := p["recycling_rate"]; ok {
		r := num(v)
		c.RecyclingRate = &r
	}
	c.PriceUSDPerT = seriesFromProps(p, "price")
	return c
}

// seriesFromProps gathers the properties name_<year> into a series; nil when there are none.
func seriesFromProps(p map[string]any, name string) graph.Series {
	var s graph.Series
	for k, v := range p {
		if n, y, ok := yearSuffixed(k); ok && n == name {
			if s == nil {
				s = graph.Series{}
			}
			s[y] = num(v)
		}
	}
	return s
}

func nodeFromProps(kind graph.Kind, p map[string]any) graph.Node {
	n := graph.Node{Kind: kind}
	for k, v := range p {
		switch k {
		case "id":
			n.ID = str(v)
		case "name":
			n.Name = str(v)
		case "state":
			n.State = str(v)
		case "stage":
			n.Stage = graph.Stage(str(v))
		case "status":
			n.Status = graph.Status(str(v))
		case "source":
			n.Source = str(v)
		case "since":
			n.Since = year(v)
		case "until":
			n.Until = year(v)
		case "as_of":
			n.AsOf = year(v)
		default:
			if c, ok := strings.CutPrefix(k, "cap_"); ok {
				if n.Capacity == nil {
					n.Capacity = map[string]float64{}
				}
				n.Capacity[commodityOf(c)] = num(v)
				continue
			}
			if c, ok := strings.CutPrefix(k, "basis_"); ok {
				if n.CapacityBasis == nil {
					n.CapacityBasis = map[string]graph.Basis{}
				}
				n.CapacityBasis[commodityOf(c)] = graph.Basis(str(v))
				continue
			}
			if c, ok := strings.CutPrefix(k, "outbasis_"); ok {
				if n.OutputBasis == nil {
					n.OutputBasis = map[string]graph.Basis{}
				}
				n.OutputBasis[commodityOf(c)] = graph.Basis(str(v))
				continue
			}
			if series, rest := yearlyField(&n, k); series != nil {
				if c, y, ok := yearSuffixed(rest); ok {
					if (*series)[commodityOf(c)] == nil {
						(*series)[commodityOf(c)] = graph.Series{}
					}
					(*series)[commodityOf(c)][y] = num(v)
					continue
				}
			}
			if n.Extra == nil {
				n.Extra = map[string]any{}
			}
			if i, ok := v.(int64); ok {
				v = float64(i)
			}
			n.Extra[k] = v
		}
	}
	return n
}

// EdgeProperties returns an edge's relationship properties as stored, with its key
// (commodity|since, or instrument|since for a finances edge), which identifies it among the
// relationships of one type between two nodes.
func EdgeProperties(e *graph.Edge) map[string]any {
	k := e.Key()
	p := map[string]any{"key": k.What + "|" + strconv.Itoa(k.Since)}
	setNonZero(p, "commodity", e.Commodity)
	setNonZero(p, "measure", e.Measure)
	setNonZero(p, "source", e.Source)
	setNonZero(p, "since", int64(e.Since))
	setNonZero(p, "until", int64(e.Until))
	setNonZero(p, "as_of", int64(e.AsOf))
	if e.Share != nil {
		p["share"] = *e.Share
	}
	if e.VolumeTPA != nil {
		p["volume_tpa"] = *e.VolumeTPA
	}
	setNonZero(p, "volume_basis", string(e.VolumeBasis))
	setNonZero(p, "note", e.Note)
	setNonZero(p, "control", string(e.Control))
	setNonZero(p, "instrument", string(e.Instrument))
	setNonZero(p, "currency", e.Currency)
	for k, v := range map[string]*float64{"pass_share": e.PassShare, "amount": e.Amount, "amount_usd": e.AmountUSD} {
		if v != nil {
			p[k] = *v
		}
	}
	for y, v := range e.VolumeByYear {
		p["volume_"+strconv.Itoa(y)] = v
	}
	return p
}

func edgeFromProps(kind graph.EdgeKind, from, to string, p map[string]any) graph.Edge {
	e := graph.Edge{Kind: kind, From: from, To: to, Commodity: str(p["commodity"]), Measure: str(p["measure"]),
		Source: str(p["source"]), Since: year(p["since"]), Until: year(p["until"]), AsOf: year(p["as_of"])}
	if v, ok := p["share"]; ok {
		f := num(v)
		e.Share = &f
	}
	if v, ok := p["volume_tpa"]; ok {
		f := num(v)
		e.VolumeTPA = &f
	}
	e.VolumeBasis, e.Note = graph.Basis(str(p["volume_basis"])), str(p["note"])
	e.Control, e.Instrument, e.Currency = graph.Measure(str(p["control"])), graph.Instrument(str(p["instrument"])), str(p["currency"])
	for k, f := range map[string]**float64{"pass_share": &e.PassShare, "amount": &e.Amount, "amount_usd": &e.AmountUSD} {
		if v, ok := p[k]; ok {
			x := num(v)
			*f = &x
		}
	}
	e.VolumeByYear = seriesFromProps(p, "volume")
	return e
}

func setNonZero[T comparable](p map[string]any, key string, v T) {
	var zero T
	if v != zero {
		p[key] = v
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func year(v any) int {
	i, _ := v.(int64)
	return int(i)
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}

// wrap is the one mapping of driver errors to graph.Errors, where users can act on them: a
// stalled or refused Neo4j, a transaction stopped at its time limit (txLimit, named when not 0),
// one out of memory, and a query its author can fix (isQueryError); other errors are wrapped as
// internal.
func (s *Store) wrap(err error, txLimit time.Duration) error {
	var ge *graph.Error
	ne := serverError(err)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ge):
		return ge
	case errors.Is(err, context.DeadlineExceeded):
		return graph.Errorf(graph.ETimeout, "Neo4j did not answer in time")
	case ne != nil && ne.IsAuthenticationFailed():
		return graph.Errorf(graph.EUnavailable, "Neo4j at %s refused the credentials (check NEO4J_USERNAME and NEO4J_PASSWORD)", s.cfg.URI)
	case ne != nil && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut") && txLimit > 0:
		return graph.Errorf(graph.ETimeout, "the query was stopped at its time limit of %s", txLimit)
	case ne != nil && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
		return graph.Errorf(graph.ETimeout, "the query was stopped at its time limit")
	case ne != nil && isQueryError(ne.Code):
		return queryError(ne.Code, ne.Msg)
	case ne != nil && ne.Code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError":
		return graph.Errorf(graph.ETooLarge, "the transaction needs more memory than Neo4j allows it (dbms.memory.transaction.total.max, 70%% of the heap by default): give Neo4j a larger heap, or import the dataset in parts")
	case neo4j.IsConnectivityError(err) || neo4j.IsTransactionExecutionLimit(err):
		return graph.Errorf(graph.EUnavailable, "Neo4j at %s is unreachable; retry later", s.cfg.URI)
	}
	return fmt.Errorf("neo4j: %w", err)
}

// serverError returns the Neo4j server error behind err, also when the driver gave up retrying
// (its TransactionExecutionLimit keeps the attempts' errors without wrapping them), or nil.
func serverError(err error) *neo4j.Neo4jError {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return ne
	}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return serverError(limit.Errors[len(limit.Errors)-1])
	}
	return nil
}
