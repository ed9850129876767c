/*
 * compare_internal.h - what the comparison (compare.c) and the target checks
 * (targets.c) share.  Not part of any interface outside src/judge/.
 */
#ifndef TACH_COMPARE_INTERNAL_H
#define TACH_COMPARE_INTERNAL_H

#include "compare.h"

/* A benchmark's thresholds and targets once its own declarations and the matching
 * rules are applied. */
typedef struct tool_cmp_effective {
    double noise, critical;
    double max_mean_ns, max_median_ns, max_p99_ns, min_bytes_per_sec, min_items_per_sec,
        max_regression_pct;
    double max_allocs_per_iter, max_bytes_per_iter, max_peak_bytes, max_rss_bytes;
} tool_cmp_effective;

/* Applies the rules matching name to e (git-config style: later wins). */
void tool_cmp_apply_rules(const char *name, const tool_rule *rules, size_t nrules,
                          tool_cmp_effective *e);
/* Sets e's targets to those r declares. */
void tool_cmp_targets_of(const tach__result *r, tool_cmp_effective *e);
/* Appends one check to *v (of *n).  -1 when out of memory. */
int tool_cmp_add_check(tool_target_check **v, size_t *n, const char *name, double limit,
                       double actual, bool met);
/* Checks the level targets (not max_regression_pct, which needs a comparison): the
 * checks into *out (caller frees), the number missed as the result, -1 when out of
 * memory.  d: r's document (NULL: none), for tach's own RSS, which a command's peak
 * at or below cannot be told apart from (its max_rss_bytes is then not checked unless
 * met).  counted_run: r's run counted instructions (tool_doc_counted_instructions),
 * so that its time targets are not checked even when r itself failed. */
int tool_cmp_check_levels(const tach__doc *d, const tach__result *r, bool counted_run,
                          const tool_cmp_effective *e, tool_target_check **out, size_t *nout);

/* cpu_wait.c: the row's CPU figures (base_cpu_ns ... new_voluntary; NaN unless the metric
 * is wall time and both sides carry a command's per-run CPU times), once its estimate
 * is made; -1 when out of memory. */
int tool_cmp_cpu_figures(tool_cmp_row *row, const tool_cmp_options *o);
/* The verdict v judged on wall time, or unstable (waited_for_cpu set, beyond_rounds
 * cleared) when it is regressed or improved, the CPU time per run changed by no more
 * than the critical threshold (nor the noise one, if larger), the machine was clearly busier
 * during the slower side's runs (TOOL_STALL_RISE) and it did not block more (tool_slept_more). */
tool_verdict tool_cmp_unless_waited(tool_cmp_row *r, tool_verdict v);

#endif /* TACH_COMPARE_INTERNAL_H */
