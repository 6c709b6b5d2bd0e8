#!/usr/bin/env bash
# install.test.sh - `cmake --install` into a temporary prefix puts the binary, the example
# configuration, the themes and the man pages in place, and the installed pieces work.
set -euo pipefail
SRC=${LR_SOURCE_DIR:?} BUILD=${LR_BUILD_DIR:?}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/install-XXXXXX")
P=$T/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/xdg

cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1 || { cat "$T/install.log"; fail "cmake --install"; }
DATA=$P/share/lakerewind
MAN=$P/share/man

[ -x "$P/bin/lakerewind" ] || fail "bin/lakerewind not installed"
"$P/bin/lakerewind" --version | grep -q '^lakerewind ' || fail "installed binary does not run"

[ -f "$DATA/lakerewind.example.yaml" ] || fail "example configuration not installed"
cmp -s "$SRC/config/lakerewind.example.yaml" "$DATA/lakerewind.example.yaml" ||
  fail "installed example configuration differs from config/lakerewind.example.yaml"
"$P/bin/lakerewind" --config "$DATA/lakerewind.example.yaml" config check >/dev/null 2>"$T/err" ||
  { cat "$T/err"; fail "the installed example does not load"; }
[ ! -s "$T/err" ] || { cat "$T/err"; fail "the installed example gives warnings"; }

themes=0
for f in "$SRC"/themes/*.yaml; do
  [ -e "$f" ] || continue
  themes=$((themes + 1))
  cmp -s "$f" "$DATA/themes/$(basename "$f")" || fail "theme $(basename "$f") not installed"
done

pages=0
for f in "$SRC"/man/*.[1-8]; do
  [ -e "$f" ] || continue
  pages=$((pages + 1))
  sec=${f##*.}
  cmp -s "$f" "$MAN/man$sec/$(basename "$f")" || fail "man page $(basename "$f") not in man$sec"
done
[ -f "$MAN/man1/lakerewind.1" ] || fail "man1/lakerewind.1 not installed"
echo "install: ok (binary, example configuration, $themes theme(s), $pages man page(s))"
