#!/usr/bin/env bash
# The overview's facts come from core/: latest version, last commit (UTC time and operation),
# rows and size of the live files, and retention health of the oldest active checkpoint's
# version: "+" safe, "!" at risk (log cleanup soon, or past deleted-file retention so VACUUM
# may remove its files), "-" no checkpoint. The selected table's reason is shown under the list.
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
tui_expect_screen retention "VACUUM may remove"
tui_keys j
tui_expect_screen retention-contact "oldest checkpoint v0: safe"
tui_keys j
tui_wait_for "no active checkpoint covers this table"
tui_keys s s s s s s
tui_expect_screen retention-sorted "RETENTION▲"
