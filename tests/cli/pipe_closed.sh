#!/usr/bin/env bash
# pipe_closed.sh - standard output closed early (`tach ... | head`, a pager quit) is a
# write error like a full disk (docs/guide.md, "Output that cannot be written is an
# error"): one line on stderr naming standard output, exit 1, and the work done and
# recorded.  SIGPIPE killed every command but tach suite, exit 141 and no word: a run or
# a load measured and never recorded.  The children tach starts get SIGPIPE's default
# back (an ignored signal is inherited across exec): a timed command's `yes | head -1`
# still ends yes with SIGPIPE, and git (the run's commit) is not left with it ignored.
source "$(dirname "$0")/lib.bash"
private_store
BIN=$TACH_BUILD/tests/fixture_basic
LOAD=$TACH_BUILD/tests/fixture_load_ops

# closed CMD...: CMD with its stdout on a pipe whose reader is already gone (closed
# before CMD starts: no race with a reader that exits), stderr in $W/err; status in $rc.
closed() {
  python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=open(os.environ["W"] + "/err", "w"))
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)' "$@"
  rc=$?
}
export W
# said WHAT PREFIX: exit 1, and of stderr's lines exactly one names standard output:
# "PREFIX: cannot write to standard output: Broken pipe" (PREFIX "tach CMD", "tach", or
# "tach CMD: --OPTION" for an export to -)
said() {
  local what=$1 prefix=$2 n
  if [ "$rc" != 1 ]; then fail "$what: exit $rc (want 1): $(head -c 300 "$W/err")"; return 1; fi
  n=$(grep -c 'standard output' "$W/err")
  if [ "$n" != 1 ]; then fail "$what: $n lines name standard output (want 1): $(cat "$W/err")"; return 1; fi
  grep -qx "$prefix: cannot write to standard output: Broken pipe" "$W/err" \
    || { fail "$what: said '$(grep 'standard output' "$W/err")'"; return 1; }
  ok "$what: exit 1, one line"
}
runs_in() { "$TACH" history --runs --store "$1" 2>/dev/null | grep -c '^ *[0-9]'; }

# ---- commands that only write ------------------------------------------------------------
closed "$TACH" help && said "tach help" "tach"
closed "$TACH" help run && said "tach help run" "tach run"
closed "$TACH" history --help && said "tach history --help" "tach history"
closed "$TACH" --version && said "tach --version" "tach"

# ---- a run: recorded, then the table cannot be written -------------------------------------
closed "$TACH" run --runs 2 -- true && said "tach run -- true" "tach run"
check "tach run -- true: the run recorded" test "$(runs_in store.db)" = 1
closed "$TACH" run "$BIN" --filter 'copy/bytes=64$' --max-time 5ms && said "tach run BINARY" "tach run"
check "tach run BINARY: the run recorded" test "$(runs_in store.db)" = 2
closed "$TACH" run --runs 2 --export-json - -- true && said "tach run --export-json -" "tach run: --export-json"
check "tach run --export-json -: the run recorded" test "$(runs_in store.db)" = 3
# several exports to standard output: the first one's failure is said, once (each said
# it: two lines), and an export to a file among them is still written
closed "$TACH" run --runs 2 --export-json - --export-csv - -- true \
  && said "tach run --export-json - --export-csv -" "tach run: --export-json"
check "... the run recorded" test "$(runs_in store.db)" = 4
closed "$TACH" run --runs 2 --export-markdown - --export-json "$W/both.json" --export-csv /dev/stdout -- true \
  && said "tach run --export-markdown - --export-json FILE --export-csv /dev/stdout" "tach run: --export-markdown"
check "... the run recorded" test "$(runs_in store.db)" = 5
check "... and the export to a file written" jqt '.benchmarks[0].name == "true"' "$W/both.json"
if [ -x "$LOAD" ]; then
  closed "$TACH" load "$LOAD" safe --threads 1 --duration 0.2 --warmup 0 && said "tach load" "tach load"
  check "tach load: the run recorded" test "$(runs_in store.db)" = 6
  # --export-hlog - said "cannot write to standard output" without why, then "write error"
  closed "$TACH" load "$LOAD" safe --threads 1 --duration 0.2 --warmup 0 --export-hlog - \
    && said "tach load --export-hlog -" "tach load: --export-hlog"
  check "tach load --export-hlog -: the run recorded" test "$(runs_in store.db)" = 7
else
  fail "no fixture binary at $LOAD"
fi

# ---- commands that read the store or a file --------------------------------------------------
closed "$TACH" history --runs && said "tach history --runs" "tach history"
closed "$TACH" history && said "tach history" "tach history"
closed "$TACH" report latest && said "tach report latest" "tach report"
closed "$TACH" report latest --format json && said "tach report --format json" "tach report"
closed "$TACH" convert "$DATA/report_new.json" --to csv && said "tach convert" "tach convert"

# ---- the children get SIGPIPE's default back ------------------------------------------------
# ignored: bit 13 (0x1000) of SigIgn in /proc/PID/status
pipe_ignored() { local m; m=$(awk '/^SigIgn:/ {print $2}' "$1" | tail -1); [ -n "$m" ] && (((0x$m & 0x1000) != 0)); }
"$TACH" run --no-store --runs 2 -- sh -c "grep ^SigIgn /proc/self/status >>'$W/cmd.sig'" >/dev/null 2>&1
check "a timed command: SigIgn read" test -s cmd.sig
if pipe_ignored cmd.sig; then fail "a timed command: started with SIGPIPE ignored"; else ok "a timed command: SIGPIPE not ignored"; fi
# yes in a timed pipeline ends by SIGPIPE (ignored, it would write on and fail: EPIPE,
# "yes: standard output: Broken pipe" on its stderr)
"$TACH" run --no-store --runs 2 --show-output -- sh -c 'yes | head -1 >/dev/null' >/dev/null 2>yes.err
check "a timed 'yes | head -1': yes ends quietly by SIGPIPE" bash -c "! grep -q 'yes:' '$W/yes.err'"
# git, which the run's commit comes from (popen's shell kept the ignored SIGPIPE)
mkdir -p fakebin
printf '#!/bin/sh\ngrep ^SigIgn /proc/self/status >>"%s/git.sig"\nexit 1\n' "$W" >fakebin/git
chmod +x fakebin/git
PATH=$W/fakebin:$PATH "$TACH" run --runs 2 --store git.db -- true >/dev/null 2>&1
check "git: run by tach" test -s git.sig
if pipe_ignored git.sig; then fail "git: started with SIGPIPE ignored"; else ok "git: SIGPIPE not ignored"; fi
finish
