/* suite_cols.c - a terminal table whose columns are as wide as their widest cell: the
 * suites' tables hold cells of any width ("512.3 ±1.2", "512.3 [498.0, 560.1]", a status
 * name), so a fixed printf width leaves the columns after a wide cell out of line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "suite_table.h"

static char *dup_text(const char *s)
{
    size_t n = strlen(s);
    char *d = tach__malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

static tool_cols_row *grow(tool_cols *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        tool_cols_row *nr = tach__realloc(t->rows, cap * sizeof *nr);
        if (!nr) return t->oom = true, NULL;
        t->rows = nr;
        t->cap = cap;
    }
    tool_cols_row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

void tool_cols_add(tool_cols *t, size_t n, const char *const *cells)
{
    tool_cols_row *r = grow(t);
    if (!r) return;
    if (!(r->cell = tach__calloc(n ? n : 1, sizeof *r->cell))) {
        t->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!(r->cell[i] = dup_text(cells[i] ? cells[i] : ""))) t->oom = true;
    r->ncells = n;
    if (n > t->ncols) t->ncols = n;
}

void tool_cols_under(tool_cols *t, const char *fmt, ...)
{
    tool_cols_row *r = grow(t);
    if (!r) return;
    tach__buf line = {0};
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(&line, fmt, ap);
    va_end(ap);
    if (!(r->cell = tach__calloc(1, sizeof *r->cell)) || !(r->cell[0] = tach__buf_take(&line))) {
        tach__buf_free(&line);
        t->oom = true;
    }
    r->ncells = 1;
    r->under = true;
}

void tool_cols_print(tool_cols *t, tach__buf *b)
{
    if (t->oom) {
        b->oom = true;
        return;
    }
    size_t *w = tach__calloc(t->ncols ? t->ncols : 1, sizeof *w);
    if (!w) {
        b->oom = true;
        return;
    }
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t c = 0; c < t->rows[i].ncells && !t->rows[i].under; c++) {
            size_t d = tach__display_width(t->rows[i].cell[c]);
            if (d > w[c]) w[c] = d;
        }
    char pad[512];
    for (size_t i = 0; i < t->nrows; i++) {
        const tool_cols_row *r = &t->rows[i];
        if (r->under) {
            tach__buf_printf(b, "%*s %s\n", (int)w[0], "", r->cell[0]);
            continue;
        }
        for (size_t c = 0; c < r->ncells; c++) {
            /* the first column left-aligned (a name), the figures right-aligned; the
             * last cell of a row not padded on its right */
            bool last = c + 1 == r->ncells;
            int width = c == 0 ? (last ? 0 : -(int)w[0]) : (int)w[c];
            tach__buf_printf(b, "%s%s", c ? " " : "", tach__pad(r->cell[c], width, pad, sizeof pad));
        }
        tach__buf_puts(b, "\n");
    }
    tach__free(w);
}

void tool_suite_put_text(tach__buf *b, const char *s)
{
    char *t = tach__strdup(s ? s : "");
    if (!t) {
        b->oom = true;
        return;
    }
    tach__terminal_safe(t, false);
    tach__buf_puts(b, t);
    tach__free(t);
}

void tool_cols_free(tool_cols *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t c = 0; c < t->rows[i].ncells && t->rows[i].cell; c++) tach__free(t->rows[i].cell[c]);
        tach__free(t->rows[i].cell);
    }
    tach__free(t->rows);
    memset(t, 0, sizeof *t);
}
