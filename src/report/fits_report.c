/* fits_report.c - the complexity fits and thread sweeps of a run in the Markdown and
 * HTML reports (complexity.h, scaling.h): the class with its CI, runner-up and wins,
 * the assertion's verdict; per thread count throughput, speedup and efficiency, the
 * USL fit with its CIs and a chart of the points with the fitted curve. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "complexity.h"
#include "report.h"
#include "scaling.h"

/* A fit of time per item (the members set items) names its class "O(N) per item": the
 * class is of the time per item, not per iteration. */
#define PER_ITEM(f) ((f)->per_item ? " per item" : "")

static const char *class_cell(const tach__cx_family *f, char *buf, size_t size)
{
    if (!f->fitted) {
        snprintf(buf, size, "not fitted");
        return buf;
    }
    if (f->counted) { /* fitted once on exact counts: no resamples to share */
        snprintf(buf, size, "%s%s", tach__cx_name(f->fit.cls), PER_ITEM(f));
        return buf;
    }
    if (f->one_sample) { /* nothing to resample: no share to give */
        snprintf(buf, size, "%s%s (%s)", tach__cx_name(f->fit.cls), PER_ITEM(f), TACH__CX_ONE_SAMPLE);
        return buf;
    }
    int n = snprintf(buf, size, "%s%s (%.0f%%", tach__cx_name(f->fit.cls), PER_ITEM(f),
                     100 * f->fit.wins[f->fit.cls]);
    if (f->fit.runner_up && n > 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, "; runner-up %s %.0f%%", tach__cx_name(f->fit.runner_up),
                      100 * f->fit.wins[f->fit.runner_up]);
    if (n > 0 && (size_t)n < size) snprintf(buf + n, size - (size_t)n, ")");
    return buf;
}

static const char *coef_cell(const tach__cx_family *f, char *buf, size_t size)
{
    if (!f->fitted) return strcpy(buf, "-");
    if (f->counted) { /* exact: every resample alike, no CI */
        snprintf(buf, size, "%s = %.4g instructions%s", f->fit.cls == TACH_O_1 ? "a" : "b",
                 f->fit.coef.value, f->per_item ? " per item" : "");
        return buf;
    }
    if (f->one_sample) {
        snprintf(buf, size, "%s = %.4g ns%s", f->fit.cls == TACH_O_1 ? "a" : "b", f->fit.coef.value,
                 f->per_item ? " per item" : "");
        return buf;
    }
    snprintf(buf, size, "%s = %.4g ns [%.4g, %.4g]%s", f->fit.cls == TACH_O_1 ? "a" : "b",
             f->fit.coef.value, f->fit.coef.lo, f->fit.coef.hi, f->per_item ? " per item" : "");
    return buf;
}

/* v as "12%" (pct) or "0.123" (3 significant digits); "-" when not measured. */
static const char *opt_num(char *buf, size_t n, double v, bool pct)
{
    if (!isfinite(v)) return "-";
    snprintf(buf, n, pct ? "%.0f%%" : "%.3g", pct ? 100 * v : v);
    return buf;
}

/* After a sweep's name (tach__scale_sweep.has_one): speedup, efficiency and the USL
 * are against N = 1's throughput. */
#define NO_ONE " — no N = 1 point: no speedup, efficiency or USL fit"

/* A point's speedup ("1.85") and efficiency ("92%"), or "-" each: a sweep without
 * N = 1 has neither (they are against N = 1's throughput). */
/* β with its CI, or why there is none: two thread counts fit α alone (docs/scaling.md). */
static void beta_text(tool_sb *b, const tach__scale_sweep *s)
{
    if (s->usl.beta_fitted)
        tool_sb_printf(b, "β = %.3g [%.3g, %.3g]", s->usl.beta.value, s->usl.beta.lo, s->usl.beta.hi);
    else
        tool_sb_printf(b, "β not fitted (%zu thread counts)", s->usl.npoints);
}

/* A throughput cell as the tables show rates (tach__fmt_rate: 3.30 M/s). */
static const char *rate_cell(double per_s, char *buf, size_t size)
{
    return tach__fmt_rate(per_s, false, buf, size);
}

static void speedup_cells(const tach__scale_point *p, char *sp, char *eff, size_t n)
{
    if (isfinite(p->speedup)) snprintf(sp, n, "%.2f", p->speedup);
    else snprintf(sp, n, "-");
    opt_num(eff, n, p->efficiency, true);
    if (!isfinite(p->efficiency)) snprintf(eff, n, "-");
}

static const char *assert_cell(const tach__cx_family *f, char *buf, size_t size)
{
    if (!f->asserted) return strcpy(buf, "-");
    snprintf(buf, size, "%s%s%s: %s", f->asserted == TACH_O_1 ? "" : "at most ",
             tach__cx_name(f->asserted), PER_ITEM(f),
             f->fitted && f->one_sample ? "not checked (no interval)" : f->fitted && f->holds ? "holds" : "FAILS");
    return buf;
}

int tool_rep_cx_families(const tach__doc *d, tach__cx_family **cx)
{
    return tach__cx_families(d->origin ? d->origin : d, TACH__DEFAULT_SEED, 0, cx);
}

void tool_rep_fits_md(tool_sb *b, const tach__doc *d)
{
    tach__cx_family *cx = NULL;
    int n = tool_rep_cx_families(d, &cx);
    if (n > 0 && cx[0].counted) /* a run is counted or timed throughout */
        tool_sb_put(b, "\n## Complexity\n\ninstructions = a + b·g(N) fitted on the counts, which "
                       "are exact: no resampling.\n\n"
                       "| family | class | coefficient | assertion |\n"
                       "| --- | --- | --- | --- |\n");
    else if (n > 0)
        tool_sb_put(b, "\n## Complexity\n\ntime = a + b·g(N) fitted on each size's 10th percentile; "
                       "the class that won most of 200 bootstrap resamples.\n\n"
                       "| family | class (share of resamples) | coefficient (95% CI) | assertion |\n"
                       "| --- | --- | --- | --- |\n");
    if (n > 0) {
        for (int i = 0; i < n; i++) {
            char c1[160], c2[160], c3[96];
            tool_sb_put(b, "| ");
            tool_sb_code_md(b, cx[i].name);
            tool_sb_printf(b, " | %s | %s | %s |\n", class_cell(&cx[i], c1, sizeof c1),
                           coef_cell(&cx[i], c2, sizeof c2), assert_cell(&cx[i], c3, sizeof c3));
        }
    }
    tach__cx_families_free(cx, n > 0 ? (size_t)n : 0);
    tach__scale_sweep *sw = NULL;
    int ns = tach__scale_sweeps(d, TACH__DEFAULT_SEED, 0, &sw);
    for (int i = 0; i < ns; i++) {
        const tach__scale_sweep *s = &sw[i];
        if (i == 0) tool_sb_put(b, "\n## Thread scaling\n");
        tool_sb_put(b, "\n");
        tool_sb_code_md_inline(b, s->name);
        if (s->fitted) {
            tool_sb_printf(b, ": USL α = %.3g [%.3g, %.3g], ", s->usl.alpha.value, s->usl.alpha.lo,
                           s->usl.alpha.hi);
            beta_text(b, s);
            if (isfinite(s->usl.peak_n)) tool_sb_printf(b, ", peak at N* = %.1f", s->usl.peak_n);
        }
        if (s->oversubscribed)
            tool_sb_printf(b, " — the sweep goes past this machine's %ld CPUs", s->cpus);
        if (!s->has_one) tool_sb_put(b, NO_ONE);
        tool_sb_put(b, "\n\n| threads | total | per thread | speedup | efficiency | spread | CPU "
                       "| net of the CPU wait | CPU efficiency | sleeps/ms |\n"
                       "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (size_t k = 0; k < s->npoints; k++) {
            const tach__scale_point *p = &s->points[k];
            char e1[16], e2[16], e3[16], sp[16], eff[16];
            speedup_cells(p, sp, eff, sizeof sp);
            char tot[32], per[32];
            tool_sb_printf(b, "| %d | %s | %s | %s | %s | %.0f%% | %.2f | %s | %s | %s |\n",
                           p->threads, rate_cell(p->ops_per_sec, tot, sizeof tot),
                           rate_cell(p->per_thread, per, sizeof per), sp, eff,
                           100 * p->spread, p->cpu_utilization,
                           opt_num(e1, sizeof e1, p->efficiency_net, true),
                           opt_num(e2, sizeof e2, p->cpu_efficiency, true),
                           opt_num(e3, sizeof e3, p->sleeps_per_ms, false));
        }
    }
    tach__scale_sweeps_free(sw, ns > 0 ? (size_t)ns : 0);
}

/* Throughput against threads: the points and the USL curve (linear axes). */
static void usl_chart(tool_sb *b, const tach__scale_sweep *s)
{
    const int w = 420, h = 200, l = 60, r = 10, t = 10, bot = 30;
    double nmax = s->points[s->npoints - 1].threads, ymax = 0;
    for (size_t k = 0; k < s->npoints; k++) ymax = fmax(ymax, s->points[k].ops_per_sec);
    if (s->fitted && isfinite(s->usl.peak_x)) ymax = fmax(ymax, fmin(s->usl.peak_x, 2 * ymax));
    if (!(ymax > 0) || !(nmax > 0)) return;
    ymax *= 1.1;
    tool_sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">"
                      "<title>Throughput against threads, with the USL fit</title>", w, h);
    tool_sb_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/><line x1=\"%d\" "
                      "y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                   l, h - bot, w - r, h - bot, l, t, l, h - bot);
    tool_sb_printf(b, "<text x=\"2\" y=\"%d\" font-size=\"10\">%.3g/s</text><text x=\"%d\" y=\"%d\" "
                      "font-size=\"10\" text-anchor=\"end\">%g threads</text>",
                   t + 8, ymax, w - r, h - 6, nmax);
#define X(n) (l + (w - l - r) * (n) / nmax)
#define Y(v) ((h - bot) - (h - t - bot) * (v) / ymax)
    if (s->fitted) {
        tool_sb_put(b, "<path fill=\"none\" stroke=\"#d1242f\" stroke-dasharray=\"4 3\" d=\"");
        for (int k = 0; k <= 40; k++) {
            double n = 1 + (nmax - 1) * k / 40.0;
            double y = tach__usl_model(s->usl.lambda, s->usl.alpha.value, s->usl.beta.value, n);
            tool_sb_printf(b, "%c%.1f %.1f", k ? 'L' : 'M', X(n), Y(fmin(y, ymax)));
        }
        tool_sb_put(b, "\"/>");
    }
    for (size_t k = 0; k < s->npoints; k++)
        tool_sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f6feb\"/>",
                       X(s->points[k].threads), Y(s->points[k].ops_per_sec));
#undef X
#undef Y
    tool_sb_put(b, "</svg>");
}

void tool_rep_fits_html(tool_sb *b, const tach__doc *d)
{
    tach__cx_family *cx = NULL;
    int n = tool_rep_cx_families(d, &cx);
    if (n > 0) {
        if (cx[0].counted)
            tool_sb_put(b, "<section id=\"complexity\"><h2>Complexity</h2><p class=\"muted\">"
                           "instructions = a + b·g(N) fitted on the counts, which are exact: no "
                           "resampling.</p><table><thead><tr><th>family</th><th>class</th>"
                           "<th>coefficient</th><th>assertion</th></tr></thead><tbody>");
        else
            tool_sb_put(b, "<section id=\"complexity\"><h2>Complexity</h2><p class=\"muted\">time = a + "
                           "b·g(N) fitted on each size's 10th percentile; the class that won most of "
                           "200 bootstrap resamples.</p><table><thead><tr><th>family</th><th>class</th>"
                           "<th>coefficient (95% CI)</th><th>assertion</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            char c1[160], c2[160], c3[96];
            tool_sb_put(b, "<tr><td><code>");
            tool_sb_esc_xml(b, cx[i].name);
            tool_sb_printf(b, "</code></td><td>%s</td><td>%s</td><td>%s</td></tr>",
                           class_cell(&cx[i], c1, sizeof c1), coef_cell(&cx[i], c2, sizeof c2),
                           assert_cell(&cx[i], c3, sizeof c3));
        }
        tool_sb_put(b, "</tbody></table></section>\n");
    }
    tach__cx_families_free(cx, n > 0 ? (size_t)n : 0);
    tach__scale_sweep *sw = NULL;
    int ns = tach__scale_sweeps(d, TACH__DEFAULT_SEED, 0, &sw);
    if (ns > 0) tool_sb_put(b, "<section id=\"scaling\"><h2>Thread scaling</h2>");
    for (int i = 0; i < ns; i++) {
        const tach__scale_sweep *s = &sw[i];
        tool_sb_put(b, "<figure style=\"margin:0\"><figcaption><code>");
        tool_sb_esc_xml(b, s->name);
        tool_sb_put(b, "</code>");
        if (s->fitted) {
            tool_sb_printf(b, ": USL α = %.3g [%.3g, %.3g], ", s->usl.alpha.value, s->usl.alpha.lo,
                           s->usl.alpha.hi);
            beta_text(b, s);
            if (!isfinite(s->usl.peak_n)) tool_sb_put(b, ", no peak");
        }
        if (s->fitted && isfinite(s->usl.peak_n)) tool_sb_printf(b, ", peak at N* = %.1f", s->usl.peak_n);
        if (s->oversubscribed)
            tool_sb_printf(b, " — past this machine's %ld CPUs: time-sharing, not scaling", s->cpus);
        if (!s->has_one) tool_sb_put(b, NO_ONE);
        tool_sb_put(b, "</figcaption>");
        usl_chart(b, s);
        tool_sb_put(b, "<table><thead><tr><th>threads</th><th>total</th><th>per thread</th>"
                       "<th>speedup</th><th>efficiency</th><th>spread</th><th>CPU</th>"
                       "<th>net of the CPU wait</th><th>CPU efficiency</th><th>sleeps/ms</th></tr></thead><tbody>");
        for (size_t k = 0; k < s->npoints; k++) {
            const tach__scale_point *p = &s->points[k];
            char e1[16], e2[16], e3[16], sp[16], eff[16];
            speedup_cells(p, sp, eff, sizeof sp);
            char tot[32], per[32];
            tool_sb_printf(b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                              "<td>%.0f%%</td><td>%.2f</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                           p->threads, rate_cell(p->ops_per_sec, tot, sizeof tot),
                           rate_cell(p->per_thread, per, sizeof per), sp, eff,
                           100 * p->spread, p->cpu_utilization,
                           opt_num(e1, sizeof e1, p->efficiency_net, true),
                           opt_num(e2, sizeof e2, p->cpu_efficiency, true),
                           opt_num(e3, sizeof e3, p->sleeps_per_ms, false));
        }
        tool_sb_put(b, "</tbody></table></figure>");
    }
    if (ns > 0) tool_sb_put(b, "</section>\n");
    tach__scale_sweeps_free(sw, ns > 0 ? (size_t)ns : 0);
}
