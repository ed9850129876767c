#!/usr/bin/env bash
# Installs the Debian packages tach needs that are missing.
#   scripts/deps.sh build   compilers, libraries (what `make` needs)
#   scripts/deps.sh demo    build + the examples' libraries
#   scripts/deps.sh test    demo + the servers and tools the tests start
# Quick when nothing is missing.  When not root, prints the apt-get line to run and
# exits 1.  With --check first (scripts/deps.sh --check build), only says: exit 0 when
# nothing is missing, else 1 after naming the missing packages; never installs.
set -euo pipefail
check_only=0
if [ "${1:-}" = --check ]; then check_only=1; shift; fi
set_name=${1:-test}

build=(build-essential cmake pkg-config libjansson-dev libsqlite3-dev libpq-dev libinih-dev
       libcurl4-openssl-dev libhttp-parser-dev zlib1g-dev libdw-dev)
demo=(zlib1g-dev libzstd-dev liblz4-dev libssl-dev
      libbrotli-dev libsnappy-dev liblzma-dev libdeflate-dev libbz2-dev libsodium-dev liburing-dev
      libhiredis-dev libmosquitto-dev libnats-dev git) # the last two lines: tach suite
test=(libbenchmark-dev libbenchmark-tools python3-scipy hyperfine postgresql
      prometheus-pushgateway prometheus chromium python3 sqlite3 jq valgrind libhdrhistogram-java
      default-jre-headless nginx-light wrk python3-yaml
      redis-server redis-tools nats-server mosquitto fio openssl strace # this line: tach suite
      clang-tidy cppcheck linux-perf)

case "$set_name" in
  build) want=("${build[@]}") ;;
  demo) want=("${build[@]}" "${demo[@]}") ;;
  test) want=("${build[@]}" "${demo[@]}" "${test[@]}") ;;
  *) echo "deps.sh: unknown set '$set_name' (build, demo or test)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
((${#missing[@]} == 0)) && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$check_only" = 1 ]; then
  echo "deps.sh: missing Debian packages: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "deps.sh: missing Debian packages; run as root:" >&2
  echo "  apt-get update && $line" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${missing[*]} >&2
