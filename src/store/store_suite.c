/* store_suite.c - which runs can be compared: suites, and the default pair of runs
 * that compare, report and certify take when no run is named, and the gate's, always of
 * the latest run (see store.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keeps the first failed read's message in s->failed: the searches below go on past a
 * run they cannot read, and tool_store_default_pair reports it when nothing was found. */
static void note_failed(tool_store *s, const char *err)
{
    if (!s->failed[0]) snprintf(s->failed, sizeof s->failed, "%s", err);
}

/* The run's benchmark names, sorted; NULL when it cannot be read. */
static char **run_names(tool_store *s, int64_t id, size_t *n)
{
    tool_bench_row *rows = NULL;
    char err[TACH__ERR_MAX];
    *n = 0;
    if (tool_store_run_benchmarks(s, id, &rows, n, err) != 0) {
        note_failed(s, err);
        return NULL;
    }
    char **names = tach__calloc(*n ? *n : 1, sizeof *names);
    for (size_t i = 0; names && i < *n; i++) names[i] = rows[i].name, rows[i].name = NULL;
    tool_bench_rows_free(rows, *n);
    if (names) qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

static void names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++) tach__free(names[i]);
    tach__free(names);
}

static bool names_meet(char **a, size_t na, char **b, size_t nb)
{
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        int c = strcmp(a[i], b[j]);
        /* every load run has an "overall": two loads of different targets are not one suite */
        if (!c && !strcmp(a[i], "overall")) c = -1;
        if (!c) return true;
        if (c < 0) i++;
        else j++;
    }
    return false;
}

bool tool_store_same_suite(tool_store *s, int64_t a, int64_t b)
{
    size_t na, nb;
    char **x = run_names(s, a, &na), **y = run_names(s, b, &nb);
    bool same = x && y && names_meet(x, na, y, nb);
    names_free(x, na);
    names_free(y, nb);
    return same;
}

int64_t tool_store_prev_of_suite(tool_store *s, int64_t like, int64_t before, const char *machine)
{
    size_t nl;
    char **want = run_names(s, like, &nl);
    if (!want) return 0;
    /* Back through every earlier run, a page of runs at a time: a suite last run more
     * than a page ago (200 runs of other suites since) is still found. */
    enum { PAGE = 200 };
    int64_t found = 0;
    for (bool more = true; more && !found;) {
        tool_run_filter f = {.before_id = before, .last = PAGE, .machine = machine};
        tool_run_info *runs = NULL;
        size_t n = 0;
        char err[TACH__ERR_MAX];
        if (tool_store_runs(s, &f, &runs, &n, err) != 0) {
            note_failed(s, err);
            break;
        }
        for (size_t i = 0; i < n && !found; i++) { /* newest first */
            size_t nr;
            char **got = run_names(s, runs[i].id, &nr);
            if (got && names_meet(want, nl, got, nr)) found = runs[i].id;
            names_free(got, nr);
        }
        more = n == PAGE;
        if (n) before = runs[n - 1].id;
        tool_run_infos_free(runs, n);
    }
    names_free(want, nl);
    return found;
}

static int64_t default_base(tool_store *s, int64_t run, int64_t main_id, bool *is_main)
{
    *is_main = false;
    if (main_id && main_id != run && tool_store_same_suite(s, main_id, run)) {
        *is_main = true;
        return main_id;
    }
    tool_run_info info;
    char err[TACH__ERR_MAX];
    char *machine = NULL;
    if (tool_store_run_get(s, run, &info, err) == 0) {
        machine = info.machine;
        info.machine = NULL;
    } else {
        note_failed(s, err);
    }
    tool_run_info_clear(&info);
    int64_t id = machine ? tool_store_prev_of_suite(s, run, run, machine) : 0;
    tach__free(machine);
    return id ? id : tool_store_prev_of_suite(s, run, run, NULL);
}


/* The run just before `run` (any suite), 0 when none; -1 on a failure (err). */
static int run_before(tool_store *s, int64_t run, int64_t *out, char *err)
{
    tool_run_filter f = {.before_id = run};
    int rc = tool_store_latest(s, &f, out, err);
    if (rc == TOOL_STORE_NOT_FOUND) *out = 0;
    return rc < 0 ? -1 : 0;
}

/* What was found damaged: the row (tool_st_damaged) when one was, else a page. */
static int damaged(tool_store *s, char *err)
{
    if (tool_store_damage(s)) return tach__err(err, "%s", tool_store_damage(s));
    return tach__err(err, "the store is corrupt: a page of store %s is damaged (database disk "
                          "image is malformed)",
                     tool_store_name(s));
}

int tool_store_first_of_suite(tool_store *s, int64_t run, int64_t *prev, char *err)
{
    *prev = 0;
    s->failed[0] = '\0';
    int64_t before = 0;
    if (run_before(s, run, &before, err) != 0) return tool_store_is_corrupt(s) ? damaged(s, err) : -1;
    if (!before) return 0;
    bool alone = !tool_store_same_suite(s, before, run) && !tool_store_prev_of_suite(s, run, run, NULL);
    if (tool_store_is_corrupt(s)) return damaged(s, err); /* a damaged page read as "none" */
    /* a read that failed is no "no benchmark in common" */
    if (s->failed[0]) return tach__err(err, "%s", s->failed);
    if (alone) *prev = before;
    return 0;
}

int tool_store_default_base(tool_store *s, int64_t run, int64_t *base, bool *is_main, char *err)
{
    bool m;
    if (!is_main) is_main = &m;
    *base = 0;
    *is_main = false;
    s->failed[0] = '\0';
    int64_t main_id = 0;
    int g = tool_store_baseline_get(s, TOOL_STORE_MAIN_BASELINE, &main_id, err);
    if (g < 0) return -1;
    if (g != 0) main_id = 0;
    int64_t id = default_base(s, run, main_id, is_main);
    if (tool_store_is_corrupt(s) || s->failed[0]) *is_main = false;
    if (tool_store_is_corrupt(s)) return damaged(s, err);
    /* a read that failed may have hidden the base: that, never "no run to compare with" */
    if (s->failed[0]) return tach__err(err, "%s", s->failed);
    *base = id;
    return 0;
}

/* The default pair; keep_latest (the gate's): always the latest run, never main's suite's
 * newest run in its place. */
static int default_pair(tool_store *s, tool_default_pair *out, bool keep_latest, char *err)
{
    memset(out, 0, sizeof *out);
    s->failed[0] = '\0';
    int64_t latest = 0, before = 0;
    int rc = tool_store_latest(s, NULL, &latest, err);
    if (rc != 0) return rc; /* NOT_FOUND: "no run in store X" */
    if (run_before(s, latest, &before, err) != 0) return -1;
    if (!before) {
        tach__err(err, "the store %s holds only one run", tool_store_name(s));
        return TOOL_STORE_NOT_FOUND;
    }
    /* A failure, or main naming a run that is not there (damage): never compared
     * without main unsaid. */
    int64_t main_id = 0;
    int g = tool_store_baseline_get(s, TOOL_STORE_MAIN_BASELINE, &main_id, err);
    if (g < 0) return -1;
    if (g != 0) main_id = 0;
    if (main_id == latest) main_id = 0; /* main is the latest run: the run before is its base */
    if (main_id && !keep_latest && !tool_store_same_suite(s, main_id, latest)) {
        /* The latest run is of another suite (a `tach run -c true` tried in the same
         * folder): main still is the baseline, against the newest run of its suite
         * recorded after it. */
        int64_t newest = tool_store_prev_of_suite(s, main_id, latest, NULL);
        if (tool_store_is_corrupt(s)) return damaged(s, err);
        if (s->failed[0]) return tach__err(err, "%s", s->failed);
        if (newest > main_id) {
            out->base = main_id;
            out->run = newest;
            out->base_is_main = true;
            snprintf(out->note, sizeof out->note,
                     "the latest run %" PRId64 " has no benchmark in common with baseline '"
                     TOOL_STORE_MAIN_BASELINE "' (run %" PRId64 "); comparing "
                     TOOL_STORE_MAIN_BASELINE " with run %" PRId64 ", the latest run of "
                     TOOL_STORE_MAIN_BASELINE "'s suite",
                     latest, main_id, newest);
            return 0;
        }
    }
    /* main against the latest run when they are of one suite; else the run before of the
     * same suite, a stray run of another suite skipped.  When the latest run has none (the
     * first run of its suite: a first `tach suite bus` after compression runs), there is
     * no pair: never the latest two runs of another suite, which would report, compare or
     * gate runs nobody just made. */
    bool is_main = false;
    int64_t base = default_base(s, latest, main_id, &is_main);
    if (tool_store_is_corrupt(s)) return damaged(s, err);
    /* A read that failed (a lock, I/O) may have hidden the pair: that, never a pair
     * chosen without it, nor "no earlier run" */
    if (s->failed[0]) return tach__err(err, "%s", s->failed);
    if (!base && keep_latest && main_id) {
        tach__err(err, "the latest run %" PRId64 " is the first of its suite: baseline '"
                       TOOL_STORE_MAIN_BASELINE "' (run %" PRId64 ") is of another suite, and no "
                       "earlier run in the store %s has a benchmark in common with it",
                  latest, main_id, tool_store_name(s));
        return TOOL_STORE_NOT_FOUND;
    }
    if (!base) {
        tach__err(err, "the latest run %" PRId64 " is the first of its suite: no earlier run in "
                       "the store %s has a benchmark in common with it",
                  latest, tool_store_name(s));
        return TOOL_STORE_NOT_FOUND;
    }
    out->base = base;
    out->run = latest;
    out->base_is_main = is_main;
    if (main_id && !is_main && keep_latest) /* main is saved, of another suite than the latest run */
        snprintf(out->note, sizeof out->note,
                 "baseline '" TOOL_STORE_MAIN_BASELINE "' (run %" PRId64 ") is of another suite than "
                 "the latest run %" PRId64 "; judging run %" PRId64 " against run %" PRId64
                 ", the newest earlier run of its suite",
                 main_id, latest, latest, base);
    else if (main_id && !is_main) /* main is saved, of another suite, and no run of its suite follows it */
        snprintf(out->note, sizeof out->note,
                 "baseline '" TOOL_STORE_MAIN_BASELINE "' (run %" PRId64 ") is of another suite than "
                 "the latest run %" PRId64 " and no run of its suite follows it; comparing run %"
                 PRId64 " with run %" PRId64,
                 main_id, latest, base, latest);
    return 0;
}

int tool_store_default_pair(tool_store *s, tool_default_pair *out, char *err)
{
    return default_pair(s, out, false, err);
}

int tool_store_gate_pair(tool_store *s, tool_default_pair *out, char *err)
{
    return default_pair(s, out, true, err);
}
