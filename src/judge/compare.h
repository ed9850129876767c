/*
 * compare.h - judging one results document against another (tool_ prefix).
 *
 * Pure: reads two tach__doc, writes a tool_comparison; no I/O, no printing.
 * Used by `tach compare`, `tach gate`, `tach ab` and the reports.  It lives in the
 * tool's core (src/judge/): it depends only on the library's statistics and document
 * model, not on the store.  compare.c holds the suite comparison, targets.c the
 * target checks, ab_stats.c the paired A/B statistics.
 *
 * The model, per benchmark present in both documents with samples on both sides:
 *   change   median(NEW)/median(BASE) - 1, with a 95% percentile-bootstrap CI.
 *            When both sides hold two rounds (worker processes) or more, the round
 *            is the unit of replication: the CI is a hierarchical bootstrap (rounds,
 *            then samples within each drawn round; rounds.h) and p is Welch's t on
 *            the log round medians.  Otherwise the CI resamples the raw samples
 *            (tach__bootstrap_ratio) and p is the two-sided Mann-Whitney U
 *            (tie- and continuity-corrected);
 *   q        Benjamini-Hochberg adjusted p across every compared benchmark;
 *   verdict  regressed  when q < alpha and the whole CI lies above +noise;
 *            improved   when q < alpha and the whole CI lies below -noise;
 *            unstable   when neither, and the CI reaches beyond the noise band while
 *                       a side's rounds disagree (rounds_disagree: their spread is far
 *                       more than their own samples explain) or a side's own CV is
 *                       above unstable_cv (too noisy to tell).  A significant change
 *                       whose rounds disagree and overlap (some NEW round as fast as
 *                       some BASE round) is unstable too - unless its whole CI also
 *                       lies beyond the critical threshold (and the noise one): then
 *                       it is regressed (improved), critical (beyond_rounds), since a
 *                       change that large is not the rounds' disagreement;
 *                       A side slowed in more rounds than may be set aside (its
 *                       rounds slowed throughout or mostly: tool_rounds_slowed) while
 *                       the other was not (slowed_side) looks slower than it is, so
 *                       the verdict whose sign that side's slowness gives is not
 *                       trusted: BASE slowed -> anything but regressed is unstable;
 *                       NEW slowed -> anything but improved is unstable; except a
 *                       change whose whole CI and whose fastest rounds (the sides'
 *                       fastest-quarter centres, fast_change) both lie beyond the
 *                       critical threshold: regressed (improved), critical;
 *                       When the run-to-run noise widened the threshold, a CI
 *                       inside the widened band but not inside the asked one is
 *                       unstable too (runs_differ): too noisy to judge at the
 *                       threshold asked, not "unchanged";
 *            unstable   (waited_for_cpu) also replaces regressed or improved - even
 *                       beyond_rounds - for a command's runs (wall time, per-run CPU
 *                       times on both sides) when the CPU time per run did not change
 *                       beyond the critical threshold, the slower
 *                       side did not block more often (tool_slept_more) and the
 *                       machine was clearly busier (TOOL_STALL_RISE): it
 *                       waited for a CPU, the machine's doing, not the code's;
 *            unstable   (not_significant) when the CI lies wholly beyond the noise
 *                       band but q is not below alpha: the two disagree, nothing is
 *                       decided;
 *            untestable when a side has a single sample (one row per benchmark in a
 *                       Google Benchmark file): only the point change is known; and
 *                       (too_few) when both have more but so few that the test can
 *                       never reach alpha (2 and 2, 3 and 3 samples: its smallest p
 *                       is 0.245, 0.081) and the CI is not inside the noise band;
 *            unchanged  otherwise;
 *   severity of the point change: within noise (|change| <= noise), warning, or
 *            critical (|change| >= critical);
 *   targets  declared targets (tach__result's max_mean_ns ... and the matching
 *            config rules) checked against NEW; a miss fails the gate.
 * Benchmarks only in NEW are "added", only in BASE "removed"; a benchmark whose
 * NEW status is not ok is "failed" (and fails the gate), unless it was skipped
 * ("incomparable", shown as skipped, in both runs or only in NEW); one with no samples on
 * the BASE side (it failed there) is "new-ok", compared on targets only.
 * All changes and thresholds are FRACTIONS (0.02 = 2%).
 */
#ifndef TACH_COMPARE_H
#define TACH_COMPARE_H

#include "tach_internal.h"

typedef enum tool_verdict {
    TOOL_UNCHANGED = 0,
    TOOL_IMPROVED,
    TOOL_REGRESSED,
    TOOL_UNSTABLE,
    TOOL_ADDED,     /* only in NEW */
    TOOL_REMOVED,   /* only in BASE */
    TOOL_BROKEN,    /* NEW did not end ok (failed, crashed, timeout) */
    TOOL_INCOMPARABLE, /* in both, but BASE has no samples (it failed or was skipped);
                        * or skipped in NEW (in BASE or not); or a bus latency row or
                        * an open-model load row offered at different rates
                        * (tool_cmp_row.base_rate), or a load row loaded otherwise
                        * (other clients, think time, threads, mix or model:
                        * load_differs) */
    TOOL_UNTESTABLE /* a side has one sample: a point change, no test */
} tool_verdict;
/* "unchanged", "improved", "regressed", "unstable", "added", "removed", "failed",
 * "incomparable", "not testable". */
const char *tool_verdict_name(tool_verdict v);

typedef enum tool_severity {
    TOOL_WITHIN_NOISE = 0,
    TOOL_WARNING,
    TOOL_CRITICAL
} tool_severity;
/* "within noise", "warning", "critical". */
const char *tool_severity_name(tool_severity s);

/* Per-benchmark thresholds and targets from configuration.  A rule applies to the
 * benchmarks whose full name matches its glob (fnmatch(3), no flags); when several
 * match, each field is taken from the LAST rule that sets it (git-config style:
 * later wins).  Unset fields: NaN for thresholds, 0 for targets. */
typedef struct tool_rule {
    char *pattern;
    double noise, critical;        /* fractions; NaN = inherit the run's option */
    double max_mean_ns, max_median_ns, max_p99_ns, min_bytes_per_sec, min_items_per_sec,
        max_regression_pct;        /* 0 = not set (max_regression_pct in percent) */
    /* memory targets (docs/memory.md; 0 = not set): per iteration, peak heap bytes, and
     * peak RSS in bytes (the config's max_rss) */
    double max_allocs_per_iter, max_bytes_per_iter, max_peak_bytes, max_rss_bytes;
    int complexity;                /* asserted class (TACH_O_*; 0 = not set) */
    double complexity_noise;       /* the O(1) test's threshold (fraction; 0 = 10%) */
    double min_efficiency, max_alpha; /* thread-scaling targets (0 = not set) */
} tool_rule;

/* A side of a comparison. */
typedef enum tool_side { TOOL_SIDE_NONE = 0, TOOL_SIDE_BASE, TOOL_SIDE_NEW } tool_side;

typedef struct tool_cmp_options {
    double noise;        /* default 0.02 */
    double critical;     /* default 0.10 */
    double alpha;        /* default 0.05, on the BH q-value */
    double unstable_cv;  /* default 0.05: a side's CV above this may make it "unstable" */
    size_t resamples;    /* bootstrap resamples, default 2000 */
    size_t quick_resamples; /* default 100: each CI is first drawn with this many and
                          * redrawn with 4x as many (up to `resamples`) while an end
                          * lies within ~3 Monte Carlo standard errors of +-noise,
                          * where the verdict could turn; 0 always draws `resamples` */
    uint64_t seed;       /* bootstrap seed (each benchmark's is derived from its name) */
    const tool_rule *rules; size_t nrules; /* borrowed; may be NULL */
    /* The run-to-run noise of a benchmark, learned from its history on the machine
     * (tool_run_noise), or NaN when unknown; NULL: none.  Called once per benchmark in
     * both documents, from the calling thread.  A benchmark's noise threshold becomes
     * at least run_noise_k times it, so that two runs differing by what runs of the same
     * code differ by are never a regression. */
    double (*run_noise)(const char *name, void *ctx);
    void *run_noise_ctx;
    double run_noise_k;  /* default 2.5 */
    /* A deterministic metric (instruction counts; metric.h): a benchmark with one
     * value per side is decided by its point change against the noise threshold
     * (regressed / improved beyond it, else unchanged), not "not testable": the
     * same binary gives the same count, so there is no sampling error to test.  A
     * count grown from 0 or fallen to 0 (no percentage: change_na) is regressed or
     * improved, critical. */
    bool deterministic;
    const char *metric;  /* the metric's name for the JSON ("wall" when NULL) */
} tool_cmp_options;
/* Fills the defaults above. */
void tool_cmp_options_default(tool_cmp_options *o);

/* One declared target checked against NEW.  A target the run holds no value for by
 * the way it measured is not checked: not_checked says why (a static string: a time
 * target of a run that counted instructions, TOOL_NOT_CHECKED_*; or kept for the process:
 * a latency objective on a percentile too few calls lie above, with the counts,
 * targets.c), actual is NaN (or the
 * untested change, TOOL_NOT_CHECKED_FEW) and met false, and it is neither met nor missed
 * (it counts in no targets_missed). */
typedef struct tool_target_check {
    const char *name;    /* "max_mean_ns", ... (static string) */
    double limit, actual;
    bool met;
    const char *not_checked; /* NULL: checked */
    const char *invalid;     /* NULL, or why the target could not be read (a declared
                              * objective that does not parse): missed, limit NaN */
    const char *unmeasured;  /* NULL, or why actual is NaN when it is known (a static
                              * string, TOOL_UNMEASURED_*): missed, nothing to judge */
    bool per_item;           /* a complexity target (complexity_*) of a family fitted on
                              * time per item (its members set items): limit and actual are
                              * of the time per item, as the complexity table's class */
} tool_target_check;
/* Why a target was not checked: a time, rate or latency target (max_mean_ns,
 * max_median_ns, max_p99_ns, min_bytes_per_sec, min_items_per_sec, a declared SLO) of a
 * benchmark counted in instruction mode, which measured no time; a memory target
 * (max_allocs_per_iter ...) of one, whose memory was not counted (callgrind replaces the
 * allocator: docs/instructions.md). */
#define TOOL_NOT_CHECKED_TIME "the run counted instructions, not times"
#define TOOL_NOT_CHECKED_MEMORY "the run counted instructions (callgrind replaces the allocator)"
/* max_rss_bytes of a tach run command whose peak RSS was at or below tach's own (the
 * document's settings.spawner_max_rss_kib), above the target: the child's own peak, which
 * may be far lower, is not known (it is met when that bound is within the target). */
#define TOOL_NOT_CHECKED_RSS_OWN "the command's peak RSS was at or below tach's own, which " \
    "Linux counts in a child's peak: they cannot be told apart"
/* Any target of a benchmark that skipped itself (status skipped): it measured nothing,
 * and a skip is no failure. */
#define TOOL_NOT_CHECKED_SKIPPED "the benchmark was skipped"
/* Why a sweep's target has no value: a thread sweep without an N = 1 point has no
 * speedup, efficiency or USL fit (they are against N = 1's throughput); one with it may
 * still have too few points, or too noisy ones, for the USL fit (docs/scaling.md). */
#define TOOL_UNMEASURED_NO_N1 "no N = 1 point (add 1 to the thread counts)"
#define TOOL_UNMEASURED_NO_USL "no USL fit"
/* .min_efficiency or .max_alpha on a benchmark run at one thread count (--threads 1). */
/* A complexity assertion or class change on a family with one sample per size. */
#define TOOL_NOT_CHECKED_ONE_SAMPLE "one sample per size: the fit's confidence cannot be judged"
#define TOOL_NOT_CHECKED_ONE_N "one thread count: no scaling measured"
/* max_regression_pct on a slowdown beyond it that so few samples cannot test (one a side;
 * 3 and 3, whose smallest U-test p is above alpha). */
#define TOOL_NOT_CHECKED_FEW "too few samples to test the change"

/* Why a change is not a number (tool_cmp_row.change_na). */
#define TOOL_CHANGE_NA_BASE_ZERO "BASE's median is 0: a change from 0 has no percentage"
#define TOOL_CHANGE_NA_NEW_ZERO "NEW's median is 0 (BASE's is not)"
#define TOOL_CHANGE_NA_BOTH_ZERO "both medians are 0"
#define TOOL_CHANGE_NA_RANGE "the ratio of the medians is beyond a double's range"
#define TOOL_CHANGE_NA_CI "BASE's median is 0 in some resamples: that end of the CI is unbounded"

typedef struct tool_cmp_row {
    const char *name;          /* borrowed from the documents */
    const tach__result *base;  /* NULL when added */
    const tach__result *cur;   /* NULL when removed */
    double base_median, new_median;  /* ns; NaN when that side has no samples */
    tach__ci change;           /* fraction; NaN when not compared, or when not a number
                                * (change_na); never infinite */
    const char *count_failed;  /* TOOL_BROKEN although NEW's status is ok: its count
                                * failed (tool_metric_count_failed, owned by NEW's
                                * document); NULL otherwise */
    const char *change_na;     /* why the change or an end of its CI is not a number
                                * although both sides have samples (TOOL_CHANGE_NA_*);
                                * NULL otherwise */
    bool unbounded_rise;       /* both ends of the CI were +inf (BASE's median 0 in every
                                * resample, NEW's above it): the whole CI lies above any
                                * threshold, although it reads n/a */
    double u, p, q;            /* NaN when not compared; u is Mann-Whitney U of the
                                * samples, p the test used (Welch on rounds when
                                * by_rounds) */
    double base_cv, new_cv;    /* NaN when that side has fewer than 2 samples */
    double noise, critical;    /* the thresholds that applied (fractions) */
    double run_noise;          /* the learned run-to-run noise (fraction), NaN if none */
    double asked_noise;        /* the noise threshold before run_noise widened it */
    bool too_few;              /* untestable though each side has 2 samples or more: the
                                * test cannot reach alpha with so few (its smallest p,
                                * tach__mann_whitney_min_p, is not below it) and the CI
                                * is not inside the noise band */
    bool not_significant;      /* unstable because the CI lies wholly beyond the noise
                                * band (a soak's: reaches past it, tool_cmp_ci_beyond)
                                * while the test (q) does not confirm a change */
    bool runs_differ;          /* unstable because the CI reaches beyond asked_noise and
                                * only the widened threshold holds it: this benchmark's
                                * runs differ too much to judge at the threshold asked */
    size_t base_rounds, new_rounds; /* rounds with samples on each side, those set
                                * aside as slowed (below) not counted */
    size_t base_rounds_slow, new_rounds_slow; /* by_rounds: rounds set aside as slowed
                                * far beyond their side's others (tool_rounds_trim_slow);
                                * the medians, change, CI and test rest on the others */
    size_t base_rounds_slowed, new_rounds_slowed; /* by_rounds: rounds slowed more than
                                * max(noise, 10%) above their side's fastest quarter
                                * (tool_rounds_slowed), counted before any is set aside */
    tool_side slowed_side;     /* the side slowed in more rounds than may be set aside
                                * (tool_rounds_trim_cap) while the other was not: the
                                * change is not judged in the direction its slowness
                                * pushes it (see the model above) */
    double fast_change;        /* by_rounds: the change between the sides' fastest-quarter
                                * centres (NEW's over BASE's - 1); NaN otherwise */
    bool by_rounds;            /* CI and p rest on the rounds (both sides >= 2) */
    bool rounds_disagree;      /* a side's rounds disagree (tool_rounds_disagree) */
    bool rounds_overlap;       /* by_rounds, and the sides' round medians overlap */
    bool beyond_rounds;        /* regressed or improved although the rounds disagree
                                * and overlap: the whole CI lies beyond the critical
                                * (and the noise) threshold; severity critical */
    double rounds_range;       /* the larger side's round range (max/min - 1); NaN
                                * when neither side has 2 rounds */
    double base_rate, new_rate; /* a bus suite's open-loop row, or a load run's row of the
                                * open model, offered at different rates in the two runs
                                * (tool_suite_rates_differ): incomparable, its change not
                                * estimated; NaN otherwise */
    bool rate_requests;         /* those rates are a load run's requests/s (else msgs/s) */
    const char *load_differs;   /* a load run's row whose runs were loaded otherwise than by
                                 * their rate (tool_load_settings_differ: "model", "clients",
                                 * "think time", "threads", "mix"): incomparable, its change not
                                 * estimated; NULL otherwise */
    char *load_base, *load_new; /* those settings, whole, owned: "8" and "64", or two mixes
                                 * ("get 70%, put 30%"; NULL when none, or out of memory) */
    tool_verdict verdict;
    tool_severity severity;
    tool_target_check *targets; size_t ntargets; /* owned */
    size_t targets_missed;
    /* Commands' runs (wall time, both sides with per-run CPU times; else NaN): the
     * median CPU time (user + system) per run on each side, its change (a fraction),
     * the median involuntary context switches per run (ru_nivcsw: the run was
     * preempted, it waited for a CPU) and the median voluntary ones (ru_nvcsw: it
     * slept, waited for I/O, a lock, a child). */
    double base_cpu_ns, new_cpu_ns, cpu_change;
    double base_preempt, new_preempt, base_voluntary, new_voluntary;
    double base_stall_ns, new_stall_ns; /* median CPU pressure stall a run (the machine's
                                         * runnable tasks waiting for a CPU; NaN without) */
    bool soak;                 /* a side is a run `tach soak` recorded (context.soak): its
                                * samples are intervals whose drift the soak's own verdict
                                * judges, so no CV makes it unstable (judge_shift) */
    bool waited_for_cpu;       /* unstable, not regressed (improved), because the slower
                                * side waited for a CPU: its CPU time did not change, the
                                * machine's CPU stall grew with its wall time (or was
                                * saturated on both sides: it may have waited) and it
                                * did not block more often */
} tool_cmp_row;

/* The change's CI as every output shows it: none (both ends NaN, "n/a") when the change
 * itself is no number (change_na: a median of 0, a ratio beyond a double), though the
 * verdict may rest on the ends drawn (a fall to 0 ns is [-100%, -100%]); else
 * row->change. */
tach__ci tool_cmp_shown_ci(const tool_cmp_row *row);

typedef struct tool_comparison {
    tool_cmp_row *rows; size_t nrows;  /* BASE order, then added ones */
    size_t compared;           /* rows with a change estimate: a number, or a CI that
                                * says where a change that is no number lies */
    size_t not_estimated;      /* rows in both, judged, with no such estimate (both
                                * medians 0: n/a) */
    size_t geomean_n;          /* rows in geomean_change: those whose change is a number */
    size_t improved, regressed, unchanged, unstable, added, removed, broken, incomparable,
        untestable;
    size_t untestable_critical; /* untestable with a point change >= critical, or a rise
                                 * from a BASE median of 0 (a change that is no number) */
    size_t regressed_critical; /* regressed with critical severity */
    size_t targets_missed;     /* over all rows */
    size_t targets_not_checked; /* over all rows (tool_target_check.not_checked) */
    double geomean_change;     /* geometric mean of the median ratios - 1; NaN if none */
    char *base_fingerprint, *new_fingerprint; /* tach__env_fingerprint; NULL: not every fact (another tool's file) */
    bool machine_mismatch;     /* a machine fact both sides carry differs */
    double noise, critical, alpha; /* the options used */
    bool deterministic;        /* tool_cmp_options.deterministic */
    const char *metric;        /* tool_cmp_options.metric, or "wall" */
} tool_comparison;

/* Compares NEW (cur) against BASE.  out is filled (caller frees with
 * tool_comparison_free even on failure).  Fails only on allocation failure or
 * bad options; "no benchmark in common" is NOT an error here (compared == 0, and
 * the caller decides). */
int tool_compare(const tach__doc *base, const tach__doc *cur, const tool_cmp_options *o,
                  tool_comparison *out, char *err);
void tool_comparison_free(tool_comparison *c); /* NULL ok; zeroes it */

/* Whether a side whose runs blocked slow times each (the median of their voluntary
 * context switches) blocked more often than one that blocked fast times: at least
 * TOOL_SLEPT_MORE more a run (docs/statistics.md, "Waiting for a CPU").  False when
 * either is NaN. */
#define TOOL_SLEPT_MORE 1.0
bool tool_slept_more(double slow, double fast);
/* A wall-time change the CPU time does not show is taken for waiting for a CPU when the
 * share of the slower side's run time with the machine's CPU stalled (median stall a
 * run / median wall a run, /proc/pressure/cpu "some") exceeds the faster side's by at
 * least TOOL_STALL_RISE times the share the added time takes of the slower side's
 * runs ((slow - fast) / slow), and by TOOL_STALL_RISE_MIN at least. */
#define TOOL_STALL_RISE 0.75
#define TOOL_STALL_RISE_MIN 0.2
/* ... or, the share that much on both sides (1 - TOOL_STALL_RISE_MIN: it cannot rise
 * by TOOL_STALL_RISE_MIN any more, the machine's CPU was saturated), when the slower
 * side's wall - CPU time a run grew by at least TOOL_STALL_RISE times the added wall
 * time: waiting for a CPU cannot then be told from a longer sleep, and the row is
 * unstable, not regressed. */
#define TOOL_STALL_SATURATED (1.0 - TOOL_STALL_RISE_MIN)

/* Why a row is unstable because its slower side waited for a CPU (waited_for_cpu), as
 * one phrase for tables: "NEW waited for a CPU (wall +145%, CPU time +1%, CPU
 * pressure 21.3 ms a run against 0.2)"; "NEW waited for a CPU or slept longer (wall
 * +33%, CPU time -0.8%, CPU saturated: CPU pressure 99.3 ms a run against 72.2)" when
 * both sides' stalled share is TOOL_STALL_SATURATED or more.  NULL (buf untouched)
 * when the row did not. */
const char *tool_cmp_waited_text(const tool_cmp_row *r, char *buf, size_t size);
/* Whether a row that waited_for_cpu is said to have "waited for a CPU or slept longer"
 * (both sides saturated), as tool_cmp_waited_text says it. */
bool tool_cmp_waited_saturated(const tool_cmp_row *r);
/* Whether a not_significant row's CI lies wholly beyond the noise band; false for a
 * soak's that only reaches past it. */
bool tool_cmp_ci_beyond(const tool_cmp_row *r);

/* Whether a row is incomparable because its runs offered different loads: other rates
 * (base_rate), or a load run's other clients, think time, threads, mix or model
 * (load_differs). */
bool tool_cmp_loads_differ(const tool_cmp_row *r);
/* Why a row is incomparable because its runs offered different loads, as one phrase for
 * tables: "offered at 1000 against 20000 msgs/s" (requests/s for a load run), "different
 * clients: 8 against 64", "different think time: 0 s against 0.01 s", "different
 * threads: 2 against 8", "different mix:
 * get 70%, put 30% against get 50%, put 50%", "different model: open against closed".
 * Settings too long for buf (a mix of many operations) are cut, each side to its share
 * of buf, between characters and ending with "…"; JSON's "why" has them whole.  NULL
 * (buf untouched) when it is not. */
const char *tool_cmp_rates_text(const tool_cmp_row *r, char *buf, size_t size);
/* What fixes such a row, to follow that phrase: "give --rate to fix it" for a bus row
 * (whose default rate moves every run), "load both at one --rate" for a load run, "load
 * both with one --clients" (--think, --threads, one mix of operations, one model) for
 * the others. */
const char *tool_cmp_rates_advice(const tool_cmp_row *r);

/* The run-to-run noise of a benchmark from the medians of its n past runs, oldest
 * first (runs of the same benchmark on the same machine): the robust standard
 * deviation of the log ratios between consecutive runs around 0 (1.4826 times their
 * median absolute value), as a fraction.
 * NaN when fewer than 5 runs have a median > 0 (fewer than 4 ratios). */
double tool_run_noise(const double *medians, size_t n);

/* The median of r's samples as the comparison takes it when r is one side of a
 * comparison by rounds: with 3 rounds or more, those slowed far beyond the others set
 * aside first (tool_rounds_trim_slow, at the noise threshold noise); else the median
 * of all its samples.  What a benchmark's history should be made of, so that its
 * run-to-run noise is that of the statistic compared.  NaN without samples or memory. */
double tool_result_compared_median(const tach__result *r, double noise);

/* Benchmarks in both documents (by full name), whatever their status. */
size_t tool_compare_common(const tach__doc *base, const tach__doc *cur);

/* Checks r's declared targets (its own fields, overridden by matching rules)
 * against its summary; r is a result of d (may be NULL: r alone), whose run may have
 * counted instructions (tool_doc_counted_instructions: time targets not checked).
 * *out is allocated (caller frees with tach__free); returns the number of targets
 * missed, or -1 on allocation failure. */
int tool_check_targets(const tach__doc *d, const tach__result *r, const tool_rule *rules,
                       size_t nrules, tool_target_check **out, size_t *nout);

/* The targets of families and sweeps (fit_targets.c): the asserted complexity class
 * ("complexity_o1_growth": the O(1) equivalence test, limit the noise threshold,
 * actual the growth's upper CI bound; "complexity_exponent": limit the exponent
 * bound, actual the exponent's upper CI bound), the fitted class against BASE's
 * ("complexity_class": limit and actual are TACH_O_* numbers; only added, missed,
 * when the class grew),
 * "min_efficiency" at the largest thread count and "max_alpha" (the USL's), each
 * from the results' own declarations overridden by matching rules.  The checks go to
 * the row of the family's largest size (the sweep's largest N).  base may be NULL.
 * tool_compare calls it; -1 when out of memory. */
int tool_fit_targets(const tach__doc *base, const tach__doc *cur, const tool_cmp_options *o,
                     tool_comparison *c);
/* The same checks, each with the result of cur it belongs to, without a comparison (the
 * reports and certify of one run; base may be NULL).  *out allocated (tach__free). */
typedef struct tool_fit_check {
    const tach__result *result;
    tool_target_check check;
} tool_fit_check;
int tool_fit_checks(const tach__doc *base, const tach__doc *cur, const tool_rule *rules,
                    size_t nrules, tool_fit_check **out, size_t *nout);

/* What fails a gate: a regressed benchmark (severity >= min_severity, which is
 * TOOL_WARNING normally, TOOL_CRITICAL for `--fail-on critical`), a broken
 * benchmark, or a missed target. */
bool tool_comparison_fails(const tool_comparison *c, tool_severity min_severity);
/* What else fails a gate unless the user allows it (`--allow-untestable`): an
 * untestable benchmark whose point change is a slowdown of at least its critical
 * threshold.  Returns how many there are. */
size_t tool_comparison_untestable_fails(const tool_comparison *c);
/* Whether row r is one of those: untestable, its point change at least its critical
 * threshold or a rise from a BASE median of 0. */
bool tool_cmp_row_untestable_fails(const tool_cmp_row *r);

/* The comparison as JSON (numbers undefined are null):
 * { "metric", "unit" (of the medians: "ns", "instructions", "cycles", "allocs", "KiB"), "deterministic", "noise", "critical", "alpha", "geomean_change", "machine_mismatch",
 *   "base_fingerprint", "new_fingerprint",
 *   "summary": { "compared", "improved", ..., "untestable" },
 *   "benchmarks": [ { "name", "verdict", "severity", "base_median",
 *       "new_median" (in "unit"), "base_median_ns", "new_median_ns" (the same when the unit
 *       is ns, else null), "change", "change_ci_low", "change_ci_high", "p", "q",
 *       "base_cv", "new_cv", "noise", "critical", "base_rounds", "new_rounds",
 *       "by_rounds", "rounds_disagree", "rounds_range", "run_noise", "runs_differ",
 *       "too_few", "not_significant", "why" (a "not testable" row's reason with its
 *       sample counts - one sample on a side, or too few -, a not significant row's
 *       with its CI and q, an incomparable one's, else null),
 *       "beyond_rounds", "base_rounds_slow", "new_rounds_slow", "base_rounds_slowed",
 *       "new_rounds_slowed", "slowed_side" ("base", "new" or null), "fast_change",
 *       "base_cpu_ns", "new_cpu_ns", "cpu_change", "base_preempt", "new_preempt",
 *       "base_voluntary", "new_voluntary", "base_stall_ns", "new_stall_ns", "waited_for_cpu",
 *       "targets": [ { "name", "limit", "actual", "met" (null when not checked),
 *       "not_checked" (why, or null) } ] } ]; "summary" counts "targets_missed" and
 *       "targets_not_checked" }
 * Returns NULL on allocation failure. */
json_t *tool_comparison_to_json(const tool_comparison *c);

/* ---- paired A/B analysis (tach ab) ----------------------------------------- */

/* Hodges-Lehmann estimate of the centre of d (the median of the n(n+1)/2 Walsh
 * averages (d_i + d_j)/2, i <= j) with its distribution-free confidence interval
 * from the Wilcoxon signed-rank statistic at level 1 - alpha (two-sided): with
 * m = n(n+1)/2 and k = floor(m/2 - z_{1-alpha/2} * sqrt(n(n+1)(2n+1)/24)), the CI is
 * [W_(k), W_(m-k+1)] of the sorted Walsh averages (1-based; the normal
 * approximation of the critical value, slightly conservative for small n).  When
 * k < 1 the CI is (-inf, +inf).  n == 0 gives NaN.  Returns -1 only on allocation
 * failure.  O(n^2) memory: meant for n up to a few thousand. */
int tool_hodges_lehmann(const double *d, size_t n, double alpha, tach__ci *out);

typedef enum tool_ab_verdict {
    TOOL_AB_UNDECIDED = 0,
    TOOL_AB_REGRESSED,     /* NEW slower beyond +noise, significantly */
    TOOL_AB_IMPROVED,      /* NEW faster beyond -noise, significantly */
    TOOL_AB_SAME           /* the whole CI inside +-noise: no difference */
} tool_ab_verdict;
/* "undecided", "regressed", "improved", "no difference". */
const char *tool_ab_verdict_name(tool_ab_verdict v);

/* The looks of a sequential A/B test: at n = first, then each time n has grown by
 * growth (ceil(n * growth)), up to max_pairs, which is always the last planned look.
 * Returns the number of planned looks (>= 1) and, when looks is not NULL, writes
 * them (at most cap).  A test spending alpha / (looks + 1) at each look (one extra
 * for a final look when time runs out) keeps the chance of any false verdict over
 * all looks below alpha (Bonferroni). */
size_t tool_ab_plan(size_t first, size_t max_pairs, double growth, size_t *looks, size_t cap);

/* One look: the per-pair log ratios d_i = log(t_NEW / t_OLD) of n pairs, the alpha
 * spent at this look and the noise threshold (fraction).  ci receives the change
 * exp(HL) - 1 with its CI (fractions; (-inf, +inf) when n is too small).  Decides regressed when the CI's low end is
 * above +noise, improved when its high end is below -noise, no difference when it
 * lies inside [-noise, +noise], else undecided. */
int tool_ab_look(const double *d, size_t n, double alpha_look, double noise, tach__ci *ci,
                  tool_ab_verdict *verdict);

/* ---- latency percentiles (pct_compare.c) -------------------------------------- */

/* A percentile to judge, and its noise threshold (a fraction; NaN: the row's). */
typedef struct tool_pct_ask { double p, noise; } tool_pct_ask;

/* The change of one latency percentile of one benchmark whose results carry per-call
 * histograms on both sides (tach__result.latency). */
typedef struct tool_pct_change {
    const char *name;          /* borrowed from the comparison's row */
    double p;                  /* e.g. 99 */
    double base_ns, new_ns;    /* the percentile on each side (HdrHistogram's value) */
    tach__ci change;           /* new/base - 1 with its 95% bootstrap CI (fractions) */
    double noise;              /* the threshold that applied */
    int64_t base_samples, new_samples; /* calls above the percentile on each side */
    bool thin;                 /* a side rests on fewer than 10 calls: not judged */
    tool_verdict verdict;      /* regressed / improved / unchanged, untestable, or
                                * unstable (a CI neither beyond nor inside the noise
                                * band, or the row's own verdict is unstable) */
    tool_severity severity;    /* of the point change against noise and critical */
    const char *why;           /* why untestable or unstable (static text), else NULL */
    double pvalue;             /* bootstrap p of a change beyond the band: 2 Phi(-z),
                                * z = (resamples' median - nearer threshold) over the
                                * scale that side's CI end gives (below 0.05 exactly
                                * when the CI lies beyond the band); 1 when the median
                                * is inside the band; NaN unjudged */
    double q;                  /* Benjamini-Hochberg of pvalue across the percentiles of
                                * tool_compare_percentiles; NaN unjudged */
} tool_pct_change;

/* Judges percentile p between two latency blocks: the change of HdrHistogram's value
 * at p, its CI by a bootstrap over the calls reconstructed from the histograms (each
 * resample's k-th smallest call drawn exactly through a Beta(k, n-k+1) quantile), and
 * a verdict: regressed when the whole CI lies above +noise, improved below -noise,
 * unchanged when it lies inside [-noise, +noise], else unstable (the calls cannot
 * tell); untestable when a side's tail rests on fewer than 10 calls (thin), its
 * calls were too short to time, or it has none.  Deterministic for a seed.  Returns
 * -1 only when out of memory. */
int tool_percentile_change(const struct tach__latency *base, const struct tach__latency *cur,
                           double p, double noise, double critical, size_t resamples,
                           uint64_t seed, tool_pct_change *out, char *err);
/* Every asked percentile of every row of c with latency on both sides, in row order;
 * every judged (regressed, improved or unchanged) percentile of a row whose median
 * verdict is unstable is unstable too (the bootstrap over calls sees one run's luck
 * only), and a regressed or improved one whose q across all of them is not below
 * c->alpha is unstable (as a median's change must be significant too).  *out is
 * allocated (tach__free).  Returns -1 only when out of memory. */
int tool_compare_percentiles(const tool_comparison *c, const tool_pct_ask *ask, size_t nask,
                             size_t resamples, uint64_t seed, tool_pct_change **out, size_t *n,
                             char *err);
/* How many of them fail a gate: regressed with severity >= min_severity. */
size_t tool_percentiles_fail(const tool_pct_change *pc, size_t n, tool_severity min_severity);
/* As a JSON array of { "name", "p", "base_ns", "new_ns", "change", "change_ci_low",
 * "change_ci_high", "noise", "base_samples", "new_samples", "thin", "q", "verdict",
 * "severity", "why" (when untestable or unstable) }. */
json_t *tool_percentiles_to_json(const tool_pct_change *pc, size_t n);

#endif /* TACH_COMPARE_H */
