/*
 * json_util.c - the small JSON helpers every reader and writer of documents shares:
 * numbers that may be undefined, text that may not be UTF-8, and the path of a value
 * being read (so an error names its place).  Kept apart from doc_json.c so that the
 * document's parts in other files (doc_resources.c, the importers) use them without
 * depending on the whole document's reader.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tach_internal.h"

/* A number, or null when it is NaN or infinite (jansson refuses those anyway). */
json_t *tach__json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *tach__json_seed(uint64_t seed)
{
    if (seed <= (uint64_t)INT64_MAX) return json_integer((json_int_t)seed);
    char s[32];
    snprintf(s, sizeof s, "%" PRIu64, seed);
    return json_string(s);
}

/* Whether v is a whole number a double holds exactly (|v| <= 2^53): a count, bytes, a
 * histogram's value in ns, written as such rather than to 7 significant digits (an RSS
 * of 14,557,184 bytes read 14,557,180, a max of 10,076,159 ns 10,076,160). */
static bool whole(double v)
{
    return isfinite(v) && fabs(v) <= 9007199254740992.0 && v == floor(v);
}

json_t *tach__json_count(double v)
{
    return whole(v) ? json_integer((json_int_t)v) : tach__json_num(v);
}

int tach__jsonl_put_num(FILE *f, const char *key, double v)
{
    int n = whole(v)       ? fprintf(f, ",\"%s\":%.0f", key, v)
            : isfinite(v) ? fprintf(f, ",\"%s\":%.7g", key, v)
                          : fprintf(f, ",\"%s\":null", key);
    return n < 0 ? -1 : 0;
}

/* s with each byte that is not UTF-8 replaced by U+FFFD, followed by the byte's two
 * upper-case hex digits when hex; valid UTF-8 (a U+FFFD too) copied as it is. */
static char *utf8_repaired(const char *s, bool hex_digits)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    char *out = tach__malloc(5 * len + 1), *o = out; /* a byte: at most 5 */
    if (!out) return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = tach__utf8_len(u + i);
        if (n) {
            memcpy(o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            if (hex_digits) {
                *o++ = hex[u[i] >> 4];
                *o++ = hex[u[i] & 15];
            }
            i++;
        }
    }
    *o = '\0';
    return out;
}

/* s as valid UTF-8: a copy with each invalid byte replaced by U+FFFD, or NULL when
 * s is valid already (or on allocation failure, which json_string then reports). */
static char *utf8_fixed(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, len = strlen(s);
    while (i < len && tach__utf8_len(u + i)) i += tach__utf8_len(u + i);
    return i == len ? NULL : utf8_repaired(s, false);
}

json_t *tach__json_string_lossy(const char *s)
{
    char *fixed = utf8_fixed(s);
    json_t *j = json_string(fixed ? fixed : s);
    tach__free(fixed);
    return j;
}

int tach__json_set_lossy(json_t *o, const char *key, json_t *v)
{
    if (!v) return -1;
    char *fixed = utf8_fixed(key);
    int rc = json_object_set_new(o, fixed ? fixed : key, v);
    tach__free(fixed);
    return rc;
}

/* The results document's names (tach__json_string_bytes): a byte that is not UTF-8 as
 * U+FFFD and its two upper-case hex digits, valid UTF-8 (a U+FFFD too) as it is, so that
 * text read back is written unchanged. */
char *tach__text_escaped(const char *s)
{
    return utf8_repaired(s, true);
}

json_t *tach__json_string_bytes(const char *s)
{
    char *e = tach__text_escaped(s);
    json_t *j = e ? json_string(e) : NULL;
    tach__free(e);
    return j;
}

int tach__json_set_bytes(json_t *o, const char *key, json_t *v)
{
    char *e = v ? tach__text_escaped(key) : NULL;
    int rc = e ? json_object_set_new(o, e, v) : -1;
    if (!e) json_decref(v);
    tach__free(e);
    return rc;
}

size_t tach__jpath_key(tach__jpath *rd, const char *key)
{
    size_t len = strlen(rd->path);
    snprintf(rd->path + len, sizeof rd->path - len, "%s%s", len ? "." : "", key);
    return len;
}

size_t tach__jpath_index(tach__jpath *rd, size_t i)
{
    size_t len = strlen(rd->path);
    snprintf(rd->path + len, sizeof rd->path - len, "[%zu]", i);
    return len;
}

void tach__jpath_pop(tach__jpath *rd, size_t len)
{
    rd->path[len] = '\0';
}

int tach__jpath_fail(tach__jpath *rd, const char *what)
{
    return tach__err(rd->err, "%s: %s", rd->path[0] ? rd->path : "document", what);
}

const char *tach__json_type_name(const json_t *v)
{
    if (!v) return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

int tach__jpath_expected(tach__jpath *rd, const char *what, const json_t *got)
{
    char msg[200];
    if (json_is_number(got)) /* the value itself: "got a number" alone hid a -1.5 */
        snprintf(msg, sizeof msg, "expected %s, got %s (%.10g)", what, tach__json_type_name(got),
                 json_number_value(got));
    else
        snprintf(msg, sizeof msg, "expected %s, got %s", what, tach__json_type_name(got));
    return tach__jpath_fail(rd, msg);
}

