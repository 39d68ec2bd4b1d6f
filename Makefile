VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run build test test-short neo4j-start neo4j-stop py-deps refs bench-algo bench-peers bench-import bench-render loadtest

## run: serve the bundled dataset on the embedded store at http://127.0.0.1:8080
run:
	go run ./cmd/chokepoint serve

## build: build bin/chokepoint
build:
	CGO_ENABLED=0 go build -ldflags "$(LDFLAGS)" -o bin/chokepoint ./cmd/chokepoint

## test: every test, Neo4j integration tests included (starts a local Neo4j if NEO4J_URI is unset)
test:
	scripts/test

## test-short: the tests that need no Neo4j
test-short:
	go test ./...

## neo4j-start / neo4j-stop: a local Neo4j 5.26 from its Maven Central jars
neo4j-start:
	@scripts/neo4j start
neo4j-stop:
	scripts/neo4j stop

## py-deps: the Python peers for refs and bench-algo
py-deps:
	python3 -m pip install -r scripts/requirements.txt

## refs: regenerate the NetworkX reference values in testdata/nx (needs py-deps)
refs:
	python3 scripts/nxref_centrality.py
	python3 scripts/nxref_flow.py

## bench-algo: this engine against NetworkX and python-igraph on the same generated networks
bench-algo:
	python3 scripts/bench_centrality.py

## bench-peers: the figures of docs/benchmarks.md: this engine (all cores, and GOMAXPROCS=1) against
## NetworkX and igraph on three graph families of 1k, 10k and 100k nodes: centrality, PageRank at
## equal accuracy, max flow, flow chokepoints, dominators and k shortest paths; warm-up excluded,
## min and median of 3 (needs py-deps; about 30 minutes)
bench-peers:
	python3 scripts/bench_centrality.py --families supply dag scale-free --sizes 1000 10000 100000 --seed 1 --budget 20 --repeat 3

## bench-import: batched import against LOAD CSV on a 100k-node, 300k-edge network
bench-import:
	scripts/bench_import.sh

## bench-render: the same DOT through the service's layout workers and native dot (Debian's
## graphviz), views of ~50 and ~150 nodes and the Japan view, SVG and PNG: min and median, ratio
bench-render:
	scripts/bench_render.sh 5 3

## loadtest: 60 s of mixed requests against the service on a Neo4j of its own, Neo4j stopped for
## 10 s in the middle: throughput, latency percentiles, answers by status, memory (docs/benchmarks.md)
loadtest:
	scripts/loadtest
