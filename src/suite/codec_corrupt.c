/* codec_corrupt.c - the test codec "corrupt" (hidden: usable only with
 * TACH_SUITE_TEST=corrupt-codec): a stored copy whose decompression flips the middle
 * byte, so the tests see the round-trip check fail that row loudly. */
#include <string.h>

#include "codec.h"
#include "tach_internal.h"

static size_t c_bound(size_t n, int level)
{
    (void)level;
    return n;
}

static int c_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                      double *mem, char *err)
{
    (void)level;
    if (cap < n) return tach__err(err, "corrupt: the output did not fit");
    memcpy(dst, src, n);
    *out = n;
    *mem = 0;
    return 0;
}

static int c_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                        double *mem, char *err)
{
    if (cap < n) return tach__err(err, "corrupt: the output did not fit");
    memcpy(dst, src, n);
    if (n) ((unsigned char *)dst)[n / 2] ^= 0x5a;
    *out = n;
    *mem = 0;
    return 0;
}

const tool_codec tool_codec_corrupt = {"corrupt", "(test)", 1, 1, 1, 0, true, NULL, c_bound,
                                       c_compress, c_decompress};
