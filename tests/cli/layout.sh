#!/usr/bin/env bash
# The layout's promises (docs/ARCHITECTURE.md), checked on the built tree by
# scripts/layout_check.py: libtach exports only tach_ names and links none of the tool's
# libraries, no two object files depend on each other round a circle, every source
# file over 600 lines says at its top why it stays whole, and neither the tool's core nor
# cli/ includes the runner's private headers (runner.h, signals.h).
source "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { echo "skipped: no python3"; exit 0; }
check "the layout holds ($(python3 "$TACH_SRC/scripts/layout_check.py" "$TACH_BUILD" "$TACH_SRC" 2>&1 | tail -1))" \
  python3 "$TACH_SRC/scripts/layout_check.py" "$TACH_BUILD" "$TACH_SRC"
finish
