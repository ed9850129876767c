/* variant.c - the noise figure's benchmark (bench/instructions/run.sh): a dependent
 * multiply chain of STEPS steps per iteration (kernels.h's k_mulchain).  Built with
 * STEPS=1000 (base), 1005 (0.5% more work) and 1030 (3% more). */
#include <tach.h>

#include "../gbench/kernels.h"

#ifndef STEPS
#define STEPS 1000
#endif

TACH_BENCH(mulchain)
{
    uint64_t x = 1;
    while (tach_loop(st)) {
        x = k_mulchain(x, STEPS);
        TACH_KEEP(x);
    }
}
