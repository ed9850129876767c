/* percall.c - what per-call timing costs a call (bench/hist/run.sh): an empty body,
 * run once as usual and once with --latency; the difference of the per-iteration
 * medians is the clock read and the recording that .latency = true adds to each call. */
#include <tach.h>

TACH_BENCH(empty)
{
    while (tach_loop(st)) tach_clobber();
}
