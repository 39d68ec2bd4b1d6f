#!/usr/bin/env python3
"""Reference values for graph/algo flow, dominator, biconnectivity and k-shortest-path code.

For every graph of supplynet.suite() (plus the few of extra()) this writes testdata/nx/flow/<name>.json holding the graph
itself and what NetworkX computes on it:

  max_flow / min_cut   nx.maximum_flow_value and nx.minimum_cut on the node-split network: a super
                       source S feeds every source with an unbounded arc, node v becomes
                       ("in", v) -> ("out", v) with capacity node_cap[v] (no capacity attribute when
                       unbounded), arc u->v becomes ("out", u) -> ("in", v) with the summed capacity
                       of the parallel arcs (unbounded if any is), and the sink is ("out", sink), so
                       node capacities bound the flow through every node, sources and sink included.
                       null with "unbounded": true when NetworkX raises NetworkXUnbounded.
  idom                 nx.immediate_dominators from a super source n with an arc to every source;
                       idom[v] for the real nodes 0..n-1, n for the super source, -1 if unreachable.
  articulation_points  nx.articulation_points(G.to_undirected()), sorted.
  separated            for each of them, v: the nodes of v's connected component other than v,
                       less the largest component of that component without v.
  bridges              nx.bridges(G.to_undirected()) as sorted [min, max] pairs.
  hop_lengths          hop counts of the first k=5 paths of nx.shortest_simple_paths(G, sources[0],
                       sink) on the DiGraph with parallel arcs collapsed; [] if there is no path.
  weighted_lengths     the same with weight="cost", parallel arcs collapsed to their minimum cost.

Run from the repository root: python3 scripts/nxref_flow.py. Output is deterministic.
"""
import itertools
import json
import os
import sys

import networkx as nx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import supplynet  # noqa: E402

K = 5
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "nx", "flow")


def simple_digraph(g):
    """DiGraph on 0..n-1; parallel arcs collapsed, capacity summed (None if any unbounded), min cost."""
    G = nx.DiGraph()
    G.add_nodes_from(range(g["n"]))
    for u, v, cap, cost in g["arcs"]:
        if G.has_edge(u, v):
            d = G[u][v]
            d["cap"] = None if d["cap"] is None or cap is None else d["cap"] + cap
            d["cost"] = min(d["cost"], cost)
        else:
            G.add_edge(u, v, cap=cap, cost=cost)
    return G


def split_network(g, G):
    F = nx.DiGraph()
    S = "S"
    F.add_node(S)
    for v in range(g["n"]):
        if g["node_cap"][v] is None:
            F.add_edge(("in", v), ("out", v))
        else:
            F.add_edge(("in", v), ("out", v), capacity=g["node_cap"][v])
    for u, v, d in G.edges(data=True):
        if d["cap"] is None:
            F.add_edge(("out", u), ("in", v))
        else:
            F.add_edge(("out", u), ("in", v), capacity=d["cap"])
    for s in g["sources"]:
        F.add_edge(S, ("in", s))
    return F, S, ("out", g["sink"])


def flow_values(g, G):
    F, S, T = split_network(g, G)
    try:
        value = nx.maximum_flow_value(F, S, T)
        cut_value, _ = nx.minimum_cut(F, S, T)
        return float(value), float(cut_value), False
    except nx.NetworkXUnbounded:
        return None, None, True


def idoms(g, G):
    n = g["n"]
    D = nx.DiGraph(G)
    D.add_node(n)
    D.add_edges_from((n, s) for s in g["sources"])
    idom = nx.immediate_dominators(D, n)
    return [idom.get(v, -1) for v in range(n)]


def path_lengths(G, src, dst, weight):
    try:
        paths = list(itertools.islice(nx.shortest_simple_paths(G, src, dst, weight=weight), K))
    except nx.NetworkXNoPath:
        return []
    if weight is None:
        return [len(p) - 1 for p in paths]
    return [sum(G[a][b][weight] for a, b in zip(p, p[1:])) for p in paths]


def separated(U, v):
    """The nodes of v's component other than v, less the largest component left without v."""
    rest = nx.node_connected_component(U, v) - {v}
    return len(rest) - max(len(c) for c in nx.connected_components(U.subgraph(rest)))


def reference(g):
    G = simple_digraph(g)
    value, cut, unbounded = flow_values(g, G)
    U = G.to_undirected()
    src, dst = g["sources"][0], g["sink"]
    aps = sorted(nx.articulation_points(U))
    return {
        "name": g["name"], "n": g["n"], "arcs": g["arcs"], "node_cap": g["node_cap"],
        "sources": g["sources"], "sink": g["sink"],
        "max_flow": value, "min_cut": cut, "unbounded": unbounded,
        "idom": idoms(g, G),
        "articulation_points": aps,
        "separated": [separated(U, v) for v in aps],
        "bridges": sorted([min(a, b), max(a, b)] for a, b in nx.bridges(U)),
        "k": K, "path_src": src, "path_dst": dst,
        "hop_lengths": path_lengths(G, src, dst, None),
        "weighted_lengths": path_lengths(G, src, dst, "cost"),
    }


def extra():
    """Graphs beyond supplynet.suite() for cases the suite lacks: an unbounded flow."""
    return [
        # 0 -> 1 -> 2 has no capacity on its arcs or nodes: NetworkX raises NetworkXUnbounded.
        {"name": "unbounded", "n": 4, "arcs": [[0, 1, None, 1], [1, 2, None, 2], [0, 3, 5, 1], [3, 2, None, 1]],
         "node_cap": [None, None, None, 4], "sources": [0], "sink": 2},
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    for g in supplynet.suite() + extra():
        ref = reference(g)
        with open(os.path.join(OUT, g["name"] + ".json"), "w") as f:
            json.dump(ref, f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
        print(f'{g["name"]}: n={g["n"]} arcs={len(g["arcs"])} flow={ref["max_flow"]} '
              f'aps={len(ref["articulation_points"])} bridges={len(ref["bridges"])} '
              f'hops={ref["hop_lengths"]} weighted={ref["weighted_lengths"]}')


if __name__ == "__main__":
    main()
