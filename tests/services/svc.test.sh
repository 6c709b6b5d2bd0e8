# svc itself: status reflects reality; a second start of the same instance replaces the first
# (no orphan); a bad option fails fast with a clear message and leaves no process; an unknown
# service is refused; stop is idempotent; every service the fixtures use answers on its port.
. "$(dirname "$0")/lib.sh"
I="$T-svc"
svc_start webhook "$I"
$SVC status "$I" | grep -q running || fail "status after start"
pid1=$(fact "$I.pid")
svc_start webhook "$I"
pid2=$(fact "$I.pid")
[ "$pid1" != "$pid2" ] || fail "restart kept the same pid"
if running "$pid1"; then fail "restart left the first instance (pid $pid1) running"; fi
ok "second start replaces the first instance"
svc_stop_checked "$I"
if $SVC status "$I" >/dev/null; then fail "status after stop"; fi
$SVC stop "$I" | grep -q 'not running' || fail "second stop"
ok "status and idempotent stop"

if out=$($SVC start s3strict --name "$I-bad" --fault-rate 7 2>&1); then fail "bad option accepted"; fi
grep -q -- '--fault-rate must be within 0..1' <<<"$out" || fail "unclear error: $out"
[ ! -e "$LR_SVC_DIR/$I-bad.pid" ] || fail "pid file after failed start"
ok "a service that exits at start is reported with its log: $(tail -n1 <<<"$out")"
if out=$($SVC start nosuch 2>&1); then fail "unknown service accepted"; fi
grep -q "unknown service 'nosuch'" <<<"$out" || fail "unclear error: $out"
rm -f "$LR_SVC_DIR/$I-bad.log" "$LR_SVC_DIR/$I.log"
ok "unknown service refused"
