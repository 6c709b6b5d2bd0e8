#!/usr/bin/env bash
# The mode banner: dry run by default (checked by the other screens), read-only with
# --read-only (even with --live), live (red) with --live.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 -- --read-only --live --lakehouse lake
tui_expect_screen mode-read-only "found 1 Delta table"
tui_stop
tui_start 100 30 -- --live --lakehouse lake
tui_expect_screen mode-live "found 1 Delta table"
tui_capture_e | sed -n 2p | grep -qE $'\e\\[([0-9;]*;)?41(;[0-9;]*)?m' ||
    tui_fail "the live banner is not on red"
