/* memcount.c - the counting allocator the codecs hand their libraries (codec.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

void *tool_memcount_alloc(tool_memcount *mc, size_t n)
{
    if (n > SIZE_MAX - 16) return NULL;
    unsigned char *p = malloc(n + 16);
    if (!p) return NULL;
    memcpy(p, &n, sizeof n);
    mc->live += n;
    if (mc->live > mc->peak) mc->peak = mc->live;
    return p + 16;
}

void tool_memcount_free(tool_memcount *mc, void *p)
{
    if (!p) return;
    unsigned char *b = (unsigned char *)p - 16;
    size_t n;
    memcpy(&n, b, sizeof n);
    mc->live -= n;
    free(b);
}
