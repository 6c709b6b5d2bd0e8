#!/usr/bin/env bash
# build.test.sh - the demo lakehouse: deterministic (two builds, same files and checksums),
# realistic (20 tables, 20-60 versions each, Parquet checkpoints every 10 commits, named
# checkpoints of every type) and broken the way the story says (a bad sync after the latest good
# checkpoint that a dry run reports), and a second `demo` on the same folder keeps it.
set -euo pipefail
BIN=${LR_BIN:?}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/demo-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/no-config

"$BIN" demo "$T/a" --no-tui --as-of 2026-03-01 --scale 20 >"$T/a.out"
"$BIN" demo "$T/b" --no-tui --as-of 2026-03-01 --scale 20 >"$T/b.out"
grep -q "20 tables" "$T/a.out" || fail "summary: $(cat "$T/a.out")"
(cd "$T/a" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$T/a.sum"
(cd "$T/b" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$T/b.sum"
[ "$(wc -l <"$T/a.sum")" -gt 500 ] || fail "too few files: $(wc -l <"$T/a.sum")"
diff -q "$T/a.sum" "$T/b.sum" >/dev/null || fail "two builds differ: $(diff "$T/a.sum" "$T/b.sum" | head)"

# A different day gives different commit times (so the anchor really is used).
"$BIN" demo "$T/c" --no-tui --as-of 2026-03-02 --scale 20 >/dev/null
cmp -s "$T/a/Tables/account/_delta_log/00000000000000000000.json" \
       "$T/c/Tables/account/_delta_log/00000000000000000000.json" && fail "--as-of ignored"

# Every table: 20..60 versions, a checkpoint with _last_checkpoint, readable at every 10th version.
n=0
for dir in "$T"/a/Tables/*/; do
  name=$(basename "$dir")
  [ "$name" = metadata ] && continue
  n=$((n + 1))
  v=$("$BIN" table show "$dir" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).version))')
  [ "$v" -ge 19 ] && [ "$v" -le 60 ] || fail "$name has version $v"
  [ -f "$dir/_delta_log/_last_checkpoint" ] || fail "$name has no _last_checkpoint"
  [ -f "$dir/_delta_log/00000000000000000010.checkpoint.parquet" ] || fail "$name: no checkpoint at 10"
  "$BIN" table show "$dir" --version 10 --json >/dev/null || fail "$name unreadable at 10"
done
[ "$n" -eq 20 ] || fail "expected 20 tables, found $n"

# Named checkpoints of every type.
"$BIN" --lakehouse "$T/a" checkpoints list --json >"$T/cps.json"
for type in Daily PrePurge PreDeployment Manual PostRollback; do
  grep -q "\"type\": *\"$type\"" "$T/cps.json" || fail "no $type checkpoint"
done

# The bad sync: a dry run to the latest good checkpoint finds the damaged tables and writes nothing.
before=$(cd "$T/a" && find Tables -path '*metadata*' -prune -o -type f -print | sort | sha256sum)
set +e
"$BIN" --lakehouse "$T/a" rollback before-nightly-sync --json >"$T/impact.json"
rc=$?
set -e
[ $rc -eq 5 ] || fail "dry run exit $rc (want 5)"
after=$(cd "$T/a" && find Tables -path '*metadata*' -prune -o -type f -print | sort | sha256sum)
[ "$before" = "$after" ] || fail "the dry run changed a table"
for t in account contact donation activitypointer opportunity; do
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = d.tables.find(x => x.name === process.argv[2]);
    if (!t || t.current_version === t.target_version) process.exit(1);
  ' "$T/impact.json" "$t" || fail "dry run does not report damage in $t"
done

# `demo` on a built folder keeps it.
"$BIN" demo "$T/a" --no-tui >"$T/again.out"
grep -q "already built" "$T/again.out" || fail "second demo run: $(cat "$T/again.out")"
echo "demo: ok"
