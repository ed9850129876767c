/* asciidoc.c - the table hyperfine's --export-asciidoc writes: a [cols] spec, then
 * one cell per line, a blank line between rows; the command as literal monospace
 * (`+...+`, no markup inside), | escaped as \|. */
#include <string.h>

#include "format.h"

static void cell_text(tach__buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') tach__buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r') tach__buf_puts(b, " ");
        else tach__buf_put(b, s, 1);
    }
}

static char *write_asciidoc(const tach__doc *d, size_t *len, char *err)
{
    tach__table t;
    if (tach__table_build(d, &t, err) != 0) return NULL;
    tach__buf b = {0};
    tach__buf_puts(&b, "[cols=\"<,>,>,>,>\"]\n|===\n");
    tach__buf_printf(&b, "| Command\n| Mean [%s]\n| Min [%s]\n| Max [%s]\n| Relative\n", t.unit, t.unit, t.unit);
    for (size_t i = 0; i < t.nrows; i++) {
        const tach__table_row *row = &t.rows[i];
        tach__buf_puts(&b, "\n| `+");
        cell_text(&b, row->label);
        tach__buf_puts(&b, "+`\n");
        if (row->measured)
            tach__buf_printf(&b, "| %s\n| %s\n| %s\n| %s\n", row->mean, row->min, row->max, row->relative);
        else
            tach__buf_printf(&b, "| %s\n|\n|\n|\n", row->status);
    }
    tach__buf_puts(&b, "|===\n");
    if (d->partial)
        tach__buf_puts(&b, "\n_Partial: the run was interrupted; these are the runs measured before it "
                           "stopped._\n");
    if (tach__doc_quick(d))
        tach__buf_puts(&b, "\n_Quick run (--quick): a smoke test with few samples; not figures to publish._\n");
    tach__table_free(&t);
    tach__md_controls(&b); /* no escape sequence reaches a terminal or a page */
    char *text = tach__buf_take(&b);
    if (!text) tach__err(err, "out of memory");
    else if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_asciidoc = {
    .name = "asciidoc", .extensions = ".adoc .asciidoc", .summary = "an AsciiDoc table like hyperfine's",
    .write = write_asciidoc,
};
