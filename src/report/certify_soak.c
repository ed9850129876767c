/* certify_soak.c - a soak in a certificate (docs/soak.md): the run recorded by `tach
 * soak` carries its report in context.soak; the certificate gains a "Soak" area (100
 * stable, 50 drifting, 0 leaking), the verdicts with their evidence, and the soak's
 * targets soak_min_hours and max_growth_kb_per_hour: leaking or a target missed
 * rejects, drifting is a condition. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "soak_report.h"

static double num(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* One line of evidence for a drift verdict. */
static int drift_line(tool_cert *c, const char *what, const json_t *d, bool latency)
{
    char x[32], y[32];
    if (!d) return 0;
    if (!json_is_true(json_object_get(d, "tested")))
        return tool_cert_push(&c->soak, &c->nsoak, "%s drift: not tested (fewer than 12 intervals)", what);
    if (!json_is_true(json_object_get(d, "drifted")))
        return tool_cert_push(&c->soak, &c->nsoak, "%s drift: none", what);
    return tool_cert_push(&c->soak, &c->nsoak, "%s drift: from interval %.0f, %s -> %s (%+.1f%%, p = %.2g)",
               what, num(d, "interval"), tool_soak_level(num(d, "before"), latency, x, sizeof x),
               tool_soak_level(num(d, "after"), latency, y, sizeof y),
               num(d, "change") * 100, num(d, "p"));
}

/* One line of evidence for a memory growth verdict. */
static int growth_line(tool_cert *c, const char *what, const json_t *g)
{
    if (!g) return tool_cert_push(&c->soak, &c->nsoak, "%s growth: not known", what);
    if (!json_is_true(json_object_get(g, "tested")))
        return tool_cert_push(&c->soak, &c->nsoak, "%s growth: not tested (too few windows)", what);
    return tool_cert_push(&c->soak, &c->nsoak, "%s growth: %s, %.6g KB/h [95%% CI %.6g, %.6g], "
               "Mann-Kendall p = %.2g over %.0f window minima", what,
               json_is_true(json_object_get(g, "growing")) ? "growing" : "flat",
               num(g, "slope_kb_per_hour"), num(g, "slope_ci_low"), num(g, "slope_ci_high"),
               num(g, "p"), num(g, "windows"));
}

int tool_cert_soak(const json_t *soak, tool_cert *c)
{
    if (!json_is_object(soak) || c->nareas >= sizeof c->areas / sizeof c->areas[0]) return 0;
    const json_t *v = json_object_get(soak, "verdict");
    const char *summary = json_string_value(json_object_get(v, "summary"));
    const char *reason = json_string_value(json_object_get(v, "reason"));
    if (!summary) summary = "unknown";
    if (!reason) reason = "";
    bool stable = !strcmp(summary, "stable"), leaking = !strcmp(summary, "leaking");
    bool untested = !strcmp(summary, "not tested"), failing = !strcmp(summary, "failing");
    double hours = num(soak, "elapsed_s") / 3600;
    tool_cert_area *a = &c->areas[c->nareas++];
    a->name = "Soak";
    a->score = stable ? 100 : leaking || untested || failing ? 0 : 50;
    /* a load soak whose load run was invalid or missed an objective: its verdict says
     * nothing of that, and the soak did not pass */
    const json_t *ld = json_object_get(soak, "load");
    bool load_failed = json_is_true(json_object_get(ld, "failed"));
    const char *load_why = json_string_value(json_object_get(ld, "reason"));
    if (load_failed) a->score = 0;
    snprintf(a->detail, sizeof a->detail, "%s over %.3g h%s%s: %s", summary, hours,
             json_is_true(json_object_get(soak, "partial")) ? " (partial)" : "",
             load_failed ? ", its load run failed its checks" : "", reason);
    int bad = 0;
    bad |= tool_cert_push(&c->soak, &c->nsoak, "summary: %s (%s)", summary, reason);
    bad |= drift_line(c, "latency (p99)", json_object_get(v, "latency_drift"), true);
    bad |= drift_line(c, "throughput", json_object_get(v, "throughput_drift"), false);
    bad |= growth_line(c, "heap", json_object_get(v, "heap_growth"));
    bad |= growth_line(c, "RSS", json_object_get(v, "rss_growth"));
    if (untested) bad |= tool_cert_push(&c->reasons, &c->nreasons, "the soak is not tested: %s",
                                        reason);
    else if (leaking) bad |= tool_cert_push(&c->reasons, &c->nreasons, "the soak is leaking: %s", reason);
    else if (failing) bad |= tool_cert_push(&c->reasons, &c->nreasons, "the soak's target failed: %s", reason);
    else if (!stable) bad |= tool_cert_push(&c->conditions, &c->nconditions, "explain or fix the soak's drift: %s", reason);
    if (load_failed) {
        bad |= tool_cert_push(&c->soak, &c->nsoak, "load run: failed its checks: %s",
                              load_why ? load_why : "?");
        bad |= tool_cert_push(&c->reasons, &c->nreasons, "the soak's load run failed its checks: %s",
                              load_why ? load_why : "?");
    }
    const json_t *tg = json_object_get(soak, "targets");
    const json_t *mh = json_object_get(tg, "soak_min_hours");
    if (mh) {
        bool met = json_is_true(json_object_get(mh, "met"));
        bad |= tool_cert_push(&c->soak, &c->nsoak, "target soak_min_hours %.4g: %s (lasted %.4g h)",
                   num(mh, "limit"), met ? "met" : "missed", num(mh, "actual"));
        if (!met)
            bad |= tool_cert_push(&c->reasons, &c->nreasons, "soak_min_hours missed: the soak lasted %.4g h, "
                       "at least %.4g h asked", num(mh, "actual"), num(mh, "limit"));
    }
    const json_t *mg = json_object_get(tg, "max_growth_kb_per_hour");
    if (mg) {
        bool met = json_is_true(json_object_get(mg, "met"));
        bad |= tool_cert_push(&c->soak, &c->nsoak, "target max_growth_kb_per_hour %.4g: %s (upper CI bound "
                   "%.6g KB/h)", num(mg, "limit"), met ? "met" : "missed", num(mg, "actual"));
        if (!met)
            bad |= tool_cert_push(&c->reasons, &c->nreasons, "max_growth_kb_per_hour missed: memory may grow "
                       "%.6g KB/h (upper CI bound), at most %.6g asked", num(mg, "actual"),
                       num(mg, "limit"));
    }
    return bad ? -1 : 0;
}
