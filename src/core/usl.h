/*
 * usl.h - the Universal Scalability Law fit of a thread sweep (src/core/usl.c;
 * libtach, so a benchmark binary prints its own fit).
 *
 *     X(N) = X(1) * N / (1 + alpha*(N - 1) + beta*N*(N - 1))
 *
 * alpha is contention (serialisation), beta coherency (crosstalk); the peak is at
 * N* = sqrt((1 - alpha) / beta).  Fitted by Gunther's linearisation: with the speedup
 * C(N) = X(N)/X(1), N/C(N) - 1 = alpha*(N - 1) + beta*N*(N - 1), least squares without
 * intercept, constrained to 0 <= alpha <= 1 (contention is a fraction) and beta >= 0:
 * when the free fit leaves that box the best fit on its edges is taken (beta alone with
 * alpha = 0 or 1, or alpha alone).  With only two thread counts alpha alone is fitted,
 * unless it would pass 1 (throughput falls below N = 1's): then alpha = 1 and beta
 * takes the rest.  CIs are percentile bootstrap intervals over resamples of each N's
 * throughput samples.  Pure functions; no I/O.
 */
#ifndef TACH_USL_H
#define TACH_USL_H

#include <stddef.h>
#include <stdint.h>

#include "tach_internal.h"

/* One thread count and its throughput samples (operations per second, all threads). */
typedef struct tach__usl_point {
    double n;
    const double *samples;
    size_t nsamples;
} tach__usl_point;

typedef struct tach__usl_fit {
    tach__ci alpha, beta;    /* estimates with 95% bootstrap CIs */
    double lambda;           /* X(1): the median throughput at N = 1 */
    double peak_n;           /* N* = sqrt((1 - alpha)/beta), at least 1; INFINITY when beta == 0 */
    double peak_x;           /* the model's throughput at N* (INFINITY when beta == 0) */
    double r2;               /* of the linearised fit */
    size_t npoints, resamples;
    /* Whether beta was fitted: two thread counts determine alpha alone (beta is 0 in
     * the model, and not an estimate), unless the throughput fell (alpha = 1 and beta). */
    bool beta_fitted;
} tach__usl_fit;

/* Fits the sweep.  Needs N = 1 and at least one other distinct N (each with a sample
 * > 0; two points give alpha only, or alpha = 1 and beta).  Deterministic for the same input and seed.  0, or -1 with err set. */
int tach__usl_fit_points(const tach__usl_point *pts, size_t npoints, size_t resamples,
                         uint64_t seed, tach__usl_fit *out, char *err);
/* alpha and beta of throughput medians x[i] at n[i] (n[0] must be 1); 0 or -1. */
int tach__usl_fit_medians(const double *n, const double *x, size_t npoints, double *alpha,
                          double *beta);
/* The model's throughput at n. */
double tach__usl_model(double lambda, double alpha, double beta, double n);

#endif /* TACH_USL_H */
