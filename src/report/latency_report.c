/*
 * latency_report.c - the reports' latency section (Markdown and HTML): for every
 * benchmark whose result carries per-call histograms, p50 .. p99.99 and max with their
 * 95% CIs and the calls each tail rests on; a tail on fewer than 10 calls is marked
 * thin, and a body too short to time one call at a time is said so, without
 * percentiles.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "latency.h"
#include "report.h"

bool tool_rep_has_latency(const tach__doc *d)
{
    for (size_t i = 0; d && i < d->nresults; i++)
        if (d->results[i].latency) return true;
    return false;
}

void tool_rep_latency_md(tool_sb *b, const tach__doc *d)
{
    if (!tool_rep_has_latency(d)) return;
    tach__buf t = {0};
    tach__latency_section(&t, d, true);
    char *s = tach__buf_take(&t);
    if (s) {
        /* the section's own heading is a level below the report's sections */
        tool_sb_put(b, "\n## Latency per call\n");
        const char *body = s;
        static const char h[] = "\n### Latency per call\n";
        if (!strncmp(body, h, sizeof h - 1)) body += sizeof h - 1;
        tool_sb_put(b, body);
        tool_sb_put(b, "\n");
    }
    tach__free(s);
}

static void time_td(tool_sb *b, double ns)
{
    char t[48];
    tool_sb_printf(b, "<td class=\"n\">%s</td>", tach__fmt_time(ns, t, sizeof t));
}

void tool_rep_latency_html(tool_sb *b, const tach__doc *d)
{
    if (!tool_rep_has_latency(d)) return;
    tool_sb_put(b, "<section id=\"latency\"><h2>Latency per call</h2>"
                   "<p>Each call timed on its own; percentiles from the histogram of every call "
                   "(all rounds merged), 95% CIs by order statistics. A percentile with fewer "
                   "than 10 calls above it is <span class=\"tag t-incomparable\">thin</span>.</p>");
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        const tach__latency *l = r->latency;
        if (!l) continue;
        char calls[32];
        tool_sb_put(b, "<h3><code>");
        tool_sb_esc_xml(b, r->name);
        tool_sb_printf(b, "</code>: %s calls</h3>", tach__fmt_count(l->count, calls, sizeof calls));
        if (l->too_short || !l->count) {
            tool_sb_put(b, "<p class=\"muted\">");
            tool_sb_esc_xml(b, l->note ? l->note : "no calls were timed");
            tool_sb_put(b, "</p>");
            continue;
        }
        tool_sb_put(b, "<div class=\"scroll\"><table class=\"latency\"><thead><tr><th>Percentile</th>"
                       "<th class=\"n\">Value</th><th class=\"n\">95% CI low</th>"
                       "<th class=\"n\">95% CI high</th><th class=\"n\">Calls above</th><th></th>"
                       "</tr></thead><tbody>");
        for (size_t k = 0; k < TACH__LAT_NPCT; k++) {
            const tach__lat_pct *q = &l->pct[k];
            char pn[16], why[128];
            tool_sb_printf(b, "<tr><td>%s</td>", tach__lat_pname(q->p, pn, sizeof pn));
            time_td(b, q->value);
            time_td(b, q->lo);
            if (isinf(q->hi)) tool_sb_put(b, "<td class=\"n\">unbounded</td>");
            else time_td(b, q->hi);
            tool_sb_printf(b, "<td class=\"n\">%s</td><td>", tach__fmt_count(q->samples, calls, sizeof calls));
            if (tach__lat_thin(q)) {
                tool_sb_put(b, "<span class=\"tag t-incomparable\" title=\"");
                tool_sb_esc_xml(b, tach__latency_thin_text(l, q, why, sizeof why));
                tool_sb_put(b, "\">thin</span>");
            }
            tool_sb_put(b, "</td></tr>");
        }
        tool_sb_put(b, "<tr><td>max</td>");
        time_td(b, l->max);
        tool_sb_put(b, "<td></td><td></td><td class=\"n\">1</td><td></td></tr></tbody></table></div>");
    }
    tool_sb_put(b, "</section>\n");
}
