/*
 * cmd_stability.c - `tach stability TARGET --runs 5`: how much does each benchmark
 * move from one run of the suite to the next?
 *
 * TARGET is a libtach benchmark binary (cli_bench_recognise, as tach run recognises one:
 * one word naming an executable that answers --tach-probe) or a command
 * (one string split into words).  The suite runs --runs times, each in fresh
 * processes: a binary as one worker process per run (its own per-benchmark
 * isolation inside), a command --reps times per run.  Each run gives each
 * benchmark one number, the median of its samples; the run-to-run variation is the
 * coefficient of variation of those medians (sample stddev / mean).  Over --warn
 * (default 5%) a benchmark is unstable; over --fail (default 10%) it fails (exit 1).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"
#include "run.h"

extern char **environ;

typedef struct st_opts {
    size_t runs, reps;
    long runs_n, reps_n;
    double warn, fail, max_time_s, timeout_s;
    const char *filter, *format, *target;
    int metric, format_i;
    bool quiet, help;
    const char *reps_given, *bench_time_given; /* the spelling given, NULL when not given */
} st_opts;

typedef struct st_bench {
    char *name;
    double *med; /* one per run; NaN when the run did not measure it */
    size_t nmissing;
    char *why;   /* the last failure's or skip's message, owned */
    bool ran;    /* measured or failed in some run: one skipped in every run has no row */
} st_bench;

typedef struct st_state {
    st_opts o;
    char **argv;
    size_t argc;
    char *path;
    bool binary;
    double kill_after_s; /* a binary's whole worker: a backstop past its benchmarks' --timeout */
    cli_spawner sp;
    bool sp_ready;
    char tmpdir[PATH_MAX], out_path[PATH_MAX]; /* in $TMPDIR however long, up to a path */
    st_bench *b;
    size_t nb;
    char *shown; /* the TARGET as shown: no password (tach__redact_arg) */
} st_state;

static const char *const metric_names[] = {"wall", "cpu", NULL};
static const char *const format_names[] = {"table", "json", NULL};

#define OFF(f) offsetof(st_opts, f)
static const tach__opt st_table[] = {
    {.kind = TACH__OPT_COUNT, .name = "runs", .metavar = "N", .offset = OFF(runs_n), .lo = 2,
     .hi = 10000, .help = "runs of the suite, each in fresh processes (default 5)"},
    {.kind = TACH__OPT_COUNT, .name = "reps", .metavar = "N", .offset = OFF(reps_n), .lo = 1,
     .hi = 10000, .help = "commands: executions per run (default 10)"},
    {.kind = TACH__OPT_DURATION, .name = "bench-time", .metavar = "S", .offset = OFF(max_time_s),
     .lo = 0, .hi = 1e6, .flags = TACH__OPT_LO_OPEN,
     .help = "binaries: time per benchmark per run (default 0.5)"},
    {.kind = TACH__OPT_STRING, .name = "filter", .metavar = "REGEX", .offset = OFF(filter),
     .help = "binaries: only these benchmarks"},
    {.kind = TACH__OPT_ENUM, .name = "metric", .metavar = "wall|cpu", .offset = OFF(metric),
     .choices = metric_names, .help = "commands: wall time (default) or user + system CPU time"},
    {.kind = TACH__OPT_PERCENT, .name = "warn", .metavar = "PCT", .offset = OFF(warn), .lo = 0,
     .hi = INFINITY, .flags = TACH__OPT_LO_OPEN,
     .help = "above this a benchmark is unstable (default 5)"},
    {.kind = TACH__OPT_PERCENT, .name = "fail", .metavar = "PCT", .offset = OFF(fail), .lo = 0,
     .hi = INFINITY, .flags = TACH__OPT_LO_OPEN, .help = "above this it fails (default 10)"},
    {.kind = TACH__OPT_DURATION, .name = "timeout", .metavar = "S", .offset = OFF(timeout_s),
     .lo = 0, .hi = 1e6, .flags = TACH__OPT_LO_OPEN,
     .help = "end a command's run after S (SIGTERM to its process group,\n"
             "SIGKILL 1 s later), or a binary's benchmark (timed out;\n"
             "the others go on) (default 600)"},
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "table|json", .offset = OFF(format_i),
     .choices = format_names, .help = "output (default table)"},
    {.kind = TACH__OPT_FLAG, .name = "quiet", .offset = OFF(quiet), .help = "no progress lines"},
    CLI_ROW_HELP(st_opts),
    /* old spellings: --max-time is --bench-time, as in tach run */
    {.kind = TACH__OPT_DURATION, .name = "max-time", .metavar = "S", .offset = OFF(max_time_s),
     .lo = 0, .hi = 1e6, .flags = TACH__OPT_LO_OPEN, .alias_of = "bench-time"},
};

CLI_OPTIONS(stability, st_table,
    "usage: tach stability [OPTIONS] TARGET\n\n"
    "Runs a suite repeatedly and reports each benchmark's run-to-run variation: the\n"
    "coefficient of variation of its per-run medians.  TARGET is a libtach benchmark\n"
    "binary (one word naming an executable, a path or on PATH, that answers\n"
    "--tach-probe) or a command (one string, split into words); a one-word TARGET is\n"
    "first started once as TARGET --tach-probe to tell which (waited on for --timeout,\n"
    "1 to 10 s, then SIGTERM, SIGKILL 1 s later if ignored), and options that apply\n"
    "to one kind only (--reps, --metric for a command; --bench-time, --filter for a\n"
    "binary) are checked against its answer and refused for the other kind (exit 2).\n"
    "Durations are seconds or 500ms, 2s, 1m.\n\n",
    "Exit status: 0 every benchmark within --fail; 1 one beyond it, a benchmark failing\n"
    "in every run, or a command or binary that fails, crashes or times out (the run\n"
    "stops there); 2 bad usage or a TARGET that cannot start; 130 interrupted.\n")

static int parse_args(int argc, char **argv, st_opts *o)
{
    *o = (st_opts){.runs_n = 5, .reps_n = 10, .warn = 0.05, .fail = 0.10, .max_time_s = 0.5,
                   .timeout_s = 600};
    tach__opt_result res;
    int rc = cli_opts_read(&stability_options, o, argc, argv, &res, &o->help);
    if (rc != CLI_OK) return rc;
    o->runs = (size_t)o->runs_n;
    o->reps = (size_t)o->reps_n;
    o->format = format_names[o->format_i];
    /* options for one kind of TARGET only: refused for the other once the probe told
     * which it is (cli_cmd_stability) */
    const size_t nt = sizeof st_table / sizeof *st_table;
    if (tach__opt_given(st_table, nt, &res, "reps")) o->reps_given = "--reps";
    if (tach__opt_given(st_table, nt, &res, "bench-time")) o->bench_time_given = "--bench-time";
    else if (tach__opt_given(st_table, nt, &res, "max-time")) o->bench_time_given = "--max-time";
    for (int i = 0; i < res.npos && rc == CLI_OK; i++) {
        if (o->target) {
            char *shown = tach__redact_arg(res.pos[i - 1], res.pos[i]); /* no password */
            rc = cli_usage_error("too many arguments: '%s' (quote a command with its arguments "
                                 "as one string)", shown ? shown : "?");
            tach__free(shown);
        } else {
            o->target = res.pos[i];
        }
    }
    tach__opt_result_free(&res);
    if (rc != CLI_OK) return rc;
    if (!o->target)
        return cli_usage_error("no TARGET given: a benchmark binary or a command (see "
                               "'tach stability --help')");
    if (o->warn > o->fail)
        return cli_usage_error("--warn %g%% is above --fail %g%%", o->warn * 100, o->fail * 100);
    /* checked as the binary reads it, before anything runs */
    if (o->filter && cli_check_regex("--filter", o->filter) != CLI_OK) return CLI_USAGE;
    return CLI_OK;
}

static st_bench *bench_get(st_state *s, const char *name)
{
    for (size_t i = 0; i < s->nb; i++)
        if (!strcmp(s->b[i].name, name)) return &s->b[i];
    st_bench *nb = tach__realloc(s->b, (s->nb + 1) * sizeof *nb);
    if (!nb) return NULL;
    s->b = nb;
    st_bench *b = &s->b[s->nb];
    memset(b, 0, sizeof *b);
    b->name = tach__strdup(name);
    b->med = tach__malloc(s->o.runs * sizeof *b->med);
    if (!b->name || !b->med) {
        tach__free(b->name);
        tach__free(b->med);
        return NULL;
    }
    for (size_t k = 0; k < s->o.runs; k++) b->med[k] = NAN;
    s->nb++;
    return b;
}

static void set_why(st_bench *b, const char *msg)
{
    tach__free(b->why);
    b->why = tach__strdup(msg);
}

/* One run of a command: --reps executions, the median. */
static int run_command(st_state *s, size_t run)
{
    st_bench *b = bench_get(s, s->shown);
    if (!b) return cli_error(CLI_FAIL, "out of memory");
    b->ran = true; /* a command's one row, measured or failed */
    double *t = tach__malloc(s->o.reps * sizeof *t);
    if (!t) return cli_error(CLI_FAIL, "out of memory");
    for (size_t k = 0; k < s->o.reps; k++) {
        cli_run_sample r;
        memset(&r, 0, sizeof r);
        cli_run_outcome oc = cli_spawn_timed(&s->sp, s->path, s->argv, environ,
                                             (uint64_t)(s->o.timeout_s * 1e9), false, &r);
        int rc = CLI_OK;
        if (oc == CLI_RUN_INTERRUPTED) rc = CLI_INTERRUPTED;
        else if (oc == CLI_RUN_TIMEOUT)
            rc = cli_error(CLI_FAIL, "the command timed out after %g s: %s", s->o.timeout_s,
                           s->shown);
        else if (oc == CLI_RUN_SPAWN_FAILED)
            rc = cli_error(CLI_USAGE, "cannot start '%s': %s", s->shown, strerror(r.exit_code));
        else if (r.exit_code != 0) {
            char buf[64];
            if (r.exit_code < 0) cli_signal_describe(-r.exit_code, buf, sizeof buf);
            else snprintf(buf, sizeof buf, "exited with status %d", r.exit_code);
            rc = cli_error(CLI_FAIL, "the command %s: %s", buf, s->shown);
        }
        if (rc != CLI_OK) {
            tach__free(t);
            return rc;
        }
        t[k] = s->o.metric ? r.user_ns + r.sys_ns : r.wall_ns;
    }
    b->med[run] = tach__median(t, s->o.reps);
    tach__free(t);
    return CLI_OK;
}

/* One run of a binary: one worker process writing a results document
 * (cli_bench_worker). */
static int run_binary(st_state *s, size_t run)
{
    char mt[32];
    snprintf(mt, sizeof mt, "%g", s->o.max_time_s);
    char *args[8];
    size_t n = 0;
    args[n++] = "--max-time";
    args[n++] = mt;
    if (s->o.filter) {
        args[n++] = "--filter";
        args[n++] = (char *)s->o.filter;
    }
    cli_bench_worker_spec ws = {.path = s->path, .args = args, .nargs = n,
                                .out_path = s->out_path, .bench_timeout_s = s->o.timeout_s,
                                .kill_after_s = s->kill_after_s, .err_fd = -1};
    tach__doc *d = NULL;
    char why[TACH__ERR_MAX + 64];
    int wo = cli_bench_worker(&s->sp, &ws, environ, &d, why, sizeof why);
    if (wo == CLI_WORKER_INTERRUPTED) {
        tach__doc_free(d);
        return CLI_INTERRUPTED;
    }
    /* one that cannot start or refuses its arguments is bad usage; one that crashes,
     * hangs or leaves no results failed, as a command that fails */
    if (wo == CLI_WORKER_NO_START || wo == CLI_WORKER_REFUSED)
        return cli_error(CLI_USAGE, "the binary %s: %s", why, s->shown);
    if (wo != CLI_WORKER_OK && wo != CLI_WORKER_FAILED)
        return cli_error(CLI_FAIL, "the binary %s: %s", why, s->shown);
    int rc = CLI_OK;
    for (size_t i = 0; i < d->nresults && rc == CLI_OK; i++) {
        const tach__result *res = &d->results[i];
        if (!res->name) continue;
        st_bench *b = bench_get(s, res->name);
        if (!b) {
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
        if (res->status == TACH__SKIPPED) { /* in some runs only: "of 3 runs: skipped: ..." */
            char m[TACH__ERR_MAX + 16];
            snprintf(m, sizeof m, "skipped%s%s", res->message ? ": " : "",
                     res->message ? res->message : "");
            set_why(b, m);
            continue;
        }
        b->ran = true;
        if (res->status == TACH__OK && res->nsamples > 0)
            b->med[run] = tach__median(res->sample_ns, res->nsamples);
        else
            set_why(b, res->message ? res->message : tach__status_name(res->status));
    }
    tach__doc_free(d);
    bool any = false;
    for (size_t i = 0; i < s->nb; i++) any |= s->b[i].ran;
    if (rc == CLI_OK && !any)
        rc = cli_error(CLI_USAGE, "the binary ran no benchmark%s%s", s->o.filter ? " matching " : "",
                       s->o.filter ? s->o.filter : "");
    return rc;
}

typedef struct st_row {
    size_t n;
    double mean, cv, min, max;
    int level; /* 0 stable, 1 unstable, 2 fails */
} st_row;

static st_row row_of(const st_state *s, const st_bench *b, size_t runs_done)
{
    st_row r = {0, NAN, NAN, NAN, NAN, 2};
    double *x = tach__malloc((runs_done ? runs_done : 1) * sizeof *x);
    if (!x) return r;
    for (size_t k = 0; k < runs_done; k++)
        if (!isnan(b->med[k])) x[r.n++] = b->med[k];
    if (r.n >= 1) {
        r.mean = tach__mean(x, r.n);
        r.min = r.max = x[0];
        for (size_t k = 1; k < r.n; k++) {
            if (x[k] < r.min) r.min = x[k];
            if (x[k] > r.max) r.max = x[k];
        }
    }
    if (r.n >= 2 && r.mean > 0) r.cv = tach__stddev(x, r.n) / r.mean;
    tach__free(x);
    if (r.n < 2 || r.n < runs_done) r.level = 2; /* failed in some run: not stable */
    else if (r.cv > s->o.fail) r.level = 2;
    else if (r.cv > s->o.warn) r.level = 1;
    else r.level = 0;
    return r;
}

static const char *level_name(int level)
{
    return level == 0 ? "stable" : level == 1 ? "unstable" : "FAIL";
}

static int report(const st_state *s, size_t runs_done, bool color)
{
    int worst = 0;
    bool json = !strcmp(s->o.format, "json");
    json_t *root = NULL, *rows = NULL;
    if (json) {
        root = json_object();
        rows = json_array();
        /* a command's bytes need not be UTF-8: made so (json_string gave none, "target"
         * and its name left out) */
        json_object_set_new(root, "target", tach__json_string_lossy(s->shown));
        json_object_set_new(root, "kind", json_string(s->binary ? "binary" : "command"));
        json_object_set_new(root, "runs", json_integer((json_int_t)runs_done));
        /* what the medians are of, as the table's first line says ("; CPU time") */
        json_object_set_new(root, "metric", json_string(s->o.metric ? "cpu" : "wall"));
        json_object_set_new(root, "warn", json_real(s->o.warn));
        json_object_set_new(root, "fail", json_real(s->o.fail));
    } else {
        /* the name column in display columns, at most 60 (a longer name cut with "…"),
         * the names made safe for a terminal; the times padded by columns ("µs" is one) */
        size_t w = strlen("benchmark");
        for (size_t i = 0; i < s->nb; i++) {
            if (!s->b[i].ran) continue;
            size_t dw = tach__display_width(cli_term(s->b[i].name));
            if (dw > w) w = dw;
        }
        if (w > 60) w = 60;
        char nb[60 * 4 + 8];
        printf("%zu runs of %s (each in fresh processes%s)\n\n", runs_done, cli_term(s->shown),
               s->binary ? "" : (s->o.metric ? "; CPU time" : "; wall time"));
        printf("%s  %4s  %10s  %10s  %10s  %7s  %s\n", cli_term_cell("benchmark", (int)w, nb, sizeof nb),
               "runs", "median", "min", "max", "cv", "stability");
        for (size_t i = 0; i < s->nb; i++) {
            const st_bench *b = &s->b[i];
            if (!b->ran) continue;
            st_row r = row_of(s, b, runs_done);
            double med = NAN;
            double *x = tach__malloc((runs_done ? runs_done : 1) * sizeof *x);
            size_t n = 0;
            for (size_t k = 0; x && k < runs_done; k++)
                if (!isnan(b->med[k])) x[n++] = b->med[k];
            if (n) med = tach__median(x, n);
            tach__free(x);
            char m[32], lo[32], hi[32], cv[16];
            snprintf(m, sizeof m, "-");
            snprintf(lo, sizeof lo, "-");
            snprintf(hi, sizeof hi, "-");
            if (!isnan(med)) tach__fmt_time(med, m, sizeof m);
            if (!isnan(r.min)) tach__fmt_time(r.min, lo, sizeof lo);
            if (!isnan(r.max)) tach__fmt_time(r.max, hi, sizeof hi);
            if (isnan(r.cv)) snprintf(cv, sizeof cv, "-");
            else snprintf(cv, sizeof cv, "%.2f%%", r.cv * 100);
            const char *col = !color ? "" : r.level == 2 ? "\033[31m" : r.level == 1 ? "\033[33m" : "";
            char pm[48], plo[48], phi[48];
            printf("%s  %4zu  %s  %s  %s  %7s  %s%s%s", cli_term_cell(b->name, (int)w, nb, sizeof nb),
                   r.n, tach__pad(m, 10, pm, sizeof pm), tach__pad(lo, 10, plo, sizeof plo),
                   tach__pad(hi, 10, phi, sizeof phi), cv, col, level_name(r.level), *col ? "\033[0m" : "");
            if (r.n < runs_done)
                printf(" (measured in %zu of %zu runs%s%s)", r.n, runs_done, b->why ? ": " : "",
                       b->why ? cli_term(b->why) : "");
            printf("\n");
        }
    }
    size_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < s->nb; i++) {
        if (!s->b[i].ran) continue;
        st_row r = row_of(s, &s->b[i], runs_done);
        counts[r.level]++;
        if (r.level > worst) worst = r.level;
        if (json) {
            json_t *o = json_object();
            json_object_set_new(o, "name", tach__json_string_lossy(s->b[i].name));
            json_object_set_new(o, "runs", json_integer((json_int_t)r.n));
            json_object_set_new(o, "mean_ns", tach__json_num(r.mean));
            json_object_set_new(o, "cv", tach__json_num(r.cv));
            json_object_set_new(o, "min_ns", tach__json_num(r.min));
            json_object_set_new(o, "max_ns", tach__json_num(r.max));
            json_object_set_new(o, "stability", json_string(r.level == 0 ? "stable"
                                                            : r.level == 1 ? "unstable"
                                                                           : "fail"));
            json_t *meds = json_array();
            for (size_t k = 0; k < runs_done; k++)
                json_array_append_new(meds, isfinite(s->b[i].med[k]) ? json_real(s->b[i].med[k])
                                                                     : json_null());
            json_object_set_new(o, "run_medians_ns", meds);
            json_array_append_new(rows, o);
        }
    }
    if (json) {
        json_object_set_new(root, "benchmarks", rows);
        json_object_set_new(root, "failed", json_boolean(worst == 2));
        /* 15 digits: the thresholds as given ("warn": 0.05, not the 17 digits of the
         * nearest double), as tach bench writes its own */
        char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        if (text) tach__stdout_puts(text, true);
        free(text);
        json_decref(root);
    } else {
        /* the thresholds as given, to 15 digits (5, not 5.000000000000001): %.3g wrote
         * --fail 1000 as 1e+03% */
        printf("\n%zu stable, %zu unstable (cv > %.15g%%), %zu failing (cv > %.15g%% or not "
               "measured in every run)\n",
               counts[0], counts[1], s->o.warn * 100, counts[2], s->o.fail * 100);
    }
    return worst == 2 ? CLI_FAIL : CLI_OK;
}

int cli_cmd_stability(int argc, char **argv)
{
    st_state s;
    memset(&s, 0, sizeof s);
    int rc = parse_args(argc, argv, &s.o);
    if (rc < 0) return CLI_OK;
    if (rc != CLI_OK) return rc;
    char err[TACH__ERR_MAX];
    size_t runs_done = 0;
    if (!(s.shown = tach__redact_arg(NULL, s.o.target))) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto done;
    }
    if (cli_words_split(s.o.target, &s.argv, &s.argc, err) != 0) {
        rc = cli_usage_error("bad TARGET '%s': %s", s.shown, err);
        goto done;
    }
    if (s.argc == 0) {
        rc = cli_usage_error("the TARGET is empty");
        goto done;
    }
    if (!(s.path = cli_find_executable(s.argv[0], err))) {
        rc = cli_usage_error("%s", err);
        goto done;
    }
    if (cli_spawner_init(&s.sp, NULL, CLI_OUTPUT_NULL, NULL, err) != 0) {
        rc = cli_error(CLI_FAIL, "%s", err);
        goto done;
    }
    s.sp_ready = true;
    s.binary = cli_bench_recognise(&s.sp, s.o.target, environ, s.o.timeout_s, NULL, NULL);
    if (s.sp.interrupted) { /* Ctrl-C during the probe: stop, run nothing */
        rc = CLI_INTERRUPTED;
        goto done;
    }
    if (s.o.filter && !s.binary) {
        rc = cli_usage_error("--filter applies to benchmark binaries only");
        goto done;
    }
    if (s.o.metric && s.binary) {
        rc = cli_usage_error("--metric applies to commands only (binaries time themselves)");
        goto done;
    }
    if (s.o.bench_time_given && !s.binary) {
        /* a one-word TARGET that did not answer --tach-probe is timed as a command: say so */
        char why[300] = "";
        if (s.argc == 1)
            snprintf(why, sizeof why, "; '%s' does not answer --tach-probe: it is timed as a "
                     "command", s.shown);
        rc = cli_usage_error("%s applies to a benchmark binary, not to a command (for a command: "
                             "--reps, its executions per run%s)", s.o.bench_time_given, why);
        goto done;
    }
    if (s.o.reps_given && s.binary) {
        rc = cli_usage_error("--reps applies to a command, not to a benchmark binary (for a binary: "
                             "--bench-time, its time per benchmark per run)");
        goto done;
    }
    if (s.binary) {
        /* a $TMPDIR of 40 bytes or more was passed over for /tmp, unsaid (a 64-byte
         * buffer): it is used up to what a path holds, and one longer is refused.  The
         * longest path in it is not run.json but the temporary file the binary writes
         * beside it (tach__write_text_file): one within about 20 bytes of the old
         * limit made the binary refuse its --out ("refused its arguments") */
        const char *tmp = getenv("TMPDIR");
        bool env = tmp && *tmp;
        if (!env) tmp = "/tmp";
        rc = cli_tmpdir_fits(NULL, tmp, sizeof s.tmpdir, "/tach-stab-XXXXXX/.run.json" CLI_TMP_SUFFIX,
                             "directory", NULL);
        if (rc != CLI_OK) goto done;
        snprintf(s.tmpdir, sizeof s.tmpdir, "%s/tach-stab-XXXXXX", tmp);
        if (!mkdtemp(s.tmpdir)) {
            int e = errno;
            s.tmpdir[0] = 0;
            if (env) /* the caller's to fix, as for tach suite: exit 2, naming it */
                rc = cli_usage_error("cannot make a temporary directory in '%s' (TMPDIR): %s; set "
                                     "TMPDIR", tmp, strerror(e));
            else
                rc = cli_error(CLI_FAIL, "cannot make a temporary directory in '%s': %s", tmp,
                               strerror(e));
            goto done;
        }
        int w = snprintf(s.out_path, sizeof s.out_path, "%s/run.json", s.tmpdir);
        if (w < 0 || (size_t)w >= sizeof s.out_path) { /* not with TMPDIR checked above */
            rc = cli_error(CLI_FAIL, "the temporary path in '%s' is too long", tmp);
            goto done;
        }
        /* --timeout bounds each benchmark (the binary reports one running longer as timed
         * out and goes on); the whole worker is killed only when all of them together
         * overran that by far: killed at --timeout itself, a hanging benchmark took every
         * other benchmark's results with it ("the binary timed out after 2 s") */
        size_t nmatch = 0;
        if (cli_bench_count_matching(s.path, s.o.filter ? s.o.filter : "", environ, &nmatch) != 0)
            nmatch = 1;
        s.kill_after_s = cli_bench_kill_after(nmatch, s.o.timeout_s);
    }
    bool progress = !s.o.quiet && isatty(STDERR_FILENO);
    for (size_t run = 0; run < s.o.runs; run++) {
        if (progress) fprintf(stderr, "\r\033[Kstability: run %zu of %zu", run + 1, s.o.runs);
        rc = s.binary ? run_binary(&s, run) : run_command(&s, run);
        if (rc != CLI_OK) break;
        runs_done++;
    }
    if (progress) fprintf(stderr, "\r\033[K");
    if (rc == CLI_INTERRUPTED && runs_done >= 2) {
        fprintf(stderr, "%s: interrupted after %zu runs\n", cli_prog(), runs_done);
        report(&s, runs_done, cli_use_color(stdout));
    } else if (rc == CLI_OK) {
        rc = report(&s, runs_done, cli_use_color(stdout));
    }
done:
    if (s.tmpdir[0]) {
        unlink(s.out_path);
        rmdir(s.tmpdir);
    }
    if (rc == CLI_INTERRUPTED && s.sp_ready && s.sp.interrupt_sig) rc = 128 + s.sp.interrupt_sig;
    if (s.sp_ready) cli_spawner_close(&s.sp);
    cli_words_free(s.argv);
    tach__free(s.path);
    tach__free(s.shown);
    for (size_t i = 0; i < s.nb; i++) {
        tach__free(s.b[i].name);
        tach__free(s.b[i].med);
        tach__free(s.b[i].why);
    }
    tach__free(s.b);
    return rc;
}
