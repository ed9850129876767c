/* slo_syntax.c - the --slo syntax of latency objectives (see slo_syntax.h): read by the
 * library, which refuses a benchmark whose .slo does not parse, and by the tool
 * (src/judge/slo.c), which checks the objectives against results. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "slo_syntax.h"

static const struct {
    const char *name;
    int metric;
    double p; /* percentile, or 0 */
} metrics[] = {
    {"p9999", TACH__SLO_P9999, 99.99}, {"p999", TACH__SLO_P999, 99.9}, {"p99", TACH__SLO_P99, 99},
    {"p95", TACH__SLO_P95, 95}, {"p90", TACH__SLO_P90, 90}, {"p50", TACH__SLO_P50, 50},
    {"max", TACH__SLO_MAX, 0}, {"mean", TACH__SLO_MEAN, 0}, {"rps", TACH__SLO_RPS, 0},
    {"errors", TACH__SLO_ERRORS, 0},
    /* as the summaries head their columns: after the names above, which stay the keys */
    {"p99.99", TACH__SLO_P9999, 99.99}, {"p99.9", TACH__SLO_P999, 99.9}};
#define NMETRICS (sizeof metrics / sizeof *metrics)

const char *tach__slo_metric_key(int m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (metrics[i].metric == m) return metrics[i].name;
    return "?";
}

double tach__slo_metric_pct(int m)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (metrics[i].metric == m) return metrics[i].p;
    return 0;
}

/* A bound written above 0 but too close to 0 for a double ("1e-400s",
 * tach__opt_parse_real's -3): neither 0, which p99<=0 asks for, nor the bound meant. */
static int too_small(const char *item, const char *bound, char *err)
{
    return tach__err(err, "'%s': '%s' is too small, closer to 0 than a number holds (write 0 "
                          "for 0)", item, bound);
}

/* A bound written with a minus sign that is otherwise one of metric's ("-1ms", "-5",
 * "-1%", "-1e400"): negative, said so, not "not a duration" (the sign is the only thing
 * wrong).  "-0" is 0, not negative. */
static bool negative_bound(int metric, const char *p)
{
    double v = 0;
    char *end = (char *)"";
    int pr = metric == TACH__SLO_RPS || metric == TACH__SLO_ERRORS ? tach__opt_parse_real(p, &v, &end)
                                                                   : tach__opt_parse_duration(p, &v);
    if (*p != '-' || (pr != 0 && pr != -2 && pr != -3)) return false;
    if (*end && !(metric == TACH__SLO_ERRORS && !strcmp(end, "%"))) return false;
    return pr != 0 || v < 0;
}

static int parse_item(const char *item, tach__slo *s, bool stored, char *err)
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
        return tach__err(err, "'%s': '%.*s' is not p50, p90, p95, p99, p999 (p99.9), "
                              "p9999 (p99.99), max, mean, "
                              "rps or errors", item, (int)mlen, p);
    p = cmp;
    if (p[0] == '<') s->cmp = p[1] == '=' ? TACH__SLO_LE : TACH__SLO_LT;
    else s->cmp = p[1] == '=' ? TACH__SLO_GE : TACH__SLO_GT;
    p += p[1] == '=' ? 2 : 1;
    if (negative_bound(s->metric, p))
        return tach__err(err, "'%s': '%s' is negative: %s", item, p,
                         s->metric == TACH__SLO_RPS      ? "a rate is 0 or more (requests per second)"
                         : s->metric == TACH__SLO_ERRORS ? "an error rate is 0 or more (0.1% or 0.001)"
                                                         : "a duration is 0 or more (100ms, 250us, 1s)");
    char *end;
    if (s->metric == TACH__SLO_RPS) {
        double v = NAN; /* decimal, as every number tach reads: no 0x1p3 */
        int pr = tach__opt_parse_real(p, &v, &end);
        if (pr == -3) return too_small(item, p, err);
        if (pr == -2 && !*end && v > 0) /* "1e400": a rate, beyond a double */
            return tach__err(err, "'%s': '%s' is too large, further from 0 than a number holds "
                                  "(requests per second)", item, p);
        if (pr != 0 || *end || v < 0)
            return tach__err(err, "'%s': '%s' is not a rate (requests per second)", item, p);
        s->value = v;
    } else if (s->metric == TACH__SLO_ERRORS) {
        double v = NAN;
        int pr = tach__opt_parse_real(p, &v, &end);
        if (pr == -3 && (!*end || !strcmp(end, "%"))) return too_small(item, p, err);
        /* "1e400%": a number beyond a double, above 100% as any above 100 is (below, -2
         * keeps "not an error rate" as every number below 0 does) */
        if ((pr != 0 && !(pr == -2 && v > 0)) || v < 0 || (*end && strcmp(end, "%")))
            return tach__err(err, "'%s': '%s' is not an error rate (0.1%% or 0.001)", item, p);
        s->value = *end == '%' ? v / 100 : v;
        /* a bare number is a fraction, so errors<1 is "not all failed", met by nearly every
         * run: one written as a percentage without its %, as 1 for 1%, is refused as a
         * duration without its unit is (a stored one is read as it was meant) */
        if (!stored && *end != '%' && v >= 1)
            return tach__err(err, "'%s': '%s' is a fraction of the requests (1 is all of them): "
                                  "write %.*s%s%% for a percentage (or a fraction below 1, as "
                                  "0.01 for 1%%)", item, p, (int)(p - item), item, p);
        if (s->value > 1) return tach__err(err, "'%s': an error rate is at most 100%%", item);
    } else {
        double secs;
        if (!stored && tach__slo_bound_unitless(p))
            return tach__err(err, "'%s': '%s' has no unit, which would be seconds: write it with "
                                  "one, as %.*s%sms (or us, s)", item, p, (int)(p - item), item, p);
        /* "-0ms" is 0, as "-0" is for a rate (any other sign was refused above) */
        const char *q = *p == '-' && isdigit((unsigned char)p[1]) ? p + 1 : p;
        int pd = isdigit((unsigned char)*q) ? tach__opt_parse_duration(q, &secs) : -1;
        if (pd == -3) return too_small(item, p, err);
        /* "1e300s" (infinite in nanoseconds), "1e400s": a duration, only too long */
        if (pd == -2 || (pd == 0 && secs > TACH__OPT_DURATION_MAX))
            return tach__err(err, "'%s': '%s' is too large, expected a duration of at most %.0f s "
                                  "(100ms, 250us, 1s)", item, p, TACH__OPT_DURATION_MAX);
        if (pd != 0)
            return tach__err(err, "'%s': '%s' is not a duration (100ms, 250us, 1s)", item, p);
        s->value = secs * 1e9;
    }
    /* every figure is 0 or more: below 0 is an objective no run meets, a typo for <= 0
     * ("errors<0%" meaning none) that would fail every run */
    if (s->cmp == TACH__SLO_LT && s->value == 0)
        return tach__err(err, "'%s': nothing measures below 0, so no run could meet it "
                              "(<= 0 asks for exactly 0)", item);
    return 0;
}

bool tach__slo_bound_unitless(const char *p)
{
    /* a bare number: k6 and most load tools read p99<100 as milliseconds, tach as seconds;
     * 0 is 0 in any unit */
    double v;
    char *end;
    int pr = tach__opt_parse_real(p, &v, &end);
    return !*end && ((pr == 0 && v != 0) || pr == -3); /* 1e-400: not 0 as written */
}

static int parse_list(const char *expr, tach__slo_list *out, bool stored, char *err)
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
        if (len >= sizeof item) return tach__err(err, "'%.*s...' is too long", tach__utf8_prec(p, 40), p);
        memcpy(item, p, len);
        item[len] = '\0';
        if (TACH__GROW(&out->v, &out->cap, out->n + 1, 8) != 0) return tach__err(err, "out of memory");
        if (parse_item(item, &out->v[out->n], stored, err) != 0) return -1;
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

int tach__slo_parse(const char *expr, tach__slo_list *out, char *err)
{
    return parse_list(expr, out, false, err);
}

int tach__slo_parse_stored(const char *expr, tach__slo_list *out, char *err)
{
    return parse_list(expr, out, true, err);
}

void tach__slo_list_free(tach__slo_list *l)
{
    if (!l) return;
    tach__free(l->v);
    memset(l, 0, sizeof *l);
}
