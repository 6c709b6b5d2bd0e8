#!/usr/bin/env bash
# Live progress of the headless commands (tui/cli/progress.c): `rollback --execute` and
# `undo --execute` on a terminal (tmux) redraw one line per table and an overall line in place
# - after dozens of redraws the screen holds each table once and the overall line once, with
# its final state - and a terminal shorter than the run shows the running tables and a line
# counting the rest. With stdout and stderr not terminals, the same commands print plain
# timestamped lines on stderr and the result table on stdout, without one escape sequence.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
cp="before-nightly-sync"
phrase_of() { sed -n 's/^ *"confirmation_phrase": "\([^"]*\)".*/\1/p' "$1"; }
runs_first() { "$LR_BIN" --lakehouse "$T_DIR/lake" runs --json | sed -n 's/^ *"run_id": "\([^"]*\)".*/\1/p' | head -1; }
tables=$(ls "$T_DIR/lake/Tables" | grep -v '^metadata$')
[ "$(echo "$tables" | wc -l)" -eq 20 ] || tui_fail "the demo should have 20 tables"

# The pane shows the command's output until the test has read it: tmux prints "Pane is dead"
# on a new line at the bottom when the process exits, which would scroll the screen. The
# wrapper records the exit status, then waits for the test to release it.
REAL_BIN=$LR_BIN
cat >"$T_DIR/hold.sh" <<HOLD
#!/usr/bin/env bash
"$REAL_BIN" "\$@"
echo \$? >"$T_DIR/rc.tmp" && mv "$T_DIR/rc.tmp" "$T_DIR/rc"
while [ ! -e "$T_DIR/release" ]; do sleep 0.05; done
HOLD
chmod +x "$T_DIR/hold.sh"
has_rc() { [ -f "$T_DIR/rc" ]; }
# run_held W H ARGS...: run lakerewind ARGS in a W x H terminal; returns once it has finished,
# its output still on the screen, with its exit status in $RC.
run_held() {
    local w=$1 h=$2
    shift 2
    rm -f "$T_DIR/rc" "$T_DIR/release"
    LR_BIN="$T_DIR/hold.sh" tui_start "$w" "$h" -- "$@"
    tui_poll has_rc || tui_fail "lakerewind $* did not finish"
    RC=$(cat "$T_DIR/rc")
}
release() {
    touch "$T_DIR/release"
    tui_wait_exit
    tui_stop
}

# exactly_once PATTERN: one line of the screen matches the extended regex.
exactly_once() {
    local n
    n=$(tui_capture | grep -cE "$1" || true)
    [ "$n" -eq 1 ] || tui_fail "expected one line matching '$1', found $n"
}
never() {
    ! tui_capture | grep -qE "$1" || tui_fail "a line matching '$1' is still on the screen"
}

# 1. rollback --execute on a 100x40 terminal: every table fits.
"$LR_BIN" --lakehouse "$T_DIR/lake" rollback "$cp" --json >"$T_DIR/dry.json" 2>/dev/null || true
phrase=$(phrase_of "$T_DIR/dry.json")
[ -n "$phrase" ] || tui_fail "no phrase from the dry run"
run_held 100 40 --lakehouse lake rollback "$cp" --execute --confirm "$phrase" --parallel 2
[ "$RC" = 0 ] || tui_fail "rollback exit $RC"
tui_wait_for "post-rollback checkpoint: $cp-post-"
exactly_once "^rollback to $cp: succeeded \| 20/20 tables done, 0 failed, 0 skipped \| [0-9.ms]+$"
never "^rollback to $cp: (starting|step)"
for t in $tables; do
    exactly_once "^  $t +done +[0-9]+\.[0-9]s +(v[0-9]+ +)?quality 100$"
done
# The tables the bad sync changed were written (a version), the others were already there.
exactly_once "^  account +done +[0-9.]+s +v[0-9]+ +quality 100$"
exactly_once "^run [0-9a-f-]{36}: succeeded$"
release

# 2. undo --execute of that run, same terminal.
run=$(runs_first)
"$LR_BIN" --lakehouse "$T_DIR/lake" undo "$run" --json >"$T_DIR/undo.json" 2>/dev/null || true
phrase=$(phrase_of "$T_DIR/undo.json")
[ -n "$phrase" ] || tui_fail "no undo phrase"
n=$(grep -c '"name":' "$T_DIR/undo.json")
run_held 100 40 --lakehouse lake undo "$run" --execute --confirm "$phrase"
[ "$RC" = 0 ] || tui_fail "undo exit $RC"
tui_wait_for "run "
exactly_once "^undo of run ${run:0:8}: succeeded \| $n/$n tables done, 0 failed, 0 skipped"
[ "$(tui_capture | grep -cE '^  [a-z]+ +done +[0-9.]+s +v[0-9]+ +quality 100$')" -eq "$n" ] ||
    tui_fail "expected $n undone tables with a version and a quality"
release

# 3. the rollback again on a 90x14 terminal: 20 tables do not fit; the block keeps to the
# screen, names what it leaves out, and the overall line is still drawn once, on top.
"$LR_BIN" --lakehouse "$T_DIR/lake" rollback "$cp" --json >"$T_DIR/dry2.json" 2>/dev/null || true
phrase=$(phrase_of "$T_DIR/dry2.json")
run_held 90 14 --lakehouse lake rollback "$cp" --execute --confirm "$phrase"
[ "$RC" = 0 ] || tui_fail "second rollback exit $RC"
tui_wait_for "post-rollback checkpoint"
exactly_once "^rollback to $cp: succeeded \| 20/20 tables done"
tui_capture | head -1 | grep -qE "^rollback to $cp: succeeded" ||
    tui_fail "the overall line is not the first line of the screen"
exactly_once "^  \.\.\. 11 more tables \(11 done, 0 queued\)$"
[ "$(tui_capture | grep -cE '^  [a-z]+ +done ')" -eq 9 ] || tui_fail "expected 9 table lines"
release

# 4. not a terminal: plain timestamped lines on stderr, the result table on stdout.
run=$(runs_first)
"$LR_BIN" --lakehouse "$T_DIR/lake" undo "$run" --json >"$T_DIR/undo2.json" 2>/dev/null || true
phrase=$(phrase_of "$T_DIR/undo2.json")
TERM=xterm "$LR_BIN" --lakehouse "$T_DIR/lake" undo "$run" --execute --confirm "$phrase" \
    >"$T_DIR/out.txt" 2>"$T_DIR/err.txt" || tui_fail "undo through pipes failed: $(cat "$T_DIR/err.txt")"
if grep -q $'\033' "$T_DIR/out.txt" "$T_DIR/err.txt"; then tui_fail "an escape sequence in piped output"; fi
bad=$(grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z ' "$T_DIR/err.txt" || true)
[ -z "$bad" ] || tui_fail "stderr lines without a timestamp: $bad"
grep -qE 'Z account: restoring' "$T_DIR/err.txt" || tui_fail "no per-table line on stderr"
grep -qE 'Z run [0-9a-f-]{36} finished: succeeded' "$T_DIR/err.txt" || tui_fail "no run-finished line"
grep -qE '^  account +done +version [0-9]+ quality 100$' "$T_DIR/out.txt" ||
    tui_fail "no result table on stdout: $(cat "$T_DIR/out.txt")"
echo "ok - live progress on a terminal, plain lines through pipes"
