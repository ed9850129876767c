/* runner.c - tach_main: the command line of every benchmark binary, the run over
 * the selected instances, and the output (table, results document, gbench, CSV).
 *
 * (Over 600 lines: the option table, the rounds that interleave the benchmarks and
 * the merge of their samples share run_opts and are read together; sampling is in
 * sample.c, the forked worker in worker.c, the formats in src/format/.) */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hwcount.h"
#include "callgrind.h"
#include "load.h"
#include "format.h"
#include "options.h"
#include "profile.h"
#include "runner.h"

enum format { FMT_CONSOLE, FMT_JSON, FMT_GBENCH, FMT_CSV };

typedef struct run_opts {
    tach__sample_opts s;
    bool help, list, probe, no_isolate, quiet;
    const char *filter, *out;
    const char *export_hlog;  /* --export-hlog FILE: the latency histograms as an .hlog */
    int format;               /* an enum format */
    double timeout_s;
    size_t resamples;
    size_t rounds;
    long min_samples_n, resamples_n, rounds_n; /* as parsed, then copied above */
    int metric;               /* an enum metric */
    bool cache_sim;
    const char *instr_worker; /* --tach-instr-worker DIR: this process runs under Valgrind */
    char valgrind[PATH_MAX];  /* --metric instructions: the Valgrind the check before the runs
                               * found (tach__valgrind_find), the one every count runs */
    const char *mem_worker;   /* --tach-mem-worker SPEC: a memory pass's process (mempass.c) */
    double soak_duration_s, soak_interval_s; /* --soak-duration, --soak-interval */
    const char *threads_text; /* --threads as given */
    int threads[TACH_MAX_THREAD_COUNTS]; /* ... parsed; nthreads 0: the definitions' own */
    size_t nthreads;
    bool profile;             /* --profile (docs/profiling.md) */
    bool profile_ignored;     /* --profile given with --metric instructions: not honoured */
    long profile_hz, top;
    const char *profile_dir;
} run_opts;

enum metric { METRIC_WALL, METRIC_INSTRUCTIONS };
static const char *const metric_choices[] = {"wall", "instructions", NULL};

#define DEFAULT_RESAMPLES 10000
/* Each benchmark is measured in this many rounds, interleaved with the others'. */
#define DEFAULT_ROUNDS 4

static const char *const format_choices[] = {"console", "json", "gbench", "csv", NULL};

/* --counters: alone, every counter; --counters=LIST, those named. */
static int set_counters(void *base, const struct tach__opt *opt, const char *name,
                        const char *value, char *err)
{
    (void)opt;
    run_opts *o = base;
    if (!value) {
        o->s.counters = TACH__HW_ALL;
        return 0;
    }
    char why[TACH__ERR_MAX];
    if (tach__hw_parse(value, &o->s.counters, why) != 0)
        return tach__err(err, "%s: %s", name, why);
    return 0;
}

/* --threads LIST: checked as it is read, so a bad list exits 2 naming it. */
static int threads_opt(void *base, const tach__opt *opt, const char *name, const char *value,
                       char *err)
{
    (void)opt;
    run_opts *o = base;
    char why[TACH__ERR_MAX];
    int n = tach__parse_threads(value, o->threads, why);
    if (n < 0) return tach__err(err, "invalid value '%s' for %s: %s", value, name, why);
    o->nthreads = (size_t)n;
    return 0;
}

#define OFF(f) offsetof(run_opts, f)
/* Every option of a benchmark binary; --help is generated from it. */
static const tach__opt option_table[] = {
    {TACH__OPT_FLAG, "list", 0, NULL, OFF(list), 0, 0, 0, NULL, NULL, NULL, NULL,
     "print the benchmarks' full names and exit (one a line, control\n"
     "characters as spaces, as the table shows them)"},
    {TACH__OPT_STRING, "filter", 0, "REGEX", OFF(filter), 0, 0, 0, NULL, NULL, NULL, NULL,
     "run only benchmarks whose full name matches (POSIX ERE); one\n"
     "matching none is bad usage (exit 2; --list lists nothing)"},
    {TACH__OPT_ENUM, "format", 0, "FORMAT", OFF(format), 0, 0, 0, format_choices, NULL, NULL, NULL,
     "console (default), json (tach results document), gbench\n"
     "(Google Benchmark JSON) or csv"},
    {TACH__OPT_STRING, "out", 0, "FILE", OFF(out), 0, 0, 0, NULL, NULL, NULL, NULL,
     "write the output to FILE (whole or not at all), not stdout"},
    {TACH__OPT_PERCENT, "precision", 0, "PCT", OFF(s.precision), 0, 100,
     TACH__OPT_LO_OPEN | TACH__OPT_HI_OPEN, NULL, NULL, NULL, NULL,
     "stop sampling when the 95% CI of the median is within PCT\n"
     "percent of it (\"1\" or \"1%\"; default 1)"},
    {TACH__OPT_DURATION, "max-time", 0, "S", OFF(s.max_time_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL, NULL,
     NULL, NULL,
     "time budget per benchmark, calibration and warm-up included\n"
     "(default 3); bounds every loop; --min-samples still applies"},
    {TACH__OPT_COUNT, "min-samples", 0, "N", OFF(min_samples_n), 1, 1000000, 0, NULL, NULL, NULL, NULL,
     "at least N samples per benchmark (default 10)"},
    {TACH__OPT_DURATION, "min-time", 0, "S", OFF(s.min_time_s), 0, 1e6, 0, NULL, NULL, NULL, NULL,
     "sample at least S per benchmark before the precision may\n"
     "stop it (default 0.5; capped at --max-time; both given, it may\n"
     "not be above it)"},
    {TACH__OPT_COUNT, "rounds", 0, "N", OFF(rounds_n), 1, 1000, 0, NULL, NULL, NULL, NULL,
     "measure each benchmark in N rounds, one worker each,\n"
     "interleaved with the other benchmarks' rounds; the times\n"
     "above are per benchmark, shared by its rounds (default 4)"},
    {TACH__OPT_DURATION, "sample-time", 0, "S", OFF(s.sample_time_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL,
     NULL, NULL, NULL, "each sample lasts at least S (default 0.001; at most a round's share\n"
                       "of --max-time)"},
    {TACH__OPT_DURATION, "warmup-time", 0, "S", OFF(s.warmup_s), 0, 1e6, 0, NULL, NULL, NULL, NULL,
     "discarded warm-up per benchmark (default 0.1; within --max-time)"},
    {TACH__OPT_DURATION, "timeout", 0, "S", OFF(timeout_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL, NULL, NULL,
     NULL, "kill a benchmark's worker after S (default 60)"},
    {TACH__OPT_DURATION, "soak-duration", 0, "S", OFF(soak_duration_s), 0, 1e9, TACH__OPT_LO_OPEN,
     NULL, NULL, NULL, NULL,
     "soak mode: run the one selected benchmark again and again for S,\n"
     "one JSON line per --soak-interval on stdout (what `tach soak` reads)"},
    {TACH__OPT_DURATION, "soak-interval", 0, "S", OFF(soak_interval_s), 0, 1e6, TACH__OPT_LO_OPEN,
     NULL, NULL, NULL, NULL, "soak mode: the length of one interval (default 1)"},
    {TACH__OPT_STRING, "threads", 0, "LIST", OFF(threads_text), 0, 0, 0, NULL, NULL, threads_opt,
     NULL, "run every benchmark in each of these thread counts (e.g.\n"
     "1,2,4; up to 8 counts), the body in N threads started together\n"
     "(default: each benchmark's own .threads)"},
    {TACH__OPT_FLAG, "no-isolate", 0, NULL, OFF(no_isolate), 0, 0, 0, NULL, NULL, NULL, NULL,
     "run every benchmark in this process (no worker; no timeout)"},
    {TACH__OPT_SEED, "seed", 0, "N", OFF(s.seed), 0, 0, 0, NULL, NULL, NULL, NULL,
     "seed of tach_rand and of the bootstrap, decimal or 0x hex\n"
     "(default 0x7461636800000001)"},
    /* at least 100, as tach compare takes: with 1 the 95% CI of the mean was one resample's
     * mean, [1.204, 1.204] around a mean of 1.426 */
    {TACH__OPT_COUNT, "resamples", 0, "N", OFF(resamples_n), 100, 100000000, 0, NULL, NULL, NULL, NULL,
     "bootstrap resamples for the 95% CIs (default 10000, at\nleast 100)"},
    {TACH__OPT_FLAG, "memory", 0, NULL, OFF(s.memory), 0, 0, 0, NULL, NULL, NULL, NULL,
     "count heap allocations, bytes, peak and growth per iteration\n"
     "in a pass after the timed samples (docs/memory.md)"},
    {TACH__OPT_STRING, "counters", 0, "LIST", 0, 0, 0, TACH__OPT_OPTIONAL | TACH__OPT_NO_STORE, NULL,
     NULL, set_counters, NULL,
     "CPU counters per iteration (perf_event_open; all ten, or the\n"
     "comma-separated LIST: cycles, instructions, page-faults, ...;\n"
     "docs/counters.md)"},
    {TACH__OPT_ENUM, "metric", 0, "METRIC", OFF(metric), 0, 0, 0, metric_choices, NULL, NULL, NULL,
     "wall (default): time per iteration; instructions: count the\n"
     "instructions per iteration under Valgrind's callgrind, the\n"
     "same number run after run (docs/instructions.md)"},
    {TACH__OPT_FLAG, "cache-sim", 0, NULL, OFF(cache_sim), 0, 0, 0, NULL, NULL, NULL, NULL,
     "with --metric instructions: also L1/LL misses and an estimated\n"
     "cycle count (L1 hits + 5 x LL hits + 35 x RAM accesses)"},
    {TACH__OPT_STRING, "tach-instr-worker", 0, "DIR", OFF(instr_worker), 0, 0, 0, NULL, NULL, NULL,
     NULL, "internal: measure one benchmark under callgrind (what\n"
     "--metric instructions starts); DIR holds its files"},
    {TACH__OPT_STRING, "tach-mem-worker", 0, "SPEC", OFF(mem_worker), 0, 0, 0, NULL, NULL, NULL,
     NULL, "internal: run one benchmark's memory pass with the counting\n"
     "allocator preloaded (what --memory starts; docs/memory.md)"},
    {TACH__OPT_FLAG, "profile", 0, NULL, OFF(profile), 0, 0, 0, NULL, NULL, NULL, NULL,
     "sample each benchmark's measured region; writes NAME.folded, NAME.speedscope.json "
     "and NAME.svg and prints the bottleneck table"},
    {TACH__OPT_COUNT, "profile-hz", 0, "N", OFF(profile_hz), 1, TACH__PROF_MAX_HZ, 0, NULL, NULL,
     NULL, NULL, "samples per second of CPU time (default 997; implies --profile)"},
    {TACH__OPT_STRING, "profile-dir", 0, "DIR", OFF(profile_dir), 0, 0, 0, NULL, NULL, NULL, NULL,
     "where the profiles are written (default .tach/profile; implies\n"
     "--profile)"},
    {TACH__OPT_COUNT, "top", 0, "N", OFF(top), 1, 10000, 0, NULL, NULL, NULL, NULL,
     "rows of the bottleneck table (default 10; implies --profile)"},
    {TACH__OPT_FLAG, "quiet", 0, NULL, OFF(quiet), 0, 0, 0, NULL, NULL, NULL, NULL,
     "no progress line and no warnings on stderr"},
    {TACH__OPT_FLAG, "latency", 0, NULL, OFF(s.latency), 0, 0, 0, NULL, NULL, NULL, NULL,
     "time every call of every body on its own: percentiles p50 ..\n"
     "p99.99 and max with CIs (as .latency = true; docs/latency.md)"},
    {TACH__OPT_STRING, "export-hlog", 0, "FILE", OFF(export_hlog), 0, 0, 0, NULL, NULL, NULL, NULL,
     "also write the latency histograms as an HdrHistogram\n"
     "interval log (.hlog 1.2), one tagged interval per benchmark"},
    {TACH__OPT_FLAG, "tach-probe", 0, NULL, OFF(probe), 0, 0, 0, NULL, NULL, NULL, NULL,
     "print a JSON line identifying a libtach binary and exit"},
    {TACH__OPT_FLAG, "help", 'h', NULL, OFF(help), 0, 0, 0, NULL, NULL, NULL, NULL,
     "print this help and exit"},
    /* old spellings */
    {TACH__OPT_DURATION, "warmup", 0, "S", OFF(s.warmup_s), 0, 1e6, 0, NULL, NULL, NULL, "warmup-time",
     NULL},
};
#undef OFF

/* ---- parsing ------------------------------------------------------------ */

/* Prints one line "prog: message" on stderr; returns 2 (bad usage). */
static int usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

static void print_usage(const char *prog)
{
    printf("usage: %s [options]\n"
           "Runs the benchmarks registered in this binary and prints or writes the results.\n"
           "Options take their value as --opt VALUE or --opt=VALUE; durations (S) are\n"
           "seconds or 500ms, 2s, 1m.\n"
           "\n", prog);
    tach__buf b = {0};
    tach__opt_help(option_table, sizeof option_table / sizeof *option_table, &b);
    char *text = tach__buf_take(&b);
    if (text) fputs(text, stdout);
    tach__free(text);
    printf("\n"
           "Exit status: 0 every benchmark ok or skipped; 1 one failed, crashed or timed out,\n"
           "or the run was interrupted (SIGINT, SIGTERM: what was measured is written, marked\n"
           "partial); 2 bad usage (a --filter matching no benchmark too), a Valgrind missing\n"
           "or unable to start its callgrind tool (--metric instructions: said before any\n"
           "benchmark runs), or an output (--out, standard output, --export-hlog, the\n"
           "profiles) that could not be written.\n");
}

const tach__opt *tach__runner_options(size_t *n)
{
    *n = sizeof option_table / sizeof *option_table;
    return option_table;
}

static int parse_args(run_opts *o, int argc, char **argv)
{
    const char *prog = argc > 0 && argv && argv[0] ? argv[0] : "tach";
    size_t n = sizeof option_table / sizeof *option_table;
    tach__opt_result res;
    char err[TACH__ERR_MAX];
    o->min_samples_n = (long)o->s.min_samples;
    o->resamples_n = (long)o->resamples;
    o->rounds_n = (long)o->rounds;
    int rc = 0;
    if (tach__opt_parse(option_table, n, o, argc, argv, 1, &res, err) != 0) {
        rc = usage_error(prog, "%s", err);
    } else if (res.npos > 0 || res.dashdash) {
        const tach__opt *opt = res.npos ? tach__opt_optional_before(option_table, n, argc, argv, 1,
                                                                     res.pos[0])
                                        : NULL;
        if (opt) /* "--counters page-faults": the list was meant */
            rc = usage_error(prog, "unexpected argument '%s' (--%s takes a value only as --%s=%s; see --help)",
                             res.pos[0], opt->name, opt->name, res.pos[0]);
        else
            rc = usage_error(prog, "unexpected argument '%s' (see --help)", res.npos ? res.pos[0] : "--");
    } else {
        /* Both given, they must agree; otherwise the budget caps --min-time (sampling
         * stops at --max-time whatever --min-time says). */
        if (o->s.min_time_s > o->s.max_time_s && tach__opt_given(option_table, n, &res, "max-time") &&
            tach__opt_given(option_table, n, &res, "min-time"))
            rc = usage_error(prog, "--min-time %g is more than --max-time %g", o->s.min_time_s,
                             o->s.max_time_s);
        /* One sample must fit in a round's share of the budget: calibration grows the
         * count until a sample lasts --sample-time, whatever the budget (--sample-time
         * 5 --max-time 1 ran 137 s, or ended as a false timeout). */
        else if (tach__opt_given(option_table, n, &res, "sample-time") &&
                 o->s.sample_time_s > o->s.max_time_s / (double)(o->rounds_n > 0 ? o->rounds_n : 1))
            rc = usage_error(prog, "--sample-time %g is more than a round's share of --max-time "
                             "(%g s over %ld rounds: %g s), so no sample would fit in the budget; "
                             "raise --max-time or lower --rounds", o->s.sample_time_s,
                             o->s.max_time_s, o->rounds_n > 0 ? o->rounds_n : 1,
                             o->s.max_time_s / (double)(o->rounds_n > 0 ? o->rounds_n : 1));
        else if (o->cache_sim && o->metric != METRIC_INSTRUCTIONS)
            rc = usage_error(prog, "--cache-sim needs --metric instructions");
    }
    tach__opt_result_free(&res);
    o->s.min_samples = (size_t)o->min_samples_n;
    o->resamples = (size_t)o->resamples_n;
    o->rounds = (size_t)o->rounds_n;
    /* any profile option asks for a profile */
    if (o->top || o->profile_hz || o->profile_dir) o->profile = true;
    /* Under callgrind the sampler would time Valgrind's translation of the code, and a
     * measured region of a few iterations meets no sampling period: no profile, said. */
    if (o->profile && o->metric == METRIC_INSTRUCTIONS) {
        o->profile = false;
        o->profile_ignored = true;
    }
    if (!o->profile_hz) o->profile_hz = TACH__PROF_DEFAULT_HZ;
    if (!o->top) o->top = 10;
    if (!o->profile_dir) o->profile_dir = TACH__PROF_DEFAULT_DIR;
    return rc;
}

/* ---- the document's context ---------------------------------------------- */

static json_t *settings_json(const run_opts *o)
{
    json_t *s = json_object();
    json_object_set_new(s, "precision", json_real(o->s.precision));
    json_object_set_new(s, "max_time_s", json_real(o->s.max_time_s));
    json_object_set_new(s, "min_samples", json_integer((json_int_t)o->s.min_samples));
    json_object_set_new(s, "min_time_s", json_real(o->s.min_time_s));
    json_object_set_new(s, "rounds", json_integer((json_int_t)o->rounds));
    json_object_set_new(s, "sample_time_ns", json_real(tach__sample_target_ns(&o->s)));
    json_object_set_new(s, "warmup_s", json_real(o->s.warmup_s));
    json_object_set_new(s, "timeout_s", o->no_isolate ? json_null() : json_real(o->timeout_s));
    json_object_set_new(s, "isolate", json_boolean(!o->no_isolate));
    json_object_set_new(s, "processes", json_integer(1));
    json_object_set_new(s, "seed", tach__json_seed(o->s.seed));
    json_object_set_new(s, "resamples", json_integer((json_int_t)o->resamples));
    json_object_set_new(s, "filter", o->filter ? json_string(o->filter) : json_null());
    if (o->metric == METRIC_INSTRUCTIONS) { /* docs/instructions.md */
        json_object_set_new(s, "metric", json_string("instructions"));
        json_object_set_new(s, "cache_sim", json_boolean(o->cache_sim));
    }
    return s;
}

/* How the benchmarks' own code was built (TACH_BENCH captures it in the user's
 * translation unit): optimized / ndebug true only when every definition that says so
 * agrees, the compiler of the first; NULL when no definition carries it. */
static json_t *benchmark_build(void)
{
    int opt = 0, nd = 0;
    const char *cc = NULL;
    for (size_t i = 0; i < tach__registry_count(); i++) {
        const tach_bench_def *d = tach__registry_get(i);
        if (d->built_optimized) opt = opt < 0 || d->built_optimized < 0 ? -1 : 1;
        if (d->built_ndebug) nd = nd < 0 || d->built_ndebug < 0 ? -1 : 1;
        if (!cc && d->built_compiler) cc = d->built_compiler;
    }
    if (!opt && !nd && !cc) return NULL;
    json_t *b = json_object();
    if (!b) return NULL;
    json_object_set_new(b, "optimized", opt ? json_boolean(opt > 0) : json_null());
    json_object_set_new(b, "ndebug", nd ? json_boolean(nd > 0) : json_null());
    json_object_set_new(b, "compiler", cc ? json_string(cc) : json_null());
    return b;
}

static json_t *make_context(const run_opts *o, int argc, char **argv)
{
    json_t *c = tach__env_capture();
    if (!c) c = json_object();
    if (!c) return NULL;
    json_object_set_new(c, "tool", json_string("libtach"));
    if (!json_object_get(c, "tach_version"))
        json_object_set_new(c, "tach_version", json_string(tach_version()));
    if (!json_object_get(c, "date")) {
        char date[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_object_set_new(c, "date", json_string(date));
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        json_object_set_new(c, "executable", json_string(exe));
    } else if (argc > 0 && argv[0]) {
        json_object_set_new(c, "executable", json_string(argv[0]));
    }
    json_t *cl = json_array();
    for (int i = 0; i < argc; i++) {
        char *a = argv[i] ? tach__redact_arg(i ? argv[i - 1] : NULL, argv[i]) : NULL; /* no password is kept */
        if (a) json_array_append_new(cl, tach__json_string_lossy(a));
        tach__free(a);
    }
    json_object_set_new(c, "command_line", cl);
    json_object_set_new(c, "settings", settings_json(o));
    json_t *bb = benchmark_build();
    if (bb) json_object_set_new(c, "benchmark_build", bb);
    if (o->s.counters) { /* which of the asked counters this machine gives */
        json_t *hw = tach__hw_probe_json(o->s.counters);
        if (hw) json_object_set_new(c, "counters", hw);
    }
    json_t *w = tach__env_warnings(c);
    if (!w) w = json_array();
    /* Instruction mode runs the benchmarks under callgrind, which replaces the heap
     * allocator and the CPU's counters: --memory and --counters cannot be honoured there. */
    if (w && o->metric == METRIC_INSTRUCTIONS && (o->s.memory || o->s.counters))
        json_array_append_new(
            w, json_string(o->s.memory && o->s.counters
                               ? "--memory and --counters are ignored with --metric instructions "
                                 "(callgrind replaces the allocator and the CPU counters; run "
                                 "them without --metric instructions)"
                           : o->s.memory
                               ? "--memory is ignored with --metric instructions (callgrind "
                                 "replaces the allocator; run --memory without --metric "
                                 "instructions)"
                               : "--counters is ignored with --metric instructions (callgrind "
                                 "replaces the CPU counters; run --counters without --metric "
                                 "instructions)"));
    if (w && o->profile_ignored)
        json_array_append_new(w, json_string("--profile is ignored with --metric instructions "
                                             "(under callgrind a sampling profile would time "
                                             "Valgrind, not the code; run --profile without "
                                             "--metric instructions, or `tach run --profile "
                                             "--metric instructions` on the binary, which "
                                             "samples one more run natively)"));
    json_object_set_new(c, "warnings", w ? w : json_array());
    return c;
}

/* ---- running -------------------------------------------------------------- */

/* Summarizes r from its samples with the run's resamples, the bootstrap seeded with
 * the run's seed (docs/results-format.md), so a reader can recompute it. */
static int finish_result(tach__result *r, const run_opts *o, char *err)
{
    return tach__result_finish_resamples(r, o->s.seed, o->resamples, err);
}

static bool progress_wanted(const run_opts *o)
{
    return !o->quiet && isatty(STDERR_FILENO);
}

/* Columns for the progress line: the terminal's width less one (no wrap), at most 100. */
static int progress_columns(void)
{
    struct winsize ws;
    int w = 80;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) w = ws.ws_col;
    return w - 1 < 100 ? w - 1 : 100;
}

static void erase_progress(int width)
{
    fprintf(stderr, "\r%-*s\r", width, "");
    fflush(stderr);
}

/* Adds round part's samples and counters to r (counters: means weighted by sample
 * counts).  A round that did not end ok gives r its status and message, and r keeps
 * no samples: a benchmark that crashed or failed once is reported so.  Returns -1
 * on allocation failure. */
static int merge_round(tach__result *r, tach__result *part)
{
    if (part->status != TACH__OK) {
        r->status = part->status;
        r->signal = part->signal;
        tach__free(r->message);
        r->message = part->message;
        part->message = NULL;
        tach__result_drop_samples(r);
        return 0;
    }
    size_t n0 = r->nsamples, n1 = part->nsamples, n = n0 + n1;
    for (size_t k = 0; k < part->ncounters; k++) {
        double v = part->counters[k].value;
        for (size_t j = 0; j < r->ncounters; j++)
            if (!strcmp(r->counters[j].name, part->counters[k].name) && n > 0)
                v = (r->counters[j].value * (double)n0 + v * (double)n1) / (double)n;
        if (tach__result_set_counter(r, part->counters[k].name, v) != 0) return -1;
    }
    if (tach__result_merge_resources(r, part, tach__result_rounds(r)) != 0) return -1;
    if (part->bytes_per_iter > 0) r->bytes_per_iter = part->bytes_per_iter;
    if (part->items_per_iter > 0) r->items_per_iter = part->items_per_iter;
    return tach__result_append_samples(r, part);
}

/* Instruction mode: each instance once under callgrind (a count needs no rounds:
 * it is the same in every process).  An interrupted run keeps what ended. */
static int run_instr(const run_opts *o, const tach__sample_opts *so, tach__instance *sel,
                     size_t nsel, tach__doc *d, char *err)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return tach__err(err, "cannot find this program (/proc/self/exe): %s", strerror(errno));
    exe[n] = '\0';
    tach__instr_opts io = {.cache_sim = o->cache_sim, .seed = o->s.seed, .timeout_s = o->timeout_s,
                           .exe = exe, .valgrind = o->valgrind,
                           .threads = o->nthreads ? o->threads_text : NULL,
                           .interrupt = so->interrupt};
    for (size_t i = 0; i < nsel; i++) {
        if (so->progress) {
            char line[160];
            snprintf(line, sizeof line, "[%zu/%zu] %s  under callgrind", i + 1, nsel, sel[i].name);
            tach__terminal_safe(line, false); /* the name as the table shows it */
            fprintf(stderr, "\r%-*.*s", so->progress_width, so->progress_width, line);
            fflush(stderr);
        }
        if (tach__instr_run(&sel[i], &io, &d->results[i], err) != 0) return -1;
        if (tach__interrupt_signal()) {
            for (size_t k = i; k < d->nresults; k++) tach__result_clear(&d->results[k]);
            d->nresults = i;
            d->partial = true;
            break;
        }
    }
    if (so->progress) erase_progress(so->progress_width);
    return 0;
}

/* Runs every selected instance into d, in o->rounds rounds: round k runs each
 * benchmark still ok once more (a worker each), with its share of the time options,
 * and its samples join those of the earlier rounds.  A benchmark's samples thus come
 * from several processes and are spread over the whole run, so a passing state of a
 * shared machine (another tenant's burst, a CPU migration) weighs on one round of
 * it, not on all of its samples.  Returns -1 on an internal error. */
static int run_all(const run_opts *o, tach__instance *sel, size_t nsel, tach__doc *d,
                   tach__prof_raw **raws, char *err)
{
    const size_t rounds = o->rounds ? o->rounds : 1;
    tach__sample_opts so = o->s;
    so.interrupt = tach__interrupt_flag();
    so.progress = progress_wanted(o);
    so.progress_width = so.progress ? progress_columns() : 0;
    so.max_time_s = o->s.max_time_s / (double)rounds;
    so.min_time_s = o->s.min_time_s / (double)rounds;
    so.warmup_s = o->s.warmup_s / (double)rounds;
    so.min_samples = (o->s.min_samples + rounds - 1) / rounds;
    for (size_t i = 0; i < nsel; i++) {
        tach__result *r = tach__doc_add(d);
        if (!r) return tach__err(err, "out of memory");
        if (tach__result_describe(r, &sel[i], err) != 0) return -1;
        r->precision_target = o->s.precision;
    }
    char prefix[112];
    size_t stopped_at = nsel; /* the instance a signal interrupted, if any */
    if (o->metric == METRIC_INSTRUCTIONS) return run_instr(o, &so, sel, nsel, d, err);
    /* The counting allocator written once for every memory pass (mempass.c): a
     * temporary file shared by the workers; a memfd each worker closes and writes
     * again for its own pass (tach__mem_preload_detach).  When it cannot be, each
     * pass says why. */
    bool memory = o->s.memory;
    for (size_t i = 0; i < nsel && !memory; i++) memory = sel[i].def && sel[i].def->memory;
    char why[TACH__ERR_MAX];
    if (memory) (void)tach__mem_preload_prepare(why);
    for (size_t k = 0; k < rounds && stopped_at == nsel; k++) {
        for (size_t i = 0; i < nsel; i++) {
            tach__result *r = &d->results[i];
            if (k > 0 && r->status != TACH__OK) continue;
            if (rounds > 1)
                snprintf(prefix, sizeof prefix, "[%zu/%zu, round %zu/%zu]", i + 1, nsel, k + 1, rounds);
            else
                snprintf(prefix, sizeof prefix, "[%zu/%zu]", i + 1, nsel);
            so.progress_prefix = prefix;
            so.prof_raw = raws ? raws[i] : NULL;
            so.prof_hz = (int)o->profile_hz;
            so.prior_ns = r->sample_ns;
            so.prior_n = r->nsamples;
            so.start_iters = r->nsamples ? r->sample_iters[r->nsamples - 1] : 0;
            tach__result part;
            memset(&part, 0, sizeof part);
            part.precision_target = o->s.precision;
            int rc = o->no_isolate ? tach__sample_instance(&sel[i], &so, &part, err)
                                   : tach__run_isolated(&sel[i], &so, o->timeout_s, &part, err);
            if (rc == 0 && !tach__interrupt_signal() && merge_round(r, &part) != 0)
                rc = tach__err(err, "out of memory");
            tach__result_clear(&part);
            if (rc != 0) return -1;
            if (tach__interrupt_signal()) {
                stopped_at = i;
                break;
            }
        }
    }
    if (stopped_at < nsel) {
        /* The benchmark in progress was cut short: drop it, and those with no finished
         * round; keep the others' finished rounds. */
        size_t kept = 0;
        for (size_t i = 0; i < d->nresults; i++) {
            tach__result *r = &d->results[i];
            if (i == stopped_at || (r->status == TACH__OK && r->nsamples == 0)) {
                tach__result_clear(r);
                continue;
            }
            if (kept != i) {
                d->results[kept] = *r;
                memset(r, 0, sizeof *r);
            }
            kept++;
        }
        d->nresults = kept;
        d->partial = true;
    }
    for (size_t i = 0; i < d->nresults; i++)
        if (finish_result(&d->results[i], o, err) != 0) return -1;
    if (so.progress) erase_progress(so.progress_width);
    return 0;
}

/* Checks before running that --out can be written (tach__check_writable), so that a
 * bad path costs no measuring. */
static int check_out_path(const char *path, char *err)
{
    size_t n = strlen(path);
    if (n && path[n - 1] == '/') return tach__err(err, "cannot write %s: is a directory", path);
    return tach__check_writable(path, err);
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 0;
}

/* Renders d in the asked format and writes it to --out or stdout.  Returns 0, or
 * -1 with err set. */
static int emit(const run_opts *o, const tach__doc *d, char *err)
{
    json_t *j = NULL;
    char *text = NULL;
    int rc = 0;
    switch (o->format) {
    case FMT_JSON: j = tach__doc_to_json(d); break;
    case FMT_GBENCH: /* the format table's writer: reals with 15 significant digits, as
                      * tach run --export-gbench and tach convert write them (docs/formats.md) */
        if (!(text = tach__format_write(d, "gbench", NULL, err))) return -1;
        break;
    case FMT_CSV: text = tach__doc_to_csv(d); break;
    case FMT_CONSOLE: {
        bool tty = !o->out && isatty(STDOUT_FILENO);
        const char *nc = getenv("NO_COLOR");
        bool color = tty && !(nc && nc[0]);
        text = tach__doc_to_table(d, color, tty ? terminal_width() : 0);
        break;
    }
    }
    if (!j && !text) return tach__err(err, "cannot render the results (out of memory)");
    if (o->out) {
        rc = j ? tach__write_json_file(j, o->out, err)
               : tach__write_text_file(text, strlen(text), o->out, err);
    } else if (j) {
        char *s = tach__json_text(j); /* the same text as --out writes */
        if (!s) rc = tach__err(err, "cannot render the results (out of memory)");
        else {
            fputs(s, stdout);
            tach__free(s);
        }
    } else {
        fputs(text, stdout);
    }
    if (rc == 0 && !o->out && tach__flush_stdout(err) != 0) rc = -1;
    json_decref(j);
    free(text);
    return rc;
}

/* The line for name's profile with no samples when the benchmark did not end ok (its
 * status and message), or has no result (the run was interrupted before it finished):
 * "no samples (the measured region ran for less than one sampling period)" would
 * blame its shortness.  NULL when it ended ok (or out of memory). */
static char *no_profile_text(const tach__doc *d, const char *name)
{
    const tach__result *r = NULL;
    for (size_t k = 0; k < d->nresults && !r; k++)
        if (d->results[k].name && !strcmp(d->results[k].name, name)) r = &d->results[k];
    if (r && r->status == TACH__OK) return NULL;
    tach__buf b = {0};
    if (!r) tach__buf_printf(&b, "profile of %s: none (the run was interrupted before this benchmark finished)\n", name);
    else tach__buf_printf(&b, "profile of %s: none (%s%s%s)\n", name, tach__status_name(r->status),
                          r->message ? ": " : "", r->message ? r->message : "");
    return tach__buf_take(&b);
}

/* Symbolizes and writes each profiled benchmark's profile into texts[i] (the text
 * to print) and keeps its bottleneck table in the results document:
 * context.profiles.NAME.top (docs/profiling.md), so that the tool reading the
 * document has the table's file:line. */
static int build_profiles(const run_opts *o, const tach__instance *sel, size_t nsel,
                          tach__prof_raw **raws, tach__doc *d, char **texts, bool *write_failed,
                          const char *prog, char *err)
{
    tach__symtab *t = tach__symtab_new(NULL, err);
    if (!t) return -1;
    int rc = 0;
    for (size_t i = 0; i < nsel && rc == 0; i++) {
        json_t *top = NULL;
        if (!raws[i]->samples && (texts[i] = no_profile_text(d, sel[i].name)) != NULL) continue;
        bool unwritten = false;
        texts[i] = tach__prof_finish(raws[i], t, sel[i].name, (int)o->profile_hz, o->profile_dir,
                                     (size_t)o->top, true, &top, &unwritten, err);
        if (!texts[i]) rc = -1;
        else if (unwritten) { /* its table is printed all the same */
            fprintf(stderr, "%s: profile of %s: its files could not be written: %s\n", prog,
                    sel[i].name, err);
            *write_failed = true;
        }
        if (top) {
            json_t *all = json_object_get(d->context, "profiles");
            if (!json_is_object(all)) {
                all = json_object();
                json_object_set_new(d->context, "profiles", all);
            }
            json_t *e = json_object();
            json_object_set_new(e, "top", top);
            json_object_set_new(all, sel[i].name, e);
        }
    }
    tach__symtab_free(t);
    return rc;
}

/* Prints the profiles' texts: to stdout, or to stderr when stdout holds the results
 * document; a name's or a message's control characters (an escape sequence) as spaces,
 * as the results table shows them (tach__terminal_safe).  Returns -1 with err when
 * stdout could not take them. */
static int report_profiles(const run_opts *o, char **texts, size_t nsel, char *err)
{
    FILE *to = o->format != FMT_CONSOLE && !o->out ? stderr : stdout;
    for (size_t i = 0; i < nsel; i++) {
        tach__terminal_safe(texts[i], true);
        if (texts[i]) fprintf(to, "\n%s", texts[i]);
    }
    if (to == stdout) return tach__flush_stdout(err);
    fflush(to);
    return 0;
}

/* ---- duplicate names ----------------------------------------------------------- */

static const tach__instance *sort_base;

static int by_name(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    int c = strcmp(sort_base[*x].name, sort_base[*y].name);
    return c ? c : (*x > *y) - (*x < *y);
}

/* Two benchmarks with one full name (TACH_BENCH functions are static, so two files
 * may both define `copy`) would be indistinguishable in every later stage: each
 * later one is turned into a failed instance saying so.  Returns -1 on allocation
 * failure. */
static int mark_duplicates(tach__instance *all, size_t n, char *err)
{
    if (n < 2) return 0;
    size_t *idx = tach__malloc(n * sizeof *idx);
    if (!idx) return tach__err(err, "out of memory");
    for (size_t i = 0; i < n; i++) idx[i] = i;
    sort_base = all;
    qsort(idx, n, sizeof *idx, by_name);
    sort_base = NULL;
    int rc = 0;
    for (size_t k = 1; k < n; k++) {
        tach__instance *in = &all[idx[k]];
        if (strcmp(in->name, all[idx[k - 1]].name) != 0 || in->error) continue;
        in->error = tach__strdup("another benchmark has the same full name; give one a "
                                 "different name or .group");
        if (!in->error) { rc = tach__err(err, "out of memory"); break; }
    }
    tach__free(idx);
    return rc;
}

/* ---- tach_main -------------------------------------------------------------- */

int tach_main(int argc, char **argv)
{
    if (!argv || argc < 0) argc = 0; /* no argument vector: no arguments */
    /* The arguments end at a NULL one, as a C argv does: the parser and the memory pass
     * (which starts the program again with them) never read one. */
    for (int i = 0; i < argc; i++)
        if (!argv[i]) {
            argc = i;
            break;
        }
    const char *prog = argc > 0 && argv && argv[0] ? argv[0] : "tach";
    if (argc > 1 && argv[1] && !strcmp(argv[1], TACH__LOAD_ARG)) return tach__load_main(argc, argv);
    run_opts o;
    memset(&o, 0, sizeof o);
    tach__sample_opts_default(&o.s);
    o.format = FMT_CONSOLE;
    o.timeout_s = 60;
    o.resamples = DEFAULT_RESAMPLES;
    o.rounds = DEFAULT_ROUNDS;

    int rc = parse_args(&o, argc, argv);
    if (rc) return rc;
    o.s.argc = argv ? argc : 0; /* the memory pass starts the program again with them */
    o.s.argv = argv;
    if (o.help) {
        print_usage(prog);
        char herr[TACH__ERR_MAX];
        if (tach__flush_stdout(herr) != 0) {
            fprintf(stderr, "%s: %s\n", prog, herr);
            return 2;
        }
        return 0;
    }
    if (o.probe) {
        printf("{\"tach_bench\":1,\"version\":\"%s\",\"format\":\"%s\",\"format_version\":%d}\n",
               tach_version(), TACH__DOC_FORMAT, TACH__DOC_VERSION);
        char perr[TACH__ERR_MAX];
        if (tach__flush_stdout(perr) != 0) {
            fprintf(stderr, "%s: %s\n", prog, perr);
            return 2;
        }
        return 0;
    }

    if (o.metric == METRIC_INSTRUCTIONS && !o.instr_worker) {
#ifdef TACH_HAVE_CALLGRIND
        char verr[TACH__ERR_MAX];
        if (tach__valgrind_find(o.valgrind, sizeof o.valgrind, verr) != 0) {
            fprintf(stderr, "%s: " TACH__VALGRIND_MISSING_FMT "\n", prog, "instructions");
            return 2;
        }
        /* One that cannot start its callgrind tool would fail every benchmark: said once,
         * before any runs, as a missing one is. */
        if (tach__valgrind_starts(o.valgrind, verr) != 0) {
            fprintf(stderr, "%s: " TACH__VALGRIND_NO_TOOL_FMT "\n", prog, "instructions", o.valgrind, verr);
            return 2;
        }
        /* each count's directory: a $TMPDIR where none can be made fails the first count */
        char dir[PATH_MAX];
        bool usage;
        if (tach__instr_dir_make(dir, verr, &usage) != 0) {
            fprintf(stderr, "%s: %s\n", prog, verr);
            return usage ? 2 : 1;
        }
        tach__remove_flat_dir(dir);
#else
        fprintf(stderr, "%s: --metric instructions: this libtach was built without Valgrind's "
                        "headers (Debian package: valgrind)\n", prog);
        return 2;
#endif
    }

    /* A definition the registry refused would otherwise vanish without a word. */
    const char *refused_why;
    size_t refused = tach__registry_refused(&refused_why);
    if (refused) {
        fprintf(stderr, "%s: %zu benchmark definition%s refused: %s\n", prog, refused,
                refused == 1 ? " was" : "s were", refused_why);
        return 2;
    }

    regex_t re;
    if (o.filter) {
        int e = regcomp(&re, o.filter, REG_EXTENDED | REG_NOSUB);
        if (e) {
            char msg[256];
            regerror(e, &re, msg, sizeof msg);
            fprintf(stderr, "%s: invalid value '%s' for --filter: %s\n", prog, o.filter, msg);
            return 2;
        }
    }

    char err[TACH__ERR_MAX] = "";
    tach__instance *all = NULL, *sel = NULL;
    size_t nall = 0, nsel = 0;
    tach__doc *d = NULL;
    char *out_abs = NULL, *hlog_abs = NULL;
    tach__prof_raw **raws = NULL;
    char **prof_texts = NULL;
    rc = 0;
    for (size_t i = 0; i < tach__registry_count(); i++)
        if (tach__expand(tach__registry_get(i), &all, &nall, err) != 0) goto internal;
    if (tach__expand_threads(&all, &nall, o.threads, o.nthreads, err) != 0) goto internal;
    if (mark_duplicates(all, nall, err) != 0) goto internal;
    sel = tach__calloc(nall ? nall : 1, sizeof *sel);
    if (!sel) goto internal;
    for (size_t i = 0; i < nall; i++) {
        if (o.filter && regexec(&re, all[i].name, 0, NULL, 0) != 0) continue;
        sel[nsel++] = all[i]; /* shallow: `all` owns the strings */
    }

    if (o.instr_worker) { /* this process runs under Valgrind for a parent runner */
        tach__instr_opts io = {.seed = o.s.seed};
        rc = tach__instr_worker(o.instr_worker, sel, nsel, &io);
        goto done;
    }
    if (o.mem_worker) { /* a memory pass's process, the counting allocator preloaded */
        rc = tach__mem_worker(o.mem_worker, sel, nsel, o.s.seed);
        if (rc == 2)
            fprintf(stderr, "%s: invalid value '%s' for --tach-mem-worker (internal: FD,ITERS,NAME "
                            "with FD an open pipe)\n", prog, o.mem_worker);
        goto done;
    }
    if (o.list) {
        if (nsel == 0 && o.filter && !o.quiet)
            fprintf(stderr, "%s: no benchmark matches --filter '%s'\n", prog, o.filter);
        /* one name a line, safe on a terminal: shown as the table shows it */
        for (size_t i = 0; i < nsel; i++) {
            char *safe = tach__strdup(sel[i].name);
            if (!safe) goto internal;
            tach__terminal_safe(safe, false);
            printf("%s\n", safe);
            tach__free(safe);
        }
        if (tach__flush_stdout(err) != 0) {
            fprintf(stderr, "%s: %s\n", prog, err);
            rc = 2;
        }
        goto done;
    }
    if (o.soak_duration_s > 0) {
        if (nsel != 1) { /* the selection is at fault, not the duration */
            if (nsel == 0) {
                if (o.filter)
                    fprintf(stderr, "%s: --soak-duration runs exactly one benchmark, and none "
                                    "matches --filter '%s'\n", prog, o.filter);
                else
                    fprintf(stderr, "%s: --soak-duration runs exactly one benchmark, and this "
                                    "binary has none\n", prog);
            } else {
                if (o.filter)
                    fprintf(stderr, "%s: --soak-duration runs exactly one benchmark, and --filter "
                                    "'%s' selects %zu:", prog, o.filter, nsel);
                else
                    fprintf(stderr, "%s: --soak-duration runs exactly one benchmark, and without "
                                    "--filter all %zu are selected:", prog, nsel);
                for (size_t i = 0; i < nsel && i < 5; i++) {
                    char *safe = tach__strdup(sel[i].name);
                    if (!safe) goto internal;
                    tach__terminal_safe(safe, false);
                    fprintf(stderr, "%s %s", i ? "," : "", safe);
                    tach__free(safe);
                }
                fprintf(stderr, "%s (choose one with --filter)\n", nsel > 5 ? ", ..." : "");
            }
            rc = 2;
            goto done;
        }
        tach__signals_install();
        int soak_rc = tach__soak_run(&sel[0], o.soak_duration_s,
                                     o.soak_interval_s > 0 ? o.soak_interval_s : 1.0, o.s.seed,
                                     tach__interrupt_flag(), stdout, err);
        tach__signals_restore();
        if (soak_rc != 0) {
            fprintf(stderr, "%s: %s\n", prog, err);
            rc = ferror(stdout) ? 2 : 1; /* its output not written: as --out */
        }
        goto done;
    }
    if (o.out && check_out_path(o.out, err) != 0) {
        fprintf(stderr, "%s: --out: %s\n", prog, err);
        rc = 2;
        goto done;
    }
    if (o.export_hlog && (!*o.export_hlog || check_out_path(o.export_hlog, err) != 0)) {
        fprintf(stderr, "%s: --export-hlog: %s\n", prog, *o.export_hlog ? err : "the file name is empty");
        rc = 2;
        goto done;
    }
    if (o.profile && tach__prof_dir_check(o.profile_dir, err) != 0) {
        fprintf(stderr, "%s: --profile-dir: %s\n", prog, err);
        rc = 2;
        goto done;
    }
    if (nsel == 0 && o.filter) {
        /* a typo, not an empty run: as `tach run BINARY --filter` says (--list answers
         * the question "which match?", with none, above) */
        fprintf(stderr, "%s: no benchmark matches --filter '%s' (nothing run; --list lists "
                        "them)\n", prog, o.filter);
        rc = 2;
        goto done;
    }
    if (o.export_hlog && o.export_hlog[0] != '/') { /* resolved now, as --out below */
        char cwd[PATH_MAX];
        size_t need = strlen(o.export_hlog) + PATH_MAX + 2;
        if (!getcwd(cwd, sizeof cwd) || !(hlog_abs = tach__malloc(need))) goto internal;
        snprintf(hlog_abs, need, "%s/%s", cwd, o.export_hlog);
        o.export_hlog = hlog_abs;
    }
    /* Resolved now: with --no-isolate a benchmark that changes the current directory
     * would otherwise move the file. */
    if (o.out && o.out[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) {
            fprintf(stderr, "%s: --out: cannot read the current directory: %s\n", prog, strerror(errno));
            rc = 2;
            goto done;
        }
        size_t need = strlen(cwd) + strlen(o.out) + 2;
        out_abs = tach__malloc(need);
        if (!out_abs) goto internal;
        snprintf(out_abs, need, "%s/%s", cwd, o.out);
        o.out = out_abs;
    }

    double res_ns, cost_ns;
    tach__clock_info(&res_ns, &cost_ns); /* measured once, before any worker forks */
    d = tach__doc_new();
    if (!d) goto internal;
    json_t *ctx = make_context(&o, argc, argv);
    if (!ctx) goto internal;
    json_decref(d->context);
    d->context = ctx;
    if (!o.quiet) {
        size_t k;
        json_t *w;
        /* a count is the same on a busy or virtual machine: those recorded, not said */
        json_array_foreach(json_object_get(ctx, "warnings"), k, w)
            if (json_is_string(w) && !(o.metric == METRIC_INSTRUCTIONS &&
                                       tach__env_warning_timing_only(json_string_value(w))))
                fprintf(stderr, "warning: %s\n", json_string_value(w));
        fflush(stderr);
    }

    if (o.profile) {
        raws = tach__calloc(nsel ? nsel : 1, sizeof *raws);
        if (!raws) goto internal;
        for (size_t i = 0; i < nsel; i++)
            if (!(raws[i] = tach__prof_raw_new())) goto internal;
    }
    tach__signals_install();
    int run_rc = run_all(&o, sel, nsel, d, raws, err);
    tach__signals_restore();
    if (run_rc != 0) goto internal;
    if (d->partial) {
        int sig = tach__interrupt_signal();
        fprintf(stderr, "%s: interrupted by %s after %zu of %zu benchmarks; the results are partial\n",
                prog, tach__signal_name(sig), d->nresults, nsel);
        rc = 1;
    }
    if (raws && !(prof_texts = tach__calloc(nsel ? nsel : 1, sizeof *prof_texts))) goto internal;
    bool prof_unwritten = false;
    if (raws && build_profiles(&o, sel, nsel, raws, d, prof_texts, &prof_unwritten, prog, err) != 0) {
        fprintf(stderr, "%s: profile: %s\n", prog, err);
        rc = 1;
    }
    if (emit(&o, d, err) != 0) {
        fprintf(stderr, "%s: cannot write the results: %s\n", prog, err);
        rc = 2;
        goto done;
    }
    if (o.export_hlog) {
        size_t len = 0;
        char *hl = tach__format_write(d, "hlog", &len, err);
        if (!hl || tach__write_text_file(hl, len, o.export_hlog, err) != 0) {
            fprintf(stderr, "%s: --export-hlog: %s\n", prog, err);
            rc = 2;
        }
        tach__free(hl);
        if (rc == 2) goto done;
    }
    for (size_t i = 0; i < d->nresults; i++) {
        tach__status s = d->results[i].status;
        if (s != TACH__OK && s != TACH__SKIPPED) rc = 1;
    }
    if (prof_texts && report_profiles(&o, prof_texts, nsel, err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        prof_unwritten = true;
    }
    if (prof_unwritten) rc = 2; /* an output not written, as --out */
    goto done;

internal:
    fprintf(stderr, "%s: %s\n", prog, err[0] ? err : "out of memory");
    rc = 1;
done:
    tach__mem_preload_release();
    for (size_t i = 0; raws && i < nsel; i++) tach__prof_raw_free(raws[i]);
    for (size_t i = 0; prof_texts && i < nsel; i++) tach__free(prof_texts[i]);
    tach__free(prof_texts);
    tach__free(raws);
    tach__free(out_abs);
    tach__free(hlog_abs);
    if (o.filter) regfree(&re);
    tach__doc_free(d);
    tach__free(sel);
    tach__instances_free(all, nall);
    return rc;
}
