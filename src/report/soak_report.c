/* soak_report.c - a soak as Markdown, JUnit XML and HTML with its charts over time
 * (throughput, p50/p99, RSS and heap), from its series file (soak.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "soak.h"
#include "soak_report.h"

/* "KIND: TEXT", TEXT shown with no password (tool_soak_target_shown). */
static const char *target_text(const tool_soak_log *l, char *buf, size_t size)
{
    json_t *t = tool_soak_target_shown(json_object_get(l->header, "target"));
    const char *kind = json_string_value(json_object_get(t, "kind"));
    const char *what = json_string_value(json_object_get(t, "text"));
    snprintf(buf, size, "%s%s%s", kind ? kind : "?", what ? ": " : "", what ? what : "");
    json_decref(t);
    return buf;
}

/* The soak's table written once for two formats: a Markdown pipe table or an HTML
 * table, each text escaped once, for the format it is written in (an HTML page of the
 * Markdown escaped again showed p99<1ms as "p99&lt;1ms"). */
typedef struct soak_out { tool_sb *b; bool html; } soak_out;

static void row_open(soak_out *o, const char *label)
{
    tool_sb_put(o->b, o->html ? "<tr><th>" : "| ");
    tool_sb_put(o->b, label); /* the tool's own words */
    tool_sb_put(o->b, o->html ? "</th><td>" : " | ");
}

static void row_text(soak_out *o, const char *s)
{
    if (o->html) tool_sb_esc_xml(o->b, s);
    else tool_sb_esc_md(o->b, s);
}

static void row_strong(soak_out *o, const char *s)
{
    tool_sb_put(o->b, o->html ? "<strong>" : "**");
    row_text(o, s);
    tool_sb_put(o->b, o->html ? "</strong>" : "**");
}

static void row_printf(soak_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row_printf(soak_out *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    row_text(o, buf);
}

static void row_close(soak_out *o)
{
    tool_sb_put(o->b, o->html ? "</td></tr>\n" : " |\n");
}

static void growth_row(soak_out *o, const char *label, const tool_growth *g)
{
    row_open(o, label);
    if (!g->tested) {
        row_text(o, "not tested (fewer than 8 windows of 3 intervals after the warm-up)");
    } else {
        if (g->growing) row_strong(o, "growing");
        else row_text(o, "no trend");
        row_printf(o, ": %.1f KB/h (95%% CI %.1f to %.1f), Mann-Kendall on %zu window minima p = %.3g",
                   g->slope_kb_h.value, g->slope_kb_h.lo, g->slope_kb_h.hi, g->windows, g->mk.p_up);
    }
    row_close(o);
}

/* A drift's level in its unit: a p99 latency (ns) as a time, a throughput per second. */
const char *tool_soak_level(double v, bool latency, char *buf, size_t size)
{
    if (latency) return tach__fmt_time(v, buf, size);
    snprintf(buf, size, fabs(v) >= 100 ? "%.0f ops/s" : "%.3g ops/s", v);
    return buf;
}

static void drift_row(soak_out *o, const char *label, const tool_drift *d, bool latency)
{
    char x[32], y[32], ch[32];
    row_open(o, label);
    if (!d->tested) {
        row_text(o, "not tested (fewer than 12 intervals)");
    } else if (!d->drifted) {
        row_text(o, "none");
    } else {
        snprintf(ch, sizeof ch, "%+.1f%%", d->change * 100);
        row_strong(o, ch);
        row_printf(o, " at interval %zu (%s to %s, p = %.2g)", d->at,
                   tool_soak_level(d->before, latency, x, sizeof x),
                   tool_soak_level(d->after, latency, y, sizeof y), d->p);
    }
    row_close(o);
}

/* "48.0 ms of 50.0 ms": the time a soak ran of its duration, in tach's time units
 * (one unit for both, the duration's), not seconds with one decimal, which read a
 * 0.05 s soak as "0.1 s of 0.1 s". */
static const char *ran_of(const tool_soak_log *l, char *buf, size_t size)
{
    char a[32], b[32];
    double elapsed = l->n ? l->t[l->n - 1] : 0;
    snprintf(buf, size, "%s of %s", tach__fmt_time_in(elapsed * 1e9, l->duration_s * 1e9, a, sizeof a),
             tach__fmt_time(l->duration_s * 1e9, b, sizeof b));
    return buf;
}

/* The table's rows: the target, the time, the verdict, a load soak's load run, the
 * drifts, the growths and the targets set. */
static void soak_rows(soak_out *o, const tool_soak_log *l, const tool_soak_verdict *v,
                      const tool_soak_targets *tg)
{
    char what[512], load_why[512], ran[80], every[32];
    bool load_failed = tool_soak_load_failed(l->load_runs, load_why, sizeof load_why);
    row_open(o, "Target");
    row_text(o, target_text(l, what, sizeof what));
    row_close(o);
    row_open(o, "Elapsed");
    row_printf(o, "%s, %zu interval%s of %s%s", ran_of(l, ran, sizeof ran), l->n,
               l->n == 1 ? "" : "s", tach__fmt_bound(l->interval_s, every, sizeof every),
               l->resumes ? " (resumed)" : "");
    row_close(o);
    row_open(o, "Summary");
    row_text(o, v->reason);
    row_close(o);
    if (l->load_runs) {
        row_open(o, "Load run");
        if (load_failed) {
            row_strong(o, "FAILED");
            row_text(o, ": ");
            row_text(o, load_why);
        } else {
            row_text(o, "its checks passed (valid, objectives met)");
        }
        row_close(o);
    }
    drift_row(o, "Latency (p99) drift", &v->latency, true);
    drift_row(o, "Throughput drift", &v->throughput, false);
    if (v->heap_known) growth_row(o, "Heap growth", &v->heap);
    growth_row(o, "RSS growth", &v->rss);
    if (tg->has_min_hours) {
        row_open(o, "Target soak_min_hours");
        row_printf(o, "%.3g h: ", l->min_hours);
        if (tg->min_hours_met) row_text(o, "met");
        else row_strong(o, "MISSED");
        row_printf(o, " (%.3g h)", tg->elapsed_h);
        row_close(o);
    }
    if (tg->has_max_growth) {
        row_open(o, "Target max_growth_kb_per_hour");
        row_printf(o, "%.3g KB/h: ", l->max_growth_kb_h);
        if (tg->max_growth_met) row_text(o, "met");
        else row_strong(o, "MISSED");
        row_printf(o, " (CI up to %.3g)", tg->growth_hi_kb_h);
        row_close(o);
    }
}

char *tool_soak_markdown(const tool_soak_log *l, const tool_soak_verdict *v,
                         const tool_soak_targets *tg)
{
    tool_sb b;
    tool_sb_init(&b);
    char load_why[512], ran[80];
    bool load_failed = tool_soak_load_failed(l->load_runs, load_why, sizeof load_why);
    tool_sb_printf(&b, "# Soak: %s%s\n\n", v ? tool_soak_summary_name(v->summary) : "?",
                   load_failed ? ", but its load run failed its checks" : "");
    if (!l->ended)
        tool_sb_printf(&b, "**Partial**: the soak stopped after %s (resume it with "
                       "`tach soak --resume FILE`).\n\n", ran_of(l, ran, sizeof ran));
    tool_sb_put(&b, "| | |\n| --- | --- |\n");
    soak_out o = {&b, false};
    soak_rows(&o, l, v, tg);
    tool_sb_md_controls(&b);
    return tool_sb_take(&b, NULL);
}

char *tool_soak_junit(const tool_soak_log *l, const tool_soak_verdict *v,
                      const tool_soak_targets *tg)
{
    tool_sb b;
    tool_sb_init(&b);
    struct { const char *name; bool failed; const char *why; bool skipped; } cases[8];
    size_t n = 0;
    char load_why[512], load_msg[600];
    bool load_failed = tool_soak_load_failed(l->load_runs, load_why, sizeof load_why);
    snprintf(load_msg, sizeof load_msg, "its load run failed its checks: %s", load_why);
    char lat[160], thr[160];
    snprintf(lat, sizeof lat, "p99 latency changed %+.1f%% at interval %zu", v->latency.change * 100,
             v->latency.at);
    snprintf(thr, sizeof thr, "throughput changed %+.1f%% at interval %zu",
             v->throughput.change * 100, v->throughput.at);
    const tool_growth *g = v->heap_known ? &v->heap : &v->rss;
    /* the target's own operations: a run, sample or request that failed fails the soak */
    cases[n++] = (typeof(cases[0])){"operations", v->summary == TOOL_SOAK_FAILING, v->reason, false};
    cases[n++] = (typeof(cases[0])){"latency_drift", v->latency.drifted, lat, !v->latency.tested};
    cases[n++] = (typeof(cases[0])){"throughput_drift", v->throughput.drifted, thr,
                                    !v->throughput.tested};
    cases[n++] = (typeof(cases[0])){"memory_growth", g->growing, v->reason, !g->tested};
    /* (the summary's reason names the growth when memory grew) */
    if (tg->has_min_hours)
        cases[n++] = (typeof(cases[0])){"soak_min_hours", !tg->min_hours_met, "the soak was shorter than asked", false};
    if (tg->has_max_growth)
        cases[n++] = (typeof(cases[0])){"max_growth_kb_per_hour", !tg->max_growth_met, "memory grew faster than allowed", false};
    /* a load soak's load run: invalid, or an objective missed (the verdicts above say
     * nothing of that) */
    if (l->load_runs) cases[n++] = (typeof(cases[0])){"load_run", load_failed, load_msg, false};
    cases[n++] = (typeof(cases[0])){"complete", !l->ended, "the soak is partial (interrupted)", false};
    size_t failures = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        failures += cases[i].failed;
        skipped += !cases[i].failed && cases[i].skipped;
    }
    /* errors on both, as junit.c writes them: Jenkins' xUnit schema (junit-10.xsd)
     * requires it on <testsuite>, and refused the file without it */
    tool_sb_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tach soak\" "
                   "tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n  <testsuite name=\"soak\" "
                   "tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
                   n, failures, n, failures, skipped, l->n ? l->t[l->n - 1] : 0.0);
    for (size_t i = 0; i < n; i++) {
        tool_sb_printf(&b, "    <testcase classname=\"soak\" name=\"%s\"", cases[i].name);
        if (!cases[i].failed && cases[i].skipped) { /* a verdict not made is not a pass */
            tool_sb_put(&b, ">\n      <skipped message=\"not tested: ");
            tool_sb_esc_xml_attr(&b, v->summary == TOOL_SOAK_NOT_TESTED ? v->reason : "too few intervals");
            tool_sb_put(&b, "\"/>\n    </testcase>\n");
            continue;
        }
        if (!cases[i].failed) {
            tool_sb_put(&b, "/>\n");
            continue;
        }
        tool_sb_put(&b, ">\n      <failure message=\"");
        tool_sb_esc_xml_attr(&b, cases[i].why);
        tool_sb_put(&b, "\">");
        tool_sb_esc_xml(&b, cases[i].why);
        tool_sb_put(&b, "</failure>\n    </testcase>\n");
    }
    tool_sb_put(&b, "  </testsuite>\n</testsuites>\n");
    return tool_sb_take(&b, NULL);
}

char *tool_soak_html(const tool_soak_log *l, const tool_soak_verdict *v, const tool_soak_targets *tg)
{
    tool_sb b;
    tool_sb_init(&b);
    tool_html_page_open(&b, "tach soak");
    char load_why[512], ran[80];
    bool load_failed = tool_soak_load_failed(l->load_runs, load_why, sizeof load_why);
    tool_sb_printf(&b, "<h1>Soak: %s%s%s</h1>\n", tool_soak_summary_name(v->summary),
                   l->ended ? "" : " (partial)", load_failed ? ", but its load run failed its checks" : "");
    if (load_failed) { /* the Markdown's Load run row, said where it is seen first */
        tool_sb_put(&b, "<p class=\"load-failed\">Load run: <strong>FAILED</strong>: ");
        tool_sb_esc_xml(&b, load_why);
        tool_sb_put(&b, "</p>\n");
    }
    if (!l->ended)
        tool_sb_printf(&b, "<p class=\"partial\"><strong>Partial</strong>: the soak stopped after "
                       "%s (resume it with <code>tach soak --resume FILE</code>).</p>\n",
                       ran_of(l, ran, sizeof ran));
    /* the Markdown's table as an HTML one, each text escaped once */
    tool_sb_put(&b, "<table><tbody>\n");
    soak_out o = {&b, true};
    soak_rows(&o, l, v, tg);
    tool_sb_put(&b, "</tbody></table>\n");
    /* The charts of a recorded soak in tach report and tach site (svg_series.c). */
    json_t *rep = tool_soak_report_json(l, v, tg);
    tool_sb_put(&b, "<section id=\"soak\"><h2>Soak over time</h2><div class=\"scroll\">");
    if (rep) tool_svg_soak(&b, rep, 720, 180);
    tool_sb_put(&b, "</div></section>\n");
    json_decref(rep);
    tool_html_page_close(&b, false);
    return tool_sb_take(&b, NULL);
}
