# Delta conformance and restores on Azurite with Shared Key (tests/cloud/delta_lib.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/delta_lib.sh"
clear_cloud_env
load_env azurite
unset AZURE_STORAGE_SAS_TOKEN
[ -n "$AZURE_STORAGE_ACCOUNT_KEY" ] || fail "azurite published no key"
delta_conformance "az://$LR_AZURITE_CONTAINER/delta-sk-$$"
ok "Delta tables read and restore on Azurite (Shared Key) as from the local folder"
rm -rf "$WORK"
