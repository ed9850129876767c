/*
 * report_cli.h - what `tach report`, `tach push` and `tach certify` share: choosing
 * the run (from the store or a results file), its baseline and comparison, its
 * history with change points, and writing the output whole or not at all.
 *
 * Functions returning int return a CLI exit status and have printed one
 * "tach CMD: ..." line when it is not CLI_OK.
 */
#ifndef TACH_REPORT_CLI_H
#define TACH_REPORT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "compare.h"
#include "options.h"
#include "report.h"
#include "store_cli.h"

/* One results document used, for a certificate's evidence. */
typedef struct cli_evidence_doc {
    char run_id[32];       /* "" for a file */
    char *source;          /* "store:<id>" or the file's path */
    char sha256[65];
} cli_evidence_doc;

typedef struct cli_report_src {
    /* ---- options (set through CLI_REPORT_ROW_* in a command's table, or by hand) ---- */
    const char *store_opt;   /* --store */
    const char *run;         /* RUN: run id, baseline, git ref, "latest", or a results file */
    const char *since;       /* --since REF: compare against REF, history from it */
    const char *baseline;    /* --baseline REF|FILE */
    const char *config_path; /* --config */
    long last;               /* --last N: history window (0: default 30) */
    bool no_compare, no_history;
    bool want_json_text;     /* keep each document's exact text and hash (certify) */
    bool by_metric;          /* project the documents onto --metric (report; below) */
    const char *metric_s;    /* --metric NAME; NULL: what the run was recorded in */

    /* ---- results ---- */
    tool_store *store;      /* NULL when everything came from files */
    tach__doc *doc, *base_doc;
    int64_t run_id, base_id; /* 0 when from a file */
    char run_label[64], base_label[160];
    char *commit, *branch, *machine;
    tool_comparison cmp;
    bool has_cmp;
    cli_config cfg;
    bool has_cfg;
    tool_hist_series *series; size_t nseries;
    tool_history_point **raw; size_t *nraw; /* the store's points behind series */
    char *idtext;            /* run ids as text, for the points */
    cli_evidence_doc evidence[2]; size_t nevidence;
    tool_metric metric;      /* by_metric: the documents' samples are this metric's values */
    tach__doc *measured, *base_measured; /* by_metric: the documents as read, the projected
                              * ones' origins (their targets are checked against them) */
    tach__doc *cmp_docs[2];  /* not by_metric, a run that counted instructions: base and run
                              * projected onto the count, compared (cmp's rows point into them) */
} cli_report_src;

/* The option rows that report, push and certify share, for a table over a struct TYPE that
 * holds a cli_report_src named src (src/core/options.h). */
#define CLI_REPORT_ROW_STORE(TYPE) CLI_ROW_STORE(TYPE, src.store_opt)
#define CLI_REPORT_ROW_BASELINE(TYPE)                                                           \
    {.kind = TACH__OPT_STRING, .name = "baseline", .metavar = "REF",                             \
     .offset = offsetof(TYPE, src.baseline),                                                     \
     .help = "compare against this run, baseline, git ref or results file\n"                     \
             "(default: baseline 'main' if of the run's suite, else the\n"                    \
             "run before it of its suite; see `tach compare --help`)"}
#define CLI_REPORT_ROW_SINCE_HELP(TYPE, HELP)                                                    \
    {.kind = TACH__OPT_STRING, .name = "since", .metavar = "REF",                                \
     .offset = offsetof(TYPE, src.since), .help = HELP}
#define CLI_REPORT_ROW_SINCE(TYPE)                                                              \
    CLI_REPORT_ROW_SINCE_HELP(TYPE, "compare against REF and show history from REF on\n"       \
                                    "(with --baseline or --no-compare: the history only)")
#define CLI_REPORT_ROW_LAST(TYPE)                                                               \
    {.kind = TACH__OPT_COUNT, .name = "last", .metavar = "N", .offset = offsetof(TYPE, src.last), \
     .lo = 1, .hi = 1000000, .help = "show the last N runs of history (default 30)"}
#define CLI_REPORT_ROW_NO_COMPARE(TYPE)                                                         \
    {.kind = TACH__OPT_FLAG, .name = "no-compare", .offset = offsetof(TYPE, src.no_compare),     \
     .help = "no comparison"}
#define CLI_REPORT_ROW_NO_HISTORY(TYPE)                                                         \
    {.kind = TACH__OPT_FLAG, .name = "no-history", .offset = offsetof(TYPE, src.no_history),     \
     .help = "no history charts"}
#define CLI_REPORT_ROW_OUTPUT(TYPE)                                                             \
    {.kind = TACH__OPT_STRING, .name = "output", .short_name = 'o', .metavar = "F",              \
     .offset = offsetof(TYPE, out), .help = "write to F (atomically) instead of standard output"}
#define CLI_REPORT_ROW_CONFIG(TYPE)                                                             \
    {.kind = TACH__OPT_STRING, .name = "config", .metavar = "FILE",                              \
     .offset = offsetof(TYPE, src.config_path),                                                  \
     .help = "thresholds and targets (default .tach/config)"}
#define CLI_REPORT_ROW_METRIC(TYPE)                                                             \
    {.kind = TACH__OPT_STRING, .name = "metric", .metavar = "NAME",                              \
     .offset = offsetof(TYPE, src.metric_s),                                                     \
     .help = "the values shown: wall, cpu, instructions, cycles-est, allocs,\n"                  \
             "peak-rss (default: what the run was recorded in)"}
/* Groups of them: what to compare against, and the closing rows of every table. */
#define CLI_REPORT_ROWS_COMPARE(TYPE)                                                           \
    CLI_REPORT_ROW_BASELINE(TYPE), CLI_REPORT_ROW_SINCE(TYPE), CLI_REPORT_ROW_NO_COMPARE(TYPE)
#define CLI_REPORT_ROWS_END(TYPE)                                                               \
    CLI_REPORT_ROW_CONFIG(TYPE), CLI_REPORT_ROW_STORE(TYPE), CLI_ROW_HELP(TYPE)

/* Reads argv against c's table into base, whose member src is *src (report, push and
 * certify), then the positional arguments: the first into *first when first is not NULL
 * (push's URL), then the run or file into src->run.  Returns CLI_OK, -1 after --help was
 * printed, or CLI_USAGE (message printed). */
int cli_report_read_args(const cli_options *c, void *base, cli_report_src *src,
                         const bool *help, int argc, char **argv, const char **first);

/* Refuses (CLI_USAGE, the name said) a --metric that names no metric; CLI_OK for NULL
 * (none asked).  Before the store or a file is read, so that bad usage is said first. */
int cli_report_check_metric(const char *metric_s);

/* Refuses (CLI_USAGE, the path named) an output out that is a file the report reads:
 * the results file, the baseline file or the config.  Before anything is read. */
int cli_report_check_output(const cli_report_src *src, const char *out);

/* Loads the run, its baseline and comparison, and its history. */
int cli_report_gather(cli_report_src *src);
void cli_report_src_free(cli_report_src *src);

/* Fills a renderer's input from src. */
void cli_report_input(const cli_report_src *src, tool_report_in *in);

/* Writes text to path atomically ("-" or NULL: stdout).  CLI_OK, or CLI_FAIL after one
 * line naming the path or standard output and the reason (a full disk, a closed pipe);
 * the caller checks path before its work (cli_export_check_path: exit 2 for a path that
 * cannot be one). */
int cli_write_output(const char *text, size_t len, const char *path);

/* "tach " + argv joined, shell-quoted where needed (for a report's methodology);
 * caller frees with tach__free. */
char *cli_command_string(int argc, char **argv);

/* The current UTC time, ISO 8601, or $TACH_REPORT_DATE when set (tests pin it). */
const char *cli_report_now(char *buf, size_t size);

#endif
