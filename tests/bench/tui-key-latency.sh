#!/usr/bin/env bash
# tui-key-latency.sh - keypress-to-redraw latency of the console while a 60-table rollback
# streams its progress (issue 7 target: p99 under 50 ms). A local lakehouse of 60 tables (10
# commits each, a Manual checkpoint, then 5 more commits per table) is rolled back LIVE from
# the console in tmux; while the run streams (LAKEREWIND_PACE_MS holds each table a moment so
# the run lasts a few seconds), j/k keys are sent every 20 ms. The console, with
# LAKEREWIND_BENCH_FILE, logs for every key the time from its input being readable to the
# flush of the frame showing its effect. Prints p50/p90/p99/max over the keys handled while the
# run was in flight, and over all keys. Usage: tests/bench/tui-key-latency.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
PACE_MS=${PACE_MS:-50}
BIN=$BUILD/tui/lakerewind
[ -x "$BIN" ] || { echo "no $BIN: build first" >&2; exit 2; }
DIR=$(mktemp -d)
SOCK="lrbench-keys-$$"
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
export HOME=$DIR XDG_CONFIG_HOME=$DIR/no-config

# 60 tables: v0 protocol + metaData + one file, v1..v9 one more file each (100 rows a file).
SCHEMA='{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}'
add() { # add TABLE_DIR VERSION: a commit adding part-VERSION.parquet (v0 also creates the table)
    local f log
    f=$(printf 'part-%05d.parquet' "$2")
    log="$1/_delta_log/$(printf '%020d' "$2").json"
    truncate -s 1024 "$1/$f"
    printf '{"commitInfo":{"timestamp":%d,"operation":"WRITE","operationParameters":{}}}\n' \
        $((1700000000000 + $2 * 60000)) >"$log"
    if [ "$2" = 0 ]; then
        printf '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}\n' >>"$log"
        printf '{"metaData":{"id":"id-%s","format":{"provider":"parquet","options":{}},' \
            "$(basename "$1")" >>"$log"
        printf '"schemaString":"%s","partitionColumns":[],"configuration":{},' "$SCHEMA" >>"$log"
        printf '"createdTime":1700000000000}}\n' >>"$log"
    fi
    printf '{"add":{"path":"%s","partitionValues":{},"size":1024,"modificationTime":%d,' \
        "$f" $((1700000000000 + $2 * 60000)) >>"$log"
    printf '"dataChange":true,"stats":"{\\"numRecords\\":100}"}}\n' >>"$log"
}
for i in $(seq -w 1 60); do
    t="$DIR/lake/Tables/table_$i"
    mkdir -p "$t/_delta_log"
    for v in $(seq 0 9); do add "$t" "$v"; done
done
"$BIN" --lakehouse "$DIR/lake" checkpoints create bench-cp --type Manual >/dev/null
for i in $(seq -w 1 60); do
    for v in $(seq 10 14); do add "$DIR/lake/Tables/table_$i" "$v"; done
done
PHRASE=$("$BIN" --lakehouse "$DIR/lake" rollback bench-cp --json 2>/dev/null |
    sed -n 's/.*"confirmation_phrase": "\([^"]*\)".*/\1/p' || true) # the dry run exits 5
[ -n "$PHRASE" ] || { echo "no confirmation phrase from the dry run" >&2; exit 1; }

printf 'set -g status off\n' >"$DIR/tmux.conf"
tmux -L "$SOCK" -f "$DIR/tmux.conf" new-session -d -x 120 -y 40 -c "$DIR" \
    "env LANG=C.UTF-8 HOME=$DIR XDG_CONFIG_HOME=$DIR/no-config LAKEREWIND_PACE_MS=$PACE_MS \
     LAKEREWIND_BENCH_FILE=$DIR/frames $BIN --lakehouse lake --live"
screen_has() { tmux -L "$SOCK" capture-pane -p -t 0 | grep -qF -- "$1"; }
wait_for() {
    local deadline=$((SECONDS + 30))
    until screen_has "$1"; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "timed out waiting for '$1'" >&2; exit 1; }
        sleep 0.05
    done
}
wait_for "found 60 Delta tables"
tmux -L "$SOCK" send-keys -t 0 c
wait_for "bench-cp"
tmux -L "$SOCK" send-keys -t 0 Enter
wait_for "TOTAL 60 of 60"
tmux -L "$SOCK" send-keys -t 0 R
wait_for "Type exactly:"
tmux -L "$SOCK" send-keys -t 0 -l -- "$PHRASE"
runs_before=$(grep -c '^run_done' "$DIR/frames" || true) # the impact's own dry runs
tmux -L "$SOCK" send-keys -t 0 Enter
wait_for "Restoring to bench-cp"
sent=0
until [ "$(grep -c '^run_done' "$DIR/frames" || true)" -gt "$runs_before" ]; do
    if [ $((sent % 2)) -eq 0 ]; then k=j; else k=k; fi
    tmux -L "$SOCK" send-keys -t 0 "$k"
    sent=$((sent + 1))
    sleep 0.02
    [ "$sent" -lt 20000 ] || { echo "the run did not end" >&2; exit 1; }
done
status=$(sed -n 's/^run_done //p' "$DIR/frames" | tail -1)
tmux -L "$SOCK" send-keys -t 0 Escape Escape Escape Escape q
deadline=$((SECONDS + 10))
while tmux -L "$SOCK" has-session 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.05
done
restored=$(find "$DIR"/lake/Tables/table_* -name 00000000000000000015.json | wc -l)
echo "60-table LIVE rollback: $status, $restored tables restored, $sent keys sent during it"
report() { # report LABEL FILTER
    grep "^key_ms .*$2" "$DIR/frames" | awk '{print $2}' | sort -n |
        awk -v label="$1" '
            { v[NR] = $1 }
            END {
                if (NR == 0) { print label ": no keys"; exit }
                p50 = v[int((NR - 1) * 0.50) + 1]
                p90 = v[int((NR - 1) * 0.90) + 1]
                p99 = v[int((NR - 1) * 0.99) + 1]
                verdict = "ok"
                if (p99 >= 50) verdict = "MISSED"
                printf "%s: keys %d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  " \
                       "(target p99 < 50 ms: %s)\n", label, NR, p50, p90, p99, v[NR], verdict
            }'
}
report "during the run" busy
report "all keys" ""
