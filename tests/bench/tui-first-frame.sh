#!/usr/bin/env bash
# tui-first-frame.sh - time from start to the console's first frame, to the table list, and to
# the full overview (every table's snapshot, last commit and retention read) on a 60-table
# local lakehouse of 50 commits each, in tmux, over several runs. Issue 7 target: first frame
# under 300 ms. Usage: tests/bench/tui-first-frame.sh [BUILD_DIR] [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
RUNS=${2:-10}
BIN=$BUILD/tui/lakerewind
[ -x "$BIN" ] || { echo "no $BIN: build first" >&2; exit 2; }
DIR=$(mktemp -d)
SOCK="lrbench-$$"
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
PROTOCOL='{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}'
META='{"metaData":{"id":"b","format":{"provider":"parquet","options":{}},'
META+='"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":[],'
META+='"configuration":{},"createdTime":1}}'
for i in $(seq -w 1 60); do
    d="$DIR/lake/Tables/table_$i/_delta_log"
    mkdir -p "$d"
    printf '%s\n%s\n' "$PROTOCOL" "$META" >"$d/00000000000000000000.json"
    for v in $(seq 1 49); do
        printf '{"commitInfo":{"operation":"WRITE"}}\n' >"$d/$(printf '%020d' "$v").json"
    done
done
printf 'set -g status off\n' >"$DIR/tmux.conf"
echo "run first_frame_ms list_frame_ms full_frame_ms"
for r in $(seq 1 "$RUNS"); do
    rm -f "$DIR/frames"
    tmux -L "$SOCK" -f "$DIR/tmux.conf" new-session -d -x 120 -y 40 -c "$DIR" \
        "env LANG=C.UTF-8 LAKEREWIND_BENCH_FILE=$DIR/frames $BIN --lakehouse lake"
    deadline=$((SECONDS + 10))
    until grep -q '^tables ' "$DIR/frames" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "run $r: no full frame" >&2; exit 1; }
        sleep 0.02
    done
    tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
    awk -v r="$r" '/^first_frame_ms/ {f=$2} /^list_frame_ms/ {l=$2} /^full_frame_ms/ {g=$2}
                   END {print r, f, l, g}' "$DIR/frames"
done
