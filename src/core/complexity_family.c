/* complexity_family.c - the families of a results document and their fits (see
 * complexity.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complexity.h"
#include "options.h"

int tach__param_number(const char *value, double *out)
{
    char *end;
    double v;
    if (!value || tach__opt_parse_real(value, &v, &end) != 0) return -1;
    /* k or K, M, G, T (a lower-case m, g or t is no size), then i, then B: the unit as
     * the command line reads it (tach__opt_size_unit: 4k and 1MiB in 1024s, 1MB 10^6) */
    if (*end == 'k' || (*end && strchr("KMGT", *end))) {
        const char *u = end++;
        if (*end == 'i') end++;
        if (*end == 'B') end++;
        uint64_t unit;
        if (tach__opt_size_unit(u, (size_t)(end - u), &unit) != 0) return -1;
        v *= (double)unit;
    }
    if (*end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* A parameter's value as a positive size (a plain number or one with a size suffix,
 * tach__param_number), or NaN. */
static double size_of(const char *v)
{
    double x;
    return (tach__param_number(v, &x) == 0 && x > 0) ? x : NAN;
}

/* A result counted in instruction mode: no time samples, its count per iteration. */
static bool counted(const tach__result *r)
{
    return r->has_instr && !(r->nsamples > 0 && r->sample_ns);
}

static bool usable(const tach__result *r)
{
    return r->status == TACH__OK && r->function &&
           ((r->nsamples > 0 && r->sample_ns) || counted(r));
}

static bool asks_fit(const tach__result *r)
{
    return r->complexity >= TACH_O_1 && r->complexity <= TACH_O_AUTO;
}

static const char *param_value(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, name)) return r->params[i].value;
    return NULL;
}

/* Whether a and b are the same benchmark apart from axis. */
static bool same_family(const tach__result *a, const tach__result *b, const char *axis)
{
    if (strcmp(a->function, b->function) != 0 || counted(a) != counted(b)) return false;
    if ((a->group == NULL) != (b->group == NULL) || (a->group && strcmp(a->group, b->group)))
        return false;
    if (a->nparams != b->nparams) return false;
    for (size_t i = 0; i < a->nparams; i++) {
        if (!strcmp(a->params[i].name, axis)) continue;
        const char *v = param_value(b, a->params[i].name);
        if (!v || strcmp(v, a->params[i].value) != 0) return false;
    }
    return param_value(b, axis) != NULL;
}

/* Whether r asserts a class (TACH_O_1 ... TACH_O_N3, not AUTO). */
static bool asserts(const tach__result *r)
{
    return r->complexity != TACH_O_AUTO && tach__cx_key(r->complexity);
}

/* The size axis of r's function: its first parameter (not "threads") taking at least
 * 3 distinct positive values among the usable results of the function; NULL if none.
 * A function that asserts a class takes its first positive parameter with fewer
 * sizes too: its family is then "not fitted" (the fit says it needs 3 sizes), so that
 * the assertion is seen unchecked rather than silently dropped.  So does one that asks
 * for a fit (TACH_O_AUTO, a TACH_RANGE axis) over two sizes: the fit asked for is not
 * silently missing (one size, as a --filter leaves, is no family). */
static const char *axis_of(const tach__doc *d, const tach__result *r)
{
    const char *fallback = NULL;
    for (size_t p = 0; p < r->nparams; p++) {
        const char *axis = r->params[p].name;
        if (!strcmp(axis, "threads") || isnan(size_of(r->params[p].value))) continue;
        double seen[3];
        size_t nseen = 0;
        bool asserted = false, fit = false;
        for (size_t i = 0; i < d->nresults; i++) {
            const tach__result *o = &d->results[i];
            if (!usable(o) || !same_family(r, o, axis)) continue;
            double s = size_of(param_value(o, axis));
            if (isnan(s)) continue;
            asserted |= asserts(o);
            fit |= asks_fit(o);
            bool dup = false;
            for (size_t k = 0; k < nseen; k++) dup |= seen[k] == s;
            if (!dup && nseen < 3) seen[nseen++] = s;
        }
        if (nseen >= 3) return axis;
        if ((asserted || (fit && nseen == 2)) && !fallback) fallback = axis;
    }
    return fallback;
}

static char *family_name(const tach__result *r, const char *axis)
{
    const char *v = param_value(r, axis);
    if (!v) v = "";
    tach__buf b = {0};
    const char *at = tach__name_param(r->name, axis, v); /* "n=1" is not in "nn=1" */
    if (at) {
        tach__buf_put(&b, r->name, (size_t)(at - r->name));
        tach__buf_printf(&b, "%s=*", axis);
        tach__buf_puts(&b, at + strlen(axis) + 1 + strlen(v));
    } else {
        tach__buf_printf(&b, "%s%s%s/%s=*", r->group ? r->group : "", r->group ? "/" : "",
                         r->function, axis);
    }
    return tach__buf_take(&b);
}

/* items: fitted on time per item when every member sets items (false: per iteration). */
static int fit_family(const tach__doc *d, tach__cx_family *f, uint64_t seed, double noise,
                      bool items)
{
    char err[TACH__ERR_MAX] = "";
    tach__cx_point *pts = tach__calloc(f->nmembers, sizeof *pts);
    double **own = tach__calloc(f->nmembers, sizeof *own);
    int rc = -1;
    if (!pts || !own) goto done;
    f->per_item = items;
    f->counted = counted(&d->results[f->members[0]]); /* a family is all one kind */
    for (size_t i = 0; i < f->nmembers; i++)
        f->per_item &= d->results[f->members[i]].items_per_iter > 0;
    for (size_t i = 0; i < f->nmembers; i++) {
        const tach__result *r = &d->results[f->members[i]];
        pts[i].n = size_of(param_value(r, f->axis));
        /* a count is one exact value: its resamples are all alike, its CIs a point */
        pts[i].nsamples = f->counted ? 1 : r->nsamples;
        pts[i].samples = f->counted ? &r->instr.instructions : r->sample_ns;
        if (f->per_item) {
            if (!(own[i] = tach__malloc(pts[i].nsamples * sizeof **own))) goto done;
            for (size_t k = 0; k < pts[i].nsamples; k++) own[i][k] = pts[i].samples[k] / r->items_per_iter;
            pts[i].samples = own[i];
        }
    }
    /* Resampling one exact value a size draws the same fit every time: one draw gives
     * the class, its share (all of them) and the intervals (the point) that 200 gave. */
    for (size_t i = 0; !f->counted && i < f->nmembers; i++) f->one_sample |= pts[i].nsamples < 2;
    /* A timed size of one sample is the same in every resample, as a count is: one
     * draw, and the shares and intervals it gives are not shown (no confidence). */
    size_t resamples = f->counted || f->one_sample ? 1 : TACH__CX_RESAMPLES;
    if (tach__cx_fit_points(pts, f->nmembers, resamples, seed ^ tach__hash_str(f->name), noise,
                            &f->fit, err) == 0) {
        f->fitted = true;
        if (f->asserted) f->holds = tach__cx_assert(&f->fit, f->asserted, &f->limit);
    } else {
        f->message = tach__strdup(err);
    }
    rc = 0;
done:
    if (own)
        for (size_t i = 0; i < f->nmembers; i++) tach__free(own[i]);
    tach__free(own);
    tach__free(pts);
    return rc;
}

typedef struct sized { double size; size_t index; } sized;
static int cmp_sized(const void *pa, const void *pb)
{
    const sized *a = pa, *b = pb;
    if (a->size != b->size) return (a->size > b->size) - (a->size < b->size);
    return (a->index > b->index) - (a->index < b->index);
}

/* Sorts f's members by size; of two results of one size (a document that merged
 * runs) keeps the first.  -1 when out of memory. */
static int sort_members(const tach__doc *d, tach__cx_family *f)
{
    sized *s = tach__malloc((f->nmembers ? f->nmembers : 1) * sizeof *s);
    if (!s) return -1;
    for (size_t k = 0; k < f->nmembers; k++)
        s[k] = (sized){size_of(param_value(&d->results[f->members[k]], f->axis)), f->members[k]};
    qsort(s, f->nmembers, sizeof *s, cmp_sized);
    size_t w = 0;
    for (size_t k = 0; k < f->nmembers; k++) {
        if (w > 0 && s[k].size == s[w - 1].size) continue;
        s[w++] = s[k];
    }
    for (size_t k = 0; k < w; k++) f->members[k] = s[k].index;
    f->nmembers = w;
    tach__free(s);
    return 0;
}

static int families(const tach__doc *d, uint64_t seed, double noise, bool items,
                    tach__cx_family **out)
{
    *out = NULL;
    size_t n = 0, cap = 0;
    tach__cx_family *v = NULL;
    bool *taken = d->nresults ? tach__calloc(d->nresults, sizeof *taken) : NULL;
    if (d->nresults && !taken) return -1;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (taken[i] || !usable(r)) continue;
        const char *axis = axis_of(d, r);
        if (!axis) continue;
        if (TACH__GROW(&v, &cap, n + 1, 8) != 0) goto oom;
        tach__cx_family *f = &v[n++];
        memset(f, 0, sizeof *f);
        f->axis = tach__strdup(axis);
        f->name = family_name(r, axis);
        f->members = tach__malloc(d->nresults * sizeof *f->members);
        if (!f->axis || !f->name || !f->members) goto oom;
        bool wanted = false;
        for (size_t k = i; k < d->nresults; k++) {
            const tach__result *o = &d->results[k];
            if (taken[k] || !usable(o) || !same_family(r, o, axis)) continue;
            if (isnan(size_of(param_value(o, axis)))) continue;
            taken[k] = true;
            f->members[f->nmembers++] = k;
            if (asserts(o) && !f->asserted) f->asserted = o->complexity;
            wanted |= asks_fit(o);
        }
        if (!wanted) {
            /* No member asks for a fit (an axis that is not a size: levels, modes). */
            tach__free(f->axis);
            tach__free(f->name);
            tach__free(f->members);
            n--;
            continue;
        }
        if (sort_members(d, f) != 0) goto oom;
        if (fit_family(d, f, seed, noise, items) != 0) goto oom;
    }
    tach__free(taken);
    if (n == 0) { /* every family found was dropped: none, and nothing to free */
        tach__free(v);
        v = NULL;
    }
    *out = v;
    return (int)n;
oom:
    tach__free(taken);
    tach__cx_families_free(v, n);
    return -1;
}

int tach__cx_families(const tach__doc *d, uint64_t seed, double noise, tach__cx_family **out)
{
    return families(d, seed, noise, true, out);
}

int tach__cx_families_per_iteration(const tach__doc *d, uint64_t seed, double noise,
                                    tach__cx_family **out)
{
    return families(d, seed, noise, false, out);
}

void tach__cx_families_free(tach__cx_family *f, size_t n)
{
    if (!f) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(f[i].name);
        tach__free(f[i].axis);
        tach__free(f[i].members);
        tach__free(f[i].message);
    }
    tach__free(f);
}
