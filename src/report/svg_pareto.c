/* svg_pareto.c - ratio against speed: one dot per codec and level (compression MB/s on
 * a log axis, ratio up), one colour per codec, the Pareto frontier (no other point is
 * both faster and smaller) joined by a line and labelled. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const palette[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                      "#56b4e9", "#d55e00", "#f0e442", "#000000"};

static int by_speed_desc(const void *a, const void *b)
{
    const tool_svg_point *x = a, *y = b;
    return x->speed < y->speed ? 1 : x->speed > y->speed ? -1 : 0;
}

/* The decimals a rate is printed with: DIGITS, or three significant digits under 10, as
 * the suite's own tables (tool_suite_ci_cell): a 3-byte --data's 0.0861 MB/s read "0.1",
 * a slow device's 0.0412 MB/s "0.0".  Here, below suite_profile.c, which draws this
 * chart: the dots' titles and the profiles' cells share it. */
int tool_rep_rate_digits(double v, int digits)
{
    double x = fabs(v);
    if (isfinite(x) && x > 0 && x < 10) {
        int need = 2 - (int)floor(log10(x));
        if (need > digits) digits = need < 12 ? need : 12;
    }
    return digits;
}

size_t tool_pareto_mark(tool_svg_point *p, size_t n)
{
    qsort(p, n, sizeof *p, by_speed_desc);
    double best = -INFINITY;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        p[i].frontier = p[i].ratio > best;
        if (p[i].frontier) best = p[i].ratio, k++;
    }
    return k;
}

void tool_svg_pareto(tool_sb *b, tool_svg_point *p, size_t n, int width, int height)
{
    if (n == 0) return;
    tool_pareto_mark(p, n);
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(p[i].speed > 0) || !isfinite(p[i].ratio)) continue;
        xmin = fmin(xmin, log10(p[i].speed)), xmax = fmax(xmax, log10(p[i].speed));
        ymin = fmin(ymin, p[i].ratio), ymax = fmax(ymax, p[i].ratio);
    }
    if (!isfinite(xmin)) return;
    xmin = floor(xmin), xmax = ceil(xmax);
    if (xmax <= xmin) xmax = xmin + 1;
    double ypad = (ymax - ymin) * 0.08 + 0.01;
    ymin -= ypad, ymax += ypad;
    const double L = 56, R = 16, T = 16, B = 40, W = width - L - R, H = height - T - B;
#define PX(v) (L + (log10(v) - xmin) / (xmax - xmin) * W)
#define PY(v) (T + H - ((v) - ymin) / (ymax - ymin) * H)
    tool_sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart pareto\" width=\"%d\" "
                      "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
                      "font-size=\"10\"><title>Compression ratio against compression speed, "
                      "with the Pareto frontier</title>",
                   width, height, width, height);
    tool_sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                      "stroke=\"#999\"/>", L, T, W, H);
    for (double e = xmin; e <= xmax; e++) {
        double x = L + (e - xmin) / (xmax - xmin) * W;
        tool_sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>",
                       x, T, x, T + H, x, T + H + 14, pow(10, e));
    }
    /* as many decimals as the step between ticks needs, at least 2: ratios close together
     * (one point, one codec on incompressible data) were labelled 1.57, 1.57, 1.58, 1.58 */
    double step = (ymax - ymin) / 4;
    int dec = (int)ceil(-log10(step));
    dec = dec < 2 ? 2 : dec > 6 ? 6 : dec;
    for (int k = 0; k <= 4; k++) {
        double v = ymin + step * k, y = PY(v);
        tool_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>", L - 4, y + 3,
                       dec, v);
    }
    tool_sb_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">compression MB/s (log)</text>"
                      "<text x=\"12\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 12 %.1f)\">"
                      "ratio</text>",
                   L + W / 2, height - 6, T + H / 2, T + H / 2);
    /* the frontier, fastest first */
    tool_sb_put(b, "<polyline class=\"frontier\" fill=\"none\" stroke=\"#d55e00\" stroke-width=\"1.5\" points=\"");
    for (size_t i = 0; i < n; i++)
        if (p[i].frontier && p[i].speed > 0) tool_sb_printf(b, "%.1f,%.1f ", PX(p[i].speed), PY(p[i].ratio));
    tool_sb_put(b, "\"/>");
    /* the dots: a colour per codec, in order of first appearance */
    const char *seen[64];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(p[i].speed > 0) || !isfinite(p[i].ratio)) continue;
        size_t c = 0;
        while (c < nseen && strcmp(seen[c], p[i].codec)) c++;
        if (c == nseen && nseen < 64) seen[nseen++] = p[i].codec;
        tool_sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"><title>",
                       PX(p[i].speed), PY(p[i].ratio), p[i].frontier ? "4" : "2.5", palette[c % 8]);
        tool_sb_esc_xml(b, p[i].codec);
        tool_sb_printf(b, " -%d: %.*f MB/s, ratio %.3f%s</title></circle>", p[i].level,
                       tool_rep_rate_digits(p[i].speed, 1), p[i].speed, p[i].ratio,
                       p[i].frontier ? " (Pareto frontier)" : "");
        if (p[i].frontier) {
            tool_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"label\">", PX(p[i].speed) + 5, PY(p[i].ratio) - 5);
            tool_sb_esc_xml(b, p[i].codec);
            tool_sb_printf(b, " -%d</text>", p[i].level);
        }
    }
    /* the legend */
    for (size_t c = 0; c < nseen; c++) {
        double x = L + 8 + (double)(c % 5) * 90, y = T + 10 + (double)(c / 5) * 12;
        tool_sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\">", x, y - 3, palette[c % 8], x + 6, y);
        tool_sb_esc_xml(b, seen[c]);
        tool_sb_put(b, "</text>");
    }
#undef PX
#undef PY
    tool_sb_put(b, "</svg>");
}
