#!/usr/bin/env bash
# layering.test.sh - the two worlds stay apart (style.md, "Two worlds"):
#   core/  never includes curses, never prints (printf, puts, fprintf/fputs to stdout/stderr,
#          perror), never exits or aborts (exit, abort);
#   tui/   never includes curl or calls libcurl, never reads or writes objects itself
#          (lr_store_get/_get_range/_put/_put_if_absent/_list/_list_page) outside tui/cli/
#          (subcommands may open stores to hand them to core), never builds Delta log names
#          (_last_checkpoint, %020lld versions, .checkpoint. files). Help text may still say
#          "_delta_log".
# Comments are ignored; string literals too, except for the _delta_log rule.
# The checker first proves itself on a small tree of known violations.
set -euo pipefail
SRC=${LR_SOURCE_DIR:?LR_SOURCE_DIR not set}

# strip FILE [keep-strings]: the file without comments (and without string contents).
strip() {
  perl -0777 -pe '
    s{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse;   # block comments, keep line count
    s{//[^\n]*}{}g;
    s{"(?:\\.|[^"\\\n])*"}{""}g unless $ENV{KEEP_STRINGS};
    s{\x27(?:\\.|[^\x27\\\n])*\x27}{\x27\x27}g unless $ENV{KEEP_STRINGS};
  ' "$1"
}

# grep_rule ROOT LABEL REGEX FILES...: print "file:line: LABEL: text" for each match.
grep_rule() {
  local root=$1 label=$2 re=$3; shift 3
  local f
  for f in "$@"; do
    strip "$f" | grep -nP -- "$re" | sed "s|^|${f#$root/}:|; s|\$| [$label]|" || true
  done
}

# check ROOT: print every violation under ROOT/core and ROOT/tui.
check() {
  local root=$1
  local core_files tui_files tui_not_cli
  mapfile -t core_files < <(find "$root/core" -name '*.[ch]' 2>/dev/null | sort)
  mapfile -t tui_files < <(find "$root/tui" -name '*.[ch]' 2>/dev/null | sort)
  mapfile -t tui_not_cli < <(find "$root/tui" -name '*.[ch]' -not -path "$root/tui/cli/*" \
                              2>/dev/null | sort)
  if [ ${#core_files[@]} -gt 0 ]; then
    grep_rule "$root" "core includes curses" '#\s*include\s*[<"](n?cursesw?/)?n?curses(w)?\.h' \
      "${core_files[@]}"
    grep_rule "$root" "core prints" \
      '(?<![\w.>])(printf|puts|perror|vprintf)\s*\(|\b(fprintf|vfprintf|fputs|fputc|putc|fwrite)\s*\([^;]*\b(stdout|stderr)\b' \
      "${core_files[@]}"
    grep_rule "$root" "core exits or aborts" '(?<![\w.>])(exit|abort|quick_exit)\s*\(' \
      "${core_files[@]}"
  fi
  if [ ${#tui_files[@]} -gt 0 ]; then
    grep_rule "$root" "tui uses libcurl" '#\s*include\s*[<"]curl/|\bcurl_\w+\s*\(' \
      "${tui_files[@]}"
    KEEP_STRINGS=1 grep_rule "$root" "tui parses the Delta log" \
      '_last_checkpoint|%0?20(ll|j|PRI)|\.checkpoint\.(\d|parquet)' "${tui_files[@]}"
  fi
  if [ ${#tui_not_cli[@]} -gt 0 ]; then
    grep_rule "$root" "tui reads or writes objects" \
      '\blr_store_(get|get_range|put|put_if_absent|list|list_page|delete)\s*\(' \
      "${tui_not_cli[@]}"
  fi
}

# 1. The checker catches each kind of violation, and passes look-alikes that are fine.
FIX=$(mktemp -d "${LR_TEST_TMP:-/tmp}/layering-XXXXXX")
mkdir -p "$FIX/core/x" "$FIX/tui/cli" "$FIX/tui/screens"
cat >"$FIX/core/x/bad.c" <<'C'
#include <ncurses.h>
void f(void) { printf("x"); }
void g(void) { fprintf(stderr, "y"); }
void h(void) { puts("z"); }
void i(void) { exit(1); }
void j(void) { abort(); }
C
cat >"$FIX/core/x/good.c" <<'C'
/* never printf(...) or exit(1) here; fprintf(stderr) is for the front end */
void f(char *b) { snprintf(b, 4, "printf(%d)", 1); fprintf(log_file, "ok"); }
static int on_exit_hook(void) { return s->ops->exit(s); }
const char *m = "call exit( or abort( in a string";
C
cat >"$FIX/tui/screens/bad.c" <<'C'
#include <curl/curl.h>
void f(void) { lr_store_get(s, "Tables/a/_delta_log/_last_checkpoint", &b, &e); }
const char *help = "a folder holding a _delta_log/ folder";
C
cat >"$FIX/tui/cli/ok.c" <<'C'
void f(void) { lr_store_list(s, "", NULL, &p, &e); /* _delta_log in a comment */ }
const char *usage = "URI: the table root (a folder holding _delta_log/)";
C
cat >"$FIX/tui/cli/bad.c" <<'C'
void f(void) { snprintf(k, n, "%s/_delta_log/%020lld.json", t, (long long)v); }
C
got=$(check "$FIX")
expected_labels=("core includes curses" "core prints" "core prints" "core prints"
                 "core exits or aborts" "core exits or aborts" "tui uses libcurl"
                 "tui parses the Delta log" "tui parses the Delta log"
                 "tui reads or writes objects")
for label in "${expected_labels[@]}"; do
  grep -qF "[$label]" <<<"$got" || { echo "$got"; echo "FAIL: checker missed: $label"; exit 1; }
done
n=$(grep -c . <<<"$got")
[ "$n" -eq 10 ] || { echo "$got"; echo "FAIL: expected 10 findings in the fixture, got $n"; exit 1; }
grep -q "good.c\|ok.c" <<<"$got" && { echo "$got"; echo "FAIL: false positive"; exit 1; }

# 2. The real tree.
found=$(check "$SRC")
if [ -n "$found" ]; then
  echo "$found"
  echo "FAIL: layering violations (see style.md, 'Two worlds')"
  exit 1
fi
echo "layering: ok ($(find "$SRC/core" "$SRC/tui" -name '*.[ch]' | wc -l) files)"
