/*
 * codec.h - the compression suite's codecs (tool_ prefix): one table row per codec,
 * one file per library (codec_zlib.c, codec_zstd.c, ...), each built only when
 * pkg-config found its library (TACH_HAVE_<LIB>), listed in codec.c.
 *
 * Memory: a codec reports the working memory it allocated for one call (its state,
 * not the caller's input and output buffers) through a counting allocator where the
 * library takes one (zlib, bzip2, xz, brotli, libdeflate), or the size its library
 * states for its context (zstd's ZSTD_sizeof_CCtx, lz4's LZ4_sizeofState); NaN when
 * the library says neither (snappy).
 */
#ifndef TOOL_CODEC_H
#define TOOL_CODEC_H

#include <stdbool.h>
#include <stddef.h>

/* A counting allocator: the bytes live now and the most live at once. */
typedef struct tool_memcount {
    size_t live, peak;
} tool_memcount;
/* malloc / free that count into mc (each block carries its size in a header). */
void *tool_memcount_alloc(tool_memcount *mc, size_t n);
void tool_memcount_free(tool_memcount *mc, void *p);

typedef struct tool_codec {
    const char *name;        /* "zstd" */
    const char *library;     /* "libzstd" */
    int min_level, max_level, default_level;
    int ultra_from;          /* levels from here up need --ultra (0: none) */
    bool hidden;             /* a test codec, only listed when asked for by name */
    /* the library's version text (NULL: unknown) */
    const char *(*version)(void);
    /* an upper bound on compress's output for n bytes */
    size_t (*bound)(size_t n, int level);
    /* compresses src[0..n) into dst (cap bytes) at level: *out its size.  *mem the
     * working memory in bytes (NaN unknown).  0, or -1 with a message in err. */
    int (*compress)(const void *src, size_t n, void *dst, size_t cap, size_t *out, int level,
                    double *mem, char *err);
    /* decompresses src[0..n) into dst (cap = the original size): *out its size. */
    int (*decompress)(const void *src, size_t n, void *dst, size_t cap, size_t *out,
                      double *mem, char *err);
} tool_codec;

/* The codecs built in (absent libraries are not listed; see tool_codec_missing). */
const tool_codec *tool_codec_at(size_t i);
const tool_codec *tool_codec_find(const char *name);
/* The i-th codec this build lacks and why ("bzip2: libbz2 absent at build time"), or
 * NULL after the last. */
const char *tool_codec_missing(size_t i);

extern const tool_codec tool_codec_zlib, tool_codec_zstd, tool_codec_lz4, tool_codec_lz4hc,
    tool_codec_brotli, tool_codec_snappy, tool_codec_xz, tool_codec_libdeflate, tool_codec_bzip2,
    tool_codec_corrupt;

#endif /* TOOL_CODEC_H */
