# The operator recorded in the audit rows of a run on the strict S3 server with AWS
# credentials is "aws:<access key id>".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/identity_story.sh"
clear_cloud_env
load_env s3strict
identity_story "s3://$LR_S3_BUCKET/identity-$$" "aws:$AWS_ACCESS_KEY_ID"
ok "audit rows and CreatedBy name aws:$AWS_ACCESS_KEY_ID"
