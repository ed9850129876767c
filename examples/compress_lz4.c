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

TACH_BENCH(compress, .group = "lz4", .args = { TACH_LIST("level", 1, 4, 9) },
           .setup = input_setup, .teardown = input_teardown)
{
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input;
    int cap = LZ4_compressBound(INPUT_SIZE);
    unsigned char *out = malloc((size_t)cap);
    if (out == NULL) {
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

/* .setup: the input, and packed: it compressed at the benchmark's level, its round
 * trip checked (untimed, once per worker).  Fails the benchmark otherwise. */
static void decompress_setup(tach_state *st)
{
    int level = (int)tach_arg(st, 0);
    input_setup(st);
    if (input == NULL)
        return;
    int cap = LZ4_compressBound(INPUT_SIZE);
    unsigned char *c = malloc((size_t)cap), *out = malloc(INPUT_SIZE);
    int len = c ? lz4_compress(input, INPUT_SIZE, c, cap, level) : 0;
    if (len <= 0 || out == NULL ||
        LZ4_decompress_safe((const char *)c, (char *)out, len, INPUT_SIZE) != (int)INPUT_SIZE ||
        memcmp(out, input, INPUT_SIZE) != 0) {
        free(c);
        free(out);
        tach_fail(st, "could not prepare the compressed input (or its round trip failed)");
        return;
    }
    free(out);
    packed.data = c;
    packed.len = (size_t)len;
}

/* A declared target: LZ4 is chosen for fast decompression, so anything under
 * 500 MB/s is a defect here.  `tach gate` and the reports check it. */
TACH_BENCH(decompress, .group = "lz4", .args = { TACH_LIST("level", 1, 4, 9) },
           .min_bytes_per_sec = 500e6, .setup = decompress_setup, .teardown = packed_teardown)
{
    unsigned char *out = malloc(INPUT_SIZE);
    if (out == NULL) {
        tach_fail(st, "out of memory");
        return;
    }
    while (tach_loop(st)) {
        int len = LZ4_decompress_safe((const char *)packed.data, (char *)out, (int)packed.len,
                                      INPUT_SIZE);
        if (len < 0) {
            tach_fail(st, "LZ4_decompress_safe failed");
            break;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    free(out);
}
