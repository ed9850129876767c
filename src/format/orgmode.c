/* orgmode.c - the table hyperfine's --export-orgmode writes: | Command | Mean [unit]
 * | ... |, a |--+--| rule, the command as verbatim (=...=).  Org has no escape inside
 * verbatim and a | there still ends the cell, so a command with | (or "= ", which
 * would close the verbatim early) is written
 * as plain text with | as the entity \vert{}. */
#include <string.h>

#include "format.h"

static void cell_text(tach__buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') tach__buf_puts(b, "\\vert{}");
        else if (*s == '\n' || *s == '\r') tach__buf_puts(b, " ");
        else tach__buf_put(b, s, 1);
    }
}

static char *write_orgmode(const tach__doc *d, size_t *len, char *err)
{
    tach__table t;
    if (tach__table_build(d, &t, err) != 0) return NULL;
    tach__buf b = {0};
    tach__buf_printf(&b, "| Command | Mean [%s] | Min [%s] | Max [%s] | Relative |\n", t.unit, t.unit, t.unit);
    tach__buf_puts(&b, "|--+--+--+--+--|\n");
    for (size_t i = 0; i < t.nrows; i++) {
        const tach__table_row *row = &t.rows[i];
        bool verbatim = !strchr(row->label, '|') && !strstr(row->label, "= ");
        tach__buf_puts(&b, verbatim ? "| =" : "| ");
        cell_text(&b, row->label);
        if (verbatim) tach__buf_puts(&b, "=");
        if (row->measured)
            tach__buf_printf(&b, " | %s | %s | %s | %s |\n", row->mean, row->min, row->max, row->relative);
        else
            tach__buf_printf(&b, " | %s | | | |\n", row->status);
    }
    if (d->partial)
        tach__buf_puts(&b, "\n/Partial: the run was interrupted; these are the runs measured before it "
                           "stopped./\n");
    if (tach__doc_quick(d))
        tach__buf_puts(&b, "\n/Quick run (--quick): a smoke test with few samples; not figures to publish./\n");
    tach__table_free(&t);
    tach__md_controls(&b); /* no escape sequence reaches a terminal or a page */
    char *text = tach__buf_take(&b);
    if (!text) tach__err(err, "out of memory");
    else if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_orgmode = {
    .name = "orgmode", .extensions = ".org", .summary = "an Org-mode table like hyperfine's",
    .write = write_orgmode,
};
