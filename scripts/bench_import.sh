#!/usr/bin/env bash
# Import benchmark: chokepoint's all-or-nothing import against LOAD CSV on the same rows.
#
#   scripts/bench_import.sh [benchimport flags...]
#
# Restarts its scratch Neo4j with scripts/neo4j unless NEO4J_URI is set (then that server is
# used, never stopped): every run starts on a fresh JVM, as a server that has taken many
# 2 GiB transactions slows down. It builds cmd/benchimport and runs it on the full synthetic
# network: 100,000 nodes and 300,000 edges (override with --nodes/--edges/--seed).
# It WIPES the database it runs on. The LOAD CSV files go into the server's import
# directory (--import-dir if the server's own path is not visible from here).
#
# Examples:
#   scripts/bench_import.sh                       # ours, csv-batched, csv-tx; 1 run each
#   scripts/bench_import.sh --runs 3 --verify     # best of 3, and check the stored graphs
#   CHOKEPOINT_NEO4J_STATE=/tmp/bench-neo4j NEO4J_PORT=7697 scripts/bench_import.sh
#                                                 # on a separate scratch server
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ -z "${NEO4J_URI:-}" ]]; then
	# A scratch server of its own, with an 8 GiB heap: a 400k-record transaction takes about
	# 2 GiB, and on the 3 GiB it needs both single-transaction modes ran about 10% slower
	# (docs/benchmarks.md).
	export CHOKEPOINT_NEO4J_STATE="${CHOKEPOINT_NEO4J_STATE:-${XDG_CACHE_HOME:-$HOME/.cache}/chokepoint/neo4j-bench}"
	export NEO4J_PORT="${NEO4J_PORT:-7697}" NEO4J_HEAP="${NEO4J_HEAP:-8g}"
	scripts/neo4j stop >&2
	env_lines="$(scripts/neo4j start)"
	set -a
	eval "$env_lines"
	set +a
fi

bin="$(mktemp -d)/benchimport"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/benchimport

echo "\$ scripts/bench_import.sh $*"
# Later flags win, so the caller's --nodes/--edges override these.
"$bin" --nodes 100000 --edges 300000 "$@"
