#!/usr/bin/env python3
"""Reference values for the separated counts of graph/algo.ArticulationPoints.

For every graph of nxref_flow.py (supplynet.suite() plus its extra()) this writes
testdata/nx/articulation/<name>.json holding the graph's arcs and, on the undirected view
U = G.to_undirected() of the DiGraph with parallel arcs collapsed:

  articulation_points  sorted(nx.articulation_points(U)).
  separated            for each of them, v: the nodes of nx.node_connected_component(U, v)
                       other than v, less the largest of the nx.connected_components of that
                       component without v.

Run from the repository root: python3 scripts/nxref_articulation.py. Output is deterministic.
"""
import json
import os
import sys

import networkx as nx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import supplynet  # noqa: E402
from nxref_flow import extra, simple_digraph  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "nx", "articulation")


def reference(g):
    U = simple_digraph(g).to_undirected()
    aps = sorted(nx.articulation_points(U))
    separated = []
    for v in aps:
        rest = nx.node_connected_component(U, v) - {v}
        largest = max(len(c) for c in nx.connected_components(U.subgraph(rest)))
        separated.append(len(rest) - largest)
    return {"name": g["name"], "n": g["n"], "arcs": [[a[0], a[1]] for a in g["arcs"]],
            "articulation_points": aps, "separated": separated}


def main():
    os.makedirs(OUT, exist_ok=True)
    for g in supplynet.suite() + extra():
        ref = reference(g)
        with open(os.path.join(OUT, g["name"] + ".json"), "w") as f:
            json.dump(ref, f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
        print(f'{g["name"]}: n={g["n"]} aps={len(ref["articulation_points"])} '
              f'separated={sum(ref["separated"])}')


if __name__ == "__main__":
    main()
