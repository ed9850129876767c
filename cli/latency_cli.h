/* latency_cli.h - the latency percentiles' part of `tach compare` and `tach gate`
 * (latency_cli.c): reading --percentile and printing the judged percentiles. */
#ifndef TACH_LATENCY_CLI_H
#define TACH_LATENCY_CLI_H

#include "compare.h"

/* At most this many percentiles in one --percentile list. */
#define CLI_MAX_PCTS 16

/* Reads "P[:PCT],..." (P in (0, 100], "p99" too; PCT a noise threshold in percent, "5"
 * or "5%") into ask (CLI_MAX_PCTS entries); NULL or "" gives the default 50,99 at the
 * run's noise.  0, or -1 with why (size bytes) naming the bad item. */
int cli_pct_list_parse(const char *text, tool_pct_ask *ask, size_t *n, char *why, size_t size);
/* The same for --percentile: CLI_OK, or CLI_USAGE after printing
 * "tach CMD: --percentile: ..." naming the bad item. */
int cli_parse_percentiles(const char *cmd, const char *text, tool_pct_ask *ask, size_t *n);
/* The judged percentiles as a table below the comparison's (nothing when n is 0). */
void cli_print_percentiles(const tool_pct_change *pc, size_t n, bool color);

#endif /* TACH_LATENCY_CLI_H */
