/*
 * metric.h - which number a judging command compares (tool_ prefix): `compare`,
 * `gate`, `ab`, `history`, the reports and the site take --metric NAME.
 *
 * A document may hold several metrics per benchmark: wall time (its samples),
 * CPU time and peak RSS (a command's runs), instruction counts and estimated
 * cycles (instruction mode, docs/instructions.md), heap allocations (the memory
 * block, docs/memory.md).  tool_metric_project turns a document into one whose
 * samples are the chosen metric's values, so that the judging code, which reads
 * samples, never compares one metric with another.
 */
#ifndef TACH_METRIC_H
#define TACH_METRIC_H

#include <stdbool.h>
#include <stddef.h>

#include "tach_internal.h"

typedef enum tool_metric {
    TOOL_METRIC_WALL = 0,     /* ns per iteration (or per run) */
    TOOL_METRIC_CPU,          /* user + system ns per run (commands) */
    TOOL_METRIC_INSTRUCTIONS, /* instructions per iteration, under callgrind */
    TOOL_METRIC_CYCLES_EST,   /* estimated cycles per iteration (--cache-sim) */
    TOOL_METRIC_ALLOCS,       /* heap allocations per iteration (--memory) */
    TOOL_METRIC_PEAK_RSS,     /* peak resident set, KiB (commands' runs; a benchmark's worker) */
    TOOL_NMETRICS
} tool_metric;

/* "wall", "cpu", "instructions", "cycles-est", "allocs", "peak-rss"; NULL-terminated. */
extern const char *const tool_metric_names[];
const char *tool_metric_name(tool_metric m);
/* 0 and *out, or -1 when name is none of tool_metric_names. */
int tool_metric_parse(const char *name, tool_metric *out);
/* The unit of a value, for tables: "ns", "ns", "instructions", "cycles", "allocs", "KiB". */
const char *tool_metric_unit(tool_metric m);
/* True for the metrics that are the same number run after run for one binary
 * (instructions, cycles-est, allocs): one value per side decides, no CI is needed. */
bool tool_metric_deterministic(tool_metric m);
/* The default noise threshold of a deterministic metric (compare, gate, ab): 0.1%,
 * where wall time's is 2% (docs/instructions.md). */
#define TOOL_METRIC_COUNT_NOISE 0.001
/* A value of the metric as a table shows it: a time for wall and cpu
 * (tach__fmt_time), else the number and the unit ("1003 instructions"). */
const char *tool_metric_fmt(tool_metric m, double v, char *buf, size_t size);

/* Whether any result of d carries metric m (a value the projection can take).  A
 * command's peak RSS at or below tach's own (tach__result_rss_bound_only) is none. */
bool tool_doc_has_metric(const tach__doc *d, tool_metric m);
/* Why d lacks metric m, for a message: "it was measured in instruction mode", the
 * peaks that were tach's own, why its heap could not be counted (a result's
 * memory.unavailable, owned by d), or "it was not recorded with them". */
const char *tool_metric_lack_reason(const tach__doc *d, tool_metric m);
/* Why r's count of metric m FAILED (its counting process crashed or errored: a
 * memory.unavailable starting "memory counting failed"), or NULL: r has the count, or
 * lacks it by design (ASan, a static executable, the deadline: "memory counting
 * unavailable ...", docs/memory.md), or m is not allocs.  A count that failed fails
 * tach gate as a failed benchmark does; one impossible by design is incomparable.  The
 * text is owned by r. */
const char *tool_metric_count_failed(const tach__result *r, tool_metric m);
/* The metric d was recorded in: instructions when its results were measured in
 * instruction mode, else wall. */
tool_metric tool_doc_recorded_metric(const tach__doc *d);
/* Whether d's run counted instructions (--metric instructions): a result of it (or of
 * the document it was projected from) was counted, or its context.settings.metric is
 * "instructions" -- a benchmark that failed under Valgrind counted nothing and timed
 * nothing either, so its time targets are not checked, like the counted ones'. */
bool tool_doc_counted_instructions(const tach__doc *d);
/* The metric to judge two documents by when none is asked: what both were recorded
 * in.  Returns 0, or -1 with err saying what each side holds when they differ. */
int tool_metric_default(const tach__doc *base, const tach__doc *cur, tool_metric *out,
                        char *err);

/* The value of metric m for result r of document d: the median of its values (one value
 * for instructions, cycles-est and allocs); NaN when r does not carry it. */
double tool_metric_value(const tach__doc *d, const tach__result *r, tool_metric m);
/* How many values that median is of: the runs' for a command's peak-rss and cpu, the
 * samples' for wall, 1 for a count or a benchmark binary's one peak RSS, 0 when r has
 * none. */
size_t tool_metric_nvalues(const tach__doc *d, const tach__result *r, tool_metric m);

/* A new document (caller frees) with d's context, each result's name, group,
 * function, command, parameters, status and message, its memory block, CPU counters
 * and user counters (they do not depend on the metric), every declared target (the
 * time targets too: --metric chooses what is compared, not which targets hold), and as
 * samples the values of metric m: for wall d's own samples (and rounds); for cpu the
 * runs' user + system time; for instructions and cycles-est one value per
 * benchmark (its iteration count as iters); for allocs the memory block's
 * allocations per iteration; for peak-rss the runs' max_rss_kib or the memory
 * block's peak RSS (in KiB).  A result without the metric keeps no samples.
 * Summaries are recomputed (resamples, seed).  The new document and each of its results
 * point to what they were made from (tach__doc.origin, tach__result.origin: d's, or d's
 * own origin when d is a projection), against which the targets are checked (targets.c,
 * fit_targets.c): d must outlive the new document.  NULL on allocation failure. */
tach__doc *tool_metric_project(const tach__doc *d, tool_metric m, size_t resamples,
                               uint64_t seed, char *err);

/* Whether two runs of one reference suite (context.suite.name) measured different
 * inputs, so that their rows are other benchmarks under the same names, not a change.
 * A compression run's samples are the time of one pass over its whole input: runs of
 * other data (its bytes' SHA-256: not the path's spelling; the input's name for a run
 * recorded before it), of another size or in other blocks.  A storage run's jobs read and
 * write a test file whose size decides how much of it the page cache holds: runs on files
 * of other sizes (file_size: a --quick run's 16 MiB against a full run's 256 MiB, or a
 * default size adapted to the free space).  false when the same, when not runs of one
 * suite, or for a suite that records no input (crypto, bus).  why (may be NULL) gets the
 * first setting that differs: "compression input \"file a.txt\", 200000 bytes (sha256
 * 0123456789ab...) against ...", "compression block_bytes 65536 against 1048576",
 * "different file size: 16 MiB against 1 GiB". */
bool tool_suite_inputs_differ(const tach__doc *a, const tach__doc *b, char *why, size_t size);
/* Why two such runs are not compared and what to do, for a's suite, one phrase to follow
 * their why: "a compression row's time is one pass over the whole input, so their times
 * are not comparable; compare runs of the same input (--data, ...) and --block". */
const char *tool_suite_inputs_advice(const tach__doc *a);

/* Whether a bus suite's open-loop row (.../latency), or any row of a `tach load` run of
 * the open model, was offered at different rates in two runs: latencies at 1000 and at
 * 20000 msgs/s are two experiments, not a change (the bus's default rate is half the
 * closed-loop rate each run measured, so it moves every run).  A bus row's rate is its
 * counter "rate", else its load block's rate_target; a load run's is its "overall"
 * result's rate_target (the mean over the measured window of a --ramp), for each of its
 * results (of the result a projection was made from).  The closed model offers no rate:
 * its rows are never incomparable here.  Rates within TOOL_SUITE_RATE_TOLERANCE of the
 * larger are the same: one --rate given twice is equal, and 1% more load moves a latency
 * less than the noise threshold does.  true with *ra and *rb set (and *requests: the
 * rates are a load run's requests/s, not a bus's msgs/s) when both are bus runs or load
 * results and both rows carry a rate that differ beyond it; false otherwise (each out
 * pointer may be NULL). */
#define TOOL_SUITE_RATE_TOLERANCE 0.01
bool tool_suite_rates_differ(const tach__doc *da, const tach__result *a, const tach__doc *db,
                             const tach__result *b, double *ra, double *rb, bool *requests);

/* Whether two results of `tach load` runs were loaded otherwise than by their rate, so
 * that their latencies are two experiments, not a change (as tool_suite_rates_differ's
 * rates are): one run of the open model and one of the closed ("model"); two with other
 * clients ("clients": model.clients, the closed model's clients or the open model's most
 * requests in flight against URLs); two of the closed model with other think times
 * ("think time": model.think_s); two of a benchmark binary (model.target "in-process")
 * on other threads ("threads": model.threads, the operations' callers; against URLs the
 * threads are the generator's event loops, not compared); or two runs of one model with
 * other mixes of operations ("mix": the operations and their share_target, each of every
 * result of the run, the overall one's too).  Two mixes whose weights give the same
 * shares (70/20/10 and 7/2/1) are one mix.  A result of a projection is taken from its
 * origin, as for the rates.  Returns the first that differs, as a static word ("model",
 * "clients", "think time", "threads", "mix"), with each side's setting, whole, in a new
 * string in *base and *cur ("8", "64"; "get 70%, put 30%", however many operations:
 * the caller frees them; NULL when out of memory; base and cur may be NULL); NULL when
 * neither run is a load run, a setting is not recorded on a side (a document of an older
 * tach: no mix, no open model's clients), or they are alike (*base, *cur NULL). */
const char *tool_load_settings_differ(const tach__doc *da, const tach__result *a,
                                      const tach__doc *db, const tach__result *b, char **base,
                                      char **cur);

#endif /* TACH_METRIC_H */
