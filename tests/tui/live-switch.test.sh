#!/usr/bin/env bash
# :live asks for a typed confirmation before the console allows writes: a wrong phrase is
# refused with the reason and changes nothing, the right one turns the banner LIVE (red),
# :dry-run goes back; Esc cancels; read-only mode refuses to switch at all.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_keys : ; tui_type "live"; tui_keys Enter
tui_expect_screen live-confirm "Type LIVE:"
tui_type "live"
tui_keys Enter
tui_expect_screen live-refused "Refused:"
tui_wait_for "* DRY RUN"
tui_type "LIVE"
tui_keys Enter
tui_expect_screen live-on "mode: LIVE"
tui_capture_e | sed -n 2p | grep -qE $'\e\\[([0-9;]*;)?41(;[0-9;]*)?m' ||
    tui_fail "the live banner is not on red"
tui_keys : ; tui_type "dry-run"; tui_keys Enter
tui_wait_for "* DRY RUN - nothing is written"
# Esc cancels the dialog.
tui_keys : ; tui_type "live"; tui_keys Enter
tui_wait_for "Type LIVE:"
tui_keys Escape
tui_wait_for "cancelled: Switch to LIVE mode"
tui_wait_gone "Type LIVE:"
tui_stop

tui_start 100 30 -- --read-only --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_keys : ; tui_type "live"; tui_keys Enter
tui_wait_for "error: read-only mode cannot switch to live"
tui_wait_for "= READ-ONLY"
