/*
 * tach_internal.h - the library core's internal interfaces (tach__ prefix).
 *
 * Shared by the library (src/), the tool (cli/), the store (src/store/) and the
 * renderers (src/report/).  Not installed; not part of the ABI: the tool links the
 * static archive, which holds these symbols; the shared library hides them.
 *
 * Conventions:
 *   - Functions that can fail return 0 on success and -1 on failure, writing a
 *     human-readable message into a caller's buffer `char *err` of TACH__ERR_MAX
 *     bytes (which may be NULL).  They never print and never exit.
 *   - Every _new / _load has a matching _free that accepts NULL.
 *   - Times are nanoseconds (double) unless a name says otherwise.
 *
 * (About 630 lines: one header for the core's small shared pieces -- buffers, secrets,
 * files, JSON, options, statistics -- so that every layer includes the one contract; a
 * module with more to say has a header of its own.)
 */
#ifndef TACH_INTERNAL_H
#define TACH_INTERNAL_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tach.h"

#define TACH__ERR_MAX 512

/* printf into err (NULL-safe); always returns -1 so callers can `return tach__err(...)`. */
int tach__err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* tach__err into an err of size bytes: for a caller whose err holds more than
 * TACH__ERR_MAX, to say a value as long as a path whole (tool_storage_plan's --dir). */
int tach__err_in(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* tach__err for a message naming one value that can be long (a path, a list): pre, then
 * value, then the rest printf'd from fmt -- tach__err_named(err, "cannot open ", path,
 * ": %s", strerror(errno)).  Said whole when it fits in TACH__ERR_NAMED_MAX bytes; else
 * value's middle gives way (tach__elide), so that the end of value (a file's name) and the
 * rest (the reason) are said, where tach__err cut the message in the middle of value.  The
 * bytes of TACH__ERR_MAX past TACH__ERR_NAMED_MAX are a caller's who puts the message in
 * one of its own ("--export-json: ...", cut at 400 bytes).  Returns -1. */
#define TACH__ERR_NAMED_MAX 400
int tach__err_named(char *err, const char *pre, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* s when it is at most max bytes (NULL: ""), else its start and its end joined by "..."
 * (U+2026) in at most max bytes of buf (size bytes, more than 16): about a third of them its start, up
 * to a '/' where one is near ("/first/part.../last/part"), the rest its end, from a '/'
 * where one is near, so that a path keeps its file's name; never cut inside a UTF-8
 * character.  max is at least 16 (less is taken as 16). */
const char *tach__elide(const char *s, size_t max, char *buf, size_t size);

/* Allocation that never returns NULL for a non-zero size is NOT provided: callers
 * check.  These wrap malloc so tests could inject failure later. */
void *tach__malloc(size_t n);
void *tach__calloc(size_t n, size_t size);
void *tach__realloc(void *p, size_t n);
char *tach__strdup(const char *s); /* NULL -> NULL */
void tach__free(void *p);

/* The one way arrays grow.  The capacity an array of cap elements of elem bytes
 * needs to hold need elements: cap itself when it does, else cap doubled (from
 * min_cap when cap is 0) until need fits.  Returns -1 when that many elements of elem
 * bytes would not fit in a size_t. */
int tach__grow_cap(size_t cap, size_t need, size_t min_cap, size_t elem, size_t *out);
/* Makes the array *p (of *cap elements of elem bytes) hold at least need elements,
 * with the capacity tach__grow_cap gives.  On failure (no memory, or a size that
 * overflows size_t) returns -1 and leaves *p and *cap as they were.  *p may be NULL
 * with *cap 0.  Parallel arrays sharing one capacity grow each from a copy of it. */
int tach__grow(void **p, size_t *cap, size_t need, size_t elem, size_t min_cap);
/* tach__grow for a typed pointer: TACH__GROW(&arr, &cap, n + 1, 64). */
#define TACH__GROW(pp, capp, need, min_cap) \
    tach__grow((void **)(pp), (capp), (need), sizeof **(pp), (min_cap))

/* A growable NUL-terminated string (src/core/util.c).  Zero-initialise; on allocation
 * failure it sets oom and ignores later writes; take the text with tach__buf_take
 * (NULL after oom) or free it with tach__buf_free. */
typedef struct tach__buf { char *p; size_t len, cap; bool oom; } tach__buf;
void tach__buf_put(tach__buf *b, const char *s, size_t n);
void tach__buf_puts(tach__buf *b, const char *s);
void tach__buf_printf(tach__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tach__buf_vprintf(tach__buf *b, const char *fmt, va_list ap);
char *tach__buf_take(tach__buf *b); /* caller frees; "" when nothing was written */
void tach__buf_free(tach__buf *b); /* frees the text, zeroes b (oom cleared) */

/* A copy of s (caller frees; NULL for NULL or out of memory) with every password
 * tach__password_next finds in it (word: s is text, a URL in it ends at a blank)
 * replaced by "***": a URL's user:PASSWORD@ and a password=VALUE key (libpq's keyword
 * form, quoted or not, and a URL's ?password= parameter).  Where a URL stands in s does
 * not matter: "postgresql://u:pw@h: error near a@b" is read as the URL, then text.  The
 * one redaction used for everything tach shows or keeps: messages, reports and
 * certificates, and the words of command lines in documents (tach__redact_arg). */
char *tach__redact(const char *s);
/* tach__redact for a string that is one URL (a --store spec, tach push's URL, a link):
 * its blanks are its own (tach__password_next, not word), so "?password=a b" is hidden
 * whole. */
char *tach__redact_url(const char *url);
/* tach__redact for one word of a command line (an argv element kept in a document or
 * shown from one), prev the word before it (NULL for the first, or a word alone): the
 * word after a password option given alone ("--password", tach__password_next's list)
 * is its value, shown "***" whole, unless it is empty or starts (after blanks) with '-'
 * (psql's --password is a flag: "--password -h h"); "--password=VALUE" is one word,
 * the word after it not a password.  A word that is a URL
 * ("postgresql://u@h/db?password=a b"), or the value of an --opt=URL word, is one URL,
 * redacted whole by tach__redact_url (its blanks are its password's: tach__redact would
 * show "password=*** b"); any other word is text (a shell command given as one word may
 * hold several URLs and keys), tach__redact.  Every loop over a command line's words
 * passes each its raw predecessor. */
char *tach__redact_arg(const char *prev, const char *arg);
/* The next password in s at or after from (s's start, for a key that starts s): its
 * start, its length in *len; NULL when there is none.  A URL's user:PASSWORD@
 * (tach__url_userinfo, with word), or the VALUE of a password key (any case) that starts
 * s or follows a blank, '?', '&', ';', ',' or a quote.  A URL parameter's (after '?' or
 * '&', "password=VALUE") runs to the next '&' or '#' (its ';' is the password's), and to
 * a blank when word.  Any other is libpq's keyword form ("password = VALUE", blanks
 * around the '=' optional), read as libpq reads it: a quoted 'VALUE' (\' and \\
 * escaped) with its quotes, else to a blank, a backslash taking the next byte into it
 * (its ';', '&' and '#' are the password's; after a quote, a shell's, it ends at that
 * quote too).  A VALUE opened by a shell's '"' runs to its matching '"' (\" escaped).
 * A shell's words are keys too, no blanks around their '=': PGPASSWORD=VALUE, and a
 * password option (--password, the one list, tach__redact_arg's too) as
 * --password=VALUE ('quoted' to its quote, nothing escaped) or --password VALUE when
 * VALUE starts with no '-' (psql's --password flag takes none); never a short option
 * (psql's -p is its port).  The one reading of where a password is in a string: what
 * tach__redact hides, and what the PostgreSQL store hides in libpq's messages about
 * its URL. */
const char *tach__password_next(const char *s, const char *from, bool word, size_t *len);
/* The user[:password]@ of the URL authority at auth (just after "://"), as libpq reads
 * it: to the last '@' before the first '/' or the string's end (a raw '?' or '#' before
 * that '@' is the password's: "u:p#w@h"); when word (a URL in text, which may go on
 * after it: "postgresql://u:pw@h: error near a@b"), also to a blank (space, tab, CR,
 * LF) -- unless it is a password's: before it the authority has no '@' yet and a ':'
 * (after a bracketed IPv6 host) followed by no digit, a user:PASSWORD with a raw blank
 * (libpq takes one), not HOST: or HOST:PORT; or a ':' and digits (and blanks) only,
 * followed after the blank by a run (to a blank, '/' or ':') holding an '@', maybe
 * after more runs of digits ("u:12 34@h": a password; "h:5432 u@x" hidden so too).  A
 * quote does not end the authority: RFC 3986 allows a ' in a password and libpq takes
 * a ", and the rest of the password would be shown.  Returns its length with its '@',
 * the authority's last one (an unescaped '@' in a password is the password's), so the
 * host starts there; 0 when there is no '@'.  *password (when not NULL) becomes the
 * password's start, after the first ':' (NULL: no password), and *pwlen (when not
 * NULL) its length.  The one reading of user:PASSWORD@host: tach__redact's, the
 * PostgreSQL store's, the tool's and the bus suite's --url. */
size_t tach__url_userinfo(const char *auth, bool word, const char **password, size_t *pwlen);
/* Makes s (in place, same length) safe to print on a terminal: every C0 and C1 control
 * (ESC, CR, the 8-bit CSI U+009B, and newline and tab unless keep_lines) becomes a
 * space, and a byte that does not start valid UTF-8 becomes '?'.  For names, messages
 * and text from outside (a gateway's answer) before they are shown. */
void tach__terminal_safe(char *s, bool keep_lines);

/* ---- clock (src/core/clock.c) ------------------------------------------------ */

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t tach__now_ns(void);
/* The timer's resolution (smallest observed non-zero step, ns) and the cost of one
 * read (ns), measured.  Cached after the first call. */
void tach__clock_info(double *resolution_ns, double *cost_ns);

/* ---- deterministic random numbers (src/core/rng.c) -------------------------- */

typedef struct tach__rng { uint64_t s[4]; } tach__rng; /* xoshiro256** */
void tach__rng_seed(tach__rng *r, uint64_t seed);       /* via splitmix64 */
uint64_t tach__rng_next(tach__rng *r);
/* Uniform integer in [0, bound) without modulo bias; bound >= 1. */
uint64_t tach__rng_below(tach__rng *r, uint64_t bound);
/* Uniform double in [0, 1). */
double tach__rng_double(tach__rng *r);
/* 64-bit FNV-1a of a string, to derive per-benchmark seeds from names. */
uint64_t tach__hash_str(const char *s);

/* ---- statistics (src/core/stats.c): pure functions, no I/O ------------------- */

/* All take arrays of doubles and do not modify them unless said.  n == 0 gives NaN
 * (or 0 for counts) rather than crashing. */
double tach__mean(const double *x, size_t n);
double tach__stddev(const double *x, size_t n);     /* sample standard deviation (n-1); NaN for n < 2 */
void tach__sort(double *x, size_t n);               /* ascending, in place */
/* Quantile of SORTED data, p in [0,1]: linear interpolation between order
 * statistics (Hyndman & Fan type 7; R's default, numpy's "linear"). */
double tach__quantile_sorted(const double *sorted, size_t n, double p);
double tach__median(const double *x, size_t n);     /* copies, sorts the copy */
/* Median absolute deviation from the median, unscaled (R: mad(x, constant = 1)). */
double tach__mad(const double *x, size_t n);

typedef struct tach__ci { double value, lo, hi; } tach__ci; /* estimate and 95% CI */

/* Percentile bootstrap CI (level e.g. 0.95) of the mean / the median, with
 * `resamples` resamples from a xoshiro stream seeded with seed.  Deterministic for
 * the same input, seed and resamples.  Fewer than two values (or a NaN among them)
 * give the estimate with lo = hi = NaN: one value has no interval.  Returns -1 only on
 * allocation failure. */
int tach__bootstrap_mean(const double *x, size_t n, size_t resamples, double level,
                         uint64_t seed, tach__ci *out);
int tach__bootstrap_median(const double *x, size_t n, size_t resamples, double level,
                           uint64_t seed, tach__ci *out);
/* Distribution-free CI of the median from order statistics (binomial, normal
 * approximation): cheap enough to run after every sample.  x need not be sorted.
 * When the ranks' exact coverage is below level (fewer than 6 values at 95%: the
 * whole range) there is no interval: lo = hi = NaN, the estimate still given. */
int tach__median_ci_fast(const double *x, size_t n, double level, tach__ci *out);

/* Tukey fences on the quartiles: mild beyond 1.5 IQR, severe beyond 3 IQR. */
typedef struct tach__outliers {
    size_t low_severe, low_mild, high_mild, high_severe;
    double q1, q3;
} tach__outliers;
void tach__tukey(const double *x, size_t n, tach__outliers *out);

/* Everything reported for one benchmark's per-iteration times. */
typedef struct tach__summary {
    size_t n;
    tach__ci mean, median;          /* bootstrap 95% CIs */
    double stddev, mad, cv;         /* cv = stddev / mean */
    double min, max;
    double p1, p5, p10, p25, p50, p75, p90, p95, p99, p999;
    tach__outliers outliers;
} tach__summary;
/* Fills out from x (n >= 1).  resamples >= 1 (the runner uses 10,000).  n == 0 gives
 * NaN everywhere; -1 only when memory runs out. */
int tach__summarize(const double *x, size_t n, size_t resamples, uint64_t seed,
                    tach__summary *out);

/* Mann-Whitney U test, two-sided, normal approximation with tie correction and
 * continuity correction (scipy.stats.mannwhitneyu(x, y, method="asymptotic")).
 * u is U for x.  p is NaN when either sample is empty or all values tie. */
int tach__mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                       double *u, double *p);
/* The smallest p tach__mann_whitney can give for samples of nx and ny values (no ties,
 * the two samples apart): below it no difference is significant, however large.
 * 2 and 2 values: 0.245; 3 and 3: 0.081; 4 and 4: 0.030.  NaN when either is 0. */
double tach__mann_whitney_min_p(size_t nx, size_t ny);
/* Welch's two-sample t-test, two-sided.  p is NaN when undefined. */
int tach__welch_t(const double *x, size_t nx, const double *y, size_t ny, double *t,
                  double *df, double *p);
/* Benjamini-Hochberg adjusted p-values (q-values), in input order; NaN stays NaN
 * and is not counted in m.  p_adj may alias p.  All NaN if memory runs out. */
void tach__benjamini_hochberg(const double *p, size_t m, double *p_adj);
/* Bootstrap CI of median(y)/median(x) - 1 (the relative change of NEW y against
 * BASE x), resampling each independently. */
int tach__bootstrap_ratio(const double *x, size_t nx, const double *y, size_t ny,
                          size_t resamples, double level, uint64_t seed, tach__ci *out);
/* Standard normal CDF and its inverse; Student t CDF (df > 0). */
double tach__norm_cdf(double z);
double tach__norm_quantile(double p);
double tach__t_cdf(double t, double df);
/* Geometric mean of positive values (ratios); NaN if any is <= 0 or n == 0. */
double tach__geomean(const double *x, size_t n);

/* ---- the results document model (src/core/doc.c; JSON doc_json.c; files file.c) */

/* The largest integer every JSON reader holds exactly (2^53, a double's): a parameter
 * value beyond it is written as a string, and tach run's scans stop there. */
#define TACH__EXACT_INT_MAX 9007199254740992LL
#define TACH__DOC_FORMAT "tach-results"
#define TACH__DOC_VERSION 1

typedef enum tach__status {
    TACH__OK = 0,
    TACH__SKIPPED,
    TACH__FAILED,
    TACH__CRASHED,
    TACH__TIMEOUT
} tach__status;
const char *tach__status_name(tach__status s);           /* "ok", "skipped", ... */
int tach__status_parse(const char *name, tach__status *out); /* 0 or -1 */

typedef struct tach__param { char *name, *value; } tach__param;
typedef struct tach__counter { char *name; double value; } tach__counter;

/* An instruction-mode measurement (--metric instructions; docs/instructions.md):
 * counts per iteration under Valgrind's callgrind, deterministic for one binary.
 * For a benchmark, the difference of two samples (N and 2N iterations) over N, the
 * empty loop's own count subtracted; for a command, the whole process per run. */
typedef struct tach__instr {
    double instructions;     /* Ir per iteration */
    double loop_overhead;    /* Ir per iteration of an empty tach_loop, subtracted above */
    uint64_t iterations;     /* N, the iterations the difference rests on (1 for commands) */
    bool cache_sim;          /* --cache-sim: the fields below are defined */
    double data_reads, data_writes; /* Dr, Dw per iteration */
    double l1_misses;        /* I1mr + D1mr + D1mw per iteration */
    double ll_misses;        /* ILmr + DLmr + DLmw: the accesses that reach RAM */
    double cycles_est;       /* L1 hits + 5 x LL hits + 35 x RAM accesses (iai's model) */
} tach__instr;
/* Heap accounting of a benchmark's measured region (docs/memory.md): what the memory
 * pass counted, per iteration.  All zero (measured false, unavailable NULL) when memory
 * was not asked for.  A number that could not be measured is NaN. */
typedef struct tach__memory {
    bool measured;             /* the counting pass ran and counted */
    double allocs_per_iter;    /* malloc, calloc, realloc, the aligned allocators */
    double bytes_per_iter;     /* bytes asked for by those calls */
    double peak_bytes;         /* most live heap bytes the region held above its start */
    double net_growth_per_iter; /* bytes allocated and not freed (negative: freed more) */
    double peak_rss_bytes;     /* the worker's peak resident set before the pass */
    double iterations;         /* iterations the counting pass ran (over its samples) */
    bool leak;                 /* the heap grew in every sample of the pass */
    char *method;              /* how it was counted ("interpose"), or NULL */
    char *unavailable;         /* why it could not be counted (ASan...), or NULL */
} tach__memory;

/* One CPU counter of a result (docs/counters.md): per iteration for a benchmark (the
 * harness's own count subtracted), per run for a command; task-clock in ns. */
typedef struct tach__hwcount {
    char *name;                /* perf's name: "cycles", "task-clock", "page-faults" */
    double per_iter;
    bool scaled;               /* the kernel multiplexed it: scaled by enabled/running */
} tach__hwcount;
/* A counter asked for that the machine did not give, and why (never reported as 0). */
typedef struct tach__hwabsent { char *name, *why; } tach__hwabsent;

/* One benchmark's (or one command's) result. */
typedef struct tach__result {
    char *name;              /* full name: group/function/p1=v1/p2=v2, or the command */
    char *group;             /* may be NULL */
    char *function;          /* the TACH_BENCH name, or NULL for commands */
    char *command;           /* the command line for `tach run`, else NULL */
    bool named;              /* name given by the user (tach run -n), not made from command */
    tach__param *params; size_t nparams;
    tach__status status;
    char *message;           /* why failed/skipped/crashed, else NULL */
    int signal;              /* the signal for crashed, else 0 */

    /* Raw samples: sample i ran iters[i] iterations, ns[i] is its per-iteration time. */
    size_t nsamples;
    double *sample_ns;
    uint64_t *sample_iters;
    /* The round (worker process) sample i came from, 0-based, in the order the rounds
     * ran; NULL when every sample came from one round.  Samples of one process share
     * its luck, so the rounds are what Google Benchmark calls repetitions. */
    size_t *sample_round;
    /* For commands (one run per sample): per-run user/system time, peak RSS, exit
     * code (or -signal).  NULL for benchmark binaries. */
    double *user_ns, *sys_ns;
    double *max_rss_kib;
    int *exit_codes;
    double *minor_faults, *major_faults, *vol_ctxsw, *invol_ctxsw;
    /* ... and the machine's CPU pressure stall during each run (the time at least one
     * runnable task waited for a CPU, /proc/pressure/cpu "some"); NULL without PSI. */
    double *cpu_stall_ns;

    tach__summary summary;   /* valid when nsamples >= 1 */
    bool has_summary;

    double bytes_per_iter, items_per_iter;   /* 0 when not set */
    tach__counter *counters; size_t ncounters;

    double precision_target; /* e.g. 0.01 */
    double precision_achieved; /* half-width of the median's CI / median */
    bool precision_reached;
    bool unstable;           /* cv > 0.05 */

    /* Declared targets (0 = none), copied from the definition or config. */
    double max_mean_ns, max_median_ns, max_p99_ns, min_bytes_per_sec, min_items_per_sec,
        max_regression_pct;

    /* Instruction mode: has_instr when the result was measured under callgrind (its
     * samples are then empty: nothing compares instructions with nanoseconds). */
    bool has_instr;
    tach__instr instr;
    /* Heap accounting (--memory, .memory) and its targets (0 = none); max_rss_bytes
     * bounds memory.peak_rss_bytes, or for a command its runs' max_rss_kib. */
    tach__memory memory;
    double max_allocs_per_iter, max_bytes_per_iter, max_peak_bytes, max_rss_bytes;
    /* CPU counters (--counters): those measured, and those asked for but absent. */
    tach__hwcount *hw; size_t nhw;
    tach__hwabsent *hw_absent; size_t nhw_absent;
    /* A load run's facts for this operation or "overall" (model, target and achieved
     * rate, late/dropped counts, histograms, errors, the interval series, invalid,
     * partial: docs/load.md), as the JSON object "load"; owned; NULL otherwise. */
    json_t *load;
    /* Latency objectives declared with the benchmark (tach_bench_def.slo, the --slo
     * syntax: "p99<100us max<1ms"), checked against the latency block by the gate
     * (src/judge/targets.c); JSON targets.slo; owned; NULL when none. */
    char *slo;
    /* Per-call latency (src/core/latency.h: the histogram of every call and its
     * percentiles), or NULL when the calls were not timed one by one.  Owned. */
    struct tach__latency *latency;
    /* Asserted complexity class over the family's size axis (TACH_O_*, 0 = none) and the
     * thread-scaling targets (0 = none), from the definition or config. */
    int complexity;
    double min_efficiency, max_alpha;
    /* A result of a document projected onto another metric (the tool's --metric): the
     * result it was made from, whose measurements its targets are checked against
     * (borrowed from that document, which outlives this one); NULL otherwise. */
    const struct tach__result *origin;
} tach__result;

typedef struct tach__doc {
    json_t *context;         /* object: environment, timer, tool, settings (owned) */
    tach__result *results; size_t nresults;
    bool partial;            /* interrupted before the end */
    /* A projected document's source, results one for one with these (borrowed, as
     * tach__result.origin); NULL otherwise. */
    const struct tach__doc *origin;
} tach__doc;

tach__doc *tach__doc_new(void);           /* empty document, context = {} */
void tach__doc_free(tach__doc *d);         /* NULL ok */
/* Appends a zeroed result and returns it (NULL on allocation failure).  d->results
 * may move: pointers to earlier results are invalid after the call. */
tach__result *tach__doc_add(tach__doc *d);
void tach__result_clear(tach__result *r);  /* frees r's members, zeroes it */
/* Frees r's samples (times, iterations, rounds) and leaves it with none. */
void tach__result_drop_samples(tach__result *r);
/* Names r by base (its command, or its name) and its parameters, "BASE [n=1, m=x]", as
 * a command run at several parameter values is named; sets r->name to it (the old name
 * freed; base may be it).  Returns 0, or -1 out of memory (r unchanged). */
int tach__result_name_by_params(tach__result *r, const char *base);
/* What hyperfine's tables and JSON call a command's "command": its name when the user gave
 * one (tach run -n NAME: r->named), else the command line (without the " [n=1]" or " #2"
 * tach adds to keep names unique, or tach bench's "MODULE/").  The name for a result that
 * is no command; never NULL. */
const char *tach__result_command_shown(const tach__result *r);
/* Sets every estimate of s to NaN (undefined) and every count to 0. */
void tach__summary_undefined(tach__summary *s);
/* Recomputes summary, unstable and derived fields of r from its samples: the
 * summary (10,000 bootstrap resamples seeded with seed), has_summary (false for 0
 * samples), unstable (cv > 0.05), precision_achieved (half-width of the bootstrap
 * median CI / median) and precision_reached (achieved <= precision_target > 0).
 * Fails, with has_summary false, on a NaN or infinite sample. */
int tach__result_finish(tach__result *r, uint64_t seed, char *err);
/* The same with a chosen number of bootstrap resamples (tach__result_finish uses
 * 10,000); resamples < 1 counts as 1. */
int tach__result_finish_resamples(tach__result *r, uint64_t seed, size_t resamples, char *err);
int tach__result_set_param(tach__result *r, const char *name, const char *value);
int tach__result_set_counter(tach__result *r, const char *name, double value);
/* The value of r's counter name; NaN when r has none of that name. */
double tach__result_counter(const tach__result *r, const char *name);
/* Appends src's raw samples (ns and iters; iters 1 where src has none) to dst's: the
 * same benchmark measured again in another round or process.  src's samples are
 * marked as the round(s) after dst's last (sample_round).  Returns -1 on
 * allocation failure, dst unchanged. */
int tach__result_append_samples(tach__result *dst, const tach__result *src);

/* The memory block and the CPU counters of a result (src/core/doc_resources.c). */
void tach__memory_clear(tach__memory *m);      /* frees the strings, zeroes m */
/* Sets r's counter name (replacing one of that name); -1 on allocation failure. */
int tach__result_set_hw(tach__result *r, const char *name, double per_iter, bool scaled);
/* Records that counter name is absent, and why; -1 on allocation failure. */
int tach__result_set_hw_absent(tach__result *r, const char *name, const char *why);
/* r's counter called name, or NULL. */
const tach__hwcount *tach__result_hw(const tach__result *r, const char *name);
/* Derived ratios of r's counters: IPC (instructions / cycles), branch-miss rate
 * (branch-misses / branches), cache-miss rate (cache-misses / cache-references);
 * NaN when a counter they need is absent or zero. */
double tach__hw_ipc(const tach__result *r);
double tach__hw_branch_miss_rate(const tach__result *r);
double tach__hw_cache_miss_rate(const tach__result *r);
/* r's peak RSS in bytes: memory.peak_rss_bytes for a benchmark, else the largest of a
 * command's runs' max_rss_kib; NaN when neither was measured. */
double tach__result_peak_rss(const tach__result *r);
/* tach's own peak RSS in KiB when it ran d's commands (context settings
 * spawner_max_rss_kib; 0 when d does not say).  A child started by tach shares tach's
 * memory until its exec, and Linux counts that memory in the child's max RSS. */
double tach__doc_spawner_rss_kib(const tach__doc *d);
/* True when r's peak RSS is only a bound: a command's runs' max RSS whose median is at or
 * below tach's own (tach__doc_spawner_rss_kib), where the command's own peak cannot be
 * told apart from tach's pages. */
bool tach__result_rss_bound_only(const tach__doc *d, const tach__result *r);
/* Frees r's counters and absences (r's other fields stay). */
void tach__result_clear_hw(tach__result *r);
/* Folds src's memory block and counters (one more round of the same benchmark) into
 * dst, which holds `rounds` earlier rounds: per-iteration counts become means
 * (memory weighted by the passes' iterations), peaks the larger, a leak only when every
 * round leaked, an absence stays.  -1 on allocation failure. */
int tach__result_merge_resources(tach__result *dst, const tach__result *src, size_t rounds);

/* A JSON path being read ("benchmarks[3].samples.ns[7]") and the buffer its errors
 * go to: the strict reader (doc_json.c) and the importers (src/format/) name the place
 * of a fault with it.  _key and _index append and return the length to pop back to;
 * _fail writes "path: what" to err and returns -1; _expected says "expected WHAT, got
 * a string" (the JSON type of got, "nothing" when NULL). */
typedef struct tach__jpath { char path[256]; char *err; } tach__jpath;
size_t tach__jpath_key(tach__jpath *p, const char *key);
size_t tach__jpath_index(tach__jpath *p, size_t i);
void tach__jpath_pop(tach__jpath *p, size_t len);
int tach__jpath_fail(tach__jpath *p, const char *what);
int tach__jpath_expected(tach__jpath *p, const char *what, const json_t *got);
/* "an object", "a string", "a number", ... for an error message; "nothing" for NULL. */
const char *tach__json_type_name(const json_t *v);

/* The results document as JSON (docs/results-format.md).  Never contains NaN or
 * Infinity: undefined numbers are written as null. */
json_t *tach__doc_to_json(const tach__doc *d);
/* A result's "memory" and "counters_hw" objects (docs/results-format.md), or NULL when
 * it has none; *ok becomes false when memory runs out.  _from_json reads both from the
 * result object o (absent: nothing read), naming the path of a fault through p. */
json_t *tach__memory_to_json(const tach__memory *m, bool *ok);
json_t *tach__hw_to_json(const tach__result *r, bool *ok);
int tach__resources_from_json(tach__jpath *p, const json_t *o, tach__result *r);
/* Reads a results document; on failure err says where (JSON path) and why. */
tach__doc *tach__doc_from_json(const json_t *j, char *err);
/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is not one (overlong
 * forms, surrogates and code points above U+10FFFF included; a NUL inside ends it). */
size_t tach__utf8_len(const unsigned char *s);
/* The character at s (not its final NUL): returns its length in bytes, or 0 when the
 * byte at s does not start valid UTF-8 (tach__utf8_len).  *control becomes the code
 * point of a control character -- C0 (U+0001..U+001F, '\n' and '\t' among them), DEL
 * (U+007F) or C1 (U+0080..U+009F, the 8-bit CSI U+009B among them) -- and 0 for any
 * other character and for a byte that is not UTF-8.  The one definition of a control
 * for text made safe for a terminal, a page or a one-line record. */
size_t tach__utf8_control(const char *s, unsigned *control);
/* Ends s before its last character when that character is cut off (a string cut at a
 * byte count, as snprintf does): s is then whole characters, never half of one. */
void tach__utf8_cut(char *s);
/* A JSON string of s; bytes that are not valid UTF-8 (a command line, a message a
 * benchmark wrote) are replaced by U+FFFD instead of failing.  NULL only when out
 * of memory. */
json_t *tach__json_string_lossy(const char *s);
/* json_object_set_new under key, with the key's invalid UTF-8 replaced the same way;
 * steals v (also on failure).  Returns 0, or -1 when v is NULL or out of memory. */
int tach__json_set_lossy(json_t *o, const char *key, json_t *v);
/* A JSON string of s for the results document's names, commands, groups, functions and
 * parameters, so that two names apart stay apart: a byte that is not UTF-8 is written as
 * U+FFFD and its two upper-case hex digits (0xff as "\ufffdFF"), valid UTF-8 (a U+FFFD
 * too) as it is, so that a name read back (the escaped text) is written unchanged; the
 * one collision left is a name "a\xff" and one "a\ufffdFF" (docs/results-format.md).
 * NULL only when out of memory. */
json_t *tach__json_string_bytes(const char *s);
/* s as tach__json_string_bytes writes it, as a new string (valid UTF-8), or NULL when
 * out of memory: the CSV's text cells and the other exports' names, so that they read
 * as the document's names.  A copy of s when s is valid UTF-8. */
char *tach__text_escaped(const char *s);
/* json_object_set_new under key written as tach__json_string_bytes writes it; steals
 * v (also on failure).  Returns 0, or -1 when v is NULL or out of memory. */
int tach__json_set_bytes(json_t *o, const char *key, json_t *v);
/* Writes JSON text to path atomically (temp file in the same directory, fsync,
 * rename): the file is whole or not there. */
int tach__write_json_file(const json_t *j, const char *path, char *err);
/* The text tach__write_json_file writes: two-space indentation, arrays of scalars
 * on one line, reals in the shortest form that reads back as the same double, a
 * final newline.  Caller frees
 * (tach__free); NULL on allocation failure. */
char *tach__json_text(const json_t *j);
/* Writes any text atomically the same way.  A FIFO, a device or a link to one
 * (/dev/stdout) is written in place instead; a symbolic link to a regular file keeps
 * being a link, and the file it names is replaced.  An existing SQLite database (a
 * history store) or .tach/config is never replaced: -1 with a message (also from
 * tach__check_writable). */
int tach__write_text_file(const char *text, size_t len, const char *path, char *err);
/* The same for tach's own configuration (tach init): it may replace .tach/config. */
int tach__write_config_file(const char *text, size_t len, const char *path, char *err);
/* Whether tach__write_text_file(path) can succeed, checked before any work is done:
 * not a directory, and a temporary file can be made where the file will be replaced
 * (it is made and removed); a FIFO or a device only needs write permission. */
int tach__check_writable(const char *path, char *err);
/* Reads a whole file; NUL-terminated; *len may be NULL.  Only a regular file is read
 * ("-" is not standard input here): a FIFO, a device (/dev/zero) or a directory is
 * refused, and so is a file larger than tach__read_limit() bytes (a file that grows
 * past it while being read too).  Returns NULL with err set. */
char *tach__read_file(const char *path, size_t *len, char *err);
/* The same, reading at most the file's first head bytes (head > 0): a file larger than
 * the input limit is read when head is within it.  *whole, when not NULL, is the file's
 * size.  Returns NULL with err set. */
char *tach__read_file_head(const char *path, size_t head, size_t *len, uint64_t *whole, char *err);
/* The most bytes tach__read_file reads: TACH__READ_LIMIT_DEFAULT (1 GiB) unless
 * tach__set_read_limit changed it (the tool's --max-input-size).  Process-wide. */
#define TACH__READ_LIMIT_DEFAULT ((uint64_t)1 << 30)
uint64_t tach__read_limit(void);
/* Sets the limit (0 puts back the default). */
void tach__set_read_limit(uint64_t bytes);
/* A size in bytes for messages: "1 GiB", "16 MiB" when it is whole GiB or MiB, else
 * "1000 bytes" ("1 byte").  Returns buf. */
const char *tach__size_text(uint64_t b, char *buf, size_t size);
/* dup2(fd, target) for a child between fork and exec (async-signal-safe): target then
 * stays open across exec.  When fd already is target (a standard stream was closed, and
 * the open of its replacement took its number) dup2 does nothing and would leave an
 * O_CLOEXEC descriptor to be closed at exec: its FD_CLOEXEC is cleared instead.
 * Returns 0, or -1 with errno set. */
int tach__dup_to(int fd, int target);
/* Flushes stdout and reports whether every write to it succeeded (ferror): a full
 * disk or a closed pipe is an error, not a truncated document.  Returns 0, or -1
 * with err set ("cannot write to standard output: ..."). */
int tach__flush_stdout(char *err);
/* Flushes stdout mid-run (before a child is started, or a long wait), keeping the
 * reason of a write that failed (ENOSPC) for tach__flush_stdout, which would otherwise
 * find only stdout's error flag and say a bare "write error". */
void tach__stdout_flush(void);
/* fputs(s, stdout), then a newline when newline, keeping the reason of a failed write as
 * tach__stdout_flush does (a text larger than stdout's buffer is written at once, and
 * fails there).  Returns 0, or EOF. */
int tach__stdout_puts(const char *s, bool newline);
tach__doc *tach__doc_load(const char *path, char *err);
int tach__doc_save(const tach__doc *d, const char *path, char *err);

/* ---- signal names (src/core/signames.c) ---------------------------------- */

/* "SIGSEGV" etc. for a signal number; NULL when the table does not know it. */
const char *tach__signal_lookup(int sig);
/* "SIGSEGV" etc. for a signal number; "SIG?" when unknown. */
const char *tach__signal_name(int sig);

/* ---- environment (src/core/env.c) --------------------------------------------- */

/* Captures host, kernel, CPU model, cores, frequency, caches, memory, governor,
 * load average, ASLR, virtualization, compiler/flags/build type of libtach, and the
 * timer's resolution and cost, as a JSON object (keys in docs/results-format.md). */
json_t *tach__env_capture(void);
/* The same, reading /proc and /sys under root (e.g. a test's crafted tree; NULL, ""
 * or "/" means the live machine).  With another root, CPUID is not consulted and
 * uname, host name, CPU count, timer and build facts still come from this process. */
json_t *tach__env_capture_at(const char *root);
/* Warnings about what hurts accuracy (debug build, busy machine, frequency scaling,
 * a VM, ASLR), as a JSON array of strings, derived from a captured context. */
json_t *tach__env_warnings(const json_t *context);
/* Whether warning w (one of tach__env_warnings') concerns timing only (a busy machine,
 * frequency scaling, a virtual machine, a coarse timer): a count (instructions under
 * callgrind) is the same under it.  An unoptimized build is not: it changes the code. */
bool tach__env_warning_timing_only(const char *w);
/* A stable fingerprint of the machine (CPU model, cores, memory, kernel, governor)
 * as a short hex string, from a context; caller frees. */
char *tach__env_fingerprint(const json_t *context);
/* How many of the fingerprint's facts context carries (0 to 5): files of other tools
 * carry some (Google Benchmark: the CPU count) or none (hyperfine). */
size_t tach__env_fingerprint_keys(const json_t *context);
/* Whether context has every fingerprint key, null or not, as tach's own capture writes
 * them (a machine without a cpufreq governor: "governor": null): its fingerprint then
 * is the one a store computed for the same machine.  Other tools' files lack keys. */
bool tach__env_fingerprint_whole(const json_t *context);
/* Whether two contexts describe one machine, judged on the fingerprint's facts that both
 * carry (a key present in both, null counting as a value): 1 all of those agree, 0 one
 * differs, -1 they share none (unknown). */
int tach__env_same_machine(const json_t *a, const json_t *b);

/* ---- text formats of a document (src/format/, registry in format.h) ---- */

/* The seed of tach_rand and of the bootstrap when none is given ("tach" then 1), so
 * reruns print the same intervals for the same samples. */
#define TACH__DEFAULT_SEED UINT64_C(0x7461636800000001)
/* A JSON real, or null when v is NaN or infinite (which JSON cannot hold). */
json_t *tach__json_num(double v);
/* A seed as documents write it: an integer up to 2^63-1, else its decimal string. */
json_t *tach__json_seed(uint64_t seed);
/* A whole number (|v| <= 2^53) as a JSON integer, else as tach__json_num: counts and
 * bytes that a writer rounding reals to a few digits would change. */
json_t *tach__json_count(double v);
/* Writes ,"key":v to f as a JSON line's member (a whole number in full, another to %.7g;
 * null when v is not finite), the number format of the soak and load series lines: 0,
 * or -1 when the write failed. */
int tach__jsonl_put_num(FILE *f, const char *key, double v);
/* How many rounds r's samples came from (1 without sample_round, 0 without samples). */
size_t tach__result_rounds(const tach__result *r);

/* Google Benchmark's JSON output format. */
json_t *tach__doc_to_gbench(const tach__doc *d);
/* CSV, one row per benchmark (header in docs/results-format.md); caller frees. */
char *tach__doc_to_csv(const tach__doc *d);
/* The console table.  color: ANSI colours; width: terminal width or 0. caller frees. */
char *tach__doc_to_table(const tach__doc *d, bool color, int width);
/* Formats a duration in ns with an auto-scaled unit ("1.23 µs"); buf >= 32 bytes. */
const char *tach__fmt_time(double ns, char *buf, size_t size);
/* ns in the unit and with the decimals tach__fmt_time gives ref_ns: one unit per line
 * ("51.6 ms ± 0.2 ms", "System: 0.00 ms"); a ref_ns of 0 gives none, and ns is formatted
 * as tach__fmt_time does; buf >= 32 bytes. */
const char *tach__fmt_time_in(double ns, double ref_ns, char *buf, size_t size);
/* A bound a user gave in seconds (--late-bound), as given: in ms as its default reads
 * ("1 ms", "0.5 ms"), from 1 s in s ("2 s", not "2000 ms"), below 1 us in ns ("1 ns",
 * not "1e-06 ms"); buf >= 32 bytes. */
const char *tach__fmt_bound(double s, char *buf, size_t size);
/* Formats a rate per second with an auto-scaled unit ("512.0 MB/s" for bytes,
 * "1.20 M/s" for items); a measured 0 is "0 B/s" / "0 /s", and only a rate that
 * was not measured (NaN, infinite or negative) is "-". */
const char *tach__fmt_rate(double per_sec, bool bytes, char *buf, size_t size);

/* ---- text for people (src/core/util.c, width.c) --------------------------------- */
/* Display width of UTF-8 text in terminal columns: wcwidth's under C.UTF-8 (uselocale,
 * thread-locally; never setlocale), so µ is one, a wide or fullwidth character (名, most
 * emoji) two, a combining or zero-width one none; a control or a byte that is not UTF-8
 * one; an emoji sequence two, as one picture (joined by ZWJ, a VS16 after a narrow
 * symbol, a skin tone).  Without C.UTF-8 on the system, code points are counted. */
size_t tach__display_width(const char *s);
/* The bytes of the longest start of s (NULL: "") that is whole characters, at most cols
 * columns (as above; a combining accent stays with its letter) and max bytes; *width
 * (when not NULL) gets its width. */
size_t tach__width_prefix(const char *s, size_t cols, size_t max, size_t *width);
/* A precision for printf's "%.*s" that keeps at most max bytes of s (NULL: "") and never
 * ends inside a UTF-8 character, as "%.Ns" can (a byte that is not UTF-8 counts as one):
 * printf("%.*s", tach__utf8_prec(s, 60), s). */
int tach__utf8_prec(const char *s, size_t max);
/* s padded with spaces to |width| display columns, into buf: right-aligned when width > 0,
 * left-aligned when width < 0 (printf's %*s counted in columns, not bytes).  s is never
 * cut (only buf's size may); returns buf. */
const char *tach__pad(const char *s, int width, char *buf, size_t size);
/* "1 sample", "2 samples", "0 samples": n and the noun, singular only for exactly 1.
 * many NULL means one + "s".  Returns buf. */
const char *tach__plural(double n, const char *one, const char *many, char *buf, size_t size);
/* Where "param=value" stands in a result's name as a whole token: after the start, a
 * separator (/ space tab , ; : [ ]) or an option's '-' ("prog --n=8"), before the end or
 * a separator; NULL when nowhere ("n=1" is not in "f/nn=1" nor in "f/n=10"). */
const char *tach__name_param(const char *name, const char *param, const char *value);
#define TACH__NAME_SEPS "/ \t,;:[]"

/* ---- static inline definitions ----------------------------------------- */
#include <time.h>
static inline uint64_t tach__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif /* TACH_INTERNAL_H */
