# lib.bash - the one vocabulary of the CLI tests (sourced, never run: the .bash name
# keeps it out of the tests/cli/*.sh glob that makes CTest tests).
#
#   source "$(dirname "$0")/lib.bash"
#
# Gives:
#   $TACH $TACH_BUILD $TACH_SRC   the tool, the build tree, the source tree (absolute)
#   $DATA $EXPECTED               tests/cli/data (input documents), tests/cli/expected
#                                 (expected outputs)
#   $tmp (= $W)                   a fresh directory, removed at exit; tests write only here
#   fails                         the count of failed checks
# Checks, each counting a failure and going on:
#   ok TEXT / fail TEXT (= bad)   report a check
#   check TEXT CMD...             CMD must succeed
#   expect CODE CMD...            CMD's stdout to $tmp/out, stderr to $tmp/err; its exit
#                                 status must be CODE (returns 1 when not)
#   out_has RE / out_lacks RE     $tmp/out has (lacks) a line matching the ERE
#   err_has TEXT                  $tmp/err holds TEXT
#   err_line RE                   $tmp/err is one line, matching the ERE
#   out_jq FILTER [ARGS]          jq -e FILTER over $tmp/out must hold (fails when empty)
#                                 (these four and err_line return 1 when they fail, so
#                                 `out_has RE && ok TEXT` prints no "ok" after a FAIL)
#   jqt JQ-ARGS...                a quiet jq -e condition (over the files named in ARGS);
#                                 a predicate for check (false on an empty last file)
#   golden NAME FILE              FILE equals $EXPECTED/NAME; TACH_UPDATE_GOLDEN=1
#                                 rewrites $EXPECTED/NAME from FILE instead
#   finish                        prints the summary; exits 1 when a check failed, else 0
# Set-ups a test chooses:
#   private_store                 cd into $tmp; TACH_STORE=$tmp/store.db
#   trun ARGS / expect_rc N TEXT / jqc TEXT FILE FILTER   `tach run --no-store` checks
#   mkdoc OUT [--machine CPU] SPEC...   a results document from formulas (see below)
#   mkstore DB / empty_store DB   a store with the two report fixture runs / with none
#   read_failing_store SRC DST [TABLE COLUMN]   a copy of store SRC whose reads of
#                                 TABLE.COLUMN fail once it opened (see below)
#   pg_start [SERVER-OPTION...]   a PostgreSQL server of the test's own: $PG_URL, pg_ctl_
#                                 stop|start|restart (see below); pg_found: are the
#                                 server's binaries there; pg_hold_name, pg_blocked,
#                                 pg_release: a record held in the middle (see below)
#   running_until PID CMD...      polls CMD while PID runs (see below)
#   within SECS CMD...            polls CMD for SECS s at most (see below)
#   signal_when SIG PID CMD...    signals PID once CMD holds, waits for it: $rc
#   lines_at_least N RE FILE      FILE has N lines matching RE (a CMD for those)
#   held ACTION CMD...            runs CMD, whose command ($HOLD) waits while ACTION runs
#   delay_server PORT_FILE EVERY STALL_MS [STALLS]   the load tests' stalling HTTP server: $DS_URL
#   chromium_dom FILE OUT / no_script_errors OUT   the DOM after scripts ran, its errors
# The environment: TACH_STORE is unset (a test never touches a store outside $tmp), and
# reports carry a pinned date (TACH_REPORT_DATE) so that their output can be compared.
set -u

if [ -z "${TACH:-}" ]; then TACH=${TACH_BUILD:?TACH or TACH_BUILD must be set}/tach; fi
TACH=$(readlink -f "$TACH")
TACH_BUILD=$(readlink -f "${TACH_BUILD:-$(dirname "$TACH")}")
TACH_SRC=$(readlink -f "${TACH_SRC:-$(dirname "${BASH_SOURCE[0]}")/../..}")
DATA=$TACH_SRC/tests/cli/data
EXPECTED=$TACH_SRC/tests/cli/expected

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tach_test.XXXXXX")
W=$tmp
trap 'rm -rf "$tmp"' EXIT
# Everything a test makes stays in its own directory: tach's temporaries, and any store or
# config it finds or creates (never a .tach of the tree the build sits in).
export TMPDIR=$tmp
cd "$tmp" || exit 1
unset TACH_STORE
export TACH_REPORT_DATE=2026-01-07T00:00:00Z

# ---- checks ---------------------------------------------------------------------------
fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
bad() { fail "$@"; }
check() { # TEXT CMD...: CMD must succeed
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
  exit 0
}

# expect CODE CMD...: runs CMD with stdout in $tmp/out and stderr in $tmp/err; returns 0
# when it exited with CODE, else records a failure, shows both outputs and returns 1.
expect() {
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "exit $got (want $want): $*"
    sed 's/^/    out: /' "$tmp/out" | head -40 >&2
    sed 's/^/    err: /' "$tmp/err" | head -20 >&2
    return 1
  fi
  return 0
}
# out_has, out_lacks, err_has and out_jq record a failure and return 1 when the check
# fails, so `out_has X && ok "..."` prints no "ok" after a FAIL.
out_has() { grep -qE -- "$1" "$tmp/out" || { fail "stdout lacks /$1/"; sed 's/^/    /' "$tmp/out" | head -40 >&2; return 1; }; }
out_lacks() { ! grep -qE -- "$1" "$tmp/out" || { fail "stdout has /$1/"; return 1; }; }
err_has() { grep -qF -- "$1" "$tmp/err" || { fail "stderr lacks '$1': $(head -c 400 "$tmp/err")"; return 1; }; }
# The error output is exactly one line and matches an ERE.
err_line() {
  local n; n=$(wc -l <"$tmp/err")
  [ "$n" = 1 ] || { fail "expected one line on stderr, got $n: $(cat "$tmp/err")"; return 1; }
  grep -Eq -- "$1" "$tmp/err" || { fail "stderr '$(cat "$tmp/err")' does not match '$1'"; return 1; }
}
# jq -e holds on an empty input (jq 1.6): out_jq, and jqt whose last argument is a file,
# fail on an empty file (jq fails on a missing one), so that no output never passes.
out_jq() {
  [ -s "$tmp/out" ] && jq -e "$@" "$tmp/out" >/dev/null || { fail "jq $1 on: $(head -c 600 "$tmp/out")"; return 1; }
}
jqt() {
  local last=${!#}
  if [ $# -ge 2 ] && [ -f "$last" ] && [ ! -s "$last" ]; then return 1; fi
  jq -e "$@" >/dev/null
}
golden() {
  if [ "${TACH_UPDATE_GOLDEN:-}" = 1 ]; then cp "$2" "$EXPECTED/$1"; fi
  if diff -u "$EXPECTED/$1" "$2" >"$tmp/golden.diff"; then
    ok "$1 matches the expected output"
  else
    fail "$2 differs from expected/$1 (TACH_UPDATE_GOLDEN=1 rewrites it):"
    head -60 "$tmp/golden.diff" >&2
  fi
}

# ro_tool: writes $tmp/ro.sh, whose run as `$tmp/ro.sh FILE` makes FILE read-only (chmod
# a-w; chattr +i for root, whom modes do not stop), and defines undo FILE... to make
# them writable again; skips the test (exit 77) where neither makes a file read-only.
# The caller's EXIT trap should undo what ro.sh may have made read-only before rm -rf.
ro_tool() {
  if [ "$(id -u)" = 0 ]; then
    printf '#!/bin/sh\nchattr +i "$1"\n' >"$tmp/ro.sh"
    undo() { chattr -i "$@" 2>/dev/null; }
  else
    printf '#!/bin/sh\nchmod a-w "$1"\n' >"$tmp/ro.sh"
    undo() { chmod u+w "$@" 2>/dev/null; }
  fi
  chmod +x "$tmp/ro.sh"
  : >"$tmp/probe"
  "$tmp/ro.sh" "$tmp/probe" 2>/dev/null
  if (: >>"$tmp/probe") 2>/dev/null; then
    undo "$tmp/probe"
    echo "skip: no way to make a file read-only here (chattr +i refused, as root)"
    exit 77
  fi
  undo "$tmp/probe"
}

# ---- tach run ---------------------------------------------------------------------------
# private_store: work in $tmp with a store of the test's own.
private_store() {
  cd "$tmp" || exit 1
  export TACH_STORE="$tmp/store.db"
}
# trun ARGS...: runs `tach run --no-store ARGS`, stdout to $W/out, stderr to $W/err, the
# exit status in $rc.
trun() {
  "$TACH" run --no-store "$@" >"$W/out" 2>"$W/err"
  rc=$?
}
# expect_rc N TEXT: checks the last trun's status.
expect_rc() {
  if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"; else bad "$2: exit $rc, expected $1"; sed 's/^/    /' "$W/err" | head -20; fi
}
# jqc TEXT FILE FILTER: the jq filter must print true.
jqc() {
  local v
  v=$(jq -r "$3" "$2" 2>&1)
  if [ "$v" = true ]; then ok "$1"; else bad "$1: $3 gave '$v'"; fi
}

# ---- processes a test started ----------------------------------------------------------
# running_until PID CMD...: runs CMD every 0.1 s while the process PID (a child of the
# test) runs, until CMD succeeds: returns 0 then, 1 when PID ended first and CMD, run once
# more, still fails.  No time limit: PID's own end bounds the wait.
running_until() {
  local pid=$1; shift
  while kill -0 "$pid" 2>/dev/null; do "$@" && return 0; sleep 0.1; done
  "$@"
}
# within SECS CMD...: runs CMD every 0.1 s until it succeeds, for SECS seconds of the
# wall clock at most: returns 0 then, 1 when CMD, run once more at the end, still fails.
# For what no process of the test bounds (a process it did not start ending, a handler
# installed in a long run): SECS is generous (60), it bounds a failure, never a success.
within() {
  local end=$((SECONDS + $1)); shift
  while [ "$SECONDS" -lt "$end" ]; do "$@" && return 0; sleep 0.1; done
  "$@"
}
# dir_of_length N: makes a directory under $tmp whose absolute path is N bytes long
# (folders of 200 bytes, then one of what is left), and prints it: a $TMPDIR at a limit.
dir_of_length() {
  local p="$tmp" rest
  while [ $((${#p} + 202)) -lt "$1" ]; do p="$p/$(printf 'a%.0s' $(seq 200))"; done
  rest=$(($1 - ${#p} - 1))
  p="$p/$(printf 'b%.0s' $(seq "$rest"))"
  mkdir -p "$p" && printf '%s' "$p"
}
# signal_when SIG PID CMD...: sends SIG to PID once CMD holds (running_until), then waits
# for PID; $rc is its exit status, $signalled_at the time (date +%s) the signal was
# sent.  PID ending before CMD held is a failure (returns 1, nothing sent).
signal_when() {
  local sig=$1 pid=$2; shift 2
  signalled_at=$(date +%s)
  if running_until "$pid" "$@" && signalled_at=$(date +%s) && kill -s "$sig" "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null; rc=$?
    return 0
  fi
  wait "$pid" 2>/dev/null; rc=$?
  fail "process $pid ended (exit $rc) before: $*"
  return 1
}
# syn_resent PORT: a connect to 127.0.0.1:PORT is unanswered (state 02, SYN_SENT) and the
# kernel has sent its SYN again (retransmits, /proc/net/tcp's 7th field, not 0): a second
# of its timer has passed (a predicate for running_until and signal_when).
syn_resent() {
  awk -v r="0100007F:$(printf '%04X' "$1")" '$3 == r && $4 == "02" && $7 != "00000000" {f = 1} END {exit !f}' \
    /proc/net/tcp
}
# lines_at_least N RE FILE: FILE has N lines or more matching the ERE (a predicate for
# running_until and signal_when).
lines_at_least() {
  local n; n=$(grep -cE -- "$2" "$3" 2>/dev/null)
  [ "${n:-0}" -ge "$1" ]
}

# delay_server PORT_FILE EVERY STALL_MS [STALLS]: starts tests/tools/delay_server.c (HTTP
# "200 ok" on 127.0.0.1, stalling STALL_MS ms on every EVERY-th request, on the first
# STALLS of them only when given; on SIGTERM its counts go to PORT_FILE.stats) and waits
# until it has written its port to PORT_FILE (polled while it runs).  $DS_PID is its pid,
# also added to the test's array pids (which the load tests' EXIT trap kills), $DS_URL its
# URL.  A server that ends first is a failure.
delay_server() {
  "$TACH_BUILD/tests/tool_delay_server" "$@" &
  DS_PID=$!
  pids+=("$DS_PID")
  running_until "$DS_PID" test -s "$1" || { fail "the delay server ended before it said its port"; return 1; }
  DS_URL=http://127.0.0.1:$(cat "$1")/
}
# held ACTION CMD...: runs CMD in the background (stdout $tmp/out, stderr $tmp/err) with
# $HOLD as the command it runs: $HOLD's first run says it started and waits on a fifo,
# its later runs end at once.  Once the first run waits, held runs ACTION (one word: a
# function or command with no arguments), then lets it end; $rc is CMD's exit status.
# A CMD that ends before its first run of $HOLD started is a failure.  Nothing waits on
# time.
HOLD=$tmp/hold.sh
held() {
  local action=$1; shift
  if [ ! -x "$HOLD" ]; then
    mkfifo "$tmp/hold.go" || { fail "held: mkfifo"; return 1; }
    printf '#!/bin/sh\n[ -e "%s" ] && exit 0\n: >"%s"\n: >"%s"\ncat "%s" >/dev/null\n' \
      "$tmp/hold.done" "$tmp/hold.done" "$tmp/hold.started" "$tmp/hold.go" >"$HOLD"
    chmod +x "$HOLD"
  fi
  rm -f "$tmp/hold.done" "$tmp/hold.started"
  "$@" >"$tmp/out" 2>"$tmp/err" &
  local pid=$!
  if running_until $pid test -e "$tmp/hold.started"; then
    "$action"
    # the held command may have been stopped by what the action did, before it opened
    # the fifo: a writer with no reader would wait for ever
    timeout 60 sh -c 'echo >"$1"' _ "$tmp/hold.go" || fail "held: the command never read its go"
  else
    fail "the command never ran $HOLD: $(head -c 400 "$tmp/err")"
  fi
  wait $pid
  rc=$?
}

# ---- results documents and stores ---------------------------------------------------------
# mkdoc OUT [--machine CPU] SPEC...: writes a tach results document.  Each SPEC is
#   NAME:FORMULA:N:SCALE[:STATUS[:TARGETS_JSON]]
# FORMULA (the same as tests/unit/test_compare.c, where scipy reference values are
# quoted): steady = 100 + ((i*37) % 11) * 0.1; noisya = 100*(1 + 0.25 sin(1.7 i));
# noisyb = 103*(1 + 0.25 sin(2.3 i + 1)); sample i is FORMULA(i) * SCALE ns.
mkdoc() {
  local out=$1; shift
  local cpu="Test CPU @ 3.0GHz"
  if [ "${1:-}" = "--machine" ]; then cpu=$2; shift 2; fi
  {
    printf '{"format":"tach-results","version":1,"partial":false,'
    printf '"context":{"cpu_model":"%s","cpus":2,"memory_kib":4000000,"kernel":"6.1.0","governor":null},' "$cpu"
    printf '"benchmarks":['
    local first=1 spec
    for spec in "$@"; do
      [ $first = 1 ] || printf ','
      first=0
      awk -v spec="$spec" 'BEGIN {
        n = split(spec, f, ":"); name = f[1]; form = f[2]; cnt = f[3] + 0; scale = f[4] + 0
        status = (n >= 5 && f[5] != "") ? f[5] : "ok"
        printf "{\"name\":\"%s\",\"status\":\"%s\"", name, status
        if (status != "ok") { printf ",\"message\":\"killed by signal 11\"" }
        if (n >= 6) { t = f[6]; for (k = 7; k <= n; k++) t = t ":" f[k]; printf ",\"targets\":%s", t }
        if (status == "ok") {
          printf ",\"samples\":{\"iters\":["
          for (i = 0; i < cnt; i++) printf "%s1000", (i ? "," : "")
          printf "],\"ns\":["
          for (i = 0; i < cnt; i++) {
            if (form == "steady") v = 100 + ((i * 37) % 11) * 0.1
            else if (form == "noisya") v = 100 * (1 + 0.25 * sin(i * 1.7))
            else if (form == "noisyb") v = 103 * (1 + 0.25 * sin(i * 2.3 + 1))
            printf "%s%.17g", (i ? "," : ""), v * scale
          }
          printf "]}"
        }
        printf "}"
      }'
    done
    printf ']}\n'
  } >"$out"
}

# mkstore DB: a store with run 1 = report_base.json and run 2 = report_new.json.
mkstore() {
  "$TACH" record --store "$1" -q "$DATA/report_base.json" "$DATA/report_new.json" >/dev/null \
    || { echo "cannot build the test store" >&2; exit 1; }
}
# empty_store DB: a valid tach store without any run: a recorded store with every table
# but the meta table emptied.
empty_store() {
  mkstore "$1"
  local t
  for t in $(sqlite3 "$1" "select name from sqlite_master where type='table' and name <> 'tach_meta'"); do
    sqlite3 "$1" "delete from $t"
  done
}

# read_failing_store SRC DST [TABLE COLUMN]: DST, a copy of the store SRC that opens but
# then fails every read of TABLE.COLUMN (default tach_runs.subject) -- the stand-in for a
# lock that outlasts the busy timeout, an I/O error or a lost PostgreSQL connection.  The
# column becomes a generated column whose expression fails whenever a row's value is read
# (SQLITE_ERROR "malformed JSON": not corruption, every page intact); its values are lost,
# the other columns' kept (the table's indexes are dropped).  Reads of the other columns
# still work, so TABLE COLUMN choose which lookups fail: tach_runs.subject a run's record
# (run get, --runs), tach_benchmarks.mean a benchmark's history, tach_benchmarks.cv one
# run's benchmarks (its suite); not a column the store's open check writes (a key, or one
# every record sets: then DST is refused as "not as tach makes them").  Every row is read
# when a store is opened for writing (record, baseline save/rm, bench): those refuse DST
# when they open it (exit 2).
read_failing_store() {
  local src=$1 dst=$2 table=${3:-tach_runs} col=${4:-subject} type sql cols
  cp "$src" "$dst" || { fail "read_failing_store: cannot copy $src"; return 1; }
  type=$(sqlite3 "$dst" "SELECT type FROM pragma_table_info('$table') WHERE name = '$col'")
  sql=$(sqlite3 "$dst" "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '$table'")
  cols=$(sqlite3 "$dst" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table') WHERE name <> '$col'")
  local gen="GENERATED ALWAYS AS (json('{}')) VIRTUAL"
  case "$sql" in # the column "COL TYPE" becomes "COL TYPE $gen"
    *"($col $type"*) sql=${sql/"($col $type"/"($col $type $gen"} ;;
    *", $col $type"*) sql=${sql/", $col $type"/", $col $type $gen"} ;;
    *) fail "read_failing_store: no column $table.$col"; return 1 ;;
  esac
  sqlite3 "$dst" "BEGIN; ALTER TABLE $table RENAME TO read_failing_old; $sql;
INSERT INTO $table ($cols) SELECT $cols FROM read_failing_old;
DROP TABLE read_failing_old; COMMIT;" || { fail "read_failing_store: cannot rebuild $table"; return 1; }
  # (a virtual column is not stored: changing its expression leaves every row as it was)
  sqlite3 "$dst" "PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'json(''{}'')', 'json(''{'')') WHERE name = '$table';" \
    || { fail "read_failing_store: cannot edit the schema"; return 1; }
}

# ---- PostgreSQL ----------------------------------------------------------------------------
# pg_start [SERVER-OPTION...]: a throwaway PostgreSQL server for this test (initdb +
# pg_ctl in $tmp/pg, loopback on a free port $PG_PORT, its unix socket in $tmp/pg, trust
# authentication: any password connects), stopped at exit (the EXIT trap is set anew:
# a test stops what else it started before); $PG_URL is its URL and `pg_ctl_ ARGS` runs
# pg_ctl on it (stop, start, restart: the options it started with are kept).  The
# SERVER-OPTIONs (store_pg.sh: -c max_connections=40) go to the server after its own
# (port, socket, listen_addresses, fsync=off), so they win.  Exits 1 when
# the server binaries are not there; pg_found (which sets $PG_BIN) tells a test that can
# go without the server.  As root the server runs as the `postgres` user (PostgreSQL
# refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_ctl_() { as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/server.log" -w -t 60 -o "$PG_OPTS" "$@" >/dev/null; }
pg_found() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]
}
pg_start() {
  if ! pg_found; then
    echo "FAIL: PostgreSQL server binaries not found (Debian package postgresql; scripts/deps.sh)" >&2
    exit 1
  fi
  mkdir -p "$tmp/pg" && chmod 700 "$tmp/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$tmp" "$tmp/pg"
  trap 'as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$tmp"' EXIT
  PG_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$PG_BIN/initdb" -D "$tmp/pg/data" -A trust -U postgres -E UTF8 >"$tmp/pg/initdb.log" 2>&1 \
    || { echo "FAIL: initdb: $(tail -3 "$tmp/pg/initdb.log")" >&2; exit 1; }
  PG_OPTS="-p $PG_PORT -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off${*:+ $*}"
  pg_ctl_ start \
    || { echo "FAIL: pg_ctl start: $(tail -3 "$tmp/pg/server.log")" >&2; exit 1; }
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
}

# pg_at_mark PID: waits until the store writer PID (run with TACH_STORE_TEST_SLEEP_MS set
# and TACH_STORE_TEST_MARK=$tmp/mark, a fifo) is at its mark, its transaction open, and
# prints the pid of its backend; returns 1 when PID ends first.  The mark comes right after
# an INSERT INTO tach_names (src/store/store_record.c: test_sleep and its callers); the
# backend is idle in transaction between any two of the record's statements, so that
# state alone does not say the writer is at its mark.  Only a record whose first INSERT
# INTO tach_names comes right before its mark is found so: one of 128 benchmarks at most
# (two statements of 64; a larger one is idle after an earlier one too).  A record of
# one benchmark stops there with only its COMMIT to come; pg_hold_name holds a record
# of any size in its middle.
pg_at_mark() {
  pg_backend_while "$1" "SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction'
    AND query LIKE 'INSERT INTO tach_names%' AND pid <> pg_backend_pid()"
}
# pg_backend_while PID QUERY: runs QUERY every 0.1 s while PID runs, until it answers;
# prints the answer (a backend's pid), or returns 1 when PID ends first or after 1,200
# tries (two minutes or more: a writer blocked on the test's own transaction never ends,
# and a query that never answers must not hang the test until CTest's timeout).
pg_backend_while() {
  local b tries=0
  while kill -0 "$1" 2>/dev/null && [ $((tries += 1)) -le 1200 ]; do
    b=$(psql -X -At "$PG_URL" -c "$2" 2>/dev/null)
    [ -n "$b" ] && { echo "$b"; return 0; }
    sleep 0.1
  done
  return 1
}
# pass_mark PID: lets the writer PID, waiting to open the fifo $tmp/mark, go on (reads
# it); when the writer does not open it within 60 s, fails and kills PID (a `wait` on it
# would never end).
pass_mark() {
  timeout 60 cat "$tmp/mark" >/dev/null && return 0
  fail "the writer never came to its mark"
  kill "$1" 2>/dev/null
  return 1
}

# pg_hold_name NAME: holds a record in its middle without counting its statements: a
# session of the test's own (psql in the background, $PG_HOLD_PID) inserts NAME into
# tach_names in a transaction it leaves open.  A store writer recording a benchmark NAME
# then waits at its INSERT INTO tach_names, whose ON CONFLICT waits for that transaction
# to end: the run row, the document and the benchmark rows in, its own transaction open.
# $PG_HOLDER is that session's backend pid; pg_blocked PID waits for the writer PID to wait
# on it, pg_release ends it (ROLLBACK).  NAME holds no quote.
pg_hold_name() {
  local line
  coproc PG_HOLD { psql -X -At -v ON_ERROR_STOP=1 "$PG_URL" 2>&1; }
  printf "BEGIN;\nINSERT INTO tach_names (name) VALUES ('%s');\nSELECT 'holder ' || pg_backend_pid();\n" \
    "$1" >&"${PG_HOLD[1]}"
  PG_HOLDER=
  while read -r -u "${PG_HOLD[0]}" line; do
    case $line in holder\ *) PG_HOLDER=${line#holder }; break ;; esac
  done
  [ -n "$PG_HOLDER" ] || { fail "pg_hold_name: no transaction held: $line"; return 1; }
}
# pg_blocked PID: waits until the store writer PID's backend waits on pg_hold_name's
# transaction and prints that backend's pid; returns 1 when PID ends first.
pg_blocked() {
  pg_backend_while "$1" "SELECT pid FROM pg_stat_activity WHERE $PG_HOLDER = ANY (pg_blocking_pids(pid))"
}
pg_release() {
  printf 'ROLLBACK;\n\\q\n' >&"${PG_HOLD[1]}"
  wait "$PG_HOLD_PID"
}

# ---- the browser -------------------------------------------------------------------------
# chromium_dom FILE OUT: the DOM after scripts ran, in OUT; the browser's log in OUT.log.
chromium_dom() {
  local prof; prof=$(mktemp -d "$tmp/chrome.XXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
    --enable-logging=stderr --v=0 --virtual-time-budget=2000 \
    --dump-dom "file://$1" >"$2" 2>"$2.log"
}
# Script errors in a chromium log ("Uncaught ..." console messages).
no_script_errors() {
  if grep -E 'Uncaught|SyntaxError|TypeError|ReferenceError' "$1.log" >/dev/null; then
    fail "script errors in $1: $(grep -E 'Uncaught|Error' "$1.log" | head -3)"
    return 1
  fi
  return 0
}
