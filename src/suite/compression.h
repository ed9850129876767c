/* compression.h - the compression suite (tool_ prefix): every level of each codec on
 * the user's data or the built-in corpus, in blocks. */
#ifndef TOOL_COMPRESSION_H
#define TOOL_COMPRESSION_H

#include "suite.h"

typedef struct tool_comp_opts {
    const unsigned char *data; /* the input, read once into memory */
    size_t len;
    const char *source;        /* "corpus:mixed" or the file's name, for the context */
    uint64_t block;            /* bytes per independently compressed block; 0: the whole input */
    char **codecs; size_t ncodecs; /* NULL: every codec built in (not the hidden ones) */
    int *levels; size_t nlevels;   /* NULL: every level (quick: the lowest, default, highest) */
    bool ultra;                /* zstd 20-22 too */
    bool quick;                /* a smoke run: three levels per codec unless levels given */
    tool_suite_budget budget;
    uint64_t seed;
} tool_comp_opts;

/* Checks o->codecs and o->levels against the codecs built in: 0, or -1 with err naming
 * the unknown codec (a hidden one is known only under its test hook). */
int tool_compression_check(const tool_comp_opts *o, char *err);

/* Checks o->levels and o->ultra against the codecs chosen (o->codecs, or every codec
 * built in): 0, or -1 with err naming a level no chosen codec has (with the codecs'
 * ranges), or --ultra where no chosen codec has ultra levels.  A level some chosen codec
 * has is kept (the codecs lacking it skip it); with --ultra, a --levels without a level in
 * an ultra range (zstd's 20-22) is refused too, as --ultra would change nothing.  After
 * tool_compression_check. */
int tool_compression_check_levels(const tool_comp_opts *o, char *err);
/* -1 with err saying level (a level as written, "1001") is not a level of any codec
 * chosen, with their ranges, as tool_compression_check_levels says one. */
int tool_compression_no_level(const tool_comp_opts *o, const char *level, char *err);

/* The bytes a run compresses in one call: o->block when it is smaller than the input,
 * else the whole input (a --block larger than the input is one block of it). */
size_t tool_compression_block(const tool_comp_opts *o);

/* Whether codec c compresses blocks of `block` bytes in one call.  When it does not (lz4
 * over LZ4_MAX_INPUT_SIZE, about 1.97 GiB: its bound is 0), a note in doc says it is
 * skipped, and false: the run leaves it out rather than failing its rows "block too
 * large". */
struct tool_codec;
bool tool_compression_takes_block(const struct tool_codec *c, size_t block, tach__doc *doc);

/* Runs the suite into doc: per codec and level, results CODEC/LEVEL/compress and
 * .../decompress ("compression/zstd/3/compress") with counters ratio, compressed_bytes,
 * mem_bytes (working memory, when known), level; the round trip verified (a mismatch
 * fails both rows with the byte that differs).  Notes for absent codecs; the
 * recommendation in the context's suite.recommendation.  Returns the number of failed
 * rows, or -1 (err) when memory ran out. */
int tool_compression_run(const tool_comp_opts *o, tach__doc *doc, char *err);

#endif /* TOOL_COMPRESSION_H */
