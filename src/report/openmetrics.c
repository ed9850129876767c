/* openmetrics.c - the run as OpenMetrics text (for a scrape or a file) or the
 * Prometheus text format 0.0.4 (for a Pushgateway).  One gauge family per
 * quantity, a sample per benchmark labelled with its name, group and status.
 * Times are in seconds (base units), as Prometheus' conventions ask. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

typedef struct om_family {
    const char *name, *unit, *help;
    double (*get)(const tool_rep_item *it);
} om_family;

static double g_median(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n ? r->summary.median.value / 1e9 : NAN;
}
static double g_median_lo(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n ? r->summary.median.lo / 1e9 : NAN;
}
static double g_median_hi(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n ? r->summary.median.hi / 1e9 : NAN;
}
static double g_mean(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n ? r->summary.mean.value / 1e9 : NAN;
}
static double g_p99(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n ? r->summary.p99 / 1e9 : NAN;
}
static double g_stddev(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n > 1 ? r->summary.stddev / 1e9 : NAN;
}
static double g_cv(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    return r->has_summary && r->summary.n > 1 ? r->summary.cv : NAN;
}
static double g_samples(const tool_rep_item *it)
{
    return (double)it->r->nsamples;
}
static double g_bytes(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    double m = g_median(it);
    return r->bytes_per_iter > 0 && m > 0 ? r->bytes_per_iter / m : NAN;
}
static double g_items(const tool_rep_item *it)
{
    const tach__result *r = it->r;
    double m = g_median(it);
    return r->items_per_iter > 0 && m > 0 ? r->items_per_iter / m : NAN;
}
static double g_ok(const tool_rep_item *it)
{
    return it->r->status == TACH__OK ? 1 : 0;
}
static double g_unstable(const tool_rep_item *it)
{
    /* not written where no row is judged by CV (a storage or bus suite run) */
    return it->r->has_summary && !it->cv_free ? (it->unstable ? 1 : 0) : NAN;
}
static double g_instructions(const tool_rep_item *it)
{
    return it->r->has_instr && it->r->status == TACH__OK ? it->r->instr.instructions : NAN;
}
static double g_change(const tool_rep_item *it)
{
    return it->row && isfinite(it->row->change.value) ? it->row->change.value : NAN;
}
static double g_regressed(const tool_rep_item *it)
{
    return it->row ? (it->regressed ? 1 : 0) : NAN;
}
static double g_targets_missed(const tool_rep_item *it)
{
    return it->ntargets ? (double)it->missed : NAN;
}

static const om_family families[] = {
    {"tach_benchmark_median_seconds", "seconds", "Median time per iteration.", g_median},
    {"tach_benchmark_median_ci_low_seconds", "seconds",
     "Lower end of the 95% bootstrap confidence interval of the median.", g_median_lo},
    {"tach_benchmark_median_ci_high_seconds", "seconds",
     "Upper end of the 95% bootstrap confidence interval of the median.", g_median_hi},
    {"tach_benchmark_mean_seconds", "seconds", "Mean time per iteration.", g_mean},
    {"tach_benchmark_p99_seconds", "seconds", "99th percentile of the per-iteration time.", g_p99},
    {"tach_benchmark_stddev_seconds", "seconds", "Standard deviation of the per-iteration time.",
     g_stddev},
    {"tach_benchmark_cv_ratio", "ratio", "Coefficient of variation (stddev / mean).", g_cv},
    {"tach_benchmark_samples", NULL, "Number of samples taken.", g_samples},
    {"tach_benchmark_throughput_bytes_per_second", NULL, "Bytes processed per second (median).",
     g_bytes},
    {"tach_benchmark_throughput_items_per_second", NULL, "Items processed per second (median).",
     g_items},
    {"tach_benchmark_instructions", NULL,
     "Instructions per iteration, counted under Valgrind's callgrind (instruction mode): exact.",
     g_instructions},
    {"tach_benchmark_ok", NULL, "1 when the benchmark ended ok, 0 when it failed, crashed, timed "
                                "out or was skipped.", g_ok},
    {"tach_benchmark_unstable", NULL, "1 when the coefficient of variation is above 5%.",
     g_unstable},
    {"tach_benchmark_change_ratio", "ratio",
     "Change of the median against the baseline (0.05 = 5% slower; of the instruction count "
     "when the run counted instructions).", g_change},
    {"tach_benchmark_regressed", NULL, "1 when the benchmark regressed against the baseline.",
     g_regressed},
    {"tach_benchmark_targets_missed", NULL, "Declared targets the benchmark missed.",
     g_targets_missed},
};

static void labels(tool_sb *b, const tach__result *r)
{
    tool_sb_put(b, "{benchmark=\"");
    tool_sb_esc_label(b, r->name);
    tool_sb_put(b, "\",group=\"");
    tool_sb_esc_label(b, r->group ? r->group : "");
    tool_sb_put(b, "\",status=\"");
    tool_sb_put(b, tach__status_name(r->status));
    tool_sb_put(b, "\"}");
}

char *tool_report_openmetrics(const tool_report_in *in, bool openmetrics, char *err)
{
    tool_rep_view v;
    if (tool_rep_view_build(in, &v, err)) return NULL;
    tool_sb b;
    tool_sb_init(&b);
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        const om_family *fam = &families[f];
        bool any = false;
        for (size_t i = 0; i < v.nitems && !any; i++) any = !isnan(fam->get(&v.items[i]));
        if (!any) continue;
        tool_sb_printf(&b, "# HELP %s %s\n# TYPE %s gauge\n", fam->name, fam->help, fam->name);
        if (openmetrics && fam->unit) tool_sb_printf(&b, "# UNIT %s %s\n", fam->name, fam->unit);
        /* A name may appear twice in a document (a rerun); Prometheus refuses
         * duplicate series, so only the first is written. */
        for (size_t i = 0; i < v.nitems; i++) {
            double x = fam->get(&v.items[i]);
            if (isnan(x)) continue;
            bool dup = false;
            for (size_t k = 0; k < i && !dup; k++)
                dup = !strcmp(v.items[k].r->name, v.items[i].r->name);
            if (dup) continue;
            tool_sb_put(&b, fam->name);
            labels(&b, v.items[i].r);
            if (isinf(x)) tool_sb_printf(&b, " %s\n", x > 0 ? "+Inf" : "-Inf");
            else tool_sb_printf(&b, " %.9g\n", x);
        }
    }
    /* Suite-level facts. */
    tool_sb_printf(&b, "# HELP tach_run_benchmarks Benchmarks in the run.\n"
                        "# TYPE tach_run_benchmarks gauge\ntach_run_benchmarks %zu\n",
                    v.nitems);
    tool_sb_printf(&b, "# HELP tach_run_broken Benchmarks that failed, crashed or timed out.\n"
                        "# TYPE tach_run_broken gauge\ntach_run_broken %zu\n",
                    v.failed + v.crashed + v.timeout);
    /* an interrupted run (or a suite stopped early): its figures are what was measured
     * until then, not the whole run; 0 on a whole run, so an alert on it has a series */
    tool_sb_printf(&b, "# HELP tach_run_partial 1 when the run was interrupted or stopped early "
                        "(partial results: not the whole run).\n# TYPE tach_run_partial gauge\n"
                        "tach_run_partial %d\n", in->doc->partial ? 1 : 0);
    /* a suite run, or one read back from a file of one: 1 for a --quick smoke run */
    if (tool_rep_suite_name(in->doc) || tool_rep_suite_quick(in->doc))
        tool_sb_printf(&b, "# HELP tach_run_quick 1 when the run was a tach suite --quick smoke "
                            "run (not figures to publish).\n# TYPE tach_run_quick gauge\n"
                            "tach_run_quick %d\n", tool_rep_suite_quick(in->doc) ? 1 : 0);
    if (in->cmp && isfinite(in->cmp->geomean_change))
        tool_sb_printf(&b, "# HELP tach_run_geomean_change_ratio Geometric-mean change of the "
                            "suite against the baseline.\n# TYPE tach_run_geomean_change_ratio gauge\n"
                            "%stach_run_geomean_change_ratio %.9g\n",
                        openmetrics ? "# UNIT tach_run_geomean_change_ratio ratio\n" : "",
                        in->cmp->geomean_change);
    if (openmetrics) tool_sb_put(&b, "# EOF\n");
    tool_rep_view_free(&v);
    char *s = tool_sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}
