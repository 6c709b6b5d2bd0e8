# Delta conformance and restores on the strict S3 server, every SigV4 signature checked
# (tests/cloud/delta_lib.sh); no request may fail its signature check.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/delta_lib.sh"
clear_cloud_env
load_env s3strict
B="lrdelta$$"
control "$LR_S3_CONTROL_URL" "{\"createBucket\":\"$B\"}"
delta_conformance "s3://$B/lake"
stats=$(curl -sS "$LR_S3_CONTROL_URL")
echo "$stats" | grep -q '"authFailures":{}' || fail "signature failures: $stats"
ok "Delta tables read and restore on the strict S3 server as from the local folder"
rm -rf "$WORK"
