#!/usr/bin/env bash
# lib.sh - drive the real lakerewind binary ($LR_BIN) in a detached tmux session and compare
# whole screens with tests/tui/expected/*.txt. Sourced by tests/tui/*.test.sh.
#
#   tui_start W H [VAR=value ...] -- [lakerewind args ...]   start the console in $T_DIR
#   tui_stop                    end the current session (before another tui_start)
#   tui_keys KEY ...            tmux send-keys (literal text with -l: tui_type TEXT)
#   tui_wait_for TEXT           poll the screen until TEXT appears (bounded; no fixed sleeps)
#   tui_expect_screen NAME      poll until the screen equals expected/NAME.txt, else fail with
#                               a diff (LR_UPDATE_EXPECTED=1 writes the file instead)
#   tui_capture / tui_capture_e the screen as text / with colour attributes (SGR sequences)
#
# Every test gets its own tmux socket (-L) so parallel ctest runs never share a server, and the
# server is killed on exit whatever happens. The status bar is off, so the pane is exactly W x H.
set -euo pipefail

: "${LR_BIN:?LR_BIN must name the lakerewind binary (ctest sets it)}"
: "${LR_SOURCE_DIR:?LR_SOURCE_DIR must name the source tree (ctest sets it)}"
TUI_TEST_NAME=$(basename "$0" .test.sh)
TUI_EXPECTED_DIR="$LR_SOURCE_DIR/tests/tui/expected"
TUI_TIMEOUT=${TUI_TIMEOUT:-15}
mkdir -p "${LR_TEST_TMP:-/tmp}"
T_DIR=$(mktemp -d "${LR_TEST_TMP:-/tmp}/tui-$TUI_TEST_NAME.XXXXXX")
TUI_SOCK_BASE="lrtui-$TUI_TEST_NAME-$$"
TUI_STARTS=0
TUI_SOCK="$TUI_SOCK_BASE-0"

# SIGKILL the process group of the pane on server socket $1 (the pane's bash and the console
# it runs: tmux makes the pane a session leader, so its pid is the group id), so that killing
# the server can never leave a console behind (e.g. one stuck in a sanitizer's exit).
tui_kill_pane_group() {
    local pid
    pid=$(tmux -L "$1" display-message -p -t main '#{pane_pid}' 2>/dev/null) || return 0
    case "$pid" in '' | *[!0-9]*) return 0 ;; esac
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

# Each tui_start gets a fresh server socket: a server being killed may still hold the old one.
tui_stop() {
    tui_kill_pane_group "$TUI_SOCK"
    tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1 || true
}

tui_cleanup() {
    local i
    for ((i = 0; i <= TUI_STARTS; i++)); do
        tui_kill_pane_group "$TUI_SOCK_BASE-$i"
        tmux -L "$TUI_SOCK_BASE-$i" kill-server >/dev/null 2>&1 || true
    done
}
trap tui_cleanup EXIT

tui_fail() {
    echo "FAIL ($TUI_TEST_NAME): $*" >&2
    if tmux -L "$TUI_SOCK" has-session 2>/dev/null; then
        local pid
        pid=$(tui_display '#{pane_pid}')
        echo "pane: $(tui_display 'dead #{pane_dead} status #{pane_dead_status} signal #{pane_dead_signal} pid #{pane_pid}')" >&2
        ps -o pid,stat,wchan:20,cmd -p "$pid" >&2 || true
        echo "---- screen ----" >&2
        tmux -L "$TUI_SOCK" capture-pane -p -t main >&2 || true
        echo "----------------" >&2
    fi
    exit 1
}

# tui_make_table LAKE NAME [ROWS]: a small valid Delta table at version 0 (protocol, metaData,
# one add action of ROWS records, default 42, and commitInfo), dated 2023-11-14 22:13:20 UTC.
# The data file exists with the logged size (its bytes are not read by the console).
tui_make_table() {
    local dir="$1/Tables/$2/_delta_log" rows="${3:-42}"
    mkdir -p "$dir"
    cat >"$dir/00000000000000000000.json" <<JSON
{"commitInfo":{"timestamp":1700000000000,"operation":"CREATE TABLE","operationParameters":{}}}
{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
{"metaData":{"id":"6b1f9c1e-0d0e-4b7e-9a59-1c2d3e4f5a6b","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{},"createdTime":1700000000000}}
{"add":{"path":"part-00000.parquet","partitionValues":{},"size":2048,"modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":$rows}"}}
JSON
    touch -d @1700000000 "$dir/00000000000000000000.json"
    truncate -s 2048 "$1/Tables/$2/part-00000.parquet" # present, so checkpoints validate
}

tui_start() {
    local w=$1 h=$2
    shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        envs+=("$1")
        shift
    done
    [ "${1:-}" = "--" ] && shift
    TUI_STARTS=$((TUI_STARTS + 1))
    TUI_SOCK="$TUI_SOCK_BASE-$TUI_STARTS"
    cat >"$T_DIR/tmux.conf" <<'CONF'
set -g default-terminal "tmux-256color"
set -g status off
set -g remain-on-exit on
set -g history-limit 0
CONF
    local cmd=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" "TERM=tmux-256color" "LANG=C.UTF-8"
               "LC_ALL=C.UTF-8")
    [ -n "${ASAN_OPTIONS:-}" ] && cmd+=("ASAN_OPTIONS=$ASAN_OPTIONS")
    [ -n "${UBSAN_OPTIONS:-}" ] && cmd+=("UBSAN_OPTIONS=$UBSAN_OPTIONS")
    [ -n "${LAKEREWIND_NOW:-}" ] && cmd+=("LAKEREWIND_NOW=$LAKEREWIND_NOW")
    cmd+=("${envs[@]}" "$LR_BIN" "$@")
    # bash waits for the console and writes its exit status: tmux 3.3 sometimes leaves a pane's
    # process unreaped when the pty closes first, so #{pane_dead_status} cannot be relied on.
    # (A non-interactive bash running a foreground command lets Ctrl-C reach the console and
    # only acts on it after the console exits.)
    rm -f "$T_DIR/exit-status"
    cmd=(bash -c '"$@"; echo $? >"$0.tmp" && mv "$0.tmp" "$0"' "$T_DIR/exit-status" "${cmd[@]}")
    local quoted
    quoted=$(printf '%q ' "${cmd[@]}")
    tmux -L "$TUI_SOCK" -f "$T_DIR/tmux.conf" new-session -d -s main -x "$w" -y "$h" \
        -c "$T_DIR" "$quoted"
}

tui_keys() {
    tmux -L "$TUI_SOCK" send-keys -t main "$@"
}

tui_type() {
    tmux -L "$TUI_SOCK" send-keys -t main -l -- "$1"
}

tui_capture() {
    tmux -L "$TUI_SOCK" capture-pane -p -t main
}

tui_capture_e() {
    tmux -L "$TUI_SOCK" capture-pane -p -e -t main
}

tui_display() {
    tmux -L "$TUI_SOCK" display-message -p -t main "$1"
}

# Poll until a condition holds, at most TUI_TIMEOUT seconds.
tui_poll() {
    local deadline=$((SECONDS + TUI_TIMEOUT))
    while ! "$@"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            return 1
        fi
        sleep 0.05
    done
}

screen_has() {
    tui_capture | grep -qF -- "$1"
}

screen_lacks() {
    ! tui_capture | grep -qF -- "$1"
}

tui_wait_for() {
    tui_poll screen_has "$1" || tui_fail "timed out waiting for '$1'"
}

tui_wait_gone() {
    tui_poll screen_lacks "$1" || tui_fail "timed out waiting for '$1' to go"
}

console_exited() {
    [ -f "$T_DIR/exit-status" ]
}

# Wait for the console to exit; its exit status is then in $TUI_EXIT_STATUS.
tui_wait_exit() {
    tui_poll console_exited || tui_fail "the console did not exit"
    TUI_EXIT_STATUS=$(cat "$T_DIR/exit-status")
}

# The screen with lines normalised by an optional sed script ($TUI_NORMALISE).
tui_screen_text() {
    if [ -n "${TUI_NORMALISE:-}" ]; then
        tui_capture | sed -e "$TUI_NORMALISE"
    else
        tui_capture
    fi
}

screen_equals() {
    tui_screen_text >"$T_DIR/actual.txt"
    cmp -s "$T_DIR/actual.txt" "$1"
}

# Only for writing expected files: the same screen twice, a moment apart (a redraw may lag a
# resize). Comparisons never need it: they poll for the exact expected screen.
screen_is_stable() {
    local a b
    a=$(tui_screen_text)
    sleep 0.3
    b=$(tui_screen_text)
    [ "$a" = "$b" ]
}

tui_expect_screen() {
    local expected="$TUI_EXPECTED_DIR/$1.txt"
    # Updating: the first use of a name in a run writes it (once TEXT is on screen); later uses
    # compare against what was just written.
    if [ "${LR_UPDATE_EXPECTED:-}" = "1" ] && [[ " ${TUI_WRITTEN:-} " != *" $1 "* ]]; then
        tui_poll screen_has "${2:-}" || true
        tui_poll screen_is_stable || true
        tui_screen_text >"$expected"
        TUI_WRITTEN="${TUI_WRITTEN:-} $1"
        echo "wrote $expected" >&2
        return 0
    fi
    [ -f "$expected" ] || tui_fail "missing $expected (run with LR_UPDATE_EXPECTED=1 and review)"
    if ! tui_poll screen_equals "$expected"; then
        echo "FAIL ($TUI_TEST_NAME): screen differs from expected/$1.txt" >&2
        diff -u "$expected" "$T_DIR/actual.txt" >&2 || true
        exit 1
    fi
}

# SGR sequences that set a colour (30-37, 38;..., 39 excluded, 40-47, 48;..., 90-97, 100-107).
tui_has_colour_sgr() {
    tui_capture_e | grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'
}
