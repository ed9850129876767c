/*
 * rounds.h - a benchmark's samples grouped by the round (worker process) they came
 * from, and the statistics that treat the round as the unit of replication
 * (tool_ prefix; pure, no I/O).
 *
 * Samples taken inside one process share its luck (its CPU, its placement, the
 * machine's state while it ran), so pooling them as independent makes a CI too
 * narrow when the machine drifts between rounds.  The comparison (compare.c) uses
 * these when both sides have two rounds or more; docs/statistics.md explains the
 * method and its checks.
 */
#ifndef TACH_ROUNDS_H
#define TACH_ROUNDS_H

#include "tach_internal.h"

typedef struct tool_rounds {
    size_t nrounds;      /* rounds that hold at least one sample */
    size_t nsamples;
    double *ns;          /* the samples, grouped by round (round order kept) */
    size_t *start, *len; /* round k's samples: ns[start[k] .. start[k] + len[k]) */
    double *median;      /* round k's median */
    double within;       /* typical robust CV inside a round (1.4826 MAD / median of
                          * each round with >= 3 samples, their median); NaN if none */
} tool_rounds;

/* Groups r's samples by r->sample_round (all in one round without it).  out is
 * filled (free with tool_rounds_free, also on failure).  -1 only when out of memory. */
int tool_rounds_of(const tach__result *r, tool_rounds *out);
void tool_rounds_free(tool_rounds *g); /* NULL ok; zeroes it */

/* Sets aside the rounds slowed far beyond the others (a round preempted, or run while
 * the machine was busy): a round whose log median lies above the centre of the faster
 * half of the log round medians (their median) by more than 3.674 standard deviations
 * (estimated as that half's MAD / 0.4002, which holds for normal data: the cut is then
 * 3 sd above the median of all) and by more than the noise threshold.
 * One-sided, because interference only slows code down: a round much faster than the
 * rest is kept (it says the others were slowed, and leaves the rounds disagreeing).
 * Needs 3 rounds; fewer than half are ever set aside (the slowest first).
 * g keeps the other rounds (nsamples and the arrays compacted); returns how many were
 * set aside. */
size_t tool_rounds_trim_slow(tool_rounds *g, double noise);

/* The most rounds tool_rounds_trim_slow sets aside from n: fewer than half, (n - 1) / 2,
 * and none with fewer than 3. */
size_t tool_rounds_trim_cap(size_t n);

/* A slowed round is one whose median lies more than max(noise, TOOL_ROUNDS_SLOWED_MIN)
 * above the centre of the side's fastest quarter of rounds (the median of the
 * ceil(n/4) smallest round medians): a reference no majority of slowed rounds can move,
 * since interference only adds time.  Rounds of one side that ran undisturbed lie
 * within a few per cent of that centre (bench/verdicts' kernels at load ~20: the middle
 * round 1.0-8.9% above it); slowed ones 1.2-15x.  Returns how many of g's rounds are
 * slowed (0 with fewer than 3 rounds) and, when fast is not NULL, the centre itself
 * (ns; NaN without rounds).  Call it before tool_rounds_trim_slow: it counts the
 * rounds as measured.
 * More slowed rounds than tool_rounds_trim_cap(n) means the side was slowed throughout
 * or mostly: setting rounds aside cannot clean it (docs/statistics.md). */
#define TOOL_ROUNDS_SLOWED_MIN 0.10
size_t tool_rounds_slowed(const tool_rounds *g, double noise, double *fast);

/* How far the rounds' medians lie apart: max/min - 1 (0 for one round). */
double tool_rounds_range(const tool_rounds *g);

/* Whether the rounds disagree far more than their own samples explain: the standard
 * deviation of the log round medians is over 3 times what the within-round spread
 * predicts for a median of that many samples (1.2533 * within / sqrt(samples per
 * round)), and the rounds' range exceeds noise.  False when it cannot be told (one
 * round, or rounds too small to measure their own spread). */
bool tool_rounds_disagree(const tool_rounds *g, double noise);

/* Hierarchical percentile bootstrap of median(y)/median(x) - 1: each resample draws
 * as many rounds as each side has, with replacement, then as many samples as each
 * drawn round holds, with replacement from that round, and takes the median of the
 * pooled draw.  The value is the median ratio of all samples.  Seeded like
 * tach__bootstrap_ratio.  -1 only when out of memory. */
int tool_bootstrap_ratio_rounds(const tool_rounds *x, const tool_rounds *y, size_t resamples,
                                double level, uint64_t seed, tach__ci *out);

/* Welch's t-test on the log round medians of x and y (on the round medians themselves
 * when one of them is 0: no log); two-sided p; NaN when a side has fewer than 2 rounds,
 * or neither side has spread and their levels are equal; 0 when neither has spread and
 * the levels differ: a certain change. */
int tool_rounds_welch(const tool_rounds *x, const tool_rounds *y, double *t, double *p);

#endif /* TACH_ROUNDS_H */
