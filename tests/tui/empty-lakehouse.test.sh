#!/usr/bin/env bash
# An empty lakehouse (no Tables/ folder) is not an error: the overview says what a table is.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T_DIR/lake"
tui_start 100 30 -- --lakehouse lake
tui_expect_screen empty-lakehouse "No Delta tables"
