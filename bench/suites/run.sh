#!/usr/bin/env bash
# bench/suites/run.sh - the suites against their peers: crypto.sh (openssl speed),
# storage.sh (fio), bus.sh (redis-benchmark).  usage: bench/suites/run.sh [BUILD_DIR]
set -euo pipefail
here=$(dirname "$0")
bash "$here/crypto.sh" "$@"
bash "$here/storage.sh" "$@"
bash "$here/bus.sh" "$@"
