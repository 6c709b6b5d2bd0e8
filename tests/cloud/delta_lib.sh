# delta_lib.sh - the Delta conformance and restore run shared by tests/cloud/delta_*.test.sh
# (sourced after lib.sh, not a test itself).
#
# delta_conformance BASE_URI: upload each table of DELTA_TABLES from the corpus under BASE_URI,
# then (1) `table show --json --files` at every version the corpus MANIFEST lists equals the
# local folder's answer; (2) `table restore --execute` to earlier versions writes exactly one new
# commit (version N+1 exists, N+2 does not) whose snapshot, read again by a new process, holds
# exactly the target version's files.
LR="${LR_BIN:?}"
CORPUS="${LAKEREWIND_CORPUS:?}/delta"
CMP="$(dirname "${BASH_SOURCE[0]}")/deltacmp.js"
# Partitioned + deletion vectors + checkpoint; checkpointed; column mapping (id mode);
# deletion vectors; v2 checkpoint (parquet); partition values changing over time.
DELTA_TABLES=${DELTA_TABLES:-"golden-dv-partitioned-with-checkpoint delta-rs-simple_table_with_checkpoint
  kernel-rs-cdf-column-mapping-id-mode delta-rs-table-with-dv-small golden-v2-checkpoint-parquet
  golden-time-travel-partition-changes-b"}
export HOME="$WORK" XDG_CONFIG_HOME="$WORK/no-xdg"

# exists URI KEY: 0 when the store lists KEY
store_has() { "$TOOL" "$1" list "$(dirname "$2")/" | grep -q "^$2 "; }

delta_conformance() {
  local base=$1 t u d versions latest v w target nv=0 nr=0
  local start
  start=$(date +%s%N)
  for t in $DELTA_TABLES; do
    [ -d "$CORPUS/$t" ] || fail "corpus table $t missing (LAKEREWIND_CORPUS=$LAKEREWIND_CORPUS)"
    u="$base/$t"
    d="$WORK/$t"
    mkdir -p "$d"
    "$TOOL" "$u" upload "$CORPUS/$t" > /dev/null || fail "upload of $t"
    versions=$(node "$CMP" manifest "$CORPUS/MANIFEST.json" "$t")
    for v in $versions; do
      "$LR" table show "$CORPUS/$t" --version "$v" --json --files > "$d/local.$v.json" ||
        fail "local table show $t --version $v"
      "$LR" table show "$u" --version "$v" --json --files > "$d/remote.$v.json" 2> "$d/err" ||
        fail "table show $u --version $v: $(cat "$d/err")"
      nv=$((nv + 1))
    done
    # shellcheck disable=SC2086
    node "$CMP" versions "$d" $versions || fail "$t: the store and the local folder disagree"
    latest=${versions##* }
    # restore to the first version, then to the middle one (a version before the first restore)
    for target in 0 $((latest / 2)); do
      [ "$target" -lt "$latest" ] || continue
      local cur
      cur=$("$LR" table show "$u" --json | sed -n 's/^{"version":\([0-9]*\),.*/\1/p')
      [ -n "$cur" ] || fail "$t: no latest version"
      "$LR" table restore "$u" --version "$target" --execute --json > "$d/restore.json" 2> "$d/err" ||
        fail "table restore $u --version $target: $(cat "$d/err")"
      w=$(sed -n 's/.*"version_written":\([0-9]*\).*/\1/p' "$d/restore.json")
      [ "$w" = $((cur + 1)) ] || fail "$t: restore from $cur wrote version '$w': $(cat "$d/restore.json")"
      "$LR" table show "$u" --json --files > "$d/after.json" || fail "$t: show after restore"
      "$LR" table show "$u" --version "$target" --json --files > "$d/target.json" ||
        fail "$t: show --version $target after restore"
      node "$CMP" restored "$d/after.json" "$d/target.json" "$w" || fail "$t: restore to $target"
      store_has "$u" "$(printf '_delta_log/%020d.json' "$w")" || fail "$t: commit $w not listed"
      if store_has "$u" "$(printf '_delta_log/%020d.json' $((w + 1)))"; then
        fail "$t: a second commit $((w + 1)) appeared"
      fi
      nr=$((nr + 1))
    done
  done
  echo "$nv versions compared, $nr restores checked in $(( ($(date +%s%N) - start) / 1000000 )) ms"
}
