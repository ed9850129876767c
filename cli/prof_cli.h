/*
 * prof_cli.h - profiles in the tach tool (docs/profiling.md): a command's profile
 * (prof_command.c) for `tach run --profile` and `tach profile`.
 */
#ifndef TACH_PROF_CLI_H
#define TACH_PROF_CLI_H

#include <stdio.h>

#include "profile.h"

/* Runs path/argv (stdin, stdout and stderr on /dev/null) once, sampled at hz with
 * its threads and children, into raw (its mappings into raw->maps).  timeout_s 0:
 * none.  *exit_code: its exit status, or -signal.  0, or -1 with err. */
int cli_prof_command(const char *path, char *const argv[], char *const envp[], int hz,
                     double timeout_s, tach__prof_raw *raw, int *exit_code, char *err);
/* Symbolizes a command's raw profile against its mappings, writes the three files
 * into dir and returns the text to print (tach__prof_finish).  NULL with err. */
char *cli_prof_report(const tach__prof_raw *raw, const char *name, int hz, const char *dir,
                      size_t top, char *err);

/* tach compare / gate: for each regressed benchmark with a profile on both sides,
 * the functions whose share grew most, printed to f or as JSON (an object keyed by
 * benchmark; {} when there is none). */
struct tool_comparison;
void cli_prof_compare_print(FILE *f, const tach__doc *base, const tach__doc *cur,
                            const struct tool_comparison *c);
json_t *cli_prof_compare_json(const tach__doc *base, const tach__doc *cur,
                              const struct tool_comparison *c);

#endif /* TACH_PROF_CLI_H */
