#!/usr/bin/env bash
# c (or :checkpoints) lists the named checkpoints from CheckpointHistory, newest first, with
# type, tables, validation status and expiry (a word, not colour alone); / filters by name or
# type; Esc clears the filter, then goes back to the overview. Creation times, ages and expiry
# days depend on when the test runs, so they are normalised.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
for cp in "before-sync Manual" "daily-1 Daily"; do
    set -- $cp
    (cd "$T_DIR" && "$LR_BIN" --lakehouse lake checkpoints create "$1" --type "$2") \
        >"$T_DIR/create.out" 2>&1 || { cat "$T_DIR/create.out" >&2; tui_fail "create $1"; }
done
export TUI_NORMALISE='s/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]Z  *[0-9]*[mhd] /<created>           <age> /; s/in [0-9]*d$/in NNd/; s/by [^ ]*  /by <user>  /'
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 2 Delta tables"
tui_keys c
tui_expect_screen checkpoints "Checkpoints (2)"
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
