#!/usr/bin/env bash
# suite_markdown.sh - a suite's run as a Markdown table (--format markdown, convert --to
# markdown) has no Relative column: its rows measure different work (compress against
# decompress, other codecs and levels, sizes), and a ratio across them read as one row
# being 21x slower than another.  A benchmark run keeps hyperfine's Relative column.
source "$(dirname "$0")/lib.bash"
for s in compression crypto storage bus; do
  expect 0 "$TACH" convert "$DATA/suite_${s}_run.json" --to markdown \
    && out_has '^\| Command \| Mean \[[^]]*\] \| Min \[[^]]*\] \| Max \[[^]]*\] \|$' && out_lacks 'Relative \|' \
    && out_has '^\*A suite.s rows measure different work .*no Relative column compares them\.\*$' \
    && ok "convert $s suite run: no Relative column" || fail "convert $s suite run: no Relative column"
done
expect 0 "$TACH" convert "$DATA/report_new.json" --to markdown && out_has '^\| Command \| .* \| Relative \|$' \
  && out_lacks 'A suite.s rows' && ok "a benchmark run keeps Relative" || fail "a benchmark run keeps Relative"
finish
