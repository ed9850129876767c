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
TACH_BENCH(compress, .group = "zlib", .args = { TACH_LIST("level", 1, 6, 9) },
           .setup = input_setup, .teardown = input_teardown)
{
    int level = (int)tach_arg(st, 0);
    const unsigned char *in = input;
    uLong cap = compressBound(INPUT_SIZE);
    unsigned char *out = malloc(cap);
    if (out == NULL) {
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

/* .setup: the input, and packed: it compressed at the benchmark's level, its round
 * trip checked (untimed, once per worker).  Fails the benchmark otherwise. */
static void decompress_setup(tach_state *st)
{
    int level = (int)tach_arg(st, 0);
    input_setup(st);
    if (input == NULL)
        return;
    uLongf len = compressBound(INPUT_SIZE), back = INPUT_SIZE;
    unsigned char *c = malloc(len), *out = malloc(INPUT_SIZE);
    if (c == NULL || out == NULL || compress2(c, &len, input, INPUT_SIZE, level) != Z_OK ||
        uncompress(out, &back, c, len) != Z_OK || back != INPUT_SIZE ||
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

TACH_BENCH(decompress, .group = "zlib", .args = { TACH_LIST("level", 1, 6, 9) },
           .setup = decompress_setup, .teardown = packed_teardown)
{
    unsigned char *out = malloc(INPUT_SIZE);
    if (out == NULL) {
        tach_fail(st, "out of memory");
        return;
    }
    while (tach_loop(st)) {
        uLongf len = INPUT_SIZE;
        if (uncompress(out, &len, packed.data, packed.len) != Z_OK) {
            tach_fail(st, "uncompress failed");
            break;
        }
        TACH_KEEP(len);
    }
    tach_set_bytes(st, INPUT_SIZE);
    free(out);
}
