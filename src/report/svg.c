/* svg.c - the charts tach draws itself, as inline SVG: a distribution histogram,
 * comparison bars, a history trend and time against parameter (log-log); the sparkline
 * is svg_spark.c's.  Styling comes from classes (the page's stylesheet, see html.c) with
 * presentation attributes as fallbacks, so a chart also reads standalone. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "complexity.h"
#include "report.h"

/* A palette that stays distinguishable for colour-blind readers (Okabe-Ito). */
static const char *const palette[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                      "#56b4e9", "#d55e00", "#f0e442", "#000000"};

static void svg_open(tool_sb *b, int w, int h, const char *cls, const char *title)
{
    tool_sb_printf(b,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" width=\"%d\" "
                    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
                    "font-size=\"10\"><title>",
                    cls, w, h, w, h);
    tool_sb_esc_xml(b, title);
    tool_sb_put(b, "</title>");
}

static void text(tool_sb *b, double x, double y, const char *anchor, const char *cls,
                 const char *s)
{
    tool_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y,
                    anchor, cls);
    tool_sb_esc_xml(b, s);
    tool_sb_put(b, "</text>");
}

/* ---- distribution ------------------------------------------------------------ */

void tool_svg_distribution(tool_sb *b, const tach__result *r, int width, int height)
{
    size_t n = r->nsamples;
    if (!n || !r->sample_ns) return;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double v = r->sample_ns[i];
        if (!isfinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (!isfinite(lo)) return;
    /* Scaled to the bulk: samples beyond Tukey's outer fences (3 IQR) would squeeze
     * the rest into a few bars on the left, so they are counted apart, in a bar of
     * their own beside the axis. */
    double q1 = r->has_summary ? r->summary.outliers.q1 : NAN, q3 = r->has_summary ? r->summary.outliers.q3 : NAN;
    if (isfinite(q1) && isfinite(q3) && q3 > q1) {
        lo = fmax(lo, q1 - 3 * (q3 - q1));
        hi = fmin(hi, q3 + 3 * (q3 - q1));
    }
    if (hi <= lo) {
        double pad = lo > 0 ? lo * 0.01 : 1;
        lo -= pad;
        hi += pad;
    }
    size_t nb = (size_t)ceil(sqrt((double)n));
    if (nb < 5) nb = 5;
    if (nb > 40) nb = 40;
    size_t counts[40] = {0}, maxc = 0, out_lo = 0, out_hi = 0;
    for (size_t i = 0; i < n; i++) {
        double v = r->sample_ns[i];
        if (!isfinite(v)) continue;
        if (v < lo) { out_lo++; continue; }
        if (v > hi) { out_hi++; continue; }
        size_t k = (size_t)((v - lo) / (hi - lo) * (double)nb);
        if (k >= nb) k = nb - 1;
        if (++counts[k] > maxc) maxc = counts[k];
    }
    if (out_lo > maxc) maxc = out_lo;
    if (out_hi > maxc) maxc = out_hi;
    const double ow = 30; /* the room of an outlier bar and its gap */
    const double ml = 8 + (out_lo ? ow : 0), mr = 8 + (out_hi ? ow : 0), mt = 8, mb = 22;
    double pw = width - ml - mr, ph = height - mt - mb;
    char title[512];
    char med[32], ns[48];
    double median = r->has_summary ? r->summary.median.value : NAN;
    snprintf(title, sizeof title, "Distribution of %s of %s; median %s",
             tach__plural((double)n, "sample", NULL, ns, sizeof ns), r->name,
             tach__fmt_time(median, med, sizeof med));
#define XS(v) (ml + ((v) - lo) / (hi - lo) * pw)
    svg_open(b, width, height, "dist", title);
    /* The CI band of the median, under the bars. */
    if (r->has_summary && isfinite(r->summary.median.lo) && isfinite(r->summary.median.hi)) {
        double x0 = XS(r->summary.median.lo), x1 = XS(r->summary.median.hi);
        if (x1 - x0 < 1) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        tool_sb_printf(b,
                        "<rect class=\"ci\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        "fill=\"#e69f00\" fill-opacity=\"0.25\"/>",
                        x0, mt, x1 - x0, ph);
    }
    tool_sb_put(b, "<path class=\"bars\" fill=\"#0072b2\" fill-opacity=\"0.75\" d=\"");
    double bw = pw / (double)nb;
    for (size_t k = 0; k < nb; k++) {
        if (!counts[k]) continue;
        double h = (double)counts[k] / (double)maxc * ph;
        tool_sb_printf(b, "M%.1f %.1fh%.1fv%.1fh%.1fz", ml + (double)k * bw + 0.5,
                        mt + ph - h, bw - 1 > 0.5 ? bw - 1 : 0.5, h, -(bw - 1 > 0.5 ? bw - 1 : 0.5));
    }
    tool_sb_put(b, "\"/>");
    for (int side = 0; side < 2; side++) {
        size_t c = side ? out_hi : out_lo;
        if (!c) continue;
        double h = (double)c / (double)maxc * ph, x = side ? ml + pw + ow - 14 : 8;
        char lab[64], v[32];
        if (h < 2) h = 2;
        tool_sb_printf(b, "<rect class=\"out\" x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"%.1f\" "
                           "fill=\"#8a8f98\"><title>%zu outlier%s %s %s</title></rect>",
                        x, mt + ph - h, h, c, c == 1 ? "" : "s", side ? "above" : "below",
                        tach__fmt_time(side ? hi : lo, v, sizeof v));
        snprintf(lab, sizeof lab, "%s%zu", side ? "+" : "-", c);
        text(b, x + 3, height - 6, "middle", "tick out", lab);
    }
    if (isfinite(median)) {
        double x = XS(median);
        tool_sb_printf(b,
                        "<line class=\"med\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                        "stroke=\"#d55e00\" stroke-width=\"2\"/>",
                        x, x, mt - 2, mt + ph);
    }
    tool_sb_printf(b, "<line class=\"ax\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                       "stroke=\"#888\"/>",
                    ml, ml + pw, mt + ph + 0.5, mt + ph + 0.5);
    char t0[32], t1[32];
    double step = (hi - lo) / 2;
    text(b, ml, height - 6, "start", "tick", tool_rep_fmt_tick(lo, step, hi, t0, sizeof t0));
    text(b, ml + pw, height - 6, "end", "tick", tool_rep_fmt_tick(hi, step, hi, t1, sizeof t1));
    if (isfinite(median)) {
        double x = XS(median);
        tool_rep_fmt_tick(median, step, hi, med, sizeof med);
        /* Keep the median's label clear of the end labels. */
        if (x > ml + 60 && x < ml + pw - 60) text(b, x, height - 6, "middle", "tick med", med);
    }
#undef XS
    tool_sb_put(b, "</svg>");
}

/* ---- comparison bars -------------------------------------------------------- */

static const char *verdict_color(tool_verdict v)
{
    switch (v) {
    case TOOL_REGRESSED: return "#d55e00";
    case TOOL_IMPROVED: return "#009e73";
    case TOOL_UNSTABLE: return "#e69f00";
    default: return "#8a8f98";
    }
}

/* At most this many bars: the largest increases and decreases; the rest are in the
 * table, and a row in between says how many were left out. */
#define BARS_MAX 50

void tool_svg_compare_bars(tool_sb *b, const tool_comparison *c, int width)
{
    if (!c) return;
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++) n += isfinite(c->rows[i].change.value);
    if (!n) return;
    /* Rows sorted by change, largest (worst) first. */
    size_t *idx = tach__malloc(n * sizeof *idx);
    if (!idx) {
        b->oom = true;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < c->nrows; i++)
        if (isfinite(c->rows[i].change.value)) idx[k++] = i;
    for (size_t i = 1; i < n; i++) {
        size_t t = idx[i], j = i;
        while (j > 0 && c->rows[idx[j - 1]].change.value < c->rows[t].change.value) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = t;
    }
    size_t head = n, tail = 0; /* rows drawn: idx[0..head) and idx[n-tail..n) */
    if (n > BARS_MAX) {
        head = BARS_MAX / 2;
        tail = BARS_MAX / 2;
    }
    size_t skipped = n - head - tail;
    size_t nrows = head + tail + (skipped ? 1 : 0);
    double span = c->noise * 1.5;
    for (size_t q = 0; q < n; q++) {
        if (q >= head && q < n - tail) continue;
        const tool_cmp_row *r = &c->rows[idx[q]];
        double m = fmax(fabs(r->change.value),
                        fmax(isfinite(r->change.lo) ? fabs(r->change.lo) : 0,
                             isfinite(r->change.hi) ? fabs(r->change.hi) : 0));
        if (m > span) span = m;
    }
    if (!(span > 0)) span = 0.01;
    span *= 1.1;
    const double rowh = 18, mt = 8, mb = 22, label_w = width * 0.38, value_w = 64;
    double pw = width - label_w - value_w - 8;
    int height = (int)(mt + mb + rowh * (double)nrows);
    char title[128];
    snprintf(title, sizeof title, "Change of %zu benchmark%s against the baseline, with 95%% CIs%s",
             n, n == 1 ? "" : "s", skipped ? " (the largest increases and decreases)" : "");
    svg_open(b, width, height, "bars", title);
    double x0 = label_w + pw / 2;
#define XS(v) (x0 + (v) / span * (pw / 2))
    double nb0 = XS(-c->noise), nb1 = XS(c->noise);
    tool_sb_printf(b,
                    "<rect class=\"noise\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    "fill=\"#8a8f98\" fill-opacity=\"0.12\"/>",
                    nb0, mt, nb1 - nb0, rowh * (double)nrows);
    size_t row = 0;
    for (size_t q = 0; q < n; q++) {
        if (q >= head && q < n - tail) {
            if (q == head) {
                char gap[96];
                snprintf(gap, sizeof gap, "\xe2\x80\xa6 %zu more between (see the table)", skipped);
                text(b, label_w - 6, mt + rowh * (double)row + rowh * 0.68, "end", "tick", gap);
                row++;
            }
            continue;
        }
        const tool_cmp_row *r = &c->rows[idx[q]];
        double y = mt + rowh * (double)row++;
        double xa = XS(fmin(0, r->change.value)), xb = XS(fmax(0, r->change.value));
        const char *col = verdict_color(r->verdict);
        /* at most 48 columns (a wide character is two): else "…" and the last 46 */
        char name[256];
        if (tach__display_width(r->name) > 48 || strlen(r->name) >= sizeof name)
            snprintf(name, sizeof name, "\xe2\x80\xa6%s", tool_width_tail(r->name, 46, sizeof name - 4));
        else snprintf(name, sizeof name, "%s", r->name);
        text(b, label_w - 6, y + rowh * 0.68, "end", "lbl", name);
        tool_sb_printf(b,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                        "class=\"v-%s\"/>",
                        xa, y + 4, xb - xa < 1 ? 1 : xb - xa, rowh - 8, col,
                        tool_verdict_name(r->verdict));
        tach__ci shown = tool_cmp_shown_ci(r);
        if (isfinite(shown.lo) && isfinite(shown.hi)) {
            double l = XS(shown.lo), h = XS(shown.hi), ym = y + rowh / 2;
            tool_sb_printf(b,
                            "<path class=\"whisk\" stroke=\"#222\" fill=\"none\" "
                            "d=\"M%.1f %.1fH%.1fM%.1f %.1fv6M%.1f %.1fv6\"/>",
                            l, ym, h, l, ym - 3, h, ym - 3);
        }
        /* The value in its own column at the right, clear of bars and labels. */
        char pct[32];
        tool_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"val\" fill=\"%s\">",
                        (double)width - 2, y + rowh * 0.68, col);
        tool_sb_esc_xml(b, tool_rep_pct(r->change.value, pct, sizeof pct));
        tool_sb_put(b, "</text>");
    }
    tach__free(idx);
    double yb = mt + rowh * (double)nrows;
    tool_sb_printf(b, "<line class=\"ax\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                       "stroke=\"#444\"/>",
                    x0, x0, mt, yb);
    char l[32], h[32];
    text(b, label_w, yb + 14, "start", "tick", tool_rep_pct(-span, l, sizeof l));
    text(b, x0, yb + 14, "middle", "tick", "0%");
    text(b, label_w + pw, yb + 14, "end", "tick", tool_rep_pct(span, h, sizeof h));
#undef XS
    tool_sb_put(b, "</svg>");
}

/* ---- history trend ------------------------------------------------------------ */

/* A count (instructions, estimated cycles, allocations), not a time or a size. */
static bool is_count(tool_metric m)
{
    return m != TOOL_METRIC_WALL && m != TOOL_METRIC_CPU && m != TOOL_METRIC_PEAK_RSS;
}

/* The least of 1, 2 and 5 times a power of ten at or above raw (> 0). */
static double nice_step(double raw)
{
    static const double mult[] = {1, 2, 5, 10};
    double p = pow(10, floor(log10(raw)));
    for (size_t i = 0; i < 4; i++)
        if (mult[i] * p >= raw * (1 - 1e-12)) return mult[i] * p;
    return 10 * p;
}

/* A count's axis from [*lo, *hi]: three nice steps (whole ones when every count is
 * whole), ticks on their multiples.  Returns the step. */
static double count_axis(double *lo, double *hi, bool whole)
{
    double span = *hi - *lo;
    double st = span > 0 && isfinite(span) ? nice_step(span / 3) : 1;
    if (whole && st < 1) st = 1;
    for (int k = 0; k < 8; k++, st = nice_step(st * 1.5)) {
        double a = floor(*lo / st) * st;
        if (a + 3 * st >= *hi) {
            *lo = a;
            *hi = a + 3 * st;
            return st;
        }
    }
    return span / 3;
}

/* A count's tick: SI-style, at most four digits before the point ("950", "1050",
 * "12k", "3.45M"), as many decimals as the step needs. */
static const char *count_tick(double v, double step, double ref, char *buf, size_t size)
{
    static const char *const sym[] = {"", "k", "M", "G", "T"};
    int e = 0;
    double div = 1;
    while (e < 4 && fabs(ref) >= div * 10000) {
        div *= 1000;
        e++;
    }
    int d = 0;
    double st = fabs(step) / div;
    if (st > 0 && st < 1) d = (int)ceil(-log10(st) - 1e-9);
    if (d > 6) d = 6;
    if (fabs(v / div) < 0.5 * pow(10, -d)) v = 0; /* never "-0" */
    snprintf(buf, size, "%.*f%s", d, v / div, sym[e]);
    return buf;
}

void tool_svg_trend(tool_sb *b, const tool_hist_series *s, int width, int height,
                     const char *link_base)
{
    if (!s || !s->npoints) return;
    const tool_hist_point *p = s->points;
    size_t n = s->npoints;
    double lo = INFINITY, hi = -INFINITY;
    size_t finite = 0;
    bool whole = true; /* every count a whole number */
    for (size_t i = 0; i < n; i++) {
        double vals[3] = {p[i].value, p[i].lo, p[i].hi};
        for (int k = 0; k < 3; k++)
            if (isfinite(vals[k])) {
                if (vals[k] < lo) lo = vals[k];
                if (vals[k] > hi) hi = vals[k];
                whole = whole && vals[k] == floor(vals[k]);
            }
        finite += isfinite(p[i].value);
    }
    /* whole, however long the name (a fixed buffer cut it inside a character) */
    tool_sb title;
    tool_sb_init(&title);
    tool_sb_printf(&title, "History of %s over %zu run%s%s%s%s%s", s->name, n, n == 1 ? "" : "s",
                   s->machine ? " on " : "", s->machine ? s->machine : "", s->branch ? ", branch " : "",
                   s->branch ? s->branch : "");
    svg_open(b, width, height, "trend", title.p ? title.p : "History");
    tool_sb_free(&title);
    const double ml = 62, mr = 12, mt = 14, mb = 24;
    double pw = width - ml - mr, ph = height - mt - mb;
    if (!finite) {
        text(b, width / 2.0, height / 2.0, "middle", "tick", "no successful run yet");
        tool_sb_put(b, "</svg>");
        return;
    }
    double pad = (hi - lo) * 0.08;
    if (!(pad > 0)) pad = fabs(hi) * 0.05 + 1e-9;
    lo -= pad;
    hi += pad;
    if (lo < 0 && hi > 0 && lo > -pad * 2) lo = 0;
    bool count = is_count(s->metric);
    double step = count ? count_axis(&lo, &hi, whole) : (hi - lo) / 3.0;
#define XS(i) (ml + (n > 1 ? (double)(i) / (double)(n - 1) * pw : pw / 2))
#define YS(v) (mt + (hi - (v)) / (hi - lo) * ph)
    /* Grid and y ticks. */
    for (int t = 0; t <= 3; t++) {
        double v = count ? lo + step * t : lo + (hi - lo) * t / 3.0, y = YS(v);
        char lab[32];
        tool_sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#e3e5e8\"/>",
                        ml, ml + pw, y, y);
        text(b, ml - 4, y + 3, "end", "tick",
             count ? count_tick(v, step, fmax(fabs(lo), fabs(hi)), lab, sizeof lab)
                   : tool_rep_fmt_tick_m(s->metric, v, step, hi, lab, sizeof lab));
    }
    /* CI band: upper edge forwards, lower edge backwards, per run of finite points. */
    size_t i = 0;
    while (i < n) {
        while (i < n && !(isfinite(p[i].lo) && isfinite(p[i].hi))) i++;
        size_t j = i;
        while (j < n && isfinite(p[j].lo) && isfinite(p[j].hi)) j++;
        if (j > i) {
            tool_sb_put(b, "<path class=\"band\" fill=\"#0072b2\" fill-opacity=\"0.15\" d=\"");
            for (size_t k = i; k < j; k++)
                tool_sb_printf(b, "%c%.1f %.1f", k == i ? 'M' : 'L', XS(k), YS(p[k].hi));
            for (size_t k = j; k-- > i;) tool_sb_printf(b, "L%.1f %.1f", XS(k), YS(p[k].lo));
            tool_sb_put(b, "z\"/>");
        }
        i = j;
    }
    tool_sb_put(b, "<path class=\"line\" fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.5\" d=\"");
    bool pen = false;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(p[k].value)) {
            pen = false;
            continue;
        }
        tool_sb_printf(b, "%c%.1f %.1f", pen ? 'L' : 'M', XS(k), YS(p[k].value));
        pen = true;
    }
    tool_sb_put(b, "\"/>");
    if (n <= 60)
        for (size_t k = 0; k < n; k++)
            if (isfinite(p[k].value))
                tool_sb_printf(b, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#0072b2\"/>",
                                XS(k), YS(p[k].value));
    /* Failed runs: a red cross on the axis. */
    for (size_t k = 0; k < n; k++)
        if (p[k].failed)
            tool_sb_printf(b, "<path class=\"fail\" stroke=\"#d55e00\" stroke-width=\"1.5\" "
                               "d=\"M%.1f %.1fl6 6m0 -6l-6 6\"><title>failed in run %s</title></path>",
                            XS(k) - 3, mt + ph - 8, p[k].run_id ? p[k].run_id : "?");
    /* Runs that were tach suite --quick smoke tests: a hollow ring around the point. */
    for (size_t k = 0; k < n; k++)
        if (p[k].quick && isfinite(p[k].value))
            tool_sb_printf(b, "<circle class=\"quick\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"none\" stroke=\"#e69f00\">"
                               "<title>run %s: a tach suite --quick run, a smoke test (not figures to publish)</title></circle>",
                            XS(k), YS(p[k].value), p[k].run_id ? p[k].run_id : "?");
    /* Change points. */
    for (size_t k = 0; k < n; k++) {
        if (!p[k].change) continue;
        double x = XS(k) - (n > 1 ? pw / (double)(n - 1) / 2 : 0);
        char sc[64], lab[64]; /* sc: columns, not bytes (名 is 3 bytes, an emoji 4) */
        tool_width_head(p[k].commit, 8, sc, sizeof sc);
        bool link = link_base && p[k].commit;
        if (link) {
            tool_sb_put(b, "<a href=\"");
            tool_sb_href_part(b, link_base, p[k].commit);
            tool_sb_put(b, "\">");
        }
        tool_sb_printf(b, "<line class=\"cp\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#d55e00\" stroke-dasharray=\"4 3\" stroke-width=\"1.5\">"
                           "<title>change point at run %s%s",
                        x, x, mt - 4, mt + ph, p[k].run_id ? p[k].run_id : "?",
                        *sc ? ", commit " : "");
        tool_sb_esc_xml(b, sc);
        tool_sb_put(b, "</title></line>");
        snprintf(lab, sizeof lab, "%s", *sc ? sc : (p[k].run_id ? p[k].run_id : ""));
        text(b, x + 3, mt - 4 + 8, "start", "cplbl", lab);
        if (link) tool_sb_put(b, "</a>");
    }
    tool_sb_printf(b, "<line class=\"ax\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                       "stroke=\"#888\"/>",
                    ml, ml + pw, mt + ph + 0.5, mt + ph + 0.5);
    char a[64], z[64];
    if (p[0].commit) tool_width_head(p[0].commit, 8, a, sizeof a);
    else snprintf(a, sizeof a, "run %s", p[0].run_id ? p[0].run_id : "?");
    if (p[n - 1].commit) tool_width_head(p[n - 1].commit, 8, z, sizeof z);
    else snprintf(z, sizeof z, "run %s", p[n - 1].run_id ? p[n - 1].run_id : "?");
    text(b, ml, height - 8, "start", "tick", a);
    if (n > 1) text(b, ml + pw, height - 8, "end", "tick", z);
#undef XS
#undef YS
    tool_sb_put(b, "</svg>");
}

/* ---- log-log ------------------------------------------------------------------ */

void tool_svg_loglog(tool_sb *b, const tool_svg_family *f, size_t nfam, tool_metric m, int width,
                      int height)
{
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < nfam; i++)
        for (size_t k = 0; k < f[i].n; k++) {
            if (!(f[i].x[k] > 0) || !(f[i].y[k] > 0)) continue;
            xlo = fmin(xlo, f[i].x[k]);
            xhi = fmax(xhi, f[i].x[k]);
            ylo = fmin(ylo, f[i].y[k]);
            yhi = fmax(yhi, f[i].y[k]);
        }
    if (!isfinite(xlo)) return;
    double lx0 = floor(log10(xlo)), lx1 = ceil(log10(xhi)), ly0 = floor(log10(ylo)),
           ly1 = ceil(log10(yhi));
    if (lx1 <= lx0) lx1 = lx0 + 1;
    if (ly1 <= ly0) ly1 = ly0 + 1;
    const double ml = 62, mr = 12, mt = 10, mb = 34;
    double legend = 14.0 * (double)nfam;
    height += (int)legend;
    double pw = width - ml - mr, ph = height - mt - mb - legend;
    char title[256];
    const char *q = tool_rep_metric_quantity(m);
    snprintf(title, sizeof title, "%c%s against %s, log-log, %zu famil%s", toupper((unsigned char)q[0]),
             q + 1, nfam ? f[0].param : "parameter", nfam, nfam == 1 ? "y" : "ies");
    svg_open(b, width, height, "loglog", title);
#define XS(v) (ml + (log10(v) - lx0) / (lx1 - lx0) * pw)
#define YS(v) (mt + (ly1 - log10(v)) / (ly1 - ly0) * ph)
    for (double e = lx0; e <= lx1; e++) {
        double x = ml + (e - lx0) / (lx1 - lx0) * pw;
        char lab[32];
        snprintf(lab, sizeof lab, "%g", pow(10, e));
        tool_sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#e3e5e8\"/>",
                        x, x, mt, mt + ph);
        /* the end labels anchored inwards, so that the last is not cut at the edge */
        text(b, x, mt + ph + 12, e == lx1 ? "end" : e == lx0 ? "start" : "middle", "tick", lab);
    }
    for (double e = ly0; e <= ly1; e++) {
        double y = mt + (ly1 - e) / (ly1 - ly0) * ph;
        char lab[32];
        tool_sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#e3e5e8\"/>",
                        ml, ml + pw, y, y);
        double v = pow(10, e);
        text(b, ml - 4, y + 3, "end", "tick",
             m == TOOL_METRIC_WALL || m == TOOL_METRIC_CPU ? tach__fmt_time(v, lab, sizeof lab)
                                                           : tool_rep_fmt_tick_m(m, v, v, v, lab, sizeof lab));
    }
    text(b, ml + pw / 2, mt + ph + 26, "middle", "tick", nfam ? f[0].param : "");
    for (size_t i = 0; i < nfam; i++) {
        const char *col = palette[i % 8];
        tool_sb_printf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"", col);
        bool pen = false;
        for (size_t k = 0; k < f[i].n; k++) {
            if (!(f[i].x[k] > 0) || !(f[i].y[k] > 0)) continue;
            tool_sb_printf(b, "%c%.1f %.1f", pen ? 'L' : 'M', XS(f[i].x[k]), YS(f[i].y[k]));
            pen = true;
        }
        tool_sb_put(b, "\"/>");
        if (f[i].fit_class > 0 && f[i].n >= 2) {
            /* the fitted curve, dashed, over the family's sizes */
            tool_sb_printf(b, "<path class=\"fit\" fill=\"none\" stroke=\"%s\" stroke-width=\"1\" "
                              "stroke-dasharray=\"4 3\" d=\"", col);
            double x0 = f[i].x[0], x1 = f[i].x[f[i].n - 1];
            bool fpen = false;
            for (int k = 0; k <= 40 && x0 > 0 && x1 > x0; k++) {
                double x = x0 * pow(x1 / x0, k / 40.0);
                double y = f[i].fit_a + f[i].fit_b * tach__cx_g(f[i].fit_class, x);
                if (!(y > 0)) continue;
                double ys = YS(y);
                if (ys < mt - 20 || ys > mt + ph + 20) continue;
                tool_sb_printf(b, "%c%.1f %.1f", fpen ? 'L' : 'M', XS(x), ys);
                fpen = true;
            }
            tool_sb_put(b, "\"/>");
        }
        for (size_t k = 0; k < f[i].n; k++)
            if (f[i].x[k] > 0 && f[i].y[k] > 0)
                tool_sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                                XS(f[i].x[k]), YS(f[i].y[k]), col);
        double ly = height - legend + 14.0 * (double)i;
        tool_sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"3\" fill=\"%s\"/>",
                        ml, ly - 4, col);
        text(b, ml + 14, ly, "start", "lbl", f[i].label);
    }
#undef XS
#undef YS
    tool_sb_put(b, "</svg>");
}
