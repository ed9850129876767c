/* scaling.c - the thread sweeps of a document and their USL fits (see scaling.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scaling.h"

static const char *param_value(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, name)) return r->params[i].value;
    return NULL;
}

static int threads_of(const tach__result *r)
{
    const char *v = param_value(r, "threads");
    if (!v) return 0;
    char *end;
    long n = strtol(v, &end, 10);
    return (*end == '\0' && n >= 1 && n <= 1 << 20) ? (int)n : 0;
}

static bool usable(const tach__result *r)
{
    return r->status == TACH__OK && r->nsamples > 0 && r->sample_ns && threads_of(r) > 0;
}

static bool same_sweep(const tach__result *a, const tach__result *b)
{
    if ((a->function == NULL) != (b->function == NULL) ||
        (a->function && strcmp(a->function, b->function)))
        return false;
    if ((a->group == NULL) != (b->group == NULL) || (a->group && strcmp(a->group, b->group)))
        return false;
    if (a->nparams != b->nparams) return false;
    for (size_t i = 0; i < a->nparams; i++) {
        if (!strcmp(a->params[i].name, "threads")) continue;
        const char *v = param_value(b, a->params[i].name);
        if (!v || strcmp(v, a->params[i].value) != 0) return false;
    }
    return true;
}

/* The median throughput (N * 1e9 / time) of r's samples from round k (all samples
 * when k is SIZE_MAX); NaN when none. */
static double round_rate(const tach__result *r, int threads, size_t k, double *buf)
{
    size_t m = 0;
    for (size_t i = 0; i < r->nsamples; i++) {
        if (k != SIZE_MAX && (!r->sample_round || r->sample_round[i] != k)) continue;
        if (r->sample_ns[i] > 0) buf[m++] = threads * 1e9 / r->sample_ns[i];
    }
    return m ? tach__median(buf, m) : NAN;
}

/* The speedup of point p against the N = 1 point b: the median over the rounds both
 * have of the ratio of their round's median throughputs (rounds: how many), or with
 * one round the ratio of the whole results' medians (rounds = 0). */
static double paired_speedup(const tach__doc *d, const tach__scale_point *b,
                             const tach__scale_point *p, size_t *rounds)
{
    const tach__result *rb = &d->results[b->result], *rp = &d->results[p->result];
    size_t nb = tach__result_rounds(rb), np = tach__result_rounds(rp), nr = nb < np ? nb : np;
    *rounds = 0;
    if (nr < 2) return p->ops_per_sec / b->ops_per_sec;
    size_t cap = rb->nsamples > rp->nsamples ? rb->nsamples : rp->nsamples;
    double *buf = tach__malloc((cap + nr) * sizeof *buf);
    if (!buf) return p->ops_per_sec / b->ops_per_sec;
    double *ratio = buf + cap;
    size_t m = 0;
    for (size_t k = 0; k < nr; k++) {
        double xb = round_rate(rb, b->threads, k, buf), xp = round_rate(rp, p->threads, k, buf);
        if (xb > 0 && xp > 0) ratio[m++] = xp / xb;
    }
    double v = m ? tach__median(ratio, m) : p->ops_per_sec / b->ops_per_sec;
    *rounds = m;
    tach__free(buf);
    return v;
}

static char *sweep_name(const tach__result *r)
{
    const char *v = param_value(r, "threads");
    tach__buf b = {0};
    const char *at = tach__name_param(r->name, "threads", v);
    if (at) { /* a whole "threads=N": not the one in "xthreads=N" */
        tach__buf_put(&b, r->name, (size_t)(at - r->name));
        tach__buf_puts(&b, "threads=*");
        tach__buf_puts(&b, at + strlen("threads=") + strlen(v));
    } else {
        tach__buf_printf(&b, "%s/threads=*", r->name);
    }
    return tach__buf_take(&b);
}

static int cmp_point(const void *pa, const void *pb)
{
    const tach__scale_point *a = pa, *b = pb;
    return (a->threads > b->threads) - (a->threads < b->threads);
}

/* Points, the USL fit and the targets of one sweep. */
static int fit_sweep(const tach__doc *d, tach__scale_sweep *s, uint64_t seed)
{
    qsort(s->points, s->npoints, sizeof *s->points, cmp_point);
    /* One result per thread count (a merged document keeps the first). */
    size_t w = 0;
    for (size_t i = 0; i < s->npoints; i++)
        if (w == 0 || s->points[i].threads != s->points[w - 1].threads) s->points[w++] = s->points[i];
    s->npoints = w;
    double base = NAN;
    const tach__scale_point *one = NULL;
    for (size_t i = 0; i < s->npoints; i++) {
        tach__scale_point *p = &s->points[i];
        const tach__result *r = &d->results[p->result];
        double med = tach__median(r->sample_ns, r->nsamples);
        p->wall_ns = med;
        /* The median of the samples' throughputs, the statistic the USL fit resamples
         * (with an even count it differs from the throughput of the median time). */
        double *tp = tach__malloc(r->nsamples * sizeof *tp);
        if (!tp) return -1;
        for (size_t k = 0; k < r->nsamples; k++)
            tp[k] = r->sample_ns[k] > 0 ? p->threads * 1e9 / r->sample_ns[k] : 0;
        p->ops_per_sec = tach__median(tp, r->nsamples);
        tach__free(tp);
        p->per_thread = p->ops_per_sec / p->threads;
        p->spread = tach__result_counter(r, "thread_spread");
        p->cpu_utilization = tach__result_counter(r, "cpu_utilization");
        p->cpu_ns = isfinite(p->cpu_utilization) ? p->cpu_utilization * med : NAN;
        p->cpu_ns_per_op = tach__result_counter(r, "cpu_ns_per_op");
        p->runq_wait = tach__result_counter(r, "runq_wait");
        p->blocked = tach__result_counter(r, "blocked");
        p->sleeps_per_ms = tach__result_counter(r, "sleeps_per_ms");
        p->net_ns_per_op = tach__result_counter(r, "net_ns_per_op");
        if (p->threads == 1) {
            base = p->ops_per_sec;
            one = p;
        }
        if (p->threads > s->cpus) s->oversubscribed = true;
    }
    s->has_one = one != NULL;
    for (size_t i = 0; i < s->npoints; i++) {
        tach__scale_point *p = &s->points[i];
        p->speedup = base > 0 ? paired_speedup(d, one, p, &p->rounds) : NAN;
        p->efficiency = p->speedup / p->threads;
        p->cpu_efficiency = one && one->cpu_ns_per_op > 0 && p->cpu_ns_per_op > 0
                                ? one->cpu_ns_per_op / p->cpu_ns_per_op : NAN;
        p->efficiency_net = one && one->net_ns_per_op > 0 && p->net_ns_per_op > 0
                                ? one->net_ns_per_op / p->net_ns_per_op : NAN;
    }
    /* The USL on each sample's total throughput. */
    tach__usl_point *up = tach__calloc(s->npoints, sizeof *up);
    double **own = tach__calloc(s->npoints, sizeof *own);
    int rc = -1;
    if (!up || !own) goto done;
    for (size_t i = 0; i < s->npoints; i++) {
        const tach__result *r = &d->results[s->points[i].result];
        if (!(own[i] = tach__malloc(r->nsamples * sizeof **own))) goto done;
        for (size_t k = 0; k < r->nsamples; k++)
            own[i][k] = r->sample_ns[k] > 0 ? s->points[i].threads * 1e9 / r->sample_ns[k] : 0;
        up[i] = (tach__usl_point){s->points[i].threads, own[i], r->nsamples};
    }
    s->fitted = tach__usl_fit_points(up, s->npoints, 200, seed ^ tach__hash_str(s->name), &s->usl,
                                     NULL) == 0;
    const tach__scale_point *last = &s->points[s->npoints - 1];
    s->efficiency_met = !(s->min_efficiency > 0) || last->efficiency >= s->min_efficiency;
    s->alpha_met = !(s->max_alpha > 0) || (s->fitted && s->usl.alpha.value <= s->max_alpha);
    rc = 0;
done:
    if (own)
        for (size_t i = 0; i < s->npoints; i++) tach__free(own[i]);
    tach__free(own);
    tach__free(up);
    return rc;
}

int tach__scale_sweeps(const tach__doc *d, uint64_t seed, long cpus, tach__scale_sweep **out)
{
    *out = NULL;
    if (cpus <= 0) cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = 0, cap = 0;
    tach__scale_sweep *v = NULL;
    bool *taken = d->nresults ? tach__calloc(d->nresults, sizeof *taken) : NULL;
    if (d->nresults && !taken) return -1;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (taken[i] || !usable(r)) continue;
        size_t members = 0;
        for (size_t k = i; k < d->nresults; k++)
            members += !taken[k] && usable(&d->results[k]) && same_sweep(r, &d->results[k]);
        if (members < 2) continue;
        if (TACH__GROW(&v, &cap, n + 1, 4) != 0) goto oom;
        tach__scale_sweep *s = &v[n++];
        memset(s, 0, sizeof *s);
        s->cpus = cpus;
        s->name = sweep_name(r);
        s->points = tach__calloc(members, sizeof *s->points);
        if (!s->name || !s->points) goto oom;
        for (size_t k = i; k < d->nresults; k++) {
            const tach__result *o = &d->results[k];
            if (taken[k] || !usable(o) || !same_sweep(r, o)) continue;
            taken[k] = true;
            s->points[s->npoints++] = (tach__scale_point){.result = k, .threads = threads_of(o)};
            if (o->min_efficiency > 0) s->min_efficiency = o->min_efficiency;
            if (o->max_alpha > 0) s->max_alpha = o->max_alpha;
        }
        if (fit_sweep(d, s, seed) != 0) goto oom;
    }
    tach__free(taken);
    *out = v;
    return (int)n;
oom:
    tach__free(taken);
    tach__scale_sweeps_free(v, n);
    return -1;
}

bool tach__scale_lone(const tach__doc *d, size_t i)
{
    if (i >= d->nresults || !usable(&d->results[i])) return false;
    for (size_t k = 0; k < d->nresults; k++)
        if (k != i && usable(&d->results[k]) && same_sweep(&d->results[i], &d->results[k]))
            return false;
    return true;
}

void tach__scale_sweeps_free(tach__scale_sweep *s, size_t n)
{
    if (!s) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(s[i].name);
        tach__free(s[i].points);
    }
    tach__free(s);
}
