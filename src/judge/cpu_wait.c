/*
 * cpu_wait.c - a command's wall time that grew while its CPU time did not: did the
 * slower side wait for a CPU?  (compare.h; docs/statistics.md, "Waiting for a CPU".)
 *
 * A command run by `tach run` is one process per run, and its document keeps, per run,
 * the CPU time (user + system) and the involuntary context switches (ru_nivcsw: times
 * the kernel took the CPU away while the process could still run).  A run that met a
 * busy machine for its whole duration waits for a CPU: its wall time grows, its CPU
 * time does not, and it is preempted far more often.  The comparison's verdict on wall
 * time is then the machine's, not the code's.
 */
#include "compare_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool tool_preempted_more(double slow, double fast)
{
    if (isnan(slow) || isnan(fast)) return false;
    return slow >= TOOL_PREEMPT_RATIO * fast && slow >= fast + TOOL_PREEMPT_MORE;
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
    return 0;
}

/* The verdict v of judge(), unless the slower side waited for a CPU (compare.h): a
 * wall-time change the CPU time does not show, on the side that was clearly preempted
 * more and did not clearly sleep more, is the machine's; unstable, never regressed
 * (critical), even beyond_rounds. */
tool_verdict tool_cmp_unless_waited(tool_cmp_row *r, tool_verdict v)
{
    if (v != TOOL_REGRESSED && v != TOOL_IMPROVED) return v;
    double band = r->noise < r->critical ? r->noise : r->critical;
    if (isnan(r->cpu_change) || fabs(r->cpu_change) > band) return v; /* the work changed */
    bool new_slower = v == TOOL_REGRESSED;
    if (!tool_preempted_more(new_slower ? r->new_preempt : r->base_preempt,
                             new_slower ? r->base_preempt : r->new_preempt))
        return v;
    /* It also slept (waited for I/O, a lock, a child) clearly more often: the code's. */
    if (tool_preempted_more(new_slower ? r->new_voluntary : r->base_voluntary,
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

const char *tool_cmp_waited_text(const tool_cmp_row *r, char *buf, size_t size)
{
    if (!r || !r->waited_for_cpu || !size) return NULL;
    bool new_slower = r->change.value > 0;
    char wall[32], cpu[32];
    fmt_pct(r->change.value, wall, sizeof wall);
    fmt_pct(r->cpu_change, cpu, sizeof cpu);
    snprintf(buf, size, "%s waited for a CPU (wall %s, CPU time %s, %g preemptions a run "
                        "against %g)",
             new_slower ? "NEW" : "BASE", wall, cpu,
             new_slower ? r->new_preempt : r->base_preempt,
             new_slower ? r->base_preempt : r->new_preempt);
    return buf;
}
