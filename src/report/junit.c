/* junit.c - JUnit XML, the format GitLab, Jenkins and GitHub read test results
 * from: a testsuite per group, a testcase per benchmark, a <failure> per
 * regression or missed target, crashes and timeouts as <error>. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Time the benchmark spent measuring: the sum over samples of iterations x time. */
static double measured_s(const tach__result *r)
{
    double t = 0;
    for (size_t i = 0; i < r->nsamples; i++)
        if (isfinite(r->sample_ns[i]))
            t += r->sample_ns[i] * (double)(r->sample_iters ? r->sample_iters[i] : 1);
    return t / 1e9;
}

typedef struct jcount { size_t tests, failures, errors, skipped; double time; } jcount;

static void count_item(const tach__rep_item *it, jcount *c)
{
    c->tests++;
    c->time += measured_s(it->r);
    switch (it->r->status) {
    case TACH__CRASHED:
    case TACH__TIMEOUT: c->errors++; return;
    case TACH__SKIPPED: c->skipped++; return;
    case TACH__FAILED: c->failures++; return;
    case TACH__OK: break;
    }
    if (it->regressed || it->missed) c->failures++;
}

static void attr(tach__sb *b, const char *name, const char *value)
{
    tach__sb_printf(b, " %s=\"", name);
    tach__sb_esc_xml(b, value);
    tach__sb_put(b, "\"");
}

static void testcase(tach__sb *b, const tach__rep_item *it, const char *classname)
{
    const tach__result *r = it->r;
    tach__sb_put(b, "    <testcase");
    attr(b, "name", r->name);
    attr(b, "classname", classname);
    tach__sb_printf(b, " time=\"%.6f\">\n", measured_s(r));
    char msg[512];
    switch (r->status) {
    case TACH__CRASHED:
        if (r->signal)
            snprintf(msg, sizeof msg, "crashed: signal %d (%s)", r->signal, tach__rep_signal_name(r->signal));
        else
            snprintf(msg, sizeof msg, "crashed");
        tach__sb_put(b, "      <error type=\"crashed\"");
        attr(b, "message", msg);
        tach__sb_put(b, ">");
        tach__sb_esc_xml(b, r->message ? r->message : msg);
        tach__sb_put(b, "</error>\n");
        break;
    case TACH__TIMEOUT:
        tach__sb_put(b, "      <error type=\"timeout\"");
        attr(b, "message", r->message ? r->message : "timed out");
        tach__sb_put(b, "/>\n");
        break;
    case TACH__FAILED:
        tach__sb_put(b, "      <failure type=\"failed\"");
        attr(b, "message", r->message ? r->message : "failed");
        tach__sb_put(b, "/>\n");
        break;
    case TACH__SKIPPED:
        tach__sb_put(b, "      <skipped");
        if (r->message) attr(b, "message", r->message);
        tach__sb_put(b, "/>\n");
        break;
    case TACH__OK: break;
    }
    if (it->regressed) {
        const tach__cmp_row *row = it->row;
        char ch[32], lo[32], hi[32], bm[32], nm[32];
        snprintf(msg, sizeof msg, "regressed %s [95%% CI %s, %s], %s: median %s -> %s (q = %.3g)",
                 tach__rep_pct(row->change.value, ch, sizeof ch),
                 tach__rep_pct(row->change.lo, lo, sizeof lo),
                 tach__rep_pct(row->change.hi, hi, sizeof hi), tach__severity_name(row->severity),
                 tach__fmt_time(row->base_median, bm, sizeof bm),
                 tach__fmt_time(row->new_median, nm, sizeof nm), row->q);
        tach__sb_put(b, "      <failure type=\"regression\"");
        attr(b, "message", msg);
        tach__sb_put(b, "/>\n");
    }
    for (size_t k = 0; k < it->ntargets; k++) {
        const tach__target_check *t = &it->targets[k];
        if (t->met) continue;
        char lim[48], act[48];
        tach__rep_target_fmt(t->name, t->limit, lim, sizeof lim);
        tach__rep_target_fmt(t->name, t->actual, act, sizeof act);
        snprintf(msg, sizeof msg, "target missed: %s %s, actual %s (%s)",
                 tach__rep_target_label(t->name), lim, act, t->name);
        tach__sb_put(b, "      <failure type=\"target\"");
        attr(b, "message", msg);
        tach__sb_put(b, "/>\n");
    }
    if (r->has_summary && r->summary.n) {
        char med[32], lo[32], hi[32], mean[32], p99[32];
        tach__sb_put(b, "      <system-out>");
        snprintf(msg, sizeof msg, "median %s [%s, %s], mean %s, p99 %s, cv %.2f%%, %zu samples",
                 tach__fmt_time(r->summary.median.value, med, sizeof med),
                 tach__fmt_time(r->summary.median.lo, lo, sizeof lo),
                 tach__fmt_time(r->summary.median.hi, hi, sizeof hi),
                 tach__fmt_time(r->summary.mean.value, mean, sizeof mean),
                 tach__fmt_time(r->summary.p99, p99, sizeof p99),
                 isfinite(r->summary.cv) ? r->summary.cv * 100 : 0.0, r->summary.n);
        tach__sb_esc_xml(b, msg);
        tach__sb_put(b, "</system-out>\n");
    }
    tach__sb_put(b, "    </testcase>\n");
}

char *tach__report_junit(const tach__report_in *in, char *err)
{
    tach__rep_view v;
    if (tach__rep_view_build(in, &v, err)) return NULL;
    tach__sb b;
    tach__sb_init(&b);
    jcount all = {0};
    for (size_t i = 0; i < v.nitems; i++) count_item(&v.items[i], &all);
    tach__sb_put(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    attr(&b, "name", in->title ? in->title : "tach");
    tach__sb_printf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
                    all.tests, all.failures, all.errors, all.skipped, all.time);
    size_t i = 0;
    while (i < v.nitems) {
        const char *g = tach__rep_group(v.items[i].r);
        size_t j = i;
        jcount c = {0};
        while (j < v.nitems && !strcmp(tach__rep_group(v.items[j].r), g)) count_item(&v.items[j++], &c);
        char cls[300];
        snprintf(cls, sizeof cls, "tach.%s", (v.items[i].r->group && *v.items[i].r->group) ? g : "default");
        tach__sb_put(&b, "  <testsuite");
        attr(&b, "name", g);
        tach__sb_printf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\"",
                        c.tests, c.failures, c.errors, c.skipped, c.time);
        const char *date = tach__rep_ctx_str(in->doc->context, "date");
        const char *host = tach__rep_ctx_str(in->doc->context, "host");
        if (date) attr(&b, "timestamp", date);
        if (host) attr(&b, "hostname", host);
        tach__sb_put(&b, ">\n");
        if (i == 0 && (in->run_id || tach__rep_commit(in))) {
            tach__sb_put(&b, "    <properties>\n");
            if (in->run_id) {
                tach__sb_put(&b, "      <property name=\"tach.run\"");
                attr(&b, "value", in->run_id);
                tach__sb_put(&b, "/>\n");
            }
            if (tach__rep_commit(in)) {
                tach__sb_put(&b, "      <property name=\"tach.commit\"");
                attr(&b, "value", tach__rep_commit(in));
                tach__sb_put(&b, "/>\n");
            }
            tach__sb_put(&b, "    </properties>\n");
        }
        for (size_t k = i; k < j; k++) testcase(&b, &v.items[k], cls);
        tach__sb_put(&b, "  </testsuite>\n");
        i = j;
    }
    tach__sb_put(&b, "</testsuites>\n");
    tach__rep_view_free(&v);
    char *s = tach__sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}
