"""Supply-network-shaped test graphs shared by the reference and benchmark scripts.

A graph is a dict: {"name", "n", "arcs": [[u, v, cap, cost], ...], "node_cap": [cap|None, ...],
"sources": [...], "sink": int}. cap None means unbounded. Nodes are 0..n-1; arcs may repeat a pair.
"""
import random


def layered(n, seed, layers=6, fanout=3, back=0.01, unbounded=0.1):
    """Mines -> processing stages -> consumers, like a mineral supply chain.

    Layer sizes shrink downstream (many mines, few magnet plants); each node feeds about `fanout`
    nodes of the next layer, some skip a layer, and a fraction `back` of arcs point upstream
    (recycling loops), so the graph is not always a DAG.
    """
    rng = random.Random(seed)
    weights = [2 ** (layers - i) for i in range(layers)]
    total = sum(weights)
    sizes = [max(1, n * w // total) for w in weights]
    sizes[0] += n - sum(sizes)
    start, layer_nodes = 0, []
    for s in sizes:
        layer_nodes.append(list(range(start, start + s)))
        start += s
    arcs = []
    for li in range(layers - 1):
        for u in layer_nodes[li]:
            for _ in range(max(1, int(rng.expovariate(1 / fanout)))):
                tl = li + 1 if rng.random() > 0.1 or li + 2 >= layers else li + 2
                v = rng.choice(layer_nodes[tl])
                arcs.append([u, v, _cap(rng, unbounded), rng.randint(1, 9)])
    for _ in range(int(len(arcs) * back)):
        li = rng.randrange(1, layers)
        u = rng.choice(layer_nodes[li])
        v = rng.choice(layer_nodes[rng.randrange(0, li)])
        arcs.append([u, v, _cap(rng, unbounded), rng.randint(1, 9)])
    node_cap = [_cap(rng, 0.5) for _ in range(n)]
    sink = layer_nodes[-1][0]
    return {"name": f"layered-{n}-s{seed}", "n": n, "arcs": arcs, "node_cap": node_cap,
            "sources": layer_nodes[0], "sink": sink}


def dag(n, seed, layers=10, fanout=3, unbounded=0.1):
    """A layered DAG: n-1 nodes in `layers` layers of equal size, then one consumer (the sink).

    Each node feeds about `fanout` nodes of the next layer (70% of arcs), the one after (20%) or the
    third (10%), never beyond the last; every node of the last layer feeds the consumer. No arc
    points upstream, so the graph is acyclic; the first layer are the sources.
    """
    rng = random.Random(seed)
    sink = n - 1
    size = max(1, sink // layers)
    layer_of = [min(v // size, layers - 1) for v in range(sink)]
    starts = [layer_of.index(li) for li in range(layer_of[-1] + 1)] + [sink]
    last = len(starts) - 2
    arcs = []
    for u in range(sink):
        li = layer_of[u]
        if li == last:
            arcs.append([u, sink, _cap(rng, unbounded), rng.randint(1, 9)])
            continue
        for _ in range(max(1, int(rng.expovariate(1 / fanout)))):
            r = rng.random()
            tl = min(last, li + (1 if r < 0.7 else 2 if r < 0.9 else 3))
            v = rng.randrange(starts[tl], starts[tl + 1])
            arcs.append([u, v, _cap(rng, unbounded), rng.randint(1, 9)])
    node_cap = [_cap(rng, 0.5) for _ in range(n)]
    return {"name": f"dag-{n}-s{seed}", "n": n, "arcs": arcs, "node_cap": node_cap,
            "sources": list(range(starts[1])), "sink": sink}


def hub(n, seed, m=2, unbounded=0.1):
    """Preferential attachment with direction toward older nodes: a few trading hubs carry most links.
    A fraction `unbounded` of the arcs has no capacity."""
    rng = random.Random(seed)
    arcs, targets = [], [0]
    for u in range(1, n):
        for v in {rng.choice(targets) for _ in range(m)}:
            a, b = (v, u) if rng.random() < 0.3 else (u, v)
            arcs.append([a, b, _cap(rng, unbounded), rng.randint(1, 9)])
            targets += [u, v]
    node_cap = [_cap(rng, 0.5) for _ in range(n)]
    sources = [v for v in range(n) if rng.random() < 0.2 and v != 0] or [n - 1]
    return {"name": f"hub-{n}-s{seed}", "n": n, "arcs": arcs, "node_cap": node_cap,
            "sources": sources, "sink": 0}


def gnp(n, p, seed):
    """Uniform random directed graph: every ordered pair is an arc with probability p."""
    rng = random.Random(seed)
    arcs = [[u, v, _cap(rng, 0.1), rng.randint(1, 9)]
            for u in range(n) for v in range(n) if u != v and rng.random() < p]
    node_cap = [_cap(rng, 0.5) for _ in range(n)]
    return {"name": f"gnp-{n}-s{seed}", "n": n, "arcs": arcs, "node_cap": node_cap,
            "sources": list(range(1, max(2, n // 5))), "sink": 0}


def fixed():
    """Small hand-drawn graphs with known structure."""
    return [
        # A path with a dead-end branch: 0->1->2->3, 1->4.
        {"name": "path", "n": 5, "arcs": [[0, 1, 5, 1], [1, 2, 3, 1], [2, 3, 4, 1], [1, 4, 2, 1]],
         "node_cap": [None] * 5, "sources": [0], "sink": 3},
        # Diamond with a bottleneck node 3: two mines, two refineries, one plant, one consumer.
        {"name": "diamond", "n": 6,
         "arcs": [[0, 2, 10, 1], [1, 2, 10, 1], [1, 3, 10, 1], [2, 4, 7, 1], [3, 4, 7, 1], [4, 5, None, 1]],
         "node_cap": [None, None, None, 4, 9, None], "sources": [0, 1], "sink": 5},
        # A cycle with a chord and an isolated node.
        {"name": "cycle", "n": 6,
         "arcs": [[0, 1, 1, 2], [1, 2, 1, 2], [2, 3, 1, 2], [3, 0, 1, 2], [0, 2, 2, 5], [3, 4, 3, 1]],
         "node_cap": [None] * 6, "sources": [0], "sink": 4},
        # Two triangles joined by a bridge 2->3, parallel arcs 0->1 twice.
        {"name": "bowtie", "n": 6,
         "arcs": [[0, 1, 1, 1], [0, 1, 2, 1], [1, 2, 3, 1], [2, 0, 1, 1], [2, 3, 4, 1], [3, 4, 5, 1],
                  [4, 5, 1, 1], [5, 3, 2, 1]],
         "node_cap": [None] * 6, "sources": [0], "sink": 5},
    ]


def suite():
    """The committed reference suite: fixed graphs plus seeded random ones of several sizes and shapes."""
    graphs = fixed()
    for seed in (1, 2, 3):
        graphs.append(layered(30, seed))
        graphs.append(layered(200, seed))
        graphs.append(hub(60, seed))
        graphs.append(gnp(25, 0.12, seed))
    graphs.append(layered(1000, 7))
    return graphs


def _cap(rng, p_unbounded):
    return None if rng.random() < p_unbounded else rng.randint(1, 100)
