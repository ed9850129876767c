/* corpus.c - the compression suite's built-in corpus: deterministic text, structured
 * records, binary numbers, incompressible bytes, and a mix of the four. */
#include <stdio.h>
#include <string.h>

#include "corpus.h"
#include "tach_internal.h"

static const char *const corpus_names[] = {"text", "records", "binary", "incompressible", "mixed",
                                           NULL};

const char *const *tool_corpus_names(void)
{
    return corpus_names;
}

int tool_corpus_find(const char *name)
{
    for (int i = 0; corpus_names[i]; i++)
        if (!strcmp(corpus_names[i], name)) return i;
    return -1;
}

/* Lines of key=value records, as a log or a CSV export holds. */
static void fill_records(unsigned char *buf, size_t n, uint64_t seed)
{
    static const char *const cities[] = {"Lisbon", "Oslo", "Kyoto", "Lima", "Accra", "Perth",
                                         "Quito", "Turin"};
    static const char *const states[] = {"active", "pending", "closed", "failed"};
    tach__rng r;
    tach__rng_seed(&r, seed);
    size_t pos = 0;
    unsigned long id = 100000;
    char line[160];
    while (pos < n) {
        int len = snprintf(line, sizeof line,
                           "{\"id\":%lu,\"user\":\"user%05u\",\"city\":\"%s\",\"state\":\"%s\","
                           "\"amount\":%u.%02u,\"ts\":%lu}\n",
                           id, (unsigned)tach__rng_below(&r, 50000),
                           cities[tach__rng_below(&r, 8)], states[tach__rng_below(&r, 4)],
                           (unsigned)tach__rng_below(&r, 10000), (unsigned)tach__rng_below(&r, 100),
                           1700000000ul + id * 7 + (unsigned long)tach__rng_below(&r, 5));
        id += 1 + tach__rng_below(&r, 3);
        size_t take = (size_t)len < n - pos ? (size_t)len : n - pos;
        memcpy(buf + pos, line, take);
        pos += take;
    }
}

/* Little-endian 32-bit integers that drift slowly and floats of a smooth signal: the
 * kind of numbers a column store or a sensor log holds. */
static void fill_binary(unsigned char *buf, size_t n, uint64_t seed)
{
    tach__rng r;
    tach__rng_seed(&r, seed);
    uint32_t v = 1000;
    float f = 0.0f;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        v += (uint32_t)tach__rng_below(&r, 16);
        f += (float)(tach__rng_double(&r) - 0.5) * 0.01f;
        unsigned char w[8];
        for (int k = 0; k < 4; k++) w[k] = (unsigned char)(v >> (8 * k));
        memcpy(w + 4, &f, 4);
        memcpy(buf + i, w, 8);
    }
    for (size_t i = n - n % 8; i < n; i++) buf[i] = 0;
}

void tool_corpus_fill(int kind, unsigned char *buf, size_t n, uint64_t seed)
{
    switch (kind) {
    case 0: tach_fill_text(buf, n, seed); break;
    case 1: fill_records(buf, n, seed); break;
    case 2: fill_binary(buf, n, seed); break;
    case 3: tach_fill_random(buf, n, seed); break;
    default: {
        /* 64 KiB pieces of each in turn */
        const size_t piece = 64 * 1024;
        for (size_t pos = 0, k = 0; pos < n; pos += piece, k++) {
            size_t take = n - pos < piece ? n - pos : piece;
            tool_corpus_fill((int)(k % 4), buf + pos, take, seed + k);
        }
    }
    }
}
