# webhook: JSON bodies are recorded one per line; invalid JSON is refused; fail mode answers 500 and
# records nothing; failNext fails only the next deliveries; clean stop.
. "$(dirname "$0")/lib.sh"
W="$T-hook"
svc_start webhook "$W"
load_env "$W"
post() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$1" "$LR_WEBHOOK_URL"; }
[ "$(post '{"text": "dry run done",
  "run": "r1"}')" = 200 ] || fail "first post"
[ "$(post '{"@type":"MessageCard","summary":"rollback ok"}')" = 200 ] || fail "second post"
[ "$(post 'not json')" = 400 ] || fail "invalid JSON accepted"
[ "$(wc -l < "$LR_WEBHOOK_BODIES")" = 2 ] || fail "recorded lines: $(cat "$LR_WEBHOOK_BODIES")"
[ "$(head -n1 "$LR_WEBHOOK_BODIES")" = '{"text":"dry run done","run":"r1"}' ] || fail "line 1: $(head -n1 "$LR_WEBHOOK_BODIES")"
ok "bodies recorded one JSON line each; invalid JSON refused"
curl -s -o /dev/null -X POST -d '{"mode":"fail"}' "$LR_WEBHOOK_CONTROL_URL"
[ "$(post '{"text":"x"}')" = 500 ] || fail "fail mode"
curl -s -o /dev/null -X POST -d '{"mode":"ok","failNext":1}' "$LR_WEBHOOK_CONTROL_URL"
[ "$(post '{"text":"y"}')" = 500 ] || fail "failNext"
[ "$(post '{"text":"z"}')" = 200 ] || fail "after failNext"
[ "$(wc -l < "$LR_WEBHOOK_BODIES")" = 3 ] || fail "fail mode must not record"
stats=$(curl -s "$LR_WEBHOOK_CONTROL_URL")
case "$stats" in *'"received":6,"recorded":3,"failed":2,"invalid":1'*) ;; *) fail "stats $stats";; esac
ok "fail mode and failNext answer 500 without recording"
svc_stop_checked "$W"
[ -s "$LR_SVC_DIR/$W.bodies" ] || fail "bodies file should survive stop"
rm -f "$LR_SVC_DIR/$W.bodies" "$LR_SVC_DIR/$W.log"
