/* codec_snappy.c - snappy (one level), through its C interface; its working memory
 * is not observable from C, so it is reported unknown. */
#include <math.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_SNAPPY
#include <snappy-c.h>

static const char *s_version(void)
{
    return NULL;
}

static size_t s_bound(size_t n, int level)
{
    (void)level;
    return snappy_max_compressed_length(n);
}

static int s_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                      double *mem, char *err)
{
    (void)level;
    size_t len = cap;
    *mem = NAN;
    if (snappy_compress(src, n, dst, &len) != SNAPPY_OK) return tach__err(err, "snappy: compression failed");
    *out = len;
    return 0;
}

static int s_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                        double *mem, char *err)
{
    size_t len = cap;
    *mem = NAN;
    if (snappy_uncompress(src, n, dst, &len) != SNAPPY_OK) return tach__err(err, "snappy: malformed input");
    *out = len;
    return 0;
}

const tool_codec tool_codec_snappy = {"snappy", "snappy", 1, 1, 1, 0, false, s_version, s_bound,
                                      s_compress, s_decompress};
#endif
