#!/usr/bin/env bash
# bench_kept_tags.sh - the results a `tach bench` run NOT recorded keeps in
# .tach/unrecorded/ carry the tags its record would have given the run ("tags" beside
# the document, docs/results-format.md), and `tach record` of the file gives the run those
# tags: it stores what the failed record would have, and removes the file
# (record_kept_removed.sh).  The kept file lacked them, so such a run lost "tach_bench"
# (which bench's expected durations look for) and its items' seconds.  A run recorded
# leaves no kept file.  A "tags" that is not an object of strings,
# or a key --tag gives too, is refused (exit 2, nothing recorded).  The command benchmarked
# turns the store, checked before the run, into a directory; no server, nothing timed.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3"; exit 0; }
tags_of() { sqlite3 "$1" "SELECT key || '=' || value FROM tach_run_tags WHERE run_id = ${2:-1} ORDER BY key"; }
mkdir -p .tach
cat >"$tmp/break.sh" <<EOS
#!/bin/sh
[ -d "$tmp/s.db" ] || { rm -f "$tmp/s.db"; mkdir "$tmp/s.db"; }
EOS
chmod +x "$tmp/break.sh"
printf '[module "m"]\n    command = %s\n' "$tmp/break.sh" >.tach/config

# a run recorded: the tags a bench run gets, and no file kept
if expect 0 "$TACH" bench --quick --store ok.db; then
  [ ! -e .tach/unrecorded ] && ok "a run recorded leaves no kept file" || fail "kept: $(ls -R .tach/unrecorded)"
fi
tags_of ok.db | sed 's/=.*//' >want_keys
grep -qx tach_bench want_keys && ok "a recorded bench run has its tags" || fail "tags: $(tags_of ok.db)"

# a run NOT recorded: its file keeps those tags, and tach record gives them to the run
rm -rf s.db
if expect 2 "$TACH" bench --quick --store s.db; then # (a directory: no store, bad input)
  kept=$(sed -n 's/.*; its results are kept in \(.*\) (tach record \1 records them)$/\1/p' "$tmp/err")
  if [ -n "$kept" ] && [ -f "$kept" ]; then
    jq -r '.tags | to_entries[] | .key + "=" + .value' "$kept" | sort >kept_tags
    cut -d= -f1 kept_tags | cmp -s - want_keys && grep -qx 'tach_bench=quick' kept_tags \
      && ok "the kept file holds the tags its record would have stored" \
      || fail "kept tags: $(cat kept_tags), a recorded run's keys: $(cat want_keys)"
    cp "$kept" kept_copy.json
    put_back() { mkdir -p "$(dirname "$kept")" && cp kept_copy.json "$kept"; }
    if expect 0 "$TACH" record --store fresh.db "$kept"; then
      tags_of fresh.db | cmp -s - kept_tags && ok "tach record of the kept file stores its tags" \
        || fail "recorded tags: $(tags_of fresh.db), kept: $(cat kept_tags)"
      err_line "^tach record: recorded run 1 in fresh\.db; removed the kept file $kept$" && [ ! -e "$kept" ] \
        && ok "the kept file is removed once its run is recorded" || fail "the kept file: $(ls -l "$kept" 2>&1)"
    fi
    # with --tag: both, one value per key (another store: the run is in fresh.db now,
    # and a kept file's run is not recorded twice, store_kept_recorded.sh)
    put_back
    if expect 0 "$TACH" record --store fresh2.db --tag ci=1 "$kept"; then
      { echo ci=1; cat kept_tags; } | sort | cmp -s - <(tags_of fresh2.db 1) \
        && ok "--tag adds to the kept file's tags" || fail "with --tag: $(tags_of fresh2.db 1)"
    fi
    put_back
    expect 2 "$TACH" record --store fresh.db --tag tach_bench=full "$kept" \
      && err_line "^tach record: .*: tags\.tach_bench: the key is given by --tag too \('tach_bench=full'\); a run has one value per key$" \
      && ok "a key of the file given by --tag too: refused"
    jq '.tags.n = 1' "$kept" >badval.json
    jq '.tags = ["a=b"]' "$kept" >notobj.json
    jq '.tags["a=b"] = "c"' "$kept" >eqkey.json
    expect 2 "$TACH" record --store fresh.db badval.json \
      && err_line '^tach record: badval\.json: tags\.n: expected a string, got an integer$' \
      && ok "a tag that is not a string: refused"
    expect 2 "$TACH" record --store fresh.db notobj.json \
      && err_line '^tach record: notobj\.json: tags: expected an object, got an array$' \
      && ok "tags that are not an object: refused"
    expect 2 "$TACH" record --store fresh.db eqkey.json \
      && err_line "^tach record: eqkey\.json: tags: a tag's key is empty or holds '=' \(\"a=b\"\)" \
      && ok "a key holding '=': refused"
    [ "$(sqlite3 fresh.db 'SELECT count(*) FROM tach_runs')" = 1 ] && [ -f "$kept" ] \
      && ok "nothing recorded by the refusals, the kept file left" \
      || fail "runs: $(sqlite3 fresh.db 'SELECT count(*) FROM tach_runs'), $(ls -l "$kept" 2>&1)"
  else
    fail "no kept file named: $(cat "$tmp/err")"
  fi
fi
finish
