/*
 * suite.h - the reference suites of `tach suite` (the tool's core, tool_ prefix):
 * compression, encryption and hashing, storage I/O and message buses, each measured
 * with tach's own sampling and statistics into a results document, so the store,
 * compare, gate, history and the reports work on suites unchanged.
 *
 * A suite adds one tach__result per measurement, named SUITE/WHAT/.../SIDE
 * ("compression/zstd/3/compress"), with raw samples (per-iteration nanoseconds), its
 * bytes per iteration (so every report shows MB/s), and counters for what is not a
 * time (ratio, memory, IOPS, percentiles).  What a suite could not measure (a library
 * absent, a kernel refusing io_uring) is a note in the document's context, never a
 * silent gap.  Functions return 0 or -1 with a message in err (TACH__ERR_MAX bytes);
 * nothing here prints or exits.
 */
#ifndef TOOL_SUITE_H
#define TOOL_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tach_internal.h"

/* How long each measurement samples. */
typedef struct tool_suite_budget {
    double time_s;        /* sampling time per measurement (after one warm-up call) */
    double sample_s;      /* the time one sample aims at (iterations are batched up to it) */
    size_t min_samples;   /* at least this many, even past time_s */
    size_t max_samples;   /* at most this many: more time merges samples (tool_suite_measure) */
} tool_suite_budget;

/* The budget of a full run, and of --quick (a smoke run: fewer, shorter samples). */
void tool_suite_budget_default(tool_suite_budget *b, bool quick);

/* One iteration of a measurement: returns 0, or -1 with a message in err (the
 * measurement then fails with that message). */
typedef int (*tool_suite_fn)(void *arg, char *err);

/* Measures fn(arg): one warm-up call, then samples of a batch of calls each, until
 * b->time_s has passed and b->min_samples were taken, or the run is interrupted; at
 * b->max_samples with time left, pairs of samples merge (the batch doubles), so the
 * samples stay at most b->max_samples and still cover b->time_s.  Appends a result named name to doc (group = the name up to its last
 * '/'), its samples in ns per call, bytes_per_iter = bytes, summarised with tach's
 * bootstrap (seed).  A failing call leaves a result with status failed and its message
 * (no samples).  Returns 0 with *out the result (valid until the next tach__doc_add); 1
 * when interrupted before its first sample: nothing appended (a row of no samples is not
 * a measurement), *out NULL; -1 when memory ran out. */
int tool_suite_measure(tach__doc *doc, const char *name, tool_suite_fn fn, void *arg, double bytes,
                       const tool_suite_budget *b, uint64_t seed, tach__result **out);

/* A count taken over a measurement's measured calls alone (a CPU's cycle counter):
 * read(ctx) just after the warm-up call and just after the last sample's, so the warm-up
 * call, the bootstrap and the row's bookkeeping are outside it (read around
 * tool_suite_measure, a 64-byte row's cycles per byte counted its 10 000 resamples too;
 * read before the warm-up, a first call's cold caches were counted as measured). */
typedef struct tool_suite_count {
    uint64_t (*read)(void *ctx);
    void *ctx;
    uint64_t counted; /* out: the second read less the first (0 if it went back) */
    double calls;     /* out: the calls between the reads (every sample's, not the warm-up) */
} tool_suite_count;

/* tool_suite_measure, with c (not NULL) filled as it says. */
int tool_suite_measure_counted(tach__doc *doc, const char *name, tool_suite_fn fn, void *arg, double bytes,
                               const tool_suite_budget *b, uint64_t seed, tool_suite_count *c,
                               tach__result **out);

/* Appends a result named name with the given per-iteration samples (ns), summarised:
 * for measurements that time themselves (an I/O, a message).  NULL when out of memory. */
tach__result *tool_suite_add_samples(tach__doc *doc, const char *name, const double *ns,
                                     size_t n, double bytes, uint64_t seed);

/* Appends a failed result named name with message msg (the row fails loudly, the
 * others are kept).  NULL when out of memory. */
tach__result *tool_suite_add_failed(tach__doc *doc, const char *name, const char *msg);

/* Adds a note ("zstd: not built (libzstd absent)") to the context's suite.notes. */
void tool_suite_note(tach__doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The context's "suite" object (created on first use). */
json_t *tool_suite_ctx(tach__doc *doc);

/* A list option's words ("zstd,lz4" -> {"zstd","lz4"}): *out malloc'd array of
 * malloc'd strings; free with tool_suite_words_free.  -1 with err for an empty item or
 * a word given twice ("'zstd' is given twice"). */
int tool_suite_words(const char *s, char ***out, size_t *n, char *err);
void tool_suite_words_free(char **w, size_t n);
/* A list of integers and ranges: "1,3,5-9". *out malloc'd.  -1 when s is not such a
 * list; -2 when a value is given twice ("1,1", "1-3,2"), bad_value[0] (when bad_value
 * is not NULL) that value; -3 when a range is reversed ("9-1"), bad_value its ends; -4
 * when a value is a whole number beyond -1000..1000 ("1001", "1-99999999999999999999"),
 * bad_value its offset in s and its length. */
int tool_suite_parse_ints(const char *s, int **out, size_t *n, int bad_value[2]);

/* The median throughput of r in bytes per second (NaN without a summary). */
double tool_suite_rate(const tach__result *r);
/* The 95% CI of that throughput (lo, hi: from the median's CI). */
void tool_suite_rate_ci(const tach__result *r, double *lo, double *hi);
/* Sets the counters NAME_ci_low and NAME_ci_high: the 95% CI of value, a rate measured
 * over a whole job (its units over its time, as fio's bw or a bus's messages a second),
 * from r's samples (each: iterations and ns per iteration) resampled 1000 times, each
 * resample's iterations over its time scaled so that the samples' own ratio gives value.
 * None with fewer than 2 samples.  Not the median sample's rate: bursts among stalls
 * put that far from the job's. */
void tool_suite_set_rate_ci(tach__result *r, const char *name, double value, uint64_t seed);
/* A figure v and its 95% CI [lo, hi], each divided by scale and printed with digits
 * decimals, or as many as give a v under 10 three significant digits ("0.00215 ±0.00012",
 * not "0.0 ±0.0"): "v ±h" where the interval is about symmetric around v (its longer side at
 * most 1.5 times its shorter), else "v [lo, hi]", so a lopsided interval is not read as
 * ±; just "v" without an interval.  percent: h as a percentage of v ("v ±h%", one decimal
 * under 10%). */
void tool_suite_ci_cell(char *buf, size_t size, double v, double lo, double hi, double scale, int digits,
                        bool percent);

/* A rate in msgs/s as given: whole from 100 up, else three significant digits (--rate
 * 1.5 is "1.5", not "2").  Returns buf. */
const char *tool_suite_rate_text(char *buf, size_t size, double v);

/* Interruption: tool_suite_interrupt() (async-signal-safe: the tool's SIGINT/SIGTERM
 * handler calls it) asks every loop of every suite to stop at its next step; the suites then
 * clean up (files removed, brokers stopped) and mark the document partial. */
void tool_suite_interrupt(void);
bool tool_suite_interrupted(void);

/* A test hook read from $TACH_SUITE_TEST, comma-separated: "corrupt-codec" (the hidden
 * codec), "enospc-after=BYTES" (storage writes fail with ENOSPC past BYTES),
 * "free-bytes=BYTES" (the free space storage sees), "broker-kill-after=N" (the started
 * broker is killed after N messages), "sigint-after-samples=N" (SIGINT raised once N
 * samples of tool_suite_measure were taken).  The value after '=' ("" for a bare word), else
 * NULL. */
const char *tool_suite_test_hook(const char *key);

#endif /* TOOL_SUITE_H */
