/* slo.c - the --slo syntax and the check of an objective against a load run's
 * results (see slo.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "options.h"
#include "slo.h"

static const struct {
    const char *name;
    int metric;
    double p; /* percentile, or 0 */
} metrics[] = {
    {"p9999", TOOL_SLO_P9999, 99.99}, {"p999", TOOL_SLO_P999, 99.9}, {"p99", TOOL_SLO_P99, 99},
    {"p95", TOOL_SLO_P95, 95}, {"p90", TOOL_SLO_P90, 90}, {"p50", TOOL_SLO_P50, 50},
    {"max", TOOL_SLO_MAX, 0}, {"mean", TOOL_SLO_MEAN, 0}, {"rps", TOOL_SLO_RPS, 0},
    {"errors", TOOL_SLO_ERRORS, 0}};
#define NMETRICS (sizeof metrics / sizeof *metrics)

static const char *metric_key(int m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (metrics[i].metric == m) return metrics[i].name;
    return "?";
}

static double metric_pct(int m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (metrics[i].metric == m) return metrics[i].p;
    return 0;
}

static int parse_item(const char *item, tool_slo *s, char *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->text, sizeof s->text, "%s", item);
    const char *p = item;
    const char *cmp = strpbrk(item, "<>");
    if (!cmp) return tach__err(err, "'%s' has no < or > (e.g. p99<100ms)", item);
    /* the last ':' before the comparison: an operation's name may hold some (a URL's) */
    const char *colon = NULL;
    for (const char *c = item; c < cmp; c++)
        if (*c == ':') colon = c;
    if (colon && colon < cmp) {
        size_t len = (size_t)(colon - item);
        if (len == 0 || len >= sizeof s->op)
            return tach__err(err, "'%s': the operation before ':' is empty or too long", item);
        memcpy(s->op, item, len);
        s->op[len] = '\0';
        p = colon + 1;
    }
    size_t mlen = (size_t)(cmp - p);
    s->metric = -1;
    for (size_t i = 0; i < NMETRICS; i++)
        if (strlen(metrics[i].name) == mlen && !strncmp(p, metrics[i].name, mlen))
            s->metric = metrics[i].metric;
    if (s->metric < 0)
        return tach__err(err, "'%s': '%.*s' is not p50, p90, p95, p99, p999, p9999, max, mean, "
                              "rps or errors", item, (int)mlen, p);
    p = cmp;
    if (p[0] == '<') s->cmp = p[1] == '=' ? TOOL_SLO_LE : TOOL_SLO_LT;
    else s->cmp = p[1] == '=' ? TOOL_SLO_GE : TOOL_SLO_GT;
    p += p[1] == '=' ? 2 : 1;
    char *end;
    if (s->metric == TOOL_SLO_RPS) {
        double v = strtod(p, &end);
        if (end == p || *end || !isfinite(v) || v < 0)
            return tach__err(err, "'%s': '%s' is not a rate (requests per second)", item, p);
        s->value = v;
    } else if (s->metric == TOOL_SLO_ERRORS) {
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || v < 0 || (*end && strcmp(end, "%")))
            return tach__err(err, "'%s': '%s' is not an error rate (0.1%% or 0.001)", item, p);
        s->value = *end == '%' ? v / 100 : v;
        if (s->value > 1) return tach__err(err, "'%s': an error rate is at most 100%%", item);
    } else {
        double secs;
        if (!isdigit((unsigned char)*p) || tach__opt_parse_duration(p, &secs) != 0 ||
            secs > TACH__OPT_DURATION_MAX) /* 1e300 s: infinite in nanoseconds */
            return tach__err(err, "'%s': '%s' is not a duration (100ms, 250us, 1s)", item, p);
        s->value = secs * 1e9;
    }
    return 0;
}

int tool_slo_parse(const char *expr, tool_slo_list *out, char *err)
{
    const char *p = expr;
    size_t before = out->n;
    bool after_item = false, after_mark = false; /* the last thing seen: an item, a , or ; */
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == ',' || *p == ';') {
            /* items are separated by blanks, or one comma or semicolon: ",a", "a,,b" and "a,"
             * leave an empty objective, refused as --ramp's and --counters' lists are */
            if (!after_item) break;
            after_item = false;
            after_mark = true;
            p++;
            continue;
        }
        if (!*p) break;
        size_t len = strcspn(p, " ,;\t");
        char item[320];
        if (len >= sizeof item) return tach__err(err, "'%.40s...' is too long", p);
        memcpy(item, p, len);
        item[len] = '\0';
        if (TACH__GROW(&out->v, &out->cap, out->n + 1, 8) != 0) return tach__err(err, "out of memory");
        if (parse_item(item, &out->v[out->n], err) != 0) return -1;
        out->n++;
        p += len;
        after_item = true;
        after_mark = false;
    }
    if (*p || after_mark)
        return tach__err(err, "'%s' has an empty objective between separators (e.g. p99<100ms,max<1s)",
                         expr);
    if (out->n == before) return tach__err(err, "'%s' holds no objective (e.g. p99<100ms)", expr);
    return 0;
}

void tool_slo_list_free(tool_slo_list *l)
{
    if (!l) return;
    tach__free(l->v);
    memset(l, 0, sizeof *l);
}

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
                     100.0 * (double)ok / (double)total, pct, metric_key(s->metric),
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
        const json_t *pc = json_object_get(json_object_get(c, "percentiles"), metric_key(s->metric));
        const json_t *val = json_object_get(pc, "value_ns");
        if (json_is_number(val)) v = json_number_value(val);
    }
    }
    *measured = v;
    if (isnan(v)) {
        if (why) snprintf(why, size, "'%s' has no %s", name, metric_key(s->metric));
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
        double pct = metric_pct(s->metric); /* 0 for max and mean: they leave none out */
        double leaves = pct > 0 ? 1 - pct / 100 : 0;
        if (failed > leaves + 1e-12) {
            if (why) {
                if (leaves > 0)
                    snprintf(why, size, "%.3g%% of requests failed, more than the %.3g%% a %s leaves",
                             100 * failed, 100 * leaves, metric_key(s->metric));
                else
                    snprintf(why, size, "%.3g%% of requests failed: none was answered within the bound",
                             100 * failed);
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

int tool_slo_check_latency(const tool_slo *s, const tach__latency *l, double *measured)
{
    *measured = NAN;
    if (!l || l->count <= 0 || l->too_short) return -1;
    static const double ps[] = {50, 90, 95, 99, 99.9, 99.99}; /* TOOL_SLO_P50 .. P9999 */
    double v;
    if (s->metric == TOOL_SLO_MAX) v = l->max;
    else if (s->metric == TOOL_SLO_MEAN) v = l->mean;
    else if (s->metric >= TOOL_SLO_P50 && s->metric <= TOOL_SLO_P9999) {
        const tach__lat_pct *q = tach__lat_find(l, ps[s->metric - TOOL_SLO_P50]);
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
