#!/usr/bin/env bash
# report_store_errors.sh - a store that opens but then fails a read makes `tach report`
# and `tach certify` exit 2 with one line naming the store (their --help), like a store
# that cannot be opened: never 1 (a report not written, a certificate REJECTED), nor a
# report written without what could not be read (its commit, its comparison).  The store
# is gate_store_errors.sh's: its tach_runs.subject is a generated column whose expression
# fails whenever a row is read (SQLITE_ERROR "malformed JSON", not corruption).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json suite/a:steady:30:1 suite/b:steady:30:1
mkdoc slow.json suite/a:steady:30:1.15 suite/b:steady:30:1
"$TACH" record -q --store good.db base.json slow.json >/dev/null 2>&1 || { fail "record"; finish; }
expect 0 "$TACH" report --store good.db -o good.md && ok "the intact store: report written"
cp good.db bad.db
sqlite3 bad.db "BEGIN; ALTER TABLE tach_runs RENAME TO old_runs;
CREATE TABLE tach_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, commit_sha TEXT,
  branch TEXT, dirty INTEGER, subject TEXT GENERATED ALWAYS AS (json('{}')) VIRTUAL, machine TEXT,
  machine_desc TEXT, tach_version TEXT, nbenchmarks INTEGER NOT NULL, nfailed INTEGER NOT NULL);
INSERT INTO tach_runs (id, time, commit_sha, branch, dirty, machine, machine_desc, tach_version,
  nbenchmarks, nfailed) SELECT id, time, commit_sha, branch, dirty, machine, machine_desc,
  tach_version, nbenchmarks, nfailed FROM old_runs;
DROP TABLE old_runs; COMMIT;" || { fail "cannot rebuild tach_runs"; finish; }
sqlite3 bad.db "PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'json(''{}'')', 'json(''{'')') WHERE name = 'tach_runs';" \
  || { fail "cannot edit the schema"; finish; }
# no run named (the default pair), a run named (its default base), latest, --baseline,
# --since, --no-compare
for cmd in report certify; do
  for args in "" "2" "latest" "--baseline 1" "--since 1" "--no-compare" "1 --baseline 2"; do
    rm -f out.md
    # shellcheck disable=SC2086
    expect 2 "$TACH" $cmd --store bad.db $args -o out.md && err_has "bad.db" \
      && err_has "malformed JSON" && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e out.md ] \
      && ok "$cmd $args: a store read that fails: exit 2, one line naming the store, nothing written"
  done
done
# the exit status each --help lists for it
"$TACH" report --help | tr '\n' ' ' | grep -q "2 bad input or a store that cannot be opened or read" \
  && ok "report --help lists it" || fail "report --help: a store that cannot be read"
"$TACH" certify --help | tr '\n' ' ' | grep -q "2 bad input or a store that cannot be opened or read" \
  && ok "certify --help lists it" || fail "certify --help: a store that cannot be read"
finish
