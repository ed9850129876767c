/* prof_report.c - the profiles kept with a run, in the reports: for each benchmark
 * with a profile, its bottleneck table and flame graph (HTML) or table (Markdown);
 * for a regressed benchmark whose baseline has a profile too, the functions whose
 * share grew most (with CIs) and the differential flame graph, beside the
 * regression. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "prof_doc.h"
#include "report.h"

#define GROWTH_ROWS 5
#define TOP_ROWS 10

/* The growth of name's profile against the base, or NULL (none on either side). */
static tool_prof_change *growth(const tool_report_in *in, const char *name, tach__profile **b,
                                tach__profile **c, size_t *n)
{
    char err[TACH__ERR_MAX];
    *n = 0;
    *b = in->base_doc ? tool_profile_from_doc(in->base_doc, name, err) : NULL;
    *c = *b ? tool_profile_from_doc(in->doc, name, err) : NULL;
    if (!*c) return NULL;
    return tool_profile_diff(*b, *c, 2000, TACH__DEFAULT_SEED, n);
}

static const json_t *top_of(const tool_report_in *in, const char *name)
{
    return json_object_get(json_object_get(json_object_get(in->doc->context, "profiles"), name), "top");
}

static void html_growth(tool_sb *b, const tool_prof_change *d, size_t n)
{
    tool_sb_put(b, "<table><thead><tr><th>Function</th><th class=\"n\">Before</th><th class=\"n\">After"
                   "</th><th class=\"n\">Change (points)</th><th class=\"n\">95% CI</th></tr></thead><tbody>");
    for (size_t k = 0; k < n && k < GROWTH_ROWS && d[k].change > 0; k++) {
        tool_sb_put(b, "<tr><td><code>");
        tool_sb_esc_xml(b, d[k].func);
        tool_sb_printf(b, "</code></td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td>"
                          "<td class=\"n\">%+.1f</td><td class=\"n\">[%+.1f, %+.1f]</td></tr>",
                       100 * d[k].before, 100 * d[k].after, 100 * d[k].change, 100 * d[k].lo,
                       100 * d[k].hi);
    }
    tool_sb_put(b, "</tbody></table>\n");
}

static void html_top(tool_sb *b, const json_t *top)
{
    size_t i;
    const json_t *row;
    tool_sb_put(b, "<table><thead><tr><th class=\"n\">Rank</th><th>Function</th><th>File:line</th>"
                   "<th class=\"n\">Self</th><th class=\"n\">Total</th><th class=\"n\">Samples</th>"
                   "</tr></thead><tbody>");
    json_array_foreach(json_object_get(top, "top"), i, row)
    {
        if (i >= TOP_ROWS) break;
        const char *file = json_string_value(json_object_get(row, "file"));
        tool_sb_printf(b, "<tr><td class=\"n\">%zu</td><td><code>", i + 1);
        tool_sb_esc_xml(b, json_string_value(json_object_get(row, "function")));
        tool_sb_put(b, "</code></td><td>");
        if (file) {
            tool_sb_esc_xml(b, file);
            json_int_t line = json_integer_value(json_object_get(row, "line"));
            if (line) tool_sb_printf(b, ":%lld", (long long)line);
        }
        tool_sb_printf(b, "</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td><td class=\"n\">%lld</td></tr>",
                       json_real_value(json_object_get(row, "self_pct")),
                       json_real_value(json_object_get(row, "total_pct")),
                       (long long)json_integer_value(json_object_get(row, "samples")));
    }
    tool_sb_put(b, "</tbody></table>\n");
}

void tool_report_profiles_html(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    if (!tool_profile_count(in->doc)) return;
    tool_sb_put(b, "<section id=\"profiles\"><h2>Profiles</h2><p class=\"muted\">Sampled in one more "
                   "run after the timed ones (docs/profiling.md). Click a frame to zoom; Search "
                   "highlights matches.</p>\n");
    for (size_t i = 0; i < v->nitems; i++) {
        const char *name = v->items[i].r->name;
        char err[TACH__ERR_MAX];
        tach__profile *p = tool_profile_from_doc(in->doc, name, err);
        if (!p) continue;
        tool_sb_put(b, "<h3><code>");
        tool_sb_esc_xml(b, name);
        tool_sb_printf(b, "</code> \xc2\xb7 %llu samples</h3>\n", (unsigned long long)p->samples);
        tach__profile *base = NULL, *cur = NULL;
        size_t n = 0;
        tool_prof_change *d = v->items[i].regressed ? growth(in, name, &base, &cur, &n) : NULL;
        char *svg = NULL;
        if (d) {
            tool_sb_put(b, "<p>Regressed: the functions whose share of samples grew most</p>\n");
            html_growth(b, d, n);
            char title[300];
            snprintf(title, sizeof title, "%s against the baseline (red grew, blue shrank)", name);
            svg = tach__profile_svg(cur, base, title);
        } else {
            const json_t *top = top_of(in, name);
            if (top) html_top(b, top);
            svg = tach__profile_svg(p, NULL, name);
        }
        if (svg) {
            tool_sb_put(b, "<div class=\"scroll\">");
            tool_sb_put(b, svg);
            tool_sb_put(b, "</div>\n");
        }
        tach__free(svg);
        tach__free(d);
        tach__profile_free(base);
        tach__profile_free(cur);
        tach__profile_free(p);
    }
    tool_sb_put(b, "</section>\n");
}

void tool_report_profiles_md(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    if (!tool_profile_count(in->doc)) return;
    tool_sb_put(b, "## Profiles\n\n");
    for (size_t i = 0; i < v->nitems; i++) {
        const char *name = v->items[i].r->name;
        const json_t *top = top_of(in, name);
        tach__profile *base = NULL, *cur = NULL;
        size_t n = 0;
        tool_prof_change *d = v->items[i].regressed ? growth(in, name, &base, &cur, &n) : NULL;
        if (!top && !d) {
            tach__profile_free(base);
            tach__profile_free(cur);
            continue;
        }
        tool_sb_put(b, "### ");
        tool_sb_code_md(b, name);
        tool_sb_put(b, "\n\n");
        if (d) {
            tool_sb_put(b, "Regressed: the functions whose share of samples grew most.\n\n"
                           "| Function | Before | After | Change (points) | 95% CI |\n|---|--:|--:|--:|--:|\n");
            for (size_t k = 0; k < n && k < GROWTH_ROWS && d[k].change > 0; k++) {
                tool_sb_put(b, "| ");
                tool_sb_code_md(b, d[k].func);
                tool_sb_printf(b, " | %.1f%% | %.1f%% | %+.1f | [%+.1f, %+.1f] |\n", 100 * d[k].before,
                               100 * d[k].after, 100 * d[k].change, 100 * d[k].lo, 100 * d[k].hi);
            }
            tool_sb_put(b, "\n");
        }
        if (top) {
            tool_sb_put(b, "| Rank | Function | File:line | Self | Total | Samples |\n|--:|---|---|--:|--:|--:|\n");
            size_t k;
            const json_t *row;
            json_array_foreach(json_object_get(top, "top"), k, row)
            {
                if (k >= TOP_ROWS) break;
                const char *file = json_string_value(json_object_get(row, "file"));
                json_int_t line = json_integer_value(json_object_get(row, "line"));
                tool_sb_printf(b, "| %zu | ", k + 1);
                tool_sb_code_md(b, json_string_value(json_object_get(row, "function")));
                tool_sb_put(b, " | ");
                if (file) {
                    tool_sb_esc_md(b, file);
                    if (line) tool_sb_printf(b, ":%lld", (long long)line);
                }
                tool_sb_printf(b, " | %.1f%% | %.1f%% | %lld |\n",
                               json_real_value(json_object_get(row, "self_pct")),
                               json_real_value(json_object_get(row, "total_pct")),
                               (long long)json_integer_value(json_object_get(row, "samples")));
            }
            tool_sb_put(b, "\n");
        }
        tach__free(d);
        tach__profile_free(base);
        tach__profile_free(cur);
    }
}
