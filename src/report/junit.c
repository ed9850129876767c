/* junit.c - JUnit XML, the format GitLab, Jenkins and GitHub read test results
 * from: a testsuite per group, a testcase per benchmark, a <failure> per
 * regression or missed target, crashes and timeouts as <error> (a benchmark that did not
 * end ok has only its <error>, <failure> or <skipped>); an interrupted run
 * (partial) adds a property tach.partial (on every suite, with the run's other
 * properties) and a suite "run", there even when the run has no benchmark, whose case
 * "complete" fails.
 *
 * Written to pass the schema Jenkins' xUnit plugin validates against (junit-10.xsd):
 * times with at most 3 decimals, only the attributes it allows on each element (no
 * "skipped" on <testsuites>), and every <failure> and <error> carries its message as
 * text too, which is what GitLab shows as the failure's output. */
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

/* A point change beyond the critical threshold that too few samples left untested: a
 * failure, as tach gate fails on it (unless --allow-untestable). */
static bool untested_fail(const tool_rep_item *it)
{
    return it->r->status == TACH__OK && it->row && tool_cmp_row_untestable_fails(it->row);
}

typedef struct jcount { size_t tests, failures, errors, skipped; double time; } jcount;

static void count_item(const tool_rep_item *it, jcount *c)
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
    if (it->regressed || it->missed || untested_fail(it)) c->failures++;
}

static void attr(tool_sb *b, const char *name, const char *value)
{
    tool_sb_printf(b, " %s=\"", name);
    tool_sb_esc_xml_attr(b, value);
    tool_sb_put(b, "\"");
}

/* <tag type="type" message="msg">msg</tag>: the text is what GitLab shows. */
static void problem(tool_sb *b, const char *tag, const char *type, const char *msg)
{
    tool_sb_printf(b, "      <%s type=\"%s\"", tag, type);
    attr(b, "message", msg);
    tool_sb_put(b, ">");
    tool_sb_esc_xml(b, msg);
    tool_sb_printf(b, "</%s>\n", tag);
}

static void testcase(tool_sb *b, const tool_rep_item *it, const tool_comparison *cmp,
                     const char *classname)
{
    const tach__result *r = it->r;
    tool_sb_put(b, "    <testcase");
    attr(b, "name", r->name);
    attr(b, "classname", classname);
    tool_sb_printf(b, " time=\"%.3f\">\n", measured_s(r));
    char msg[512];
    switch (r->status) {
    case TACH__CRASHED:
        if (r->signal)
            snprintf(msg, sizeof msg, "crashed: signal %d (%s)", r->signal, tool_rep_signal_name(r->signal));
        else
            snprintf(msg, sizeof msg, "crashed");
        tool_sb_put(b, "      <error type=\"crashed\"");
        attr(b, "message", msg);
        tool_sb_put(b, ">");
        tool_sb_esc_xml(b, r->message ? r->message : msg);
        tool_sb_put(b, "</error>\n");
        break;
    case TACH__TIMEOUT:
        problem(b, "error", "timeout", r->message ? r->message : "timed out");
        break;
    case TACH__FAILED:
        problem(b, "failure", "failed", r->message ? r->message : "failed");
        break;
    case TACH__SKIPPED:
        tool_sb_put(b, "      <skipped");
        if (r->message) attr(b, "message", r->message);
        tool_sb_put(b, "/>\n");
        break;
    case TACH__OK: break;
    }
    /* A benchmark that did not end ok has that one element, as it counts once
     * (count_item): no <failure> beside its <error> or <skipped> for targets it has no
     * measure of ("actual n/a") */
    bool measured = r->status == TACH__OK;
    tool_metric m = TOOL_METRIC_WALL;
    if (measured && it->regressed && cmp && cmp->deterministic && tool_metric_parse(cmp->metric, &m) == 0) {
        /* compared by counts (a run that counted instructions): one exact value a side */
        const tool_cmp_row *row = it->row;
        char ch[32], bm[48], nm[48];
        if (isnan(row->change.value)) snprintf(ch, sizeof ch, "from 0"); /* no percentage */
        else tool_rep_pct(row->change.value, ch, sizeof ch);
        snprintf(msg, sizeof msg, "regressed %s, %s: %s -> %s per iteration (counted: exact, no CI)",
                 ch, tool_severity_name(row->severity),
                 tool_metric_fmt(m, row->base_median, bm, sizeof bm),
                 tool_metric_fmt(m, row->new_median, nm, sizeof nm));
        problem(b, "failure", "regression", msg);
    } else if (measured && it->regressed) {
        const tool_cmp_row *row = it->row;
        char ch[32], lo[32], hi[32], bm[32], nm[32], qv[24];
        snprintf(msg, sizeof msg, "regressed %s [95%% CI %s, %s], %s: median %s -> %s (%s)",
                 tool_rep_pct(row->change.value, ch, sizeof ch),
                 tool_rep_pct(tool_cmp_shown_ci(row).lo, lo, sizeof lo),
                 tool_rep_pct(tool_cmp_shown_ci(row).hi, hi, sizeof hi), tool_severity_name(row->severity),
                 tach__fmt_time(row->base_median, bm, sizeof bm),
                 tach__fmt_time(row->new_median, nm, sizeof nm), tool_rep_pvalue_is("q", row->q, qv, sizeof qv));
        problem(b, "failure", "regression", msg);
    } else if (untested_fail(it)) {
        const tool_cmp_row *row = it->row;
        char ch[32], bm[32], nm[32];
        if (isnan(row->change.value)) snprintf(ch, sizeof ch, "from 0"); /* a rise from 0 ns */
        else tool_rep_pct(row->change.value, ch, sizeof ch);
        snprintf(msg, sizeof msg, "changed %s with too few samples to test it (critical %.3g%%): "
                 "median %s -> %s", ch, row->critical * 100,
                 tach__fmt_time(row->base_median, bm, sizeof bm), tach__fmt_time(row->new_median, nm, sizeof nm));
        problem(b, "failure", "regression", msg);
    }
    for (size_t k = 0; measured && k < it->ntargets; k++) {
        const tool_target_check *t = &it->targets[k];
        if (t->met || t->not_checked) continue;
        char lim[48], act[48];
        tool_rep_target_fmt_pair(t->name, t->limit, t->actual, lim, act, sizeof lim);
        snprintf(msg, sizeof msg, "target missed: %s %s, actual %s (%s)",
                 tool_rep_check_label(t), lim, act, t->name);
        problem(b, "failure", "target", msg);
    }
    if (r->has_summary && r->summary.n) {
        char med[32], lo[32], hi[32], mean[32], p99[32], ns[48];
        tool_sb_put(b, "      <system-out>");
        snprintf(msg, sizeof msg, "median %s [%s, %s], mean %s, p99 %s, cv %.2f%%, %s",
                 tach__fmt_time(r->summary.median.value, med, sizeof med),
                 tach__fmt_time(r->summary.median.lo, lo, sizeof lo),
                 tach__fmt_time(r->summary.median.hi, hi, sizeof hi),
                 tach__fmt_time(r->summary.mean.value, mean, sizeof mean),
                 tach__fmt_time(r->summary.p99, p99, sizeof p99),
                 isfinite(r->summary.cv) ? r->summary.cv * 100 : 0.0,
                 tach__plural((double)r->summary.n, "sample", NULL, ns, sizeof ns));
        tool_sb_esc_xml(b, msg);
        tool_sb_put(b, "</system-out>\n");
    } else if (r->has_instr && r->status == TACH__OK) { /* instruction mode: a count, no times */
        tool_sb_printf(b, "      <system-out>%.0f instructions per iteration (counted under "
                          "Valgrind callgrind: exact, no CI)</system-out>\n",
                       r->instr.instructions);
    }
    tool_sb_put(b, "    </testcase>\n");
}

/* The run's properties: its id (tach.run), its commit, tach.quick for a suite's smoke
 * run, tach.partial for an interrupted one. Every <testsuite> carries them, so a CI
 * reader that looks at any one suite (GitLab shows them per suite) sees them. */
static void properties(tool_sb *b, const tool_report_in *in)
{
    const char *commit = tool_rep_commit(in);
    bool quick = tool_rep_suite_quick(in->doc); /* a smoke run: not figures to publish */
    bool partial = in->doc->partial;
    if (!in->run_id && !commit && !quick && !partial) return;
    tool_sb_put(b, "    <properties>\n");
    if (in->run_id) {
        tool_sb_put(b, "      <property name=\"tach.run\"");
        attr(b, "value", in->run_id);
        tool_sb_put(b, "/>\n");
    }
    if (commit) {
        tool_sb_put(b, "      <property name=\"tach.commit\"");
        attr(b, "value", commit);
        tool_sb_put(b, "/>\n");
    }
    if (quick) tool_sb_put(b, "      <property name=\"tach.quick\" value=\"true\"/>\n");
    if (partial) tool_sb_put(b, "      <property name=\"tach.partial\" value=\"true\"/>\n");
    tool_sb_put(b, "    </properties>\n");
}

/* An interrupted run (or a suite stopped early): a test suite "run" with the property
 * tach.partial (there even when no benchmark suite is) whose one case, "complete",
 * fails, as certify refuses such a run; the CI sees the benchmarks that passed as
 * passed and the run as not whole. */
static void partial_case(tool_sb *b, const tool_report_in *in)
{
    const tach__doc *doc = in->doc;
    char why[256], msg[400];
    snprintf(msg, sizeof msg, "partial: the run %s; these results are what was measured until then, "
             "not the whole run", tool_rep_partial_why(doc, why, sizeof why));
    tool_sb_put(b, "  <testsuite name=\"run\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" "
                   "time=\"0.000\">\n");
    properties(b, in);
    tool_sb_put(b, "    <testcase name=\"complete\" classname=\"tach.run\" time=\"0.000\">\n");
    problem(b, "failure", "partial", msg);
    tool_sb_put(b, "    </testcase>\n  </testsuite>\n");
}

char *tool_report_junit(const tool_report_in *in, char *err)
{
    tool_rep_view v;
    if (tool_rep_view_build(in, &v, err)) return NULL;
    tool_sb b;
    tool_sb_init(&b);
    jcount all = {0};
    for (size_t i = 0; i < v.nitems; i++) count_item(&v.items[i], &all);
    if (in->doc->partial) { /* the run's own case (partial_case): one test, failed */
        all.tests++;
        all.failures++;
    }
    tool_sb_put(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    attr(&b, "name", in->title ? in->title : "tach");
    tool_sb_printf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", all.tests,
                    all.failures, all.errors, all.time);
    size_t i = 0;
    while (i < v.nitems) {
        const char *g = tool_rep_group(v.items[i].r);
        size_t j = i;
        jcount c = {0};
        while (j < v.nitems && !strcmp(tool_rep_group(v.items[j].r), g)) count_item(&v.items[j++], &c);
        char cls[300];
        snprintf(cls, sizeof cls, "tach.%s", (v.items[i].r->group && *v.items[i].r->group) ? g : "default");
        tool_sb_put(&b, "  <testsuite");
        attr(&b, "name", g);
        tool_sb_printf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
                        c.tests, c.failures, c.errors, c.skipped, c.time);
        const char *date = tool_rep_ctx_str(in->doc->context, "date");
        const char *host = tool_rep_ctx_str(in->doc->context, "host");
        if (date) attr(&b, "timestamp", date);
        if (host) attr(&b, "hostname", host);
        tool_sb_put(&b, ">\n");
        properties(&b, in);
        for (size_t k = i; k < j; k++) testcase(&b, &v.items[k], in->cmp, cls);
        tool_sb_put(&b, "  </testsuite>\n");
        i = j;
    }
    if (in->doc->partial) partial_case(&b, in);
    tool_sb_put(&b, "</testsuites>\n");
    tool_rep_view_free(&v);
    char *s = tool_sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}
