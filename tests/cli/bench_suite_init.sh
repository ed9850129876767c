#!/usr/bin/env bash
# bench_suite_init.sh - `tach init`: the starter suite it writes builds with its own cc
# line (against the build tree's libtach, as install_consumer.sh builds) and runs under
# `tach bench`; the CI files are valid YAML that run tach bench and publish the report;
# an existing file stops it (exit 2, nothing written) unless --force.
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
cflags=()
[ "${TACH_TEST_SANITIZE:-OFF}" = ON ] && cflags=(-fsanitize=address,undefined)
export PKG_CONFIG_PATH=$TACH_BUILD
mkdir -p "$tmp/proj" && cd "$tmp/proj" || exit 1

if expect 0 "$TACH" init; then
  for f in .tach/config bench/example.c .github/workflows/tach-bench.yml .gitlab-ci.yml; do
    [ -s "$f" ] || fail "tach init did not write $f"
    out_has "^wrote \./$f$"
  done
  out_has '^  cc -O2 bench/example.c \$\(pkg-config --cflags --libs tach\) -o bench/example$'
  ok "tach init writes the config, the example and the CI files"
fi
# The build line printed (and written at the top of example.c) builds it.
line=$(grep -m1 '^ \*     cc -O2 bench/example.c' bench/example.c | sed 's/^ \*     //')
[ "$line" = 'cc -O2 bench/example.c $(pkg-config --cflags --libs tach) -o bench/example' ] ||
  fail "example.c's cc line: '$line'"
# shellcheck disable=SC2046
if cc -O2 "${cflags[@]}" bench/example.c $(pkg-config --cflags --libs tach) -o bench/example; then
  ok "bench/example.c builds with its cc line"
else
  fail "bench/example.c does not build"
fi
grep -q 'target_link_libraries(example tach::tach_static tach::tach_main)' bench/example.c &&
  ok "example.c carries the CMake snippet" || fail "no CMake snippet in example.c"
if expect 0 "$TACH" bench --quick; then
  out_has '^Throughput: [0-9,]+ items/s, geometric mean of 3 '
  out_has '^Verdict: passed$'
  # MODULE/benchmark (docs/bench.md): the module's name once, not again as a group
  # ("example/example/sum/n=1024")
  check "the example's three sizes measured, ok, named MODULE/benchmark" \
    jqt '[.results.benchmarks[] | select(.status == "ok") | .name] ==
         ["example/sum/n=1024", "example/sum/n=8192", "example/sum/n=65536"]' \
    PERFORMANCE_REPORT.json
  ok "tach init's suite runs under tach bench"
fi
if python3 -c 'import yaml' 2>/dev/null; then
  check "the GitHub workflow is YAML that runs tach bench and publishes the report" python3 -c '
import sys, yaml
w = yaml.safe_load(open(".github/workflows/tach-bench.yml"))
steps = w["jobs"]["bench"]["steps"]
runs = " ".join(s.get("run", "") for s in steps)
assert "tach bench" in runs and "GITHUB_STEP_SUMMARY" in runs, runs
assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)
'
  check "the GitLab job is YAML that runs tach bench and keeps the report" python3 -c '
import yaml
j = yaml.safe_load(open(".gitlab-ci.yml"))["tach-bench"]
assert any("tach bench" in s for s in j["script"])
assert "PERFORMANCE_REPORT.md" in j["artifacts"]["paths"]
'
else
  echo "skip: the GitHub workflow as YAML: no python3 yaml module (python3-yaml)"
fi

# An existing file: nothing written without --force.
echo "; mine" >.tach/config
rm .gitlab-ci.yml
before=$(sha256sum bench/example.c .tach/config)
if expect 2 "$TACH" init; then
  err_has "tach init: ./.tach/config exists (--force overwrites it)"
  err_has "tach init: ./bench/example.c exists"
  [ ! -e .gitlab-ci.yml ] && [ "$before" = "$(sha256sum bench/example.c .tach/config)" ] &&
    ok "an existing file: exit 2, nothing written" || fail "tach init wrote despite existing files"
fi
expect 0 "$TACH" init --force && grep -q '^\[module "example"\]' .tach/config && [ -s .gitlab-ci.yml ] &&
  ok "--force overwrites" || fail "--force overwrites"
# --dir DIR that does not exist is made, with its parents (mkdir -p), as docs/bench.md
# says ("in the current folder (or --dir DIR)"); it was refused as "not a folder"
expect 0 "$TACH" init --dir "$tmp/nothere/sub" && [ -s "$tmp/nothere/sub/.tach/config" ] &&
  [ -s "$tmp/nothere/sub/bench/example.c" ] && [ -s "$tmp/nothere/sub/.gitlab-ci.yml" ] &&
  ok "a missing --dir is made, with its parents" || fail "a missing --dir is made, with its parents"
(cd "$tmp" && expect 0 "$TACH" init --dir relnew) && [ -s "$tmp/relnew/.tach/config" ] &&
  ok "a missing relative --dir is made" || fail "a missing relative --dir is made"
echo x >"$tmp/afile"
expect 2 "$TACH" init --dir "$tmp/afile" && err_line "^tach init: --dir: '.*/afile' is not a folder$" &&
  ok "a --dir that is a file: exit 2, named"
expect 2 "$TACH" init --dir "$tmp/afile/sub" && err_line "^tach init: --dir: '.*/afile/sub' is not a folder$" &&
  [ "$(cat "$tmp/afile")" = x ] && ok "a --dir under a file: exit 2, named, nothing written" \
    || fail "a --dir under a file: exit 2, named, nothing written"
expect 2 "$TACH" init extra && err_has "unexpected argument 'extra'" && ok "a stray argument named"
expect 0 "$TACH" init --help && out_has '^usage: tach init' && ok "--help"
# a failure part-way (bench is a file, so bench/example.c cannot be written): all or nothing
mkdir "$tmp/part" && cd "$tmp/part" && echo x >bench
if expect 1 "$TACH" init; then
  err_has "(nothing written)"
  [ ! -e .tach/config ] && ok "init failing part-way leaves no .tach/config (a rerun is not refused)" || fail ".tach/config left"
  [ ! -e .tach ] && ok "init failing part-way leaves no folder it made" || fail ".tach left behind"
fi
# ... the folders it made go too ("nothing written" is true): .github/workflows is a file
mkdir -p "$tmp/wf/.github" && touch "$tmp/wf/.github/workflows"
if expect 1 "$TACH" init --dir "$tmp/wf"; then
  err_has "(nothing written)"
  check "a failed init leaves only what was there (no .tach, no bench)" \
    test "$(cd "$tmp/wf" && find . | sort | tr '\n' ' ')" = ". ./.github ./.github/workflows "
fi
cd "$tmp" || exit 1
finish
