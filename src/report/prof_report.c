/* prof_report.c - the profiles kept with a run, in the reports: for each benchmark
 * with a profile, its bottleneck table (with a change column against a profiled
 * baseline) and flame graph (HTML) or table (Markdown); for a regressed benchmark
 * whose baseline has a profile too, the functions whose share grew most (with CIs)
 * and the differential flame graph, beside the regression. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "prof_doc.h"
#include "report.h"

#define GROWTH_ROWS 5
#define TOP_ROWS 10

size_t tool_rep_prof_rows(const tool_report_in *in)
{
    return in->top ? in->top : TOP_ROWS;
}

int tool_rep_prof_get(const tool_report_in *in, const char *name, tool_rep_prof *r)
{
    char err[TACH__ERR_MAX];
    memset(r, 0, sizeof *r);
    tach__profile *p = tool_profile_from_doc(in->doc, name, err);
    const json_t *kept = json_object_get(json_object_get(json_object_get(in->doc->context, "profiles"), name), "top");
    if (json_is_object(kept)) r->top = json_incref((json_t *)kept);
    else if (p) r->top = tach__profile_top_json(p, tool_rep_prof_rows(in));
    if (!r->top) {
        tach__profile_free(p);
        return -1;
    }
    tach__profile *b = p && in->base_doc ? tool_profile_from_doc(in->base_doc, name, err) : NULL;
    if (b) r->c = tool_profile_diff(b, p, 2000, TACH__DEFAULT_SEED, &r->nc);
    r->p = p;
    r->base = b;
    return 0;
}

void tool_rep_prof_free(tool_rep_prof *r)
{
    json_decref(r->top);
    tach__free(r->c);
    tach__profile_free(r->p);
    tach__profile_free(r->base);
    memset(r, 0, sizeof *r);
}

void tool_rep_prof_change(const tool_rep_prof *r, const char *func, char *out, size_t n, bool *sig)
{
    *sig = false;
    out[0] = '\0';
    if (!r->c) return;
    const tool_prof_change *x = tool_prof_change_find(r->c, r->nc, func);
    if (!x) {
        snprintf(out, n, "-");
        return;
    }
    *sig = tool_prof_change_significant(x->self_lo, x->self_hi);
    snprintf(out, n, "%+.1f%s", 100 * x->self_change, *sig ? " *" : "");
}

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

bool tool_report_suspect(tool_sb *b, const tool_report_in *in, const char *name, bool html)
{
    tach__profile *base = NULL, *cur = NULL;
    size_t n = 0;
    tool_prof_change *d = growth(in, name, &base, &cur, &n);
    bool wrote = false;
    if (d && n && d[0].change > 0) {
        if (html) {
            tool_sb_put(b, "<code>");
            tool_sb_esc_xml(b, d[0].func);
            tool_sb_put(b, "</code>");
        } else { /* in a list item (markdown.c) */
            tool_sb_code_md_inline(b, d[0].func);
        }
        tool_sb_printf(b, " %.1f%% %s %.1f%% (%+.1f points, 95%% CI [%+.1f, %+.1f])", 100 * d[0].before,
                       html ? "&#8594;" : "\xe2\x86\x92", 100 * d[0].after, 100 * d[0].change, 100 * d[0].lo,
                       100 * d[0].hi);
        wrote = true;
    }
    tach__free(d);
    tach__profile_free(base);
    tach__profile_free(cur);
    return wrote;
}

void tool_report_suspect_row(tool_sb *b, const tool_report_in *in, const char *name, int cols)
{
    tool_sb s = {0};
    bool wrote = tool_report_suspect(&s, in, name, true);
    char *t = tach__buf_take(&s);
    if (wrote) {
        tool_sb_printf(b, "<tr><td colspan=\"%d\" class=\"muted\">grew most in its profile: ", cols);
        tool_sb_put(b, t ? t : "");
        tool_sb_put(b, "</td></tr>");
    }
    tach__free(t);
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

static void html_top(tool_sb *b, const tool_report_in *in, const tool_rep_prof *r)
{
    size_t i;
    const json_t *row;
    tool_sb_put(b, "<table class=\"bottlenecks\"><thead><tr><th class=\"n\">Rank</th><th>Function</th><th>File:line</th>"
                   "<th class=\"n\">Self</th><th class=\"n\">Total</th><th class=\"n\">Samples</th>");
    if (r->c) tool_sb_put(b, "<th class=\"n\">Change (points)</th>");
    tool_sb_put(b, "</tr></thead><tbody>");
    json_array_foreach(json_object_get(r->top, "top"), i, row)
    {
        if (i >= tool_rep_prof_rows(in)) break;
        const char *func = json_string_value(json_object_get(row, "function"));
        const char *file = json_string_value(json_object_get(row, "file"));
        tool_sb_printf(b, "<tr><td class=\"n\">%zu</td><td><code>", i + 1);
        tool_sb_esc_xml(b, func ? func : "?");
        tool_sb_put(b, "</code></td><td>");
        if (file) {
            tool_sb_esc_xml(b, file);
            json_int_t line = json_integer_value(json_object_get(row, "line"));
            if (line) tool_sb_printf(b, ":%lld", (long long)line);
        }
        tool_sb_printf(b, "</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td><td class=\"n\">%lld</td>",
                       json_number_value(json_object_get(row, "self_pct")),
                       json_number_value(json_object_get(row, "total_pct")),
                       (long long)json_integer_value(json_object_get(row, "samples")));
        if (r->c) {
            const tool_prof_change *x = tool_prof_change_find(r->c, r->nc, func);
            if (!x) {
                tool_sb_put(b, "<td class=\"n\">-</td>");
            } else {
                bool sig = tool_prof_change_significant(x->self_lo, x->self_hi);
                tool_sb_printf(b, "<td class=\"n\" title=\"95%% CI [%+.1f, %+.1f]\">%s%+.1f%s</td>",
                               100 * x->self_lo, 100 * x->self_hi, sig ? "<b>" : "",
                               100 * x->self_change, sig ? " *</b>" : "");
            }
        }
        tool_sb_put(b, "</tr>");
    }
    tool_sb_put(b, "</tbody></table>\n");
    if (r->c) {
        tool_sb_put(b, "<p class=\"muted\">Change: each function's self share against ");
        tool_sb_esc_xml(b, in->base_label ? in->base_label : "the baseline");
        tool_sb_put(b, ", in points; <b>*</b>: its 95% bootstrap CI excludes 0.</p>\n");
    }
}

/* Each shown benchmark's profile, as HTML; how many were shown. */
static size_t profiles_html_items(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    size_t shown = 0;
    for (size_t i = 0; i < v->nitems; i++) {
        const char *name = v->items[i].r->name;
        char err[TACH__ERR_MAX];
        tach__profile *p = tool_profile_from_doc(in->doc, name, err);
        tool_rep_prof r;
        if (!p) { /* a table kept without its stacks (a benchmark binary's own document) */
            if (tool_rep_prof_get(in, name, &r) == 0) {
                tool_sb_put(b, "<h3><code>");
                tool_sb_esc_xml(b, name);
                tool_sb_put(b, "</code></h3>\n");
                html_top(b, in, &r);
                tool_rep_prof_free(&r);
                shown++;
            }
            continue;
        }
        shown++;
        tool_sb_put(b, "<h3><code>");
        tool_sb_esc_xml(b, name);
        tool_sb_printf(b, "</code> \xc2\xb7 %llu samples</h3>\n", (unsigned long long)p->samples);
        tach__profile *base = NULL, *cur = NULL;
        size_t n = 0;
        tool_prof_change *d = v->items[i].regressed ? growth(in, name, &base, &cur, &n) : NULL;
        char *svg = NULL;
        if (d && n && d[0].change > 0) { /* no heading over an empty table: none grew */
            tool_sb_put(b, "<p>Regressed: the functions whose share of samples grew most</p>\n");
            html_growth(b, d, n);
        }
        if (tool_rep_prof_get(in, name, &r) == 0) {
            html_top(b, in, &r);
            tool_rep_prof_free(&r);
        }
        if (d) {
            char title[300];
            snprintf(title, sizeof title, "%s against the baseline (red grew, blue shrank)", name);
            svg = tach__profile_svg(cur, base, title);
        } else {
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
    return shown;
}

/* Appends body to b when something was shown in it (no heading over an empty section:
 * the profiles kept were all damaged, or of benchmarks not shown); frees body. */
static void put_section(tool_sb *b, const char *head, tool_sb *body, size_t shown, const char *tail)
{
    if (body->oom) b->oom = true;
    else if (shown) {
        tool_sb_put(b, head);
        tool_sb_putn(b, body->p ? body->p : "", body->len);
        tool_sb_put(b, tail);
    }
    tool_sb_free(body);
}

void tool_report_profiles_html(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    if (!tool_profile_count(in->doc)) return;
    /* a command's profile is one more run after the timed ones; a benchmark binary's,
     * its measured samples themselves */
    const char *tool = json_string_value(json_object_get(in->doc->context, "tool"));
    bool command = tool && !strcmp(tool, "tach run");
    char head[300];
    snprintf(head, sizeof head,
             "<section id=\"profiles\"><h2>Profiles</h2><p class=\"muted\">%s "
             "(docs/profiling.md). Click a frame to zoom; Search highlights matches.</p>\n",
             command ? "Sampled in one more run after the timed ones"
                     : "Sampled during each benchmark's measured samples");
    tool_sb body;
    tool_sb_init(&body);
    size_t shown = profiles_html_items(&body, in, v);
    put_section(b, head, &body, shown, "</section>\n");
}

/* Each shown benchmark's profile, as Markdown; how many were shown. */
static size_t profiles_md_items(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    size_t shown = 0;
    for (size_t i = 0; i < v->nitems; i++) {
        const char *name = v->items[i].r->name;
        tool_rep_prof r;
        bool have = tool_rep_prof_get(in, name, &r) == 0;
        tach__profile *base = NULL, *cur = NULL;
        size_t n = 0;
        tool_prof_change *d = v->items[i].regressed ? growth(in, name, &base, &cur, &n) : NULL;
        if (!have && !d) {
            tach__profile_free(base);
            tach__profile_free(cur);
            continue;
        }
        shown++;
        tool_sb_put(b, "### ");
        tool_sb_code_md_inline(b, name);
        tool_sb_put(b, "\n\n");
        if (d && n && d[0].change > 0) { /* none grew: no heading over an empty table */
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
        if (have) {
            tool_sb_printf(b, "| Rank | Function | File:line | Self | Total | Samples |%s\n|--:|---|---|--:|--:|--:|%s\n",
                           r.c ? " Change (points) |" : "", r.c ? "--:|" : "");
            size_t k;
            const json_t *row;
            json_array_foreach(json_object_get(r.top, "top"), k, row)
            {
                if (k >= tool_rep_prof_rows(in)) break;
                const char *func = json_string_value(json_object_get(row, "function"));
                const char *file = json_string_value(json_object_get(row, "file"));
                json_int_t line = json_integer_value(json_object_get(row, "line"));
                tool_sb_printf(b, "| %zu | ", k + 1);
                tool_sb_code_md(b, func ? func : "?");
                tool_sb_put(b, " | ");
                if (file) {
                    tool_sb_esc_md(b, file);
                    if (line) tool_sb_printf(b, ":%lld", (long long)line);
                }
                tool_sb_printf(b, " | %.1f%% | %.1f%% | %lld |",
                               json_number_value(json_object_get(row, "self_pct")),
                               json_number_value(json_object_get(row, "total_pct")),
                               (long long)json_integer_value(json_object_get(row, "samples")));
                if (r.c) {
                    char cell[64];
                    bool sig;
                    tool_rep_prof_change(&r, func, cell, sizeof cell, &sig);
                    if (sig) {
                        cell[strlen(cell) - 2] = '\0'; /* the " *" as bold in Markdown */
                        tool_sb_printf(b, " **%s** |", cell);
                    } else {
                        tool_sb_printf(b, " %s |", cell);
                    }
                }
                tool_sb_put(b, "\n");
            }
            tool_sb_put(b, "\n");
            if (r.c) {
                tool_sb_put(b, "Change: each function's self share against ");
                tool_sb_esc_md(b, in->base_label ? in->base_label : "the baseline");
                tool_sb_put(b, ", in points; **bold**: its 95% bootstrap CI excludes 0.\n\n");
            }
            tool_rep_prof_free(&r);
        }
        tach__free(d);
        tach__profile_free(base);
        tach__profile_free(cur);
    }
    return shown;
}

void tool_report_profiles_md(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    if (!tool_profile_count(in->doc)) return;
    tool_sb body;
    tool_sb_init(&body);
    size_t shown = profiles_md_items(&body, in, v);
    put_section(b, "## Profiles\n\n", &body, shown, "");
}

/* ---- the certificate's section --------------------------------------------------- */

void tool_report_bottlenecks_cert(tool_sb *b, const tool_report_in *in, const tool_rep_view *v, bool html)
{
    size_t rows = tool_rep_prof_rows(in);
    char h[64];
    snprintf(h, sizeof h, "Top %zu bottleneck%s", rows, rows == 1 ? "" : "s"); /* --top 1 */
    if (html) {
        tool_sb_printf(b, "</section>\n<section><h2>%s</h2>", h);
    } else {
        tool_sb_printf(b, "## %s\n\n", h);
    }
    size_t shown = 0;
    for (size_t i = 0; i < v->nitems; i++) {
        const char *name = v->items[i].r->name;
        tool_rep_prof r;
        if (tool_rep_prof_get(in, name, &r) != 0) continue;
        shown++;
        if (html) {
            tool_sb_put(b, "<h3><code>");
            tool_sb_esc_xml(b, name);
            tool_sb_put(b, "</code></h3><div class=\"scroll\"><table><thead><tr><th>Rank</th><th>Function</th>"
                           "<th>File:line</th><th>Self</th><th>Total</th><th>Samples</th>");
            if (r.c) tool_sb_put(b, "<th>Change (points)</th>");
            tool_sb_put(b, "</tr></thead><tbody>");
        } else {
            tool_sb_put(b, "### ");
            tool_sb_code_md_inline(b, name);
            tool_sb_printf(b, "\n\n| Rank | Function | File:line | Self | Total | Samples |%s\n"
                              "| --- | --- | --- | --- | --- | --- |%s\n",
                           r.c ? " Change (points) |" : "", r.c ? " --- |" : "");
        }
        size_t k;
        const json_t *row;
        json_array_foreach(json_object_get(r.top, "top"), k, row)
        {
            if (k >= rows) break;
            const char *func = json_string_value(json_object_get(row, "function"));
            const char *file = json_string_value(json_object_get(row, "file"));
            json_int_t line = json_integer_value(json_object_get(row, "line"));
            char where[600] = "-", self[32], total[32], change[64];
            bool sig;
            if (file && line) snprintf(where, sizeof where, "%s:%lld", file, (long long)line);
            else if (file) snprintf(where, sizeof where, "%s", file);
            snprintf(self, sizeof self, "%.1f%%", json_number_value(json_object_get(row, "self_pct")));
            snprintf(total, sizeof total, "%.1f%%", json_number_value(json_object_get(row, "total_pct")));
            tool_rep_prof_change(&r, func, change, sizeof change, &sig);
            if (html) {
                tool_sb_printf(b, "<tr><td>%zu</td><td><code>", k + 1);
                tool_sb_esc_xml(b, func ? func : "?");
                tool_sb_put(b, "</code></td><td>");
                tool_sb_esc_xml(b, where);
                tool_sb_printf(b, "</td><td>%s</td><td>%s</td><td>%lld</td>", self, total,
                               (long long)json_integer_value(json_object_get(row, "samples")));
                if (r.c) tool_sb_printf(b, "<td>%s%s%s</td>", sig ? "<b>" : "", change, sig ? "</b>" : "");
                tool_sb_put(b, "</tr>");
            } else {
                tool_sb_printf(b, "| %zu | ", k + 1);
                tool_sb_code_md(b, func ? func : "?");
                tool_sb_put(b, " | ");
                tool_sb_esc_md(b, where);
                tool_sb_printf(b, " | %s | %s | %lld |", self, total,
                               (long long)json_integer_value(json_object_get(row, "samples")));
                if (r.c) {
                    if (sig) change[strlen(change) - 2] = '\0';
                    tool_sb_printf(b, sig ? " **%s** |" : " %s |", change);
                }
                tool_sb_put(b, "\n");
            }
        }
        if (html) tool_sb_put(b, "</tbody></table></div>");
        else tool_sb_put(b, "\n");
        if (r.c) {
            tool_sb_put(b, html ? "<p>" : "");
            tool_sb_put(b, "Change: each function's self share against ");
            if (html) tool_sb_esc_xml(b, in->base_label ? in->base_label : "the baseline");
            else tool_sb_esc_md(b, in->base_label ? in->base_label : "the baseline");
            tool_sb_put(b, html ? ", in points; <b>bold</b>: its 95% bootstrap CI excludes 0.</p>"
                                : ", in points; **bold**: its 95% bootstrap CI excludes 0.\n\n");
        }
        tool_rep_prof_free(&r);
    }
    if (!shown) tool_sb_put(b, html ? "<p>no profile recorded (run with --profile)</p>"
                                    : "no profile recorded (run with --profile)\n\n");
}
