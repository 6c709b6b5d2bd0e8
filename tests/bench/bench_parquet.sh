#!/usr/bin/env bash
# bench_parquet.sh BUILD_DIR - Parquet checkpoint benchmark (issue 3, "Performance").
#
# Generates a Delta-checkpoint-shaped file with $LR_BENCH_ROWS (default 1,000,000) add rows with
# our writer (tests/bench/gen_checkpoint_like), then times DuckDB on one thread reading
# add.path, add.size, add.partitionValues and add.stats from it (node tests/support/duckdb.js),
# with the node + DuckDB start-up measured separately so the reading time can be told apart.
# When the reader's benchmark program (bench_parquet_read, tests/parquet/tests.cmake) is built,
# it reads the same columns through our reader and the ratio to DuckDB is printed too.
# Prints the figures; a benchmark, never a test: it has no pass/fail threshold.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rows=${LR_BENCH_ROWS:-1000000}
gen=$build/tests/gen_checkpoint_like
duckdb_js=$root/tests/support/duckdb.js
[ -x "$gen" ] || { echo "bench_parquet: $gen is missing: build first (./dev bench)" >&2; exit 1; }
[ -d "$root/tests/support/node_modules/@duckdb/node-api" ] ||
    { echo "bench_parquet: @duckdb/node-api is missing: run ./dev deps" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/lr-bench-parquet.XXXXXX")
trap 'rm -rf "$work"' EXIT
file=$work/checkpoint_like.parquet

# run_timed LABEL CMD...: wall seconds, peak RSS (KiB) and CPU seconds of one command, into
# $secs / $kib / $cpu (the machine may be shared: CPU time is the steadier figure).
run_timed() {
    local label=$1; shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" >"$work/$label.out"
        read -r secs kib usr sys <"$work/time.txt"
        cpu=$(awk -v a="$usr" -v b="$sys" 'BEGIN { printf "%.2f", a + b }')
    else
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >"$work/$label.out"
        t1=$(date +%s.%N)
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        kib=unknown
        cpu=unknown
    fi
}

echo "== Parquet checkpoint benchmark: $rows add rows, SNAPPY =="
run_timed gen "$gen" "$file" "$rows"
cat "$work/gen.out"
echo "writer: ${secs} s wall, ${cpu} s CPU, peak RSS ${kib} KiB, file $(stat -c %s "$file") bytes"

query="SELECT count(add.path) AS paths, sum(length(add.path)) AS path_bytes,
     sum(add.size) AS total_size, sum(cardinality(add.partitionValues)) AS pv_entries,
     sum(length(add.stats)) AS stats_bytes FROM read_parquet('$file')"
# DuckDB's own clock (EXPLAIN ANALYZE "Total Time") excludes node and DuckDB start-up.
best=
for run in 1 2 3; do
    run_timed read node "$duckdb_js" "SET threads = 1; EXPLAIN ANALYZE $query"
    t=$(grep -o 'Total Time: [0-9.]*s' "$work/read.out" | head -n1 | tr -dc '0-9.')
    [ -n "$t" ] || { echo "bench_parquet: no Total Time in DuckDB's profile" >&2; exit 1; }
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
        best=$t
        best_wall=$secs
        best_kib=$kib
    fi
done
node "$duckdb_js" "SET threads = 1; $query" >"$work/result.out"
echo "duckdb result: $(cat "$work/result.out")"
echo "duckdb (1 thread) reading add.path, add.size, add.partitionValues, add.stats:"
echo "  best of 3: ${best} s query time (DuckDB profile), ${best_wall} s wall with node start-up,"
echo "  peak RSS ${best_kib} KiB"

reader=$build/tests/bench_parquet_read
if [ -x "$reader" ]; then
    ours=
    for run in 1 2 3; do
        "$reader" "$file" >"$work/ours.out"
        t=$(grep -o 'wall_s=[0-9.]*' "$work/ours.out" | head -n1 | cut -d= -f2)
        if [ -z "$t" ]; then
            echo "bench_parquet: no wall_s in bench_parquet_read's output" >&2
            exit 1
        fi
        if [ -z "$ours" ] || awk -v a="$t" -v b="$ours" 'BEGIN { exit !(a < b) }'; then
            ours=$t
            cp "$work/ours.out" "$work/ours_best.out"
        fi
    done
    echo "our reader (bench_parquet_read, same columns), best of 3:"
    echo "  $(tr '\n' ' ' <"$work/ours_best.out")"
    awk -v a="$ours" -v b="$best" \
        'BEGIN { printf "  ratio ours / DuckDB: %.2f (target <= 1.5)\n", a / b }'
else
    echo "our reader: $reader not built (the reader's benchmark program); no ratio"
fi
