# report_common.bash - shared by the report_*, site_*, push_* and certify_* CLI tests.
# Provides: $tmp (removed at exit), $DATA (the fixture documents), fail/ok/expect,
# mkstore (a store holding the two fixture runs), empty_store, chromium_dom.
set -uo pipefail
TACH=${TACH:-${TACH_BUILD:?}/tach}
DATA=${TACH_SRC:?}/tests/cli/data
EXPECTED=$TACH_SRC/tests/cli/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
# Reports carry the time they were made: pinned so that output can be compared.
export TACH_REPORT_DATE=2026-01-07T00:00:00Z
unset TACH_STORE

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
finish() { [ "$failures" = 0 ] && echo "all passed" || { echo "$failures failed" >&2; exit 1; }; }

# expect CODE CMD...: runs CMD with stdout in $tmp/out and stderr in $tmp/err; returns 0
# when it exited with CODE (else records a failure and returns 1).
expect() {
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "$* exited $got, expected $want; stderr: $(head -c 400 "$tmp/err")"
    return 1
  fi
  return 0
}
# The error output is exactly one line and matches a regex.
err_line() {
  local n; n=$(wc -l <"$tmp/err")
  [ "$n" = 1 ] || { fail "expected one line on stderr, got $n: $(cat "$tmp/err")"; return 1; }
  grep -Eq -- "$1" "$tmp/err" || { fail "stderr '$(cat "$tmp/err")' does not match '$1'"; return 1; }
}

# A store with run 1 = report_base.json and run 2 = report_new.json.
mkstore() {
  "$TACH" record --store "$1" -q "$DATA/report_base.json" "$DATA/report_new.json" >/dev/null \
    || { echo "cannot build the test store" >&2; exit 1; }
}
# A valid tach store without any run: a recorded store with every table but the
# meta table emptied.
empty_store() {
  mkstore "$1"
  local t
  for t in $(sqlite3 "$1" "select name from sqlite_master where type='table' and name <> 'tach_meta'"); do
    sqlite3 "$1" "delete from $t"
  done
}

# chromium_dom FILE OUT: the DOM after scripts ran, in OUT; the browser's log in OUT.log.
chromium_dom() {
  local prof; prof=$(mktemp -d "$tmp/chrome.XXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
    --enable-logging=stderr --v=0 --virtual-time-budget=2000 \
    --dump-dom "file://$1" >"$2" 2>"$2.log"
}
# Script errors in a chromium log ("Uncaught ..." console messages).
no_script_errors() {
  if grep -E 'Uncaught|SyntaxError|TypeError|ReferenceError' "$1.log" >/dev/null; then
    fail "script errors in $1: $(grep -E 'Uncaught|Error' "$1.log" | head -3)"
    return 1
  fi
  return 0
}
