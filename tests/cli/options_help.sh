#!/usr/bin/env bash
# options_help.sh - one option table per command (issue #10 section 2) and the help and
# usage defects of issue #16: `tach help CMD`, did-you-mean, -V, hyperfine's positional
# command strings and short flags, --opt=value, one message style, arguments after --
# that clash with tach's own, decimal --param ranges, every loop bounded by the time
# budget.  Self-contained (no helper library); nothing depends on speed.
set -uo pipefail
TACH=${TACH:?}
FIX=${TACH_BUILD:?}/tests/fixture_basic
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
export TACH_STORE="$W/store.db"
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# t DESCRIPTION WANT_RC CMD...: runs CMD (stdout in out, stderr in err), checks its status
t() {
  local what=$1 want=$2; shift 2
  "$@" >"$W/out" 2>"$W/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else bad "$what: exit $rc, expected $want"; sed 's/^/    /' "$W/err" | head -5; fi
}
has() { # DESCRIPTION FILE TEXT: FILE holds TEXT
  if grep -qF -- "$3" "$W/$2"; then ok "$1"; else bad "$1: '$3' not in $2: $(head -3 "$W/$2")"; fi
}

# ---- help and version ------------------------------------------------------------------
t "tach help run" 0 "$TACH" help run
has "tach help run prints run's help, not the top level" out "usage: tach run"
t "tach help nosuch" 2 "$TACH" help nosuch
t "tach -V" 0 "$TACH" -V
has "-V prints the version" out "tach "
t "tach run --version" 0 "$TACH" run --version
has "run --version prints the version" out "tach "
t "tach run -V" 0 "$TACH" run -V
t "--max-input-size 1k (as suite --sizes 1k)" 0 "$TACH" --max-input-size 1k version
t "--max-input-size 64mb, any case" 0 "$TACH" --max-input-size 64mb version
t "--max-input-size 2GiB" 0 "$TACH" --max-input-size 2GiB version
t "--max-input-size 1x" 2 "$TACH" --max-input-size 1x version
# a size as written, only beyond 64 bits: too large, as other numbers say (it was "expected
# a size", as if it were none)
t "--max-input-size 99999999999999999999" 2 "$TACH" --max-input-size 99999999999999999999 version
has "--max-input-size 2e19: too large" err "invalid value '99999999999999999999' for --max-input-size: too large, expected a size below 2^64 bytes"
t "--max-input-size 20000000T" 2 "$TACH" --max-input-size=20000000T version
has "--max-input-size 20000000T: too large" err "invalid value '20000000T' for --max-input-size: too large"
t "tach help help" 0 "$TACH" help help
has "tach help help: the overview (not 'unknown command help')" out "usage: tach COMMAND"
t "tach help run extra" 2 "$TACH" help run extra
has "tach help run extra: the extra word named" err "help takes one command (got 'extra' after 'run')"
t "tach help version" 0 "$TACH" help version
has "tach help version describes it" out "usage: tach version"
t "tach version --help" 0 "$TACH" version --help
has "version --help describes it" out "usage: tach version"
t "tach version --bogus" 2 "$TACH" version --bogus
has "version --bogus: the option named" err "version takes no option '--bogus'"
t "tach version extra" 2 "$TACH" version extra
t "--store with --no-store" 2 "$TACH" suite crypto --quick --no-store --store "$W/x.db"
has "--store and --no-store: the contradiction named" err "--store and --no-store: choose one"
t "an option where a value belongs" 2 "$TACH" run --no-store -r 2 --export-csv -- true
has "... is named, nothing written" err "--export-csv needs a value FILE (got the option '--'"
if [ -e -- ] || [ -e "$W/--" ]; then bad "a file named -- was written"; else ok "no file named -- written"; fi
t "tach record with no file" 2 "$TACH" record
if [ "$(wc -l <"$W/err")" -eq 1 ]; then ok "record with no file: one line"; else bad "record with no file: $(wc -l <"$W/err") lines"; fi

# ---- did you mean -------------------------------------------------------------------------
t "tach runn" 2 "$TACH" runn
has "runn: did you mean run" err "did you mean 'run'"
t "tach run --run 3" 2 "$TACH" run --no-store --run 3 true
has "--run: did you mean --runs" err "did you mean --runs?"
t "tach compare --nosie" 2 "$TACH" compare --nosie 3 a.json b.json
has "--nosie: did you mean --noise" err "did you mean --noise?"
t "a binary: --warmup-tim" 2 "$FIX" --warmup-tim 1
has "binary: did you mean --warmup-time" err "did you mean --warmup-time?"

# ---- one message style: tach CMD: --opt: 'VALUE' is not ..., expected ... ----------------
t "run --runs=abc" 2 "$TACH" run --no-store --runs=abc true
has "message style" err "tach run: --runs: 'abc' is not a count, expected a whole number"
# the guide's examples of the message (docs/guide.md, "a bad value gets one line"), each
# as the guide words it: 1e10 is no count, 99999999999999999999 one too large to hold
for ex in "--runs 1e10|'1e10' is not a count" "--runs 0|'0' is too small" \
          "--timeout 2000000|'2000000' is too large" \
          "--runs 99999999999999999999|'99999999999999999999' is too large" \
          "--timeout 1e400|'1e400' is too large"; do
  opt=${ex%%|*}; msg=${ex#*|}
  t "guide: run $opt" 2 "$TACH" run --no-store $opt true
  has "guide: run $opt: $msg" err "tach run: ${opt%% *}: $msg"
  if grep -qF -- "\`$opt\`" "$TACH_SRC/docs/guide.md" || grep -qF -- "\`'${opt#* }'\`" "$TACH_SRC/docs/guide.md"
  then ok "guide names $opt"; else bad "guide: $opt not in docs/guide.md"; fi
done
t "run --total-time 1x" 2 "$TACH" run --no-store --total-time 1x true
has "durations: the units named" err "expected seconds above 0 s and at most 1000000 s (e.g. 2, 500ms, 1.5s, 1m)"

# ---- seeds: decimal everywhere (010 is ten), or 0x hex --------------------------------------
t "run --seed 010" 0 "$TACH" run --no-store --style none --runs 2 --seed 010 --export-json s.json true
if [ "$(jq '.context.settings.seed' s.json)" = 10 ]; then ok "tach run: --seed 010 is 10"; else bad "tach run: --seed 010 is $(jq '.context.settings.seed' s.json)"; fi
t "binary --seed 010" 0 "$FIX" --list --seed 010
t "binary --seed=0x10" 0 "$FIX" --list --seed=0x10

# ---- durations with units everywhere ----------------------------------------------------------
t "binary --max-time 2ms" 0 "$FIX" --max-time 2ms --rounds 1 --min-samples 2 --quiet --format json --filter 'copy/bytes=64$' --out b.json
if [ "$(jq '.context.settings.max_time_s' b.json)" = 0.002 ]; then ok "binary: --max-time 2ms is 0.002 s"; else bad "binary: --max-time 2ms gave $(jq '.context.settings.max_time_s' b.json)"; fi
t "run --total-time=500ms" 0 "$TACH" run --no-store --style none --min-runs 2 --total-time=500ms true

t "ab --max-time 2ms --seed 010 (accepted, as tach run's)" 0 "$TACH" ab --max-time 2ms --seed 010 --help
t "ab --total-time=1m --warmup-pairs=0" 0 "$TACH" ab --total-time=1m --warmup-pairs=0 --help
t "ab --max-time 2x" 2 "$TACH" ab --max-time 2x a b
has "ab: message style" err "tach ab: --max-time: '2x' is not a duration"

t "stability --max-time 2ms --timeout 1m (durations as everywhere)" 0 "$TACH" stability --max-time 2ms --timeout 1m --help
t "stability --max-time 2x" 2 "$TACH" stability --max-time 2x true
t "compare --seed 010 (decimal) is accepted" 0 "$TACH" compare --seed 010 --help

for c in "certify --title=X --store=$W/none.db" "push --job=x --store=$W/none.db" "site --title=X --store=$W/none.db out"; do
  # shellcheck disable=SC2086
  "$TACH" $c >"$W/out" 2>"$W/err"
  if grep -q "unknown option" "$W/err"; then bad "tach $c: --opt=value refused: $(cat "$W/err")"; else ok "tach ${c%% *}: --opt=value accepted"; fi
done

# ---- old spellings still work -------------------------------------------------------------------
rm -f runs.log
t "run --warmup 2 (old spelling of --warmup-runs)" 0 "$TACH" run --no-store --style none --runs 1 --warmup 2 -- sh -c "echo r >> $W/runs.log"
if [ "$(wc -l <runs.log)" -eq 3 ]; then ok "--warmup 2 still gives two warm-up runs"; else bad "--warmup 2 gave $(wc -l <runs.log) runs in all"; fi
t "run --max-time (old spelling of --total-time)" 0 "$TACH" run --no-store --style none --min-runs 2 --max-time 0.2 true
t "binary --warmup (old spelling of --warmup-time)" 0 "$FIX" --list --warmup 0.01
"$TACH" run --help >help.txt 2>&1
has "run --help lists the old spellings" help.txt "--warmup N"

# ---- hyperfine's form: positional command strings and short flags -----------------------------
t "tach run 'sleep 0.01' 'sleep 0.02'" 0 "$TACH" run --no-store --style none -r 2 --export-json p.json 'sleep 0.01' 'sleep 0.02'
if [ "$(jq '[.benchmarks[].command] == ["sleep 0.01", "sleep 0.02"]' p.json)" = true ]; then ok "two positional commands measured"; else bad "positional commands: $(jq -c '[.benchmarks[].command]' p.json)"; fi
t "tach run 'sleep 0.01' (one string)" 0 "$TACH" run --no-store --style none -r 2 'sleep 0.01'
t "tach run true (one word, not a libtach binary)" 0 "$TACH" run --no-store --style none -r 2 true
rm -f runs.log prep.log
t "-w 1 -r 2 -p CMD" 0 "$TACH" run --no-store --style none -w 1 -r 2 -p "echo p >> $W/prep.log" "sh -c 'echo r >> $W/runs.log'"
if [ "$(wc -l <runs.log)" -eq 3 ] && [ "$(wc -l <prep.log)" -eq 3 ]; then ok "-w/-r/-p as hyperfine's"; else bad "-w/-r/-p: $(wc -l <runs.log) runs, $(wc -l <prep.log) prepares"; fi
t "-m 2 -M 2 -N -u millisecond --show-output" 0 "$TACH" run --no-store --style none -m 2 -M 2 -N -u millisecond --show-output --export-json u.json true
# hyperfine's -u is --time-unit UNIT: the unit is its value, not a command to time (it was
# a flag, and 'millisecond' was run as a command: "command 'millisecond' not found")
if [ "$(jq -c '[.benchmarks[].command]' u.json)" = '["true"]' ]; then ok "-u takes the unit as its value"; else bad "-u millisecond: $(jq -c '[.benchmarks[].command]' u.json)"; fi
t "--time-unit second" 0 "$TACH" run --no-store --style none -r 2 --time-unit second true
t "-u lightyear" 2 "$TACH" run --no-store --style none -r 2 -u lightyear true
has "the bad unit is named" err "lightyear"
t "-L n 1,2 as --param" 0 "$TACH" run --no-store --style none -r 1 -L n=1,2 --export-json l.json 'sleep 0.0{n}'
if [ "$(jq '.benchmarks | length' l.json)" = 2 ]; then ok "-L gives two values"; else bad "-L gave $(jq '.benchmarks | length' l.json)"; fi
t "a binary is still recognised as a positional" 0 "$TACH" run --no-store --style none --processes 1 --bench-time 0.1 --filter 'copy/bytes=64$' "$FIX"
# ---- one name, one meaning: --total-time (commands, in all) vs --bench-time (a binary, each benchmark)
t "a binary with --bench-time" 0 "$TACH" run --no-store --style none --processes 2 --bench-time 0.2 --filter 'copy/bytes=64$' --export-json bt.json "$FIX"
if [ "$(jq '.context.settings.bench_time_s' bt.json)" = 0.2 ]; then ok "--bench-time recorded"; else bad "--bench-time: settings have $(jq -c '.context.settings' bt.json)"; fi
t "--total-time with a binary" 2 "$TACH" run --no-store --total-time 1 "$FIX"
t "--bench-time with commands" 2 "$TACH" run --no-store --bench-time 1 true
t "a missing command as a positional" 2 "$TACH" run --no-store 'no-such-command-xyz --x'
has "names it" err "no-such-command-xyz"

# ---- arguments after -- that clash with tach's own ---------------------------------------------
t "binary -- --format csv" 2 "$TACH" run --no-store --style none "$FIX" -- --format csv
has "the clash is named" err "'--format' after -- clashes"
t "binary -- --max-time=1" 2 "$TACH" run --no-store --style none "$FIX" -- --max-time=1
t "binary --seed 3 -- --seed 4" 2 "$TACH" run --no-store --style none --seed 3 "$FIX" -- --seed 4

# ---- --param: decimals need a step ---------------------------------------------------------------
t "--param t=0.01:0.03" 2 "$TACH" run --no-store --param t=0.01:0.03 'sleep {t}'
has "a decimal range without a step is refused" err "needs a step"
t "--param t=0.01:0.03:0.01" 0 "$TACH" run --no-store --style none -r 1 --param t=0.01:0.03:0.01 --export-json d.json 'sleep {t}'
if [ "$(jq '.benchmarks | length' d.json)" = 3 ]; then ok "with a step: three values"; else bad "with a step: $(jq '.benchmarks | length' d.json) values"; fi

# ---- every loop bounded by the time budget ---------------------------------------------------------
t "run --warmup-runs 999999999 --total-time 0.3" 0 timeout 60 "$TACH" run --no-store --style none --warmup-runs 999999999 --total-time 0.3 --min-runs 2 true
t "binary --warmup-time 1000 --max-time 0.05" 0 timeout 60 "$FIX" --warmup-time 1000 --max-time 0.05 --rounds 1 --min-samples 2 --quiet --filter 'copy/bytes=64$' --format json --out w.json
t "binary --min-time 5 --max-time 1 (both given)" 2 "$FIX" --min-time 5 --max-time 1
# a sample longer than a round's share of the budget can never fit (it ran 137 s, or
# ended as a false timeout after 60 s): refused before anything runs
t "binary --sample-time 100 --max-time 0.2" 2 timeout 60 "$FIX" --sample-time 100 --max-time 0.2 --filter 'copy/bytes=64$'
has "the budget is named" err "--sample-time 100 is more than a round's share of --max-time (0.2 s over 4 rounds: 0.05 s)"
t "binary --sample-time 0.3 --max-time 1 --rounds 4" 2 "$FIX" --sample-time 0.3 --max-time 1 --rounds 4
t "binary --sample-time 0.02 --max-time 0.1 --rounds 1" 0 timeout 60 "$FIX" --sample-time 0.02 --max-time 0.1 --rounds 1 --min-samples 2 --quiet --filter 'copy/bytes=64$' --format json --out st.json

# ---- every option --help names is accepted (the tool's and a binary's) --------------------------------
walk() { # NAME HELPFILE CMD...: each --opt in HELPFILE is not "unknown" to CMD
  local name=$1 help=$2; shift 2
  local opt n=0
  # the options part: lines "  --opt ..." or "  -x, --opt ..."
  for opt in $(grep -E -- '^  (-[a-zA-Z], )?--[a-z]' "$help" | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
    "$@" "$opt" </dev/null >/dev/null 2>"$W/werr"
    if grep -q "unknown option" "$W/werr"; then bad "$name: $opt is in --help but refused"; fi
    n=$((n + 1))
  done
  if [ "$n" -gt 0 ]; then ok "$name: $n options in --help, none refused"; else bad "$name: no option found in $help"; fi
}
"$FIX" --help >bhelp.txt
walk "benchmark binary" bhelp.txt timeout 10 "$FIX" --list
"$TACH" ab --help >abhelp.txt
walk "tach ab" abhelp.txt timeout 10 "$TACH" ab --help
walk "tach run" help.txt timeout 10 "$TACH" run --no-store --style none --runs 1 --help
# every other subcommand, as 'tach --help' lists them
cmds=$("$TACH" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | grep -vx -e version -e run -e ab)
ncmds=0
for c in $cmds; do
  "$TACH" "$c" --help >"$c.help" 2>&1 || bad "tach $c --help: exit $?"
  if grep -q "^options (--opt VALUE or --opt=VALUE):" "$c.help"; then ok "tach $c: --help generated from its table"; else bad "tach $c: --help has no generated options part"; fi
  walk "tach $c" "$c.help" timeout 10 "$TACH" "$c" --help
  ncmds=$((ncmds + 1))
done
want=$(($(grep -c '^TACH_CMD(' "$TACH_SRC/cli/commands.def") - 2)) # all but run and ab
if [ "$ncmds" -eq "$want" ]; then ok "$want more commands walked"; else bad "$ncmds commands walked, expected $want"; fi

# ---- every command: --opt=value as --opt value, one message style, did you mean ---------------
for c in $cmds; do
  t "tach $c --helpp" 2 "$TACH" "$c" --helpp
  has "tach $c: did you mean --help" err "tach $c: unknown option '--helpp' (did you mean --help?)"
done
t "history --last=0" 2 "$TACH" history --last=0
has "history: message style" err "tach history: --last: '0' is too small, expected a whole number from 1 to"
t "site --last 1" 2 "$TACH" site --last 1 out
has "site: message style" err "tach site: --last: '1' is too small, expected a whole number from 2 to"
t "report --format=pdf" 2 "$TACH" report --format=pdf
has "report: message style" err "tach report: --format: 'pdf' is not one of the choices, expected md, html"
t "push --timeout 2x" 2 "$TACH" push --timeout 2x http://127.0.0.1:9/
has "push: durations" err "tach push: --timeout: '2x' is not a duration"
t "stability --warn=abc" 2 "$TACH" stability --warn=abc true
has "stability: message style" err "tach stability: --warn: 'abc' is not a percentage"
t "compare --resamples 5" 2 "$TACH" compare --resamples 5 a.json b.json
has "compare: message style" err "tach compare: --resamples: '5' is too small, expected a whole number from 100 to 1000000"
# the default draws 100, then 400, 1,600 and 2,000 while an end stays near the noise
# band (compare.c draw_ci): the help said "redrawn with 2000"
t "compare --help" 0 "$TACH" compare --help
has "compare --help: the CI redrawn 4x larger, up to 2000" out "4x larger, up to 2000, while a CI ends near the noise"
# a number of the right kind but out of bounds was called "not a number"
t "load --rate 0" 2 "$TACH" load --rate 0 http://127.0.0.1:9/
has "load --rate 0: too small, not 'not a number'" err "tach load: --rate: '0' is too small, expected a number from 1e-06 to 1000000000"
t "load --rate 1e10" 2 "$TACH" load --rate 1e10 http://127.0.0.1:9/
has "load --rate 1e10: too large" err "tach load: --rate: '1e10' is too large, expected a number from 1e-06 to 1000000000"
t "load --rate abc" 2 "$TACH" load --rate abc http://127.0.0.1:9/
has "load --rate abc: still not a number" err "tach load: --rate: 'abc' is not a number"
# beyond what a double or a long holds: out of range too, not "not a number"
t "load --rate 1e400" 2 "$TACH" load --rate 1e400 http://127.0.0.1:9/
has "load --rate 1e400: too large" err "tach load: --rate: '1e400' is too large, expected a number from 1e-06 to 1000000000"
t "load --rate 1e-400" 2 "$TACH" load --rate 1e-400 http://127.0.0.1:9/
has "load --rate 1e-400: too small" err "tach load: --rate: '1e-400' is too small, expected a number from 1e-06 to 1000000000"
# a bound above 0 too close to 0 for a double was read as 0: p99<=0s, a 0 s stage
t "load --slo p99<=1e-400s" 2 "$TACH" load --no-store --slo 'p99<=1e-400s' --rate 10 --warmup 0 --duration 1 http://127.0.0.1:9/
has "load --slo p99<=1e-400s: too small" err "tach load: --slo: 'p99<=1e-400s': '1e-400s' is too small"
t "load --ramp 10:1e-400s" 2 "$TACH" load --ramp 10:1e-400s http://127.0.0.1:9/
has "load --ramp 10:1e-400s: too small" err "tach load: --ramp: the duration '1e-400s' is too small"
t "load --clients 99999999999999999999" 2 "$TACH" load --clients 99999999999999999999 http://127.0.0.1:9/
has "load --clients 2e19: too large" err "tach load: --clients: '99999999999999999999' is too large, expected a whole number from 1 to 1000000"
# a negative count is too small, as a negative --rate is (it was "not a count"): every
# command's count options (one parser, tach__opt_parse_count), a binary's too
neg_count() { # COMMAND... (the option and -1 among them)
  "$@" >"$W/out" 2>"$W/err"
  local rc=$? o
  for o in "$@"; do case $o in -*) [ "$o" = -1 ] || opt=$o ;; esac; done
  if [ "$rc" -eq 2 ] && grep -qF -- "$opt: '-1' is too small, expected a whole number" "$W/err" && ! grep -q "not a count" "$W/err"; then
    ok "${*:2}: '-1' is too small"
  else bad "${*:2}: exit $rc: $(head -2 "$W/err")"; fi
}
neg_count "$TACH" load --clients -1 http://127.0.0.1:9/
neg_count "$TACH" load --threads -1 http://127.0.0.1:9/
neg_count "$TACH" load --max-steps -1 http://127.0.0.1:9/
neg_count "$TACH" run --no-store --runs -1 true
neg_count "$TACH" run --no-store --warmup-runs -1 true
neg_count "$TACH" run --no-store --processes -1 true
neg_count "$TACH" ab --min-pairs -1 true false
neg_count "$TACH" stability --runs -1 true
neg_count "$TACH" history --last -1
neg_count "$TACH" soak --pid -1
neg_count "$TACH" suite bus --no-store --messages -1
neg_count "$TACH" compare --resamples -1 a.json b.json
neg_count "$TACH" report --top -1
neg_count "$TACH" site --last -1
neg_count "$TACH" profile --top -1 true
neg_count "$FIX" --rounds -1
neg_count "$FIX" --min-samples -1
t "load --clients -99999999999999999999" 2 "$TACH" load --clients -99999999999999999999 http://127.0.0.1:9/
has "load --clients -2e19: too small" err "tach load: --clients: '-99999999999999999999' is too small, expected a whole number from 1 to 1000000"
t "load --clients -1.5" 2 "$TACH" load --clients -1.5 http://127.0.0.1:9/
has "load --clients -1.5: still not a count" err "tach load: --clients: '-1.5' is not a count"
t "soak --pid -5" 2 "$TACH" soak --pid -5
has "soak --pid -5: too small, not 'not a process id'" err "tach soak: --pid: '-5' is too small, expected a whole number"
# --request-timeout's bound above is said in --help, and refused beyond it
t "load --help" 0 "$TACH" load --help
has "load --help: --request-timeout's maximum" out "at least 1ms, libcurl's unit; at most 1h)"
t "load --request-timeout 2h" 2 "$TACH" load --request-timeout 2h http://127.0.0.1:9/
has "load --request-timeout 2h: too large" err "tach load: --request-timeout: '2h' is too large, expected seconds from 0.001 s to 3600 s"
# the shared --store row is within 80 columns in every command's --help (it ran to 101)
for c in run load history record compare gate report site certify; do
  "$TACH" $c --help >"$W/out" 2>/dev/null
  w=$(awk '/^  --store PATH\|URL/ { on = 1 } on && (/^  -/ || !/^   /) && !/--store PATH/ { on = 0 } on && length($0) > m { m = length($0) } END { print m + 0 }' "$W/out")
  if [ "$w" -gt 0 ] && [ "$w" -le 80 ]; then ok "$c --help: the --store row is $w columns"; else bad "$c --help: the --store row is $w columns"; fi
done
t "load --duration 1e400" 2 "$TACH" load --duration 1e400 http://127.0.0.1:9/
has "load --duration 1e400: too large" err "tach load: --duration: '1e400' is too large, expected seconds"
t "load --max-late 1e400" 2 "$TACH" load --rate 10 --max-late 1e400 http://127.0.0.1:9/
has "load --max-late 1e400: too large" err "tach load: --max-late: '1e400' is too large, expected a percentage"
t "stability --warn=-1" 2 "$TACH" stability --warn=-1 true
has "stability --warn -1: too small" err "tach stability: --warn: '-1' is too small, expected a percentage above 0%"
t "push --timeout 1e300h" 2 "$TACH" push --timeout 1e300h http://127.0.0.1:9/
has "push --timeout 1e300h: too large, not 'not a duration'" err "tach push: --timeout: '1e300h' is too large, expected seconds"
t "gate --fail-on=sever" 2 "$TACH" gate --fail-on=sever a.json b.json
has "gate: message style" err "tach gate: --fail-on: 'sever' is not one of the choices, expected warning or critical"
t "convert --to=nosuch" 2 "$TACH" convert --to=nosuch a.json
has "convert: message style" err "tach convert: --to: 'nosuch' is not a format, expected"
t "record --tag=novalue" 2 "$TACH" record --tag=novalue a.json
has "record: message style" err "tach record: --tag: 'novalue' is not a tag, expected KEY=VALUE"
t "import --output" 2 "$TACH" import a.json --output
has "import: a missing value" err "tach import: --output needs a value OUT"
t "stability --max-time (old spelling of --bench-time) 2ms" 0 "$TACH" stability --max-time=2ms --help
t "stability --bench-time 2ms" 0 "$TACH" stability --bench-time 2ms --help
t "compare --seed=0x10 --noise=3%" 0 "$TACH" compare --seed=0x10 --noise=3% --help

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
echo "all checks passed"
