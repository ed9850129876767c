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
/* Reads argv (argv[0] the command) against a command's option table (src/core/options.h)
 * into base.  Returns CLI_OK with res filled (free it with tach__opt_result_free), or
 * CLI_USAGE after printing one line "tach CMD: ..." (res already freed). */
struct tach__opt;
struct tach__opt_result;
int cli_opt_parse(const char *cmd, const struct tach__opt *table, size_t n, void *base, int argc,
                  char **argv, struct tach__opt_result *res);
/* Writes the options part of a command's --help, generated from its table. */
void cli_opt_help(FILE *f, const struct tach__opt *table, size_t n);
/* cli_opt_parse, then --help: when the flag *help was given, prints usage(stdout) and
 * returns -1 (res freed), which the command turns into exit 0. */
typedef void (*cli_usage_fn)(FILE *f);
int cli_opt_read(const char *cmd, const struct tach__opt *table, size_t n, void *base, int argc,
                 char **argv, struct tach__opt_result *res, const bool *help, cli_usage_fn usage);
/* Writes a command's --help: head (usage line and description, ending in a blank line),
 * "options (--opt VALUE or --opt=VALUE):", the lines generated from table, then tail
 * (NULL: none) after a blank line. */
void cli_opt_usage(FILE *f, const char *head, const struct tach__opt *table, size_t n,
                   const char *tail);
/* Every command's option table (cli/cmd_NAME.c, cli/run_options.c, cli/ab_options.c): the
 * table --help is generated from and the parser reads; *n rows. */
#define TACH_CMD(name, summary) const struct tach__opt *cli_##name##_options(size_t *n);
#include "commands.def"
#undef TACH_CMD

/* True when colour may be used on f (a terminal and NO_COLOR unset or empty). */
bool cli_use_color(FILE *f);

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
