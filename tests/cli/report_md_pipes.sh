#!/usr/bin/env bash
# report_md_pipes.sh - a | in a name (a command with a pipe: tach run 'grep x | wc -l')
# in the Markdown report.  In a table cell it is escaped (\|), as GFM reads \| there even
# inside a code span; outside a table (the header, the Problems list, the removed list) a
# code span shows a backslash as written, so | is kept as it is.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
pipes() { # IN OUT
  jq '(.benchmarks[] | select(.name == "misc/crashy") | .name) = "misc/grep x | wc -l" |
      (.benchmarks[] | select(.name == "hash/crc32") | .name) = "hash/a|b" |
      .context.git_commit = "ab|cd"' "$1" >"$2"
}
pipes "$DATA/report_base.json" base.json
pipes "$DATA/report_new.json" new.json

if expect 0 "$TACH" report new.json --baseline base.json -o r.md; then
  # the lines that hold a name, as a GFM reader must get them
  grep -E 'grep x|a\\?\|b|ab\\?\|cd' r.md | sed -E 's/ · \*\*Host\*\*.*//; s/ \| [0-9—].*//' >got.txt
  cat >want.txt <<'WANT'
**Run** `new.json` · **Commit** `ab|cd`
- `misc/grep x | wc -l` **CRASHED** (signal 11, SIGSEGV): killed by signal 11 (SIGSEGV)
| `misc/grep x \| wc -l`
Removed since the baseline: `hash/a|b`.
WANT
  if diff -u want.txt got.txt >diff.txt; then ok "md: | kept in code spans outside tables, \\| in a table cell"
  else fail "md: the names with | differ from what a GFM reader needs:"; cat diff.txt >&2; fi
fi
finish
