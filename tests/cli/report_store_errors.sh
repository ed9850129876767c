#!/usr/bin/env bash
# report_store_errors.sh - a store that opens but then fails a read makes `tach report`
# and `tach certify` exit 2 with one line naming the store (their --help), like a store
# that cannot be opened: never 1 (a report not written, a certificate REJECTED), nor a
# report written without what could not be read (its commit, its comparison).  The store
# is lib.bash's read_failing_store.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc slow.json suite/a:steady:30:1.15 suite/b:steady:30:1
"$TACH" record -q --store good.db base.json slow.json >/dev/null 2>&1 || { fail "record"; finish; }
expect 0 "$TACH" report --store good.db -o good.md && ok "the intact store: report written"
read_failing_store good.db bad.db || finish
# no run named (the default pair), a run named (its default base), latest, --baseline,
# --since, --no-compare
for cmd in report certify; do
  for args in "" "2" "latest" "--baseline 1" "--since 1" "--no-compare" "1 --baseline 2"; do
    rm -f out.md
    # shellcheck disable=SC2086
    expect 2 "$TACH" $cmd --store bad.db $args -o out.md && err_has "bad.db" \
      && err_has "malformed JSON" && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e out.md ] \
      && ok "$cmd $args: a store read that fails: exit 2, one line naming the store, nothing written" \
        || fail "$cmd $args: a store read that fails: exit 2, one line naming the store, nothing written"
  done
done
# the exit status each --help lists for it
"$TACH" report --help | tr '\n' ' ' | grep -q "2 bad input or a store that cannot be opened or read" \
  && ok "report --help lists it" || fail "report --help: a store that cannot be read"
"$TACH" certify --help | tr '\n' ' ' | grep -q "2 bad input or a store that cannot be opened or read" \
  && ok "certify --help lists it" || fail "certify --help: a store that cannot be read"
finish
