#!/usr/bin/env bash
# compare_files.sh - `tach compare` on crafted results files with known outcomes: a clear
# 8% regression, an identical pair, a noisy pair (unstable, not a regression), benchmarks
# added and removed, the suite geometric mean, JSON output, a machine mismatch, and bad
# input (no benchmark in common, missing / corrupt files, bad flags).
# Reference values (scipy 1.10.1, quoted in tests/unit/test_compare.c): p of the 8% pair
# 2.89e-11; noisy pair p 0.4735, q 0.7102; geometric mean of the ratios +4.2367%.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
mkdoc base.json suite/slower:steady:30:1 suite/same:steady:30:1 suite/noisy:noisya:20:1 suite/gone:steady:30:1
mkdoc new.json suite/slower:steady:30:1.08 suite/same:steady:30:1 suite/noisy:noisyb:20:1 suite/fresh:steady:30:1

if expect 0 "$TACH" compare base.json new.json; then
  out_has '^suite/slower +100 ns +109 ns +\+8\.00% +\[\+7\.[0-9]+%, \+8\.[0-9]+%\] +<0\.0001 +<0\.0001 +regressed \(warning\)$'
  out_has '^suite/same .* \+0\.00% .* 1\.0000 +1\.0000 +unchanged$'
  out_has '^suite/noisy .* \+4\.87% .* 0\.4735 +0\.7102 +unstable \(cv 17\.8% / 18\.0%\)$'
  out_has '^added \(1\): suite/fresh$'
  out_has '^removed \(1\): suite/gone$'
  out_has '^suite geometric mean: \+4\.24% over 3 benchmarks$'
  out_has '^1 regressed \(0 critical\), 0 improved, 1 unchanged, 1 unstable'
  out_lacks 'different machines'
  # the worst news first: the regression is the first row
  [ "$(grep -m1 '^suite/' "$tmp/out" | cut -d' ' -f1)" = suite/slower ] || fail "regression not listed first"
  ok "table: regression, unchanged, unstable, added, removed, geomean"
fi

if expect 0 "$TACH" compare --format json base.json new.json; then
  out_jq '.summary == {"compared":3,"improved":0,"regressed":1,"regressed_critical":0,"unchanged":1,
       "unstable":1,"added":1,"removed":1,"failed":0,"incomparable":0,"untestable":0,
       "targets_missed":0,"targets_not_checked":0}'
  out_jq '(.geomean_change - 0.04236713260032898 | fabs) < 1e-12'
  out_jq '.benchmarks[] | select(.name == "suite/slower") | .verdict == "regressed" and .severity == "warning"
       and (.change - 0.08 | fabs) < 1e-12 and .change_ci_low > 0.07 and .change_ci_high < 0.09
       and (.p - 2.8899630891946727e-11 | fabs) < 1e-16'
  out_jq '.benchmarks[] | select(.name == "suite/noisy") | .verdict == "unstable" and (.p - 0.4734806277722057 | fabs) < 1e-6'
  out_jq '.benchmarks[] | select(.name == "suite/gone") | .verdict == "removed" and .p == null'
  out_jq '.base.label == "file base.json" and .new.run_id == null'
  ok "json: summary, reference statistics, nulls"
fi
# A file whose name is not UTF-8, or whose path is longer than 127 bytes: "base" was null
# (as a gate with no baseline says; the spec was cut in the middle of a character, or the
# name was not UTF-8) and the spec and label cut short.  The name is kept, made UTF-8.
cp base.json $'caf\xe9.json'
long=$(printf 'r%.0s' $(seq 150))
mkdir "$long" && cp base.json "$long/été.json"
expect 0 "$TACH" compare --format json $'caf\xe9.json' "$long/été.json" \
  && out_jq '.base.spec == "caf\ufffd.json" and .base.label == "file caf\ufffd.json"' \
  && out_jq --arg p "$long/été.json" '.new.spec == $p and .new.label == "file " + $p' \
  && ok "json: a name that is not UTF-8, a long path: base and new whole"
expect 0 "$TACH" gate --format json $'caf\xe9.json' base.json \
  && out_jq '.base != null and .no_baseline == false' && ok "gate json: base not null for such a name"

# The thresholds as given: --noise 5 wrote "noise": 0.050000000000000003 (17 digits)
expect 0 "$TACH" compare --format json --noise 5 --critical 30 base.json new.json \
  && grep -q '^  "noise": 0.05,$' "$tmp/out" && grep -q '^  "critical": 0.3,$' "$tmp/out" \
  && grep -q '^      "noise": 0.05,$' "$tmp/out" && ok "json: thresholds as given" \
  || fail "json thresholds: $(grep -m2 'noise\|critical' "$tmp/out")"

# The same file on both sides: the steady benchmarks unchanged within noise; the noisy one
# still "unstable" (its own CV of 18% leaves the CI far wider than the noise band).
if expect 0 "$TACH" compare --format json base.json base.json; then
  out_jq '.summary.unchanged == 3 and .summary.unstable == 1 and .summary.regressed == 0 and .geomean_change == 0'
  out_jq '[.benchmarks[].severity] | all(. == "within noise")'
  out_jq '[.benchmarks[] | select(.verdict == "unstable") | .name] == ["suite/noisy"]'
  ok "identical pair: unchanged, the noisy one unstable"
fi

# An improvement is symmetric; --critical moves the severity.
mkdoc fast.json suite/slower:steady:30:0.85
if expect 0 "$TACH" compare --critical 20 base.json fast.json; then
  out_has '^suite/slower .* -15\.00% .* improved \(warning\)$'
fi
if expect 0 "$TACH" compare base.json fast.json; then
  out_has 'improved \(critical\)$'
  ok "improvement and --critical"
fi

# Another machine: a warning on stdout and stderr.
mkdoc other.json --machine "Other CPU" suite/same:steady:30:1
if expect 0 "$TACH" compare base.json other.json; then
  out_has '^warning: the runs come from different machines'
  err_has 'different machines'
  ok "machine mismatch warns"
fi

# A benchmark ok on both sides with no values on one (a latency-only import, a
# peak at tach's own RSS): incomparable, the side without values named and the other's
# median shown (it said "incomparable (base ok)" either way, with no median).
mkdoc novalue.json suite/same::0:1
if expect 0 "$TACH" compare base.json novalue.json; then
  out_has '^suite/same +100 ns +- .* incomparable \(no values in NEW\)$'
  ok "no values in NEW: named, BASE's median shown"
fi
if expect 0 "$TACH" compare novalue.json base.json; then
  out_has '^suite/same +- +100 ns .* incomparable \(no values in BASE\)$'
  ok "no values in BASE: named, NEW's median shown"
fi
expect 0 "$TACH" compare --format json base.json novalue.json \
  && out_jq '.benchmarks[] | select(.name == "suite/same") | .verdict == "incomparable"
             and (.base_median - 100.5 | fabs) < 1e-9 and .new_median == null' \
  && ok "no values in NEW: json keeps BASE's median"

# A CV that is undefined (samples of 0 ns: a zero mean) is null in the JSON and "-" in
# the table, never a made-up 0.0%.
# (Against a NEW of 100 ns such a row is a rise from 0 ns, regressed: compare_zero_median;
# against itself it is unchanged, below.)  NEW: a median of 0 ns, two samples of 3 ns.
mkdoc zeros.json suite/same:steady:5:0
jq '.benchmarks[0].samples.ns = [0, 0, 0, 3, 3]' zeros.json >zero_med.json
if expect 0 "$TACH" compare zeros.json zero_med.json; then
  out_has '^suite/same .* unstable \(cv - / [0-9.]+%\)$'
  out_lacks 'cv 0\.0%'
  ok "undefined CV printed as -"
fi
# zeros against zeros: the same data, unchanged (it was "unstable (cv - / -)", and the
# note asked for more rounds)
if expect 0 "$TACH" compare zeros.json zeros.json; then
  out_has '^suite/same .* n/a  n/a .* unchanged$'
  out_lacks 'too noisy'
  ok "0 ns against 0 ns: unchanged"
fi

# ---- bad input: exit 2, one clear line ------------------------------------------
mkdoc disjoint.json other/thing:steady:30:1
expect 2 "$TACH" compare base.json disjoint.json && err_has "no benchmark in common" \
  && err_has "(4 benchmarks) and file disjoint.json (1 benchmark)" && ok "no benchmark in common"
expect 2 "$TACH" compare base.json missing/nothere.json && err_has "nothere.json" && ok "missing file named"
head -c 200 base.json > trunc.json
expect 2 "$TACH" compare base.json trunc.json && err_has "trunc.json" && ok "truncated file named"
echo '{"format":"something-else","version":1}' > foreign.json
expect 2 "$TACH" compare foreign.json base.json && err_has "foreign.json" && ok "foreign document named"
expect 2 "$TACH" compare --noise abc base.json new.json && err_has "'abc'" && ok "bad --noise named"
expect 2 "$TACH" compare --noise 6 --critical 4 base.json new.json && err_has "noise 6% is above critical 4%" \
  && ok "--noise above --critical refused"
expect 2 "$TACH" compare --format xml base.json new.json && err_has "'xml'" && ok "bad --format named"
expect 2 "$TACH" compare --alpha 2 base.json new.json && err_has "'2'" && ok "bad --alpha named"
expect 2 "$TACH" compare --bogus base.json new.json && err_has "--bogus" && ok "unknown option named"
expect 2 "$TACH" compare base.json new.json --noise && err_has "--noise needs a value" && ok "a missing value named"
expect 2 "$TACH" compare a.json b.json c.json && err_has "too many arguments" && ok "three operands refused"
mkdir dir.json
expect 2 "$TACH" compare base.json dir.json && err_has "'dir.json' is a directory, not a results file" \
  && ok "a directory named like a results file: said to be a directory"
expect 0 "$TACH" compare --help && out_has '^usage: tach compare' && ok "--help"
# Google Benchmark and hyperfine files are results files too (read as tach import does).
EXP="$TACH_SRC/tests/cli/expected"
expect 0 "$TACH" compare "$EXP/gbench_1.7.1.json" "$EXP/gbench_1.7.1.json" \
  && out_has '^BM_sum/64 .* unchanged$' && ok "Google Benchmark JSON compared"
expect 0 "$TACH" compare "$EXP/hyperfine_1.15_params.json" "$EXP/hyperfine_1.15_params.json" \
  && out_has '^sleep 0.001 .* \+0.00%' && ok "hyperfine JSON compared"
# Peak RSS is KiB, not ns: the JSON says so ("unit") and keeps its *_median_ns null; the
# table prints it as a size.  dd's 64 MiB buffer is its own peak; true's is not: a child
# holds tach's pages until its exec, and Linux counts them, so a peak at or below tach's
# own RSS is no value (it made a "critical regression" of tach's own growth once).
dd64='dd if=/dev/zero of=/dev/null bs=64M count=1'
for i in 1 2; do
  "$TACH" run --no-store --runs 3 --export-json rss$i.json true "$dd64" >/dev/null 2>&1 || fail "run true, dd ($i)"
done
expect 0 "$TACH" compare --metric peak-rss --format json rss1.json rss2.json \
  && out_jq '.unit == "KiB" and (.benchmarks[] | select(.name | startswith("dd"))
             | .base_median > 65536 and .new_median > 65536 and .base_median_ns == null and .new_median_ns == null)
             and (.benchmarks[] | select(.name == "true") | .verdict == "incomparable" and .base_median == null)' \
  && ok "compare --metric peak-rss --format json: unit KiB, no *_median_ns; true's peak (tach's own) no value"
expect 0 "$TACH" compare --metric peak-rss rss1.json rss2.json \
  && out_has '^dd if=/dev/zero of=/dev/null bs=64M count=1 +6[4-9]\.[0-9] MiB +6[4-9]\.[0-9] MiB ' \
  && out_has '^true +- +- +- ' \
  && out_has "^peak-rss: no value where a command's peak was at or below tach's own RSS \\(1 in base, 1 in new\\)" \
  && ok "compare --metric peak-rss: sizes in the table, true's peak said to be tach's"
# A max_rss target on true: its peak is tach's own, so beyond the target it is not known
# to be missed (the gate failed: "max_rss_bytes 3.81 MiB, measured 11.4 MiB", true's
# own peak about 1 MiB), and within it the child's is too (met); dd's 64 MiB is its own.
# (--allow-untestable: 3 runs a side cannot test a change, and on a busy machine the
# point change of a 3-run command may pass the critical threshold)
printf '[bench "*"]\n    max_rss = 4MB\n' >rss_small.conf
printf '[bench "*"]\n    max_rss = 1GB\n' >rss_big.conf
if expect 1 "$TACH" gate --allow-untestable --config rss_small.conf rss1.json rss2.json; then
  out_has '^targets missed \(1\):$' && out_has '^  dd if=/dev/zero of=/dev/null bs=64M count=1: max_rss_bytes 3\.81 MiB, measured 6[4-9]'
  out_has "^  true: max_rss_bytes 3\.81 MiB, not checked: the command's peak RSS was at or below tach's own" \
    && ok "gate max_rss = 4MB: dd's peak missed, true's (tach's own) not checked"
fi
expect 0 "$TACH" gate --allow-untestable --config rss_big.conf --format json rss1.json rss2.json \
  && out_jq '[.benchmarks[] | .targets[] | select(.name == "max_rss_bytes") | .met] == [true, true]' \
  && ok "gate max_rss = 1GB: both met (true's peak is at most tach's own)"
"$TACH" run --no-store --runs 3 --export-json t1.json true >/dev/null 2>&1 || fail "run true"
expect 2 "$TACH" compare --metric peak-rss t1.json t1.json \
  && err_has "has no peak-rss values (its commands' peaks were at or below tach's own RSS" \
  && ok "compare --metric peak-rss of true alone: exit 2, says why"
expect 2 "$TACH" report --metric peak-rss t1.json \
  && err_has "at or below tach's own RSS" && ok "report --metric peak-rss of true alone: exit 2, says why"
"$TACH" record -q --store h.db rss1.json >/dev/null 2>&1 || fail "record rss1.json"
expect 0 "$TACH" history --store h.db \
  && out_has "^  true +peak RSS ≤ [0-9.]+ MiB \\(tach's own: the command's cannot be told apart\\)$" \
  && out_has '^  dd if=/dev/zero of=/dev/null bs=64M count=1 +peak RSS 6[4-9]\.[0-9] MiB$' && ok "history: true's peak RSS a bound, dd's a value"
expect 0 "$TACH" history --store h.db --format json \
  && out_jq '(.benchmarks[] | select(.name == "true") | .points[0] | has("peak_rss_bytes") | not)
             and (.benchmarks[] | select(.name == "true") | .points[0].peak_rss_at_most_bytes > 0)
             and (.benchmarks[] | select(.name | startswith("dd")) | .points[0].peak_rss_bytes > 67108864)' \
  && ok "history --format json: peak_rss_at_most_bytes for true"
# history --metric leaves out the runs without the metric, as its help says (it listed
# every run with dashes, exit 0); none at all: exit 2, as report and site
expect 0 "$TACH" history --store h.db --metric peak-rss \
  && out_has '^dd if=/dev/zero of=/dev/null bs=6' && out_lacks '^true ' && ok "history --metric peak-rss: true (no value) left out"
# its first and last values are sizes, as compare's table shows them (it printed the KiB
# bare: 68652)
out_has '^dd if=/dev/zero of=/dev/null bs=64M count=1 +1 +6[4-9]\.[0-9] MiB +6[4-9]\.[0-9] MiB '
out_lacks '^dd .* [0-9]{5} '
expect 2 "$TACH" history --store h.db --metric allocs \
  && err_has "--metric allocs: no run in store h.db has allocs values" && ok "history --metric allocs of runs without it: exit 2"
# ... saying why, as compare does for a side (it gave no reason): the newest run was not
# recorded with them; true's peak (tach's own) is no peak-rss value
err_has "has allocs values (the newest, run 1: it was not recorded with them)" \
  && ok "history --metric allocs: the reason"
expect 2 "$TACH" history --store h.db --metric peak-rss true \
  && err_has "--metric peak-rss: no run of a matching benchmark in store h.db has peak-rss values (the newest, run 1: its commands' peaks were at or below tach's own RSS" \
  && ok "history --metric peak-rss of a command at tach's own RSS: the reason"
# the runs the filters kept are named: older runs may well have the values
expect 2 "$TACH" history --store h.db --metric allocs --last 1 \
  && err_has "has allocs values, among the runs kept by --last 1 (the newest, run 1:" \
  && ok "history --metric allocs --last 1: the runs kept named"
expect 2 "$TACH" history --store h.db --metric peak-rss zzz \
  && err_has "no benchmark matching 'zzz'" && ok "history --metric with a filter matching nothing: says so"
expect 0 "$TACH" compare --format json rss1.json rss2.json \
  && out_jq '.unit == "ns" and (.benchmarks[0] | .base_median_ns == .base_median and .base_median > 0)' \
  && ok "compare --format json of times: unit ns, *_median_ns = *_median"
# One machine in two formats: a run and its Google Benchmark export carry different
# machine facts (gbench: the CPU count), and are judged on the facts both carry.
"$TACH" convert rss1.json --to gbench -o rss1.gb.json || fail "convert --to gbench"
expect 0 "$TACH" compare --format json rss1.json rss1.gb.json \
  && out_jq '.machine_mismatch == false and (.base_fingerprint | type) == "string"' \
  && ok "a run and its gbench export: the same machine"
jq '.context.num_cpus = 4096' rss1.gb.json >other.gb.json
expect 0 "$TACH" compare rss1.json other.gb.json && out_has '^warning: the runs come from different machines' \
  && ok "a gbench file of another CPU count: different machines"
expect 0 "$TACH" compare --format json "$EXP/hyperfine_1.15_params.json" "$EXP/hyperfine_1.15_params.json" \
  && out_jq '.machine_mismatch == false and .base_fingerprint == null and .new_fingerprint == null' \
  && ok "hyperfine files carry no machine facts: no fingerprint"
# A stored run against files: the store's fingerprint hashes every fact, null ones too (a
# VM has no governor), so a tach file of the same machine matches it and one of another
# machine does not; a gbench file lacks the facts and is never called another machine.
TACH_STORE=$tmp/fp.db "$TACH" run --runs 3 true >/dev/null 2>&1 || fail "stored run"
jq '.context.cpu_model = "Other CPU" | .context.cpus = 4096' rss1.json >other.json
expect 0 env TACH_STORE="$tmp/fp.db" "$TACH" compare --format json latest rss1.json \
  && out_jq '.machine_mismatch == false' && ok "a stored run and a file of this machine: the same machine"
expect 0 env TACH_STORE="$tmp/fp.db" "$TACH" compare --format json latest other.json \
  && out_jq '.machine_mismatch == true' && ok "a stored run and a file of another machine: different machines"
expect 0 env TACH_STORE="$tmp/fp.db" "$TACH" compare --format json latest other.gb.json \
  && out_jq '.machine_mismatch == false' && ok "a stored run and a gbench file: not judged"
# A run recorded with its own hyperfine and Google Benchmark exports: the exports lack
# fingerprint facts and get no fingerprint (hashing the missing facts as null gave the
# three runs of one machine three fingerprints, a different-machine warning and a "3
# machines" note).
"$TACH" convert rss1.json --to hyperfine -o rss1.hf.json || fail "convert --to hyperfine"
TACH_STORE=$tmp/fp3.db "$TACH" record -q rss1.json rss1.hf.json rss1.gb.json >/dev/null || fail "record three"
expect 0 env TACH_STORE="$tmp/fp3.db" "$TACH" history --runs --format json \
  && out_jq 'map({(.id | tostring): .machine}) | add | (."1" | type) == "string" and ."2" == null and ."3" == null' \
  && ok "runs recorded from hyperfine and gbench files: no fingerprint"
for pair in "1 2" "1 3" "2 3" "3 1"; do
  # shellcheck disable=SC2086
  expect 0 env TACH_STORE="$tmp/fp3.db" "$TACH" compare --format json $pair \
    && out_jq '.machine_mismatch == false' && ok "stored runs $pair of one machine: not different machines"
  # shellcheck disable=SC2086
  expect 0 env TACH_STORE="$tmp/fp3.db" "$TACH" gate $pair && out_lacks 'different machines' \
    && ! grep -q 'different machines' "$tmp/err" && ok "gate $pair: no different-machine warning" \
      || fail "gate $pair: no different-machine warning"
done
expect 0 env TACH_STORE="$tmp/fp3.db" "$TACH" history && out_lacks 'machines' \
  && ok "history of one machine's three runs: no machines note"
expect 0 "$TACH" compare --format json rss1.json rss1.gb.json \
  && out_jq '(.base_fingerprint | type) == "string" and .new_fingerprint == null' \
  && ok "compare: a gbench file has no fingerprint, as the store records"
# A store written before schema 3, whose imports kept a fingerprint (put back by SQL:
# this machine's, so a hyperfine file of any machine read as this one): opening it
# migrates it, clearing the imports' fingerprints and only theirs.
cp fp3.db old.db
fp=$(sqlite3 old.db "SELECT machine FROM tach_runs WHERE id = 1")
sqlite3 old.db "UPDATE tach_runs SET machine = '$fp' WHERE id IN (2, 3);
                UPDATE tach_meta SET value = '2' WHERE key = 'schema_version'"
for pair in "1 2" "1 3"; do
  # shellcheck disable=SC2086
  expect 0 env TACH_STORE="$tmp/old.db" "$TACH" compare --format json $pair \
    && out_jq --arg fp "$fp" '.base_fingerprint == $fp and .new_fingerprint == null' \
    && ok "an old store's import (runs $pair): no fingerprint, not this machine's"
done
[ "$(sqlite3 old.db "SELECT value FROM tach_meta WHERE key = 'schema_version';
                     SELECT group_concat(id || '=' || ifnull(machine, '-')) FROM tach_runs")" \
  = "$(printf '3\n1=%s,2=-,3=-' "$fp")" ] && ok "old store migrated to schema 3: runs 2 and 3 without a machine" \
  || fail "old store not migrated: $(sqlite3 old.db "SELECT id, machine FROM tach_runs")"

# ---- a name wider than the name column (60): it was printed whole, pushing its row's
# cells right of their headers; it is cut at a character with "…", in the comparison's
# table and in a first run's (gate, nothing to compare with) ----
long="suite/$(printf 'é%.0s' {1..100})z"
mkdoc lb.json "x:steady:30:1" "short:steady:30:1"; mkdoc ln.json "x:steady:30:1.08" "short:steady:30:1"
for f in lb ln; do jq --arg n "$long" '.benchmarks[0].name = $n' $f.json >$f.tmp && mv $f.tmp $f.json; done
# aligned HEADER: every row's second cell ends where the header's does (characters counted)
aligned() {
  local h l end LC_ALL=C.UTF-8
  h=$(grep -m1 "^benchmark " "$tmp/out"); h=${h%%"$1"*}; end=$((${#h} + ${#1}))
  while IFS= read -r l; do
    [[ "${l:$((end - 1)):3}" = [^\ ]"  " ]] || { fail "misaligned (cell to column $end): '$l'"; return 1; }
  done < <(grep -E '^(suite/|short)' "$tmp/out")
}
cut59="suite/$(printf 'é%.0s' {1..53})…"
if expect 0 "$TACH" compare lb.json ln.json; then
  out_has "^$cut59  " && aligned "      base" && ok "compare: a long name cut to the column, its row aligned"
fi
TACH_STORE="$tmp/alone.db" "$TACH" record -q ln.json >/dev/null 2>&1 || fail "record ln.json"
if TACH_STORE="$tmp/alone.db" expect 0 "$TACH" gate; then
  out_has "^$cut59  " && aligned "    median" && ok "gate of a first run: a long name cut to the column, its row aligned"
fi
finish
