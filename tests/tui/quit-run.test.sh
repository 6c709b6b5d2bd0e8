#!/usr/bin/env bash
# Quitting during a LIVE restore (LAKEREWIND_PACE_GATE holds each table before its commit
# until the test creates the gate file, so the run is in flight while q is pressed and the
# screen is checked, however slow the machine): q asks first; "No" keeps restoring and
# the run ends normally; "Yes" lets the table in flight finish its atomic commit, starts no
# other, and exits; the run journal has no end, so `lakerewind runs` says interrupted, and the
# next start announces it with resume / undo / not now; resume shows what is left and asks
# for its phrase.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# Ages, expiry and retention health are judged at a fixed hour of the demo's day.
export LAKEREWIND_NOW=2026-11-26T19:30Z
cp -a "$T_DIR/lake" "$T_DIR/lake2"
GOOD='ROLLBACK 19 TABLES TO before-nightly-sync 11fe30'
TUI_NORMALISE='s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/<run-id>/g; s/^ [0-9][0-9]:[0-9][0-9]:[0-9][0-9] \([a-z]*\) *[0-9T:-]*Z /  <time> \1 /; s/ [0-9.]*s *$/ <t>/; s/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]*Z RESTORE/<restore time> RESTORE/; s/ by [a-z0-9_.-]*: / by <op>: /; s/([0-9]* ms)/(<ms>)/g; s/^ [0-9T:-]*Z / <time> /'

start_live_restore() {
    tui_start 100 30 "LAKEREWIND_PACE_GATE=$T_DIR/go-$1" -- --lakehouse "$1" --live
    tui_wait_for "found 20 Delta tables"
    tui_keys c
    tui_wait_for "before-nightly-sync"
    tui_keys Enter
    tui_wait_for "TOTAL 20 of 20"
    tui_keys j Space # activitypointer (High) out of scope
    tui_wait_for "phrase: $GOOD"
    tui_keys R
    tui_wait_for "Type exactly:"
    tui_type "$GOOD"
    tui_keys Enter
    tui_wait_for "> restoring"
}

# "No": the run continues to its end.
start_live_restore lake
tui_keys q
tui_wait_for "Quit during a restore?"
tui_expect_screen quit-run-ask "Yes, stop after the tables in flight"
tui_keys Enter
tui_wait_gone "Quit during a restore?"
touch "$T_DIR/go-lake"
tui_wait_for "post-rollback checkpoint: before-nightly-sync-post-"
console_exited && tui_fail "the console quit after No"
tui_stop

# "Yes": the table in flight commits, no other starts, the console exits.
start_live_restore lake2
tui_keys q
tui_wait_for "Quit during a restore?"
tui_keys Down Enter
tui_wait_for "stopping: waiting for the tables being restored"
touch "$T_DIR/go-lake2"
tui_wait_exit
[ "$TUI_EXIT_STATUS" = "0" ] || tui_fail "exit status $TUI_EXIT_STATUS after quitting, not 0"
# account 32, contact 36, donation 42, opportunity 30 before the run: each table is at its
# version before the run or at exactly one RESTORE commit after it, never anything else.
restored=0
for t in account:32 contact:36 donation:42 opportunity:30; do
    name=${t%%:*} pre=${t##*:}
    next=$(printf '%020d.json' $((pre + 1)))
    after=$(printf '%020d.json' $((pre + 2)))
    [ ! -e "$T_DIR/lake2/Tables/$name/_delta_log/$after" ] || tui_fail "$name moved twice"
    if [ -e "$T_DIR/lake2/Tables/$name/_delta_log/$next" ]; then
        grep -q '"operation":"RESTORE"' "$T_DIR/lake2/Tables/$name/_delta_log/$next" ||
            tui_fail "$name v$((pre + 1)) is not a RESTORE commit"
        restored=$((restored + 1))
    fi
done
[ "$restored" -ge 1 ] || tui_fail "the table in flight did not commit"
[ "$restored" -lt 4 ] || tui_fail "every table was restored: the stop did not stop"
runs=$(cd "$T_DIR" && env -i PATH="$PATH" HOME="$T_DIR" "$LR_BIN" --lakehouse lake2 runs 2>&1)
grep -q "interrupted" <<<"$runs" || tui_fail "the run is not interrupted: $runs"

# The next start announces it; resume shows what is left and asks for its phrase.
tui_start 100 30 -- --lakehouse lake2 --live
tui_wait_for "An interrupted run was found"
tui_expect_screen quit-run-announced "Not now"
tui_keys Enter
tui_wait_for "Resume an interrupted run"
tui_wait_for "Type exactly:"
phrase=$(tui_capture | grep -oE 'RESUME [0-9]+ TABLES? OF RUN [0-9a-f]+ [0-9a-f]+( I ACCEPT HIGH RISK ON [0-9]+ TABLES?)?' |
    head -1)
[ -n "$phrase" ] || tui_fail "no RESUME phrase on screen"
tui_type "$phrase"
tui_keys Enter
tui_wait_for "Result of the restore to"
tui_wait_for "post-rollback checkpoint:"
for t in account:32 contact:36 donation:42 opportunity:30; do
    name=${t%%:*} pre=${t##*:}
    [ -e "$T_DIR/lake2/Tables/$name/_delta_log/$(printf '%020d.json' $((pre + 1)))" ] ||
        tui_fail "$name not restored by the resume"
done
