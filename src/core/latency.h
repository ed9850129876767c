/* Internal: the latency block of a result (per-call durations of a benchmark run with
 * .latency = true, or of one operation of a load run): the histogram of every call,
 * and the percentiles computed from it.  Histograms merge (rounds, workers, threads);
 * percentiles are always recomputed from the merged histogram, never averaged.
 * The JSON form is "latency" in docs/results-format.md.  Implemented in latency.c. */
#ifndef TACH_LATENCY_H
#define TACH_LATENCY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "hist.h"
#include "tach_internal.h"

/* The percentiles every latency block carries, in this order: 50, 90, 95, 99, 99.9,
 * 99.99 (the maximum is kept apart). */
#define TACH__LAT_NPCT 6
extern const double tach__lat_ps[TACH__LAT_NPCT];
/* A percentile resting on fewer samples than this is marked "thin" wherever shown. */
#define TACH__LAT_THIN 10
/* A body whose median call lasts less than this many clock reads is too short to time
 * one call at a time: its percentiles would be the timer's noise. */
#define TACH__LAT_MIN_CLOCK_COSTS 20.0

typedef struct tach__lat_pct {
    double p;            /* e.g. 99.9 */
    double value;        /* ns: HdrHistogram's value at p */
    double lo, hi;       /* ns: 95% CI by order statistics; hi INFINITY when no value
                          * of the sample bounds it (too few above p), lo 0 likewise */
    int64_t samples;     /* values ranked above p (the tail it rests on) */
} tach__lat_pct;

typedef struct tach__latency {
    tach__hist *hist;    /* owned: every call's duration, ns */
    int64_t count;       /* values in hist */
    int64_t lost;        /* values outside the histogram's range, not recorded */
    double min, max, mean, stddev; /* ns, from hist (0 when empty) */
    tach__lat_pct pct[TACH__LAT_NPCT];
    bool too_short;      /* calls too short to time one by one: no percentiles shown */
    double clock_cost_ns; /* the cost of one clock read the judgement used; 0 unknown */
    char *note;          /* why too_short (or another caveat), or NULL; owned */
} tach__latency;

/* A block with an empty default histogram (1 ns .. 1 h, 3 digits); NULL when out of
 * memory.  _free accepts NULL. */
tach__latency *tach__latency_new(void);
void tach__latency_free(tach__latency *l);
/* Recomputes count, min, max, mean, stddev and the percentiles from hist. */
void tach__latency_finish(tach__latency *l);
/* Adds src's histogram (and lost count) into dst and recomputes dst: the same
 * benchmark in another round, worker or thread.  The merged block is judged again
 * with the lower of the two clock costs (when either is known; otherwise too_short
 * is kept if either had it).  Returns 0, or -1 when out of memory. */
int tach__latency_merge(tach__latency *dst, const tach__latency *src);
/* Sets too_short and the note when the median call is below
 * TACH__LAT_MIN_CLOCK_COSTS clock reads (clock_cost_ns > 0); recomputes first. */
void tach__latency_judge(tach__latency *l, double clock_cost_ns);
/* Whether a percentile rests on fewer than TACH__LAT_THIN samples. */
static inline bool tach__lat_thin(const tach__lat_pct *q) { return q->samples < TACH__LAT_THIN; }
/* "p50", "p99.9", "p99.99" for p; returns buf (>= 16 bytes). */
const char *tach__lat_pname(double p, char *buf, size_t size);
/* The percentile p of l (one of tach__lat_ps), or NULL. */
const tach__lat_pct *tach__lat_find(const tach__latency *l, double p);

/* The block as JSON (docs/results-format.md, "latency"); NULL when out of memory. */
json_t *tach__latency_to_json(const tach__latency *l);
/* Reads a "latency" object: the histogram is decoded and every derived value
 * recomputed from it.  0 with *out set (caller owns), or -1 with *key the member at
 * fault (NULL: the object itself) and msg (msgsize bytes) saying why. */
int tach__latency_from_json(const json_t *o, tach__latency **out, const char **key, char *msg,
                            size_t msgsize);

#endif /* TACH_LATENCY_H */
