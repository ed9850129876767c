#!/usr/bin/env bash
# certify_verify.sh - `tach certify` and `tach certify --verify`: the verdict of the
# fixture run (REJECTED: crashes, a missed target, a critical regression; exit 1 but the
# certificate written), a CONDITIONALLY APPROVED run, the evidence's SHA-256 equal to
# sha256sum of the files, verification passing, and failing (exit 1) for a tampered
# document and for a tampered certificate; bad certificates exit 2.
source "$(dirname "$0")/lib.bash"
set -o pipefail
cd "$tmp"
cp "$DATA/report_new.json" new.json
cp "$DATA/report_base.json" base.json

if expect 1 "$TACH" certify new.json --baseline base.json -o cert.md; then
  err_line "cert.md: file new.json REJECTED"
  grep -q '^\*\*Verdict: REJECTED\*\*$' cert.md || fail "no REJECTED verdict in cert.md"
  grep -q '^- 3 benchmarks failed, crashed or timed out$' cert.md || fail "failures not a reason"
  grep -q '^- 1 declared target missed$' cert.md || fail "missed target not a reason"
  grep -q '^- 1 critical regression (beyond 10%) against base.json$' cert.md || fail "regression not a reason"
  for h in '## Scope' '## What was run and how' '## Findings' '## Scores' '## Verdict' '## Evidence'; do
    grep -qx "$h" cert.md || fail "certificate lacks '$h'"
  done
  # The evidence is the sha256sum of each file's bytes.
  for f in new.json base.json; do
    s=$(sha256sum "$f" | cut -d' ' -f1)
    grep -q "^$s - $f\$" cert.md || fail "evidence line for $f is not '$s - $f'"
  done
  ok "certify: REJECTED with its reasons, sections, evidence = sha256sum"
fi

# -o - is standard output, said as without -o: not a file named '-'
if expect 1 "$TACH" certify new.json --baseline base.json -o -; then
  err_line "^tach certify: certificate: file new.json REJECTED$" && grep -q "^\*\*Verdict: REJECTED\*\*$" out \
    && ok "certify -o -: the certificate on standard output, said as without -o"
fi

if expect 0 "$TACH" certify --verify cert.md; then
  [ "$(grep -c '^ok ' out)" = 3 ] && grep -q "^ok  *the certificate's text" out \
    && ok "verify: its text and both documents match" || fail "verify output: $(cat out)"
fi

# Tampered certificate text: the verdict and a hash in the readable table edited (the
# evidence block left alone).
sed -e 's/^\*\*Verdict: REJECTED\*\*$/**Verdict: APPROVED**/' cert.md >edited.md
cmp -s cert.md edited.md && fail "the edit of the verdict did not apply (sed pattern)"
if expect 1 "$TACH" certify --verify edited.md; then
  grep -q "^MISMATCH the certificate's text: the certificate's text was changed" out \
    && grep -q "its text was changed" err \
    && ok "verify: an edited verdict is detected (exit 1)" || fail "edited verdict: $(cat out err)"
  # only the text: no "0 of 2 documents do not match"
  grep -q ": its text was changed$" err && ! grep -q "0 of\|documents do not" err \
    && ok "verify: the message names the text only" || fail "edited verdict message: $(cat err)"
fi
# A document missing: said as missing, in the singular.
mv new.json new.json.away
if expect 1 "$TACH" certify --verify cert.md; then
  grep -q '^MISSING  new.json' out && grep -q ": 1 document missing$" err \
    && ok "verify: a missing document is named missing" || fail "missing: $(cat out err)"
fi
mv new.json.away new.json

# Tampered document: one byte changed.
sed -i '0,/"bench-host"/s//"bench-hosT"/' new.json
if expect 1 "$TACH" certify --verify cert.md; then
  grep -q '^MISMATCH new.json: the certificate says ' out && grep -q '^ok  *base.json' out \
    && grep -q ': 1 document does not match the certificate$' err \
    && ok "verify: tampered document detected (exit 1)" || fail "tamper output: $(cat out)"
fi
cp "$DATA/report_new.json" new.json

# Tampered certificate: the hash of base.json changed.
s=$(sha256sum base.json | cut -d' ' -f1)
sed "s/^$s /0000000000000000000000000000000000000000000000000000000000000000 /" cert.md >forged.md
if expect 1 "$TACH" certify --verify forged.md; then
  grep -q '^MISMATCH base.json' out && ok "verify: tampered certificate detected (exit 1)" || fail "forged: $(cat out)"
fi
# The same certificate moved through a CRLF system still verifies; one made before the
# text hash (no "text" line) is checked for its documents only, and says so.
sed 's/$/\r/' cert.md >crlf.md
expect 0 "$TACH" certify --verify crlf.md && grep -q "^ok  *the certificate's text" out \
  && ok "verify: a CRLF copy verifies" || fail "crlf: $(cat out err)"
grep -v '^text [0-9a-f]\{64\}$' cert.md >old.md
if expect 0 "$TACH" certify --verify old.md; then
  grep -q "^UNCHECKED the certificate's text" out && [ "$(grep -c '^ok ' out)" = 2 ] \
    && ok "verify: an older certificate (no text hash): documents checked, text UNCHECKED, exit 0" \
    || fail "old certificate: $(cat out)"
fi
# A text line whose hash was edited into something else than 64 hex digits is an edit,
# not an older certificate: MISMATCH, exit 1 (it was UNCHECKED, exit 0).
sed 's/^text [0-9a-f]\{64\}$/text edited/' cert.md >badtext.md
cmp -s cert.md badtext.md && fail "the edit of the text line did not apply (sed pattern)"
if expect 1 "$TACH" certify --verify badtext.md; then
  grep -q "^MISMATCH the certificate's text: its text SHA-256 is malformed" out \
    && grep -q ": its text was changed$" err \
    && ok "verify: a malformed text hash is a mismatch (exit 1)" || fail "malformed text hash: $(cat out err)"
fi
# A document that is gone.
mv base.json gone.json
if expect 1 "$TACH" certify --verify cert.md; then
  grep -q '^MISSING  base.json' out && ok "verify: missing document fails (exit 1)" || fail "missing: $(cat out)"
fi
mv gone.json base.json

# From the store, as HTML: evidence by run id, verified against the store.
mkstore s.db
# a results file named is compared only with --baseline (docs/reports.md), store or not
expect 1 "$TACH" certify new.json --store s.db -o alone.md && grep -q '^Not assessed: no baseline\.$' alone.md \
  && grep -q '^- compare against a baseline' alone.md && ok "certify FILE with a store: no baseline unless --baseline" \
  || fail "certify FILE with a store: no baseline unless --baseline"
# --no-compare left the comparison out: not "none was available" (it said so)
expect 1 "$TACH" certify new.json --no-compare -o nc.md \
  && grep -q '^- compare against a baseline (left out: --no-compare)$' nc.md && ! grep -q 'none was available' nc.md \
  && grep -q '^Not assessed: not compared (--no-compare)\.$' nc.md && ok "certify --no-compare: said as left out" \
  || fail "certify --no-compare: said as left out"
if expect 1 "$TACH" certify --store s.db --format html -o cert.html; then
  # a run of the store is a run; a file given is a file (it said "run new.json")
  err_line "^tach certify: cert.html: run 2 REJECTED$"
  grep -q '<span class="verdict t-REJECTED">REJECTED</span>' cert.html || fail "HTML certificate verdict"
  if expect 0 "$TACH" certify --verify cert.html --store s.db; then
    grep -q '^ok  *store:2 ' out && grep -q '^ok  *store:1 ' out && ok "html certificate from the store verifies" \
      || fail "store verify: $(cat out)"
  fi
  # A store that cannot be read is no mismatch: exit 2 (it was 1, as if the documents
  # differed), the store named.
  cp s.db damaged.db
  sqlite3 damaged.db "UPDATE tach_meta SET value = '99' WHERE key = 'schema_version'"
  expect 2 "$TACH" certify --verify cert.html --store damaged.db &&
    err_line "^tach certify: cert.html: 2 documents missing; the store cannot be opened: store damaged.db was written by a newer tach" \
    && grep -q '^MISSING  store:2: the store cannot be opened' out && ok "verify against a store that cannot be opened: exit 2, one line" || fail "verify against a store that cannot be opened: exit 2, one line"
  # no store at all (it printed "no store at ..." and then the summary: two lines)
  mkdir nostore && cp cert.html nostore/
  (cd nostore && expect 2 "$TACH" certify --verify cert.html) &&
    err_line "^tach certify: cert.html: 2 documents missing; the store cannot be opened: no store at .*/nostore/\.tach/tach\.db" &&
    ok "verify with no store: exit 2, one line naming it" || fail "verify with no store: exit 2, one line naming it"
  cp s.db damaged.db
  sqlite3 damaged.db "DELETE FROM tach_run_docs WHERE run_id = 2"
  expect 2 "$TACH" certify --verify cert.html --store damaged.db \
    && grep -q '^MISSING  store:2: store damaged.db is damaged: run 2 has no results document' out \
    && ok "verify against a damaged store: exit 2" || fail "verify against a damaged store: exit 2"
fi

# A file name with a newline or ESC (the certificate's, a document's) is printed as the
# terminal-safe text, one line each, not raw.
mkdir odd && cp "$DATA/report_new.json" "odd/a"$'\n'"b"$'\033'"[2J.json" && cd odd
"$TACH" certify "a"$'\n'"b"$'\033'"[2J.json" -o "c"$'\n'".md" 2>/dev/null
rm "a"$'\n'"b"$'\033'"[2J.json"
if expect 1 "$TACH" certify --verify "c"$'\n'".md"; then
  check "verify: a document's file name with a newline and ESC on one line" \
    grep -qx 'MISSING  a b \[2J\.json: cannot open a b \[2J\.json: No such file or directory' "$tmp/out"
  err_line "^tach certify: c \.md: 1 document missing$" && ok "verify: the certificate's name on one line"
fi
# In the evidence block, each byte of a control (the 8-bit CSI U+009B as %C2%9B, a tab),
# a '%' and a "--" are escaped, and read back to the same name.
odd="x"$'\xc2\x9b'"--y%"$'\t'".json"
cp "$DATA/report_new.json" "$odd"
"$TACH" certify "$odd" -o c1.md 2>/dev/null
check "certify: a source's C1 control, tab, '%' and '--' escaped in the evidence" \
  grep -q ' - x%C2%9B%2D-y%25%09\.json$' c1.md
expect 0 "$TACH" certify --verify c1.md && ok "verify: the escaped source read back"
cd "$tmp"

# A run without failures or targets, against itself, with no precision asked (gen.py
# documents are fixed sample counts): APPROVED, precision not assessed.
/usr/bin/python3 "$TACH_SRC/bench/report/gen.py" --benchmarks 8 --runs 3 --samples 10 --out g >/dev/null
if expect 0 "$TACH" certify g/run-0000.json --baseline g/run-0000.json -o ok.md; then
  grep -q '^\*\*APPROVED\*\*$' ok.md && grep -q '^| Precision | n/a | no precision was asked' ok.md \
    && ok "certify: APPROVED, precision not assessed when none was asked" || fail "approved: $(grep -A3 '## Verdict' ok.md)"
fi
# The same with a 1% precision asked and missed by every benchmark: CONDITIONALLY
# APPROVED (exit 0), the condition being the precision.
jq '.benchmarks[].precision = {"target": 0.01, "achieved": 0.02, "reached": false}' g/run-0000.json >g/missed.json
if expect 0 "$TACH" certify g/missed.json --baseline g/missed.json -o cond.md; then
  grep -q '^\*\*Verdict: CONDITIONALLY APPROVED\*\*$' cond.md && grep -q 'Approved on these conditions:' cond.md \
    && grep -q 'did not reach the precision asked' cond.md \
    && ok "certify: CONDITIONALLY APPROVED with conditions, exit 0" || fail "conditional: $(grep -A3 '## Verdict' cond.md)"
fi

# --title is text: a line break in it cannot add a heading (a false verdict above the
# real one in a certificate that verifies), nor markup; the report's title likewise.
title=$'Release <b>1</b>\n## Verdict: APPROVED'
if expect 0 "$TACH" certify g/missed.json --baseline g/missed.json --title "$title" -o forged_title.md; then
  [ "$(head -1 forged_title.md)" = '# Release &lt;b>1&lt;/b> ## Verdict: APPROVED' ] \
    && ! grep -q '^## Verdict: APPROVED' forged_title.md \
    && ok "certify: --title stays one line of text" || fail "certify title: $(head -3 forged_title.md)"
fi
if expect 0 "$TACH" report g/run-0000.json --title "$title" -o titled.md; then
  [ "$(head -1 titled.md)" = '# Release &lt;b>1&lt;/b> ## Verdict: APPROVED' ] && [ "$(sed -n 2p titled.md)" = "" ] \
    && ok "report: --title stays one line of text" || fail "report title: $(head -3 titled.md)"
fi

# one document: said in the singular, not "all 1 documents match"
if expect 0 "$TACH" certify g/run-0000.json --no-compare -o one.md && expect 0 "$TACH" certify --verify one.md; then
  err_line "one.md: its text and its one document match the certificate$" && ok "verify: one document, singular"
fi

# Bad certificates.
echo "# not a certificate" >plain.md
if expect 2 "$TACH" certify --verify plain.md; then err_line "no tach evidence block" && ok "verify: not a certificate, exit 2"; fi
if expect 2 "$TACH" certify --verify nothere.md; then err_line "nothere.md" && ok "verify: missing certificate, exit 2"; fi
if expect 2 "$TACH" certify --verify plain.md 12; then err_line "unexpected argument '12'" && ok "verify: a run beside it, exit 2"; fi
expect 2 "$TACH" report plain.md --no-compare --baseline 1 && err_line "--no-compare and --baseline: choose one" \
  && ok "report --no-compare --baseline: the contradiction refused"
# the options of writing a certificate, beside --verify, changed nothing (and wrote nothing)
if expect 2 "$TACH" certify --verify plain.md -o y.md; then
  err_line "--verify plain.md checks a certificate, and -o is for writing one" && [ ! -e y.md ] \
    && ok "verify with -o: exit 2, nothing written" || fail "verify with -o: exit 2, nothing written"
fi
# so did --format, --top, --no-compare and --config: taken and ignored (a --config that
# does not exist too), exit 0
for opt in "--format html" "--top 3" "--no-compare" "--config nothere.ini"; do
  # shellcheck disable=SC2086
  expect 2 "$TACH" certify --verify plain.md $opt && err_line "and ${opt%% *} is for writing one" \
    && ok "verify with ${opt%% *}: exit 2"
done
# A recorded soak (synthetic: context.soak as `tach soak` stores it) is judged by its own
# verdict, not by the wall-time CV rule: its samples (noisya: CV near 17%, above 5%) would
# make an ordinary run "unstable".  stable passes the Soak area, drifting is a condition,
# leaking rejects; none of them raises the "unstable" condition.
mkdoc soak_raw.json soak:noisya:30:1000
if expect 0 "$TACH" certify soak_raw.json --no-compare -o nosoak.md; then
  grep -q '^- stabilise 1 unstable benchmark' nosoak.md && ok "the same samples without a soak are unstable" ||
    fail "the synthetic samples are not unstable without a soak: the test proves nothing"
fi
for verdict in stable drifting leaking; do
  jq --arg v "$verdict" '.context.soak = {format: "tach-soak-report", elapsed_s: 7200, partial: false,
      verdict: {summary: $v, reason: ("synthetic " + $v)}}' soak_raw.json >"soak_$verdict.json"
  want=0; [ "$verdict" = leaking ] && want=1
  if expect $want "$TACH" certify "soak_$verdict.json" --no-compare -o "cert_$verdict.md"; then
    c=cert_$verdict.md
    grep -q 'unstable benchmark' "$c" && fail "$verdict soak: counted as unstable" || ok "$verdict soak: not counted as unstable"
    grep -q '^| Stability | n/a | a soak: judged by its own verdict (Soak), not by CV' "$c" ||
      fail "$verdict soak: Stability area is: $(grep '^| Stability' "$c")"
    grep -q '^Not judged by CV: a soak is judged by its own verdict (see Soak)\.$' "$c" ||
      fail "$verdict soak: the Unstable benchmarks finding does not defer to the soak"
  fi
done
grep -q '^| Soak | 100/100 | stable over 2 h' cert_stable.md && ok "stable: Soak 100" || fail "stable: $(grep '^| Soak' cert_stable.md)"
grep -q "^- explain or fix the soak's drift: synthetic drifting" cert_drifting.md &&
  grep -q '^\*\*Verdict: CONDITIONALLY APPROVED\*\*$' cert_drifting.md && ok "drifting: a condition" ||
  fail "drifting: no drift condition"
grep -q '^- the soak is leaking: synthetic leaking' cert_leaking.md &&
  grep -q '^\*\*Verdict: REJECTED\*\*$' cert_leaking.md && ok "leaking: rejected" || fail "leaking: not rejected"

# --format: the error listed "markdown" among the choices, --help and the docs did not;
# all three name it now, and it writes what md writes.
expect 0 "$TACH" certify --help && out_has 'markdown is the same' && ok "--help names --format markdown"
expect 2 "$TACH" certify new.json --format x && err_has "expected md, html or markdown" && ok "--format x: the choices"
grep -q '`--format markdown` is the same' "$TACH_SRC/docs/reports.md" && ok "docs name --format markdown" ||
  fail "docs/reports.md does not name --format markdown"
if expect 1 "$TACH" certify new.json --baseline base.json --format markdown -o cert_long.md; then
  diff <(grep -v 'Date\|date\|sha256\|SHA-256' cert_long.md) <(grep -v 'Date\|date\|sha256\|SHA-256' cert.md) >/dev/null &&
    ok "--format markdown writes md" || fail "--format markdown differs from md"
fi

finish
