/*
 * compare.c - judging one results document against another (see compare.h): the
 * suite comparison.  Declared targets are checked in targets.c, the paired A/B
 * statistics are in ab_stats.c, the statistics over rounds in rounds.c, a command's
 * waiting for a CPU in cpu_wait.c.
 *
 * (Over 600 lines: one row's verdict reads its estimate, its test, its rounds and its
 * thresholds together, and the suite's q-values tie the rows; the JSON of a comparison
 * is written beside the model it mirrors.)
 */
#include "compare_internal.h"
#include "metric.h"
#include "rounds.h"

#include <fnmatch.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *tool_verdict_name(tool_verdict v)
{
    switch (v) {
    case TOOL_UNCHANGED: return "unchanged";
    case TOOL_IMPROVED: return "improved";
    case TOOL_REGRESSED: return "regressed";
    case TOOL_UNSTABLE: return "unstable";
    case TOOL_ADDED: return "added";
    case TOOL_REMOVED: return "removed";
    case TOOL_BROKEN: return "failed";
    case TOOL_INCOMPARABLE: return "incomparable";
    case TOOL_UNTESTABLE: return "not testable";
    }
    return "?";
}

const char *tool_severity_name(tool_severity s)
{
    switch (s) {
    case TOOL_WITHIN_NOISE: return "within noise";
    case TOOL_WARNING: return "warning";
    case TOOL_CRITICAL: return "critical";
    }
    return "?";
}

void tool_cmp_options_default(tool_cmp_options *o)
{
    memset(o, 0, sizeof *o);
    o->noise = 0.02;
    o->critical = 0.10;
    o->alpha = 0.05;
    o->unstable_cv = 0.05;
    o->resamples = 2000;
    o->quick_resamples = 100;
    o->seed = TACH__DEFAULT_SEED;
    o->run_noise_k = 2.5;
}

double tool_run_noise(const double *medians, size_t n)
{
    if (n < 5) return NAN;
    double *r = tach__malloc(n * sizeof *r);
    if (!r) return NAN;
    size_t m = 0;
    double prev = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!(medians[i] > 0)) continue;
        if (!isnan(prev)) r[m++] = fabs(log(medians[i] / prev));
        prev = medians[i];
    }
    /* Consecutive runs of the same code differ by 0 on average: the spread is taken
     * around 0 (the median absolute ratio), not around the ratios' own median. */
    double s = m >= 4 ? 1.4826 * tach__median(r, m) : NAN;
    tach__free(r);
    return s;
}

double tool_result_compared_median(const tach__result *r, double noise)
{
    if (!r || !r->sample_ns || !r->nsamples) return NAN;
    tool_rounds g;
    if (tool_rounds_of(r, &g)) return NAN;
    tool_rounds_trim_slow(&g, noise);
    double m = g.nsamples ? tach__median(g.ns, g.nsamples) : NAN;
    tool_rounds_free(&g);
    return m;
}

void tool_comparison_free(tool_comparison *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nrows; i++) {
        tach__free(c->rows[i].targets);
        tach__free(c->rows[i].load_base);
        tach__free(c->rows[i].load_new);
    }
    tach__free(c->rows);
    tach__free(c->base_fingerprint);
    tach__free(c->new_fingerprint);
    memset(c, 0, sizeof *c);
}

/* ---- matching names ------------------------------------------------------ */

typedef struct name_ref { const char *name; size_t index; } name_ref;

static int name_ref_cmp(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Sorted (name, index) pairs of d's results; NULL only on allocation failure
 * when d has results. */
static name_ref *index_names(const tach__doc *d)
{
    if (!d->nresults) return NULL;
    name_ref *refs = tach__malloc(d->nresults * sizeof *refs);
    if (!refs) return NULL;
    for (size_t i = 0; i < d->nresults; i++)
        refs[i] = (name_ref){d->results[i].name ? d->results[i].name : "", i};
    qsort(refs, d->nresults, sizeof *refs, name_ref_cmp);
    return refs;
}

/* The first result named name, or NULL. */
static const name_ref *find_name(const name_ref *refs, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(refs[mid].name, name) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && !strcmp(refs[lo].name, name) ? &refs[lo] : NULL;
}

size_t tool_compare_common(const tach__doc *base, const tach__doc *cur)
{
    if (!base || !cur || !base->nresults || !cur->nresults) return 0;
    name_ref *refs = index_names(cur);
    if (!refs) return 0;
    size_t n = 0;
    for (size_t i = 0; i < base->nresults; i++) {
        const char *name = base->results[i].name ? base->results[i].name : "";
        if (find_name(refs, cur->nresults, name)) n++;
    }
    tach__free(refs);
    return n;
}

/* ---- one benchmark ---------------------------------------------------------- */

static double cv_of(const tach__result *r)
{
    if (r->nsamples < 2 || !r->sample_ns) return NAN;
    double m = tach__mean(r->sample_ns, r->nsamples);
    if (!(m > 0)) return NAN;
    return tach__stddev(r->sample_ns, r->nsamples) / m;
}

static bool has_samples(const tach__result *r)
{
    return r && r->status == TACH__OK && r->nsamples > 0 && r->sample_ns;
}

/* Whether an end of ci, drawn with r resamples, lies close enough to +-noise that
 * its Monte Carlo error could flip a verdict: within about three of that error's
 * standard deviations, which is half the CI's half-width at 100 resamples and
 * shrinks as 1/sqrt(r). */
static bool near_threshold(const tach__ci *ci, double noise, size_t r)
{
    if (isnan(ci->lo) || isnan(ci->hi)) return false;
    double margin = (ci->hi - ci->lo) / 4 * sqrt(100.0 / (double)r);
    const double ends[2] = {ci->lo, ci->hi}, bounds[2] = {-noise, noise};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++)
            if (fabs(ends[i] - bounds[k]) <= margin) return true;
    return false;
}

/* Draws a CI with few resamples first, then 4x more while an end stays near a
 * threshold, up to the full count.  by_rounds picks the hierarchical bootstrap. */
static int draw_ci(tool_cmp_row *row, const tool_cmp_options *o, const tool_rounds *gb,
                   const tool_rounds *gc, tach__ci *ci)
{
    const tach__result *b = row->base, *c = row->cur;
    uint64_t seed = o->seed ^ tach__hash_str(row->name);
    size_t r = o->quick_resamples > 0 && o->quick_resamples < o->resamples ? o->quick_resamples
                                                                            : o->resamples;
    for (;;) {
        int rc = row->by_rounds
                     ? tool_bootstrap_ratio_rounds(gb, gc, r, 0.95, seed, ci)
                     : tach__bootstrap_ratio(b->sample_ns, b->nsamples, c->sample_ns,
                                             c->nsamples, r, 0.95, seed, ci);
        if (rc) return -1;
        if (r >= o->resamples || !near_threshold(ci, row->noise, r)) return 0;
        r = r * 4 < o->resamples ? r * 4 : o->resamples;
    }
}

/* The point change from the medians; NaN with the reason in change_na when it is no
 * number (a median of 0, a ratio beyond a double), never infinite. */
static void set_change(tool_cmp_row *row)
{
    double b = row->base_median, n = row->new_median, ratio = n / b;
    row->change.value = NAN;
    row->change_na = NULL;
    if (b > 0 && n > 0 && isfinite(ratio) && ratio > 0) row->change.value = ratio - 1.0;
    else if (b == 0 && n == 0) row->change_na = TOOL_CHANGE_NA_BOTH_ZERO;
    else if (b == 0 && n > 0) row->change_na = TOOL_CHANGE_NA_BASE_ZERO;
    else if (b > 0 && n == 0) row->change_na = TOOL_CHANGE_NA_NEW_ZERO;
    else if (b > 0 && n > 0) row->change_na = TOOL_CHANGE_NA_RANGE;
}

tach__ci tool_cmp_shown_ci(const tool_cmp_row *row)
{
    tach__ci ci = row->change;
    if (isnan(ci.value) && row->change_na) ci.lo = ci.hi = NAN;
    return ci;
}

/* Fills the estimate of one pair (change, its CI, U and p). */
static int estimate(tool_cmp_row *row, const tool_cmp_options *o)
{
    const tach__result *b = row->base, *c = row->cur;
    row->base_median = tach__median(b->sample_ns, b->nsamples);
    row->new_median = tach__median(c->sample_ns, c->nsamples);
    row->base_cv = cv_of(b);
    row->new_cv = cv_of(c);
    row->change = (tach__ci){NAN, NAN, NAN};
    set_change(row);
    tool_rounds gb, gc;
    int rc = -1;
    if (tool_rounds_of(b, &gb) || tool_rounds_of(c, &gc)) {
        tool_rounds_free(&gb);
        return -1;
    }
    row->by_rounds = gb.nrounds >= 2 && gc.nrounds >= 2;
    if (row->by_rounds) {
        /* Rounds slowed as measured, before any is set aside: a side with more than may
         * be set aside cannot be cleaned, and when the other side is clean its
         * slowness would pass for the code's (judge). */
        double fb, fc;
        row->base_rounds_slowed = tool_rounds_slowed(&gb, row->noise, &fb);
        row->new_rounds_slowed = tool_rounds_slowed(&gc, row->noise, &fc);
        if (fb > 0 && fc > 0) row->fast_change = fc / fb - 1.0;
        bool sb = row->base_rounds_slowed > tool_rounds_trim_cap(gb.nrounds),
             sc = row->new_rounds_slowed > tool_rounds_trim_cap(gc.nrounds);
        row->slowed_side = sb && !sc ? TOOL_SIDE_BASE : sc && !sb ? TOOL_SIDE_NEW : TOOL_SIDE_NONE;
        /* Rounds slowed far beyond their side's others (preempted) are set aside: the
         * estimate, CI, test and agreement rest on the rest (rounds.h). */
        row->base_rounds_slow = tool_rounds_trim_slow(&gb, row->noise);
        row->new_rounds_slow = tool_rounds_trim_slow(&gc, row->noise);
        if (row->base_rounds_slow || row->new_rounds_slow) {
            row->base_median = tach__median(gb.ns, gb.nsamples);
            row->new_median = tach__median(gc.ns, gc.nsamples);
            set_change(row);
        }
    }
    row->base_rounds = gb.nrounds;
    row->new_rounds = gc.nrounds;
    if (gb.nrounds >= 2 || gc.nrounds >= 2) {
        double rb = tool_rounds_range(&gb), rn = tool_rounds_range(&gc);
        row->rounds_range = rb > rn || isnan(rn) ? rb : rn;
        row->rounds_disagree = tool_rounds_disagree(&gb, row->noise) ||
                               tool_rounds_disagree(&gc, row->noise);
    }
    if (b->nsamples >= 2 && c->nsamples >= 2) {
        tach__ci ci;
        if (draw_ci(row, o, &gb, &gc, &ci)) goto done;
        /* An end a resample's median of 0 made infinite (or 0/0) is no number; both
         * ends +inf, though, say where the whole CI lies (a rise from 0 ns). */
        row->unbounded_rise = ci.lo == INFINITY && ci.hi == INFINITY;
        row->change.lo = isfinite(ci.lo) ? ci.lo : NAN;
        row->change.hi = isfinite(ci.hi) ? ci.hi : NAN;
        if (!row->change_na && (isnan(row->change.lo) || isnan(row->change.hi)) &&
            (!isnan(row->change.lo) || !isnan(row->change.hi)))
            row->change_na = TOOL_CHANGE_NA_CI;
        if (tach__mann_whitney(b->sample_ns, b->nsamples, c->sample_ns, c->nsamples, &row->u,
                               &row->p))
            goto done;
        double t;
        if (row->by_rounds && tool_rounds_welch(&gb, &gc, &t, &row->p)) goto done;
    }
    /* Whether the sides' round medians overlap (some NEW round as fast as some BASE
     * round, or the other way). */
    if (row->by_rounds) {
        double bmin = gb.median[0], bmax = gb.median[0], cmin = gc.median[0], cmax = gc.median[0];
        for (size_t k = 1; k < gb.nrounds; k++) {
            if (gb.median[k] < bmin) bmin = gb.median[k];
            if (gb.median[k] > bmax) bmax = gb.median[k];
        }
        for (size_t k = 1; k < gc.nrounds; k++) {
            if (gc.median[k] < cmin) cmin = gc.median[k];
            if (gc.median[k] > cmax) cmax = gc.median[k];
        }
        row->rounds_overlap = cmin <= bmax && bmin <= cmax;
    }
    rc = 0;
done:
    tool_rounds_free(&gb);
    tool_rounds_free(&gc);
    return rc;
}

static tool_severity severity_of(double change, double noise, double critical)
{
    if (isnan(change)) return TOOL_WITHIN_NOISE;
    double a = fabs(change);
    if (a >= critical) return TOOL_CRITICAL;
    if (a > noise) return TOOL_WARNING;
    return TOOL_WITHIN_NOISE;
}

/* The verdict of the change as a shift, once q is known (see compare.h). */
static tool_verdict judge_shift(tool_cmp_row *r, double alpha, double unstable_cv,
                                bool deterministic)
{
    const tach__ci *ch = &r->change;
    const tach__result *b = r->base, *c = r->cur;
    /* the CI's lower end; a rise from 0 ns in every resample lies above any threshold */
    double lo = r->unbounded_rise ? INFINITY : ch->lo;
    if (deterministic && r->base_median == r->new_median) return TOOL_UNCHANGED; /* 0 and 0 too */
    if (deterministic && !isnan(ch->value)) /* a count has no sampling error (compare.h) */
        return ch->value > r->noise ? TOOL_REGRESSED
               : ch->value < -r->noise ? TOOL_IMPROVED : TOOL_UNCHANGED;
    /* A count grown from 0 (no allocation in BASE, 100 per iteration in NEW) or fallen to
     * 0 has no percentage (change_na), yet is beyond any threshold: regressed or improved
     * as tach ab judges it (it was "not testable (1 sample)"). */
    if (deterministic && r->new_median > r->base_median) return TOOL_REGRESSED;
    if (deterministic && r->new_median < r->base_median) return TOOL_IMPROVED;
    if (b->nsamples < 2 || c->nsamples < 2) return TOOL_UNTESTABLE;
    /* Every sample 0 ns on both sides (no mean, so no CV): the same data, as two equal
     * constants, whose CI [0%, 0%] is inside the band; here 0/0 leaves it no ends. */
    if (r->base_median == 0 && r->new_median == 0 && isnan(r->base_cv) && isnan(r->new_cv))
        return TOOL_UNCHANGED;
    bool inside = !isnan(ch->lo) && !isnan(ch->hi) && ch->lo >= -r->noise && ch->hi <= r->noise;
    /* So few samples that no change could be significant (2 and 2: a 3x slowdown had
     * p 0.245 and was "unchanged"): only the point change is known, as with one.  Before
     * the test: with ties (3 and 3 samples, all equal on each side) the tie-corrected
     * normal approximation gives p 0.047, yet the exact test of the same data gives 0.1 -
     * ties add no evidence, so the sizes decide, as without them. */
    if (!inside && !r->by_rounds && !(tach__mann_whitney_min_p(b->nsamples, c->nsamples) < alpha)) {
        r->too_few = true;
        return TOOL_UNTESTABLE;
    }
    bool significant = !isnan(r->q) && r->q < alpha;
    /* Rounds that disagree and overlap: the change may be the machine's, not the
     * code's; not a regression (or an improvement) - unless the whole CI, which
     * carries the rounds' disagreement, lies beyond the critical threshold too: a
     * change that large (a benchmark made 3x slower, whose rounds overlap only
     * because the machine was busy) is the code's, and a gate must catch it.  One
     * rule for compare, gate, report, certify and bench. */
    bool shaky = r->rounds_disagree && r->rounds_overlap;
    double beyond = r->critical > r->noise ? r->critical : r->noise;
    if (significant && !isnan(lo) && lo > r->noise) {
        if (!shaky) return TOOL_REGRESSED;
        if (lo > beyond) {
            r->beyond_rounds = true;
            return TOOL_REGRESSED;
        }
        return TOOL_UNSTABLE;
    }
    if (significant && !isnan(ch->hi) && ch->hi < -r->noise) {
        if (!shaky) return TOOL_IMPROVED;
        if (ch->hi < -beyond) {
            r->beyond_rounds = true;
            return TOOL_IMPROVED;
        }
        return TOOL_UNSTABLE;
    }
    /* Not decided.  Unchanged when the CI sits inside the noise band or the
     * benchmark is steady enough that a wider CI is a real, small effect; unstable
     * when its own spread is what keeps the answer open. */
    bool noisy = (!r->soak && ((!isnan(r->base_cv) && r->base_cv > unstable_cv) ||
                               (!isnan(r->new_cv) && r->new_cv > unstable_cv))) ||
                 r->rounds_disagree;
    if (isnan(ch->lo) && isnan(ch->hi)) {
        /* Too few samples for a CI: nothing can be told beyond the noise band. */
        return !isnan(ch->value) && fabs(ch->value) <= r->noise ? TOOL_UNCHANGED
                                                                 : TOOL_UNSTABLE;
    }
    /* One end unbounded (resamples with a median of 0): the CI reaches beyond the band,
     * and nothing was decided above. */
    if (isnan(ch->lo) || isnan(ch->hi)) return TOOL_UNSTABLE;
    if (!inside && noisy) return TOOL_UNSTABLE;
    /* The whole CI beyond the band, the test not below alpha: not a small effect.  A
     * soak's CI reaching beyond it too, the test not confirming a change: its
     * intervals' spread is no CV to call it noisy by, nor steadiness to call it
     * unchanged by */
    if ((!isnan(ch->lo) && ch->lo > r->noise) || (!isnan(ch->hi) && ch->hi < -r->noise) ||
        (r->soak && !inside && !significant)) {
        r->not_significant = true;
        return TOOL_UNSTABLE;
    }
    bool inside_asked = !isnan(ch->lo) && !isnan(ch->hi) && ch->lo >= -r->asked_noise &&
                        ch->hi <= r->asked_noise;
    if (r->noise > r->asked_noise && !inside_asked) {
        r->runs_differ = true;
        return TOOL_UNSTABLE;
    }
    return TOOL_UNCHANGED;
}

/* The verdict once q is known (see compare.h): the shift's, unless one side was slowed
 * in more rounds than may be set aside while the other was not.  Interference only
 * adds time, so that side looks slower than the code is, and a verdict whose sign
 * comes from it is the machine's: BASE slowed throughout makes NEW look faster, NEW
 * slowed throughout makes it look slower.  A verdict against that push stands (the
 * push only hid part of it); one with it is unstable - except a change so large that
 * its whole CI and the sides' fastest rounds (the least disturbed: fast_change) both
 * lie beyond the critical threshold (a doubling a gate must still catch; the mirror
 * image, a side made 14x faster).  An "unchanged" is not trusted either: the push may
 * hide a change. */
static tool_verdict judge(tool_cmp_row *r, double alpha, double unstable_cv, bool deterministic)
{
    tool_verdict v = judge_shift(r, alpha, unstable_cv, deterministic);
    if (r->slowed_side == TOOL_SIDE_NONE || deterministic || v == TOOL_UNTESTABLE) return v;
    double beyond = r->critical > r->noise ? r->critical : r->noise;
    if (r->slowed_side == TOOL_SIDE_BASE && v == TOOL_REGRESSED) return v;
    if (r->slowed_side == TOOL_SIDE_NEW && v == TOOL_IMPROVED) return v;
    if ((r->slowed_side == TOOL_SIDE_NEW && v == TOOL_REGRESSED && r->change.lo > beyond &&
         r->fast_change > beyond) ||
        (r->slowed_side == TOOL_SIDE_BASE && v == TOOL_IMPROVED && r->change.hi < -beyond &&
         r->fast_change < -beyond))
        return v; /* critical: its whole CI is beyond that threshold */
    r->beyond_rounds = false;
    return TOOL_UNSTABLE;
}

static int add_row(tool_comparison *c, size_t *cap, tool_cmp_row **row)
{
    if (TACH__GROW(&c->rows, cap, c->nrows + 1, 16) != 0) return -1;
    *row = &c->rows[c->nrows++];
    memset(*row, 0, sizeof **row);
    (*row)->base_median = (*row)->new_median = NAN;
    (*row)->change = (tach__ci){NAN, NAN, NAN};
    (*row)->u = (*row)->p = (*row)->q = NAN;
    (*row)->base_cv = (*row)->new_cv = NAN;
    (*row)->rounds_range = NAN;
    (*row)->run_noise = NAN;
    (*row)->base_cpu_ns = (*row)->new_cpu_ns = (*row)->cpu_change = NAN;
    (*row)->base_preempt = (*row)->new_preempt = NAN;
    (*row)->base_voluntary = (*row)->new_voluntary = NAN;
    (*row)->base_stall_ns = (*row)->new_stall_ns = NAN;
    (*row)->fast_change = NAN;
    (*row)->base_rate = (*row)->new_rate = NAN;
    return 0;
}

/* Thresholds and level targets of a row whose NEW side is cur (may be NULL). */
static int prepare_row(tool_cmp_row *row, const tool_cmp_options *o, const tach__doc *cur,
                       bool counted, tool_cmp_effective *e)
{
    memset(e, 0, sizeof *e);
    if (row->cur) tool_cmp_targets_of(row->cur, e);
    e->noise = o->noise;
    e->critical = o->critical;
    tool_cmp_apply_rules(row->name, o->rules, o->nrules, e);
    row->run_noise = NAN;
    row->asked_noise = e->noise;
    if (o->run_noise && row->base && row->cur) {
        row->run_noise = o->run_noise(row->name, o->run_noise_ctx);
        double k = o->run_noise_k > 0 ? o->run_noise_k : 2.5;
        if (row->run_noise * k > e->noise) e->noise = row->run_noise * k;
    }
    row->noise = e->noise;
    row->critical = e->critical;
    if (!row->cur) return 0;
    int missed = tool_cmp_check_levels(cur, row->cur, counted, e, &row->targets, &row->ntargets);
    if (missed < 0) return -1;
    row->targets_missed = (size_t)missed;
    return 0;
}

/* A row waiting for its estimate, and the regression budget to check after. */
typedef struct pending_row { size_t row; double max_regression_pct; } pending_row;

static int add_pending(pending_row **v, size_t *n, size_t *cap, size_t row, double budget)
{
    if (TACH__GROW(v, cap, *n + 1, 64) != 0) return -1;
    (*v)[(*n)++] = (pending_row){row, budget};
    return 0;
}

/* The estimates are independent (each bootstrap is seeded from the benchmark's
 * name), so workers take rows from a shared counter: the results are the same
 * whatever the number of threads, and a suite of 1,000 benchmarks uses every CPU. */
typedef struct estimate_job {
    tool_comparison *out;
    const pending_row *pending;
    size_t npending;
    const tool_cmp_options *o;
    pthread_mutex_t lock;
    size_t next;
    bool failed;
} estimate_job;

static void *estimate_worker(void *arg)
{
    estimate_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t k = job->next++;
        bool stop = job->failed || k >= job->npending;
        pthread_mutex_unlock(&job->lock);
        if (stop) return NULL;
        if (estimate(&job->out->rows[job->pending[k].row], job->o)) {
            pthread_mutex_lock(&job->lock);
            job->failed = true;
            pthread_mutex_unlock(&job->lock);
        }
    }
}

#define TACH__COMPARE_MAX_THREADS 8

static int estimate_all(tool_comparison *out, const pending_row *pending, size_t npending,
                        const tool_cmp_options *o)
{
    estimate_job job = {out, pending, npending, o, PTHREAD_MUTEX_INITIALIZER, 0, false};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = cpus > 1 ? (size_t)cpus : 1;
    if (nthreads > TACH__COMPARE_MAX_THREADS) nthreads = TACH__COMPARE_MAX_THREADS;
    if (nthreads > npending / 16) nthreads = npending / 16; /* small suites: no threads */
    pthread_t tid[TACH__COMPARE_MAX_THREADS];
    size_t started = 0;
    for (; started + 1 < nthreads; started++)
        if (pthread_create(&tid[started], NULL, estimate_worker, &job) != 0) break;
    estimate_worker(&job); /* this thread works too; fewer threads only means slower */
    for (size_t i = 0; i < started; i++) pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&job.lock);
    return job.failed ? -1 : 0;
}

/* Whether d is a run `tach soak` recorded (its context's "soak", docs/soak.md). */
static bool soak_doc(const tach__doc *d)
{
    if (d->origin) d = d->origin;
    return json_is_object(json_object_get(d->context, "soak"));
}

int tool_compare(const tach__doc *base, const tach__doc *cur, const tool_cmp_options *opt,
                  tool_comparison *out, char *err)
{
    memset(out, 0, sizeof *out);
    tool_cmp_options o;
    if (opt) o = *opt;
    else tool_cmp_options_default(&o);
    if (!base || !cur) return tach__err(err, "compare: a document is missing");
    if (!(o.noise >= 0) || !(o.critical >= 0) || !(o.alpha > 0 && o.alpha < 1) ||
        o.resamples < 1)
        return tach__err(err, "compare: bad options (noise %g, critical %g, alpha %g)", o.noise,
                         o.critical, o.alpha);
    out->noise = o.noise;
    out->critical = o.critical;
    out->alpha = o.alpha;
    out->deterministic = o.deterministic;
    out->metric = o.metric ? o.metric : "wall";
    out->geomean_change = NAN;

    bool counted = tool_doc_counted_instructions(cur); /* NEW's time targets not checked */
    name_ref *cur_refs = index_names(cur), *base_refs = index_names(base);
    bool *matched = cur->nresults ? tach__calloc(cur->nresults, sizeof *matched) : NULL;
    pending_row *pending = NULL;
    size_t npending = 0, pcap = 0;
    if ((cur->nresults && (!cur_refs || !matched)) || (base->nresults && !base_refs)) goto oom;
    size_t cap = 0;

    for (size_t i = 0; i < base->nresults; i++) {
        const tach__result *b = &base->results[i];
        const char *name = b->name ? b->name : "";
        const name_ref *hit = find_name(cur_refs, cur->nresults, name);
        /* A name repeated in BASE: only its first result is compared (the sorted
         * index lists equal names by position, so the first is found first). */
        if (find_name(base_refs, base->nresults, name)->index != i) continue;
        tool_cmp_row *row;
        if (add_row(out, &cap, &row)) goto oom;
        row->name = name;
        row->base = b;
        if (hit) {
            row->cur = &cur->results[hit->index];
            matched[hit->index] = true;
        }
        tool_cmp_effective e;
        if (prepare_row(row, &o, cur, counted, &e)) goto oom;
        if (!row->cur) {
            row->verdict = TOOL_REMOVED;
            if (has_samples(b)) row->base_median = tach__median(b->sample_ns, b->nsamples);
            continue;
        }
        if (row->cur->status != TACH__OK && row->cur->status != TACH__SKIPPED) {
            row->verdict = TOOL_BROKEN;
            if (has_samples(b)) row->base_median = tach__median(b->sample_ns, b->nsamples);
            continue;
        }
        /* NEW's count failed (its counting process crashed or errored): a failure, as a
         * benchmark failed in NEW is; one not counted by design stays incomparable */
        tool_metric m;
        if (!has_samples(row->cur) && o.metric && tool_metric_parse(o.metric, &m) == 0 &&
            (row->count_failed = tool_metric_count_failed(row->cur, m))) {
            row->verdict = TOOL_BROKEN;
            if (has_samples(b)) row->base_median = tach__median(b->sample_ns, b->nsamples);
            continue;
        }
        if (!has_samples(b) || !has_samples(row->cur)) {
            row->verdict = TOOL_INCOMPARABLE;
            if (has_samples(b)) row->base_median = tach__median(b->sample_ns, b->nsamples);
            if (has_samples(row->cur))
                row->new_median = tach__median(row->cur->sample_ns, row->cur->nsamples);
            continue;
        }
        /* a bus latency row (or an open-model load row) offered at other rates: two
         * experiments, not a change */
        if (tool_suite_rates_differ(base, b, cur, row->cur, &row->base_rate, &row->new_rate,
                                    &row->rate_requests)) {
            row->verdict = TOOL_INCOMPARABLE;
            row->base_median = tach__median(b->sample_ns, b->nsamples);
            row->new_median = tach__median(row->cur->sample_ns, row->cur->nsamples);
            continue;
        }
        /* a load row loaded otherwise (other clients, think time, mix of operations or
         * model): two experiments too */
        if ((row->load_differs = tool_load_settings_differ(base, b, cur, row->cur, &row->load_base,
                                                           &row->load_new))) {
            row->verdict = TOOL_INCOMPARABLE;
            row->base_median = tach__median(b->sample_ns, b->nsamples);
            row->new_median = tach__median(row->cur->sample_ns, row->cur->nsamples);
            continue;
        }
        row->soak = soak_doc(base) || soak_doc(cur);
        /* Estimated below, all rows at once (in parallel); the regression budget,
         * which needs the estimate, is checked after. */
        row->verdict = TOOL_UNCHANGED;
        if (add_pending(&pending, &npending, &pcap, out->nrows - 1, e.max_regression_pct)) goto oom;
    }
    for (size_t i = 0; i < cur->nresults; i++) {
        if (matched[i]) continue;
        const tach__result *c = &cur->results[i];
        const char *name = c->name ? c->name : "";
        /* Repeats of a matched or already-added name are not listed twice. */
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++)
            repeated = !strcmp(cur->results[k].name ? cur->results[k].name : "", name);
        if (repeated) continue;
        tool_cmp_row *row;
        if (add_row(out, &cap, &row)) goto oom;
        row->name = name;
        row->cur = c;
        tool_cmp_effective e;
        if (prepare_row(row, &o, cur, counted, &e)) goto oom;
        /* skipped (tach_skip) is not a failure, here as for a benchmark in both */
        row->verdict = c->status == TACH__OK        ? TOOL_ADDED
                       : c->status == TACH__SKIPPED ? TOOL_INCOMPARABLE
                                                    : TOOL_BROKEN;
        if (has_samples(c)) row->new_median = tach__median(c->sample_ns, c->nsamples);
    }

    if (estimate_all(out, pending, npending, &o)) goto oom;
    for (size_t k = 0; k < npending; k++) {
        tool_cmp_row *row = &out->rows[pending[k].row];
        if (tool_cmp_cpu_figures(row, &o)) goto oom;
        /* a change that is no number counts when its CI says where it lies (a rise
         * from 0 ns, a fall to 0 ns), or, a count, its direction does, as its severity
         * does */
        if (!isnan(row->change.value) || row->unbounded_rise ||
            (!isnan(row->change.lo) && !isnan(row->change.hi)) ||
            (o.deterministic && row->base_median != row->new_median))
            out->compared++;
        else
            out->not_estimated++;
        if (pending[k].max_regression_pct > 0) {
            /* Missed when the change is significant (raw p; q is not known yet,
             * and a declared budget is a single, pre-stated hypothesis) and its
             * whole CI exceeds the budget.  A count (a deterministic metric) has no
             * sampling error, hence no test: missed when it grew by more. */
            double limit = pending[k].max_regression_pct / 100.0;
            /* So few samples that no change could be significant (one a side, or 3 and 3
             * whose smallest U-test p is above alpha, ties or not: judge_shift): a
             * slowdown beyond the budget can be neither met nor missed. */
            bool testable = o.deterministic ||
                            (row->base->nsamples >= 2 && row->cur->nsamples >= 2 &&
                             (row->by_rounds || tach__mann_whitney_min_p(row->base->nsamples,
                                                                         row->cur->nsamples) < o.alpha));
            /* (a count grown from 0 has no percentage: beyond any budget) */
            bool missed = o.deterministic
                              ? row->change.value > limit ||
                                    (isnan(row->change.value) && row->new_median > row->base_median)
                              : testable && !isnan(row->p) && row->p < o.alpha &&
                                    (row->unbounded_rise ||
                                     (!isnan(row->change.lo) && row->change.lo > limit));
            if (tool_cmp_add_check(&row->targets, &row->ntargets, "max_regression_pct",
                          pending[k].max_regression_pct, row->change.value * 100.0, !missed))
                goto oom;
            if (!testable && !missed && row->change.value > limit) {
                row->targets[row->ntargets - 1].not_checked = TOOL_NOT_CHECKED_FEW;
                row->targets[row->ntargets - 1].met = false;
            }
            row->targets_missed += missed;
        }
    }
    tach__free(pending);
    pending = NULL;
    /* Complexity and thread-scaling targets, on the rows (summed below). */
    if (tool_fit_targets(base, cur, &o, out)) goto oom;

    /* Benjamini-Hochberg over the compared benchmarks' p-values. */
    if (out->nrows) {
        double *p = tach__malloc(out->nrows * sizeof *p);
        if (!p) goto oom;
        for (size_t i = 0; i < out->nrows; i++) p[i] = out->rows[i].p;
        tach__benjamini_hochberg(p, out->nrows, p);
        for (size_t i = 0; i < out->nrows; i++) out->rows[i].q = p[i];
        tach__free(p);
    }

    double *ratios = out->nrows ? tach__malloc(out->nrows * sizeof *ratios) : NULL;
    if (out->nrows && !ratios) goto oom;
    size_t nratios = 0;
    for (size_t i = 0; i < out->nrows; i++) {
        tool_cmp_row *r = &out->rows[i];
        if (r->cur && r->base && r->verdict != TOOL_BROKEN && r->verdict != TOOL_INCOMPARABLE) {
            r->verdict = judge(r, o.alpha, o.unstable_cv, o.deterministic);
            r->verdict = tool_cmp_unless_waited(r, r->verdict);
            /* A change that is no number (change_na) is as large as its CI's end
             * nearest to 0 when the CI lies on one side of 0. */
            double sv = r->change.value;
            if (isnan(sv)) sv = r->unbounded_rise ? INFINITY : r->change.lo > 0 ? r->change.lo
                               : r->change.hi < 0 ? r->change.hi : NAN;
            /* a count grown from 0 or fallen to 0 (no CI): as far as a change goes */
            if (isnan(sv) && o.deterministic && r->new_median != r->base_median)
                sv = r->new_median > r->base_median ? INFINITY : -1.0;
            r->severity = severity_of(sv, r->noise, r->critical);
            if (r->beyond_rounds) r->severity = TOOL_CRITICAL; /* its whole CI is */
            if ((r->verdict == TOOL_REGRESSED && r->slowed_side == TOOL_SIDE_NEW) ||
                (r->verdict == TOOL_IMPROVED && r->slowed_side == TOOL_SIDE_BASE))
                r->severity = TOOL_CRITICAL; /* only beyond it (judge) */
            if (!isnan(r->change.value)) ratios[nratios++] = 1.0 + r->change.value;
        }
        switch (r->verdict) {
        case TOOL_UNCHANGED: out->unchanged++; break;
        case TOOL_IMPROVED: out->improved++; break;
        case TOOL_REGRESSED:
            out->regressed++;
            if (r->severity == TOOL_CRITICAL) out->regressed_critical++;
            break;
        case TOOL_UNSTABLE: out->unstable++; break;
        case TOOL_ADDED: out->added++; break;
        case TOOL_REMOVED: out->removed++; break;
        case TOOL_BROKEN: out->broken++; break;
        case TOOL_INCOMPARABLE: out->incomparable++; break;
        case TOOL_UNTESTABLE:
            out->untestable++;
            if (tool_cmp_row_untestable_fails(r)) out->untestable_critical++;
            break;
        }
        out->targets_missed += r->targets_missed;
        for (size_t k = 0; k < r->ntargets; k++)
            out->targets_not_checked += r->targets[k].not_checked != NULL;
    }
    if (nratios) out->geomean_change = tach__geomean(ratios, nratios) - 1.0;
    out->geomean_n = nratios;
    tach__free(ratios);

    /* Only a file with every fact the fingerprint hashes (tach's own) has one, the one
     * the store records for it (a file of another tool would hash its missing facts as
     * null and so differ from its own machine's).  Files of different formats carry
     * different facts, so the machines are compared on the facts both carry (a tach run
     * and its own Google Benchmark export are one machine). */
    out->base_fingerprint = tach__env_fingerprint_whole(base->context) ? tach__env_fingerprint(base->context) : NULL;
    out->new_fingerprint = tach__env_fingerprint_whole(cur->context) ? tach__env_fingerprint(cur->context) : NULL;
    out->machine_mismatch = tach__env_same_machine(base->context, cur->context) == 0;
    tach__free(cur_refs);
    tach__free(base_refs);
    tach__free(matched);
    return 0;
oom:
    tach__free(cur_refs);
    tach__free(base_refs);
    tach__free(matched);
    tach__free(pending);
    return tach__err(err, "compare: out of memory");
}

bool tool_comparison_fails(const tool_comparison *c, tool_severity min_severity)
{
    if (c->broken || c->targets_missed) return true;
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i].verdict == TOOL_REGRESSED && c->rows[i].severity >= min_severity)
            return true;
    return false;
}

bool tool_cmp_row_untestable_fails(const tool_cmp_row *r)
{
    /* a rise from 0 ns (no percentage: n/a) is a slowdown beyond any threshold */
    return r->verdict == TOOL_UNTESTABLE &&
           ((!isnan(r->change.value) && r->change.value >= r->critical) ||
            (r->base_median == 0 && r->new_median > 0));
}

size_t tool_comparison_untestable_fails(const tool_comparison *c)
{
    return c->untestable_critical;
}

static const char *rate_text(char *buf, size_t size, double v)
{
    snprintf(buf, size, fabs(v) >= 100 ? "%.0f" : "%.3g", v); /* as the suite tables */
    return buf;
}

bool tool_cmp_loads_differ(const tool_cmp_row *r)
{
    return r->verdict == TOOL_INCOMPARABLE &&
           (r->load_differs || (!isnan(r->base_rate) && !isnan(r->new_rate)));
}

/* How many bytes of s to keep for it to take at most max bytes, "…" (3) included when
 * it is cut: a cut falls between characters, never inside one; *cut says whether. */
static size_t kept_bytes(const char *s, size_t max, bool *cut)
{
    size_t n = strlen(s);
    if ((*cut = n > max)) {
        n = max >= 3 ? max - 3 : 0;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    return n;
}

const char *tool_cmp_rates_text(const tool_cmp_row *r, char *buf, size_t size)
{
    if (!tool_cmp_loads_differ(r)) return NULL;
    if (r->load_differs) {
        const char *x = r->load_base ? r->load_base : "?", *y = r->load_new ? r->load_new : "?";
        int fixed = snprintf(buf, size, "different %s: ", r->load_differs) + 9; /* " against " */
        size_t room = size > (size_t)fixed + 1 ? size - (size_t)fixed - 1 : 0;
        /* each side half the room, and what one leaves the other's: "…" ends a cut one */
        size_t half = room / 2, lx = strlen(x), ly = strlen(y);
        size_t mx = ly < half ? room - ly : lx < half ? lx : half;
        bool cx, cy;
        size_t kx = kept_bytes(x, mx, &cx);
        size_t ky = kept_bytes(y, room - (kx + (cx ? 3 : 0)), &cy);
        snprintf(buf, size, "different %s: %.*s%s against %.*s%s", r->load_differs, (int)kx, x,
                 cx ? "\xe2\x80\xa6" : "", (int)ky, y, cy ? "\xe2\x80\xa6" : "");
        return buf;
    }
    char a[32], b[32];
    snprintf(buf, size, "offered at %s against %s %s", rate_text(a, sizeof a, r->base_rate),
             rate_text(b, sizeof b, r->new_rate), r->rate_requests ? "requests/s" : "msgs/s");
    return buf;
}

const char *tool_cmp_rates_advice(const tool_cmp_row *r)
{
    const char *w = r->load_differs;
    if (w && !strcmp(w, "clients")) return "load both with one --clients";
    if (w && !strcmp(w, "think time")) return "load both with one --think";
    if (w && !strcmp(w, "threads")) return "load both with one --threads";
    if (w && !strcmp(w, "mix")) return "load both with one mix of operations";
    if (w) return "load both with one model: --rate, or --clients";
    return r->rate_requests ? "load both at one --rate" : "give --rate to fix it";
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int set(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

/* Why a row is not testable, as the table's "not testable (1 sample)" says it: a side
 * with one sample (no interval), or so few samples that no change could be significant
 * (too_few); or why it is incomparable when its runs offered different rates.  A JSON
 * string, or null for any other row. */
bool tool_cmp_ci_beyond(const tool_cmp_row *r)
{
    return r && ((!isnan(r->change.lo) && r->change.lo > r->noise) ||
                 (!isnan(r->change.hi) && r->change.hi < -r->noise));
}

static json_t *untestable_why(const tool_cmp_row *r)
{
    char why[512];
    if (r->load_differs && tool_cmp_loads_differ(r)) { /* loaded otherwise: the whole text */
        tach__buf b = {0};
        tach__buf_printf(&b, "different %s: %s against %s: a latency under one load is no change "
                         "from another's; %s", r->load_differs, r->load_base ? r->load_base : "?",
                         r->load_new ? r->load_new : "?", tool_cmp_rates_advice(r));
        char *text = tach__buf_take(&b);
        json_t *v = text ? tach__json_string_lossy(text) : NULL;
        tach__free(text);
        return v;
    }
    if (tool_cmp_rates_text(r, why, sizeof why)) { /* incomparable: the rates offered */
        size_t l = strlen(why);
        snprintf(why + l, sizeof why - l, ": a latency at one rate is no change from another's; %s",
                 r->rate_requests ? "load both at one --rate" : "give --rate");
        return json_string(why);
    }
    if (r->count_failed) { /* failed: NEW's count */
        tach__buf b = {0};
        tach__buf_printf(&b, "NEW: %s", r->count_failed);
        char *text = tach__buf_take(&b);
        json_t *v = text ? tach__json_string_lossy(text) : NULL;
        tach__free(text);
        return v;
    }
    if (r->verdict == TOOL_UNSTABLE && r->not_significant) { /* as compare's note says it */
        char lo[32], hi[32];
        snprintf(lo, sizeof lo, "%+.1f%%", r->change.lo * 100);
        snprintf(hi, sizeof hi, "%+.1f%%", r->change.hi * 100);
        snprintf(why, sizeof why, "not significant (q %.3g): the CI [%s, %s] %s the noise band "
                 "(+-%.3g%%) while the U test, corrected across the benchmarks, does not confirm "
                 "a change: more samples would decide", r->q, lo, hi,
                 tool_cmp_ci_beyond(r) ? "lies beyond" : "reaches past", r->noise * 100);
        return json_string(why);
    }
    if (r->verdict != TOOL_UNTESTABLE || !r->base || !r->cur) return json_null();
    if (r->too_few)
        snprintf(why, sizeof why, "%zu and %zu samples: too few for any change to be significant",
                 r->base->nsamples, r->cur->nsamples);
    else
        snprintf(why, sizeof why, "%zu and %zu samples: one sample on a side gives no interval, "
                 "only the point change", r->base->nsamples, r->cur->nsamples);
    return json_string(why);
}

json_t *tool_comparison_to_json(const tool_comparison *c)
{
    json_t *root = json_object(), *summary = json_object(), *rows = json_array();
    if (!root || !summary || !rows) goto fail;
    int bad = 0;
    bad |= set(root, "metric", json_string(c->metric ? c->metric : "wall"));
    /* The medians' unit: the *_median_ns fields hold times only; every metric's
     * medians are in base_median/new_median, in this unit. */
    tool_metric m = TOOL_METRIC_WALL;
    if (c->metric) (void)tool_metric_parse(c->metric, &m);
    bool in_ns = !strcmp(tool_metric_unit(m), "ns");
    bad |= set(root, "unit", json_string(tool_metric_unit(m)));
    bad |= set(root, "deterministic", json_boolean(c->deterministic));
    bad |= set(root, "noise", tach__json_num(c->noise));
    bad |= set(root, "critical", tach__json_num(c->critical));
    bad |= set(root, "alpha", tach__json_num(c->alpha));
    bad |= set(root, "geomean_change", tach__json_num(c->geomean_change));
    bad |= set(root, "machine_mismatch", json_boolean(c->machine_mismatch));
    bad |= set(root, "base_fingerprint", str_or_null(c->base_fingerprint));
    bad |= set(root, "new_fingerprint", str_or_null(c->new_fingerprint));
    bad |= set(summary, "compared", json_integer((json_int_t)c->compared));
    bad |= set(summary, "improved", json_integer((json_int_t)c->improved));
    bad |= set(summary, "regressed", json_integer((json_int_t)c->regressed));
    bad |= set(summary, "regressed_critical", json_integer((json_int_t)c->regressed_critical));
    bad |= set(summary, "unchanged", json_integer((json_int_t)c->unchanged));
    bad |= set(summary, "unstable", json_integer((json_int_t)c->unstable));
    bad |= set(summary, "added", json_integer((json_int_t)c->added));
    bad |= set(summary, "removed", json_integer((json_int_t)c->removed));
    bad |= set(summary, "failed", json_integer((json_int_t)c->broken));
    bad |= set(summary, "incomparable", json_integer((json_int_t)c->incomparable));
    bad |= set(summary, "untestable", json_integer((json_int_t)c->untestable));
    bad |= set(summary, "targets_missed", json_integer((json_int_t)c->targets_missed));
    bad |= set(summary, "targets_not_checked", json_integer((json_int_t)c->targets_not_checked));
    for (size_t i = 0; i < c->nrows && !bad; i++) {
        const tool_cmp_row *r = &c->rows[i];
        json_t *o = json_object();
        if (json_array_append_new(rows, o)) goto fail; /* steals o, even on failure */
        json_t *t = json_array();
        bad |= set(o, "name", json_string(r->name));
        bad |= set(o, "verdict", json_string(tool_verdict_name(r->verdict)));
        bad |= set(o, "severity", json_string(tool_severity_name(r->severity)));
        bad |= set(o, "base_median", tach__json_num(r->base_median));
        bad |= set(o, "new_median", tach__json_num(r->new_median));
        bad |= set(o, "base_median_ns", tach__json_num(in_ns ? r->base_median : NAN));
        bad |= set(o, "new_median_ns", tach__json_num(in_ns ? r->new_median : NAN));
        bad |= set(o, "change", tach__json_num(r->change.value));
        tach__ci shown = tool_cmp_shown_ci(r);
        bad |= set(o, "change_ci_low", tach__json_num(shown.lo));
        bad |= set(o, "change_ci_high", tach__json_num(shown.hi));
        bad |= set(o, "change_na", r->change_na ? json_string(r->change_na) : json_null());
        bad |= set(o, "p", tach__json_num(r->p));
        bad |= set(o, "q", tach__json_num(r->q));
        bad |= set(o, "base_cv", tach__json_num(r->base_cv));
        bad |= set(o, "new_cv", tach__json_num(r->new_cv));
        bad |= set(o, "noise", tach__json_num(r->noise));
        bad |= set(o, "critical", tach__json_num(r->critical));
        bad |= set(o, "base_rounds", json_integer((json_int_t)r->base_rounds));
        bad |= set(o, "new_rounds", json_integer((json_int_t)r->new_rounds));
        bad |= set(o, "by_rounds", json_boolean(r->by_rounds));
        bad |= set(o, "rounds_disagree", json_boolean(r->rounds_disagree));
        bad |= set(o, "rounds_range", tach__json_num(r->rounds_range));
        bad |= set(o, "run_noise", tach__json_num(r->run_noise));
        bad |= set(o, "runs_differ", json_boolean(r->runs_differ));
        bad |= set(o, "too_few", json_boolean(r->too_few));
        bad |= set(o, "why", untestable_why(r));
        bad |= set(o, "base_rate", tach__json_num(r->base_rate));
        bad |= set(o, "new_rate", tach__json_num(r->new_rate));
        bad |= set(o, "not_significant", json_boolean(r->not_significant));
        bad |= set(o, "beyond_rounds", json_boolean(r->beyond_rounds));
        bad |= set(o, "base_rounds_slow", json_integer((json_int_t)r->base_rounds_slow));
        bad |= set(o, "new_rounds_slow", json_integer((json_int_t)r->new_rounds_slow));
        bad |= set(o, "base_rounds_slowed", json_integer((json_int_t)r->base_rounds_slowed));
        bad |= set(o, "new_rounds_slowed", json_integer((json_int_t)r->new_rounds_slowed));
        bad |= set(o, "slowed_side", r->slowed_side == TOOL_SIDE_BASE  ? json_string("base")
                                     : r->slowed_side == TOOL_SIDE_NEW ? json_string("new")
                                                                       : json_null());
        bad |= set(o, "fast_change", tach__json_num(r->fast_change));
        bad |= set(o, "base_cpu_ns", tach__json_num(r->base_cpu_ns));
        bad |= set(o, "new_cpu_ns", tach__json_num(r->new_cpu_ns));
        bad |= set(o, "cpu_change", tach__json_num(r->cpu_change));
        bad |= set(o, "base_preempt", tach__json_num(r->base_preempt));
        bad |= set(o, "new_preempt", tach__json_num(r->new_preempt));
        bad |= set(o, "base_voluntary", tach__json_num(r->base_voluntary));
        bad |= set(o, "new_voluntary", tach__json_num(r->new_voluntary));
        bad |= set(o, "base_stall_ns", tach__json_num(r->base_stall_ns));
        bad |= set(o, "new_stall_ns", tach__json_num(r->new_stall_ns));
        bad |= set(o, "waited_for_cpu", json_boolean(r->waited_for_cpu));
        bad |= set(o, "targets", t);
        for (size_t k = 0; k < r->ntargets && !bad; k++) {
            json_t *x = json_object();
            if (json_array_append_new(t, x)) goto fail;
            bad |= set(x, "name", json_string(r->targets[k].name));
            bad |= set(x, "limit", tach__json_num(r->targets[k].limit));
            bad |= set(x, "actual", tach__json_num(r->targets[k].actual));
            const char *why = r->targets[k].not_checked; /* neither met nor missed: null */
            bad |= set(x, "met", why ? json_null() : json_boolean(r->targets[k].met));
            bad |= set(x, "not_checked", why ? json_string(why) : json_null());
            if (r->targets[k].invalid) /* only then: an objective that does not parse */
                bad |= set(x, "invalid", json_string(r->targets[k].invalid));
            if (r->targets[k].per_item) /* only then: a complexity fit of time per item */
                bad |= set(x, "per_item", json_true());
        }
    }
    bad |= set(root, "summary", summary);
    summary = NULL;
    bad |= set(root, "benchmarks", rows);
    rows = NULL;
    if (bad) goto fail;
    return root;
fail:
    json_decref(root);
    json_decref(summary);
    json_decref(rows);
    return NULL;
}
