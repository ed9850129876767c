#!/usr/bin/env bash
# secrets.sh - a password never leaves tach: not in a message, not in a stored or
# exported document, not in a report or a certificate.
#   - tach push http://user:PW@host: on success and on every error (gateway down,
#     gateway answering 500) the URL reads user:***@;
#   - a PostgreSQL store URL with user:PW@ or ?password=PW: tach run's stored document,
#     its JSON export, history, report (Markdown, HTML) and certify never show PW
#     (a throwaway server with trust authentication, so any password connects);
#   - a command's words (tach run, tach profile): a URL's password, and the word after
#     a --password given alone ("--password PW"), in its name, the store, the exports
#     and the messages about a program not found or not executable;
#   - a document written by an older tach whose command line holds a password: the
#     reports and certificates made from it redact it.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
PW=Sekr1tPw
no_pw() { # WHAT FILE...: none of the files holds the password
  local what=$1; shift
  if grep -l -- "$PW" "$@" >/dev/null 2>&1; then
    fail "$what: the password is shown: $(grep -h -- "$PW" "$@" | head -3)"
  else
    ok "$what"
  fi
}

# ---- push -------------------------------------------------------------------------------
mkstore s.db
cat >gw.py <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        if self.path.endswith('/job/fail'):
            body = b'bad \x1b[31mred\x1b[0m request'
            self.send_response(500)
        else:
            body = b''
            self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
/usr/bin/python3 gw.py >gw.port 2>gw.log &
gw=$!
pids=()
trap 'kill $gw "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
running_until $gw test -s gw.port || fail "the gateway ended before it said its port: $(cat gw.log)"
port=$(cat gw.port)
if expect 0 "$TACH" push "http://user:$PW@127.0.0.1:$port" --store s.db; then
  no_pw "push: the success message" err
  err_has "to http://user:***@127.0.0.1:$port/metrics/job/tach"
fi
if expect 2 "$TACH" push "http://user:$PW@127.0.0.1:$port" --store s.db --job fail; then
  no_pw "push: an HTTP error" err
  grep -q $'\x1b' err && fail "push: the gateway's escape characters reach the terminal raw" \
    || ok "push: the gateway's control characters are escaped"
fi
dead=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect 2 "$TACH" push "http://user:$PW@127.0.0.1:$dead" --store s.db --timeout 5 && no_pw "push: a gateway that is down" err
expect 2 "$TACH" push "ftp://user:$PW@127.0.0.1/" --store s.db && no_pw "push: a URL that is not http" err
# A password with a raw space, which libpq takes: a store URL is one URL (tach__redact_url),
# whose authority ends at '/', not at the space, so the password is hidden whole.
if expect 2 "$TACH" history --store "postgresql://u:a b$PW@127.0.0.1:$dead/db"; then
  grep -qF 'postgresql://u:***@127.0.0.1' err || fail "the store URL is not shown redacted: $(cat err)"
  no_pw "a store URL whose password holds a space" err
fi

# A URL in a command word with no password is kept as typed: a URL in text ends at a
# blank (tach__url_userinfo), so a later word's '@' is not read as its password's.
cmd='true http://localhost:8080 -H "From: a@b"'
expect 0 "$TACH" run --runs 2 --store s.db --export-json curl.json "$cmd"
[ "$(jq -r '.context.command_line[-1]' curl.json)" = "$cmd" ] ||
  fail "the command is not recorded as typed: $(jq -c .context.command_line curl.json)"

# A command line word that is a URL, or --opt=URL, is one URL: a raw blank in its password
# is the password's (it was kept as "password=*** PW").
expect 0 "$TACH" run --runs 1 --store s.db --export-json words.json -- true \
  "postgresql://u@h/db?password=a $PW" "--dsn=postgresql://u@h/db?password=b $PW"
jq -e '.context.command_line[-2:] == ["postgresql://u@h/db?password=***", "--dsn=postgresql://u@h/db?password=***"]' \
  words.json >/dev/null || fail "URL words: $(jq -c .context.command_line words.json)"
jq .context.command_line words.json >words.cl
no_pw "a command line word that is a URL, or --opt=URL" words.cl

# A command's name is built from its words, each redacted as its command line's are
# (tach__redact_arg): the table, the export and the store (history) keep no password, and
# the name is the same from run to run.  A command given as one string is one word.
if expect 0 "$TACH" run --runs 1 --store s.db --export-json name.json -- true \
  "postgresql://u@h/db?password=$PW" "--dsn=postgresql://u:$PW@h/db"; then
  grep -qF "Benchmark 1: true 'postgresql://u@h/db?password=***' '--dsn=postgresql://u:***@h/db'" out ||
    fail "the table does not name the command redacted: $(grep Benchmark out)"
  no_pw "a command's name in the table" out err
fi
jq -e '.benchmarks[0] | .name == .command and .name ==
  "true '"'"'postgresql://u@h/db?password=***'"'"' '"'"'--dsn=postgresql://u:***@h/db'"'"'"' name.json >/dev/null ||
  fail "the exported name: $(jq -c '.benchmarks[0] | [.name, .command]' name.json)"
jq '.benchmarks[] | [.name, .command]' name.json >name.names
no_pw "a command's name and command in --export-json" name.names
expect 0 "$TACH" run --runs 1 --store s.db --export-json str.json "true postgresql://u:$PW@h/db" &&
  no_pw "a command string's name in the table" out err
[ "$(jq -r '.benchmarks[0].name' str.json)" = "true postgresql://u:***@h/db" ] ||
  fail "a command string's name: $(jq -r '.benchmarks[0].name' str.json)"
"$TACH" history --store s.db >hist.txt 2>&1
"$TACH" history --store s.db --format json >hist.json 2>&1
grep -qF 'true postgresql://u:***@h/db' hist.txt || fail "history does not list the command (test is void)"
no_pw "the names kept in the store (tach history)" hist.txt hist.json

# tach ab: OLD and NEW as shown, in the table and in JSON
"$TACH" ab --min-pairs 3 --max-pairs 3 -w 0 "true postgresql://u:$PW@h/db" "true x?password=$PW" >ab.out 2>ab.err
grep -qxF 'OLD: true postgresql://u:***@h/db' ab.out || fail "tach ab: OLD is not shown redacted: $(head -3 ab.out ab.err)"
no_pw "tach ab: OLD and NEW in the table" ab.out ab.err
"$TACH" ab --format json --min-pairs 3 --max-pairs 3 -w 0 "true postgresql://u:$PW@h/db" "true x?password=$PW" >ab.json 2>ab.err
jq -e '[.old, .new] == ["true postgresql://u:***@h/db", "true x?password=***"]' ab.json >/dev/null ||
  fail "tach ab --format json: $(jq -c '[.old, .new]' ab.json 2>&1 | head -c 300)"
no_pw "tach ab: OLD and NEW in JSON" ab.json ab.err

# tach load: a URL target's user:PW@ in its operation's name (the table, the export, the
# store) and in the message for a server that does not answer.  Its exit status is not
# asked: a busy machine may make the run invalid (exit 1), which changes no name.
delay_server "$tmp/ds.port" 0 0
"$TACH" load --duration 1 --warmup 0 --rate 20 --store s.db --export-json load.json \
  "http://u:$PW@${DS_URL#http://}" >load.out 2>load.err
grep -qF "http://u:***@${DS_URL#http://}" load.out || fail "tach load: the URL is not shown redacted: $(head -5 load.out load.err)"
jq -e --arg u "http://u:***@${DS_URL#http://}" '[.benchmarks[].name] | index($u) != null' load.json >/dev/null ||
  fail "tach load: the exported names: $(jq -c '[.benchmarks[].name]' load.json 2>&1 | head -c 300)"
"$TACH" history --store s.db --format json >load.hist 2>&1
no_pw "tach load: a URL target in the table, the export and the store" load.out load.err load.json load.hist
expect 2 "$TACH" load --duration 1 --no-store "http://u:$PW@127.0.0.1:$dead/" &&
  no_pw "tach load: a URL target that does not answer" out err
# a store URL whose password holds a raw '#' or '?' (libpq reads it to the '@'), or
# digits and a blank: hidden whole in the connection error, the host after it shown
for pw in "p#$PW" "p?$PW" "12 $PW"; do
  expect 2 "$TACH" history --store "postgresql://u:$pw@127.0.0.1:$dead/db" &&
    err_has "postgresql://u:***@127.0.0.1:$dead/db" && no_pw "a store URL with password '$pw'" out err
done
# a URL that cannot be loaded, or is not http: its message shows it redacted
for u in "http://u:$PW@127.0.0.1:99999/" "http://u:$PW@h:1x/" "postgres://u:$PW@h/db"; do
  expect 2 "$TACH" load --duration 1 --no-store "$u" && err_has "u:***@" &&
    no_pw "tach load: a URL not to load ($u)" out err
done
expect 2 "$TACH" load --duration 1 --no-store "http://127.0.0.1:$dead/" "ftp://u:$PW@h/" &&
  no_pw "tach load: a URL that is not http beside one that is" out err
# a command string tach cannot split: its message shows the command redacted
for c in "true password=$PW '" "true password=\"$PW" "true password=$PW | cat"; do
  expect 2 "$TACH" run --runs 1 --no-store "$c" && err_has "password=***" &&
    no_pw "tach run: a command that cannot be split ($c)" out err
done
# a password option alone and its value in the next word (psql --password PW, mysql
# --password PW): that word is "***" in the table, the export, the command line and the
# store; "--password=PW" hides its own value, not the next word, and -p is psql's port
if expect 0 "$TACH" run --runs 1 --store s.db --export-json two.json -- true --password "$PW" -p 5432 db; then
  grep -qF "Benchmark 1: true --password '***' -p 5432 db" out ||
    fail "a --password PW command is not named redacted: $(grep Benchmark out)"
  no_pw "tach run: --password PW in two words, in the table" out err
fi
jq -e '.context.command_line[-5:] == ["--password", "***", "-p", "5432", "db"] and
  .benchmarks[0].name == "true --password '"'"'***'"'"' -p 5432 db"' two.json >/dev/null ||
  fail "--password PW: $(jq -c '[.context.command_line, .benchmarks[0].name]' two.json)"
"$TACH" history --store s.db --format json >two.hist 2>&1
grep -qF -- '--password' two.hist || fail "history does not list the --password command (test is void)"
no_pw "tach run: --password PW in two words, in the export and the store" two.json two.hist
expect 0 "$TACH" run --runs 1 --no-store --export-json keep.json -- true "--password=$PW" db --password -h h &&
  jq -e '.benchmarks[0].name == "true '"'"'--password=***'"'"' db --password -h h"' keep.json >/dev/null ||
  fail "the word after --password=PW or before an option is kept: $(jq -c '.benchmarks[0].name' keep.json)"
# tach profile names a command by its words so too (its table, its files' names)
spin='i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done'
if expect 0 "$TACH" profile --profile-dir prof -- sh -c "$spin" sh --password "$PW"; then
  grep -qF -- "--password '***'" out || fail "tach profile does not name the command (test is void): $(head -c 300 out)"
  ls prof >prof.ls 2>&1
  no_pw "tach profile: --password PW in its table and its files' names" out err prof.ls
fi
# a program tach cannot find or run: its message shows it redacted, as its words are
# (a path, searched in $PATH, a file not executable, a directory)
expect 2 "$TACH" run --runs 1 --no-store -- "postgresql://u:$PW@h/db" && err_has "postgresql://u:***@h/db" &&
  no_pw "tach run: a command that is not found" out err
expect 2 "$TACH" run --runs 1 --no-store -- "password=$PW" && err_has "'password=***' not found" &&
  no_pw "tach run: a command not found in \$PATH" out err
mkdir -p "postgresql:/u:$PW@h" && : >"postgresql:/u:$PW@h/db"
expect 2 "$TACH" run --runs 1 --no-store -- "postgresql://u:$PW@h/db" && err_has "'postgresql://u:***@h/db' is not executable" &&
  no_pw "tach run: a command that is not executable" out err
expect 2 "$TACH" run --runs 1 --no-store -- "postgresql://u:$PW@h/" && err_has "'postgresql://u:***@h/' is a directory" &&
  no_pw "tach run: a command that is a directory" out err
expect 1 "$TACH" run --runs 1 --no-store --setup "false postgresql://u:$PW@h/db" true &&
  err_has "postgresql://u:***@h/db" && no_pw "tach run: a --setup command that fails" out err
# tach soak: its report, the run it records (name, context.soak.target) and its messages
# show the command's words redacted; only its series file keeps them, for --resume.  Its
# exit status is not asked: two intervals are too few for a verdict.
"$TACH" soak --duration 0.4 --interval 0.2 --out soak.jsonl --store s.db -- \
  true --password "$PW" "postgresql://u:$PW@h/db" >soak.out 2>soak.err
# (Markdown: each * escaped, so *** shows as written)
grep -qF '| Target | command: true --password \*\*\* postgresql://u:\*\*\*@h/db |' soak.out ||
  fail "tach soak: the target is not shown redacted: $(grep Target soak.out) $(head -3 soak.err)"
"$TACH" history --store s.db --format json >soak.hist 2>&1
"$TACH" report --store s.db --format json >soak.json 2>soak.rerr
jq -e '[.. | objects | select(.format? == "tach-soak-report") | .target.argv[]] ==
  ["true", "--password", "***", "postgresql://u:***@h/db"]' soak.json >/dev/null ||
  fail "tach soak: the recorded target: $(jq -c '[.. | objects | select(.format? == "tach-soak-report") | .target]' soak.json 2>&1 | head -c 300)"
grep -qF 'soak: true --password *** postgresql://u:***@h/db' soak.hist || fail "history does not list the soak (test is void)"
no_pw "tach soak: its report, the run it records" soak.out soak.err soak.hist soak.json soak.rerr
expect 2 "$TACH" soak --duration 0.4 --interval 0.2 --out nf.jsonl --no-store -- "postgresql://u:$PW@h/db" &&
  err_has "postgresql://u:***@h/db" && no_pw "tach soak: a command not found" out err
mkdir -p "postgresql:/u:$PW@h" && printf '#!/bin/sh\nkill -9 $$\n' >"postgresql:/u:$PW@h/die" &&
  chmod +x "postgresql:/u:$PW@h/die"
"$TACH" soak --duration 0.4 --interval 0.2 --out sig.jsonl --no-store -- "postgresql://u:$PW@h/die" >out 2>err
grep -qF 'postgresql://u:***@h/die: a run in interval 0 was killed by signal 9' err ||
  fail "tach soak: a run killed by a signal is not named redacted: $(head -c 300 err)"
no_pw "tach soak: a run killed by a signal" out err
# tach stability: its TARGET named redacted in its table, its JSON and its messages
st="true postgresql://u:$PW@h/db --password $PW"
"$TACH" stability --runs 2 --reps 1 "$st" >stab.out 2>stab.err
grep -qF 'runs of true postgresql://u:***@h/db --password ***' stab.out ||
  fail "tach stability: the target is not shown redacted: $(head -c 300 stab.out stab.err)"
"$TACH" stability --runs 2 --reps 1 --format json "$st" >stab.json 2>>stab.err
jq -e '.target == "true postgresql://u:***@h/db --password ***"' stab.json >/dev/null ||
  fail "tach stability --format json: $(jq -c .target stab.json 2>&1 | head -c 300)"
no_pw "tach stability: its table and JSON" stab.out stab.json stab.err
expect 1 "$TACH" stability --runs 2 --reps 1 "false postgresql://u:$PW@h/db" &&
  err_has "postgresql://u:***@h/db" && no_pw "tach stability: a command that fails" out err
expect 2 "$TACH" stability --runs 2 true "postgresql://u:$PW@h/db" &&
  err_has "'postgresql://u:***@h/db'" && no_pw "tach stability: an argument too many" out err
# tach bench: a suite's command lines, shown as tach run shows them, in its plan and
# progress lines, its report (Markdown and JSON), the summary and the store
mkdir -p suite/.tach
printf '[module "db"]\n    command = false postgresql://u:%s@h/db --password %s\n    command = true postgresql://u:%s@h/db\n' \
  "$PW" "$PW" "$PW" >suite/.tach/config
(cd suite && "$TACH" bench --quick --store s.db --report r.md >out 2>err)
grep -qF 'db/false postgresql://u:***@h/db --password ***' suite/err ||
  fail "tach bench: the failed command is not named redacted: $(head -c 600 suite/err)"
grep -qF '"item": "true postgresql://u:***@h/db"' suite/r.json || fail "tach bench: the report's items: $(grep '"item"' suite/r.json)"
"$TACH" history --store suite/s.db --format json >suite/hist.json 2>&1
no_pw "tach bench: a suite's command lines" suite/out suite/err suite/r.md suite/r.json suite/hist.json

# ---- a document from an older tach, with the password in its command line -----------------
jq --arg pw "$PW" '.context.command_line = ["tach", "run", "--store", ("postgresql://u:" + $pw + "@db/x"),
   "--store", ("postgresql://db/x?sslmode=off&password=" + $pw), ("--store=postgresql://v:a b" + $pw + "@db/y"),
   ("--store=postgresql://db/z?password=a " + $pw), "true", "--password", $pw]' "$DATA/report_base.json" >old.json
"$TACH" report --format markdown old.json >old.md 2>&1
"$TACH" report --format html -o old.html old.json >/dev/null 2>&1
"$TACH" certify old.json -o old.cert.md >/dev/null 2>&1
grep -q 'u:\*\*\*@db/x' old.md old.html old.cert.md || fail "the command line is not shown at all (test is void)"
no_pw "an older document's command line in Markdown, HTML and a certificate" old.md old.html old.cert.md

# ---- a PostgreSQL store with a password in its URL -------------------------------------------
if ! pg_found; then
  echo "skip: the store part: PostgreSQL not installed (scripts/deps.sh test)"
  finish
fi
kill $gw "${pids[@]}" 2>/dev/null; wait 2>/dev/null # the gateway and the HTTP server are done with: pg_start sets the exit trap
pg_start
url="postgresql://postgres:$PW@127.0.0.1:$PG_PORT/postgres"
url2="postgresql://postgres@127.0.0.1:$PG_PORT/postgres?password=$PW"
if expect 0 "$TACH" run --store "$url" --runs 2 --export-json run.json --export-markdown run.md true; then
  no_pw "tach run --store URL: its messages and exports" out err run.json run.md
fi
expect 0 "$TACH" run --store="$url2" --runs 2 true && no_pw "tach run --store=URL?password=: its messages" out err
# a raw blank in ?password= (libpq takes it): the --store=URL word recorded whole
if expect 0 "$TACH" run --store="${url2/password=/password=a }" --runs 2 --export-json blank.json true; then
  no_pw "tach run --store=URL?password=a PW: its messages and export" out err blank.json
fi
"$TACH" history --store "$url" --format json >h.json 2>&1
"$TACH" history --store "$url" >h.txt 2>&1
"$TACH" report --store "$url" --format markdown >r.md 2>&1
"$TACH" report --store "$url" --format html -o r.html >/dev/null 2>&1
"$TACH" certify --store "$url" -o c.md >/dev/null 2>&1
"$TACH" certify --store "$url" --format html -o c.html >/dev/null 2>&1
"$TACH" convert run.json --to json -o conv.json 2>&1
grep -q 'postgres:\*\*\*@127.0.0.1' r.md c.md || fail "the stored command line is not shown at all (test is void)"
no_pw "history, report, certificate from a store given with a password" h.json h.txt r.md r.html c.md c.html conv.json
if command -v psql >/dev/null; then
  as_pg psql -h "$tmp/pg" -p "$PG_PORT" -U postgres -At -c "SELECT doc FROM tach_run_docs" postgres >docs.txt 2>&1
  if [ -s docs.txt ]; then no_pw "the documents stored in PostgreSQL" docs.txt; else fail "psql read no stored document"; fi
else
  echo "skip: the documents stored in PostgreSQL: no psql"
fi
finish
