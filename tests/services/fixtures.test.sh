# The ctest fixtures as other areas use them: this test requires every svc_* fixture (see
# tests.cmake) and only reads the state files in $LR_SVC_DIR; each service must answer there.
. "$(dirname "$0")/lib.sh"
for s in azurite azurite-oauth s3strict proxy token webhook s3rver; do
  [ -s "$LR_SVC_DIR/$s.port" ] || fail "fixture $s: no $LR_SVC_DIR/$s.port (is the fixture wired?)"
  $SVC status "$s" >/dev/null || fail "fixture $s not running"
done
P() { cat "$LR_SVC_DIR/$1.port"; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(P azurite)/devstoreaccount1/lrtest?restype=container&comp=list&$(cat "$LR_SVC_DIR/azurite.sas")")
[ "$code" = 200 ] || fail "azurite fixture: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$(cat "$LR_SVC_DIR/azurite-oauth.cert")" "$(cat "$LR_SVC_DIR/azurite-oauth.url")/lrtest?restype=container&comp=list&$(cat "$LR_SVC_DIR/azurite-oauth.sas")")
[ "$code" = 200 ] || fail "azurite-oauth fixture: $code"
# Through the proxy (in front of the azurite fixture). Its settings are shared with other tests, so
# leave them alone: with faults at 10%, one of a few tries gets through.
code=none
for _ in 1 2 3 4 5 6 7 8 9 10; do
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$(P proxy)/devstoreaccount1/lrtest?restype=container&comp=list&$(cat "$LR_SVC_DIR/azurite.sas")") || true
  [ "$code" = 200 ] && break
done
[ "$code" = 200 ] || fail "proxy fixture: no 200 in 10 tries (last $code)"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(P s3strict)/lrtest/x")
[ "$code" = 403 ] || fail "s3strict fixture (anonymous must be 403): $code"
curl -s "http://127.0.0.1:$(P token)/__control" | grep -q '"issued"' || fail "token fixture"
curl -s "http://127.0.0.1:$(P webhook)/__control" | grep -q '"mode":"ok"' || fail "webhook fixture"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(P s3rver)/")
[ "$code" = 200 ] || fail "s3rver fixture: $code"
ok "every svc_* fixture answers at the port in its state file"
