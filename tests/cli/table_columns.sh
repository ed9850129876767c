#!/usr/bin/env bash
# table_columns.sh - the terminal tables of compare, gate and history line up by display
# width: a µs cell (two bytes, one column) ends where an ns cell does, and a long change
# (+19900.00%) or CI widens its own column instead of touching the one before it.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json s/big:steady:30:1 s/micro:steady:30:100 s/nano:steady:30:1
mkdoc new.json s/big:steady:30:200 s/micro:steady:30:100 s/nano:steady:30:1

# aligned FILE HEADER_RE COLUMN...: in the table that starts at the line matching
# HEADER_RE (up to the first empty line), every cell named by COLUMN ends (right-aligned
# COLUMN) or starts (COLUMN given as <NAME) at the same display column as its header, and
# two cells are at least two columns apart.  Cells are runs of text without two spaces.
aligned() {
  python3 - "$@" <<'PY'
import re, sys
path, head_re, cols = sys.argv[1], sys.argv[2], sys.argv[3:]
lines = open(path, encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if re.search(head_re, l))
table = []
for l in lines[start:]:
    if not l.strip(): break
    table.append([(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", l)])
head = table[0]
bad = 0
for k, col in enumerate(cols):
    left = col.startswith("<")
    want = head[k][0] if left else head[k][1]
    for row in table[1:]:
        got = row[k][0] if left else row[k][1]
        if got != want:
            print(f"column {col!r}: cell {row[k][2]!r} at {got}, header at {want}: {row}", file=sys.stderr)
            bad = 1
sys.exit(bad)
PY
}
for cmd in compare gate; do
  "$TACH" "$cmd" base.json new.json >"$cmd.out" 2>/dev/null
  check "$cmd: base, new, change, CI, p and q line up (µs and a 5-digit change)" \
    aligned "$cmd.out" '^benchmark ' '<benchmark' base new change '<95% CI' p q
done
check "the table holds a µs cell and a 5-digit change" grep -q '20.1 µs  +19900.00%' compare.out

"$TACH" record --store s.db -q base.json new.json >/dev/null
"$TACH" history --store s.db >history.out
check "history: first, last and change line up (µs beside ns, a 5-digit change)" \
  aligned history.out '^benchmark ' '<benchmark' runs first last change
finish
