/*
 * compress_zstd.c - zstd compression and decompression at levels 1, 3 (the
 * default) and 9, in MB/s of uncompressed text.
 *
 *     ./example_compress --filter '^zstd/'
 *
 * One compression context (ZSTD_CCtx) and one decompression context are reused for
 * every call, as zstd is meant to be used in a loop: ZSTD_compress() would allocate
 * a fresh context each time and the benchmark would measure malloc.
 */
#include "compress_input.h"

#include <zstd.h>

TACH_BENCH(compress, .group = "zstd", .args = { TACH_LIST("level", 1, 3, 9) })
{
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input_text(st);
    size_t cap = ZSTD_compressBound(INPUT_SIZE);
    unsigned char *out = malloc(cap);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    size_t len = 0;
    if (in == NULL || out == NULL || cctx == NULL) {
        tach_fail(st, "out of memory");
        goto done;
    }
    while (tach_loop(st)) {
        len = ZSTD_compressCCtx(cctx, out, cap, in, INPUT_SIZE, level);
        if (ZSTD_isError(len)) {
            tach_fail(st, ZSTD_getErrorName(len));
            goto done;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    if (len > 0)
        tach_counter(st, "ratio", (double)INPUT_SIZE / (double)len);
done:
    ZSTD_freeCCtx(cctx);
    free(out);
}

/* Compresses the input at level into z and checks the round trip (untimed, once
 * per process and level).  Returns 0 or -1. */
static int prepare(packed *z, tach_state *st, const unsigned char *in, int level,
                   ZSTD_DCtx *dctx, unsigned char *out)
{
    if (packed_is(z, level, tach_seed(st)))
        return 0;
    size_t cap = ZSTD_compressBound(INPUT_SIZE);
    unsigned char *c = malloc(cap);
    size_t len = c ? ZSTD_compress(c, cap, in, INPUT_SIZE, level) : 0;
    if (c == NULL || ZSTD_isError(len) ||
        ZSTD_decompressDCtx(dctx, out, INPUT_SIZE, c, len) != INPUT_SIZE ||
        memcmp(out, in, INPUT_SIZE) != 0) {
        free(c);
        return -1;
    }
    packed_set(z, c, len, level, tach_seed(st));
    return 0;
}

TACH_BENCH(decompress, .group = "zstd", .args = { TACH_LIST("level", 1, 3, 9) })
{
    static packed z;
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input_text(st);
    unsigned char *out = malloc(INPUT_SIZE);
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    if (in == NULL || out == NULL || dctx == NULL || prepare(&z, st, in, level, dctx, out) != 0) {
        tach_fail(st, "could not prepare the compressed input (or its round trip failed)");
        goto done;
    }
    while (tach_loop(st)) {
        size_t len = ZSTD_decompressDCtx(dctx, out, INPUT_SIZE, z.data, z.len);
        if (ZSTD_isError(len)) {
            tach_fail(st, ZSTD_getErrorName(len));
            goto done;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
done:
    ZSTD_freeDCtx(dctx);
    free(out);
}
