/* util.c - error messages, allocation wrappers, version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tach_internal.h"

const char *tach_version(void)
{
    return TACH_VERSION_STRING;
}

int tach__err(char *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, TACH__ERR_MAX, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void *tach__malloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *tach__calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

void *tach__realloc(void *p, size_t n)
{
    return realloc(p, n ? n : 1);
}

char *tach__strdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = tach__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

void tach__free(void *p)
{
    free(p);
}
