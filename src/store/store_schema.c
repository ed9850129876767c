/*
 * store_schema.c - the store's schema, its creation and its migrations.
 *
 * Schema (version 3; @-types spelled per backend, see db.h):
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
 * Version 3 changed data only: a run recorded from another tool's file has no machine
 * (tach_runs.machine NULL), as tool_store_record now records it.
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

#include "json_text.h"
#include "store_internal.h"

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
        if (TACH__GROW(&rows, &cap, n + 1, 64) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        size_t len = 0, ns = 0;
        const unsigned char *blob = s->ops->col_blob(q, 2, &len);
        double *x = blob ? tool_st_decode_samples(blob, len, &ns) : NULL;
        rows[n].run = s->ops->col_int64(q, 0);
        rows[n].pos = s->ops->col_int64(q, 1);
        rows[n].cv = x ? tool_st_cv_of(x, ns) : NAN;
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

/* v2 -> v3: tach before schema 3 recorded a run from another tool's file (context.tool
 * "import:gbench", "import:hyperfine", "import:hlog") with a fingerprint that hashed the
 * machine facts the file lacks as null: every hyperfine import of any machine had one
 * fingerprint, so their runs were taken for one machine (history's noise, compare's
 * machine check).  Such a run has no machine, as tool_store_record records it now
 * (tach__env_fingerprint_whole); a run of tach's own keeps its fingerprint. */
static bool imported_without_facts(const char *doc)
{
    json_error_t je;
    json_t *j = json_loads(doc, 0, &je);
    const json_t *ctx = json_object_get(j, "context");
    const char *tool = json_string_value(json_object_get(ctx, "tool"));
    bool foreign = tool && !strncmp(tool, "import:", 7) && !tach__env_fingerprint_whole(ctx);
    json_decref(j);
    return foreign;
}

static int migrate_import_machines(tool_store *s, char *err)
{
    /* LIKE only narrows the documents parsed (context.tool is the JSON string "import:...") */
    tool_db_stmt *q = s->ops->prepare(
        s->db,
        "SELECT r.id, d.doc FROM tach_runs r JOIN tach_run_docs d ON d.run_id = r.id"
        " WHERE r.machine IS NOT NULL AND d.doc LIKE '%\"import:%'",
        err);
    tool_db_stmt *u =
        q ? s->ops->prepare(s->db, "UPDATE tach_runs SET machine = NULL WHERE id = ?", err) : NULL;
    if (!u) {
        s->ops->finalize(q);
        return -1;
    }
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = s->ops->step(q, err)) == 1) {
        const char *doc = s->ops->col_text(q, 1);
        if (!doc || !imported_without_facts(doc)) continue;
        if (TACH__GROW(&ids, &cap, n + 1, 16) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        ids[n++] = s->ops->col_int64(q, 0);
    }
    s->ops->finalize(q);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        s->ops->reset(u);
        s->ops->bind_int64(u, 1, ids[i]);
        if (s->ops->step(u, err) < 0) rc = -1;
    }
    s->ops->finalize(u);
    tach__free(ids);
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
    if (!ok) return tool_st_damaged(s, err, "its tach_meta has no valid schema_version");
    *version = (int)n;
    return 0;
}

/* Every column tach reads and writes, in one statement that reads no row, and the keys its
 * upserts need (an SQLite statement is checked when prepared; a PostgreSQL one is sent only
 * when run, and the server keeps its tables' keys): a store whose tables were altered by
 * hand is refused when opened, not half way through a command (after a run: its results
 * lost). */
static const char *const SCHEMA_PROBES[] = {
    "SELECT r.id, r.time, r.commit_sha, r.branch, r.dirty, r.subject, r.machine, r.machine_desc,"
    " r.tach_version, r.nbenchmarks, r.nfailed, t.run_id, t.key, t.value, d.run_id, d.doc,"
    " b.run_id, b.pos, b.name, b.status, b.median, b.median_lo, b.median_hi, b.mean, b.n,"
    " b.samples, b.cv, n.name, l.name, l.run_id, l.time, m.key, m.value FROM tach_runs r,"
    " tach_run_tags t, tach_run_docs d, tach_benchmarks b, tach_names n, tach_baselines l,"
    " tach_meta m WHERE 1 = 0",
    "INSERT INTO tach_runs (id, time, nbenchmarks, nfailed) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (id) DO NOTHING",
    "INSERT INTO tach_run_tags (run_id, key, value) VALUES (?, ?, ?)"
    " ON CONFLICT (run_id, key) DO NOTHING",
    "INSERT INTO tach_run_docs (run_id, doc) VALUES (?, ?) ON CONFLICT (run_id) DO NOTHING",
    "INSERT INTO tach_benchmarks (run_id, pos, name, status, n) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (run_id, pos) DO NOTHING",
    "INSERT INTO tach_names (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
    "INSERT INTO tach_baselines (name, run_id, time) VALUES (?, ?, ?)"
    " ON CONFLICT (name) DO NOTHING",
};

static int check_tables(tool_store *s, char *err)
{
    for (size_t i = 0; i < sizeof SCHEMA_PROBES / sizeof SCHEMA_PROBES[0]; i++) {
        char why[TACH__ERR_MAX] = "";
        tool_db_stmt *st = s->ops->prepare(s->db, SCHEMA_PROBES[i], why);
        int rc = !st ? -1 : i == 0 ? s->ops->step(st, why) : 0; /* only the SELECT is run */
        s->ops->finalize(st);
        if (rc < 0 && s->ops->is_corrupt(s->db)) return tach__err(err, "%s", why); /* a damaged page */
        if (rc < 0) return tool_st_damaged(s, err, "its tables are not as tach makes them (%s)", why);
    }
    return 0;
}

/* Refuses a store of a newer schema, version, kept as the one found (s->schema: what
 * tool_store_open_ex's fault tells). */
static int newer_error(tool_store *s, int version, char *err)
{
    s->schema = version;
    return tach__err(err,
                     "store %s was written by a newer tach (schema version %d; this tach %s "
                     "knows up to %d): upgrade tach to use it",
                     s->name, version, tach_version(), TOOL_STORE_SCHEMA);
}

int tool_st_ensure_schema(tool_store *s, bool can_write, char *err)
{
    int v = 0;
    if (read_version(s, &v, err) != 0) return -1;
    if (v > TOOL_STORE_SCHEMA) return newer_error(s, v, err);
    if (v == TOOL_STORE_SCHEMA) {
        s->schema = v;
        return check_tables(s, err);
    }
    if (!can_write) {
        if (v == 0) return tach__err(err, "%s is not a tach store", s->name);
        /* (only a store this user cannot write is opened read-only: naming a reading
         * command here, as "e.g. tach history" once did, sent them back to the command
         * they had just run) */
        return tach__err(err,
                         "store %s has schema version %d and must be migrated to %d, which "
                         "writes it, but this user cannot write it: a user who can (its "
                         "owner) migrates it with any tach command on it, e.g. tach record "
                         "or tach run",
                         s->name, v, TOOL_STORE_SCHEMA);
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
    int from = v;
    char why[TACH__ERR_MAX] = "";
    if (v == 0) {
        if (exec_ddl(s, SCHEMA_V1, why) != 0) goto failed;
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO tach_meta (key, value) VALUES ('created_by', 'tach %s')",
                 tach_version());
        if (s->ops->exec(s->db, sql, why) != 0) goto failed;
        v = 1;
    }
    if (v == 1) {
        if (exec_ddl(s, MIGRATE_V1_V2, why) != 0 || migrate_cv(s, why) != 0) goto failed;
        v = 2;
    }
    if (v == 2) {
        if (migrate_import_machines(s, why) != 0) goto failed;
        v = 3;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE tach_meta SET value = '%d' WHERE key = 'schema_version'", v);
    if (s->ops->exec(s->db, sql, why) != 0) goto failed;
    if (s->ops->exec(s->db, "COMMIT", why) != 0) goto failed;
    if (pg) s->ops->exec(s->db, "SELECT pg_advisory_unlock(7412630968342012001)", NULL);
    s->schema = v;
    return check_tables(s, err);
failed: /* a store marked older than its tables are (a table that exists already) */
    if (from == 0)
        tach__err(err, "store %s: cannot create tach's tables: %s", s->name, why);
    else
        tach__err(err, "store %s: cannot migrate it from schema version %d to %d: %s", s->name,
                  from, TOOL_STORE_SCHEMA, why);
fail:
    tool_st_rollback(s);
unlock:
    if (pg) s->ops->exec(s->db, "SELECT pg_advisory_unlock(7412630968342012001)", NULL);
    return -1;
}
