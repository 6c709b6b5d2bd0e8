#!/usr/bin/env bash
# restore_operator.test.sh - `table restore --execute` records the same operator as the
# workflow's audit rows: the profile's operator when the store's credential names nobody (a
# local folder), else the login name; never an environment variable of its own.
set -euo pipefail
BIN=${LR_BIN:?}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/restore-op-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/no-config
L=$T/t/_delta_log
mkdir -p "$L"
printf 'PAR1' >"$T/t/a.parquet"
printf 'PAR1' >"$T/t/c.parquet"
schema='{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}'
cat >"$L/00000000000000000000.json" <<JSON
{"commitInfo":{"timestamp":1700000000000,"operation":"WRITE"}}
{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
{"metaData":{"id":"0b9e4b8c-1f38-4a55-9b8e-6f1a2d3c4b5a","format":{"provider":"parquet","options":{}},"schemaString":"$schema","partitionColumns":[],"configuration":{},"createdTime":1700000000000}}
{"add":{"path":"a.parquet","partitionValues":{},"size":4,"modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":1}"}}
JSON
cat >"$L/00000000000000000001.json" <<'JSON'
{"commitInfo":{"timestamp":1700000001000,"operation":"WRITE"}}
{"remove":{"path":"a.parquet","deletionTimestamp":1700000001000,"dataChange":true}}
{"add":{"path":"c.parquet","partitionValues":{},"size":4,"modificationTime":1700000001000,"dataChange":true,"stats":"{\"numRecords\":1}"}}
JSON
cat >"$T/config.yaml" <<EOF2
default_profile: p
profiles:
  p:
    lakehouse: $T
    operator: oncall-restorer
EOF2
chmod 600 "$T/config.yaml"
"$BIN" --config "$T/config.yaml" table restore "$T/t" --version 0 --execute >"$T/out" 2>&1 ||
    { cat "$T/out" >&2; fail "restore with a profile"; }
grep -q '"userName":"oncall-restorer"' "$L/00000000000000000002.json" ||
    fail "commit 2 does not name the profile's operator: $(head -1 "$L/00000000000000000002.json")"
# Without a profile: the login name (what lr_login_name finds), not LAKEREWIND_OPERATOR.
login=$(id -un)
LAKEREWIND_OPERATOR=someone-else "$BIN" table restore "$T/t" --version 1 --execute \
    >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "restore without a profile"; }
grep -q "\"userName\":\"$login\"" "$L/00000000000000000003.json" ||
    fail "commit 3 does not name the login $login: $(head -1 "$L/00000000000000000003.json")"
echo "ok - table restore names the profile's operator, else the login name"
