/*
 * cpu_wait.c - a command's wall time that grew while its CPU time did not: did the
 * slower side wait for a CPU?  (compare.h; docs/statistics.md, "Waiting for a CPU".)
 *
 * A command run by `tach run` is one process per run, and its document keeps, per run,
 * the CPU time (user + system, its waited-for children included), the voluntary
 * context switches (ru_nvcsw: the times it blocked) and, where the kernel has pressure
 * stall information, the machine's CPU stall during the run (/proc/pressure/cpu
 * "some": the time at least one runnable task waited for a CPU).  A run that waits
 * for a CPU raises the machine's share of stalled time during it, so when the slower
 * side's wall time grew while its CPU time did not, and its runs met a clearly higher
 * share of stall than the faster side's, it waited; a command that slept longer on a
 * machine equally busy throughout meets the same share.  On a machine whose CPU was
 * saturated during both sides' runs (the share near 1 on each) the share cannot rise,
 * and nothing recorded tells waiting from a longer sleep: such a row is unstable too
 * (cpu_saturated).  The comparison's
 * verdict on wall time is then the machine's, not the code's.  (The involuntary
 * switches are kept as figures only: measured, a run's count does not grow with the
 * time it waits behind a CPU hog.)
 */
#include "compare_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool tool_slept_more(double slow, double fast)
{
    if (isnan(slow) || isnan(fast)) return false;
    return slow >= fast + TOOL_SLEPT_MORE;
}

/* The median of x[0..n), or NaN when x is NULL or holds a value that is not finite. */
static double finite_median(const double *x, size_t n)
{
    if (!x || !n) return NAN;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return NAN;
    return tach__median(x, n);
}

/* The median CPU time (user + system) per run of r, or NaN without both arrays. */
static double cpu_median(const tach__result *r, int *oom)
{
    if (!r->user_ns || !r->sys_ns || !r->nsamples) return NAN;
    double *x = tach__malloc(r->nsamples * sizeof *x);
    if (!x) {
        *oom = 1;
        return NAN;
    }
    for (size_t i = 0; i < r->nsamples; i++) x[i] = r->user_ns[i] + r->sys_ns[i];
    double m = tach__median(x, r->nsamples);
    tach__free(x);
    return m;
}

/* The row's CPU figures (compare.h): wall time only, a command's runs on both sides.
 * -1 when out of memory. */
int tool_cmp_cpu_figures(tool_cmp_row *row, const tool_cmp_options *o)
{
    if (o->deterministic || (o->metric && strcmp(o->metric, "wall") != 0)) return 0;
    const tach__result *b = row->base, *c = row->cur;
    int oom = 0;
    row->base_cpu_ns = cpu_median(b, &oom);
    row->new_cpu_ns = cpu_median(c, &oom);
    if (oom) return -1;
    if (row->base_cpu_ns > 0 && row->new_cpu_ns >= 0)
        row->cpu_change = row->new_cpu_ns / row->base_cpu_ns - 1.0;
    if (isnan(row->cpu_change)) return 0; /* no CPU times: the preemptions tell nothing */
    if (b->invol_ctxsw) row->base_preempt = tach__median(b->invol_ctxsw, b->nsamples);
    if (c->invol_ctxsw) row->new_preempt = tach__median(c->invol_ctxsw, c->nsamples);
    if (b->vol_ctxsw) row->base_voluntary = tach__median(b->vol_ctxsw, b->nsamples);
    if (c->vol_ctxsw) row->new_voluntary = tach__median(c->vol_ctxsw, c->nsamples);
    row->base_stall_ns = finite_median(b->cpu_stall_ns, b->nsamples);
    row->new_stall_ns = finite_median(c->cpu_stall_ns, c->nsamples);
    return 0;
}

/* Whether the machine's CPU was saturated during both sides' runs (the stalled share
 * TOOL_STALL_SATURATED or more on each: it can no longer rise by TOOL_STALL_RISE_MIN)
 * and the slower side's added wall time is off-CPU time: its wall - CPU time a run
 * grew, against the faster side's, by at least TOOL_STALL_RISE of the added wall time.
 * A saturated share says nothing more about how long a run waited: a run behind 7
 * runnable tasks and one behind 3 both meet a share of 1.  Waiting for a CPU then
 * cannot be told from a sleep that got longer (one sleep a run either way: the same
 * voluntary switches), nor by the preemptions: a CPU-bound task is switched out about
 * once a tick of its own CPU time however long it then waits (measured at load 16,
 * identical code: 14.5, 7 and 8.5 a run; docs/PERFORMANCE.md).  Such a row is
 * unstable, not regressed: tach fails no gate on what the machine cannot tell. */
static bool cpu_saturated(const tool_cmp_row *r, double slow_wall, double fast_wall,
                          bool new_slower)
{
    double ss = (new_slower ? r->new_stall_ns : r->base_stall_ns) / slow_wall;
    double fs = (new_slower ? r->base_stall_ns : r->new_stall_ns) / fast_wall;
    if (!(ss >= TOOL_STALL_SATURATED) || !(fs >= TOOL_STALL_SATURATED)) return false;
    double slow_cpu = new_slower ? r->new_cpu_ns : r->base_cpu_ns;
    double fast_cpu = new_slower ? r->base_cpu_ns : r->new_cpu_ns;
    double off_grew = (slow_wall - slow_cpu) - (fast_wall - fast_cpu);
    return off_grew >= TOOL_STALL_RISE * (slow_wall - fast_wall);
}

/* The verdict v of judge(), unless the slower side waited for a CPU (compare.h): a
 * wall-time change the CPU time does not show (within the critical threshold), on the
 * side whose runs met a clearly busier machine (its CPU pressure share up by at least
 * TOOL_STALL_RISE of the share the added time takes of its runs, or on a machine
 * whose CPU was saturated during both sides' runs, the added time off-CPU:
 * cpu_saturated) and did not block more often, is the machine's; unstable, never
 * regressed (critical), even beyond_rounds. */
tool_verdict tool_cmp_unless_waited(tool_cmp_row *r, tool_verdict v)
{
    if (v != TOOL_REGRESSED && v != TOOL_IMPROVED) return v;
    /* the work changed (a busy machine adds a few per cent of CPU time itself: shared
     * caches; so the critical threshold, not the noise band) */
    double band = r->critical > r->noise ? r->critical : r->noise;
    if (isnan(r->cpu_change) || fabs(r->cpu_change) > band) return v;
    bool new_slower = v == TOOL_REGRESSED;
    double slow_wall = new_slower ? r->new_median : r->base_median;
    double fast_wall = new_slower ? r->base_median : r->new_median;
    double slow_stall = new_slower ? r->new_stall_ns : r->base_stall_ns;
    double fast_stall = new_slower ? r->base_stall_ns : r->new_stall_ns;
    if (isnan(slow_stall) || isnan(fast_stall) || !(slow_wall > fast_wall) || !(fast_wall > 0))
        return v;
    /* The machine was clearly busier during the slower side's runs: its share of time
     * with a runnable task waiting for a CPU rose by most of the share of those runs
     * that the added time takes (it would rise by all of it, were the added time all
     * waiting and PSI the command's alone).  (PSI's
     * "some" is averaged over the CPUs, so it is a share of the machine's pressure, not
     * the command's own wait; a sleep that got longer on a machine busy throughout
     * keeps the share as it was.) */
    double added = (slow_wall - fast_wall) / slow_wall; /* the share the added time takes */
    double rise = slow_stall / slow_wall - fast_stall / fast_wall;
    if ((rise < TOOL_STALL_RISE * added || rise < TOOL_STALL_RISE_MIN) &&
        !cpu_saturated(r, slow_wall, fast_wall, new_slower))
        return v;
    /* It also blocked (slept, waited for I/O, a lock, a child) more often: the code's;
     * and without the counts that cannot be told. */
    if (isnan(r->base_voluntary) || isnan(r->new_voluntary)) return v;
    if (tool_slept_more(new_slower ? r->new_voluntary : r->base_voluntary,
                        new_slower ? r->base_voluntary : r->new_voluntary))
        return v;
    r->waited_for_cpu = true;
    r->beyond_rounds = false;
    return TOOL_UNSTABLE;
}

/* A change in per cent as a table shows it: "+145%", "+1.3%". */
static void fmt_pct(double v, char *buf, size_t size)
{
    snprintf(buf, size, fabs(v) >= 0.1 ? "%+.0f%%" : "%+.1f%%", v * 100);
}

bool tool_cmp_waited_saturated(const tool_cmp_row *r)
{
    if (!r || !r->waited_for_cpu) return false;
    bool new_slower = r->change.value > 0;
    double ss = new_slower ? r->new_stall_ns : r->base_stall_ns;
    double fs = new_slower ? r->base_stall_ns : r->new_stall_ns;
    double sw = new_slower ? r->new_median : r->base_median;
    double fw = new_slower ? r->base_median : r->new_median;
    return ss / sw >= TOOL_STALL_SATURATED && fs / fw >= TOOL_STALL_SATURATED;
}

const char *tool_cmp_waited_text(const tool_cmp_row *r, char *buf, size_t size)
{
    if (!r || !r->waited_for_cpu || !size) return NULL;
    bool new_slower = r->change.value > 0;
    char wall[32], cpu[32];
    fmt_pct(r->change.value, wall, sizeof wall);
    fmt_pct(r->cpu_change, cpu, sizeof cpu);
    double ss = new_slower ? r->new_stall_ns : r->base_stall_ns;
    double fs = new_slower ? r->base_stall_ns : r->new_stall_ns;
    bool saturated = tool_cmp_waited_saturated(r);
    snprintf(buf, size, "%s waited for a CPU%s (wall %s, CPU time %s, %sCPU pressure %.1f ms a run "
                        "against %.1f)",
             new_slower ? "NEW" : "BASE", saturated ? " or slept longer" : "", wall, cpu,
             saturated ? "CPU saturated: " : "", ss / 1e6, fs / 1e6);
    return buf;
}
