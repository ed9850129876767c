/*
 * bench.h - internals of `tach bench` (cli/cmd_bench.c and cli/bench_*.c), the one
 * command that runs a project's declared suite end to end:
 *   cmd_bench.c     the command line and the order of the phases
 *   bench_check.c   1. checking the machine (load, other benchmarks, memory, disk, ...)
 *   bench_plan.c    2. the plan: the modules' binaries, commands and load runs, the flag
 *                      each criterion needs, and the expected duration from the store
 *   bench_exec.c    3. running each item through `tach run` / `tach load` in a child
 *                      process, and merging what they measured into one document
 *   bench_judge.c   4. the comparison with the baseline, the summary per criterion, the
 *                      regression analysis (CI, commits between, grown frames)
 *   bench_write.c   5. PERFORMANCE_REPORT.md, --html, the detailed JSON
 */
#ifndef TACH_CLI_BENCH_H
#define TACH_CLI_BENCH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "compare.h"
#include "run.h"
#include "tach_internal.h"

typedef enum cli_bitem_kind { CLI_BITEM_BENCH, CLI_BITEM_COMMAND, CLI_BITEM_LOAD } cli_bitem_kind;

/* What became of one item. */
typedef enum cli_bitem_status {
    CLI_BITEM_PENDING = 0, /* not run (yet, or Ctrl-C came first) */
    CLI_BITEM_OK,
    CLI_BITEM_FAILED,      /* it ran, and a benchmark failed, crashed or timed out */
    CLI_BITEM_TIMEOUT,     /* the whole item was killed after its time limit */
    CLI_BITEM_NO_RESULTS,  /* it ended without results (refused, crashed at start) */
    CLI_BITEM_UNAVAILABLE, /* this build cannot run it (no `tach load`) */
    CLI_BITEM_INTERRUPTED
} cli_bitem_status;
/* "pending", "ok", "failed", "timeout", "no results", "not available", "interrupted". */
const char *cli_bitem_status_name(cli_bitem_status s);

/* One thing the plan runs: a module's bench, command or load line. */
typedef struct cli_bitem {
    const cli_module *mod;           /* borrowed from the config */
    cli_bitem_kind kind;
    const cli_config_item *src;      /* the config line */
    char **words; size_t nwords;     /* its words (cli_words_split) */
    char *path;                      /* the executable, resolved; NULL for load */
    char *flags[6]; size_t nflags;   /* the criteria's flags passed to a binary (owned) */
    unsigned measured;               /* CLI_CRIT_ bits it measures */
    char *not_measured;              /* why some asked criteria are not (owned), or NULL */
    double expected_s;               /* from the store's history; NaN when unknown */
    /* the outcome */
    cli_bitem_status status;
    char why[256];                   /* what went wrong, in words */
    bool retried;                    /* retried once with reduced load */
    double seconds;
    size_t nresults, nbad;           /* results merged; those not ok */
    char *err_tail;                  /* the last lines of its stderr when it failed */
} cli_bitem;

/* The options and state of one `tach bench`. */
typedef struct cli_bench {
    /* options */
    const char *criteria_opt, *baseline_opt, *html, *config_path, *store_opt, *format,
        *report_opt;
    double bench_time_s, timeout_s, noise, critical;
    bool profile, quick, strict, quiet, help;
    int format_i;
    /* state */
    cli_config cfg;
    char *root;                      /* the project: the folder holding .tach/ */
    unsigned criteria;               /* --criteria, 0: each module's own */
    const char *baseline;            /* the baseline's name */
    cli_bitem *items; size_t nitems;
    const cli_module **mods; size_t nmods; /* the modules selected: as named, else in config order */
    char *self;                      /* this tach, to run `tach run` */
    bool have_load;                  /* this build has `tach load` */
    cli_spawner sp;
    bool sp_ready, interrupted;
    char tmpdir[PATH_MAX];           /* each item's results and stderr, in $TMPDIR however
                                      * long, up to a path; removed at the end */
    tach__doc *doc;                  /* everything measured, merged */
    double total_s, expected_s;
    size_t machine_warnings;
    char **machine_notes; size_t nmachine_notes; /* the check's warnings, for the report */
    /* record and compare */
    int64_t run_id, base_id;
    bool saved_baseline;             /* this run became the baseline */
    char *commit, *base_commit;
    struct cli_report_src *src;      /* the run, its baseline and history, for the reports;
                                      * src->cmp is the comparison (the suite's thresholds) */
    char **lines; size_t nlines;     /* the summary's per-criterion lines */
    char *commits;                   /* `git log --oneline BASE..HEAD`, or NULL */
    char *profile_dir;               /* --profile: this run's profiles (project-relative) */
    char *base_profile_dir;          /* --profile: the baseline's, from its tags, or NULL */
    char **grown; size_t ngrown;     /* --profile: "NAME: frame: self a% -> b% ..." lines */
    char *grown_note;                /* --profile: why no frames are shown, or NULL */
    bool failed;                     /* exit 1: a regression, a missed target, a failure */
    char *report_path, *json_path;
} cli_bench;

/* 1. Prints what may spoil the timings; returns how many warnings there were. */
size_t cli_bench_check_machine(cli_bench *b, FILE *f);

/* 2. Builds b->items from the selected modules; checks every path (one line naming the
 * file, line and key; CLI_USAGE).  Then cli_bench_plan_print. */
int cli_bench_plan(cli_bench *b);
void cli_bench_plan_print(const cli_bench *b, FILE *f);
void cli_bench_items_free(cli_bench *b);
/* The argv of item it's child (NULL-terminated, tach__free it; the strings are borrowed):
 * `tach run ...` or `tach load ...`, as phase 3 runs it and phase 2 checks a load line's
 * options; tbuf, bbuf 32 bytes, pbuf psize. */
char **cli_bench_child_argv(const cli_bench *b, const cli_bitem *it, const char *out, bool reduced,
                            char *tbuf, char *bbuf, char *pbuf, size_t psize);

/* The key of item i's duration in a run's tags: "seconds.MODULE.KIND.N" (N counts that
 * module's items of that kind), stable when other modules are selected or not. */
void cli_bitem_key(const cli_bench *b, size_t i, char *buf, size_t size);

/* 3. Runs every item (b->doc gets the merged results).  CLI_OK, or CLI_INTERRUPTED. */
int cli_bench_execute(cli_bench *b, FILE *f);

/* 4. Records b->doc, compares it with the baseline and builds the summary. */
int cli_bench_judge(cli_bench *b, FILE *f);

/* 5. Writes the report, --html and the detailed JSON; prints the summary. */
int cli_bench_write(cli_bench *b);
/* The summary (and the detailed JSON's "suite" part) as JSON. */
json_t *cli_bench_summary_json(const cli_bench *b);
/* The summary as JSON text with flags (json_dumps's), its reals to 15 digits: malloc'd, NULL:
 * out of memory. */
char *cli_bench_summary_text(const cli_bench *b, size_t flags);
/* A regressed row's line after its name, as tach compare shows the change: "+12.0% (95% CI
 * +8.1% to +15.9%), warning"; a change that is no number "n/a (95% CI n/a: BASE's median
 * is 0: ...)", an end that is none "n/a" (never "+nan%"). */
void cli_bench_regression_text(const tool_cmp_row *r, char *buf, size_t size);

/* --profile: the frames whose self-time share grew from the folded stacks base_folded
 * to new_folded (FlameGraph's "a;b;leaf COUNT" lines), at most top of them, most grown
 * first, one line each: "leaf: self 12.0% -> 45.3% (+33.3 points)", the leaf's name whole
 * (a C++ symbol of any length).  "" when none grew;
 * NULL with err when either file cannot be read, has a bad line (as tach profile --diff
 * refuses it: "PATH:LINE: the count '-3' is not ...") or holds no sample.  Caller frees
 * (tach__free). */
char *cli_profile_grown(const char *base_folded, const char *new_folded, size_t top, char *err);

/* Appends a malloc'd printf-formatted string to a vector.  0 or -1. */
int cli_bench_vpush(char ***v, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cli_bench_vfree(char **v, size_t n);

#endif
