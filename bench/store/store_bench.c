/*
 * store_bench.c - how fast the history store is, through its C interface (store.h).
 *
 *   store_bench STORE_SPEC [REPS [DOC_OUT]]
 *
 * Fills the store with 1,000 runs of 100 benchmarks (10 samples each), then measures, each
 * REPS times (median, min and max printed):
 *   record   recording one run of 1,000 benchmarks with 20 samples each (one transaction)
 *   history  one benchmark's history over the 1,000 runs (tool_store_history)
 *   rows     one 1,000-benchmark run's rows with raw samples (tool_store_run_benchmarks),
 *            the store's side of `tach compare`, x2 for the two runs compared
 *   load     one 1,000-benchmark run's whole document (tool_store_load: JSON parse)
 * With DOC_OUT, the 1,000-benchmark document is also saved there (for timing `tach record`).
 * Built and run by bench/store/run.sh.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tach_internal.h"

static double now_ms(void)
{
    return (double)tach__now_ns() / 1e6;
}

static tach__doc *make_doc(size_t nbench, size_t nsamples, uint64_t seed)
{
    tach__rng rng;
    tach__rng_seed(&rng, seed);
    tach__doc *d = tach__doc_new();
    json_object_set_new(d->context, "cpu_model", json_string("bench CPU"));
    for (size_t i = 0; i < nbench; i++) {
        tach__result *r = tach__doc_add(d);
        char name[64];
        snprintf(name, sizeof name, "suite/bench_%04zu/n=%zu", i, (i % 7) * 1024);
        r->name = tach__strdup(name);
        r->status = TACH__OK;
        r->nsamples = nsamples;
        r->sample_ns = tach__malloc(nsamples * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(nsamples * sizeof *r->sample_iters);
        double level = 100.0 + (double)i;
        for (size_t k = 0; k < nsamples; k++) {
            r->sample_ns[k] = level * (1.0 + 0.02 * tach__rng_double(&rng));
            r->sample_iters[k] = 1000;
        }
        /* A cheap summary: the runner's 10,000-resample bootstrap is not what is timed. */
        char err[TACH__ERR_MAX];
        if (tach__result_finish_resamples(r, seed + i, 100, err) != 0) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
    }
    return d;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n, double target)
{
    qsort(t, (size_t)n, sizeof *t, cmp_d);
    double med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    printf("%-44s median %8.2f ms  (min %.2f, max %.2f, %d reps)  target <= %g ms: %s\n", what,
           med, t[0], t[n - 1], n, target, med <= target ? "met" : "MISSED");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: store_bench STORE_SPEC [REPS]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 11;
    if (reps < 1 || reps > 1000) reps = 11;
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(argv[1], TOOL_STORE_CREATE, err);
    if (!s) {
        fprintf(stderr, "store_bench: %s\n", err);
        return 2;
    }
    /* 1,000 runs of 100 benchmarks: the history to query. */
    tach__doc *small = make_doc(100, 10, 1);
    double t0 = now_ms();
    int64_t id = 0;
    for (int r = 0; r < 1000; r++) {
        char sha[48];
        snprintf(sha, sizeof sha, "%040x", r * 2654435761u);
        tool_run_meta m = {.commit = sha, .branch = "main", .dirty = 0};
        if (tool_store_record(s, small, &m, &id, err) != 0) {
            fprintf(stderr, "store_bench: %s\n", err);
            return 1;
        }
    }
    printf("setup: 1,000 runs x 100 benchmarks recorded in %.0f ms (%s backend)\n",
           now_ms() - t0, tool_store_kind_of(s) == TOOL_STORE_SQLITE ? "SQLite" : "PostgreSQL");
    tach__doc_free(small);

    tach__doc *big = make_doc(1000, 20, 2);
    if (argc > 3 && tach__doc_save(big, argv[3], err) != 0) {
        fprintf(stderr, "store_bench: %s\n", err);
        return 1;
    }
    double *t = calloc((size_t)reps, sizeof *t);
    int64_t big_ids[2] = {0, 0};
    for (int r = 0; r < reps; r++) {
        tool_run_meta m = {.commit = "00000000000000000000000000000000000000ff", .dirty = 0};
        double a = now_ms();
        if (tool_store_record(s, big, &m, &id, err) != 0) {
            fprintf(stderr, "store_bench: %s\n", err);
            return 1;
        }
        t[r] = now_ms() - a;
        big_ids[r % 2] = id;
    }
    report("record a 1,000-benchmark run (20 samples)", t, reps, 100);

    for (int r = 0; r < reps; r++) {
        tool_history_point *p = NULL;
        size_t n = 0;
        tool_run_filter f = {.branch = "main"};
        double a = now_ms();
        if (tool_store_history(s, "suite/bench_0042/n=0", &f, &p, &n, err) != 0 || n != 1000) {
            fprintf(stderr, "store_bench: history: %s (%zu points)\n", err, n);
            return 1;
        }
        t[r] = now_ms() - a;
        tool_history_free(p, n);
    }
    report("history of one benchmark over 1,000 runs", t, reps, 20);

    for (int r = 0; r < reps; r++) {
        double a = now_ms();
        for (int k = 0; k < 2; k++) {
            tool_bench_row *rows = NULL;
            size_t n = 0;
            if (tool_store_run_benchmarks(s, big_ids[k] ? big_ids[k] : id, &rows, &n, err) != 0 ||
                n != 1000) {
                fprintf(stderr, "store_bench: rows: %s\n", err);
                return 1;
            }
            tool_bench_rows_free(rows, n);
        }
        t[r] = now_ms() - a;
    }
    report("rows + samples of two 1,000-benchmark runs", t, reps, 200);

    for (int r = 0; r < reps; r++) {
        tach__doc *d = NULL;
        double a = now_ms();
        if (tool_store_load(s, id, &d, err) != 0) {
            fprintf(stderr, "store_bench: load: %s\n", err);
            return 1;
        }
        t[r] = now_ms() - a;
        tach__doc_free(d);
    }
    report("load one 1,000-benchmark document (JSON)", t, reps, 200);
    free(t);
    tach__doc_free(big);
    tool_store_close(s);
    return 0;
}
