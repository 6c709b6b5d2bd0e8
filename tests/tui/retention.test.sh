#!/usr/bin/env bash
# The overview's facts come from core/: latest version, last commit (UTC time and operation),
# rows and size of the live files, and retention health: the worst of core's checkpoint-health
# warnings (checkpoint_health.h) for the active checkpoints holding the table: "+ ok" safe,
# "! Nd" / "! log" / "! vacuum" at risk (log cleanup soon or already allowed, or files VACUUM may
# remove), "x gone" no longer restorable, "- none" no checkpoint. The selected table's warning
# (core's message) is shown under the list. The tables date from 2023, so the checkpoint's
# versions are past the default 30-day log retention.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact 1000
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake checkpoints create before-sync --type Manual) \
    >"$T_DIR/create.out" 2>&1 || { cat "$T_DIR/create.out" >&2; tui_fail "checkpoints create"; }
# After the checkpoint: a write to account a day later (2023-11-15), and a new table.
cat >"$T_DIR/lake/Tables/account/_delta_log/00000000000000000001.json" <<'JSON'
{"commitInfo":{"timestamp":1700086400000,"operation":"WRITE","operationParameters":{}}}
{"add":{"path":"part-00001.parquet","partitionValues":{},"size":4096,"modificationTime":1700086400000,"dataChange":true,"stats":"{\"numRecords\":8}"}}
JSON
touch -d @1700086400 "$T_DIR/lake/Tables/account/_delta_log/00000000000000000001.json"
truncate -s 4096 "$T_DIR/lake/Tables/account/part-00001.parquet"
tui_make_table "$T_DIR/lake" donation 7
tui_start 100 30 -- --lakehouse lake
tui_expect_screen retention "account: version 0 is past log retention"
tui_keys j
tui_expect_screen retention-contact "contact: version 0 is past log retention"
tui_keys j
tui_wait_for "no active checkpoint covers this table"
tui_keys s s s s s s
tui_expect_screen retention-sorted "RETENTION▲"
