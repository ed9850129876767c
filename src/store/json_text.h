/*
 * json_text.h - fast compact JSON text of a jansson value (the store's document writer).
 */
#ifndef TACH_STORE_JSON_TEXT_H
#define TACH_STORE_JSON_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The same bytes as json_dumps(j, JSON_COMPACT), faster for documents full of doubles.
 * malloc'd (free with free()), NUL-terminated; *len (may be NULL) gets its length.  NULL
 * on allocation failure or nesting deeper than 2048. */
char *tool_store_json_text(const json_t *j, size_t *len);

/* printf("%.17g", v) into buf (the fast path above; exposed for its tests).  Returns
 * the length of the full text. */
int tool_store_json_fmt_real(double v, char *buf, size_t size);

#endif /* TACH_STORE_JSON_TEXT_H */
