#!/usr/bin/env bash
# bench_rollback.sh BUILD_DIR - the rollback benchmark of issue 6 ("Performance"). Not a test.
# A lakehouse of $LR_BENCH_RB_TABLES (60) tables x $LR_BENCH_RB_FILES (1000) live files x
# $LR_BENCH_RB_VERSIONS (50) versions (tests/bench/bench_rollback.c: 20 files rewritten per
# version, a Parquet checkpoint every 10), with a named checkpoint taken at version
# $LR_BENCH_RB_AT (40), on the local store and on Azurite (started here through
# tests/support/svc, stopped at exit). Generation is not measured. Measured, through the real
# CLI: the full dry run and the full executed rollback (impact, journal, restore of every table,
# post-validation, post-rollback checkpoint, reports, audit), each under /usr/bin/time -v with
# --stats and --events: wall time per phase (the step_finished events), store requests, peak
# memory. Target (issue 6): the executed rollback of 60 tables under 30 s on Azurite.
# $LR_BENCH_RB_STORES ("local azurite") chooses the stores; $LR_BENCH_RB_PARALLEL (8) the
# restore threads.
#
# Azurite's scale: Azurite keeps blob metadata in one in-memory LokiJS collection and scans it
# on every request, so each request costs time in proportion to the blobs in the account (here:
# 2000 PUTs take 5.5 s into an empty container, 28 s into one of 10,000 blobs). The full
# lakehouse (120,000 data files) cannot even be uploaded in reasonable time; a real Azure
# account has no such cost. On Azurite the default is therefore 60 tables x
# $LR_BENCH_RB_AZ_FILES (100) live files x 50 versions with $LR_BENCH_RB_AZ_CHURN (2) files
# rewritten per version (about 12,000 blobs): the same tables, versions, commits and restore
# work per table, with fewer file entries per snapshot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
tables=${LR_BENCH_RB_TABLES:-60}
files=${LR_BENCH_RB_FILES:-1000}
churn=${LR_BENCH_RB_CHURN:-20}
versions=${LR_BENCH_RB_VERSIONS:-50}
at=${LR_BENCH_RB_AT:-40}
parallel=${LR_BENCH_RB_PARALLEL:-8}
stores=${LR_BENCH_RB_STORES:-local azurite}
gen=$build/tests/bench_rollback
lr=$build/tui/lakerewind
for b in "$gen" "$lr"; do
  [ -x "$b" ] || { echo "bench_rollback: $b is missing: build first" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench_rollback: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/lr-bench-rollback.XXXXXX")
export LR_SVC_DIR=$work/services
inst=bench-rb-azurite
cleanup() {
  node "$root/tests/support/svc" stop $inst >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
export LAKEREWIND_CONFIG=/nonexistent XDG_CONFIG_HOME=$work/no-config

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# summarise LABEL EVENTS ERR: phases from the events, requests and memory from stderr.
summarise() {
  node -e '
    const fs = require("fs");
    const [label, evf, errf] = process.argv.slice(1);
    const ev = fs.readFileSync(evf, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
    const err = fs.readFileSync(errf, "utf8");
    const fin = ev.find((e) => e.event === "run_finished") || {};
    const steps = ev.filter((e) => e.event === "step_finished")
      .map((e) => `${e.step} ${(e.elapsed_ms / 1000).toFixed(2)} s`);
    const done = ev.filter((e) => e.event === "table_state" && e.state === "done").length;
    const wall = (err.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/) || [])[1] || "?";
    const rss = (err.match(/Maximum resident set size \(kbytes\): (\d+)/) || [])[1] || "?";
    const store = [...err.matchAll(/lakerewind: stats: (.*)/g)].map((m) => m[1]).join("; ") ||
                  "?";
    console.log(`   ${label}: ${fin.status} in ${(fin.elapsed_ms / 1000).toFixed(2)} s ` +
                `(process wall ${wall}, peak RSS ${(rss / 1024).toFixed(0)} MiB), ` +
                `${done} tables done`);
    console.log(`     phases: ${steps.join(", ")}`);
    console.log(`     store: ${store}`);
  ' "$@"
}

bench_one() { # bench_one NAME URI FILES CHURN
  local name=$1 uri=$2 files=$3 churn=$4
  echo "== rollback benchmark on $name: $tables tables x $files files x $versions versions ($churn files rewritten per version), checkpoint at v$at, $parallel threads"
  local t0
  t0=$(date +%s%N)
  "$gen" gen "$uri" "$tables" "$files" 0 "$at" 8 "$churn"
  "$lr" --lakehouse "$uri" checkpoints create bench-cp --type Manual >/dev/null
  "$gen" gen "$uri" "$tables" "$files" $((at + 1)) $((versions - 1)) 8 "$churn"
  echo "   generation (not measured): $(ms_since "$t0") ms"
  local d=$work/$name
  mkdir -p "$d"
  local rc=0
  /usr/bin/time -v "$lr" --stats --lakehouse "$uri" rollback bench-cp --events \
    >"$d/dry.jsonl" 2>"$d/dry.err" || rc=$?
  [ $rc -eq 5 ] || { echo "   dry run failed (exit $rc):" >&2; tail -5 "$d/dry.err" >&2; return 1; }
  summarise "dry run" "$d/dry.jsonl" "$d/dry.err"
  local phrase
  phrase=$(node -e '
    const ev = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const e = ev.find((x) => x.event === "step_finished" && x.step === "dry_run");
    process.stdout.write(e && e.detail ? e.detail : "");' "$d/dry.jsonl")
  rc=0
  /usr/bin/time -v "$lr" --stats --lakehouse "$uri" rollback bench-cp --execute \
    --confirm "$phrase" --parallel "$parallel" --events >"$d/exec.jsonl" 2>"$d/exec.err" || rc=$?
  [ $rc -eq 0 ] || { echo "   executed rollback failed (exit $rc):" >&2; tail -5 "$d/exec.err" >&2; return 1; }
  summarise "executed rollback" "$d/exec.jsonl" "$d/exec.err"
  if [ "$name" = azurite ]; then
    node -e '
      const ev = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
      const ms = (ev.find((e) => e.event === "run_finished") || {}).elapsed_ms;
      console.log(`   target (executed rollback < 30 s on Azurite): ${ms < 30000 ? "met" : "MISSED"}`);
    ' "$d/exec.jsonl"
  fi
}

status=0
for s in $stores; do
  case $s in
    local)
      mkdir -p "$work/lake"
      bench_one local "$work/lake" "$files" "$churn" || status=1
      rm -rf "$work/lake"
      ;;
    azurite)
      if [ ! -d "$root/tests/support/node_modules/azurite" ]; then
        echo "   Azurite not installed (./dev deps): skipped"
        continue
      fi
      node "$root/tests/support/svc" start azurite --name $inst >/dev/null
      set -a; . "$LR_SVC_DIR/$inst.env"; set +a
      unset AZURE_STORAGE_SAS_TOKEN
      bench_one azurite "az://$LR_AZURITE_CONTAINER/bench-rollback" \
        "${LR_BENCH_RB_AZ_FILES:-100}" "${LR_BENCH_RB_AZ_CHURN:-2}" || status=1
      node "$root/tests/support/svc" stop $inst >/dev/null 2>&1 || true
      ;;
    *) echo "bench_rollback: unknown store $s (local, azurite)" >&2; status=1 ;;
  esac
done
exit $status
