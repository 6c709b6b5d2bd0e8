#!/usr/bin/env bash
# The table history screen at 80x24 on a generated table of 120 commits (appends, deletes that
# remove a whole file, merges) with checkpoints at versions 60 and 119, and one commit whose
# operation and user name carry escape sequences: Enter on the overview opens the newest page
# (versions 119-70) with row counts, their change, the rows the writer reported, a row-count
# sparkline with the checkpoint marked; n pages to older commits (the v60 checkpoint marked),
# then to the oldest page, where n says there is nothing older; p comes back; the hostile
# strings show as visible stand-ins. `:history NAME` opens it from anywhere; a bad name or none
# is refused with the reason.
. "$(dirname "$0")/lib.sh"
lake="$T_DIR/lake"
tui_make_table "$lake" account
log="$lake/Tables/orders/_delta_log"
mkdir -p "$log"
commit() { # commit VERSION LINE...
    local v=$1 f
    shift
    f=$(printf '%s/%020d.json' "$log" "$v")
    printf '%s\n' "$@" >"$f"
    touch -d "@$((1700000000 + v * 3600))" "$f"
}
add() { # add FILE ROWS
    truncate -s 1000 "$lake/Tables/orders/$1"
    printf '{"add":{"path":"%s","partitionValues":{},"size":1000,"modificationTime":1,"dataChange":true,"stats":"{\\"numRecords\\":%d}"}}' "$1" "$2"
}
info() { # info VERSION OPERATION METRICS [USER]
    printf '{"commitInfo":{"timestamp":%d,"operation":"%s","operationParameters":{},"operationMetrics":%s,"engineInfo":"gen/1.0"%s}}' \
        "$((1700000000000 + $1 * 3600000))" "$2" "$3" "${4:+,\"userName\":\"$4\"}"
}
commit 0 "$(info 0 "CREATE TABLE" '{}')" '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}' \
    '{"metaData":{"id":"0f1e2d3c-0000-4000-8000-000000000001","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{},"createdTime":1700000000000}}'
generate() { # generate FIRST LAST
    local v
    for ((v = $1; v <= $2; v++)); do
        if [ "$v" = 7 ]; then
            commit "$v" "$(info "$v" 'EVIL\u001b]0;pwned\u0007\u001b[2J' '{}' 'mallory\u001b[31m')" \
                "$(add "f$v.parquet" 5)"
        elif [ $((v % 10)) = 0 ]; then
            commit "$v" "$(info "$v" DELETE "{\"numDeletedRows\":\"$((v - 9))\"}")" \
                "{\"remove\":{\"path\":\"f$((v - 9)).parquet\",\"deletionTimestamp\":1,\"dataChange\":true}}"
        elif [ $((v % 3)) = 0 ]; then
            commit "$v" "$(info "$v" MERGE "{\"numTargetRowsInserted\":\"$v\",\"numTargetRowsDeleted\":\"0\",\"numOutputRows\":\"999\"}")" \
                "$(add "f$v.parquet" "$v")"
        else
            commit "$v" "$(info "$v" WRITE "{\"numOutputRows\":\"$v\"}" alice)" "$(add "f$v.parquet" "$v")"
        fi
    done
}
generate 1 60
"$LR_BIN" --lakehouse "$lake" checkpoints create mid-point --type Manual >/dev/null 2>&1 ||
    tui_fail "checkpoints create mid-point failed"
generate 61 119
"$LR_BIN" --lakehouse "$lake" checkpoints create latest --type Manual >/dev/null 2>&1 ||
    tui_fail "checkpoints create latest failed"

tui_start 80 24 -- --lakehouse lake
tui_wait_for "found 2 Delta tables"
tui_keys j Enter
tui_wait_for "History of orders  versions 119-70"
tui_expect_screen history-page1 "^ latest v119"
tui_keys n
tui_wait_for "versions 69-20  page 2"
tui_expect_screen history-page2 "page 2"
tui_keys n
tui_wait_for "versions 19-0  page 3"
tui_keys G
tui_expect_screen history-page3 "v0 "
tui_keys k k k k k k k
tui_wait_for 'v7  2023-11-15 05:13:20Z  EVIL\e]0;pwned\a\e[2J by mallory\e[31m via'
tui_keys n
tui_wait_for "no older commits"
tui_keys p
tui_wait_for "versions 69-20  page 2"
# From the command prompt, from another screen; and the refusals.
tui_keys : ; tui_type "checkpoints"; tui_keys Enter
tui_wait_for "Checkpoints (2)"
tui_keys : ; tui_type "history account"; tui_keys Enter
tui_wait_for "History of account  versions 0-0  page 1"
tui_keys : ; tui_type "history nosuch"; tui_keys Enter
tui_wait_for "no table 'nosuch' in this lakehouse"
tui_keys : ; tui_type "history"; tui_keys Enter
tui_wait_for ":history needs a table name"
tui_keys : ; tui_type "q"; tui_keys Enter
tui_wait_exit
[ "$TUI_EXIT_STATUS" = 0 ] || tui_fail "the console exited with $TUI_EXIT_STATUS"
