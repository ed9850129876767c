/* certify.c - the performance certificate: scope, method, findings, a score per
 * area, a verdict, and the evidence (run ids and SHA-256 of each results
 * document) that `tach certify --verify` recomputes.
 *
 * Why one file of ~650 lines: it is one output format (one renderer per format, as
 * the other reports), and the evidence the rendering embeds and the verification
 * reads back must stay in step, so they are kept side by side. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_style.h"
#include "report.h"
#include "suite_kind.h"

#define EVIDENCE_OPEN "<!-- tach-evidence v1"
#define EVIDENCE_CLOSE "-->"

const char *tool_cert_verdict_name(tool_cert_verdict v)
{
    switch (v) {
    case TOOL_APPROVED: return "APPROVED";
    case TOOL_CONDITIONAL: return "CONDITIONALLY APPROVED";
    case TOOL_REJECTED: return "REJECTED";
    }
    return "?";
}

static void area(tool_cert *c, const char *name, int score, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void area(tool_cert *c, const char *name, int score, const char *fmt, ...)
{
    tool_cert_area *a = &c->areas[c->nareas++];
    a->name = name;
    a->score = score;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->detail, sizeof a->detail, fmt, ap);
    va_end(ap);
}

static int pct_score(size_t good, size_t total)
{
    if (!total) return -1;
    return (int)floor(100.0 * (double)good / (double)total + 0.5);
}

/* A run recorded by `tach soak` (context.soak): its samples are intervals hours apart,
 * whose spread is what the soak's stable / drifting / leaking verdict judges, so the
 * wall-time CV rule ("unstable") does not apply to it (tool_cert_soak does). */
static bool soak_run(const tool_report_in *in)
{
    return json_is_object(json_object_get(in->doc->context, "soak"));
}

/* A run judged by a count (instructions: the metric it was recorded in, metric.h): one
 * exact value per benchmark, so no CV, precision or CI applies to it. */
static bool counted_run(const tool_report_in *in)
{
    return tool_metric_deterministic(in->metric);
}

/* Whether warning w applies to in's run (not a timing-only one of a counted run). */
static bool warning_applies(const tool_report_in *in, const char *w)
{
    return !(counted_run(in) && tach__env_warning_timing_only(w));
}

/* A `tach suite ... --quick` run (context.suite.quick). */
static bool quick_run(const tool_report_in *in)
{
    return tool_rep_suite_quick(in->doc);
}

/* True when every target not checked was so because the run counted instructions (a
 * target may be not checked for other reasons: a skipped benchmark, a thin percentile, a
 * command's peak RSS at tach's own). */
static bool not_checked_counted(const tool_rep_view *v)
{
    for (size_t i = 0; i < v->nitems; i++)
        for (size_t k = 0; k < v->items[i].ntargets; k++) {
            const char *why = v->items[i].targets[k].not_checked;
            if (why && strcmp(why, TOOL_NOT_CHECKED_TIME) != 0 && strcmp(why, TOOL_NOT_CHECKED_MEMORY) != 0)
                return false;
        }
    return true;
}

int tool_cert_judge(const tool_report_in *in, tool_cert *c, char *err)
{
    memset(c, 0, sizeof *c);
    tool_rep_view v;
    if (tool_rep_view_build(in, &v, err)) return -1;
    int bad = 0;
    size_t broken = v.failed + v.crashed + v.timeout;
    size_t ran = v.nitems - v.skipped;
    area(c, "Reliability", pct_score(v.ok, ran), "%zu of %zu benchmark%s ended ok; %zu failed, "
         "%zu crashed, %zu timed out, %zu skipped", v.ok, ran, ran == 1 ? "" : "s", v.failed, v.crashed,
         v.timeout, v.skipped);
    if (broken)
        bad |= tool_cert_push(&c->reasons, &c->nreasons,
                        "%zu benchmark%s failed, crashed or timed out", broken, broken == 1 ? "" : "s");

    if (v.targets_not_checked) /* neither met nor missed: no part of the score */
        area(c, "Targets", pct_score(v.targets_total - v.targets_missed, v.targets_total),
             "%zu of %zu declared targets met; %zu not checked (%s)",
             v.targets_total - v.targets_missed, v.targets_total, v.targets_not_checked,
             not_checked_counted(&v) ? "the run counted instructions" : "neither met nor missed");
    else
        area(c, "Targets", pct_score(v.targets_total - v.targets_missed, v.targets_total),
             "%zu of %zu declared targets met", v.targets_total - v.targets_missed, v.targets_total);
    if (v.targets_missed)
        bad |= tool_cert_push(&c->reasons, &c->nreasons, "%zu declared target%s missed",
                        v.targets_missed, v.targets_missed == 1 ? "" : "s");

    const tool_comparison *cmp = in->cmp;
    if (cmp) {
        char gm[32]; /* n/a without a change that is a number, never a made-up +0.0% */
        char nt[64] = ""; /* a side with too few samples: a point change, no test */
        if (cmp->untestable) snprintf(nt, sizeof nt, "; %zu not testable (too few samples)", cmp->untestable);
        area(c, "Regressions", pct_score(cmp->compared - cmp->regressed, cmp->compared),
             "%zu of %zu compared benchmark%s regressed (%zu critical)%s; geometric-mean change %s",
             cmp->regressed, cmp->compared, cmp->compared == 1 ? "" : "s", cmp->regressed_critical, nt,
             tool_rep_pct(cmp->geomean_change, gm, sizeof gm));
        /* as tach gate judges them: a point change beyond the critical threshold that no
         * test could confirm fails; one below it is not known to be no regression */
        size_t ucrit = tool_comparison_untestable_fails(cmp), uless = cmp->untestable - ucrit;
        if (ucrit)
            bad |= tool_cert_push(&c->reasons, &c->nreasons,
                            "%zu benchmark%s changed by the critical %.3g%% or more against %s with too "
                            "few samples to test it (tach gate fails on such a change)",
                            ucrit, ucrit == 1 ? "" : "s", cmp->critical * 100,
                            in->base_label ? in->base_label : "the baseline");
        if (uless)
            bad |= tool_cert_push(&c->conditions, &c->nconditions,
                            "record more samples of %zu benchmark%s not testable against the baseline "
                            "(a side has too few samples: only the point change is known)",
                            uless, uless == 1 ? "" : "s");
        if (cmp->regressed_critical)
            bad |= tool_cert_push(&c->reasons, &c->nreasons,
                            "%zu critical regression%s (beyond %.3g%%) against %s",
                            cmp->regressed_critical, cmp->regressed_critical == 1 ? "" : "s",
                            cmp->critical * 100, in->base_label ? in->base_label : "the baseline");
        size_t warn = cmp->regressed - cmp->regressed_critical;
        if (warn)
            bad |= tool_cert_push(&c->conditions, &c->nconditions,
                            "explain or fix %zu regression%s below the critical threshold",
                            warn, warn == 1 ? "" : "s");
        if (cmp->machine_mismatch)
            bad |= tool_cert_push(&c->conditions, &c->nconditions,
                            "confirm the comparison on one machine: the baseline ran on another");
    } else {
        /* left out on purpose (--no-compare) is not "none was available" */
        area(c, "Regressions", -1, in->no_compare ? "not compared (--no-compare)"
                                                  : "no baseline to compare against");
        bad |= tool_cert_push(&c->conditions, &c->nconditions, "compare against a baseline (%s)",
                              in->no_compare ? "left out: --no-compare" : "none was available");
    }

    size_t measured = 0, reached = 0, asked = 0;
    for (size_t i = 0; i < v.nitems; i++)
        if (v.items[i].r->has_summary && v.items[i].r->summary.n) {
            measured++;
            /* Only a benchmark given a precision target (not a fixed number of runs)
             * can miss it. */
            if (!(v.items[i].r->precision_target > 0)) continue;
            asked++;
            reached += v.items[i].r->precision_reached;
        }
    bool cv_free = tool_rep_suite_cv_free(in->doc); /* storage, bus: the workload's spread */
    bool counted = counted_run(in);
    const char *suite = tool_rep_suite_name(in->doc);
    tach__suite_kind kind = tach__suite_kind_of(suite);
    if (soak_run(in)) /* its spread over hours is the soak verdict's to judge, not a CV's */
        area(c, "Stability", -1, "a soak: judged by its own verdict (Soak), not by CV");
    else if (counted)
        area(c, "Stability", -1, "not judged by CV: a count has no spread");
    else if (cv_free)
        area(c, "Stability", -1, "not judged by CV: a %s row's samples are %s of one run of the "
             "workload, whose spread is the workload's, not noise", suite,
             kind == TACH__SUITE_STORAGE ? "I/Os or intervals" : "batches or messages");
    else
        area(c, "Stability", pct_score(measured - v.unstable, measured),
             "%zu of %zu measured benchmark%s stable (CV at most 5%%)", measured - v.unstable, measured,
             measured == 1 ? "" : "s");
    if (v.unstable && !soak_run(in) && !cv_free && !counted)
        bad |= tool_cert_push(&c->conditions, &c->nconditions,
                        "stabilise %zu unstable benchmark%s (CV above 5%%) and re-measure",
                        v.unstable, v.unstable == 1 ? "" : "s");
    if (asked)
        area(c, "Precision", pct_score(reached, asked),
             "%zu of %zu benchmark%s reached the precision asked", reached, asked, asked == 1 ? "" : "s");
    else if (counted)
        area(c, "Precision", -1, "no precision target: a count is exact");
    else if (suite)
        area(c, "Precision", -1, "no precision target: %s",
             kind == TACH__SUITE_STORAGE ? "each job one pass over the file within --time"
             : kind == TACH__SUITE_BUS   ? "each row --messages messages"
                                         : "each measurement sampled for --time");
    else
        area(c, "Precision", -1, "no precision was asked (fixed numbers of runs)");
    if (asked && reached < asked)
        bad |= tool_cert_push(&c->conditions, &c->nconditions,
                        "%zu benchmark%s did not reach the precision asked: give them more time",
                        asked - reached, asked - reached == 1 ? "" : "s");

    json_t *w = tool_rep_warnings(in->doc->context);
    size_t nw = 0, nskip = 0; /* warnings that apply; timing-only ones of a counted run */
    for (size_t k = 0; w && k < json_array_size(w); k++) {
        const char *s = json_string_value(json_array_get(w, k));
        if (!s) continue;
        if (!warning_applies(in, s)) {
            nskip++;
            continue;
        }
        nw++;
        bad |= tool_cert_push(&c->conditions, &c->nconditions, "environment: %s", s);
    }
    json_decref(w);
    int env = 100 - 25 * (int)(nw > 4 ? 4 : nw);
    if (nskip)
        area(c, "Environment", env, "%zu environment warning%s; %zu more that concern%s timing "
             "only, not a count", nw, nw == 1 ? "" : "s", nskip, nskip == 1 ? "s" : "");
    else
        area(c, "Environment", env, "%zu environment warning%s", nw, nw == 1 ? "" : "s");
    bad |= tool_cert_soak(json_object_get(in->doc->context, "soak"), c);
    /* A --quick suite run is a smoke test (few levels, sizes and samples): its figures
     * are not to publish, so it is at best conditionally approved. */
    if (quick_run(in))
        bad |= tool_cert_push(&c->conditions, &c->nconditions,
                        "re-run without --quick: this was a smoke run (few levels, sizes and samples), "
                        "not figures to publish");
    char why[512];
    if (in->doc->partial) /* interrupted, or a suite stopped by a full disk or a lost broker */
        bad |= tool_cert_push(&c->reasons, &c->nreasons, "the run %s (partial results)",
                              tool_rep_partial_why(in->doc, why, sizeof why));
    if (!v.nitems) bad |= tool_cert_push(&c->reasons, &c->nreasons, "the run holds no benchmark");

    tool_rep_view_free(&v);
    if (bad) {
        tool_cert_free(c);
        return tach__err(err, "out of memory");
    }
    c->verdict = c->nreasons ? TOOL_REJECTED : c->nconditions ? TOOL_CONDITIONAL : TOOL_APPROVED;
    return 0;
}

void tool_cert_free(tool_cert *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nconditions; i++) tach__free(c->conditions[i]);
    for (size_t i = 0; i < c->nreasons; i++) tach__free(c->reasons[i]);
    tach__free(c->conditions);
    tach__free(c->reasons);
    for (size_t i = 0; i < c->nsoak; i++) tach__free(c->soak[i]);
    tach__free(c->soak);
    memset(c, 0, sizeof *c);
}

/* ---- rendering ------------------------------------------------------------------- */

typedef struct out {
    tool_sb *b;
    bool html;
} out;

static void o_text(out *o, const char *s)
{
    if (o->html) tool_sb_esc_xml(o->b, s);
    else tool_sb_esc_md(o->b, s);
}

static void o_h2(out *o, const char *s)
{
    if (o->html) {
        tool_sb_put(o->b, "</section>\n<section><h2>");
        tool_sb_esc_xml(o->b, s);
        tool_sb_put(o->b, "</h2>");
    } else {
        tool_sb_printf(o->b, "## %s\n\n", s);
    }
}

static void o_h3(out *o, const char *s)
{
    if (o->html) {
        tool_sb_put(o->b, "<h3>");
        tool_sb_esc_xml(o->b, s);
        tool_sb_put(o->b, "</h3>");
    } else {
        tool_sb_printf(o->b, "### %s\n\n", s);
    }
}

static void o_list_open(out *o)
{
    if (o->html) tool_sb_put(o->b, "<ul>");
}
static void o_list_close(out *o)
{
    tool_sb_put(o->b, o->html ? "</ul>" : "\n");
}
static void o_item(out *o, const char *s)
{
    tool_sb_put(o->b, o->html ? "<li>" : "- ");
    o_text(o, s);
    tool_sb_put(o->b, o->html ? "</li>" : "\n");
}
/* An item that starts with a benchmark's name: the name as a code span in Markdown (as
 * tach report shows it: a * or [ in it is text, not emphasis or a link), then the rest,
 * formatted whole however long (a 512-byte buffer cut a long name inside a character,
 * its status and message lost). */
static void o_item_name(out *o, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void o_item_name(out *o, const char *name, const char *fmt, ...)
{
    tool_sb t;
    tool_sb_init(&t);
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(&t, fmt, ap);
    va_end(ap);
    tool_sb_put(o->b, o->html ? "<li>" : "- ");
    if (o->html) tool_sb_esc_xml(o->b, name);
    else tool_sb_code_md_inline(o->b, name);
    o_text(o, t.p ? t.p : "");
    tool_sb_put(o->b, o->html ? "</li>" : "\n");
    tool_sb_free(&t);
}
static void o_para(out *o, const char *s)
{
    tool_sb_put(o->b, o->html ? "<p>" : "");
    o_text(o, s);
    tool_sb_put(o->b, o->html ? "</p>" : "\n\n");
}

/* A table: header cells separated by '|' in hdr. */
static void o_table_open(out *o, const char *hdr)
{
    if (o->html) {
        tool_sb_put(o->b, "<div class=\"scroll\"><table><thead><tr>");
        const char *p = hdr;
        while (*p) {
            const char *e = strchr(p, '|');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            tool_sb_put(o->b, "<th>");
            tool_sb_putn(o->b, p, n);
            tool_sb_put(o->b, "</th>");
            p += n + (e ? 1 : 0);
        }
        tool_sb_put(o->b, "</tr></thead><tbody>");
    } else {
        size_t cols = 1;
        tool_sb_put(o->b, "| ");
        for (const char *p = hdr; *p; p++) {
            if (*p == '|') {
                tool_sb_put(o->b, " | ");
                cols++;
            } else {
                tool_sb_putn(o->b, p, 1);
            }
        }
        tool_sb_put(o->b, " |\n|");
        for (size_t i = 0; i < cols; i++) tool_sb_put(o->b, " --- |");
        tool_sb_put(o->b, "\n");
    }
}
/* A row of cells; with name, the first cell is a benchmark's name: a code span in
 * Markdown (o_item_name). */
static void o_row_cells(out *o, const char *const *cells, size_t n, bool name)
{
    tool_sb_put(o->b, o->html ? "<tr>" : "|");
    for (size_t i = 0; i < n; i++) {
        tool_sb_put(o->b, o->html ? "<td>" : " ");
        /* In HTML, results as coloured tags and digests in monospace. */
        if (name && i == 0 && !o->html) {
            tool_sb_code_md(o->b, cells[i]);
        } else if (o->html && (!strcmp(cells[i], "met") || !strcmp(cells[i], "MISSED"))) {
            tool_sb_printf(o->b, "<span class=\"tag t-%s\">%s</span>",
                            cells[i][0] == 'm' ? "met" : "missed", cells[i]);
        } else if (o->html && strlen(cells[i]) == 64 && strspn(cells[i], "0123456789abcdef") == 64) {
            tool_sb_printf(o->b, "<code>%s</code>", cells[i]);
        } else {
            o_text(o, cells[i]);
        }
        tool_sb_put(o->b, o->html ? "</td>" : " |");
    }
    tool_sb_put(o->b, o->html ? "</tr>" : "\n");
}
static void o_row(out *o, const char *const *cells, size_t n)
{
    o_row_cells(o, cells, n, false);
}
static void o_row_name(out *o, const char *const *cells, size_t n)
{
    o_row_cells(o, cells, n, true);
}
static void o_table_close(out *o)
{
    tool_sb_put(o->b, o->html ? "</tbody></table></div>" : "\n");
}

static void scope(out *o, const tool_report_in *in, const tool_rep_view *v)
{
    const json_t *ctx = in->doc->context;
    char buf[512];
    o_h2(o, "Scope");
    o_table_open(o, "Item|Value");
    const char *exe = tool_rep_ctx_str(ctx, "executable");
    const char *tool = tool_rep_ctx_str(ctx, "tool");
    snprintf(buf, sizeof buf, "%zu benchmark%s%s%s%s%s", v->nitems, v->nitems == 1 ? "" : "s",
             exe ? " in " : "", exe ? exe : "",
             tool ? ", produced by " : "", tool ? tool : "");
    o_row(o, (const char *[]){"Suite", buf}, 2);
    if (quick_run(in))
        o_row(o, (const char *[]){"Mode", "quick run (--quick): a smoke test with few samples, not figures to publish"}, 2);
    if (in->run_id) o_row(o, (const char *[]){"Run", in->run_id}, 2);
    const char *commit = tool_rep_commit(in);
    if (commit) o_row(o, (const char *[]){"Commit", commit}, 2);
    if (in->branch) o_row(o, (const char *[]){"Branch", in->branch}, 2);
    const char *host = tool_rep_ctx_str(ctx, "host"), *cpu = tool_rep_ctx_str(ctx, "cpu_model");
    const json_t *cpus = json_object_get(ctx, "cpus");
    /* "1 logical CPU"; a document without the count (an import) has none, not "0" */
    char ncpu[48] = "";
    if (json_is_integer(cpus) && json_integer_value(cpus) > 0)
        tach__plural((double)json_integer_value(cpus), "logical CPU", NULL, ncpu, sizeof ncpu);
    snprintf(buf, sizeof buf, "%s%s%s%s%s", host ? host : "", host && (cpu || *ncpu) ? ": " : "",
             cpu ? cpu : "", cpu && *ncpu ? ", " : "", ncpu);
    if (!*buf) snprintf(buf, sizeof buf, "unknown (the document names no host, CPU or CPU count)");
    o_row(o, (const char *[]){"Machine", buf}, 2);
    const char *date = tool_rep_ctx_str(ctx, "date");
    if (date) o_row(o, (const char *[]){"Measured at", date}, 2);
    if (in->base_label) o_row(o, (const char *[]){"Baseline", in->base_label}, 2);
    if (in->generated) o_row(o, (const char *[]){"Certified at", in->generated}, 2);
    o_table_close(o);
}

static void method(out *o, const tool_report_in *in)
{
    o_h2(o, "What was run and how");
    tool_rep_method_line ml[16];
    size_t n = tool_rep_method(in, ml, 16);
    o_list_open(o);
    for (size_t i = 0; i < n; i++) {
        char buf[600];
        snprintf(buf, sizeof buf, "%s: %s", ml[i].key, ml[i].value);
        /* Code spans are Markdown; strip the backticks for a plain list. */
        char *w = buf;
        for (char *r = buf; *r; r++)
            if (*r != '`') *w++ = *r;
        *w = '\0';
        o_item(o, buf);
    }
    char *cl = tool_rep_command_line(in->doc->context);
    if (cl) {
        char buf[600];
        snprintf(buf, sizeof buf, "Command: %s", cl);
        o_item(o, buf);
    }
    tach__free(cl);
    o_list_close(o);
}

/* Whether item it is a change beyond the critical threshold that too few samples left
 * untested (one sample a side): the verdict rejects on it, as tach gate fails on it and
 * JUnit counts it a failure (junit.c). */
static bool untested_fails(const tool_rep_item *it)
{
    return it->r->status == TACH__OK && it->row && tool_cmp_row_untestable_fails(it->row);
}

/* The n untested changes beyond the critical threshold, each named, in JUnit's words,
 * after lead (the start of the sentence: what else the comparison found, or ""). */
static void untested_list(out *o, const tool_report_in *in, const tool_rep_view *v, size_t n,
                          const char *lead)
{
    char buf[768];
    snprintf(buf, sizeof buf, "%s%zu untested change%s at or beyond the critical threshold "
             "(too few samples to test %s; tach gate fails on such a change):", lead, n,
             n == 1 ? "" : "s", n == 1 ? "it" : "them");
    o_para(o, buf);
    o_list_open(o);
    for (size_t i = 0; i < v->nitems; i++) {
        if (!untested_fails(&v->items[i])) continue;
        const tool_cmp_row *r = v->items[i].row;
        char ch[32], bm[32], nm[32];
        if (isnan(r->change.value)) snprintf(ch, sizeof ch, "from 0"); /* a rise from 0 */
        else tool_rep_pct(r->change.value, ch, sizeof ch);
        o_item_name(o, r->name, ": changed %s with too few samples to test it (critical %.3g%%): "
                    "median %s -> %s", ch, r->critical * 100,
                    tool_rep_fmt_value(in->metric, r->base_median, bm, sizeof bm),
                    tool_rep_fmt_value(in->metric, r->new_median, nm, sizeof nm));
    }
    o_list_close(o);
}

static void findings(out *o, const tool_report_in *in, const tool_rep_view *v)
{
    char buf[512];
    o_h2(o, "Findings");
    o_h3(o, "Targets");
    if (!v->targets_total && !v->targets_not_checked) {
        o_para(o, "No benchmark declares a target.");
    } else {
        o_table_open(o, "Benchmark|Target|Limit|Actual|Result");
        for (size_t i = 0; i < v->nitems; i++)
            for (size_t k = 0; k < v->items[i].ntargets; k++) {
                const tool_target_check *t = &v->items[i].targets[k];
                char lim[48], act[48], tgt[64], res[160];
                tool_rep_target_fmt_pair(t->name, t->limit, t->actual, lim, act, sizeof lim);
                snprintf(tgt, sizeof tgt, "%s", tool_rep_check_label(t));
                if (t->not_checked) snprintf(res, sizeof res, "not checked: %s", t->not_checked);
                else snprintf(res, sizeof res, "%s", t->met ? "met" : "MISSED");
                o_row_name(o, (const char *[]){v->items[i].r->name, tgt, lim, act, res}, 5);
            }
        o_table_close(o);
    }
    o_h3(o, "Regressions");
    size_t nucrit = 0; /* untested changes the verdict rejects on, as tach gate fails on them */
    for (size_t i = 0; in->cmp && i < v->nitems; i++) nucrit += untested_fails(&v->items[i]);
    if (!in->cmp) {
        o_para(o, in->no_compare ? "Not assessed: not compared (--no-compare)."
                                 : "Not assessed: no baseline.");
    } else if (!in->cmp->regressed && nucrit) { /* never "None" over a doubled time */
        snprintf(buf, sizeof buf, "No tested regression among %zu compared benchmark%s; ",
                 in->cmp->compared, in->cmp->compared == 1 ? "" : "s");
    } else if (!in->cmp->regressed) {
        size_t nt = in->cmp->untestable;
        snprintf(buf, sizeof buf, "None among %zu compared benchmark%s%s.", in->cmp->compared,
                 in->cmp->compared == 1 ? "" : "s",
                 nt ? nt == 1 ? ", of which 1 was not testable (too few samples: only its point change is known)"
                              : ", of which some were not testable (too few samples: only their point changes are known)"
                    : "");
        o_para(o, buf);
    } else if (in->cmp->deterministic) { /* one count per side: no CI, no test */
        o_table_open(o, "Benchmark|Change of the count|Severity");
        for (size_t i = 0; i < v->nitems; i++) {
            if (!v->items[i].regressed) continue;
            const tool_cmp_row *r = v->items[i].row;
            char ch[32];
            o_row_name(o, (const char *[]){r->name, tool_rep_pct(r->change.value, ch, sizeof ch),
                                      tool_severity_name(r->severity)}, 3);
        }
        o_table_close(o);
    } else {
        o_table_open(o, "Benchmark|Change [95% CI]|q (BH)|Severity");
        for (size_t i = 0; i < v->nitems; i++) {
            if (!v->items[i].regressed) continue;
            const tool_cmp_row *r = v->items[i].row;
            char ch[32], lo[32], hi[32], q[32];
            snprintf(buf, sizeof buf, "%s [%s, %s]", tool_rep_pct(r->change.value, ch, sizeof ch),
                     tool_rep_pct(tool_cmp_shown_ci(r).lo, lo, sizeof lo),
                     tool_rep_pct(tool_cmp_shown_ci(r).hi, hi, sizeof hi));
            tool_rep_pvalue(r->q, q, sizeof q);
            o_row_name(o, (const char *[]){r->name, buf, q, tool_severity_name(r->severity)}, 4);
        }
        o_table_close(o);
    }
    if (nucrit) untested_list(o, in, v, nucrit, in->cmp->regressed ? "" : buf);
    o_h3(o, "Failures");
    if (!(v->failed + v->crashed + v->timeout)) {
        o_para(o, "None: every benchmark that ran ended ok.");
    } else {
        o_list_open(o);
        for (size_t i = 0; i < v->nitems; i++) {
            const tach__result *r = v->items[i].r;
            if (!v->items[i].broken) continue;
            o_item_name(o, r->name, ": %s%s%s", tool_rep_status_upper(r->status),
                     r->message ? " - " : "", r->message ? r->message : "");
        }
        o_list_close(o);
    }
    o_h3(o, "Unstable benchmarks");
    if (soak_run(in)) {
        o_para(o, "Not judged by CV: a soak is judged by its own verdict (see Soak).");
    } else if (counted_run(in)) {
        o_para(o, "Not judged by CV: a count has no spread: the same binary gives the same count.");
    } else if (tool_rep_suite_cv_free(in->doc)) {
        o_para(o, "Not judged by CV: the samples are I/Os, intervals, batches or messages of one "
                  "run of the workload, whose spread is the workload's own, not measurement "
                  "noise.");
    } else if (!v->unstable) {
        o_para(o, "None (every coefficient of variation at most 5%).");
    } else {
        o_list_open(o);
        for (size_t i = 0; i < v->nitems; i++) {
            const tach__result *r = v->items[i].r;
            if (!v->items[i].unstable) continue;
            o_item_name(o, r->name, ": CV %.1f%%", r->summary.cv * 100);
        }
        o_list_close(o);
    }
    o_h3(o, "Environment warnings");
    json_t *w = tool_rep_warnings(in->doc->context);
    size_t nw = w ? json_array_size(w) : 0, napply = 0;
    for (size_t k = 0; k < nw; k++) {
        const char *s = json_string_value(json_array_get(w, k));
        napply += s && warning_applies(in, s);
    }
    if (!napply) o_para(o, "None.");
    for (int pass = 0; pass < 2; pass++) { /* those that apply, then those that do not */
        if (pass == 1 && napply < nw) /* a counted run's timing-only warnings, said so */
            o_para(o, "Recorded, but not applying to a count (they concern timing; the same binary "
                      "gives the same count on a busy or virtual machine, at any clock speed, with "
                      "any timer):");
        if ((pass == 0 && !napply) || (pass == 1 && napply == nw)) continue;
        o_list_open(o);
        for (size_t k = 0; k < nw; k++) {
            const char *s = json_string_value(json_array_get(w, k));
            if (s && warning_applies(in, s) == (pass == 0)) o_item(o, s);
        }
        o_list_close(o);
    }
    json_decref(w);
}

static void scores(out *o, const tool_cert *c)
{
    o_h2(o, "Scores");
    o_table_open(o, "Area|Score|Detail");
    for (size_t i = 0; i < c->nareas; i++) {
        char s[16];
        if (c->areas[i].score < 0) snprintf(s, sizeof s, "n/a");
        else snprintf(s, sizeof s, "%d/100", c->areas[i].score);
        o_row(o, (const char *[]){c->areas[i].name, s, c->areas[i].detail}, 3);
    }
    o_table_close(o);
}

static void verdict(out *o, const tool_cert *c)
{
    o_h2(o, "Verdict");
    const char *name = tool_cert_verdict_name(c->verdict);
    if (o->html) {
        tool_sb_printf(o->b, "<p><span class=\"verdict t-%s\">%s</span></p>",
                        c->verdict == TOOL_APPROVED ? "APPROVED" :
                        c->verdict == TOOL_CONDITIONAL ? "CONDITIONAL" : "REJECTED", name);
    } else {
        tool_sb_printf(o->b, "**%s**\n\n", name);
    }
    if (c->nreasons) {
        o_para(o, "Rejected because:");
        o_list_open(o);
        for (size_t i = 0; i < c->nreasons; i++) o_item(o, c->reasons[i]);
        o_list_close(o);
    }
    if (c->nconditions) {
        o_para(o, c->verdict == TOOL_CONDITIONAL ? "Approved on these conditions:"
                                                  : "Also to address:");
        o_list_open(o);
        for (size_t i = 0; i < c->nconditions; i++) o_item(o, c->conditions[i]);
        o_list_close(o);
    }
}

static void evidence(out *o, const tool_cert_evidence *ev, size_t nev)
{
    o_h2(o, "Evidence");
    o_para(o, "The results documents this certificate was made from, with the SHA-256 of "
              "each document's bytes as stored. Check them with: tach certify --verify "
              "CERTIFICATE");
    o_table_open(o, "Run|Source|SHA-256");
    for (size_t i = 0; i < nev; i++)
        o_row(o, (const char *[]){ev[i].run_id && *ev[i].run_id ? ev[i].run_id : "-",
                                  ev[i].source, ev[i].sha256}, 3);
    o_table_close(o);
    /* The machine-readable copy: "text SHA256" for everything above the block (the
     * verdict, the findings, the table just written), so that an edit of the readable
     * certificate is found too; then one line per document, "sha256 run source". */
    if (!o->html) tool_sb_md_controls(o->b); /* before the hash: it covers what is written */
    char text_sha[65] = "";
    char serr[TACH__ERR_MAX];
    if (!o->b->oom && tool_sha256_hex(o->b->p ? o->b->p : "", o->b->len, text_sha, serr) != 0)
        text_sha[0] = '\0';
    tool_sb_put(o->b, EVIDENCE_OPEN "\n");
    if (text_sha[0]) tool_sb_printf(o->b, "text %s\n", text_sha);
    for (size_t i = 0; i < nev; i++) {
        tool_sb_printf(o->b, "%s %s ", ev[i].sha256, ev[i].run_id && *ev[i].run_id ? ev[i].run_id : "-");
        /* "--" cannot appear inside an HTML comment; sources are paths, so
         * a path holding it is escaped as %2D%2D and unescaped by the parser; so are a
         * control character (a newline, ESC, the 8-bit CSI) and a byte that is not
         * UTF-8, so that the block never carries a terminal escape sequence either. */
        for (const char *p = ev[i].source; *p; p++) {
            unsigned cp;
            size_t n = tach__utf8_control(p, &cp);
            if (p[0] == '-' && p[1] == '-') {
                tool_sb_put(o->b, "%2D");
            } else if (*p == '%' || cp || n == 0) { /* each byte: U+009B is %C2%9B */
                size_t k = n ? n : 1;
                for (size_t j = 0; j < k; j++) tool_sb_printf(o->b, "%%%02X", (unsigned char)p[j]);
                p += k - 1;
            } else {
                tool_sb_putn(o->b, p, n);
                p += n - 1;
            }
        }
        tool_sb_put(o->b, "\n");
    }
    tool_sb_put(o->b, EVIDENCE_CLOSE "\n");
}

char *tool_cert_render(const tool_report_in *in, const tool_cert *c,
                        const tool_cert_evidence *ev, size_t nev, bool html, char *err)
{
    tool_rep_view v;
    if (tool_rep_view_build(in, &v, err)) return NULL;
    tool_sb b;
    tool_sb_init(&b);
    out o = {&b, html};
    const char *title = in->title ? in->title : "Performance certificate";
    const char *vn = tool_cert_verdict_name(c->verdict);
    if (html) {
        tool_html_page_open(&b, title);
        tool_sb_put(&b, "<header class=\"top\"><h1>");
        tool_sb_esc_xml(&b, title);
        tool_sb_put(&b, "</h1><p class=\"meta\">Verdict: <b>");
        tool_sb_esc_xml(&b, vn);
        tool_sb_put(&b, "</b></p></header>\n<main><section>");
        tool_sb_printf(&b, "<span class=\"verdict t-%s\">%s</span>",
                        c->verdict == TOOL_APPROVED ? "APPROVED" :
                        c->verdict == TOOL_CONDITIONAL ? "CONDITIONAL" : "REJECTED", vn);
    } else {
        /* the title as text: a line break or markup in --title never makes a heading
         * of its own (a "## Verdict: APPROVED" above the real verdict) */
        tool_sb_put(&b, "# ");
        tool_sb_esc_md(&b, title);
        tool_sb_printf(&b, "\n\n**Verdict: %s**\n\n", vn);
    }
    scope(&o, in, &v);
    method(&o, in);
    findings(&o, in, &v);
    tool_report_suite_profile(&b, in->doc, html);
    if (!tool_rep_suite_name(in->doc)) /* a suite has no --profile to record one */
        tool_report_bottlenecks_cert(&b, in, &v, html);
    if (c->nsoak) {
        o_h2(&o, "Soak");
        o_list_open(&o);
        for (size_t i = 0; i < c->nsoak; i++) o_item(&o, c->soak[i]);
        o_list_close(&o);
    }
    scores(&o, c);
    verdict(&o, c);
    evidence(&o, ev, nev);
    if (html) {
        tool_sb_put(&b, "</section>\n</main>\n");
        tool_html_page_close(&b, false);
    }
    tool_rep_view_free(&v);
    char *s = tool_sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}

/* ---- reading the evidence back ----------------------------------------------- */

static char *unescape_source(const char *s, size_t n)
{
    char *d = tach__malloc(n + 1);
    if (!d) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end == '\0') {
                d[k++] = (char)v;
                i += 2;
                continue;
            }
        }
        d[k++] = s[i];
    }
    d[k] = '\0';
    return d;
}

int tool_cert_check_text(const char *text, char *err)
{
    const char *block = text ? strstr(text, EVIDENCE_OPEN) : NULL;
    if (!block) return tach__err(err, "no tach evidence block (is this a tach certificate?)");
    const char *line = block + strlen(EVIDENCE_OPEN);
    if (*line == '\r') line++;
    if (*line == '\n') line++;
    if (strncmp(line, "text ", 5) != 0)
        return tach__err(err, "the certificate's own text is not covered by its evidence "
                              "(made by a tach before 0.2)");
    char want[65], got[65];
    /* a block that records a text hash, not 64 hex digits: the line was edited (an older
     * certificate has no such line at all), so the text is not as made */
    if (strspn(line + 5, "0123456789abcdef") != 64) {
        tach__err(err, "its text SHA-256 is malformed (not 64 hex digits): the evidence block was "
                       "edited");
        return 1;
    }
    memcpy(want, line + 5, 64);
    want[64] = '\0';
    /* Hashed with LF line ends, as written: a copy moved through a CRLF system still
     * verifies. */
    size_t n = (size_t)(block - text);
    char *lf = tach__malloc(n + 1);
    if (!lf) return tach__err(err, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) lf[m++] = text[i];
    int hrc = tool_sha256_hex(lf, m, got, err);
    tach__free(lf);
    if (hrc != 0) return -1;
    if (strcmp(want, got) != 0) {
        tach__err(err, "the certificate's text was changed after it was made (its SHA-256 is %s, "
                       "the evidence says %s)", got, want);
        return 1;
    }
    return 0;
}

int tool_cert_parse_evidence(const char *text, tool_cert_evidence **evp, size_t *nevp, char *err)
{
    *evp = NULL;
    *nevp = 0;
    const char *p = text ? strstr(text, EVIDENCE_OPEN) : NULL;
    if (!p) return tach__err(err, "no tach evidence block (is this a tach certificate?)");
    p += strlen(EVIDENCE_OPEN);
    const char *end = strstr(p, EVIDENCE_CLOSE);
    if (!end) return tach__err(err, "the evidence block is not closed");
    tool_cert_evidence *ev = NULL;
    size_t n = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        const char *line = p;
        size_t len = (size_t)(eol - p);
        p = eol + 1;
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) len--;
        if (!len || (len > 5 && !strncmp(line, "text ", 5))) continue; /* tool_cert_check_text's */
        /* sha256 SP run SP source */
        const char *sp1 = memchr(line, ' ', len);
        const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - line)) : NULL;
        if (!sp1 || sp1 - line != 64 || !sp2 || sp2 + 1 >= line + len) {
            tool_cert_evidence_free(ev, n);
            return tach__err(err, "malformed evidence line %zu", n + 1);
        }
        tool_cert_evidence *t = tach__realloc(ev, (n + 1) * sizeof *t);
        if (!t) {
            tool_cert_evidence_free(ev, n);
            return tach__err(err, "out of memory");
        }
        ev = t;
        memset(&ev[n], 0, sizeof ev[n]);
        memcpy(ev[n].sha256, line, 64);
        ev[n].sha256[64] = '\0';
        for (int i = 0; i < 64; i++)
            if (!strchr("0123456789abcdef", ev[n].sha256[i])) {
                tool_cert_evidence_free(ev, n);
                return tach__err(err, "malformed SHA-256 on evidence line %zu", n + 1);
            }
        size_t rl = (size_t)(sp2 - sp1 - 1);
        char *run = tach__malloc(rl + 1);
        char *src = unescape_source(sp2 + 1, (size_t)(line + len - sp2 - 1));
        if (!run || !src) {
            tach__free(run);
            tach__free(src);
            tool_cert_evidence_free(ev, n);
            return tach__err(err, "out of memory");
        }
        memcpy(run, sp1 + 1, rl);
        run[rl] = '\0';
        if (!strcmp(run, "-")) run[0] = '\0';
        ev[n].run_id = run;
        ev[n].source = src;
        n++;
    }
    if (!n) return tach__err(err, "the evidence block names no document");
    *evp = ev;
    *nevp = n;
    return 0;
}

void tool_cert_evidence_free(tool_cert_evidence *ev, size_t nev)
{
    if (!ev) return;
    for (size_t i = 0; i < nev; i++) {
        tach__free((char *)ev[i].run_id);
        tach__free((char *)ev[i].source);
    }
    tach__free(ev);
}
