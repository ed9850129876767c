/* Internal: log-linear latency histograms (HdrHistogram's design) and their
 * interval log (.hlog, format 1.2).  Values are integers in the caller's unit
 * (nanoseconds throughout tach).  Memory is allocated once by tach__hist_new;
 * recording never allocates.  Implemented in hist.c (histogram, V2 encoding) and
 * hlog.c (interval log reader/writer). */
#ifndef TACH_HIST_H
#define TACH_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct tach__hist tach__hist;

/* A histogram for values in [lowest, highest] kept to sigfigs significant digits
 * (1..5; tach uses 1 ns .. 1 hour at 3).  NULL on bad arguments or no memory. */
tach__hist *tach__hist_new(int64_t lowest, int64_t highest, int sigfigs);
/* The default latency histogram: 1 ns .. 3,600 s, 3 digits. */
tach__hist *tach__hist_new_default(void);
void tach__hist_free(tach__hist *h);
void tach__hist_reset(tach__hist *h);

/* Records value (count times).  Returns false, recording nothing, when the value is
 * outside the histogram's range (the caller counts those). */
bool tach__hist_record(tach__hist *h, int64_t value);
bool tach__hist_record_n(tach__hist *h, int64_t value, int64_t count);

/* Adds every value of src into dst (exact when their layouts are equal; otherwise
 * each bucket is re-recorded at its value).  Returns the number of values of src
 * dst could not hold (0 when all fit). */
int64_t tach__hist_merge(tach__hist *dst, const tach__hist *src);

int64_t tach__hist_count(const tach__hist *h);
int64_t tach__hist_min(const tach__hist *h);     /* 0 when empty */
int64_t tach__hist_max(const tach__hist *h);     /* highest equivalent value; 0 when empty */
double tach__hist_mean(const tach__hist *h);
double tach__hist_stddev(const tach__hist *h);
/* The value at percentile p (0 < p <= 100), HdrHistogram's definition (the highest
 * equivalent value of the bucket holding the ceil(p/100 * count)-th value). */
int64_t tach__hist_value_at(const tach__hist *h, double p);
/* A 95% confidence interval for percentile p by order statistics (binomial normal
 * approximation on the rank: ranks floor(np - 1.96 sqrt(np(1-p))) and
 * ceil(np + 1.96 sqrt(np(1-p))) + 1), and the number of values ranked above the
 * percentile's rank, count - ceil(p/100 * count) (the samples the tail rests on: 2 for
 * p99.9 of 2,000 values; 1 for p = 100).  A side whose rank falls outside 1..count
 * is the sample's min or max only where that bounds it with the 97.5% one side needs
 * (1 - q^n for the max, by the exact binomial); else *lo is 0 (values are never below
 * it) and *hi is -1 (unbounded above). */
void tach__hist_percentile_ci(const tach__hist *h, double p, int64_t *lo, int64_t *hi,
                              int64_t *tail_count);
/* The highest value equivalent to v (the top of its bucket): what a percentile that
 * falls in v's bucket reads as. */
int64_t tach__hist_highest_equivalent(const tach__hist *h, int64_t v);
/* Whether two values fall in the same bucket (for tests of the promised error). */
bool tach__hist_equivalent(const tach__hist *h, int64_t a, int64_t b);
size_t tach__hist_memory_size(const tach__hist *h);
int tach__hist_sigfigs(const tach__hist *h);
int64_t tach__hist_lowest(const tach__hist *h);
int64_t tach__hist_highest(const tach__hist *h);

/* Iteration over non-empty buckets: *i starts at 0; returns false at the end. */
bool tach__hist_next_bucket(const tach__hist *h, size_t *i, int64_t *value, int64_t *count);

/* The V2 compressed encoding (zlib-wrapped) as base64, as HdrHistogram writes in
 * .hlog files; malloc'd NUL-terminated string or NULL with *err set (malloc'd). */
char *tach__hist_encode_b64(const tach__hist *h, char **err);
/* Decodes a base64 V2 (compressed or not) histogram; NULL with *err set. */
tach__hist *tach__hist_decode_b64(const char *b64, char **err);

/* ---- .hlog interval logs (format version 1.2) ---------------------------- */

typedef struct tach__hlog_interval {
    double start_s;   /* start, seconds since the log's start time */
    double length_s;  /* interval length, seconds */
    char *tag;        /* NULL when untagged */
    tach__hist *hist; /* owned */
} tach__hlog_interval;

typedef struct tach__hlog {
    double start_time_s; /* #[StartTime: ...] seconds since the epoch (0 if absent) */
    double base_time_s;  /* #[BaseTime: ...] (0 if absent) */
    tach__hlog_interval *iv;
    size_t n, cap;
} tach__hlog;

/* Writes the header lines (version 1.2, StartTime, the legend). */
int tach__hlog_write_header(FILE *f, double start_time_s, const char *comment);
/* Writes one interval line: [Tag=TAG,]start,length,max(ms, 3 decimals),base64.  The
 * max column is in milliseconds when values are ns (unit_ratio 1e6), as the Java
 * log writer does with its max-value-unit-ratio.  Returns 0 or -1 (errno set). */
int tach__hlog_write_interval(FILE *f, const char *tag, double start_s, double length_s,
                              const tach__hist *h, double unit_ratio);
/* Reads a whole log; 0, or -1 with *err set naming the line. */
int tach__hlog_read(FILE *f, tach__hlog *out, char **err);
void tach__hlog_free(tach__hlog *log);

#endif /* TACH_HIST_H */
