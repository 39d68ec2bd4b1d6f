#!/usr/bin/env python3
"""Time graph/algo against NetworkX and python-igraph: centrality, PageRank at equal accuracy, max
flow, flow chokepoints, dominators and k shortest paths.

For each graph family (default all three) and size (default 1k, 10k, 100k nodes) this makes the
family's graph with the sink's node capacity lifted (so that the maximum flow is bounded by the
network, not by the sink, and removing a node can lower it), writes it to a temporary JSON file and
times, on the same graph, the measures below. The families (scripts/supplynet.py):

  supply      supplynet.layered: mines -> processing stages -> consumers, layers shrinking
              downstream, skip arcs and 1% recycling arcs upstream (so not acyclic);
  dag         supplynet.dag: a layered DAG, 10 equal layers, arcs to the next three layers, the last
              layer feeding one consumer;
  scale-free  supplynet.hub(unbounded=0): directed preferential attachment (in-degrees follow a
              power law), 20% of the nodes sources, the sink the oldest hub, every arc bounded.

The measures:

  betweenness  engine; nx.betweenness_centrality(normalized=True); igraph betweenness(directed)
  closeness    engine; nx.closeness_centrality; igraph closeness(mode="in")
  pagerank     at NetworkX's default accuracy, tol 1e-6 (L1 change of the last step < n*tol):
               engine PageRankGS and nx.pagerank(alpha=0.85), same criterion (igraph has no
               tolerance to set, so it appears in the next row only);
  pagerank     at igraph's accuracy: igraph's PRPACK solver stops at an absolute L1 change of 1e-10;
  @1e-10       the engine runs with tol 1e-10/n (the same absolute 1e-10) and NetworkX with
               tol=1e-10/n too; each side's L1 distance to a reference vector (the engine's power
               iteration, NetworkX's algorithm, run to a change of 1e-13) is printed, so the
               accuracy each side reached is on record, not assumed;
  maxflow      engine MaxFlow; nx.maximum_flow_value and igraph maxflow_value on the node-split
               network (super source, v_in -> v_out with the node capacity);
  chokepoints  the flow chokepoints: the loss of max flow when each node is removed, top 10 and
               all. Engine: NodeRemoval.TopLosses (one max flow, then cancel and re-augment per
               candidate). NetworkX (in the "all" row): one fresh max flow per node that carries
               flow, the definition (NetworkX has no faster method); the losses are cross-checked.
  chokepoints-brute  the engine doing the same brute force (the method before NodeRemoval).
  dominators   the immediate dominators from a super source S (a new node with an arc to every
               source): engine ImmediateDominators; nx.immediate_dominators; igraph
               Graph.dominator(S, mode="out"); the three trees are compared node by node.
  routes       the k = 10 shortest simple paths from S to the sink, length the sum of the arcs'
               costs (S's arcs cost 0, parallel arcs count as their cheapest): engine
               KShortestPaths; the first 10 of nx.shortest_simple_paths(weight="cost"); igraph
               get_k_shortest_paths(weights); the three lists of lengths are compared (equal-length
               paths may come in another order, so the paths themselves are not).

Every side gets one untimed warm-up call, then --repeat timed calls (default 3; min and median
reported); graph construction and file reading are never timed. The engine runs as a subprocess
(graph/algo/internal/benchcmd, built once) twice: with GOMAXPROCS=1 and with the default
(all cores); NetworkX and igraph are single-threaded here (igraph's OpenMP held to one thread by
OMP_NUM_THREADS=1; the script prints the cores and thread settings). A run predicted from the previous size to exceed --budget seconds is skipped (the
engine's chokepoints-top10 is predicted as this size's max flow times its multiple of the max
flow at the previous size), so is NetworkX's brute force when its max flow time, times the nodes
the engine ranks, exceeds it, and a NetworkX or igraph run whose warm-up call alone exceeds it is
not repeated (the cell gives the warm-up's time). Prints one Markdown table per family on stdout, progress and cross-checks on
stderr. Times are wall clock.

Needs: go, pip install -r scripts/requirements.txt (networkx, igraph, scipy).
Usage: python3 scripts/bench_centrality.py [--families supply dag scale-free]
       [--sizes 1000 10000 100000] [--seed 1] [--budget 120] [--repeat 3] [--measures ...]
       [--sides engine engine-1 networkx igraph]
"""
import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

# igraph's PRPACK runs components over 512 nodes on OpenMP threads: held to one thread here, as
# the tables say (set before igraph's libgomp starts). The engine's threads are the columns.
os.environ["OMP_NUM_THREADS"] = "1"

import networkx as nx  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import supplynet  # noqa: E402

try:
    import igraph as ig
except ImportError:  # the table then shows "n/a" for igraph
    ig = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEASURES = ["betweenness", "closeness", "pagerank", "pagerank@1e-10", "maxflow",
            "chokepoints-top10", "chokepoints-all", "chokepoints-brute", "dominators", "routes"]
FAMILIES = {"supply": supplynet.layered, "dag": supplynet.dag,
            # Every arc bounded: a source next to the hub would otherwise make the max flow infinite.
            "scale-free": lambda n, seed: supplynet.hub(n, seed, unbounded=0)}
K = 10  # paths in the routes measure
SIDES = ["engine", "engine-1", "networkx", "igraph"]
ALPHA = 0.85
PRPACK_TOL = 1e-10  # igraph's PRPACK call: solve(damping, 1e-10, ...)
REF_CHANGE = 1e-13  # the reference PageRank: power iteration to an L1 change under this


def timed(fn, repeat, budget):
    """One untimed warm-up call, then repeat timed calls: (times, last result, warm-up seconds).
    times is None when the warm-up alone took longer than budget (then nothing is repeated)."""
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    if first > budget:
        return None, result, first
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result, first


def engine(binary, path, measure, threads, repeat, extra=(), values=None):
    """Runs benchcmd; returns its JSON (times, min, median, ...)."""
    cmd = [binary, "-measure", measure, "-warmup", "1", "-repeat", str(repeat), *extra]
    if values:
        cmd += ["-values", values]
    env = dict(os.environ)
    if threads:
        env["GOMAXPROCS"] = str(threads)
    else:
        env.pop("GOMAXPROCS", None)
    out = subprocess.run(cmd + [path], check=True, stdout=subprocess.PIPE, text=True, env=env).stdout
    return json.loads(out)


def split_network(graph):
    """The node-split flow network as (edges, capacities, S, T) on integer vertices; None = unbounded.
    v_in = 2v, v_out = 2v+1, S = 2n, T = sink_out; parallel arcs summed (unbounded if any is)."""
    n = graph["n"]
    caps = {}
    for u, v, cap, _ in graph["arcs"]:
        key = (2 * u + 1, 2 * v)
        if key in caps:
            caps[key] = None if caps[key] is None or cap is None else caps[key] + cap
        else:
            caps[key] = cap
    for v in range(n):
        caps[(2 * v, 2 * v + 1)] = graph["node_cap"][v]
    for s in graph["sources"]:
        caps[(2 * n, 2 * s)] = None
    return list(caps.items()), 2 * n, 2 * graph["sink"] + 1


def nx_flow_graph(graph):
    edges, S, T = split_network(graph)
    F = nx.DiGraph()
    for (u, v), c in edges:
        if c is None:
            F.add_edge(u, v)
        else:
            F.add_edge(u, v, capacity=c)
    return F, S, T


def ig_flow_graph(graph):
    edges, S, T = split_network(graph)
    finite = sum(c for _, c in edges if c is not None)
    G = ig.Graph(n=2 * graph["n"] + 1, edges=[e for e, _ in edges], directed=True)
    return G, [finite + 1 if c is None else c for _, c in edges], S, T


def brute_losses(maxflow, graph):
    """Loss of each node carrying flow, by one fresh max flow each: [(node, loss)], loss > 1e-9."""
    base, flow_through, value_without = maxflow(graph)
    out = []
    for v in range(graph["n"]):
        if v == graph["sink"] or flow_through(v) <= 0:
            continue
        loss = base - value_without(v)
        if loss > 1e-9:
            out.append((v, loss))
    return out


def nx_brute(graph):
    F, S, T = nx_flow_graph(graph)
    base, flows = nx.maximum_flow(F, S, T)

    def without(v):
        saved = F[2 * v][2 * v + 1].get("capacity")
        F[2 * v][2 * v + 1]["capacity"] = 0
        try:
            return nx.maximum_flow_value(F, S, T)
        finally:
            if saved is None:
                del F[2 * v][2 * v + 1]["capacity"]
            else:
                F[2 * v][2 * v + 1]["capacity"] = saved
    return brute_losses(lambda g: (base, lambda v: flows[2 * v][2 * v + 1], without), graph)


def rank(losses, top):
    r = sorted(losses, key=lambda x: (-x[1], x[0]))
    return r[:top] if top else r


def predict(prev, measure, n, m):
    if prev is None:
        return None
    t, pn, pm = prev
    if measure.startswith("pagerank") or measure in ("maxflow", "dominators", "routes"):
        return t * m / pm
    return t * (n * m) / (pn * pm)  # betweenness, closeness, brute-force chokepoints


def fmt(x):
    if x is None:
        return "n/a"
    if isinstance(x, str):
        return x
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def cell(r):
    if r is None or isinstance(r, str):
        return fmt(r)
    return f"{fmt(r['min'])} / {fmt(r['median'])}"


def ratio(a, b):
    if isinstance(a, dict) and isinstance(b, dict) and b["min"] > 0:
        x = a["min"] / b["min"]
        return f"{x:.1f}" if x >= 10 else f"{x:.2g}"
    return "-"


def l1(a, b):
    return sum(abs(x - y) for x, y in zip(a, b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=120.0,
                    help="skip a run predicted to take longer than this many seconds")
    ap.add_argument("--repeat", type=int, default=3, help="timed calls per side (after one warm-up)")
    ap.add_argument("--measures", nargs="+", default=MEASURES, choices=MEASURES)
    ap.add_argument("--sides", nargs="+", default=SIDES, choices=SIDES,
                    help="which implementations to run (the others show as 'not run')")
    args = ap.parse_args()
    if args.repeat < 3:
        ap.error("--repeat must be at least 3")

    with tempfile.TemporaryDirectory(prefix="bench_centrality_") as tmp:
        bench(args, tmp, print_header, print_row)


def print_header(family):
    """Starts a family's table."""
    print(f"\n### {family}\n")
    print("| nodes | measure | engine s, all cores (min / median) | engine s, GOMAXPROCS=1 | "
          "NetworkX s | igraph s | NetworkX / engine | engine / igraph | engine 1 thread / igraph |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|", flush=True)


def print_row(n, measure, te, t1, tn, ti):
    """Prints one table row as soon as it is measured."""
    print(f"| {n:,} | {measure} | {cell(te)} | {cell(t1)} | {cell(tn)} | {cell(ti)} | "
          f"{ratio(tn, te)} | {ratio(te, ti)} | {ratio(t1, ti)} |", flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def bench(args, tmp, header, row):
    """Runs every family, size and measure, calling header(family) before a family and
    row(n, measure, engine, engine-1, networkx, igraph) after each measure, every time a dict
    {min, median, times} or a string saying why it is missing."""
    binary = os.path.join(tmp, "benchcmd")
    subprocess.run(["go", "build", "-o", binary, "./graph/algo/internal/benchcmd"], cwd=ROOT, check=True)
    log(f"# cores: {os.cpu_count()}; engine: GOMAXPROCS=1 and default ({os.cpu_count()}); "
        f"NetworkX {nx.__version__} (pure Python, one thread); "
        f"igraph {ig.__version__ if ig else 'missing'} (C core, OMP_NUM_THREADS=1: one thread); "
        f"load average {os.getloadavg()[0]:.2f}; repeats {args.repeat} after one warm-up each")

    for family in args.families:
        header(family)
        bench_family(args, tmp, binary, FAMILIES[family], row)
    log(f"# load average at the end {os.getloadavg()[0]:.2f}")


def stat(times):
    return {"min": min(times), "median": statistics.median(times), "times": times}


def super_graphs(graph):
    """The simple digraph with the super source S = n (an arc of cost 0 to every source), for
    dominators and routes, as NetworkX and igraph graphs with a "cost" on every arc (parallel arcs
    as their cheapest); self-loops dropped."""
    n = graph["n"]
    arcs = [(u, v, c) for u, v, _, c in graph["arcs"] if u != v] + [(n, s, 0) for s in graph["sources"]]
    G = nx.DiGraph()
    G.add_nodes_from(range(n + 1))
    for u, v, c in arcs:
        if not G.has_edge(u, v) or G[u][v]["cost"] > c:
            G.add_edge(u, v, cost=c)
    I = None
    if ig is not None:
        I = ig.Graph(n=n + 1, edges=[(u, v) for u, v, _ in arcs], directed=True, edge_attrs={"cost": [c for _, _, c in arcs]})
        I.simplify(multiple=True, loops=True, combine_edges="min")
    return G, I


def same_idoms(engine_idom, nx_idom, ig_idom, root):
    """Whether the three dominator trees agree: {v: idom} over the reachable nodes other than root."""
    e = {v: d for v, d in enumerate(engine_idom) if d >= 0 and v != root}
    x = {v: d for v, d in nx_idom.items() if v != root} if nx_idom is not None else e
    i = {v: int(d) for v, d in enumerate(ig_idom) if d == d and d >= 0} if ig_idom is not None else e
    return e == x == i, len(e)


def bench_family(args, tmp, binary, make, row):
    """Runs every size and measure of one family."""
    prev = {}  # (side, measure) -> (seconds, n, m) at the last size it ran
    per_flow = {}  # side -> its chokepoints-top10 time over its maxflow time at the last size
    for n in args.sizes:
        graph = make(n, args.seed)
        graph["node_cap"][graph["sink"]] = None
        path = os.path.join(tmp, f"{graph['name']}.json")
        with open(path, "w") as f:
            json.dump(graph, f)
        pairs = [(a[0], a[1]) for a in graph["arcs"]]
        gnx = nx.DiGraph()
        gnx.add_nodes_from(range(n))
        gnx.add_edges_from(pairs)
        gnx.remove_edges_from(list(nx.selfloop_edges(gnx)))
        m = gnx.number_of_edges()
        gig = None
        if ig is not None:
            gig = ig.Graph(n=n, edges=pairs, directed=True)
            gig.simplify(multiple=True, loops=True)
        log(f"# {graph['name']}: {m} arcs in the simple digraph, {len(graph['arcs'])} flow arcs")
        gsup = isup = None
        if "dominators" in args.measures or "routes" in args.measures:
            gsup, isup = super_graphs(graph)

        ref = None
        for measure in args.measures:
            res = {}
            nx_idom = ig_idom = nx_lengths = ig_lengths = None

            def skip(side):
                if side not in args.sides:
                    return "not run"
                est = predict(prev.get((side, measure)), measure, n, m)
                mf = prev.get((side, "maxflow"))
                if measure == "chokepoints-top10" and side in per_flow and mf is not None and mf[1] == n:
                    # Ranked from one max flow: this size's max flow times the last size's multiple.
                    est = per_flow[side] * mf[0]
                if est is not None and est > args.budget:
                    prev[(side, measure)] = (est, n, m)  # larger sizes are predicted from it
                    return f"skipped (est. {est:,.0f} s)"
                return None

            def measured(side, fn):
                """Times fn for side: (stat or why not repeated, result)."""
                times, out, first = timed(fn, args.repeat, args.budget)
                if times is None:
                    prev[(side, measure)] = (first, n, m)
                    log(f"#   {measure:18s} {side:9s} warm-up {first:.1f} s > budget: not repeated")
                    return f"over budget (warm-up {first:,.0f} s)", out
                return stat(times), out

            def note(side, r):
                if isinstance(r, dict):
                    prev[(side, measure)] = (r["min"], n, m)
                    mf = prev.get((side, "maxflow"))
                    if measure == "chokepoints-top10" and mf is not None and mf[1] == n and mf[0] > 0:
                        per_flow[side] = r["min"] / mf[0]
                    log(f"#   {measure:18s} {side:9s} min {r['min']:.5f} s, median {r['median']:.5f} s")
                res[side] = r

            if measure.startswith("pagerank") and ref is None:
                vfile = os.path.join(tmp, "ref.json")
                engine(binary, path, "pagerank", 0, 1, ["-method", "power", "-tol", str(REF_CHANGE / n),
                                                         "-maxiter", "100000"], vfile)
                with open(vfile) as f:
                    ref = json.load(f)

            # Engine, all cores and one thread.
            extra, emeasure = (), measure
            if measure == "pagerank":
                extra = ["-tol", "1e-6"]
            elif measure == "pagerank@1e-10":
                emeasure, extra = "pagerank", ["-tol", str(PRPACK_TOL / n)]
            elif measure == "chokepoints-brute":
                extra = []
            elif measure.startswith("chokepoints"):
                emeasure, extra = "chokepoints", ["-top", "10" if measure.endswith("top10") else "0"]
            evals = None
            for side, threads in (("engine", 0), ("engine-1", 1)):
                r = skip(side)
                if r is None:
                    vfile = os.path.join(tmp, f"values-{side}.json")
                    out = engine(binary, path, emeasure, threads, args.repeat, extra, vfile)
                    r = stat(out["times"])
                    if evals is None:
                        with open(vfile) as f:
                            evals = json.load(f)
                        if "iterations" in out:
                            log(f"#   {measure}: engine {out['iterations']} iterations, "
                                f"residual {out['residual']:.3g}, L1 to reference {l1(evals, ref):.3g}")
                note(side, r)

            # NetworkX.
            r = skip("networkx")
            if measure in ("chokepoints-top10", "chokepoints-brute"):
                r = "-"
            elif r is None and measure == "chokepoints-all" and evals is not None:
                # The brute force is one max flow per carrier, at least one per node the engine
                # ranks: skipped when that many of NetworkX's max flows at this size exceed the budget.
                mf = prev.get(("networkx", "maxflow"))
                if mf is not None and mf[1] == n and mf[0] * len(evals) > args.budget:
                    prev[("networkx", measure)] = (mf[0] * len(evals), n, m)
                    r = f"skipped (est. ≥ {mf[0] * len(evals):,.0f} s)"
            if r is None:
                if measure == "betweenness":
                    fn = lambda: nx.betweenness_centrality(gnx, normalized=True)  # noqa: E731
                elif measure == "closeness":
                    fn = lambda: nx.closeness_centrality(gnx)  # noqa: E731
                elif measure == "pagerank":
                    fn = lambda: nx.pagerank(gnx, alpha=ALPHA)  # noqa: E731
                elif measure == "pagerank@1e-10":
                    fn = lambda: nx.pagerank(gnx, alpha=ALPHA, tol=PRPACK_TOL / n, max_iter=10000)  # noqa: E731
                elif measure == "maxflow":
                    F, S, T = nx_flow_graph(graph)
                    fn = lambda: nx.maximum_flow_value(F, S, T)  # noqa: E731
                elif measure == "dominators":
                    fn = lambda: nx.immediate_dominators(gsup, n)  # noqa: E731
                elif measure == "routes":
                    fn = lambda: list(itertools.islice(  # noqa: E731
                        nx.shortest_simple_paths(gsup, n, graph["sink"], weight="cost"), K))
                else:
                    fn = lambda: rank(nx_brute(graph), 0)  # noqa: E731
                r, out = measured("networkx", fn)
                if measure.startswith("pagerank"):
                    vals = [out[v] for v in range(n)]
                    log(f"#   {measure}: NetworkX L1 to reference {l1(vals, ref):.3g}"
                        + (f", max |engine - NetworkX| {max(abs(a - b) for a, b in zip(evals, vals)):.2e}"
                           if evals else ""))
                elif measure in ("betweenness", "closeness") and evals:
                    vals = [out[v] for v in range(n)]
                    log(f"#   {measure}: max |engine - NetworkX| {max(abs(a - b) for a, b in zip(evals, vals)):.2e}")
                elif measure.startswith("chokepoints") and evals is not None:
                    got = rank([(int(v), loss) for v, loss in evals], 0)
                    same = len(got) == len(out) and all(a[0] == b[0] and abs(a[1] - b[1]) < 1e-6
                                                        for a, b in zip(got, out))
                    log(f"#   {measure}: engine and NetworkX brute force agree: {same}")
                elif measure == "maxflow":
                    log(f"#   maxflow value: NetworkX {out}, engine {evals}")
                elif measure == "dominators":
                    nx_idom = out
                elif measure == "routes":
                    nx_lengths = [nx.path_weight(gsup, p, "cost") for p in out]
            note("networkx", r)

            # igraph (no flow chokepoints of its own: brute force by maxflow_value per node would
            # time Python, not igraph).
            r = None if gig is None else skip("igraph")
            if gig is None or measure.startswith("chokepoints") or measure == "pagerank":
                # igraph's PageRank has no tolerance to set: it is compared at its own accuracy
                # (the pagerank@1e-10 row) only.
                r = None if gig is None else "-"
            elif r is None:
                if measure == "betweenness":
                    scale = 1.0 / ((n - 1) * (n - 2))
                    fn = lambda: [b * scale for b in gig.betweenness(directed=True)]  # noqa: E731
                elif measure == "closeness":
                    fn = lambda: gig.closeness(mode="in")  # noqa: E731
                elif measure.startswith("pagerank"):
                    fn = lambda: gig.pagerank(directed=True, damping=ALPHA)  # noqa: E731
                elif measure == "dominators":
                    fn = lambda: isup.dominator(n, mode="out")  # noqa: E731
                elif measure == "routes":
                    fn = lambda: isup.get_k_shortest_paths(n, graph["sink"], k=K, weights="cost",  # noqa: E731
                                                           mode="out", output="epath")
                else:
                    G, caps, S, T = ig_flow_graph(graph)
                    fn = lambda: G.maxflow_value(S, T, capacity=caps)  # noqa: E731
                r, out = measured("igraph", fn)
                if measure.startswith("pagerank"):
                    log(f"#   {measure}: igraph L1 to reference {l1(out, ref):.3g}")
                elif measure == "maxflow":
                    log(f"#   maxflow value: igraph {out}, engine {evals}")
                elif measure == "dominators":
                    ig_idom = out
                elif measure == "routes":
                    ig_lengths = [sum(isup.es[e]["cost"] for e in p) for p in out]
            note("igraph", r)
            if measure == "dominators" and evals is not None:
                same, reached = same_idoms(evals, nx_idom, ig_idom, n)
                log(f"#   dominators: {reached} nodes reached; trees equal (engine"
                    f"{', NetworkX' if nx_idom is not None else ''}{', igraph' if ig_idom is not None else ''}): {same}")
            elif measure == "routes" and evals is not None:
                sides = [("NetworkX", nx_lengths), ("igraph", ig_lengths)]
                same = all(len(x) == len(evals) and all(abs(a - b) < 1e-9 for a, b in zip(x, evals))
                           for _, x in sides if x is not None)
                log(f"#   routes: engine lengths {evals}; equal to "
                    f"{', '.join(name for name, x in sides if x is not None) or 'none run'}: {same}")
            row(n, measure, res["engine"], res["engine-1"], res["networkx"], res["igraph"])


if __name__ == "__main__":
    main()
