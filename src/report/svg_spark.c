/* svg_spark.c - the sparkline: a history's recent medians as a small line without axes
 * (the site's index), and the vertical scale it shares with tach history's bars, which
 * draws a series that moves less than the noise flat. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "report.h"

void tool_spark_scale(double *lo, double *hi, double at)
{
    double mid = (*lo + *hi) / 2, span = TOOL_SPARK_MIN_SPAN * fabs(mid);
    if (!(*hi - *lo < span)) return; /* wide enough, or no middle to be relative to */
    *lo = mid - at * span;
    *hi = *lo + span;
}

void tool_svg_sparkline(tool_sb *b, const tool_hist_point *p, size_t n, int width,
                         int height)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(p[i].value)) {
            lo = fmin(lo, p[i].value);
            hi = fmax(hi, p[i].value);
        }
    tool_sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" width=\"%d\" "
                       "height=\"%d\" viewBox=\"0 0 %d %d\">",
                    width, height, width, height);
    if (!isfinite(lo)) {
        tool_sb_put(b, "</svg>");
        return;
    }
    tool_spark_scale(&lo, &hi, 0.5);
    if (hi <= lo) {
        hi = lo + 1;
        lo -= 1;
    }
    double pw = width - 4, ph = height - 4;
#define XS(i) (2 + (n > 1 ? (double)(i) / (double)(n - 1) * pw : pw / 2))
#define YS(v) (2 + (hi - (v)) / (hi - lo) * ph)
    tool_sb_put(b, "<path fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.2\" d=\"");
    bool pen = false;
    size_t last = n;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(p[i].value)) {
            pen = false;
            continue;
        }
        tool_sb_printf(b, "%c%.1f %.1f", pen ? 'L' : 'M', XS(i), YS(p[i].value));
        pen = true;
        last = i;
    }
    tool_sb_put(b, "\"/>");
    for (size_t i = 0; i < n; i++)
        if (p[i].change)
            tool_sb_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" stroke=\"#d55e00\" "
                               "stroke-width=\"1\"/>",
                            XS(i), XS(i), height);
    if (last < n)
        tool_sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#0072b2\"/>", XS(last),
                        YS(p[last].value));
#undef XS
#undef YS
    tool_sb_put(b, "</svg>");
}
