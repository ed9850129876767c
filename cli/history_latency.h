/* history_latency.h - `tach history`'s latency trends (history_latency.c): the per-call
 * p50 and p99 of a benchmark over the recorded runs whose results carry a latency
 * block (they are only in each run's document, read once per run). */
#ifndef TACH_HISTORY_LATENCY_H
#define TACH_HISTORY_LATENCY_H

#include "store.h"

typedef struct cli_lat_cache cli_lat_cache;

cli_lat_cache *cli_lat_cache_new(tool_store *st);
void cli_lat_cache_free(cli_lat_cache *c); /* NULL ok */
/* p50[i], p99[i] of the benchmark name in the run of pts[i] (NaN when that run's
 * result has no latency block).  Returns how many points have one, or -1 with err
 * set when the store fails. */
long cli_lat_trend(cli_lat_cache *c, const char *name, const tool_history_point *pts, size_t n,
                   double *p50, double *p99, char *err);

#endif /* TACH_HISTORY_LATENCY_H */
