#!/usr/bin/env bash
# outside_paths.test.sh - a target version whose files are named by an absolute URI (a shallow
# clone, or a hostile log) is refused with its own message, not called "vacuumed", and
# --ignore-missing-files is the documented way through.
set -euo pipefail
BIN=${LR_BIN:?}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/outside-XXXXXX")
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
{"add":{"path":"s3://elsewhere/b.parquet","partitionValues":{},"size":4,"modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":1}"}}
JSON
cat >"$L/00000000000000000001.json" <<'JSON'
{"commitInfo":{"timestamp":1700000001000,"operation":"WRITE"}}
{"remove":{"path":"a.parquet","deletionTimestamp":1700000001000,"dataChange":true}}
{"remove":{"path":"s3://elsewhere/b.parquet","deletionTimestamp":1700000001000,"dataChange":true}}
{"add":{"path":"c.parquet","partitionValues":{},"size":4,"modificationTime":1700000001000,"dataChange":true,"stats":"{\"numRecords\":1}"}}
JSON

set +e
out=$("$BIN" table restore "$T/t" --version 0 2>&1); rc=$?
set -e
[ $rc -eq 3 ] || fail "restore to a version with an absolute path: exit $rc, want 3 (refused): $out"
grep -q "absolute URI or a path outside the table root (first: s3://elsewhere/b.parquet)" <<<"$out" ||
  fail "no outside-table message: $out"
grep -q "vacuumed" <<<"$out" && fail "an absolute path was called vacuumed: $out"
set +e
out=$("$BIN" table restore "$T/t" --version 0 --ignore-missing-files 2>&1); rc=$?
set -e
[ $rc -eq 5 ] || fail "with --ignore-missing-files the dry run should complete (exit 5), got $rc: $out"
echo "outside_paths: ok"
