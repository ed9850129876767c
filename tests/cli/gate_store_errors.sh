#!/usr/bin/env bash
# gate_store_errors.sh - a store that cannot be opened or read makes `tach compare` and
# `tach gate` exit 2 with the store named, never 1 (which a CI script reads as "a
# regression"): a missing store, a directory given as --store, an unreadable file (when
# not root), and a store that opens but then fails a read (lib.bash's read_failing_store:
# the stand-in for a lock that outlasts the busy timeout, an I/O error or a lost
# PostgreSQL connection).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc slow.json suite/a:steady:30:1.15 suite/b:steady:30:1 # +15%: gate exits 1 when read
"$TACH" record -q --store good.db base.json slow.json >/dev/null 2>&1 || { fail "record"; finish; }
expect 1 "$TACH" gate --store good.db 1 2 && ok "the intact store: the regression fails the gate (exit 1)"

# A store whose reads fail after it opened.
read_failing_store good.db bad.db || finish
for cmd in compare gate; do
  for runs in "1 2" "1 latest"; do
    # shellcheck disable=SC2086
    expect 2 "$TACH" $cmd --store bad.db $runs && err_has "bad.db" && err_has "malformed JSON" \
      && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
      && ok "$cmd $runs: a store read that fails: exit 2, one line naming the store" \
        || fail "$cmd $runs: a store read that fails: exit 2, one line naming the store"
  done
done
# without runs named: the default pair's search (baseline main, else the run before the
# latest of its suite) reports the read that failed, not "no two runs ... in common"
for cmd in compare gate; do
  expect 2 "$TACH" $cmd --store bad.db && err_has "bad.db" && err_has "malformed JSON" \
    && ! grep -q "in common" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
    && ok "$cmd (the default pair): the failed read named, exit 2" \
      || fail "$cmd (the default pair): the failed read named, exit 2"
done

# The runs before NEW on its machine teach each benchmark's run-to-run noise: a read of
# that history (tach_benchmarks) or of one of those runs' documents that fails gave no
# noise, and suite/a, "unstable" in the intact store (its runs differ by 11%), was judged
# "regressed" without it: gate exited 1 on a store it could not read.
for i in 1 2 3 4 5 6; do
  mkdoc "noisy$i.json" "suite/a:steady:20:$((i % 2 ? 1000 : 1080))" suite/b:steady:20:1000
done
"$TACH" record -q --store noisy.db noisy[1-6].json >/dev/null 2>&1 || { fail "record noisy"; finish; }
expect 0 "$TACH" gate --store noisy.db 5 6 && out_has "^suite/a .*unstable" \
  && ok "the intact noisy store: suite/a unstable from its history, the gate passes"
read_failing_store noisy.db noisyhist.db tach_benchmarks mean || finish
cp noisy.db noisydoc.db
sqlite3 noisydoc.db "UPDATE tach_run_docs SET doc = substr(doc, 1, 200) WHERE run_id = 2"
for cmd in compare gate; do
  expect 2 "$TACH" $cmd --store noisyhist.db 5 6 && err_has "noisyhist.db" && err_has "malformed JSON" \
    && [ "$(wc -l <"$tmp/err")" -eq 1 ] && out_lacks . \
    && ok "$cmd: the history the noise is learned from fails to read: exit 2, nothing judged"
  expect 2 "$TACH" $cmd --store noisydoc.db 5 6 && err_has "run 2 in store noisydoc.db holds a damaged document" \
    && [ "$(wc -l <"$tmp/err")" -eq 1 ] && out_lacks . \
    && ok "$cmd: a damaged document among the runs the noise is learned from: exit 2"
done

mkdir dir.db
for cmd in compare gate; do
  expect 2 "$TACH" $cmd --store missing.db 1 2 && err_has "missing.db" && ok "$cmd: a missing store: exit 2"
  expect 2 "$TACH" $cmd --store nodir/missing.db && err_has "nodir/missing.db" \
    && ok "$cmd: a store in a missing directory: exit 2"
  expect 2 "$TACH" $cmd --store dir.db 1 2 && err_has "dir.db" && ok "$cmd: a directory as --store: exit 2"
done
if [ "$(id -u)" != 0 ]; then # (root reads a mode-000 file)
  cp good.db unreadable.db && chmod 000 unreadable.db
  for cmd in compare gate; do
    expect 2 "$TACH" $cmd --store unreadable.db 1 2 && err_has "unreadable.db" \
      && ok "$cmd: an unreadable store: exit 2"
  done
fi
finish
