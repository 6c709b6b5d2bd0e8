# Delta conformance and restores on the strict S3 server, every SigV4 signature checked
# (tests/cloud/delta_lib.sh); no request may fail its signature check.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/delta_lib.sh"
clear_cloud_env
load_env s3strict
B="lrdelta$$"
control "$LR_S3_CONTROL_URL" "{\"createBucket\":\"$B\"}"
# the server's stats are shared by every test of the fixture: count our run's bad signatures
sigfail() { curl -sS "$LR_S3_CONTROL_URL" | { grep -o '"SignatureDoesNotMatch":[0-9]*' || true; } | cut -d: -f2; }
before=$(sigfail)
delta_conformance "s3://$B/lake"
after=$(sigfail)
[ "${after:-0}" = "${before:-0}" ] || fail "$(( ${after:-0} - ${before:-0} )) signature failures"
ok "Delta tables read and restore on the strict S3 server as from the local folder"
rm -rf "$WORK"
