#!/usr/bin/env bash
# golden_machine.sh - the outputs other programs read, pinned byte for byte against
# tests/cli/expected/ (TACH_UPDATE_GOLDEN=1 rewrites them): `tach compare --format json`
# and `tach gate --format json` on crafted documents (the same as compare_files.sh),
# `tach history --format json` of a store holding the two report fixture runs, and the
# certificate in HTML (`tach certify --format html`) of the fixture run.
# What a run cannot repeat is replaced before comparing: the source tree's path and the
# time a run was recorded.
source "$(dirname "$0")/lib.bash"
set -o pipefail
export NO_COLOR=1
cd "$tmp"

# ---- compare and gate ------------------------------------------------------------------
# suite/single has one sample a side: not testable, its "why" says so.
mkdoc base.json suite/slower:steady:30:1 suite/same:steady:30:1 suite/noisy:noisya:20:1 suite/gone:steady:30:1 suite/single:steady:1:1
mkdoc new.json suite/slower:steady:30:1.08 suite/same:steady:30:1 suite/noisy:noisyb:20:1 suite/fresh:steady:30:1 suite/single:steady:1:1.05
if expect 0 "$TACH" compare --format json base.json new.json; then
  jq . "$tmp/out" >compare.json && golden compare.json compare.json
fi
# gate: exit 1 (a regression), the same document with the gate's verdict.
if expect 1 "$TACH" gate --format json base.json new.json; then
  jq . "$tmp/out" >gate.json && golden gate.json gate.json
fi

# ---- history -----------------------------------------------------------------------------
mkstore s.db
if expect 0 "$TACH" history --store s.db --format json; then
  jq . "$tmp/out" >history.json && golden history.json history.json
fi

# ---- the certificate in HTML ----------------------------------------------------------------
cp "$DATA/report_new.json" new_run.json
cp "$DATA/report_base.json" base_run.json
if expect 1 "$TACH" certify new_run.json --baseline base_run.json --format html -o cert.html; then
  sed -E "s|$TACH_SRC|SRC|g" cert.html >cert.norm.html
  golden certificate.html cert.norm.html
fi

finish
