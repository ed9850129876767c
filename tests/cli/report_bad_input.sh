#!/usr/bin/env bash
# report_bad_input.sh - what `tach report`, `tach site`, `tach push` and `tach certify`
# do with bad input: one line on stderr, exit 2, and no file written (an existing output
# file left as it was).
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
mkstore s.db
empty_store empty.db
echo "keep me" >existing.md

# An empty store, for every command that reads one.
for cmd in "report" "site sitedir" "push http://127.0.0.1:9/" "certify"; do
  # shellcheck disable=SC2086
  if expect 2 "$TACH" $cmd --store empty.db; then
    err_line "store empty.db is empty" && ok "$cmd: empty store"
  fi
done
[ ! -e sitedir ] || fail "site wrote into sitedir from an empty store"

# A store that does not exist.
if expect 2 "$TACH" report --store nowhere.db -o existing.md; then
  err_line "no store at nowhere.db" && ok "report: missing store"
fi

# Unknown run / ref, output left untouched.
if expect 2 "$TACH" report 99 --store s.db -o existing.md; then
  err_line "99" && [ "$(cat existing.md)" = "keep me" ] && ok "report: unknown run 99, output untouched" \
    || fail "report: unknown run 99, output untouched"
fi
if expect 2 "$TACH" report --since no-such-ref --store s.db; then err_line "no-such-ref" && ok "--since unknown ref"; fi
# a --baseline or --since naming no run, in a store whose latest run is the first of its
# suite: the one line naming it, not the warning about the pair it replaces before it
cp s.db other_suite.db
mkdoc lone.json lone/x:steady:10:1000
"$TACH" record -q --store other_suite.db lone.json >/dev/null || fail "record lone.json"
for opt in --baseline --since; do
  if expect 2 "$TACH" report $opt 99 --store other_suite.db -o nr.md; then
    err_line "^tach report: no run 99 in store other_suite\.db$" && [ ! -e nr.md ] &&
      ok "report $opt 99: one line naming it, no warning first" || fail "report $opt 99: one line naming it, no warning first"
  fi
done
# a results file is no run of the store: said so (it was 'not a run id, a baseline or a git
# ref'), before any store warning, nothing written
cp "$DATA/report_base.json" base.json
for cmd in "report" "certify"; do
  if expect 2 "$TACH" $cmd --since base.json --store s.db -o since.md; then
    err_line "^tach $cmd: --since base\.json: a results file is not a run of the store \(.*--baseline takes a file\)$" &&
      [ ! -e since.md ] && ok "$cmd --since FILE: exit 2, a file is not a run" || fail "$cmd --since FILE: exit 2, a file is not a run"
  fi
done
# ... but a run, a baseline or a ref is looked up first: a run id beside a file of that
# name, a git branch whose name holds ".json", are runs (they were refused as results
# files); a value naming no run is said to be a file only when it is one
cp s.db refs.db
mkdir repo
jq 'del(.context.git_commit)' "$DATA/report_new.json" >repo/head.json
(cd repo && git init -q . && git commit -q --allow-empty -m first && git branch fix.json-io &&
  "$TACH" record --store ../refs.db -q head.json >/dev/null) || fail "a run on branch fix.json-io"
touch 1 repo/1
for ref in 1 fix.json-io; do
  for cmd in "report" "certify"; do
    rm -f repo/since.md
    (cd repo && "$TACH" $cmd --since "$ref" --store ../refs.db -o since.md) >"$tmp/out" 2>"$tmp/err"
    rc=$?
    # certify: exit 1 for a rejected run, 0 accepted; 2 is the refusal that was wrong
    if [ "$rc" != 2 ] && [ -s repo/since.md ] && ! grep -q "results file" "$tmp/err"; then
      ok "$cmd --since $ref: a run, whatever file is here"
    else
      fail "$cmd --since $ref: exit $rc: $(cat "$tmp/err")"
    fi
  done
done
rm -rf 1 repo since.md
cp "$DATA/report_base.json" results
if expect 2 "$TACH" report --since results --store refs.db -o since.md; then
  err_line "^tach report: --since results: a results file is not a run of the store" &&
    [ ! -e since.md ] && ok "--since FILE without .json: a file" || fail "--since FILE without .json: a file"
fi
if expect 2 "$TACH" report --since nofile.json --store refs.db -o since.md; then
  err_line "'nofile\.json' is not a run id, a baseline or a git ref" &&
    [ ! -e since.md ] && ok "--since X.json, no such file nor run: no run" || fail "--since X.json, no such file nor run: no run"
fi
if expect 2 "$TACH" report --baseline 77 --store s.db; then err_line "77" && ok "--baseline unknown run"; fi
if expect 2 "$TACH" certify 42 --store s.db -o c.md; then
  err_line "42" && [ ! -e c.md ] && ok "certify: unknown run, nothing written" || fail "certify: unknown run, nothing written"
fi

# A baseline sharing no benchmark judged nothing: exit 2 as tach compare's, nothing
# written (certify wrote "None among 0 compared benchmarks", APPROVED: better than no
# baseline at all, which is CONDITIONALLY APPROVED).
mkdoc other.json other/x:steady:30:1
cp "$DATA/report_new.json" new.json
for cmd in certify report; do
  if expect 2 "$TACH" $cmd new.json --baseline other.json -o existing.md; then
    err_line "^tach $cmd: --baseline other.json: no benchmark in common with file new.json \\(1 benchmark against [0-9]+\\)$" \
      && [ "$(cat existing.md)" = "keep me" ] && ok "$cmd: a baseline with no benchmark in common, exit 2, output untouched" \
      || fail "$cmd: a baseline with no benchmark in common, exit 2, output untouched"
  fi
done
# a run holding no benchmark is no bad input: certified, REJECTED
printf '{"format":"tach-results","version":1,"partial":false,"context":{},"benchmarks":[]}\n' >none.json
expect 1 "$TACH" certify none.json --baseline other.json -o none.md && grep -q '^\*\*REJECTED\*\*$' none.md \
  && ok "certify of a run with no benchmark, against a baseline: REJECTED" \
  || fail "certify of a run with no benchmark, against a baseline: REJECTED"
cp s.db other.db && "$TACH" record -q --store other.db other.json >/dev/null || fail "record other.json"
if expect 2 "$TACH" certify latest --since 1 --store other.db -o c2.md; then
  err_line "^tach certify: --since 1 \(run 1\): no benchmark in common with run 3 " && [ ! -e c2.md ] \
    && ok "certify --since a run with no benchmark in common: exit 2, nothing written" \
    || fail "certify --since a run with no benchmark in common: exit 2, nothing written"
fi

# Unwritable output paths: nothing half-written.
if expect 2 "$TACH" report --store s.db -o "$tmp/no/such/dir/r.md"; then
  err_line "no/such/dir/r.md" && ok "report: unwritable output path named"
fi
chmod 555 "$tmp" 2>/dev/null
if [ "$(id -u)" != 0 ]; then
  expect 2 "$TACH" report --store s.db -o "$tmp/r.md" && err_line "r.md" && ok "report: read-only directory"
fi
chmod 755 "$tmp"
touch afile
if expect 2 "$TACH" site afile --store s.db; then err_line "afile" && ok "site: DIR is a file"; fi
# DIR is created with its missing parents (mkdir -p), as the help says; a parent that is
# a file is named
if expect 0 "$TACH" site "$tmp/p1/p2/web" --store s.db; then
  [ -f "$tmp/p1/p2/web/index.html" ] && ok "site: DIR created with its parents" || fail "site: no p1/p2/web/index.html"
fi
if expect 2 "$TACH" site afile/x/web --store s.db; then
  err_line "cannot create directory afile/x: Not a directory" && ok "site: a parent under a file named"
fi
[ -n "$(ls "$tmp" | grep '\.tmp')" ] && fail "temporary files left behind: $(ls "$tmp")"

# json and csv are the run's document alone: an option about the comparison, the history
# or the title would be ignored there, so it is refused, naming it and the format
for f in json csv; do
  for opt in "--baseline 1" "--since 1" "--last 3" "--title T"; do
    # shellcheck disable=SC2086
    if expect 2 "$TACH" report --format $f $opt --store s.db -o existing.md; then
      err_line "^tach report: ${opt% *} ${opt#* }: --format $f writes the run's results document alone" &&
        [ "$(cat existing.md)" = "keep me" ] && ok "report --format $f: ${opt% *} refused, nothing written" \
          || fail "report --format $f: ${opt% *} refused, nothing written"
    fi
  done
done
# Bad flags and values, named.
if expect 2 "$TACH" report --format pdf --store s.db; then err_line "'pdf'" && ok "bad --format named"; fi
if expect 2 "$TACH" report --last abc --store s.db; then err_line "'abc'" && ok "bad --last named"; fi
if expect 2 "$TACH" report --last 2 --since 1 --store s.db; then err_line "exclude" && ok "--last with --since"; fi
# --since beside --baseline or --no-compare sets where the history starts (docs/reports.md);
# with --no-history too it would change nothing: refused, as --no-compare --baseline is
for other in "--baseline 1" "--no-compare"; do
  # shellcheck disable=SC2086
  if expect 2 "$TACH" report --since 2 --no-history $other --store s.db -o existing.md; then
    err_line "^tach report: --since 2, --no-history and ${other% *}: --since would change nothing" &&
      [ "$(cat existing.md)" = "keep me" ] && ok "--since with --no-history and ${other% *} refused" \
        || fail "--since with --no-history and ${other% *} refused"
  fi
  # shellcheck disable=SC2086
  expect 0 "$TACH" report --since 2 $other --store s.db && ok "--since with ${other% *}: the history from REF on"
  # a json or csv report has no history: there too --since would change nothing
  for f in json csv; do
    # shellcheck disable=SC2086
    if expect 2 "$TACH" report --format $f --since 2 $other --store s.db -o existing.md; then
      err_line "^tach report: --since 2, --format $f and ${other% *}: --since would change nothing" &&
        [ "$(cat existing.md)" = "keep me" ] && ok "report --format $f: --since with ${other% *} refused" \
          || fail "report --format $f: --since with ${other% *} refused"
    fi
  done
  # a certificate has no history: --since is its baseline, so beside these it is a conflict
  # shellcheck disable=SC2086
  if expect 2 "$TACH" certify --since 2 $other --store s.db -o cert.md; then
    err_line "^tach certify: --since 2 and ${other% *}: choose one" && [ ! -e cert.md ] &&
      ok "certify: --since with ${other% *} refused, nothing written" \
        || fail "certify: --since with ${other% *} refused, nothing written"
  fi
done
expect 0 "$TACH" certify --help && out_has 'certify against REF.*as --baseline' &&
  out_has 'a certificate has no history' && out_lacks 'show history from REF' &&
  ok "certify --help: --since says what it does for a certificate"
if expect 2 "$TACH" report --frobnicate; then err_line "'--frobnicate'" && ok "unknown option named"; fi
if expect 2 "$TACH" certify --format pdf --store s.db; then err_line "'pdf'" && ok "certify: bad --format"; fi
if expect 2 "$TACH" push ftp://example --store s.db; then err_line "'ftp://example'" && ok "push: not an http URL"; fi
# a URL with no host, or one libcurl cannot parse, is refused before the store is read
# (no-such.db: not "no store") or anything is sent
for u in http:// https:// http:///metrics http://:9091 http://user@:9091/; do
  if expect 2 "$TACH" push "$u" --store no-such.db; then
    err_line "^tach push: '$u' has no host: expected https?://HOST\[:PORT\]\[/PATH\]$" && ok "push: $u has no host"
  fi
done
# an empty port is not the scheme's default (libcurl sent "http://h:/" to port 80)
for u in http://127.0.0.1: http://127.0.0.1:/x 'http://[::1]:' http://u:p@h:/; do
  if expect 2 "$TACH" push "$u" --store no-such.db; then
    err_line "has an empty port: expected http://HOST\[:PORT\]\[/PATH\]$" && ok "push: $u has an empty port"
  fi
done
if expect 2 "$TACH" push 'http://user:hunter2@/x' --store no-such.db; then
  err_line "'http://user:\*\*\*@/x' has no host" && ok "push: no host, the password redacted"
fi
for u in 'http://127.0.0.1:99999/' 'http://127.0.0.1:abc/' 'http://a host/' 'http://[::1/'; do
  if expect 2 "$TACH" push "$u" --store no-such.db; then
    err_line . && err_has "tach push: '$u' is not a valid URL: " && ok "push: $u is not a valid URL"
  fi
done
[ ! -e no-such.db ] || fail "push made a store"
if expect 2 "$TACH" push http://127.0.0.1:9/ --label 'bad label=1' --store s.db; then
  err_line "'bad label=1'" && ok "push: bad label named"
fi
if expect 2 "$TACH" push http://127.0.0.1:9/ --label job=x --store s.db; then err_line "job=x" && ok "push: job is not a grouping label"; fi
# a grouping label named like the metrics' own labels would overwrite them in the gateway
# (status) or make it refuse the push (benchmark); a label given twice would lose one value
for l in status=x benchmark=x group=x; do
  if expect 2 "$TACH" push http://127.0.0.1:9/ --label "$l" --store no-such.db; then
    err_line "'$l' names a label every metric of tach carries" && ok "push: --label $l refused"
  fi
done
if expect 2 "$TACH" push http://127.0.0.1:9/ --label a=1 --label b=2 --label a=3 --store no-such.db; then
  err_line "'a=1' and 'a=3' give the label 'a' twice" && ok "push: a label given twice refused"
fi
[ ! -e no-such.db ] || fail "push made a store"
if expect 2 "$TACH" site; then err_line "which directory" && ok "site: no DIR"; fi

# Missing, truncated and foreign results files.
if expect 2 "$TACH" report missing.json -o existing.md; then
  err_line "missing.json" && [ "$(cat existing.md)" = "keep me" ] && ok "report: missing file" || fail "report: missing file"
fi
head -c 300 "$DATA/report_new.json" >trunc.json
if expect 2 "$TACH" report trunc.json; then err_line "trunc.json" && ok "report: truncated file"; fi
echo '{"hello": "world"}' >foreign.json
if expect 2 "$TACH" report foreign.json; then err_line "foreign.json" && ok "report: foreign JSON"; fi

# A corrupt store is refused and left as it was.
head -c 4096 s.db >corrupt.db
sum=$(sha256sum corrupt.db)
if expect 2 "$TACH" report --store corrupt.db; then
  err_line "corrupt.db" && [ "$(sha256sum corrupt.db)" = "$sum" ] && ok "report: corrupt store refused, untouched" \
    || fail "report: corrupt store refused, untouched"
fi

# --top (md and html's profile tables) and --commit-url (html's links) with a format that
# has no place for them: refused naming the option and the format, nothing written, not
# ignored as if they had been applied.
for f in json csv junit openmetrics; do
  if expect 2 "$TACH" report "$DATA/report_base.json" --format $f --top 3 -o top.out; then
    err_line "^tach report: --top 3: --format $f shows no profile table \(--top applies to md and html\)$" \
      && [ ! -e top.out ] && ok "report --format $f --top: refused, nothing written"
  fi
done
for f in md json csv junit openmetrics; do
  if expect 2 "$TACH" report "$DATA/report_base.json" --format $f --commit-url https://git.test/c/ -o cu.out; then
    err_line "^tach report: --commit-url https://git.test/c/: --format $f has no links to commits" \
      && [ ! -e cu.out ] && ok "report --format $f --commit-url: refused, nothing written"
  fi
done
finish
