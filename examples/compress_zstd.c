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

TACH_BENCH(compress, .group = "zstd", .args = { TACH_LIST("level", 1, 3, 9) },
           .setup = input_setup, .teardown = input_teardown)
{
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input;
    size_t cap = ZSTD_compressBound(INPUT_SIZE);
    unsigned char *out = malloc(cap);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    size_t len = 0;
    if (out == NULL || cctx == NULL) {
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

/* .setup: the input, and packed: it compressed at the benchmark's level, its round
 * trip checked (untimed, once per worker).  Fails the benchmark otherwise. */
static void decompress_setup(tach_state *st)
{
    int level = (int)tach_arg(st, 0);
    input_setup(st);
    if (input == NULL)
        return;
    size_t cap = ZSTD_compressBound(INPUT_SIZE);
    unsigned char *c = malloc(cap), *out = malloc(INPUT_SIZE);
    size_t len = c ? ZSTD_compress(c, cap, input, INPUT_SIZE, level) : 0;
    if (c == NULL || out == NULL || ZSTD_isError(len) ||
        ZSTD_decompress(out, INPUT_SIZE, c, len) != INPUT_SIZE ||
        memcmp(out, input, INPUT_SIZE) != 0) {
        free(c);
        free(out);
        tach_fail(st, "could not prepare the compressed input (or its round trip failed)");
        return;
    }
    free(out);
    packed.data = c;
    packed.len = len;
}

TACH_BENCH(decompress, .group = "zstd", .args = { TACH_LIST("level", 1, 3, 9) },
           .setup = decompress_setup, .teardown = packed_teardown)
{
    unsigned char *out = malloc(INPUT_SIZE);
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    if (out == NULL || dctx == NULL) {
        tach_fail(st, "out of memory");
        goto done;
    }
    while (tach_loop(st)) {
        size_t len = ZSTD_decompressDCtx(dctx, out, INPUT_SIZE, packed.data, packed.len);
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
