/*
 * run_options.c - the command line of `tach run`: every option, its value checked
 * before anything runs (one line naming the bad value, exit status 2), and --help.
 * About 780 lines, kept whole: the table, the callbacks it names, and the checks across
 * options once all are read (hyperfine's spellings among them) are one reading of argv.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "hwcount.h"
#include "profile.h"
#include "run.h"
#include "tach.h"

#define RUN_DEFAULT_MIN_RUNS 10
#define RUN_DEFAULT_MIN_TIME_S 3.0
#define RUN_DEFAULT_MAX_TIME_S 60.0

/* ---- the option table ---------------------------------------------------------- */

static const char *const style_names[] = {"auto", "full", "basic", "none", NULL};
static const char *const metric_names[] = {"wall", "instructions", NULL};
/* hyperfine's --time-unit values; tach chooses its units itself */
static const char *const time_unit_names[] = {"microsecond", "millisecond", "second", "minute",
                                              "hour", NULL};

static int set_counters(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt;
    cli_run_opts *o = base;
    o->counters_list = v;
    if (!v) {
        o->counters = TACH__HW_ALL;
        return 0;
    }
    char why[TACH__ERR_MAX];
    if (tach__hw_parse(v, &o->counters, why) != 0) return tach__err(err, "%s: %s", name, why);
    return 0;
}

static int add_command(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int add_param(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int set_output(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int set_ignore(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int add_export(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int add_tag(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int add_name(void *base, const tach__opt *opt, const char *name, const char *v, char *err);
static int set_counters(void *base, const tach__opt *opt, const char *name, const char *v, char *err);

#define OFF(f) offsetof(cli_run_opts, f)
/* An --export-FORMAT FILE row (add_export checks the format and the path). */
#define EXPORT_ROW(format, what)                                                             \
    {TACH__OPT_STRING, "export-" format, 0, "FILE", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL,  \
     add_export, NULL, what}
#define SECTION(t) {.kind = TACH__OPT_SECTION, .name = t}
static const tach__opt run_table[] = {
    SECTION("commands:"),
    {TACH__OPT_STRING, "command", 'c', "CMD", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, add_command, NULL,
     "a command string (split into words; repeat to compare); the\n"
     "commands may also be given as plain arguments, as hyperfine's"},
    {TACH__OPT_STRING, "shell", 'S', "SHELL", OFF(shell), 0, 0, TACH__OPT_OPTIONAL, NULL, "/bin/sh",
     NULL, NULL,
     "run commands through SHELL -c (default /bin/sh); its start-up\n"
     "time is measured and subtracted; -S bash, as hyperfine's, when\n"
     "the next word names a shell; -S none, no shell (= -N)"},
    {TACH__OPT_FLAG, "no-shell", 'N', NULL, 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, NULL, NULL,
     "start commands directly, without a shell (the default)"},
    {TACH__OPT_STRING, "command-name", 'n', "NAME", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, add_name,
     NULL,
     "the name of a command, shown and kept instead of it (one -n\n"
     "per command, in order, as hyperfine's; {NAME} substituted)"},
    SECTION("runs:"),
    {TACH__OPT_COUNT, "warmup-runs", 'w', "N", OFF(warmup), 0, LONG_MAX, 0, NULL, NULL, NULL, NULL,
     "N untimed runs of each command first (default 0)"},
    {TACH__OPT_COUNT, "runs", 'r', "N", OFF(runs), 1, LONG_MAX, 0, NULL, NULL, NULL, NULL,
     "exactly N runs of each command"},
    {TACH__OPT_COUNT, "min-runs", 'm', "N", OFF(min_runs), 1, LONG_MAX, 0, NULL, NULL, NULL, NULL,
     "at least N runs (default 10)"},
    {TACH__OPT_COUNT, "max-runs", 'M', "N", OFF(max_runs), 1, LONG_MAX, 0, NULL, NULL, NULL, NULL,
     "at most N runs"},
    {TACH__OPT_DURATION, "min-time", 0, "S", OFF(min_time_s), 0, 1e6, 0, NULL, NULL, NULL, NULL,
     "measure for at least S seconds per command (default 3, or 0\n"
     "with --precision); never beyond --total-time"},
    {TACH__OPT_DURATION, "total-time", 0, "S", OFF(max_time_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL,
     NULL, NULL, NULL,
     "stop after S seconds in all, warm-up included, before --min-time\n"
     "or --precision if need be (default 60, which never cuts the\n"
     "default --min-time short); --runs and --min-runs still hold"},
    {TACH__OPT_PERCENT, "precision", 0, "PCT", OFF(precision), 0, 100,
     TACH__OPT_LO_OPEN | TACH__OPT_HI_OPEN, NULL, NULL, NULL, NULL,
     "stop when the 95% CI of every median is within PCT%"},
    {TACH__OPT_STRING, "prepare", 'p', "CMD", OFF(prepare), 0, 0, 0, NULL, NULL, NULL, NULL,
     "a shell command run before each run (not timed; /bin/sh, or\n"
     "--shell's, as for --setup and --cleanup)"},
    {TACH__OPT_STRING, "setup", 's', "CMD", OFF(setup), 0, 0, 0, NULL, NULL, NULL, NULL,
     "a shell command run once before all runs"},
    {TACH__OPT_STRING, "cleanup", 'C', "CMD", OFF(cleanup), 0, 0, 0, NULL, NULL, NULL, NULL,
     "a shell command run once after all runs"},
    {TACH__OPT_STRING, "param", 'P', "NAME=a,b,c", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, add_param,
     NULL,
     "run once per value (each value once), substituting {NAME} in\n"
     "the commands; or NAME=lo:hi:step, a scan (integers or decimals;\n"
     "decimals need the step); repeat for a product; hyperfine's\n"
     "-P NAME LO HI too"},
    {TACH__OPT_STRING, "parameter-list", 'L', "NAME=a,b,c", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL,
     add_param, NULL, "the same as --param (hyperfine's name; its -L NAME a,b,c too)"},
    {TACH__OPT_STRING, "parameter-scan", 0, "NAME LO HI", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL,
     add_param, NULL, "hyperfine's scan: --param NAME=LO:HI"},
    {TACH__OPT_STRING, "parameter-step-size", 'D', "STEP", OFF(param_step), 0, 0, 0, NULL, NULL,
     NULL, NULL, "the step of hyperfine's -P NAME LO HI (NAME=LO:HI:STEP)"},
    {TACH__OPT_DURATION, "timeout", 0, "S", OFF(timeout_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL, NULL,
     NULL, NULL, "end a run after S seconds (status timeout): SIGTERM, then\n"
     "SIGKILL 1 s later; --setup, --prepare and --cleanup too (a\n"
     "failure); a pipe given as --input that gives nothing for S\n"
     "seconds is refused; a benchmark binary is given --timeout S,\n"
     "in the --profile run too"},
    {TACH__OPT_STRING, "input", 0, "FILE", OFF(input), 0, 0, 0, NULL, NULL, NULL, NULL,
     "the commands' standard input (default /dev/null); a pipe\n"
     "(a named one too: its writer waited for) is read whole once,\n"
     "first, up to the input limit (1 GiB; 'tach --help' says how\n"
     "to change it)"},
    {TACH__OPT_STRING, "output", 0, "WHERE", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, set_output, NULL,
     "null (default; a failed run's last lines on stderr are\nshown), pipe, inherit or a FILE"},
    {TACH__OPT_FLAG, "show-output", 0, NULL, 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, set_output, NULL,
     "the same as --output inherit"},
    {TACH__OPT_STRING, "ignore-failure", 'i', "CODES", 0, 0, 0, TACH__OPT_OPTIONAL | TACH__OPT_NO_STORE,
     NULL, NULL, set_ignore, NULL,
     "time runs that exit non-zero (only those CODES, e.g. 1,2); a\n"
     "run killed by a signal always fails"},
    {TACH__OPT_SEED, "seed", 0, "N", OFF(seed), 0, 0, 0, NULL, NULL, NULL, NULL,
     "seed of the run order and the bootstrap (decimal or 0x hex;\n"
     "default fixed)"},
    {TACH__OPT_STRING, "counters", 0, "LIST", 0, 0, 0, TACH__OPT_OPTIONAL | TACH__OPT_NO_STORE, NULL,
     NULL, set_counters, NULL,
     "CPU counters per run, the command's children included (all\n"
     "ten, or the comma-separated LIST; a binary: per iteration;\n"
     "docs/counters.md)"},
    {TACH__OPT_ENUM, "metric", 0, "METRIC", OFF(metric), 0, 0, 0, metric_names, NULL, NULL, NULL,
     "wall (default): time the runs; instructions: count each\n"
     "command's instructions once under Valgrind's callgrind (the\n"
     "whole process and its children; docs/instructions.md)"},
    {TACH__OPT_FLAG, "cache-sim", 0, NULL, OFF(cache_sim), 0, 0, 0, NULL, NULL, NULL, NULL,
     "with --metric instructions: also cache misses and an\n"
     "estimated cycle count"},
    SECTION("benchmark binaries:"),
    {TACH__OPT_FLAG, "memory", 0, NULL, OFF(memory), 0, 0, 0, NULL, NULL, NULL, NULL,
     "heap allocations, bytes, peak and growth per iteration\n"
     "(docs/memory.md; refused for commands: a command's peak\n"
     "RSS is always recorded)"},
    {TACH__OPT_COUNT, "processes", 0, "N", OFF(processes), 1, 64, 0, NULL, NULL, NULL, NULL,
     "worker processes, run one after another (default 3)"},
    {TACH__OPT_FLAG, "no-extra-rounds", 0, NULL, OFF(no_extra_rounds), 0, 0, 0, NULL, NULL, NULL,
     NULL,
     "no extra workers for benchmarks slowed in most of their rounds\n"
     "(by default up to --processes more, each with the same share)"},
    {TACH__OPT_DURATION, "bench-time", 0, "S", OFF(bench_time_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL, NULL,
     NULL, NULL,
     "each benchmark's time budget, split over the processes (each\n"
     "worker's --max-time is its share; default 3 s)"},
    {TACH__OPT_STRING, "filter", 0, "REGEX", OFF(filter), 0, 0, 0, NULL, NULL, NULL, NULL,
     "passed to the binary"},
    SECTION("profiles (docs/profiling.md):"),
    {TACH__OPT_FLAG, "profile", 0, NULL, OFF(profile), 0, 0, 0, NULL, NULL, NULL, NULL,
     "after the timed runs, one more run sampled: the bottleneck table,\n"
     "NAME.folded, NAME.speedscope.json and NAME.svg, and the stacks\n"
     "kept with the recorded run"},
    {TACH__OPT_COUNT, "profile-hz", 0, "N", OFF(profile_hz), 1, TACH__PROF_MAX_HZ, 0, NULL, NULL, NULL,
     NULL, "samples per second of CPU time (default 997; implies --profile)"},
    {TACH__OPT_STRING, "profile-dir", 0, "DIR", OFF(profile_dir), 0, 0, 0, NULL, NULL, NULL, NULL,
     "where the profiles go (default .tach/profile; implies --profile)"},
    {TACH__OPT_COUNT, "top", 0, "N", OFF(top), 1, 10000, 0, NULL, NULL, NULL, NULL,
     "rows of the bottleneck table (default 10; implies --profile)"},
    SECTION("output:"),
    {TACH__OPT_ENUM, "style", 0, "STYLE", OFF(style), 0, 0, 0, style_names, NULL, NULL, NULL,
     "auto (default), full, basic or none (no summary; why a run\n"
     "failed still goes to stderr)"},
    {TACH__OPT_ENUM, "time-unit", 'u', "UNIT", 0, 0, 0, TACH__OPT_NO_STORE, time_unit_names, NULL,
     NULL, NULL,
     "accepted for hyperfine's sake: microsecond, millisecond, second,\n"
     "minute or hour (tach's units are always as shown)"},
    {TACH__OPT_FLAG, "unicode", 0, NULL, 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, NULL, NULL,
     "accepted and ignored (an earlier tach's -u, which took no UNIT)"},
    EXPORT_ROW("json", "the tach results document"),
    EXPORT_ROW("hyperfine", "hyperfine's JSON (seconds)"),
    EXPORT_ROW("gbench", "Google Benchmark's JSON"),
    EXPORT_ROW("csv", "CSV, one row per command"),
    EXPORT_ROW("markdown", "a Markdown table like hyperfine's"),
    EXPORT_ROW("bmf", "Bencher Metric Format"),
    EXPORT_ROW("github", "github-action-benchmark's customSmallerIsBetter JSON"),
    EXPORT_ROW("asciidoc", "an AsciiDoc table like hyperfine's"),
    EXPORT_ROW("orgmode", "an Org-mode table like hyperfine's"),
    EXPORT_ROW("hlog", "HdrHistogram interval log of the per-call latency"),
    SECTION("store:"),
    CLI_ROW_STORE(cli_run_opts, store),
    {TACH__OPT_FLAG, "no-store", 0, NULL, OFF(no_store), 0, 0, 0, NULL, NULL, NULL, NULL,
     "do not record this run"},
    {TACH__OPT_STRING, "tag", 0, "K=V", 0, 0, 0, TACH__OPT_NO_STORE, NULL, NULL, add_tag, NULL,
     "a tag on the recorded run (repeatable; not quick, the mark of a\nquick tach suite run; "
     "not with --no-store)"},
    SECTION("other:"),
    {TACH__OPT_FLAG, "help", 'h', NULL, OFF(help), 0, 0, 0, NULL, NULL, NULL, NULL,
     "print this help and exit"},
    {TACH__OPT_FLAG, "version", 'V', NULL, OFF(version), 0, 0, 0, NULL, NULL, NULL, NULL,
     "print tach's version and exit"},
    /* old spellings */
    {TACH__OPT_COUNT, "warmup", 0, "N", OFF(warmup), 0, LONG_MAX, 0, NULL, NULL, NULL, "warmup-runs", NULL},
    {TACH__OPT_DURATION, "max-time", 0, "S", OFF(max_time_s), 0, 1e6, TACH__OPT_LO_OPEN, NULL, NULL,
     NULL, "total-time", NULL},
};
#undef OFF
#undef SECTION

const tach__opt *cli_run_options(size_t *n)
{
    *n = sizeof run_table / sizeof *run_table;
    return run_table;
}

void cli_run_usage(FILE *f)
{
    fputs("usage: tach run [options] CMD...              commands as strings (as hyperfine)\n"
          "       tach run [options] -- CMD [ARGS...]     one command, its words as given\n"
          "       tach run [options] -c 'CMD 1' -c 'CMD 2' ...\n"
          "       tach run [options] ./bench_binary [-- ARGS]\n"
          "\n"
          "Times commands started directly (posix_spawn, no shell), or drives a libtach\n"
          "benchmark binary (recognised by its answer to --tach-probe) in several worker\n"
          "processes.  Several commands run interleaved in shuffled rounds and are compared\n"
          "with a Mann-Whitney U test.  Options take their value as --opt VALUE or\n"
          "--opt=VALUE, those shown --opt[=VALUE] only as --opt=VALUE (-S bash, hyperfine's,\n"
          "aside); a value that starts with - as --opt=VALUE too when it is --SOMETHING or\n"
          "-S; durations are seconds or 500ms, 2s, 1m.\n"
          "\n"
          "A one-word target is first started once as WORD --tach-probe to tell a binary\n"
          "from a command (waited on for --timeout, 1 to 10 s, then sent SIGTERM and, if it\n"
          "ignores that, SIGKILL 1 s later); options for one kind only (--runs,\n"
          "--bench-time, ...) are checked against its answer, so that start comes before\n"
          "their exit status 2.\n"
          "\n", f);
    tach__buf b = {0};
    size_t n;
    const tach__opt *t = cli_run_options(&n);
    tach__opt_help(t, n, &b);
    char *text = tach__buf_take(&b);
    if (text) fputs(text, f);
    tach__free(text);
    fputs("\n"
          "Exit status: 0 all runs ok; 1 a command failed, crashed or timed out (in the\n"
          "--profile run too), an output could not be written (a full disk, a closed pipe),\n"
          "or the run could not be recorded (\"the run was NOT recorded\"; its outputs are\n"
          "written); 2 bad usage or input (nothing run, nothing written), a Valgrind\n"
          "missing or unable to start its callgrind tool (--metric instructions: said\n"
          "before anything runs), or a store damaged, replaced (a directory) or made\n"
          "read-only during the run (NOT recorded, its outputs written); 130 interrupted\n"
          "(partial exports written; 143 after SIGTERM, 129 after SIGHUP).  A run NOT\n"
          "recorded says how to record it later: \"tach record FILE\" of its --export-json\n"
          "FILE, else of the file its document is kept in (.tach/unrecorded/, removed once\n"
          "recorded).\n",
          f);
    cli_help_docs(f);
}

/* ---- option values --------------------------------------------------------- */

static int parse_codes(const char *s, cli_run_opts *o, char *err)
{
    const char *p = s;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 1 || v > 255 || (*end && *end != ','))
            return snprintf(err, TACH__ERR_MAX, "--ignore-failure: '%.*s' is not a list of exit codes, expected codes 1..255 (e.g. 1,2)",
                            tach__utf8_prec(s, 200), s), -1;
        int *c = tach__realloc(o->ignore_codes, (o->nignore + 1) * sizeof *c);
        if (!c) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
        o->ignore_codes = c;
        c[o->nignore++] = (int)v;
        if (!*end) break;
        p = end + 1;
    }
    return 0;
}

static const char *const export_formats[] = {"json", "hyperfine", "gbench", "csv",
                                             "markdown", "bmf", "github", "asciidoc", "orgmode",
                                             "hlog"};

void cli_run_opts_free(cli_run_opts *o)
{
    for (size_t i = 0; i < o->nparams; i++) cli_param_free(&o->params[i]);
    tach__free(o->params);
    tach__free(o->param_words);
    tach__free(o->ignore_codes);
    tach__free(o->cmds);
    tach__free(o->exports);
    tach__free(o->tags);
    tach__free(o->names);
}

static int add_command(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt, (void)name;
    cli_run_opts *o = base;
    const char **c = tach__realloc(o->cmds, (o->ncmds + 1) * sizeof *c);
    if (!c) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
    o->cmds = c;
    c[o->ncmds++] = v;
    return 0;
}

static int add_param_spec(cli_run_opts *o, const char *v, bool list_only, char *err);

static int add_param(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)name;
    cli_run_opts *o = base;
    if (*v && !strchr(v, '=') && opt) { /* hyperfine's NAME VALUES or NAME LO HI */
        struct cli_param_words *w = tach__realloc(o->param_words, (o->nparam_words + 1) * sizeof *w);
        if (!w) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
        o->param_words = w;
        w[o->nparam_words++] = (struct cli_param_words){.name = v, .at = o->nparams,
                                                       .scan = strcmp(opt->name, "parameter-list") != 0};
        return 0;
    }
    return add_param_spec(o, v, false, err);
}

/* Adds the axis NAME=VALUES (with list_only its values only a list a,b,c). */
static int add_param_spec(cli_run_opts *o, const char *v, bool list_only, char *err)
{
    cli_param_axis *p = tach__realloc(o->params, (o->nparams + 1) * sizeof *p);
    if (!p) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
    o->params = p;
    if (cli_param_parse_as(v, list_only, &p[o->nparams], err) != 0) return -1;
    for (size_t k = 0; k < o->nparams; k++)
        if (!strcmp(p[k].name, p[o->nparams].name)) {
            snprintf(err, TACH__ERR_MAX, "--param '%s': the parameter '%s' is given twice", v,
                     p[k].name);
            cli_param_free(&p[o->nparams]);
            return -1;
        }
    o->nparams++;
    return 0;
}

static int set_output(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt;
    cli_run_opts *o = base;
    if (!v) o->output = CLI_OUTPUT_INHERIT; /* --show-output */
    else if (!strcmp(v, "null")) o->output = CLI_OUTPUT_NULL;
    else if (!strcmp(v, "pipe")) o->output = CLI_OUTPUT_PIPE;
    else if (!strcmp(v, "inherit")) o->output = CLI_OUTPUT_INHERIT;
    else if (!*v)
        return snprintf(err, TACH__ERR_MAX, "%s: '' is not a place, expected null, pipe, inherit or a file name", name), -1;
    else {
        o->output = CLI_OUTPUT_FILE;
        o->output_file = v;
    }
    return 0;
}

static int set_ignore(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt, (void)name;
    cli_run_opts *o = base;
    if (!v) {
        o->ignore_all = true;
        return 0;
    }
    return parse_codes(v, o, err);
}

static int add_export(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt;
    cli_run_opts *o = base;
    const char *fmt = name + strlen("--export-"), *known = NULL;
    for (size_t k = 0; k < sizeof export_formats / sizeof *export_formats; k++)
        if (!strcmp(fmt, export_formats[k])) known = export_formats[k];
    if (!known) return snprintf(err, TACH__ERR_MAX, "%s: not an export format", name), -1;
    char why[TACH__ERR_MAX];
    if (cli_export_check_path(v, why) != 0)
        return snprintf(err, TACH__ERR_MAX, "%s: %.*s", name, tach__utf8_prec(why, TACH__ERR_NAMED_MAX), why), -1;
    cli_run_export *e = tach__realloc(o->exports, (o->nexports + 1) * sizeof *e);
    if (!e) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
    o->exports = e;
    e[o->nexports].format = known;
    e[o->nexports++].path = v;
    return 0;
}

static int add_tag(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt;
    cli_run_opts *o = base;
    if (!strchr(v, '=') || v[0] == '=')
        return snprintf(err, TACH__ERR_MAX, "%s: '%s' is not a tag, expected KEY=VALUE", name, v), -1;
    char **t = tach__realloc(o->tags, (o->ntags + 1) * sizeof *t);
    if (!t) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
    o->tags = t;
    t[o->ntags++] = (char *)v;
    return 0;
}

static int add_name(void *base, const tach__opt *opt, const char *name, const char *v, char *err)
{
    (void)opt;
    cli_run_opts *o = base;
    if (!*v) return snprintf(err, TACH__ERR_MAX, "%s: the name is empty", name), -1;
    const char **n = tach__realloc(o->names, (o->nnames + 1) * sizeof *n);
    if (!n) return snprintf(err, TACH__ERR_MAX, "out of memory"), -1;
    o->names = n;
    n[o->nnames++] = v;
    return 0;
}

/* Two of run's outputs (the exports, --output FILE) naming one file would leave only
 * the last writer's text, and one that is the --input file would overwrite the
 * commands' input (--output's file is even truncated before the first run): refused
 * before anything runs (cli_same_output_file: "-" and a FIFO are streams, not files). */
static int check_output_files(const cli_run_opts *o)
{
    size_t n = o->nexports + 1;
    const char **path = tach__calloc(n, sizeof *path);
    char (*name)[32] = tach__calloc(n, sizeof *name);
    int rc = path && name ? CLI_OK : cli_error(CLI_FAIL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; rc == CLI_OK && i < o->nexports; i++) {
        snprintf(name[k], sizeof name[k], "--export-%s", o->exports[i].format);
        path[k++] = o->exports[i].path;
    }
    if (rc == CLI_OK && o->output == CLI_OUTPUT_FILE) {
        snprintf(name[k], sizeof name[k], "--output");
        path[k++] = o->output_file;
    }
    for (size_t i = 0; rc == CLI_OK && i < k; i++) {
        /* the store the run is to be recorded in, made yet or not (cli_output_not_store) */
        if (!o->no_store && (rc = cli_output_not_store(name[i], path[i], o->store)) != CLI_OK) break;
        if (o->input && cli_same_output_file(path[i], o->input)) {
            rc = cli_cmd_usage_error("run", "%s '%s' is the --input file: writing it would destroy "
                                     "the commands' input", name[i], path[i]);
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (cli_same_output_file(path[j], path[i])) {
                rc = cli_cmd_usage_error("run", "%s '%s' and %s '%s' are the same file: one would "
                                         "overwrite the other", name[j], path[j], name[i], path[i]);
                break;
            }
    }
    tach__free(path);
    tach__free(name);
    return rc;
}

/* The positional argument that is argv's word after the one holding v (or NULL), taken
 * out of the positional arguments. */
static const char *take_word_after(int argc, char **argv, tach__opt_result *res, const char *v)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (v < argv[i] || v > argv[i] + strlen(argv[i])) continue;
        for (int k = 0; k < res->npos; k++) {
            if (res->pos[k] != argv[i + 1]) continue;
            memmove(&res->pos[k], &res->pos[k + 1], (size_t)(res->npos - k - 1) * sizeof *res->pos);
            res->npos--;
            return argv[i + 1];
        }
        return NULL;
    }
    return NULL;
}

/* Whether word is all one number (a decimal, for -P NAME LO HI), or an integer. */
static bool is_number(const char *word)
{
    char *end;
    (void)strtod(word, &end);
    return *word && !*end;
}

static bool is_integer(const char *word)
{
    char *end;
    (void)strtoll(word, &end, 10);
    return *word && !*end;
}

/* hyperfine's -L NAME a,b,c and -P NAME LO HI (tach's -L NAME=a,b,c, -P NAME=LO:HI): the
 * words after NAME, positional arguments until now, are its values, each axis put where
 * its option stood among the --param options.  CLI_OK or the usage error. */
static int hyperfine_params(int argc, char **argv, tach__opt_result *res, cli_run_opts *o)
{
    bool scans = false;
    for (size_t i = 0; i < o->nparam_words; i++) scans = scans || o->param_words[i].scan;
    if (o->param_step && !scans)
        return cli_cmd_usage_error("run", "--parameter-step-size '%s' is the step of hyperfine's "
                                   "-P NAME LO HI, and none is given (tach's own: -P NAME=LO:HI:STEP)",
                                   o->param_step);
    const char *step = o->param_step;
    for (size_t i = 0; i < o->nparam_words; i++) {
        const struct cli_param_words *w = &o->param_words[i];
        const char *a = take_word_after(argc, argv, res, w->name);
        const char *b = a && w->scan ? take_word_after(argc, argv, res, a) : NULL;
        if (!a || (w->scan && !b))
            return cli_cmd_usage_error("run", "%s '%s': expected NAME=a,b,c or NAME=lo:hi[:step] "
                                       "(or hyperfine's %s)", w->scan ? "-P/--parameter-scan" : "-L/--parameter-list",
                                       w->name, w->scan ? "-P NAME LO HI" : "-L NAME a,b,c");
        if (w->scan && (strpbrk(a, ",:") || strpbrk(b, ",:")))
            /* joined as NAME=LO:HI, 1,2 5 would be read as a list, 1:2 5 as a range */
            return cli_cmd_usage_error("run", "-P/--parameter-scan %s %s %s: '%s' is not a number "
                                       "(-P NAME LO HI scans from LO to HI)", w->name, a, b,
                                       strpbrk(a, ",:") ? a : b);
        if (w->scan && !step && is_number(a) && is_number(b) && !(is_integer(a) && is_integer(b)))
            /* tach's own spelling would be NAME=LO:HI:STEP, but -P NAME LO HI's step is -D */
            return cli_cmd_usage_error("run", "-P/--parameter-scan %s %s %s: a range of decimals needs "
                                       "a step: -D STEP (e.g. -D 0.01), as in hyperfine, or -P %s=%s:%s:STEP",
                                       w->name, a, b, w->name, a, b);
        tach__buf sb = {0};
        tach__buf_printf(&sb, "%s=%s%s%s%s%s", w->name, a, b ? ":" : "", b ? b : "",
                         b && step ? ":" : "", b && step ? step : "");
        if (sb.oom) return tach__buf_free(&sb), cli_error(CLI_FAIL, "out of memory");
        char *spec = tach__buf_take(&sb);
        char err[TACH__ERR_MAX];
        if (!spec) return cli_error(CLI_FAIL, "out of memory");
        int rc = add_param_spec(o, spec, !w->scan, err);
        tach__free(spec);
        if (rc != 0) {
            /* name the words typed, not the --param they were made into */
            const char *why = strstr(err, "': ");
            if (w->scan)
                return cli_cmd_usage_error("run", "-P/--parameter-scan %s %s %s%s%s", w->name, a, b,
                                           why ? ": " : "", why ? why + 3 : err);
            return cli_cmd_usage_error("run", "-L/--parameter-list %s %s%s%s", w->name, a,
                                       why ? ": " : "", why ? why + 3 : err);
        }
        cli_param_axis axis = o->params[o->nparams - 1]; /* to its place */
        memmove(&o->params[w->at + 1], &o->params[w->at], (o->nparams - 1 - w->at) * sizeof axis);
        o->params[w->at] = axis;
        for (size_t k = i + 1; k < o->nparam_words; k++) o->param_words[k].at++;
    }
    return CLI_OK;
}

/* The row of the option argv word a names (-x, -xVALUE, --name, --name=VALUE), or NULL. */
static const tach__opt *option_of(const tach__opt *t, size_t n, const char *a)
{
    if (a[0] != '-' || !a[1]) return NULL;
    size_t len = a[1] == '-' ? strcspn(a + 2, "=") : 0;
    for (size_t k = 0; k < n; k++) {
        if (t[k].kind == TACH__OPT_SECTION) continue;
        if (a[1] == '-' ? strlen(t[k].name) == len && !strncmp(t[k].name, a + 2, len)
                        : t[k].short_name == a[1])
            return &t[k];
    }
    return NULL;
}

/* -S (or -SSHELL) as the value of another option, the word after it ('-n -S', '--setup
 * -S'): the parser took it as the value, and the shell was not set.  hyperfine refuses it
 * (a value is required); so does tach, as it refuses a value that starts with "--" (the
 * '=' form, -n=-S, --setup=-S, gives such a value on purpose).  CLI_OK or the usage
 * error. */
static int shell_as_value(const tach__opt *t, size_t n, int argc, char **argv)
{
    for (int i = 1; i + 1 < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i];
        const tach__opt *o = option_of(t, n, a);
        if (!o || o->kind == TACH__OPT_FLAG || (o->flags & TACH__OPT_OPTIONAL)) continue;
        if (a[1] == '-' ? strchr(a, '=') != NULL : a[2] != '\0') continue; /* its value inline */
        const char *v = argv[++i];
        if (strncmp(v, "-S", 2) != 0) continue;
        char opt[80];
        if (a[1] == '-') snprintf(opt, sizeof opt, "--%s", o->name);
        else snprintf(opt, sizeof opt, "-%c", a[1]);
        return cli_cmd_usage_error("run", "%s needs a value%s%s (got '%.*s', the shell option, as "
                                   "hyperfine reads it too; %s=%.*s gives it as the value)",
                                   opt, o->metavar ? " " : "", o->metavar ? o->metavar : "",
                                   tach__utf8_prec(v, 60), v, opt, tach__utf8_prec(v, 60), v);
    }
    return CLI_OK;
}

/* hyperfine's spelling of the shell, -S bash or --shell bash: tach's --shell takes its
 * value only as --shell=SHELL, so the word after a bare -S / --shell is a positional
 * argument, a command.  When that word names a shell (its base name is one of these),
 * it is the shell, as in hyperfine: taken out of the positional arguments.  Returns it,
 * or NULL.  "none" is among them: hyperfine's -S none, no shell (= -N). */
static const char *hyperfine_shell(int argc, char **argv, tach__opt_result *res)
{
    static const char *const shells[] = {"sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh",
                                         "ash", "yash", "posh", "fish", "tcsh", "csh", "rbash",
                                         "busybox", "none", NULL};
    const char *shell = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        /* the last shell given counts: --shell=zsh (or -Szsh, or a bare -S) after -S bash
         * is zsh's, as any option given twice */
        if (!strncmp(argv[i], "--shell=", 8) || (!strncmp(argv[i], "-S", 2) && argv[i][2]))
            shell = NULL;
        if (strcmp(argv[i], "-S") != 0 && strcmp(argv[i], "--shell") != 0) continue;
        shell = NULL; /* a bare one: the parser's /bin/sh unless a shell's name follows */
        if (i + 1 >= argc) break;
        for (int k = 0; k < res->npos; k++) {
            if (res->pos[k] != argv[i + 1]) continue; /* the next word is a positional */
            const char *base = strrchr(argv[i + 1], '/');
            base = base ? base + 1 : argv[i + 1];
            bool named = false;
            for (size_t s = 0; shells[s] && !named; s++) named = !strcmp(base, shells[s]);
            if (!named) break;
            shell = argv[i + 1];
            memmove(&res->pos[k], &res->pos[k + 1], (size_t)(res->npos - k - 1) * sizeof *res->pos);
            res->npos--;
            break;
        }
    }
    return shell;
}

int cli_run_parse_args(int argc, char **argv, cli_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_runs = RUN_DEFAULT_MIN_RUNS;
    o->max_time_s = RUN_DEFAULT_MAX_TIME_S;
    o->processes = 3;
    o->seed = TACH__DEFAULT_SEED;
    o->style = CLI_STYLE_AUTO;
    size_t n;
    const tach__opt *t = cli_run_options(&n);
    tach__opt_result res;
    int prc = cli_opt_parse("run", t, n, o, argc, argv, &res);
    if (prc != CLI_OK) return prc;
    if (o->help || o->version) {
        tach__opt_result_free(&res);
        if (o->help) cli_run_usage(stdout);
        else printf("tach %s\n", tach_version());
        return -1;
    }
    bool min_runs_set = tach__opt_given(t, n, &res, "min-runs") > 0;
    bool processes_set = tach__opt_given(t, n, &res, "processes") > 0;
    o->min_time_set = tach__opt_given(t, n, &res, "min-time") > 0;
    o->max_time_set = tach__opt_given(t, n, &res, "total-time") + tach__opt_given(t, n, &res, "max-time") > 0;
    o->max_time_opt = tach__opt_given(t, n, &res, "max-time") ? "--max-time" : "--total-time";
    o->total_time_given = tach__opt_given(t, n, &res, "total-time") > 0;
    o->bench_time_given = tach__opt_given(t, n, &res, "bench-time") > 0;
    o->seed_set = tach__opt_given(t, n, &res, "seed") > 0;
    if ((prc = hyperfine_params(argc, argv, &res, o)) != CLI_OK) {
        tach__opt_result_free(&res);
        return prc;
    }
    if ((prc = shell_as_value(t, n, argc, argv)) != CLI_OK) {
        tach__opt_result_free(&res);
        return prc;
    }
    const char *hf_shell = hyperfine_shell(argc, argv, &res);
    if (hf_shell) o->shell = hf_shell;
    /* -N with a shell: the two say opposite things (-N won wherever it stood, and a
     * command's shell syntax was then refused with a pointer to --shell) */
    if (tach__opt_given(t, n, &res, "no-shell") && o->shell && strcmp(o->shell, "none") != 0) {
        int rc = cli_cmd_usage_error("run", "-N/--no-shell and --shell '%s': choose one", o->shell);
        tach__opt_result_free(&res);
        return rc;
    }
    /* -S none, --shell=none: hyperfine's no shell */
    if (tach__opt_given(t, n, &res, "no-shell") || (o->shell && !strcmp(o->shell, "none")))
        o->shell = NULL;
    if (o->shell && !*o->shell) {
        tach__opt_result_free(&res);
        return cli_cmd_usage_error("run", "--shell: the shell's name is empty");
    }
    if (o->input && !*o->input) {
        tach__opt_result_free(&res);
        return cli_cmd_usage_error("run", "--input: the file name is empty");
    }
    /* Positional arguments: one word alone may be a benchmark binary (decided by its
     * answer to --tach-probe, in cmd_run.c); otherwise each is a command string. */
    bool dashdash = res.dashdash;
    if (dashdash) {
        o->argv_cmd = argv + res.rest;
        o->nargv_cmd = (size_t)(argc - res.rest);
    }
    int npos = res.npos;
    char **pos = res.pos;
    if (npos > 0 && o->ncmds) {
        int rc = cli_cmd_usage_error("run", "unexpected argument '%s': give commands either with -c "
                                     "or as arguments, not both", pos[0]);
        tach__opt_result_free(&res);
        return rc;
    }
    if (npos == 1 && !strpbrk(pos[0], " \t\n'\"\\")) {
        o->binary = pos[0]; /* a binary, or a command of one word */
        /* "--counters page-faults -- CMD": the word was the option's value, which is
         * given only with '=' (the option alone is a value of its own) */
        const tach__opt *opt = tach__opt_optional_before(t, n, argc, argv, 1, pos[0]);
        char ferr[TACH__ERR_MAX];
        char *path = opt && !strchr(pos[0], '/') ? cli_find_executable(pos[0], ferr) : NULL;
        if (opt && !strchr(pos[0], '/') && !path) {
            tach__opt_result_free(&res);
            return cli_cmd_usage_error("run", "%s: after --%s it is read as the command (the option "
                                       "takes a value only as --%s=%s)",
                                       ferr, opt->name, opt->name, opt->metavar ? opt->metavar : "VALUE");
        }
        free(path);
    } else if (npos > 0) {
        if (dashdash) {
            tach__opt_result_free(&res);
            return cli_cmd_usage_error("run", "give commands either as arguments or after --, not both");
        }
        o->cmds = tach__calloc((size_t)npos, sizeof *o->cmds);
        if (!o->cmds) return tach__opt_result_free(&res), cli_error(CLI_FAIL, "out of memory");
        for (int k = 0; k < npos; k++) o->cmds[o->ncmds++] = pos[k];
    }
    tach__opt_result_free(&res);
    if (dashdash && !o->binary && !o->nargv_cmd) return cli_cmd_usage_error("run", "no command after --");

    int kinds = (o->ncmds > 0) + (o->binary != NULL) + (o->argv_cmd && !o->binary);
    if (kinds == 0) return cli_cmd_usage_error("run", "no command given (tach run 'CMD', tach run -- CMD ARGS, -c 'CMD' or a benchmark binary)");
    if (o->ncmds && o->argv_cmd && !o->binary)
        return cli_cmd_usage_error("run", "give commands either with -c or after --, not both");
    if (o->ncmds && o->binary)
        return cli_cmd_usage_error("run", "unexpected argument '%s' with -c (commands go after -c)", o->binary);
    size_t ncommands = o->ncmds ? o->ncmds : 1;
    if (o->nnames > ncommands)
        return cli_cmd_usage_error("run", "-n/--command-name given %zu times for %zu command%s (one "
                                   "name per command, in order)", o->nnames, ncommands,
                                   ncommands == 1 ? "" : "s");
    if (o->runs && (min_runs_set || o->max_runs))
        return cli_cmd_usage_error("run", "--runs cannot be combined with --min-runs or --max-runs");
    if (o->max_runs && o->max_runs < o->min_runs) {
        if (min_runs_set)
            return cli_cmd_usage_error("run", "--min-runs %ld is more than --max-runs %ld", o->min_runs, o->max_runs);
        o->min_runs = o->max_runs;
    }
    /* the options that only apply to commands: refused for a benchmark binary once the
     * binary is recognised (cmd_run.c), or at once when -- says it is one */
    o->command_only = o->runs ? "--runs" : o->warmup ? "--warmup-runs" : min_runs_set ? "--min-runs" :
                      o->max_runs ? "--max-runs" : o->min_time_set ? "--min-time" :
                      o->prepare ? "--prepare" : o->nparams ? "--param" : o->shell ? "--shell" :
                      o->input ? "--input" : o->nignore || o->ignore_all ? "--ignore-failure" :
                      o->nnames ? "--command-name" : NULL;
    if (o->total_time_given && !o->command_only) o->command_only = "--total-time";
    /* (--bench-time and --no-extra-rounds have messages of their own, in cmd_run.c) */
    o->binary_only = o->filter ? "--filter" : processes_set ? "--processes" : o->memory ? "--memory" : NULL;
    o->binary_maybe = o->binary && !dashdash;
    if (o->binary && dashdash && o->command_only)
        return cli_cmd_usage_error("run", "%s applies to commands, not to a benchmark binary", o->command_only);
    if (o->min_time_set && o->max_time_set && o->min_time_s > o->max_time_s)
        return cli_cmd_usage_error("run", "--min-time %g is more than %s %g", o->min_time_s,
                                   o->max_time_opt, o->max_time_s);
    if (!o->min_time_set) o->min_time_s = o->precision > 0 ? 0 : RUN_DEFAULT_MIN_TIME_S;
    if (o->cache_sim && o->metric != 1)
        return cli_cmd_usage_error("run", "--cache-sim needs --metric instructions");
    if (o->metric == 1 && (o->runs || min_runs_set || o->max_runs || o->precision > 0))
        return cli_cmd_usage_error("run", "%s does not apply to --metric instructions (a count is the "
                                   "same run after run: each command runs once)",
                                   o->runs ? "--runs" : min_runs_set ? "--min-runs"
                                   : o->max_runs ? "--max-runs" : "--precision");
    if (o->profile_hz || o->profile_dir || o->top) o->profile = true;
    if (!o->profile_hz) o->profile_hz = TACH__PROF_DEFAULT_HZ;
    if (!o->top) o->top = 10;
    if (!o->profile_dir) o->profile_dir = TACH__PROF_DEFAULT_DIR;
    return check_output_files(o);
}

bool cli_run_code_ignored(const cli_run_opts *o, int code)
{
    if (code == 0) return true;
    if (code < 0) return false; /* a signal: always a failure */
    if (o->ignore_all) return true;
    for (size_t i = 0; i < o->nignore; i++)
        if (o->ignore_codes[i] == code) return true;
    return false;
}
