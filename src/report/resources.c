/*
 * resources.c - the reports' "Memory and CPU counters" section (Markdown and HTML):
 * per benchmark its heap accounting (allocs/iter, bytes/iter, peak, growth/iter, peak
 * RSS, a leak flagged), its CPU counters per iteration, IPC, and the notes saying why
 * memory was not counted or a counter is absent.  Nothing when no result has them.
 * The cells are the console table's (src/format/resources_text.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "report.h"

#define MAX_COLS 24

static bool any(const tach__doc *d)
{
    for (size_t i = 0; d && i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (r->memory.measured || r->memory.unavailable || r->nhw || r->nhw_absent) return true;
    }
    return false;
}

/* The section's columns: the console's (memory, counters, IPC) with growth/iter, RSS
 * and leak after the memory ones; peak RSS first when no heap was counted and a
 * benchmark's RSS was measured (a counting process that failed, ASan). */
static size_t columns(const tach__doc *d, char names[][64])
{
    char base[MAX_COLS][64];
    size_t n = tach__resource_columns(d, base, 0, MAX_COLS - 3), k = 0;
    bool rss = false, heap = false;
    for (size_t i = 0; d && i < d->nresults; i++) {
        rss = rss || d->results[i].memory.peak_rss_bytes > 0;
        heap = heap || d->results[i].memory.measured;
    }
    if (rss && !heap) snprintf(names[k++], 64, "peak RSS");
    for (size_t i = 0; i < n; i++) {
        memcpy(names[k++], base[i], sizeof base[i]);
        if (!strcmp(base[i], "peak")) {
            snprintf(names[k++], 64, "growth/iter");
            snprintf(names[k++], 64, "peak RSS");
            snprintf(names[k++], 64, "leak");
        }
    }
    return k;
}

/* r's cell under name; *leak set when it is the leak column and r leaks. */
static void cell(const tach__result *r, const char *name, char *buf, size_t size, bool *leak)
{
    const tach__memory *m = &r->memory;
    *leak = false;
    if (!strcmp(name, "growth/iter")) {
        if (m->measured) tach__fmt_bytes(m->net_growth_per_iter, buf, size);
        else snprintf(buf, size, "-");
    } else if (!strcmp(name, "peak RSS")) {
        tach__fmt_bytes(m->peak_rss_bytes > 0 ? m->peak_rss_bytes : NAN, buf, size);
    } else if (!strcmp(name, "leak")) {
        *leak = m->measured && m->leak;
        snprintf(buf, size, "%s", !m->measured ? "-" : m->leak ? "LEAK" : "no");
    } else if (!tach__resource_cell(r, name, buf, size)) {
        snprintf(buf, size, "-");
    }
}

/* What the table's figures are per, under it: a benchmark's per iteration, a command's
 * (tach run --counters) per run of the whole process and its children; the memory
 * pass named only when a heap was counted. */
static void caption(tool_sb *b, const tach__doc *d)
{
    bool cmd = false, bench = false, heap = false;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->memory.measured && !r->memory.unavailable && !r->nhw && !r->nhw_absent) continue;
        if (r->command) cmd = true;
        else bench = true;
        heap = heap || r->memory.measured;
    }
    if (bench && cmd)
        tool_sb_put(b, "Per iteration for a benchmark, per run of the whole process and its children for a command");
    else if (cmd)
        tool_sb_put(b, "Per run, of the whole process and its children");
    else
        tool_sb_put(b, "Per iteration");
    if (heap) tool_sb_put(b, "; memory from a counting pass after the timed samples");
    tool_sb_put(b, "; a counter marked * was scaled for multiplexing.");
}

/* The notes (memory unavailable, counters absent), one line per reason. */
static char *notes(const tach__doc *d)
{
    tach__buf b = {0};
    tach__resource_notes(d, &b);
    return tach__buf_take(&b);
}

void tool_rep_resources_md(tool_sb *b, const tach__doc *d)
{
    if (!any(d)) return;
    char names[MAX_COLS][64];
    size_t n = columns(d, names);
    tool_sb_put(b, "## Memory and CPU counters\n\n");
    if (n) {
        tool_sb_put(b, "| benchmark |");
        for (size_t k = 0; k < n; k++) {
            tool_sb_put(b, " ");
            tool_sb_esc_md(b, names[k]);
            tool_sb_put(b, " |");
        }
        tool_sb_put(b, "\n| --- |");
        for (size_t k = 0; k < n; k++) tool_sb_put(b, strcmp(names[k], "leak") ? " ---: |" : " --- |");
        tool_sb_put(b, "\n");
        for (size_t i = 0; i < d->nresults; i++) {
            const tach__result *r = &d->results[i];
            tool_sb_put(b, "| ");
            tool_sb_code_md(b, r->name);
            tool_sb_put(b, " |");
            for (size_t k = 0; k < n; k++) {
                char c[64];
                bool leak;
                cell(r, names[k], c, sizeof c, &leak);
                tool_sb_put(b, leak ? " **" : " ");
                tool_sb_esc_md(b, c);
                tool_sb_put(b, leak ? "** |" : " |");
            }
            tool_sb_put(b, "\n");
        }
        tool_sb_put(b, "\n");
        caption(b, d);
        tool_sb_put(b, " See docs/memory.md and docs/counters.md.\n");
    }
    char *t = notes(d);
    if (t && *t) {
        tool_sb_put(b, "\n");
        for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
            tool_sb_put(b, "- ");
            tool_sb_esc_md(b, line);
            tool_sb_put(b, "\n");
        }
    }
    tach__free(t);
    tool_sb_put(b, "\n");
}

void tool_rep_resources_html(tool_sb *b, const tach__doc *d)
{
    if (!any(d)) return;
    char names[MAX_COLS][64];
    size_t n = columns(d, names);
    tool_sb_put(b, "<section id=\"memory\"><h2>Memory and CPU counters</h2>\n");
    if (n) {
        tool_sb_put(b, "<div class=\"scroll\"><table><thead><tr><th>Benchmark</th>");
        for (size_t k = 0; k < n; k++) {
            tool_sb_put(b, strcmp(names[k], "leak") ? "<th class=\"n\">" : "<th>");
            tool_sb_esc_xml(b, names[k]);
            tool_sb_put(b, "</th>");
        }
        tool_sb_put(b, "</tr></thead><tbody>");
        for (size_t i = 0; i < d->nresults; i++) {
            const tach__result *r = &d->results[i];
            tool_sb_put(b, "<tr><td>");
            tool_sb_esc_xml(b, r->name);
            tool_sb_put(b, "</td>");
            for (size_t k = 0; k < n; k++) {
                char c[64];
                bool leak;
                cell(r, names[k], c, sizeof c, &leak);
                tool_sb_put(b, strcmp(names[k], "leak") ? "<td class=\"n\">" : "<td>");
                if (leak) tool_sb_put(b, "<span class=\"tag t-missed\">");
                tool_sb_esc_xml(b, c);
                if (leak) tool_sb_put(b, "</span>");
                tool_sb_put(b, "</td>");
            }
            tool_sb_put(b, "</tr>");
        }
        tool_sb_put(b, "</tbody></table></div>\n<p class=\"muted\">");
        caption(b, d);
        tool_sb_put(b, "</p>\n");
    }
    char *t = notes(d);
    if (t && *t) {
        tool_sb_put(b, "<ul class=\"muted\">");
        for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
            tool_sb_put(b, "<li>");
            tool_sb_esc_xml(b, line);
            tool_sb_put(b, "</li>");
        }
        tool_sb_put(b, "</ul>\n");
    }
    tach__free(t);
    tool_sb_put(b, "</section>\n");
}
