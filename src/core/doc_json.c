/*
 * doc_json.c - the results document as JSON (docs/results-format.md): writing it,
 * never with NaN or Infinity, and reading it strictly, with errors that name the
 * JSON path ("benchmarks[3].samples.ns[7]: expected a number, got a string").
 *
 * Why one file of ~800 lines: the writer and the strict reader mirror each other field
 * by field (docs/results-format.md in code), so a field is added, renamed or
 * validated in one place and a reader of the format sees both directions together.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "tach_internal.h"
#include "complexity.h"
#include "scaling.h"

/* ---- writing JSON ----------------------------------------------------------- */

static json_t *jstr_or_null(const char *s)
{
    return s ? tach__json_string_lossy(s) : json_null();
}

static json_t *jstr_bytes_or_null(const char *s)
{
    return s ? tach__json_string_bytes(s) : json_null();
}

/* put() under a key that may not be valid UTF-8. */
static void put_key(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (tach__json_set_lossy(o, key, v) != 0) *ok = false;
}

/* json_object_set_new that remembers an allocation failure in *ok. */
static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, key, v) != 0) *ok = false;
}

static json_t *jarray_num(const double *x, size_t n, bool *ok)
{
    json_t *a = json_array();
    if (!a) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(a, tach__json_num(x[i])) != 0) *ok = false;
    return a;
}

/* A parameter value is written as an integer when it is one in canonical form
 * ("42", "-7"; not "042" or "+7") within +-2^53, so that reading it back gives the same
 * text, also to a reader that holds numbers as doubles (jq, JavaScript): 9007199254740993
 * written as a number read as 9007199254740992 there; beyond 2^53 it stays a string. */
static bool canonical_int(const char *s, long long *out)
{
    if (!*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return false;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    if (strcmp(buf, s) != 0) return false;
    if (v > TACH__EXACT_INT_MAX || v < -TACH__EXACT_INT_MAX) return false;
    *out = v;
    return true;
}

static json_t *jci(const tach__ci *c, bool *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    put(o, "value", tach__json_num(c->value), ok);
    put(o, "ci_low", tach__json_num(c->lo), ok);
    put(o, "ci_high", tach__json_num(c->hi), ok);
    return o;
}

/* The "instructions" block of a result (docs/results-format.md). */
static json_t *instr_to_json(const tach__instr *m, bool *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    put(o, "per_iteration", tach__json_num(m->instructions), ok);
    put(o, "loop_overhead", tach__json_num(m->loop_overhead), ok);
    put(o, "iterations", json_integer((json_int_t)m->iterations), ok);
    if (!m->cache_sim) {
        put(o, "cache", json_null(), ok);
        return o;
    }
    json_t *c = json_object();
    if (c) {
        double l1_hits = m->instructions + m->data_reads + m->data_writes - m->l1_misses;
        put(c, "data_reads", tach__json_num(m->data_reads), ok);
        put(c, "data_writes", tach__json_num(m->data_writes), ok);
        put(c, "l1_misses", tach__json_num(m->l1_misses), ok);
        put(c, "ll_misses", tach__json_num(m->ll_misses), ok);
        put(c, "l1_hits", tach__json_num(l1_hits), ok);
        put(c, "ll_hits", tach__json_num(m->l1_misses - m->ll_misses), ok);
        put(c, "ram_accesses", tach__json_num(m->ll_misses), ok);
        put(c, "cycles_est", tach__json_num(m->cycles_est), ok);
    }
    put(o, "cache", c, ok);
    return o;
}

static json_t *result_to_json(const tach__result *r, bool *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    /* what tells benchmarks apart, byte for byte (two names made alike would be one);
     * read back, the escaped text is the name (valid UTF-8 for every output) */
    put(o, "name", tach__json_string_bytes(r->name ? r->name : ""), ok);
    put(o, "group", jstr_bytes_or_null(r->group), ok);
    put(o, "function", jstr_bytes_or_null(r->function), ok);
    put(o, "command", jstr_bytes_or_null(r->command), ok);
    if (r->named) put(o, "named", json_true(), ok);

    json_t *params = json_object();
    for (size_t i = 0; params && i < r->nparams; i++) {
        long long iv;
        json_t *v = canonical_int(r->params[i].value, &iv) ? json_integer(iv)
                                                           : tach__json_string_bytes(r->params[i].value);
        if (tach__json_set_bytes(params, r->params[i].name, v) != 0) *ok = false;
    }
    put(o, "params", params, ok);
    put(o, "status", json_string(tach__status_name(r->status)), ok);
    put(o, "message", jstr_or_null(r->message), ok);
    if (r->signal != 0) put(o, "signal", json_integer(r->signal), ok);

    /* Without times there are no samples to write (iters and ns stay the same length). */
    size_t ns_n = r->sample_ns ? r->nsamples : 0;
    json_t *samples = json_object(), *iters = json_array();
    for (size_t i = 0; iters && i < ns_n; i++)
        if (json_array_append_new(iters, json_integer(r->sample_iters ? (json_int_t)r->sample_iters[i] : 0)) != 0)
            *ok = false;
    if (samples) {
        put(samples, "iters", iters, ok);
        put(samples, "ns", jarray_num(r->sample_ns, ns_n, ok), ok);
        /* the round of each sample, when they came from more than one */
        if (r->sample_round && ns_n && tach__result_rounds(r) > 1) {
            json_t *rounds = json_array();
            for (size_t i = 0; rounds && i < ns_n; i++)
                if (json_array_append_new(rounds, json_integer((json_int_t)r->sample_round[i])) != 0) *ok = false;
            put(samples, "rounds", rounds, ok);
        }
    } else {
        json_decref(iters);
    }
    put(o, "samples", samples, ok);

    if (r->user_ns || r->sys_ns || r->max_rss_kib || r->exit_codes || r->minor_faults ||
        r->major_faults || r->vol_ctxsw || r->invol_ctxsw || r->cpu_stall_ns) {
        json_t *runs = json_object();
        if (runs) {
            struct { const char *key; const double *x; } cols[] = {
                {"user_ns", r->user_ns}, {"sys_ns", r->sys_ns}, {"max_rss_kib", r->max_rss_kib}};
            for (size_t k = 0; k < 3; k++)
                if (cols[k].x) put(runs, cols[k].key, jarray_num(cols[k].x, ns_n, ok), ok);
            if (r->exit_codes) {
                json_t *a = json_array();
                for (size_t i = 0; a && i < ns_n; i++)
                    if (json_array_append_new(a, json_integer(r->exit_codes[i])) != 0) *ok = false;
                put(runs, "exit_codes", a, ok);
            }
            struct { const char *key; const double *x; } more[] = {
                {"minor_faults", r->minor_faults}, {"major_faults", r->major_faults},
                {"vol_ctxsw", r->vol_ctxsw}, {"invol_ctxsw", r->invol_ctxsw},
                {"cpu_stall_ns", r->cpu_stall_ns}};
            for (size_t k = 0; k < 5; k++) {
                bool finite = more[k].x != NULL;
                for (size_t i = 0; finite && i < ns_n; i++) finite = isfinite(more[k].x[i]);
                if (finite) put(runs, more[k].key, jarray_num(more[k].x, ns_n, ok), ok);
            }
        }
        put(o, "runs", runs, ok);
    }

    if (r->has_summary) {
        const tach__summary *s = &r->summary;
        json_t *est = json_object();
        if (est) {
            put(est, "mean", jci(&s->mean, ok), ok);
            put(est, "median", jci(&s->median, ok), ok);
            put(est, "stddev", tach__json_num(s->stddev), ok);
            put(est, "mad", tach__json_num(s->mad), ok);
            put(est, "cv", tach__json_num(s->cv), ok);
            put(est, "min", tach__json_num(s->min), ok);
            put(est, "max", tach__json_num(s->max), ok);
        }
        put(o, "estimates", est, ok);

        json_t *pct = json_object();
        if (pct) {
            put(pct, "p1", tach__json_num(s->p1), ok);
            put(pct, "p5", tach__json_num(s->p5), ok);
            put(pct, "p10", tach__json_num(s->p10), ok);
            put(pct, "p25", tach__json_num(s->p25), ok);
            put(pct, "p50", tach__json_num(s->p50), ok);
            put(pct, "p75", tach__json_num(s->p75), ok);
            put(pct, "p90", tach__json_num(s->p90), ok);
            put(pct, "p95", tach__json_num(s->p95), ok);
            put(pct, "p99", tach__json_num(s->p99), ok);
            put(pct, "p999", tach__json_num(s->p999), ok);
        }
        put(o, "percentiles", pct, ok);

        json_t *out = json_object();
        if (out) {
            put(out, "low_severe", json_integer((json_int_t)s->outliers.low_severe), ok);
            put(out, "low_mild", json_integer((json_int_t)s->outliers.low_mild), ok);
            put(out, "high_mild", json_integer((json_int_t)s->outliers.high_mild), ok);
            put(out, "high_severe", json_integer((json_int_t)s->outliers.high_severe), ok);
            put(out, "q1", tach__json_num(s->outliers.q1), ok);
            put(out, "q3", tach__json_num(s->outliers.q3), ok);
        }
        put(o, "outliers", out, ok);
    }

    if (r->bytes_per_iter > 0 || r->items_per_iter > 0) {
        json_t *tp = json_object();
        double med = r->has_summary ? r->summary.median.value : NAN;
        double per_sec = (isfinite(med) && med > 0) ? 1e9 / med : NAN;
        if (tp) {
            if (r->bytes_per_iter > 0) {
                put(tp, "bytes_per_iter", tach__json_num(r->bytes_per_iter), ok);
                put(tp, "bytes_per_second", tach__json_num(r->bytes_per_iter * per_sec), ok);
            }
            if (r->items_per_iter > 0) {
                put(tp, "items_per_iter", tach__json_num(r->items_per_iter), ok);
                put(tp, "items_per_second", tach__json_num(r->items_per_iter * per_sec), ok);
            }
        }
        put(o, "throughput", tp, ok);
    }

    json_t *counters = json_object();
    for (size_t i = 0; counters && i < r->ncounters; i++)
        put_key(counters, r->counters[i].name, tach__json_num(r->counters[i].value), ok);
    put(o, "counters", counters, ok);

    if (r->has_instr) {
        /* The metric is marked, so no reader takes these counts for nanoseconds. */
        put(o, "metric", json_string("instructions"), ok);
        put(o, "instructions", instr_to_json(&r->instr, ok), ok);
    }

    json_t *prec = json_object();
    if (prec) {
        put(prec, "target", tach__json_num(r->precision_target), ok);
        put(prec, "achieved", tach__json_num(r->precision_achieved), ok);
        put(prec, "reached", json_boolean(r->precision_reached), ok);
    }
    put(o, "precision", prec, ok);
    put(o, "unstable", json_boolean(r->unstable), ok);
    json_t *mem = tach__memory_to_json(&r->memory, ok), *hw = tach__hw_to_json(r, ok);
    if (mem) put(o, "memory", mem, ok);
    if (hw) put(o, "counters_hw", hw, ok);

    struct { const char *key; double v; } targets[] = {
        {"max_mean_ns", r->max_mean_ns}, {"max_median_ns", r->max_median_ns},
        {"max_p99_ns", r->max_p99_ns}, {"min_bytes_per_sec", r->min_bytes_per_sec},
        {"min_items_per_sec", r->min_items_per_sec},
        {"max_regression_pct", r->max_regression_pct},
        {"max_allocs_per_iter", r->max_allocs_per_iter}, {"max_bytes_per_iter", r->max_bytes_per_iter},
        {"max_peak_bytes", r->max_peak_bytes}, {"max_rss_bytes", r->max_rss_bytes},
        {"min_efficiency", r->min_efficiency}, {"max_alpha", r->max_alpha}};
    json_t *tg = NULL;
    for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
        if (targets[k].v == 0 || !isfinite(targets[k].v)) continue;
        if (!tg && !(tg = json_object())) {
            *ok = false;
            break;
        }
        /* a memory target of zero is kept negative (TACH_ZERO), written 0 */
        put(tg, targets[k].key, json_real(targets[k].v < 0 && k >= 6 && k <= 8 ? 0 : targets[k].v), ok);
    }
    if (tach__cx_key(r->complexity)) {
        if (!tg && !(tg = json_object())) *ok = false;
        else put(tg, "complexity", json_string(tach__cx_key(r->complexity)), ok);
    }
    if (r->slo && r->slo[0]) { /* declared latency objectives, checked by the gate */
        if (!tg && !(tg = json_object())) *ok = false;
        else put(tg, "slo", tach__json_string_lossy(r->slo), ok);
    }
    if (tg) put(o, "targets", tg, ok);
    if (r->load) put(o, "load", json_deep_copy(r->load), ok);
    if (r->latency) put(o, "latency", tach__latency_to_json(r->latency), ok);
    return o;
}

/* ---- the complexity fits (complexity.h), written here with the document ---- */

static void put_cx(json_t *o, const char *k, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, k, v) != 0) *ok = false;
}

json_t *tach__cx_family_json(const tach__cx_family *f)
{
    bool ok = true;
    json_t *o = json_object();
    if (!o) return NULL;
    const tach__cx_fit *x = &f->fit;
    /* one sample per size: no interval or share of resamples to give (null), and why */
    double no = f->one_sample ? NAN : 0;
    put_cx(o, "family", tach__json_string_lossy(f->name), &ok);
    put_cx(o, "axis", tach__json_string_lossy(f->axis), &ok);
    put_cx(o, "per_item", json_boolean(f->per_item), &ok);
    put_cx(o, "unit", json_string(f->counted ? "instructions" : "ns"), &ok);
    if (f->fitted) {
        put_cx(o, "class", json_string(tach__cx_key(x->cls)), &ok);
        put_cx(o, "class_name", json_string(tach__cx_name(x->cls)), &ok);
        put_cx(o, "coefficient", tach__json_num(x->coef.value), &ok);
        put_cx(o, "coefficient_ci_low", tach__json_num(x->coef.lo + no), &ok);
        put_cx(o, "coefficient_ci_high", tach__json_num(x->coef.hi + no), &ok);
        put_cx(o, "intercept", tach__json_num(x->a), &ok);
        put_cx(o, "rms", tach__json_num(x->rms), &ok);
        put_cx(o, "runner_up", x->runner_up ? json_string(tach__cx_key(x->runner_up)) : json_null(), &ok);
        json_t *w = json_object();
        for (int c = TACH_O_1; w && c <= TACH_O_N3; c++)
            if (x->wins[c] > 0) put_cx(w, tach__cx_key(c), json_real(x->wins[c]), &ok);
        put_cx(o, "wins", f->one_sample ? (json_decref(w), json_null()) : w, &ok);
        if (f->one_sample) put_cx(o, "note", json_string(TACH__CX_ONE_SAMPLE), &ok);
        put_cx(o, "resamples", json_integer((json_int_t)x->resamples), &ok);
        put_cx(o, "growth", tach__json_num(x->growth.value), &ok);
        put_cx(o, "growth_ci_low", tach__json_num(x->growth.lo + no), &ok);
        put_cx(o, "growth_ci_high", tach__json_num(x->growth.hi + no), &ok);
        put_cx(o, "exponent", tach__json_num(x->exponent.value), &ok);
        put_cx(o, "exponent_ci_low", tach__json_num(x->exponent.lo + no), &ok);
        put_cx(o, "exponent_ci_high", tach__json_num(x->exponent.hi + no), &ok);
        put_cx(o, "noise", tach__json_num(x->noise), &ok);
        put_cx(o, "size_min", tach__json_num(x->n_min), &ok);
        put_cx(o, "size_max", tach__json_num(x->n_max), &ok);
    } else {
        put_cx(o, "error", tach__json_string_lossy(f->message ? f->message : "not fitted"), &ok);
    }
    put_cx(o, "sizes", json_integer((json_int_t)f->nmembers), &ok);
    if (f->asserted) {
        put_cx(o, "asserted", json_string(tach__cx_key(f->asserted)), &ok);
        put_cx(o, "holds", f->fitted && f->one_sample ? json_null() : json_boolean(f->fitted && f->holds), &ok);
        put_cx(o, "limit", tach__json_num(f->limit), &ok);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *tach__scale_sweep_json(const tach__scale_sweep *s)
{
    bool ok = true;
    json_t *o = json_object(), *pts = json_array();
    if (!o || !pts) {
        json_decref(o);
        json_decref(pts);
        return NULL;
    }
    put_cx(o, "sweep", tach__json_string_lossy(s->name), &ok);
    put_cx(o, "cpus", json_integer(s->cpus), &ok);
    put_cx(o, "oversubscribed", json_boolean(s->oversubscribed), &ok);
    for (size_t i = 0; i < s->npoints; i++) {
        const tach__scale_point *p = &s->points[i];
        json_t *q = json_object();
        if (!q) {
            ok = false;
            break;
        }
        put_cx(q, "threads", json_integer(p->threads), &ok);
        put_cx(q, "ops_per_second", tach__json_num(p->ops_per_sec), &ok);
        put_cx(q, "ops_per_second_per_thread", tach__json_num(p->per_thread), &ok);
        put_cx(q, "speedup", tach__json_num(p->speedup), &ok);
        put_cx(q, "efficiency", tach__json_num(p->efficiency), &ok);
        put_cx(q, "thread_spread", tach__json_num(p->spread), &ok);
        put_cx(q, "cpu_utilization", tach__json_num(p->cpu_utilization), &ok);
        put_cx(q, "wall_ns", tach__json_num(p->wall_ns), &ok);
        put_cx(q, "cpu_ns", tach__json_num(p->cpu_ns), &ok);
        put_cx(q, "speedup_rounds", json_integer((json_int_t)p->rounds), &ok);
        put_cx(q, "cpu_ns_per_op", tach__json_num(p->cpu_ns_per_op), &ok);
        put_cx(q, "cpu_efficiency", tach__json_num(p->cpu_efficiency), &ok);
        put_cx(q, "runq_wait", tach__json_num(p->runq_wait), &ok);
        put_cx(q, "blocked", tach__json_num(p->blocked), &ok);
        put_cx(q, "sleeps_per_ms", tach__json_num(p->sleeps_per_ms), &ok);
        put_cx(q, "efficiency_net", tach__json_num(p->efficiency_net), &ok);
        if (json_array_append_new(pts, q) != 0) ok = false;
    }
    put_cx(o, "points", pts, &ok);
    if (s->fitted) {
        json_t *u = json_object();
        if (u) {
            put_cx(u, "alpha", tach__json_num(s->usl.alpha.value), &ok);
            put_cx(u, "alpha_ci_low", tach__json_num(s->usl.alpha.lo), &ok);
            put_cx(u, "alpha_ci_high", tach__json_num(s->usl.alpha.hi), &ok);
            /* two thread counts fit alpha alone: beta null, not a fitted 0 */
            double bn = s->usl.beta_fitted ? 0 : NAN;
            put_cx(u, "beta", tach__json_num(s->usl.beta.value + bn), &ok);
            put_cx(u, "beta_ci_low", tach__json_num(s->usl.beta.lo + bn), &ok);
            put_cx(u, "beta_ci_high", tach__json_num(s->usl.beta.hi + bn), &ok);
            put_cx(u, "lambda", tach__json_num(s->usl.lambda), &ok);
            put_cx(u, "peak_threads", tach__json_num(s->usl.peak_n), &ok);
            put_cx(u, "peak_ops_per_second", tach__json_num(s->usl.peak_x), &ok);
            put_cx(u, "r2", tach__json_num(s->usl.r2), &ok);
        }
        put_cx(o, "usl", u, &ok);
    }
    if (s->min_efficiency > 0) {
        put_cx(o, "min_efficiency", json_real(s->min_efficiency), &ok);
        put_cx(o, "efficiency_met", json_boolean(s->efficiency_met), &ok);
    }
    if (s->max_alpha > 0) {
        put_cx(o, "max_alpha", json_real(s->max_alpha), &ok);
        put_cx(o, "alpha_met", json_boolean(s->alpha_met), &ok);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *tach__doc_to_json(const tach__doc *d)
{
    if (!d) return NULL;
    bool ok = true;
    json_t *o = json_object();
    if (!o) return NULL;
    put(o, "format", json_string(TACH__DOC_FORMAT), &ok);
    put(o, "version", json_integer(TACH__DOC_VERSION), &ok);
    put(o, "partial", json_boolean(d->partial), &ok);
    put(o, "context", d->context ? json_deep_copy(d->context) : json_object(), &ok);
    json_t *b = json_array();
    for (size_t i = 0; b && i < d->nresults; i++)
        if (json_array_append_new(b, result_to_json(&d->results[i], &ok)) != 0) ok = false;
    put(o, "benchmarks", b, &ok);
    /* The complexity fits of the document's families: derived from the samples on
     * every write, never read back (docs/complexity.md). */
    tach__cx_family *fam = NULL;
    int nfam = tach__cx_families(d, TACH__DEFAULT_SEED, 0, &fam);
    if (nfam < 0) ok = false;
    if (nfam > 0) {
        json_t *cx = json_array();
        for (int i = 0; cx && i < nfam; i++)
            if (json_array_append_new(cx, tach__cx_family_json(&fam[i])) != 0) ok = false;
        put(o, "complexity", cx, &ok);
    }
    tach__cx_families_free(fam, nfam > 0 ? (size_t)nfam : 0);
    /* The thread sweeps (docs/scaling.md): derived the same way; the CPU count is the
     * context's, so a document rewritten elsewhere says the same. */
    json_t *cpus_j = d->context ? json_object_get(d->context, "cpus") : NULL;
    long cpus = json_is_integer(cpus_j) ? (long)json_integer_value(cpus_j) : 0;
    tach__scale_sweep *sw = NULL;
    int nsw = tach__scale_sweeps(d, TACH__DEFAULT_SEED, cpus, &sw);
    if (nsw < 0) ok = false;
    if (nsw > 0) {
        json_t *sc = json_array();
        for (int i = 0; sc && i < nsw; i++)
            if (json_array_append_new(sc, tach__scale_sweep_json(&sw[i])) != 0) ok = false;
        put(o, "scaling", sc, &ok);
    }
    tach__scale_sweeps_free(sw, nsw > 0 ? (size_t)nsw : 0);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- reading JSON ----------------------------------------------------------- */

/* The path helpers (tach_internal.h, json_util.c) are the ones the importers in src/format/ use. */
typedef tach__jpath reader;

/* A number (integer or real); null allowed when nullable (read as NaN).  A missing
 * key leaves *out unchanged. */
static int rd_number(reader *rd, const json_t *o, const char *key, bool nullable, double *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v) return 0;
    size_t mark = tach__jpath_key(rd, key);
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else if (nullable && json_is_null(v)) {
        *out = NAN;
    } else {
        return tach__jpath_expected(rd, nullable ? "a number or null" : "a number", v);
    }
    tach__jpath_pop(rd, mark);
    return 0;
}

/* A memory target: present and 0 is a target of zero, kept as TACH_ZERO (tach.h). */
static int rd_mem_target(reader *rd, const json_t *o, const char *key, double *out)
{
    if (rd_number(rd, o, key, false, out)) return -1;
    if (json_object_get(o, key) && *out == 0) *out = TACH_ZERO;
    return 0;
}

static int rd_count(reader *rd, const json_t *o, const char *key, size_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v) return 0;
    size_t mark = tach__jpath_key(rd, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return tach__jpath_expected(rd, "a non-negative integer", v);
    *out = (size_t)json_integer_value(v);
    tach__jpath_pop(rd, mark);
    return 0;
}

static int rd_bool(reader *rd, const json_t *o, const char *key, bool *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v) return 0;
    size_t mark = tach__jpath_key(rd, key);
    if (!json_is_boolean(v)) return tach__jpath_expected(rd, "true or false", v);
    *out = json_is_true(v);
    tach__jpath_pop(rd, mark);
    return 0;
}

/* A string or null (or missing) into a new copy (NULL for null). */
static int rd_string(reader *rd, const json_t *o, const char *key, bool required, char **out)
{
    const json_t *v = json_object_get(o, key);
    size_t mark = tach__jpath_key(rd, key);
    if (!v) {
        if (required) return tach__jpath_fail(rd, "missing");
        tach__jpath_pop(rd, mark);
        return 0;
    }
    if (json_is_null(v) && !required) {
        tach__jpath_pop(rd, mark);
        return 0;
    }
    if (!json_is_string(v)) return tach__jpath_expected(rd, required ? "a string" : "a string or null", v);
    if (!(*out = tach__strdup(json_string_value(v)))) return tach__jpath_fail(rd, "out of memory");
    tach__jpath_pop(rd, mark);
    return 0;
}

/* The asserted complexity class: a key tach__cx_parse reads, or missing. */
static int rd_complexity(reader *rd, const json_t *o, int *out)
{
    char *s = NULL;
    if (rd_string(rd, o, "complexity", false, &s)) return -1;
    if (!s) return 0;
    int rc = tach__cx_parse(s, out);
    tach__free(s);
    if (rc != 0) {
        size_t mark = tach__jpath_key(rd, "complexity");
        (void)mark;
        return tach__jpath_fail(rd, "not a complexity class (1, logn, n, nlogn, n2 or n3)");
    }
    return 0;
}

/* An object member that must be an object when present; *out is NULL if missing. */
static int rd_object(reader *rd, const json_t *o, const char *key, const json_t **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v) return 0;
    if (!json_is_object(v)) {
        size_t mark = tach__jpath_key(rd, key);
        (void)mark;
        return tach__jpath_expected(rd, "an object", v);
    }
    *out = v;
    return 0;
}

/* An array of numbers of exactly n elements (n == SIZE_MAX: any length, stored in
 * *n_out).  nullable: null elements read as NaN. */
static int rd_num_array(reader *rd, const json_t *o, const char *key, size_t n, bool nullable,
                        double **out, size_t *n_out)
{
    const json_t *a = json_object_get(o, key);
    if (!a) return 0;
    size_t mark = tach__jpath_key(rd, key);
    if (!json_is_array(a)) return tach__jpath_expected(rd, "an array", a);
    size_t len = json_array_size(a);
    if (n != SIZE_MAX && len != n) {
        char msg[128];
        snprintf(msg, sizeof msg, "expected %zu elements (one per sample), got %zu", n, len);
        return tach__jpath_fail(rd, msg);
    }
    double *x = tach__malloc(len * sizeof *x);
    if (!x) return tach__jpath_fail(rd, "out of memory");
    for (size_t i = 0; i < len; i++) {
        const json_t *v = json_array_get(a, i);
        if (json_is_number(v)) {
            x[i] = json_number_value(v);
        } else if (nullable && json_is_null(v)) {
            x[i] = NAN;
        } else {
            tach__jpath_index(rd, i);
            tach__free(x);
            return tach__jpath_expected(rd, nullable ? "a number or null" : "a number", v);
        }
    }
    *out = x;
    if (n_out) *n_out = len;
    tach__jpath_pop(rd, mark);
    return 0;
}

static int rd_ci(reader *rd, const json_t *o, const char *key, tach__ci *out)
{
    const json_t *c;
    if (rd_object(rd, o, key, &c) != 0) return -1;
    if (!c) return 0;
    size_t mark = tach__jpath_key(rd, key);
    if (rd_number(rd, c, "value", true, &out->value) || rd_number(rd, c, "ci_low", true, &out->lo) ||
        rd_number(rd, c, "ci_high", true, &out->hi))
        return -1;
    tach__jpath_pop(rd, mark);
    return 0;
}

static int rd_params(reader *rd, const json_t *o, tach__result *r)
{
    const json_t *p;
    if (rd_object(rd, o, "params", &p) != 0) return -1;
    if (!p) return 0;
    size_t mark = tach__jpath_key(rd, "params");
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)p, k, v) {
        char buf[32];
        const char *s;
        if (json_is_string(v)) {
            s = json_string_value(v);
        } else if (json_is_integer(v)) {
            snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            s = buf;
        } else {
            tach__jpath_key(rd, k);
            return tach__jpath_expected(rd, "a string or an integer", v);
        }
        if (tach__result_set_param(r, k, s) != 0) return tach__jpath_fail(rd, "out of memory");
    }
    tach__jpath_pop(rd, mark);
    return 0;
}

static int rd_samples(reader *rd, const json_t *o, tach__result *r)
{
    const json_t *s;
    if (rd_object(rd, o, "samples", &s) != 0) return -1;
    if (!s) return 0;
    size_t mark = tach__jpath_key(rd, "samples");
    const json_t *iters = json_object_get(s, "iters"), *ns = json_object_get(s, "ns");
    if (!iters || !ns) {
        tach__jpath_key(rd, iters ? "ns" : "iters");
        return tach__jpath_fail(rd, "missing");
    }
    size_t n = 0;
    if (rd_num_array(rd, s, "ns", SIZE_MAX, false, &r->sample_ns, &n) != 0) return -1;
    for (size_t i = 0; i < n; i++) /* a time per iteration is never negative */
        if (!(r->sample_ns[i] >= 0)) {
            tach__jpath_key(rd, "ns");
            tach__jpath_index(rd, i);
            return tach__jpath_expected(rd, "a time in ns from 0", json_array_get(ns, i));
        }
    size_t m2 = tach__jpath_key(rd, "iters");
    if (!json_is_array(iters)) return tach__jpath_expected(rd, "an array", iters);
    if (json_array_size(iters) != n) {
        char msg[128];
        snprintf(msg, sizeof msg, "has %zu elements but ns has %zu", json_array_size(iters), n);
        return tach__jpath_fail(rd, msg);
    }
    r->nsamples = n;
    if (!(r->sample_iters = tach__malloc(n * sizeof *r->sample_iters))) return tach__jpath_fail(rd, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(iters, i);
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            tach__jpath_index(rd, i);
            return tach__jpath_expected(rd, "a non-negative integer", v);
        }
        r->sample_iters[i] = (uint64_t)json_integer_value(v);
    }
    tach__jpath_pop(rd, m2);
    const json_t *rounds = json_object_get(s, "rounds");
    if (rounds) {
        m2 = tach__jpath_key(rd, "rounds");
        if (!json_is_array(rounds)) return tach__jpath_expected(rd, "an array", rounds);
        if (json_array_size(rounds) != n) {
            char msg[128];
            snprintf(msg, sizeof msg, "has %zu elements but ns has %zu", json_array_size(rounds), n);
            return tach__jpath_fail(rd, msg);
        }
        if (!(r->sample_round = tach__malloc((n ? n : 1) * sizeof *r->sample_round)))
            return tach__jpath_fail(rd, "out of memory");
        for (size_t i = 0; i < n; i++) {
            const json_t *v = json_array_get(rounds, i);
            if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000) {
                tach__jpath_index(rd, i);
                return tach__jpath_expected(rd, "a round number from 0", v);
            }
            r->sample_round[i] = (size_t)json_integer_value(v);
        }
        tach__jpath_pop(rd, m2);
    }
    tach__jpath_pop(rd, mark);
    return 0;
}

static int rd_runs(reader *rd, const json_t *o, tach__result *r)
{
    const json_t *runs;
    if (rd_object(rd, o, "runs", &runs) != 0) return -1;
    if (!runs) return 0;
    size_t mark = tach__jpath_key(rd, "runs");
    size_t n = r->nsamples;
    if (rd_num_array(rd, runs, "user_ns", n, true, &r->user_ns, NULL) ||
        rd_num_array(rd, runs, "sys_ns", n, true, &r->sys_ns, NULL) ||
        rd_num_array(rd, runs, "max_rss_kib", n, true, &r->max_rss_kib, NULL) ||
        rd_num_array(rd, runs, "minor_faults", n, true, &r->minor_faults, NULL) ||
        rd_num_array(rd, runs, "major_faults", n, true, &r->major_faults, NULL) ||
        rd_num_array(rd, runs, "vol_ctxsw", n, true, &r->vol_ctxsw, NULL) ||
        rd_num_array(rd, runs, "invol_ctxsw", n, true, &r->invol_ctxsw, NULL) ||
        rd_num_array(rd, runs, "cpu_stall_ns", n, true, &r->cpu_stall_ns, NULL))
        return -1;
    const json_t *ec = json_object_get(runs, "exit_codes");
    if (ec) {
        size_t m2 = tach__jpath_key(rd, "exit_codes");
        if (!json_is_array(ec)) return tach__jpath_expected(rd, "an array", ec);
        if (json_array_size(ec) != n) {
            char msg[128];
            snprintf(msg, sizeof msg, "expected %zu elements (one per sample), got %zu", n,
                     json_array_size(ec));
            return tach__jpath_fail(rd, msg);
        }
        if (!(r->exit_codes = tach__malloc(n * sizeof *r->exit_codes))) return tach__jpath_fail(rd, "out of memory");
        for (size_t i = 0; i < n; i++) {
            const json_t *v = json_array_get(ec, i);
            if (!json_is_integer(v) || json_integer_value(v) < INT_MIN ||
                json_integer_value(v) > INT_MAX) {
                tach__jpath_index(rd, i);
                return tach__jpath_expected(rd, "an integer", v);
            }
            r->exit_codes[i] = (int)json_integer_value(v);
        }
        tach__jpath_pop(rd, m2);
    }
    tach__jpath_pop(rd, mark);
    return 0;
}

static int rd_summary(reader *rd, const json_t *o, tach__result *r)
{
    tach__summary *s = &r->summary;
    tach__summary_undefined(s);
    const json_t *est, *pct, *out;
    if (rd_object(rd, o, "estimates", &est) || rd_object(rd, o, "percentiles", &pct) ||
        rd_object(rd, o, "outliers", &out))
        return -1;
    if (!est) return 0;
    r->has_summary = true;
    s->n = r->nsamples;
    size_t mark = tach__jpath_key(rd, "estimates");
    if (rd_ci(rd, est, "mean", &s->mean) || rd_ci(rd, est, "median", &s->median) ||
        rd_number(rd, est, "stddev", true, &s->stddev) || rd_number(rd, est, "mad", true, &s->mad) ||
        rd_number(rd, est, "cv", true, &s->cv) || rd_number(rd, est, "min", true, &s->min) ||
        rd_number(rd, est, "max", true, &s->max))
        return -1;
    tach__jpath_pop(rd, mark);
    if (pct) {
        mark = tach__jpath_key(rd, "percentiles");
        struct { const char *key; double *x; } p[] = {
            {"p1", &s->p1}, {"p5", &s->p5}, {"p10", &s->p10}, {"p25", &s->p25},
            {"p50", &s->p50}, {"p75", &s->p75}, {"p90", &s->p90}, {"p95", &s->p95},
            {"p99", &s->p99}, {"p999", &s->p999}};
        for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
            if (rd_number(rd, pct, p[k].key, true, p[k].x)) return -1;
        tach__jpath_pop(rd, mark);
    }
    if (out) {
        mark = tach__jpath_key(rd, "outliers");
        if (rd_count(rd, out, "low_severe", &s->outliers.low_severe) ||
            rd_count(rd, out, "low_mild", &s->outliers.low_mild) ||
            rd_count(rd, out, "high_mild", &s->outliers.high_mild) ||
            rd_count(rd, out, "high_severe", &s->outliers.high_severe) ||
            rd_number(rd, out, "q1", true, &s->outliers.q1) ||
            rd_number(rd, out, "q3", true, &s->outliers.q3))
            return -1;
        tach__jpath_pop(rd, mark);
    }
    return 0;
}

/* "metric" and the "instructions" block (absent: a wall-time result). */
static int rd_instr(reader *rd, const json_t *o, tach__result *r)
{
    char *metric = NULL;
    if (rd_string(rd, o, "metric", false, &metric)) return -1;
    bool instr = metric && strcmp(metric, "instructions") == 0;
    if (metric && !instr && strcmp(metric, "wall") != 0) {
        size_t mark = tach__jpath_key(rd, "metric");
        char msg[160];
        snprintf(msg, sizeof msg, "unknown metric \"%.*s\" (expected wall or instructions)",
                 tach__utf8_prec(metric, 80), metric);
        tach__free(metric);
        (void)mark;
        return tach__jpath_fail(rd, msg);
    }
    tach__free(metric);
    const json_t *in;
    if (rd_object(rd, o, "instructions", &in)) return -1;
    if (!instr && !in) return 0;
    if (!instr || !in) {
        tach__jpath_key(rd, instr ? "instructions" : "metric");
        return tach__jpath_fail(rd, instr ? "missing: the metric is instructions"
                                          : "missing: an \"instructions\" block needs \"metric\": \"instructions\"");
    }
    size_t mark = tach__jpath_key(rd, "instructions");
    tach__instr *m = &r->instr;
    size_t iters = 0;
    if (rd_number(rd, in, "per_iteration", false, &m->instructions) ||
        rd_number(rd, in, "loop_overhead", true, &m->loop_overhead) ||
        rd_count(rd, in, "iterations", &iters))
        return -1;
    m->iterations = iters;
    const json_t *c = NULL; /* null: no cache simulation */
    if (!json_is_null(json_object_get(in, "cache")) && rd_object(rd, in, "cache", &c)) return -1;
    m->cache_sim = c != NULL;
    m->data_reads = m->data_writes = m->l1_misses = m->ll_misses = m->cycles_est = NAN;
    if (c) {
        size_t cm = tach__jpath_key(rd, "cache");
        if (rd_number(rd, c, "data_reads", true, &m->data_reads) ||
            rd_number(rd, c, "data_writes", true, &m->data_writes) ||
            rd_number(rd, c, "l1_misses", true, &m->l1_misses) ||
            rd_number(rd, c, "ll_misses", true, &m->ll_misses) ||
            rd_number(rd, c, "cycles_est", true, &m->cycles_est))
            return -1;
        tach__jpath_pop(rd, cm);
    }
    tach__jpath_pop(rd, mark);
    r->has_instr = true;
    return 0;
}

static int rd_result(reader *rd, const json_t *o, tach__result *r)
{
    if (!json_is_object(o)) return tach__jpath_expected(rd, "an object", o);
    if (rd_string(rd, o, "name", true, &r->name) || rd_string(rd, o, "group", false, &r->group) ||
        rd_string(rd, o, "function", false, &r->function) ||
        rd_string(rd, o, "command", false, &r->command) || rd_bool(rd, o, "named", &r->named) ||
        rd_params(rd, o, r))
        return -1;

    char *status = NULL;
    if (rd_string(rd, o, "status", true, &status)) return -1;
    if (tach__status_parse(status, &r->status) != 0) {
        size_t mark = tach__jpath_key(rd, "status");
        char msg[160];
        snprintf(msg, sizeof msg, "unknown status \"%.*s\" (expected ok, skipped, failed, crashed or timeout)",
                 tach__utf8_prec(status, 80), status);
        tach__free(status);
        (void)mark;
        return tach__jpath_fail(rd, msg);
    }
    tach__free(status);
    if (rd_string(rd, o, "message", false, &r->message)) return -1;
    const json_t *sig = json_object_get(o, "signal");
    if (sig) {
        size_t mark = tach__jpath_key(rd, "signal");
        if (!json_is_integer(sig) || json_integer_value(sig) < 0 || json_integer_value(sig) > INT_MAX)
            return tach__jpath_expected(rd, "a non-negative integer", sig);
        r->signal = (int)json_integer_value(sig);
        tach__jpath_pop(rd, mark);
    }
    if (rd_samples(rd, o, r) || rd_runs(rd, o, r) || rd_summary(rd, o, r)) return -1;

    const json_t *tp;
    if (rd_object(rd, o, "throughput", &tp)) return -1;
    if (tp) {
        size_t mark = tach__jpath_key(rd, "throughput");
        double bps = 0, ips = 0; /* derived on writing; only checked here */
        if (rd_number(rd, tp, "bytes_per_iter", false, &r->bytes_per_iter) ||
            rd_number(rd, tp, "items_per_iter", false, &r->items_per_iter) ||
            rd_number(rd, tp, "bytes_per_second", true, &bps) ||
            rd_number(rd, tp, "items_per_second", true, &ips))
            return -1;
        tach__jpath_pop(rd, mark);
    }

    const json_t *counters;
    if (rd_object(rd, o, "counters", &counters)) return -1;
    if (counters) {
        size_t mark = tach__jpath_key(rd, "counters");
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)counters, k, v) {
            double x = NAN;
            if (rd_number(rd, counters, k, true, &x)) return -1;
            if (tach__result_set_counter(r, k, x) != 0) return tach__jpath_fail(rd, "out of memory");
        }
        tach__jpath_pop(rd, mark);
    }

    if (rd_instr(rd, o, r)) return -1;

    const json_t *prec;
    if (rd_object(rd, o, "precision", &prec)) return -1;
    r->precision_achieved = NAN;
    if (prec) {
        size_t mark = tach__jpath_key(rd, "precision");
        if (rd_number(rd, prec, "target", true, &r->precision_target) ||
            rd_number(rd, prec, "achieved", true, &r->precision_achieved) ||
            rd_bool(rd, prec, "reached", &r->precision_reached))
            return -1;
        if (isnan(r->precision_target)) r->precision_target = 0;
        tach__jpath_pop(rd, mark);
    }
    if (rd_bool(rd, o, "unstable", &r->unstable)) return -1;
    if (tach__resources_from_json(rd, o, r) != 0) return -1;

    const json_t *tg;
    if (rd_object(rd, o, "targets", &tg)) return -1;
    if (tg) {
        size_t mark = tach__jpath_key(rd, "targets");
        if (rd_number(rd, tg, "max_mean_ns", false, &r->max_mean_ns) ||
            rd_number(rd, tg, "max_median_ns", false, &r->max_median_ns) ||
            rd_number(rd, tg, "max_p99_ns", false, &r->max_p99_ns) ||
            rd_number(rd, tg, "min_bytes_per_sec", false, &r->min_bytes_per_sec) ||
            rd_number(rd, tg, "min_items_per_sec", false, &r->min_items_per_sec) ||
            rd_number(rd, tg, "max_regression_pct", false, &r->max_regression_pct) ||
            rd_mem_target(rd, tg, "max_allocs_per_iter", &r->max_allocs_per_iter) ||
            rd_mem_target(rd, tg, "max_bytes_per_iter", &r->max_bytes_per_iter) ||
            rd_mem_target(rd, tg, "max_peak_bytes", &r->max_peak_bytes) ||
            rd_number(rd, tg, "max_rss_bytes", false, &r->max_rss_bytes) ||
            rd_number(rd, tg, "min_efficiency", false, &r->min_efficiency) ||
            rd_number(rd, tg, "max_alpha", false, &r->max_alpha) ||
            rd_complexity(rd, tg, &r->complexity) ||
            rd_string(rd, tg, "slo", false, &r->slo))
            return -1;
        tach__jpath_pop(rd, mark);
    }
    const json_t *load; /* a load run's block (docs/load.md), kept as it is */
    if (rd_object(rd, o, "load", &load)) return -1;
    if (load && !(r->load = json_deep_copy(load))) return tach__jpath_fail(rd, "out of memory");
    const json_t *lat = json_object_get(o, "latency");
    if (lat) {
        size_t mark = tach__jpath_key(rd, "latency");
        const char *bad;
        char msg[TACH__ERR_MAX / 2];
        if (tach__latency_from_json(lat, &r->latency, &bad, msg, sizeof msg)) {
            if (bad) tach__jpath_key(rd, bad);
            return tach__jpath_fail(rd, msg);
        }
        tach__jpath_pop(rd, mark);
    }
    return 0;
}

tach__doc *tach__doc_from_json(const json_t *j, char *err)
{
    reader rd = {.path = "", .err = err};
    if (!j || !json_is_object(j)) {
        if (!j) tach__err(err, "document: no JSON");
        else tach__jpath_expected(&rd, "an object", j);
        return NULL;
    }
    const json_t *fmt = json_object_get(j, "format");
    if (!fmt) {
        tach__err(err, "format: missing; not a tach results document");
        return NULL;
    }
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), TACH__DOC_FORMAT) != 0) {
        if (json_is_string(fmt))
            tach__err(err, "format: \"%.*s\" is not a tach results document (expected \"%s\")",
                      tach__utf8_prec(json_string_value(fmt), 100), json_string_value(fmt), TACH__DOC_FORMAT);
        else
            tach__err(err, "format: expected the string \"%s\", got %s", TACH__DOC_FORMAT, tach__json_type_name(fmt));
        return NULL;
    }
    const json_t *ver = json_object_get(j, "version");
    if (!ver) {
        tach__err(err, "version: missing");
        return NULL;
    }
    if (!json_is_integer(ver) || json_integer_value(ver) < 1) {
        tach__err(err, "version: expected a positive integer");
        return NULL;
    }
    if (json_integer_value(ver) > TACH__DOC_VERSION) {
        tach__err(err, "written by a newer tach (version %" JSON_INTEGER_FORMAT "); this tach reads version %d",
                  json_integer_value(ver), TACH__DOC_VERSION);
        return NULL;
    }

    tach__doc *d = tach__doc_new();
    if (!d) {
        tach__err(err, "out of memory");
        return NULL;
    }
    if (rd_bool(&rd, j, "partial", &d->partial)) goto fail;
    const json_t *ctx;
    if (rd_object(&rd, j, "context", &ctx)) goto fail;
    if (ctx) {
        json_t *copy = json_deep_copy(ctx);
        if (!copy) {
            tach__err(err, "out of memory");
            goto fail;
        }
        json_decref(d->context);
        d->context = copy;
    }
    const json_t *b = json_object_get(j, "benchmarks");
    if (!b) {
        tach__err(err, "benchmarks: missing");
        goto fail;
    }
    tach__jpath_key(&rd, "benchmarks");
    if (!json_is_array(b)) {
        tach__jpath_expected(&rd, "an array", b);
        goto fail;
    }
    size_t n = json_array_size(b);
    if (n) {
        d->results = tach__calloc(n, sizeof *d->results);
        if (!d->results) {
            tach__err(err, "out of memory");
            goto fail;
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t mark = tach__jpath_index(&rd, i);
        d->nresults = i + 1; /* so tach__doc_free clears a half-read result */
        if (rd_result(&rd, json_array_get(b, i), &d->results[i])) goto fail;
        tach__jpath_pop(&rd, mark);
    }
    return d;
fail:
    tach__doc_free(d);
    return NULL;
}

/* ---- files of documents ----------------------------------------------------- */

tach__doc *tach__doc_load(const char *path, char *err)
{
    size_t len;
    char *text = tach__read_file(path, &len, err);
    if (!text) return NULL;
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    tach__free(text);
    if (!j) {
        tach__err(err, "%s: not valid JSON: line %d column %d: %s", path, je.line, je.column, je.text);
        return NULL;
    }
    char inner[TACH__ERR_MAX];
    tach__doc *d = tach__doc_from_json(j, inner);
    json_decref(j);
    if (!d) tach__err(err, "%s: %s", path, inner);
    return d;
}

int tach__doc_save(const tach__doc *d, const char *path, char *err)
{
    json_t *j = tach__doc_to_json(d);
    if (!j) return tach__err(err, "%s: cannot build the results document (out of memory?)", path ? path : "(null)");
    int rc = tach__write_json_file(j, path, err);
    json_decref(j);
    return rc;
}
