#!/usr/bin/env bash
# bench_delta.sh BUILD_DIR - the Delta engine benchmark (issue 4, "Performance"). Not a test.
#
# 1. A table with $LR_BENCH_FILES (default 1,000,000) live files: a Parquet checkpoint at
#    version 0 plus 100 JSON commits after it. Times snapshot load, time travel to version 50 and
#    the restore plan 100 -> 50 (wall, peak RSS, store requests; then, outside that sum, the
#    plan's commit text, where the stats of the files it copies are decoded), and DuckDB
#    scanning the checkpoint's add columns (path, size, partitionValues, stats) in the same
#    run, with as many threads as we use (one per core: our checkpoint decode runs its row
#    groups in parallel). $LR_BENCH_ROUNDS (default 3) rounds, each ours then DuckDB, and the
#    medians compared: this VM's load and its memory (a balloon: the first touch of memory
#    freed a few seconds earlier is slow) swing single runs by 2x either way.
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
rounds=${LR_BENCH_ROUNDS:-3}
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
echo "-- table 1: checkpoint of $files files + 100 commits ($rounds rounds, ours then DuckDB)"
cp=$big/_delta_log/00000000000000000000.checkpoint.parquet
have_duck=false
[ -d "$root/tests/support/node_modules/@duckdb/node-api" ] && have_duck=true
threads=$(nproc)
sql="SET threads=$threads; SELECT count(add.path) AS n, sum(add.size) AS s, count(add.partitionValues) AS pv, sum(length(add.stats)) AS st FROM read_parquet('$cp')"
ours_all="" scan_all="" duck_all="" rss_max=0
for round in $(seq "$rounds"); do
  out=$(/usr/bin/time -f "process %e %U %S %M" "$bench" measure "$big" 50 2>&1)
  [ "$round" = 1 ] && echo "$out" | grep -v '^process '
  read -r _ wall user sys rss <<<"$(echo "$out" | grep '^process ')"
  ours=$(echo "$out" | awk '/^snapshot\+plan/ { print $2 }')
  ours_all="$ours_all $ours"
  [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  line=$(printf "   round %d: ours %s s (process %s s wall, %s s user, %s s sys, peak RSS %d MB)" \
         "$round" "$ours" "$wall" "$user" "$sys" $((rss / 1024)))
  if $have_duck; then
    t0=$(date +%s.%N)
    derr=$( { /usr/bin/time -f "%U %S" node "$root/tests/support/duckdb.js" --time "$sql" >/dev/null; } 2>&1)
    t1=$(date +%s.%N)
    # the statements alone, timed inside node (no node start-up, module load or database open)
    dms=$(echo "$derr" | awk '/statements took/ { print $(NF - 1) }')
    read -r duck scan <<<"$(awk -v a="$t0" -v b="$t1" -v dms="$dms" 'BEGIN { printf "%.3f %.3f", b - a, dms / 1000 }')"
    scan_all="$scan_all $scan"
    duck_all="$duck_all $duck"
    line="$line; DuckDB $threads thread(s): query $scan s, node process $duck s; ratio $(awk -v o="$ours" -v q="$scan" 'BEGIN { printf "%.2fx", (q > 0 ? o / q : 0) }')"
  fi
  echo "$line"
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ours_med=$(echo "$ours_all" | median)
printf "   median snapshot+plan: %.3f s; peak RSS %d MB at most (target < 600 MB)\n" "$ours_med" $((rss_max / 1024))
if $have_duck; then
  scan_med=$(echo "$scan_all" | median)
  duck_med=$(echo "$duck_all" | median)
  awk -v o="$ours_med" -v q="$scan_med" -v d="$duck_med" 'BEGIN {
    printf "   median DuckDB: query %.3f s, node process %.3f s\n", q, d
    printf "   ratio of medians snapshot+plan / DuckDB: %.2fx against the query alone (target <= 2x); %.2fx against its whole process\n", (q > 0 ? o / q : 0), (d > 0 ? o / d : 0)
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
