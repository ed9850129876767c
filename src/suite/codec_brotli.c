/* codec_brotli.c - brotli (levels 0-11, window 22 as the brotli tool's default),
 * through its instance API so its allocations are counted. */
#include <stdio.h>

#include "codec.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_BROTLI
#include <brotli/decode.h>
#include <brotli/encode.h>

static void *b_alloc(void *opaque, size_t n)
{
    return tool_memcount_alloc(opaque, n);
}
static void b_free(void *opaque, void *p)
{
    tool_memcount_free(opaque, p);
}

static const char *b_version(void)
{
    static char v[32];
    uint32_t x = BrotliEncoderVersion();
    snprintf(v, sizeof v, "%u.%u.%u", x >> 24, (x >> 12) & 0xfff, x & 0xfff);
    return v;
}

static size_t b_bound(size_t n, int level)
{
    (void)level;
    return BrotliEncoderMaxCompressedSize(n);
}

static int b_compress(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                      double *mem, char *err)
{
    tool_memcount mc = {0};
    BrotliEncoderState *s = BrotliEncoderCreateInstance(b_alloc, b_free, &mc);
    if (!s) return tach__err(err, "brotli: out of memory");
    BrotliEncoderSetParameter(s, BROTLI_PARAM_QUALITY, (uint32_t)level);
    BrotliEncoderSetParameter(s, BROTLI_PARAM_LGWIN, BROTLI_DEFAULT_WINDOW);
    BrotliEncoderSetParameter(s, BROTLI_PARAM_SIZE_HINT, n > UINT32_MAX ? 0 : (uint32_t)n);
    size_t in_left = n, out_left = cap;
    const uint8_t *in = src;
    uint8_t *o = dst;
    BROTLI_BOOL ok = BrotliEncoderCompressStream(s, BROTLI_OPERATION_FINISH, &in_left, &in,
                                                 &out_left, &o, NULL);
    bool done = ok && BrotliEncoderIsFinished(s);
    BrotliEncoderDestroyInstance(s);
    *mem = (double)mc.peak;
    if (!done) return tach__err(err, "brotli: compression failed");
    *out = cap - out_left;
    return 0;
}

static int b_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                        double *mem, char *err)
{
    tool_memcount mc = {0};
    BrotliDecoderState *s = BrotliDecoderCreateInstance(b_alloc, b_free, &mc);
    if (!s) return tach__err(err, "brotli: out of memory");
    size_t in_left = n, out_left = cap;
    const uint8_t *in = src;
    uint8_t *o = dst;
    BrotliDecoderResult r = BrotliDecoderDecompressStream(s, &in_left, &in, &out_left, &o, NULL);
    BrotliDecoderDestroyInstance(s);
    *mem = (double)mc.peak;
    if (r != BROTLI_DECODER_RESULT_SUCCESS) return tach__err(err, "brotli: malformed input");
    *out = cap - out_left;
    return 0;
}

const tool_codec tool_codec_brotli = {"brotli", "libbrotli", 0, 11, 11, 0, false, b_version, b_bound,
                                      b_compress, b_decompress};
#endif
