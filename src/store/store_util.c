/* store_util.c - the helpers the store's files share (store_internal.h): the time,
 * rollback, sample encoding and the coefficient of variation. */
#define _GNU_SOURCE /* gmtime_r */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store_internal.h"

void tool_st_now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void tool_st_rollback(tool_store *s)
{
    s->ops->exec(s->db, "ROLLBACK", NULL);
}

/* Samples travel as little-endian IEEE 754 doubles, whatever the machine. */
unsigned char *tool_st_encode_samples(const double *x, size_t n)
{
    unsigned char *out = tach__malloc(n > 0 ? n * 8 : 1);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &x[i], 8);
        for (int k = 0; k < 8; k++) out[i * 8 + (size_t)k] = (unsigned char)(bits >> (8 * k));
    }
    return out;
}

double *tool_st_decode_samples(const unsigned char *p, size_t len, size_t *n)
{
    *n = len / 8;
    if (*n == 0) return NULL;
    double *x = tach__malloc(*n * sizeof *x);
    if (!x) return NULL;
    for (size_t i = 0; i < *n; i++) {
        uint64_t bits = 0;
        for (int k = 0; k < 8; k++) bits |= (uint64_t)p[i * 8 + (size_t)k] << (8 * k);
        memcpy(&x[i], &bits, 8);
    }
    return x;
}

double tool_st_cv_of(const double *x, size_t n)
{
    if (n < 2) return NAN;
    double m = tach__mean(x, n);
    if (!(m > 0)) return NAN;
    return tach__stddev(x, n) / m;
}

int tool_st_mark_damaged(tool_store *s, const char *err)
{
    if (!s->damage[0]) snprintf(s->damage, sizeof s->damage, "%s", err ? err : "store damaged");
    return -1;
}

int tool_st_damaged(tool_store *s, char *err, const char *fmt, ...)
{
    char what[TACH__ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char msg[TACH__ERR_MAX];
    snprintf(msg, sizeof msg, "store %s is damaged: %.*s", s->name, tach__utf8_prec(what, 400), what);
    if (err) snprintf(err, TACH__ERR_MAX, "%s", msg);
    return tool_st_mark_damaged(s, msg);
}

bool tool_st_col_count(const tool_store *s, tool_db_stmt *st, int c, int64_t *v)
{
    *v = s->ops->col_int64(st, c);
    return s->ops->col_type(st, c) == TOOL_DB_INT && *v >= 0;
}

bool tool_st_col_measure(const tool_store *s, tool_db_stmt *st, int c, double *v)
{
    tool_db_type t = s->ops->col_type(st, c);
    *v = s->ops->col_double(st, c);
    return t == TOOL_DB_NULL || ((t == TOOL_DB_INT || t == TOOL_DB_REAL) && *v >= 0);
}

const char *tool_st_col_str(const tool_store *s, tool_db_stmt *st, int c)
{
    return s->ops->col_type(st, c) == TOOL_DB_TEXT ? s->ops->col_text(st, c) : NULL;
}
