/* suite_table.h - the suites' terminal tables (tool_ prefix). */
#ifndef TOOL_SUITE_TABLE_H
#define TOOL_SUITE_TABLE_H

#include "tach_internal.h"

/* The table of a suite run (doc's context names the suite), with the --quick banner,
 * the notes, every failed row and a line when the run was cut short; caller frees.  NULL
 * when out of memory. */
char *tool_suite_table(const tach__doc *doc);
/* The tables of the suites other than compression (suite_table_more.c): 0 when it
 * wrote one for suite, -1 when it knows none. */
int tool_suite_table_more(const tach__doc *doc, const char *suite, tach__buf *b);

/* Appends s (text from outside: a path, a URL, a note or message naming one) made safe
 * for a terminal, its control characters and newlines as spaces (tach__terminal_safe;
 * suite_cols.c). */
void tool_suite_put_text(tach__buf *b, const char *s);

/* A terminal table printed with each column as wide as its widest cell, in display
 * columns (suite_cols.c): the first column left-aligned, the others right-aligned, one
 * space between.  Rows are copied in; a failed allocation marks the table oom and
 * tool_cols_print then marks its buffer oom. */
typedef struct tool_cols_row {
    char **cell;
    size_t ncells;
    bool under; /* a line of text under the row before, indented past the first column */
} tool_cols_row;
typedef struct tool_cols {
    tool_cols_row *rows;
    size_t nrows, cap, ncols;
    bool oom;
} tool_cols;
/* A row of n cells (NULL cells are empty); a row may be shorter than others (a failed
 * job's name and status). */
void tool_cols_add(tool_cols *t, size_t n, const char *const *cells);
/* A line of text under the last row, starting where the second column starts. */
void tool_cols_under(tool_cols *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the table to b. */
void tool_cols_print(tool_cols *t, tach__buf *b);
void tool_cols_free(tool_cols *t);

#endif /* TOOL_SUITE_TABLE_H */
