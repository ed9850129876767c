/* db_pg.c - the store's PostgreSQL backend over libpq.
 *
 * Statements are run with PQexecParams when first stepped: parameters travel as text,
 * except blobs, which travel as binary bytea; results come back as text (bytea in its
 * hex form, decoded with PQunescapeBytea). */
#include <ctype.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "tach_internal.h"

struct tool_db {
    PGconn *conn;
};

/* PostgreSQL's own limit on a statement's parameters. */
#define PG_MAX_PARAMS 65535

struct tool_db_stmt {
    PGconn *conn;
    char *sql; /* with $N placeholders */
    int nparams;
    char **values; /* nparams of each */
    int *lengths;
    int *formats;
    PGresult *res;
    int row; /* the current row; -1 before the first step */
    unsigned char *blob; /* the last decoded bytea (PQfreemem) */
};

/* libpq's last message on one line in msg (TACH__ERR_MAX bytes). */
static void conn_message(PGconn *conn, char *msg)
{
    snprintf(msg, TACH__ERR_MAX, "%s", PQerrorMessage(conn));
    size_t len = strlen(msg);
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' ')) msg[--len] = '\0';
    /* libpq's messages span lines ("...failed: refused\n\tIs the server running..."):
     * one line for the tool. */
    char *w = msg;
    for (const char *r = msg; *r; r++) {
        if (*r == '\n') {
            while (r[1] == '\t' || r[1] == ' ') r++;
            *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static void set_conn_err(PGconn *conn, char *err, const char *what)
{
    char msg[TACH__ERR_MAX];
    conn_message(conn, msg);
    tach__err(err, "%s: %s", what, msg);
}

/* msg (TACH__ERR_MAX bytes) with every occurrence of the n bytes at secret, and of
 * their %XX-decoded form, replaced by "***". */
static void hide(char *msg, const char *secret, size_t n)
{
    char dec[TACH__ERR_MAX];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof dec; i++) {
        unsigned v;
        if (secret[i] == '%' && n - i >= 3 && isxdigit((unsigned char)secret[i + 1]) &&
            isxdigit((unsigned char)secret[i + 2]) && sscanf(secret + i + 1, "%2x", &v) == 1) {
            dec[k++] = (char)v;
            i += 2;
        } else {
            dec[k++] = secret[i];
        }
    }
    const char *forms[2] = {secret, dec};
    size_t lens[2] = {n, k};
    for (int f = 0; f < 2; f++) {
        if (lens[f] == 0 || memchr(forms[f], '\0', lens[f])) continue;
        tach__buf b = {0};
        for (const char *p = msg; *p;) {
            if (!strncmp(p, forms[f], lens[f])) {
                tach__buf_puts(&b, "***");
                p += lens[f];
            } else {
                tach__buf_put(&b, p++, 1);
            }
        }
        char *out = tach__buf_take(&b);
        snprintf(msg, TACH__ERR_MAX, "%s", out ? out : "(out of memory)");
        tach__free(out);
    }
}

/* libpq's message about a URL it could not parse quotes what it refused, which may be
 * the password (a bad %-escape in it) or the whole URL: every password in the URL
 * (tach__password_next, reading it as one URL: user:PASSWORD@ and ?password=), raw and
 * decoded, is hidden in msg, and then any URL left in it is redacted. */
static void hide_passwords(char *msg, const char *url)
{
    const char *pw;
    size_t len;
    for (const char *p = url; (pw = tach__password_next(url, p, false, &len)); p = pw + len)
        hide(msg, pw, len);
    char *shown = tach__redact(msg);
    snprintf(msg, TACH__ERR_MAX, "%s", shown ? shown : "(out of memory)");
    tach__free(shown);
}

tool_db *tool_db_pg_open(const char *url, bool *has_meta, char *err)
{
    /* A server that accepts and never answers must not hang tach: a connect timeout of
     * 10 s unless the URL (it comes after, so it overrides) or PGCONNECT_TIMEOUT sets
     * one. */
    const char *timeout = getenv("PGCONNECT_TIMEOUT");
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const vals[] = {timeout && *timeout ? timeout : "10", url, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        tach__err(err, "out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        char why[TACH__ERR_MAX];
        conn_message(conn, why);
        hide_passwords(why, url);
        char *name = tach__redact_url(url);
        tach__err(err, "cannot connect to the PostgreSQL store %s: %s",
                  name ? name : "(out of memory)", why);
        tach__free(name);
        PQfinish(conn);
        return NULL;
    }
    PGresult *r = PQexec(conn, "SET client_min_messages = warning");
    PQclear(r);
    r = PQexec(conn, "SELECT to_regclass('tach_meta') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        set_conn_err(conn, err, "cannot read the PostgreSQL store");
        PQclear(r);
        PQfinish(conn);
        return NULL;
    }
    *has_meta = PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    tool_db *db = tach__calloc(1, sizeof *db);
    if (!db) {
        PQfinish(conn);
        tach__err(err, "out of memory");
        return NULL;
    }
    db->conn = conn;
    return db;
}

static int p_exec(tool_db *db, const char *sql, char *err)
{
    PGresult *r = PQexec(db->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = 0;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        set_conn_err(db->conn, err, "store error");
        rc = -1;
    }
    PQclear(r);
    return rc;
}

static int p_begin_write(tool_db *db, char *err)
{
    return p_exec(db, "BEGIN", err);
}

static void clear_params(tool_db_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        tach__free(st->values[i]);
        st->values[i] = NULL;
        st->lengths[i] = 0;
        st->formats[i] = 0;
    }
}

static void clear_result(tool_db_stmt *st)
{
    if (st->res) PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    if (st->blob) PQfreemem(st->blob);
    st->blob = NULL;
}

static tool_db_stmt *p_prepare(tool_db *db, const char *sql, char *err)
{
    tool_db_stmt *st = tach__calloc(1, sizeof *st);
    /* Each ? becomes "$N" (at most 6 bytes for N <= 65535). */
    size_t len = strlen(sql);
    char *out = st ? tach__malloc(len * 7 + 1) : NULL;
    if (!out) {
        tach__free(st);
        tach__err(err, "out of memory");
        return NULL;
    }
    size_t o = 0;
    int n = 0;
    bool quoted = false;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'') quoted = !quoted;
        if (*p == '?' && !quoted) {
            n++;
            o += (size_t)sprintf(out + o, "$%d", n);
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    if (n > PG_MAX_PARAMS) {
        tach__free(out);
        tach__free(st);
        tach__err(err, "internal error: too many SQL parameters");
        return NULL;
    }
    size_t np = n ? (size_t)n : 1;
    st->values = tach__calloc(np, sizeof *st->values);
    st->lengths = tach__calloc(np, sizeof *st->lengths);
    st->formats = tach__calloc(np, sizeof *st->formats);
    if (!st->values || !st->lengths || !st->formats) {
        tach__free(st->values);
        tach__free(st->lengths);
        tach__free(st->formats);
        tach__free(out);
        tach__free(st);
        tach__err(err, "out of memory");
        return NULL;
    }
    st->conn = db->conn;
    st->sql = out;
    st->nparams = n;
    st->row = -1;
    return st;
}

static int set_param(tool_db_stmt *st, int i, char *value, int length, int format)
{
    if (i < 1 || i > st->nparams) {
        tach__free(value);
        return -1;
    }
    tach__free(st->values[i - 1]);
    st->values[i - 1] = value;
    st->lengths[i - 1] = length;
    st->formats[i - 1] = format;
    return 0;
}

static int p_bind_null(tool_db_stmt *st, int i)
{
    return set_param(st, i, NULL, 0, 0);
}

static int p_bind_int64(tool_db_stmt *st, int i, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    char *s = tach__strdup(buf);
    return s ? set_param(st, i, s, 0, 0) : -1;
}

static int p_bind_double(tool_db_stmt *st, int i, double v)
{
    if (!isfinite(v)) return p_bind_null(st, i);
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    char *s = tach__strdup(buf);
    return s ? set_param(st, i, s, 0, 0) : -1;
}

static int p_bind_text(tool_db_stmt *st, int i, const char *v)
{
    if (!v) return p_bind_null(st, i);
    char *s = tach__strdup(v);
    return s ? set_param(st, i, s, 0, 0) : -1;
}

static int p_bind_blob(tool_db_stmt *st, int i, const void *p, size_t len)
{
    if (!p) return p_bind_null(st, i);
    char *s = tach__malloc(len ? len : 1);
    if (!s) return -1;
    memcpy(s, p, len);
    return set_param(st, i, s, (int)len, 1);
}

static int p_step(tool_db_stmt *st, char *err)
{
    if (!st->res) {
        st->res = PQexecParams(st->conn, st->sql, st->nparams, NULL,
                               (const char *const *)st->values, st->lengths, st->formats, 0);
        ExecStatusType s = PQresultStatus(st->res);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            set_conn_err(st->conn, err, "store error");
            return -1;
        }
        st->row = -1;
    }
    if (st->blob) PQfreemem(st->blob);
    st->blob = NULL;
    if (PQresultStatus(st->res) != PGRES_TUPLES_OK) return 0;
    st->row++;
    return st->row < PQntuples(st->res) ? 1 : 0;
}

static void p_reset(tool_db_stmt *st)
{
    clear_result(st);
    clear_params(st);
}

static bool p_col_null(tool_db_stmt *st, int c)
{
    return PQgetisnull(st->res, st->row, c);
}

static tool_db_type p_col_type(tool_db_stmt *st, int c)
{
    if (p_col_null(st, c)) return TOOL_DB_NULL;
    switch (PQftype(st->res, c)) { /* OIDs of pg_type */
    case 16: case 20: case 21: case 23: return TOOL_DB_INT; /* bool, int8, int2, int4 */
    case 700: case 701: case 1700: return TOOL_DB_REAL;     /* float4, float8, numeric */
    case 17: return TOOL_DB_BLOB;                           /* bytea */
    default: return TOOL_DB_TEXT;
    }
}

static int64_t p_col_int64(tool_db_stmt *st, int c)
{
    if (p_col_null(st, c)) return 0;
    const char *v = PQgetvalue(st->res, st->row, c);
    if (!strcmp(v, "t")) return 1;
    if (!strcmp(v, "f")) return 0;
    return strtoll(v, NULL, 10);
}

static double p_col_double(tool_db_stmt *st, int c)
{
    if (p_col_null(st, c)) return NAN;
    return strtod(PQgetvalue(st->res, st->row, c), NULL);
}

static const char *p_col_text(tool_db_stmt *st, int c)
{
    if (p_col_null(st, c)) return NULL;
    return PQgetvalue(st->res, st->row, c);
}

static const void *p_col_blob(tool_db_stmt *st, int c, size_t *len)
{
    *len = 0;
    if (p_col_null(st, c)) return NULL;
    if (st->blob) PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, c), len);
    return st->blob;
}

static void p_finalize(tool_db_stmt *st)
{
    if (!st) return;
    clear_result(st);
    clear_params(st);
    tach__free(st->values);
    tach__free(st->lengths);
    tach__free(st->formats);
    tach__free(st->sql);
    tach__free(st);
}

static int p_reconnect(tool_db *db, char *err)
{
    if (PQstatus(db->conn) != CONNECTION_BAD) return 1;
    PQreset(db->conn); /* the same parameters, the same PGconn: statements keep theirs */
    if (PQstatus(db->conn) != CONNECTION_OK) {
        set_conn_err(db->conn, err, "cannot connect again");
        return -1;
    }
    PQclear(PQexec(db->conn, "SET client_min_messages = warning"));
    return 0;
}

static bool p_is_corrupt(const tool_db *db)
{
    (void)db; /* the server reports its own damage as errors */
    return false;
}

static void p_close(tool_db *db)
{
    if (!db) return;
    PQfinish(db->conn);
    tach__free(db);
}

const tool_db_ops tool_db_pg_ops = {
    .name = "postgresql",
    .exec = p_exec,
    .begin_write = p_begin_write,
    .prepare = p_prepare,
    .bind_null = p_bind_null,
    .bind_int64 = p_bind_int64,
    .bind_double = p_bind_double,
    .bind_text = p_bind_text,
    .bind_blob = p_bind_blob,
    .step = p_step,
    .reset = p_reset,
    .col_null = p_col_null,
    .col_type = p_col_type,
    .col_int64 = p_col_int64,
    .col_double = p_col_double,
    .col_text = p_col_text,
    .col_blob = p_col_blob,
    .finalize = p_finalize,
    .close = p_close,
    .reconnect = p_reconnect,
    .is_corrupt = p_is_corrupt,
    .type_id = "BIGSERIAL PRIMARY KEY",
    .type_int = "BIGINT",
    .type_real = "DOUBLE PRECISION",
    .type_blob = "BYTEA",
};
