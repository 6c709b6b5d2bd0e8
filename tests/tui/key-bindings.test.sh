#!/usr/bin/env bash
# Key bindings come from one table per screen: rebinding an action (LAKEREWIND_KEYS, the hook
# the config's ui.keys uses) changes both what the key does and what the footer says; a
# binding that would shadow another action is refused with a clear error.
. "$(dirname "$0")/lib.sh"
for t in account contact; do tui_make_table "$T_DIR/lake" "$t"; done
tui_start 100 30 LAKEREWIND_KEYS=filter=f,help=F1 -- --lakehouse lake
tui_expect_screen keys-rebound "found 2 Delta tables"
tui_keys f
tui_type "con"
tui_wait_for "Tables (1 of 2)  filter: con"
tui_keys Escape
tui_keys F1
tui_wait_for "Keys on this screen"
tui_stop
tui_start 100 30 LAKEREWIND_KEYS=filter=q -- --lakehouse lake
tui_wait_for "error: LAKEREWIND_KEYS: ui.keys.filter: key 'q' is already bound to 'quit'"
