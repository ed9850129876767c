#!/usr/bin/env bash
# store_damage.sh - a run whose stored results document is damaged is never judged as if
# it were whole: compare, gate, report, site and history stop with exit status 2 and one line
# naming the run, never 0 (a pass) and never 1 (which a CI reads as a failed gate).
# The damages: the document of the newest run cut short before its declared targets
# (the gate passed on it), and cut short after them (compare and gate exited 1); a damaged
# page; tables altered by hand; rows tach never writes (NULLs, text for numbers, counts
# that do not match, a baseline naming a run not there); a run id at the top of the range.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3"; exit 0; }
mkdoc base.json suite/a:steady:30:1 suite/b:steady:30:1
# suite/b declares max_mean_ns 100 and its mean is 100.48 ns: the gate fails on it.
mkdoc target.json suite/a:steady:30:1 'suite/b:steady:30:1:ok:{"max_mean_ns":100}'
"$TACH" record -q --store s.db base.json >/dev/null 2>&1 && "$TACH" record -q --store s.db target.json >/dev/null 2>&1 \
  || { fail "cannot record"; finish; }
expect 1 "$TACH" gate --store s.db && err_has "1 target missed" && ok "the intact store fails the gate"

cp s.db cut.db
sqlite3 cut.db "UPDATE tach_run_docs SET doc = substr(doc, 1, 200) WHERE run_id = 2"
cp s.db tail.db
sqlite3 tail.db "UPDATE tach_run_docs SET doc = substr(doc, 1, length(doc) - 20) WHERE run_id = 2"
[ "$(sqlite3 tail.db "SELECT instr(doc, '\"targets\"') > 0 FROM tach_run_docs WHERE run_id = 2")" = 1 ] \
  || fail "tail.db: the cut document should still name its targets"
damaged() {
  local what=$1; shift
  if expect 2 "$@"; then
    err_has "run 2 in store ${db:-cut.db} holds a damaged document" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
      && ok "$what: exit 2, one line naming the run" || fail "$what: exit 2, one line naming the run"
  fi
}
damaged "gate" "$TACH" gate --store cut.db
damaged "compare" "$TACH" compare --store cut.db
damaged "gate 1 2" "$TACH" gate 1 2 --store cut.db
damaged "report" "$TACH" report --store cut.db
damaged "site" "$TACH" site "$tmp/site" --store cut.db
[ ! -e "$tmp/site/index.html" ] && ok "site: nothing written" || fail "site wrote a dashboard of a damaged store"
# history reads the newest run's document for its memory line and the JSON's points: it
# left them out without a word (exit 0, the memory of run 2 silently gone)
for fmt in table json; do
  damaged "history --format $fmt" "$TACH" history --store cut.db --format "$fmt" && out_lacks . \
    && ok "history --format $fmt: nothing on stdout"
done
db=tail.db damaged "gate (cut after the targets)" "$TACH" gate --store tail.db
db=tail.db damaged "compare (cut after the targets)" "$TACH" compare --store tail.db
# A damaged page of the store itself (the benchmarks table's root page: its type byte
# overwritten), found while reading the history: exit 2 "the store is corrupt", never 1.
# certify, compare and gate once read that page's failure as "no benchmark in common":
# certify certified run 2 (exit 0), compare and gate said "nothing to compare".  A damaged
# page of the runs table made compare and gate exit 1.
damage_page() { # DB TABLE
  cp s.db "$1"
  local root psize
  root=$(sqlite3 "$1" "SELECT rootpage FROM sqlite_master WHERE name = '$2'")
  psize=$(sqlite3 "$1" "PRAGMA page_size")
  printf '\377' | dd of="$1" bs=1 seek=$(((root - 1) * psize)) conv=notrunc status=none
}
damage_page page.db tach_benchmarks
damage_page runs.db tach_runs
for db in page.db runs.db; do
  for cmd in "site $tmp/psite" "report latest" "history" "certify" "compare" "gate" "gate 1 2"; do
    # shellcheck disable=SC2086
    expect 2 "$TACH" $cmd --store $db && err_has "the store is corrupt" && out_lacks . \
      && ok "$cmd on a damaged page of $db: exit 2, nothing on stdout"
  done
done
[ ! -e "$tmp/psite/index.html" ] && ok "site: nothing written from the damaged page" || fail "site wrote a dashboard"

# ---- tables altered by hand: refused when the store is opened, exit 2, the store named,
# before anything runs and with nothing written.  A dropped column or table once failed
# half way with exit 1 ("SQL error: no such column"), tach run after the run (its results
# lost); a table rebuilt without its key made baseline save and record exit 1.
altered() { cp s.db "$1" && sqlite3 "$1" "$2"; }
altered nocol.db "ALTER TABLE tach_runs DROP COLUMN subject"
altered notable.db "DROP TABLE tach_names"
altered nokey.db "CREATE TABLE b2 AS SELECT * FROM tach_baselines; DROP TABLE tach_baselines;
  ALTER TABLE b2 RENAME TO tach_baselines"
for db in nocol.db notable.db nokey.db; do
  cp "$db" before.db
  rm -f ran
  for cmd in "history" "compare" "baseline save x 1" "record base.json" "run --runs 2 -- /bin/touch $tmp/ran"; do
    # shellcheck disable=SC2086
    set -- $cmd
    expect 2 "$TACH" "$1" --store "$db" "${@:2}" \
      && err_has "store $db is damaged: its tables are not as tach makes them" && [ ! -e ran ] \
      && ok "$db: $1 refused (exit 2), the store named" || fail "$db: $1 refused (exit 2), the store named"
  done
  cmp -s "$db" before.db && ok "$db: left as it was" || fail "$db was written"
done
# A store marked older than its tables are: the migration fails, rolled back, and says why.
altered v1.db "UPDATE tach_meta SET value = '1' WHERE key = 'schema_version'"
expect 2 "$TACH" history --store v1.db && err_has "store v1.db: cannot migrate it from schema version 1 to 3:" \
  && ok "a failed migration names the store"
# The same for the migration from 2 to 3 (once a bare "SQL error: no such column: r.machine"
# naming neither the store nor the migration).
altered v2.db "ALTER TABLE tach_runs DROP COLUMN machine; UPDATE tach_meta SET value = '2' WHERE key = 'schema_version'"
cp v2.db before.db
expect 2 "$TACH" history --store v2.db \
  && err_has "store v2.db: cannot migrate it from schema version 2 to 3: SQL error: no such column: r.machine" \
  && cmp -s v2.db before.db && ok "a failed migration from 2 to 3 names the store and the migration, rolled back" \
    || fail "a failed migration from 2 to 3 names the store and the migration, rolled back"

# ---- rows tach never writes (a hand edit): exit 2, one line naming the store and the row,
# never a silently wrong result.  Once: text in a samples column read as times (compare
# called a change "improved (critical)"), a negative count shown as -1, an unknown status
# taken for a failure, a NULL time "out of memory" (exit 1), a run without its document
# "no run 2", rows of a run gone "no benchmark in common", an emptied name list "no runs".
loosen() { # DB TABLE: TABLE without its NOT NULL constraints (its keys kept)
  local ddl
  ddl=$(sqlite3 "$1" "SELECT replace(sql, ' NOT NULL', '') FROM sqlite_master WHERE name = '$2'")
  sqlite3 "$1" "BEGIN; ALTER TABLE $2 RENAME TO old_$2; $ddl; INSERT INTO $2 SELECT * FROM old_$2;
    DROP TABLE old_$2; COMMIT"
}
row() { # DB TABLE-TO-LOOSEN|- SQL
  cp s.db "$1"
  [ "$2" = - ] || loosen "$1" "$2"
  sqlite3 "$1" "$3"
}
bad_row() { # DB MESSAGE CMD...
  local db=$1 msg=$2
  shift 2
  expect 2 "$TACH" "$1" --store "$db" "${@:2}" && err_has "store $db is damaged: $msg" \
    && [ "$(wc -l <"$tmp/err")" -eq 1 ] && out_lacks . && ok "$db, $*: exit 2, '$msg'" || fail "$db, $*: exit 2, '$msg'"
}
row neg_n.db - "UPDATE tach_benchmarks SET n = -1 WHERE run_id = 1"
bad_row neg_n.db "benchmark 'suite/a' of run 1 has a bad count of samples" history
bad_row neg_n.db "benchmark 'suite/a' of run 1 has a bad count of samples" compare 1 2
row text_samples.db - "UPDATE tach_benchmarks SET samples = 'abcdefghabcdefgh', n = 2 WHERE run_id = 1"
bad_row text_samples.db "benchmark 'suite/a' of run 1 has a bad count of samples" compare 1 2
row nan_samples.db - "UPDATE tach_benchmarks SET samples = x'000000000000f87f', n = 1 WHERE run_id = 1"
bad_row nan_samples.db "benchmark 'suite/a' of run 1 has a sample of nan ns" gate 1 2
row status.db - "UPDATE tach_benchmarks SET status = 'weird' WHERE run_id = 1"
bad_row status.db "benchmark 'suite/a' of run 1 has a bad status" history
row median.db - "UPDATE tach_benchmarks SET median = 'fast' WHERE run_id = 1"
bad_row median.db "benchmark 'suite/a' of run 1 has a bad median or mean" history
row nbench.db - "UPDATE tach_runs SET nbenchmarks = -1 WHERE id = 1"
bad_row nbench.db "run 1 has a bad nbenchmarks in tach_runs" history --runs
row rows_gone.db - "DELETE FROM tach_benchmarks WHERE run_id = 1"
bad_row rows_gone.db "run 1 has 0 benchmarks in tach_benchmarks, 2 in tach_runs" compare 1 2
row no_time.db tach_runs "UPDATE tach_runs SET time = NULL WHERE id = 2"
bad_row no_time.db "run 2 has a bad time in tach_runs" history --runs
bad_row no_time.db "run 2 has a bad time in tach_runs" history
row no_doc.db - "DELETE FROM tach_run_docs WHERE run_id = 2"
bad_row no_doc.db "run 2 has no results document in tach_run_docs" compare 1 2
bad_row no_doc.db "run 2 has no results document in tach_run_docs" history
row tag.db tach_run_tags "INSERT INTO tach_run_tags VALUES (2, 'k', NULL)"
bad_row tag.db "a tag of run 2 has no key or value in tach_run_tags" history --runs
row names.db - "DELETE FROM tach_names"
bad_row names.db "tach_names lists no benchmark, yet runs hold some" history
row base_time.db tach_baselines "INSERT INTO tach_baselines VALUES ('b', 1, NULL)"
bad_row base_time.db "baseline 'b' has no time in tach_baselines" baseline list
# A baseline naming a run that is not there: compare and gate once passed main over in
# silence (gate judged runs 1 and 2 instead: exit 1, a missed target).
row dangling.db - "INSERT INTO tach_baselines VALUES ('main', 99, '2026-01-01T00:00:00Z')"
bad_row dangling.db "baseline 'main' names run 99, which is not in it" gate
bad_row dangling.db "baseline 'main' names run 99, which is not in it" compare main 2

# A hand-edited run id at the top of the range (9223372036854775807): the report of it
# has its history charts (the history's bound, the id + 1, once overflowed: undefined
# behaviour, and no history).
cp s.db maxid.db
max=9223372036854775807
sqlite3 maxid.db "UPDATE tach_runs SET id = $max WHERE id = 2; UPDATE tach_run_docs SET run_id = $max WHERE run_id = 2;
  UPDATE tach_benchmarks SET run_id = $max WHERE run_id = 2"
expect 0 "$TACH" report --store maxid.db --no-compare --format html -o maxid.html && grep -q 'class="chart trend"' maxid.html \
  && ok "report of run $max: its history charts" || fail "report of run $max: no history charts"
finish
