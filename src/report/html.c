/* html.c - the HTML report: one self-contained file (inline CSS, inline SVG, a
 * small inline script for sorting and filtering; nothing fetched).  (About 600 lines:
 * one section writer per part of the report, in the order the report shows them; the
 * style sheet is html_style.h, the charts svg*.c, the profiles prof_report.c.) */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_style.h"
#include "complexity.h"
#include "report.h"

static void num_cell(tool_sb *b, double v, const char *shown)
{
    if (isfinite(v)) tool_sb_printf(b, "<td class=\"n\" data-v=\"%.6g\">", v);
    else tool_sb_put(b, "<td class=\"n\" data-v=\"-1e300\">");
    tool_sb_esc_xml(b, shown);
    tool_sb_put(b, "</td>");
}

static void time_cell(tool_sb *b, double ns, tool_metric m)
{
    char buf[64];
    num_cell(b, ns, isfinite(ns) ? tool_rep_fmt_value(m, ns, buf, sizeof buf) : "\xe2\x80\x94");
}

static void tag(tool_sb *b, const char *cls, const char *text)
{
    tool_sb_put(b, "<span class=\"tag t-");
    tool_sb_esc_xml(b, cls);
    tool_sb_put(b, "\">");
    tool_sb_esc_xml(b, text);
    tool_sb_put(b, "</span>");
}

static void status_tags(tool_sb *b, const tool_rep_item *it)
{
    const tach__result *r = it->r;
    const char *st = tach__status_name(r->status);
    if (r->status == TACH__CRASHED && r->signal) {
        char s[48];
        snprintf(s, sizeof s, "crashed (%s)", tool_rep_signal_name(r->signal));
        tag(b, "crashed", s);
    } else if (r->status == TACH__TIMEOUT) {
        tag(b, "timeout", "timed out");
    } else {
        tag(b, st, st);
    }
    if (it->unstable) {
        tool_sb_put(b, " ");
        tag(b, "unstable", "unstable");
    }
    if (it->missed) {
        char s[48];
        snprintf(s, sizeof s, "%zu target%s missed", it->missed, it->missed == 1 ? "" : "s");
        tool_sb_put(b, " ");
        tag(b, "missed", s);
    }
}

static void card(tool_sb *b, const char *cls, const char *k, const char *v)
{
    tool_sb_printf(b, "<div class=\"card %s\"><div class=\"k\">", cls);
    tool_sb_esc_xml(b, k);
    tool_sb_put(b, "</div><div class=\"v\">");
    tool_sb_esc_xml(b, v);
    tool_sb_put(b, "</div></div>");
}

static void html_header(tool_sb *b, const tool_report_in *in, const char *title)
{
    const json_t *ctx = in->doc->context;
    tool_sb_put(b, "<header class=\"top\"><h1>");
    tool_sb_esc_xml(b, title);
    tool_sb_put(b, "</h1><p class=\"meta\">");
    const char *sep = "";
    if (in->run_id) {
        tool_sb_put(b, "Run <code>");
        tool_sb_esc_xml(b, in->run_id);
        tool_sb_put(b, "</code>");
        sep = " \xc2\xb7 ";
    }
    const char *commit = tool_rep_commit(in);
    if (commit) {
        char sc[64]; /* columns, not bytes: 名 is 3 bytes, an emoji 4 */
        tool_sb_printf(b, "%scommit <code>", sep);
        tool_sb_esc_xml(b, tool_width_head(commit, 12, sc, sizeof sc));
        tool_sb_put(b, "</code>");
        sep = " \xc2\xb7 ";
    }
    if (in->branch) {
        tool_sb_printf(b, "%sbranch <code>", sep);
        tool_sb_esc_xml(b, in->branch);
        tool_sb_put(b, "</code>");
        sep = " \xc2\xb7 ";
    }
    const char *keys[] = {"host", "cpu_model", "date"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = tool_rep_ctx_str(ctx, keys[i]);
        if (!v) continue;
        tool_sb_put(b, sep);
        tool_sb_esc_xml(b, v);
        sep = " \xc2\xb7 ";
    }
    if (in->generated) {
        tool_sb_printf(b, "%sgenerated ", sep);
        tool_sb_esc_xml(b, in->generated);
    }
    tool_sb_put(b, "</p></header>\n");
}

static void html_cards(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    char buf[64];
    tool_sb_put(b, "<section class=\"cards\" id=\"summary\">");
    if (tool_rep_suite_quick(in->doc)) /* a smoke run: said first (docs/suites.md) */
        card(b, "warn", "Mode", "quick run (--quick)");
    snprintf(buf, sizeof buf, "%zu", v->nitems);
    card(b, "", "Benchmarks", buf);
    size_t bad = v->failed + v->crashed + v->timeout;
    snprintf(buf, sizeof buf, "%zu", bad);
    card(b, bad ? "bad" : "good", "Failed / crashed / timed out", buf);
    if (in->cmp) {
        snprintf(buf, sizeof buf, "%zu", in->cmp->regressed);
        card(b, in->cmp->regressed ? "bad" : "good", "Regressions", buf);
        snprintf(buf, sizeof buf, "%zu", in->cmp->improved);
        card(b, in->cmp->improved ? "good" : "", "Improvements", buf);
        tool_rep_pct(in->cmp->geomean_change, buf, sizeof buf);
        card(b, "", "Geometric-mean change", buf);
    }
    snprintf(buf, sizeof buf, "%zu / %zu", v->targets_total - v->targets_missed, v->targets_total);
    card(b, v->targets_missed ? "bad" : (v->targets_total ? "good" : ""), "Targets met", buf);
    if (v->cv_free) snprintf(buf, sizeof buf, "n/a"); /* not judged by CV (view.c) */
    else snprintf(buf, sizeof buf, "%zu", v->unstable);
    card(b, v->unstable ? "warn" : "", "Unstable (CV > 5%)", buf);
    tool_sb_put(b, "</section>\n");
}

static void html_problems(tool_sb *b, const tool_rep_view *v)
{
    if (!(v->failed + v->crashed + v->timeout)) return;
    tool_sb_put(b, "<section id=\"problems\"><h2>Problems</h2><ul>");
    for (size_t i = 0; i < v->nitems; i++) {
        const tool_rep_item *it = &v->items[i];
        if (!it->broken) continue;
        tool_sb_put(b, "<li><code>");
        tool_sb_esc_xml(b, it->r->name);
        tool_sb_put(b, "</code> ");
        status_tags(b, it);
        if (it->r->message) {
            tool_sb_put(b, " ");
            tool_sb_esc_xml(b, it->r->message);
        }
        tool_sb_put(b, "</li>");
    }
    tool_sb_put(b, "</ul></section>\n");
}

static void html_compare(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    const tool_comparison *c = in->cmp;
    if (!c) return;
    tool_sb_put(b, "<section id=\"comparison\"><h2>Against ");
    tool_sb_esc_xml(b, in->base_label ? in->base_label : "the baseline");
    tool_sb_printf(b, "</h2><p class=\"muted\">%zu compared: %zu regressed (%zu critical), %zu "
                       "improved, %zu unchanged, %zu unstable",
                    c->compared, c->regressed, c->regressed_critical, c->improved, c->unchanged,
                    c->unstable);
    /* as compare's summary, only when some are: too few samples for a verdict (their
     * change is a number: among the compared), a benchmark that failed, one offered at
     * other rates (neither among the compared, so after them) */
    if (c->untestable) tool_sb_printf(b, ", %zu not testable", c->untestable);
    if (c->broken) tool_sb_printf(b, "; %zu failed", c->broken);
    if (c->incomparable) tool_sb_printf(b, "; %zu incomparable", c->incomparable);
    tool_sb_printf(b, "; %zu added, %zu removed. Noise threshold %.3g%%, critical %.3g%%.</p>",
                   c->added, c->removed, c->noise * 100, c->critical * 100);
    if (c->machine_mismatch)
        tool_sb_put(b, "<p class=\"warnings\"><b>The baseline ran on a different machine</b>: "
                        "changes may reflect the hardware, not the code.</p>");
    tool_sb_put(b, "<div class=\"scroll\">");
    tool_svg_compare_bars(b, c, 860);
    tool_sb_put(b, "</div>");
    if (c->regressed) { /* each regression's row, and what grew most in its profile below it */
        tool_sb_put(b, "<h3>Regressions</h3><div class=\"scroll\"><table><thead><tr>"
                        "<th>Benchmark</th><th class=\"n\">Base</th><th class=\"n\">New</th>"
                        "<th class=\"n\">Change [95% CI]</th><th class=\"n\">p</th>"
                        "<th class=\"n\">q (BH)</th><th>Severity</th></tr></thead><tbody>");
        for (size_t i = 0; i < v->nitems; i++) {
            const tool_cmp_row *r = v->items[i].row;
            if (!v->items[i].regressed) continue;
            char a[64], z[64], ch[32], lo[32], hi[32], buf[128], pv[16], qv[16];
            tool_sb_put(b, "<tr><td><code>");
            tool_sb_esc_xml(b, r->name);
            tool_sb_put(b, "</code></td>");
            tool_sb_printf(b, "<td class=\"n\">%s</td><td class=\"n\">%s</td>",
                            tool_rep_fmt_value(in->metric, r->base_median, a, sizeof a),
                            tool_rep_fmt_value(in->metric, r->new_median, z, sizeof z));
            snprintf(buf, sizeof buf, "%s [%s, %s]", tool_rep_pct(r->change.value, ch, sizeof ch),
                     tool_rep_pct(tool_cmp_shown_ci(r).lo, lo, sizeof lo),
                     tool_rep_pct(tool_cmp_shown_ci(r).hi, hi, sizeof hi));
            tool_sb_printf(b, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>",
                            buf, tool_rep_pvalue(r->p, pv, sizeof pv), tool_rep_pvalue(r->q, qv, sizeof qv));
            tag(b, "regressed", tool_severity_name(r->severity));
            tool_sb_put(b, "</td></tr>");
            tool_report_suspect_row(b, in, r->name, 7);
        }
        tool_sb_put(b, "</tbody></table></div>");
    }
    tool_sb_put(b, "</section>\n");
}

static void html_targets(tool_sb *b, const tool_rep_view *v)
{
    tool_sb_put(b, "<section id=\"targets\"><h2>Targets</h2>");
    if (!v->targets_total && !v->targets_not_checked) {
        tool_sb_put(b, "<p class=\"muted\">No benchmark declares a target.</p></section>\n");
        return;
    }
    tool_sb_printf(b, "<p>%zu met, %zu missed", v->targets_total - v->targets_missed,
                    v->targets_missed);
    if (v->targets_not_checked)
        tool_sb_printf(b, ", %zu not checked (neither met nor missed)", v->targets_not_checked);
    tool_sb_put(b, ".</p><div class=\"scroll\"><table><thead><tr>"
                   "<th>Benchmark</th><th>Target</th><th class=\"n\">Limit</th>"
                   "<th class=\"n\">Actual</th><th>Result</th></tr></thead><tbody>");
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < v->nitems; i++) {
            const tool_rep_item *it = &v->items[i];
            for (size_t k = 0; k < it->ntargets; k++) {
                const tool_target_check *t = &it->targets[k];
                if (tool_rep_target_pass(t) != pass) continue;
                char lim[48], act[48];
                tool_rep_target_fmt_pair(t->name, t->limit, t->actual, lim, act, sizeof lim);
                tool_sb_put(b, "<tr><td><code>");
                tool_sb_esc_xml(b, it->r->name);
                tool_sb_put(b, "</code></td><td>");
                tool_sb_esc_xml(b, tool_rep_check_label(t));
                tool_sb_put(b, "</td><td class=\"n\">");
                tool_sb_esc_xml(b, lim);
                tool_sb_put(b, "</td><td class=\"n\">");
                tool_sb_esc_xml(b, act);
                tool_sb_put(b, "</td><td>");
                if (t->not_checked) { /* neither met nor missed: a neutral tag, and why */
                    tag(b, "unchanged", "not checked");
                    tool_sb_put(b, " ");
                    tool_sb_esc_xml(b, t->not_checked);
                } else {
                    tag(b, t->met ? "met" : "missed", t->met ? "met" : "missed");
                }
                tool_sb_put(b, "</td></tr>");
            }
        }
    tool_sb_put(b, "</tbody></table></div></section>\n");
}

static void html_table(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    tool_sb_put(b, "<section id=\"results\"><h2>Results</h2><div class=\"scroll\">"
                    "<table class=\"sortable\" id=\"results-table\"><thead><tr>"
                    "<th>Benchmark</th><th>Group</th><th class=\"n\">Median</th>"
                    "<th class=\"n\">95% CI</th><th class=\"n\">Mean</th><th class=\"n\">p99</th>"
                    "<th class=\"n\">CV</th><th class=\"n\">Throughput</th>"
                    "<th class=\"n\">Samples</th>");
    if (in->cmp) tool_sb_put(b, "<th class=\"n\">Change</th><th>Verdict</th>");
    tool_sb_put(b, "<th>Status</th></tr></thead><tbody>");
    for (size_t i = 0; i < v->nitems; i++) {
        const tool_rep_item *it = &v->items[i];
        const tach__result *r = it->r;
        bool s = r->has_summary && r->summary.n;
        tool_sb_printf(b, "<tr><td><a href=\"#b%zu\"><code>", i);
        tool_sb_esc_xml(b, r->name);
        tool_sb_put(b, "</code></a></td><td>");
        tool_sb_esc_xml(b, tool_rep_group(r));
        tool_sb_put(b, "</td>");
        time_cell(b, s ? r->summary.median.value : NAN, in->metric);
        /* both ends, or none: a per-call median of a few calls has no upper one (hist.h),
         * and the cell showed the median alone as if it were its CI */
        if (s && isfinite(r->summary.median.lo) && isfinite(r->summary.median.hi)) {
            char buf[96];
            tool_rep_fmt_range_m(in->metric, r->summary.median.value, r->summary.median.lo,
                                 r->summary.median.hi, buf, sizeof buf);
            /* Just the bracketed interval: the median has its own column. */
            const char *br = strchr(buf, '[');
            num_cell(b, r->summary.median.hi - r->summary.median.lo, br ? br : buf);
        } else {
            num_cell(b, NAN, "\xe2\x80\x94");
        }
        time_cell(b, s ? r->summary.mean.value : NAN, in->metric);
        time_cell(b, s ? r->summary.p99 : NAN, in->metric);
        char cv[32];
        if (s && isfinite(r->summary.cv)) snprintf(cv, sizeof cv, "%.2f%%", r->summary.cv * 100);
        else snprintf(cv, sizeof cv, "\xe2\x80\x94");
        num_cell(b, s ? r->summary.cv : NAN, cv);
        /* sorted by value: bytes/s where there are bytes, else items/s (as shown first) */
        double med = s ? r->summary.median.value : NAN, rate = NAN;
        if (med > 0 && r->bytes_per_iter > 0) rate = r->bytes_per_iter * 1e9 / med;
        else if (med > 0 && r->items_per_iter > 0) rate = r->items_per_iter * 1e9 / med;
        if (isfinite(rate)) tool_sb_printf(b, "<td class=\"n\" data-v=\"%.6g\">", rate);
        else tool_sb_put(b, "<td class=\"n\" data-v=\"-1e300\">");
        tool_rep_throughput(b, r);
        tool_sb_printf(b, "</td><td class=\"n\" data-v=\"%zu\">%zu</td>", r->nsamples, r->nsamples);
        if (in->cmp) {
            char ch[32];
            double c = it->row ? it->row->change.value : NAN;
            num_cell(b, c, tool_rep_pct(c, ch, sizeof ch));
            tool_sb_put(b, "<td>");
            const char *vn = tool_rep_verdict(it);
            tag(b, strcmp(vn, "new") ? vn : "added", vn);
            tool_sb_put(b, "</td>");
        }
        tool_sb_put(b, "<td>");
        status_tags(b, it);
        tool_sb_put(b, "</td></tr>");
    }
    tool_sb_put(b, "</tbody></table></div>");
    if (!v->nitems) tool_sb_put(b, "<p>No benchmark in this run.</p>");
    tool_sb_put(b, "</section>\n");
}

static void html_bench_details(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    tool_sb_put(b, "<section id=\"benchmarks\"><h2>Benchmarks</h2>");
    for (size_t i = 0; i < v->nitems; i++) {
        const tool_rep_item *it = &v->items[i];
        const tach__result *r = it->r;
        tool_sb_printf(b, "<div class=\"bench\" id=\"b%zu\"><h3>", i);
        tool_sb_esc_xml(b, r->name);
        tool_sb_put(b, "</h3><div>");
        status_tags(b, it);
        if (it->row && isfinite(it->row->change.value)) {
            char ch[32], lo[32], hi[32], buf[128];
            snprintf(buf, sizeof buf, " %s [%s, %s] against the baseline",
                     tool_rep_pct(it->row->change.value, ch, sizeof ch),
                     tool_rep_pct(it->row->change.lo, lo, sizeof lo),
                     tool_rep_pct(it->row->change.hi, hi, sizeof hi));
            tool_sb_put(b, " ");
            const char *vn = tool_verdict_name(it->row->verdict);
            tag(b, vn, vn);
            tool_sb_esc_xml(b, buf);
        }
        if (r->message) {
            tool_sb_put(b, " <span class=\"muted\">");
            tool_sb_esc_xml(b, r->message);
            tool_sb_put(b, "</span>");
        }
        tool_sb_put(b, "</div>");
        if (r->has_summary && r->summary.n) {
            const tach__summary *s = &r->summary;
            char a[96], e[64], f[64], g[64], ns[48];
            tool_metric m = in->metric;
            tool_sb_printf(b, "<p class=\"stats\">median <b>%s</b> \xc2\xb7 mean <b>%s</b> "
                               "\xc2\xb7 \xcf\x83 %s \xc2\xb7 p99 %s \xc2\xb7 CV %.2f%% \xc2\xb7 %s"
                               " \xc2\xb7 outliers %zu mild, %zu severe</p>",
                            tool_rep_fmt_range_m(m, s->median.value, s->median.lo, s->median.hi, a, sizeof a),
                            tool_rep_fmt_value(m, s->mean.value, e, sizeof e),
                            tool_rep_fmt_value(m, s->stddev, f, sizeof f), tool_rep_fmt_value(m, s->p99, g, sizeof g),
                            isfinite(s->cv) ? s->cv * 100 : 0.0,
                            tach__plural((double)s->n, "sample", NULL, ns, sizeof ns),
                            s->outliers.low_mild + s->outliers.high_mild,
                            s->outliers.low_severe + s->outliers.high_severe);
        }
        tool_sb_put(b, "<div class=\"charts\">");
        /* a count's distribution is one value (times and CPU times have samples) */
        if (in->metric == TOOL_METRIC_WALL || in->metric == TOOL_METRIC_CPU)
            tool_svg_distribution(b, r, 340, 130);
        if (it->series && it->series->npoints > 1) tool_svg_trend(b, it->series, 520, 150, in->commit_url);
        tool_sb_put(b, "</div></div>\n");
    }
    tool_sb_put(b, "</section>\n");
}

/* ---- parameterised families (time against parameter, log-log) -------------- */

typedef struct fam {
    char *key;          /* name with the swept parameter's value replaced by '*' */
    char *func;         /* group/function: one chart each */
    const char *param;
    double *x, *y;
    size_t n, cap;
    bool runs;          /* a command's (tach run): a sample per run, not per iteration */
} fam;

static void html_families(tool_sb *b, const tool_report_in *in)
{
    const tach__doc *d = in->doc;
    fam *fs = NULL;
    size_t nf = 0, capf = 0;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->nparams || !r->has_summary || !r->summary.n || !r->name) continue;
        double xv;
        /* a number, or a size as 4k or 1MiB (tach__param_number): the same sizes the
         * complexity fit reads, so a fitted family is charted with its fit */
        if (tach__param_number(r->params[0].value, &xv) != 0 || !(xv > 0)) continue;
        /* Key: the name with "p0=value" replaced by "p0=*", p0 a whole token of the name
         * ("f/n=1" is not a member of "f/nn=*"). */
        const char *at = tach__name_param(r->name, r->params[0].name, r->params[0].value);
        if (!at) continue;
        const char *past = at + strlen(r->params[0].name) + 1 + strlen(r->params[0].value);
        size_t klen = strlen(r->name) + 4;
        char *key = tach__malloc(klen);
        if (!key) break;
        snprintf(key, klen, "%.*s%s=*%s", (int)(at - r->name), r->name, r->params[0].name, past);
        size_t k = 0;
        while (k < nf && strcmp(fs[k].key, key)) k++;
        if (k == nf) {
            if (TACH__GROW(&fs, &capf, nf + 1, 8) != 0) {
                tach__free(key);
                break;
            }
            memset(&fs[nf], 0, sizeof fs[nf]);
            fs[nf].key = key;
            size_t flen = (size_t)(at - r->name);
            /* the separators and an option's dashes before the parameter: "f/n=8",
             * "/bin/true n=8" and "prog --n=8" are captioned "f", "/bin/true" and "prog";
             * a name that starts with its parameter by its key, the name the Markdown
             * report gives the family */
            while (flen && strchr(TACH__NAME_SEPS "-", r->name[flen - 1])) flen--;
            if (!flen) fs[nf].func = tach__strdup(key);
            else if ((fs[nf].func = tach__malloc(flen + 1)) != NULL) {
                memcpy(fs[nf].func, r->name, flen);
                fs[nf].func[flen] = '\0';
            }
            fs[nf].param = r->params[0].name;
            nf++;
        } else {
            tach__free(key);
        }
        fam *f = &fs[k];
        if (r->command) f->runs = true;
        size_t cap_x = f->cap, cap_y = f->cap; /* two arrays, one capacity */
        if (TACH__GROW(&f->x, &cap_x, f->n + 1, 8) != 0 || TACH__GROW(&f->y, &cap_y, f->n + 1, 8) != 0)
            break;
        f->cap = cap_x;
        f->x[f->n] = xv;
        f->y[f->n] = r->summary.median.value;
        f->n++;
    }
    /* Sort each family by x; keep families with >= 2 points; one chart per func.  The
     * charts' median is per run for commands, per iteration for benchmarks (peak RSS and
     * CPU time are per run for both). */
    size_t shown = 0;
    bool of_runs = false, of_iters = false;
    for (size_t i = 0; i < nf; i++) {
        fam *f = &fs[i];
        if (f->n >= 2 && f->func) *(f->runs ? &of_runs : &of_iters) = true;
        for (size_t a = 1; a < f->n; a++)
            for (size_t c = a; c > 0 && f->x[c - 1] > f->x[c]; c--) {
                double t = f->x[c]; f->x[c] = f->x[c - 1]; f->x[c - 1] = t;
                t = f->y[c]; f->y[c] = f->y[c - 1]; f->y[c - 1] = t;
            }
    }
    bool *done = tach__calloc(nf ? nf : 1, sizeof *done);
    /* The complexity fits (complexity.h), drawn over their families' points: those of
     * the run measured (a counted run's come fitted on its counts), each where the chart
     * shows what it was fitted on (times when timed, instructions when counted; not a
     * fit of times over a chart of allocations). */
    tach__cx_family *cx = NULL;
    int ncx = nf ? tool_rep_cx_families(d, &cx) : 0;
    bool fits = ncx > 0 && /* a run is counted or timed throughout */
                in->metric == (cx[0].counted ? TOOL_METRIC_INSTRUCTIONS : TOOL_METRIC_WALL);
    for (size_t i = 0; done && i < nf; i++) {
        if (done[i] || fs[i].n < 2 || !fs[i].func) continue;
        tool_svg_family sf[8];
        char labels[8][320];
        size_t ns = 0;
        for (size_t k = i; k < nf && ns < 8; k++) {
            if (done[k] || fs[k].n < 2 || !fs[k].func || strcmp(fs[k].func, fs[i].func) ||
                strcmp(fs[k].param, fs[i].param))
                continue;
            done[k] = true;
            sf[ns] = (tool_svg_family){fs[k].key, fs[k].param, fs[k].x, fs[k].y, fs[k].n, 0, 0, 0};
            for (int c = 0; fits && c < ncx; c++) {
                if (!cx[c].fitted || strcmp(cx[c].name, fs[k].key) != 0 || cx[c].per_item) continue;
                sf[ns].fit_class = cx[c].fit.cls;
                sf[ns].fit_a = cx[c].fit.cls == TACH_O_1 ? cx[c].fit.coef.value : cx[c].fit.a;
                sf[ns].fit_b = cx[c].fit.cls == TACH_O_1 ? 0 : cx[c].fit.coef.value;
                snprintf(labels[ns], sizeof labels[ns], "%s  (fit: %s, dashed)", fs[k].key,
                         tach__cx_name(cx[c].fit.cls));
                sf[ns].label = labels[ns];
            }
            ns++;
        }
        if (!shown++) {
            const char *q = tool_rep_metric_quantity(in->metric);
            bool per_run = in->metric == TOOL_METRIC_PEAK_RSS || in->metric == TOOL_METRIC_CPU;
            tool_sb_printf(b, "<section id=\"families\"><h2>%c%s against parameter</h2>"
                              "<p class=\"muted\">Median %s %s, log-log: a slope of 1 is linear, 2 "
                              "quadratic.</p><div class=\"charts\">", toupper((unsigned char)q[0]), q + 1, q,
                           per_run || !of_iters ? "per run"
                           : of_runs            ? "per run (a command) or per iteration (a benchmark)"
                                                : "per iteration");
        }
        tool_sb_put(b, "<figure style=\"margin:0\"><figcaption><code>");
        tool_sb_esc_xml(b, fs[i].func);
        tool_sb_put(b, "</code></figcaption>");
        tool_svg_loglog(b, sf, ns, in->metric, 520, 240);
        tool_sb_put(b, "</figure>");
    }
    if (shown) tool_sb_put(b, "</div></section>\n");
    tach__cx_families_free(cx, ncx > 0 ? (size_t)ncx : 0);
    tach__free(done);
    for (size_t i = 0; i < nf; i++) {
        tach__free(fs[i].key);
        tach__free(fs[i].func);
        tach__free(fs[i].x);
        tach__free(fs[i].y);
    }
    tach__free(fs);
}

static void html_env(tool_sb *b, const tool_report_in *in)
{
    tool_sb_put(b, "<section id=\"environment\"><h2>Environment</h2><table><tbody>");
    tool_rep_env_rows rows[32];
    size_t n = tool_rep_env(in->doc->context, rows, 32);
    for (size_t i = 0; i < n; i++) {
        tool_sb_printf(b, "<tr><th style=\"width:180px\">%s</th><td>", rows[i].key);
        tool_sb_esc_xml(b, rows[i].value);
        tool_sb_put(b, "</td></tr>");
    }
    tool_sb_put(b, "</tbody></table>");
    json_t *w = tool_rep_warnings(in->doc->context);
    if (w && json_array_size(w)) {
        tool_sb_put(b, "<h3>Warnings</h3><ul class=\"warnings\">");
        size_t k;
        json_t *s;
        json_array_foreach(w, k, s) if (json_is_string(s))
        {
            tool_sb_put(b, "<li>");
            tool_sb_esc_xml(b, json_string_value(s));
            tool_sb_put(b, "</li>");
        }
        tool_sb_put(b, "</ul>");
    } else {
        tool_sb_put(b, "<p class=\"muted\">No environment warnings.</p>");
    }
    json_decref(w);
    tool_sb_put(b, "</section>\n");
}

/* Markdown code spans (`x`) in methodology lines become <code>. */
static void put_codespans(tool_sb *b, const char *s)
{
    bool in = false;
    for (; *s; s++) {
        if (*s == '`') {
            tool_sb_put(b, in ? "</code>" : "<code>");
            in = !in;
        } else {
            char c[2] = {*s, 0};
            tool_sb_esc_xml(b, c);
        }
    }
    if (in) tool_sb_put(b, "</code>");
}

static void html_method(tool_sb *b, const tool_report_in *in)
{
    tool_sb_put(b, "<section id=\"methodology\"><h2>Methodology</h2><table><tbody>");
    tool_rep_method_line ml[16];
    size_t n = tool_rep_method(in, ml, 16);
    for (size_t i = 0; i < n; i++) {
        tool_sb_printf(b, "<tr><th style=\"width:180px\">%s</th><td>", ml[i].key);
        put_codespans(b, ml[i].value);
        tool_sb_put(b, "</td></tr>");
    }
    tool_sb_put(b, "</tbody></table>");
    char *cl = tool_rep_command_line(in->doc->context);
    if (cl || in->command) {
        tool_sb_put(b, "<h3>To reproduce</h3><pre class=\"mono\">");
        if (cl) {
            tool_sb_esc_xml(b, cl);
            tool_sb_put(b, "\n");
        }
        if (in->command) tool_sb_esc_xml(b, in->command);
        tool_sb_put(b, "</pre>");
    }
    tach__free(cl);
    tool_sb_put(b, "</section>\n");
}

void tool_html_page_open(tool_sb *b, const char *title)
{
    tool_sb_put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    TOOL_HTML_GENERATOR "<title>");
    tool_sb_esc_xml(b, title);
    tool_sb_put(b, "</title><style>" TOOL_HTML_CSS "</style></head><body>\n");
}

void tool_html_page_close(tool_sb *b, bool script)
{
    tool_sb_printf(b, "<footer>Made by tach %s \xc2\xb7 a self-contained page: nothing is "
                       "fetched</footer>\n",
                    tach_version());
    if (script) tool_sb_put(b, "<script>" TOOL_HTML_JS "</script>\n");
    tool_sb_put(b, "</body></html>\n");
}

char *tool_report_html(const tool_report_in *in, char *err)
{
    tool_rep_view v;
    if (tool_rep_view_build(in, &v, err)) return NULL;
    const char *title = in->title ? in->title : "tach report";
    tool_sb b;
    tool_sb_init(&b);
    tool_html_page_open(&b, title);
    html_header(&b, in, title);
    tool_sb_put(&b, "<nav class=\"toc\"><a href=\"#summary\">Summary</a>");
    if (v.failed + v.crashed + v.timeout) tool_sb_put(&b, "<a href=\"#problems\">Problems</a>");
    if (in->cmp) tool_sb_put(&b, "<a href=\"#comparison\">Comparison</a>");
    tool_sb_put(&b, "<a href=\"#targets\">Targets</a><a href=\"#results\">Results</a>"
                     "<a href=\"#benchmarks\">Benchmarks</a>");
    if (tool_rep_has_latency(in->doc)) tool_sb_put(&b, "<a href=\"#latency\">Latency</a>");
    if (tool_rep_has_load(in->doc)) tool_sb_put(&b, "<a href=\"#load\">Load</a>");
    if (tool_rep_has_soak(in->doc)) tool_sb_put(&b, "<a href=\"#soak\">Soak</a>");
    tool_sb_put(&b, "<a href=\"#environment\">Environment</a>"
                     "<a href=\"#methodology\">Methodology</a></nav>\n<main>\n");
    html_cards(&b, in, &v);
    html_problems(&b, &v);
    html_compare(&b, in, &v);
    html_targets(&b, &v);
    html_table(&b, in, &v);
    tool_rep_resources_html(&b, in->doc);
    tool_report_suite_profile(&b, in->doc, true);
    html_families(&b, in);
    tool_rep_fits_html(&b, in->doc);
    html_bench_details(&b, in, &v);
    tool_rep_latency_html(&b, in->doc);
    tool_rep_load_html(&b, in->doc);
    tool_rep_soak_html(&b, in->doc);
    tool_report_profiles_html(&b, in, &v);
    html_env(&b, in);
    html_method(&b, in);
    tool_sb_put(&b, "</main>\n");
    tool_html_page_close(&b, true);
    tool_rep_view_free(&v);
    char *s = tool_sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}
