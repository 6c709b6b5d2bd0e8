# `lakerewind --stats` on a local table: one stderr line per store with exact counts (the bytes
# read are the bytes of the commit files; a restore's bytes written are the new commit's size),
# the line also after a failing command, and nothing on stdout.
. "$(dirname "$0")/lib.sh"
LR="${LR_BIN:?}"
CORPUS="${LAKEREWIND_CORPUS:?}/delta"
export HOME="$WORK" XDG_CONFIG_HOME="$WORK/no-xdg"
T="$CORPUS/delta-rs-simple_table"
field() { # field NAME LINE: the number before NAME ("7 requests") or after it ("get 6")
  local v
  v=$(sed -n "s/.*[ (]\([0-9]*\) $1[,) ].*/\1/p" <<<"$2 ")
  [ -n "$v" ] || v=$(sed -n "s/.*[ (]$1 \([0-9]*\)[,)].*/\1/p" <<<"$2")
  echo "$v"
}

"$LR" --stats table show "$T" --json > "$WORK/show.out" 2> "$WORK/show.err"
grep -q "^{" "$WORK/show.out" || fail "no JSON on stdout"
grep -q "stats" "$WORK/show.out" && fail "the stats went to stdout"
[ "$(grep -c '^lakerewind: stats: ' "$WORK/show.err")" = 1 ] || fail "want one line: $(cat "$WORK/show.err")"
line=$(grep '^lakerewind: stats: ' "$WORK/show.err")
echo "  $line"
grep -qF "stats: local $T: " <<<"$line" || fail "store not named: $line"
want=$(cat "$T"/_delta_log/*.json | wc -c)
[ "$(field 'bytes in' "$line")" = "$want" ] || fail "bytes in: want $want (the commit files): $line"
[ "$(field 'bytes out' "$line")" = 0 ] || fail "a read wrote bytes: $line"
[ "$(field list "$line")" -ge 1 ] || fail "no list counted: $line"
ncommits=$(ls "$T"/_delta_log/*.json | wc -l)
[ "$(field get "$line")" -ge "$ncommits" ] || fail "fewer gets than commit files: $line"
sum=$(( $(field list "$line") + $(field get "$line") + $(field head "$line") + $(field put "$line") \
  + $(field delete "$line") + $(field retries "$line") ))
[ "$(field requests "$line")" = "$sum" ] || fail "requests are not the sum of the kinds: $line"
[ "$(field errors "$line")" = 0 ] || fail "errors on a clean read: $line"
ok "table show: exact counts ($line)"

cp -r "$T" "$WORK/t" && chmod -R u+w "$WORK/t"
"$LR" --stats table restore "$WORK/t" --version 1 --execute > "$WORK/r.out" 2> "$WORK/r.err" ||
  fail "restore: $(cat "$WORK/r.err")"
line=$(grep '^lakerewind: stats: ' "$WORK/r.err")
echo "  $line"
new=$(wc -c < "$WORK/t/_delta_log/00000000000000000005.json")
[ "$(field 'bytes out' "$line")" = "$new" ] || fail "bytes out: want $new (the new commit): $line"
[ "$(field put "$line")" = 1 ] || fail "one put (the commit): $line"
ok "table restore: the commit's bytes counted as written"

if "$LR" --stats table show "$WORK/no-such-table" > /dev/null 2> "$WORK/f.err"; then
  fail "a missing table was shown"
fi
grep -q '^lakerewind: stats: ' "$WORK/f.err" || fail "no stats after a failure: $(cat "$WORK/f.err")"
"$LR" --stats version > /dev/null 2> "$WORK/v.err"
grep -qx 'lakerewind: stats: no store was opened' "$WORK/v.err" || fail "$(cat "$WORK/v.err")"
"$LR" table show "$T" --json > /dev/null 2> "$WORK/plain.err"
grep -q 'stats' "$WORK/plain.err" && fail "stats printed without --stats"
ok "stats after a failing command and when no store was opened; none without --stats"
rm -rf "$WORK"
