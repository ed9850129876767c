/* gbench.c - Google Benchmark's JSON, both ways.
 *
 * Written: each benchmark gives one "iteration" row per round with samples (worker
 * process; for a command, per run), as Google Benchmark writes one per repetition:
 * repetitions = the number of such rounds, repetition_index = the round's place,
 * real_time = the iteration-weighted mean of the round's samples (total time /
 * iterations).  With more than one round, "aggregate" rows mean, median, stddev and
 * cv over the rounds follow, as Google Benchmark writes them (run_type,
 * aggregate_name, aggregate_unit, time_unit on each), so compare.py sees the spread
 * between processes.  tach does not measure per-sample CPU time: cpu_time repeats
 * real_time.  Benchmarks that failed, crashed or timed out carry error_occurred and
 * error_message, "STATUS: MESSAGE" (read back so from a file tach wrote, its
 * library_version "tach X.Y.Z"); a skipped one "skipped": true and skip_message
 * (Google Benchmark 1.8).
 *
 * Read: --benchmark_format=json / --benchmark_out output, {"context": {...},
 * "benchmarks": [{"name", "run_name", "run_type", "repetitions", "repetition_index",
 * "iterations", "real_time", "cpu_time", "time_unit", "bytes_per_second",
 * "items_per_second", "error_occurred", "error_message", "skipped", "skip_message",
 * counters...}]}
 * (src/json_reporter.cc).  Its bare NaN and Infinity are read as null (format.c).
 * Each "iteration" row is one sample, of its own round (repetition_index), merged
 * by run_name; aggregates (mean, median, stddev, cv, BigO, RMS) are derived values
 * and are skipped unless a benchmark has nothing else, when its mean aggregate
 * becomes its one sample, of 1 iteration (its "iterations" counts repetitions).  A
 * counter, bytes, items or memory figure over repetitions is their mean; tach's
 * context.partial and context.quick read back.  A fault is named by its JSON path (tach__jpath).
 * (About 760 lines: the writer and the reader share one mapping of tach's fields to
 * Google Benchmark's keys, memory and latency included; kept together they cannot
 * drift apart.) */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "latency.h"

static json_t *gbench_context(const json_t *ctx)
{
    json_t *out = json_object();
    const char *s;
    json_t *v;
    if ((s = json_string_value(json_object_get(ctx, "date")))) json_object_set_new(out, "date", json_string(s));
    if ((s = json_string_value(json_object_get(ctx, "host")))) json_object_set_new(out, "host_name", json_string(s));
    if ((s = json_string_value(json_object_get(ctx, "executable"))))
        json_object_set_new(out, "executable", json_string(s));
    if (json_is_integer(v = json_object_get(ctx, "cpus"))) json_object_set(out, "num_cpus", v);
    if (json_is_number(v = json_object_get(ctx, "mhz")))
        json_object_set_new(out, "mhz_per_cpu", json_integer((json_int_t)llround(json_number_value(v))));
    s = json_string_value(json_object_get(ctx, "governor"));
    json_object_set_new(out, "cpu_scaling_enabled", json_boolean(s && strcmp(s, "performance") != 0));
    json_t *caches = json_array();
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(ctx, "caches"), i, c) {
        json_t *g = json_object();
        const char *type = json_string_value(json_object_get(c, "type"));
        json_object_set_new(g, "type", json_string(type ? type : "Unified"));
        json_object_set_new(g, "level", json_integer(json_integer_value(json_object_get(c, "level"))));
        json_object_set_new(g, "size",
                            json_integer(json_integer_value(json_object_get(c, "size_kib")) * 1024));
        json_object_set_new(g, "num_sharing", json_integer(0));
        json_array_append_new(caches, g);
    }
    json_object_set_new(out, "caches", caches);
    if (json_is_array(v = json_object_get(ctx, "load_avg"))) json_object_set(out, "load_avg", v);
    s = json_string_value(json_object_get(ctx, "build_type"));
    json_object_set_new(out, "library_build_type",
                        json_string(s && (!strcmp(s, "Debug")) ? "debug" : "release"));
    json_object_set_new(out, "library_version", json_string("tach " TACH_VERSION_STRING));
    return out;
}

static json_t *base_row(const tach__result *r, size_t family, size_t instance, const char *run_type,
                        size_t repetitions)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", tach__json_string_bytes(r->name ? r->name : ""));
    json_object_set_new(o, "family_index", json_integer((json_int_t)family));
    json_object_set_new(o, "per_family_instance_index", json_integer((json_int_t)instance));
    json_object_set_new(o, "run_name", tach__json_string_bytes(r->name ? r->name : ""));
    json_object_set_new(o, "run_type", json_string(run_type));
    json_object_set_new(o, "repetitions", json_integer((json_int_t)repetitions));
    json_object_set_new(o, "threads", json_integer(1));
    return o;
}

static bool gb_known_key(const char *k);

static void add_rates_counters(json_t *o, const tach__result *r, double ns)
{
    if (r->bytes_per_iter > 0 && ns > 0)
        json_object_set_new(o, "bytes_per_second", json_real(r->bytes_per_iter * 1e9 / ns));
    if (r->items_per_iter > 0 && ns > 0)
        json_object_set_new(o, "items_per_second", json_real(r->items_per_iter * 1e9 / ns));
    /* A user counter named like one of Google Benchmark's own keys ("real_time",
     * "name", "error_occurred") is left out: it would replace the row's field, and a
     * reader, tach's own included, takes those keys for the fields, not counters. */
    for (size_t k = 0; k < r->ncounters; k++)
        if (!gb_known_key(r->counters[k].name) && !json_object_get(o, r->counters[k].name))
            tach__json_set_lossy(o, r->counters[k].name, tach__json_num(r->counters[k].value));
    if (r->has_instr) { /* instruction mode: counts as counters, and no time (label) */
        json_object_set_new(o, "instructions", tach__json_num(r->instr.instructions));
        if (r->instr.cache_sim) {
            json_object_set_new(o, "cycles_est", tach__json_num(r->instr.cycles_est));
            json_object_set_new(o, "l1_misses", tach__json_num(r->instr.l1_misses));
            json_object_set_new(o, "ll_misses", tach__json_num(r->instr.ll_misses));
        }
        json_object_set_new(o, "label", json_string("instructions per iteration under callgrind; "
                                                     "no time was measured"));
    }
}

/* Heap accounting in Google Benchmark's own keys (its MemoryManager's): allocations per
 * iteration, and the peak and the totals over one and the same run, as its memory run:
 * the first run of tach's memory pass, k = min(16, iterations) iterations (the pass
 * runs k then 2k: its iterations are 3k, summed over rounds), whose peak is peak_bytes; the totals are
 * the per-iteration figures times k, and memory_iterations says k, so that a reader
 * dividing by it gets them back.  CPU counters as counters, as its perf-counter
 * support writes them. */
static void add_memory(json_t *o, const tach__result *r, uint64_t iters)
{
    const tach__memory *m = &r->memory;
    if (m->measured && isfinite(m->allocs_per_iter)) {
        double n = iters < 16 ? (double)(iters ? iters : 1) : 16; /* no pass length known */
        if (m->method && !strcmp(m->method, "google-benchmark") && m->iterations >= 1)
            n = m->iterations; /* read from Google Benchmark: its run */
        else if (m->iterations >= 3) /* rounds add up their passes: k is at most 16 */
            n = fmin(16, floor(m->iterations / 3));
        json_object_set_new(o, "memory_iterations", json_integer((json_int_t)n));
        json_object_set_new(o, "allocs_per_iter", json_real(m->allocs_per_iter));
        json_object_set_new(o, "max_bytes_used", json_integer((json_int_t)llround(m->peak_bytes)));
        json_object_set_new(o, "total_allocated_bytes",
                            json_integer((json_int_t)llround(m->bytes_per_iter * n)));
        json_object_set_new(o, "net_heap_growth",
                            json_integer((json_int_t)llround(m->net_growth_per_iter * n)));
    }
    for (size_t k = 0; k < r->nhw; k++)
        if (!json_object_get(o, r->hw[k].name))
            json_object_set_new(o, r->hw[k].name, tach__json_num(r->hw[k].per_iter));
}

/* x folded into *acc as a running mean over the repetitions that gave key (their count
 * kept in seen[key]): the first sets it, so equal values stay exactly that value.
 * -1 when out of memory. */
static int rep_mean(json_t *seen, const char *key, double *acc, double x)
{
    json_int_t reps = json_integer_value(json_object_get(seen, key)) + 1;
    if (json_object_set_new(seen, key, json_integer(reps)) != 0) return -1;
    if (reps > 1 && isfinite(*acc) && isfinite(x)) x = *acc + (x - *acc) / (double)reps;
    *acc = x;
    return 0;
}

/* The memory keys of a Google Benchmark row into r->memory.  Google Benchmark counts
 * memory over min(16, iterations) iterations (its MemoryManager run), so its totals are
 * divided by that.  Over several repetitions each figure is their mean (rep_mean, seen
 * counting them, as for the user counters) and growth in any of them is flagged.  -1
 * when out of memory. */
static int read_memory(const json_t *o, tach__result *r, json_t *seen)
{
    const json_t *a = json_object_get(o, "allocs_per_iter"), *peak = json_object_get(o, "max_bytes_used");
    if (!json_is_number(a)) return 0;
    const json_t *iters = json_object_get(o, "iterations"), *mi = json_object_get(o, "memory_iterations");
    double n = json_is_integer(iters) ? (double)json_integer_value(iters) : 1;
    if (n > 16) n = 16;
    if (json_is_integer(mi) && json_integer_value(mi) >= 1) n = (double)json_integer_value(mi); /* tach's */
    if (n < 1) n = 1;
    const json_t *total = json_object_get(o, "total_allocated_bytes"), *net = json_object_get(o, "net_heap_growth");
    tach__memory *m = &r->memory;
    bool leak = m->measured && m->leak;
    m->measured = true;
    if (rep_mean(seen, "allocs_per_iter", &m->allocs_per_iter, json_number_value(a)) != 0 ||
        rep_mean(seen, "max_bytes_used", &m->peak_bytes,
                 json_is_number(peak) ? json_number_value(peak) : NAN) != 0 ||
        rep_mean(seen, "total_allocated_bytes", &m->bytes_per_iter,
                 json_is_number(total) ? json_number_value(total) / n : NAN) != 0 ||
        rep_mean(seen, "net_heap_growth", &m->net_growth_per_iter,
                 json_is_number(net) ? json_number_value(net) / n : NAN) != 0)
        return -1;
    m->iterations = n;
    m->peak_rss_bytes = NAN;
    /* its one memory run cannot tell growth in every iteration: growth at all is flagged */
    m->leak = leak || (json_is_number(net) && json_number_value(net) > 0);
    tach__free(m->method);
    m->method = tach__strdup("google-benchmark");
    return 0;
}

/* Per-call latency as extra numeric fields (Google Benchmark's readers take unknown
 * numbers for user counters, and compare.py skips them): latency_count,
 * latency_p50_ns .. latency_p99_99_ns, latency_max_ns, latency_thin_from (the lowest
 * percentile on fewer than 10 calls); latency_too_short = 1 instead of percentiles for
 * a body too short to time one call at a time. */
static void add_latency(json_t *o, const tach__result *r)
{
    const tach__latency *l = r->latency;
    if (!l) return;
    json_object_set_new(o, "latency_count", json_integer((json_int_t)l->count));
    if (l->too_short || !l->count) {
        json_object_set_new(o, "latency_too_short", json_integer(l->too_short));
        return;
    }
    for (size_t k = 0; k < TACH__LAT_NPCT; k++) {
        char key[40], pn[16];
        tach__lat_pname(l->pct[k].p, pn, sizeof pn);
        for (char *c = pn; *c; c++)
            if (*c == '.') *c = '_';
        snprintf(key, sizeof key, "latency_%s_ns", pn);
        json_object_set_new(o, key, tach__json_num(l->pct[k].value));
    }
    json_object_set_new(o, "latency_max_ns", tach__json_num(l->max));
    /* the lowest percentile resting on fewer than 10 calls (thin), when one is */
    for (size_t k = 0; k < TACH__LAT_NPCT; k++)
        if (tach__lat_thin(&l->pct[k])) {
            json_object_set_new(o, "latency_thin_from", json_real(l->pct[k].p));
            break;
        }
}

static json_t *aggregate_row(const tach__result *r, size_t family, size_t instance, const char *agg,
                             double value, bool percentage, size_t repetitions)
{
    json_t *o = base_row(r, family, instance, "aggregate", repetitions);
    tach__buf name = {0}; /* the whole name: a cut one would lose the suffix */
    tach__buf_printf(&name, "%s_%s", r->name ? r->name : "", agg);
    char *text = tach__buf_take(&name);
    json_object_set_new(o, "name", tach__json_string_bytes(text ? text : ""));
    tach__free(text);
    json_object_set_new(o, "aggregate_name", json_string(agg));
    json_object_set_new(o, "aggregate_unit", json_string(percentage ? "percentage" : "time"));
    json_object_set_new(o, "iterations", json_integer((json_int_t)repetitions));
    json_object_set_new(o, "real_time", tach__json_num(value));
    json_object_set_new(o, "cpu_time", tach__json_num(value));
    /* every row with a real_time has its unit, the cv's too (readers such as
     * github-action-benchmark and Bencher need it on every row) */
    json_object_set_new(o, "time_unit", json_string("ns"));
    return o;
}

/* The repetition sample m belongs to: its round (worker process); for a command,
 * every run is a process of its own. */
static size_t round_of(const tach__result *r, size_t m)
{
    return r->sample_round ? r->sample_round[m] : r->command ? m : 0;
}

static size_t rounds_of(const tach__result *r)
{
    return r->command && !r->sample_round ? r->nsamples : tach__result_rounds(r);
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Google Benchmark's family: the benchmarks one registration produced (same group
 * and function); for commands, each name is its own family. */
static bool same_family(const tach__result *a, const tach__result *b)
{
    if (!str_eq(a->group, b->group)) return false;
    if (a->function || b->function) return str_eq(a->function, b->function);
    return str_eq(a->name, b->name);
}

json_t *tach__doc_to_gbench(const tach__doc *d)
{
    json_t *root = json_object();
    json_t *ctx = gbench_context(d ? d->context : NULL);
    /* An interrupted run, and a --quick smoke run: Google Benchmark's context takes extra
     * keys, readers skip them (tach's reads them back, so certify still refuses them). */
    if (ctx && d && d->partial) json_object_set_new(ctx, "partial", json_true());
    if (ctx && tach__doc_quick(d)) json_object_set_new(ctx, "quick", json_true());
    json_object_set_new(root, "context", ctx);
    json_t *rows = json_array();
    size_t n = d ? d->nresults : 0;
    size_t *fam = tach__calloc(n, sizeof *fam), *inst = tach__calloc(n, sizeof *inst);
    if (!fam || !inst) {
        tach__free(fam);
        tach__free(inst);
        json_decref(rows);
        json_decref(root);
        return NULL;
    }
    size_t families = 0;
    bool oom = false;
    for (size_t i = 0; i < n; i++) {
        fam[i] = families;
        for (size_t j = 0; j < i; j++)
            if (same_family(&d->results[j], &d->results[i])) {
                fam[i] = fam[j];
                inst[i] = inst[j] + 1;
            }
        if (fam[i] == families) families++;
    }
    for (size_t i = 0; i < n; i++) {
        const tach__result *r = &d->results[i];
        /* the rounds that have samples (a round index with none is not a repetition) */
        size_t nr = rounds_of(r), slots = nr ? nr : 1, rounds = 0;
        uint64_t *round_iters = tach__calloc(slots, sizeof *round_iters);
        double *round_total = tach__calloc(slots, sizeof *round_total);
        double *round_mean = tach__calloc(slots, sizeof *round_mean);
        if (!round_iters || !round_total || !round_mean) {
            tach__free(round_iters);
            tach__free(round_total);
            tach__free(round_mean);
            oom = true;
            break;
        }
        for (size_t m = 0; m < r->nsamples; m++) {
            uint64_t it = r->sample_iters ? r->sample_iters[m] : 1;
            round_iters[round_of(r, m)] += it;
            round_total[round_of(r, m)] += r->sample_ns[m] * (double)it;
        }
        for (size_t k = 0; k < nr; k++)
            if (round_iters[k]) rounds++;
        size_t shown_rounds = rounds ? rounds : 1;
        for (size_t k = 0, index = 0; k < slots && index < shown_rounds; k++) {
            if (rounds && !round_iters[k]) continue;
            json_t *o = base_row(r, fam[i], inst[i], "iteration", shown_rounds);
            json_object_set_new(o, "repetition_index", json_integer((json_int_t)index));
            uint64_t iters = round_iters[k];
            double mean = iters ? round_total[k] / (double)iters : NAN;
            round_mean[index++] = mean;
            /* A row without iterations (a benchmark that failed, crashed, timed out or
             * skipped) has times of 0, as Google Benchmark writes them: readers that
             * expect a number there get one. */
            double shown = iters ? mean : 0.0;
            json_object_set_new(o, "iterations", json_integer((json_int_t)iters));
            json_object_set_new(o, "real_time", tach__json_num(shown));
            json_object_set_new(o, "cpu_time", tach__json_num(shown));
            json_object_set_new(o, "time_unit", json_string("ns"));
            if (r->status == TACH__SKIPPED) {
                /* Google Benchmark 1.8's SkipWithMessage: not an error */
                json_object_set_new(o, "skipped", json_true());
                json_object_set_new(o, "skip_message",
                                    tach__json_string_lossy(r->message ? r->message : "skipped"));
            } else if (r->status != TACH__OK) {
                char msg[1024];
                snprintf(msg, sizeof msg, "%s%s%s", tach__status_name(r->status), r->message ? ": " : "",
                         r->message ? r->message : "");
                json_object_set_new(o, "error_occurred", json_true());
                json_object_set_new(o, "error_message", tach__json_string_lossy(msg));
            }
            add_rates_counters(o, r, mean);
            add_memory(o, r, iters);
            add_latency(o, r);
            json_array_append_new(rows, o);
        }
        /* Google Benchmark writes aggregates only over more than one repetition, and
         * over the repetitions' times: here the rounds' */
        if (r->status == TACH__OK && rounds > 1) {
            tach__summary s;
            if (tach__summarize(round_mean, rounds, 1, TACH__DEFAULT_SEED, &s) == 0) {
                static const char *const names[] = {"mean", "median", "stddev", "cv"};
                double values[] = {s.mean.value, s.median.value, s.stddev, s.cv};
                for (size_t a = 0; a < 4; a++) {
                    json_t *row = aggregate_row(r, fam[i], inst[i], names[a], values[a], a == 3, rounds);
                    if (a < 2) add_rates_counters(row, r, values[a]);
                    json_array_append_new(rows, row);
                }
            }
        }
        tach__free(round_iters);
        tach__free(round_total);
        tach__free(round_mean);
    }
    if (!oom && d && tach__gbench_bigo_rows(d, fam, rows) != 0) oom = true;
    tach__free(fam);
    tach__free(inst);
    if (oom) {
        json_decref(rows);
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "benchmarks", rows);
    return root;
}

/* ---- reading ------------------------------------------------------------------ */

static double unit_ns(const char *u)
{
    if (!u || !strcmp(u, "ns")) return 1;
    if (!strcmp(u, "us")) return 1e3;
    if (!strcmp(u, "ms")) return 1e6;
    if (!strcmp(u, "s")) return 1e9;
    return 0;
}

static bool gb_known_key(const char *k)
{
    static const char *const keys[] = {
        "name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "aggregate_name",
        "aggregate_unit", "error_occurred", "error_message", "iterations", "real_time", "cpu_time",
        "time_unit", "bytes_per_second", "items_per_second", "label", "family_index",
        "per_family_instance_index", "cpu_coefficient", "real_coefficient", "big_o", "rms",
        "allocs_per_iter", "max_bytes_used", "memory_iterations", "skipped", "skip_message", "total_allocated_bytes",
        "net_heap_growth"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(k, keys[i])) return true;
    return false;
}

/* One of the fields add_latency writes, in a row that has latency_count (tach wrote
 * it): p50 .. p99.99 are six points of a histogram that is not in the file, too few to
 * rebuild it, and every latency figure tach gives comes from the histogram; so they are
 * not read (and not taken for user counters), and the import says so. */
static bool tach_latency_key(const json_t *row, const char *k)
{
    if (strncmp(k, "latency_", 8) || !json_is_number(json_object_get(row, "latency_count"))) return false;
    if (!strcmp(k, "latency_count") || !strcmp(k, "latency_too_short") || !strcmp(k, "latency_max_ns") ||
        !strcmp(k, "latency_thin_from"))
        return true;
    for (size_t i = 0; i < TACH__LAT_NPCT; i++) {
        char key[40], pn[16];
        tach__lat_pname(tach__lat_ps[i], pn, sizeof pn);
        for (char *c = pn; *c; c++)
            if (*c == '.') *c = '_';
        snprintf(key, sizeof key, "latency_%s_ns", pn);
        if (!strcmp(k, key)) return true;
    }
    return false;
}

/* GB names read "BM_x/64/threads:2" or "BM_x/size:64": with r (a result just made for
 * run_name) the first segment becomes its function, "k:v" segments its params and a bare
 * value argN; NULL reads the name only.  The timing mode GB appends is not a parameter:
 * *real_rates says whether it is "/real_time" or "/manual_time" (UseRealTime,
 * UseManualTime), whose rates are per real (or manual) time, not per CPU time. */
static int gb_name(const char *run_name, tach__result *r, bool *real_rates)
{
    const char *slash = strchr(run_name, '/');
    *real_rates = false;
    if (r) {
        r->function = slash ? strndup(run_name, (size_t)(slash - run_name)) : tach__strdup(run_name);
        if (!r->function) return -1;
    }
    size_t argi = 0;
    while (slash) {
        const char *seg = slash + 1;
        slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        char buf[256], key[64];
        if (n >= sizeof buf) n = sizeof buf - 1;
        memcpy(buf, seg, n);
        buf[n] = '\0';
        char *colon = strchr(buf, ':');
        int rc;
        /* the timing mode GB appends to a name is not a parameter */
        bool real = !strcmp(buf, "real_time") || !strcmp(buf, "manual_time");
        if (real) *real_rates = true;
        if (real || !strcmp(buf, "process_time") || !r) continue;
        if (colon) {
            *colon = '\0';
            rc = tach__result_set_param(r, buf, colon + 1);
        } else {
            snprintf(key, sizeof key, "arg%zu", argi++);
            rc = tach__result_set_param(r, key, buf);
        }
        if (rc != 0) return -1;
    }
    return 0;
}

/* An error_message as tach writes it, "STATUS" or "STATUS: MESSAGE" (failed, crashed,
 * timeout): true with *st and *rest (NULL for none) set; false for any other text. */
static bool tach_status_prefix(const char *msg, tach__status *st, const char **rest)
{
    static const tach__status broken[] = {TACH__FAILED, TACH__CRASHED, TACH__TIMEOUT};
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        const char *name = tach__status_name(broken[i]);
        size_t n = strlen(name);
        if (strncmp(msg, name, n) != 0) continue;
        if (msg[n] == '\0') *rest = NULL;
        else if (msg[n] == ':' && msg[n + 1] == ' ') *rest = msg + n + 2;
        else continue;
        *st = broken[i];
        return true;
    }
    return false;
}

static tach__doc *from_gbench(const json_t *j, const char *path, char *err)
{
    const json_t *bms = json_object_get(j, "benchmarks");
    if (json_array_size(bms) == 0) { /* a file with nothing measured is not a run (as hyperfine's) */
        tach__err(err, "%s: benchmarks is empty: no benchmark to read", path);
        return NULL;
    }
    tach__doc *d = tach__doc_new();
    if (!d) {
        tach__err(err, "out of memory");
        return NULL;
    }
    json_t *counter_reps = NULL; /* run_name -> counter -> repetitions that had it (their mean) */
    /* context: keep Google Benchmark's own, under the tach names where they exist */
    const json_t *ctx = json_object_get(j, "context");
    json_object_set_new(d->context, "tool", json_string("import:gbench"));
    json_object_set_new(d->context, "source", json_string(path));
    if (json_is_object(ctx)) {
        static const char *const map[][2] = {{"date", "date"},       {"host_name", "host"},
                                             {"executable", "executable"}, {"num_cpus", "cpus"},
                                             {"mhz_per_cpu", "mhz"}, {"load_avg", "load_avg"},
                                             {"library_build_type", "build_type"}};
        for (size_t k = 0; k < sizeof map / sizeof *map; k++) {
            json_t *v = json_object_get(ctx, map[k][0]);
            if (v && !json_is_null(v)) json_object_set(d->context, map[k][1], v);
        }
        json_object_set(d->context, "gbench_context", (json_t *)ctx);
        /* an interrupted run, as tach writes it (tach__doc_to_gbench): read back so, or a
         * certificate or gate of the file would take it for a whole run */
        d->partial = json_is_true(json_object_get(ctx, "partial"));
        /* a --quick smoke run, likewise (context.suite.quick, as tach__doc_quick reads it) */
        if (json_is_true(json_object_get(ctx, "quick")) && tach__doc_set_quick(d) != 0) goto oom;
    }
    /* a file tach wrote (tach__doc_to_gbench: library_version "tach X.Y.Z") prefixes an
     * error_message with the status, which reads back as it was */
    const json_t *lv = json_object_get(ctx, "library_version");
    bool by_tach = json_is_string(lv) && !strncmp(json_string_value(lv), "tach ", 5);
    char jerr[TACH__ERR_MAX] = "";
    tach__jpath jp = {.path = "", .err = jerr}; /* names the place of a fault */
    size_t nlat = 0; /* rows with tach's latency fields (tach_latency_key) */
    size_t nagg = 0; /* benchmarks read from a mean aggregate alone */
    if (!(counter_reps = json_object())) goto oom;
    /* two passes: iteration entries first; then aggregates of names that had none */
    for (int pass = 0; pass < 2; pass++) {
        size_t i;
        const json_t *o;
        json_array_foreach(bms, i, o) {
            tach__jpath_pop(&jp, 0);
            tach__jpath_key(&jp, "benchmarks");
            tach__jpath_index(&jp, i);
            if (!json_is_object(o)) {
                tach__jpath_expected(&jp, "an object", o);
                goto bad;
            }
            const json_t *name = json_object_get(o, "name");
            if (!json_is_string(name)) {
                tach__jpath_key(&jp, "name");
                tach__jpath_expected(&jp, "a string", name);
                goto bad;
            }
            const json_t *rn = json_object_get(o, "run_name");
            const char *run_name = json_is_string(rn) ? json_string_value(rn) : json_string_value(name);
            const json_t *rt = json_object_get(o, "run_type");
            bool aggregate = json_is_string(rt) && !strcmp(json_string_value(rt), "aggregate");
            if (aggregate != (pass == 1)) continue;
            if (aggregate) {
                const json_t *an = json_object_get(o, "aggregate_name");
                if (!json_is_string(an) || strcmp(json_string_value(an), "mean")) continue;
            }
            tach__result *r = NULL;
            for (size_t k = 0; k < d->nresults && !r; k++)
                if (!strcmp(d->results[k].name, run_name)) r = &d->results[k];
            if (r && aggregate) continue; /* has iteration samples already */
            bool real_rates; /* the name's timing mode, read with its params */
            if (!r) {
                if (!(r = tach__doc_add(d))) goto oom;
                if (!(r->name = tach__strdup(run_name)) || gb_name(run_name, r, &real_rates) != 0)
                    goto oom;
            } else {
                (void)gb_name(run_name, NULL, &real_rates); /* cannot fail without r */
            }
            const json_t *eo = json_object_get(o, "error_occurred");
            const json_t *sk = json_object_get(o, "skipped");
            /* Google Benchmark 1.8 writes a SkipWithMessage as "skipped": true with
             * "skip_message" (and a SkipWithError as error_occurred); the string
             * values are the enum's names, as other writers spell them. */
            bool skipped = json_is_true(sk) ||
                           (json_is_string(sk) && !strcmp(json_string_value(sk), "SkippedWithMessage"));
            if (json_is_true(eo) || skipped ||
                (json_is_string(sk) && strcmp(json_string_value(sk), "NotSkipped"))) {
                const json_t *em = json_object_get(o, skipped ? "skip_message" : "error_message");
                if (!json_is_string(em)) em = json_object_get(o, skipped ? "error_message" : "skip_message");
                if (json_is_true(eo)) skipped = false;
                r->status = skipped ? TACH__SKIPPED : TACH__FAILED;
                tach__free(r->message);
                r->message = NULL;
                const char *msg = json_is_string(em) ? json_string_value(em) : "error";
                if (by_tach && !skipped && tach_status_prefix(msg, &r->status, &msg)) {
                    if (msg && !(r->message = tach__strdup(msg))) goto oom;
                    continue;
                }
                if (!(r->message = tach__strdup(msg))) goto oom;
                continue;
            }
            const json_t *rtime = json_object_get(o, "real_time");
            const json_t *iters = json_object_get(o, "iterations");
            const json_t *tu = json_object_get(o, "time_unit");
            if (!rtime) continue; /* BigO / RMS entries have no real_time */
            double scale = unit_ns(json_is_string(tu) ? json_string_value(tu) : NULL);
            if (scale == 0) {
                char msg[128];
                snprintf(msg, sizeof msg, "unknown unit '%.*s' (ns, us, ms or s)",
                         tach__utf8_prec(json_string_value(tu), 80), json_string_value(tu));
                tach__jpath_key(&jp, "time_unit");
                tach__jpath_fail(&jp, msg);
                goto bad;
            }
            if (json_is_null(rtime)) continue; /* NaN/Infinity in the file: no sample */
            if (!json_is_number(rtime) || json_number_value(rtime) < 0) {
                tach__jpath_key(&jp, "real_time");
                if (json_is_number(rtime)) {
                    char msg[96];
                    snprintf(msg, sizeof msg, "expected a time of 0 or more, got %g", json_number_value(rtime));
                    tach__jpath_fail(&jp, msg);
                } else {
                    tach__jpath_expected(&jp, "a number", rtime);
                }
                goto bad;
            }
            if (iters && (!json_is_integer(iters) || json_integer_value(iters) < 1)) {
                tach__jpath_key(&jp, "iterations");
                if (json_is_integer(iters)) {
                    char msg[96];
                    snprintf(msg, sizeof msg, "expected a positive integer, got %lld",
                             (long long)json_integer_value(iters));
                    tach__jpath_fail(&jp, msg);
                } else {
                    tach__jpath_expected(&jp, "a positive integer", iters);
                }
                goto bad;
            }
            const json_t *rep = json_object_get(o, "repetition_index");
            if (rep && (!json_is_integer(rep) || json_integer_value(rep) < 0 || json_integer_value(rep) > 100000)) {
                tach__jpath_key(&jp, "repetition_index");
                tach__jpath_expected(&jp, "an integer from 0 to 100000", rep);
                goto bad;
            }
            size_t n = r->nsamples + 1;
            double *ns = tach__realloc(r->sample_ns, n * sizeof *ns);
            if (!ns) goto oom;
            r->sample_ns = ns;
            uint64_t *it = tach__realloc(r->sample_iters, n * sizeof *it);
            if (!it) goto oom;
            r->sample_iters = it;
            size_t *rd = tach__realloc(r->sample_round, n * sizeof *rd);
            if (!rd) goto oom;
            r->sample_round = rd;
            double t = json_number_value(rtime) * scale;
            if (!isfinite(t)) { /* 1e308 s: no double holds it in ns */
                char msg[96];
                snprintf(msg, sizeof msg, "%g %s is too large a time", json_number_value(rtime),
                         json_string_value(tu) ? json_string_value(tu) : "ns");
                tach__jpath_key(&jp, "real_time");
                tach__jpath_fail(&jp, msg);
                goto bad;
            }
            ns[n - 1] = t;
            /* an aggregate's "iterations" is its number of repetitions, not iterations of
             * the benchmark: the file (--benchmark_report_aggregates_only) does not give
             * those, so the one sample counts 1 and the import says so (import_note) */
            it[n - 1] = iters && !aggregate ? (uint64_t)json_integer_value(iters) : 1;
            if (aggregate) nagg++;
            /* each repetition is its own process: a round of its own */
            rd[n - 1] = rep && !aggregate ? (size_t)json_integer_value(rep) : n - 1;
            r->nsamples = n;
            /* Google Benchmark divides rates by the time it measures the benchmark by:
             * the CPU time, or with UseRealTime / UseManualTime (the name's "/real_time"
             * or "/manual_time") the real or manual time, which real_time then holds
             * while cpu_time stays the main thread's CPU time.  So per iteration = rate
             * x that time. */
            const json_t *bps = json_object_get(o, "bytes_per_second");
            const json_t *ips = json_object_get(o, "items_per_second");
            const json_t *ctime = json_object_get(o, "cpu_time");
            double ct = !real_rates && json_is_number(ctime) && json_number_value(ctime) > 0
                            ? json_number_value(ctime) * scale
                            : t;
            /* over repetitions, each figure below is their mean, as Google Benchmark's own
             * mean aggregate gives it (the last repetition's value replaced the others): a
             * running mean (rep_mean), seen counting the repetitions that gave each key */
            json_t *seen = json_object_get(counter_reps, r->name);
            if (!seen && (!(seen = json_object()) || json_object_set_new(counter_reps, r->name, seen) != 0))
                goto oom;
            if (json_is_number(bps) && ct > 0 &&
                rep_mean(seen, "bytes_per_second", &r->bytes_per_iter, json_number_value(bps) * ct / 1e9) != 0)
                goto oom;
            if (json_is_number(ips) && ct > 0 &&
                rep_mean(seen, "items_per_second", &r->items_per_iter, json_number_value(ips) * ct / 1e9) != 0)
                goto oom;
            if (!aggregate && read_memory(o, r, seen) != 0) goto oom;
            const char *key;
            const json_t *v;
            if (json_is_number(json_object_get(o, "latency_count"))) nlat++;
            json_object_foreach((json_t *)o, key, v) {
                if (gb_known_key(key) || !json_is_number(v) || tach_latency_key(o, key)) continue;
                /* a known key is never a counter: seen's own keys above cannot clash */
                double x = json_object_get(seen, key) ? tach__result_counter(r, key) : NAN;
                if (rep_mean(seen, key, &x, json_number_value(v)) != 0 ||
                    tach__result_set_counter(r, key, x) != 0)
                    goto oom;
            }
        }
    }
    for (size_t k = 0; k < d->nresults; k++) {
        tach__result *r = &d->results[k];
        /* bytes/items per iteration: the float error of rate x time taken off when it is
         * a whole number within a millionth (SetBytesProcessed(iterations * 64) gives 64);
         * not rounded otherwise: a total over the iterations need not divide evenly, and
         * 0.6 items an iteration rounded to 1 read 0.3 items/s as 0.5 */
        double *per[] = {&r->bytes_per_iter, &r->items_per_iter};
        for (int q = 0; q < 2; q++)
            if (*per[q] > 0 && fabs(*per[q] - round(*per[q])) <= 1e-6 * *per[q]) *per[q] = round(*per[q]);
        if (r->status == TACH__OK && r->nsamples == 0) {
            r->status = TACH__FAILED;
            r->message = tach__strdup("no finite time in the Google Benchmark output");
        }
        if (tach__result_finish(r, TACH__DEFAULT_SEED, err) != 0) goto fail;
    }
    json_decref(counter_reps);
    counter_reps = NULL;
    char note[512] = "";
    if (nlat)
        snprintf(note, sizeof note,
                 "the latency_* fields of %zu row%s (tach's per-call percentiles) were not read: "
                 "they cannot rebuild the histogram; import the tach results document for latency",
                 nlat, nlat == 1 ? "" : "s");
    if (nagg) {
        size_t used = strlen(note);
        snprintf(note + used, sizeof note - used,
                 "%s%zu benchmark%s only Google Benchmark's aggregates (mean of the repetitions, "
                 "--benchmark_report_aggregates_only): one sample each, whose iterations the file "
                 "does not give (counted as 1)",
                 used ? "; " : "", nagg, nagg == 1 ? " has" : "s have");
    }
    if (*note) json_object_set_new(d->context, "import_note", json_string(note));
    return d;
oom:
    tach__err(err, "%s: out of memory", path);
    goto fail;
bad:
    tach__err(err, "%s: %s", path, jerr);
fail:
    json_decref(counter_reps);
    tach__doc_free(d);
    return NULL;
}

static bool is_gbench(const json_t *j)
{
    return json_is_array(json_object_get(j, "benchmarks"));
}

static char *write_gbench(const tach__doc *d, size_t *len, char *err)
{
    return tach__format_json_dump(tach__doc_to_gbench(d), 15, len, err);
}

const tach__format tach__format_gbench = {
    .name = "gbench", .extensions = ".json", .summary = "Google Benchmark's JSON",
    .detect = is_gbench, .read = from_gbench, .write = write_gbench,
};
