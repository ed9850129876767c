/*
 * changepoint.h - change points over a benchmark's history (src/judge/changepoint.c).
 * The tool's (tool_ prefix): not in libtach.
 */
#ifndef TACH_CHANGEPOINT_H
#define TACH_CHANGEPOINT_H

#include <stddef.h>

typedef struct tool_change {
    size_t index;          /* first point of the new level */
    double before, after;  /* mean level before/after */
    double change;         /* after/before - 1 */
    double p;              /* Welch t-test p between the neighbouring segments */
} tool_change;
/* E-Divisive means change-point detection with a significance test, as Hunter (DataStax) does it:
   recursively split at the point maximizing the energy-distance statistic, keep a split when the
   Welch t-test between the two sides (restricted to a window) has p < alpha; min segment size
   min_size.  Returns the number of change points written to out (at most cap), sorted by index.
   min_size < 2 counts as 2.  A series holding NaN or infinities has no change points (returns 0);
   so does running out of memory.
   alpha 0.001 suits histories (the split is the most extreme of many; see changepoint.c). */
size_t tool_change_points(const double *x, size_t n, double alpha, size_t min_size,
                           tool_change *out, size_t cap);

#endif
