/* store_history.c - one benchmark's history over runs, and the names ever seen. */
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
    tool_st_binds b = {0};
    /* A name holding U+FFFD may be the escaped text (tach__text_escaped) of a name an
     * earlier tach stored as its raw bytes (SQLite keeps them): its rows are matched here,
     * each row's name escaped as tool_store_benchmark_names lists it. */
    bool escaped = strstr(name, "\xef\xbf\xbd") != NULL;
    sb_add(&q, "SELECT b.run_id, r.time, r.commit_sha, r.branch, r.machine, b.status, b.median,"
               " b.median_lo, b.median_hi, b.mean, b.n, length(b.samples), b.name FROM"
               " tach_benchmarks b JOIN tach_runs r ON r.id = b.run_id WHERE ");
    if (escaped) {
        sb_add(&q, "1 = 1");
    } else {
        sb_add(&q, "b.name = ?");
        tool_st_add_text(&b, name);
    }
    if (tool_st_where_runs(f, &q, &b, err) != 0) {
        tach__free(q.p);
        return -1;
    }
    /* f->last counts runs, not rows (no LIMIT): a run holding the name twice (the schema
     * allows it, though tach record refuses it) took two, and --last 2 showed one run */
    sb_add(&q, " ORDER BY b.run_id DESC, b.pos DESC");
    const tool_db_ops *o = s->ops;
    tool_db_stmt *st = tool_st_prepare_built(s, &q, &b, err);
    if (!st) return -1;
    size_t cap = 0, runs = 0;
    int rc;
    while ((rc = o->step(st, err)) == 1) {
        if (escaped) {
            const char *raw = o->col_text(st, 12);
            char *e = raw ? tach__text_escaped(raw) : NULL;
            bool same = e && !strcmp(e, name);
            tach__free(e);
            if (raw && !e) {
                rc = tach__err(err, "out of memory");
                break;
            }
            if (!same) continue;
        }
        int64_t run_id = o->col_int64(st, 0);
        if (!*n || run_id != (*out)[*n - 1].run_id) runs++;
        if (f && f->last && runs > f->last) {
            rc = 0;
            break;
        }
        if (TACH__GROW(out, &cap, *n + 1, 64) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        tool_history_point *p = &(*out)[*n];
        memset(p, 0, sizeof *p);
        (*n)++;
        p->run_id = run_id;
        const char *time = tool_st_col_str(s, st, 1), *status = tool_st_col_str(s, st, 5);
        int64_t count = 0;
        if (!time) {
            rc = tool_st_damaged(s, err, "run %lld has a bad time in tach_runs",
                                 (long long)p->run_id);
            break;
        }
        double *measures[] = {&p->median, &p->median_lo, &p->median_hi, &p->mean};
        bool measured = true;
        for (int k = 0; k < 4; k++)
            measured = measured && tool_st_col_measure(s, st, 6 + k, measures[k]);
        /* the count against the samples' bytes (NULL: 0) */
        bool counted = tool_st_col_count(s, st, 10, &count) && count <= INT64_MAX / 8 &&
                       count * 8 == o->col_int64(st, 11);
        const char *bad = !status || tach__status_parse(status, &p->status) ? "status"
                          : !measured                                          ? "median or mean"
                          : !counted                                           ? "count of samples"
                                                                               : NULL;
        if (bad) {
            rc = tool_st_damaged(s, err, "benchmark '%s' of run %lld has a bad %s in tach_benchmarks",
                                 name, (long long)p->run_id, bad);
            break;
        }
        p->n = (size_t)count;
        p->time = tach__strdup(time);
        p->commit = dup_or_null(o->col_text(st, 2));
        p->branch = dup_or_null(o->col_text(st, 3));
        p->machine = dup_or_null(o->col_text(st, 4));
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
    tool_st_binds b = {0};
    bool filtered = f && (f->machine || f->branch || f->commit || f->tag || f->after_id ||
                          f->before_id || f->last);
    if (!filtered) {
        sb_add(&q, "SELECT name FROM tach_names");
    } else {
        sb_add(&q, "SELECT DISTINCT b.name FROM tach_benchmarks b WHERE b.run_id IN"
                   " (SELECT r.id FROM tach_runs r WHERE 1 = 1");
        if (tool_st_where_runs(f, &q, &b, err) != 0) {
            tach__free(q.p);
            return -1;
        }
        sb_add(&q, " ORDER BY r.id DESC");
        if (f->last) {
            sb_add(&q, " LIMIT ?");
            tool_st_add_int(&b, (int64_t)f->last);
        }
        sb_add(&q, ")");
    }
    tool_db_stmt *st = tool_st_prepare_built(s, &q, &b, err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        if (TACH__GROW(names, &cap, *n + 1, 64) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        const char *t = tool_st_col_str(s, st, 0);
        if (!t) {
            rc = tool_st_damaged(s, err, "a benchmark has no name");
            break;
        }
        /* as this tach stores a name (store_record.c name_stored): one an earlier tach
         * stored as raw bytes that are not UTF-8 is the same benchmark as its escaped text */
        (*names)[*n] = tach__text_escaped(t);
        if (!(*names)[*n]) {
            rc = tach__err(err, "out of memory");
            break;
        }
        (*n)++;
    }
    s->ops->finalize(st);
    if (rc == 0 && *n == 0 && !filtered) { /* tach_names emptied, the benchmarks kept? */
        st = s->ops->prepare(s->db, "SELECT 1 FROM tach_benchmarks LIMIT 1", err);
        rc = st ? s->ops->step(st, err) : -1;
        s->ops->finalize(st);
        if (rc == 1)
            rc = tool_st_damaged(s, err, "tach_names lists no benchmark, yet runs hold some");
    }
    if (rc < 0) {
        tool_names_free(*names, *n);
        *names = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1) qsort(*names, *n, sizeof **names, cmp_str);
    size_t k = 0; /* a raw name and its escaped text are one */
    for (size_t i = 0; i < *n; i++) {
        if (k && !strcmp((*names)[k - 1], (*names)[i])) tach__free((*names)[i]);
        else (*names)[k++] = (*names)[i];
    }
    *n = k;
    return 0;
}
