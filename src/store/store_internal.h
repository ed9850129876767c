/*
 * store_internal.h - what the store's files share (src/store/store*.c): the handle,
 * the SQL string builder, sample encoding, the run filter's query building.  Not part
 * of any interface outside src/store/; store.h is the store's interface.
 */
#ifndef TACH_STORE_INTERNAL_H
#define TACH_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "store.h"

struct tool_store {
    const tool_db_ops *ops;
    tool_db *db;
    tool_store_kind kind;
    char *name;
    int schema;
    char damage[TACH__ERR_MAX]; /* the first damaged row found ("store X is damaged: ..."), or "" */
    char failed[TACH__ERR_MAX]; /* the first read that failed in a search that goes on past
                                 * failures (tool_store_default_pair), or "" */
};

/* The library's growing string; SQL is built with it. */
typedef tach__buf sbuf;

static inline void sb_add(sbuf *b, const char *s)
{
    tach__buf_puts(b, s);
}

static inline char *dup_or_null(const char *s)
{
    return s ? tach__strdup(s) : NULL;
}

/* ---- shared helpers (store_util.c) ----------------------------------------------- */

/* The current time as YYYY-MM-DDTHH:MM:SSZ. */
void tool_st_now_iso(char *buf, size_t size);
/* Rolls back the transaction in progress, ignoring errors. */
void tool_st_rollback(tool_store *s);
/* Samples travel as little-endian IEEE 754 doubles, whatever the machine: n * 8 bytes
 * (caller frees), and back (*n doubles, NULL when none or out of memory). */
unsigned char *tool_st_encode_samples(const double *x, size_t n);
double *tool_st_decode_samples(const unsigned char *p, size_t len, size_t *n);
/* The coefficient of variation of x; NaN for fewer than 2 values or a mean <= 0. */
double tool_st_cv_of(const double *x, size_t n);
/* A row tach never writes (a hand-edited store: a NULL where tach always writes a
 * value, text where it writes a number, a negative count): "store NAME is damaged: WHAT"
 * in err, kept in s->damage (tool_store_is_corrupt is then true).  Returns -1. */
int tool_st_damaged(tool_store *s, char *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Marks s damaged with the message already in err (a damaged results document).  -1. */
int tool_st_mark_damaged(tool_store *s, const char *err);
/* Column readers that tell a value tach writes from one it never does; false when not:
 * a count (an integer >= 0), a measure (a time or a CV: a number >= 0, or NULL, which reads
 * as NaN), text (NULL when the value is not text). */
bool tool_st_col_count(const tool_store *s, tool_db_stmt *st, int c, int64_t *v);
bool tool_st_col_measure(const tool_store *s, tool_db_stmt *st, int c, double *v);
const char *tool_st_col_str(const tool_store *s, tool_db_stmt *st, int c);

/* ---- schema and migrations (store_schema.c) -------------------------------------- */

/* Reads the store's schema version and sets s->schema: creates or migrates the schema
 * to TOOL_STORE_SCHEMA when can_write, else refuses a store that would need it.  -1
 * with a message for a newer schema or a store that is not tach's. */
int tool_st_ensure_schema(tool_store *s, bool can_write, char *err);

/* ---- query building over run filters (store_filter.c) ---------------------------- */

typedef struct tool_st_binds {
    int n;
    struct { bool is_text; const char *text; int64_t i; } v[12];
    char like[128]; /* a copy: the commit LIKE pattern */
} tool_st_binds;

void tool_st_add_text(tool_st_binds *b, const char *t);
void tool_st_add_int(tool_st_binds *b, int64_t i);
/* Prepares the query built in q with its binds b, and frees q's text.  NULL, with err
 * set, when building it ran out of memory or the database refused it. */
tool_db_stmt *tool_st_prepare_built(tool_store *s, sbuf *q, const tool_st_binds *b, char *err);
/* Whether c looks like a commit hash prefix (4 to 64 hex digits). */
bool tool_st_is_hex_prefix(const char *c);
/* Appends " AND ..." conditions on tach_runs aliased r (not `last`). */
int tool_st_where_runs(const tool_run_filter *f, sbuf *q, tool_st_binds *b, char *err);

/* ---- runs (store_runs.c) --------------------------------------------------------- */

/* "no run N in store NAME" into err; returns TOOL_STORE_NOT_FOUND. */
int tool_st_not_found_run(const tool_store *s, int64_t id, char *err);
/* 0 when run id exists; TOOL_STORE_NOT_FOUND (with a message) when it does not; -1
 * on a database error. */
int tool_st_run_exists(tool_store *s, int64_t id, char *err);

#endif /* TACH_STORE_INTERNAL_H */
