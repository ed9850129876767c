/* fit_targets.c - the targets that rest on a family or a sweep rather than on one
 * result: the asserted complexity class, the fitted class against the baseline's,
 * parallel efficiency and USL contention (docs/complexity.md, docs/scaling.md).  Each
 * is added as a target check to the row of the family's largest size (the sweep's
 * largest thread count), so `gate`, the tables and the reports treat it as any target. */
#include <fnmatch.h>
#include <math.h>
#include <string.h>

#include "callgrind.h"
#include "compare_internal.h"
#include "complexity.h"
#include "metric.h"
#include "scaling.h"

static bool fnmatch_name(const char *pattern, const char *name)
{
    return fnmatch(pattern, name ? name : "", 0) == 0;
}

/* The rules' complexity class and O(1) threshold for name (later wins). */
static int rule_class(const char *name, const tool_rule *rules, size_t nrules, int own,
                      double *noise)
{
    int c = own;
    for (size_t i = 0; i < nrules; i++) {
        if (!rules[i].pattern || !fnmatch_name(rules[i].pattern, name)) continue;
        if (rules[i].complexity && rules[i].complexity != TACH_O_AUTO) c = rules[i].complexity;
        if (rules[i].complexity_noise > 0) *noise = rules[i].complexity_noise;
    }
    return c;
}

/* The checks found, each for the result it belongs to. */
typedef struct fit_list {
    tool_fit_check *v;
    size_t n, cap;
} fit_list;

static int add(fit_list *l, const tach__result *r, const char *name, double limit, double actual,
               bool met)
{
    if (TACH__GROW(&l->v, &l->cap, l->n + 1, 8) != 0) return -1;
    l->v[l->n++] = (tool_fit_check){r, {name, limit, actual, met, NULL, NULL, NULL, false}};
    return 0;
}

/* A target neither met nor missed: why (TOOL_NOT_CHECKED_*). */
static int add_not_checked(fit_list *l, const tach__result *r, const char *name, double limit,
                           const char *why)
{
    if (add(l, r, name, limit, NAN, false) != 0) return -1;
    l->v[l->n - 1].check.not_checked = why;
    return 0;
}

/* The checks from first on are of a family fitted on time per item (or not). */
static void mark_per_item(fit_list *l, size_t first, bool per_item)
{
    for (size_t i = first; i < l->n; i++) l->v[i].check.per_item = per_item;
}

/* The share of a run's resamples its baseline's class must win for a class that grew
 * not to count as grown (a 5% level, as the comparisons' alpha). */
#define CLASS_KEEP 0.05

/* The fitted class of the base family named name, or 0. */
static int base_class(const tach__cx_family *bf, int nb, const char *name)
{
    for (int i = 0; i < nb; i++)
        if (bf[i].fitted && !strcmp(bf[i].name, name)) return bf[i].fit.cls;
    return 0;
}

/* The document a family's or a sweep's targets are fitted from: a projected document's
 * origin (--metric, metric.h), so that the metric compared changes no target's verdict.
 * A family counted in instruction mode is fitted on its counts there (complexity.h): the
 * projection, whose samples are the metric's values, keeps no asserted class. */
static const tach__doc *measured(const tach__doc *d)
{
    return d && d->origin ? d->origin : d;
}

int tool_fit_checks(const tach__doc *base, const tach__doc *proj, const tool_rule *rules,
                    size_t nrules, tool_fit_check **out, size_t *nout)
{
    fit_list l = {0};
    *out = NULL;
    *nout = 0;
    base = measured(base);
    const tach__doc *cur = measured(proj); /* its results one for one with proj's */
    tach__cx_family *bf = NULL, *cf = NULL;
    tach__scale_sweep *sw = NULL;
    int nb = base ? tach__cx_families(base, TACH__DEFAULT_SEED, 0, &bf) : 0;
    int nc = tach__cx_families(cur, TACH__DEFAULT_SEED, 0, &cf);
    /* A run that counted instructions measured no time: a sweep's efficiency and USL are
     * ratios of times, so its targets are not checked (as its time targets, targets.c).
     * Its sweeps are found in the projection, whose samples are the counts (its results one
     * for one with cur's, their declared targets copied: metric.c). */
    bool counted = tool_doc_counted_instructions(proj);
    int ns = tach__scale_sweeps(counted ? proj : cur, TACH__DEFAULT_SEED, 0, &sw);
    int rc = -1;
    if (nb < 0 || nc < 0 || ns < 0) goto done;
    for (int i = 0; i < nc; i++) {
        tach__cx_family *f = &cf[i];
        size_t first = l.n;
        const tach__result *last = &cur->results[f->members[f->nmembers - 1]];
        double noise = f->fit.noise;
        int want = rule_class(last->name, rules, nrules, f->asserted, &noise);
        if (f->fitted && f->one_sample) {
            /* one sample per size: no interval to check an assertion or a change on */
            int was = base_class(bf, nb, f->name);
            double limit = NAN;
            tach__cx_fit fit = f->fit;
            fit.noise = noise;
            if (want) (void)tach__cx_assert(&fit, want, &limit);
            if ((want && add_not_checked(&l, last, want == TACH_O_1 ? "complexity_o1_growth" : "complexity_exponent",
                                         limit, TOOL_NOT_CHECKED_ONE_SAMPLE)) ||
                (was && f->fit.cls > was &&
                 add_not_checked(&l, last, "complexity_class", was, TOOL_NOT_CHECKED_ONE_SAMPLE)))
                goto done;
            mark_per_item(&l, first, f->per_item);
            continue;
        }
        if (want && f->fitted) {
            double limit;
            tach__cx_fit fit = f->fit;
            fit.noise = noise;
            bool holds = tach__cx_assert(&fit, want, &limit);
            double actual = want == TACH_O_1 ? f->fit.growth.hi : f->fit.exponent.hi;
            if (add(&l, last, want == TACH_O_1 ? "complexity_o1_growth" : "complexity_exponent",
                    limit, actual, holds))
                goto done;
        }
        /* Only a class that grew is a check: the same class is no news on every row.  And
         * only one the resamples agree on: the baseline's class winning at least
         * CLASS_KEEP of them is still a fit of this run (on a flat family, O(log N) wins
         * one resample in seven on a busy machine, and the most-won class can flip). */
        int was = f->fitted ? base_class(bf, nb, f->name) : 0;
        if (was && f->fit.cls > was && f->fit.wins[was] < CLASS_KEEP &&
            add(&l, last, "complexity_class", was, f->fit.cls, false))
            goto done;
        mark_per_item(&l, first, f->per_item);
    }
    for (int i = 0; i < ns; i++) {
        const tach__scale_sweep *s = &sw[i];
        const tach__scale_point *p = &s->points[s->npoints - 1];
        const tach__result *r = &cur->results[p->result];
        double min_eff = s->min_efficiency, max_alpha = s->max_alpha; /* a projection's too */
        for (size_t k = 0; k < nrules; k++) {
            if (!rules[k].pattern || !fnmatch_name(rules[k].pattern, r->name)) continue;
            if (rules[k].min_efficiency > 0) min_eff = rules[k].min_efficiency;
            if (rules[k].max_alpha > 0) max_alpha = rules[k].max_alpha;
        }
        if (counted) {
            if ((min_eff > 0 &&
                 add_not_checked(&l, r, "min_efficiency", min_eff, TOOL_NOT_CHECKED_TIME)) ||
                (max_alpha > 0 && add_not_checked(&l, r, "max_alpha", max_alpha, TOOL_NOT_CHECKED_TIME)))
                goto done;
            continue;
        }
        /* speedup, efficiency and the USL are against N = 1's throughput: without that
         * point (has_one) there are none, and gate says so (as the console's table) */
        if (min_eff > 0) {
            if (add(&l, r, "min_efficiency", min_eff, p->efficiency, p->efficiency >= min_eff))
                goto done;
            if (isnan(p->efficiency) && !s->has_one) l.v[l.n - 1].check.unmeasured = TOOL_UNMEASURED_NO_N1;
        }
        if (max_alpha > 0) {
            if (add(&l, r, "max_alpha", max_alpha, s->fitted ? s->usl.alpha.value : NAN,
                    s->fitted && s->usl.alpha.value <= max_alpha))
                goto done;
            if (!s->fitted) l.v[l.n - 1].check.unmeasured = s->has_one ? TOOL_UNMEASURED_NO_USL : TOOL_UNMEASURED_NO_N1;
        }
    }
    /* A benchmark run at one thread count has no sweep: its scaling targets are shown
     * not checked, not dropped (a gate passing on "no target missed"). */
    for (size_t i = 0; i < cur->nresults; i++) {
        const tach__result *r = &cur->results[i];
        if (!tach__scale_lone(cur, i)) continue;
        double min_eff = r->min_efficiency, max_alpha = r->max_alpha;
        for (size_t k = 0; k < nrules; k++) {
            if (!rules[k].pattern || !fnmatch_name(rules[k].pattern, r->name)) continue;
            if (rules[k].min_efficiency > 0) min_eff = rules[k].min_efficiency;
            if (rules[k].max_alpha > 0) max_alpha = rules[k].max_alpha;
        }
        if ((min_eff > 0 && add_not_checked(&l, r, "min_efficiency", min_eff, TOOL_NOT_CHECKED_ONE_N)) ||
            (max_alpha > 0 && add_not_checked(&l, r, "max_alpha", max_alpha, TOOL_NOT_CHECKED_ONE_N)))
            goto done;
    }
    rc = 0;
done:
    tach__cx_families_free(bf, nb > 0 ? (size_t)nb : 0);
    tach__cx_families_free(cf, nc > 0 ? (size_t)nc : 0);
    tach__scale_sweeps_free(sw, ns > 0 ? (size_t)ns : 0);
    if (rc != 0) {
        tach__free(l.v);
        return -1;
    }
    for (size_t i = 0; i < l.n; i++) /* each check to proj's result */
        l.v[i].result = &proj->results[l.v[i].result - cur->results];
    *out = l.v;
    *nout = l.n;
    return 0;
}

int tool_fit_targets(const tach__doc *base, const tach__doc *cur, const tool_cmp_options *o,
                     tool_comparison *c)
{
    tool_fit_check *v;
    size_t n;
    if (tool_fit_checks(base, cur, o->rules, o->nrules, &v, &n) != 0) return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < c->nrows; k++) {
            tool_cmp_row *row = &c->rows[k];
            if (row->cur != v[i].result) continue;
            const tool_target_check *t = &v[i].check;
            if (tool_cmp_add_check(&row->targets, &row->ntargets, t->name, t->limit, t->actual, t->met)) {
                tach__free(v);
                return -1;
            }
            row->targets[row->ntargets - 1].not_checked = t->not_checked;
            row->targets[row->ntargets - 1].unmeasured = t->unmeasured;
            row->targets[row->ntargets - 1].per_item = t->per_item;
            row->targets_missed += !t->met && !t->not_checked; /* tool_compare sums the rows' */
        }
    tach__free(v);
    return 0;
}
