#!/usr/bin/env bash
# bench_cloud.sh BUILD_DIR - the cloud benchmark (issue 5, "Performance"). Not a test.
# $LR_BENCH_TABLES (50) tables of $LR_BENCH_TABLE_COMMITS (100) commits on Azurite (started here
# through tests/support/svc, stopped at exit); snapshot all of them one at a time, then with
# $LR_BENCH_PARALLEL (16) threads sharing one store. Azurite on loopback answers in about a
# millisecond and is CPU-bound (one node thread), unlike a cloud store whose requests wait on
# network latency; so the measurement is repeated through the fault proxy holding every request
# $LR_BENCH_LATENCY_MS (40) ms, which is where bounded parallelism pays.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
tables=${LR_BENCH_TABLES:-50}
commits=${LR_BENCH_TABLE_COMMITS:-100}
parallel=${LR_BENCH_PARALLEL:-16}
bench=$build/tests/bench_cloud
[ -x "$bench" ] || { echo "bench_cloud: $bench is missing: build first" >&2; exit 1; }
[ -d "$root/tests/support/node_modules/azurite" ] || { echo "   Azurite not installed (./dev deps): skipped"; exit 0; }
export LR_SVC_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lr-bench-cloud.XXXXXX")
inst=bench-azurite
trap 'node "$root/tests/support/svc" stop bench-proxy >/dev/null 2>&1 || true; node "$root/tests/support/svc" stop $inst >/dev/null 2>&1 || true; rm -rf "$LR_SVC_DIR"' EXIT
node "$root/tests/support/svc" start azurite --name $inst >/dev/null
set -a; . "$LR_SVC_DIR/$inst.env"; set +a
unset AZURE_STORAGE_SAS_TOKEN
uri="az://$LR_AZURITE_CONTAINER/bench"
echo "== cloud benchmark: $tables tables x $commits commits on Azurite, $parallel threads =="
t0=$(date +%s%N)
"$bench" gen "$uri" "$tables" "$commits"
echo "   upload: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
"$bench" measure "$uri" "$tables" "$parallel"
latency=${LR_BENCH_LATENCY_MS:-40}
if [ "$latency" -gt 0 ]; then
  node "$root/tests/support/svc" start proxy --name bench-proxy --target-service $inst >/dev/null
  set -a; . "$LR_SVC_DIR/bench-proxy.env"; set +a
  curl -sS -f -X POST -H 'Content-Type: application/json' \
    --data "{\"rate\":1,\"kinds\":[\"delay\"],\"delayMs\":$latency,\"losePutRate\":0}" \
    "$LR_PROXY_CONTROL_URL" >/dev/null
  echo "-- through the proxy, $latency ms per request"
  AZURITE_BLOB_STORAGE_URL="$LR_PROXY_URL" "$bench" measure "$uri" "$tables" "$parallel"
fi
