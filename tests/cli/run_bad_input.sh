#!/usr/bin/env bash
# Everything `tach run` is given is checked before the first run: each mistake gets one
# line on stderr naming the bad value, exit status 2, no export written, and nothing
# run (the command under test would leave a file behind if it ran).
source "$(dirname "$0")/lib.bash"
set -o pipefail
private_store

printf '#!/bin/sh\necho ran >> %s/ran.log\n' "$W" >notexec.sh   # no x bit
printf '#!/bin/sh\necho ran >> %s/ran.log\n' "$W" >marker.sh && chmod +x marker.sh
mkdir -p adir
MARK="$W/marker.sh"

# bad DESCRIPTION NEEDLE ARGS...: `tach run --export-json bad.json ARGS` must exit 2
# with exactly one stderr line containing NEEDLE, write no export and run nothing.
bad_input() {
  local what=$1 needle=$2; shift 2
  rm -f "$W/bad.json" "$W/ran.log"
  local store=(--no-store) # BAD_STORE=PATH: a store instead (a --tag is refused under --no-store)
  [ -n "${BAD_STORE:-}" ] && store=(--store "$BAD_STORE")
  "$TACH" run "${store[@]}" --export-json "$W/bad.json" "$@" >"$W/out" 2>"$W/err"
  local rc=$? lines
  lines=$(wc -l <"$W/err")
  if [ "$rc" -ne 2 ]; then bad "$what: exit $rc, expected 2"; sed 's/^/    /' "$W/err" | head -5; return; fi
  if [ "$lines" -ne 1 ]; then bad "$what: $lines lines on stderr, expected 1"; sed 's/^/    /' "$W/err" | head -5; return; fi
  if ! grep -qF -- "$needle" "$W/err"; then bad "$what: stderr does not name '$needle': $(cat "$W/err")"; return; fi
  if [ -e "$W/bad.json" ]; then bad "$what: an export was written"; return; fi
  if [ -e "$W/ran.log" ] && [ -z "${PROBED:-}" ]; then bad "$what: the command ran"; return; fi
  ok "$what: $(cat "$W/err")"
}

# ---- commands ------------------------------------------------------------------------
bad_input "command not found (path)" "/nonexistent/prog" --runs 2 -- /nonexistent/prog
bad_input "command not found (PATH)" "no-such-command-xyz" --runs 2 -c "no-such-command-xyz --flag"
bad_input "not executable" "notexec.sh" --runs 2 -- ./notexec.sh
bad_input "a directory" "adir" --runs 2 -- ./adir
bad_input "the second -c command is not found" "nope-2" --runs 2 -c "$MARK" -c "nope-2 x"
bad_input "shell syntax without --shell" "--shell" --runs 2 -c "$MARK | cat"
# The globs a shell would expand: refused as the rest of its syntax when they name files
# (here marker.sh and the rest of $W, aXb, a), unless quoted; a pattern that names no file
# is the word itself, as to a shell (a URL's '?').
touch aXb a
bad_input "a '*' glob without --shell" "('*')" --runs 2 -c "$MARK *"
bad_input "a '?' glob without --shell" "('?')" --runs 2 -c "$MARK a?b"
bad_input "a '[...]' glob without --shell" "('[')" --runs 2 -c "$MARK [ab]"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" > %s/arg.log\n' "$W" >argword.sh && chmod +x argword.sh
while read -r quoted word; do
  rm -f "$W/arg.log"
  "$TACH" run --no-store --runs 1 --warmup 0 --style none -c "$W/argword.sh $quoted" >"$W/out" 2>"$W/err"
  rc=$?
  [ "$rc" -eq 0 ] && [ "$(cat "$W/arg.log" 2>/dev/null)" = "$word" ] \
    && ok "a quoted glob, or one naming no file ($quoted), is the word $word itself" \
    || fail "$quoted: exit $rc, the command got '$(cat "$W/arg.log" 2>/dev/null)', not '$word': $(head -c 300 "$W/err")"
done <<'EOF2'
'*' *
"a?b" a?b
\[ab] [ab]
http://127.0.0.1/x?y=1 http://127.0.0.1/x?y=1
nofile* nofile*
zz[ab] zz[ab]
EOF2
"$TACH" run --no-store --runs 1 --warmup 0 --style none -c "test [ = [" >"$W/out" 2>"$W/err"
check "a '[' with no ']' in its word is no glob ('test [ = [')" test $? -eq 0
bad_input "unterminated quote" "unterminated" --runs 2 -c "$MARK 'oops"
bad_input "no command" "no command" --runs 2
bad_input "nothing after --" "no command after --" --runs 2 --
bad_input "-c and -- together" "not both" -c "$MARK" -- "$MARK"
mkdir -p bin && cp marker.sh bin/prog-a
bad_input "a parameter value makes a missing command" "prog-b" --runs 2 --param x=a,b -c "$W/bin/prog-{x}"
bad_input "--shell names a missing shell" "no-such-shell" --shell=no-such-shell --runs 2 -c "$MARK"
# the parameters' product is bounded as a scan is (four scans of 65536 values made 2^64
# combinations, zero in a size_t: nothing ran, exit 0)
bad_input "a product of --param scans beyond 100000" \
  "--param: 1 command x 65536 values of a x 65536 values of b x 65536 values of c x 65536 values of d make more than 100000" \
  --runs 2 --param a=1:65536 --param b=1:65536 --param c=1:65536 --param d=1:65536 -- "$MARK"
bad_input "two commands x a scan of 50001" "2 commands x 50001 values of n make more than 100000" \
  --runs 2 --param n=0:50000 -c "$MARK" -c "$MARK {n}"
# -N with a shell says the opposite (-N won wherever it stood, and a command's shell
# syntax was then refused with a pointer to --shell); -S none is -N.
bad_input "-N after --shell=bash" "-N/--no-shell and --shell 'bash'" --shell=bash -N --runs 2 -c "$MARK"
bad_input "-N before -S bash" "-N/--no-shell and --shell 'bash'" -N -S bash --runs 2 -c "$MARK"
bad_input "--no-shell with a bare --shell" "--shell '/bin/sh'" --shell --no-shell --runs 2 -c "$MARK"
trun --runs 1 --style none -N -S none -- "$MARK"
expect_rc 0 "-N with -S none (both no shell)"
# -S where another option wants its value (-n -S, --setup -S): the parser took it as the
# value while the hyperfine shell's reading took it as -S (-n -S bash named the command '-S'
# and ran it through bash; -S zsh -n -S x ran it through /bin/sh, zsh dropped).  It is
# refused, as hyperfine refuses it and tach a value that is an option starting with --;
# the '=' form gives such a value on purpose.
bad_input "-n -S bash" "-n needs a value NAME (got '-S', the shell option" -n -S bash --runs 2 "$MARK"
bad_input "--setup -S" "--setup needs a value CMD (got '-S', the shell option" --setup -S bash --runs 2 "$MARK"
bad_input "-p -Sbash" "-p=-Sbash gives it as the value" -p -Sbash --runs 2 "$MARK"
bad_input "-S bash -n -S" "--command-name=-S gives it as the value" -S bash --command-name -S --runs 2 "$MARK"
trun --runs 1 --style none --export-json "$W/name.json" -n=-S -S bash "$MARK"
expect_rc 0 "-n=-S -S bash: the name -S, the shell bash"
jqc "-n=-S -S bash: the command named -S, run through bash" name.json \
  '(.context.settings.shell | test("bash$")) and ([.benchmarks[].name] == ["-S"])'

# ---- malformed values ----------------------------------------------------------------------
bad_input "--runs abc" "'abc'" --runs abc -- "$MARK"
bad_input "--runs 0" "'0'" --runs 0 -- "$MARK"
bad_input "--runs without a value" "--runs needs a value" -c "$MARK" --runs
bad_input "--warmup -1" "'-1'" --warmup -1 -- "$MARK"
bad_input "--min-runs 1.5" "'1.5'" --min-runs 1.5 -- "$MARK"
bad_input "--max-runs x" "'x'" --max-runs x -- "$MARK"
bad_input "--min-runs above --max-runs" "--min-runs 9 is more than --max-runs 3" --min-runs 9 --max-runs 3 -- "$MARK"
bad_input "--runs with --min-runs" "--runs cannot be combined" --runs 3 --min-runs 2 -- "$MARK"
bad_input "--min-time soon" "'soon'" --min-time soon -- "$MARK"
bad_input "--max-time 0" "'0'" --max-time 0 -- "$MARK"
bad_input "--timeout -2" "'-2'" --timeout -2 -- "$MARK"
bad_input "--timeout 1x" "'1x'" --timeout 1x -- "$MARK"
bad_input "--precision 0" "'0'" --precision 0 -- "$MARK"
bad_input "--precision 150%" "'150%'" --precision 150% -- "$MARK"
bad_input "--style loud" "'loud'" --style loud -- "$MARK"
bad_input "--output ''" "--output" --output "" -- "$MARK"
bad_input "--seed -5" "'-5'" --seed -5 -- "$MARK"
bad_input "--seed abc" "'abc'" --seed abc -- "$MARK"
bad_input "--ignore-failure=x" "'x'" --ignore-failure=x -- "$MARK"
bad_input "--ignore-failure=0" "'0'" --ignore-failure=0 -- "$MARK"
bad_input "--processes 0" "'0'" --processes 0 -- "$MARK"
BAD_STORE=$W/never.db bad_input "--tag without =" "'nokey'" --tag nokey -- "$MARK"
# one value per key: the second was kept without a word (the store keeps one per key)
BAD_STORE=$W/never.db bad_input "--tag a key twice" "--tag: key 'a' is given twice ('a=b', 'a=c')" --tag a=b --tag a=c -- "$MARK"
# a tag is kept on the recorded run only: under --no-store it was dropped without a word
bad_input "--tag with --no-store" "--tag with --no-store: a tag is kept only on the run recorded in the store" --tag a=b -- "$MARK"
[ ! -e "$W/never.db" ] || bad "a refused --tag made the store"
bad_input "an unknown option" "--frobnicate" --frobnicate -- "$MARK"
bad_input "an unknown export format" "--export-yaml" --export-yaml x.yaml -- "$MARK"

# ---- parameter lists ------------------------------------------------------------------------
bad_input "--param n= (empty list)" "'n='" --param n= -c "$MARK {n}"
bad_input "--param n=5:1 (empty range)" "'n=5:1'" --param n=5:1 -c "$MARK {n}"
bad_input "--param n=1:5:0 (zero step)" "'n=1:5:0'" --param n=1:5:0 -c "$MARK {n}"
bad_input "--param n=1:x (not numbers)" "'n=1:x'" --param n=1:x -c "$MARK {n}"
bad_input "--param n=1,,2 (an empty value)" "'n=1,,2'" --param n=1,,2 -c "$MARK {n}"
bad_input "--param n=1,2, (a trailing comma)" "'n=1,2,'" --param n=1,2, -c "$MARK {n}"
# the other comma lists refuse an empty item the same way, a trailing comma included
bad_input "--counters=cycles, (a trailing comma)" "--counters: 'cycles,' has an empty name" --counters=cycles, -c "$MARK"
bad_input "--counters=cycles,,instructions" "--counters: 'cycles,,instructions' has an empty name" \
  --counters=cycles,,instructions -c "$MARK"
bad_input "--counters page-faults (the list without '=')" \
  "command 'page-faults' not found (searched \$PATH): after --counters it is read as the command (the option takes a value only as --counters=LIST)" \
  --counters page-faults -- "$MARK"
bad_input "--ignore-failure=1, (a trailing comma)" "'1,'" --ignore-failure=1, -c "$MARK"
bad_input "--param =1,2 (no name)" "'=1,2'" --param =1,2 -c "$MARK"
bad_input "--param 1x=1 (bad name)" "'1x=1'" --param 1x=1 -c "$MARK"
bad_input "--param given twice" "'n'" --param n=1 --param n=2 -c "$MARK {n}"
bad_input "--param n=0:1e9 (too many values)" "'n=0:1e9'" --param n=0:1e9 -c "$MARK {n}"
# a value given twice made a second result of the same command, named "#2"
bad_input "--param n=a,b,a (a value twice)" "--param 'n=a,b,a': the value 'a' is given twice" --param n=a,b,a -c "$MARK {n}"
bad_input "--param n=1,1 (a value twice)" "the value '1' is given twice" --param n=1,1 -c "$MARK {n}"
# ... and so did a scan whose step has fewer decimals than its values (0, 0.5 and 1 shown
# as 0, 0 and 1), or whose numbers are beyond a double's integers (2^53 and 2^53 + 1)
bad_input "--param n=0:1:5e-1 (a scan repeating a value)" "--param 'n=0:1:5e-1': the value '0' is given twice" \
  --param n=0:1:5e-1 -c "$MARK {n}"
bad_input "--param n=9007199254740992:9007199254740994 (beyond 2^53)" "'n=9007199254740992:9007199254740994'" \
  --param n=9007199254740992:9007199254740994 -c "$MARK {n}"
# 2^53 + 1 is read as 2^53 by a double: the scan 2^53:2^53+1 ran 2^53 alone, without a word
bad_input "--param n=9007199254740992:9007199254740993 (just beyond 2^53)" "'n=9007199254740992:9007199254740993'" \
  --param n=9007199254740992:9007199254740993 -c "$MARK {n}"
bad_input "--param n=-9007199254740993:0 (just beyond -2^53)" "'n=-9007199254740993:0'" \
  --param n=-9007199254740993:0 -c "$MARK {n}"
# a number beyond a long long was run as -9223372036854775808; 1e70 as 1000...07253...
bad_input "--param n=99999999999999999999:99999999999999999999" "'n=99999999999999999999:99999999999999999999'" \
  --param n=99999999999999999999:99999999999999999999 -c "$MARK {n}"
bad_input "--param n=1e70:1e70:1" "'n=1e70:1e70:1'" --param n=1e70:1e70:1 -c "$MARK {n}"
# numbers are decimal, as written: strtod's hex, blanks, inf and nan are not
bad_input "--param n=0x10:0x12 (hex)" "'n=0x10:0x12'" --param n=0x10:0x12 -c "$MARK {n}"
bad_input "--param 'n= 1:3' (a blank)" "'n= 1:3'" --param 'n= 1:3' -c "$MARK {n}"
bad_input "--param n=1:inf:1" "'n=1:inf:1'" --param n=1:inf:1 -c "$MARK {n}"
bad_input "--param n=0:1:nan" "'n=0:1:nan'" --param n=0:1:nan -c "$MARK {n}"
# a bound cut at 63 characters was read as another number
bad_input "--param n=0:1:0.000...01 (a step longer than 63 characters)" "is not a range of numbers" \
  --param "n=0:1:0.$(printf '0%.0s' $(seq 70))1" -c "$MARK {n}"

# ---- durations too large for the clock (seconds turned into nanoseconds in an integer: 1e300
# was undefined behaviour, and 1e300h infinite), for every duration option of tach run
for opt in --timeout --min-time --total-time --max-time --bench-time; do
  for v in 1e300 1e300h 1e7 2e5m; do
    bad_input "$opt $v (too long)" "$opt: '$v' is too large, expected seconds" "$opt" "$v" -- "$MARK"
  done
done

# ---- files ----------------------------------------------------------------------------------
bad_input "--input missing" "missing.txt" --input missing.txt -- "$MARK"
bad_input "--input a directory" "adir" --input adir -- "$MARK"
bad_input "--output into a missing directory" "nodir/out.txt" --output nodir/out.txt -- "$MARK"
bad_input "--export-csv into a missing directory" "nodir/x.csv" --export-csv nodir/x.csv -- "$MARK"
bad_input "--export-markdown to a directory" "adir" --export-markdown adir -- "$MARK"
# /proc's files exist, and root may open them, but nothing can be made beside them:
# found before the first run, not after.
bad_input "--export-csv where no file can be made" "/proc/version" --export-csv /proc/version -- "$MARK"

# Two outputs naming one file would keep only the last writer's; an output onto the
# --input file would destroy the commands' input: refused, and the input left whole.
printf 'input line\n' >in.txt && ln -sf in.txt in-link.txt
bad_input "--export-csv onto --export-json's file" "same file" --export-csv "$W/./bad.json" -- "$MARK"
bad_input "--output onto --export-json's file" "same file" --output "$W/bad.json" -- "$MARK"
bad_input "--export-json onto the --input file" "--input file" --input in.txt --export-json in.txt -- "$MARK"
bad_input "--output onto the --input file (through a link)" "--input file" --input in-link.txt --output in.txt -- "$MARK"
check "the --input file is left whole" grep -qx 'input line' in.txt
# an export onto the store the run is to be recorded in, not made yet: refused before
# anything runs (the run went ahead, the export made the store's file a JSON document,
# and recording then refused it, exit 2 after the run)
rm -f "$W/ran.log" "$W/new.db"
expect 2 "$TACH" run --runs 2 --store "$W/new.db" --export-json "$W/./new.db" -- "$MARK" \
  && err_has "--export-json: '$W/./new.db' is the store: the output would replace it" \
  && check "nothing written where the store goes, nothing run" test ! -e "$W/new.db" -a ! -e "$W/ran.log"
# options for a benchmark binary given with commands: refused, as --bench-time is (they
# were silently ignored)
bad_input "--filter with commands" "--filter applies to a benchmark binary, not to commands" --filter x -- "$MARK"
bad_input "--processes with commands" "--processes applies to a benchmark binary" --processes 3 -c "$MARK"
# --memory counts a libtach binary's heap: with a command it did nothing (the peak RSS it
# reports is measured on every run anyway)
bad_input "--memory with commands" "--memory applies to a benchmark binary, not to commands (it counts a libtach binary's heap allocations" --memory -- "$MARK"
bad_input "--memory with a one-word program that is not a libtach binary" \
  "--memory applies to a benchmark binary, not to commands ('true' does not answer --tach-probe" --memory true
bad_input "--filter with a one-word program that is not a libtach binary" \
  "('true' does not answer --tach-probe: it is timed as a command" --filter x true
# a one-word program that cannot start (127: the loader found no libtach.so.0, or a
# command it runs is missing) is said so, not only timed as a failing command
printf '#!/bin/sh\nexit 127\n' >e127 && chmod +x e127
"$TACH" run --no-store --runs 2 --style none ./e127 >/dev/null 2>e127.err
check "a probe exiting 127 is named, with the loader's likely cause" \
  grep -q "^tach run: warning: './e127 --tach-probe' exited with status 127, so it is not taken for a libtach benchmark binary: .*LD_LIBRARY_PATH" e127.err
trun --runs 2 --style none --export-json - --export-csv - -- "$MARK"
expect_rc 0 "two exports to standard output ('-') are not one file"
# an export to standard output holds the document alone: the summary goes to stderr (it
# came before the JSON on stdout, which then did not parse)
trun --runs 2 --export-json - -- "$MARK"
expect_rc 0 "--export-json - with the summary"
check "... stdout is the JSON document alone" jq -e '.benchmarks | length == 1' "$W/out"
check "... the summary on stderr" grep -q '^Benchmark 1: ' "$W/err"
# the command does not hold the export's standard output (a background child of it kept a
# `| jq` waiting): its open files do not include tach's stdout
trun --runs 1 --style none --output inherit --export-json - -- sh -c 'for f in /proc/$$/fd/*; do readlink "$f"; done; true'
expect_rc 0 "--export-json - with a command listing its files"
check "... the export's stdout is not among them" bash -c "! grep -qxF '$W/out' '$W/err'"

# ---- exports through links and special files ----------------------------------------------
# A symbolic link stays a link (the file it names is replaced), a FIFO is written
# through (not replaced by a regular file), and so is /dev/stdout.
printf 'old\n' >linked.md && ln -sf linked.md link.md
trun --runs 2 --style none --export-markdown link.md -- "$MARK"
expect_rc 0 "an export through a symbolic link"
check "the link is still a link" test -L link.md
check "the file it names holds the table" grep -q '^| Command' linked.md
ln -sf sub/new.csv dangling.csv && mkdir -p sub
trun --runs 2 --style none --export-csv dangling.csv -- "$MARK"
check "a link to a file not there yet: the file is made where the link points" \
  bash -c "test -L dangling.csv && grep -q '^name,' sub/new.csv"
mkfifo pipe.json
(timeout 30 cat pipe.json >from-fifo.json) &  # bounded: a tach that never opens it fails the test, not hangs it
reader=$!
trun --runs 2 --style none --export-json pipe.json -- "$MARK"
expect_rc 0 "an export into a FIFO"
wait "$reader"
check "the FIFO is still a FIFO" test -p pipe.json
check "the reader got the whole document" jq -e '.format == "tach-results"' from-fifo.json
"$TACH" run --no-store --runs 2 --style none --export-csv /dev/stdout -- "$MARK" >stdout.csv 2>/dev/null
check "--export-csv /dev/stdout writes to standard output" grep -q '^name,' stdout.csv
# ... without truncating it: what a log opened with >> held stays; standard output under
# another name is as "-": it holds the export alone, the summary goes to standard error.
echo "earlier line" >log.txt
"$TACH" run --no-store --runs 2 --style basic --export-csv /dev/stdout -- "$MARK" >>log.txt 2>summary.txt
check "/dev/stdout into a >> log: the earlier line and the CSV kept" \
  bash -c "head -1 log.txt | grep -q '^earlier line\$' && grep -q '^name,' log.txt"
check "... the summary on standard error, not in the log" \
  bash -c "grep -q 'Time (mean' summary.txt && ! grep -q 'Time (mean' log.txt"
# --export-json /dev/stdout > FILE (or /proc/self/fd/1, or the very file stdout is
# redirected to) is --export-json -: the file holds the document alone, not the summary
# before it (or the summary over it).
for p in /dev/stdout /proc/self/fd/1 same.json; do
  rm -f same.json
  "$TACH" run --no-store --runs 2 --style basic --export-json "$p" -- "$MARK" >same.json 2>summary.txt
  check "--export-json $p > same.json: the file is the document alone" \
    jqt '.format == "tach-results"' same.json
  check "... the summary on standard error" grep -q 'Time (mean' summary.txt
done
check "--export-json /dev/stdout | jq: the pipe gets the document alone" \
  bash -c "'$TACH' run --no-store --runs 2 --style basic --export-json /dev/stdout -- '$MARK' 2>/dev/null | jq -e '.format == \"tach-results\"' >/dev/null"
# /dev/null for both is no export to standard output: nothing comes on standard error
# (a device's writes do not mix with the summary's)
"$TACH" run --no-store --runs 2 --style basic --export-json /dev/null -- "$MARK" >/dev/null 2>null.err
check "--export-json /dev/null >/dev/null: the summary not moved to standard error" \
  bash -c "! grep -q 'Time (mean' null.err"
# A chain of links to a file not there yet: the file is made at the end, the links kept.
ln -sf chain2.csv chain1.csv && ln -sf sub/end.csv chain2.csv
trun --runs 2 --style none --export-csv chain1.csv -- "$MARK"
check "a chain of two links: both stay links, the file is made at the end" \
  bash -c "test -L chain1.csv && test -L chain2.csv && grep -q '^name,' sub/end.csv"

# ---- benchmark binaries -------------------------------------------------------------------------
# (recognising a binary means running it once with --tach-probe, so it may run)
# A positional alone is a command when it is not a libtach binary (as hyperfine's
# `hyperfine CMD`); followed by -- it must be one.
PROBED=1 bad_input "a positional with -- that is not a libtach binary" "not a libtach benchmark binary" "$MARK" --
FIX=$TACH_BUILD/tests/fixture_basic
bad_input "--runs with a benchmark binary" "--runs applies to commands" --runs 3 "$FIX"
bad_input "--runs with a benchmark binary and --" "--runs applies to commands" --runs 3 "$FIX" --
bad_input "-c and a positional" "unexpected argument" -c "$MARK" "$MARK"
# What does not depend on the target's kind is refused before the probe starts a
# one-word target (bad_input: nothing ran, not even WORD --tach-probe).
bad_input "one word, --output into a missing directory" "nodir/out.txt" --output nodir/out.txt "$MARK"
bad_input "one word, --input missing" "missing.txt" --input missing.txt "$MARK"
bad_input "one word, two exports on one file" "same file" --export-csv "$W/bad.json" "$MARK"
bad_input "one word, --profile-dir under a file" "not a directory" --profile-dir marker.sh/p "$MARK"
# Refused after the probe (it needs the answer): --output's file is not made either.
rm -f out.txt
PROBED=1 bad_input "not a binary after --, with --output" "not a libtach benchmark binary" --output out.txt "$MARK" --
check "... its --output file is not made" test ! -e out.txt
bad_input "--export-hlog of a command, with --output" "--export-hlog" --output out.txt --export-hlog h.hlog -c "$MARK"
check "... its --output file is not made" test ! -e out.txt

# ---- exit 1, not 2: a command that fails while running ---------------------------------------------
trun --runs 2 --style none --export-json "$W/f.json" -- sh -c 'exit 7'
expect_rc 1 "a command exiting 7 is a failed run, not bad input"
check "its export is written" test -s f.json
# --style none prints no summary, but the reason for exit 1 still goes to stderr
trun --runs 2 --style none -c 'sh -c "kill -SEGV $$"'
expect_rc 1 "--style none: a crashing command"
check "... stderr says it crashed, and how" grep -q 'crashed — killed by signal 11 (SIGSEGV)' "$W/err"
check "... stdout stays empty" test ! -s "$W/out"
trun --runs 2 --style none -S -c no-such-command-xyz
expect_rc 1 "--style none: a command the shell cannot find"
check "... stderr names it and its exit code" grep -q 'no-such-command-xyz: failed — exited with code 127' "$W/err"

# ---- help ----------------------------------------------------------------------------------------
"$TACH" run --help >"$W/out" 2>&1
check "--help exits 0 and lists every option" bash -c "grep -q -- '--ignore-failure' '$W/out' && grep -q -- '--export-github' '$W/out' && grep -q -- '--processes' '$W/out'"

finish
