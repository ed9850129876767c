/*
 * cli.h - the tach tool's internals (cli_ prefix).
 *
 * Exit statuses, shared by every subcommand:
 *   0 success; 1 the thing measured or judged failed (a regression, a failed run);
 *   2 bad usage or bad input (the bad value named, nothing written); 130 interrupted.
 */
#ifndef TACH_CLI_H
#define TACH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2
#define CLI_INTERRUPTED 130

#define TACH_CMD(name, summary) int cli_cmd_##name(int argc, char **argv);
#include "commands.def"
#undef TACH_CMD

/* Prints "tach: " + message + newline to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "tach CMD: " + message + newline to stderr; returns CLI_USAGE.  The style of
 * every option message: "tach run: --runs: 'x' is not a count, expected ...". */
int cli_cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "tach: " + message + newline to stderr; returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads the option at argv[*i] that takes a value, written "--opt=value" or
 * "--opt value" (then *i moves past the value).  flag (size bytes) receives the
 * option's name and *val its value.  The name must be one of the nknown in known;
 * otherwise, or when the value is missing, prints one line ("unknown option '...'
 * (see 'tach CMD --help')" / "--opt needs a value") and returns CLI_USAGE. */
int cli_option_value(int argc, char **argv, int *i, const char *const *known, size_t nknown,
                     const char *cmd, char *flag, size_t size, const char **val);
/* Reads argv (argv[0] the command) against a command's option table (src/core/options.h)
 * into base.  Returns CLI_OK with res filled (free it with tach__opt_result_free), or
 * CLI_USAGE after printing one line "tach CMD: ..." (res already freed). */
struct tach__opt;
struct tach__opt_result;
int cli_opt_parse(const char *cmd, const struct tach__opt *table, size_t n, void *base, int argc,
                  char **argv, struct tach__opt_result *res);
/* Writes the options part of a command's --help, generated from its table. */
void cli_opt_help(FILE *f, const struct tach__opt *table, size_t n);
/* argv with each "--opt=value" before "--" split into "--opt" "value" (argv[0] kept), for
 * the commands whose own parsers read "--opt value" only (certify, push, site) until
 * they move to an option table.  One malloc'd block (free it once); NULL on OOM. */
char **cli_argv_split_eq(int argc, char **argv, int *nargc);
/* The option tables of the commands that have one (cli/cmd_ab.c, cli/cmd_run.c). */
const struct tach__opt *cli_ab_options(size_t *n);

/* True when colour may be used on f (a terminal and NO_COLOR unset or empty). */
bool cli_use_color(FILE *f);
/* s made safe for a terminal (tach__terminal_safe: controls as spaces, bad UTF-8 as
 * '?'): s itself when it is already safe, else a copy valid until 8 more calls. */
const char *cli_term(const char *s);
/* CLI_OK when v is an http:// or https:// URL (a link tach writes into a report: never
 * javascript: or data:), else CLI_USAGE after one line naming opt. */
int cli_check_link_url(const char *opt, const char *v);

/* Option values.  Each reads all of s and returns 0, or -1 when s is not a value of the
 * kind asked for (the caller then names the option and what it wants).
 * cli_parse_real: a finite number in [lo, hi]; with CLI_NUM_PERCENT a trailing '%' is
 * allowed (the value is as written: "5%" gives 5); with CLI_NUM_SECONDS a trailing "s",
 * "ms" or "us" is allowed and the value is scaled to seconds.
 * cli_parse_count: a whole decimal number in [lo, hi] (no sign, no spaces). */
enum { CLI_NUM_PERCENT = 1, CLI_NUM_SECONDS = 2 };
int cli_parse_real(const char *s, unsigned flags, double lo, double hi, double *out);
int cli_parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                    unsigned long long *out);

/* ---- .tach/config: thresholds and targets (cli/config.c) ---------------- */
struct tool_rule;
typedef struct cli_config {
    struct tool_rule *rules; size_t nrules; /* [bench "GLOB"] sections, in file order */
    double noise, critical, alpha;           /* from [compare] (fractions); NaN when unset */
    char *path;                              /* the file read, or NULL when there was none */
} cli_config;
/* Reads path, or (NULL) .tach/config beside the default store when it exists.  Returns
 * CLI_OK (an absent default file gives an empty config) or CLI_USAGE with one line
 * printed naming the file, the line and the bad section, key or value. */
int cli_config_load(const char *path, cli_config *out);
void cli_config_free(cli_config *c); /* NULL ok */

/* `tach compare` and `tach gate` (cli/cmd_compare.c): gate exits 1 on a failure. */
int cli_compare_main(int argc, char **argv, bool gate);

/* ---- writing a format out (cli/export_file.c; the formats: src/format/format.h) */
struct tach__doc;
/* Writes doc as format to path, whole or not at all ("-" is stdout).  0 or -1 with err. */
int cli_export_write(const struct tach__doc *doc, const char *format, const char *path,
                     char *err);

#endif
