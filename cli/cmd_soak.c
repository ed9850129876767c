/*
 * cmd_soak.c - `tach soak`: run a benchmark's operation or a command again and again
 * for --duration, keep a series per --interval in a file synced at every interval
 * (so a crash or kill -9 keeps what was done), resume it, and judge it: latency and
 * throughput drift, memory growth, stable / drifting / leaking (docs/soak.md).
 *
 *   tach soak --duration S [--interval S] [--out FILE] --bench RE BENCH_BINARY
 *   tach soak --duration S [--interval S] [--out FILE] -- COMMAND [ARGS...]
 *   tach soak --duration S [--interval S] [--out FILE] --load [--pid PID] -- LOAD-ARGS...
 *   tach soak --resume FILE
 *   tach soak --report FILE [--format F] [-o OUT]
 *
 * (About 960 lines: the target check, the interval loop, resume and the report read one
 * soak options struct and series file; the pieces that stand alone are in soak_*.c.)
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"
#include "proc_probe.h"
#include "soak.h"
#include "soak_cli.h"
#include "run.h"
#include "soak_report.h"
#include "store_cli.h"
#include "tach_internal.h"

typedef struct soak_opts {
    double duration_s, interval_s, min_hours, max_growth;
    long pid;                /* --pid: the server a URL load target is watched through */
    const char *out, *resume, *report, *bench, *output, *store;
    int format;              /* index into soak_formats */
    bool help, no_store, load;
} soak_opts;

static const char *const soak_formats[] = {"console", "markdown", "json", "junit", "html", NULL};

#define OFF(f) offsetof(soak_opts, f)
static const tach__opt soak_table[] = {
    {.kind = TACH__OPT_DURATION, .name = "duration", .metavar = "S", .offset = OFF(duration_s),
     .hi = 1e9, .flags = TACH__OPT_LO_OPEN,
     .help = "how long to soak: seconds, or with a unit (90s, 30m, 24h)"},
    {.kind = TACH__OPT_DURATION, .name = "interval", .metavar = "S", .offset = OFF(interval_s),
     .lo = 0.01, .hi = 1e6, .help = "one point of the series per S (default 1)"},
    {.kind = TACH__OPT_STRING, .name = "out", .metavar = "FILE", .offset = OFF(out),
     .help = "the series file, appended and synced every interval\n(default soak.jsonl)"},
    {.kind = TACH__OPT_STRING, .name = "bench", .metavar = "REGEX", .offset = OFF(bench),
     .help = "soak the one benchmark of BENCH_BINARY whose name matches"},
    {.kind = TACH__OPT_FLAG, .name = "load", .offset = OFF(load),
     .help = "soak a tach load scenario: the arguments after -- are\ntach load's (BENCH OP[:W]... or URL... and its options),\none load run for the whole soak"},
    {.kind = TACH__OPT_COUNT, .name = "pid", .metavar = "PID", .offset = OFF(pid), .lo = 1,
     .hi = 1 << 30, .help = "--load of URLs: watch the server, process PID: its RSS,\n"
                            "open descriptors and threads per interval"},
    {.kind = TACH__OPT_STRING, .name = "resume", .metavar = "FILE", .offset = OFF(resume),
     .help = "go on with the partial soak in FILE until its duration"},
    {.kind = TACH__OPT_STRING, .name = "report", .metavar = "FILE", .offset = OFF(report),
     .help = "judge the soak in FILE (partial or whole) and write its report"},
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "FORMAT", .offset = OFF(format),
     .choices = soak_formats, .help = "the report: console (default), markdown, json, junit or html"},
    {.kind = TACH__OPT_STRING, .name = "output", .short_name = 'o', .metavar = "OUT",
     .offset = OFF(output), .help = "write the report to OUT (default: standard output)"},
    {.kind = TACH__OPT_REAL, .name = "min-hours", .metavar = "H", .offset = OFF(min_hours),
     .hi = 1e6, .flags = TACH__OPT_LO_OPEN,
     .help = "target soak_min_hours: the soak must last at least H hours"},
    {.kind = TACH__OPT_REAL, .name = "max-growth", .metavar = "KB/H", .offset = OFF(max_growth),
     .hi = 1e12, .flags = TACH__OPT_LO_OPEN,
     .help = "target max_growth_kb_per_hour: the memory growth's 95% CI\nmust stay below KB/H"},
    {.kind = TACH__OPT_STRING, .name = "store", .metavar = "SPEC", .offset = OFF(store),
     .help = "record the soak in this store when it stops (default:\n$TACH_STORE, else .tach/tach.db)"},
    {.kind = TACH__OPT_FLAG, .name = "no-store", .offset = OFF(no_store),
     .help = "do not record the soak in the store"},
    CLI_ROW_HELP(soak_opts),
};
#undef OFF

CLI_OPTIONS(soak, soak_table,
    "usage: tach soak --duration S [--interval S] [--out FILE] --bench REGEX BENCH_BINARY\n"
    "       tach soak --duration S [--interval S] [--out FILE] -- COMMAND [ARGS...]\n"
    "       tach soak --duration S [--interval S] [--out FILE] --load [--pid PID] -- LOAD-ARGS...\n"
    "       tach soak --resume FILE [--store SPEC | --no-store]\n"
    "       tach soak --report FILE [--format FORMAT] [-o OUT]\n"
    "\n"
    "Runs a benchmark's operation (in the benchmark binary's soak mode) or a command\n"
    "again and again for the duration and keeps one point per interval: throughput,\n"
    "latency p50/p99/max, errors, RSS, heap in use (benchmarks), open descriptors and\n"
    "threads.  The series file is synced at every interval: after a crash, kill -9 or\n"
    "Ctrl-C it holds every interval done, --report judges it (marked partial) and\n"
    "--resume goes on.  The verdict: latency and throughput drift (change points),\n"
    "memory growth (Mann-Kendall on window minima, Sen's slope in KB/h; heap growth is a\n"
    "leak, RSS-only growth is not), summary stable, drifting, leaking or \"not tested\"\n"
    "(fewer than 12 intervals: inconclusive, never called stable).  The target is\n"
    "checked before the file is made: a --bench REGEX selecting not exactly one\n"
    "benchmark, a missing binary or command exits 2 with nothing written.  With\n"
    "--report or --resume the file holds the soak's settings: --duration, --interval,\n"
    "--out, --bench, --load and --pid (and --store, --no-store with --report) are\n"
    "refused (exit 2).\n"
    "\n",
    "Exit status: 0 stable; 1 failing (operations failed), drifting, leaking, not tested,\n"
    "a target missed, the --load run invalid or an objective missed, or the target failed,\n"
    "or the soak could not be recorded (\"the run was NOT recorded\": a write that\n"
    "failed, a PostgreSQL server down by then; the series file kept); 2 bad usage\n"
    "(nothing written), or a store damaged, replaced (a directory) or made read-only\n"
    "during the soak (NOT recorded, the series file kept); 130 interrupted\n"
    "(the file keeps the intervals done).  A soak NOT recorded is recorded later by\n"
    "tach record FILE, its series file, as the line says.\n")

/* The time now as ISO 8601 UTC. */
static void iso_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Appends one line to fd and syncs it: the checkpoint. */
static int put_line(int fd, json_t *o, char *err)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(7));
    if (!text) return tach__err(err, "out of memory");
    size_t len = strlen(text);
    text[len] = '\n';
    const char *p = text;
    size_t left = len + 1;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            free(text);
            return tach__err(err, "cannot write the series: %s", strerror(errno));
        }
        p += w;
        left -= (size_t)w;
    }
    free(text);
    /* a file that cannot be synced (EINVAL: a pipe, a device) was still written */
    if (fdatasync(fd) != 0 && errno != EINVAL)
        return tach__err(err, "cannot write the series: %s", strerror(errno));
    return 0;
}

static volatile sig_atomic_t stop_signal;
/* set with stop_signal, and by the alarm at a command soak's end: the command's run
 * under way is killed (cli_child_run_peak) */
static volatile sig_atomic_t cancel_run;
static void on_stop(int sig)
{
    stop_signal = sig;
    cancel_run = 1;
}
static volatile sig_atomic_t alarm_rang; /* the alarm at the soak's end, past its grace */
static void on_alarm(int sig)
{
    (void)sig;
    cancel_run = 1;
    alarm_rang = 1;
}

/* Arms SIGALRM (on_alarm, no SA_RESTART: it interrupts a wait or a read) to ring after s
 * seconds, then every 50 ms in case it rang just before the wait began; old gets the
 * handler to put back (disarm_alarm). */
static void set_alarm(double s)
{
    alarm_rang = 0;
    long usec = (long)((s - floor(s)) * 1e6);
    struct itimerval at = {.it_interval = {0, 50000},
                           .it_value = {(time_t)s, usec > 999999 ? 999999 : usec < 1 ? 1 : usec}};
    setitimer(ITIMER_REAL, &at, NULL);
}

static void arm_alarm(double s, struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, old);
    set_alarm(s);
}

static void disarm_alarm(const struct sigaction *old)
{
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, old, NULL);
}

/* A benchmark binary's grace past the soak's end before it is taken for hung: an
 * interval, and 10 s for its start (a setup that builds its data) */
#define SOAK_BENCH_GRACE_S 10.0

/* ---- a benchmark binary in its soak mode ---------------------------------------- */

static int soak_bench(const json_t *target, double run_s, double interval_s, double t0,
                      size_t index0, int fd, char *err)
{
    const char *bin = json_string_value(json_object_get(target, "binary"));
    const char *re = json_string_value(json_object_get(target, "bench"));
    char dur[64], ivl[64];
    snprintf(dur, sizeof dur, "%.6f", run_s);
    snprintf(ivl, sizeof ivl, "%.6f", interval_s);
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return tach__err(err, "pipe: %s", strerror(errno));
    cli_child_opts co = {.null_stdin = true}; /* tach killed: its soak stops too */
    pid_t pid = cli_child_fork(&co);
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return tach__err(err, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        if (dup2(p[1], 1) < 0) _exit(127);
        char *argv[] = {(char *)bin, "--filter", (char *)re, "--soak-duration", dur,
                        "--soak-interval", ivl, "--quiet", NULL};
        execv(bin, argv);
        _exit(127);
    }
    close(p[1]);
    /* an operation that never returns holds the binary, and this read, past the soak's
     * end for ever: killed once its grace is over; a stop is passed on at once (a hung
     * binary writes nothing more that would end it on a closed pipe), and the binary
     * killed if it has not ended 2 s later */
    struct sigaction old_alrm;
    double grace = interval_s + SOAK_BENCH_GRACE_S;
    arm_alarm(run_s + grace, &old_alrm);
    bool killed = false, passed = false;
    FILE *in = fdopen(p[0], "r");
    char line[4096];
    int rc = 0;
    size_t index = index0;
    while (in) {
        if (alarm_rang && !killed) {
            kill(pid, SIGKILL);
            killed = true;
        }
        if (!fgets(line, sizeof line, in)) {
            if (!ferror(in) || errno != EINTR) break;
            clearerr(in);
            if (stop_signal && !passed) {
                kill(pid, SIGINT);
                passed = true;
                set_alarm(2);
            }
            continue;
        }
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!o) continue;
        double t = json_number_value(json_object_get(o, "t"));
        json_object_set_new(o, "t", json_real(t0 + t));
        json_object_set_new(o, "interval", json_integer((json_int_t)index++));
        rc = put_line(fd, o, err);
        json_decref(o);
        if (rc) break;
        if (stop_signal && !passed) {
            kill(pid, SIGINT);
            passed = true;
            set_alarm(2);
        }
    }
    if (in) fclose(in);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        if (alarm_rang && !killed) {
            kill(pid, SIGKILL);
            killed = true;
        } else if (stop_signal && !passed) {
            kill(pid, SIGINT);
            passed = true;
            set_alarm(2);
        }
    }
    disarm_alarm(&old_alrm);
    char sb[64] = "";
    if (WIFSIGNALED(st)) cli_signal_describe(WTERMSIG(st), sb, sizeof sb);
    if (rc == 0 && killed && !stop_signal)
        rc = tach__err(err, "%s %s: the benchmark binary was still running %g s after the soak's "
                            "end (an operation that does not return?): killed", bin, re, grace);
    else if (rc == 0 && !stop_signal && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
        rc = tach__err(err, "%s %s: the benchmark binary %s%s", bin, re,
                       WIFEXITED(st) ? "failed (see its message above)" : "was ", sb);
    return rc;
}

/* ---- a command, run again and again --------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int soak_command(const json_t *target, double run_s, double interval_s, double t0,
                        size_t index0, int fd, char *err)
{
    const json_t *av = json_object_get(target, "argv");
    size_t argc = json_array_size(av);
    char **argv = tach__calloc(argc + 1, sizeof *argv);
    if (!argv) return tach__err(err, "out of memory");
    for (size_t i = 0; i < argc; i++) argv[i] = (char *)json_string_value(json_array_get(av, i));
    size_t cap = 1024, nlat = 0;
    double *lat = tach__malloc(cap * sizeof *lat);
    /* the program as its messages name it: no password, nothing raw on a terminal */
    char *prog = argv[0] ? tach__redact_arg(NULL, argv[0]) : NULL;
    if (!lat || !prog) {
        bool empty = !argv[0];
        tach__free(lat);
        tach__free(prog);
        tach__free(argv);
        return tach__err(err, empty ? "the soak's command is empty" : "out of memory");
    }
    tach__terminal_safe(prog, false);
    uint64_t start = tach__now_ns(), istart = start;
    double ops = 0, errors = 0, rss = 0;
    size_t index = index0;
    int rc = 0;
    /* the first run of each interval traced for its own peak RSS (child_peak.c), unless
     * the program gains privileges on exec, which the kernel withholds from a traced one */
    bool traceable = !cli_exec_privileged(argv[0]), trace = traceable, rss_own = false;
    double traced_lat = NAN; /* this interval's traced run's time */
    /* A run still going one interval after the soak's end (a command that hangs) is
     * killed there and counted as failed: the soak ends near its duration, not never.
     * The alarm repeats every 50 ms after it first rings, in case it rang just before
     * the wait began. */
    struct sigaction old_alrm;
    cancel_run = stop_signal != 0;
    arm_alarm(run_s + interval_s, &old_alrm);
    bool cut = false;
    /* runs that died of a signal (not the kill of one cut at the end): counted as failed
     * like any other, and the first signal named when the soak is over */
    size_t nsig = 0, sig_index = 0;
    int first_sig = 0;
    while (!stop_signal) {
        uint64_t a = tach__now_ns(), end;
        int st = 0;
        struct rusage ru;
        double peak_kib;
        bool own_peak;
        if (cli_child_run_peak(argv, trace, &cancel_run, &st, &ru, &peak_kib, &own_peak, &end) < 0) {
            rc = tach__err(err, "cannot run %s: %s", prog, strerror(errno));
            break;
        }
        if (stop_signal) break; /* a run cut by Ctrl-C is not one of the series */
        cut = cancel_run != 0;
        bool traced_run = trace;
        if (trace) rss_own = own_peak;
        if (!traceable) peak_kib = (double)ru.ru_maxrss; /* all that is known */
        trace = false;
        uint64_t b = tach__now_ns();
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127 && ops == 0 && index == index0) {
            rc = tach__err(err, "%s: cannot run the command", prog);
            break;
        }
        ops++;
        errors += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        if (WIFSIGNALED(st) && !cut && nsig++ == 0) {
            first_sig = WTERMSIG(st);
            sig_index = index;
        }
        if (peak_kib * 1024 > rss) rss = peak_kib * 1024;
        if (nlat == cap && TACH__GROW(&lat, &cap, nlat + 1, 1024) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        /* A traced run is timed to its exit stop, before the kernel frees its memory, which
         * the others' times hold: it is in the latency only when the interval has no other */
        if (traced_run) traced_lat = (double)(end - a);
        else lat[nlat++] = (double)(end - a);
        double since = (double)(b - istart) / 1e9, total = (double)(b - start) / 1e9;
        if (since >= interval_s || total >= run_s) {
            if (!nlat && isfinite(traced_lat)) lat[nlat++] = traced_lat;
            qsort(lat, nlat, sizeof *lat, cmp_d);
            json_t *o = json_object();
            json_object_set_new(o, "interval", json_integer((json_int_t)index++));
            json_object_set_new(o, "t", json_real(t0 + total));
            json_object_set_new(o, "length", json_real(since));
            json_object_set_new(o, "ops", tach__json_count(ops));
            json_object_set_new(o, "ops_per_s", json_real(ops / since));
            json_object_set_new(o, "errors", tach__json_count(errors));
            json_object_set_new(o, "p50_ns", tach__json_num(tach__quantile_sorted(lat, nlat, 0.5)));
            json_object_set_new(o, "p99_ns", tach__json_num(tach__quantile_sorted(lat, nlat, 0.99)));
            json_object_set_new(o, "max_ns", tach__json_num(lat[nlat - 1]));
            json_object_set_new(o, "rss_bytes", tach__json_count(rss));
            /* how: the program's own peak (a traced run), or wait4's ru_maxrss, which holds
             * tach's pages copied at the fork (tracing refused, or a privileged program) */
            json_object_set_new(o, "rss_of", json_string(rss_own ? "program" : "wait4"));
            rc = put_line(fd, o, err);
            json_decref(o);
            if (rc) break;
            nlat = 0;
            ops = errors = rss = 0;
            istart = b;
            trace = traceable;
            traced_lat = NAN;
            if (total >= run_s || cut) break;
        }
    }
    disarm_alarm(&old_alrm);
    if (nsig) {
        char sb[64];
        cli_signal_describe(first_sig, sb, sizeof sb);
        fprintf(stderr, "tach soak: %s: a run in interval %zu was %s", prog, sig_index, sb);
        if (nsig > 1) fprintf(stderr, ", the first of %zu killed by a signal", nsig);
        fputc('\n', stderr);
    }
    if (cut)
        fprintf(stderr, "tach soak: %s was still running %g s after the soak's end (--interval): "
                        "killed, counted as a failed run\n", prog, interval_s);
    tach__free(lat);
    tach__free(prog);
    tach__free(argv);
    return rc;
}

/* ---- a tach load scenario: one load run for the whole soak (soak_load.c) ---------- */

static int put_cb(void *ctx, json_t *o, char *err)
{
    return put_line(*(const int *)ctx, o, err);
}

static int soak_load(const json_t *target, double run_s, double interval_s, double t0,
                     size_t index0, int fd, char *err)
{
    return cli_soak_load(target, run_s, interval_s, t0, index0, &stop_signal, put_cb, &fd, err);
}

/* ---- the target checked before anything is written ------------------------------ */

/* A command on PATH (or with a slash, as given) that can be executed. */
static bool soak_command_found(const char *cmd)
{
    struct stat st; /* a directory passes access(X_OK): it was soaked, every run failing */
    if (strchr(cmd, '/')) return stat(cmd, &st) == 0 && S_ISREG(st.st_mode) && access(cmd, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char full[4096];
        snprintf(full, sizeof full, "%.*s/%s", (int)n, n ? p : ".", cmd);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) return true;
        if (!e) return false;
        p = e;
    }
}

/* Refuses a target that cannot be soaked (exit 2, one line naming it) before the series
 * file is created: a benchmark binary that is not there (a path, or a name looked up on
 * PATH as run, ab and stability do: cli_find_executable, the path found into *binary,
 * malloc'd), a --bench REGEX that is not a regular expression or does not select exactly
 * one of the binary's benchmarks (asked of the binary: --list --filter REGEX), a command
 * not found. */
static int check_target(const soak_opts *o, const tach__opt_result *res, const char *shown,
                        char **binary)
{
    if (o->load) {
        /* tach load checks its own arguments (exit 2, file removed); those the soak sets
         * itself on it are the soak's to give */
        static const char *const own[] = {"--store", "--no-store", "--series", "--export-hlog",
                                          "--export-json", "--duration", "--interval", "--warmup", NULL};
        for (int i = 0; i < res->npos; i++) {
            if (!strcmp(res->pos[i], "--")) break;
            /* words that make no one load run to soak: tach load printed its help and
             * ran nothing (the soak then failed, "gave no interval", its file left), or
             * was refused for the soak's own --series ("--series and --find-max-rate") */
            if (!strcmp(res->pos[i], "-h") || !strcmp(res->pos[i], "--help"))
                return cli_usage_error("soak --load: %s: a soak runs the load, it shows no help "
                                       "(tach load --help shows the load's options)", res->pos[i]);
            if (!strcmp(res->pos[i], "--find-max-rate"))
                return cli_usage_error("soak --load: --find-max-rate makes several load runs; a "
                                       "soak is one (find the rate with tach load first, then "
                                       "soak at it with --rate)");
            for (const char *const *w = own; *w; w++) {
                size_t len = strlen(*w);
                if (!strncmp(res->pos[i], *w, len) && (!res->pos[i][len] || res->pos[i][len] == '='))
                    return cli_usage_error("soak --load: %s is the soak's to set on its load run "
                                           "(give tach soak's own --store, --duration, --interval; "
                                           "its file holds the series)", *w);
            }
        }
        /* the series file, and a binary's load run's own (tach load's limit, the longer):
         * a $TMPDIR near a path's length was cut to fit (exit 1, "Invalid argument") */
        bool url = false;
        for (int i = 0; i < res->npos; i++)
            url = url || !strncasecmp(res->pos[i], "http://", 7) || !strncasecmp(res->pos[i], "https://", 8);
        return cli_tmpdir_fits(NULL, cli_tmp_dir(), 4096,
                               url ? "/tach-soak-load-XXXXXX" : "/.tach-load-XXXXXX" CLI_TMP_SUFFIX, "file",
                               NULL);
    }
    const char *first = res->pos[0];
    if (!o->bench) {
        if (!soak_command_found(first))
            return cli_usage_error("%s: %s", shown, strchr(first, '/')
                                   ? "no such executable file" : "command not found on PATH");
        return CLI_OK;
    }
    if (cli_check_regex("--bench", o->bench) != CLI_OK) return CLI_USAGE;
    char why[TACH__ERR_MAX];
    char *found = cli_find_executable(first, why);
    struct stat st;
    if (!found || stat(found, &st) != 0 || !S_ISREG(st.st_mode)) {
        tach__free(found);
        return cli_usage_error("%s: no such benchmark binary (an executable file, a path or "
                               "on PATH)", shown);
    }
    *binary = found;
    size_t n = 0;
    if (cli_bench_count_matching(found, o->bench, NULL, &n) != 0)
        return cli_usage_error("%s: not a benchmark binary (its --list failed)", shown);
    if (n == 0)
        return cli_usage_error("--bench '%s': no benchmark of %s matches", o->bench, shown);
    if (n > 1)
        return cli_usage_error("--bench '%s': %zu benchmarks of %s match; a soak runs exactly one "
                               "(%s --list names them)", o->bench, n, shown, shown);
    return CLI_OK;
}

/* check_target, its messages naming the target's program with no password
 * (tach__redact_arg). */
static int soak_check_target(const soak_opts *o, const tach__opt_result *res, char **binary)
{
    char *shown = res->npos ? tach__redact_arg(NULL, res->pos[0]) : NULL;
    if (res->npos && !shown) return cli_error(CLI_FAIL, "out of memory");
    int rc = check_target(o, res, shown, binary);
    tach__free(shown);
    if (rc != CLI_OK) {
        tach__free(*binary);
        *binary = NULL;
    }
    return rc;
}

/* ---- judging and writing the report -------------------------------------------- */

static int report(const char *path, const soak_opts *o, bool *stable)
{
    tool_soak_log l;
    char err[TACH__ERR_MAX];
    int format = o->format;
    const char *output = o->output;
    if (tool_soak_log_read(path, &l, err) != 0) return cli_usage_error("%s", err);
    /* Targets given now replace the file's own. */
    if (o->min_hours > 0) l.min_hours = o->min_hours;
    if (o->max_growth > 0) l.max_growth_kb_h = o->max_growth;
    tool_soak_verdict v;
    tool_soak_targets tg;
    if (tool_soak_log_judge(&l, &v, &tg) != 0) {
        tool_soak_log_free(&l);
        return cli_error(CLI_FAIL, "out of memory");
    }
    char *text = NULL;
    if (format == 2) {
        json_t *j = tool_soak_report_json(&l, &v, &tg);
        text = j ? tach__json_text(j) : NULL;
        json_decref(j);
    } else if (format == 3) {
        text = tool_soak_junit(&l, &v, &tg);
    } else if (format == 4) {
        text = tool_soak_html(&l, &v, &tg);
    } else {
        text = tool_soak_markdown(&l, &v, &tg);
    }
    int rc = CLI_OK;
    if (!text) rc = cli_error(CLI_FAIL, "out of memory");
    else if (output && strcmp(output, "-") != 0) {
        if (tach__write_text_file(text, strlen(text), output, err) != 0)
            rc = cli_error(CLI_FAIL, "%s", err);
    } else {
        tach__stdout_puts(text, false);
    }
    tach__free(text);
    char load_why[512];
    bool load_failed = tool_soak_load_failed(l.load_runs, load_why, sizeof load_why);
    *stable = v.summary == TOOL_SOAK_STABLE && (!tg.has_min_hours || tg.min_hours_met) &&
              (!tg.has_max_growth || tg.max_growth_met) && l.n > 0 && !load_failed;
    if (rc == CLI_OK && format == 0) {
        fprintf(stderr, "tach soak: %s%s: %s\n", tool_soak_summary_name(v.summary),
                l.ended ? "" : " (partial)", v.reason);
        if (load_failed) /* the drift and memory verdicts hold, but the soak failed */
            fprintf(stderr, "tach soak: not a passing soak: its load run failed its checks: %s\n",
                    load_why);
    }
    tool_soak_log_free(&l);
    return rc;
}

int cli_soak_report(const char *path, const char *format, const char *out)
{
    static const char *const names[] = {"md", "markdown", "json", "junit", "html"};
    static const int index[] = {1, 1, 2, 3, 4};
    soak_opts o = {.output = out};
    bool known = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(format, names[i])) {
            o.format = index[i];
            known = true;
        }
    if (!known)
        return cli_cmd_usage_error("report", "--format %s: a soak is written as md, html, json or "
                                   "junit", format);
    bool stable;
    return report(path, &o, &stable);
}

/* Runs (or resumes) the soak described by header into fd from elapsed t0. */
static int run_soak(const json_t *header, double t0, size_t index0, int fd, char *err)
{
    const json_t *target = json_object_get(header, "target");
    double duration = json_number_value(json_object_get(header, "duration_s"));
    double interval = json_number_value(json_object_get(header, "interval_s"));
    const char *kind = json_string_value(json_object_get(target, "kind"));
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int rc;
    if (duration - t0 <= 0) /* killed after its last interval, before its end line */
        rc = 0;
    else if (kind && !strcmp(kind, "benchmark"))
        rc = soak_bench(target, duration - t0, interval, t0, index0, fd, err);
    else if (kind && !strcmp(kind, "load"))
        rc = soak_load(target, duration - t0, interval, t0, index0, fd, err);
    else
        rc = soak_command(target, duration - t0, interval, t0, index0, fd, err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return rc;
}

/* The store choice kept in a new soak's header, so that --resume records where the soak
 * would have: {"no_store": true}, or {"path": ABSOLUTE} of --store / TACH_STORE / the
 * default store found from here; a PostgreSQL URL (it may hold a password) is not kept:
 * {"url": true}, and --resume then needs --store again. */
static json_t *store_choice(const soak_opts *o)
{
    json_t *c = json_object();
    if (!c) return NULL;
    if (o->no_store) {
        json_object_set_new(c, "no_store", json_true());
        return c;
    }
    const char *spec = cli_store_spec(o->store);
    char err[TACH__ERR_MAX], cwd[4096];
    if (spec && tool_store_spec_is_postgres(spec)) {
        json_object_set_new(c, "url", json_true());
    } else if (spec) {
        char abs[8300];
        snprintf(abs, sizeof abs, "%s%s%s", spec[0] == '/' || !getcwd(cwd, sizeof cwd) ? "" : cwd,
                 spec[0] == '/' ? "" : "/", spec);
        json_object_set_new(c, "path", tach__json_string_lossy(spec[0] == '/' ? spec : abs));
    } else {
        char *def = tool_store_default_path(NULL, err);
        if (def) json_object_set_new(c, "path", tach__json_string_lossy(def));
        tach__free(def);
    }
    return c;
}

/* --resume without --store, --no-store or TACH_STORE: the header's choice (store_choice).  CLI_OK, or
 * CLI_USAGE when the soak's store was a URL that must be given again.  *keep holds a
 * copy of the path that o->store points into. */
static int resume_store(const json_t *header, soak_opts *o, char **keep)
{
    *keep = NULL;
    const json_t *c = json_object_get(header, "store");
    if (o->store || o->no_store || cli_store_spec(NULL) || !json_is_object(c))
        return CLI_OK; /* asked (TACH_STORE too), or an older file */
    if (json_is_true(json_object_get(c, "no_store"))) {
        o->no_store = true;
        return CLI_OK;
    }
    if (json_is_true(json_object_get(c, "url")))
        return cli_usage_error("--resume: the soak records into a PostgreSQL store, whose URL is "
                               "not kept in its file: give --store URL again (or --no-store)");
    const char *path = json_string_value(json_object_get(c, "path"));
    if (path) o->store = *keep = tach__strdup(path);
    return CLI_OK;
}

/* The intervals the soak's file at path holds (SIZE_MAX when it cannot be read). */
static size_t intervals_done(const char *path)
{
    tool_soak_log l;
    char err[TACH__ERR_MAX];
    if (tool_soak_log_read(path, &l, err) != 0) return SIZE_MAX;
    size_t n = l.n;
    tool_soak_log_free(&l);
    return n;
}

static int finish_soak(const char *path, int fd, int run_rc, const char *err_msg,
                       const soak_opts *o)
{
    /* the load run failed its checks: the soak is whole (end line, report, record) and
     * then fails, saying why */
    bool load_failed = run_rc == CLI_SOAK_LOAD_FAILED;
    if (load_failed) run_rc = 0;
    if (run_rc != 0) {
        close(fd);
        /* No interval done (the target failed at once, a benchmark at its calibration):
         * a new soak's file, its header alone, is removed, so that the same command can
         * run again once the target is fixed (--out never overwrites); a resumed soak's
         * file is the user's and kept.  Either way nothing is recorded. */
        size_t done = intervals_done(path);
        if (done == 0 && !o->resume && unlink(path) == 0)
            return cli_error(CLI_FAIL, "%s (no interval was done: %s, which held only the soak's "
                                       "header, is removed)", err_msg, path);
        if (done == 0)
            return cli_error(CLI_FAIL, "%s (no interval was done: %s is as it was)", err_msg, path);
        int rc = cli_error(CLI_FAIL, "%s (the intervals done are in %s)", err_msg, path);
        (void)cli_soak_record(path, o->store, o->no_store); /* recorded partial */
        return rc;
    }
    if (stop_signal) {
        close(fd);
        /* Stopped before its first interval: a new soak's file, its header alone, is
         * removed as above (nothing recorded); a resumed one keeps its intervals. */
        if (!o->resume && intervals_done(path) == 0 && unlink(path) == 0) {
            fprintf(stderr, "tach soak: interrupted by %s before its first interval: %s, which "
                            "held only the soak's header, is removed\n",
                    tach__signal_name(stop_signal), path);
            return CLI_INTERRUPTED;
        }
        fprintf(stderr, "tach soak: interrupted by %s; %s keeps the intervals done (tach soak "
                        "--resume %s goes on)\n", tach__signal_name(stop_signal), path, path);
        (void)cli_soak_record(path, o->store, o->no_store); /* recorded partial */
        return CLI_INTERRUPTED;
    }
    /* The end line, with the verdict, so the file says it is whole. */
    tool_soak_log l;
    char err[TACH__ERR_MAX];
    if (tool_soak_log_read(path, &l, err) == 0) {
        tool_soak_verdict v;
        if (tool_soak_log_judge(&l, &v, NULL) == 0) {
            json_t *end = json_object();
            json_object_set_new(end, "end", json_true());
            json_object_set_new(end, "elapsed_s", json_real(l.n ? l.t[l.n - 1] : 0));
            json_object_set_new(end, "verdict", tool_soak_verdict_json(&v));
            char why[512];
            if (l.load_runs) { /* the load run's own checks, beside the verdict */
                bool failed = tool_soak_load_failed(l.load_runs, why, sizeof why);
                json_object_set_new(end, "load", json_pack("{s:b,s:o}", "failed", failed, "reason",
                                                           failed ? tach__json_string_lossy(why)
                                                                  : json_null()));
            }
            /* a soak whole but unsaid: its file reads as partial (its report says so,
             * its record is a partial one) until a --resume writes the line */
            if (put_line(fd, end, err) != 0)
                (void)cli_error(CLI_OK, "%s (its end line): %s reads as a partial soak until "
                                        "a tach soak --resume %s writes the line", err, path, path);
            json_decref(end);
        }
        tool_soak_log_free(&l);
    }
    close(fd);
    bool stable = false;
    int rc = report(path, o, &stable);
    int src = cli_soak_record(path, o->store, o->no_store);
    if (rc == CLI_OK && src != CLI_OK) rc = src;
    if (load_failed) {
        if (o->format != 0) /* else the report said it, with the reason */
            fprintf(stderr, "tach soak: %s\n", err_msg);
        if (rc == CLI_OK) rc = CLI_FAIL;
    }
    return rc != CLI_OK ? rc : stable ? CLI_OK : CLI_FAIL;
}

/* The soak's files (--out's series, -o's report) are not the store it is to be recorded
 * in, made yet or not: one that were would be written there, and the record at the end
 * then fail on it, the soak lost.  Checked before anything runs; not under --no-store. */
static int outputs_not_store(const soak_opts *o, const char *series)
{
    if (o->no_store) return CLI_OK;
    int rc = series ? cli_output_not_store("--out", series, o->store) : CLI_OK;
    return rc != CLI_OK ? rc : cli_output_not_store("-o", o->output, o->store);
}

int cli_cmd_soak(int argc, char **argv)
{
    soak_opts o = {.interval_s = 1, .out = "soak.jsonl"};
    tach__opt_result res;
    int rc = cli_opts_read(&soak_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (o.output) { /* checked before the soak: its report must have a place to go */
        char oerr[TACH__ERR_MAX];
        if (cli_export_check_path(o.output, oerr) != 0) {
            tach__opt_result_free(&res);
            return cli_usage_error("-o: %s", oerr);
        }
        const char *series = o.report ? o.report : o.resume ? o.resume : o.out;
        if (strcmp(o.output, "-") != 0 && cli_same_file(o.output, series)) {
            tach__opt_result_free(&res);
            return cli_usage_error("-o: '%s' is the soak's series file: the report would "
                                   "replace it", o.output);
        }
    }
    if (o.report || o.resume) {
        const char *path = o.report ? o.report : o.resume;
        if (res.npos) rc = cli_usage_error("unexpected argument '%s' with --%s", res.pos[0],
                                           o.report ? "report" : "resume");
        else if (o.report && o.resume) rc = cli_usage_error("--report and --resume: choose one");
        else { /* what the soak's file already says: they would change nothing */
            const size_t nt = sizeof soak_table / sizeof *soak_table;
            const char *started = o.duration_s > 0 ? "--duration" : o.bench ? "--bench"
                                : o.load ? "--load" : o.pid ? "--pid"
                                : tach__opt_given(soak_table, nt, &res, "interval") ? "--interval"
                                : NULL;
            const char *store = !o.report ? NULL
                              : tach__opt_given(soak_table, nt, &res, "store") ? "--store"
                              : o.no_store ? "--no-store" : NULL;
            if (started)
                rc = cli_usage_error("%s with --%s: the soak's file holds its settings (%s is given "
                                     "when a soak starts)", started, o.report ? "report" : "resume",
                                     started);
            else if (tach__opt_given(soak_table, nt, &res, "out"))
                rc = cli_usage_error("--out with --%s: the soak's file is %s (--out names it when a "
                                     "soak starts)", o.report ? "report" : "resume", path);
            else if (store)
                rc = cli_usage_error("%s with --report: a report records nothing (a soak is "
                                     "recorded when it stops)", store);
        }
        tach__opt_result_free(&res);
        if (rc != CLI_OK) return rc;
        if (o.report) {
            bool stable;
            rc = report(path, &o, &stable);
            return rc != CLI_OK ? rc : stable ? CLI_OK : CLI_FAIL;
        }
        tool_soak_log l;
        char err[TACH__ERR_MAX];
        if (tool_soak_log_read(path, &l, err) != 0) return cli_usage_error("--resume: %s", err);
        if (l.ended) {
            tool_soak_log_free(&l);
            return cli_usage_error("--resume: %s is complete (its end line is there)", path);
        }
        char *store_kept = NULL;
        if ((rc = resume_store(l.header, &o, &store_kept)) != CLI_OK ||
            (rc = outputs_not_store(&o, NULL)) != CLI_OK ||
            (!o.no_store && (rc = cli_store_precheck(o.store)) != CLI_OK)) {
            tach__free(store_kept);
            tool_soak_log_free(&l);
            return rc;
        }
        double t0 = l.n ? l.t[l.n - 1] : 0;
        size_t index0 = l.n;
        const bool torn = l.torn;
        const off_t whole = (off_t)l.whole_len;
        json_t *header = json_incref(l.header);
        tool_soak_log_free(&l);
        int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd < 0) {
            json_decref(header);
            return cli_usage_error("--resume: cannot open %s: %s", path, strerror(errno));
        }
        /* A line cut by the kill that stopped the soak goes before anything is appended:
         * else the next line would be glued onto it and the file no longer read. */
        if (torn && ftruncate(fd, whole) != 0) {
            int e = errno;
            close(fd);
            json_decref(header);
            return cli_error(CLI_FAIL, "--resume: cannot cut the torn last line of %s: %s",
                             path, strerror(e));
        }
        off_t size0 = lseek(fd, 0, SEEK_END);
        int size0_errno = size0 < 0 ? errno : 0; /* said only if the mark is taken back */
        json_t *mark = json_object();
        json_object_set_new(mark, "resumed_at", json_real(t0));
        int prc = put_line(fd, mark, err);
        json_decref(mark);
        if (prc == 0) prc = run_soak(header, t0, index0, fd, err);
        json_decref(header);
        if (prc == 2) { /* tach load refused its arguments: the file as it was */
            /* the "resumed_at" line just written taken back off; left (a file that cannot
             * be truncated: chattr +a), it is said, naming the file, and the exit status
             * stays the refusal's */
            int e = size0 < 0 ? size0_errno : ftruncate(fd, size0) != 0 ? errno : 0;
            if (e)
                (void)cli_error(CLI_OK, "--resume: cannot take back the \"resumed_at\" line it "
                                        "wrote to %s (%s): the file ends with it",
                                path, strerror(e));
            close(fd);
            tach__free(store_kept);
            return CLI_USAGE;
        }
        rc = finish_soak(path, fd, prc, err, &o);
        tach__free(store_kept);
        return rc;
    }

    if (!(o.duration_s > 0)) {
        tach__opt_result_free(&res);
        return cli_usage_error("--duration S is required (tach soak --help)");
    }
    if (o.interval_s > o.duration_s) {
        /* in time units, as given (it said "--duration 0.001" of 1ms), and the default
         * --interval said as such to a soak that gave none */
        char ib[32], db[32];
        tach__fmt_time(o.interval_s * 1e9, ib, sizeof ib);
        tach__fmt_time(o.duration_s * 1e9, db, sizeof db);
        bool given = tach__opt_given(soak_table, sizeof soak_table / sizeof *soak_table, &res, "interval");
        tach__opt_result_free(&res);
        if (!given)
            return cli_usage_error("--duration %s is shorter than one interval (--interval's default, "
                                   "%s): give a shorter --interval", db, ib);
        return cli_usage_error("--interval %s is longer than --duration %s", ib, db);
    }
    if (res.npos == 0) {
        tach__opt_result_free(&res);
        if (o.load)
            return cli_usage_error("nothing to soak: --load needs tach load's arguments after -- "
                                   "(BENCH OP[:W]... or URL...)");
        return cli_usage_error("nothing to soak: give --bench REGEX BENCH_BINARY or -- COMMAND");
    }
    if (o.bench && o.load) {
        tach__opt_result_free(&res);
        return cli_usage_error("--bench and --load: choose one");
    }
    if (o.pid && !o.load) {
        tach__opt_result_free(&res);
        return cli_usage_error("--pid %ld: only with --load of URL targets (the server to watch)", o.pid);
    }
    if (o.pid && !tach__proc_exists((pid_t)o.pid)) {
        tach__opt_result_free(&res);
        return cli_usage_error("--pid %ld: no such process", o.pid);
    }
    if (o.bench && res.npos != 1) {
        rc = cli_usage_error("--bench takes one benchmark binary (got %d arguments)", res.npos);
        tach__opt_result_free(&res);
        return rc;
    }
    char *binary = NULL; /* the benchmark binary found (a name on PATH: its path) */
    if ((rc = outputs_not_store(&o, o.out)) != CLI_OK ||
        (rc = soak_check_target(&o, &res, &binary)) != CLI_OK) {
        tach__opt_result_free(&res);
        return rc;
    }
    json_t *header = json_object(), *target = json_object();
    char when[32];
    iso_now(when, sizeof when);
    json_object_set_new(header, "format", json_string("tach-soak"));
    json_object_set_new(header, "version", json_integer(1));
    if (o.bench) {
        json_object_set_new(target, "kind", json_string("benchmark"));
        json_object_set_new(target, "binary", tach__json_string_lossy(binary));
        tach__free(binary);
        json_object_set_new(target, "bench", tach__json_string_lossy(o.bench));
        char text[1024];
        snprintf(text, sizeof text, "%s --bench %s", res.pos[0], o.bench);
        json_object_set_new(target, "text", tach__json_string_lossy(text));
    } else {
        json_object_set_new(target, "kind", json_string(o.load ? "load" : "command"));
        json_t *av = json_array();
        for (int i = 0; i < res.npos; i++) json_array_append_new(av, tach__json_string_lossy(res.pos[i]));
        json_object_set_new(target, "argv", av);
        tach__buf jb = {0};
        for (int i = 0; i < res.npos; i++) tach__buf_printf(&jb, "%s%s", i ? " " : "", res.pos[i]);
        char *joined = tach__buf_take(&jb);
        char text[1200];
        snprintf(text, sizeof text, "%s%s", o.load ? "tach load " : "", joined ? joined : res.pos[0]);
        json_object_set_new(target, "text", tach__json_string_lossy(text));
        tach__free(joined);
        if (o.pid && !cli_soak_load_is_url(target)) {
            tach__opt_result_free(&res);
            json_decref(target);
            json_decref(header);
            return cli_usage_error("--pid %ld: a benchmark binary's load is watched in the binary "
                                   "itself; --pid is for URL targets", o.pid);
        }
        if (o.pid) json_object_set_new(target, "pid", json_integer(o.pid));
    }
    tach__opt_result_free(&res);
    json_object_set_new(header, "target", target);
    json_object_set_new(header, "duration_s", json_real(o.duration_s));
    json_object_set_new(header, "interval_s", json_real(o.interval_s));
    json_object_set_new(header, "started", json_string(when));
    if (o.min_hours > 0) json_object_set_new(header, "min_hours", json_real(o.min_hours));
    if (o.max_growth > 0) json_object_set_new(header, "max_growth_kb_per_hour", json_real(o.max_growth));
    /* the machine (its report's environment and fingerprint) and the store chosen, for
     * the record at the end, which a --resume or --report may make elsewhere */
    json_t *env = tach__env_capture();
    /* the soak's one id, in each of its records (a resumed one's too: it replaces the one
     * before) */
    if (json_is_object(env)) cli_set_run_uid(env);
    if (json_is_object(env)) json_object_set_new(header, "context", env);
    else json_decref(env);
    json_t *sc = store_choice(&o);
    if (sc) json_object_set_new(header, "store", sc);
    int fd = open(o.out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        json_decref(header);
        return cli_usage_error("--out: cannot create %s: %s%s", o.out, strerror(errno),
                               errno == EEXIST ? " (a soak's file is never overwritten: --resume "
                                                 "it or choose another --out)" : "");
    }
    if (!o.no_store && (rc = cli_store_precheck(o.store)) != CLI_OK) {
        close(fd); /* a store that cannot be written: nothing runs, nothing is left */
        unlink(o.out);
        json_decref(header);
        return rc;
    }
    char err[TACH__ERR_MAX] = "";
    int prc = put_line(fd, header, err);
    if (prc == 0) prc = run_soak(header, 0, 0, fd, err);
    json_decref(header);
    if (prc == 2) { /* tach load refused its arguments before the first interval */
        close(fd);
        unlink(o.out);
        return CLI_USAGE;
    }
    return finish_soak(o.out, fd, prc, err, &o);
}
