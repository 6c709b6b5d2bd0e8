# lib.sh - shared helpers for tests/services/*.test.sh (sourced, not a test itself).
set -euo pipefail
SUPPORT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)
SVC="node $SUPPORT/svc"
: "${LR_BUILD_DIR:=$(cd "$SUPPORT/../.." && pwd)/build}"
export LR_SVC_DIR="${LR_SVC_DIR:-$LR_BUILD_DIR/services}"
# Each test script uses its own instance names so it never disturbs a fixture's instance.
T="t$$"
STARTED=()

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

svc_start() { # svc_start SERVICE INSTANCE [args...]
  local service=$1 inst=$2; shift 2
  STARTED+=("$inst")
  $SVC start "$service" --name "$inst" "$@"
}

running() { # running PID: true when PID exists and is not a zombie awaiting its reaper
  local st
  st=$(sed -n 's/^[0-9]* (.*) \([A-Z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

svc_stop_checked() { # stop and prove the process is gone
  local inst=$1 pid
  pid=$(cat "$LR_SVC_DIR/$inst.pid")
  $SVC stop "$inst"
  if running "$pid"; then fail "$inst: pid $pid still alive after stop"; fi
  [ ! -e "$LR_SVC_DIR/$inst.port" ] || fail "$inst: port file left after stop"
  ok "$inst stopped, pid $pid gone"
}

cleanup() { # stop what this test started; on success also drop its logs and records
  local rc=$? inst
  for inst in "${STARTED[@]}"; do $SVC stop "$inst" >/dev/null 2>&1 || true; done
  if [ "$rc" = 0 ]; then
    for inst in "${STARTED[@]}"; do rm -rf "$LR_SVC_DIR/$inst".{log,stats,bodies,data}; done
  else
    echo "service logs kept: $LR_SVC_DIR/$T-*.log" >&2
  fi
}
trap cleanup EXIT

fact() { cat "$LR_SVC_DIR/$1"; }
load_env() { set -a; . "$LR_SVC_DIR/$1.env"; set +a; }
