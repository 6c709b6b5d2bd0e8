# The end-to-end story (tests/e2e/test_rollback_cli.c: checkpoint, bad sync, dry run, refusals,
# rollback, validations, undo back to the bad-sync state, rollback again, DuckDB read-back of
# every metadata table, and a writer appending during the run) on Azurite instead of a local
# folder: the same program, with the lakehouse at az://CONTAINER/e2e-PID/ and the emulator's
# Shared Key in the environment.
set -euo pipefail
: "${LR_BUILD_DIR:?run through ctest (LR_BUILD_DIR unset)}"
svc_dir="${LR_SVC_DIR:-$LR_BUILD_DIR/services}"
[ -f "$svc_dir/azurite.env" ] || { echo "FAIL: Azurite is not running (no $svc_dir/azurite.env)" >&2; exit 1; }
unset AZURE_STORAGE_SAS_TOKEN AZURE_STORAGE_TOKEN AZURE_CLIENT_ID AZURE_CLIENT_SECRET \
  AZURE_TENANT_ID AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY 2>/dev/null || true
set -a; . "$svc_dir/azurite.env"; set +a
unset AZURE_STORAGE_SAS_TOKEN
export LR_E2E_LAKEHOUSE="az://$LR_AZURITE_CONTAINER/e2e-$$"
start=$(date +%s%N)
"$LR_BUILD_DIR/tests/e2e_test_rollback_cli"
echo "ok - the end-to-end story passes on Azurite ($LR_E2E_LAKEHOUSE) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
