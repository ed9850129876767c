#!/usr/bin/env bash
# instr_env_warnings.sh - the environment warnings that concern timing only (a busy
# machine, frequency scaling, a virtual machine, a coarse timer) are not printed by an
# instruction-count run (`tach run --metric instructions`, a command or a benchmark
# binary, and the binary's own --metric instructions): a count is the same under them.
# They stay recorded in the document's context.warnings, as `tach certify` lists them
# ("Recorded, but not applying to a count").  A timed run still prints them.
# The machine is made busy, virtual and frequency-scaled by a crafted /proc and /sys tree
# (TACH_TEST_ENV_ROOT), so that this holds whatever the machine running the tests is.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cd "$tmp"
BIN=$TACH_BUILD/tests/fixture_instr

root=$tmp/root
mkdir -p "$root/proc" "$root/sys/hypervisor" "$root/sys/devices/system/cpu/cpu0/cpufreq"
echo "999.00 999.00 999.00 1/1 1" >"$root/proc/loadavg"
echo xen >"$root/sys/hypervisor/type"
echo powersave >"$root/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"
export TACH_TEST_ENV_ROOT=$root
timing='warning: (busy machine|frequency scaling|virtual machine)'
recorded='[.context.warnings[] | select(test("^(busy machine|frequency scaling|virtual machine)"))]
          | length == 3'

# ---- a timed run: each warned about (the crafted tree is read) ----
if expect 0 "$TACH" run --no-store --runs 2 --export-json timed.json -- /bin/true; then
  for w in 'busy machine: load average 999.00' 'frequency scaling: the CPU governor is "powersave"' \
           'virtual machine (xen)'; do
    err_has "tach run: warning: $w"
  done
  check "a timed run records them" jqt "$recorded" timed.json
fi

if ! command -v valgrind >/dev/null; then
  echo "skip: valgrind is not installed (Debian package: valgrind)"; finish
fi

# ---- tach run --metric instructions, a command: recorded, not printed ----
if expect 0 "$TACH" run --no-store --metric instructions --export-json cmd.json -- /bin/true; then
  if grep -Eq "$timing" "$tmp/err"; then fail "a command's count warned: $(cat "$tmp/err")"
  else ok "a command's count: no timing-only warning printed"; fi
  check "a command's count records them in context.warnings" jqt "$recorded" cmd.json
  # its children are counted too (--trace-children=yes), and the line under the table says
  # so (it said "the whole process")
  out_has "^Counts per run \(the whole process and its children\) under Valgrind's callgrind:$"
fi

if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then
  echo "skip: a benchmark binary under Valgrind (an ASan binary cannot run there); in Release"
  finish
fi

# ---- a benchmark binary's own instruction mode, and through tach run ----
if expect 0 "$BIN" --metric instructions --filter '^work$' --format json --out bin.json; then
  if grep -Eq "$timing" "$tmp/err"; then fail "the binary's count warned: $(cat "$tmp/err")"
  else ok "the binary's own instruction mode: no timing-only warning printed"; fi
  check "the binary's count records them" jqt "$recorded" bin.json
fi
if expect 0 "$TACH" run --no-store --metric instructions --export-json run_bin.json "$BIN" --filter '^work$'; then
  if grep -Eq "$timing" "$tmp/err"; then fail "tach run BIN's count warned: $(cat "$tmp/err")"
  else ok "tach run --metric instructions BIN: no timing-only warning printed"; fi
  check "tach run BIN's count records them" jqt "$recorded" run_bin.json
fi
# the binary timed still warns
if expect 0 "$BIN" --filter '^work$' --max-time 0.2 --rounds 1 --out timed_bin.json; then
  err_has "warning: busy machine: load average 999.00"
  err_has "warning: virtual machine (xen)" && ok "the binary timed: warned about"
fi

finish
