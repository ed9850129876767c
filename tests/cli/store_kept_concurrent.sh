#!/usr/bin/env bash
# store_kept_concurrent.sh - two `tach run`s at once in a project with no .tach, each
# recording into a store elsewhere (--store), each keeping its document in
# .tach/unrecorded/ while its record is tried: once both are recorded, no file, no
# .tach/unrecorded and no .tach is left.  The first to start made .tach and the last to
# end, which had not made it, left it empty.  Each record is held at the store's test
# mark (TACH_STORE_TEST_MARK, a fifo of its own) until the test lets it go: the first
# started ends first.  Nothing timed.
source "$(dirname "$0")/lib.bash"
mkdir -p "$tmp/p" "$tmp/s"
cd "$tmp/p"
mkfifo "$tmp/mark.a" "$tmp/mark.b"

# start NAME: tach run recording into $tmp/s/NAME.db, held at its mark once its kept
# file is written; $pid its pid
start() {
  TACH_STORE_TEST_SLEEP_MS=1 TACH_STORE_TEST_MARK="$tmp/mark.$1" "$TACH" run --runs 1 \
    --warmup-runs 0 --style none --store "$tmp/s/$1.db" -- true >"$tmp/out.$1" 2>"$tmp/err.$1" &
  pid=$!
}
kept_of() { compgen -G ".tach/unrecorded/run-*-$1.json" >/dev/null; }
# go NAME PID: lets the run's record past its mark, waits for it: exit 0
go() {
  timeout 60 cat "$tmp/mark.$1" >/dev/null || { fail "run $1 never came to its mark"; kill "$2"; }
  wait "$2" && ok "run $1 recorded" || fail "run $1: exit $?: $(cat "$tmp/err.$1")"
}

start a; pa=$pid
running_until "$pa" kept_of "$pa" || fail "run a kept nothing: $(cat "$tmp/err.a")"
start b; pb=$pid
running_until "$pb" kept_of "$pb" || fail "run b kept nothing: $(cat "$tmp/err.b")"
go a "$pa"
go b "$pb"
[ ! -e .tach ] && ok "the two runs leave no .tach behind" || fail "left: $(ls -RA .tach)"
runs() { "$TACH" history --runs --store "$tmp/s/$1.db" --format json | jq length; }
[ "$(runs a)" = 1 ] && [ "$(runs b)" = 1 ] && ok "each store has its run" \
  || fail "runs: $(runs a), $(runs b)"

# a, which made .tach, ends last: it removes it
start a; pa=$pid
running_until "$pa" kept_of "$pa" || fail "run a kept nothing: $(cat "$tmp/err.a")"
start b; pb=$pid
running_until "$pb" kept_of "$pb" || fail "run b kept nothing: $(cat "$tmp/err.b")"
go b "$pb"
go a "$pa"
[ ! -e .tach ] && ok "in the other order too" || fail "left: $(ls -RA .tach)"
finish
