/*
 * compress_lz4.c - lz4 compression and decompression at levels 1, 4 and 9, in MB/s
 * of uncompressed text.
 *
 *     ./example_compress --filter '^lz4/'
 *
 * Level 1 is LZ4's fast compressor (LZ4_compress_default); the levels above it use
 * LZ4 HC (LZ4_compress_HC, up to LZ4HC_CLEVEL_MAX = 12), slower and denser.  Both
 * produce the same format, read by the one LZ4_decompress_safe.
 */
#include "compress_input.h"

#include <lz4.h>
#include <lz4hc.h>

static int lz4_compress(const unsigned char *in, int n, unsigned char *out, int cap, int level)
{
    if (level <= 1)
        return LZ4_compress_default((const char *)in, (char *)out, n, cap);
    return LZ4_compress_HC((const char *)in, (char *)out, n, cap, level);
}

TACH_BENCH(compress, .group = "lz4", .args = { TACH_LIST("level", 1, 4, 9) })
{
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input_text(st);
    int cap = LZ4_compressBound(INPUT_SIZE);
    unsigned char *out = malloc((size_t)cap);
    if (in == NULL || out == NULL) {
        free(out);
        tach_fail(st, "out of memory");
        return;
    }
    int len = 0;
    while (tach_loop(st)) {
        len = lz4_compress(in, INPUT_SIZE, out, cap, level);
        if (len <= 0) {
            tach_fail(st, "LZ4 compression failed");
            break;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    if (len > 0)
        tach_counter(st, "ratio", (double)INPUT_SIZE / (double)len);
    free(out);
}

/* Compresses the input at level into z and checks the round trip (untimed, once
 * per process and level).  Returns 0 or -1. */
static int prepare(packed *z, tach_state *st, const unsigned char *in, int level,
                   unsigned char *out)
{
    if (packed_is(z, level, tach_seed(st)))
        return 0;
    int cap = LZ4_compressBound(INPUT_SIZE);
    unsigned char *c = malloc((size_t)cap);
    int len = c ? lz4_compress(in, INPUT_SIZE, c, cap, level) : 0;
    if (len <= 0 ||
        LZ4_decompress_safe((const char *)c, (char *)out, len, INPUT_SIZE) != (int)INPUT_SIZE ||
        memcmp(out, in, INPUT_SIZE) != 0) {
        free(c);
        return -1;
    }
    packed_set(z, c, (size_t)len, level, tach_seed(st));
    return 0;
}

/* A declared target: LZ4 is chosen for fast decompression, so anything under
 * 500 MB/s is a defect here.  `tach gate` and the reports check it. */
TACH_BENCH(decompress, .group = "lz4", .args = { TACH_LIST("level", 1, 4, 9) },
           .min_bytes_per_sec = 500e6)
{
    static packed z;
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input_text(st);
    unsigned char *out = malloc(INPUT_SIZE);
    if (in == NULL || out == NULL || prepare(&z, st, in, level, out) != 0) {
        free(out);
        tach_fail(st, "could not prepare the compressed input (or its round trip failed)");
        return;
    }
    while (tach_loop(st)) {
        int len = LZ4_decompress_safe((const char *)z.data, (char *)out, (int)z.len, INPUT_SIZE);
        if (len < 0) {
            tach_fail(st, "LZ4_decompress_safe failed");
            break;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    free(out);
}
