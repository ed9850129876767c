#!/usr/bin/env bash
# instr_tmpdir.sh - `tach run --metric instructions` counts each command in a folder of
# $TMPDIR, as a benchmark binary's --metric instructions each benchmark.  A $TMPDIR of 2030 bytes or more was cut to fit half a path (exit 1, "Invalid
# argument"), and one of about 870 to 2030 bytes crashed Valgrind on its --log-file (every
# command "crashed: killed by signal 11", exit 1); a missing one was exit 1.  Up to 855
# bytes it is used; one longer, or one where no folder can be made, is exit 2 naming it,
# before anything runs.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
if ! command -v valgrind >/dev/null; then
  echo "skip: valgrind is not installed (Debian package: valgrind)"; exit 77
fi
most=$(dir_of_length 855)
expect 0 env TMPDIR="$most" "$TACH" run --no-store --metric instructions -- sh -c 'true; true' \
  && out_has "^sh -c 'true; true' +[0-9]+ +ok" && [ -z "$(ls -A "$most")" ] \
  && ok "a TMPDIR of 855 bytes: counted, left empty"

over=$(dir_of_length 1000)
expect 2 env TMPDIR="$over" "$TACH" run --no-store --metric instructions -- touch ran \
  && err_has "TMPDIR is too long for a temporary directory in it (1000 bytes, at most 855: a longer one crashes Valgrind)" \
  && [ ! -e ran ] && [ -z "$(ls -A "$over")" ] && ok "a TMPDIR of 1000 bytes: exit 2 naming it, nothing run"

huge="/$(printf 'x%.0s' $(seq 4100))"
expect 2 env TMPDIR="$huge" "$TACH" run --no-store --metric instructions -- touch ran \
  && err_has "TMPDIR is too long for a temporary directory in it (4101 bytes, at most 855" \
  && [ ! -e ran ] && ok "a TMPDIR longer than a path: exit 2 naming it, nothing run"

expect 2 env TMPDIR="$tmp/missing" "$TACH" run --no-store --metric instructions -- touch ran \
  && err_has "cannot make a temporary directory in '$tmp/missing' (TMPDIR): No such file or directory; set TMPDIR" \
  && [ ! -e ran ] && ok "a missing TMPDIR: exit 2 naming it, nothing run"

# a benchmark binary's --metric instructions: the same folder, the same limit
BIN=$TACH_BUILD/tests/fixture_instr
expect 2 env TMPDIR="$over" "$BIN" --metric instructions --filter '^work$' \
  && err_has "TMPDIR is too long for a temporary directory in it (1000 bytes, at most 855: a longer one crashes Valgrind)" \
  && out_lacks . && ok "binary: a TMPDIR of 1000 bytes: exit 2 naming it, nothing run"
expect 2 env TMPDIR="$tmp/missing" "$BIN" --metric instructions --filter '^work$' \
  && err_has "cannot make a temporary directory in '$tmp/missing' (TMPDIR): No such file or directory; set TMPDIR" \
  && out_lacks . && ok "binary: a missing TMPDIR: exit 2 naming it, nothing run"
if [ "${TACH_TEST_SANITIZE:-OFF}" != ON ]; then # Valgrind cannot run an ASan binary
  expect 0 env TMPDIR="$most" "$BIN" --metric instructions --filter '^work$' --format json --quiet \
    && out_jq '.benchmarks[0].status == "ok"' && [ -z "$(ls -A "$most")" ] \
    && ok "binary: a TMPDIR of 855 bytes: counted, left empty"
fi
finish
