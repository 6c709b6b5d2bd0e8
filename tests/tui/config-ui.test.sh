#!/usr/bin/env bash
# The configuration's ui section drives the console: ui.theme picks the theme (monochrome: no
# colour), ui.keys rebinds actions (the footer and the key agree), and LAKEREWIND_KEYS still
# wins over the file.
. "$(dirname "$0")/lib.sh"
for t in account contact; do tui_make_table "$T_DIR/lake" "$t"; done
cat >"$T_DIR/config.yaml" <<'YAML'
ui:
  theme: monochrome
  keys:
    filter: f
YAML
tui_start 100 30 -- --config config.yaml --lakehouse lake
tui_wait_for "found 2 Delta tables"
if tui_has_colour_sgr; then
    tui_fail "ui.theme monochrome still drew colour"
fi
tui_capture | grep -qF "f filter" || tui_fail "the footer does not show ui.keys' f filter"
tui_keys f
tui_type "con"
tui_wait_for "Tables (1 of 2)  filter: con"
tui_stop
tui_start 100 30 LAKEREWIND_KEYS=filter=F3 -- --config config.yaml --lakehouse lake
tui_wait_for "found 2 Delta tables"
tui_capture | grep -qF "F3 filter" || tui_fail "LAKEREWIND_KEYS did not override ui.keys"
