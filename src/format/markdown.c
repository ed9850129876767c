/* markdown.c - a Markdown table like hyperfine's --export-markdown: Command |
 * Mean [unit] | Min [unit] | Max [unit] | Relative, one unit for the whole table; a
 * suite's run without Relative (its rows measure different work: compress against
 * decompress, other codecs, levels, sizes, so their ratio means nothing).
 * The Markdown escapers (format.c) are the ones the reports use too. */
#include <string.h>

#include "format.h"

static char *write_markdown(const tach__doc *d, size_t *len, char *err)
{
    tach__table t;
    if (tach__table_build(d, &t, err) != 0) return NULL;
    tach__buf b = {0};
    bool suite = json_is_string(json_object_get(json_object_get(d->context, "suite"), "name")); /* not a quick run's */
    tach__buf_printf(&b, "| Command | Mean [%s] | Min [%s] | Max [%s] |%s\n", t.unit, t.unit, t.unit,
                     suite ? "" : " Relative |");
    tach__buf_printf(&b, "|:---|---:|---:|---:|%s\n", suite ? "" : "---:|");
    for (size_t i = 0; i < t.nrows; i++) {
        const tach__table_row *row = &t.rows[i];
        tach__buf_puts(&b, "| ");
        tach__md_code(&b, row->label);
        if (row->measured)
            tach__buf_printf(&b, " | %s | %s | %s |%s%s%s\n", row->mean, row->min, row->max,
                             suite ? "" : " ", suite ? "" : row->relative, suite ? "" : " |");
        else
            tach__buf_printf(&b, " | %s | | |%s\n", row->status, suite ? "" : " |");
    }
    if (suite)
        tach__buf_puts(&b, "\n*A suite's rows measure different work (compress and decompress, other "
                           "codecs, levels, sizes): no Relative column compares them.*\n");
    tach__latency_section(&b, d, true);
    if (d->partial)
        tach__buf_puts(&b, "\n*Partial: the run was interrupted; these are the runs measured before it "
                           "stopped.*\n");
    if (tach__doc_quick(d))
        tach__buf_puts(&b, "\n*Quick run (--quick): a smoke test with few samples; not figures to "
                           "publish.*\n");
    tach__table_free(&t);
    tach__md_controls(&b);
    char *text = tach__buf_take(&b);
    if (!text) tach__err(err, "out of memory");
    else if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_markdown = {
    .name = "markdown", .extensions = ".md", .summary = "a Markdown table like hyperfine's",
    .write = write_markdown,
};
