/*
 * doc_resources.c - what a result costs besides time, in the model and as JSON: the
 * heap accounting of the measured region ("memory", docs/memory.md) and the CPU
 * counters ("counters_hw", docs/counters.md).  doc_json.c calls the writers and the
 * reader here for each result; the worker sends the same objects to its parent.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tach_internal.h"

/* ---- the model -------------------------------------------------------------- */

void tach__memory_clear(tach__memory *m)
{
    if (!m) return;
    tach__free(m->method);
    tach__free(m->unavailable);
    memset(m, 0, sizeof *m);
}

void tach__result_clear_hw(tach__result *r)
{
    for (size_t i = 0; i < r->nhw; i++) tach__free(r->hw[i].name);
    tach__free(r->hw);
    for (size_t i = 0; i < r->nhw_absent; i++) {
        tach__free(r->hw_absent[i].name);
        tach__free(r->hw_absent[i].why);
    }
    tach__free(r->hw_absent);
    r->hw = NULL;
    r->hw_absent = NULL;
    r->nhw = r->nhw_absent = 0;
}

const tach__hwcount *tach__result_hw(const tach__result *r, const char *name)
{
    for (size_t i = 0; r && name && i < r->nhw; i++)
        if (strcmp(r->hw[i].name, name) == 0) return &r->hw[i];
    return NULL;
}

int tach__result_set_hw(tach__result *r, const char *name, double per_iter, bool scaled)
{
    for (size_t i = 0; i < r->nhw; i++)
        if (strcmp(r->hw[i].name, name) == 0) {
            r->hw[i].per_iter = per_iter;
            r->hw[i].scaled = scaled;
            return 0;
        }
    size_t cap = r->nhw;
    char *copy = tach__strdup(name);
    if (!copy || TACH__GROW(&r->hw, &cap, r->nhw + 1, 1) != 0) {
        tach__free(copy);
        return -1;
    }
    r->hw[r->nhw++] = (tach__hwcount){copy, per_iter, scaled};
    return 0;
}

int tach__result_set_hw_absent(tach__result *r, const char *name, const char *why)
{
    char *w = tach__strdup(why ? why : "not available");
    if (!w) return -1;
    for (size_t i = 0; i < r->nhw_absent; i++)
        if (strcmp(r->hw_absent[i].name, name) == 0) {
            tach__free(r->hw_absent[i].why);
            r->hw_absent[i].why = w;
            return 0;
        }
    size_t cap = r->nhw_absent;
    char *copy = tach__strdup(name);
    if (!copy || TACH__GROW(&r->hw_absent, &cap, r->nhw_absent + 1, 1) != 0) {
        tach__free(copy);
        tach__free(w);
        return -1;
    }
    r->hw_absent[r->nhw_absent++] = (tach__hwabsent){copy, w};
    return 0;
}

double tach__doc_spawner_rss_kib(const tach__doc *d)
{
    json_t *v = d ? json_object_get(json_object_get(d->context, "settings"), "spawner_max_rss_kib")
                  : NULL;
    return json_is_number(v) && json_number_value(v) > 0 ? json_number_value(v) : 0;
}

bool tach__result_rss_bound_only(const tach__doc *d, const tach__result *r)
{
    if (r->memory.peak_rss_bytes > 0 || !r->max_rss_kib || !r->nsamples) return false;
    double own = tach__doc_spawner_rss_kib(d);
    return own > 0 && tach__median(r->max_rss_kib, r->nsamples) <= own;
}

double tach__result_peak_rss(const tach__result *r)
{
    if (r->memory.peak_rss_bytes > 0) return r->memory.peak_rss_bytes;
    double top = NAN;
    for (size_t i = 0; r->max_rss_kib && i < r->nsamples; i++)
        if (isfinite(r->max_rss_kib[i]) && !(r->max_rss_kib[i] * 1024.0 <= top))
            top = r->max_rss_kib[i] * 1024.0;
    return top;
}

static double ratio(const tach__result *r, const char *num, const char *den)
{
    const tach__hwcount *a = tach__result_hw(r, num), *b = tach__result_hw(r, den);
    if (!a || !b || !(b->per_iter > 0) || !isfinite(a->per_iter)) return NAN;
    return a->per_iter / b->per_iter;
}

double tach__hw_ipc(const tach__result *r)
{
    return ratio(r, "instructions", "cycles");
}

double tach__hw_branch_miss_rate(const tach__result *r)
{
    return ratio(r, "branch-misses", "branches");
}

double tach__hw_cache_miss_rate(const tach__result *r)
{
    return ratio(r, "cache-misses", "cache-references");
}

static double larger(double a, double b)
{
    if (isnan(a)) return b;
    if (isnan(b)) return a;
    return a > b ? a : b;
}

static int merge_memory(tach__memory *d, const tach__memory *s, bool first)
{
    if (!s->measured && !s->unavailable && !(s->peak_rss_bytes > 0)) return 0;
    if (first || (!d->measured && !d->unavailable)) {
        tach__memory_clear(d);
        *d = *s;
        d->method = s->method ? tach__strdup(s->method) : NULL;
        d->unavailable = s->unavailable ? tach__strdup(s->unavailable) : NULL;
        return (s->method && !d->method) || (s->unavailable && !d->unavailable) ? -1 : 0;
    }
    d->peak_rss_bytes = larger(d->peak_rss_bytes, s->peak_rss_bytes);
    if (!d->measured || !s->measured) return 0; /* unavailable stays unavailable */
    double n0 = d->iterations, n1 = s->iterations, n = n0 + n1;
    if (!(n > 0)) return 0;
    d->allocs_per_iter = (d->allocs_per_iter * n0 + s->allocs_per_iter * n1) / n;
    d->bytes_per_iter = (d->bytes_per_iter * n0 + s->bytes_per_iter * n1) / n;
    d->net_growth_per_iter = (d->net_growth_per_iter * n0 + s->net_growth_per_iter * n1) / n;
    d->peak_bytes = larger(d->peak_bytes, s->peak_bytes);
    d->iterations = n;
    d->leak = d->leak && s->leak;
    return 0;
}

int tach__result_merge_resources(tach__result *dst, const tach__result *src, size_t rounds)
{
    if (merge_memory(&dst->memory, &src->memory, rounds == 0) != 0) return -1;
    for (size_t i = 0; i < src->nhw; i++) {
        const tach__hwcount *c = &src->hw[i], *had = tach__result_hw(dst, c->name);
        double v = c->per_iter;
        bool scaled = c->scaled;
        if (had && rounds > 0) {
            v = (had->per_iter * (double)rounds + v) / (double)(rounds + 1);
            scaled = scaled || had->scaled;
        }
        if (tach__result_set_hw(dst, c->name, v, scaled) != 0) return -1;
    }
    for (size_t i = 0; i < src->nhw_absent; i++)
        if (tach__result_set_hw_absent(dst, src->hw_absent[i].name, src->hw_absent[i].why) != 0)
            return -1;
    return 0;
}

/* ---- writing ------------------------------------------------------------------ */

static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, key, v) != 0) *ok = false;
}

json_t *tach__memory_to_json(const tach__memory *m, bool *ok)
{
    if (!m->measured && !m->unavailable && !(m->peak_rss_bytes > 0)) return NULL;
    json_t *o = json_object();
    if (!o) {
        *ok = false;
        return NULL;
    }
    if (m->measured) {
        put(o, "allocs_per_iter", tach__json_num(m->allocs_per_iter), ok);
        put(o, "bytes_per_iter", tach__json_num(m->bytes_per_iter), ok);
        put(o, "peak_bytes", tach__json_num(m->peak_bytes), ok);
        put(o, "net_growth_per_iter", tach__json_num(m->net_growth_per_iter), ok);
        put(o, "leak", json_boolean(m->leak), ok);
        put(o, "iterations", tach__json_num(m->iterations), ok);
    }
    put(o, "peak_rss_bytes", tach__json_num(m->peak_rss_bytes), ok);
    put(o, "method", m->method ? tach__json_string_lossy(m->method) : json_null(), ok);
    if (m->unavailable) put(o, "unavailable", tach__json_string_lossy(m->unavailable), ok);
    return o;
}

json_t *tach__hw_to_json(const tach__result *r, bool *ok)
{
    if (!r->nhw && !r->nhw_absent) return NULL;
    json_t *o = json_object(), *ev = json_object(), *un = json_object();
    if (!o || !ev || !un) {
        json_decref(o);
        json_decref(ev);
        json_decref(un);
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < r->nhw; i++) {
        json_t *c = json_object();
        if (!c) {
            *ok = false;
            continue;
        }
        put(c, "per_iter", tach__json_num(r->hw[i].per_iter), ok);
        put(c, "scaled", json_boolean(r->hw[i].scaled), ok);
        if (tach__json_set_lossy(ev, r->hw[i].name, c) != 0) *ok = false;
    }
    for (size_t i = 0; i < r->nhw_absent; i++)
        if (tach__json_set_lossy(un, r->hw_absent[i].name,
                                 tach__json_string_lossy(r->hw_absent[i].why)) != 0)
            *ok = false;
    put(o, "events", ev, ok);
    put(o, "unavailable", un, ok);
    /* Derived on writing (only those whose counters are present); checked on reading. */
    struct { const char *key; double v; } der[] = {
        {"ipc", tach__hw_ipc(r)},
        {"branch_miss_rate", tach__hw_branch_miss_rate(r)},
        {"cache_miss_rate", tach__hw_cache_miss_rate(r)}};
    json_t *d = NULL;
    for (size_t k = 0; k < sizeof der / sizeof der[0]; k++) {
        if (!isfinite(der[k].v)) continue;
        if (!d && !(d = json_object())) {
            *ok = false;
            break;
        }
        put(d, der[k].key, json_real(der[k].v), ok);
    }
    if (d) put(o, "derived", d, ok);
    return o;
}

/* ---- reading ------------------------------------------------------------------ */

static int want_object(tach__jpath *p, const json_t *o, const char *key, const json_t **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v) return 0;
    if (!json_is_object(v)) {
        tach__jpath_key(p, key);
        return tach__jpath_expected(p, "an object", v);
    }
    *out = v;
    return 0;
}

/* A number or null (NaN) under key; missing leaves *out alone. */
static int num(tach__jpath *p, const json_t *o, const char *key, double *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v) return 0;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    if (json_is_null(v)) {
        *out = NAN;
        return 0;
    }
    tach__jpath_key(p, key);
    return tach__jpath_expected(p, "a number or null", v);
}

static int str(tach__jpath *p, const json_t *o, const char *key, char **out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) {
        tach__jpath_key(p, key);
        return tach__jpath_expected(p, "a string or null", v);
    }
    tach__free(*out);
    if (!(*out = tach__strdup(json_string_value(v)))) return tach__jpath_fail(p, "out of memory");
    return 0;
}

static int read_memory(tach__jpath *p, const json_t *m, tach__memory *mem)
{
    size_t mark = tach__jpath_key(p, "memory");
    tach__memory_clear(mem);
    mem->peak_rss_bytes = NAN;
    mem->measured = json_object_get(m, "allocs_per_iter") != NULL;
    if (num(p, m, "allocs_per_iter", &mem->allocs_per_iter) ||
        num(p, m, "bytes_per_iter", &mem->bytes_per_iter) ||
        num(p, m, "peak_bytes", &mem->peak_bytes) ||
        num(p, m, "net_growth_per_iter", &mem->net_growth_per_iter) ||
        num(p, m, "peak_rss_bytes", &mem->peak_rss_bytes) ||
        num(p, m, "iterations", &mem->iterations) || str(p, m, "method", &mem->method) ||
        str(p, m, "unavailable", &mem->unavailable))
        return -1;
    const json_t *leak = json_object_get(m, "leak");
    if (leak) {
        if (!json_is_boolean(leak)) {
            tach__jpath_key(p, "leak");
            return tach__jpath_expected(p, "true or false", leak);
        }
        mem->leak = json_is_true(leak);
    }
    tach__jpath_pop(p, mark);
    return 0;
}

static int read_hw(tach__jpath *p, const json_t *h, tach__result *r)
{
    size_t mark = tach__jpath_key(p, "counters_hw");
    const json_t *ev, *un, *der;
    if (want_object(p, h, "events", &ev) || want_object(p, h, "unavailable", &un) ||
        want_object(p, h, "derived", &der))
        return -1;
    tach__result_clear_hw(r);
    const char *k;
    const json_t *v;
    if (ev) {
        size_t m2 = tach__jpath_key(p, "events");
        json_object_foreach((json_t *)ev, k, v) {
            size_t m3 = tach__jpath_key(p, k);
            if (!json_is_object(v)) return tach__jpath_expected(p, "an object", v);
            double x = NAN;
            if (num(p, v, "per_iter", &x)) return -1;
            const json_t *sc = json_object_get(v, "scaled");
            if (sc && !json_is_boolean(sc)) {
                tach__jpath_key(p, "scaled");
                return tach__jpath_expected(p, "true or false", sc);
            }
            if (tach__result_set_hw(r, k, x, json_is_true(sc)) != 0)
                return tach__jpath_fail(p, "out of memory");
            tach__jpath_pop(p, m3);
        }
        tach__jpath_pop(p, m2);
    }
    if (un) {
        size_t m2 = tach__jpath_key(p, "unavailable");
        json_object_foreach((json_t *)un, k, v) {
            if (!json_is_string(v)) {
                tach__jpath_key(p, k);
                return tach__jpath_expected(p, "a string (why)", v);
            }
            if (tach__result_set_hw_absent(r, k, json_string_value(v)) != 0)
                return tach__jpath_fail(p, "out of memory");
        }
        tach__jpath_pop(p, m2);
    }
    if (der) {
        size_t m2 = tach__jpath_key(p, "derived");
        json_object_foreach((json_t *)der, k, v) {
            double x; /* derived on writing: only checked here */
            if (num(p, der, k, &x)) return -1;
        }
        tach__jpath_pop(p, m2);
    }
    tach__jpath_pop(p, mark);
    return 0;
}

int tach__resources_from_json(tach__jpath *p, const json_t *o, tach__result *r)
{
    const json_t *m, *h;
    if (want_object(p, o, "memory", &m) || want_object(p, o, "counters_hw", &h)) return -1;
    if (m && read_memory(p, m, &r->memory) != 0) return -1;
    if (h && read_hw(p, h, r) != 0) return -1;
    return 0;
}
