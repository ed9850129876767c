/*
 * slo.h - service-level objectives of a load run (tool_slo_ prefix): the --slo syntax,
 * shared by `tach load`, `.tach/config`, TACH_OP's .slo and the gate, and the check of
 * one objective against a results document's "load" blocks (docs/load.md).
 *
 *   EXPR  := ITEM ( (' ' | ',' | ';') ITEM )*
 *   ITEM  := [OP ':'] METRIC CMP VALUE
 *   METRIC: p50 p90 p95 p99 p999 (or p99.9) p9999 (or p99.99) max mean (latency from the intended start, a
 *           duration: 100ms, 250us, 1s; a bare number is seconds), rps (requests per
 *           second, a number), errors (the error rate, "0.1%" or a fraction 0.001)
 *   CMP   : < <= > >=
 * e.g. "p99<100ms p999<1s max<5s rps>=10000 errors<0.1%" or "get:p99<1ms".
 */
#ifndef TACH_SLO_H
#define TACH_SLO_H

#include <stdbool.h>
#include <stddef.h>

#include "slo_syntax.h"
#include "tach_internal.h"

/* The syntax is the library's (src/core/slo_syntax.h); these are its names here. */
enum {
    TOOL_SLO_P50 = TACH__SLO_P50, TOOL_SLO_P90 = TACH__SLO_P90, TOOL_SLO_P95 = TACH__SLO_P95,
    TOOL_SLO_P99 = TACH__SLO_P99, TOOL_SLO_P999 = TACH__SLO_P999, TOOL_SLO_P9999 = TACH__SLO_P9999,
    TOOL_SLO_MAX = TACH__SLO_MAX, TOOL_SLO_MEAN = TACH__SLO_MEAN, TOOL_SLO_RPS = TACH__SLO_RPS,
    TOOL_SLO_ERRORS = TACH__SLO_ERRORS
};
enum { TOOL_SLO_LT = TACH__SLO_LT, TOOL_SLO_LE = TACH__SLO_LE, TOOL_SLO_GT = TACH__SLO_GT,
       TOOL_SLO_GE = TACH__SLO_GE };
typedef tach__slo tool_slo;
typedef tach__slo_list tool_slo_list;

/* Appends the objectives of expr to out.  0, or -1 with a message naming the item
 * ("'p99<1x': '1x' is not a duration"). */
static inline int tool_slo_parse(const char *expr, tool_slo_list *out, char *err)
{
    return tach__slo_parse(expr, out, err);
}
/* The same for objective text stored in a results document (a bare latency bound there
 * is seconds, as it was when recorded). */
static inline int tool_slo_parse_stored(const char *expr, tool_slo_list *out, char *err)
{
    return tach__slo_parse_stored(expr, out, err);
}
static inline void tool_slo_list_free(tool_slo_list *l) /* NULL ok; zeroes it */
{
    tach__slo_list_free(l);
}

/* Checks s against d's load results (the result named s->op, or "overall").  Returns
 * 1 when met, 0 when missed, -1 when it cannot be told (no such operation, no request
 * measured); *measured gets the value compared (NAN when none) and why (may be NULL)
 * a sentence for the last two cases.  A run marked invalid misses every objective:
 * its latencies are the generator's, not the system's.  Failed requests count
 * against the objectives: rps is of the requests answered without error (why says
 * so), and an upper bound on a latency (pX, max, mean) is missed when more requests
 * failed than it leaves out (a p99: 1%; max and mean: none), and a pX bound is met only
 * when at least X% of all requests were answered without error within it (the failed
 * requests' own histogram, failed_hdr; a document without it is judged on the
 * percentile of all requests). */
int tool_slo_check(const tool_slo *s, const tach__doc *d, double *measured, char *why,
                   size_t size);

/* Checks s against a latency block (a benchmark's per-call latency, TACH_BENCH with
 * .latency and .slo): 1 met, 0 missed, -1 when it cannot be told (rps and errors are
 * a load run's; an empty or too-short block).  *measured as for tool_slo_check. */
struct tach__latency;
int tool_slo_check_latency(const tool_slo *s, const struct tach__latency *l, double *measured);
/* Whether s's percentile rests on too few calls of l to be judged: fewer than
 * TACH__LAT_THIN (10) above it - the tail marked thin wherever it is shown - or no call at
 * all.  1 with why (size bytes) saying how many calls l has, how many lie above the
 * percentile and how many calls it needs; 0 otherwise (max, mean, no block, calls too
 * short to time one by one: tool_slo_check_latency tells). */
int tool_slo_latency_thin(const tool_slo *s, const struct tach__latency *l, char *why,
                          size_t size);

/* The value in the objective's unit for people ("12.3 ms", "10234/s", "0.12%"). */
const char *tool_slo_format(const tool_slo *s, double v, char *buf, size_t size);

#endif /* TACH_SLO_H */
