#!/usr/bin/env bash
# history_marks.sh - what `tach history` says of runs without a median and of flags that
# would change nothing: a run where a benchmark failed, crashed or was skipped is a `·`
# in its sparkline, as --help and docs/guide.md say; --changes (the table's list of the
# change points) beside --format json or csv, which always hold them, is refused (exit 2).
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
for i in 1 2 3 6; do mkdoc r$i.json a:steady:12:1 b:steady:12:1; done
mkdoc r4.json a:steady:12:1 b:steady:12:1:skipped
mkdoc r5.json a:steady:12:1 b:steady:12:1:crashed
"$TACH" record -q --store s.db r1.json r2.json r3.json r4.json r5.json r6.json >/dev/null || fail "record"

# the skipped run 4 and the crashed run 5 of b: a · each; a, measured in all six, none
if expect 0 "$TACH" history --store s.db; then
  out_has '^b +6 .* ▄▄▄··▄ ' && out_has '^a +6 .* ▄▄▄▄▄▄ ' && ok "history: skipped and crashed runs are a ·"
fi
# and the help says what a · is: a skipped run too, not only a failed one
if expect 0 "$TACH" history --help; then
  tr '\n' ' ' <out | grep -q '· for a run without one: the  *benchmark failed, crashed, timed out or was skipped there' &&
    ok "history --help: · is a run without a median (failed, crashed, timed out or skipped)" ||
    fail "history --help does not say what a · is: $(grep -n '·' out)"
fi
grep -q 'for a run without its median: one where it failed, crashed, timed out or was skipped' \
  "$TACH_SRC/docs/guide.md" && ok "docs/guide.md: a skipped run is a · too" || fail "docs/guide.md: · not for a skipped run"

# --changes with --format json or csv: they always hold the change points, refused
for f in json csv; do
  if expect 2 "$TACH" history --store s.db --changes --format $f; then
    err_line "^tach history: --changes lists the change points under the table: --format $f gives them always" &&
      [ ! -s out ] && ok "history --changes --format $f refused (exit 2), nothing on stdout"
  fi
done
expect 0 "$TACH" history --store s.db --changes && ok "history --changes (the table) taken"
finish
