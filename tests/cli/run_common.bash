# run_common.bash - helpers for the `tach run` / import / export CLI tests (sourced;
# the .bash name keeps it out of the tests/cli/*.sh glob that makes CTest tests).
set -uo pipefail
TACH=${TACH:?TACH must name the tach binary}
TACH_BUILD=${TACH_BUILD:?}
TACH_SRC=${TACH_SRC:?}
EXPECTED=$TACH_SRC/tests/cli/expected
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
export TACH_STORE="$W/store.db" # never touch a store outside the test's directory
fails=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
  echo "all checks passed"
  exit 0
}

# trun ARGS...: runs `tach run --no-store ARGS`, stdout to $W/out, stderr to $W/err,
# the exit status in $rc.
trun() {
  "$TACH" run --no-store "$@" >"$W/out" 2>"$W/err"
  rc=$?
}

# expect_rc N DESCRIPTION: checks the last trun's status.
expect_rc() {
  if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"; else bad "$2: exit $rc, expected $1"; sed 's/^/    /' "$W/err" | head -20; fi
}

# jqc DESCRIPTION FILE FILTER: the jq filter must print true.
jqc() {
  local v
  v=$(jq -r "$3" "$2" 2>&1)
  if [ "$v" = true ]; then ok "$1"; else bad "$1: $3 gave '$v'"; fi
}
