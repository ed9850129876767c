/*
 * run_options.c - the command line of `tach run`: every option, its value checked
 * before anything runs (one line naming the bad value, exit status 2), and --help.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"

#define RUN_DEFAULT_SEED TACH__DEFAULT_SEED
#define RUN_DEFAULT_MIN_RUNS 10
#define RUN_DEFAULT_MIN_TIME_S 3.0
#define RUN_DEFAULT_MAX_TIME_S 60.0

void cli_run_usage(FILE *f)
{
    fputs("usage: tach run [options] -- CMD [ARGS...]\n"
          "       tach run [options] -c 'CMD 1' -c 'CMD 2' ...\n"
          "       tach run [options] ./bench_binary [-- ARGS]\n"
          "\n"
          "Times commands started directly (posix_spawn, no shell), or drives a libtach\n"
          "benchmark binary in several worker processes.  Several commands run interleaved\n"
          "in shuffled rounds and are compared with a Mann-Whitney U test.\n"
          "\n"
          "commands:\n"
          "  -c, --command CMD        a command string (split into words; repeat to compare)\n"
          "  --shell[=SHELL]          run commands through SHELL -c (default /bin/sh); its\n"
          "                           start-up time is measured and subtracted\n"
          "runs:\n"
          "  --warmup N               N untimed runs of each command first (default 0)\n"
          "  --runs N                 exactly N runs of each command\n"
          "  --min-runs N             at least N runs (default 10)\n"
          "  --max-runs N             at most N runs\n"
          "  --min-time S             measure for at least S seconds per command (default 3,\n"
          "                           or 0 with --precision)\n"
          "  --max-time S             stop after S seconds in all, before --min-time or\n"
          "                           --precision if need be (default 60, which never cuts\n"
          "                           the default --min-time short); --runs and --min-runs\n"
          "                           still hold; for a binary, each benchmark's --max-time\n"
          "  --precision PCT          stop when the 95% CI of every median is within PCT%\n"
          "  --prepare CMD            a shell command run before each run (not timed)\n"
          "  --setup CMD, --cleanup CMD   shell commands run once before / after all runs\n"
          "  -P, --param NAME=a,b,c   run once per value, substituting {NAME} in the commands\n"
          "  --param NAME=lo:hi[:step]    a scan (integers or decimals); repeat for a product\n"
          "  --timeout S              kill a run after S seconds (status timeout)\n"
          "  --input FILE             the commands' standard input (default /dev/null)\n"
          "  --output WHERE           null (default), pipe, inherit or a FILE\n"
          "  -i, --ignore-failure[=CODES]  time runs that exit non-zero (only those CODES,\n"
          "                           e.g. 1,2); a run killed by a signal always fails\n"
          "  --seed N                 seed of the run order and the bootstrap (default fixed)\n"
          "benchmark binaries:\n"
          "  --processes N            worker processes, run one after another (default 3)\n"
          "  --filter REGEX           passed to the binary\n"
          "output:\n"
          "  --style STYLE            auto (default), full, basic or none\n"
          "  --export-json FILE       the tach results document\n"
          "  --export-hyperfine FILE  hyperfine's JSON (seconds)\n"
          "  --export-gbench FILE     Google Benchmark's JSON\n"
          "  --export-csv FILE        CSV, one row per command\n"
          "  --export-markdown FILE   a Markdown table like hyperfine's\n"
          "  --export-bmf FILE        Bencher Metric Format\n"
          "  --export-github FILE     github-action-benchmark's customSmallerIsBetter JSON\n"
          "  --export-asciidoc FILE   an AsciiDoc table like hyperfine's\n"
          "  --export-orgmode FILE    an Org-mode table like hyperfine's\n"
          "store:\n"
          "  --store PATH|URL         the history store (default .tach/tach.db, or $TACH_STORE)\n"
          "  --no-store               do not record this run\n"
          "  --tag K=V                a tag on the recorded run (repeatable)\n"
          "\n"
          "Exit status: 0 all runs ok; 1 a command failed, crashed or timed out; 2 bad usage\n"
          "or input (nothing run, nothing written); 130 interrupted (partial exports written).\n",
          f);
}

/* ---- option values --------------------------------------------------------- */

static int parse_count(const char *opt, const char *s, long min, long *out)
{
    unsigned long long v;
    if (cli_parse_count(s, (unsigned long long)min, LONG_MAX, &v) != 0)
        return cli_usage_error("%s: '%s' is not a whole number of at least %ld", opt, s, min);
    *out = (long)v;
    return 0;
}

static int parse_seconds(const char *opt, const char *s, bool allow_zero, double *out)
{
    double v;
    if (cli_parse_real(s, CLI_NUM_SECONDS, 0, INFINITY, &v) != 0 || (!allow_zero && v == 0))
        return cli_usage_error("%s: '%s' is not a %s number of seconds", opt, s,
                               allow_zero ? "non-negative" : "positive");
    *out = v;
    return 0;
}

static int parse_percent(const char *opt, const char *s, double *out)
{
    double v;
    if (cli_parse_real(s, CLI_NUM_PERCENT, 0, 100, &v) != 0 || v <= 0 || v >= 100)
        return cli_usage_error("%s: '%s' is not a percentage between 0 and 100 (e.g. 1 or 0.5%%)", opt, s);
    *out = v / 100.0;
    return 0;
}

static int parse_codes(const char *s, cli_run_opts *o)
{
    const char *p = s;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 1 || v > 255 || (*end && *end != ','))
            return cli_usage_error("--ignore-failure: '%s' is not a list of exit codes 1..255 (e.g. 1,2)", s);
        int *c = tach__realloc(o->ignore_codes, (o->nignore + 1) * sizeof *c);
        if (!c) return cli_error(CLI_FAIL, "out of memory");
        o->ignore_codes = c;
        c[o->nignore++] = (int)v;
        if (!*end) break;
        p = end + 1;
    }
    return 0;
}

static const char *const export_formats[] = {"json", "hyperfine", "gbench", "csv",
                                             "markdown", "bmf", "github", "asciidoc", "orgmode"};

static int check_writable(const char *opt, const char *path)
{
    char err[TACH__ERR_MAX];
    if (cli_export_check_path(path, err) != 0) return cli_usage_error("%s: %s", opt, err);
    return 0;
}

void cli_run_opts_free(cli_run_opts *o)
{
    for (size_t i = 0; i < o->nparams; i++) cli_param_free(&o->params[i]);
    tach__free(o->params);
    tach__free(o->ignore_codes);
    tach__free(o->cmds);
    tach__free(o->exports);
    tach__free(o->tags);
}

/* Splits "--name=value" and "--name value"; returns the value or NULL (usage printed). */
static const char *take_value(int argc, char **argv, int *i, const char *name, const char *inline_val)
{
    if (inline_val) return inline_val;
    if (*i + 1 >= argc) {
        cli_usage_error("%s needs a value", name);
        return NULL;
    }
    return argv[++*i];
}

int cli_run_parse_args(int argc, char **argv, cli_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_runs = RUN_DEFAULT_MIN_RUNS;
    o->max_time_s = RUN_DEFAULT_MAX_TIME_S;
    o->processes = 3;
    o->seed = RUN_DEFAULT_SEED;
    o->style = CLI_STYLE_AUTO;
    bool min_runs_set = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            if (o->binary) {
                o->argv_cmd = argv + i + 1; /* the binary's extra arguments */
                o->nargv_cmd = (size_t)(argc - i - 1);
            } else {
                if (i + 1 >= argc) return cli_usage_error("no command after --");
                o->argv_cmd = argv + i + 1;
                o->nargv_cmd = (size_t)(argc - i - 1);
            }
            break;
        }
        if (a[0] != '-' || !a[1]) {
            if (o->binary) return cli_usage_error("unexpected argument '%s' (commands go after --)", a);
            o->binary = a;
            continue;
        }
        char name[64];
        const char *val = NULL;
        const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
#define VALUE() \
    const char *v = take_value(argc, argv, &i, name, val); \
    if (!v) return CLI_USAGE
        if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
            cli_run_usage(stdout);
            return -1;
        } else if (!strcmp(name, "-c") || !strcmp(name, "--command")) {
            VALUE();
            const char **c = tach__realloc(o->cmds, (o->ncmds + 1) * sizeof *c);
            if (!c) return cli_error(CLI_FAIL, "out of memory");
            o->cmds = c;
            c[o->ncmds++] = v;
        } else if (!strcmp(name, "--shell")) {
            o->shell = val ? val : "/bin/sh";
            if (!*o->shell) return cli_usage_error("--shell: the shell's name is empty");
        } else if (!strcmp(name, "--warmup")) {
            VALUE();
            if (parse_count(name, v, 0, &o->warmup)) return CLI_USAGE;
        } else if (!strcmp(name, "--runs")) {
            VALUE();
            if (parse_count(name, v, 1, &o->runs)) return CLI_USAGE;
        } else if (!strcmp(name, "--min-runs")) {
            VALUE();
            if (parse_count(name, v, 1, &o->min_runs)) return CLI_USAGE;
            min_runs_set = true;
        } else if (!strcmp(name, "--max-runs")) {
            VALUE();
            if (parse_count(name, v, 1, &o->max_runs)) return CLI_USAGE;
        } else if (!strcmp(name, "--min-time")) {
            VALUE();
            if (parse_seconds(name, v, true, &o->min_time_s)) return CLI_USAGE;
            o->min_time_set = true;
        } else if (!strcmp(name, "--max-time")) {
            VALUE();
            if (parse_seconds(name, v, false, &o->max_time_s)) return CLI_USAGE;
            o->max_time_set = true;
        } else if (!strcmp(name, "--precision")) {
            VALUE();
            if (parse_percent(name, v, &o->precision)) return CLI_USAGE;
        } else if (!strcmp(name, "--prepare")) {
            VALUE();
            o->prepare = v;
        } else if (!strcmp(name, "--setup")) {
            VALUE();
            o->setup = v;
        } else if (!strcmp(name, "--cleanup")) {
            VALUE();
            o->cleanup = v;
        } else if (!strcmp(name, "--param") || !strcmp(name, "-P")) {
            VALUE();
            cli_param_axis *p = tach__realloc(o->params, (o->nparams + 1) * sizeof *p);
            if (!p) return cli_error(CLI_FAIL, "out of memory");
            o->params = p;
            char err[TACH__ERR_MAX];
            if (cli_param_parse(v, &p[o->nparams], err) != 0) return cli_usage_error("%s", err);
            for (size_t k = 0; k < o->nparams; k++)
                if (!strcmp(p[k].name, p[o->nparams].name)) {
                    int rc = cli_usage_error("--param '%s': the parameter '%s' is given twice", v,
                                             p[k].name);
                    cli_param_free(&p[o->nparams]);
                    return rc;
                }
            o->nparams++;
        } else if (!strcmp(name, "--timeout")) {
            VALUE();
            if (parse_seconds(name, v, false, &o->timeout_s)) return CLI_USAGE;
        } else if (!strcmp(name, "--input")) {
            VALUE();
            if (!*v) return cli_usage_error("--input: the file name is empty");
            o->input = v;
        } else if (!strcmp(name, "--output")) {
            VALUE();
            if (!strcmp(v, "null"))
                o->output = CLI_OUTPUT_NULL;
            else if (!strcmp(v, "pipe"))
                o->output = CLI_OUTPUT_PIPE;
            else if (!strcmp(v, "inherit"))
                o->output = CLI_OUTPUT_INHERIT;
            else if (!*v)
                return cli_usage_error("--output: expected null, pipe, inherit or a file name");
            else {
                o->output = CLI_OUTPUT_FILE;
                o->output_file = v;
            }
        } else if (!strcmp(name, "--ignore-failure") || !strcmp(name, "-i")) {
            if (!val)
                o->ignore_all = true;
            else if (parse_codes(val, o))
                return CLI_USAGE;
        } else if (!strcmp(name, "--style")) {
            VALUE();
            if (!strcmp(v, "auto"))
                o->style = CLI_STYLE_AUTO;
            else if (!strcmp(v, "full"))
                o->style = CLI_STYLE_FULL;
            else if (!strcmp(v, "basic"))
                o->style = CLI_STYLE_BASIC;
            else if (!strcmp(v, "none"))
                o->style = CLI_STYLE_NONE;
            else
                return cli_usage_error("--style: '%s' is not one of auto, full, basic, none", v);
        } else if (!strcmp(name, "--seed")) {
            VALUE();
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 0);
            if (!*v || *end || errno || v[0] == '-')
                return cli_usage_error("--seed: '%s' is not a non-negative integer", v);
            o->seed = s;
            o->seed_set = true;
        } else if (!strcmp(name, "--processes")) {
            VALUE();
            long n = 0;
            if (parse_count(name, v, 1, &n)) return CLI_USAGE;
            if (n > 64) return cli_usage_error("--processes: '%s' is more than 64", v);
            o->processes = (int)n;
        } else if (!strcmp(name, "--filter")) {
            VALUE();
            o->filter = v;
        } else if (!strncmp(name, "--export-", 9)) {
            const char *fmt = name + 9;
            bool known = false;
            for (size_t k = 0; k < sizeof export_formats / sizeof *export_formats; k++)
                if (!strcmp(fmt, export_formats[k])) known = true;
            if (!known) return cli_usage_error("unknown option '%s' (see 'tach run --help')", name);
            VALUE();
            if (check_writable(name, v)) return CLI_USAGE;
            cli_run_export *e = tach__realloc(o->exports, (o->nexports + 1) * sizeof *e);
            if (!e) return cli_error(CLI_FAIL, "out of memory");
            o->exports = e;
            for (size_t k = 0; k < sizeof export_formats / sizeof *export_formats; k++)
                if (!strcmp(fmt, export_formats[k])) e[o->nexports].format = export_formats[k];
            e[o->nexports++].path = v;
        } else if (!strcmp(name, "--store")) {
            VALUE();
            if (!*v) return cli_usage_error("--store: the store's path or URL is empty");
            o->store = v;
        } else if (!strcmp(name, "--no-store")) {
            o->no_store = true;
        } else if (!strcmp(name, "--tag")) {
            VALUE();
            if (!strchr(v, '=') || v[0] == '=')
                return cli_usage_error("--tag: '%s' is not KEY=VALUE", v);
            char **t = tach__realloc(o->tags, (o->ntags + 1) * sizeof *t);
            if (!t) return cli_error(CLI_FAIL, "out of memory");
            o->tags = t;
            t[o->ntags++] = (char *)v;
        } else {
            return cli_usage_error("unknown option '%s' (see 'tach run --help')", name);
        }
#undef VALUE
    }

    int kinds = (o->ncmds > 0) + (o->binary != NULL) + (o->argv_cmd && !o->binary);
    if (kinds == 0) return cli_usage_error("no command given (tach run -- CMD, -c 'CMD' or a benchmark binary)");
    if (o->ncmds && o->argv_cmd && !o->binary)
        return cli_usage_error("give commands either with -c or after --, not both");
    if (o->ncmds && o->binary)
        return cli_usage_error("unexpected argument '%s' with -c (commands go after -c)", o->binary);
    if (o->runs && (min_runs_set || o->max_runs))
        return cli_usage_error("--runs cannot be combined with --min-runs or --max-runs");
    if (o->max_runs && o->max_runs < o->min_runs) {
        if (min_runs_set)
            return cli_usage_error("--min-runs %ld is more than --max-runs %ld", o->min_runs, o->max_runs);
        o->min_runs = o->max_runs;
    }
    if (o->binary) {
        const char *bad = o->runs ? "--runs" : o->warmup ? "--warmup" : min_runs_set ? "--min-runs" :
                          o->max_runs ? "--max-runs" : o->min_time_set ? "--min-time" :
                          o->prepare ? "--prepare" : o->nparams ? "--param" : o->shell ? "--shell" :
                          o->input ? "--input" : o->nignore || o->ignore_all ? "--ignore-failure" : NULL;
        if (bad) return cli_usage_error("%s applies to commands, not to a benchmark binary", bad);
    }
    if (o->min_time_set && o->max_time_set && o->min_time_s > o->max_time_s)
        return cli_usage_error("--min-time %g is more than --max-time %g", o->min_time_s, o->max_time_s);
    if (!o->min_time_set) o->min_time_s = o->precision > 0 ? 0 : RUN_DEFAULT_MIN_TIME_S;
    return 0;
}

