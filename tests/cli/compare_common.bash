# compare_common.bash - helpers shared by the compare_*, gate_*, ab_* and stability_*
# CLI tests (sourced; not a test itself).
set -u
TACH=$(readlink -f "${TACH:?TACH must name the tach binary}")
TACH_BUILD=$(readlink -f "${TACH_BUILD:-$(dirname "$TACH")}")
tmp=$(mktemp -d /tmp/tach_judge_test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
unset TACH_STORE
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }
# expect CODE CMD...: runs CMD with output in $tmp/out and $tmp/err; checks the status.
expect() {
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "exit $got (want $want): $*"
    sed 's/^/    out: /' "$tmp/out" | head -40 >&2
    sed 's/^/    err: /' "$tmp/err" | head -20 >&2
    return 1
  fi
  return 0
}
out_has() { grep -qE -- "$1" "$tmp/out" || { fail "stdout lacks /$1/"; sed 's/^/    /' "$tmp/out" | head -40 >&2; }; }
out_lacks() { ! grep -qE -- "$1" "$tmp/out" || fail "stdout has /$1/"; }
err_has() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1': $(head -c 400 "$tmp/err")"; }
jqt() { jq -e "$@" "$tmp/out" >/dev/null || fail "jq $1 on: $(head -c 600 "$tmp/out")"; }
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed" >&2; exit 1; fi
  echo "all checks passed"; exit 0
}

# mkdoc OUT [--machine CPU] SPEC...: writes a tach results document.  Each SPEC is
#   NAME:FORMULA:N:SCALE[:STATUS[:TARGETS_JSON]]
# FORMULA (the same as tests/unit/test_compare.c, where scipy reference values are
# quoted): steady = 100 + ((i*37) % 11) * 0.1; noisya = 100*(1 + 0.25 sin(1.7 i));
# noisyb = 103*(1 + 0.25 sin(2.3 i + 1)); sample i is FORMULA(i) * SCALE ns.
mkdoc() {
  local out=$1; shift
  local cpu="Test CPU @ 3.0GHz"
  if [ "${1:-}" = "--machine" ]; then cpu=$2; shift 2; fi
  {
    printf '{"format":"tach-results","version":1,"partial":false,'
    printf '"context":{"cpu_model":"%s","cpus":2,"memory_kib":4000000,"kernel":"6.1.0","governor":null},' "$cpu"
    printf '"benchmarks":['
    local first=1 spec
    for spec in "$@"; do
      [ $first = 1 ] || printf ','
      first=0
      awk -v spec="$spec" 'BEGIN {
        n = split(spec, f, ":"); name = f[1]; form = f[2]; cnt = f[3] + 0; scale = f[4] + 0
        status = (n >= 5 && f[5] != "") ? f[5] : "ok"
        printf "{\"name\":\"%s\",\"status\":\"%s\"", name, status
        if (status != "ok") { printf ",\"message\":\"killed by signal 11\"" }
        if (n >= 6) { t = f[6]; for (k = 7; k <= n; k++) t = t ":" f[k]; printf ",\"targets\":%s", t }
        if (status == "ok") {
          printf ",\"samples\":{\"iters\":["
          for (i = 0; i < cnt; i++) printf "%s1000", (i ? "," : "")
          printf "],\"ns\":["
          for (i = 0; i < cnt; i++) {
            if (form == "steady") v = 100 + ((i * 37) % 11) * 0.1
            else if (form == "noisya") v = 100 * (1 + 0.25 * sin(i * 1.7))
            else if (form == "noisyb") v = 103 * (1 + 0.25 * sin(i * 2.3 + 1))
            printf "%s%.17g", (i ? "," : ""), v * scale
          }
          printf "]}"
        }
        printf "}"
      }'
    done
    printf ']}\n'
  } >"$out"
}
