#!/usr/bin/env bash
# memory_preload.sh - heap counting is opt-in (docs/memory.md, "How"): libtach defines
# no allocator function, neither libtach.so nor libtach.a, so a benchmark's timed samples
# call glibc's malloc directly, with or without --memory; the counts come from the
# program started again with libtach's counting allocator (embedded in it) preloaded.
#   - no allocator symbol defined by libtach.so (nm -D) or libtach.a (nm); the counting
#     allocator's bytes embedded (tach__memhook_so);
#   - tests/fixtures/memory.c's whose_malloc: the timed worker's malloc is glibc's
#     (counter malloc_is_glibc = 1) with and without --memory, static and shared
#     library, and its memory still counted exactly (1 alloc of 16 bytes);
#   - --no-isolate and `tach run --memory` count the same;
#   - a program whose allocator wins over the preload (LD_PRELOAD of glibc's
#     libc_malloc_debug.so.0), and a fully static executable: one line saying why, the
#     timing kept;
#   - the preload goes through a memfd: no temporary file is left.
# Under AddressSanitizer (which owns the allocator) the symbol checks still hold and the
# refusal is checked instead of the counts.
source "$(dirname "$0")/lib.bash"
quick=(--max-time 0.05 --warmup 0.005 --sample-time 0.0002 --min-samples 4 --rounds 2 --quiet)
asan=0
if [ "${TACH_TEST_SANITIZE:-OFF}" = ON ]; then asan=1; fi
ALLOC='malloc|free|calloc|realloc|reallocarray|posix_memalign|aligned_alloc|memalign|valloc|pvalloc'

# ---- no allocator symbol in libtach ------------------------------------------------------
nm -D --defined-only "$TACH_BUILD/libtach.so" | awk '{print $NF}' >"$tmp/so.syms"
check "libtach.so exports symbols (nm -D works)" grep -q '^tach_main$' "$tmp/so.syms"
check "libtach.so defines no allocator function" bash -c "! grep -Ex '$ALLOC' '$tmp/so.syms'"
nm --defined-only "$TACH_BUILD/libtach.a" 2>/dev/null | awk 'NF == 3 {print $3}' >"$tmp/a.syms"
check "libtach.a defines tach_main (nm works)" grep -q '^tach_main$' "$tmp/a.syms"
check "libtach.a defines no allocator function" bash -c "! grep -Ex '$ALLOC' '$tmp/a.syms'"
check "libtach.a embeds the counting allocator" grep -q '^tach__memhook_so$' "$tmp/a.syms"
nm -D --defined-only "$TACH_BUILD/libtach-memhook.so" | awk '{print $NF}' >"$tmp/hook.syms"
check "the counting allocator defines malloc and free, and its table" \
    bash -c "grep -qx malloc '$tmp/hook.syms' && grep -qx free '$tmp/hook.syms' && grep -qx tach__memhook_v1 '$tmp/hook.syms'"

# ---- the timed samples call glibc's malloc; the counts still exact ------------------------
for variant in memory memory_shared; do
    BIN="$TACH_BUILD/tests/fixture_$variant"
    for mem in "" --memory; do
        expect 0 "$BIN" "${quick[@]}" $mem --filter whose_malloc --format json || continue
        if [ $asan = 1 ]; then
            out_jq '.benchmarks[0].counters.malloc_is_glibc == 0'  # ASan's malloc
        else
            out_jq '.benchmarks[0].counters.malloc_is_glibc == 1'
        fi
        [ -z "$mem" ] && out_jq '.benchmarks[0] | has("memory") | not'
    done
    if [ $asan = 1 ]; then
        out_jq '.benchmarks[0].memory.unavailable | test("unavailable under ASan")'
    else
        out_jq '.benchmarks[0].memory | .allocs_per_iter == 1 and .bytes_per_iter == 16
                and .peak_bytes == 16 and .net_growth_per_iter == 0 and .method == "interpose"
                and .peak_rss_bytes > 0'
    fi
done
F="$TACH_BUILD/tests/fixture_memory"

# The internal option, given by hand with a bad value: one line naming it, exit 2.
expect 2 "$F" --tach-mem-worker bogus
err_line "invalid value 'bogus' for --tach-mem-worker .*"

if [ $asan = 0 ]; then
    # --no-isolate: the pass in a process of its own all the same.
    expect 0 "$F" "${quick[@]}" --no-isolate --memory --filter 'alloc_free' --format json
    out_jq '.benchmarks[0].memory | .allocs_per_iter == 3 and .bytes_per_iter == 300 and .peak_bytes == 300'
    # tach run passes --memory on to the binary.
    expect 0 "$TACH" run --no-store --memory --max-time 0.2 --filter alloc_free \
        --export-json "$tmp/run.json" "$F"
    check "tach run --memory: the binary's counts" jqt '.benchmarks[0].memory
        | .allocs_per_iter == 3 and .bytes_per_iter == 300' "$tmp/run.json"

    # An allocator the user preloads wins over the counting one: one line why, timing kept.
    dbg=/lib/x86_64-linux-gnu/libc_malloc_debug.so.0
    if [ -e "$dbg" ]; then
        expect 0 env LD_PRELOAD="$dbg" "$F" "${quick[@]}" --memory --filter alloc_free --format json
        out_jq '.benchmarks[0] | .status == "ok" and .estimates.median.value > 0
                and (.memory.unavailable | test("^memory counting unavailable: malloc is not libtach.s counting allocator"))
                and (.memory | has("allocs_per_iter") | not) and .memory.peak_rss_bytes > 0'
        expect 0 env LD_PRELOAD="$dbg" "$F" "${quick[@]}" --memory --filter alloc_free
        out_has 'memory counting unavailable: malloc is not libtach'
    else
        echo "skip: $dbg absent (the preloaded-allocator case)"
    fi

    # A fully static executable: no dynamic loader to preload with.
    cat >"$tmp/st.c" <<'EOF'
#include <stdlib.h>
#include <tach.h>
TACH_BENCH(alloc) { while (tach_loop(st)) { void *p = malloc(10); TACH_KEEP(p); free(p); } }
EOF
    if cc -O2 -static -I"$TACH_SRC/include" "$tmp/st.c" "$TACH_BUILD/libtach_main.a" \
           "$TACH_BUILD/libtach.a" $(pkg-config --static --libs jansson zlib) \
           $(pkg-config --exists libdw && pkg-config --static --libs libdw) -lm \
           -o "$tmp/st" 2>"$tmp/st.log"; then
        expect 0 "$tmp/st" "${quick[@]}" --memory --format json
        out_jq '.benchmarks[0] | .status == "ok" and .estimates.median.value > 0
                and (.memory.unavailable | test("a static executable cannot load libtach.s counting allocator"))'
    else
        echo "skip: cannot link a static executable here ($(tail -1 "$tmp/st.log"))"
    fi

    # The preload went through a memfd: nothing left in TMPDIR.
    check "no temporary file of the preload left" bash -c "! ls -d '$tmp'/tach-memhook-* 2>/dev/null"

    # memfd_create refused (strace's fault injection, when strace is here): the preload
    # goes through a file in a temporary directory of TMPDIR, removed at the end.
    if command -v strace >/dev/null && strace -o /dev/null -e inject=memfd_create:error=EPERM true 2>/dev/null; then
        mkdir "$tmp/t2"
        expect 0 env TMPDIR="$tmp/t2" strace -f -o "$tmp/strace.log" -e trace=memfd_create,openat \
            -e inject=memfd_create:error=EPERM "$F" "${quick[@]}" --memory --filter alloc_free --format json
        out_jq '.benchmarks[0].memory | .allocs_per_iter == 3 and .bytes_per_iter == 300'
        check "memfd refused: the preload written to a file of TMPDIR" \
            grep -q "t2/tach-memhook-.*/libtach-memhook.so\", O_WRONLY" "$tmp/strace.log"
        check "memfd refused: the file removed at the end" bash -c "[ -z \"\$(ls -A '$tmp/t2')\" ]"
        # A TMPDIR longer than PATH_MAX / 4, or with a space or a colon (LD_PRELOAD's
        # separators), was passed over for /tmp, unsaid: a long one is used up to what a
        # path holds; one longer, or with such a character, leaves memory counting
        # unavailable saying why, naming TMPDIR, and nothing written in /tmp or in it
        long=$(dir_of_length 1100) && mkdir "$tmp/sp ace" "$tmp/co:lon" || fail "cannot make the TMPDIRs"
        expect 0 env TMPDIR="$long" strace -f -o "$tmp/strace.log" -e trace=memfd_create,openat \
            -e inject=memfd_create:error=EPERM "$F" "${quick[@]}" --memory --filter alloc_free --format json
        out_jq '.benchmarks[0].memory | .allocs_per_iter == 3 and .bytes_per_iter == 300'
        check "memfd refused, a TMPDIR of 1,100 bytes: the preload written in it" \
            grep -qF "$long/tach-memhook-" "$tmp/strace.log"
        check "memfd refused, a TMPDIR of 1,100 bytes: left empty" bash -c "[ -z \"\$(ls -A '$long')\" ]"
        huge=$(dir_of_length 4090)
        for d in "$huge" "$tmp/sp ace" "$tmp/co:lon"; do
            want="TMPDIR has a space or a colon, which LD_PRELOAD cannot name: '$d'"
            [ "$d" = "$huge" ] && want="TMPDIR is too long for a temporary directory in it (4090 bytes, at most"
            expect 0 env TMPDIR="$d" strace -f -o "$tmp/strace.log" -e trace=memfd_create,openat,mkdir \
                -e inject=memfd_create:error=EPERM "$F" "${quick[@]}" --memory --filter alloc_free --format json
            out_jq --arg w "memory counting unavailable: memfd_create refused, and $want" \
                '.benchmarks[0] | .status == "ok" and .memory.allocs_per_iter == null
                 and (.memory.unavailable | startswith($w))'
            check "memfd refused, TMPDIR '${d:0:40}...': no other folder taken" \
                bash -c "! grep -q 'tach-memhook-' '$tmp/strace.log' && [ -z \"\$(ls -A '$d')\" ]"
        done
    else
        echo "skip: no strace with fault injection (memfd_create refused: the file fallback)"
    fi
fi

finish
