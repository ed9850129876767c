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
/* Prints "tach: " + message + newline to stderr; returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when colour may be used on f (a terminal and NO_COLOR unset or empty). */
bool cli_use_color(FILE *f);

#endif
