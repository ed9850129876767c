#!/usr/bin/env bash
# output_guard.sh - no output is written over the history store or .tach/config: an
# export, a report or a certificate named like either is refused (exit 2, before any
# work), and both are left byte for byte as they were.  Nor over a file the command
# reads: its results file, its baseline file or its --config.
source "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1

expect 0 "$TACH" run --store s.db -r 3 -- true && ok "a store with one run"
cp s.db s.db.orig
for args in "run --store s.db -r 2 --export-json s.db -- true" \
            "run --no-store -r 2 --export-markdown s.db -- true" \
            "suite crypto --quick --algos sha256 --sizes 16 --store s.db --export-json s.db" \
            "certify --store s.db -o s.db" \
            "report --store s.db -o s.db 1"; do
  # shellcheck disable=SC2086
  if expect 2 "$TACH" $args; then
    err_has "s.db is an SQLite database (a history store?): no output is written over one"
    cmp -s s.db s.db.orig || fail "the store changed under: $args"
    ok "refused, store untouched: tach $args"
  fi
done
if expect 0 "$TACH" history --store s.db --runs; then
  out_has '^ +1 '
  out_lacks '^ +2 '
  ok "the store still holds its one run, and only it"
fi

mkdir -p proj/.tach && printf '[suite]\n' >proj/.tach/config && cp proj/.tach/config config.orig
cd proj || exit 1
expect 2 "$TACH" run --no-store -r 2 --export-json .tach/config -- true &&
  err_has ".tach/config is tach's configuration: no output is written over it"
cd "$tmp" || exit 1
cmp -s proj/.tach/config config.orig && ok ".tach/config refused and untouched" || fail ".tach/config refused and untouched"
# a new file of that name is fine anywhere else, and tach init still makes its own
expect 0 "$TACH" run --no-store -r 2 --export-json config -- true && ok "a file named config elsewhere is written"
mkdir fresh && cd fresh && expect 0 "$TACH" init && test -s .tach/config && ok "tach init writes .tach/config" \
  || fail "tach init writes .tach/config"

# An output that is the file being read: the results file, a baseline file, the config.
cd "$tmp" || exit 1
cp "$DATA/report_new.json" g.json && cp "$DATA/report_base.json" g2.json
printf '[compare]\nnoise = 3%%\n' >my.cfg && cp my.cfg my.cfg.orig
ln g.json g-link.json
for c in "report g.json -o g.json|g.json|the results file being read" \
         "report g.json -o ./g-link.json|./g-link.json|the results file being read" \
         "report g.json --format json -o g.json|g.json|the results file being read" \
         "convert g.json --to csv -o g.json|g.json|the results file being read" \
         "import g2.json g.json -o g.json|g.json|a results file being read" \
         "certify g.json -o g.json|g.json|the results file being read" \
         "report g.json --baseline g2.json -o g2.json|g2.json|the baseline file being read" \
         "certify g.json --baseline g2.json -o g2.json|g2.json|the baseline file being read" \
         "report g.json --config my.cfg -o my.cfg|my.cfg|the config file"; do
  IFS='|' read -r args path what <<<"$c"
  # shellcheck disable=SC2086
  if expect 2 "$TACH" $args; then
    err_has "tach ${args%% *}: -o: '$path' is $what: the output would replace it"
    cmp -s g.json "$DATA/report_new.json" && cmp -s g2.json "$DATA/report_base.json" &&
      cmp -s my.cfg my.cfg.orig || fail "a file read changed under: tach $args"
    ok "refused, nothing written: tach $args"
  fi
done
expect 0 "$TACH" report g.json --baseline g2.json -o r.md && test -s r.md &&
  ok "another output file is written" || fail "another output file is written"
finish
