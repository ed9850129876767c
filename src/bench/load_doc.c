/* load_doc.c - what a load run measured (per target: the corrected and uncorrected
 * histograms, counts, errors by kind and status, the interval series; overall: the
 * schedule's late and dropped sends) and the results document it becomes: one result
 * per target and one "overall", each with its "load" block (docs/load.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latency.h"
#include "load.h"

void tach__load_kinds_add(tach__load_kinds *k, const char *key, int64_t n)
{
    if (!key || !*key) key = "error";
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->key[i], key)) {
            k->count[i] += n;
            return;
        }
    size_t i = k->n;
    if (i >= TACH__LOAD_MAX_KINDS) {
        i = TACH__LOAD_MAX_KINDS;
        if (k->n == TACH__LOAD_MAX_KINDS) {
            snprintf(k->key[i], sizeof k->key[i], "other");
            k->n++;
        }
        k->count[i] += n;
        return;
    }
    snprintf(k->key[i], sizeof k->key[i], "%s", key);
    k->count[i] = n;
    k->n++;
}

int tach__load_stats_init(tach__load_stats *s, const tach__load_cfg *c, size_t niv, char *err)
{
    memset(s, 0, sizeof *s);
    s->cfg = *c;
    for (size_t i = 0; i < c->ntargets; i++) s->cfg.targets[i].name = NULL;
    s->cfg.ntargets = 0;
    for (size_t i = 0; i < c->ntargets; i++) {
        /* the name the document, store and reports keep: a URL target's password hidden */
        s->cfg.targets[i].name = tach__redact_arg(NULL, c->targets[i].name);
        if (!s->cfg.targets[i].name) goto oom;
        s->cfg.ntargets++;
    }
    s->kind = "in-process";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    s->cpus = ncpu > 0 ? ncpu : 0;
    s->lateness = tach__hist_new_default();
    s->ops = tach__calloc(c->ntargets ? c->ntargets : 1, sizeof *s->ops);
    if (!s->lateness || !s->ops) goto oom;
    s->nops = c->ntargets;
    for (size_t i = 0; i < s->nops; i++) {
        tach__load_op_stats *o = &s->ops[i];
        o->name = s->cfg.targets[i].name;
        o->weight = c->targets[i].weight;
        o->corrected = tach__hist_new_default();
        o->uncorrected = tach__hist_new_default();
        o->failed = tach__hist_new_default();
        o->iv = tach__calloc(niv ? niv : 1, sizeof *o->iv);
        if (!o->corrected || !o->uncorrected || !o->failed || !o->iv) goto oom;
        o->niv = niv;
    }
    return 0;
oom:
    tach__load_stats_clear(s);
    return tach__err(err, "out of memory for the load run's histograms");
}

void tach__load_stats_clear(tach__load_stats *s)
{
    if (!s) return;
    for (size_t i = 0; s->ops && i < s->nops; i++) {
        tach__load_op_stats *o = &s->ops[i];
        tach__hist_free(o->corrected);
        tach__hist_free(o->uncorrected);
        tach__hist_free(o->failed);
        for (size_t k = 0; o->iv && k < o->niv; k++) tach__hist_free(o->iv[k].hist);
        tach__free(o->iv);
        tach__free(o->kept);
    }
    tach__free(s->kept_all);
    tach__free(s->ops);
    tach__hist_free(s->lateness);
    tach__free(s->fail);
    tach__load_cfg_clear(&s->cfg);
    memset(s, 0, sizeof *s);
}

static void kinds_merge(tach__load_kinds *dst, const tach__load_kinds *src)
{
    for (size_t i = 0; i < src->n; i++) tach__load_kinds_add(dst, src->key[i], src->count[i]);
}

int tach__load_stats_merge(tach__load_stats *dst, const tach__load_stats *src, char *err)
{
    for (size_t i = 0; i < dst->nops && i < src->nops; i++) {
        tach__load_op_stats *d = &dst->ops[i];
        const tach__load_op_stats *o = &src->ops[i];
        d->out_of_range += tach__hist_merge(d->corrected, o->corrected);
        d->out_of_range += tach__hist_merge(d->uncorrected, o->uncorrected);
        tach__hist_merge(d->failed, o->failed); /* (its values are counted in corrected's) */
        d->count += o->count;
        d->errors += o->errors;
        d->out_of_range += o->out_of_range;
        kinds_merge(&d->error_kinds, &o->error_kinds);
        kinds_merge(&d->statuses, &o->statuses);
        for (size_t k = 0; k < d->niv && k < o->niv; k++) {
            /* The counts always: an interval told to a --series sink lost only its
             * histogram, and the document's intervals keep their counts. */
            d->iv[k].count += o->iv[k].count;
            d->iv[k].errors += o->iv[k].errors;
            d->iv[k].sent += o->iv[k].sent;
            if (!o->iv[k].hist) continue;
            if (!d->iv[k].hist && !(d->iv[k].hist = tach__hist_new_default()))
                return tach__err(err, "out of memory for the interval histograms");
            tach__hist_merge(d->iv[k].hist, o->iv[k].hist);
        }
    }
    tach__hist_merge(dst->lateness, src->lateness);
    dst->scheduled += src->scheduled;
    dst->sent += src->sent;
    dst->late += src->late;
    dst->dropped += src->dropped;
    dst->partial |= src->partial;
    dst->clients_full |= src->clients_full;
    dst->connect_waits += src->connect_waits;
    return 0;
}

void tach__load_record(tach__load_stats *s, size_t op, int64_t intended_ns, int64_t sent_ns,
                       int64_t end_ns, bool error)
{
    tach__load_op_stats *o = &s->ops[op];
    int64_t corrected = end_ns - intended_ns, uncorrected = end_ns - sent_ns;
    if (corrected < 1) corrected = 1; /* below the clock's step: the histogram's floor */
    if (uncorrected < 1) uncorrected = 1;
    if (!tach__hist_record(o->corrected, corrected)) o->out_of_range++;
    if (!tach__hist_record(o->uncorrected, uncorrected)) o->out_of_range++;
    o->count++;
    if (error) {
        o->errors++;
        tach__hist_record(o->failed, corrected); /* out of range: counted above */
    }
    if (!o->niv) return;
    /* the latencies and count by the intended start (the slot's), and what was really
     * sent by its send: an open run behind its schedule sends fewer than its slots */
    double sat = sent_ns > 0 ? (double)sent_ns * 1e-9 : 0;
    size_t ks = (size_t)(sat / s->cfg.interval_s);
    o->iv[ks < o->niv ? ks : o->niv - 1].sent++;
    double at = intended_ns > 0 ? (double)intended_ns * 1e-9 : 0;
    size_t k = (size_t)(at / s->cfg.interval_s);
    if (k >= o->niv) k = o->niv - 1;
    tach__load_iv *iv = &o->iv[k];
    if (!iv->hist && !(iv->hist = tach__hist_new_default())) return; /* series incomplete */
    tach__hist_record(iv->hist, corrected);
    iv->count++;
    if (error) iv->errors++;
}

static double target_rate(const tach__load_cfg *c)
{
    if (c->model != TACH__LOAD_OPEN || !c->nstages) return NAN;
    /* the mean of the stages' rates over the measured window */
    double t = 0, sum = 0, from = c->warmup_s, to = c->warmup_s + c->duration_s;
    for (size_t i = 0; i < c->nstages; i++) {
        double a = t, b = i + 1 == c->nstages ? INFINITY : t + c->stages[i].duration_s;
        double lo = a > from ? a : from, hi = b < to ? b : to;
        if (hi > lo) sum += (hi - lo) * c->stages[i].rate;
        t = b;
    }
    return sum / c->duration_s;
}

void tach__load_count_slot(tach__load_stats *s, uint64_t lateness_ns)
{
    s->scheduled++;
    tach__hist_record(s->lateness, lateness_ns ? (int64_t)lateness_ns : 1);
    if ((double)lateness_ns > s->cfg.late_bound_s * 1e9) s->late++;
}

/* The share of the measured window the in-process threads spent in the operations (the
 * requests' time from their send, over threads x window); -1 when it cannot be told. */
static double threads_busy(const tach__load_stats *s)
{
    if (!s->kind || strcmp(s->kind, "in-process") != 0 || s->cfg.threads < 1 || !(s->measured_s > 0))
        return -1;
    double ns = 0;
    for (size_t i = 0; i < s->nops; i++)
        if (s->ops[i].uncorrected)
            ns += tach__hist_mean(s->ops[i].uncorrected) * (double)tach__hist_count(s->ops[i].uncorrected);
    return ns / ((double)s->cfg.threads * s->measured_s * 1e9);
}

bool tach__load_invalid(const tach__load_stats *s, char *why, size_t size)
{
    if (why && size) why[0] = '\0';
    if (s->cfg.model != TACH__LOAD_OPEN || s->scheduled == 0) return false;
    double frac = (double)(s->late + s->dropped) / (double)s->scheduled;
    if (frac > s->cfg.max_late_frac) {
        if (!why) return true;
        /* the advice names the running command's options: tach suite bus has one
         * publisher, so no --threads or --clients to add; a benchmark binary's open
         * model has no --clients (refused there).  In-process threads that were mostly
         * idle sent late because they woke late (other work on the CPUs), which more
         * threads or a lower rate do not cure.  A thread behind its schedule drops the
         * slots the run's end finds unsent (one woken late, at most the one it waited
         * for), and its calls of warm-up slots are in no measured request's time, so
         * more drops than threads say behind, whatever the measured calls took.  An
         * event loop's busy time is not known (its requests' time is the
         * server's): without a backlog, both causes are named,
         * unless a slot came due with every connection in flight (clients_full). */
        bool bus = s->kind && !strcmp(s->kind, "bus");
        bool http = s->kind && !strcmp(s->kind, "http");
        double busy = s->dropped <= s->cfg.threads ? threads_busy(s) : -1;
        char lb[32], idle[256], pct[32], full[256], cpus[224];
        /* threads as many as the CPUs (the default) and busy: more threads only share
         * the same CPUs, so the honest advice is a lower rate or a larger machine */
        bool all_cpus = s->cpus > 0 && s->cfg.threads >= s->cpus;
        snprintf(cpus, sizeof cpus,
                 "its %ld thread%s already %s the machine's %ld CPU%s, so more threads would "
                 "share them: lower --rate, or run on a machine with more CPUs",
                 (long)s->cfg.threads, s->cfg.threads == 1 ? "" : "s",
                 s->cfg.threads > s->cpus ? "outnumber" : s->cfg.threads == 1 ? "uses" : "use",
                 s->cpus, s->cpus == 1 ? "" : "s");
        /* an open run's requests in flight are bounded by --clients: a slot due with
         * every connection busy waits for one, late whatever the loop does (not given:
         * the open model's default, as model.clients says) */
        long nclients = s->cfg.clients > 0 ? s->cfg.clients : TACH__LOAD_OPEN_HTTP_CLIENTS;
        /* the event loops that ran, at most one per connection (--threads 8 --clients 2
         * ran 2): a backlog is more drops than those, not than --threads */
        long loops = s->cfg.threads < nclients ? s->cfg.threads : nclients;
        if (s->connect_waits)
            snprintf(full, sizeof full,
                     "sends came due while every connection (--clients %ld) was in flight, some "
                     "still connecting (the server slow to accept; %lld sends waited for connects, "
                     "not counted late): add --clients, or lower --rate",
                     nclients, (long long)s->connect_waits);
        else
            snprintf(full, sizeof full,
                     "sends came due while every connection (--clients %ld) was in flight: add "
                     "--clients, or lower --rate", nclients);
        if (busy >= 0 && busy < 0.5) {
            if (busy < 0.0005) snprintf(pct, sizeof pct, "less than 0.1%%");
            else snprintf(pct, sizeof pct, "%.1f%%", 100 * busy);
            snprintf(idle, sizeof idle,
                     "its threads were busy %s of the measured time, so the sends were late "
                     "waking up, not for want of threads: a machine busy with other work "
                     "delays them; run where the CPUs are free, or allow more with "
                     "--late-bound or --max-late", pct);
        }
        snprintf(why, size,
                 "the generator could not hold the rate: %.1f%% of the %s were late "
                 "by more than %s or dropped (at most %g%% allowed); %s",
                 100 * frac, bus ? "sends" : "requests",
                 tach__fmt_bound(s->cfg.late_bound_s, lb, sizeof lb),
                 100 * s->cfg.max_late_frac,
                 bus    ? "lower --rate (tach suite bus: one publisher)"
                 : http && s->clients_full ? full
                 : http && s->dropped <= loops
                     ? "add --threads or --clients, or lower --rate; unless the event loops "
                       "were mostly idle (a low rate): then the sends woke late on a machine "
                       "busy with other work; run where the CPUs are free, or allow more with "
                       "--late-bound or --max-late"
                 : http ? "add --threads or --clients, or lower --rate"
                 : busy >= 0 && busy < 0.5 ? idle
                 : all_cpus ? cpus
                        : "add --threads, or lower --rate");
        return true;
    }
    return false;
}

/* ---- the document ------------------------------------------------------------- */

static void set(json_t *o, const char *k, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, k, v) != 0) *ok = false;
}

static json_t *kinds_json(const tach__load_kinds *k, bool *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < k->n; i++) set(o, k->key[i], json_integer(k->count[i]), ok);
    return o;
}

/* h encoded as HdrHistogram's base64 V2 (.hlog's form); JSON null when it cannot be. */
static json_t *hdr_b64(const tach__hist *h, bool *ok)
{
    char *herr = NULL;
    char *b64 = tach__hist_encode_b64(h, &herr);
    json_t *v = b64 ? json_string(b64) : json_null();
    if (!v) *ok = false;
    free(b64);
    free(herr);
    return v;
}

/* A histogram's summary: count, min, mean, max, the percentiles with their CIs and
 * the samples above each (n - its rank: tail_samples), and the V2 encoding (base64). */
static json_t *hist_json(const tach__hist *h, bool *ok)
{
    static const struct { const char *key; double p; } ps[] = {
        {"p50", 50}, {"p90", 90}, {"p95", 95}, {"p99", 99}, {"p999", 99.9}, {"p9999", 99.99}};
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    int64_t n = tach__hist_count(h);
    set(o, "count", json_integer(n), ok);
    set(o, "min_ns", json_integer(tach__hist_min(h)), ok);
    set(o, "mean_ns", tach__json_num(n ? tach__hist_mean(h) : NAN), ok);
    set(o, "max_ns", json_integer(tach__hist_max(h)), ok);
    json_t *pj = json_object();
    for (size_t i = 0; pj && i < sizeof ps / sizeof *ps; i++) {
        json_t *e = json_object();
        if (!e) {
            *ok = false;
            break;
        }
        int64_t lo = 0, hi = 0, tail = 0;
        if (n) tach__hist_percentile_ci(h, ps[i].p, &lo, &hi, &tail);
        set(e, "value_ns", n ? json_integer(tach__hist_value_at(h, ps[i].p)) : json_null(), ok);
        set(e, "ci_lo_ns", n ? json_integer(lo) : json_null(), ok);
        set(e, "ci_hi_ns", n && hi >= 0 ? json_integer(hi) : json_null(), ok); /* -1: unbounded */
        set(e, "tail_samples", json_integer(tail), ok);
        set(pj, ps[i].key, e, ok);
    }
    set(o, "percentiles", pj, ok);
    set(o, "hdr", hdr_b64(h, ok), ok);
    return o;
}

/* The op's intervals over the window measured: the last one as long as what was left
 * of it (a 2.5 s run in 1 s intervals ends with 0.5 s), none past an interruption. */
static json_t *intervals_json(const tach__load_op_stats *o, const tach__load_stats *s, bool *ok)
{
    double step = s->cfg.interval_s, end = s->cfg.duration_s;
    if ((s->measured_s > 0 || s->partial) && s->measured_s < end) end = s->measured_s;
    json_t *a = json_array();
    if (!a) {
        *ok = false;
        return NULL;
    }
    for (size_t k = 0; k < o->niv; k++) {
        const tach__load_iv *iv = &o->iv[k];
        /* to the ns, as the series' lines give them: 3 x 0.3 s is 0.8999999999999999 */
        double start = round((double)k * step * 1e9) / 1e9;
        double len = round((end - start < step ? end - start : step) * 1e9) / 1e9;
        if (len < 1e-9 && !iv->count && !iv->sent) break; /* after the end: not run */
        if (len < 1e-9) len = step; /* (requests timed past the window's end: not expected) */
        json_t *e = json_object();
        if (!e) {
            *ok = false;
            break;
        }
        set(e, "start_s", json_real(start), ok);
        set(e, "length_s", json_real(len), ok);
        set(e, "count", json_integer(iv->count), ok);
        set(e, "errors", json_integer(iv->errors), ok);
        set(e, "rps", json_real((double)iv->count / len), ok);
        set(e, "sent", json_integer(iv->sent), ok);
        set(e, "sent_rps", json_real((double)iv->sent / len), ok);
        bool has = iv->hist && iv->count;
        /* an interval told to --series: what its histogram said, kept (no histogram) */
        const tach__load_ivsum *kept = !has && iv->count && o->kept && o->kept[k].set ? &o->kept[k] : NULL;
        set(e, "p50_ns", has ? json_integer(tach__hist_value_at(iv->hist, 50))
                         : kept ? json_integer(kept->p50_ns) : json_null(), ok);
        set(e, "p99_ns", has ? json_integer(tach__hist_value_at(iv->hist, 99))
                         : kept ? json_integer(kept->p99_ns) : json_null(), ok);
        set(e, "max_ns", has ? json_integer(tach__hist_max(iv->hist))
                         : kept ? json_integer(kept->max_ns) : json_null(), ok);
        char *herr = NULL, *b64 = has ? tach__hist_encode_b64(iv->hist, &herr) : NULL;
        set(e, "hdr", b64 ? json_string(b64) : json_null(), ok);
        free(b64);
        free(herr);
        if (json_array_append_new(a, e) != 0) *ok = false;
    }
    return a;
}

static json_t *model_json(const tach__load_stats *s, bool *ok)
{
    const tach__load_cfg *c = &s->cfg;
    json_t *m = json_object();
    if (!m) {
        *ok = false;
        return NULL;
    }
    set(m, "kind", json_string(c->model == TACH__LOAD_OPEN ? "open" : "closed"), ok);
    if (c->model == TACH__LOAD_OPEN) {
        set(m, "arrivals",
            json_string(c->arrivals == TACH__ARRIVALS_POISSON ? "poisson" : "constant"), ok);
        json_t *st = json_array();
        for (size_t i = 0; st && i < c->nstages; i++)
            json_array_append_new(st, json_pack("{s:f,s:f}", "rate", c->stages[i].rate,
                                                "duration_s", c->stages[i].duration_s));
        set(m, "stages", st, ok);
        /* against URLs: the most requests in flight, each on a connection of its own,
         * which the target serves (a setting compare holds runs to); a benchmark binary's
         * open model has none (its threads send) */
        if (s->kind && !strcmp(s->kind, "http"))
            set(m, "clients", json_integer(c->clients > 0 ? c->clients : TACH__LOAD_OPEN_HTTP_CLIENTS), ok);
    } else {
        set(m, "clients", json_integer(c->clients > 0 ? c->clients : c->threads), ok);
        set(m, "think_s", json_real(c->think_s), ok);
    }
    set(m, "threads", json_integer(c->threads), ok);
    if (s->threads_asked > c->threads) set(m, "threads_asked", json_integer(s->threads_asked), ok);
    set(m, "duration_s", json_real(c->duration_s), ok);
    set(m, "warmup_s", json_real(c->warmup_s), ok);
    set(m, "interval_s", json_real(c->interval_s), ok);
    set(m, "seed", tach__json_seed(c->seed), ok);
    set(m, "target", json_string(s->kind ? s->kind : "in-process"), ok);
    return m;
}

/* Per-interval mean latency (from the intended start) as the result's samples; of an
 * interval whose histogram went to --series, the mean kept before it went. */
static int interval_samples(tach__result *r, const tach__load_op_stats *o, char *err)
{
    const tach__load_iv *iv = o->iv;
    size_t n = 0, niv = o->niv;
#define HAS_MEAN(k) (iv[k].count > 0 && (iv[k].hist || (o->kept && o->kept[k].set)))
    for (size_t k = 0; k < niv; k++) n += HAS_MEAN(k);
    if (!n) return 0;
    r->sample_ns = tach__calloc(n, sizeof *r->sample_ns);
    r->sample_iters = tach__calloc(n, sizeof *r->sample_iters);
    if (!r->sample_ns || !r->sample_iters) return tach__err(err, "out of memory");
    for (size_t k = 0; k < niv; k++) {
        if (!HAS_MEAN(k)) continue;
        r->sample_ns[r->nsamples] = iv[k].hist ? tach__hist_mean(iv[k].hist) : o->kept[k].mean_ns;
        r->sample_iters[r->nsamples] = (uint64_t)iv[k].count;
        r->nsamples++;
    }
#undef HAS_MEAN
    return 0;
}

static int add_result(tach__doc *d, const tach__load_stats *s, const tach__load_op_stats *o,
                      const char *name, json_t *load, char *err)
{
    tach__result *r = tach__doc_add(d);
    if (!r) {
        json_decref(load);
        return tach__err(err, "out of memory");
    }
    r->load = load;
    r->name = tach__strdup(name);
    r->group = tach__strdup("load");
    r->function = tach__strdup(name);
    if (!r->name || !r->group || !r->function) return tach__err(err, "out of memory");
    r->status = s->fail ? TACH__FAILED : TACH__OK;
    if (s->fail && !(r->message = tach__strdup(s->fail))) return tach__err(err, "out of memory");
    /* the latency block every result may carry: from the intended start */
    if (!(r->latency = tach__latency_new())) return tach__err(err, "out of memory");
    r->latency->lost = tach__hist_merge(r->latency->hist, o->corrected) + o->out_of_range;
    tach__latency_finish(r->latency);
    if (interval_samples(r, o, err) != 0) return -1;
    if (r->nsamples && tach__result_finish_resamples(r, s->cfg.seed, 1000, err) != 0) return -1;
    if (s->measured_s > 0) r->items_per_iter = 0;
    return 0;
}

int tach__load_to_doc(const tach__load_stats *s, tach__doc *d, char *err)
{
    char why[512];
    bool invalid = tach__load_invalid(s, why, sizeof why);
    /* an interrupted run measured what it measured: nothing when stopped in its warm-up */
    double secs = s->measured_s > 0 || s->partial ? s->measured_s : s->cfg.duration_s;
    int64_t total = 0;
    for (size_t i = 0; i < s->nops; i++) total += s->ops[i].count;

    /* The overall histograms and series: the targets' merged. */
    tach__load_op_stats all;
    memset(&all, 0, sizeof all);
    size_t niv = s->nops ? s->ops[0].niv : 0;
    all.corrected = tach__hist_new_default();
    all.uncorrected = tach__hist_new_default();
    all.failed = tach__hist_new_default();
    all.iv = tach__calloc(niv ? niv : 1, sizeof *all.iv);
    all.niv = niv;
    all.kept = s->kept_all; /* (s's: not freed here) */
    int rc = 0;
    if (!all.corrected || !all.uncorrected || !all.failed || !all.iv) {
        rc = tach__err(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s->nops; i++) {
        const tach__load_op_stats *o = &s->ops[i];
        tach__hist_merge(all.corrected, o->corrected);
        tach__hist_merge(all.uncorrected, o->uncorrected);
        tach__hist_merge(all.failed, o->failed);
        all.count += o->count;
        all.errors += o->errors;
        kinds_merge(&all.error_kinds, &o->error_kinds);
        kinds_merge(&all.statuses, &o->statuses);
        for (size_t k = 0; k < niv && k < o->niv; k++) {
            all.iv[k].count += o->iv[k].count; /* (counts even without a histogram) */
            all.iv[k].errors += o->iv[k].errors;
            all.iv[k].sent += o->iv[k].sent;
            if (!o->iv[k].hist) continue;
            if (!all.iv[k].hist && !(all.iv[k].hist = tach__hist_new_default())) {
                rc = tach__err(err, "out of memory");
                goto done;
            }
            tach__hist_merge(all.iv[k].hist, o->iv[k].hist);
        }
    }

    for (size_t i = 0; i <= s->nops && rc == 0; i++) {
        bool overall = i == s->nops;
        const tach__load_op_stats *o = overall ? &all : &s->ops[i];
        bool ok = true;
        json_t *L = json_object();
        if (!L) {
            rc = tach__err(err, "out of memory");
            break;
        }
        set(L, "op", json_string(overall ? "overall" : o->name), ok ? &ok : &ok);
        set(L, "model", model_json(s, &ok), &ok);
        if (!overall) {
            double wsum = 0;
            for (size_t k = 0; k < s->nops; k++) wsum += s->ops[k].weight;
            set(L, "weight", json_real(o->weight), &ok);
            set(L, "share_target", json_real(wsum > 0 ? o->weight / wsum : NAN), &ok);
            set(L, "share", total ? json_real((double)o->count / (double)total) : json_null(), &ok);
            if (o->slo) set(L, "slo", json_string(o->slo), &ok);
        }
        set(L, "count", json_integer(o->count), &ok);
        set(L, "rps", secs > 0 ? json_real((double)o->count / secs) : json_null(), &ok);
        set(L, "errors", json_integer(o->errors), &ok);
        set(L, "error_rate", o->count ? json_real((double)o->errors / (double)o->count) : json_null(),
            &ok);
        set(L, "error_kinds", kinds_json(&o->error_kinds, &ok), &ok);
        /* HTTP only, as results-format.md has it: an in-process operation has no status */
        if (s->kind && !strcmp(s->kind, "http")) set(L, "statuses", kinds_json(&o->statuses, &ok), &ok);
        set(L, "out_of_range", json_integer(o->out_of_range), &ok);
        set(L, "corrected", hist_json(o->corrected, &ok), &ok);
        set(L, "uncorrected", hist_json(o->uncorrected, &ok), &ok);
        /* the failed requests' corrected latencies: an objective on a percentile counts
         * only the requests answered without error within its bound (tool_slo_check) */
        set(L, "failed_hdr", o->errors ? hdr_b64(o->failed, &ok) : json_null(), &ok);
        set(L, "intervals", intervals_json(o, s, &ok), &ok);
        if (overall) {
            double target = target_rate(&s->cfg);
            set(L, "rate_target", tach__json_num(target), &ok);
            set(L, "rate_achieved", secs > 0 ? json_real((double)s->sent / secs) : json_null(), &ok);
            set(L, "scheduled", json_integer(s->scheduled), &ok);
            set(L, "sent", json_integer(s->sent), &ok);
            set(L, "late", json_integer(s->late), &ok);
            set(L, "dropped", json_integer(s->dropped), &ok);
            if (s->connect_waits) set(L, "connect_waits", json_integer(s->connect_waits), &ok);
            set(L, "late_bound_s", json_real(s->cfg.late_bound_s), &ok);
            set(L, "lateness", hist_json(s->lateness, &ok), &ok);
            set(L, "measured_s", json_real(secs), &ok);
            set(L, "start_epoch_s", json_real(s->start_epoch_s), &ok);
        }
        set(L, "invalid", json_boolean(invalid), &ok);
        set(L, "invalid_reason", invalid ? json_string(why) : json_null(), &ok);
        set(L, "partial", json_boolean(s->partial), &ok);
        if (!ok) {
            json_decref(L);
            rc = tach__err(err, "out of memory");
            break;
        }
        rc = add_result(d, s, o, overall ? "overall" : o->name, L, err);
    }
    d->partial |= s->partial;
done:
    tach__hist_free(all.corrected);
    tach__hist_free(all.uncorrected);
    tach__hist_free(all.failed);
    for (size_t k = 0; all.iv && k < niv; k++) tach__hist_free(all.iv[k].hist);
    tach__free(all.iv);
    return rc;
}
