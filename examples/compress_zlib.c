/*
 * compress_zlib.c - zlib compression and decompression at levels 1, 6 (the
 * default) and 9, in MB/s of uncompressed text.
 *
 *     ./example_compress --filter '^zlib/'
 *
 * Each iteration (de)compresses INPUT_SIZE bytes and tach_set_bytes declares that
 * size, so the table shows the rate of *uncompressed* data, the number codecs are
 * compared by.  The "ratio" counter is input size / compressed size.
 */
#include "compress_input.h"

#include <zlib.h>

/* compress2() is zlib's one-shot API (deflateInit + deflate + deflateEnd). */
TACH_BENCH(compress, .group = "zlib", .args = { TACH_LIST("level", 1, 6, 9) })
{
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input_text(st);
    uLong cap = compressBound(INPUT_SIZE);
    unsigned char *out = malloc(cap);
    if (in == NULL || out == NULL) {
        free(out);
        tach_fail(st, "out of memory");
        return;
    }
    uLongf len = 0;
    while (tach_loop(st)) {
        len = cap;
        if (compress2(out, &len, in, INPUT_SIZE, level) != Z_OK) {
            tach_fail(st, "compress2 failed");
            break;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    if (len > 0)
        tach_counter(st, "ratio", (double)INPUT_SIZE / (double)len);
    free(out);
}

/* Compresses the input at level into z, and checks that it decompresses back
 * (untimed, once per process and level).  Returns 0 or -1. */
static int prepare(packed *z, tach_state *st, const unsigned char *in, int level,
                   unsigned char *out)
{
    if (packed_is(z, level, tach_seed(st)))
        return 0;
    uLongf len = compressBound(INPUT_SIZE), back = INPUT_SIZE;
    unsigned char *c = malloc(len);
    if (c == NULL || compress2(c, &len, in, INPUT_SIZE, level) != Z_OK ||
        uncompress(out, &back, c, len) != Z_OK || back != INPUT_SIZE ||
        memcmp(out, in, INPUT_SIZE) != 0) {
        free(c);
        return -1;
    }
    packed_set(z, c, len, level, tach_seed(st));
    return 0;
}

TACH_BENCH(decompress, .group = "zlib", .args = { TACH_LIST("level", 1, 6, 9) })
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
        uLongf len = INPUT_SIZE;
        if (uncompress(out, &len, z.data, z.len) != Z_OK) {
            tach_fail(st, "uncompress failed");
            break;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    free(out);
}
