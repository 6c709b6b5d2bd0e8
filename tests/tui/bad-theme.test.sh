#!/usr/bin/env bash
# A bad theme file is an error naming file, line and key; the console falls back to the
# default theme (it still draws in colour) and shows the error on its status line and log.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
cat >"$T_DIR/bad.yaml" <<'YAML'
name: bad
roles:
  header: { fg: white, bg: blue }
  selection: { fg: purple }
YAML
tui_start 100 30 LAKEREWIND_THEME=bad.yaml -- --lakehouse lake
tui_expect_screen bad-theme "roles.selection.fg"
tui_has_colour_sgr || tui_fail "the fallback default theme drew no colour"
