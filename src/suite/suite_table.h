/* suite_table.h - the suites' terminal tables (tool_ prefix). */
#ifndef TOOL_SUITE_TABLE_H
#define TOOL_SUITE_TABLE_H

#include "tach_internal.h"

/* The table of a suite run (doc's context names the suite), with the --quick banner,
 * the notes and every failed row; caller frees.  NULL when out of memory. */
char *tool_suite_table(const tach__doc *doc);
/* The tables of the suites other than compression (suite_table_more.c): 0 when it
 * wrote one for suite, -1 when it knows none. */
int tool_suite_table_more(const tach__doc *doc, const char *suite, tach__buf *b);

#endif /* TOOL_SUITE_TABLE_H */
