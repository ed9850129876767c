/* targets.c - declared targets (a benchmark's own and the configuration's rules)
 * checked against a result (see compare.h). */
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "metric.h"
#include "slo.h"

/* ---- rules and targets ----------------------------------------------------- */

void tool_cmp_apply_rules(const char *name, const tool_rule *rules, size_t nrules, tool_cmp_effective *e)
{
    for (size_t i = 0; i < nrules; i++) {
        const tool_rule *r = &rules[i];
        if (!r->pattern || fnmatch(r->pattern, name, 0) != 0) continue;
        if (!isnan(r->noise)) e->noise = r->noise;
        if (!isnan(r->critical)) e->critical = r->critical;
        if (r->max_mean_ns > 0) e->max_mean_ns = r->max_mean_ns;
        if (r->max_median_ns > 0) e->max_median_ns = r->max_median_ns;
        if (r->max_p99_ns > 0) e->max_p99_ns = r->max_p99_ns;
        if (r->min_bytes_per_sec > 0) e->min_bytes_per_sec = r->min_bytes_per_sec;
        if (r->min_items_per_sec > 0) e->min_items_per_sec = r->min_items_per_sec;
        if (r->max_regression_pct > 0) e->max_regression_pct = r->max_regression_pct;
        if (r->max_allocs_per_iter != 0) e->max_allocs_per_iter = r->max_allocs_per_iter; /* < 0: a target of 0 */
        if (r->max_bytes_per_iter != 0) e->max_bytes_per_iter = r->max_bytes_per_iter; /* < 0: a target of 0 */
        if (r->max_peak_bytes != 0) e->max_peak_bytes = r->max_peak_bytes; /* < 0: a target of 0 */
        if (r->max_rss_bytes > 0) e->max_rss_bytes = r->max_rss_bytes;
    }
}

void tool_cmp_targets_of(const tach__result *r, tool_cmp_effective *e)
{
    e->max_mean_ns = r->max_mean_ns;
    e->max_median_ns = r->max_median_ns;
    e->max_p99_ns = r->max_p99_ns;
    e->min_bytes_per_sec = r->min_bytes_per_sec;
    e->min_items_per_sec = r->min_items_per_sec;
    e->max_regression_pct = r->max_regression_pct;
    e->max_allocs_per_iter = r->max_allocs_per_iter;
    e->max_bytes_per_iter = r->max_bytes_per_iter;
    e->max_peak_bytes = r->max_peak_bytes;
    e->max_rss_bytes = r->max_rss_bytes;
}

/* The statistics a target is checked against, from the raw samples when there
 * are some (a document read from a file may carry only them), else from the
 * summary. */
typedef struct observed { double mean, median, p99; bool ok; } observed;

static observed observe(const tach__result *r)
{
    observed o = {NAN, NAN, NAN, false};
    if (r->nsamples > 0 && r->sample_ns) {
        double *s = tach__malloc(r->nsamples * sizeof *s);
        if (s) {
            memcpy(s, r->sample_ns, r->nsamples * sizeof *s);
            tach__sort(s, r->nsamples);
            o.mean = tach__mean(s, r->nsamples);
            o.median = tach__quantile_sorted(s, r->nsamples, 0.5);
            o.p99 = tach__quantile_sorted(s, r->nsamples, 0.99);
            o.ok = true;
            tach__free(s);
            return o;
        }
    }
    if (r->has_summary) {
        o.mean = r->summary.mean.value;
        o.median = r->summary.median.value;
        o.p99 = r->summary.p99;
        o.ok = true;
    }
    return o;
}

int tool_cmp_add_check(tool_target_check **v, size_t *n, const char *name, double limit,
                     double actual, bool met)
{
    tool_target_check *nv = tach__realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return -1;
    nv[*n] = (tool_target_check){name, limit, actual, met, NULL, NULL, NULL, false};
    *v = nv;
    (*n)++;
    return 0;
}

/* Appends a target that was not checked, and why (compare.h). */
static int add_not_checked(tool_target_check **v, size_t *n, const char *name, double limit,
                           const char *why)
{
    if (tool_cmp_add_check(v, n, name, limit, NAN, false) != 0) return -1;
    (*v)[*n - 1].not_checked = why;
    return 0;
}

/* A load run's checks (docs/load.md): a failed "load_valid" when r is marked invalid
 * (its latencies are the generator's), and one per objective recorded with the run
 * ("slo_verdicts" of its load block).  Returns the number missed, -1 on no memory. */
static int load_checks(const tach__result *r, tool_target_check **out, size_t *nout)
{
    if (!r->load) return 0;
    int missed = 0;
    if (json_is_true(json_object_get(r->load, "invalid"))) {
        if (tool_cmp_add_check(out, nout, "load_valid", 1, 0, false) != 0) return -1;
        missed++;
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r->load, "slo_verdicts"), i, v) {
        const char *text = json_string_value(json_object_get(v, "objective"));
        const char *verdict = json_string_value(json_object_get(v, "verdict"));
        if (!text || !verdict) continue;
        bool met = !strcmp(verdict, "met");
        const json_t *m = json_object_get(v, "measured");
        tool_slo_list one = {0};
        char err[TACH__ERR_MAX];
        double limit = tool_slo_parse_stored(text, &one, err) == 0 && one.n == 1 ? one.v[0].value : NAN;
        tool_slo_list_free(&one);
        if (tool_cmp_add_check(out, nout, text, limit, json_is_number(m) ? json_number_value(m) : NAN,
                               met) != 0)
            return -1;
        missed += !met;
    }
    return missed;
}

/* The objective's text as a check's name, kept for the process (a check names a
 * string it does not own; the few distinct objectives of a suite are kept once). */
static const char *interned(const char *text)
{
    static char **pool;
    static size_t n, cap;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(pool[i], text)) return pool[i];
    char *copy = tach__strdup(text);
    if (!copy || TACH__GROW(&pool, &cap, n + 1, 16) != 0) {
        tach__free(copy);
        return NULL;
    }
    pool[n++] = copy;
    return copy;
}

/* A benchmark's declared latency objectives (tach_bench_def.slo, targets.slo) against
 * its latency block: one check per objective, missed when not met or not measurable
 * (no per-call latency, calls too short to time one by one) - not checked when the
 * benchmark was counted in instruction mode (counted), which timed no call, or when the
 * objective's percentile rests on too few calls (tool_slo_latency_thin: why with the
 * counts, interned).  Objectives that do not parse are one missed
 * check. */
static int declared_slo_checks(const tach__result *r, bool counted, tool_target_check **out,
                               size_t *nout)
{
    if (!r->slo || !r->slo[0] || r->load) return 0;
    tool_slo_list l = {0};
    char err[TACH__ERR_MAX];
    int missed = 0;
    if (tool_slo_parse_stored(r->slo, &l, err) != 0) { /* read as when recorded */
        const char *name = interned(r->slo), *why = interned(err);
        if (!name || !why || tool_cmp_add_check(out, nout, name, NAN, NAN, false) != 0) {
            missed = -1;
        } else {
            (*out)[*nout - 1].invalid = why; /* "nothing measured" would blame the run */
            missed = 1;
        }
        tool_slo_list_free(&l);
        return missed;
    }
    counted = counted && !r->latency;
    for (size_t i = 0; i < l.n && missed >= 0; i++) {
        const char *name = interned(l.v[i].text);
        if (!name) {
            missed = -1;
        } else if (counted) {
            if (add_not_checked(out, nout, name, l.v[i].value, TOOL_NOT_CHECKED_TIME)) missed = -1;
        } else if (tool_slo_latency_thin(&l.v[i], r->latency, err, sizeof err)) {
            /* a percentile on a thin tail is a guess: neither met nor missed (it was
             * judged on that guess, or missed as "nothing measured" with no call) */
            const char *why = interned(err);
            if (!why || add_not_checked(out, nout, name, l.v[i].value, why)) missed = -1;
        } else {
            double v;
            int ok = tool_slo_check_latency(&l.v[i], r->latency, &v);
            if (tool_cmp_add_check(out, nout, name, l.v[i].value, v, ok == 1) != 0) missed = -1;
            else missed += ok != 1;
        }
    }
    tool_slo_list_free(&l);
    return missed;
}

/* Checks the level targets (not max_regression_pct, which needs a comparison). */
/* r's bytes per second: bytes_per_iter over the median time, or for a storage job or a
 * bus run (whose median interval's rate is not theirs) the run's own, kept as a counter
 * (bw_bytes; mb_per_s, in MB/s). */
static double bytes_rate(const tach__result *r, double med)
{
    if (med > 0 && r->bytes_per_iter > 0) return r->bytes_per_iter * 1e9 / med;
    double bw = tach__result_counter(r, "bw_bytes");
    if (!isnan(bw)) return bw;
    double mb = tach__result_counter(r, "mb_per_s");
    return isnan(mb) ? NAN : mb * 1e6;
}

/* r's items per second: items_per_iter over the median time, or, as bytes_rate, a storage
 * job's or a bus run's own rate, kept as a counter (iops; msgs_per_s): min_items_per_sec
 * on them failed every gate as "no items per iteration recorded". */
static double items_rate(const tach__result *r, double med)
{
    if (med > 0 && r->items_per_iter > 0) return r->items_per_iter * 1e9 / med;
    double iops = tach__result_counter(r, "iops");
    return !isnan(iops) ? iops : tach__result_counter(r, "msgs_per_s");
}

static int check_levels(const tach__doc *d, const tach__result *r, bool counted_run,
                        const tool_cmp_effective *e, tool_target_check **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    /* What was measured: a result projected onto another metric (--metric, metric.h)
     * is checked against the result it was made from, so that the metric compared
     * changes no target's verdict. */
    if (r->origin) r = r->origin;
    /* Counted in instruction mode: no time was measured (the samples are empty), so the
     * time and rate targets are neither met nor missed, and nothing reads a count as
     * nanoseconds (docs/instructions.md).  So for a benchmark of such a run that failed
     * under Valgrind: it measured no time either, and would have measured none. */
    bool counted = r->has_instr || counted_run;
    int load_missed = load_checks(r, out, nout); /* a load run's validity and SLOs */
    if (load_missed < 0) return -1;
    int slo_missed = declared_slo_checks(r, counted, out, nout);
    if (slo_missed < 0) return -1;
    load_missed += slo_missed;
    if (!(e->max_mean_ns > 0 || e->max_median_ns > 0 || e->max_p99_ns > 0 ||
          e->min_bytes_per_sec > 0 || e->min_items_per_sec > 0 || e->max_allocs_per_iter != 0 ||
          e->max_bytes_per_iter != 0 || e->max_peak_bytes != 0 || e->max_rss_bytes > 0))
        return load_missed;
    observed ob = observe(r);
    int missed = load_missed;
    /* A benchmark with nothing measured misses every target it declares (unless the run
     * counted instructions: then no time would have been measured). */
#define CHECK_MAX(field, value)                                                       \
    if (e->field > 0 && counted) {                                                    \
        if (add_not_checked(out, nout, #field, e->field, TOOL_NOT_CHECKED_TIME)) return -1; \
    } else if (e->field > 0) {                                                        \
        double a_ = (value);                                                          \
        bool met_ = ob.ok && !isnan(a_) && a_ <= e->field;                            \
        if (tool_cmp_add_check(out, nout, #field, e->field, a_, met_)) return -1;              \
        missed += !met_;                                                              \
    }
#define CHECK_MIN(field, value)                                                       \
    if (e->field > 0 && counted) {                                                    \
        if (add_not_checked(out, nout, #field, e->field, TOOL_NOT_CHECKED_TIME)) return -1; \
    } else if (e->field > 0) {                                                        \
        double a_ = (value);                                                          \
        bool met_ = ob.ok && !isnan(a_) && a_ >= e->field;                            \
        if (tool_cmp_add_check(out, nout, #field, e->field, a_, met_)) return -1;              \
        missed += !met_;                                                              \
    }
    double med = ob.median;
    CHECK_MAX(max_mean_ns, ob.mean)
    CHECK_MAX(max_median_ns, ob.median)
    CHECK_MAX(max_p99_ns, ob.p99)
    CHECK_MIN(min_bytes_per_sec, bytes_rate(r, med))
    CHECK_MIN(min_items_per_sec, items_rate(r, med))
    /* Memory (docs/memory.md): missed when not measured - except in instruction mode,
     * which cannot count it (not checked then, unless the result carries it). */
    const tach__memory *m = &r->memory;
    /* A negative limit is a target of zero (TACH_ZERO, tach.h). */
#define CHECK_MEM(field, value)                                                       \
    if (e->field != 0) {                                                              \
        double a_ = (value), l_ = e->field < 0 ? 0 : e->field;                        \
        bool met_ = isfinite(a_) && a_ <= l_;                                         \
        if (counted && !isfinite(a_)) {                                               \
            if (add_not_checked(out, nout, #field, l_, TOOL_NOT_CHECKED_MEMORY)) return -1; \
        } else {                                                                      \
            if (tool_cmp_add_check(out, nout, #field, l_, a_, met_)) return -1;       \
            missed += !met_;                                                          \
        }                                                                             \
    }
    CHECK_MEM(max_allocs_per_iter, m->measured ? m->allocs_per_iter : NAN)
    CHECK_MEM(max_bytes_per_iter, m->measured ? m->bytes_per_iter : NAN)
    CHECK_MEM(max_peak_bytes, m->measured ? m->peak_bytes : NAN)
    /* A command's peak at or below tach's own is tach's (a child holds its pages until
     * its exec): within the target, the child's is too; beyond it, the child's is not
     * known, so neither met nor missed. */
    double rss = tach__result_peak_rss(r), own = tach__doc_spawner_rss_kib(d) * 1024.0;
    double rss_limit = e->max_rss_bytes;
    if (rss_limit > 0 && !(r->memory.peak_rss_bytes > 0) && r->max_rss_kib && own > 0 && rss <= own &&
        rss > rss_limit) {
        if (add_not_checked(out, nout, "max_rss_bytes", rss_limit, TOOL_NOT_CHECKED_RSS_OWN)) return -1;
    } else {
        CHECK_MEM(max_rss_bytes, rss)
    }
#undef CHECK_MEM
#undef CHECK_MAX
#undef CHECK_MIN
    return missed;
}

int tool_cmp_check_levels(const tach__doc *d, const tach__result *r, bool counted_run,
                          const tool_cmp_effective *e, tool_target_check **out, size_t *nout)
{
    int missed = check_levels(d, r, counted_run, e, out, nout);
    const tach__result *measured = r->origin ? r->origin : r;
    if (missed < 0 || measured->status != TACH__SKIPPED) return missed;
    /* A skipped benchmark (tach_skip) measured nothing, by its own choice and no failure
     * (gate passes it): its targets are not checked, not missed "nothing measured".  An
     * objective that does not parse is missed still: that is the declaration's fault. */
    missed = 0;
    for (size_t k = 0; k < *nout; k++) {
        tool_target_check *t = &(*out)[k];
        if (t->invalid) {
            missed++;
            continue;
        }
        t->actual = NAN;
        t->met = false;
        t->unmeasured = NULL;
        t->not_checked = TOOL_NOT_CHECKED_SKIPPED;
    }
    return missed;
}

int tool_check_targets(const tach__doc *d, const tach__result *r, const tool_rule *rules,
                       size_t nrules, tool_target_check **out, size_t *nout)
{
    tool_cmp_effective e = {0};
    tool_cmp_targets_of(r, &e);
    tool_cmp_apply_rules(r->name ? r->name : "", rules, nrules, &e);
    return tool_cmp_check_levels(d, r, tool_doc_counted_instructions(d), &e, out, nout);
}
