/*
 * store.c - the history store over its two backends (see store.h, db.h).
 *
 * Schema (version 2; @-types spelled per backend, see db.h):
 *   tach_meta       (key, value)              schema_version, created_by
 *   tach_runs       (id, time, commit_sha, branch, dirty, subject, machine, machine_desc,
 *                    tach_version, nbenchmarks, nfailed)
 *   tach_run_tags   (run_id, key, value)                                   since v2
 *   tach_run_docs   (run_id, doc)             the whole results document, JSON text
 *   tach_benchmarks (run_id, pos, name, status, median, median_lo, median_hi, mean, n,
 *                    samples, cv)             one row per result; index (name, run_id)
 *                                             cv since v2; samples: n little-endian doubles
 *   tach_names      (name)                    every benchmark name ever seen; since v2
 *   tach_baselines  (name, run_id, time)
 * A new store is created at version 1 and migrated, so the migrations always run.
 */
#define _GNU_SOURCE /* strptime, timegm */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "json_text.h"
#include "store.h"

struct tool_store {
    const tool_db_ops *ops;
    tool_db *db;
    tool_store_kind kind;
    char *name;
    int schema;
};

/* ---- small helpers --------------------------------------------------------------- */

/* The library's growing string; SQL is built with it. */
typedef tach__buf sbuf;

static void sb_add(sbuf *b, const char *s)
{
    tach__buf_puts(b, s);
}

static char *dup_or_null(const char *s)
{
    return s ? tach__strdup(s) : NULL;
}

static void now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Replaces @ID @INT @REAL @BLOB with the backend's types. */
static char *ddl(const tool_store *s, const char *sql)
{
    sbuf b = {0};
    const char *p = sql;
    while (*p) {
        const char *at = strchr(p, '@');
        if (!at) {
            sb_add(&b, p);
            break;
        }
        char chunk[1024];
        size_t n = (size_t)(at - p);
        while (n > 0) {
            size_t take = n < sizeof chunk - 1 ? n : sizeof chunk - 1;
            memcpy(chunk, p, take);
            chunk[take] = '\0';
            sb_add(&b, chunk);
            p += take;
            n -= take;
        }
        static const struct { const char *tok; size_t off; } toks[] = {
            {"@ID", offsetof(tool_db_ops, type_id)},
            {"@INT", offsetof(tool_db_ops, type_int)},
            {"@REAL", offsetof(tool_db_ops, type_real)},
            {"@BLOB", offsetof(tool_db_ops, type_blob)},
        };
        bool matched = false;
        for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++) {
            size_t tl = strlen(toks[i].tok);
            if (!strncmp(at, toks[i].tok, tl)) {
                sb_add(&b, *(const char *const *)((const char *)s->ops + toks[i].off));
                p = at + tl;
                matched = true;
                break;
            }
        }
        if (!matched) {
            sb_add(&b, "@");
            p = at + 1;
        }
    }
    if (b.oom) {
        tach__free(b.p);
        return NULL;
    }
    return b.p;
}

static int exec_ddl(tool_store *s, const char *sql, char *err)
{
    char *q = ddl(s, sql);
    if (!q) return tach__err(err, "out of memory");
    int rc = s->ops->exec(s->db, q, err);
    tach__free(q);
    return rc;
}

static void rollback(tool_store *s)
{
    s->ops->exec(s->db, "ROLLBACK", NULL);
}

/* Samples travel as little-endian IEEE 754 doubles, whatever the machine. */
static unsigned char *encode_samples(const double *x, size_t n)
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

static double *decode_samples(const unsigned char *p, size_t len, size_t *n)
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

static double cv_of(const double *x, size_t n)
{
    if (n < 2) return NAN;
    double m = tach__mean(x, n);
    if (!(m > 0)) return NAN;
    return tach__stddev(x, n) / m;
}

/* ---- schema and migrations ------------------------------------------------------- */

static const char SCHEMA_V1[] =
    "CREATE TABLE tach_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE tach_runs (id @ID, time TEXT NOT NULL, commit_sha TEXT, branch TEXT,"
    " dirty @INT, subject TEXT, machine TEXT, machine_desc TEXT, tach_version TEXT,"
    " nbenchmarks @INT NOT NULL, nfailed @INT NOT NULL);"
    "CREATE INDEX tach_runs_commit ON tach_runs (commit_sha);"
    "CREATE TABLE tach_run_docs (run_id @INT PRIMARY KEY, doc TEXT NOT NULL);"
    "CREATE TABLE tach_benchmarks (run_id @INT NOT NULL, pos @INT NOT NULL, name TEXT NOT NULL,"
    " status TEXT NOT NULL, median @REAL, median_lo @REAL, median_hi @REAL, mean @REAL,"
    " n @INT NOT NULL, samples @BLOB, PRIMARY KEY (run_id, pos));"
    "CREATE INDEX tach_benchmarks_name ON tach_benchmarks (name, run_id);"
    "CREATE TABLE tach_baselines (name TEXT PRIMARY KEY, run_id @INT NOT NULL,"
    " time TEXT NOT NULL);"
    "INSERT INTO tach_meta (key, value) VALUES ('schema_version', '1');";

static const char MIGRATE_V1_V2[] =
    "CREATE TABLE tach_run_tags (run_id @INT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (run_id, key));"
    "CREATE TABLE tach_names (name TEXT PRIMARY KEY);"
    "INSERT INTO tach_names (name) SELECT DISTINCT name FROM tach_benchmarks;"
    "ALTER TABLE tach_benchmarks ADD COLUMN cv @REAL;";

/* v1 -> v2, the part SQL cannot do: each stored result's CV from its raw samples. */
static int migrate_cv(tool_store *s, char *err)
{
    tool_db_stmt *q = s->ops->prepare(
        s->db, "SELECT run_id, pos, samples FROM tach_benchmarks WHERE n >= 2", err);
    tool_db_stmt *u = q ? s->ops->prepare(
                               s->db, "UPDATE tach_benchmarks SET cv = ? WHERE run_id = ? AND pos = ?",
                               err)
                         : NULL;
    if (!u) {
        s->ops->finalize(q);
        return -1;
    }
    /* Collect first: PostgreSQL runs one statement at a time on a connection anyway. */
    struct row { int64_t run, pos; double cv; } *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = s->ops->step(q, err)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct row *r = tach__realloc(rows, cap * sizeof *rows);
            if (!r) {
                rc = tach__err(err, "out of memory");
                break;
            }
            rows = r;
        }
        size_t len = 0, ns = 0;
        const unsigned char *blob = s->ops->col_blob(q, 2, &len);
        double *x = blob ? decode_samples(blob, len, &ns) : NULL;
        rows[n].run = s->ops->col_int64(q, 0);
        rows[n].pos = s->ops->col_int64(q, 1);
        rows[n].cv = x ? cv_of(x, ns) : NAN;
        tach__free(x);
        n++;
    }
    s->ops->finalize(q);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        s->ops->reset(u);
        s->ops->bind_double(u, 1, rows[i].cv);
        s->ops->bind_int64(u, 2, rows[i].run);
        s->ops->bind_int64(u, 3, rows[i].pos);
        if (s->ops->step(u, err) < 0) rc = -1;
    }
    s->ops->finalize(u);
    tach__free(rows);
    return rc < 0 ? -1 : 0;
}

static int has_meta_table(tool_store *s, bool *has, char *err)
{
    const char *sql = s->kind == TOOL_STORE_SQLITE
                          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                            "'tach_meta'"
                          : "SELECT to_regclass('tach_meta') IS NOT NULL";
    tool_db_stmt *st = s->ops->prepare(s->db, sql, err);
    if (!st) return -1;
    int rc = s->ops->step(st, err);
    if (rc == 1) *has = s->ops->col_int64(st, 0) != 0;
    s->ops->finalize(st);
    return rc == 1 ? 0 : -1;
}

/* The stored schema_version, or 0 when there is no tach_meta table. */
static int read_version(tool_store *s, int *version, char *err)
{
    bool has = false;
    if (has_meta_table(s, &has, err) != 0) return -1;
    if (!has) {
        *version = 0;
        return 0;
    }
    tool_db_stmt *st =
        s->ops->prepare(s->db, "SELECT value FROM tach_meta WHERE key = 'schema_version'", err);
    if (!st) return -1;
    int rc = s->ops->step(st, err);
    const char *v = rc == 1 ? s->ops->col_text(st, 0) : NULL;
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    bool ok = v && end != v && *end == '\0' && n >= 1 && n < INT_MAX;
    s->ops->finalize(st);
    if (rc < 0) return -1;
    if (!ok)
        return tach__err(err, "store %s is damaged: its tach_meta has no valid schema_version",
                         s->name);
    *version = (int)n;
    return 0;
}

static int newer_error(const tool_store *s, int version, char *err)
{
    return tach__err(err,
                     "store %s was written by a newer tach (schema version %d; this tach %s "
                     "knows up to %d): upgrade tach to use it",
                     s->name, version, tach_version(), TOOL_STORE_SCHEMA);
}

static int ensure_schema(tool_store *s, bool can_write, char *err)
{
    int v = 0;
    if (read_version(s, &v, err) != 0) return -1;
    if (v > TOOL_STORE_SCHEMA) return newer_error(s, v, err);
    if (v == TOOL_STORE_SCHEMA) {
        s->schema = v;
        return 0;
    }
    if (!can_write) {
        if (v == 0) return tach__err(err, "%s is not a tach store", s->name);
        return tach__err(err,
                         "store %s has schema version %d and must be migrated: open it for "
                         "writing (e.g. tach history) first",
                         s->name, v);
    }
    /* Serialise concurrent creators / migrators (SQLite's write lock does it there).  The
     * PostgreSQL lock is taken before the transaction begins, so that the transaction sees
     * the catalog as the previous holder committed it. */
    bool pg = s->kind == TOOL_STORE_POSTGRES;
    if (pg && s->ops->exec(s->db, "SELECT pg_advisory_lock(7412630968342012001)", err) != 0)
        return -1;
    if (s->ops->begin_write(s->db, err) != 0) goto unlock;
    if (read_version(s, &v, err) != 0) goto fail;
    if (v > TOOL_STORE_SCHEMA) {
        newer_error(s, v, err);
        goto fail;
    }
    if (v == 0) {
        if (exec_ddl(s, SCHEMA_V1, err) != 0) goto fail;
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO tach_meta (key, value) VALUES ('created_by', 'tach %s')",
                 tach_version());
        if (s->ops->exec(s->db, sql, err) != 0) goto fail;
        v = 1;
    }
    if (v == 1) {
        if (exec_ddl(s, MIGRATE_V1_V2, err) != 0 || migrate_cv(s, err) != 0) goto fail;
        v = 2;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE tach_meta SET value = '%d' WHERE key = 'schema_version'", v);
    if (s->ops->exec(s->db, sql, err) != 0) goto fail;
    if (s->ops->exec(s->db, "COMMIT", err) != 0) goto fail;
    if (pg) s->ops->exec(s->db, "SELECT pg_advisory_unlock(7412630968342012001)", NULL);
    s->schema = v;
    return 0;
fail:
    rollback(s);
unlock:
    if (pg) s->ops->exec(s->db, "SELECT pg_advisory_unlock(7412630968342012001)", NULL);
    return -1;
}

/* ---- opening ----------------------------------------------------------------------- */

bool tool_store_spec_is_postgres(const char *spec)
{
    return spec && (!strncmp(spec, "postgresql://", 13) || !strncmp(spec, "postgres://", 11));
}

char *tool_store_default_path(const char *start_dir, char *err)
{
    char cwd[PATH_MAX];
    if (!start_dir) {
        if (!getcwd(cwd, sizeof cwd)) {
            tach__err(err, "cannot read the current directory: %s", strerror(errno));
            return NULL;
        }
        start_dir = cwd;
    }
    size_t len = strlen(start_dir);
    char *dir = tach__malloc(len + 32);
    if (!dir) {
        tach__err(err, "out of memory");
        return NULL;
    }
    memcpy(dir, start_dir, len + 1);
    while (len > 1 && dir[len - 1] == '/') dir[--len] = '\0';
    for (;;) {
        char probe[PATH_MAX + 16];
        snprintf(probe, sizeof probe, "%s/.tach", strcmp(dir, "/") ? dir : "");
        struct stat sb;
        if (stat(probe, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            size_t need = strlen(probe) + 16;
            char *out = tach__malloc(need);
            if (out) snprintf(out, need, "%s/tach.db", probe);
            tach__free(dir);
            if (!out) tach__err(err, "out of memory");
            return out;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || !strcmp(dir, "/")) break;
        if (slash == dir)
            dir[1] = '\0';
        else
            *slash = '\0';
    }
    tach__free(dir);
    size_t need = strlen(start_dir) + 32;
    char *out = tach__malloc(need);
    if (!out) {
        tach__err(err, "out of memory");
        return NULL;
    }
    snprintf(out, need, "%s/.tach/tach.db", start_dir);
    return out;
}

/* spec with the password of a URL's user:password@ replaced by "***" (for messages). */
static char *redacted(const char *spec)
{
    const char *scheme = strstr(spec, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    if (!colon) return tach__strdup(spec);
    size_t head = (size_t)(colon - spec) + 1, need = head + 3 + strlen(at) + 1;
    char *out = tach__malloc(need);
    if (!out) return NULL;
    memcpy(out, spec, head);
    snprintf(out + head, need - head, "***%s", at);
    return out;
}

tool_store *tool_store_open(const char *spec, int flags, char *err)
{
    bool create = flags & TOOL_STORE_CREATE, readonly = flags & TOOL_STORE_READONLY;
    tool_store *s = tach__calloc(1, sizeof *s);
    if (!s) {
        tach__err(err, "out of memory");
        return NULL;
    }
    s->name = spec ? redacted(spec) : tool_store_default_path(NULL, err);
    if (!s->name) {
        if (spec) tach__err(err, "out of memory");
        tach__free(s);
        return NULL;
    }
    if (tool_store_spec_is_postgres(spec)) {
        s->kind = TOOL_STORE_POSTGRES;
        s->ops = &tool_db_pg_ops;
        bool has_meta = false;
        s->db = tool_db_pg_open(spec, &has_meta, err);
        if (s->db && !has_meta && (!create || readonly)) {
            tach__err(err, "no tach store in PostgreSQL database %s (record a run first)",
                      s->name);
            tool_store_close(s);
            return NULL;
        }
    } else {
        s->kind = TOOL_STORE_SQLITE;
        s->ops = &tool_db_sqlite_ops;
        /* A store this process may only read (another user's, a read-only directory) is
         * opened read-only, so that reading it needs no write. */
        const char *path = spec ? spec : s->name;
        if (!create && !readonly && !(flags & TOOL_STORE_CHECK) && access(path, F_OK) == 0 &&
            !tool_db_sqlite_writable(path))
            readonly = true; /* (TOOL_STORE_CHECK: a command about to write; it must fail early) */
        tool_db_found found;
        s->db = tool_db_sqlite_open(spec ? spec : s->name, create, readonly,
                                     flags & TOOL_STORE_CHECK, &found,
                                     err);
    }
    if (!s->db) {
        tool_store_close(s);
        return NULL;
    }
    if (ensure_schema(s, !readonly, err) != 0) {
        tool_store_close(s);
        return NULL;
    }
    return s;
}

void tool_store_close(tool_store *s)
{
    if (!s) return;
    if (s->db) s->ops->close(s->db);
    tach__free(s->name);
    tach__free(s);
}

const char *tool_store_name(const tool_store *s)
{
    return s->name;
}

tool_store_kind tool_store_kind_of(const tool_store *s)
{
    return s->kind;
}

int tool_store_schema_version(const tool_store *s)
{
    return s->schema;
}

bool tool_store_is_corrupt(const tool_store *s)
{
    return s && s->db && s->ops->is_corrupt(s->db);
}

/* ---- recording ----------------------------------------------------------------------- */

static char *machine_desc(const json_t *ctx)
{
    char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    const char *host = json_string_value(json_object_get(ctx, "host"));
    const char *cpu = json_string_value(json_object_get(ctx, "cpu_model"));
    const char *kernel = json_string_value(json_object_get(ctx, "kernel"));
    json_int_t cpus = json_integer_value(json_object_get(ctx, "cpus"));
    json_int_t mem = json_integer_value(json_object_get(ctx, "memory_kib"));
#define ADD(...)                                                                       \
    do {                                                                               \
        if (o < sizeof buf) {                                                          \
            int w_ = snprintf(buf + o, sizeof buf - o, __VA_ARGS__);                   \
            if (w_ > 0) o += (size_t)w_;                                               \
        }                                                                              \
    } while (0)
    if (host) ADD("%s", host);
    if (cpu) ADD("%s%s", o ? ": " : "", cpu);
    if (cpus > 0) ADD("%s%lld cpus", o ? ", " : "", (long long)cpus);
    if (mem > 0) ADD("%s%.1f GiB", o ? ", " : "", (double)mem / (1024.0 * 1024.0));
    if (kernel) ADD("%slinux %s", o ? ", " : "", kernel);
#undef ADD
    return o ? tach__strdup(buf) : NULL;
}

/* An ISO 8601 date-time with an offset or a Z, as YYYY-MM-DDTHH:MM:SSZ in UTC (so that
 * times sort and print alike whoever wrote them); false when it is not one. */
static bool utc_time(const char *in, char *out, size_t size)
{
    struct tm tm = {0};
    const char *p = in ? strptime(in, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!p) return false;
    if (*p == '.') /* fractions of a second */
        for (p++; isdigit((unsigned char)*p); p++) {
        }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, hh = 0, mm = 0;
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return false;
        hh = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
        if (*p == ':') p++;
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
            mm = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
        }
        off = sign * (hh * 3600L + mm * 60L);
    } else {
        return false;
    }
    if (*p) return false;
    time_t t = timegm(&tm) - off;
    struct tm u;
    if (!gmtime_r(&t, &u)) return false;
    return strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &u) > 0;
}

static void test_sleep(void)
{
    const char *v = getenv("TACH_STORE_TEST_SLEEP_MS");
    if (!v || !*v) return;
    long ms = strtol(v, NULL, 10);
    if (ms <= 0) return;
    const char *mark = getenv("TACH_STORE_TEST_MARK");
    if (mark && *mark) {
        FILE *f = fopen(mark, "w");
        if (f) fclose(f);
    }
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

typedef struct bench_vals {
    double median, lo, hi, mean, cv;
} bench_vals;

static void result_vals(const tach__result *r, bench_vals *v)
{
    v->median = v->lo = v->hi = v->mean = v->cv = NAN;
    if (r->nsamples == 0 || !r->sample_ns) return;
    if (r->has_summary) {
        v->median = r->summary.median.value;
        v->lo = r->summary.median.lo;
        v->hi = r->summary.median.hi;
        v->mean = r->summary.mean.value;
        v->cv = r->summary.cv;
        return;
    }
    tach__ci ci;
    v->median = tach__median(r->sample_ns, r->nsamples);
    if (tach__median_ci_fast(r->sample_ns, r->nsamples, 0.95, &ci) == 0) {
        v->lo = ci.lo;
        v->hi = ci.hi;
    }
    v->mean = tach__mean(r->sample_ns, r->nsamples);
    v->cv = cv_of(r->sample_ns, r->nsamples);
}

/* Benchmark rows per INSERT: 64 x 11 parameters stays far below SQLite's (32,766) and
 * PostgreSQL's (65,535) limits. */
#define CHUNK 64

/* head + " VALUES (?, ..., ?), ..." with ncols per row, nrows rows, + tail. */
static char *values_sql(const char *head, int ncols, size_t nrows, const char *tail)
{
    sbuf b = {0};
    sb_add(&b, head);
    sb_add(&b, " VALUES ");
    for (size_t r = 0; r < nrows; r++) {
        sb_add(&b, r ? ", (" : "(");
        for (int c = 0; c < ncols; c++) sb_add(&b, c ? ", ?" : "?");
        sb_add(&b, ")");
    }
    sb_add(&b, tail);
    if (b.oom) {
        tach__free(b.p);
        return NULL;
    }
    return b.p;
}

int tool_store_record(tool_store *s, const tach__doc *doc, const tool_run_meta *meta,
                       int64_t *run_id, char *err)
{
    static const tool_run_meta none = {.dirty = -1};
    if (!meta) meta = &none;
    json_t *j = tach__doc_to_json(doc);
    char *text = j ? tool_store_json_text(j, NULL) : NULL;
    json_decref(j);
    if (!text) return tach__err(err, "cannot serialise the results document");

    char timebuf[64];
    const char *when = meta->time;
    if (!when) when = json_string_value(json_object_get(doc->context, "date"));
    if (!when || !utc_time(when, timebuf, sizeof timebuf)) now_iso(timebuf, sizeof timebuf);
    when = timebuf;
    char *fp = meta->machine ? NULL : tach__env_fingerprint(doc->context);
    char *desc = meta->machine_desc ? NULL : machine_desc(doc->context);
    size_t nfailed = 0;
    for (size_t i = 0; i < doc->nresults; i++)
        if (doc->results[i].status != TACH__OK && doc->results[i].status != TACH__SKIPPED)
            nfailed++;

    const tool_db_ops *o = s->ops;
    tool_db_stmt *run = NULL, *tag = NULL, *docst = NULL, *bench = NULL, *name = NULL;
    tool_db_stmt *bench_part = NULL, *name_part = NULL;
    int64_t id = 0;
    int rc = -1;
    if (o->begin_write(s->db, err) != 0) goto out;
    run = o->prepare(s->db,
                     "INSERT INTO tach_runs (time, commit_sha, branch, dirty, subject, machine,"
                     " machine_desc, tach_version, nbenchmarks, nfailed)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     err);
    if (!run) goto fail;
    o->bind_text(run, 1, when);
    o->bind_text(run, 2, meta->commit);
    o->bind_text(run, 3, meta->branch);
    if (meta->dirty >= 0)
        o->bind_int64(run, 4, meta->dirty ? 1 : 0);
    else
        o->bind_null(run, 4);
    o->bind_text(run, 5, meta->subject);
    o->bind_text(run, 6, meta->machine ? meta->machine : fp);
    o->bind_text(run, 7, meta->machine_desc ? meta->machine_desc : desc);
    o->bind_text(run, 8, meta->tach_version ? meta->tach_version : tach_version());
    o->bind_int64(run, 9, (int64_t)doc->nresults);
    o->bind_int64(run, 10, (int64_t)nfailed);
    if (o->step(run, err) != 1) goto fail;
    id = o->col_int64(run, 0);
    o->reset(run); /* finish the statement before others run */

    if (meta->ntags) {
        tag = o->prepare(s->db,
                         "INSERT INTO tach_run_tags (run_id, key, value) VALUES (?, ?, ?)"
                         " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                         err);
        if (!tag) goto fail;
        for (size_t i = 0; i < meta->ntags; i++) {
            o->reset(tag);
            o->bind_int64(tag, 1, id);
            o->bind_text(tag, 2, meta->tags[i].name);
            o->bind_text(tag, 3, meta->tags[i].value ? meta->tags[i].value : "");
            if (o->step(tag, err) < 0) goto fail;
        }
    }
    docst = o->prepare(s->db, "INSERT INTO tach_run_docs (run_id, doc) VALUES (?, ?)", err);
    if (!docst) goto fail;
    o->bind_int64(docst, 1, id);
    o->bind_text(docst, 2, text);
    if (o->step(docst, err) < 0) goto fail;

    /* Rows go in CHUNK at a time (one statement each: fewer round trips to a server). */
    bool slept = false;
    for (size_t first = 0; first < doc->nresults; first += CHUNK) {
        size_t rows = doc->nresults - first < CHUNK ? doc->nresults - first : CHUNK;
        if (!slept && first > 0 && first >= doc->nresults / 2) {
            test_sleep(); /* about half of the rows are in */
            slept = true;
        }
        tool_db_stmt **b = rows == CHUNK ? &bench : &bench_part;
        tool_db_stmt **nm = rows == CHUNK ? &name : &name_part;
        if (!*b) {
            char *q1 = values_sql("INSERT INTO tach_benchmarks (run_id, pos, name, status, median,"
                                  " median_lo, median_hi, mean, n, samples, cv)",
                                  11, rows, "");
            char *q2 = values_sql("INSERT INTO tach_names (name)", 1, rows,
                                  " ON CONFLICT (name) DO NOTHING");
            if (!q1 || !q2) {
                tach__free(q1);
                tach__free(q2);
                tach__err(err, "out of memory");
                goto fail;
            }
            *b = o->prepare(s->db, q1, err);
            *nm = *b ? o->prepare(s->db, q2, err) : NULL;
            tach__free(q1);
            tach__free(q2);
            if (!*nm) goto fail;
        }
        o->reset(*b);
        o->reset(*nm);
        for (size_t k = 0; k < rows; k++) {
            size_t i = first + k;
            const tach__result *r = &doc->results[i];
            bench_vals v;
            result_vals(r, &v);
            unsigned char *blob =
                r->nsamples && r->sample_ns ? encode_samples(r->sample_ns, r->nsamples) : NULL;
            if (r->nsamples && r->sample_ns && !blob) {
                tach__err(err, "out of memory");
                goto fail;
            }
            int c = (int)(k * 11);
            o->bind_int64(*b, c + 1, id);
            o->bind_int64(*b, c + 2, (int64_t)i);
            o->bind_text(*b, c + 3, r->name ? r->name : "");
            o->bind_text(*b, c + 4, tach__status_name(r->status));
            o->bind_double(*b, c + 5, v.median);
            o->bind_double(*b, c + 6, v.lo);
            o->bind_double(*b, c + 7, v.hi);
            o->bind_double(*b, c + 8, v.mean);
            o->bind_int64(*b, c + 9, blob ? (int64_t)r->nsamples : 0);
            o->bind_blob(*b, c + 10, blob, blob ? r->nsamples * 8 : 0); /* copied */
            o->bind_double(*b, c + 11, v.cv);
            tach__free(blob);
            o->bind_text(*nm, (int)k + 1, r->name ? r->name : "");
        }
        if (o->step(*b, err) < 0 || o->step(*nm, err) < 0) goto fail;
    }
    if (!slept) test_sleep(); /* one statement held every row */
    if (o->exec(s->db, "COMMIT", err) != 0) goto fail;
    rc = 0;
    if (run_id) *run_id = id;
    goto out;
fail:
    rollback(s);
out:
    o->finalize(run);
    o->finalize(tag);
    o->finalize(docst);
    o->finalize(bench);
    o->finalize(name);
    o->finalize(bench_part);
    o->finalize(name_part);
    free(text);
    tach__free(fp);
    tach__free(desc);
    if (rc != 0 && err && !*err) tach__err(err, "cannot record the run in %s", s->name);
    return rc;
}

/* ---- filters ------------------------------------------------------------------------- */

typedef struct binds {
    int n;
    struct { bool is_text; const char *text; int64_t i; } v[12];
    char owned[2][128]; /* copies: commit LIKE pattern, tag key */
} binds;

static void bind_all(tool_store *s, tool_db_stmt *st, const binds *b, int first)
{
    for (int i = 0; i < b->n; i++) {
        if (b->v[i].is_text)
            s->ops->bind_text(st, first + i, b->v[i].text);
        else
            s->ops->bind_int64(st, first + i, b->v[i].i);
    }
}

static void add_text(binds *b, const char *t)
{
    b->v[b->n].is_text = true;
    b->v[b->n].text = t;
    b->n++;
}

static void add_int(binds *b, int64_t i)
{
    b->v[b->n].is_text = false;
    b->v[b->n].i = i;
    b->n++;
}

/* Prepares the query built in q with its binds b, and frees q's text.  NULL, with err
 * set, when building it ran out of memory or the database refused it. */
static tool_db_stmt *prepare_built(tool_store *s, sbuf *q, const binds *b, char *err)
{
    if (q->oom) {
        tach__free(q->p);
        q->p = NULL;
        tach__err(err, "out of memory");
        return NULL;
    }
    tool_db_stmt *st = s->ops->prepare(s->db, q->p, err);
    tach__free(q->p);
    q->p = NULL;
    if (st) bind_all(s, st, b, 1);
    return st;
}

static bool is_hex_prefix(const char *c)
{
    size_t n = strlen(c);
    if (n < 4 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)c[i])) return false;
    return true;
}

/* Appends " AND ..." conditions on tach_runs aliased r (not `last`). */
static int where_runs(const tool_run_filter *f, sbuf *q, binds *b, char *err)
{
    if (!f) return 0;
    if (f->machine) {
        sb_add(q, " AND r.machine = ?");
        add_text(b, f->machine);
    }
    if (f->branch) {
        sb_add(q, " AND r.branch = ?");
        add_text(b, f->branch);
    }
    if (f->commit) {
        if (!is_hex_prefix(f->commit))
            return tach__err(err, "'%s' is not a commit SHA or a prefix of 4 or more hex digits",
                             f->commit);
        if (strlen(f->commit) >= 40) {
            sb_add(q, " AND r.commit_sha = ?");
            add_text(b, f->commit);
        } else {
            char *pat = b->owned[0];
            snprintf(pat, sizeof b->owned[0], "%s%%", f->commit);
            for (char *p = pat; *p; p++) *p = (char)tolower((unsigned char)*p);
            sb_add(q, " AND r.commit_sha LIKE ?");
            add_text(b, pat);
        }
    }
    if (f->tag) {
        const char *eq = strchr(f->tag, '=');
        char *key = b->owned[1];
        size_t kl = eq ? (size_t)(eq - f->tag) : strlen(f->tag);
        if (kl >= sizeof b->owned[1]) kl = sizeof b->owned[1] - 1;
        memcpy(key, f->tag, kl);
        key[kl] = '\0';
        sb_add(q, " AND EXISTS (SELECT 1 FROM tach_run_tags t WHERE t.run_id = r.id AND t.key = ?");
        add_text(b, key);
        if (eq) {
            sb_add(q, " AND t.value = ?");
            add_text(b, eq + 1);
        }
        sb_add(q, ")");
    }
    if (f->after_id > 0) {
        sb_add(q, " AND r.id > ?");
        add_int(b, f->after_id);
    }
    if (f->before_id > 0) {
        sb_add(q, " AND r.id < ?");
        add_int(b, f->before_id);
    }
    return 0;
}

/* ---- runs ------------------------------------------------------------------------------ */

void tool_run_info_clear(tool_run_info *r)
{
    if (!r) return;
    tach__free(r->time);
    tach__free(r->commit);
    tach__free(r->branch);
    tach__free(r->subject);
    tach__free(r->machine);
    tach__free(r->machine_desc);
    tach__free(r->tach_version);
    for (size_t i = 0; i < r->ntags; i++) {
        tach__free(r->tags[i].name);
        tach__free(r->tags[i].value);
    }
    tach__free(r->tags);
    memset(r, 0, sizeof *r);
}

void tool_run_infos_free(tool_run_info *runs, size_t n)
{
    if (!runs) return;
    for (size_t i = 0; i < n; i++) tool_run_info_clear(&runs[i]);
    tach__free(runs);
}

#define RUN_COLUMNS                                                                         \
    "r.id, r.time, r.commit_sha, r.branch, r.dirty, r.subject, r.machine, r.machine_desc," \
    " r.tach_version, r.nbenchmarks, r.nfailed"

static int read_run(tool_store *s, tool_db_stmt *st, tool_run_info *r)
{
    const tool_db_ops *o = s->ops;
    memset(r, 0, sizeof *r);
    r->id = o->col_int64(st, 0);
    r->time = dup_or_null(o->col_text(st, 1));
    r->commit = dup_or_null(o->col_text(st, 2));
    r->branch = dup_or_null(o->col_text(st, 3));
    r->dirty = o->col_null(st, 4) ? -1 : (int)o->col_int64(st, 4);
    r->subject = dup_or_null(o->col_text(st, 5));
    r->machine = dup_or_null(o->col_text(st, 6));
    r->machine_desc = dup_or_null(o->col_text(st, 7));
    r->tach_version = dup_or_null(o->col_text(st, 8));
    r->nbenchmarks = (size_t)o->col_int64(st, 9);
    r->nfailed = (size_t)o->col_int64(st, 10);
    return r->time ? 0 : -1;
}

/* Attaches tags to runs (sorted by descending id) with one query over their id range. */
static int attach_tags(tool_store *s, tool_run_info *runs, size_t n, char *err)
{
    if (n == 0) return 0;
    const tool_db_ops *o = s->ops;
    tool_db_stmt *st = o->prepare(s->db,
                                   "SELECT run_id, key, value FROM tach_run_tags WHERE run_id >= ?"
                                   " AND run_id <= ? ORDER BY run_id, key",
                                   err);
    if (!st) return -1;
    o->bind_int64(st, 1, runs[n - 1].id);
    o->bind_int64(st, 2, runs[0].id);
    int rc;
    while ((rc = o->step(st, err)) == 1) {
        int64_t id = o->col_int64(st, 0);
        size_t lo = 0, hi = n; /* binary search, ids descending */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (runs[mid].id > id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo >= n || runs[lo].id != id) continue;
        tool_run_info *r = &runs[lo];
        tach__param *t = tach__realloc(r->tags, (r->ntags + 1) * sizeof *t);
        if (!t) {
            rc = tach__err(err, "out of memory");
            break;
        }
        r->tags = t;
        t[r->ntags].name = dup_or_null(o->col_text(st, 1));
        t[r->ntags].value = dup_or_null(o->col_text(st, 2));
        r->ntags++;
    }
    o->finalize(st);
    return rc < 0 ? -1 : 0;
}

static int query_runs(tool_store *s, const tool_run_filter *f, int64_t only_id,
                      tool_run_info **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    sbuf q = {0};
    binds b = {0};
    sb_add(&q, "SELECT " RUN_COLUMNS " FROM tach_runs r WHERE 1 = 1");
    if (only_id) {
        sb_add(&q, " AND r.id = ?");
        add_int(&b, only_id);
    }
    if (where_runs(f, &q, &b, err) != 0) {
        tach__free(q.p);
        return -1;
    }
    sb_add(&q, " ORDER BY r.id DESC");
    if (f && f->last) {
        sb_add(&q, " LIMIT ?");
        add_int(&b, (int64_t)f->last);
    }
    tool_db_stmt *st = prepare_built(s, &q, &b, err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            tool_run_info *r = tach__realloc(*out, cap * sizeof **out);
            if (!r) {
                rc = tach__err(err, "out of memory");
                break;
            }
            *out = r;
        }
        if (read_run(s, st, &(*out)[*n]) != 0) {
            tool_run_info_clear(&(*out)[*n]);
            rc = tach__err(err, "out of memory");
            break;
        }
        (*n)++;
    }
    s->ops->finalize(st);
    if (rc == 0) rc = attach_tags(s, *out, *n, err);
    if (rc < 0) {
        tool_run_infos_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int tool_store_runs(tool_store *s, const tool_run_filter *f, tool_run_info **out,
                     size_t *n, char *err)
{
    return query_runs(s, f, 0, out, n, err);
}

static int not_found_run(const tool_store *s, int64_t id, char *err)
{
    tach__err(err, "no run %lld in store %s", (long long)id, s->name);
    return TOOL_STORE_NOT_FOUND;
}

int tool_store_run_get(tool_store *s, int64_t id, tool_run_info *out, char *err)
{
    memset(out, 0, sizeof *out);
    if (id <= 0) return not_found_run(s, id, err);
    tool_run_info *runs = NULL;
    size_t n = 0;
    if (query_runs(s, NULL, id, &runs, &n, err) != 0) return -1;
    if (n == 0) {
        tool_run_infos_free(runs, n);
        return not_found_run(s, id, err);
    }
    *out = runs[0];
    tach__free(runs);
    return 0;
}

static int latest_id(tool_store *s, const tool_run_filter *f, int64_t *id, char *err)
{
    sbuf q = {0};
    binds b = {0};
    sb_add(&q, "SELECT r.id FROM tach_runs r WHERE 1 = 1");
    if (where_runs(f, &q, &b, err) != 0) {
        tach__free(q.p);
        return -1;
    }
    sb_add(&q, " ORDER BY r.id DESC LIMIT 1");
    tool_db_stmt *st = prepare_built(s, &q, &b, err);
    if (!st) return -1;
    int rc = s->ops->step(st, err);
    if (rc == 1) *id = s->ops->col_int64(st, 0);
    s->ops->finalize(st);
    if (rc < 0) return -1;
    return rc == 1 ? 0 : TOOL_STORE_NOT_FOUND;
}

int tool_store_latest(tool_store *s, const tool_run_filter *f, int64_t *id, char *err)
{
    int rc = latest_id(s, f, id, err);
    if (rc == TOOL_STORE_NOT_FOUND)
        tach__err(err, "no run%s in store %s", f ? " matching" : "", s->name);
    return rc;
}

int tool_store_latest_on_commit(tool_store *s, const char *commit, const char *machine,
                                 int64_t *id, char *err)
{
    if (!commit || !is_hex_prefix(commit)) {
        tach__err(err, "'%s' is not a commit SHA or a prefix of 4 or more hex digits",
                  commit ? commit : "");
        return TOOL_STORE_NOT_FOUND;
    }
    tool_run_filter f = {.commit = commit, .machine = machine};
    int rc = latest_id(s, &f, id, err);
    if (rc == TOOL_STORE_NOT_FOUND)
        tach__err(err, "no run on commit %s%s in store %s", commit,
                  machine ? " on this machine" : "", s->name);
    return rc;
}

int tool_store_load_json(tool_store *s, int64_t id, char **json, size_t *len, char *err)
{
    *json = NULL;
    tool_db_stmt *st =
        s->ops->prepare(s->db, "SELECT doc FROM tach_run_docs WHERE run_id = ?", err);
    if (!st) return -1;
    s->ops->bind_int64(st, 1, id);
    int rc = s->ops->step(st, err);
    if (rc == 1) {
        const char *t = s->ops->col_text(st, 0);
        *json = tach__strdup(t ? t : "");
        if (!*json) rc = tach__err(err, "out of memory");
        else if (len) *len = strlen(*json);
    }
    s->ops->finalize(st);
    if (rc < 0) return -1;
    if (rc == 0) return not_found_run(s, id, err);
    return 0;
}

int tool_store_load(tool_store *s, int64_t id, tach__doc **out, char *err)
{
    *out = NULL;
    char *text = NULL;
    int rc = tool_store_load_json(s, id, &text, NULL, err);
    if (rc != 0) return rc;
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    tach__free(text);
    if (!j)
        return tach__err(err, "run %lld in store %s holds a damaged document: %s", (long long)id,
                         s->name, je.text);
    char derr[TACH__ERR_MAX] = "";
    *out = tach__doc_from_json(j, derr);
    json_decref(j);
    if (!*out)
        return tach__err(err, "run %lld in store %s holds an unreadable document: %s",
                         (long long)id, s->name, derr);
    return 0;
}

/* ---- one run's benchmarks ------------------------------------------------------------------ */

void tool_bench_rows_free(tool_bench_row *rows, size_t n)
{
    if (!rows) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(rows[i].name);
        tach__free(rows[i].sample_ns);
    }
    tach__free(rows);
}

static int run_exists(tool_store *s, int64_t id, char *err)
{
    tool_db_stmt *st = s->ops->prepare(s->db, "SELECT 1 FROM tach_runs WHERE id = ?", err);
    if (!st) return -1;
    s->ops->bind_int64(st, 1, id);
    int rc = s->ops->step(st, err);
    s->ops->finalize(st);
    if (rc < 0) return -1;
    return rc == 1 ? 0 : not_found_run(s, id, err);
}

int tool_store_run_benchmarks(tool_store *s, int64_t id, tool_bench_row **out, size_t *n,
                               char *err)
{
    *out = NULL;
    *n = 0;
    int rc = run_exists(s, id, err);
    if (rc != 0) return rc;
    const tool_db_ops *o = s->ops;
    tool_db_stmt *st = o->prepare(s->db,
                                   "SELECT name, status, median, median_lo, median_hi, mean, cv, n,"
                                   " samples FROM tach_benchmarks WHERE run_id = ? ORDER BY pos",
                                   err);
    if (!st) return -1;
    o->bind_int64(st, 1, id);
    size_t cap = 0;
    while ((rc = o->step(st, err)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            tool_bench_row *r = tach__realloc(*out, cap * sizeof **out);
            if (!r) {
                rc = tach__err(err, "out of memory");
                break;
            }
            *out = r;
        }
        tool_bench_row *r = &(*out)[*n];
        memset(r, 0, sizeof *r);
        (*n)++;
        r->name = dup_or_null(o->col_text(st, 0));
        const char *status = o->col_text(st, 1);
        if (!status || tach__status_parse(status, &r->status) != 0) r->status = TACH__FAILED;
        r->median = o->col_double(st, 2);
        r->median_lo = o->col_double(st, 3);
        r->median_hi = o->col_double(st, 4);
        r->mean = o->col_double(st, 5);
        r->cv = o->col_double(st, 6);
        size_t len = 0;
        const unsigned char *blob = o->col_blob(st, 8, &len);
        if (blob && len >= 8) r->sample_ns = decode_samples(blob, len, &r->n);
        if (!r->name || (blob && len >= 8 && !r->sample_ns)) {
            rc = tach__err(err, "out of memory");
            break;
        }
    }
    o->finalize(st);
    if (rc < 0) {
        tool_bench_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* ---- history ------------------------------------------------------------------------------ */

void tool_history_free(tool_history_point *pts, size_t n)
{
    if (!pts) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(pts[i].time);
        tach__free(pts[i].commit);
        tach__free(pts[i].branch);
        tach__free(pts[i].machine);
    }
    tach__free(pts);
}

int tool_store_history(tool_store *s, const char *name, const tool_run_filter *f,
                        tool_history_point **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    sbuf q = {0};
    binds b = {0};
    sb_add(&q, "SELECT b.run_id, r.time, r.commit_sha, r.branch, r.machine, b.status, b.median,"
               " b.median_lo, b.median_hi, b.mean, b.n FROM tach_benchmarks b"
               " JOIN tach_runs r ON r.id = b.run_id WHERE b.name = ?");
    add_text(&b, name);
    if (where_runs(f, &q, &b, err) != 0) {
        tach__free(q.p);
        return -1;
    }
    sb_add(&q, " ORDER BY b.run_id DESC, b.pos DESC");
    if (f && f->last) {
        sb_add(&q, " LIMIT ?");
        add_int(&b, (int64_t)f->last);
    }
    const tool_db_ops *o = s->ops;
    tool_db_stmt *st = prepare_built(s, &q, &b, err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = o->step(st, err)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            tool_history_point *p = tach__realloc(*out, cap * sizeof **out);
            if (!p) {
                rc = tach__err(err, "out of memory");
                break;
            }
            *out = p;
        }
        tool_history_point *p = &(*out)[*n];
        memset(p, 0, sizeof *p);
        (*n)++;
        p->run_id = o->col_int64(st, 0);
        p->time = dup_or_null(o->col_text(st, 1));
        p->commit = dup_or_null(o->col_text(st, 2));
        p->branch = dup_or_null(o->col_text(st, 3));
        p->machine = dup_or_null(o->col_text(st, 4));
        const char *status = o->col_text(st, 5);
        if (!status || tach__status_parse(status, &p->status) != 0) p->status = TACH__FAILED;
        p->median = o->col_double(st, 6);
        p->median_lo = o->col_double(st, 7);
        p->median_hi = o->col_double(st, 8);
        p->mean = o->col_double(st, 9);
        p->n = (size_t)o->col_int64(st, 10);
        if (!p->time) {
            rc = tach__err(err, "out of memory");
            break;
        }
    }
    o->finalize(st);
    if (rc < 0) {
        tool_history_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    for (size_t i = 0; i < *n / 2; i++) { /* oldest first */
        tool_history_point t = (*out)[i];
        (*out)[i] = (*out)[*n - 1 - i];
        (*out)[*n - 1 - i] = t;
    }
    return 0;
}

void tool_names_free(char **names, size_t n)
{
    if (!names) return;
    for (size_t i = 0; i < n; i++) tach__free(names[i]);
    tach__free(names);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tool_store_benchmark_names(tool_store *s, const tool_run_filter *f, char ***names,
                                size_t *n, char *err)
{
    *names = NULL;
    *n = 0;
    sbuf q = {0};
    binds b = {0};
    bool filtered = f && (f->machine || f->branch || f->commit || f->tag || f->after_id ||
                          f->before_id || f->last);
    if (!filtered) {
        sb_add(&q, "SELECT name FROM tach_names");
    } else {
        sb_add(&q, "SELECT DISTINCT b.name FROM tach_benchmarks b WHERE b.run_id IN"
                   " (SELECT r.id FROM tach_runs r WHERE 1 = 1");
        if (where_runs(f, &q, &b, err) != 0) {
            tach__free(q.p);
            return -1;
        }
        sb_add(&q, " ORDER BY r.id DESC");
        if (f->last) {
            sb_add(&q, " LIMIT ?");
            add_int(&b, (int64_t)f->last);
        }
        sb_add(&q, ")");
    }
    tool_db_stmt *st = prepare_built(s, &q, &b, err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            char **r = tach__realloc(*names, cap * sizeof **names);
            if (!r) {
                rc = tach__err(err, "out of memory");
                break;
            }
            *names = r;
        }
        const char *t = s->ops->col_text(st, 0);
        (*names)[*n] = tach__strdup(t ? t : "");
        if (!(*names)[*n]) {
            rc = tach__err(err, "out of memory");
            break;
        }
        (*n)++;
    }
    s->ops->finalize(st);
    if (rc < 0) {
        tool_names_free(*names, *n);
        *names = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1) qsort(*names, *n, sizeof **names, cmp_str);
    return 0;
}

/* ---- baselines ------------------------------------------------------------------------------ */

static int check_baseline_name(const char *name, char *err)
{
    if (!name || !*name) return tach__err(err, "a baseline needs a name");
    bool digits = true;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!isdigit(c)) digits = false;
        if (!isalnum(c) && !strchr("._-/+@", c))
            return tach__err(err,
                             "baseline name '%s' has a '%c': use letters, digits and . _ - / + @",
                             name, c);
    }
    if (digits)
        return tach__err(err, "baseline name '%s' is all digits, which would read as a run id",
                         name);
    if (!strcmp(name, "latest"))
        return tach__err(err, "baseline name 'latest' would read as the latest run; choose another");
    if (strlen(name) > 200) return tach__err(err, "baseline name '%.40s...' is too long", name);
    return 0;
}

int tool_store_baseline_save(tool_store *s, const char *name, int64_t run_id, char *err)
{
    if (check_baseline_name(name, err) != 0) return -1;
    if (s->ops->begin_write(s->db, err) != 0) return -1;
    int rc = run_exists(s, run_id, err);
    if (rc != 0) {
        rollback(s);
        return rc;
    }
    tool_db_stmt *st = s->ops->prepare(
        s->db,
        "INSERT INTO tach_baselines (name, run_id, time) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, time = excluded.time",
        err);
    char when[64];
    now_iso(when, sizeof when);
    if (st) {
        s->ops->bind_text(st, 1, name);
        s->ops->bind_int64(st, 2, run_id);
        s->ops->bind_text(st, 3, when);
        rc = s->ops->step(st, err) < 0 ? -1 : 0;
        s->ops->finalize(st);
    } else {
        rc = -1;
    }
    if (rc == 0 && s->ops->exec(s->db, "COMMIT", err) == 0) return 0;
    rollback(s);
    return -1;
}

int tool_store_baseline_get(tool_store *s, const char *name, int64_t *run_id, char *err)
{
    tool_db_stmt *st =
        s->ops->prepare(s->db, "SELECT run_id FROM tach_baselines WHERE name = ?", err);
    if (!st) return -1;
    s->ops->bind_text(st, 1, name);
    int rc = s->ops->step(st, err);
    if (rc == 1) *run_id = s->ops->col_int64(st, 0);
    s->ops->finalize(st);
    if (rc < 0) return -1;
    if (rc == 0) {
        tach__err(err, "no baseline '%s' in store %s", name, s->name);
        return TOOL_STORE_NOT_FOUND;
    }
    return 0;
}

void tool_baselines_free(tool_baseline *b, size_t n)
{
    if (!b) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(b[i].name);
        tach__free(b[i].time);
    }
    tach__free(b);
}

static int cmp_baseline(const void *a, const void *b)
{
    return strcmp(((const tool_baseline *)a)->name, ((const tool_baseline *)b)->name);
}

int tool_store_baseline_list(tool_store *s, tool_baseline **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    tool_db_stmt *st = s->ops->prepare(s->db, "SELECT name, run_id, time FROM tach_baselines", err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            tool_baseline *r = tach__realloc(*out, cap * sizeof **out);
            if (!r) {
                rc = tach__err(err, "out of memory");
                break;
            }
            *out = r;
        }
        tool_baseline *b = &(*out)[*n];
        (*n)++;
        b->name = dup_or_null(s->ops->col_text(st, 0));
        b->run_id = s->ops->col_int64(st, 1);
        b->time = dup_or_null(s->ops->col_text(st, 2));
        if (!b->name || !b->time) {
            rc = tach__err(err, "out of memory");
            break;
        }
    }
    s->ops->finalize(st);
    if (rc < 0) {
        tool_baselines_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_baseline);
    return 0;
}

int tool_store_baseline_rm(tool_store *s, const char *name, char *err)
{
    tool_db_stmt *st = s->ops->prepare(
        s->db, "DELETE FROM tach_baselines WHERE name = ? RETURNING run_id", err);
    if (!st) return -1;
    s->ops->bind_text(st, 1, name);
    int rc = s->ops->step(st, err);
    if (rc == 1) { /* drain, so the statement completes */
        while ((rc = s->ops->step(st, err)) == 1) {
        }
        if (rc == 0) rc = 1;
    }
    s->ops->finalize(st);
    if (rc < 0) return -1;
    if (rc == 0) {
        tach__err(err, "no baseline '%s' in store %s", name, s->name);
        return TOOL_STORE_NOT_FOUND;
    }
    return 0;
}
