/* codec_bzip2.c - bzip2 (block sizes 1-9 x 100 kB), with libbz2's allocator counted. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_BZIP2
#include <bzlib.h>

static void *bz_alloc(void *opaque, int items, int size)
{
    return tool_memcount_alloc(opaque, (size_t)items * (size_t)size);
}
static void bz_free(void *opaque, void *p)
{
    tool_memcount_free(opaque, p);
}

static const char *bz_version(void)
{
    static char v[32]; /* "1.0.8, 13-Jul-2019": the number only */
    snprintf(v, sizeof v, "%s", BZ2_bzlibVersion());
    v[strcspn(v, ", ")] = '\0';
    return v;
}

static size_t bz_bound(size_t n, int level)
{
    (void)level;
    return n + n / 100 + 600; /* bzip2's documented bound: 1% + 600 bytes */
}

static int bz_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                       double *mem, char *err)
{
    if (n > UINT_MAX || cap > UINT_MAX) return tach__err(err, "bzip2: block too large");
    tool_memcount mc = {0};
    bz_stream s;
    memset(&s, 0, sizeof s);
    s.bzalloc = bz_alloc, s.bzfree = bz_free, s.opaque = &mc;
    if (BZ2_bzCompressInit(&s, level, 0, 0) != BZ_OK) return tach__err(err, "bzip2: init failed");
    s.next_in = (char *)(uintptr_t)src, s.avail_in = (unsigned)n;
    s.next_out = dst, s.avail_out = (unsigned)cap;
    int r;
    do r = BZ2_bzCompress(&s, BZ_FINISH);
    while (r == BZ_FINISH_OK);
    *out = (size_t)s.total_out_lo32 | ((size_t)s.total_out_hi32 << 16 << 16);
    BZ2_bzCompressEnd(&s);
    *mem = (double)mc.peak;
    return r == BZ_STREAM_END ? 0 : tach__err(err, "bzip2: compression failed (%d)", r);
}

static int bz_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                         double *mem, char *err)
{
    if (n > UINT_MAX || cap > UINT_MAX) return tach__err(err, "bzip2: block too large");
    tool_memcount mc = {0};
    bz_stream s;
    memset(&s, 0, sizeof s);
    s.bzalloc = bz_alloc, s.bzfree = bz_free, s.opaque = &mc;
    if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) return tach__err(err, "bzip2: init failed");
    s.next_in = (char *)(uintptr_t)src, s.avail_in = (unsigned)n;
    s.next_out = dst, s.avail_out = (unsigned)cap;
    int r = BZ2_bzDecompress(&s);
    *out = (size_t)s.total_out_lo32 | ((size_t)s.total_out_hi32 << 16 << 16);
    BZ2_bzDecompressEnd(&s);
    *mem = (double)mc.peak;
    return r == BZ_STREAM_END ? 0 : tach__err(err, "bzip2: malformed input (%d)", r);
}

const tool_codec tool_codec_bzip2 = {"bzip2", "libbz2", 1, 9, 9, 0, false, bz_version, bz_bound,
                                     bz_compress, bz_decompress};
#endif
