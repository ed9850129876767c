# runner_common.bash - helpers for the runner_*.sh tests of libtach's runner (sourced;
# the .bash name keeps it out of the tests/cli/*.sh glob that makes CTest tests).
# Gives $tmp (removed at exit), check DESCRIPTION COMMAND..., jqt JQ-ARGS... (a jq
# condition over a file, quietly) and finish (the summary line and exit status).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {
    local what=$1; shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
jqt() { jq -e "$@" >/dev/null; }
finish() {
    echo "$fails failed"
    test "$fails" -eq 0
}
