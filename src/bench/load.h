/*
 * load.h - the load engine's internals (tach__load_ prefix): the run's settings and
 * their option rows (load_opts.c), the seeded schedules and mixes (load_sched.c), the
 * operations registered with TACH_OP and the threads that call them (load_ops.c,
 * load_run.c), what a run measured and its results document (load_doc.c), and a
 * benchmark binary's hidden load mode (load_main.c).  The HTTP engine of the tool
 * fills the same tach__load_stats, so both kinds of target give the same document.
 * Private to the library and the tool; docs/load.md says what users see.
 */
#ifndef TACH_LOAD_H
#define TACH_LOAD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist.h"
#include "options.h"
#include "tach_internal.h"

/* The hidden first argument that puts a benchmark binary in load mode
 * (`BIN --tach-load [options] OP:WEIGHT...`); tach load passes it. */
#define TACH__LOAD_ARG "--tach-load"

/* What the load mode writes after "PROG: " when it refuses to run at all (a refused
 * registration): tach load shows the rest of that line as the reason, and takes any
 * other exit 2 of `BIN --tach-load --list` (an older libtach's "unknown option") for
 * a binary without a load mode. */
#define TACH__LOAD_REFUSED "load mode refused: "

/* ---- settings (load_opts.c) ---------------------------------------------------- */

enum { TACH__LOAD_CLOSED = 0, TACH__LOAD_OPEN = 1 };
enum { TACH__ARRIVALS_CONSTANT = 0, TACH__ARRIVALS_POISSON = 1 };

/* One stage of --ramp: hold rate (per second) for duration_s. */
typedef struct tach__load_stage {
    double rate, duration_s;
} tach__load_stage;

/* One weighted target: an operation's name (in-process) or a URL (HTTP). */
typedef struct tach__load_target {
    char *name;
    double weight;
} tach__load_target;

#define TACH__LOAD_MAX_TARGETS 64
#define TACH__LOAD_MAX_STAGES 32
/* The most intervals a run's series has (--duration / --interval): each keeps a
 * histogram per target and thread until the document or the series line is written. */
#define TACH__LOAD_MAX_INTERVALS 1000000
/* The highest rate --rate and each --ramp stage take, requests per second. */
#define TACH__LOAD_MAX_RATE 1e9
/* The lowest: one request in a million seconds, the longest --duration (a lower rate
 * sends no more in any run; 1e-320's gap, 1 / rate, was infinite and its schedule NaN). */
#define TACH__LOAD_MIN_RATE 1e-6
/* The most requests in flight (connections) of the open model against URLs when
 * --clients is not given. */
#define TACH__LOAD_OPEN_HTTP_CLIENTS 1000

typedef struct tach__load_cfg {
    int model;                 /* TACH__LOAD_CLOSED or _OPEN (set by --rate / --ramp) */
    long clients;              /* closed: concurrent clients (default: threads) */
    double think_s;            /* closed: wait after each response */
    double rate;               /* open: requests per second (a single stage) */
    int arrivals;              /* TACH__ARRIVALS_* */
    tach__load_stage stages[TACH__LOAD_MAX_STAGES];
    size_t nstages;            /* open: 1 (--rate) or the --ramp stages */
    double duration_s;         /* measured time (after the warm-up); with --ramp the
                                * stages' total unless given */
    double warmup_s;           /* sent but not recorded */
    double interval_s;         /* the time series' step */
    long threads;              /* worker threads (in-process) / event loops (HTTP) */
    uint64_t seed;
    double late_bound_s;       /* a send this much behind its slot counts as late */
    double max_late_frac;      /* more late or dropped than this fraction: invalid */
    tach__load_target targets[TACH__LOAD_MAX_TARGETS];
    size_t ntargets;
} tach__load_cfg;

/* The defaults: closed model, threads = the CPUs, 10 s measured after 1 s of warm-up,
 * 1 s intervals, late beyond 1 ms, invalid beyond 1% late or dropped. */
void tach__load_cfg_default(tach__load_cfg *c);
void tach__load_cfg_clear(tach__load_cfg *c); /* frees the targets' names */

/* Parses "NAME[:WEIGHT]" (the weight a positive finite number, default 1) and appends
 * it; a URL keeps its own colons (only a last ":NUMBER" after the host part is a
 * weight).  -1 with a message naming the argument. */
int tach__load_add_target(tach__load_cfg *c, const char *arg, bool url, char *err);
/* Parses --ramp "RATE:DURATION,RATE:DURATION,..." into c's stages (model open). */
int tach__load_parse_ramp(tach__load_cfg *c, const char *s, char *err);
/* The checks every entry point makes after parsing: a rate above 0, a duration at
 * least the warm-up, clients and threads at least 1, at most TACH__LOAD_MAX_INTERVALS
 * intervals.  -1 with a message naming the
 * flag ("--duration: 1s is shorter than --warmup 2s"). */
int tach__load_cfg_check(const tach__load_cfg *c, char *err);

/* After parsing (the rows below): --rate and --ramp are not both given; with --ramp
 * and no --duration, the measured time is the stages' total less the warm-up; then
 * tach__load_cfg_check. */
int tach__load_cfg_finish(tach__load_cfg *c, bool duration_given, bool rate_given,
                          bool ramp_given, char *err);

/* The option rows of a load run's settings, shared by `tach load` and the load mode
 * of a benchmark binary, over a struct TYPE whose FIRST member is the
 * tach__load_cfg (the --rate and --ramp callbacks write into it). */
int tach__load_opt_rate(void *base, const struct tach__opt *opt, const char *name,
                        const char *value, char *err);
int tach__load_opt_ramp(void *base, const struct tach__opt *opt, const char *name,
                        const char *value, char *err);
extern const char *const tach__load_arrival_choices[];
#define TACH__LOAD_OPT_ROWS(TYPE)                                                            \
    {.kind = TACH__OPT_COUNT, .name = "clients", .metavar = "N",                             \
     .offset = offsetof(TYPE, cfg.clients), .lo = 1, .hi = 1000000,                          \
     .help = "closed model: N clients, each sending when its last response\n"               \
             "came back (default: one per thread); open model over HTTP: the\n"            \
             "most requests in flight (default 1000)"},                                     \
    {.kind = TACH__OPT_DURATION, .name = "think", .metavar = "S",                            \
     .offset = offsetof(TYPE, cfg.think_s), .lo = 0, .hi = 3600,                             \
     .help = "closed model: each client waits S after a response (default 0)"},             \
    {.kind = TACH__OPT_REAL, .name = "rate", .metavar = "R", .offset = offsetof(TYPE, cfg.rate), \
     .lo = TACH__LOAD_MIN_RATE, .hi = TACH__LOAD_MAX_RATE, .fn = tach__load_opt_rate,                         \
     .help = "open model: R requests per second on a schedule, each timed\n"               \
             "from its slot (coordinated omission corrected)"},                             \
    {.kind = TACH__OPT_ENUM, .name = "arrivals", .metavar = "KIND",                          \
     .offset = offsetof(TYPE, cfg.arrivals), .choices = tach__load_arrival_choices,          \
     .help = "open model: constant (evenly spaced, default) or poisson"},                   \
    {.kind = TACH__OPT_STRING, .name = "ramp", .metavar = "R:S,...", .flags = TACH__OPT_NO_STORE, \
     .fn = tach__load_opt_ramp,                                                              \
     .help = "open model in stages: hold each rate R for S, e.g.\n"                        \
             "100:30s,1000:60s (the last stage runs on to the end)"},                       \
    {.kind = TACH__OPT_DURATION, .name = "duration", .metavar = "S",                         \
     .offset = offsetof(TYPE, cfg.duration_s), .lo = 0, .hi = 1e6, .flags = TACH__OPT_LO_OPEN, \
     .help = "measured time after the warm-up (default 10; with --ramp the\n"              \
             "stages' total less the warm-up)"},                                            \
    {.kind = TACH__OPT_DURATION, .name = "warmup", .metavar = "S",                           \
     .offset = offsetof(TYPE, cfg.warmup_s), .lo = 0, .hi = 1e6,                             \
     .help = "load sent first and not measured (default 1)"},                               \
    {.kind = TACH__OPT_DURATION, .name = "interval", .metavar = "S",                         \
     .offset = offsetof(TYPE, cfg.interval_s), .lo = 0.001, .hi = 3600,                      \
     .help = "step of the time series (default 1s; at least 1ms, at most\n"                \
             "1,000,000 intervals in --duration)"},                                         \
    {.kind = TACH__OPT_COUNT, .name = "threads", .metavar = "N",                             \
     .offset = offsetof(TYPE, cfg.threads), .lo = 1, .hi = 4096,                             \
     .help = "worker threads calling the operations (default: the CPUs);\n"                \
             "for URLs, event loops sharing the connections (default 1)"},                 \
    {.kind = TACH__OPT_SEED, .name = "seed", .metavar = "N", .offset = offsetof(TYPE, cfg.seed), \
     .help = "seed of the arrivals, the mix and tach_op_rand (default\n"                   \
             "0x7461636800000001)"},                                                        \
    {.kind = TACH__OPT_DURATION, .name = "late-bound", .metavar = "S",                       \
     .offset = offsetof(TYPE, cfg.late_bound_s), .lo = 0, .hi = 60, .flags = TACH__OPT_LO_OPEN, \
     .help = "a send this far behind its slot (open model) or its client's\n"             \
             "ready time (closed: answer + think) is late (default 1ms)"},                  \
    {.kind = TACH__OPT_PERCENT, .name = "max-late", .metavar = "PCT",                        \
     .offset = offsetof(TYPE, cfg.max_late_frac), .lo = 0, .hi = 100,                        \
     .help = "open model: more than PCT percent late or dropped sends mark\n"              \
             "the run invalid (default 1)"}

/* The settings as the load mode's argv (after TACH__LOAD_ARG), in a malloc'd array
 * of malloc'd strings ending in NULL; free with tach__load_argv_free. */
char **tach__load_cfg_argv(const tach__load_cfg *c);
void tach__load_argv_free(char **argv);

/* ---- schedules and mixes (load_sched.c): pure, seeded ------------------------- */

/* One thread's arrivals in the open model: thread i of n gets the rate / n share of
 * each stage, constant (evenly spaced, offset by i / rate) or Poisson (exponential
 * gaps from its own generator). */
typedef struct tach__sched {
    const tach__load_cfg *cfg;
    tach__rng rng;
    double share;              /* 1 / threads */
    double t;                  /* the current arrival, seconds from the start */
    size_t stage;
    double stage_end;          /* seconds from the start; the last stage runs on */
} tach__sched;
void tach__sched_init(tach__sched *s, const tach__load_cfg *c, int thread, int nthreads);
/* The next arrival, seconds from the start of the run (warm-up included). */
double tach__sched_next(tach__sched *s);
/* The same as a time: start_ns plus the next arrival rounded to the nearest ns.  Sums of
 * gaps carry float error (0.05 s added 10 times is 0.49999999999999994 s): truncated,
 * a slot due exactly at the warm-up's end fell 1 ns into the warm-up, and the one due
 * exactly at the run's end 1 ns inside it, to be counted dropped. */
uint64_t tach__sched_next_ns(tach__sched *s, uint64_t start_ns);
/* Passes over *next_ns (the arrival last drawn) and every later arrival before until_ns
 * in a time that does not grow with their number (constant arrivals counted, Poisson
 * ones a Poisson draw of their count); *next_ns becomes the first arrival at or after
 * until_ns.  How many of those passed over were at or after from_ns (the measured
 * window's start).  A sender behind its schedule, or a run's end, counts its missed
 * slots with it: counted one by one at a rate of 1e9/s they took longer than the run. */
int64_t tach__sched_skip_ns(tach__sched *s, uint64_t start_ns, uint64_t *next_ns, uint64_t from_ns,
                            uint64_t until_ns);

/* A weighted draw among the targets, as from a shuffled deck: each deck of
 * TACH__MIX_DECK cards holds every target in proportion to its weight (at least one
 * card each), shuffled by the seeded generator and dealt in turn, so the achieved
 * shares match the weights within a deck's rounding after each whole deck (within a
 * deck they drift as a random draw does), and the order stays random. */
#define TACH__MIX_DECK 1000
typedef struct tach__mix {
    unsigned char deck[TACH__MIX_DECK];
    size_t size, next;
    tach__rng rng;
} tach__mix;
void tach__mix_init(tach__mix *m, const tach__load_cfg *c, uint64_t seed);
size_t tach__mix_pick(tach__mix *m);

/* ---- what a run measured (load_doc.c) ----------------------------------------- */

#define TACH__LOAD_MAX_KINDS 16
/* A key's bytes with its NUL: an error kind (tach_op_error keeps 255 bytes of one, cut
 * before a character that does not fit), an HTTP status. */
#define TACH__LOAD_KIND_SIZE 256

/* Counts by a text key (an error kind, an HTTP status); the 17th distinct key and later
 * ones go to "other". */
typedef struct tach__load_kinds {
    char key[TACH__LOAD_MAX_KINDS + 1][TACH__LOAD_KIND_SIZE];
    int64_t count[TACH__LOAD_MAX_KINDS + 1];
    size_t n;
} tach__load_kinds;
void tach__load_kinds_add(tach__load_kinds *k, const char *key, int64_t n);

/* One interval of one target's series. */
typedef struct tach__load_iv {
    tach__hist *hist;          /* latency from the intended start; NULL when empty */
    int64_t count, errors;     /* the requests whose intended start fell in it */
    int64_t sent;              /* the measured requests actually sent in it */
} tach__load_iv;

/* What an interval's histogram said, kept when the histogram went to a --series sink
 * (tach__load_keep_interval), so the document's intervals keep their p50, p99 and max
 * and the result its per-interval mean (a sample) without a histogram per interval. */
typedef struct tach__load_ivsum {
    bool set;
    int64_t p50_ns, p99_ns, max_ns;
    double mean_ns;
} tach__load_ivsum;

typedef struct tach__load_op_stats {
    char *name;
    double weight;
    const char *slo;           /* the operation's own objectives (TACH_OP .slo) or NULL */
    tach__hist *corrected;     /* from the intended start (the schedule's slot) */
    tach__hist *uncorrected;   /* from the actual send */
    tach__hist *failed;        /* the failed requests' corrected latencies (in corrected too) */
    int64_t count, errors, out_of_range;
    tach__load_kinds error_kinds, statuses;
    tach__load_iv *iv;
    size_t niv;
    tach__load_ivsum *kept;    /* per interval, those told to a sink (tach__load_keep_init;
                                * NULL without one): iv[k].hist is then NULL */
} tach__load_op_stats;

typedef struct tach__load_stats {
    tach__load_cfg cfg;        /* the settings (targets owned here) */
    const char *kind;          /* "in-process" or "http" */
    tach__load_op_stats *ops;  /* one per cfg target */
    size_t nops;
    tach__hist *lateness;      /* send time - intended time (open model) */
    int64_t scheduled, sent, late, dropped;
    long cpus;                 /* the CPUs online when it began; 0: not known */
    long threads_asked;        /* in-process closed model: --threads when more than the
                                * clients, which cfg.threads (the threads run) is; else 0 */
    bool clients_full;         /* HTTP open model: a slot of the measured window came due
                                * while every connection (--clients) was in flight */
    int64_t connect_waits;     /* HTTP open model: slots sent late because every connection
                                * was busy while some were still connecting (the server
                                * slow to accept): the connects' time is not their lateness */
    double measured_s;         /* the measured window actually run */
    double start_epoch_s;      /* when the measured window began (for .hlog) */
    bool partial;              /* interrupted */
    char *fail;                /* a run that could not go on (setup failed): why */
    tach__load_ivsum *kept_all; /* per interval, over every target, those told to a sink */
} tach__load_stats;

/* Allocates the per-target histograms and niv intervals for c's targets (c copied,
 * its targets' names duplicated).  -1 on no memory. */
int tach__load_stats_init(tach__load_stats *s, const tach__load_cfg *c, size_t niv, char *err);
void tach__load_stats_clear(tach__load_stats *s);
/* Adds src's counts and histograms into dst (same targets and intervals). */
int tach__load_stats_merge(tach__load_stats *dst, const tach__load_stats *src, char *err);
/* Records one measured request of target op ended at end_ns, intended at intended_ns
 * and sent at sent_ns (all relative to the measured window's start, ns). */
void tach__load_record(tach__load_stats *s, size_t op, int64_t intended_ns, int64_t sent_ns,
                       int64_t end_ns, bool error);

/* Counts one slot (in the measured window) that went lateness_ns after its intended
 * time: scheduled, the lateness histogram, and late when beyond cfg.late_bound_s.  A
 * slot is one of the open model's schedule, or in the closed model a client's request,
 * intended when the client was ready (its previous answer plus the think time): a send
 * later than that (a timer that overslept, a thread or loop busy elsewhere) is late by
 * as much, and the delay stays in the request's latency from the intended start, as
 * wrk2's corrected latency keeps a sender's delay.  The senders of both engines and of
 * the bus suite share it. */
void tach__load_count_slot(tach__load_stats *s, uint64_t lateness_ns);

/* Whether the generator held its schedule: invalid (with why) when more than
 * cfg.max_late_frac of the scheduled requests were late or dropped (a dropped
 * request is one the run's end found unsent: the achieved rate fell short). */
bool tach__load_invalid(const tach__load_stats *s, char *why, size_t size);

/* Appends one result per target and one named "overall" to d, each with the "load"
 * block and per-interval samples (mean latency from the intended start per interval,
 * so compare and gate judge them as any benchmark's samples). */
int tach__load_to_doc(const tach__load_stats *s, tach__doc *d, char *err);

/* ---- in-process operations (load_ops.c, load_run.c) --------------------------- */

size_t tach__op_count(void);
const tach_op_def *tach__op_get(size_t i);
const tach_op_def *tach__op_find(const char *name);
/* The first refused registration's reason, or NULL. */
const char *tach__op_refused(void);

struct tach_op {
    const tach_op_def *def;
    int thread;
    void *data;
    tach__rng rng;
    bool error;
    char kind[TACH__LOAD_KIND_SIZE];
};

/* Runs c's operations (all registered, checked by the caller) in c->threads threads
 * and fills s (initialised here).  interrupt: set by SIGINT/SIGTERM; sending stops
 * and s->partial is set.  -1 with err when the run could not be made. */
int tach__load_run_ops(const tach__load_cfg *c, const volatile sig_atomic_t *interrupt,
                       tach__load_stats *s, char *err);

/* ---- the interval series as it comes (load_series.c; docs/soak.md) --------------- */

/* Called once per interval of the measured window, in order, as soon as every request
 * intended in it has been recorded: k, and the interval's latencies (from the intended
 * start) over all targets with their count and errors, and the requests sent in it (by
 * their send, as the results document's intervals count "sent": an open run behind its
 * schedule sends fewer than its slots).  h is only valid during the call. */
typedef struct tach__load_sink {
    void (*fn)(void *ctx, size_t k, const tach__hist *h, int64_t count, int64_t errors,
               int64_t sent);
    void *ctx;
} tach__load_sink;

/* Makes s (the run's, into which the threads' or loops' stats are merged) ready to keep
 * what each interval's histograms said when a --series sink takes them: the kept arrays,
 * allocated and touched now (a run of hours does not creep up as they fill).  -1 on no
 * memory. */
int tach__load_keep_init(tach__load_stats *s, char *err);
/* Keeps interval k's p50, p99, max and mean from h (its requests over the threads or
 * loops): of target op, or of every target when op is s->nops.  Nothing when h is empty
 * or s keeps nothing. */
void tach__load_keep_interval(tach__load_stats *s, size_t op, size_t k, const tach__hist *h);
/* The interval k of a run of c: its start (seconds into the measured window) and length
 * (the last may be shorter). */
void tach__load_iv_span(const tach__load_cfg *c, size_t k, double *start_s, double *length_s);
/* One interval as a JSON line on f, flushed: {"interval", "start_s", "length", "ops",
 * "ops_per_s", "errors", "sent", "sent_per_s", "p50_ns", "p99_ns", "max_ns", "hist"
 * (HdrHistogram base64)},
 * and when probe_self, this process's rss_bytes, heap_bytes, fds, threads
 * (proc_probe.h) and pid.  -1 when it could not be written. */
int tach__load_series_line(FILE *f, const tach__load_cfg *c, size_t k, const tach__hist *h,
                           int64_t count, int64_t errors, int64_t sent, bool probe_self);

/* tach__load_run_ops with sink (NULL: none) told of each interval as it ends; an
 * interrupted run tells nothing more after the interrupt. */
int tach__load_run_ops_series(const tach__load_cfg *c, const volatile sig_atomic_t *interrupt,
                              const tach__load_sink *sink, tach__load_stats *s, char *err);

/* The load mode of tach_main: argv[0] is the program, argv[1] TACH__LOAD_ARG. */
int tach__load_main(int argc, char **argv);

#endif /* TACH_LOAD_H */
