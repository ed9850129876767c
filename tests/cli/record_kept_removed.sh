#!/usr/bin/env bash
# record_kept_removed.sh - `tach record` of a file tach kept for a later record (tach
# bench's .tach/unrecorded/ file: a tach document with "tags" beside it, in that
# directory) removes the file once its run is recorded, in one line ("recorded run N in
# STORE; removed the kept file PATH"), and the folder when it is empty (named from
# inside it too, "x.json": it was left), not a .tach of the user's own.  The file
# lingered, and a second record of it was one run stored twice.  A file of the user's own
# is never removed: a tach export, one carrying "tags" elsewhere, a Google Benchmark or
# hyperfine file (even in .tach/unrecorded/), a link there to a file elsewhere.
source "$(dirname "$0")/lib.bash"
cd "$tmp"
runs() { "$TACH" history --runs --store "$1" --format json | jq length; }

"$TACH" run --no-store --runs 2 --warmup-runs 0 --style none --export-json base.json -- true >/dev/null 2>&1 \
  || { fail "tach run"; finish; }
# a kept file as tach bench writes it (no run_uid: each copy a run of its own)
jq 'del(.context.run_uid) | .tags = {"ci": "1"}' base.json >kept.json
k=$PWD/.tach/unrecorded/bench-1-1.json
put_kept() { mkdir -p .tach/unrecorded && cp kept.json "$k"; }

put_kept
if expect 0 "$TACH" record --store a.db "$k"; then
  err_line "^tach record: recorded run 1 in a\.db; removed the kept file $k$" \
    && ok "a kept file recorded: one line says it is removed"
fi
[ ! -e "$k" ] && ok "the kept file is removed" || fail "the kept file is still there"
[ ! -e .tach/unrecorded ] && ok "its empty folder too" || fail "left: $(ls -A .tach/unrecorded)"
[ -d .tach ] && ok "a .tach of the user's own stays (an empty one marks a project)" \
  || fail ".tach removed"
expect 0 "$TACH" history --runs --store a.db --tag ci=1 --format json && out_jq 'length == 1' \
  && ok "the run has the kept file's tags"

# named from inside the folder ("x.json", no slash): the folders go all the same
put_kept
cd .tach/unrecorded
expect 0 "$TACH" record --store "$tmp/a.db" bench-1-1.json
cd "$tmp"
[ ! -e .tach/unrecorded ] && [ -d .tach ] && ok "recorded from inside the folder: the folder removed" \
  || fail "from inside the folder: left: $(ls -RA .tach)"
rm -rf .tach

put_kept
touch .tach/unrecorded/other.json
expect 0 "$TACH" record -q --store a.db "$k" && out_has '^3$' && [ ! -s "$tmp/err" ] && [ ! -e "$k" ] \
  && [ -e .tach/unrecorded/other.json ] \
  && ok "-q: the run id alone, the file removed, a folder holding more left" \
  || fail "-q: $(cat "$tmp/out" "$tmp/err"), $(ls -A .tach/unrecorded)"
rm -rf .tach/unrecorded

# ---- files of the user's own are never removed ----
keeps() { # keeps WHAT FILE: FILE recorded (one run more in u.db) and still there
  local n0; n0=$(runs u.db 2>/dev/null || echo 0)
  if expect 0 "$TACH" record --store u.db "$2"; then
    err_line "^tach record: recorded run [0-9]+ in u\.db$" && [ -f "$2" ] \
      && [ "$(runs u.db)" = $((n0 + 1)) ] && ok "$1: recorded, the file kept" \
      || fail "$1: $(ls -l "$2" 2>&1)"
  fi
}
jq 'del(.context.run_uid)' base.json >export.json
keeps "a tach export" export.json
cp kept.json tagged.json
keeps "a document carrying tags, not in .tach/unrecorded" tagged.json
mkdir -p .tach/unrecorded
jq 'del(.context.run_uid)' base.json >.tach/unrecorded/export.json
keeps "a tach document without tags in .tach/unrecorded" .tach/unrecorded/export.json
cat >.tach/unrecorded/gb.json <<'EOF'
{"context": {"date": "2026-11-23T11:00:00+01:00", "host_name": "h", "executable": "./b", "num_cpus": 2,
             "mhz_per_cpu": 3000, "cpu_scaling_enabled": false, "caches": [], "library_build_type": "release"},
 "tags": {"ci": "1"},
 "benchmarks": [
  {"name": "BM_a/8", "run_name": "BM_a/8", "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
   "threads": 1, "iterations": 1000, "real_time": 12.5, "cpu_time": 12.4, "time_unit": "ns"}]}
EOF
keeps "a Google Benchmark file in .tach/unrecorded" .tach/unrecorded/gb.json
cat >.tach/unrecorded/hf.json <<'EOF'
{"tags": {"ci": "1"}, "results": [{"command": "true", "mean": 0.001, "stddev": 0.0001, "median": 0.001,
  "user": 0.0005, "system": 0.0005, "min": 0.0009, "max": 0.0011, "times": [0.0009, 0.001, 0.0011],
  "exit_codes": [0, 0, 0]}]}
EOF
keeps "a hyperfine file in .tach/unrecorded" .tach/unrecorded/hf.json
cp kept.json linked.json
ln -s "$PWD/linked.json" .tach/unrecorded/bench-2-2.json
keeps "a link in .tach/unrecorded to a file elsewhere" .tach/unrecorded/bench-2-2.json
[ -f linked.json ] && ok "the file linked to is kept" || fail "linked.json removed"
finish
