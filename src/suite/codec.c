/* codec.c - the compression suite's codec registry. */
#include <string.h>

#include "codec.h"
#include "tach_internal.h"

static const tool_codec *const codecs[] = {
#ifdef TACH_HAVE_ZLIB
    &tool_codec_zlib,
#endif
#ifdef TACH_HAVE_LIBDEFLATE
    &tool_codec_libdeflate,
#endif
#ifdef TACH_HAVE_ZSTD
    &tool_codec_zstd,
#endif
#ifdef TACH_HAVE_LZ4
    &tool_codec_lz4, &tool_codec_lz4hc,
#endif
#ifdef TACH_HAVE_BROTLI
    &tool_codec_brotli,
#endif
#ifdef TACH_HAVE_SNAPPY
    &tool_codec_snappy,
#endif
#ifdef TACH_HAVE_LZMA
    &tool_codec_xz,
#endif
#ifdef TACH_HAVE_BZIP2
    &tool_codec_bzip2,
#endif
    &tool_codec_corrupt,
};

static const char *const missing[] = {
#ifndef TACH_HAVE_ZLIB
    "zlib: zlib absent at build time",
#endif
#ifndef TACH_HAVE_LIBDEFLATE
    "libdeflate: libdeflate absent at build time",
#endif
#ifndef TACH_HAVE_ZSTD
    "zstd: libzstd absent at build time",
#endif
#ifndef TACH_HAVE_LZ4
    "lz4, lz4hc: liblz4 absent at build time",
#endif
#ifndef TACH_HAVE_BROTLI
    "brotli: libbrotlienc/libbrotlidec absent at build time",
#endif
#ifndef TACH_HAVE_SNAPPY
    "snappy: snappy absent at build time",
#endif
#ifndef TACH_HAVE_LZMA
    "xz: liblzma absent at build time",
#endif
#ifndef TACH_HAVE_BZIP2
    "bzip2: libbz2 absent at build time",
#endif
    NULL,
};

const tool_codec *tool_codec_at(size_t i)
{
    return i < sizeof codecs / sizeof *codecs ? codecs[i] : NULL;
}

const tool_codec *tool_codec_find(const char *name)
{
    for (size_t i = 0; i < sizeof codecs / sizeof *codecs; i++)
        if (!strcmp(codecs[i]->name, name)) return codecs[i];
    return NULL;
}

const char *tool_codec_missing(size_t i)
{
    return i < sizeof missing / sizeof *missing ? missing[i] : NULL;
}
