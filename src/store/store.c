/*
 * store.c - the history store over its two backends (see store.h, db.h): opening and
 * closing a store.  The helpers the store's files share (store_internal.h) are in
 * store_util.c, the schema and its migrations in store_schema.c, recording a run in
 * store_record.c, the run filter's query building in store_filter.c, reading runs in
 * store_runs.c, a benchmark's history in store_history.c, baselines in
 * store_baseline.c.
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

int tool_store_check_spec(const char *spec, char *err)
{
    if (tool_store_spec_is_postgres(spec)) return 0;
    if (!*spec) return tach__err(err, "the store is an empty name: give a file path or a postgresql:// URL");
    if (!strcmp(spec, ":memory:") || !strncmp(spec, "file:", 5))
        return tach__err(err,
                         "store %s: SQLite's special names are not stores (an in-memory one would "
                         "vanish at exit): give a file path",
                         spec);
    const char *scheme = strstr(spec, "://");
    if (scheme) {
        bool word = scheme > spec;
        for (const char *p = spec; p < scheme; p++)
            if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.') word = false;
        if (word) {
            char *shown = tach__redact_url(spec);
            tach__err(err,
                      "store %s: unknown URL scheme '%.*s' (a store is a file path or a "
                      "postgresql:// URL)",
                      shown ? shown : "(out of memory)", (int)(scheme - spec), spec);
            tach__free(shown);
            return -1;
        }
    }
    const char *slash = strrchr(spec, '/');
    if (slash && slash != spec) {
        char dir[PATH_MAX];
        if ((size_t)(slash - spec) >= sizeof dir) return tach__err(err, "store %s: path too long", spec);
        memcpy(dir, spec, (size_t)(slash - spec));
        dir[slash - spec] = '\0';
        struct stat sb;
        if (stat(dir, &sb) != 0)
            return tach__err(err, "store %s: its directory %s does not exist (%s)", spec, dir,
                             strerror(errno));
        if (!S_ISDIR(sb.st_mode))
            return tach__err(err, "store %s: %s is not a directory", spec, dir);
    }
    return 0;
}

/* Whether the PostgreSQL role may record a run (insert into every table a run goes in,
 * and take the next run id): a command about to write learns it before anything runs,
 * as it does of an SQLite file it may not write, and not at the first INSERT after a
 * whole run.  0, or -1 with a message naming the store, the role and the table. */
static int pg_may_record(tool_store *s, char *err, bool *denied)
{
    tool_db_stmt *st = s->ops->prepare(
        s->db,
        "SELECT current_user, 'insert into ' || t FROM unnest(ARRAY['tach_runs',"
        " 'tach_run_tags', 'tach_run_docs', 'tach_benchmarks', 'tach_names']) AS t"
        " WHERE NOT has_table_privilege(t, 'INSERT')"
        " UNION ALL SELECT current_user, 'use the sequence of tach_runs.id'"
        " WHERE NOT has_sequence_privilege(pg_get_serial_sequence('tach_runs', 'id'), 'USAGE')"
        " LIMIT 1",
        err);
    if (!st) return -1;
    int rc = s->ops->step(st, err);
    *denied = rc == 1;
    if (rc == 1)
        tach__err(err, "cannot write store %s: its role %s may not %s", s->name,
                  s->ops->col_text(st, 0) ? s->ops->col_text(st, 0) : "?",
                  s->ops->col_text(st, 1) ? s->ops->col_text(st, 1) : "?");
    s->ops->finalize(st);
    return rc == 0 ? 0 : -1;
}

tool_store *tool_store_open(const char *spec, int flags, char *err)
{
    return tool_store_open_ex(spec, flags, NULL, err);
}

/* Whether an SQLite store at path that could not be opened to write is one this process
 * may not write (TOOL_STORE_FAULT_DENIED): the file, or the directory that holds it or
 * would (its nearest existing ancestor, for one not made yet).  Then why, "its directory
 * D: REASON" or the file's REASON, in why (size bytes). */
static bool sqlite_denied(const char *path, char *why, size_t size)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && access(path, W_OK) != 0) {
        snprintf(why, size, "%s", strerror(errno));
        return true;
    }
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) return false;
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash) snprintf(dir, sizeof dir, ".");
        else if (slash == dir) dir[1] = '\0';
        else *slash = '\0';
        if (stat(dir, &sb) == 0) break;
        if (errno != ENOENT || !slash || slash == dir) return false;
    }
    if (!S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK) == 0) return false;
    snprintf(why, size, "its directory %s: %s", dir, strerror(errno));
    return true;
}

/* Why a store that failed to open did (tool_store_fault), from its half-open handle s. */
static tool_store_fault fault_of(const tool_store *s, bool damaged)
{
    if (damaged || tool_store_is_corrupt(s)) return TOOL_STORE_FAULT_DAMAGED;
    if (s->schema > TOOL_STORE_SCHEMA) return TOOL_STORE_FAULT_NEWER;
    return TOOL_STORE_FAULT_ACCESS;
}

tool_store *tool_store_open_ex(const char *spec, int flags, tool_store_fault *fault, char *err)
{
    tool_store_fault ignored;
    if (!fault) fault = &ignored;
    *fault = TOOL_STORE_FAULT_ACCESS;
    bool create = flags & TOOL_STORE_CREATE, readonly = flags & TOOL_STORE_READONLY;
    tool_store *s = tach__calloc(1, sizeof *s);
    if (!s) {
        tach__err(err, "out of memory");
        return NULL;
    }
    s->name = spec ? tach__redact_url(spec) : tool_store_default_path(NULL, err);
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
        bool damaged = false;
        s->db = tool_db_sqlite_open(spec ? spec : s->name, create, readonly,
                                     flags & TOOL_STORE_CHECK, &found, &damaged, err);
        char why[PATH_MAX + 128];
        if (!s->db) *fault = fault_of(s, damaged);
        /* made read-only (or immutable) since a command's check before its work: a store
         * that cannot be written, not one that failed (SQLite may say only "unable to
         * open database file") */
        if (!s->db && *fault == TOOL_STORE_FAULT_ACCESS && !readonly &&
            (create || (flags & TOOL_STORE_CHECK)) && sqlite_denied(path, why, sizeof why)) {
            *fault = TOOL_STORE_FAULT_DENIED;
            if (!err || !strstr(err, "cannot write store "))
                tach__err(err, "cannot write store %s: %s", path, why);
        }
    }
    if (!s->db) {
        tool_store_close(s);
        return NULL;
    }
    bool denied = false;
    if (tool_st_ensure_schema(s, !readonly, err) != 0 ||
        (s->kind == TOOL_STORE_POSTGRES && (flags & TOOL_STORE_CHECK) && !readonly &&
         pg_may_record(s, err, &denied) != 0)) {
        *fault = denied ? TOOL_STORE_FAULT_DENIED : fault_of(s, false);
        tool_store_close(s);
        return NULL;
    }
    *fault = TOOL_STORE_FAULT_NONE;
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
    return s && (s->damage[0] || (s->db && s->ops->is_corrupt(s->db)));
}

const char *tool_store_damage(const tool_store *s)
{
    return s && s->damage[0] ? s->damage : NULL;
}
