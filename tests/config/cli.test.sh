#!/usr/bin/env bash
# cli.test.sh - `lakerewind config check|paths|keys` and the configuration main loads for every
# command: the XDG search order, secrets shown as ***, the permission warning, errors with
# file:line:column, and log.file honoured for the debug log.
set -euo pipefail
BIN=${LR_BIN:?LR_BIN not set}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/config-cli-XXXXXX")
export HOME=$T/home XDG_CONFIG_HOME=$T/xdg
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
unset LAKEREWIND_PROD_WEBHOOK_URL LAKEREWIND_PROD_STORAGE_AZURE_STORAGE_ACCOUNT_KEY || true
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "expected '$2' in $1"; }; }
hasnt() { ! grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "did not expect '$2' in $1"; }; }

# No file anywhere (unless the machine has /etc/lakerewind/config.yaml): built-in defaults.
"$BIN" config paths >"$T/out"
has "$T/out" "$XDG_CONFIG_HOME/lakerewind/config.yaml (missing)"
if [ ! -e /etc/lakerewind/config.yaml ]; then
  has "$T/out" "using: built-in defaults"
  "$BIN" config check >"$T/out"
  has "$T/out" "configuration: built-in defaults (no file found)"
  has "$T/out" "profiles.default.metadata_location"
fi

# The XDG file is found and used; a secret in it is masked; mode 644 gives a warning.
mkdir -p "$XDG_CONFIG_HOME/lakerewind"
CFG=$XDG_CONFIG_HOME/lakerewind/config.yaml
cat >"$CFG" <<YAML
default_profile: prod
profiles:
  prod:
    lakehouse: $T/lake
    storage:
      azure_storage_account_name: acct
      azure_storage_account_key: c2VjcmV0LWtleS12YWx1ZQ==
log:
  file: $T/debug.log
  level: info
YAML
chmod 644 "$CFG"
"$BIN" config paths >"$T/out"
has "$T/out" "using: $CFG"
"$BIN" config check >"$T/out" 2>"$T/err"
has "$T/out" "configuration: $CFG"
has "$T/out" "profile: prod"
has "$T/out" "azure_storage_account_key: ***"
hasnt "$T/out" "c2VjcmV0LWtleS12YWx1ZQ=="
has "$T/err" "warning: configuration file $CFG holds a secret"
has "$T/err" "chmod 600"
hasnt "$T/err" "c2VjcmV0LWtleS12YWx1ZQ=="
chmod 600 "$CFG"
"$BIN" config check >"$T/out" 2>"$T/err"
[ ! -s "$T/err" ] || { cat "$T/err"; fail "no warning expected at mode 600"; }

# log.file from the configuration receives the debug log, with no secret in it.
[ -s "$T/debug.log" ] || fail "log.file $T/debug.log was not written"
has "$T/debug.log" "command config, configuration $CFG, profile prod"
hasnt "$T/debug.log" "c2VjcmV0LWtleS12YWx1ZQ=="

# Environment overrides, shown with their origin and masked; JSON output.
LAKEREWIND_PROD_WEBHOOK_URL=https://hooks.example.invalid/abc123 \
  "$BIN" config check --json >"$T/out"
has "$T/out" '"ok": true'
has "$T/out" '"path": "profiles.prod.webhook.url"'
has "$T/out" '"origin": "env LAKEREWIND_PROD_WEBHOOK_URL"'
hasnt "$T/out" "hooks.example.invalid"

# --config wins over XDG; --profile picks a profile; a wrong profile is an error with position.
cat >"$T/other.yaml" <<YAML
profiles:
  dev:
    lakehouse: $T/dev
    parallel: 3
YAML
"$BIN" --config "$T/other.yaml" --profile dev config check >"$T/out"
has "$T/out" "configuration: $T/other.yaml"
has "$T/out" "profiles.dev.parallel"
if "$BIN" --config "$T/other.yaml" --profile dve config check >"$T/out" 2>"$T/err"; then
  fail "unknown profile accepted"
fi
has "$T/err" "no profile 'dve' (from --profile) (did you mean 'dev'?): $T/other.yaml:1:1: expected"

# Errors name file, line and column, for `config check` and for any other command.
printf 'profiles:\n  dev:\n    lakehouse: /x\n    paralel: 2\n' >"$T/bad.yaml"
if "$BIN" --config "$T/bad.yaml" config check >"$T/out" 2>"$T/err"; then fail "bad config accepted"; fi
has "$T/err" "unknown key 'paralel' in profiles.dev (did you mean 'parallel'?): $T/bad.yaml:4:5: expected one of:"
"$BIN" --config "$T/bad.yaml" config check --json >"$T/out" 2>/dev/null || true
has "$T/out" '"code": "EINVAL"'
# The console loads the configuration first: it must refuse before touching the terminal.
if "$BIN" --config "$T/bad.yaml" </dev/null >"$T/out" 2>"$T/err"; then fail "console ran on a bad config"; fi
has "$T/err" "$T/bad.yaml:4:5: expected"
# help and version work whatever the configuration says.
"$BIN" --config "$T/bad.yaml" version >/dev/null
"$BIN" --config "$T/bad.yaml" help config >"$T/out"
has "$T/out" "config check|paths|keys"
# A missing --config file.
if "$BIN" --config "$T/none.yaml" config paths 2>"$T/err"; then fail "missing --config accepted"; fi
has "$T/err" "$T/none.yaml (from --config): No such file or directory"

# config keys lists every key of the example file.
"$BIN" config keys >"$T/out"
has "$T/out" "profiles.*.lakehouse (required)"
has "$T/out" "profiles.*.webhook.url (secret)"
"$BIN" config keys --json >"$T/out"
has "$T/out" '"path": "log.level"'
echo "config cli: ok"
