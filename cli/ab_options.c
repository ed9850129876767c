/*
 * ab_options.c - the command line of `tach ab`: its option table (the one --help is
 * generated from) and the two positional arguments, OLD and NEW.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ab.h"
#include "cli.h"
#include "metric.h"
#include "options.h"
#include "tach.h"

/* ---- options -------------------------------------------------------------- */

/* In tool_metric's order (metric.h), up to allocs (for binaries, cmd_ab.c); peak-rss is not
 * one: a run's peak is one value per process, no pair to judge (tach compare --metric
 * peak-rss compares recorded runs). */
static const char *const metric_names[] = {"wall", "cpu", "instructions", "cycles-est", "allocs",
                                           NULL};
static const char *const format_names[] = {"table", "json", NULL};

#define OFF(f) offsetof(ab_opts, f)
static const tach__opt ab_table[] = {
    {TACH__OPT_PERCENT, "noise", 0, "PCT", OFF(noise), 0, 1000, 0, NULL, NULL, NULL, NULL,
     "differences within +-PCT% are no difference (default 2;\n"
     "0.1 for the counts: instructions, cycles-est, allocs)"},
    {TACH__OPT_REAL, "alpha", 0, "A", OFF(alpha), 1e-9, 0.5, 0, NULL, NULL, NULL, NULL,
     "overall false-verdict rate (default 0.05)"},
    {TACH__OPT_DURATION, "total-time", 0, "S", OFF(max_time_s), 0.001, 1e6, 0, NULL, NULL, NULL, NULL,
     "stop after S in all, warm-up included (default 30)"},
    {TACH__OPT_COUNT, "min-pairs", 0, "N", OFF(min_pairs_n), 3, 5000, 0, NULL, NULL, NULL, NULL,
     "pairs before the first look (default 10)"},
    {TACH__OPT_COUNT, "max-pairs", 0, "N", OFF(max_pairs_n), 3, 5000, 0, NULL, NULL, NULL, NULL,
     "at most N pairs (default 1000)"},
    {TACH__OPT_COUNT, "warmup-pairs", 'w', "N", OFF(warmup_n), 0, 1000, 0, NULL, NULL, NULL, NULL,
     "discarded pairs first (default 1)"},
    {TACH__OPT_DURATION, "timeout", 0, "S", OFF(timeout_s), 0.001, 1e6, 0, NULL, NULL, NULL, NULL,
     "end a command's run after S (SIGTERM to its process group,\n"
     "SIGKILL 1 s later), or a binary's benchmark (timed out;\n"
     "the others go on) (default 60)"},
    {TACH__OPT_ENUM, "metric", 0, "METRIC", OFF(metric), 0, 0, 0, metric_names, NULL, NULL, NULL,
     "commands: wall time (default) or user + system CPU time (cpu),\n"
     "steadier on a busy machine for CPU-bound commands;\n"
     "instructions or cycles-est (commands and binaries): counted\n"
     "under callgrind, deterministic, so exactly one pair decides;\n"
     "allocs (binaries): heap allocations per iteration, counted by\n"
     "the binary's memory pass, exact, one pair decides"},
    {TACH__OPT_DURATION, "worker-time", 0, "S", OFF(worker_time_s), 0.001, 1e4, 0, NULL, NULL, NULL,
     NULL, "binaries: each worker's time per benchmark (default 0.2;\n"
     "one round, no minimum time)"},
    {TACH__OPT_STRING, "filter", 0, "REGEX", OFF(filter), 0, 0, 0, NULL, NULL, NULL, NULL,
     "binaries: only these benchmarks"},
    {TACH__OPT_SEED, "seed", 0, "N", OFF(seed), 0, 0, 0, NULL, NULL, NULL, NULL,
     "seed of the pair order (decimal or 0x hex)"},
    {TACH__OPT_ENUM, "format", 0, "table|json", OFF(format_i), 0, 0, 0, format_names, NULL, NULL,
     NULL, "output (default table)"},
    {TACH__OPT_FLAG, "quiet", 0, NULL, OFF(quiet), 0, 0, 0, NULL, NULL, NULL, NULL, "no progress line"},
    {TACH__OPT_FLAG, "help", 'h', NULL, OFF(help), 0, 0, 0, NULL, NULL, NULL, NULL, "this help"},
    {TACH__OPT_FLAG, "version", 'V', NULL, OFF(version), 0, 0, 0, NULL, NULL, NULL, NULL,
     "print tach's version"},
    /* old spellings */
    {TACH__OPT_DURATION, "max-time", 0, "S", OFF(max_time_s), 0.001, 1e6, 0, NULL, NULL, NULL,
     "total-time", NULL},
    {TACH__OPT_COUNT, "warmup", 0, "N", OFF(warmup_n), 0, 1000, 0, NULL, NULL, NULL, "warmup-pairs",
     NULL},
};
#undef OFF

const tach__opt *cli_ab_options(size_t *n)
{
    *n = sizeof ab_table / sizeof *ab_table;
    return ab_table;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tach ab [OPTIONS] OLD NEW\n\n"
            "Are two builds different?  OLD and NEW are two commands (each one string, split\n"
            "into words; no shell) or two libtach benchmark binaries (one word naming an\n"
            "executable that answers --tach-probe; a one-word OLD or NEW is first started\n"
            "once as WORD --tach-probe to tell which (waited on for --timeout, 1 to 10 s,\n"
            "then SIGTERM, SIGKILL 1 s later if ignored), and options that apply to one\n"
            "kind only are checked against its answer).  Their\n"
            "worker processes alternate in shuffled pairs (A B / B A); the per-pair ratios\n"
            "are tested sequentially (Hodges-Lehmann, Wilcoxon CI, alpha split over the\n"
            "planned looks) until the verdict is decided or time runs out.\n"
            "Options take --opt VALUE or --opt=VALUE; durations are seconds or 500ms, 2s, 1m.\n\n"
            "options:\n");
    cli_opt_help(f, ab_table, sizeof ab_table / sizeof *ab_table);
    fprintf(f, "\nThe verdict line says regressed / improved / no difference / undecided.\n"
               "A benchmark of a binary that fails, crashes or times out is not judged: its\n"
               "row says so (failed, crashed, timed out: OLD, NEW or both); the pair it was\n"
               "first lost in runs it on both sides, later pairs on neither, so a hang costs\n"
               "one --timeout a side, not two every pair.  A benchmark in one binary only\n"
               "or skipped on a side is a row too (added (only in NEW), removed (only in\n"
               "OLD), skipped (OLD)), not judged and no failure; it runs in the first pair\n"
               "only, as it changes no result.\n"
               "Exit status: 1 when NEW is slower beyond --noise with significance, a command\n"
               "or binary fails, crashes or times out (the run stops there), or a binary's\n"
               "benchmark failed, crashed or timed out, or its count failed (--metric allocs:\n"
               "its counting process crashed; the others are judged); 0 otherwise;\n"
               "2 bad usage, a command or binary that cannot start, a Valgrind missing or\n"
               "unable to start its callgrind tool (--metric instructions, cycles-est: said\n"
               "before anything runs); 130 interrupted.\n");
    cli_help_docs(f);
}

int cli_ab_parse_args(int argc, char **argv, ab_opts *o)
{
    memset(o, 0, sizeof *o);
    o->noise = NAN; /* the default depends on --metric (below) */
    o->alpha = 0.05;
    o->max_time_s = 30;
    o->timeout_s = 60;
    o->worker_time_s = 0.2;
    o->min_pairs_n = 0; /* not given (3 at least when given): the defaults below */
    o->max_pairs_n = 0;
    o->warmup_n = 1;
    o->seed = TACH__DEFAULT_SEED;
    tach__opt_result res;
    int rc = cli_opt_parse("ab", ab_table, sizeof ab_table / sizeof *ab_table, o, argc, argv, &res);
    if (rc != CLI_OK) return rc;
    if (o->help || o->version) {
        tach__opt_result_free(&res);
        if (o->help) usage(stdout);
        else printf("tach %s\n", tach_version());
        return -1;
    }
    /* A count (instructions, cycles-est, allocs) is the same run after run: a small
     * threshold is meaningful, and 2% would hide a 1% change (docs/instructions.md). */
    if (isnan(o->noise)) o->noise = o->metric >= 2 && o->metric <= 4 ? TOOL_METRIC_COUNT_NOISE : 0.02;
    /* One given alone moves the other's default out of its way (--max-pairs 5 alone was
     * refused for the default --min-pairs 10); both given must agree (below). */
    o->min_pairs = o->min_pairs_n                          ? (size_t)o->min_pairs_n
                   : o->max_pairs_n && o->max_pairs_n < 10 ? (size_t)o->max_pairs_n
                                                           : 10;
    o->max_pairs = o->max_pairs_n ? (size_t)o->max_pairs_n : o->min_pairs > 1000 ? o->min_pairs : 1000;
    o->warmup = (size_t)o->warmup_n;
    o->format = format_names[o->format_i];
    o->worker_time_given = tach__opt_given(ab_table, sizeof ab_table / sizeof *ab_table, &res,
                                           "worker-time") > 0;
    /* A count (instructions, cycles-est, allocs) is exact: one pair decides (ab_instr.c), so
     * the options of the sequential test and of its pairs' timing would do nothing */
    static const char *const timed_only[] = {"alpha", "total-time", "min-pairs", "max-pairs",
                                             "warmup-pairs", "worker-time", "seed"};
    for (size_t i = 0; o->metric >= 2 && i < sizeof ab_table / sizeof *ab_table && rc == CLI_OK; i++) {
        const tach__opt *t = &ab_table[i];
        const char *canon = t->alias_of ? t->alias_of : t->name;
        if (t->kind == TACH__OPT_SECTION || !res.seen || !res.seen[i]) continue;
        for (size_t k = 0; k < sizeof timed_only / sizeof *timed_only; k++)
            if (!strcmp(canon, timed_only[k])) {
                rc = cli_usage_error("--%s does nothing with --metric %s: a count is exact, so one "
                                     "pair decides (no sequential test, no pair timing)",
                                     t->name, metric_names[o->metric]);
                break;
            }
    }
    if (rc != CLI_OK) {
        tach__opt_result_free(&res);
        return rc;
    }
    int npos = 0;
    for (int i = 0; i < res.npos; i++) {
        if (npos == 2) {
            rc = cli_usage_error("too many arguments: '%s' (quote each command as one "
                                 "string: tach ab 'old args' 'new args')", res.pos[i]);
            break;
        }
        o->cmd[npos++] = res.pos[i];
    }
    for (int i = res.rest; i < argc && rc == CLI_OK; i++) {
        if (npos == 2) rc = cli_usage_error("too many arguments: '%s'", argv[i]);
        else o->cmd[npos++] = argv[i];
    }
    tach__opt_result_free(&res);
    if (rc != CLI_OK) return rc;
    if (npos != 2)
        return cli_usage_error("needs two commands or binaries, OLD and NEW (see "
                               "'tach ab --help')");
    if (o->min_pairs > o->max_pairs)
        return cli_usage_error("--min-pairs %zu is more than --max-pairs %zu", o->min_pairs,
                               o->max_pairs);
    /* checked as the binaries read it, before anything runs */
    if (o->filter && cli_check_regex("--filter", o->filter) != CLI_OK) return CLI_USAGE;
    return CLI_OK;
}
