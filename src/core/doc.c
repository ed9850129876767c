/*
 * doc.c - the results document model: a document of results, each result's
 * parameters and counters, and its summary recomputed from the raw samples.
 * The JSON form is in doc_json.c, files in file.c.
 */
#include <math.h>
#include <string.h>

#include "latency.h"
#include "options.h"
#include "tach_internal.h"

/* ---- statuses ------------------------------------------------------------ */

static const char *const status_names[] = {"ok", "skipped", "failed", "crashed", "timeout"};
#define NSTATUS (sizeof status_names / sizeof status_names[0])

const char *tach__status_name(tach__status s)
{
    if ((unsigned)s < NSTATUS) return status_names[s];
    return "unknown";
}

int tach__status_parse(const char *name, tach__status *out)
{
    if (!name) return -1;
    for (size_t i = 0; i < NSTATUS; i++)
        if (strcmp(name, status_names[i]) == 0) {
            if (out) *out = (tach__status)i;
            return 0;
        }
    return -1;
}

/* ---- the model ------------------------------------------------------------ */

tach__doc *tach__doc_new(void)
{
    tach__doc *d = tach__calloc(1, sizeof *d);
    if (!d) return NULL;
    d->context = json_object();
    if (!d->context) {
        tach__free(d);
        return NULL;
    }
    return d;
}

void tach__doc_free(tach__doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nresults; i++) tach__result_clear(&d->results[i]);
    tach__free(d->results);
    json_decref(d->context);
    tach__free(d);
}

tach__result *tach__doc_add(tach__doc *d)
{
    if (!d) return NULL;
    tach__result *r = tach__realloc(d->results, (d->nresults + 1) * sizeof *r);
    if (!r) return NULL;
    d->results = r;
    r = &d->results[d->nresults++];
    memset(r, 0, sizeof *r);
    return r;
}

void tach__result_drop_samples(tach__result *r)
{
    tach__free(r->sample_ns);
    tach__free(r->sample_iters);
    tach__free(r->sample_round);
    r->sample_ns = NULL;
    r->sample_iters = NULL;
    r->sample_round = NULL;
    r->nsamples = 0;
}

int tach__result_name_by_params(tach__result *r, const char *base)
{
    tach__buf b = {0};
    tach__buf_printf(&b, "%s [", base);
    for (size_t p = 0; p < r->nparams; p++)
        tach__buf_printf(&b, "%s%s=%s", p ? ", " : "", r->params[p].name, r->params[p].value);
    tach__buf_puts(&b, "]");
    char *name = tach__buf_take(&b);
    if (!name) return -1;
    tach__free(r->name);
    r->name = name;
    return 0;
}

const char *tach__result_command_shown(const tach__result *r)
{
    if (!r->command) return r->name ? r->name : "";
    return r->named && r->name ? r->name : r->command;
}

void tach__result_clear(tach__result *r)
{
    if (!r) return;
    tach__free(r->name);
    tach__free(r->group);
    tach__free(r->function);
    tach__free(r->command);
    for (size_t i = 0; i < r->nparams; i++) {
        tach__free(r->params[i].name);
        tach__free(r->params[i].value);
    }
    tach__free(r->params);
    tach__free(r->message);
    tach__free(r->sample_ns);
    tach__free(r->sample_iters);
    tach__free(r->sample_round);
    tach__free(r->user_ns);
    tach__free(r->sys_ns);
    tach__free(r->max_rss_kib);
    tach__free(r->exit_codes);
    tach__free(r->minor_faults);
    tach__free(r->major_faults);
    tach__free(r->vol_ctxsw);
    tach__free(r->invol_ctxsw);
    tach__free(r->cpu_stall_ns);
    for (size_t i = 0; i < r->ncounters; i++) tach__free(r->counters[i].name);
    tach__free(r->counters);
    tach__memory_clear(&r->memory);
    tach__result_clear_hw(r);
    json_decref(r->load);
    tach__free(r->slo);
    tach__latency_free(r->latency);
    memset(r, 0, sizeof *r);
}

void tach__summary_undefined(tach__summary *s)
{
    memset(s, 0, sizeof *s);
    double *f[] = {&s->mean.value, &s->mean.lo, &s->mean.hi, &s->median.value, &s->median.lo,
                   &s->median.hi, &s->stddev, &s->mad, &s->cv, &s->min, &s->max, &s->p1,
                   &s->p5, &s->p10, &s->p25, &s->p50, &s->p75, &s->p90, &s->p95, &s->p99,
                   &s->p999, &s->outliers.q1, &s->outliers.q3};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) *f[i] = NAN;
}

/* A load run's result: its samples are the intervals' mean latencies (what compare
 * tests), but the latency its readers look for is the calls': the summary's mean,
 * median (with its CI), percentiles, min and max are taken from the per-call histogram
 * (corrected), so that every format's "median" and "p99" is the calls'.  Its stddev,
 * MAD, CV and outliers stay the intervals' (how steady the run was). */
static void per_call_summary(tach__result *r)
{
    const tach__latency *l = r->latency;
    if (!r->load || !l || l->count <= 0) return;
    tach__summary *s = &r->summary;
    s->mean.value = l->mean;
    s->mean.lo = s->mean.hi = NAN;
    s->min = l->min;
    s->max = l->max;
    double *at[] = {&s->p1, &s->p5, &s->p10, &s->p25, &s->p50, &s->p75, &s->p90, &s->p95,
                    &s->p99, &s->p999};
    static const double ps[] = {1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
        *at[i] = (double)tach__hist_value_at(l->hist, ps[i]);
    const tach__lat_pct *m = tach__lat_find(l, 50);
    s->median.value = m ? m->value : s->p50;
    s->median.lo = m ? m->lo : NAN;
    s->median.hi = m ? m->hi : NAN;
    s->p50 = s->median.value;
    /* the precision shown beside the median is its CI's, the calls' too */
    r->precision_achieved = s->median.value > 0 && isfinite(s->median.hi - s->median.lo)
                                ? (s->median.hi - s->median.lo) / 2.0 / s->median.value
                                : NAN;
    for (size_t i = 0; i < TACH__LAT_NPCT; i++) { /* the block's own values where it has them */
        const tach__lat_pct *q = &l->pct[i];
        if (q->p == 90) s->p90 = q->value;
        else if (q->p == 95) s->p95 = q->value;
        else if (q->p == 99) s->p99 = q->value;
        else if (q->p == 99.9) s->p999 = q->value;
    }
}

int tach__result_finish(tach__result *r, uint64_t seed, char *err)
{
    return tach__result_finish_resamples(r, seed, 10000, err);
}

int tach__result_finish_resamples(tach__result *r, uint64_t seed, size_t resamples, char *err)
{
    if (!r) return tach__err(err, "no result");
    if (resamples < 1) resamples = 1;
    r->has_summary = false;
    r->unstable = false;
    tach__summary_undefined(&r->summary);
    if (r->latency) tach__latency_finish(r->latency);
    if (r->nsamples == 0) {
        r->precision_achieved = NAN;
        r->precision_reached = false;
        return 0;
    }
    if (!r->sample_ns) return tach__err(err, "%s: %zu samples but no sample times", r->name ? r->name : "result", r->nsamples);
    for (size_t i = 0; i < r->nsamples; i++)
        if (!isfinite(r->sample_ns[i]))
            return tach__err(err, "%s: sample %zu is not a finite number",
                             r->name ? r->name : "result", i);
    if (tach__summarize(r->sample_ns, r->nsamples, resamples, seed, &r->summary) != 0) {
        tach__summary_undefined(&r->summary);
        return tach__err(err, "%s: out of memory summarizing %zu samples",
                         r->name ? r->name : "result", r->nsamples);
    }
    r->summary.n = r->nsamples;
    r->has_summary = true;
    r->unstable = isfinite(r->summary.cv) && r->summary.cv > 0.05;
    /* precision.achieved is the half-width of the distribution-free (order-statistic)
     * 95% CI of the median over the median: the same rule the runner and `tach run`
     * stop on, so a run that stopped for precision reports it reached.  It is
     * recomputed from the raw samples, so it stays true when samples are merged. */
    tach__ci fast;
    double med = r->summary.median.value;
    if (r->nsamples >= 2 && tach__median_ci_fast(r->sample_ns, r->nsamples, 0.95, &fast) == 0 &&
        isfinite(fast.hi - fast.lo) && isfinite(med) && med != 0.0) {
        r->precision_achieved = (fast.hi - fast.lo) / 2.0 / fabs(med);
        r->precision_reached = r->precision_target > 0 && r->precision_achieved <= r->precision_target;
    } else {
        r->precision_achieved = NAN;
        r->precision_reached = false;
    }
    per_call_summary(r);
    return 0;
}

int tach__result_set_param(tach__result *r, const char *name, const char *value)
{
    if (!r || !name || !value) return -1;
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].name, name) == 0) {
            char *v = tach__strdup(value);
            if (!v) return -1;
            tach__free(r->params[i].value);
            r->params[i].value = v;
            return 0;
        }
    tach__param *p = tach__realloc(r->params, (r->nparams + 1) * sizeof *p);
    if (!p) return -1;
    r->params = p;
    char *n = tach__strdup(name), *v = tach__strdup(value);
    if (!n || !v) {
        tach__free(n);
        tach__free(v);
        return -1;
    }
    r->params[r->nparams++] = (tach__param){n, v};
    return 0;
}

int tach__result_append_samples(tach__result *dst, const tach__result *src)
{
    /* per-call histograms merge (never their percentiles) */
    if (src->latency) {
        if (!dst->latency && !(dst->latency = tach__latency_new())) return -1;
        if (tach__latency_merge(dst->latency, src->latency) != 0) return -1;
    }
    if (!src->nsamples) return 0;
    size_t n = dst->nsamples + src->nsamples;
    double *ns = tach__realloc(dst->sample_ns, n * sizeof *ns);
    if (!ns) return -1;
    dst->sample_ns = ns;
    uint64_t *it = tach__realloc(dst->sample_iters, n * sizeof *it);
    if (!it) return -1;
    dst->sample_iters = it;
    size_t *rd = tach__realloc(dst->sample_round, n * sizeof *rd);
    if (!rd) return -1;
    if (!dst->sample_round) memset(rd, 0, dst->nsamples * sizeof *rd);
    dst->sample_round = rd;
    size_t first = tach__result_rounds(dst); /* src's rounds come after dst's */
    memcpy(ns + dst->nsamples, src->sample_ns, src->nsamples * sizeof *ns);
    for (size_t i = 0; i < src->nsamples; i++) {
        it[dst->nsamples + i] = src->sample_iters ? src->sample_iters[i] : 1;
        rd[dst->nsamples + i] = first + (src->sample_round ? src->sample_round[i] : 0);
    }
    dst->nsamples = n;
    return 0;
}

size_t tach__result_rounds(const tach__result *r)
{
    if (!r->nsamples) return 0;
    if (!r->sample_round) return 1;
    size_t last = 0;
    for (size_t i = 0; i < r->nsamples; i++)
        if (r->sample_round[i] > last) last = r->sample_round[i];
    return last + 1;
}

double tach__result_counter(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->ncounters; i++)
        if (!strcmp(r->counters[i].name, name)) return r->counters[i].value;
    return NAN;
}

int tach__result_set_counter(tach__result *r, const char *name, double value)
{
    if (!r || !name) return -1;
    for (size_t i = 0; i < r->ncounters; i++)
        if (strcmp(r->counters[i].name, name) == 0) {
            r->counters[i].value = value;
            return 0;
        }
    tach__counter *c = tach__realloc(r->counters, (r->ncounters + 1) * sizeof *c);
    if (!c) return -1;
    r->counters = c;
    char *n = tach__strdup(name);
    if (!n) return -1;
    r->counters[r->ncounters++] = (tach__counter){n, value};
    return 0;
}
