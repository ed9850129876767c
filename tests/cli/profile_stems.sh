#!/usr/bin/env bash
# profile_stems.sh - two benchmarks whose names differ only in punctuation (fixture
# prof_names: copy/bytes/n=64 in eq_work, copy/bytes/n_64 in us_work) keep files of
# their own (both were written to copy_bytes_n_64.*, the second profile over the
# first), and --baseline DIR reads each one's back.  So do three commands ./sub/spin,
# ./sub_spin and PATH's sub_spin (all were sub_spin.*): a name that is a safe stem
# already is its own (sub_spin), one with a '/', another replaced character or a
# leading "./" left out gets the hash.
source "$(dirname "$0")/lib.bash"
FIX=$TACH_BUILD/tests/fixture_prof_names
cd "$tmp" || exit 1

expect 0 "$TACH" profile --profile-hz 4999 --profile-dir "$tmp/p" --top 3 -- "$FIX" --max-time 0.3
# STEM of benchmark NAME in $tmp/out: its "profile: DIR/STEM.{...}" line after its table
stem_in_out() {
  awk -v t="Top 3 of $1 (self time):" '$0 == t { on = 1 } on && /^profile: / { sub(/^profile: /, ""); sub(/\.\{.*/, ""); n = split($0, a, "/"); print a[n]; exit }' "$tmp/out"
}
[ "$(grep -cE "^profile: $tmp/p/copy_bytes_n_64-[0-9a-f]{16}\\.\\{folded,speedscope\\.json,svg\\}$" "$tmp/out")" = 2 ] &&
  ok "both stems hashed (a '/' replaced)" || fail "profile lines: $(grep '^profile:' "$tmp/out")"
eqs=$(stem_in_out copy/bytes/n=64)
uss=$(stem_in_out copy/bytes/n_64)
[ -n "$eqs" ] && [ -n "$uss" ] && [ "$eqs" != "$uss" ] && ok "two stems: $eqs $uss" || fail "stems: '$eqs' '$uss'"
n=$(ls "$tmp/p" | wc -l)
[ "$n" = 6 ] && ok "six files, three each" || fail "files: $(ls "$tmp/p")"
eq=$tmp/p/$eqs.folded
us=$tmp/p/$uss.folded
grep -q eq_work "$eq" && ! grep -q us_work "$eq" && ok "n=64's file holds eq_work" || fail "n=64's folded: $(head -3 "$eq")"
grep -q us_work "$us" && ! grep -q eq_work "$us" && ok "n_64's file holds us_work" || fail "n_64's folded: $(head -3 "$us")"

# the directory as a baseline: each benchmark's change column from its own file
expect 0 "$TACH" profile --profile-hz 4999 --baseline "$tmp/p" --profile-dir "$tmp/q" --top 3 -- "$FIX" --max-time 0.3
out_lacks 'no change column'
# each one's top function against its own baseline: a change of a few points (against
# the other's file it was "new", or about +100)
for f in eq_work us_work; do
  c=$(awk -v f="$f" '$1 == "1" && $2 == f { print $NF; exit }' "$tmp/out")
  awk -v c="$c" 'BEGIN { exit !(c ~ /^[+-][0-9.]+$/ && c + 0 < 50 && c + 0 > -50) }' &&
    ok "$f against its own baseline: $c" || fail "$f's change: '$c': $(cat "$tmp/out")"
done
# a folder written before names with a replaced character were hashed: n=64's profile
# under the old stem, copy_bytes_n_64.folded, is still its baseline (it "kept no profile")
mkdir -p "$tmp/old"
cp "$eq" "$tmp/old/copy_bytes_n_64.folded"
expect 0 "$TACH" profile --profile-hz 4999 --baseline "$tmp/old" --profile-dir "$tmp/r" --top 3 -- "$FIX" --max-time 0.3
out_lacks 'keeps no profile of copy/bytes/n=64' && ok "n=64 read back from its old stem"
c=$(awk '$1 == "1" && $2 == "eq_work" { print $NF; exit }' "$tmp/out")
awk -v c="$c" 'BEGIN { exit !(c ~ /^[+-][0-9.]+$/) }' && ok "eq_work against its old-stem baseline: $c" ||
  fail "eq_work's change: '$c': $(cat "$tmp/out")"
# a bad line in a profile file read back (here appended by a wrapper after the binary
# wrote it) is named with the file's path (it was "line 2: ..." without one); its table
# cannot be shown, so tach exits 1 (it exited 0, a profile silently missing)
cat >wrap.sh <<EOF
#!/bin/sh
"$FIX" "\$@"; rc=\$?
for f in "$tmp"/w/*.folded; do [ -f "\$f" ] && printf 'main;x -3\\n' >>"\$f"; done
exit \$rc
EOF
chmod +x wrap.sh
expect 1 "$TACH" profile --profile-hz 4999 --baseline "$tmp/p" --profile-dir "$tmp/w" --top 3 -- ./wrap.sh --max-time 0.3
grep -qE "^tach profile: profile of copy/bytes/n_64: $tmp/w/$uss\.folded:[0-9]+: the count '-3' is not" "$tmp/err" &&
  ok "the bad line named with its file" || fail "stderr: $(cat "$tmp/err")"
# a benchmark binary whose profile files cannot be written (a directory where one goes):
# its bottleneck table is printed all the same (it was not), one line on stderr, exit 2
mkdir -p "$tmp/x/$uss.folded"
expect 2 "$FIX" --profile --profile-hz 4999 --profile-dir "$tmp/x" --top 3 --max-time 0.3 --quiet
out_has '^Top 3 of copy/bytes/n_64 \(self time\):$'
out_has '^ +1 +us_work '
out_has "^profile: $tmp/x/$eqs\\."
out_lacks "^profile: $tmp/x/$uss\\."
err_has "profile of copy/bytes/n_64: its files could not be written: cannot write $tmp/x/$uss.folded"

# three commands, ./sub/spin, ./sub_spin and sub_spin (PATH's, another program): the
# first two were both written to sub_spin.*, then ./sub_spin and sub_spin were (the
# "./" left out), the second over the first; sub_spin is a safe stem, its own, and the
# other two have the hash, each of its whole name.  A loop counted, not timed.
mkdir -p sub bin
printf '#!/bin/sh\ni=0\nwhile [ $i -lt 150000 ]; do i=$((i+1)); done\n' >sub/spin
cp sub/spin sub_spin
printf '#!/bin/sh\ni=0\nwhile [ $i -lt 100000 ]; do i=$((i+2)); i=$((i-1)); done\n' >bin/sub_spin
chmod +x sub/spin sub_spin bin/sub_spin
expect 0 "$TACH" profile --profile-dir "$tmp/c" --top 3 ./sub/spin
out_has "^profile: $tmp/c/sub_spin-[0-9a-f]{16}\\.\\{folded,speedscope\\.json,svg\\}$"
slash=$(sed -n "s|^profile: $tmp/c/\\(sub_spin-[0-9a-f]*\\)\\.{.*|\\1|p" "$tmp/out")
expect 0 "$TACH" profile --profile-dir "$tmp/c" --top 3 ./sub_spin
out_has "^profile: $tmp/c/sub_spin-[0-9a-f]{16}\\.\\{folded,speedscope\\.json,svg\\}$"
dot=$(sed -n "s|^profile: $tmp/c/\\(sub_spin-[0-9a-f]*\\)\\.{.*|\\1|p" "$tmp/out")
[ -n "$slash" ] && [ -n "$dot" ] && [ "$slash" != "$dot" ] && ok "./sub/spin and ./sub_spin: two stems" ||
  fail "stems: '$slash' '$dot'"
PATH=$tmp/bin:$PATH expect 0 "$TACH" profile --profile-dir "$tmp/c" --top 3 sub_spin
out_has "^profile: $tmp/c/sub_spin\\.\\{folded,speedscope\\.json,svg\\}$"
n=$(ls "$tmp/c" | wc -l)
[ "$n" = 9 ] && ok "./sub/spin, ./sub_spin and sub_spin: nine files, three each" || fail "files: $(ls "$tmp/c")"
[ -f "$tmp/c/.tach-stems-2" ] && ok "the folder is marked as this tach's" || fail "no marker: $(ls -A "$tmp/c")"
# a folder with ./sub_spin's profile only (./sub/spin not profiled there): its file is
# ./sub_spin's, not ./sub/spin's (sub_spin.folded was read as ./sub/spin's baseline, exit
# 0 with a change column against another program); one with PATH's sub_spin's only is
# not ./sub_spin's baseline (it was, sub_spin.folded for both)
expect 0 "$TACH" profile --profile-dir "$tmp/b1" --top 3 ./sub_spin
expect 0 "$TACH" profile --baseline "$tmp/b1" --profile-dir "$tmp/n1" --top 3 ./sub/spin
out_has "^no change column: $tmp/b1 keeps no profile of \\./sub/spin$"
PATH=$tmp/bin:$PATH expect 0 "$TACH" profile --profile-dir "$tmp/b2" --top 3 sub_spin
expect 0 "$TACH" profile --baseline "$tmp/b2" --profile-dir "$tmp/n3" --top 3 ./sub_spin
out_has "^no change column: $tmp/b2 keeps no profile of \\./sub_spin$"
expect 0 "$TACH" profile --baseline "$tmp/c" --profile-dir "$tmp/n4" --top 3 ./sub_spin
out_lacks 'no change column' && ok "./sub_spin read back from its own file"
# the same folder as an older tach left it (no marker, ./sub/spin's profile as
# sub_spin.folded, "./" left out and '/' turned into '_' without the hash): still
# ./sub/spin's baseline
mkdir -p "$tmp/o1"
cp "$tmp/c/$slash.folded" "$tmp/o1/sub_spin.folded"
expect 0 "$TACH" profile --baseline "$tmp/o1" --profile-dir "$tmp/n2" --top 3 ./sub/spin
out_lacks 'no change column' && ok "./sub/spin read back from an older folder's sub_spin.folded"

# a command line with bytes that are not UTF-8 (an argument in Latin-1): its flame graph
# is well-formed XML (the bytes were copied in: no viewer opened it)
expect 0 "$TACH" profile --profile-dir "$tmp/u" --top 3 ./sub/spin $'caf\xe9'
svg=$(ls "$tmp"/u/*.svg 2>/dev/null)
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$svg" &&
  ok "a name not UTF-8: the SVG is well-formed" || fail "the SVG of a name not UTF-8 is not XML: $svg"
# ... and its speedscope file has the name speedscope requires (json_string refused it)
ss=$(ls "$tmp"/u/*.speedscope.json 2>/dev/null)
jqt '(.name | startswith("./sub/spin ") and contains("caf")) and .profiles[0].name == .name' "$ss" &&
  ok "a name not UTF-8: the speedscope file is named" || fail "speedscope names: $(jq -c '[.name, .profiles[0].name]' "$ss")"
finish
