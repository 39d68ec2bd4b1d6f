#!/usr/bin/env python3
"""Write NetworkX reference values for graph/algo's centrality measures.

For every graph of supplynet.suite() (plus a few edge cases below) this builds an nx.DiGraph on
nodes 0..n-1 (all added, even isolated ones) from the graph's arcs, which collapses parallel arcs;
self-loops are removed, as graph/algo ignores them. It then writes
testdata/nx/centrality/<name>.json with

    {"name", "n", "arcs": [[u, v], ...], "degree", "betweenness", "closeness", "pagerank",
     "alpha", "tol"}

where the four value lists are indexed by node and come from nx.degree_centrality,
nx.betweenness_centrality(normalized=True), nx.closeness_centrality and
nx.pagerank(alpha=ALPHA, tol=TOL, max_iter=MAX_ITER). The tight TOL makes the power iteration
stop within about 1e-9 of its fixed point, so an implementation with the same tol agrees to 1e-6.

nx.pagerank needs scipy; without it the script falls back to NetworkX's pure-Python power
iteration (the same iteration, so values differ only in the last bits) and says so on stderr.
The output is deterministic: the graphs are seeded, and nothing else is random.

Usage: python3 scripts/nxref_centrality.py [OUTDIR]   (default testdata/nx/centrality)
"""
import json
import os
import sys

import networkx as nx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import supplynet  # noqa: E402

ALPHA = 0.85
TOL = 1e-12
MAX_ITER = 100000


def extra():
    """Edge cases for the centrality definitions: self-loops, parallel arcs, tiny graphs."""
    return [
        # Self-loops (ignored) and parallel arcs (collapsed) on a small cycle with a tail.
        {"name": "loops", "n": 5,
         "arcs": [[0, 0, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [1, 2, 1, 1], [2, 2, 1, 1], [2, 0, 1, 1],
                  [2, 3, 1, 1], [2, 3, 1, 1], [3, 3, 1, 1], [4, 4, 1, 1]]},
        {"name": "single", "n": 1, "arcs": []},
        {"name": "pair", "n": 2, "arcs": [[0, 1, 1, 1], [1, 1, 1, 1]]},
        {"name": "empty5", "n": 5, "arcs": []},
        # Many equal-length paths: sigma grows as 2^k along a chain of diamonds.
        {"name": "diamonds", "n": 31,
         "arcs": [a for i in range(10) for a in ([3 * i, 3 * i + 1, 1, 1], [3 * i, 3 * i + 2, 1, 1],
                                                 [3 * i + 1, 3 * i + 3, 1, 1], [3 * i + 2, 3 * i + 3, 1, 1])]},
    ]


def to_nx(graph):
    g = nx.DiGraph()
    g.add_nodes_from(range(graph["n"]))
    g.add_edges_from((a[0], a[1]) for a in graph["arcs"])
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    return g


def pagerank(g):
    try:
        import scipy  # noqa: F401
    except ImportError:
        print("nxref_centrality: scipy missing, using NetworkX's pure-Python pagerank", file=sys.stderr)
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
        return _pagerank_python(g, alpha=ALPHA, tol=TOL, max_iter=MAX_ITER)
    return nx.pagerank(g, alpha=ALPHA, tol=TOL, max_iter=MAX_ITER)


def reference(graph):
    g = to_nx(graph)
    n = graph["n"]
    measures = {
        "degree": nx.degree_centrality(g),
        "betweenness": nx.betweenness_centrality(g, normalized=True),
        "closeness": nx.closeness_centrality(g),
        "pagerank": pagerank(g),
    }
    out = {"name": graph["name"], "n": n, "arcs": [[a[0], a[1]] for a in graph["arcs"]]}
    for key, values in measures.items():
        out[key] = [float(values[v]) for v in range(n)]
    out["alpha"] = ALPHA
    out["tol"] = TOL
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "testdata", "nx", "centrality")
    os.makedirs(outdir, exist_ok=True)
    graphs = supplynet.suite() + extra()
    names = [g["name"] for g in graphs]
    assert len(set(names)) == len(names), "duplicate graph names"
    for graph in graphs:
        path = os.path.join(outdir, graph["name"] + ".json")
        with open(path, "w") as f:
            json.dump(reference(graph), f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
