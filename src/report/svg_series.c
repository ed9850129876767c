/* svg_series.c - a load run over time (docs/load.md): the throughput of each interval
 * and its p50/p99 latency as two line charts, one point per interval (an interval with
 * no request has no latency: its point is left out and the line broken there), and the
 * report sections that show them (HTML charts, a Markdown summary and table).  A soak
 * (docs/soak.md) is drawn the same way from its series: throughput, p50/p99, RSS and
 * heap. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* The interval's value for key, NaN when null or missing. */
static double iv_num(const json_t *iv, const char *key)
{
    const json_t *v = json_object_get(iv, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* An interval's rate: what was sent in it (sent_rps); from a document before it, the
 * requests by their intended start (rps). */
static double iv_rate(const json_t *iv)
{
    double v = iv_num(iv, "sent_rps");
    return isnan(v) ? iv_num(iv, "rps") : v;
}

/* The time (s, from the measured window's start) of an interval's middle. */
static double iv_mid(const json_t *iv)
{
    double s = iv_num(iv, "start_s"), l = iv_num(iv, "length_s");
    return (isfinite(s) ? s : 0) + (isfinite(l) ? l / 2 : 0);
}

/* A rate for people into buf: "1.20 k/s" (tach__fmt_rate), "0 /s", NaN as an em dash. */
static const char *rate_txt(double v, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "\xe2\x80\x94");
    else
        tach__fmt_rate(v, false, buf, size);
    return buf;
}

/* Bytes for people: "3.5 MB" (1 MB = 1e6 bytes, as the soak's KB/h). */
static const char *bytes_txt(double v, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "\xe2\x80\x94");
    else if (v >= 1e9)
        snprintf(buf, size, "%.3g GB", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, size, "%.3g MB", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, size, "%.3g KB", v / 1e3);
    else
        snprintf(buf, size, "%.0f B", v);
    return buf;
}

enum { U_RATE = 0, U_TIME = 1, U_BYTES = 2 };

static const json_t *intervals(const json_t *load)
{
    const json_t *a = json_object_get(load, "intervals");
    return json_is_array(a) && json_array_size(a) ? a : NULL;
}

/* One chart of keys[] (nkeys series) against time; time: values in ns. */
static void series_chart(tool_sb *b, const json_t *ivs, const char *const *keys,
                         const char *const *labels, const char *const *colors, size_t nkeys,
                         int unit, const char *cls, const char *title, int width, int height)
{
    size_t n = json_array_size(ivs);
    double tmax = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *iv = json_array_get(ivs, i);
        double end = iv_num(iv, "start_s") + iv_num(iv, "length_s");
        if (isfinite(end) && end > tmax) tmax = end;
        for (size_t k = 0; k < nkeys; k++) {
            double v = iv_num(iv, keys[k]);
            if (isfinite(v) && v > hi) hi = v;
        }
    }
    if (!(tmax > 0)) tmax = 1;
    if (!(hi > 0)) hi = 1;
    hi *= 1.08;
    tool_sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" width=\"%d\" "
                      "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
                      "font-size=\"10\"><title>",
                   cls, width, height, width, height);
    tool_sb_esc_xml(b, title);
    tool_sb_put(b, "</title>");
    const double L = 66, R = 12, T = 14, B = 30, W = width - L - R, H = height - T - B;
#define PX(t) (L + (t) / tmax * W)
#define PY(v) (T + H - (v) / hi * H)
    for (int k = 0; k <= 3; k++) {
        double v = hi * k / 3, y = PY(v);
        char lab[48];
        if (unit == U_TIME)
            tool_rep_fmt_tick(v, hi / 3, hi, lab, sizeof lab);
        else if (unit == U_BYTES)
            bytes_txt(v, lab, sizeof lab);
        else
            rate_txt(v, lab, sizeof lab);
        tool_sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#e3e5e8\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                          "class=\"tick\">%s</text>",
                       L, L + W, y, y, L - 4, y + 3, lab);
    }
    for (int k = 0; k <= 4; k++) {
        double t = tmax * k / 4;
        tool_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"tick\">%.3g s</text>",
                       PX(t), T + H + 13, t);
    }
    tool_sb_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">time into the "
                      "measured window</text>",
                   L + W / 2, height - 3);
    for (size_t k = 0; k < nkeys; k++) {
        tool_sb_printf(b, "<path class=\"line s-%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"",
                       keys[k], colors[k]);
        bool pen = false;
        for (size_t i = 0; i < n; i++) {
            const json_t *iv = json_array_get(ivs, i);
            double v = iv_num(iv, keys[k]);
            if (!isfinite(v)) {
                pen = false;
                continue;
            }
            tool_sb_printf(b, "%c%.1f %.1f", pen ? 'L' : 'M', PX(iv_mid(iv)), PY(v));
            pen = true;
        }
        tool_sb_put(b, "\"/>");
        for (size_t i = 0; i < n; i++) {
            const json_t *iv = json_array_get(ivs, i);
            double v = iv_num(iv, keys[k]);
            if (!isfinite(v)) continue;
            char val[48];
            if (unit == U_TIME)
                tach__fmt_time(v, val, sizeof val);
            else if (unit == U_BYTES)
                bytes_txt(v, val, sizeof val);
            else
                rate_txt(v, val, sizeof val);
            tool_sb_printf(b, "<circle class=\"iv\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\">"
                              "<title>%s at %.3g s: %s</title></circle>",
                           PX(iv_mid(iv)), PY(v), colors[k], labels[k], iv_mid(iv), val);
        }
        tool_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" class=\"legend\">%s</text>",
                           L + 8 + (double)k * 40, T + 10.0, colors[k], labels[k]);
    }
#undef PX
#undef PY
    tool_sb_put(b, "</svg>");
}

void tool_svg_load_rate(tool_sb *b, const json_t *load, int width, int height)
{
    const json_t *ivs = intervals(load);
    if (!ivs) return;
    /* what was sent in each interval (sent_rps); a document from before it, the
     * requests by their intended start (rps) */
    static const char *const sent[] = {"sent_rps"}, *const old[] = {"rps"},
                             *const labels[] = {"requests/s"}, *const colors[] = {"#0072b2"};
    const char *const *keys = json_object_get(json_array_get(ivs, 0), "sent_rps") ? sent : old;
    series_chart(b, ivs, keys, labels, colors, 1, U_RATE, "load-rate",
                 "Requests per second in each interval", width, height);
}

void tool_svg_load_latency(tool_sb *b, const json_t *load, int width, int height)
{
    const json_t *ivs = intervals(load);
    if (!ivs) return;
    static const char *const keys[] = {"p50_ns", "p99_ns"}, *const labels[] = {"p50", "p99"},
                             *const colors[] = {"#009e73", "#d55e00"};
    series_chart(b, ivs, keys, labels, colors, 2, U_TIME, "load-latency",
                 "p50 and p99 latency from the intended start in each interval", width, height);
}

/* ---- a soak over time (docs/soak.md) ------------------------------------------ */

static double col(const json_t *series, const char *key, size_t i)
{
    const json_t *v = json_array_get(json_object_get(series, key), i);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The soak report's series ({"t": [...], "ops_per_s": [...], ...}) as intervals the
 * charts read: start_s, length_s, rps, p50_ns, p99_ns, rss_bytes, heap_bytes. */
static json_t *soak_intervals(const json_t *soak)
{
    const json_t *series = json_object_get(soak, "series");
    size_t n = json_array_size(json_object_get(series, "t"));
    if (!n) return NULL;
    json_t *a = json_array();
    double prev = 0;
    for (size_t i = 0; a && i < n; i++) {
        double t = col(series, "t", i);
        json_t *iv = json_object();
        json_object_set_new(iv, "start_s", tach__json_num(prev));
        json_object_set_new(iv, "length_s", tach__json_num(t - prev));
        json_object_set_new(iv, "rps", tach__json_num(col(series, "ops_per_s", i)));
        json_object_set_new(iv, "p50_ns", tach__json_num(col(series, "p50_ns", i)));
        json_object_set_new(iv, "p99_ns", tach__json_num(col(series, "p99_ns", i)));
        json_object_set_new(iv, "rss_bytes", tach__json_num(col(series, "rss_bytes", i)));
        json_object_set_new(iv, "heap_bytes", tach__json_num(col(series, "heap_bytes", i)));
        json_array_append_new(a, iv);
        if (isfinite(t)) prev = t;
    }
    return a;
}

void tool_svg_soak(tool_sb *b, const json_t *soak, int width, int height)
{
    json_t *ivs = soak_intervals(soak);
    if (!ivs) return;
    static const char *const rk[] = {"rps"}, *const rl[] = {"operations/s"}, *const rc[] = {"#0072b2"};
    series_chart(b, ivs, rk, rl, rc, 1, U_RATE, "soak-rate", "Throughput in each interval of the soak",
                 width, height);
    static const char *const lk[] = {"p50_ns", "p99_ns"}, *const ll[] = {"p50", "p99"},
                             *const lc[] = {"#009e73", "#d55e00"};
    series_chart(b, ivs, lk, ll, lc, 2, U_TIME, "soak-latency",
                 "p50 and p99 latency in each interval of the soak", width, height);
    static const char *const mk[] = {"rss_bytes", "heap_bytes"}, *const ml[] = {"RSS", "heap"},
                             *const mc[] = {"#cc79a7", "#e69f00"};
    series_chart(b, ivs, mk, ml, mc, 2, U_BYTES, "soak-memory",
                 "RSS and heap in use at the end of each interval of the soak", width, height);
    json_decref(ivs);
}

static const json_t *doc_soak(const tach__doc *d)
{
    const json_t *s = d ? json_object_get(d->context, "soak") : NULL;
    return json_is_object(s) && json_array_size(json_object_get(json_object_get(s, "series"), "t")) ? s
                                                                                                   : NULL;
}

/* A load soak's failed load run (its "load" object, docs/soak.md): the reason, NULL when
 * it did not fail or the soak had no load run. */
static const char *load_failed(const json_t *soak)
{
    const json_t *ld = json_object_get(soak, "load");
    if (!json_is_true(json_object_get(ld, "failed"))) return NULL;
    const char *why = json_string_value(json_object_get(ld, "reason"));
    return why ? why : "?";
}

bool tool_rep_has_soak(const tach__doc *d)
{
    return doc_soak(d) != NULL;
}

void tool_rep_soak_html(tool_sb *b, const tach__doc *d)
{
    const json_t *soak = doc_soak(d);
    if (!soak) return;
    const json_t *v = json_object_get(soak, "verdict");
    const char *summary = json_string_value(json_object_get(v, "summary"));
    const char *reason = json_string_value(json_object_get(v, "reason"));
    tool_sb_printf(b, "<section id=\"soak\"><h2>Soak over time</h2><p class=\"soak-verdict\">"
                      "<span class=\"tag t-%s\">", summary ? summary : "unknown");
    tool_sb_esc_xml(b, summary ? summary : "unknown");
    tool_sb_put(b, "</span>");
    if (json_is_true(json_object_get(soak, "partial"))) tool_sb_put(b, " (partial)");
    if (reason) {
        tool_sb_put(b, ": ");
        tool_sb_esc_xml(b, reason);
    }
    const char *load_why = load_failed(soak);
    if (load_why) {
        tool_sb_put(b, "; but its load run failed its checks: ");
        tool_sb_esc_xml(b, load_why);
    }
    tool_sb_printf(b, " \xc2\xb7 %lld intervals</p><div class=\"scroll\">",
                   (long long)json_integer_value(json_object_get(soak, "intervals")));
    tool_svg_soak(b, soak, 720, 180);
    tool_sb_put(b, "</div></section>\n");
}

void tool_rep_soak_md(tool_sb *b, const tach__doc *d)
{
    const json_t *soak = doc_soak(d);
    if (!soak) return;
    const json_t *v = json_object_get(soak, "verdict");
    const char *summary = json_string_value(json_object_get(v, "summary"));
    const char *reason = json_string_value(json_object_get(v, "reason"));
    tool_sb_printf(b, "## Soak\n\n**%s**%s", summary ? summary : "unknown",
                   json_is_true(json_object_get(soak, "partial")) ? " (partial)" : "");
    if (reason) {
        tool_sb_put(b, ": ");
        tool_sb_put(b, reason);
    }
    const char *load_why = load_failed(soak);
    if (load_why) {
        tool_sb_put(b, "; but its load run failed its checks: ");
        tool_sb_esc_md(b, load_why);
    }
    tool_sb_printf(b, " · %lld intervals (the charts over time: `--format html`)\n\n",
                   (long long)json_integer_value(json_object_get(soak, "intervals")));
}

bool tool_rep_has_load(const tach__doc *d)
{
    for (size_t i = 0; d && i < d->nresults; i++)
        if (intervals(d->results[i].load)) return true;
    return false;
}

void tool_rep_load_html(tool_sb *b, const tach__doc *d)
{
    if (!tool_rep_has_load(d)) return;
    tool_sb_put(b, "<section id=\"load\"><h2>Load over time</h2>"
                   "<p>Each point is one interval of the measured window: its requests per second, "
                   "and the p50 and p99 of their latency from the intended start (an interval "
                   "without a request has no latency point).</p>");
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!intervals(r->load)) continue;
        tool_sb_put(b, "<h3><code>");
        tool_sb_esc_xml(b, r->name);
        tool_sb_printf(b, "</code>: %zu intervals</h3><div class=\"scroll\">",
                       json_array_size(intervals(r->load)));
        tool_svg_load_rate(b, r->load, 720, 180);
        tool_svg_load_latency(b, r->load, 720, 180);
        tool_sb_put(b, "</div>");
    }
    tool_sb_put(b, "</section>\n");
}

/* The Markdown table lists the intervals up to this many; a longer run gets its
 * summary line only. */
#define MD_MAX_ROWS 30

static void md_summary(tool_sb *b, const tach__result *r, const json_t *ivs)
{
    size_t n = json_array_size(ivs), empty = 0;
    double rlo = INFINITY, rhi = -INFINITY, worst = -INFINITY, worst_t = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *iv = json_array_get(ivs, i);
        double rps = iv_rate(iv), p99 = iv_num(iv, "p99_ns");
        if (isfinite(rps)) rlo = fmin(rlo, rps), rhi = fmax(rhi, rps);
        if (!isfinite(p99)) empty++;
        else if (p99 > worst) worst = p99, worst_t = iv_num(iv, "start_s");
    }
    tool_sb_put(b, "- ");
    tool_sb_code_md_inline(b, r->name);
    tool_sb_printf(b, ": %zu intervals", n);
    char lo[48], hi[48];
    if (isfinite(rlo))
        tool_sb_printf(b, ", %s to %s", rate_txt(rlo, lo, sizeof lo), rate_txt(rhi, hi, sizeof hi));
    if (isfinite(worst)) {
        char t[48];
        tool_sb_printf(b, ", worst p99 %s (interval at %.3g s)", tach__fmt_time(worst, t, sizeof t), worst_t);
    }
    if (empty) tool_sb_printf(b, ", %zu without a request", empty);
    tool_sb_put(b, "\n");
}

void tool_rep_load_md(tool_sb *b, const tach__doc *d)
{
    if (!tool_rep_has_load(d)) return;
    tool_sb_put(b, "\n## Load over time\n\n");
    const tach__result *overall = NULL;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        const json_t *ivs = intervals(r->load);
        if (!ivs) continue;
        md_summary(b, r, ivs);
        if (r->name && !strcmp(r->name, "overall")) overall = r;
    }
    const json_t *ivs = overall ? intervals(overall->load) : NULL;
    tool_sb_put(b, "\n"); /* the list ends: the next section's heading stands apart */
    if (!ivs || json_array_size(ivs) > MD_MAX_ROWS) return;
    tool_sb_put(b, "| Start | Requests | Errors | Rate | p50 | p99 |\n"
                   "| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < json_array_size(ivs); i++) {
        const json_t *iv = json_array_get(ivs, i);
        double p50 = iv_num(iv, "p50_ns"), p99 = iv_num(iv, "p99_ns");
        char a[48], z[48], r[48];
        tool_sb_printf(b, "| %.3g s | %.0f | %.0f | %s | %s | %s |\n", iv_num(iv, "start_s"),
                       iv_num(iv, "count"), iv_num(iv, "errors"), rate_txt(iv_rate(iv), r, sizeof r),
                       isfinite(p50) ? tach__fmt_time(p50, a, sizeof a) : "\xe2\x80\x94",
                       isfinite(p99) ? tach__fmt_time(p99, z, sizeof z) : "\xe2\x80\x94");
    }
    tool_sb_put(b, "\n");
}
