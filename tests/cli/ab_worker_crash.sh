#!/usr/bin/env bash
# tach ab --format json with a binary whose whole worker is killed by a signal (not one
# benchmark's isolated crash): the run stops, exit 1, and the document's "error" names
# the signal, as for a command that crashes; one whose worker exits with a status of its
# own (3: no signal) failed, the status given (it was called crashed, exit_status null).
# The counted tach ab (--metric allocs) writes the same document (it wrote none).
source "$(dirname "$0")/lib.bash"
set -o pipefail
fix="$TACH_BUILD/tests/fixture_ab_cost"
[ -x "$fix" ] || { fail "missing $fix"; finish; }
cd "$tmp"
# NEW: the fixture, except that a worker (run with --out) kills itself with SIGABRT
cat >dies <<SH
#!/bin/sh
case " \$* " in *" --out "*) kill -ABRT \$\$ ;; esac
exec "$fix" "\$@"
SH
chmod +x dies
if expect 1 "$TACH" ab --format json --filter steady "$fix" ./dies; then
  out_jq '.verdict == "crashed" and .stopped == "NEW crashed" and .error.side == "NEW" and .error.what == "crashed" and .error.signal == "SIGABRT" and .error.exit_status == null' &&
    ok "a binary's worker killed by SIGABRT: error.signal \"SIGABRT\""
  err_has 'the NEW binary was killed by signal 6 (SIGABRT)'
fi
cat >exits <<SH
#!/bin/sh
case " \$* " in *" --out "*) exit 3 ;; esac
exec "$fix" "\$@"
SH
chmod +x exits
if expect 1 "$TACH" ab --format json --filter steady "$fix" ./exits; then
  out_jq '.verdict == "failed" and .stopped == "NEW failed" and .error.side == "NEW" and .error.what == "failed" and .error.exit_status == 3 and .error.signal == null' &&
    ok "a binary's worker exiting with status 3: failed, error.exit_status 3"
  # OLD's worker ran first (the warm-up pair's order) and ended well: its benchmark is no
  # row "removed (only in OLD)", as NEW never said which it has
  out_jq '.removed == 0 and .added == 0 and .benchmarks == []' &&
    ok "NEW's worker failing whole: OLD's benchmark is not called removed"
  err_has 'the NEW binary exited with status 3: ./exits'
fi
# The counted tach ab (one pair) wrote no document at all then: it says the same.
if expect 1 "$TACH" ab --metric allocs --format json --filter steady "$fix" ./exits; then
  out_jq '.metric == "allocs" and .verdict == "failed" and .stopped == "NEW failed" and .pairs == 0 and .benchmarks == [] and .error.what == "failed" and .error.exit_status == 3 and .error.signal == null' &&
    ok "--metric allocs --format json, NEW's worker exits with status 3: the document says so"
fi
if expect 1 "$TACH" ab --metric allocs --format json --filter steady ./dies "$fix"; then
  out_jq '.verdict == "crashed" and .stopped == "OLD crashed" and .error.signal == "SIGABRT" and .error.exit_status == null' &&
    ok "--metric allocs --format json, OLD's worker killed by SIGABRT: the signal named"
fi
# Every benchmark lost (ab/breaks crashes under the name crash_ab_cost), none compared:
# the counted verdict said "no difference"; undecided, as the timed tach ab says.
ln -s "$fix" crash_ab_cost
if expect 1 "$TACH" ab --metric allocs --filter breaks "$fix" ./crash_ab_cost; then
  out_has '^verdict: undecided .*; 1 benchmark crashed, not judged: exit status 1$' &&
    ok "--metric allocs, the only benchmark crashed in NEW: undecided, exit 1"
fi
expect 1 "$TACH" ab --metric allocs --format json --filter breaks "$fix" ./crash_ab_cost &&
  out_jq '.verdict == "undecided" and .crashed == 1' && ok "... and so in JSON"
# A counted binary's worker that hangs whole (not in a benchmark, which its own --timeout
# ends) was never killed: tach ab --metric allocs waited forever.  It is killed after the
# timed pairs' backstop (1 benchmark: --timeout 0.5 + 10 s, plus 10 s), exit 1.
cat >hangs <<SH
#!/bin/sh
case " \$* " in *" --out "*) exec sleep 300 ;; esac
exec "$fix" "\$@"
SH
chmod +x hangs
if expect 1 timeout 120 "$TACH" ab --metric allocs --timeout 0.5 --format json --filter steady "$fix" ./hangs; then
  out_jq '.verdict == "timed out" and .stopped == "NEW timed out" and .error.what == "timed out"' &&
    ok "--metric allocs: NEW's worker hanging whole is killed, timed out (exit 1)"
  err_has 'the NEW binary timed out after 20.5 s: ./hangs'
fi
finish
