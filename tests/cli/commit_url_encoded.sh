#!/usr/bin/env bash
# --commit-url URL links a change point (report --format html, site) to URL + the run's
# commit.  A commit is what the run was recorded with: a document's own git_commit may be
# any text ("rel 1/#9?x", a tag or a CI's label), and it is percent-encoded into the link,
# one path segment, not raw text whose '#', '?' or '/' would cut or reroute it.
source "$(dirname "$0")/lib.bash"
# 16 runs, the time 1.5x from run 9 on: a change point at run 9
for i in $(seq 1 16); do
  s=1; [ "$i" -gt 8 ] && s=1.5
  mkdoc d.json x/y:steady:10:$s
  jq --arg c "rel 1/#$i?x" '.context.git_commit = $c' d.json >r$i.json
  "$TACH" record -q --store s.db r$i.json >/dev/null || fail "record r$i.json"
done
enc='href="https://git.test/c/rel%201%2F%239%3Fx"'
if expect 0 "$TACH" report --store s.db --format html --commit-url https://git.test/c/ -o r.html; then
  grep -qF "$enc" r.html && ! grep -q 'href="https://git.test/c/rel 1' r.html \
    && ok "report: the change point's link has the commit percent-encoded" \
    || fail "report: no $enc: $(grep -o 'href="https://git.test[^"]*"' r.html | head -3)"
fi
if expect 0 "$TACH" site web --store s.db --commit-url https://git.test/c/; then
  page=$(ls web/b/*.html | head -1)
  grep -qF "$enc" "$page" && ! grep -q 'href="https://git.test/c/rel 1' "$page" \
    && ok "site: the change point's links have the commit percent-encoded" \
    || fail "site: no $enc: $(grep -o 'href="https://git.test[^"]*"' "$page" | head -3)"
fi
finish
