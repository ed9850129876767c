/* store_runs.c - reading runs: lists, one run, the latest, a run's document and its
 * benchmark rows. */
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

/* 0, or -1 with err: out of memory, or a row tach never writes (the store is damaged). */
static int read_run(tool_store *s, tool_db_stmt *st, tool_run_info *r, char *err)
{
    const tool_db_ops *o = s->ops;
    memset(r, 0, sizeof *r);
    int64_t nb = 0, nf = 0, dirty = o->col_int64(st, 4);
    const char *time = tool_st_col_str(s, st, 1);
    r->id = o->col_int64(st, 0);
    bool dirty_ok =
        o->col_null(st, 4) || (o->col_type(st, 4) == TOOL_DB_INT && (dirty == 0 || dirty == 1));
    const char *bad = o->col_type(st, 0) != TOOL_DB_INT || r->id <= 0 ? "id"
                      : !time                                           ? "time"
                      : !dirty_ok                                       ? "dirty"
                      : !tool_st_col_count(s, st, 9, &nb)               ? "nbenchmarks"
                      : !tool_st_col_count(s, st, 10, &nf) || nf > nb   ? "nfailed"
                                                                        : NULL;
    if (bad)
        return tool_st_damaged(s, err, "run %lld has a bad %s in tach_runs", (long long)r->id, bad);
    r->time = dup_or_null(time);
    r->commit = dup_or_null(o->col_text(st, 2));
    r->branch = dup_or_null(o->col_text(st, 3));
    r->dirty = o->col_null(st, 4) ? -1 : (int)dirty;
    r->subject = dup_or_null(o->col_text(st, 5));
    r->machine = dup_or_null(o->col_text(st, 6));
    r->machine_desc = dup_or_null(o->col_text(st, 7));
    r->tach_version = dup_or_null(o->col_text(st, 8));
    r->nbenchmarks = (size_t)nb;
    r->nfailed = (size_t)nf;
    return r->time ? 0 : tach__err(err, "out of memory");
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
        const char *key = tool_st_col_str(s, st, 1), *value = tool_st_col_str(s, st, 2);
        if (!key || !value) {
            rc = tool_st_damaged(s, err, "a tag of run %lld has no key or value in tach_run_tags",
                                 (long long)id);
            break;
        }
        t[r->ntags].name = tach__strdup(key);
        t[r->ntags].value = tach__strdup(value);
        r->ntags++;
        if (!t[r->ntags - 1].name || !t[r->ntags - 1].value) {
            rc = tach__err(err, "out of memory");
            break;
        }
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
    tool_st_binds b = {0};
    sb_add(&q, "SELECT " RUN_COLUMNS " FROM tach_runs r WHERE 1 = 1");
    if (only_id) {
        sb_add(&q, " AND r.id = ?");
        tool_st_add_int(&b, only_id);
    }
    if (tool_st_where_runs(f, &q, &b, err) != 0) {
        tach__free(q.p);
        return -1;
    }
    sb_add(&q, " ORDER BY r.id DESC");
    if (f && f->last) {
        sb_add(&q, " LIMIT ?");
        tool_st_add_int(&b, (int64_t)f->last);
    }
    tool_db_stmt *st = tool_st_prepare_built(s, &q, &b, err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        if (TACH__GROW(out, &cap, *n + 1, 16) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        if (read_run(s, st, &(*out)[*n], err) != 0) {
            tool_run_info_clear(&(*out)[*n]);
            rc = -1;
            break;
        }
        (*n)++;
        if (*n > 1 && (*out)[*n - 1].id == (*out)[*n - 2].id) { /* ids descend */
            rc = tool_st_damaged(s, err, "run %lld is in tach_runs twice",
                                 (long long)(*out)[*n - 1].id);
            break;
        }
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

int tool_st_not_found_run(const tool_store *s, int64_t id, char *err)
{
    tach__err(err, "no run %lld in store %s", (long long)id, s->name);
    return TOOL_STORE_NOT_FOUND;
}

int tool_store_run_get(tool_store *s, int64_t id, tool_run_info *out, char *err)
{
    memset(out, 0, sizeof *out);
    if (id <= 0) return tool_st_not_found_run(s, id, err);
    tool_run_info *runs = NULL;
    size_t n = 0;
    if (query_runs(s, NULL, id, &runs, &n, err) != 0) return -1;
    if (n == 0) {
        tool_run_infos_free(runs, n);
        return tool_st_not_found_run(s, id, err);
    }
    *out = runs[0];
    tach__free(runs);
    return 0;
}

static int latest_id(tool_store *s, const tool_run_filter *f, int64_t *id, char *err)
{
    sbuf q = {0};
    tool_st_binds b = {0};
    sb_add(&q, "SELECT r.id FROM tach_runs r WHERE 1 = 1");
    if (tool_st_where_runs(f, &q, &b, err) != 0) {
        tach__free(q.p);
        return -1;
    }
    sb_add(&q, " ORDER BY r.id DESC LIMIT 1");
    tool_db_stmt *st = tool_st_prepare_built(s, &q, &b, err);
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
    if (!commit || !tool_st_is_hex_prefix(commit)) {
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
    if (rc == 0) {
        rc = tool_st_run_exists(s, id, err);
        if (rc != 0) return rc;
        return tool_st_damaged(s, err, "run %lld has no results document in tach_run_docs",
                               (long long)id);
    }
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
    if (!j) {
        tach__err(err, "run %lld in store %s holds a damaged document: %s", (long long)id, s->name,
                  je.text);
        return tool_st_mark_damaged(s, err);
    }
    char derr[TACH__ERR_MAX] = "";
    *out = tach__doc_from_json(j, derr);
    json_decref(j);
    if (!*out) {
        tach__err(err, "run %lld in store %s holds an unreadable document: %s", (long long)id,
                  s->name, derr);
        return tool_st_mark_damaged(s, err);
    }
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

int tool_st_run_exists(tool_store *s, int64_t id, char *err)
{
    tool_db_stmt *st = s->ops->prepare(s->db, "SELECT 1 FROM tach_runs WHERE id = ?", err);
    if (!st) return -1;
    s->ops->bind_int64(st, 1, id);
    int rc = s->ops->step(st, err);
    s->ops->finalize(st);
    if (rc < 0) return -1;
    return rc == 1 ? 0 : tool_st_not_found_run(s, id, err);
}

int tool_store_run_benchmarks(tool_store *s, int64_t id, tool_bench_row **out, size_t *n,
                               char *err)
{
    *out = NULL;
    *n = 0;
    const tool_db_ops *o = s->ops;
    tool_db_stmt *st = o->prepare(s->db, "SELECT nbenchmarks FROM tach_runs WHERE id = ?", err);
    if (!st) return -1;
    o->bind_int64(st, 1, id);
    int rc = o->step(st, err);
    int64_t want = rc == 1 ? o->col_int64(st, 0) : 0; /* (checked by read_run's readers) */
    o->finalize(st);
    if (rc < 0) return -1;
    if (rc == 0) return tool_st_not_found_run(s, id, err);
    st = o->prepare(s->db,
                    "SELECT name, status, median, median_lo, median_hi, mean, cv, n,"
                    " samples FROM tach_benchmarks WHERE run_id = ? ORDER BY pos",
                    err);
    if (!st) return -1;
    o->bind_int64(st, 1, id);
    size_t cap = 0;
    while ((rc = o->step(st, err)) == 1) {
        if (TACH__GROW(out, &cap, *n + 1, 64) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        tool_bench_row *r = &(*out)[*n];
        memset(r, 0, sizeof *r);
        (*n)++;
        const char *name = tool_st_col_str(s, st, 0), *status = tool_st_col_str(s, st, 1);
        int64_t count = 0;
        size_t len = 0;
        tool_db_type samples = o->col_type(st, 8);
        const unsigned char *blob = samples == TOOL_DB_BLOB ? o->col_blob(st, 8, &len) : NULL;
        double *measures[] = {&r->median, &r->median_lo, &r->median_hi, &r->mean, &r->cv};
        bool measured = true;
        for (int k = 0; k < 5; k++)
            measured = measured && tool_st_col_measure(s, st, 2 + k, measures[k]);
        bool counted = tool_st_col_count(s, st, 7, &count) && (uint64_t)count == len / 8 &&
                       len % 8 == 0 && (samples == TOOL_DB_NULL || samples == TOOL_DB_BLOB);
        const char *bad = !name                                                 ? "name"
                          : !status || tach__status_parse(status, &r->status) ? "status"
                          : !measured                                           ? "median, mean or cv"
                          : !counted                                            ? "count of samples"
                                                                                : NULL;
        if (bad) {
            rc = tool_st_damaged(s, err, "benchmark '%s' of run %lld has a bad %s in tach_benchmarks",
                                 name ? name : "?", (long long)id, bad);
            break;
        }
        r->name = tach__text_escaped(name); /* a raw name an earlier tach stored: escaped */
        if (blob && len >= 8) r->sample_ns = tool_st_decode_samples(blob, len, &r->n);
        if (!r->name || (blob && len >= 8 && !r->sample_ns)) {
            rc = tach__err(err, "out of memory");
            break;
        }
        for (size_t i = 0; i < r->n; i++)
            if (!(r->sample_ns[i] >= 0) || !isfinite(r->sample_ns[i])) {
                rc = tool_st_damaged(s, err, "benchmark '%s' of run %lld has a sample of %g ns in "
                                     "tach_benchmarks", name, (long long)id, r->sample_ns[i]);
                break;
            }
        if (rc < 0) break;
    }
    o->finalize(st);
    if (rc == 0 && (int64_t)*n != want)
        rc = tool_st_damaged(s, err, "run %lld has %zu benchmarks in tach_benchmarks, %lld in "
                             "tach_runs", (long long)id, *n, (long long)want);
    if (rc < 0) {
        tool_bench_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
