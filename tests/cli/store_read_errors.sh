#!/usr/bin/env bash
# store_read_errors.sh - a store that opens but then fails a read (lib.bash's
# read_failing_store: a lock outlasting the busy timeout, an I/O error, a lost PostgreSQL
# connection) makes `tach history`, `tach site` and `tach baseline list` exit 2 with one
# line naming the store and nothing written, as compare, gate, report and certify do
# (gate_store_errors.sh, report_store_errors.sh) -- never 1, nor an output made without
# what could not be read (a baseline's commit shown as "-");
# and `tach report` never warns "no benchmark in common" for runs it could not read.
# Their --help lists it.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc slow.json suite/a:steady:30:1.15 suite/b:steady:30:1
mkdoc other.json other/x:steady:30:1
"$TACH" record -q --store good.db base.json slow.json >/dev/null 2>&1 || { fail "record"; finish; }
"$TACH" baseline save main 1 --store good.db >/dev/null 2>&1 || { fail "baseline save"; finish; }
# two runs of two suites: `tach report` of the latest looks for one of its suite
"$TACH" record -q --store two.db base.json other.json >/dev/null 2>&1 || { fail "record"; finish; }
read_failing_store good.db runs.db || finish                        # a run's record
read_failing_store good.db hist.db tach_benchmarks mean || finish   # a benchmark's history
read_failing_store two.db suite.db tach_benchmarks cv || finish     # one run's benchmarks

# the intact stores: all of it works
expect 0 "$TACH" history --store good.db && ok "history of the intact store"
expect 0 "$TACH" baseline list --store good.db && out_has "^main " && ok "baseline list of the intact store"
expect 0 "$TACH" site --store good.db good-site && ok "site of the intact store"
expect 0 "$TACH" report --store two.db --no-compare -o two.md && err_has "has a benchmark in common with it (run 1 before it is of another suite)" \
  && ok "report: the latest run of another suite than the run before: the warning"

# one line naming the store and the failed read, exit 2, nothing on stdout
failed_read() { # WHAT STORE: the last expect's output
  err_has "$2" && err_has "malformed JSON" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
    && [ ! -s "$tmp/out" ] && ok "$1: a store read that fails: exit 2, one line naming the store" \
      || fail "$1: a store read that fails: exit 2, one line naming the store"
}
for args in "--runs" "--runs --format json" "--runs --format csv"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" history --store runs.db $args && failed_read "history $args" runs.db
done
for args in "" "--format json" "--format csv" "suite/a"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" history --store hist.db $args && failed_read "history $args" hist.db
done
expect 2 "$TACH" baseline list --store runs.db && failed_read "baseline list (a run's commit)" runs.db
for st in runs hist; do
  expect 2 "$TACH" site --store $st.db site-$st && failed_read "site ($st)" $st.db \
    && [ ! -e site-$st/index.html ] && ok "site ($st): no page written" || fail "site ($st): no page written"
done
# the run before the latest could not be read: no "in common" warning, exit 2
expect 2 "$TACH" report --store suite.db --no-compare -o suite.md && err_has "suite.db" \
  && err_has "malformed JSON" && ! grep -q "in common" "$tmp/err" && [ ! -e suite.md ] \
  && ok "report: a failed read is no 'no benchmark in common' warning: exit 2, nothing written" \
    || fail "report: a failed read is no 'no benchmark in common' warning: exit 2, nothing written"

# the exit status each --help lists for it
for cmd in history site baseline; do
  "$TACH" $cmd --help | tr '\n' ' ' | grep -q "cannot be opened or read" \
    && ok "$cmd --help lists it" || fail "$cmd --help: a store that cannot be read"
done
"$TACH" history --help | grep -q "1 the store failed" && fail "history --help still lists 1 for the store"
finish
