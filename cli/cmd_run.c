/*
 * cmd_run.c - `tach run`: times commands (or drives a libtach benchmark binary) and
 * writes what it measured as a results document and in the export formats.
 *
 *   tach run [options] -- CMD [ARGS...]           one command, started directly
 *   tach run [options] -c 'CMD 1' -c 'CMD 2' ...  several commands, compared
 *   tach run [options] ./bench_binary [-- ARGS]   a libtach benchmark binary
 *
 * Everything the user can get wrong is checked before the first run (commands, option
 * values, parameter lists, the input file, export paths, the store); then setup,
 * warm-up, the measured rounds, cleanup, the summary, the exports and the store.
 * Several commands (and parameter values) run interleaved: each round runs every one
 * once, in an order shuffled from --seed, so drift on a busy machine hits each alike.
 *
 * (Over 600 lines: the rounds, the stop rule, the context and the two modes share
 * run_state and are read together; the units are built in run_units.c, the options
 * read in run_options.c, a binary driven in run_bench.c.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callgrind.h"
#include "cli.h"
#include "format.h"
#include "prof_cli.h"
#include "run.h"
#include "store_cli.h"

extern char **environ;

#define RUN_SHELL_PROBE_RUNS 30

/* The weak defaults below keep `tach run` linkable before the store lands; the store's
 * cli/store_*.c provides the real definitions (a strong symbol wins at link time). */
__attribute__((weak)) int cli_run_record(const tach__doc *doc, const char *kind, const char *store_opt,
                                         bool no_store, char **tags, size_t ntags,
                                         const char *export_json)
{
    (void)doc, (void)kind, (void)store_opt, (void)no_store, (void)tags, (void)ntags, (void)export_json;
    return CLI_OK;
}
__attribute__((weak)) int cli_store_precheck(const char *opt)
{
    (void)opt;
    return CLI_OK;
}

/* ---- measuring ----------------------------------------------------------------- */

static int reserve(tach__result *r, cli_run_unit *u, size_t need)
{
    if (need <= u->cap) return 0;
    size_t cap;
    if (tach__grow_cap(u->cap, need, 64, sizeof(double), &cap) != 0) return -1;
    double **d[] = {&r->sample_ns, &r->user_ns, &r->sys_ns, &r->max_rss_kib, &r->minor_faults,
                    &r->major_faults, &r->vol_ctxsw, &r->invol_ctxsw, &r->cpu_stall_ns};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        double *p = tach__realloc(*d[i], cap * sizeof **d[i]);
        if (!p) return -1;
        *d[i] = p;
    }
    uint64_t *it = tach__realloc(r->sample_iters, cap * sizeof *it);
    if (!it) return -1;
    r->sample_iters = it;
    int *ec = tach__realloc(r->exit_codes, cap * sizeof *ec);
    if (!ec) return -1;
    r->exit_codes = ec;
    u->cap = cap;
    return 0;
}

typedef struct run_state {
    const cli_run_opts *o;
    cli_spawner sp;
    tach__doc *doc;
    cli_run_unit *units;
    size_t nunits;
    tach__rng rng;
    size_t *order;
    cli_progress progress;
    double shell_wall_ns, shell_user_ns, shell_sys_ns;
    bool failed;      /* a command failed, crashed or timed out */
    bool interrupted;
    uint64_t measure_ns; /* time spent in measured rounds */
    double precision_now; /* the widest CI half-width / median at the last check */
    size_t measured_runs;
    double warmup_spent_s; /* the warm-up's share of --total-time */
    cli_run_counters *hw;  /* --counters on commands, else NULL */
    char valgrind[PATH_MAX]; /* --metric instructions: the Valgrind valgrind_ready found */
} run_state;

static void set_status(tach__result *r, tach__status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_status(tach__result *r, tach__status st, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->status = st;
    tach__free(r->message);
    r->message = tach__strdup(msg);
}

/* Runs a shell command (setup/cleanup/prepare) with output discarded.  Returns 0, or -1
 * after printing why (or when interrupted). */
static int run_aux(run_state *s, char **argv, const char *what)
{
    cli_run_sample smp;
    uint64_t timeout = s->o->timeout_s > 0 ? (uint64_t)(s->o->timeout_s * 1e9) : 0;
    cli_run_outcome oc = cli_spawn_timed(&s->sp, argv[0], argv, environ, timeout, true, &smp);
    if (oc == CLI_RUN_INTERRUPTED) {
        s->interrupted = true;
        return -1;
    }
    if (oc == CLI_RUN_DONE && smp.exit_code == 0) return 0;
    char how[160], *shown = tach__redact(argv[2]); /* the shell's command: no password */
    cli_error(CLI_FAIL, "%s command '%s' %s", what, shown ? shown : "?",
              cli_aux_failure(oc, smp.exit_code, s->o->timeout_s, how, sizeof how));
    tach__free(shown);
    return -1;
}

/* Measures the shell's own start-up (SHELL -c ''): the median of a few runs, which
 * is subtracted from every run when --shell is on. */
static int measure_shell(run_state *s, const char *shell_path)
{
    char **argv = cli_sh_argv(shell_path, "");
    if (!argv) return cli_error(CLI_FAIL, "out of memory");
    double w[RUN_SHELL_PROBE_RUNS], us[RUN_SHELL_PROBE_RUNS], sy[RUN_SHELL_PROBE_RUNS];
    int n = 0;
    for (int i = 0; i < RUN_SHELL_PROBE_RUNS + 3; i++) {
        cli_run_sample smp;
        cli_run_outcome oc = cli_spawn_timed(&s->sp, argv[0], argv, environ, 0, false, &smp);
        if (oc == CLI_RUN_INTERRUPTED) {
            s->interrupted = true;
            break;
        }
        if (oc != CLI_RUN_DONE || smp.exit_code != 0) {
            cli_words_free(argv);
            return cli_error(CLI_USAGE, "the shell '%s' does not run an empty command", shell_path);
        }
        if (i < 3) continue; /* warm-up */
        w[n] = smp.wall_ns, us[n] = smp.user_ns, sy[n] = smp.sys_ns;
        n++;
    }
    cli_words_free(argv);
    if (n > 0) {
        s->shell_wall_ns = tach__median(w, (size_t)n);
        s->shell_user_ns = tach__median(us, (size_t)n);
        s->shell_sys_ns = tach__median(sy, (size_t)n);
    }
    return 0;
}

static void shuffle(run_state *s, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)tach__rng_below(&s->rng, i);
        size_t t = s->order[i - 1];
        s->order[i - 1] = s->order[j];
        s->order[j] = t;
    }
}

/* One round: every active unit once, in a shuffled order.  record: a measured round
 * (else warm-up).  Returns -1 on a fatal error (prepare failed, out of memory). */
static int run_round(run_state *s, bool record)
{
    const cli_run_opts *o = s->o;
    size_t n = 0;
    for (size_t i = 0; i < s->nunits; i++)
        if (s->units[i].active) s->order[n++] = i;
    shuffle(s, n);
    uint64_t timeout = o->timeout_s > 0 ? (uint64_t)(o->timeout_s * 1e9) : 0;
    for (size_t k = 0; k < n; k++) {
        cli_run_unit *u = &s->units[s->order[k]];
        tach__result *r = &s->doc->results[u->result];
        if (record && reserve(r, u, r->nsamples + 1) != 0) return cli_error(CLI_FAIL, "out of memory"), -1;
        if (u->prep_argv && run_aux(s, u->prep_argv, "--prepare") != 0) return -1;

        cli_run_sample smp;
        if (record) cli_run_counters_before(s->hw);
        cli_run_outcome oc = cli_spawn_timed(&s->sp, u->path, u->argv, environ, timeout, false, &smp);

        if (oc == CLI_RUN_INTERRUPTED) {
            s->interrupted = true;
            return 0;
        }
        if (oc == CLI_RUN_SPAWN_FAILED) {
            set_status(r, TACH__FAILED, "could not start: %s", strerror(smp.exit_code));
            u->active = false;
            s->failed = true;
            continue;
        }
        if ((oc == CLI_RUN_TIMEOUT || !cli_run_code_ignored(o, smp.exit_code)) && s->sp.err_fd >= 0 &&
            !u->err_tail)
            u->err_tail = cli_spawner_err_tail(&s->sp); /* why it failed, shown after the summary */
        if (oc == CLI_RUN_TIMEOUT) {
            set_status(r, TACH__TIMEOUT, "a run took longer than the timeout of %g s", o->timeout_s);
            u->active = false;
            s->failed = true;
            continue;
        }
        if (!cli_run_code_ignored(o, smp.exit_code)) {
            char sigbuf[64];
            int killed = cli_exit_signal(smp.exit_code);
            if (smp.exit_code == CLI_EXIT_UNKNOWN) { /* no signal's number: not a crash */
                set_status(r, TACH__FAILED, "%s (it could not wait for it)",
                           cli_signal_describe(-smp.exit_code, sigbuf, sizeof sigbuf));
            } else if (killed) {
                set_status(r, TACH__CRASHED, "%s", cli_signal_describe(killed, sigbuf, sizeof sigbuf));
                r->signal = killed;
            } else if (o->nignore) {
                /* --ignore-failure=CODES was given, without this code: advising the flag
                 * read as if it had not been */
                char codes[256] = "";
                size_t len = 0;
                for (size_t c = 0; c < o->nignore && len < sizeof codes - 16; c++)
                    len += (size_t)snprintf(codes + len, sizeof codes - len, "%s%d", c ? "," : "",
                                            o->ignore_codes[c]);
                set_status(r, TACH__FAILED, "exited with code %d, not among --ignore-failure=%s "
                           "(--ignore-failure=%s,%d times it anyway)", smp.exit_code, codes, codes,
                           smp.exit_code);
            } else {
                set_status(r, TACH__FAILED, "exited with code %d (tach run --ignore-failure times it anyway)",
                           smp.exit_code);
            }
            u->active = false;
            s->failed = true;
            continue;
        }
        if (!record) continue;
        size_t i = r->nsamples;
        double wall = smp.wall_ns - s->shell_wall_ns;
        r->sample_ns[i] = wall > 0 ? wall : 0;
        r->sample_iters[i] = 1;
        double us = smp.user_ns - s->shell_user_ns, sy = smp.sys_ns - s->shell_sys_ns;
        r->user_ns[i] = us > 0 ? us : 0;
        r->sys_ns[i] = sy > 0 ? sy : 0;
        r->max_rss_kib[i] = smp.max_rss_kib;
        r->minor_faults[i] = smp.minor_faults;
        r->major_faults[i] = smp.major_faults;
        r->vol_ctxsw[i] = smp.vol_ctxsw;
        r->invol_ctxsw[i] = smp.invol_ctxsw;
        r->cpu_stall_ns[i] = smp.cpu_stall_ns; /* NaN without PSI: not written */
        r->exit_codes[i] = smp.exit_code;
        if (cli_run_counters_after(s->hw, r, i) != 0) return cli_error(CLI_FAIL, "out of memory"), -1;
        r->nsamples = i + 1;
        u->sum_ns += r->sample_ns[i];
        s->measured_runs++;
    }
    return 0;
}

/* Half-width of the 95% CI of the median over the median (cheap order statistics). */
static double precision_of(const tach__result *r)
{
    tach__ci ci;
    if (r->nsamples < 2 || tach__median_ci_fast(r->sample_ns, r->nsamples, 0.95, &ci) != 0) return INFINITY;
    /* no interval (fewer than 6 runs: the range would cover less than 95%) is no precision */
    if (!(ci.value > 0) || !isfinite(ci.lo) || !isfinite(ci.hi)) return INFINITY;
    return (ci.hi - ci.lo) / 2.0 / ci.value;
}

static void show_progress(run_state *s, uint64_t now, size_t rounds, uint64_t start)
{
    if (!s->progress.on) return;
    /* Which command (with several, each active one in turn for a second, with its own
     * estimate), the runs done, ETA from the stop rule. */
    const cli_run_opts *o = s->o;
    const cli_run_unit *u = NULL;
    size_t nactive = 0, shown = 0;
    for (size_t i = 0; i < s->nunits; i++) nactive += s->units[i].active;
    if (!nactive) return;
    size_t want = (size_t)((now - start) / 1000000000u) % nactive;
    for (size_t i = 0, k = 0; i < s->nunits && !u; i++) {
        if (!s->units[i].active) continue;
        if (k++ == want) u = &s->units[i], shown = i;
    }
    const tach__result *r = &s->doc->results[u->result];
    double elapsed = (double)(now - start) / 1e9;
    double per_round = rounds ? elapsed / (double)rounds : 0;
    size_t total = 0;
    double eta = -1;
    if (o->runs) {
        total = (size_t)o->runs;
        eta = per_round * (double)(total - (rounds < total ? rounds : total));
    } else if (o->precision <= 0) {
        double need_t = o->min_time_s * (double)s->nunits - elapsed;
        double need_r = per_round * (double)((size_t)o->min_runs > rounds ? (size_t)o->min_runs - rounds : 0);
        eta = need_t > need_r ? need_t : need_r;
        if (eta < 0) eta = 0;
        if (per_round > 0 && o->min_time_s > 0)
            total = (size_t)(o->min_time_s * (double)s->nunits / per_round);
        if (total < (size_t)o->min_runs) total = (size_t)o->min_runs;
        if (o->max_runs && total > (size_t)o->max_runs) total = (size_t)o->max_runs;
    }
    char label[256], prec[48] = "";
    if (o->precision > 0 && isfinite(s->precision_now))
        snprintf(prec, sizeof prec, " (±%.2g%%, target ±%.2g%%)", s->precision_now * 100, o->precision * 100);
    if (s->nunits > 1)
        snprintf(label, sizeof label, "[%zu/%zu] %.*s%s", shown + 1, s->nunits,
                 tach__utf8_prec(s->doc->results[u->result].name, 200), s->doc->results[u->result].name,
                 prec);
    else
        snprintf(label, sizeof label, "%.*s%s", tach__utf8_prec(u->label, 200), u->label, prec);
    cli_progress_update(&s->progress, now, label, rounds, total, eta,
                        r->nsamples ? u->sum_ns / (double)r->nsamples : NAN);
}

/* The measured rounds, until the stop rule says so (see the usage text). */
static int measure(run_state *s)
{
    const cli_run_opts *o = s->o;
    uint64_t start = tach__now_ns();
    size_t rounds = 0, next_check = (size_t)o->min_runs;
    /* --total-time caps the run, an explicit --min-time included; the default one never
     * cuts the default --min-time short (many commands take longer than 60 s). */
    double max_time = o->max_time_s;
    if (!o->max_time_set && !o->min_time_set && max_time < o->min_time_s * (double)s->nunits)
        max_time = o->min_time_s * (double)s->nunits;
    max_time -= s->warmup_spent_s;
    bool precision_ok = false;
    for (;;) {
        if (run_round(s, true) != 0) return -1;
        rounds++;
        uint64_t now = tach__now_ns();
        s->measure_ns = now - start;
        if (s->interrupted) break;
        size_t active = 0;
        for (size_t i = 0; i < s->nunits; i++) active += s->units[i].active;
        if (!active) break;
        show_progress(s, now, rounds, start);
        if (o->runs) {
            if (rounds >= (size_t)o->runs) break;
            continue;
        }
        if (o->max_runs && rounds >= (size_t)o->max_runs) break;
        if (rounds < (size_t)o->min_runs) continue;
        double elapsed = (double)(now - start) / 1e9;
        if (elapsed >= max_time) break;
        if (elapsed < o->min_time_s * (double)active) continue;
        if (o->precision <= 0) break;
        if (rounds >= next_check) {
            /* checking sorts the samples: do it after every 10% more runs */
            precision_ok = true;
            s->precision_now = 0;
            for (size_t i = 0; i < s->nunits; i++) {
                if (!s->units[i].active) continue;
                double p = precision_of(&s->doc->results[s->units[i].result]);
                if (p > s->precision_now) s->precision_now = p;
                if (p > o->precision) precision_ok = false;
            }
            if (precision_ok) break;
            next_check = rounds + (rounds / 10 > 0 ? rounds / 10 : 1);
        }
    }
    cli_progress_clear(&s->progress);
    return 0;
}

/* ---- the document's context ------------------------------------------------------ */

static void fill_context(run_state *s, int argc, char **argv, const char *shell_path)
{
    const cli_run_opts *o = s->o;
    tach__doc *doc = s->doc;
    json_t *env = tach__env_capture();
    if (env && json_is_object(env)) {
        json_object_update(doc->context, env);
    }
    json_decref(env);
    json_object_set_new(doc->context, "tool", json_string("tach run"));
    json_object_set_new(doc->context, "tach_version", json_string(tach_version()));
    cli_set_run_uid(doc->context); /* the export's and the record's: tach record knows it */
    json_t *cl = cli_command_line(argc, argv); /* a --store password is never kept */
    if (cl) json_object_set_new(doc->context, "command_line", cl);
    json_t *st = json_object();
    /* the commands' sampling settings; a binary's workers sample by their own
     * (context.worker_settings), so a binary's document does not carry these */
    if (!o->binary) {
        if (o->runs) json_object_set_new(st, "runs", json_integer(o->runs));
        json_object_set_new(st, "warmup", json_integer(o->warmup));
        json_object_set_new(st, "min_runs", json_integer(o->min_runs));
        if (o->max_runs) json_object_set_new(st, "max_runs", json_integer(o->max_runs));
        json_object_set_new(st, "min_time_s", json_real(o->min_time_s));
        json_object_set_new(st, "max_time_s", json_real(o->max_time_s));
        json_object_set_new(st, "precision", o->precision > 0 ? json_real(o->precision) : json_null());
    }
    if (o->timeout_s > 0) json_object_set_new(st, "timeout_s", json_real(o->timeout_s));
    json_object_set_new(st, "seed", tach__json_seed(o->seed));
    json_object_set_new(st, "resamples", json_integer(10000));
    static const char *outs[] = {"null", "pipe", "inherit", "file"};
    if (!o->binary) json_object_set_new(st, "output", json_string(outs[o->output]));
    if (o->input && !o->binary) json_object_set_new(st, "input", json_string(o->input));
    if (shell_path) {
        json_object_set_new(st, "shell", json_string(shell_path));
    }
    if (o->binary) {
        json_object_set_new(st, "processes", json_integer(o->processes));
        if (o->bench_time_given) json_object_set_new(st, "bench_time_s", json_real(o->bench_time_s));
        if (o->filter) json_object_set_new(st, "filter", json_string(o->filter));
    }
    if (o->metric == 1) { /* docs/instructions.md */
        json_object_set_new(st, "metric", json_string("instructions"));
        json_object_set_new(st, "cache_sim", json_boolean(o->cache_sim));
    }
    json_object_set_new(doc->context, "settings", st);
    if (o->counters && !o->binary) { /* a binary's workers record their own */
        json_t *hw = cli_run_counters_probe(o->counters);
        if (hw) json_object_set_new(doc->context, "counters", hw);
    }
    json_t *warn = tach__env_warnings(doc->context);
    /* callgrind replaces the CPU's counters (a binary's worker says so itself) */
    if (warn && !o->binary && o->metric == 1 && o->counters)
        json_array_append_new(warn, json_string("--counters is ignored with --metric instructions "
                                                "(callgrind replaces the CPU counters; run "
                                                "--counters without --metric instructions)"));
    if (warn) json_object_set_new(doc->context, "warnings", warn);
}

/* tach's own cost per run: the measured rounds' wall time outside the children. */
/* tach's own peak RSS, recorded by add_overhead (0 when unknown). */
static double spawner_rss_kib(const tach__doc *doc)
{
    json_t *v = json_object_get(json_object_get(doc->context, "settings"), "spawner_max_rss_kib");
    return json_is_number(v) ? json_number_value(v) : 0;
}

static void add_overhead(run_state *s)
{
    if (!s->measured_runs) return;
    double inside = 0;
    for (size_t i = 0; i < s->nunits; i++) {
        const tach__result *r = &s->doc->results[s->units[i].result];
        for (size_t k = 0; k < r->nsamples; k++) inside += r->sample_ns[k] + s->shell_wall_ns;
    }
    double per = ((double)s->measure_ns - inside) / (double)s->measured_runs;
    json_t *st = json_object_get(s->doc->context, "settings");
    if (st) json_object_set_new(st, "overhead_per_run_ns", json_real(per > 0 ? per : 0));
    /* posix_spawn's child shares tach's memory until it execs, and Linux counts that
     * memory in the child's max RSS: a command's peak below tach's own cannot be told
     * apart from it.  Recorded so that readers (and the summary) can say so. */
    struct rusage self;
    if (st && getrusage(RUSAGE_SELF, &self) == 0)
        json_object_set_new(st, "spawner_max_rss_kib", json_real((double)self.ru_maxrss));
}

static int write_exports(const cli_run_opts *o, const tach__doc *doc, const char **json_file)
{
    int rc = CLI_OK;
    *json_file = NULL;
    for (size_t i = 0; i < o->nexports; i++) {
        char err[TACH__ERR_MAX];
        int w = cli_export_write(doc, o->exports[i].format, o->exports[i].path, err);
        if (w < 0) rc = cli_error(CLI_FAIL, "--export-%s: %s", o->exports[i].format, err);
        else if (w > 0) rc = CLI_FAIL; /* standard output failed an export before: said */
        else if (!strcmp(o->exports[i].format, "json") && !cli_path_is_stdout(o->exports[i].path))
            *json_file = o->exports[i].path;
    }
    return rc;
}

/* Prints the context's warnings; a count's (--metric instructions) leaves out those that
 * concern timing only (a busy machine, a VM...), which are recorded all the same. */
static void print_warnings(const tach__doc *doc, bool on, bool counted)
{
    if (!on) return;
    json_t *w = json_object_get(doc->context, "warnings");
    size_t i;
    json_t *v;
    json_array_foreach(w, i, v)
        if (json_is_string(v) && !(counted && tach__env_warning_timing_only(json_string_value(v))))
            fprintf(stderr, "%s: warning: %s\n", cli_prog(), json_string_value(v));
}

/* ---- the two modes ------------------------------------------------------------- */

/* A libtach benchmark binary: its workers, then the table it prints.  Returns CLI_OK
 * (a failure or an interruption is kept in s), or CLI_USAGE (it refused its arguments). */
static int run_binary_mode(run_state *s, const char *bin_path, cli_run_style style, bool color)
{
    const cli_run_opts *o = s->o;
    /* --metric instructions: the binary's own instruction mode, in one worker (a count
     * is the same in every process) */
    char *instr_args[64 + 3];
    char **extra = o->argv_cmd;
    size_t nextra = o->nargv_cmd;
    if (o->metric == 1 && nextra <= 64) {
        size_t k = 0;
        instr_args[k++] = (char *)"--metric=instructions";
        if (o->cache_sim) instr_args[k++] = (char *)"--cache-sim";
        for (size_t i = 0; i < nextra; i++) instr_args[k++] = o->argv_cmd[i];
        extra = instr_args;
        nextra = k;
    }
    cli_bench_opts bo = {.binary = bin_path, .extra = extra, .nextra = nextra,
                         .processes = o->metric == 1 ? 1 : o->processes, .filter = o->filter,
                         .extra_rounds = o->metric != 1 && !o->no_extra_rounds,
                         .precision_pct = o->precision * 100, .timeout_s = o->timeout_s,
                         /* --bench-time, or the old --max-time (which meant it here) */
                         .max_time_s = o->bench_time_given ? o->bench_time_s
                                       : o->max_time_set ? o->max_time_s : 0,
                         .seed = o->seed, .memory = o->memory, .counters = o->counters,
                         .counters_list = o->counters_list,
                         .seed_set = o->seed_set, .progress = style != CLI_STYLE_NONE,
                         .bar = s->progress.on ? &s->progress : NULL};
    int rc = cli_bench_run(&s->sp, &bo, environ, s->doc);
    if (rc == CLI_USAGE) return rc;
    if (rc == CLI_INTERRUPTED) s->interrupted = true;
    if (rc == CLI_FAIL) s->failed = true;
    if (style != CLI_STYLE_NONE && s->doc->nresults) {
        char *table = tach__doc_to_table(s->doc, color, 0);
        if (table) fputs(table, stdout);
        tach__free(table);
    }
    return CLI_OK;
}

/* --counters on commands: the counters per run of each command, a table under the
 * results as a benchmark binary shows them (the same cells, src/format/resources_text.c),
 * and the lines saying which counters are absent and why. */
static void print_counters(const run_state *s, bool color)
{
    char names[24][64];
    size_t nc = tach__resource_columns(s->doc, names, 0, 24);
    tach__buf notes = {0};
    tach__resource_notes(s->doc, &notes);
    if (nc) {
        size_t w = strlen("command");
        for (size_t i = 0; i < s->nunits; i++) {
            size_t l = tach__display_width(cli_term(s->doc->results[s->units[i].result].name));
            if (l > w) w = l;
        }
        if (w > 40) w = 40;
        char c0[512], cell[64], col[64];
        printf("%sCounters per run%s (the whole process and its children):\n", color ? "\033[1m" : "",
               color ? "\033[0m" : "");
        printf("%s", tach__pad("command", -(int)w, c0, sizeof c0));
        for (size_t k = 0; k < nc; k++) printf("  %s", tach__pad(names[k], 14, col, sizeof col));
        printf("\n");
        for (size_t i = 0; i < s->nunits; i++) {
            const tach__result *r = &s->doc->results[s->units[i].result];
            printf("%s", cli_term_cell(r->name, (int)w, c0, sizeof c0));
            for (size_t k = 0; k < nc; k++) {
                if (!tach__resource_cell(r, names[k], cell, sizeof cell)) snprintf(cell, sizeof cell, "-");
                printf("  %s", tach__pad(cell, 14, col, sizeof col));
            }
            printf("\n");
        }
    }
    char *text = tach__buf_take(&notes);
    if (text) fputs(nc ? text : text + (*text == '\n'), stdout);
    if (nc || text) printf("\n");
    tach__free(text);
}

/* Commands: setup, the shell's start-up, warm-up, the measured rounds, cleanup, the
 * estimates and the summary.  Returns CLI_OK (a failed command or an interruption kept
 * in s), or CLI_FAIL / CLI_USAGE after printing why. */
static int run_commands_mode(run_state *s, const char *shell_path, cli_run_style style, bool color)
{
    const cli_run_opts *o = s->o;
    char err[TACH__ERR_MAX];
    if (o->setup) {
        char **a = cli_sh_argv(shell_path ? shell_path : "/bin/sh", o->setup);
        int r = a ? run_aux(s, a, "--setup") : -1;
        cli_words_free(a);
        if (r != 0 && !s->interrupted) {
            return CLI_FAIL;
        }
    }
    if (shell_path && !s->interrupted) {
        if (measure_shell(s, shell_path) != 0) {
            return CLI_USAGE;
        }
        json_t *st = json_object_get(s->doc->context, "settings");
        json_object_set_new(st, "shell_overhead_ns", json_real(s->shell_wall_ns));
        json_object_set_new(st, "shell_overhead_user_ns", json_real(s->shell_user_ns));
        json_object_set_new(st, "shell_overhead_sys_ns", json_real(s->shell_sys_ns));
    }
    int fatal = 0;
    /* the warm-up is within --total-time too: every loop is bounded by it */
    uint64_t w0 = tach__now_ns();
    for (long w = 0; w < o->warmup && !s->interrupted && !fatal; w++) {
        if ((double)(tach__now_ns() - w0) / 1e9 >= o->max_time_s) break;
        fatal = run_round(s, false);
    }
    s->warmup_spent_s = (double)(tach__now_ns() - w0) / 1e9;
    if (!fatal && !s->interrupted && o->metric == 1) {
        int irc = cli_run_instr(&s->sp, s->valgrind, o, s->units, s->nunits, s->doc, &s->failed, err);
        if (irc < 0) cli_error(CLI_FAIL, "%s", err);
        if (irc > 0) s->interrupted = true;
        fatal = irc < 0;
    } else if (!fatal && !s->interrupted) {
        fatal = measure(s);
    }
    cli_progress_clear(&s->progress);
    if (o->cleanup) {
        /* the cleanup runs even after Ctrl-C (it may remove what setup made); a
         * second Ctrl-C stops it too */
        bool was = s->interrupted;
        int was_sig = s->sp.interrupt_sig;
        s->sp.interrupted = false;
        s->interrupted = false;
        char **a = cli_sh_argv(shell_path ? shell_path : "/bin/sh", o->cleanup);
        int r = a ? run_aux(s, a, "--cleanup") : -1;
        cli_words_free(a);
        if (r != 0 && !s->interrupted && !was) s->failed = true; /* results kept, exit 1 */
        s->interrupted = s->interrupted || was;
        if (was) s->sp.interrupt_sig = was_sig; /* the first signal names the exit status */
    }
    if (fatal && !s->interrupted) {
        return CLI_FAIL;
    }
    for (size_t i = 0; i < s->nunits; i++) {
        tach__result *r = &s->doc->results[s->units[i].result];
        r->precision_target = o->precision;
        if (tach__result_finish(r, o->seed, err) != 0) {
            return cli_error(CLI_FAIL, "%s", err);
        }
        /* Stopped before a single run of it finished: not measured, so not "ok". */
        if (s->interrupted && r->status == TACH__OK && r->nsamples == 0)
            set_status(r, TACH__SKIPPED, "interrupted before its first run finished");
    }
    add_overhead(s);
    if (style != CLI_STYLE_NONE) {
        if (shell_path) {
            char b[32];
            printf("Shell start-up (%s -c ''): %s, subtracted from every run\n\n", shell_path,
                   tach__fmt_time(s->shell_wall_ns, b, sizeof b));
        }
        if (o->metric == 1) { /* counts, not times: the instruction table */
            char *table = tach__doc_to_table(s->doc, color, 0);
            if (table) fputs(table, stdout);
            tach__free(table);
            return CLI_OK;
        }
        for (size_t i = 0; i < s->nunits; i++) {
            /* the result's name: unique, and the one the comparison below uses */
            printf("%sBenchmark %zu: %s%s\n", color ? "\033[1m" : "", i + 1,
                   cli_term(s->doc->results[s->units[i].result].name), color ? "\033[0m" : "");
            cli_report_result(stdout, &s->doc->results[s->units[i].result], color, s->shell_wall_ns,
                              spawner_rss_kib(s->doc));
            printf("\n");
        }
        if (o->counters) print_counters(s, color);
        if (s->nunits > 1) cli_report_comparison(stdout, s->doc, color);
    }
    return CLI_OK;
}

/* --style none prints no summary, but why tach exits 1 still goes to stderr, a line
 * per failed, crashed or timed-out result (as hyperfine's --style none prints its
 * errors): the summary's "Status:" line, which the other styles print. */
static void print_failures(const tach__doc *doc)
{
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        if (r->status == TACH__OK || r->status == TACH__SKIPPED) continue;
        fprintf(stderr, "%s: %s: %s — %s\n", cli_prog(), cli_term(r->name), tach__status_name(r->status),
                r->message ? cli_term(r->message) : "");
    }
}

/* True when o->binary is a libtach benchmark binary (cli_bench_recognise: the test ab
 * and stability use too).  *stop: 0, or the exit status (130, 143, 129) when a signal
 * ended the probe: the user stopped tach, so the program must not be run after it. */
static bool bench_binary(const cli_run_opts *o, int *stop)
{
    char err[TACH__ERR_MAX];
    cli_spawner sp;
    bool yes = false;
    *stop = 0;
    if (cli_spawner_init(&sp, NULL, CLI_OUTPUT_NULL, NULL, err) == 0) {
        yes = cli_bench_recognise(&sp, o->binary, environ, o->timeout_s, NULL, NULL);
        cli_spawner_close(&sp); /* also notes a signal still pending */
        *stop = cli_spawner_stop_status(&sp);
    }
    return yes;
}

/* --metric instructions: Valgrind on PATH, able to start its callgrind tool, checked
 * before anything runs (a Valgrind that cannot would fail every command), on a spawner of
 * its own as bench_binary's; the one found goes to valgrind (size bytes), which every
 * count then runs.  CLI_OK, CLI_USAGE after one line, or the exit status a signal asks
 * for. */
static int valgrind_ready(char *valgrind, size_t size)
{
    char err[TACH__ERR_MAX];
    cli_spawner sp;
    if (cli_spawner_init(&sp, NULL, CLI_OUTPUT_NULL, NULL, err) != 0)
        return cli_error(CLI_FAIL, "%s", err);
    int rc = cli_valgrind_ready(&sp, "instructions", valgrind, size);
    cli_spawner_close(&sp); /* also notes a signal still pending */
    int stop = cli_spawner_stop_status(&sp);
    return stop ? stop : rc;
}

const char *cli_run_owned_arg(const char *a, bool precision, bool timeout, bool seed,
                              bool filter, bool *output)
{
    static const char *const owned[] = {"format", "out", "quiet", "tach-probe", "list", "help",
                                        "max-time", "precision", "timeout", "seed", "filter"};
    bool passed[] = {true, true, true, true, true, true, true, precision, timeout, seed, filter};
    if (strncmp(a, "--", 2) != 0) return NULL;
    size_t len = strcspn(a + 2, "=");
    for (size_t k = 0; k < sizeof owned / sizeof *owned; k++)
        if (passed[k] && strlen(owned[k]) == len && !strncmp(a + 2, owned[k], len)) {
            *output = k < 6;
            return owned[k];
        }
    return NULL;
}

/* The --filter the workers select with: the last one after -- (as the binary reads its
 * arguments; tach run's own and one after -- together are refused), else tach run's. */
static const char *workers_filter(const cli_run_opts *o)
{
    const char *f = o->filter;
    for (size_t i = 0; i < o->nargv_cmd; i++) {
        const char *a = o->argv_cmd[i];
        if (!strcmp(a, "--filter") && i + 1 < o->nargv_cmd) f = o->argv_cmd[++i];
        else if (!strncmp(a, "--filter=", 9)) f = a + 9;
    }
    return f;
}

/* The arguments after -- go to every worker; those tach run sets itself (or that
 * change what a worker writes) would clash with its own and are refused up front. */
static int check_extra_args(const cli_run_opts *o)
{
    for (size_t i = 0; i < o->nargv_cmd; i++) {
        const char *a = o->argv_cmd[i];
        bool output = false;
        if (cli_run_owned_arg(a, o->precision > 0, o->timeout_s > 0, o->seed_set, o->filter != NULL,
                              &output))
            return cli_cmd_usage_error("run", "'%s' after -- clashes with what tach run passes each "
                                       "worker (%s)", a,
                                       output ? "tach reads the workers' results itself; use --export-FORMAT"
                                              : "give it to tach run, not after --");
    }
    return CLI_OK;
}

int cli_cmd_run(int argc, char **argv)
{
    cli_run_opts o;
    int real_stdout = -1; /* standard output kept for an export to it (cli_path_is_stdout) */
    int rc = cli_run_parse_args(argc, argv, &o);
    if (rc != 0) {
        cli_run_opts_free(&o);
        return rc < 0 ? CLI_OK : rc;
    }
    if ((rc = cli_check_tags("run", o.tags, o.ntags)) != CLI_OK) { /* one value per key */
        cli_run_opts_free(&o);
        return rc;
    }
    /* auto: full on a terminal, basic elsewhere; an explicit full is full anywhere (as
     * hyperfine's: colour and the progress bar off a terminal too), NO_COLOR still
     * turning the colour off. */
    bool forced = o.style == CLI_STYLE_FULL;
    const char *nc = getenv("NO_COLOR");
    bool tty = forced || isatty(STDERR_FILENO);
    cli_run_style style = o.style == CLI_STYLE_AUTO ? (tty ? CLI_STYLE_FULL : CLI_STYLE_BASIC) : (cli_run_style)o.style;
    bool color = style == CLI_STYLE_FULL && (forced ? !(nc && *nc) : cli_use_color(stdout));

    run_state s;
    memset(&s, 0, sizeof s);
    s.o = &o;
    s.precision_now = NAN;
    s.doc = tach__doc_new();
    if (!s.doc) {
        cli_run_opts_free(&o);
        return cli_error(CLI_FAIL, "out of memory");
    }
    char err[TACH__ERR_MAX];
    char *shell_path = NULL;
    char *bin_path = NULL;
    bool spawner_ok = false;
    rc = CLI_OK;

    /* ---- every check before the first run ---- */
    if (o.metric == 1 && (rc = valgrind_ready(s.valgrind, sizeof s.valgrind)) != CLI_OK) goto out;
    if (o.shell && !(shell_path = cli_find_executable(o.shell, err))) {
        rc = cli_usage_error("--shell: %s", err);
        goto out;
    }
    /* What does not depend on the target's kind is checked before the probe below
     * (which starts a one-word target once, with --tach-probe). */
    if (o.output == CLI_OUTPUT_FILE && cli_export_check_path(o.output_file, err) != 0) {
        rc = cli_usage_error("--output: %s", err);
        goto out;
    }
    if (o.input) {
        /* opened for real by the spawner; checked here before the store is touched
         * and before anything runs.  A named pipe (mkfifo) is not opened twice: this
         * open and close took its writer's reader, what it wrote was lost (or it died
         * of SIGPIPE) and the spawner's open waited for a writer that had gone. */
        struct stat st;
        if (stat(o.input, &st) == 0 && S_ISFIFO(st.st_mode)) {
            if (access(o.input, R_OK) != 0) {
                rc = cli_usage_error("cannot read input file '%s': %s", o.input, strerror(errno));
                goto out;
            }
        } else {
            FILE *in = fopen(o.input, "r");
            if (!in || fstat(fileno(in), &st) != 0 || S_ISDIR(st.st_mode)) {
                rc = cli_usage_error("cannot read input file '%s': %s", o.input,
                                     in ? "it is a directory" : strerror(errno));
                if (in) fclose(in);
                goto out;
            }
            fclose(in);
        }
    }
    if (!o.no_store && (rc = cli_store_precheck(o.store)) != CLI_OK) goto out;
    if (o.profile && (rc = cli_prof_check_dir("run", o.profile_dir)) != CLI_OK) goto out;
    /* The probe has its own spawner: s.sp's (made below) truncates --output's file,
     * which bad usage found from the probe's answer must leave alone. */
    if (o.binary) {
        int stop;
        bool lib = bench_binary(&o, &stop);
        if (stop) {
            rc = stop;
            goto out;
        }
        if (!lib && !o.binary_maybe) { /* given with --: it must be one */
            char *p = cli_find_executable(o.binary, err);
            rc = p ? cli_usage_error("'%s' is not a libtach benchmark binary (it does not answer "
                                     "--tach-probe); to time it as a command use 'tach run -- %s'",
                                     o.binary, o.binary)
                   : cli_usage_error("%s", err);
            tach__free(p);
            goto out;
        }
        if (!lib) {
            /* one word that is not a libtach binary: a command, as hyperfine's 'tach run CMD' */
            if (!(o.cmds = tach__calloc(1, sizeof *o.cmds))) {
                rc = cli_error(CLI_FAIL, "out of memory");
                goto out;
            }
            o.cmds[o.ncmds++] = o.binary;
            o.binary = NULL;
        }
    }
    if (o.binary && o.command_only) {
        rc = cli_cmd_usage_error("run", "%s applies to commands, not to a benchmark binary%s",
                                 o.command_only, !strcmp(o.command_only, "--total-time")
                                                     ? " (for a binary: --bench-time)" : "");
        goto out;
    }
    if (!o.binary && o.binary_only) {
        /* a one-word target that did not answer --tach-probe is timed as a command: say so */
        char why[300] = "";
        if (o.binary_maybe && o.ncmds == 1)
            snprintf(why, sizeof why, " ('%s' does not answer --tach-probe: it is timed as a "
                     "command, not driven as a libtach benchmark binary)", o.cmds[0]);
        else if (!strcmp(o.binary_only, "--processes"))
            snprintf(why, sizeof why, " (each run of a command is its own process already)");
        else if (!strcmp(o.binary_only, "--memory")) /* it was accepted and did nothing */
            snprintf(why, sizeof why, " (it counts a libtach binary's heap allocations, which a "
                     "command's cannot be; a command's peak RSS is measured on every run without "
                     "it: 'Peak memory', runs.max_rss_kib)");
        rc = cli_cmd_usage_error("run", "%s applies to a benchmark binary, not to commands%s",
                                 o.binary_only, why);
        goto out;
    }
    if (!o.binary && o.bench_time_given) {
        rc = cli_cmd_usage_error("run", "--bench-time applies to a benchmark binary, not to commands "
                                 "(for commands: --total-time)");
        goto out;
    }
    if (!o.binary && o.no_extra_rounds) {
        rc = cli_cmd_usage_error("run", "--no-extra-rounds applies to a benchmark binary, not to "
                                 "commands (their runs are separate processes already)");
        goto out;
    }
    if (o.binary && (rc = check_extra_args(&o)) != CLI_OK) goto out;
    if (o.binary) {
        if (!(bin_path = cli_find_executable(o.binary, err))) {
            rc = cli_usage_error("%s", err);
            goto out;
        }
    } else if ((rc = cli_units_build(&o, shell_path, s.doc, &s.units, &s.nunits)) != 0) {
        goto out;
    }
    for (size_t i = 0; !o.binary && i < o.nexports; i++)
        if (!strcmp(o.exports[i].format, "hlog")) { /* a command has no per-call latency */
            rc = cli_cmd_usage_error("run", "--export-hlog: a command has no per-call latency to "
                                     "log (a benchmark binary's benchmarks timed call by call, "
                                     ".latency = 1, have)");
            goto out;
        }
    /* --timeout bounds how long a pipe given as --input may give nothing (a named pipe
     * nothing writes to), as it bounds a run */
    uint64_t input_idle = o.timeout_s > 0 ? (uint64_t)(o.timeout_s * 1e9) : 0;
    if (cli_spawner_init_input(&s.sp, o.input, input_idle, o.output, o.output_file, err) != 0) {
        if (s.sp.interrupted) { /* Ctrl-C while a pipe given as --input was read */
            int isig = s.sp.interrupt_sig ? s.sp.interrupt_sig : SIGINT;
            fprintf(stderr, "%s: interrupted by %s while reading --input: nothing measured, nothing "
                    "written\n", cli_prog(), tach__signal_name(isig));
            rc = 128 + isig;
        } else {
            rc = cli_usage_error("%s", err);
        }
        goto out;
    }
    spawner_ok = true;
    tach__rng_seed(&s.rng, o.seed);
    if (s.nunits && !(s.order = tach__calloc(s.nunits, sizeof *s.order))) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto out;
    }

    /* An export to standard output ("-", /dev/stdout, the file stdout is redirected to:
     * cli_path_is_stdout) holds the document alone: the summary and tables go to standard
     * error meanwhile (they came before the JSON on stdout, unparseable). */
    for (size_t i = 0; i < o.nexports && real_stdout < 0; i++)
        if (cli_path_is_stdout(o.exports[i].path)) {
            tach__stdout_flush();
            /* close-on-exec: a command run (and its background children) must not hold
             * the export's pipe open */
            if ((real_stdout = fcntl(1, F_DUPFD_CLOEXEC, 3)) >= 0 && dup2(2, 1) < 0) {
                close(real_stdout);
                real_stdout = -1;
            }
        }

    /* ---- the run ---- */
    fill_context(&s, argc, argv, shell_path);
    print_warnings(s.doc, style != CLI_STYLE_NONE, o.metric == 1);
    cli_progress_init(&s.progress, style == CLI_STYLE_FULL && tty,
                      forced ? !(nc && *nc) : cli_use_color(stderr));

    if (!o.binary && o.counters && !(s.hw = cli_run_counters_open(o.counters))) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto out;
    }
    rc = o.binary ? run_binary_mode(&s, bin_path, style, color)
                  : run_commands_mode(&s, shell_path, style, color);
    if (rc != CLI_OK) goto out;
    if (style == CLI_STYLE_NONE) print_failures(s.doc);
    for (size_t i = 0; i < s.nunits; i++) cli_print_tail(s.units[i].label, s.units[i].err_tail);
    const char *filter = o.binary ? workers_filter(&o) : NULL; /* also one after -- */
    if (filter && !s.doc->nresults && !s.interrupted && !s.failed) {
        /* a filter that matches nothing is a typo, not an empty run to record (a later
         * gate would compare older runs and pass), as Google Benchmark's exit 1 */
        rc = cli_usage_error("no benchmark of %s matches --filter '%s' (nothing written; "
                             "%s --list lists them)", bin_path, filter, bin_path);
        goto out;
    }

    if (o.profile && !s.interrupted) {
        int prc = cli_run_profile(&s.sp, &o, o.binary ? bin_path : NULL, s.units, s.nunits, s.doc);
        if (prc == CLI_INTERRUPTED) s.interrupted = true; /* the timed results: partial, 130 */
        else if (prc != CLI_OK) s.failed = true;
    }
    s.doc->partial = s.doc->partial || s.interrupted;
    int sig = s.sp.interrupt_sig ? s.sp.interrupt_sig : SIGINT;
    if (s.interrupted) /* the reason for exit 130, also with --style none */
        fprintf(stderr, "%s: interrupted by %s: %s what was measured so far (marked partial)\n", cli_prog(),
                tach__signal_name(sig), o.nexports ? "exporting" : "printed");
    tach__stdout_flush();
    if (real_stdout >= 0) { /* the export's standard output back */
        dup2(real_stdout, 1);
        close(real_stdout);
        real_stdout = -1;
    }
    const char *json_file; /* the document, for a tach record later */
    int erc = write_exports(&o, s.doc, &json_file);
    if (!s.interrupted) {
        /* ---- the store hook: every completed `tach run` is recorded (unless --no-store);
         * cli_run_record is implemented by the store (cli/store_*.c). ---- */
        int src = cli_run_record(s.doc, "run", o.store, o.no_store, o.tags, o.ntags, json_file);
        if (src != CLI_OK && erc == CLI_OK) erc = src;
    }
    rc = s.interrupted ? 128 + sig : s.failed ? CLI_FAIL : erc; /* 130, 143, 129 */

out:
    if (real_stdout >= 0) {
        tach__stdout_flush();
        dup2(real_stdout, 1);
        close(real_stdout);
    }
    if (spawner_ok) cli_spawner_close(&s.sp);
    cli_run_counters_close(s.hw);
    cli_units_free(s.units, s.nunits);
    tach__free(s.order);
    tach__free(shell_path);
    tach__free(bin_path);
    tach__doc_free(s.doc);
    cli_run_opts_free(&o);
    return rc;
}
