#!/usr/bin/env bash
# bench_config_probe.sh - `tach bench` checks, before anything runs, that each `bench =`
# (and each `load =` that names a binary) of .tach/config is a libtach benchmark binary:
# it is run once with --tach-probe, the handshake tach run and tach load recognise a
# binary by.  A program of another kind (/bin/ls) is refused with one line naming the
# file, the line and the key, exit 2, nothing written (no store, no report).  The bad
# configs of other kinds are in bench_suite.sh (which runs whole suites; this one runs
# none).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
BIN=$TACH_BUILD/tests/fixture_basic
OPS=$TACH_BUILD/tests/fixture_load_ops
mkdir -p "$tmp/proj/.tach" && cd "$tmp/proj" || exit 1

# refused LINE-RE: tach bench on the config as it is exits 2 with one line matching
# LINE-RE, and writes nothing
refused() {
  local what=$1 re=$2
  if expect 2 "$TACH" bench --quiet --report r.md; then
    err_line "$re" || return
    local left
    left=$(find . -mindepth 1 -not -path ./.tach -not -path ./.tach/config | head -5)
    [ -z "$left" ] && ok "$what" || fail "$what: written: $left"
  fi
}

printf '[module "core"]\n    bench = /bin/ls\n' >.tach/config
refused "bench = /bin/ls is refused before anything runs" \
  '^tach bench: .*/\.tach/config:2: bench = /bin/ls: not a libtach benchmark binary \(it does not answer --tach-probe; time another program with command =\)$'

printf '[module "core"]\n    bench = ls -l\n' >.tach/config
refused "bench = a program found on PATH, with words after it" \
  '^tach bench: .*/\.tach/config:2: bench = ls -l: not a libtach benchmark binary'

# a libtach binary passes the check: the error is the second module's, not the first's
printf '[module "good"]\n    bench = %s --max-time 5ms\n[module "bad"]\n    bench = /bin/true\n' "$BIN" >.tach/config
refused "a libtach binary passes; the program after it is named" \
  '^tach bench: .*/\.tach/config:4: bench = /bin/true: not a libtach benchmark binary'

printf '[module "svc"]\n    load = /bin/true op:1 --rate 10/s\n' >.tach/config
refused "load = a program that is not a libtach binary" \
  "^tach bench: .*/\\.tach/config:2: load = /bin/true op:1 --rate 10/s: tach load: '/bin/true' is not a libtach benchmark binary"

printf '[module "svc"]\n    load = %s safe:1 --duration 1s\n[module "bad"]\n    bench = /bin/true\n' "$OPS" >.tach/config
refused "load = a libtach binary passes" '^tach bench: .*/\.tach/config:4: bench = /bin/true: '

# a URL target is not probed (tach load checks that it answers)
printf '[module "svc"]\n    load = http://127.0.0.1:1/ --duration 1s\n[module "bad"]\n    bench = /bin/true\n' >.tach/config
refused "load = URL is not probed" '^tach bench: .*/\.tach/config:4: bench = /bin/true: '

# a load line's options are read as tach load reads them, before anything runs: a bad
# value was a failed run at its turn (report written, exit 1)
printf '[module "a"]\n    load = http://127.0.0.1:1 --rate abc\n' >.tach/config
refused "load = a URL with a bad --rate is refused before anything runs" \
  "^tach bench: .*/\\.tach/config:2: load = http://127.0.0.1:1 --rate abc: tach load: --rate: 'abc'"
printf '[module "a"]\n    load = %s safe:1 --clients 0\n' "$OPS" >.tach/config
refused "load = a binary with a bad --clients is refused" \
  "^tach bench: .*/\\.tach/config:2: load = .* --clients 0: tach load: --clients: '0'"
printf '[module "a"]\n    load = http://127.0.0.1:1 --rat 10/s\n' >.tach/config
refused "load = an unknown option is refused" \
  "^tach bench: .*/\\.tach/config:2: load = .*: tach load: .*--rat"
# the config's "10/s" spelling of a rate passes (a URL is not probed: the next module's
# error is the one shown)
printf '[module "svc"]\n    load = http://127.0.0.1:1/ --rate 10/s --duration 1s\n[module "bad"]\n    bench = /bin/true\n' >.tach/config
refused "load = --rate 10/s passes the check" '^tach bench: .*/\.tach/config:4: bench = /bin/true: '

# every check tach load makes of its command line before it runs is made before the
# suite runs: the first module (a command that would leave a file) never runs when the
# second module's load line is one tach load would refuse.  Each of these was an item
# failed at its turn, after the modules before it had run.
late_refused() {
  local what=$1 line=$2 re=$3
  printf '[module "first"]\n    command = touch ran\n[module "second"]\n    load = %s\n' "$line" >.tach/config
  refused "$what" "^tach bench: .*/\\.tach/config:4: load = .*: tach load: $re"
  [ ! -e ran ] || { fail "$what: the first module ran"; rm -f ran; }
}
late_refused "load = a bad --slo is refused before the first module runs" \
  "http://127.0.0.1:1/ --rate 10/s --slo 'p99<<1s'" "--slo: "
late_refused "load = an objective about an operation it does not load" \
  "$OPS safe:1 --duration 1s --slo 'risky:p99<1s'" "--slo 'risky:p99<1s': the run has no operation 'risky'"
late_refused "load = an option that does not apply to the model (check_applies)" \
  "$OPS safe:1 --rate 10/s --think 1ms" "--think applies only to the closed model"
late_refused "load = --rate with --ramp (the run's settings together)" \
  "http://127.0.0.1:1/ --rate 10 --ramp 10:1s,20:1s" "--ramp: give --rate or --ramp, not both"
late_refused "load = a URL that does not parse" \
  "http://127.0.0.1:99999/ --duration 1s" "'http://127.0.0.1:99999/' is not a URL to load"
late_refused "load = a URL of another scheme" \
  "ftp://127.0.0.1/x --duration 1s" "'ftp://127.0.0.1/x': only http:// and https:// URLs are loaded"
late_refused "load = a header without a colon" \
  "http://127.0.0.1:1/ -H NoColon" "--header 'NoColon': expected 'NAME: VALUE'"
late_refused "load = an operation the binary does not register" \
  "$OPS nosuch:1 --duration 1s" "'.*fixture_load_ops' has no operation 'nosuch' \\(it has: "

# a bench line's words are the binary's options: a value it refuses (or a --filter that
# selects none) is refused before anything runs, with the binary's own line, as a load
# line's are; it was an item failed at its turn ("refused its arguments"), the modules
# before it run, the run recorded and the report written
late_bench() {
  local what=$1 words=$2 re=$3
  printf '[module "first"]\n    command = touch ran\n[module "second"]\n    bench = %s %s\n' "$BIN" "$words" >.tach/config
  refused "$what" "^tach bench: .*/\\.tach/config:4: bench = .*: the binary refuses its words: $re"
  [ ! -e ran ] || { fail "$what: the first module ran"; rm -f ran; }
}
late_bench "bench = a value the binary refuses" "--threads 0" ".*fixture_basic: invalid value '0' for --threads"
late_bench "bench = an option the binary does not know" "--bogus" ".*fixture_basic: unknown option '--bogus'"
late_bench "bench = a --filter that is no regex" "--filter '('" ".*fixture_basic: invalid value '\\('"
late_bench "bench = a --filter that selects no benchmark" "--filter nosuch" \
  ".*fixture_basic: no benchmark matches --filter 'nosuch'"
# a word that gives again what tach run passes each worker (the binary takes it, so --list
# passed it) is refused before anything runs, naming what to use: the item failed at its
# turn with tach run's usage error ("'--max-time' after -- clashes with what tach run
# passes each worker"), the modules before it run, the run recorded as failed
late_owned() {
  local what=$1 words=$2 re=$3
  printf '[module "first"]\n    command = touch ran\n[module "second"]\n    bench = %s %s\n' "$BIN" "$words" >.tach/config
  refused "$what" "^tach bench: .*/\\.tach/config:4: bench = .*: $re\$"
  [ ! -e ran ] || { fail "$what: the first module ran"; rm -f ran; }
}
late_owned "bench = --max-time, the budget tach run gives" "--max-time 5ms" \
  "'--max-time': each benchmark's budget is tach bench's to give \\(tach bench --bench-time S\\)"
late_owned "bench = --timeout=S, the timeout tach run gives" "--timeout=5" \
  "'--timeout=5': the timeout is tach bench's to give \\(tach bench --timeout S\\)"
late_owned "bench = --format, the output tach run reads" "--format json" \
  "'--format': tach bench reads the binary's results itself"
# what tach run does not pass is the binary's: it runs
printf '[module "core"]\n    bench = %s --filter "^arith/sum/n=64/stride=1$" --precision 50 --rounds 1\n' "$BIN" >.tach/config
expect 0 "$TACH" bench --quiet --bench-time 0.05 --report r.md && ok "bench = --precision, --rounds pass to the binary"
rm -rf r.md r.json .tach/tach.db

# the binary's line is shown whole: one longer than 512 bytes (a binary found on PATH in
# a folder of 300 "é", its path in the line) was read in pieces of 512 bytes and shown
# as its last piece, begun inside a character ("?ééé…/fx: no benchmark matches")
long=$tmp/a$(printf 'é%.0s' $(seq 60))
long=$long/${long##*/}/${long##*/}/${long##*/}/${long##*/}
mkdir -p "$long" && cp "$BIN" "$long/fx"
printf '[module "core"]\n    bench = fx --filter nosuch\n' >.tach/config
PATH="$long:$PATH" refused "bench = a binary's long line is shown whole" \
  "^tach bench: .*/\\.tach/config:2: bench = fx --filter nosuch: the binary refuses its words: $tmp/aéé.*/fx: no benchmark matches --filter 'nosuch'\$"

# a libtach binary whose path holds a blank: tach run would take it for a command line,
# so the item failed at its turn with tach run's usage error; refused before anything runs
mkdir -p "$tmp/sp dir" && cp "$BIN" "$tmp/sp dir/fix basic"
printf '[module "core"]\n    bench = "%s"\n' "$tmp/sp dir/fix basic" >.tach/config
refused "bench = a path with a blank is refused before anything runs" \
  "^tach bench: .*/\\.tach/config:2: bench = .*fix basic\": a benchmark binary's path cannot hold a blank"

finish
