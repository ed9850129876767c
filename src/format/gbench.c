/* format_gbench.c - a results document as Google Benchmark's JSON output.
 *
 * Each benchmark gives one "iteration" row (real_time = the iteration-weighted mean
 * of its samples, as Google Benchmark reports a run: total time / iterations) and,
 * when it has samples, "aggregate" rows mean, median, stddev and cv over its samples
 * (repetitions = number of samples), so compare.py, github-action-benchmark and
 * Bencher read it unchanged.  tach does not measure per-sample CPU time: cpu_time
 * repeats real_time.  Benchmarks that did not end ok carry error_occurred and
 * error_message. */
#include <math.h>
#include <string.h>

#include "tach_internal.h"

static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

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

static json_t *base_row(const tach__result *r, size_t family, size_t instance, const char *run_type)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(r->name ? r->name : ""));
    json_object_set_new(o, "family_index", json_integer((json_int_t)family));
    json_object_set_new(o, "per_family_instance_index", json_integer((json_int_t)instance));
    json_object_set_new(o, "run_name", json_string(r->name ? r->name : ""));
    json_object_set_new(o, "run_type", json_string(run_type));
    json_object_set_new(o, "repetitions", json_integer((json_int_t)(r->nsamples ? r->nsamples : 1)));
    json_object_set_new(o, "threads", json_integer(1));
    return o;
}

static void add_rates_counters(json_t *o, const tach__result *r, double ns)
{
    if (r->bytes_per_iter > 0 && ns > 0)
        json_object_set_new(o, "bytes_per_second", json_real(r->bytes_per_iter * 1e9 / ns));
    if (r->items_per_iter > 0 && ns > 0)
        json_object_set_new(o, "items_per_second", json_real(r->items_per_iter * 1e9 / ns));
    for (size_t k = 0; k < r->ncounters; k++)
        json_object_set_new(o, r->counters[k].name, real_or_null(r->counters[k].value));
}

static json_t *aggregate_row(const tach__result *r, size_t family, size_t instance, const char *agg,
                             double value, bool percentage)
{
    json_t *o = base_row(r, family, instance, "aggregate");
    char name[1024];
    snprintf(name, sizeof name, "%s_%s", r->name ? r->name : "", agg);
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "aggregate_name", json_string(agg));
    json_object_set_new(o, "aggregate_unit", json_string(percentage ? "percentage" : "time"));
    json_object_set_new(o, "iterations", json_integer((json_int_t)r->nsamples));
    json_object_set_new(o, "real_time", real_or_null(value));
    json_object_set_new(o, "cpu_time", real_or_null(value));
    if (!percentage) json_object_set_new(o, "time_unit", json_string("ns"));
    return o;
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
    /* An interrupted run: Google Benchmark's context takes extra keys, readers skip them. */
    if (ctx && d && d->partial) json_object_set_new(ctx, "partial", json_true());
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
        size_t family = fam[i], instance = inst[i];
        json_t *o = base_row(r, family, instance, "iteration");
        json_object_set_new(o, "repetition_index", json_integer(0));
        uint64_t iters = 0;
        double total = 0;
        for (size_t k = 0; k < r->nsamples; k++) {
            uint64_t it = r->sample_iters ? r->sample_iters[k] : 1;
            iters += it;
            total += r->sample_ns[k] * (double)it;
        }
        double mean = iters ? total / (double)iters : NAN;
        /* A row without iterations (a benchmark that failed, crashed, timed out or
         * skipped) has times of 0, as Google Benchmark writes them: readers that
         * expect a number there get one. */
        double shown = iters ? mean : 0.0;
        json_object_set_new(o, "iterations", json_integer((json_int_t)iters));
        json_object_set_new(o, "real_time", real_or_null(shown));
        json_object_set_new(o, "cpu_time", real_or_null(shown));
        json_object_set_new(o, "time_unit", json_string("ns"));
        if (r->status != TACH__OK) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s%s%s", tach__status_name(r->status), r->message ? ": " : "",
                     r->message ? r->message : "");
            json_object_set_new(o, "error_occurred", json_true());
            json_object_set_new(o, "error_message", tach__json_string_lossy(msg));
        }
        add_rates_counters(o, r, mean);
        json_array_append_new(rows, o);
        if (r->status == TACH__OK && r->has_summary && r->nsamples > 1) {
            const tach__summary *s = &r->summary;
            json_t *a = aggregate_row(r, family, instance, "mean", s->mean.value, false);
            add_rates_counters(a, r, s->mean.value);
            json_array_append_new(rows, a);
            a = aggregate_row(r, family, instance, "median", s->median.value, false);
            add_rates_counters(a, r, s->median.value);
            json_array_append_new(rows, a);
            json_array_append_new(rows, aggregate_row(r, family, instance, "stddev", s->stddev, false));
            json_array_append_new(rows, aggregate_row(r, family, instance, "cv", s->cv, true));
        }
    }
    tach__free(fam);
    tach__free(inst);
    json_object_set_new(root, "benchmarks", rows);
    return root;
}
