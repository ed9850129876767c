/* codec_zstd.c - zstd (levels 1-19; 20-22 with --ultra), memory from
 * ZSTD_sizeof_CCtx / ZSTD_sizeof_DCtx after the call. */
#include <math.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_ZSTD
#include <zstd.h>

static const char *zs_version(void)
{
    return ZSTD_versionString();
}

static size_t zs_bound(size_t n, int level)
{
    (void)level;
    return ZSTD_compressBound(n);
}

static int zs_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                       double *mem, char *err)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    if (!c) return tach__err(err, "zstd: out of memory");
    size_t r = ZSTD_compressCCtx(c, dst, cap, src, n, level);
    *mem = (double)ZSTD_sizeof_CCtx(c);
    ZSTD_freeCCtx(c);
    if (ZSTD_isError(r)) return tach__err(err, "zstd: %s", ZSTD_getErrorName(r));
    *out = r;
    return 0;
}

static int zs_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                         double *mem, char *err)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (!d) return tach__err(err, "zstd: out of memory");
    size_t r = ZSTD_decompressDCtx(d, dst, cap, src, n);
    *mem = (double)ZSTD_sizeof_DCtx(d);
    ZSTD_freeDCtx(d);
    if (ZSTD_isError(r)) return tach__err(err, "zstd: %s", ZSTD_getErrorName(r));
    *out = r;
    return 0;
}

const tool_codec tool_codec_zstd = {"zstd", "libzstd", 1, 22, 3, 20, false, zs_version, zs_bound,
                                    zs_compress, zs_decompress};
#endif
