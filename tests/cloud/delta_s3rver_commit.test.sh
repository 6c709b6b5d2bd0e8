# s3rver accepts If-None-Match: * and overwrites anyway. `table restore --execute` on it must be
# refused with a message that says why and how to proceed, write nothing, and go through once
# the profile declares a single writer (single_writer: true), giving the target's file set.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env s3rver
LR="${LR_BIN:?}"
CORPUS="${LAKEREWIND_CORPUS:?}/delta"
CMP="$(dirname "$0")/deltacmp.js"
export HOME="$WORK" XDG_CONFIG_HOME="$WORK/no-xdg"
T=delta-rs-simple_table_with_checkpoint
U="s3://$LR_S3_BUCKET/commit-$$/$T"
"$TOOL" "$U" upload "$CORPUS/$T" > /dev/null
commits() { "$TOOL" "$U" list _delta_log/ | grep -c '^_delta_log/[0-9]*\.json '; }
before=$(commits)

if "$LR" table restore "$U" --version 2 --execute > "$WORK/out" 2> "$WORK/err"; then
  fail "a restore was committed on a store without conditional create"
fi
echo "  refusal: $(cat "$WORK/err")"
grep -q "cannot create .* exclusively" "$WORK/err" || fail "the refusal does not say why: $(cat "$WORK/err")"
grep -q "single_writer" "$WORK/err" || fail "the refusal does not say how to proceed"
[ "$(commits)" = "$before" ] || fail "a commit was written anyway"
ok "restore refused on s3rver, nothing written"

cat > "$WORK/config.yaml" <<YAML
profiles:
  solo:
    lakehouse: s3://$LR_S3_BUCKET/commit-$$
    single_writer: true
YAML
"$LR" --config "$WORK/config.yaml" --profile solo table restore "$U" --version 2 --execute --json \
  > "$WORK/r.json" 2> "$WORK/err" || fail "single_writer restore: $(cat "$WORK/err")"
w=$(sed -n 's/.*"version_written":\([0-9]*\).*/\1/p' "$WORK/r.json")
[ "$(commits)" = $((before + 1)) ] || fail "want exactly one new commit"
"$LR" table show "$U" --json --files > "$WORK/after.json"
"$LR" table show "$U" --version 2 --json --files > "$WORK/target.json"
node "$CMP" restored "$WORK/after.json" "$WORK/target.json" "$w" || fail "restore content"
ok "with single_writer: true the restore commits version $w with version 2's files"
rm -rf "$WORK"
