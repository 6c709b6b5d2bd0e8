#!/usr/bin/env bash
# Read-only mode (--read-only) hides every write: the interrupted run found on start is still
# announced, but with no resume / undo choice (just OK, naming the headless commands); the
# impact screen has no R restore (the key does nothing), the runs screen no u undo, :live is
# refused and missing from the help, whose last line says what read-only leaves out.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# Ages, expiry and retention health are judged at a fixed hour of the demo's day.
export LAKEREWIND_NOW=2026-11-26T19:30Z
TUI_NORMALISE='s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/<run-id>/g; s/ by [a-z0-9_.-]*: / by <op>: /; s/^ [0-9T:-]*Z / <time> /; s/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]*Z RESTORE/<restore time> RESTORE/; s/([0-9]* ms)/(<ms>)/g'
# A real one-table rollback, then its last journal entry (run_finished) removed: to the
# console it is a run that was killed after restoring and validating account.
# (the dry run exits 5, "dry run done")
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake rollback before-nightly-sync --tables account \
    --json) >"$T_DIR/dry.json" || [ $? -eq 5 ] || tui_fail "rollback dry run"
phrase=$(sed -n 's/.*"confirmation_phrase": *"\([^"]*\)".*/\1/p' "$T_DIR/dry.json")
[ -n "$phrase" ] || tui_fail "no confirmation phrase from the dry run"
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake rollback before-nightly-sync --tables account \
    --execute --confirm "$phrase") >"$T_DIR/run.out" 2>&1 ||
    { cat "$T_DIR/run.out" >&2; tui_fail "rollback --execute"; }
last=$(ls "$T_DIR"/lake/Files/_lakerewind/runs/*/journal-*.json | sort | tail -1)
rm "$last"

# The impact below spans the demo's bad sync (a fixed day) and the restore just made (now):
# the time-span risk rule would depend on the wall clock, so this profile turns it off.
cat >"$T_DIR/cfg.yaml" <<EOF
default_profile: t
profiles:
  t:
    lakehouse: lake
    risk:
      high:
        time_span: 0d
      medium:
        time_span: 0d
EOF
chmod 600 "$T_DIR/cfg.yaml"
tui_start 100 30 -- --read-only --config "$T_DIR/cfg.yaml"
tui_expect_screen read-only-announced "cannot resume or undo"
tui_capture | grep -q "Resume it\|Undo it" && tui_fail "read-only offers resume / undo"
tui_keys Enter
tui_wait_for "stays interrupted (read-only"
tui_keys : ; tui_type "impact before-nightly-sync"; tui_keys Enter
tui_wait_for "TOTAL 20 of 20"
tui_expect_screen read-only-impact "TOTAL 20 of 20"
tui_keys R
tui_keys ?
tui_wait_for "Read-only (--read-only): restore, undo, resume and :live are not"
tui_capture | grep -q "Type exactly:" && tui_fail "R opened the confirmation in read-only mode"
tui_capture | grep -q ":live  *allow writes" && tui_fail "the help offers :live in read-only mode"
tui_capture | grep -q "restore *R\| R  *restore" && tui_fail "the help lists R restore"
tui_keys Escape
tui_keys : ; tui_type "live"; tui_keys Enter
tui_wait_for "read-only mode cannot switch to live"
tui_keys : ; tui_type "runs"; tui_keys Enter
tui_wait_for "! interrupt"
tui_capture | tail -1 | grep -q "undo" && tui_fail "the runs footer offers undo"
tui_keys u
tui_keys ?
tui_wait_for "Keys on this screen (runs)"
tui_capture | grep -q "Undo (" && tui_fail "u opened an undo in read-only mode"
tui_capture | grep -qi " u  *undo" && tui_fail "the help lists u undo on the runs screen"
tui_keys Escape
tui_keys Enter
tui_wait_for "account"
tui_capture | tail -1 | grep -q "undo" && tui_fail "the run screen footer offers undo"
tui_keys q
tui_wait_for "Runs (1)"
tui_keys q
tui_wait_for "Impact of rolling back to before-nightly-sync"
tui_keys q
tui_wait_for "Tables (20)"
tui_keys q
tui_wait_exit
[ "$TUI_EXIT_STATUS" = "0" ] || tui_fail "exit status $TUI_EXIT_STATUS, not 0"
# Nothing was written by the console: account is still at the version the rollback wrote.
[ ! -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000034.json" ] ||
    tui_fail "the read-only console wrote account v34"
