/*
 * compress_input.h - the input shared by the compression examples
 * (compress_zlib.c, compress_zstd.c, compress_lz4.c, linked into example_compress).
 *
 * The runner calls a benchmark function once per sample, so anything costly that
 * does not belong in the timed loop (making the input, compressing it once for the
 * decompression benchmarks) is done by the benchmark's .setup, once per worker and
 * before any --threads threads start, and freed by its .teardown.
 */
#ifndef COMPRESS_INPUT_H
#define COMPRESS_INPUT_H

#include <tach.h>

#include <stdlib.h>
#include <string.h>

/* Every benchmark (de)compresses this many bytes of text per iteration. */
#define INPUT_SIZE (256u * 1024u)

/* The input the running benchmark reads: INPUT_SIZE bytes of word-like text made
 * from the run's seed (so --seed changes it).  input_setup, called by each
 * benchmark's .setup, makes it once per worker, before calibration and before any
 * --threads threads start; the body only reads it, so the threads of a thread sweep
 * share it safely.  input_teardown frees it. */
static unsigned char *input;

/* Makes input; fails the benchmark when out of memory (input stays NULL). */
static inline void input_setup(tach_state *st)
{
    input = malloc(INPUT_SIZE);
    if (input == NULL) {
        tach_fail(st, "out of memory");
        return;
    }
    tach_fill_text(input, INPUT_SIZE, tach_seed(st));
}

/* .teardown of a compression benchmark: frees input. */
static inline void input_teardown(tach_state *st)
{
    (void)st;
    free(input);
    input = NULL;
}

/* The input compressed at the benchmark's level, which a decompression benchmark
 * reads: made by its .setup after input_setup (and its round trip checked), read
 * only in the body, freed by packed_teardown. */
static struct {
    unsigned char *data;
    size_t len;
} packed;

/* .teardown of a decompression benchmark: frees packed and input. */
static inline void packed_teardown(tach_state *st)
{
    free(packed.data);
    packed.data = NULL;
    packed.len = 0;
    input_teardown(st);
}

#endif /* COMPRESS_INPUT_H */
