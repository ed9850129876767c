#!/usr/bin/env bash
# init_force_denied.sh - `tach init --force` over a suite whose last folder takes no file
# (.github/workflows read-only): every folder is checked before a file is written, so it
# fails (exit 1, the file named) with the user's .tach/config and bench/example.c as
# they were; they were replaced first, then the run failed at the CI file.
source "$(dirname "$0")/lib.bash"
ro_tool
trap 'undo "$tmp/p/.github/workflows"; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/p" && cd "$tmp/p" || exit 1
"$TACH" init >/dev/null || fail "tach init"
echo "; mine" >>.tach/config
echo "/* mine */" >>bench/example.c
rm .github/workflows/tach-bench.yml
before=$(sha256sum .tach/config bench/example.c .gitlab-ci.yml)
"$tmp/ro.sh" .github/workflows
if expect 1 "$TACH" init --force; then
  err_line "^tach init: cannot write \./\.github/workflows/tach-bench\.yml: .* \(nothing written\)$" &&
    ok "a folder that takes no file: exit 1, the file named, nothing written"
  [ "$before" = "$(sha256sum .tach/config bench/example.c .gitlab-ci.yml)" ] &&
    ok "the files already there are kept as they were" || fail "init --force replaced files, then failed"
  [ ! -e .github/workflows/tach-bench.yml ] && ok "no CI file left" || fail "a CI file left"
fi
undo .github/workflows
expect 0 "$TACH" init --force && ! grep -q mine .tach/config && [ -s .github/workflows/tach-bench.yml ] &&
  ok "writable again: --force overwrites" || fail "writable again: --force overwrites"
finish
