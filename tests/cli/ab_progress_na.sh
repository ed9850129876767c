#!/usr/bin/env bash
# ab_progress_na.sh - tach ab's progress line (a terminal's stderr) printed the CI's
# ends with %+.2f%% after checking only the change: a look with too few pairs for a CI,
# (-inf, +inf), read "[-100.00%, +inf%]".  An end that is no number is n/a, as compare
# says it.  Five pairs give no finite CI at any level.  Uses util-linux `script` for a
# pseudo-terminal; skipped (passes) without it.
source "$(dirname "$0")/lib.bash"
if ! command -v script >/dev/null; then
    echo "skip: no script(1)"
    finish
    exit
fi
script -qc "NO_COLOR=1 $TACH ab --min-pairs 3 --max-pairs 5 --warmup-pairs 0 true true" /dev/null \
    >"$tmp/tty" 2>&1
tr '\r' '\n' <"$tmp/tty" >"$tmp/out"
out_has '^.*ab: 5 pairs, [0-9.]+ s, change [-+][0-9.]+% \[n/a, n/a\]' &&
  out_lacks 'inf|nan' && ok "progress: a CI end that is no number reads n/a, not +inf%"
finish
