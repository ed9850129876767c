#!/usr/bin/env bash
# site_store.sh - `tach site DIR` over a synthetic history (bench/report/gen.py: 24
# benchmarks x 30 runs, a few level shifts, three slower in the last run, one crash),
# recorded from a git work tree with one commit per run so that change points link to
# commits: the files written, the index's rows and sparklines, the change points and
# their commit links, the regressions page.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
/usr/bin/python3 "$TACH_SRC/bench/report/gen.py" --benchmarks 24 --runs 30 --samples 12 --out runs >/dev/null \
  || { echo "gen.py failed" >&2; exit 1; }
# each run gets its repo commit (a document's own git_commit would win: record_doc_commit.sh)
for f in runs/run-*.json; do jq 'del(.context.git_commit)' "$f" >"$f.tmp" && mv "$f.tmp" "$f"; done
mkdir repo && cd repo
git init -q && git config user.email t@example.test && git config user.name t
for f in ../runs/run-*.json; do
  git commit -q --allow-empty -m "run $(basename "$f")"
  "$TACH" record -q --store ../s.db "$f" >/dev/null || fail "record $f"
done
cd ..

if expect 0 "$TACH" site web --store s.db --commit-url https://example.test/c/ --title "Synthetic"; then
  grep -q "wrote the site for 24 benchmarks over 30 runs" err || fail "site summary line: $(cat err)"
  [ -f web/index.html ] && [ -f web/regressions.html ] || fail "index.html or regressions.html missing"
  [ "$(ls web/b | wc -l)" = 24 ] || fail "expected 24 benchmark pages, got $(ls web/b | wc -l)"
  [ -n "$(ls web web/b | grep '\.tmp')" ] && fail "temporary files left in the site"
  # Every index row links to a page that exists.
  for p in $(grep -o 'href="b/[^"]*"' web/index.html | sed 's/href="//; s/"$//'); do
    [ -f "web/$p" ] || fail "index links to missing $p"
  done
  [ "$(grep -o 'href="b/' web/index.html | wc -l)" = 24 ] || fail "index does not list 24 benchmarks"
  [ "$(grep -o '<svg[^>]*class="spark"' web/index.html | wc -l)" = 24 ] || fail "not 24 sparklines"
  ok "site: index with 24 rows and sparklines, 24 pages, regressions page"
  # Verdicts of the last run: gen.py makes k % 37 == 3 (queue/op0/n=10) 12% slower and
  # crashes k == 7 (crypto/op0/n=10).
  row=$(grep 'queue/op0/n=10<' web/index.html)
  [[ $row == *'class="tag t-regressed">regressed<'* ]] || fail "queue/op0/n=10 not regressed in the index"
  row=$(grep 'crypto/op0/n=10<' web/index.html)
  [[ $row == *'class="tag t-crashed">crashed<'* ]] || fail "crashed benchmark not shown as crashed"
  grep -q 'queue/op0/n=10<' web/regressions.html || fail "regressions page misses queue/op0/n=10"
  ok "site: last verdicts (regressed, crashed) and the regressions page"
  # Change points: gen.py (seed 1) shifts alloc/op0/n=1000 by +11% from run 16 on.
  page=web/b/$(cd web/b && ls | grep '^alloc_op0_n_1000-')
  grep -q 'class="cp"' "$page" || fail "no change point marked on $page"
  sha16=$(cd repo && git rev-list --reverse HEAD | sed -n 16p)
  grep -q "href=\"https://example.test/c/$sha16\"" "$page" \
    || fail "the change point does not link to run 16's commit $sha16"
  grep -q "<td>16</td>" "$page" || fail "change-point table lacks run 16"
  # One change point, one size: the page, the regressions page and tach history agree.
  hist=$("$TACH" history --store s.db --changes 'alloc/op0/n=1000' | grep -o 'change at run 16 .*(\([-+][0-9.]*%\)' \
    | grep -o '([-+][0-9.]*%' | tr -d '(')
  [ -n "$hist" ] && grep -q "t-regressed\">$hist<" "$page" && grep -q "t-regressed\">$hist<" web/regressions.html \
    || fail "the change at run 16 differs: history says '$hist'"
  ok "site: change point at run 16 marked and linked to its commit"
fi

# The HTML report's history charts mark the same change point, linked with --commit-url.
if expect 0 "$TACH" report --store s.db --format html --commit-url https://example.test/c/ -o r.html; then
  grep -q "href=\"https://example.test/c/$sha16\"" r.html \
    && ok "report: change point in the history chart linked to its commit" || fail "report: no link to $sha16"
fi

# A run on another branch: the report's history chart is that branch's (what its title
# says), not the other branch's runs.
(cd repo && git checkout -q -b feat && for r in 0028 0029; do
  git commit -q --allow-empty -m "feat $r" && "$TACH" record -q --store ../s.db "../runs/run-$r.json" >/dev/null
done && git checkout -q -)
if expect 0 "$TACH" report --store s.db --format html -o feat.html; then
  grep -q 'History of queue/op0/n=10 over 2 runs, branch feat' feat.html \
    && ok "report: the history chart of a run on branch feat holds feat's runs" \
    || fail "feat chart: $(grep -o 'History of queue/op0/n=10[^<]*' feat.html | head -1)"
fi

# Regenerating into the same directory replaces the files.
if expect 0 "$TACH" site web --store s.db; then
  grep -q 'example.test' web/b/*.html && fail "second site still has the first one's links" || ok "site: rewrite in place"
fi

# A newest run that holds only one benchmark: every other benchmark's verdict is still
# its own last run against the one before (not blank because the store's newest run
# lacks it).
jq '.benchmarks |= map(select(.name == "alloc/op0/n=10"))' runs/run-0029.json >only.json
"$TACH" record -q --store s.db only.json >/dev/null || fail "record only.json"
if expect 0 "$TACH" site web --store s.db; then
  row=$(grep 'queue/op0/n=10<' web/index.html)
  [[ $row == *'class="tag t-regressed">regressed<'* ]] \
    && ok "site: a benchmark missing from the newest run keeps its own last verdict" \
    || fail "queue/op0/n=10 lost its verdict: $row"
fi

# A store with two of those benchmarks, into the same directory: the pages of the 22
# others go, and only those: a user's files in the site are kept, a slug-shaped one too.
echo mine >web/b/notes.html
echo mine >web/b/mine-0badf00d.html
echo mine >web/notes.html
jq '.benchmarks |= map(select(.name == "alloc/op0/n=10" or .name == "queue/op0/n=10"))' \
  runs/run-0029.json >two.json
"$TACH" record -q --store two.db two.json >/dev/null || fail "record two.json"
if expect 0 "$TACH" site web --store two.db; then
  pages=$(cd web/b && ls | grep -Ev '^(notes|mine-0badf00d)\.html$' | sort | tr '\n' ' ')
  [ "$pages" = "$(cd web/b && ls alloc_op0_n_10-*.html queue_op0_n_10-*.html | sort | tr '\n' ' ')" ] &&
    [ "$(echo "$pages" | wc -w)" = 2 ] && ok "site: a regeneration removes the pages it no longer writes" ||
    fail "stale pages left: $pages"
  [ -f web/b/notes.html ] && [ -f web/b/mine-0badf00d.html ] && [ -f web/notes.html ] &&
    ok "site: the user's files in the site are kept" || fail "a user's file was removed"
  [ "$(grep -c -- '-[0-9a-f]\{8\}\.html$' web/.tach-site)" = 2 ] || fail "the manifest: $(cat web/.tach-site)"
fi
# A manifest that lists a file tach did not write as a page (no slug, another
# directory) removes nothing.
printf '../notes.html\nnotes.html\n../index.html\n' >>web/.tach-site
if expect 0 "$TACH" site web --store two.db; then
  [ -f web/notes.html ] && [ -f web/b/notes.html ] && [ -f web/index.html ] &&
    ok "site: a manifest line that is not a page name removes nothing" || fail "a listed non-page was removed"
fi
# A file tach did not write where a page goes (a project's own index.html) is never
# replaced: exit 2, the file named, nothing written.  A site of an earlier tach (its
# pages, no .tach-site) is regenerated: its pages carry tach's generator mark.
mkdir userdir && echo MINE >userdir/index.html
if expect 2 "$TACH" site userdir --store two.db; then
  err_line "^tach site: userdir/index.html is not a page tach wrote \(no <meta name=\"generator\" content=\"tach\">\)"
  [ "$(cat userdir/index.html)" = MINE ] && [ "$(ls -A userdir)" = index.html ] &&
    ok "site: a user's index.html refused, nothing written" || fail "site wrote into userdir: $(ls -A userdir)"
fi
cp -r web old && rm old/.tach-site && echo MINE >old/b/mine.html
slug=$(cd old/b && ls alloc_op0_n_10-*.html)
echo MINE >"old/b/$slug"
if expect 2 "$TACH" site old --store two.db; then
  err_line "^tach site: old/b/$slug is not a page tach wrote"
  [ "$(cat "old/b/$slug")" = MINE ] && [ ! -e old/.tach-site ] && ok "site: a user's file at a page's name refused"
fi
cp web/b/"$slug" old/b/"$slug"
expect 0 "$TACH" site old --store two.db && [ -s old/.tach-site ] && [ "$(cat old/b/mine.html)" = MINE ] &&
  ok "site: an earlier tach's site (no .tach-site) is regenerated"
echo mine >old/.tach-site
expect 2 "$TACH" site old --store two.db && err_line "^tach site: old/.tach-site is not a manifest tach wrote" &&
  [ "$(cat old/.tach-site)" = mine ] && ok "site: a .tach-site tach did not write refused"
finish
