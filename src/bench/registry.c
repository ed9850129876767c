/* registry.c - registered benchmarks and their expansion over parameter axes. */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "slo_syntax.h"

/* The one global of the library: benchmarks register from constructors, before
 * main, so there is no handle to hang them on. */
static struct {
    const tach_bench_def **defs;
    size_t n, cap;
    size_t refused;        /* definitions tach_register turned down */
    char refused_why[200]; /* why the first of them was */
} registry;

/* Counts a refused definition and keeps the first one's reason; returns -1. */
static int refuse(const char *why, size_t size)
{
    if (registry.refused++ == 0)
        snprintf(registry.refused_why, sizeof registry.refused_why, "%s (struct_size %zu, "
                 "this library's %zu)", why, size, sizeof(tach_bench_def));
    return -1;
}

/* The least struct_size a definition may have: up to and including fn. */
#define DEF_MIN_SIZE (offsetof(tach_bench_def, fn) + sizeof(tach_bench_fn))

int tach_register(const tach_bench_def *def)
{
    /* Only struct_size is read before it is known to be covered. */
    if (!def) return refuse("a NULL definition", 0);
    if (def->struct_size < DEF_MIN_SIZE)
        return refuse("a definition too small for this library: built against another "
                      "tach.h? rebuild the benchmark", def->struct_size);
    if (def->struct_size > sizeof(tach_bench_def))
        return refuse("a definition from a newer tach.h than this library's: link the "
                      "libtach it was built with", def->struct_size);
    if (!def->fn) return refuse("a definition without a function", def->struct_size);
    if (TACH__GROW(&registry.defs, &registry.cap, registry.n + 1, 16) != 0)
        return refuse("out of memory", def->struct_size);
    if (def->struct_size < sizeof(tach_bench_def)) {
        /* An older, smaller definition: the fields it lacks read as 0 from a copy the
         * library keeps for the rest of the process. */
        tach_bench_def *copy = tach__calloc(1, sizeof *copy);
        if (!copy) return refuse("out of memory", def->struct_size);
        memcpy(copy, def, def->struct_size);
        copy->struct_size = sizeof *copy;
        def = copy;
    }
    registry.defs[registry.n++] = def;
    return 0;
}

const char *tach__def_fname(const tach_bench_def *def)
{
    return def->fname && def->fname[0] ? def->fname : "unnamed";
}

size_t tach__registry_refused(const char **why)
{
    if (why) *why = registry.refused ? registry.refused_why : NULL;
    return registry.refused;
}

size_t tach__registry_count(void)
{
    return registry.n;
}

const tach_bench_def *tach__registry_get(size_t i)
{
    return i < registry.n ? registry.defs[i] : NULL;
}

static const char *axis_label(const tach_axis *a)
{
    return a->name ? a->name : "(unnamed)";
}

int tach__axis_values(const tach_axis *a, int64_t **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    size_t count = 0;
    switch (a->kind) {
    case TACH_AXIS_LIST:
        if (!a->values || a->nvalues == 0)
            return tach__err(err, "axis '%s': a list needs at least one value", axis_label(a));
        if (a->nvalues > TACH__MAX_AXIS_VALUES)
            return tach__err(err, "axis '%s': %zu values, more than %d", axis_label(a),
                             a->nvalues, TACH__MAX_AXIS_VALUES);
        count = a->nvalues;
        break;
    case TACH_AXIS_RANGE: {
        if (a->lo < 1 || a->hi < a->lo || a->step < 2)
            return tach__err(err,
                             "axis '%s': a range needs 1 <= lo <= hi and multiplier >= 2 "
                             "(got lo=%" PRId64 " hi=%" PRId64 " multiplier=%" PRId64 ")",
                             axis_label(a), a->lo, a->hi, a->step);
        int64_t v = a->lo;
        count = 1; /* lo */
        while (v <= a->hi / a->step && v * a->step < a->hi) {
            v *= a->step;
            count++;
        }
        if (v != a->hi) count++; /* hi itself */
        break;
    }
    case TACH_AXIS_DENSE: {
        if (a->hi < a->lo || a->step < 1)
            return tach__err(err,
                             "axis '%s': a dense range needs lo <= hi and step >= 1 "
                             "(got lo=%" PRId64 " hi=%" PRId64 " step=%" PRId64 ")",
                             axis_label(a), a->lo, a->hi, a->step);
        uint64_t span = (uint64_t)a->hi - (uint64_t)a->lo;
        uint64_t c = span / (uint64_t)a->step + 1;
        if (c > TACH__MAX_AXIS_VALUES)
            return tach__err(err, "axis '%s': %" PRIu64 " values, more than %d",
                             axis_label(a), c, TACH__MAX_AXIS_VALUES);
        count = (size_t)c;
        break;
    }
    default:
        return tach__err(err, "axis '%s': unknown kind %d", axis_label(a), (int)a->kind);
    }

    int64_t *v = tach__malloc(count * sizeof *v);
    if (!v) return tach__err(err, "out of memory");
    if (a->kind == TACH_AXIS_LIST) {
        memcpy(v, a->values, count * sizeof *v);
    } else if (a->kind == TACH_AXIS_RANGE) {
        size_t k = 0;
        int64_t x = a->lo;
        v[k++] = x;
        while (x <= a->hi / a->step && x * a->step < a->hi) {
            x *= a->step;
            v[k++] = x;
        }
        if (x != a->hi) v[k++] = a->hi;
    } else {
        for (size_t k = 0; k < count; k++) v[k] = a->lo + (int64_t)k * a->step;
    }
    *out = v;
    *n = count;
    return 0;
}

/* The parameter an axis gives in the results: its name, "arg" when it has none. */
static const char *axis_name(const tach_axis *a)
{
    return a->name ? a->name : "arg";
}

/* Appends one zeroed instance; NULL on allocation failure. */
static tach__instance *push_instance(tach__instance **list, size_t *n)
{
    tach__instance *l = tach__realloc(*list, (*n + 1) * sizeof *l);
    if (!l) return NULL;
    *list = l;
    memset(&l[*n], 0, sizeof l[*n]);
    return &l[(*n)++];
}

/* group/function/p1=v1/...; NULL on allocation failure. */
char *tach__instance_name(const tach_bench_def *def, const tach__instance *in)
{
    const char *fname = tach__def_fname(def);
    size_t cap = 64 + (def->group ? strlen(def->group) : 0) + strlen(fname);
    for (size_t i = 0; i < TACH_MAX_AXES; i++)
        if (in->arg_names[i]) cap += strlen(in->arg_names[i]) + 24;
    char *s = tach__malloc(cap);
    if (!s) return NULL;
    size_t len = 0;
    if (def->group && def->group[0])
        len += (size_t)snprintf(s + len, cap - len, "%s/", def->group);
    len += (size_t)snprintf(s + len, cap - len, "%s", fname);
    for (size_t i = 0; i < TACH_MAX_AXES; i++) {
        if (!in->arg_names[i]) continue;
        len += (size_t)snprintf(s + len, cap - len, "/%s=%" PRId64, in->arg_names[i],
                                in->args[i]);
    }
    if (in->nthreads > 0) snprintf(s + len, cap - len, "/threads=%d", in->nthreads);
    return s;
}

int tach__expand(const tach_bench_def *def, tach__instance **list, size_t *n, char *err)
{
    int64_t *vals[TACH_MAX_AXES] = {0};
    size_t nvals[TACH_MAX_AXES] = {0};
    size_t naxes = 0;
    char axis_err[TACH__ERR_MAX] = "";
    int rc = 0;

    for (size_t i = 0; i < TACH_MAX_AXES; i++) {
        if (def->args[i].kind == TACH_AXIS_NONE) continue;
        naxes++;
        if (tach__axis_values(&def->args[i], &vals[i], &nvals[i], axis_err) != 0) break;
    }
    /* The full name is group/function/name=value/...: an axis named "", "a/b" or "a=b"
     * gives one that cannot be read back apart ("f/=1", "f/a/b=1"), nor its family. */
    for (size_t i = 0; i < TACH_MAX_AXES && !axis_err[0]; i++) {
        const char *name = vals[i] ? def->args[i].name : NULL;
        if (name && !name[0])
            tach__err(axis_err, "axis %zu has an empty name: name it, or leave it unnamed "
                      "('arg')", i + 1);
        else if (name && strpbrk(name, "/="))
            tach__err(axis_err, "axis %zu is named '%s': a '%c' in an axis's name makes a full "
                      "name (group/function/name=value) that cannot be read back: name it "
                      "otherwise", i + 1, name, *strpbrk(name, "/="));
    }
    /* Two axes of one name would be one parameter in the results (the second's value
     * over the first's): instances that differ, with the same parameters. */
    for (size_t i = 0; i < TACH_MAX_AXES && !axis_err[0]; i++)
        for (size_t j = i + 1; j < TACH_MAX_AXES && vals[i] && !axis_err[0]; j++)
            if (vals[j] && !strcmp(axis_name(&def->args[i]), axis_name(&def->args[j])))
                tach__err(axis_err, "axes %zu and %zu are both named '%s': name each axis "
                          "once", i + 1, j + 1, axis_name(&def->args[i]));
    /* Objectives that do not parse would be found out only by a later `tach gate`
     * (and the run said ok): a bad definition, refused here as a bad axis is. */
    if (!axis_err[0] && def->slo && def->slo[0]) {
        tach__slo_list l = {0};
        char why[TACH__ERR_MAX];
        if (tach__slo_parse(def->slo, &l, why) != 0) tach__err(axis_err, ".slo: %s", why);
        tach__slo_list_free(&l);
    }
    /* A class that is none of TACH_O_* would be neither fitted nor checked, the run said
     * ok: as bad a definition as objectives that do not parse. */
    if (!axis_err[0] && (def->complexity < TACH_O_NONE || def->complexity > TACH_O_AUTO))
        tach__err(axis_err, ".complexity: %d is not a class (TACH_O_1 ... TACH_O_N3, or "
                  "TACH_O_AUTO)", def->complexity);
    /* A target below 0 (but a memory target, where it means zero: TACH_ZERO) or NaN is
     * no target anyone can mean; it was taken for none, silently. */
    if (!axis_err[0]) {
        const struct { const char *name; double v; bool neg_ok; } t[] = {
            {"max_mean_ns", def->max_mean_ns, false},
            {"max_median_ns", def->max_median_ns, false},
            {"max_p99_ns", def->max_p99_ns, false},
            {"min_bytes_per_sec", def->min_bytes_per_sec, false},
            {"min_items_per_sec", def->min_items_per_sec, false},
            {"max_regression_pct", def->max_regression_pct, false},
            {"max_allocs_per_iter", def->max_allocs_per_iter, true},
            {"max_bytes_per_iter", def->max_bytes_per_iter, true},
            {"max_peak_bytes", def->max_peak_bytes, true},
            {"min_efficiency", def->min_efficiency, false},
            {"max_alpha", def->max_alpha, false}};
        for (size_t i = 0; i < sizeof t / sizeof t[0] && !axis_err[0]; i++)
            if (isnan(t[i].v) || (t[i].v < 0 && !t[i].neg_ok))
                tach__err(axis_err, ".%s: %g is not a target (0 or left out: none)", t[i].name,
                          t[i].v);
    }
    /* Each axis within the limit, their product need not be: four of 1000 values would
     * be 10^12 instances, allocated until memory ran out. */
    size_t product = 1;
    for (size_t i = 0; i < TACH_MAX_AXES && !axis_err[0]; i++) {
        if (!vals[i]) continue;
        if (nvals[i] > TACH__MAX_AXIS_VALUES / product)
            tach__err(axis_err, "the axes' product: more than %d combinations", TACH__MAX_AXIS_VALUES);
        else
            product *= nvals[i];
    }

    if (axis_err[0]) {
        tach__instance *in = push_instance(list, n);
        if (!in) { rc = tach__err(err, "out of memory"); goto done; }
        in->def = def;
        in->error = tach__strdup(axis_err);
        in->name = tach__instance_name(def, in);
        if (!in->error || !in->name) rc = tach__err(err, "out of memory");
        goto done;
    }

    /* Odometer over the axes in use, the last fastest (first axis outermost). */
    size_t used[TACH_MAX_AXES], m = 0, idx[TACH_MAX_AXES] = {0};
    for (size_t i = 0; i < TACH_MAX_AXES; i++)
        if (vals[i]) used[m++] = i;
    /* all of them at once: growing by one per instance copied the list each time */
    tach__instance *grown = tach__realloc(*list, (*n + product) * sizeof *grown);
    if (!grown) { rc = tach__err(err, "out of memory"); goto done; }
    *list = grown;
    for (;;) {
        tach__instance *in = &grown[(*n)++];
        memset(in, 0, sizeof *in);
        in->def = def;
        in->naxes = naxes;
        for (size_t k = 0; k < m; k++) {
            size_t a = used[k];
            in->args[a] = vals[a][idx[k]];
            in->arg_names[a] = axis_name(&def->args[a]);
        }
        in->name = tach__instance_name(def, in);
        if (!in->name) { rc = tach__err(err, "out of memory"); goto done; }

        size_t k = m;
        while (k > 0 && ++idx[k - 1] == nvals[used[k - 1]]) {
            idx[k - 1] = 0;
            k--;
        }
        if (k == 0) break;
    }
done:
    for (size_t i = 0; i < TACH_MAX_AXES; i++) tach__free(vals[i]);
    return rc;
}

void tach__instances_free(tach__instance *list, size_t n)
{
    if (!list) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(list[i].name);
        tach__free(list[i].error);
    }
    tach__free(list);
}
