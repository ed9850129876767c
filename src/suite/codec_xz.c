/* codec_xz.c - xz (liblzma presets 0-9, CRC64 as the xz tool), with liblzma's
 * allocator counted. */
#include <stdint.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_LZMA
#include <lzma.h>

static void *x_alloc(void *opaque, size_t nmemb, size_t size)
{
    return tool_memcount_alloc(opaque, nmemb * size);
}
static void x_free(void *opaque, void *p)
{
    tool_memcount_free(opaque, p);
}

static const char *x_version(void)
{
    return lzma_version_string();
}

static size_t x_bound(size_t n, int level)
{
    (void)level;
    return lzma_stream_buffer_bound(n);
}

static int x_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                      double *mem, char *err)
{
    tool_memcount mc = {0};
    lzma_allocator a = {x_alloc, x_free, &mc};
    size_t pos = 0;
    lzma_ret r = lzma_easy_buffer_encode((uint32_t)level, LZMA_CHECK_CRC64, &a, src, n, dst, &pos, cap);
    *mem = (double)mc.peak;
    if (r != LZMA_OK) return tach__err(err, "xz: compression failed (%d)", (int)r);
    *out = pos;
    return 0;
}

static int x_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                        double *mem, char *err)
{
    tool_memcount mc = {0};
    lzma_allocator a = {x_alloc, x_free, &mc};
    uint64_t limit = UINT64_MAX;
    size_t ipos = 0, opos = 0;
    lzma_ret r = lzma_stream_buffer_decode(&limit, 0, &a, src, &ipos, n, dst, &opos, cap);
    *mem = (double)mc.peak;
    if (r != LZMA_OK) return tach__err(err, "xz: malformed input (%d)", (int)r);
    *out = opos;
    return 0;
}

const tool_codec tool_codec_xz = {"xz", "liblzma", 0, 9, 6, 0, false, x_version, x_bound,
                                  x_compress, x_decompress};
#endif
