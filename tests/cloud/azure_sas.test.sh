# The store conformance suite on Azurite with a SAS token and no key; then a read-only SAS reads
# but its writes fail with a clear permission error.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
unset AZURE_STORAGE_ACCOUNT_KEY
export AZURE_STORAGE_SAS_TOKEN="$LR_AZURITE_SAS"
export LR_STORE_URI="az://$LR_AZURITE_CONTAINER/conformance-sas"
# the 1,000-round race runs with Shared Key; the SAS path gets 200 rounds to keep CI time down
export LR_RACE_ROUNDS="${LR_RACE_ROUNDS:-200}"
"$CONFORMANCE"
ok "store conformance passes on Azurite with an account SAS"

U="az://$LR_AZURITE_CONTAINER/sas-ro"
"$TOOL" "$U" put a.json hello
AZURE_STORAGE_SAS_TOKEN="$LR_AZURITE_SAS_RO" "$TOOL" "$U" get a.json > "$WORK/got"
[ "$(cat "$WORK/got")" = hello ] || fail "read with the read-only SAS: $(cat "$WORK/got")"
if AZURE_STORAGE_SAS_TOKEN="$LR_AZURITE_SAS_RO" "$TOOL" "$U" put b.json x 2> "$WORK/err"; then
  fail "a write with a read-only SAS succeeded"
fi
grep -q "EPERM\|EAUTH" "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"
grep -q "AuthorizationPermissionMismatch" "$WORK/err" || fail "no service code: $(cat "$WORK/err")"
if grep -q "sig=" "$WORK/err"; then fail "the SAS signature leaked: $(cat "$WORK/err")"; fi
ok "a read-only SAS reads and is refused writes with a permission error"
