#!/usr/bin/env bash
# Builds tach twice (Release with -Werror, then ASan+UBSan) and runs the CTest suite
# in each.  Ends with the failed tests' names, one a line, and then one line CI reads:
# "tests: N passed, N failed".
set -uo pipefail
build=${1:-build} asan=${2:-build-asan} jobs=${3:-2}
total_pass=0 total_fail=0 rc=0
failed_names=()

run_suite() { # dir label cmake-flags...
  local dir=$1 label=$2; shift 2
  echo "== $label: configure and build ($dir)"
  if ! cmake -S . -B "$dir" -DTACH_WERROR=ON "$@" >/dev/null ||
    ! cmake --build "$dir" -j "$jobs"; then
    failed_names+=("$label: the build"); total_fail=$((total_fail + 1)); return 1
  fi
  echo "== $label: ctest"
  local log; log=$(mktemp)
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 900) 2>&1 | tee "$log"
  local line; line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n1)
  # CTest's closing list: "  12 - cli.run_options (Failed)".
  local name
  while read -r name; do failed_names+=("$label: $name"); done < <(
    sed -n '/^The following tests FAILED:/,$p' "$log" |
      sed -nE 's/^[[:space:]]*[0-9]+ - ([^ ]+) \((.*)\).*/\1 (\2)/p')
  rm -f "$log"
  if [ -z "$line" ]; then
    failed_names+=("$label: ctest gave no summary"); total_fail=$((total_fail + 1)); return 1
  fi
  local failed total
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
  total_pass=$((total_pass + total - failed)); total_fail=$((total_fail + failed))
  [ "$failed" = 0 ]
}

run_suite "$build" "release" -DCMAKE_BUILD_TYPE=Release || rc=1
# ASan cannot run under a ptrace-restricted or LSan-hostile environment without this.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run_suite "$asan" "asan+ubsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTACH_SANITIZE=ON \
  -DTACH_EXAMPLES=OFF || rc=1

echo
if ((${#failed_names[@]})); then
  echo "failed:"
  printf '  %s\n' "${failed_names[@]}"
fi
echo "tests: $total_pass passed, $total_fail failed"
exit $rc
