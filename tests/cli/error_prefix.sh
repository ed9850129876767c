#!/usr/bin/env bash
# Every command's messages start "tach CMD: ", as `tach load` and `tach suite` always
# did: those of compare, gate, report, run, store and the other commands said only
# "tach: ", so a script running several could not tell whose message a line was.  Each
# check pins the whole first line: the prefix and the message's text.
source "$(dirname "$0")/lib.bash"
private_store
N=$DATA/report_new.json
B=$DATA/report_base.json
printf 'not a database\n' >notadb.db
mkdir -p noconf && printf '[module "core"]\n    bench = ./nothere\n' >conf.ini

# says CODE LINE ARGS...: `tach ARGS` exits CODE and its stderr's first line is LINE
says() {
  local code=$1 line=$2; shift 2
  if expect "$code" "$TACH" "$@"; then
    if [ "$(head -1 "$W/err")" = "$line" ]; then ok "tach $*: $line"
    else fail "tach $*: said '$(head -1 "$W/err")', want '$line'"; fi
  fi
}

says 2 "tach compare: no such results file: nothere.json" compare nothere.json x.json
says 2 "tach gate: no such results file: nothere.json" gate nothere.json x.json
says 2 "tach gate: --metric allocs: file $N has no allocs values (it was not recorded with them)" \
  gate --metric allocs "$N" "$B"
says 2 "tach report: cannot read results file 'nothere.json': No such file or directory" report nothere.json
says 2 "tach report: --metric: 'bogus' is not a metric (expected wall, cpu, instructions, cycles-est, allocs or peak-rss)" \
  report --metric bogus "$N"
says 2 "tach record: cannot open nothere.json: No such file or directory" record nothere.json
says 2 "tach history: no store at $W/store.db (record a run first)" history
says 2 "tach baseline: no store at $W/store.db (record a run first)" baseline save x 9
says 2 "tach baseline: unknown action 'frob' (save, list or rm)" baseline frob
says 2 "tach site: which directory? (tach site DIR)" site
says 2 "tach push: 'ftp://x' is not an http:// or https:// URL" push ftp://x
says 2 "tach import: cannot open nothere.json: No such file or directory" import nothere.json
says 2 "tach convert: cannot open nothere.json: No such file or directory" convert nothere.json --to csv
says 2 "tach certify: cannot read results file 'nothere.json': No such file or directory" certify nothere.json
says 2 "tach profile: no program to profile (tach profile [OPTIONS] [--] PROGRAM [ARGS...])" profile
says 2 "tach ab: needs two commands or binaries, OLD and NEW (see 'tach ab --help')" ab true
says 2 "tach stability: --max-time applies to a benchmark binary, not to a command (for a command: --reps, its executions per run)" \
  stability --max-time 0.1 'sleep 0'
(cd noconf && says 2 "tach bench: no .tach/config here or in a parent folder: 'tach init' writes a starter one" bench)
# the store's own messages name the command that opened it
expect 2 "$TACH" history --store notadb.db && err_line '^tach history: .*notadb\.db' && ok "a store's error names the command"
# a message after the command's work (standard output could not be written) names it too
"$TACH" run --no-store --runs 2 true >/dev/full 2>full.err
check "tach run: a full standard output is named" grep -qx 'tach run: cannot write to standard output: .*' full.err
"$TACH" compare "$N" "$B" >/dev/full 2>full.err
check "tach compare: a full standard output is named" grep -qx 'tach compare: cannot write to standard output: .*' full.err
# warnings too: no line of any of these commands starts "tach: "
"$TACH" run --no-store --runs 2 true >/dev/null 2>run.err
check "tach run's own lines name it" bash -c "! grep -q '^tach: ' run.err"
mkdoc same.json suite/a:steady:30:1
expect 0 "$TACH" gate same.json same.json && err_has "tach gate: passed: " && ok "the gate's verdict line names it"
finish
