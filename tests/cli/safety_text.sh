#!/usr/bin/env bash
# safety_text.sh - text from outside never reaches the terminal raw, and never reaches
# a shell or a link unchecked.
#   - control characters (ESC sequences, CR, the 8-bit CSI) in a command's or a
#     benchmark's name, in a message, in a file name: escaped as the benchmark
#     binary's console table escapes them (tach run, compare, history, errors);
#   - --commit-url is written into HTML links: only http:// and https:// are taken;
#   - a CSV text cell (a name, a message, a machine) that starts as a spreadsheet formula
#     (= + - @) gets a ' before it (OWASP), in convert/report --format csv and history;
#   - --param values substituted into --prepare (run by /bin/sh) are quoted for the
#     shell: a value with ; $( ) ' or spaces is one word, nothing in it is run.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
ESC=$'\033'
no_esc() { # WHAT FILE...: no ESC, CR or C1 control in the files
  local what=$1; shift
  if grep -qP '[\x1b\r]|\xc2[\x80-\x9f]' "$@"; then
    fail "$what: a control character reaches the terminal: $(grep -hP '[\x1b\r]' "$@" | head -2 | cat -v)"
  else
    ok "$what"
  fi
}
expect 0 "$TACH" run --no-store --runs 2 "true ${ESC}[2J${ESC}[31m"$'\r' && no_esc "tach run: a command's name" out err
# A document whose benchmark names and messages hold escape sequences.
jq --arg e "$ESC" '.benchmarks[0].name = ("evil" + $e + "[31m/name\r\u009b") | .benchmarks[1].status = "failed"
   | .benchmarks[1].message = ("boom" + $e + "[2J")' "$DATA/report_base.json" >evil.json
jq --arg e "$ESC" '.benchmarks[0].name = ("evil" + $e + "[31m/name\r\u009b")' "$DATA/report_new.json" >evil_new.json
"$TACH" compare evil.json evil_new.json >cmp.out 2>cmp.err
no_esc "tach compare: names and messages" cmp.out cmp.err
"$TACH" convert evil.json --to console >conv.out 2>&1
no_esc "tach convert --to console" conv.out
"$TACH" record --store s.db -q evil.json evil_new.json >/dev/null 2>&1 || fail "record"
"$TACH" history --store s.db >hist.out 2>&1
no_esc "tach history" hist.out
# Markdown (reports, certificates, convert): a control is written as its \u text, so
# that a report shown on a terminal never drives it; ordinary UTF-8 is kept.
"$TACH" report evil.json --baseline evil_new.json >rep.md 2>&1
no_esc "tach report (Markdown)" rep.md
check "tach report: ESC, CR and CSI in a name as text" grep -qF '`evil\u001b[31m/name \u009b`' rep.md
check "tach report: ESC in a message as text" grep -qF 'boom\u001b[2J' rep.md
check "tach report: ordinary UTF-8 kept" grep -qF 'µs' rep.md
"$TACH" convert evil.json --to markdown >conv.md 2>&1
no_esc "tach convert --to markdown" conv.md
check "tach convert --to markdown: ESC as text" grep -qF 'evil\u001b[31m' conv.md
for to in asciidoc orgmode; do
  "$TACH" convert evil.json --to $to >conv.$to 2>&1
  no_esc "tach convert --to $to" conv.$to
  check "tach convert --to $to: ESC as text" grep -qF 'evil\u001b[31m' conv.$to
done
cp evil.json "evil${ESC}[2J"$'\r'".json"
"$TACH" certify "evil${ESC}[2J"$'\r'".json" -o cert.md 2>/dev/null
no_esc "tach certify (Markdown), its evidence block too" cert.md
expect 0 "$TACH" certify --verify cert.md && ok "a certificate of a file named with controls verifies"
"$TACH" convert "missing${ESC}[31m.json" --to csv >/dev/null 2>err.out
no_esc "an error message naming a file" err.out
# The lines that name a path the user gave (tach certify's verdict, tach site's
# directory, an error naming two results files): the 8-bit CSI and a tab as spaces.
CSI=$'\xc2\x9b' TAB=$'\t'
cp "$DATA/report_base.json" "x$CSI--y%$TAB.json"
expect 1 "$TACH" certify "x$CSI--y%$TAB.json" -o "c$CSI.md" \
  && err_line "^tach certify: c  \.md: file x  --y% \.json REJECTED$" && ok "tach certify: its verdict line"
expect 0 "$TACH" site "w$CSI$TAB" --store s.db \
  && err_line "^tach site: wrote the site for .*: w   /index\.html$" && ok "tach site: the directory it wrote"
jq '.context.suite = {name: "storage", file_size: 1048576}' "$DATA/report_base.json" >"b$CSI.json"
jq '.context.suite = {name: "storage", file_size: 2097152}' "$DATA/report_new.json" >"n$TAB.json"
expect 2 "$TACH" report "n$TAB.json" --baseline "b$CSI.json" -o r.md \
  && err_line "^tach report: file b  \.json and file n \.json measured different inputs " \
  && ok "tach report: an error naming two files, each called a file (it said 'run n .json')"
"$TACH" compare "b$CSI.json" "n$TAB.json" >/dev/null 2>err
err_line "^tach compare: file b  \.json and file n \.json measured different inputs " \
  && ok "tach compare: an error naming two files"
# An error message quoting a file's name: its tab and newline as spaces, one line (the
# messages kept tabs and newlines, for the messages' own lines, which none has)
expect 2 "$TACH" report "m$CSI--y%$TAB.json" \
  && err_line "^tach report: cannot read results file 'm  --y% \.json': No such file or directory$" \
  && ok "an error naming a file with a tab: one line, the tab a space"
expect 2 "$TACH" report "m"$'\n'"n.json" \
  && err_line "^tach report: cannot read results file 'm n\.json': No such file or directory$" \
  && ok "... and a newline"

# A benchmark binary's own names (tests/fixtures/odd_names.c): --list shows them as the
# table does (controls as spaces, one name a line, not raw), and the table's name cell,
# cut at 159 bytes, ends at a whole character, not in a '?' (the name is 200 bytes of é).
ODD="$TACH_BUILD/tests/fixture_odd_names"
if expect 0 "$ODD" --list; then
  no_esc "a binary's --list" out
  check "--list: one line a name, controls as spaces" \
    test "$(cat out)" = "$(printf 'esc [31mred  next col/ctl\n%s/long_utf8' "$(printf '\xc3\xa9%.0s' {1..100})")"
fi
if expect 0 "$ODD" --quiet; then
  no_esc "a binary's table" out
  check "the table: the long name cut at a character (no '?', valid UTF-8)" \
    bash -c "grep -F 'skipped' out | grep -v ctl | grep -qv '?' && iconv -f UTF-8 -t UTF-8 out >/dev/null"
  check "the table: the long name's cell holds 79 whole characters" \
    bash -c "grep -qF '$(printf '\xc3\xa9%.0s' {1..79}) ' out"
fi

for u in 'javascript:alert(1)//' 'JavaScript:alert(1)' 'data:text/html,x' 'https://ok.test/" onmouseover="x'; do
  expect 2 "$TACH" report --format html --commit-url "$u" -o r.html "$DATA/report_base.json" \
    && err_has "tach report: --commit-url: '$u' is not a link, expected an http:// or https:// URL" && ok "report --commit-url '$u' refused"
  expect 2 "$TACH" site web --store s.db --commit-url "$u" && ok "site --commit-url '$u' refused"
done
# a link with no host links nowhere: refused as tach push refuses it
for u in 'https://' 'HTTP://' 'https:///c/' 'https://user@/c/'; do
  expect 2 "$TACH" report --format html --commit-url "$u" -o r.html "$DATA/report_base.json" \
    && err_line "^tach report: --commit-url: '$u' has no host, expected ${u:0:8}HOST\[/PATH\]$" \
    && ok "report --commit-url '$u' (no host) refused"
done
# the authority ends at the query, as libcurl reads an http URL: its '@' names no host
expect 2 "$TACH" report --format html --commit-url 'https://?a@git.test/' -o r.html "$DATA/report_base.json" \
  && err_line "^tach report: --commit-url: 'https://\?a@git\.test/' has no host, expected https://HOST\[/PATH\]$" \
  && ok "report --commit-url 'https://?a@git.test/' (the '@' in the query) refused"
# a password in a refused link is not shown, as tach push shows its URL (cli_url_host is
# both commands' reading of user:password@host)
expect 2 "$TACH" report --format html --commit-url 'https://user:hunter2@/c/' -o r.html "$DATA/report_base.json" \
  && err_line "^tach report: --commit-url: 'https://user:\*\*\*@/c/' has no host, expected https://HOST\[/PATH\]$" \
  && ok "report --commit-url: no host, the password redacted"
expect 2 "$TACH" site web --store "$tmp/none.db" --commit-url 'https://user:hunter2@git.test/c/"' \
  && err_line "^tach site: --commit-url: 'https://user:\*\*\*@git.test/c/\"' is not a link" \
  && ok "site --commit-url: not a link, the password redacted"
test ! -e r.html || fail "a report was written with a refused --commit-url"
# tach site's --commit-url is the same check (cli_check_link_url): nothing made
for u in 'https://' 'https://user@/c/'; do
  expect 2 "$TACH" site web --store "$tmp/none.db" --commit-url "$u" \
    && err_line "^tach site: --commit-url: '$u' has no host, expected https://HOST\[/PATH\]$" \
    && ok "site --commit-url '$u' (no host) refused"
done
test ! -e web || fail "site made its directory with a refused --commit-url"
expect 0 "$TACH" report --format html --commit-url HTTPS://git.test/c/ -o r.html "$DATA/report_base.json" \
  && ok "report --commit-url https:// is taken"

mkdir prep && cd prep
if expect 0 "$TACH" run --no-store --runs 1 --style none -P 'v=a b;touch pwned,$(touch pwned2),it'"'"'s,plain-1.5' \
  --prepare 'printf "%s\n" {v} >> prep.log' true; then
  check "--prepare: nothing in a --param value was run" test ! -e pwned -a ! -e pwned2
  printf '%s\n' 'a b;touch pwned' '$(touch pwned2)' "it's" plain-1.5 >want.log
  check "--prepare: each value reached the command as one word, as given" cmp -s <(LC_ALL=C sort -u want.log) <(LC_ALL=C sort -u prep.log)
fi
cd "$tmp"
# CSV: names and messages starting with = + - @ are text a spreadsheet shows, not a
# formula it runs; numbers (a negative one too) stay as they are
jq '.benchmarks[0].name = "=HYPERLINK(\"http://e.test/\",\"x\")" | .benchmarks[1].name = "@sum"
   | .benchmarks[2].name = "+1" | .benchmarks[3].status = "failed" | .benchmarks[3].message = "-ERR refused, 2"' \
  "$DATA/report_base.json" >formula.json
for how in "convert formula.json --to csv" "report formula.json --format csv"; do
  # shellcheck disable=SC2086
  if expect 0 "$TACH" $how; then
    python3 - "$tmp/out" <<'PYEOF' && ok "$how: formula-like cells start with '" || fail "$how: formula-like cells (see above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
names = [r["name"] for r in rows]
assert names[:3] == ["'=HYPERLINK(\"http://e.test/\",\"x\")", "'@sum", "'+1"], names[:3]
assert rows[3]["message"] == "'-ERR refused, 2", rows[3]["message"]
assert all(not n.startswith(("=", "+", "-", "@")) for n in names), names
float(rows[0]["median_ns"])
PYEOF
  fi
done
"$TACH" record --store f.db -q formula.json >/dev/null 2>&1 || fail "record formula.json"
if expect 0 "$TACH" history --store f.db --format csv '@sum'; then
  python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); assert r and r[0]["name"] == "'"'"'@sum", r' "$tmp/out" \
    && ok "history --format csv: a formula-like name starts with '" || fail "history csv: $(head -3 "$tmp/out")"
fi
finish
