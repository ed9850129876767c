/* codec_zlib.c - zlib (levels 1-9, zlib format) and libdeflate (levels 1-12, the
 * same zlib format), each with a counting allocator. */
#include <math.h>
#include <string.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_ZLIB
#include <zlib.h>

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    return tool_memcount_alloc(opaque, (size_t)items * size);
}
static void z_free(voidpf opaque, voidpf p)
{
    tool_memcount_free(opaque, p);
}

static const char *z_version(void)
{
    return zlibVersion();
}

static size_t z_bound(size_t n, int level)
{
    (void)level;
    return compressBound((uLong)n);
}

static int z_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                      double *mem, char *err)
{
    tool_memcount mc = {0};
    z_stream s;
    memset(&s, 0, sizeof s);
    s.zalloc = z_alloc, s.zfree = z_free, s.opaque = &mc;
    if (deflateInit(&s, level) != Z_OK) return tach__err(err, "zlib: deflateInit failed");
    s.next_in = (Bytef *)(uintptr_t)src, s.avail_in = (uInt)n;
    s.next_out = dst, s.avail_out = (uInt)cap;
    int rc = deflate(&s, Z_FINISH);
    *out = s.total_out;
    deflateEnd(&s);
    *mem = (double)mc.peak;
    return rc == Z_STREAM_END ? 0 : tach__err(err, "zlib: deflate returned %d", rc);
}

static int z_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                        double *mem, char *err)
{
    tool_memcount mc = {0};
    z_stream s;
    memset(&s, 0, sizeof s);
    s.zalloc = z_alloc, s.zfree = z_free, s.opaque = &mc;
    if (inflateInit(&s) != Z_OK) return tach__err(err, "zlib: inflateInit failed");
    s.next_in = (Bytef *)(uintptr_t)src, s.avail_in = (uInt)n;
    s.next_out = dst, s.avail_out = (uInt)cap;
    int rc = inflate(&s, Z_FINISH);
    *out = s.total_out;
    inflateEnd(&s);
    *mem = (double)mc.peak;
    return rc == Z_STREAM_END ? 0 : tach__err(err, "zlib: inflate returned %d (%s)", rc, s.msg ? s.msg : "");
}

const tool_codec tool_codec_zlib = {"zlib", "zlib", 1, 9, 6, 0, false, z_version, z_bound,
                                    z_compress, z_decompress};
#endif

#ifdef TACH_HAVE_LIBDEFLATE
#include <libdeflate.h>

/* libdeflate's allocator is process-wide and takes no context: the suite measures one
 * call at a time, so one counter serves. */
static tool_memcount ld_mc;
static void *ld_alloc(size_t n)
{
    return tool_memcount_alloc(&ld_mc, n);
}
static void ld_free(void *p)
{
    tool_memcount_free(&ld_mc, p);
}

static const char *ld_version(void)
{
    return LIBDEFLATE_VERSION_STRING;
}

static size_t ld_bound(size_t n, int level)
{
    (void)level;
    return libdeflate_zlib_compress_bound(NULL, n);
}

static int ld_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                       double *mem, char *err)
{
    libdeflate_set_memory_allocator(ld_alloc, ld_free);
    ld_mc.live = ld_mc.peak = 0;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c) return tach__err(err, "libdeflate: no compressor for level %d", level);
    *out = libdeflate_zlib_compress(c, src, n, dst, cap);
    libdeflate_free_compressor(c);
    *mem = (double)ld_mc.peak;
    return *out ? 0 : tach__err(err, "libdeflate: the output did not fit");
}

static int ld_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                         double *mem, char *err)
{
    libdeflate_set_memory_allocator(ld_alloc, ld_free);
    ld_mc.live = ld_mc.peak = 0;
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d) return tach__err(err, "libdeflate: out of memory");
    enum libdeflate_result rc = libdeflate_zlib_decompress(d, src, n, dst, cap, out);
    libdeflate_free_decompressor(d);
    *mem = (double)ld_mc.peak;
    return rc == LIBDEFLATE_SUCCESS ? 0 : tach__err(err, "libdeflate: decompression failed (%d)", (int)rc);
}

const tool_codec tool_codec_libdeflate = {"libdeflate", "libdeflate", 1, 12, 6, 0, false,
                                          ld_version, ld_bound, ld_compress, ld_decompress};
#endif
