/*
 * latency.c - the latency block of a result: its histogram, the percentiles computed
 * from it, merging, the too-short judgement, and its JSON form.
 */
#include "latency.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const double tach__lat_ps[TACH__LAT_NPCT] = {50, 90, 95, 99, 99.9, 99.99};

tach__latency *tach__latency_new(void)
{
    tach__latency *l = tach__calloc(1, sizeof *l);
    if (!l) return NULL;
    l->hist = tach__hist_new_default();
    if (!l->hist) {
        tach__free(l);
        return NULL;
    }
    tach__latency_finish(l);
    return l;
}

void tach__latency_free(tach__latency *l)
{
    if (!l) return;
    tach__hist_free(l->hist);
    tach__free(l->note);
    tach__free(l);
}

void tach__latency_finish(tach__latency *l)
{
    const tach__hist *h = l->hist;
    l->count = tach__hist_count(h);
    l->min = (double)tach__hist_min(h);
    l->max = (double)tach__hist_max(h);
    l->mean = tach__hist_mean(h);
    l->stddev = tach__hist_stddev(h);
    for (size_t k = 0; k < TACH__LAT_NPCT; k++) {
        tach__lat_pct *q = &l->pct[k];
        int64_t lo, hi, tail;
        q->p = tach__lat_ps[k];
        q->value = (double)tach__hist_value_at(h, q->p);
        tach__hist_percentile_ci(h, q->p, &lo, &hi, &tail);
        q->lo = (double)lo;
        q->hi = hi < 0 ? INFINITY : (double)hi; /* no sample bounds it: see hist.h */
        q->samples = tail;
    }
}

int tach__latency_merge(tach__latency *dst, const tach__latency *src)
{
    dst->lost += src->lost + tach__hist_merge(dst->hist, src->hist);
    /* the cheapest clock any part measured is the truest (a busy moment only ever
     * makes reads look dearer); judged again on the merged histogram */
    double cost = dst->clock_cost_ns;
    if (src->clock_cost_ns > 0 && (!(cost > 0) || src->clock_cost_ns < cost)) cost = src->clock_cost_ns;
    if (cost > 0) {
        dst->too_short = false;
        tach__free(dst->note);
        dst->note = NULL;
        tach__latency_judge(dst, cost);
        return 0;
    }
    dst->too_short = dst->too_short || src->too_short;
    if (!dst->note && src->note && !(dst->note = tach__strdup(src->note))) return -1;
    tach__latency_finish(dst);
    return 0;
}

void tach__latency_judge(tach__latency *l, double clock_cost_ns)
{
    tach__latency_finish(l);
    if (!(clock_cost_ns > 0)) return;
    l->clock_cost_ns = clock_cost_ns;
    if (l->count == 0) return;
    double median = l->pct[0].value;
    if (median >= TACH__LAT_MIN_CLOCK_COSTS * clock_cost_ns) return;
    char msg[256];
    snprintf(msg, sizeof msg,
             "too short to time one call at a time: the median call (%.0f ns) is below %.0f "
             "reads of the clock (%.1f ns each); percentiles would be the timer's noise",
             median, TACH__LAT_MIN_CLOCK_COSTS, clock_cost_ns);
    char *n = tach__strdup(msg);
    if (!n) return;
    tach__free(l->note);
    l->note = n;
    l->too_short = true;
}

const char *tach__lat_pname(double p, char *buf, size_t size)
{
    snprintf(buf, size, "p%g", p);
    return buf;
}

const tach__lat_pct *tach__lat_find(const tach__latency *l, double p)
{
    for (size_t k = 0; k < TACH__LAT_NPCT; k++)
        if (fabs(l->pct[k].p - p) < 1e-9) return &l->pct[k];
    return NULL;
}

/* ---- JSON ------------------------------------------------------------------ */

/* A real, or null for NaN/infinity (doc_json.c's rule, kept here so that this file
 * does not depend on the document's JSON, which depends on it). */
static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (!v || json_object_set_new(o, key, v) != 0) *ok = false;
}

json_t *tach__latency_to_json(const tach__latency *l)
{
    bool ok = true;
    json_t *o = json_object();
    if (!o) return NULL;
    put(o, "unit", json_string("ns"), &ok);
    put(o, "count", json_integer(l->count), &ok);
    if (l->lost) put(o, "lost", json_integer(l->lost), &ok);
    put(o, "min", num(l->min), &ok);
    put(o, "max", num(l->max), &ok);
    put(o, "mean", num(l->mean), &ok);
    put(o, "stddev", num(l->stddev), &ok);
    json_t *arr = json_array();
    /* too short: the histogram is kept, but no percentile is presented as real */
    for (size_t k = 0; arr && !l->too_short && l->count && k < TACH__LAT_NPCT; k++) {
        const tach__lat_pct *q = &l->pct[k];
        json_t *e = json_object(), *ci = json_array();
        if (!e || !ci) {
            json_decref(e);
            json_decref(ci);
            ok = false;
            break;
        }
        if (json_array_append_new(ci, num(q->lo)) ||
            json_array_append_new(ci, num(q->hi)))
            ok = false;
        put(e, "p", json_real(q->p), &ok);
        put(e, "value", num(q->value), &ok);
        put(e, "ci", ci, &ok);
        put(e, "samples", json_integer(q->samples), &ok);
        put(e, "thin", json_boolean(tach__lat_thin(q)), &ok);
        if (json_array_append_new(arr, e)) ok = false;
    }
    put(o, "percentiles", arr, &ok);
    if (l->too_short) put(o, "too_short", json_true(), &ok);
    if (l->clock_cost_ns > 0) put(o, "clock_cost_ns", json_real(l->clock_cost_ns), &ok);
    if (l->note) {
        json_t *n = json_string(l->note); /* NULL when not UTF-8 */
        put(o, "note", n ? n : json_null(), &ok);
    }
    char *err = NULL;
    char *b64 = tach__hist_encode_b64(l->hist, &err);
    if (!b64) {
        tach__free(err);
        ok = false;
    } else {
        put(o, "hist", json_string(b64), &ok);
        tach__free(b64);
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Fails: names the key (or NULL for the object) and says what. */
static int fail(const char **key, const char *k, char *msg, size_t size, const char *what)
{
    *key = k;
    snprintf(msg, size, "%s", what);
    return -1;
}

int tach__latency_from_json(const json_t *o, tach__latency **out, const char **key, char *msg,
                            size_t msgsize)
{
    *out = NULL;
    *key = NULL;
    if (!json_is_object(o)) return fail(key, NULL, msg, msgsize, "expected an object");
    const json_t *unit = json_object_get(o, "unit");
    if (unit && (!json_is_string(unit) || strcmp(json_string_value(unit), "ns") != 0))
        return fail(key, "unit", msg, msgsize, "expected \"ns\"");
    const json_t *hj = json_object_get(o, "hist");
    if (!json_is_string(hj))
        return fail(key, "hist", msg, msgsize, "expected a string (the V2 histogram, base64)");
    char *herr = NULL;
    tach__hist *h = tach__hist_decode_b64(json_string_value(hj), &herr);
    if (!h) {
        fail(key, "hist", msg, msgsize, herr ? herr : "bad histogram");
        tach__free(herr);
        return -1;
    }
    tach__latency *l = tach__calloc(1, sizeof *l);
    if (!l) {
        tach__hist_free(h);
        return fail(key, NULL, msg, msgsize, "out of memory");
    }
    l->hist = h;
    const json_t *v;
    if ((v = json_object_get(o, "lost")) && json_is_integer(v) && json_integer_value(v) > 0)
        l->lost = json_integer_value(v);
    l->too_short = json_is_true(json_object_get(o, "too_short"));
    if ((v = json_object_get(o, "clock_cost_ns")) && json_is_number(v))
        l->clock_cost_ns = json_number_value(v);
    if ((v = json_object_get(o, "note")) && json_is_string(v) &&
        !(l->note = tach__strdup(json_string_value(v)))) {
        tach__latency_free(l);
        return fail(key, NULL, msg, msgsize, "out of memory");
    }
    tach__latency_finish(l);
    const json_t *cnt = json_object_get(o, "count");
    if (cnt && (!json_is_integer(cnt) || json_integer_value(cnt) != l->count)) {
        char what[128];
        snprintf(what, sizeof what, "does not match the histogram's %lld values", (long long)l->count);
        tach__latency_free(l);
        return fail(key, "count", msg, msgsize, what);
    }
    *out = l;
    return 0;
}
