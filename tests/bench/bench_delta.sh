#!/usr/bin/env bash
# bench_delta.sh BUILD_DIR - the Delta engine benchmark (issue 4, "Performance"). Not a test.
#
# 1. A table with $LR_BENCH_FILES (default 1,000,000) live files: a Parquet checkpoint at
#    version 0 plus 100 JSON commits after it. Times snapshot load, time travel to version 50 and
#    the restore plan 100 -> 50 (wall, peak RSS, store requests; then, outside that sum, the
#    plan's commit text, where the stats of the files it copies are decoded), and DuckDB
#    scanning the checkpoint's add columns (path, size, partitionValues, stats) in the same
#    run, with as many threads as we use (one per core: our checkpoint decode runs its row
#    groups in parallel).
#    Targets (issue 4): snapshot + restore plan within 2x DuckDB's time, peak RSS < 600 MB,
#    requests = 1 listing page per 1,000 log entries + _last_checkpoint + parts + commits.
#    Then, on a copy, the checkpoint of its latest version written (as a restore commit on the
#    checkpoint interval does) and read back (no target: the figures go in the closing note).
# 2. A table of $LR_BENCH_COMMITS (default 50,000) one-file commits and no checkpoint: the same
#    three phases with time travel to the middle version.
# LR_BENCH_DIR keeps the generated tables there (generated once, reused by later runs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
files=${LR_BENCH_FILES:-1000000}
commits=${LR_BENCH_COMMITS:-50000}
bench=$build/tests/bench_delta
[ -x "$bench" ] || { echo "bench_delta: $bench is missing: build first (./dev bench)" >&2; exit 1; }
if [ -n "${LR_BENCH_DIR:-}" ]; then
  work=$LR_BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/lr-bench-delta.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
big=$work/big-$files
many=$work/many-$commits

echo "== Delta engine benchmark: $files-file checkpoint table, $commits-commit table =="
[ -d "$big/_delta_log" ] || "$bench" gen-big "$big" "$files" 100
echo "-- table 1: checkpoint of $files files + 100 commits"
out=$(/usr/bin/time -f "process %e %U %S %M" "$bench" measure "$big" 50 2>&1)
echo "$out" | grep -v '^process '
read -r _ wall user sys rss <<<"$(echo "$out" | grep '^process ')"
ours=$(echo "$out" | awk '/^snapshot\+plan/ { print $2 }')
printf "   process: %s s wall, %s s user, %s s sys, peak RSS %d MB\n" "$wall" "$user" "$sys" $((rss / 1024))
cp=$big/_delta_log/00000000000000000000.checkpoint.parquet
if [ -d "$root/tests/support/node_modules/@duckdb/node-api" ]; then
  threads=$(nproc)
  sql="SET threads=$threads; SELECT count(add.path) AS n, sum(add.size) AS s, count(add.partitionValues) AS pv, sum(length(add.stats)) AS st FROM read_parquet('$cp')"
  t0=$(date +%s.%N)
  derr=$( { /usr/bin/time -f "%U %S" node "$root/tests/support/duckdb.js" --time "$sql" >/dev/null; } 2>&1)
  t1=$(date +%s.%N)
  dcpu=$(echo "$derr" | tail -1)
  # the statements alone, timed inside node (no node start-up, module load or database open)
  dms=$(echo "$derr" | awk '/statements took/ { print $(NF - 1) }')
  awk -v a="$t0" -v b="$t1" -v ours="$ours" -v rss="$rss" -v dcpu="$dcpu" -v th="$threads" \
      -v dms="$dms" -v ocpu="$user $sys" 'BEGIN {
    split(dcpu, d, " "); split(ocpu, o, " ")
    duck = b - a; scan = dms / 1000
    printf "   DuckDB %d thread(s), checkpoint add columns: %.3f s for the whole node process, %.3f s for the query alone\n", th, duck, scan
    printf "   ratio snapshot+plan / DuckDB: %.2fx against its whole process; %.2fx against the query alone (target <= 2x)\n", ours / duck, (scan > 0 ? ours / scan : 0)
    printf "   CPU (user+sys): ours %.2f s for the whole measure process, DuckDB %.2f s with node (%.2fx; the machine'"'"'s load skews wall times, CPU less)\n", o[1] + o[2], d[1] + d[2], (d[1] + d[2] > 0 ? (o[1] + o[2]) / (d[1] + d[2]) : 0)
    printf "   peak RSS %d MB (target < 600 MB)\n", rss / 1024
  }'
else
  echo "   DuckDB not installed (./dev deps): no comparison"
fi
echo "-- table 1 again: writing the checkpoint of its latest version (on a copy)"
copy=$(mktemp -d "${TMPDIR:-/tmp}/lr-bench-cp.XXXXXX")
cp -r "$big/." "$copy/"
/usr/bin/time -f "   process: %e s wall, peak RSS %M KB" "$bench" checkpoint "$copy"
rm -rf "$copy"
[ -d "$many/_delta_log" ] || "$bench" gen-many "$many" "$commits"
echo "-- table 2: $commits commits, no checkpoint"
/usr/bin/time -f "   process: %e s wall, %U s user, peak RSS %M KB" "$bench" measure "$many" $((commits / 2))
