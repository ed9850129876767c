/* codec_lz4.c - lz4 (levels 1-12 are its acceleration: 1 the default, higher faster)
 * and lz4hc (levels 1-12), memory from LZ4_sizeofState / LZ4_sizeofStateHC. */
#include <limits.h>
#include <stdlib.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_LZ4
#include <lz4.h>
#include <lz4hc.h>

static const char *l_version(void)
{
    return LZ4_versionString();
}

static size_t l_bound(size_t n, int level)
{
    (void)level;
    return n > (size_t)LZ4_MAX_INPUT_SIZE ? 0 : (size_t)LZ4_compressBound((int)n);
}

static int l_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                      double *mem, char *err)
{
    if (n > (size_t)LZ4_MAX_INPUT_SIZE || cap > INT_MAX) return tach__err(err, "lz4: block too large");
    void *state = malloc((size_t)LZ4_sizeofState());
    if (!state) return tach__err(err, "lz4: out of memory");
    int r = LZ4_compress_fast_extState(state, src, dst, (int)n, (int)cap, level);
    free(state);
    *mem = LZ4_sizeofState();
    if (r <= 0) return tach__err(err, "lz4: compression failed");
    *out = (size_t)r;
    return 0;
}

static int l_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                        double *mem, char *err)
{
    if (n > INT_MAX || cap > INT_MAX) return tach__err(err, "lz4: block too large");
    int r = LZ4_decompress_safe(src, dst, (int)n, (int)cap);
    *mem = 0; /* LZ4_decompress_safe keeps no state */
    if (r < 0) return tach__err(err, "lz4: malformed input (%d)", r);
    *out = (size_t)r;
    return 0;
}

static int hc_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                       double *mem, char *err)
{
    if (n > (size_t)LZ4_MAX_INPUT_SIZE || cap > INT_MAX) return tach__err(err, "lz4hc: block too large");
    void *state = malloc((size_t)LZ4_sizeofStateHC());
    if (!state) return tach__err(err, "lz4hc: out of memory");
    int r = LZ4_compress_HC_extStateHC(state, src, dst, (int)n, (int)cap, level);
    free(state);
    *mem = LZ4_sizeofStateHC();
    if (r <= 0) return tach__err(err, "lz4hc: compression failed");
    *out = (size_t)r;
    return 0;
}

const tool_codec tool_codec_lz4 = {"lz4", "liblz4", 1, 12, 1, 0, false, l_version, l_bound,
                                   l_compress, l_decompress};
const tool_codec tool_codec_lz4hc = {"lz4hc", "liblz4", 1, 12, 9, 0, false, l_version, l_bound,
                                     hc_compress, l_decompress};
#endif
