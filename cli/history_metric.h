/*
 * history_metric.h - `tach history --metric NAME` (cli/history_metric.c): the values of
 * a metric other than wall time, read from each recorded run's document.
 */
#ifndef TACH_CLI_HISTORY_METRIC_H
#define TACH_CLI_HISTORY_METRIC_H

#include "metric.h"
#include "store.h"

/* The runs' documents, loaded once each (many benchmarks share a run).  Zero-initialise;
 * free with cli_doc_cache_free. */
typedef struct cli_doc_cache {
    int64_t *ids;
    tach__doc **docs;
    size_t n, cap;
} cli_doc_cache;
void cli_doc_cache_free(cli_doc_cache *c);

/* Replaces each point's median (and mean; its CI too for a deterministic metric) with
 * metric m's value for the benchmark `name` in that run's document: NaN, so left out,
 * where the run did not record it.  Returns 0, or -1 with err (a run cannot be read). */
int cli_history_metric_points(tool_store *st, cli_doc_cache *c, const char *name,
                              tool_history_point *pts, size_t n, tool_metric m, char *err);

/* Why run run_id lacks metric m, for the message of a history without its values
 * (tool_metric_lack_reason: "it was not recorded with them", the peaks that were tach's
 * own, ...; owned by the cache), or NULL with err (the run cannot be read). */
const char *cli_history_metric_lack(tool_store *st, cli_doc_cache *c, int64_t run_id, tool_metric m,
                                    char *err);

/* A value of metric m as the history table shows it: a time for wall and cpu, else
 * the count (the unit is in the table's metric line). */
void cli_history_fmt_value(tool_metric m, double v, char *buf, size_t size);

#endif /* TACH_CLI_HISTORY_METRIC_H */
