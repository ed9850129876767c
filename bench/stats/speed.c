/* bench/stats/speed.c - how long the statistics take at the sizes tach uses.
 *
 * Targets (issue 2 / the stats brief): a bootstrap of 10,000 resamples of 1,000
 * samples well under 100 ms; change points over a 1,000-run history well under
 * 20 ms.  Prints the best of REPS repetitions of each and exits 1 if a target is
 * missed.  Built and run by bench/stats/run.sh. */
#include <math.h>
#include <stdio.h>

#include "changepoint.h"
#include "tach_internal.h"

#define REPS 7

static double ms_since(uint64_t t0)
{
    return (double)(tach__now_ns() - t0) / 1e6;
}

static double gauss(tach__rng *r)
{
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

int main(void)
{
    static double x[1000], y[1000], h[1000];
    tach__rng r;
    tach__rng_seed(&r, 1);
    for (int i = 0; i < 1000; i++) {
        x[i] = 1000 * exp(0.05 * gauss(&r));
        y[i] = 1030 * exp(0.05 * gauss(&r));
        h[i] = (i < 400 ? 100 : i < 700 ? 105 : 102) + gauss(&r);
    }
    double best[6];
    for (int k = 0; k < 6; k++) best[k] = INFINITY;
    tach__ci ci;
    tach__summary s;
    tool_change cp[32];
    size_t ncp = 0;
    for (int rep = 0; rep < REPS; rep++) {
        double t;
        uint64_t t0 = tach__now_ns();
        tach__bootstrap_mean(x, 1000, 10000, 0.95, 7, &ci);
        if ((t = ms_since(t0)) < best[0]) best[0] = t;
        t0 = tach__now_ns();
        tach__bootstrap_median(x, 1000, 10000, 0.95, 7, &ci);
        if ((t = ms_since(t0)) < best[1]) best[1] = t;
        t0 = tach__now_ns();
        tach__bootstrap_ratio(x, 1000, y, 1000, 10000, 0.95, 7, &ci);
        if ((t = ms_since(t0)) < best[2]) best[2] = t;
        t0 = tach__now_ns();
        tach__summarize(x, 1000, 10000, 7, &s);
        if ((t = ms_since(t0)) < best[3]) best[3] = t;
        t0 = tach__now_ns();
        double u, p;
        tach__mann_whitney(x, 1000, y, 1000, &u, &p);
        if ((t = ms_since(t0)) < best[4]) best[4] = t;
        t0 = tach__now_ns();
        ncp = tool_change_points(h, 1000, 0.001, 5, cp, 32);
        if ((t = ms_since(t0)) < best[5]) best[5] = t;
    }
    printf("best of %d, n = 1,000 samples, 10,000 resamples:\n", REPS);
    printf("  bootstrap_mean     %7.2f ms  (target < 100)\n", best[0]);
    printf("  bootstrap_median   %7.2f ms  (target < 100)\n", best[1]);
    printf("  bootstrap_ratio    %7.2f ms  (two medians per resample)\n", best[2]);
    printf("  summarize          %7.2f ms  (both bootstraps + the rest)\n", best[3]);
    printf("  mann_whitney       %7.2f ms  (1,000 vs 1,000)\n", best[4]);
    printf("  change_points      %7.2f ms  (1,000 points, target < 20; found %zu)\n", best[5],
           ncp);
    int ok = best[0] < 100 && best[1] < 100 && best[5] < 20;
    printf("%s\n", ok ? "targets met" : "TARGET MISSED");
    return ok ? 0 : 1;
}
