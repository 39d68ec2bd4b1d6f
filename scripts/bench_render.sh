#!/bin/sh
# bench_render.sh: the same DOT laid out through the service's path (a warm layout worker, as
# serve runs it) and by Debian's native dot, for a view of ~50 nodes, one of ~150 and the Japan
# view, as SVG and PNG; min and median of COUNT runs (default 5) of N layouts each (default 5),
# and the ratio service / native. Usage: scripts/bench_render.sh [COUNT] [N]
set -eu
count=${1:-5}
n=${2:-5}
cd "$(dirname "$0")/.."
if ! command -v dot >/dev/null 2>&1; then
	echo "native dot is not installed (Debian: apt-get install graphviz): only the service's times are printed" >&2
fi
go test ./cmd/chokepoint -run '^$' -bench 'BenchmarkLayoutVsNative' -count "$count" -benchtime "${n}x" |
	awk '
	/^BenchmarkLayoutVsNative\// {
		split($1, p, "/"); sub(/-[0-9]+$/, "", p[4])
		key = p[2] "/" p[3]; side = p[4]
		t[key, side, ++c[key, side]] = $3 / 1e6
		if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
	}
	function stat(key, side, which,   i, j, k, m, v) {
		m = c[key, side]
		if (m == 0) return -1
		for (i = 1; i <= m; i++) v[i] = t[key, side, i]
		for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { k = v[j]; v[j] = v[j-1]; v[j-1] = k }
		return which == "min" ? v[1] : (m % 2 ? v[(m+1)/2] : (v[m/2] + v[m/2+1]) / 2)
	}
	END {
		printf "%-10s %14s %14s %14s %14s %8s %8s\n", "view", "service min", "service med", "native min", "native med", "ratio", "(med)"
		for (i = 1; i <= nk; i++) {
			k = order[i]
			smin = stat(k, "service", "min"); smed = stat(k, "service", "med")
			nmin = stat(k, "native", "min"); nmed = stat(k, "native", "med")
			if (nmin <= 0) { printf "%-10s %11.1f ms %11.1f ms %14s %14s\n", k, smin, smed, "-", "-"; continue }
			printf "%-10s %11.1f ms %11.1f ms %11.1f ms %11.1f ms %7.2fx %7.2fx\n", k, smin, smed, nmin, nmed, smin / nmin, smed / nmed
		}
	}'
