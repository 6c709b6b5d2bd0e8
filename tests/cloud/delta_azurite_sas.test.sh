# Delta conformance and restores on Azurite with an account SAS and no key
# (tests/cloud/delta_lib.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/delta_lib.sh"
clear_cloud_env
load_env azurite
unset AZURE_STORAGE_ACCOUNT_KEY
export AZURE_STORAGE_SAS_TOKEN="$LR_AZURITE_SAS"
delta_conformance "az://$LR_AZURITE_CONTAINER/delta-sas-$$"
ok "Delta tables read and restore on Azurite (SAS) as from the local folder"
rm -rf "$WORK"
