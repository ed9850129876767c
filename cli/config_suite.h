/*
 * config_suite.h - the [module "NAME"] and [suite] sections of .tach/config, which
 * `tach bench` runs (cli/config_suite.c); cli/config.c reads the file and hands these
 * sections over.  Every function writes its reason into err (size bytes) on failure.
 */
#ifndef TACH_CLI_CONFIG_SUITE_H
#define TACH_CLI_CONFIG_SUITE_H

#include <stddef.h>

#include "cli.h"

/* True when section (as inih gives it) is [suite] or [module ...]. */
int cli_config_is_suite_section(const char *section);
/* A raw header line ("[module \"crypto\"]  ; comment") at lineno: registers the module
 * it declares, so a module with no key at all is known too.  0 (also for any other
 * header), or -1 (a bad module name, a module declared twice). */
int cli_config_suite_header(cli_config *c, const char *line, int lineno, char *err,
                            size_t size);
/* One key of a [suite] or [module] section at lineno.  0 or -1. */
int cli_config_suite_key(cli_config *c, const char *section, const char *name,
                         const char *value, int lineno, char *err, size_t size);
/* After the whole file: a module with nothing to run.  0, or -1 with *line set. */
int cli_config_suite_finish(const cli_config *c, int *line, char *err, size_t size);
/* Frees the modules and the suite (the rest of c is config.c's). */
void cli_config_suite_free(cli_config *c);

#endif
