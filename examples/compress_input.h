/*
 * compress_input.h - the input shared by the compression examples
 * (compress_zlib.c, compress_zstd.c, compress_lz4.c, linked into example_compress).
 *
 * The runner calls a benchmark function once per sample, so anything costly that
 * does not belong in the timed loop (making the input, compressing it once for the
 * decompression benchmarks) is done once per process and cached in a static.
 */
#ifndef COMPRESS_INPUT_H
#define COMPRESS_INPUT_H

#include <tach.h>

#include <stdlib.h>
#include <string.h>

/* Every benchmark (de)compresses this many bytes of text per iteration. */
#define INPUT_SIZE (256u * 1024u)

/* The input: INPUT_SIZE bytes of word-like text made from the run's seed (so
 * --seed changes it), once per process.  NULL when out of memory. */
static inline const unsigned char *input_text(tach_state *st)
{
    static unsigned char *text;
    static uint64_t text_seed;
    uint64_t seed = tach_seed(st);
    if (text == NULL || text_seed != seed) {
        unsigned char *p = realloc(text, INPUT_SIZE);
        if (p == NULL)
            return NULL;
        tach_fill_text(p, INPUT_SIZE, seed);
        text = p;
        text_seed = seed;
    }
    return text;
}

/* A compressed copy of the input, kept for a decompression benchmark. */
typedef struct packed {
    unsigned char *data;
    size_t len;
    int64_t level;
    uint64_t seed;
} packed;

/* Whether p holds the input compressed at this level from this seed. */
static inline bool packed_is(const packed *p, int64_t level, uint64_t seed)
{
    return p->data != NULL && p->level == level && p->seed == seed;
}

/* Replaces p's contents (takes ownership of data). */
static inline void packed_set(packed *p, unsigned char *data, size_t len, int64_t level,
                              uint64_t seed)
{
    free(p->data);
    p->data = data;
    p->len = len;
    p->level = level;
    p->seed = seed;
}

#endif /* COMPRESS_INPUT_H */
