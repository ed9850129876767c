/*
 * complexity.h - fitting a benchmark family's time against its size axis
 * (src/core/complexity.c; libtach, so a benchmark binary prints its own fit).
 *
 * A family is the results of one benchmark that differ only in one numeric size
 * parameter (TACH_RANGE("n", 100, 10000, 10)).  A size's time is the 10th percentile
 * of its samples, not the median: a busy machine only ever adds time, and on a shared
 * machine more than half the samples of one size may be slowed while the next size
 * ran clean, which would make a flat family look like it grows (the minimum is the
 * extreme of this choice, with no bootstrap interval).  For each class g in 1, log N,
 * N, N log N, N^2, N^3 the model time = a + b*g(N) (with the intercept a) is fitted by
 * least squares on RELATIVE residuals (each size weighs alike whatever its
 * magnitude).  The rule, applied to the sizes' times and to each bootstrap resample
 * of the per-size samples:
 *   - among the growing classes with b > 0, the one that predicts the sizes best
 *     from the others: the smallest sum over the sizes of the squared relative error
 *     of the size's time predicted by the fit of the other sizes (leave-one-out
 *     cross-validation).  The residual sum of squares of the fit of all sizes would
 *     let a + b*N, flat then rising, fit a binary search whose array leaves the
 *     caches about as closely as a + b*log N; left out, the largest size is
 *     predicted far off by N's shape and close by log N's.  With two sizes (each
 *     held-out fit would have one point, and every class's line goes through both)
 *     the class whose b*g(N), with no intercept, is nearest the two times: the
 *     smallest relative residual sum of squares;
 *   - O(1) instead when the time at the largest size is not above the time at the
 *     smallest by more than the noise threshold (default 10%): growth that the
 *     machine's noise could make is not evidence of a class.
 * The class reported is the one that won most resamples; the runner-up the next.
 * Pure functions over arrays; no I/O.  See docs/complexity.md.
 */
#ifndef TACH_COMPLEXITY_H
#define TACH_COMPLEXITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tach_internal.h"

/* The default noise threshold of the O(1) rule and of the O(1) assertion. */
#define TACH__CX_NOISE_DEFAULT 0.10
/* The quantile of a size's samples taken as its time. */
#define TACH__CX_QUANTILE 0.10
/* Bootstrap resamples of a fit. */
#define TACH__CX_RESAMPLES 200
/* Number of class slots (TACH_O_NONE .. TACH_O_N3). */
#define TACH__CX_NCLASSES 7
/* Families of up to this many sizes are chosen by leave-one-out prediction error;
 * larger ones (rare: a TACH_DENSE axis) by the residual sum of squares. */
#define TACH__CX_MAXSIZES 64

/* "O(1)", "O(log N)", "O(N)", "O(N log N)", "O(N^2)", "O(N^3)"; "none" for others. */
const char *tach__cx_name(int cls);
/* The short key used in documents and configuration: "1", "logn", "n", "nlogn",
 * "n2", "n3", "auto" (TACH_O_AUTO: fit, assert nothing); NULL for other values. */
const char *tach__cx_key(int cls);
/* Google Benchmark's big_o text: "(1)", "lgN", "N", "NlgN", "N^2", "N^3". */
const char *tach__cx_gbench(int cls);
/* Parses a key (also "o(1)", "O(N log N)", "n^2", "nlgn", GB's "lgN"...);
 * 0 or -1 when the text names no class. */
int tach__cx_parse(const char *s, int *cls);
/* g(N) of a class (1 for O(1); log base 2). */
double tach__cx_g(int cls, double n);

/* One size: its value and the per-size samples (time per iteration or per item). */
typedef struct tach__cx_point {
    double n;
    const double *samples;
    size_t nsamples;
} tach__cx_point;

/* The fit of a family. */
typedef struct tach__cx_fit {
    int cls;                 /* TACH_O_*: the class that won most resamples */
    int runner_up;           /* the class that won next most, or TACH_O_NONE */
    double wins[TACH__CX_NCLASSES]; /* fraction of resamples each class won */
    size_t resamples;        /* bootstrap resamples drawn (1 for a counted family) */
    tach__ci coef;           /* b of the chosen class (for O(1): the constant a), with the
                              * percentile CI over the resamples */
    double a;                /* the intercept of the chosen class (point fit) */
    double rms;              /* RMS of the relative residuals of the chosen class */
    double noise;            /* the threshold the O(1) rule used */
    tach__ci growth;         /* time at the largest size / at the smallest - 1, CI */
    tach__ci exponent;       /* log(growth + 1) / log(N_max / N_min), CI */
    double n_min, n_max;
    size_t npoints;
} tach__cx_fit;

/* Fits the family of npoints sizes (at least 3 distinct sizes > 0, each with at least
 * one sample > 0), with `resamples` bootstrap resamples seeded with seed and the O(1)
 * rule's threshold noise (<= 0: TACH__CX_NOISE_DEFAULT).  Deterministic for the same
 * input and seed.  Returns 0, or -1 with err set (too few sizes, no memory). */
int tach__cx_fit_points(const tach__cx_point *pts, size_t npoints, size_t resamples,
                        uint64_t seed, double noise, tach__cx_fit *out, char *err);

/* Fits only the sizes' times y (no resampling): the class the rule chooses and the point
 * estimates of a and b.  For tests and for Google Benchmark comparisons.  y[i] > 0. */
int tach__cx_choose(const double *n, const double *y, size_t npoints, double noise,
                    double *a, double *b);

/* The least-squares fit of class cls (relative residuals): a, b and the residual sum
 * of squares.  Returns -1 when the sizes cannot determine it. */
int tach__cx_fit_class(int cls, const double *n, const double *y, size_t npoints, double *a,
                       double *b, double *ssr);

/* An asserted class checked against a fit.  O(1): holds when growth.hi < noise (the
 * time at the largest size is within the noise threshold of the smallest, at 95%).
 * Any other class C: holds when the exponent's upper bound is below the midpoint of
 * the exponents C's g and the next class's g show over the same sizes (e(g) =
 * log(g(N_max)/g(N_min)) / log(N_max/N_min)); O(N^3) always holds.  limit receives
 * the bound compared with. */
bool tach__cx_assert(const tach__cx_fit *f, int asserted, double *limit);

/* ---- families in a results document --------------------------------------- */

/* A family found in a document: the results (indices into d->results) of one
 * function whose parameters differ only in the size axis `axis`. */
/* Why a family with one sample at a size has no interval (tach__cx_family.one_sample). */
#define TACH__CX_ONE_SAMPLE "one sample per size: nothing to resample within a size, the fit's confidence cannot be judged (take more samples: --min-samples)"

typedef struct tach__cx_family {
    char *name;              /* the family: the first member's name with axis=value
                              * replaced by axis=*; owned */
    char *axis;              /* owned */
    size_t *members; size_t nmembers; /* owned; sorted by size */
    int asserted;            /* the members' asserted class (0 when none; never AUTO) */
    bool per_item;           /* fitted on time per item (the members set items) */
    bool counted;            /* fitted on instructions per iteration (or per item): the
                              * members were counted in instruction mode, not timed */
    bool one_sample;         /* timed, and a size has one sample: nothing to resample
                              * within it, so the fit's confidence (the share of resamples,
                              * the CIs, an assertion's upper end) cannot be judged; fitted
                              * once, on the sizes' times (TACH__CX_ONE_SAMPLE) */
    tach__cx_fit fit;
    bool fitted;             /* false when the fit failed (err in message) */
    char *message;           /* owned; may be NULL */
    bool holds;              /* the assertion holds (when asserted) */
    double limit;            /* what the assertion compared with */
} tach__cx_family;

/* A parameter's value as a number: a decimal number as the command line writes one
 * (tach__opt_parse_real: no blank, hex, inf or nan), or one with a size suffix as tach
 * suite's sizes and dd's or fio's block sizes have it, k (or K), M, G or T, then optionally
 * i and B, read as tach__opt_size_unit reads it ("4k", "64KiB", "1M", "2Gi" in powers of
 * 1024, "512kB" in powers of 1000): a family
 * over block sizes (bs=4k,64k,1M) is one over sizes, not text.  A lower-case m, g or t is
 * not read (5m may be milliseconds or minutes), nor is a word after the number.  0 with
 * the number in *out (any sign: a caller wanting a size checks > 0), or -1 when value is
 * NULL or not such a number.  The HTML report's families and the complexity fits read
 * their sizes with it, so a family charted is one fitted. */
int tach__param_number(const char *value, double *out);

/* Finds the families of d (functions with at least 3 ok results differing only in one
 * parameter whose values are positive numbers, other than "threads", of which one at
 * least asks for a fit: its complexity is an asserted class or TACH_O_AUTO, which the
 * runner sets for a definition with a TACH_RANGE axis) and fits each, on its times or,
 * for results counted in instruction mode (no samples), on their instruction counts
 * (one exact value a size: one resample, which every other would repeat), with the
 * seed and noise given.  A function asserting a class over fewer sizes, or asking for
 * a fit over two, is a family that is not fitted (fitted false, message set).  *out is
 * allocated (free with tach__cx_families_free); NULL when there is none (0 returned).
 * Returns the number of families, or -1 on allocation failure. */
int tach__cx_families(const tach__doc *d, uint64_t seed, double noise, tach__cx_family **out);
/* As tach__cx_families, but every family fitted on its time per iteration whatever its
 * items: Google Benchmark's BigO, the complexity of the time per iteration (a sort of N
 * items N log N, where tach's own fit per item says log N). */
int tach__cx_families_per_iteration(const tach__doc *d, uint64_t seed, double noise,
                                    tach__cx_family **out);
void tach__cx_families_free(tach__cx_family *f, size_t n);

/* One family as JSON: { "family", "axis", "per_item", "class", "class_name",
 * "coefficient", "coefficient_ci_low", "coefficient_ci_high", "intercept", "rms",
 * "runner_up", "wins": { "1": fraction, ... }, "resamples", "growth", "growth_ci_low",
 * "growth_ci_high", "exponent", "exponent_ci_low", "exponent_ci_high", "noise",
 * "sizes", "asserted", "holds", "limit" }.  NULL when out of memory.  Defined in
 * doc_json.c, beside the document's JSON that carries it. */
json_t *tach__cx_family_json(const tach__cx_family *f);

#endif /* TACH_COMPLEXITY_H */
