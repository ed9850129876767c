/*
 * load_cli.h - `tach load`'s parts (cli/cmd_load.c: options, checks, one run,
 * exports; cli/load_slo.c: the objectives; cli/load_search.c: --find-max-rate;
 * cli/load_report.c: the console summary).
 */
#ifndef TACH_LOAD_CLI_H
#define TACH_LOAD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "http.h"
#include "load.h"
#include "run.h"
#include "slo.h"

typedef struct cli_load_opts {
    tach__load_cfg cfg; /* first: the shared rows' callbacks write into it */
    cli_list headers, slos;
    const char *method, *body, *export_json, *export_hlog, *store, *config;
    const char *series; /* --series FILE: the intervals as they end (tach soak --load) */
    char *body_text;    /* --body @FILE's contents (owned) */
    size_t body_len;
    double request_timeout_s;
    int engine_i;       /* --engine: TOOL_HTTP_AUTO, _CURL, _DIRECT (http.h) */
    long max_steps;
    bool find_max_rate, no_store, quiet, help;
    bool quiet_interrupt; /* --quiet-interrupt: exit 130 without the "interrupted" line */
} cli_load_opts;

typedef struct cli_load_state {
    cli_load_opts o;
    bool http;
    char *binary;          /* resolved path (in-process targets) */
    cli_spawner sp;
    bool sp_ready;
    char out_path[4096];   /* where the binary writes its document */
    tool_http_opts http_opts;
    tool_slo_list slos;    /* --slo, [load] slo */
} cli_load_state;

/* One load run with cfg: the binary's load mode or the HTTP engine.  *out gets the
 * document (also when interrupted: partial).  Returns CLI_OK, CLI_INTERRUPTED, or an
 * error status after one line on stderr. */
int cli_load_run_once(cli_load_state *st, const tach__load_cfg *cfg, tach__doc **out);
/* Where the summary and verdict lines go: stdout, or stderr when an export is written
 * to standard output ("-", /dev/stdout: cli_path_is_stdout) and has it to itself. */
FILE *cli_load_text_stream(const cli_load_opts *o);
/* (cli/load_slo.c) Before the run: hides the password of a URL an objective of st->slos
 * names, in its operation and its text (the results name the URL so, and the objective
 * is printed and kept); then CLI_OK, or CLI_USAGE with the message in err (TACH__ERR_MAX)
 * when one names an operation or URL the run does not load (the first ncli are --slo's,
 * the rest the config's [load] slo), or CLI_FAIL on no memory. */
int cli_load_check_slo_ops(cli_load_state *st, size_t ncli, char *err);
/* Checks a tach load command line (argv[0] "load", then its options and targets) as
 * tach load does before its run, without running it: the options and how they go
 * together, the targets' forms, the objectives (with the config's [load] slo), the
 * request's parts, the outputs.  With sp, a binary target is also found, probed and
 * asked for its operations (through sp); URL targets are never requested, and the
 * store is not opened.  Returns CLI_OK; CLI_USAGE with tach load's message in err
 * (TACH__ERR_MAX, without "tach load: "; empty when the config reader printed its
 * own); or, a Ctrl-C having ended a probe, sp's stop status (err empty).  For
 * tach bench's load lines, checked before anything runs. */
int cli_load_check(int argc, char **argv, cli_spawner *sp, char *err);
/* Checks the objectives against d, prints a line each to out unless quiet, keeps the
 * verdicts in d's overall load block; returns how many were not met. */
int cli_load_check_slos(const tool_slo_list *slos, tach__doc *d, bool quiet, FILE *out);
/* Writes d's interval histograms as an .hlog file (tag = the operation). */
int cli_load_write_hlog(const tach__doc *d, const char *path, char *err);

/* --find-max-rate (cli/load_search.c): runs at rising rates, then bisects; *out gets
 * the document of the best run meeting every objective (or the first run when none
 * does) with the search ("search": the steps, the knee) in its overall load block. */
int cli_load_find_max_rate(cli_load_state *st, tach__doc **out);
/* The knee of a search's steps ([{rate, achieved, p99_ns}], in any order): taken by
 * rate, the rate below the first one whose p99 rose above twice the lowest p99 at or
 * below it while its achieved rate grew by less than half the increase asked; NAN
 * when none did. */
double cli_load_knee(const json_t *steps);

/* The console summary of a load document (cli/load_report.c). */
void cli_load_print_summary(FILE *f, const tach__doc *d, bool color);
/* A rate per second as the summary shows it, "/s" after it: whole above 100, else three
 * significant digits (--rate 0.5 is "0.5/s", not "0/s" or "1/s").  Returns buf. */
const char *cli_load_fmt_rate(double per_s, char *buf, size_t size);

#endif /* TACH_LOAD_CLI_H */
