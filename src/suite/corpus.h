/* corpus.h - the compression suite's deterministic built-in corpus (tool_ prefix). */
#ifndef TOOL_CORPUS_H
#define TOOL_CORPUS_H

#include <stddef.h>
#include <stdint.h>

/* The kinds, NULL-terminated: text, records, binary, incompressible, mixed. */
const char *const *tool_corpus_names(void);
/* The index of a kind, or -1. */
int tool_corpus_find(const char *name);
/* Fills buf[0..n) with kind's bytes: the same bytes for the same kind, n and seed. */
void tool_corpus_fill(int kind, unsigned char *buf, size_t n, uint64_t seed);

#endif /* TOOL_CORPUS_H */
