/*
 * soak.h - the verdicts of a soak run over its per-interval series
 * (src/judge/soak_stats.c).  The tool's (tool_ prefix): pure functions, no I/O.
 *
 *   latency drift     change points (changepoint.c) in the per-interval p99;
 *   throughput drift  the same on the per-interval throughput;
 *   memory growth     Mann-Kendall on the per-window minima after a warm-up (minima
 *                     ride under a sawtooth, and a window's minimum is far less
 *                     autocorrelated than the raw series), Sen's slope with its CI in
 *                     KB per hour; heap growth (a leak) told from RSS-only growth
 *                     (fragmentation, allocator retention); each process's stretch on
 *                     its own when a --resume started the target again;
 *   summary           failing (operations failed: a command's non-zero exits, a
 *                     benchmark's or a load's errors), leaking (heap grows, or RSS when
 *                     the heap is not known), drifting (a drift, or RSS-only growth),
 *                     "not tested" when no verdict could be made (too few intervals),
 *                     else stable.
 * See docs/soak.md.
 */
#ifndef TACH_SOAK_H
#define TACH_SOAK_H

#include <stdbool.h>
#include <stddef.h>

#include "tach_internal.h"

/* Mann-Kendall trend test: S, its variance (tie-corrected), Z (continuity-corrected)
 * and the one-sided p-value of an increasing trend.  n < 3 gives NaN z and p. */
typedef struct tool_mk { double s, var, z, p_up; size_t n; } tool_mk;
void tool_mann_kendall(const double *x, size_t n, tool_mk *out);

/* Sen's slope of x over t (the median of the pairwise slopes) with its distribution-
 * free CI at level 0.95 from the Mann-Kendall variance (Gilbert 1987, 6.5).  NaN when
 * n < 3.  Returns -1 only when out of memory. */
int tool_sen_slope(const double *t, const double *x, size_t n, tach__ci *out);

/* Memory growth of one series (bytes at times t_s, seconds). */
typedef struct tool_growth {
    bool tested;             /* enough points after the warm-up (>= 8 windows) */
    size_t windows;          /* how many windows the minima came from */
    double warmup_s;         /* the time skipped */
    tool_mk mk;              /* on the window minima */
    tach__ci slope_kb_h;     /* Sen's slope of the minima, KB (1000 bytes) per hour */
    bool growing;            /* p_up < 0.01 and the slope's CI above 0 */
} tool_growth;
/* warmup_frac of the span (0.1 when <= 0) is skipped; the rest is cut into up to 20
 * windows of at least 3 points.  NaN values are skipped.  -1 only when out of memory. */
int tool_soak_growth(const double *t_s, const double *bytes, size_t n, double warmup_frac,
                     tool_growth *out);
/* The same over the stretches of the processes that gave the figures: a process started
 * again at each of starts[0..nstarts) (interval indices, ascending; a --resume that
 * restarted the target) starts a new stretch.  The warm-up (warmup_frac of the whole
 * span) is skipped at the start of each; the windows are shared out among them in
 * proportion to their points and never cross from one to the next; Mann-Kendall's S
 * and variance are summed over the stretches (Hirsch and Slack's seasonal Kendall
 * test) and Sen's slope is the median of the slopes within them.  A memory figure that
 * starts low again in a new process is then neither growth nor the end of a leak.
 * nstarts 0: tool_soak_growth. */
int tool_soak_growth_runs(const double *t_s, const double *bytes, size_t n, const size_t *starts,
                          size_t nstarts, double warmup_frac, tool_growth *out);

/* A level shift of one series. */
typedef struct tool_drift {
    bool tested;             /* at least 12 finite points */
    bool drifted;            /* a change point with |change| >= min_change */
    size_t at;               /* the interval where the new level starts */
    double before, after, change; /* levels and after/before - 1 */
    double p;
} tool_drift;
/* Change points (alpha 0.001, segments of at least max(3, n/20) points); the largest
 * |change| of at least min_change is reported.  NaN values are skipped (at counts the
 * finite points). */
void tool_soak_drift(const double *x, size_t n, double min_change, tool_drift *out);

typedef enum tool_soak_summary {
    TOOL_SOAK_STABLE = 0,
    TOOL_SOAK_DRIFTING,
    TOOL_SOAK_LEAKING,
    TOOL_SOAK_NOT_TESTED,    /* no verdict tested: too few intervals (inconclusive) */
    TOOL_SOAK_FAILING        /* operations failed (errors in the intervals) */
} tool_soak_summary;
/* The fewest finite intervals any verdict is made on (a drift's 12 points). */
#define TOOL_SOAK_MIN_INTERVALS 12
/* "stable", "drifting", "leaking", "not tested", "failing". */
const char *tool_soak_summary_name(tool_soak_summary s);

/* The series of a soak, one value per interval (NaN when not measured). */
typedef struct tool_soak_series {
    size_t n;
    const double *t_s;       /* end of each interval, seconds since the start */
    const double *ops_per_s, *p99_ns, *rss_bytes, *heap_bytes;
    const double *ops, *errors; /* operations and failed ones per interval (NULL: none) */
    const size_t *restarts;  /* the intervals where the target's process started again */
    size_t nrestarts;        /* (tool_soak_growth_runs; 0: one process throughout) */
} tool_soak_series;

typedef struct tool_soak_verdict {
    tool_drift latency, throughput;
    tool_growth rss, heap;
    bool heap_known;
    tool_soak_summary summary;
    char reason[256];        /* the evidence in one sentence */
} tool_soak_verdict;
/* min_change: the drift threshold (0.10 when <= 0).  -1 only when out of memory. */
int tool_soak_judge(const tool_soak_series *s, double min_change, tool_soak_verdict *out);
/* The verdict as JSON ({ "summary", "reason", "latency_drift": {...},
 * "throughput_drift": {...}, "rss_growth": {...}, "heap_growth": {...} }). */
json_t *tool_soak_verdict_json(const tool_soak_verdict *v);

/* ---- the series file of a soak (src/judge/soak_log.c) ----------------------------
 *
 * JSON Lines, appended and synced at every interval, so a crash or kill -9 keeps all
 * intervals done (a torn last line is ignored):
 *   {"format": "tach-soak", "version": 1, "target": {...}, "duration_s", "interval_s",
 *    "started", "min_hours", "max_growth_kb_per_hour"}        the header
 *   {"interval", "t", "length", "ops", "ops_per_s", "errors", "p50_ns", "p99_ns",
 *    "max_ns", "rss_bytes", "heap_bytes", "fds", "threads"}    one per interval
 *    (a benchmark's thread sweep adds "ops_threads": N, the threads whose operations
 *    "ops" counts together)
 *   {"resumed_at": t}                                          where --resume went on
 *   {"load_run": {"exit", "invalid", "invalid_reason", "slo_verdicts"}}  a load soak's
 *                                                              load run, when it ended
 *   {"recorded_run": id, "store": name}                        recorded in a store
 *   {"end": true, "elapsed_s", "verdict": {...}}               when it ended
 * (docs/soak.md). */
typedef struct tool_soak_log {
    json_t *header;          /* owned */
    size_t n;
    double *t, *ops, *ops_per_s, *errors, *p50, *p99, *max, *rss, *heap, *fds, *threads;
    double *ops_threads;     /* a thread sweep's N, that ops counts all of (NaN: one) */
    size_t resumes;
    size_t *restarts, nrestarts; /* the first interval after each resume that started the
                              * target's process again: a benchmark binary, or a load run
                              * of one (a URL's server watched by --pid goes on, and a
                              * command's runs are each a process anyway) */
    int64_t recorded_run;    /* the newest {"recorded_run": ID, "store": S} line's run (0: none) */
    char *recorded_store;    /* ... and its store's name (owned; NULL: none) */
    bool grown_since_recorded; /* an interval or the end line after that line: its run is
                              * not the soak the file holds now */
    json_t *load_runs;       /* the "load_run" objects, in order (owned; NULL: none) */
    bool ended;              /* the end line is there: not partial */
    bool torn;               /* the last line was cut (a kill during a write) */
    size_t whole_len;        /* the bytes up to the end of the last whole line kept: where
                              * --resume cuts a torn line off before it appends */
    double duration_s, interval_s, min_hours, max_growth_kb_h;
} tool_soak_log;
/* Reads a series file.  0, or -1 with err naming the file and line. */
int tool_soak_log_read(const char *path, tool_soak_log *out, char *err);
/* Reads the file only when it is a soak series (its first line says "tach-soak"):
 * 1 read, 0 not a soak file (nothing read), -1 a soak file that cannot be read. */
int tool_soak_log_try(const char *path, tool_soak_log *out, char *err);
void tool_soak_log_free(tool_soak_log *l); /* NULL ok; zeroes it */
/* Whether a load soak's load runs (tool_soak_log.load_runs, or the report's
 * "load"."runs"; NULL: none) failed their checks (a run that exited 1: invalid, an
 * objective missed or unknown, an operation failed); why gets the reason in one
 * sentence ("" when none failed). */
bool tool_soak_load_failed(const json_t *runs, char *why, size_t n);
/* The series as tool_soak_judge reads it (pointers into l). */
tool_soak_series tool_soak_log_series(const tool_soak_log *l);

/* The soak's targets: soak_min_hours (elapsed at least this) and max_growth_kb_per_hour
 * (the growth slope's upper CI bound, heap when known else RSS, at most this). */
typedef struct tool_soak_targets {
    bool has_min_hours, min_hours_met;
    double elapsed_h;
    bool has_max_growth, max_growth_met;
    double growth_hi_kb_h;
} tool_soak_targets;
void tool_soak_check_targets(const tool_soak_log *l, const tool_soak_verdict *v,
                             tool_soak_targets *out);
/* The soak a series file holds, judged (tool_soak_judge at min_change 0) and, when tg
 * is not NULL, its targets checked.  0, or -1 when out of memory. */
int tool_soak_log_judge(const tool_soak_log *l, tool_soak_verdict *v, tool_soak_targets *tg);

/* A copy of a series file's "target" as tach shows and keeps it (the report, the name
 * in the store): its "argv" words redacted as a command line's (tach__redact_arg, each
 * after the raw one before), its "text" (tach__redact) and "binary" so too.  The
 * series file keeps them as given, for --resume.  NULL for NULL or out of memory. */
json_t *tool_soak_target_shown(const json_t *target);

/* The whole soak as JSON: { "format": "tach-soak-report", "partial", "target" (shown:
 * tool_soak_target_shown),
 * "intervals", "elapsed_s", "verdict", "targets", "series": { "t": [...], ... } }. */
json_t *tool_soak_report_json(const tool_soak_log *l, const tool_soak_verdict *v,
                              const tool_soak_targets *tg);

#endif /* TACH_SOAK_H */
