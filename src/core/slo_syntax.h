/*
 * slo_syntax.h - the --slo syntax of latency objectives (src/core/slo_syntax.c), in the
 * library because a benchmark's own .slo is checked where it is declared (one that does
 * not parse fails the benchmark, naming it); the tool reads it through src/judge/slo.h.
 *
 *   EXPR  := ITEM ( (' ' | ',' | ';') ITEM )*
 *   ITEM  := [OP ':'] METRIC CMP VALUE
 *   METRIC: p50 p90 p95 p99 p999 (or p99.9) p9999 (or p99.99) max mean (latency from the intended start, a
 *           duration with its unit: 100ms, 250us, 1s; a bare number other than 0 is refused,
 *           as k6 reads p99<100 as ms), rps (requests per
 *           second, a number), errors (the error rate, "0.1%" or a fraction 0.001)
 *   CMP   : < <= > >=
 */
#ifndef TACH_SLO_SYNTAX_H
#define TACH_SLO_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

#include "tach_internal.h"

enum {
    TACH__SLO_P50, TACH__SLO_P90, TACH__SLO_P95, TACH__SLO_P99, TACH__SLO_P999, TACH__SLO_P9999,
    TACH__SLO_MAX, TACH__SLO_MEAN, TACH__SLO_RPS, TACH__SLO_ERRORS
};
enum { TACH__SLO_LT, TACH__SLO_LE, TACH__SLO_GT, TACH__SLO_GE };

typedef struct tach__slo {
    char op[256];     /* the operation (result) it is about; "" means overall */
    int metric, cmp;
    double value;     /* ns for latencies, per second for rps, a fraction for errors */
    char text[320];   /* the item as written, for messages */
} tach__slo;

typedef struct tach__slo_list {
    tach__slo *v;
    size_t n, cap;
} tach__slo_list;

/* Appends the objectives of expr to out.  0, or -1 with a message naming the item
 * ("'p99<1x': '1x' is not a duration"). */
int tach__slo_parse(const char *expr, tach__slo_list *out, char *err);
/* The same for objective text read back from a results document: a bare latency bound
 * there was written before tach refused one, when it meant seconds, and still does. */
int tach__slo_parse_stored(const char *expr, tach__slo_list *out, char *err);
void tach__slo_list_free(tach__slo_list *l); /* NULL ok; zeroes it */

/* Whether a latency bound's text is a bare number other than 0 ("100"): refused wherever
 * a latency bound is read, since it would be seconds and k6 reads it as ms. */
bool tach__slo_bound_unitless(const char *p);

/* The metric's name in the syntax ("p99", "max"; "?" for an unknown one) and its
 * percentile (99 for p99; 0 for max, mean, rps and errors). */
const char *tach__slo_metric_key(int metric);
double tach__slo_metric_pct(int metric);

#endif /* TACH_SLO_SYNTAX_H */
