#!/usr/bin/env bash
# history_few_samples.sh - runs of one sample and of three, as `tach run --runs 1` and
# Google Benchmark without repetitions record them: a median without a 95% CI (stored as
# NULL) reads back in `tach history` as null (json), an empty field (csv) and the table's
# medians, and `tach compare` of two such runs gives the point change, not testable.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
mkdoc one_a.json 'few/one:steady:1:1000' 'few/three:steady:3:1000'
mkdoc one_b.json 'few/one:steady:1:1100' 'few/three:steady:3:1100'
"$TACH" record -q --store s.db one_a.json one_b.json >/dev/null || fail "record"
if expect 0 "$TACH" history --store s.db --format json; then
  out_jq '[.benchmarks[] | select(.name == "few/one") | .points[]] | length == 2 and
    all(.median_ci_low_ns == null and .median_ci_high_ns == null and .samples == 1 and
        .status == "ok" and (.median_ns | type) == "number")' \
    && ok "history json: one sample, a median and a null CI"
  out_jq '[.benchmarks[] | select(.name == "few/three") | .points[]] | length == 2 and
    all(.samples == 3 and (.median_ns | type) == "number")' \
    && ok "history json: three samples read back"
fi
if expect 0 "$TACH" history --store s.db --format csv 'few/one'; then
  # name,run,time,commit,branch,machine,status,median_ns,median_ci_low_ns,median_ci_high_ns,...
  [ "$(awk -F, 'NR > 1 && $7 == "ok" && $8 != "" && $9 == "" && $10 == "" && $12 == 1' out | wc -l)" = 2 ] \
    && ok "history csv: one sample, empty CI fields" || fail "history csv: $(cat out)"
fi
expect 0 "$TACH" history --store s.db 'few/one' && out_has '^few/one +2 +100 µs +110 µs +\+10\.0%' \
  && ok "history table: the medians of one-sample runs"
if expect 0 "$TACH" compare --store s.db 1 2; then
  out_has '^few/one .*\+10\.00% .*not testable' && ok "compare: one-sample runs not testable, the change shown"
fi
finish
