#!/usr/bin/env bash
# store_specs.sh - odd --store values are refused, not guessed at: another URL scheme
# (mysql://, http://), SQLite's ":memory:" and "file:" names, and a path whose directory
# does not exist each give exit status 2 and one line naming the value, for a command
# that reads (history) and one that writes (record); nothing is created, no directory
# made.  A PostgreSQL URL libpq cannot parse is refused the same way, its password
# hidden.  The default store's .tach/ directory is still made when absent.  (`timeout` only
# keeps a stalled tach from hanging the test.)
source "$(dirname "$0")/lib.bash"
cd "$tmp"
mkdoc c.json suite/a:steady:30:1
mkdir work && cd work || exit 1

refused() { # SPEC NEEDLE
  local spec=$1 needle=$2 cmd
  for cmd in history record; do
    local args=("$cmd" --store "$spec")
    [ "$cmd" = record ] && args+=("$tmp/c.json")
    if expect 2 timeout 25 "$TACH" "${args[@]}"; then
      if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then fail "$cmd --store '$spec': $(wc -l <"$tmp/err") lines on stderr"; continue; fi
      err_has "$needle"
      [ -z "$(ls -A)" ] && ok "$cmd --store '$spec': exit 2, one line, nothing created" \
        || fail "$cmd --store '$spec' created $(ls -A | tr '\n' ' ')"
    fi
    rm -rf ./* ./.[!.]* 2>/dev/null
  done
}
refused "mysql://x" "unknown URL scheme 'mysql'"
refused "http://x/y.db" "unknown URL scheme 'http'"
refused ":memory:" ":memory:"
refused "file:x.db" "file:x.db"
refused "new/dir/s.db" "new/dir does not exist"
refused "$tmp/missing/s.db" "$tmp/missing does not exist"

# A PostgreSQL URL libpq cannot parse: exit 2 before anything runs, one line naming the
# store, and never the password, which libpq's message quotes (a bad %-escape in it)
# or holds (the whole URL quoted).
for url in "postgresql://tach:pa%zzss@127.0.0.1:1/t" "postgresql://tach:pa%00ss@127.0.0.1:1/t" \
  "postgresql://tach@127.0.0.1:1/t?password=pa%zzss" "postgresql://tach:pa55@[::1:1/t"; do
  for cmd in history run; do
    args=("$cmd" --store "$url")
    [ "$cmd" = run ] && args+=(--runs 1 -- /bin/touch "$tmp/ran")
    if expect 2 timeout 25 "$TACH" "${args[@]}"; then
      err_line "^tach $cmd: cannot connect to the PostgreSQL store postgresql://tach[:@]"
      ! grep -q 'pa%\|pa55\|ss@' "$tmp/err" && [ ! -e "$tmp/ran" ] \
        && ok "$cmd --store '$url': exit 2, the store named, its password hidden" \
        || fail "$cmd --store '$url': $(cat "$tmp/err")"
    fi
  done
done

# A path in an existing directory is still created, and so is the default .tach/.
expect 0 "$TACH" record --store "$tmp/work/s.db" "$tmp/c.json" && [ -s s.db ] && ok "a new store in an existing directory" \
  || fail "a new store in an existing directory"
rm -f s.db*
expect 0 env GIT_CEILING_DIRECTORIES="$tmp" "$TACH" record "$tmp/c.json" && [ -s .tach/tach.db ] \
  && ok "the default store's .tach/ is still created" || fail "the default store's .tach/ is still created"
finish
