# The operator recorded in the audit rows of a run on Azurite (--oauth basic, HTTPS) with a
# service principal's bearer token from the local token service is the token's identity
# (tokensvc's tokens carry appid, no upn: "app:<client id>"), never the token itself.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/identity_story.sh"
clear_cloud_env
load_env azurite-oauth
load_env token
unset AZURE_STORAGE_ACCOUNT_KEY AZURE_STORAGE_USE_EMULATOR AZURE_FEDERATED_TOKEN_FILE \
  AZURE_MSI_ENDPOINT IDENTITY_ENDPOINT IDENTITY_HEADER
export AZURE_STORAGE_ENDPOINT="$LR_AZURITE_BLOB_URL" AZURE_CA_BUNDLE="$LR_AZURITE_CA" \
  AZURE_STORAGE_ACCOUNT_NAME=devstoreaccount1
identity_story "az://$LR_AZURITE_CONTAINER/identity-$$" "app:$AZURE_CLIENT_ID"
ok "audit rows and CreatedBy name app:$AZURE_CLIENT_ID (the token's appid)"
