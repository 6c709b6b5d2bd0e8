#!/usr/bin/env bash
# c (or :checkpoints) lists the named checkpoints from CheckpointHistory, newest first, with
# type, tables, validation status and expiry (a word, not colour alone); / filters by name or
# type; Esc clears the filter, then goes back to the overview. HEALTH is core's checkpoint
# health (the same warnings `checkpoints list` prints): the tables here were written in 2023, so
# their version 0 (2023-11-14) is past the default 30-day log retention since 2023-12-15, and
# daily-1 (3 days of retention) expires soon: "! N warn" in the list, the first warning under
# it, and Tab shows every warning with its fix (ALTER TABLE ... SET TBLPROPERTIES) and the
# lakerewind alternative; Esc closes the detail. Dates, ages and day counts that depend on when
# the test runs are normalised (the checkpoints are created now).
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
for cp in "before-sync Manual 30" "daily-1 Daily 3"; do
    set -- $cp
    (cd "$T_DIR" && "$LR_BIN" --lakehouse lake checkpoints create "$1" --type "$2" \
        --retention-days "$3") \
        >"$T_DIR/create.out" 2>&1 || { cat "$T_DIR/create.out" >&2; tui_fail "create $1"; }
done
export TUI_NORMALISE='s/20[2-9][0-9]-[0-9][0-9]-[0-9][0-9]  *[0-9]*[mhd] /<created>  <age> /; s/in [0-9]*d /in NNd /; s/created [0-9-]* [0-9:]*Z by [^ ]*  /created <when> by <user>  /; s/20[2-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] UTC/<date>/g; s/interval [0-9]*$/interval N/'
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 2 Delta tables"
tui_keys c
tui_expect_screen checkpoints "Checkpoints (2)"
tui_keys Tab
tui_expect_screen checkpoints-detail "fix: ALTER TABLE"
tui_keys Escape
tui_wait_for "Tab for the fix"
tui_keys /
tui_type "daily"
tui_keys Enter
tui_expect_screen checkpoints-filtered "filter: daily"
tui_keys Escape
tui_wait_for "Checkpoints (2) "
tui_keys Escape
tui_wait_for "Tables (2)"
tui_keys : ; tui_type "cp"; tui_keys Enter
tui_wait_for "Checkpoints (2)"
