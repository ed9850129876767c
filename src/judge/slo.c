/* slo.c - the check of an objective against a load run's results (see slo.h; the
 * syntax is src/core/slo_syntax.c). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "slo.h"

static const tach__result *find(const tach__doc *d, const char *name)
{
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && d->results[i].name && !strcmp(d->results[i].name, name))
            return &d->results[i];
    return NULL;
}

/* Of h's values, how many meet the bound (value as a percentile reads it: the top of its
 * bucket, tach__hist_value_at). */
static int64_t within(const tach__hist *h, const tool_slo *s)
{
    int64_t n = 0, v, c;
    size_t i = 0;
    while (tach__hist_next_bucket(h, &i, &v, &c)) {
        int64_t top = tach__hist_highest_equivalent(h, v);
        if (s->cmp == TOOL_SLO_LT ? (double)top < s->value : (double)top <= s->value) n += c;
    }
    return n;
}

/* An upper bound on percentile pct with failed requests: met when at least the
 * percentile's rank of all requests were answered without error within the bound (the
 * failed ones are in the corrected histogram too; L's failed_hdr holds them apart).
 * 1 met, 0 missed (why says how many were answered within it), -1 when L lacks the
 * histograms (a document written before failed_hdr). */
static int answered_within(const json_t *L, const json_t *c, const tool_slo *s, double pct,
                           char *why, size_t size)
{
    const char *all_b64 = json_string_value(json_object_get(c, "hdr"));
    const char *failed_b64 = json_string_value(json_object_get(L, "failed_hdr"));
    if (!all_b64 || !failed_b64) return -1;
    char *e1 = NULL, *e2 = NULL;
    tach__hist *all = tach__hist_decode_b64(all_b64, &e1), *failed = tach__hist_decode_b64(failed_b64, &e2);
    free(e1);
    free(e2);
    int rc = -1;
    int64_t total = all ? tach__hist_count(all) : 0;
    if (all && failed && total > 0) {
        int64_t ok = within(all, s) - within(failed, s);
        /* the rank a percentile reads (tach__hist_value_at: one step below p, as
         * HdrHistogram) */
        double q = nextafter(pct, -INFINITY) / 100.0;
        int64_t need = (int64_t)ceil(q * (double)total);
        if (need < 1) need = 1;
        rc = ok >= need;
        if (!rc && why)
            snprintf(why, size, "%.3g%% of requests were answered without error within the bound, "
                                "fewer than the %.3g%% a %s needs (%.3g%% failed)",
                     100.0 * (double)ok / (double)total, pct, tach__slo_metric_key(s->metric),
                     100.0 * (double)tach__hist_count(failed) / (double)total);
    }
    tach__hist_free(all);
    tach__hist_free(failed);
    return rc;
}

int tool_slo_check(const tool_slo *s, const tach__doc *d, double *measured, char *why,
                   size_t size)
{
    *measured = NAN;
    if (why && size) why[0] = '\0';
    const char *name = s->op[0] ? s->op : "overall";
    const tach__result *r = find(d, name);
    if (!r) {
        if (why) snprintf(why, size, "the run has no operation '%s'", name);
        return -1;
    }
    const json_t *L = r->load;
    const json_t *c = json_object_get(L, "corrected");
    double count = json_number_value(json_object_get(L, "count"));
    if (!(count > 0)) {
        if (why) snprintf(why, size, "no request of '%s' was measured", name);
        return -1;
    }
    double v = NAN;
    switch (s->metric) {
    case TOOL_SLO_MAX: v = json_number_value(json_object_get(c, "max_ns")); break;
    case TOOL_SLO_MEAN: v = json_number_value(json_object_get(c, "mean_ns")); break;
    case TOOL_SLO_RPS: v = json_number_value(json_object_get(L, "rps")); break;
    case TOOL_SLO_ERRORS: v = json_number_value(json_object_get(L, "error_rate")); break;
    default: {
        const json_t *pc = json_object_get(json_object_get(c, "percentiles"), tach__slo_metric_key(s->metric));
        const json_t *val = json_object_get(pc, "value_ns");
        if (json_is_number(val)) v = json_number_value(val);
    }
    }
    *measured = v;
    if (isnan(v)) {
        if (why) snprintf(why, size, "'%s' has no %s", name, tach__slo_metric_key(s->metric));
        return -1;
    }
    if (json_is_true(json_object_get(L, "invalid"))) {
        if (why) snprintf(why, size, "the run is invalid: its latencies are the generator's");
        return 0;
    }
    /* A failed request is not an answer: the throughput objective counts the requests
     * answered without error, and a bound on latency is missed when more requests
     * failed than it leaves out (a p99 leaves 1%; max and mean none) - else a server
     * refusing every connection at once met p99<10ms and rps>=10000. */
    double errors = json_number_value(json_object_get(L, "errors"));
    double failed = errors > 0 ? errors / count : 0;
    if (s->metric == TOOL_SLO_RPS && failed > 0) {
        v *= 1 - failed;
        *measured = v;
        if (why) snprintf(why, size, "requests answered without error (%.3g%% failed)", 100 * failed);
    } else if (s->metric != TOOL_SLO_ERRORS && s->metric != TOOL_SLO_RPS &&
               (s->cmp == TOOL_SLO_LT || s->cmp == TOOL_SLO_LE)) {
        double pct = tach__slo_metric_pct(s->metric); /* 0 for max and mean: they leave none out */
        double leaves = pct > 0 ? 1 - pct / 100 : 0;
        if (failed > leaves + 1e-12) {
            if (why) {
                if (leaves > 0)
                    snprintf(why, size, "%.3g%% of requests failed, more than the %.3g%% a %s leaves",
                             100 * failed, 100 * leaves, tach__slo_metric_key(s->metric));
                else
                    snprintf(why, size, "%.3g%% of requests failed: a failed request is not "
                             "answered within the bound, and a %s leaves none out", 100 * failed,
                             tach__slo_metric_key(s->metric));
            }
            return 0;
        }
        /* Fast failures would pull the percentile below the bound: it is met only when
         * enough requests were answered without error within it. */
        int rc = pct > 0 && failed > 0 ? answered_within(L, c, s, pct, why, size) : -1;
        if (rc >= 0) return rc;
    }
    switch (s->cmp) {
    case TOOL_SLO_LT: return v < s->value;
    case TOOL_SLO_LE: return v <= s->value;
    case TOOL_SLO_GT: return v > s->value;
    default: return v >= s->value;
    }
}

const char *tool_slo_format(const tool_slo *s, double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "n/a");
    else if (s->metric == TOOL_SLO_RPS) snprintf(buf, size, "%.0f/s", v);
    else if (s->metric == TOOL_SLO_ERRORS) snprintf(buf, size, "%.3g%%", 100 * v);
    else tach__fmt_time(v, buf, size);
    return buf;
}

/* The percentile of l that s judges (TOOL_SLO_P50 .. P9999), or NULL (max, mean, rps,
 * errors). */
static const tach__lat_pct *slo_pct(const tool_slo *s, const tach__latency *l)
{
    static const double ps[] = {50, 90, 95, 99, 99.9, 99.99}; /* TOOL_SLO_P50 .. P9999 */
    if (s->metric < TOOL_SLO_P50 || s->metric > TOOL_SLO_P9999) return NULL;
    return tach__lat_find(l, ps[s->metric - TOOL_SLO_P50]);
}

/* The fewest calls whose percentile p has TACH__LAT_THIN of them above it: n - rank,
 * the rank as the histogram counts it (one step below p, rounded up: hist.c). */
static int64_t calls_needed(double p)
{
    double q = nextafter(p, -INFINITY) / 100.0;
    int64_t n = (int64_t)floor(TACH__LAT_THIN / (1 - p / 100.0)) - 2;
    if (n < TACH__LAT_THIN) n = TACH__LAT_THIN;
    while (n - (int64_t)ceil(q * (double)n) < TACH__LAT_THIN) n++;
    return n;
}

int tool_slo_latency_thin(const tool_slo *s, const tach__latency *l, char *why, size_t size)
{
    if (!l || l->too_short) return 0;
    const tach__lat_pct *q = slo_pct(s, l);
    if (!q || (l->count > 0 && !tach__lat_thin(q))) return 0;
    char pn[16];
    tach__lat_pname(q->p, pn, sizeof pn);
    snprintf(why, size, "too few calls for %s: %" PRId64 " call%s, %" PRId64 " above it; it "
             "needs %d above it (%" PRId64 " calls)", pn, l->count, l->count == 1 ? "" : "s",
             l->count > 0 ? q->samples : 0, TACH__LAT_THIN, calls_needed(q->p));
    return 1;
}

int tool_slo_check_latency(const tool_slo *s, const tach__latency *l, double *measured)
{
    *measured = NAN;
    if (!l || l->count <= 0 || l->too_short) return -1;
    double v;
    if (s->metric == TOOL_SLO_MAX) v = l->max;
    else if (s->metric == TOOL_SLO_MEAN) v = l->mean;
    else if (s->metric >= TOOL_SLO_P50 && s->metric <= TOOL_SLO_P9999) {
        const tach__lat_pct *q = slo_pct(s, l);
        if (!q) return -1;
        v = q->value;
    } else {
        return -1;
    }
    *measured = v;
    switch (s->cmp) {
    case TOOL_SLO_LT: return v < s->value;
    case TOOL_SLO_LE: return v <= s->value;
    case TOOL_SLO_GT: return v > s->value;
    default: return v >= s->value;
    }
}
