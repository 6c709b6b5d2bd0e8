#!/usr/bin/env bash
# run.sh BUILD_DIR - run every benchmark script in tests/bench (called by ./dev bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
status=0
for b in "$here"/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    echo "== $(basename "$b")"
    bash "$b" "$build" || status=1
done
exit $status
