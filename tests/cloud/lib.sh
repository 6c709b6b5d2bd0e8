# lib.sh - shared helpers for tests/cloud/*.test.sh (sourced, not a test itself).
set -euo pipefail
: "${LR_BUILD_DIR:?run through ctest (LR_BUILD_DIR unset)}"
export LR_SVC_DIR="${LR_SVC_DIR:-$LR_BUILD_DIR/services}"
CONFORMANCE="$LR_BUILD_DIR/tests/conformance_test_store"
TOOL="$LR_BUILD_DIR/tests/lr_store_tool"
WORK="${LR_TEST_TMP:-/tmp}/cloud-$(basename "$0" .test.sh)-$$"
mkdir -p "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
# load_env INSTANCE: export the variables a running service published
load_env() {
  [ -f "$LR_SVC_DIR/$1.env" ] || fail "service $1 is not running (no $LR_SVC_DIR/$1.env)"
  set -a; . "$LR_SVC_DIR/$1.env"; set +a
}
# unset every Azure/AWS credential variable so a test chooses exactly one
clear_cloud_env() {
  unset AZURE_STORAGE_ACCOUNT_KEY AZURE_STORAGE_SAS_TOKEN AZURE_STORAGE_TOKEN AZURE_CLIENT_ID \
    AZURE_CLIENT_SECRET AZURE_TENANT_ID AZURE_STORAGE_ACCESS_KEY AZURE_STORAGE_MASTER_KEY \
    AZURE_STORAGE_SAS_KEY AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE \
    AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 2>/dev/null || true
}
# control URL JSON: POST a control document to a test service
control() { curl -sS -f -X POST -H 'Content-Type: application/json' --data "$2" "$1" >/dev/null; }
