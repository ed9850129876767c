#!/usr/bin/env bash
# gate_config.sh - thresholds and targets from .tach/config (git-config style, read with
# inih): [compare] defaults, [bench "GLOB"] per benchmark (the last matching section wins),
# targets, discovery of .tach/ in an ancestor, --config FILE, and bad config files
# (exit 2 naming the file and line).
source "$(dirname "$0")/lib.bash"
export NO_COLOR=1
mkdir -p "$tmp/proj/.tach" "$tmp/proj/sub/dir"
cd "$tmp/proj"
mkdoc base.json codec/zstd/l1:steady:30:1 codec/zstd/l9:steady:30:1 hash/sha:steady:30:1
mkdoc new.json codec/zstd/l1:steady:30:1.08 codec/zstd/l9:steady:30:1.08 hash/sha:steady:30:1

expect 1 "$TACH" gate base.json new.json && ok "no config: the two 8% regressions fail"

cat > .tach/config <<'INI'
; thresholds for the codecs, which are noisier
[bench "codec/*"]
noise = 10
critical = 30
INI
if expect 0 "$TACH" gate --format json base.json new.json; then
  out_jq '[.benchmarks[] | select(.name | startswith("codec/")) | .noise] == [0.1, 0.1]'
  out_jq '[.benchmarks[] | select(.name == "hash/sha") | .noise] == [0.02]'
  ok "[bench \"codec/*\"] noise = 10 lets 8% pass"
fi
# Found from a subdirectory too (the nearest ancestor holding .tach/).
(cd sub/dir && expect 0 "$TACH" gate ../../base.json ../../new.json) && ok "config found from a subdirectory" \
  || fail "config found from a subdirectory"

cat >> .tach/config <<'INI'
[bench "codec/zstd/l9"]
noise = 5%
INI
if expect 1 "$TACH" gate --format json base.json new.json; then
  out_jq '.benchmarks[] | select(.name == "codec/zstd/l9") | .noise == 0.05 and .critical == 0.3 and .verdict == "regressed"'
  ok "a later, narrower section wins for its fields only"
fi

cat > .tach/config <<'INI'
[compare]
noise = 9
INI
expect 0 "$TACH" gate base.json new.json && ok "[compare] noise = 9 is the default"
expect 1 "$TACH" gate --noise 2 base.json new.json && ok "--noise on the command line beats [compare]"

cat > .tach/config <<'INI'
[bench "hash/*"]
max_mean_ns = 90
INI
if expect 1 "$TACH" gate --noise 10 base.json new.json; then
  out_has '^  hash/sha: max_mean_ns 90 ns, measured 100\.5 ns$'
  err_has "1 target missed"
  ok "a target from config fails the gate"
fi

# --config FILE instead of .tach/config
rm .tach/config
printf '[bench "*"]\nnoise = 10\n' > relaxed.ini
expect 0 "$TACH" gate --config relaxed.ini base.json new.json && ok "--config FILE"
expect 2 "$TACH" gate --config nothere.ini base.json new.json && err_has "nothere.ini" && ok "missing --config named"

# ---- bad config files: exit 2, file and line named -----------------------------------
printf '[bench "*"]\nnoise = 10\nnosie = 3\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:3: unknown key 'nosie'" && ok "unknown key: file:line"
printf '[bench "*"]\nnoise = lots\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:2: bad value 'lots' for noise" && ok "bad value: file:line"
printf '[benchmarks]\nnoise = 1\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has "unknown section [benchmarks]" && ok "unknown section"
# an unknown section without keys too (inih passes only keys: it was accepted, exit 0)
printf '[compare]\nnoise = 2\n\n[bogus]\n; nothing here\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_line '^tach gate: .*\.tach/config:4: unknown section \[bogus\]' &&
  ok "an empty unknown section: exit 2, file, line and section named"
printf '[bench "*"]\nnoise = 10\n[bench]\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_line '^tach gate: .*\.tach/config:3: bad section \[bench\]' &&
  ok "an empty bad bench section: exit 2, line named"
printf '[compare] ; defaults\nnoise = 2\n[gate]\n[load]\n[bench "x*"]  \n' > .tach/config
expect 1 "$TACH" gate base.json new.json && err_has "tach gate: FAILED" && ok "empty known sections are accepted (the gate judged)"
printf '[bench codec]\nnoise = 1\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has 'expected [bench "GLOB"]' && ok "unquoted glob"
printf '[bench "*"\nnoise = 1\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:1:" && ok "syntax error: line named"
# The line named is the line at fault, with what is wrong with it (inih goes on after a
# bad line: a later key's message was shown under the bad line's number).
printf '[compare]\nnoise = 2\n[bench "*"\nnoise = 1\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_line "^tach gate: .*\\.tach/config:3: section header \\[bench \"\\*\" without its closing '\\]'" \
  && ok "a section header without ']': its own line and reason"
printf 'noise = 2\n[compare]\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:1: key 'noise' before any [SECTION]" \
  && ok "a key before any section said so (was: unknown section [])"
printf '[compare]\nnoise 2\nnosie = 3\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:2: 'noise 2' is not KEY = VALUE" \
  && ok "a line without '=': its text, not a later line's message"
# inih drops what follows a header's ']': a key written there set nothing (the report
# went to its default file, the noise stayed 2%); a comment after it is still allowed
printf '[compare]\nnoise = 2\n[suite] report = x.md\n' > .tach/config
expect 2 "$TACH" gate base.json new.json &&
  err_line "^tach gate: .*\\.tach/config:3: '\\[suite\\] report = x\\.md': text after the section header's '\\]'" &&
  ok "a key on a section header's line is refused, its line named"
printf '[compare] noise = 50\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:1: '[compare] noise = 50': text after" &&
  ok "so in [compare]"
printf '[compare]   # defaults\nnoise = 2\n[gate] ;\n' > .tach/config
expect 1 "$TACH" gate base.json new.json && err_has "tach gate: FAILED" && ok "a comment after a header is taken"
# inih reads at most 198 characters of a line: a longer one was cut without a word (a
# command = or load = line would run something else).
printf '[compare]\nnoise = 2%s\n' "$(printf ' %.0s' $(seq 1 200))" > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:2: line longer than 198 characters" \
  && ok "a line longer than the reader takes is refused, not cut"
# a key given twice in one section is refused, naming it and both lines (the second value
# was silently taken), across a repeated section header too; only a module's bench,
# command and load are lists (docs/bench.md)
twice() { # CONFIG SECTION KEY LINE FIRST
  printf "$1" > .tach/config
  expect 2 "$TACH" gate base.json new.json &&
    err_line "^tach gate: .*\.tach/config:$4: key '$3' given twice in \[$2\] \(first at line $5\)$" &&
    ok "$3 twice in [$2]: exit 2, file:line, the key named"
}
twice '[compare]\nnoise = 2\ncritical = 5\n  noise = 3\n' compare noise 4 2
twice '[compare]\npercentiles = 99\n[gate]\n[compare]\npercentiles = 50\n' compare percentiles 5 2
twice '[suite]\nnoise = 2\n[compare]\nnoise = 1\n[suite]\nnoise = 3\n' suite noise 6 2
twice '[module "m"]\nbench = /bin/true\ncriteria = latency\ncriteria = memory\n' 'module "m"' criteria 4 3
twice '[load]\nslo = p99<1s\nslo = max<2s\n' load slo 3 2
twice '[bench "a*"]\nmax_mean_ns = 5\nmax_mean_ns = 6\n' 'bench "a\*"' max_mean_ns 3 2
printf '[module "m"]\nbench = /bin/true\nbench = /bin/false\ncommand = true\ncommand = false\nload = x op\nload = y op\n[bench "a*"]\nnoise = 2\n[bench "a*"]\ncritical = 3\n' > .tach/config
expect 1 "$TACH" gate base.json new.json && err_has "tach gate: FAILED" &&
  ok "bench, command and load repeated in a module, other keys in a repeated section: accepted"
printf '[compare]\nalpha = 3\n' > .tach/config
expect 2 "$TACH" gate base.json new.json && err_has "bad value '3' for alpha" && ok "alpha out of range"
# numbers are decimal, as on the command line: a C hex float (strtod's 0x1p3) was taken as
# its value; now exit 2 naming the file, line and value, nothing judged
hexval() { # SECTION KEY VALUE
  printf '%s\n%s = %s\n' "$1" "$2" "$3" > .tach/config
  expect 2 "$TACH" gate base.json new.json && err_has ".tach/config:2: " && err_has "'$3'" &&
    [ ! -s "$tmp/out" ] && ok "$2 = $3 in $1: exit 2, file, line and value named" \
      || fail "$2 = $3 in $1: exit 2, file, line and value named"
}
hexval '[compare]' noise 0x1p1
hexval '[gate]' critical 0x1p3%
hexval '[compare]' alpha 0x1p-5
hexval '[compare]' percentiles 0x32
hexval '[compare]' percentiles 50:0x5
hexval '[bench "*"]' max_mean_ns 0x1p7
hexval '[bench "*"]' min_bytes_per_sec 0x1p20
hexval '[bench "*"]' max_rss 0x10MB
hexval '[bench "*"]' max_allocs_per_iter 0x0
hexval '[bench "*"]' max_regression_pct 0x3
hexval '[suite]' noise 0x2
hexval '[load]' slo 'rps>=0x10'
hexval '[load]' slo 'errors<0x1p-4'
hexval '[compare]' noise inf
# an empty value is malformed as for every other key (percentiles = read as the default 50,99)
hexval '[compare]' percentiles ''
hexval '[gate]' percentiles ''
# a size's unit is read as tach suite's (one reader, tach__opt_size_unit): a word that is
# no unit is refused as the others are
hexval '[bench "*"]' max_peak_bytes 4MBi
hexval '[bench "*"]' max_rss 2kbit
printf '[compare]\nnoise = 2.5 %%\n[bench "*"]\nmax_mean_ns = 1e9\nmax_rss = 1.5 GiB\n' > .tach/config
expect 1 "$TACH" gate base.json new.json && err_has "tach gate: FAILED" && ok "decimal numbers, exponents and units still read"
finish
