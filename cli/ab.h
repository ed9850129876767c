/*
 * ab.h - internals of `tach ab` (cli/cmd_ab.c, its options in cli/ab_options.c).
 */
#ifndef TACH_CLI_AB_H
#define TACH_CLI_AB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ab_opts {
    double noise, alpha, max_time_s, timeout_s, worker_time_s;
    size_t min_pairs, max_pairs, warmup;
    uint64_t seed;
    const char *format, *filter;
    bool quiet, help, version;
    bool worker_time_given; /* --worker-time given: binaries only (refused for commands) */
    int metric; /* a tool_metric: 0 wall time, 1 user + system CPU time (commands),
                 * 2 instructions, 3 cycles-est (ab_instr.c) */
    const char *cmd[2]; /* OLD, NEW */
    long min_pairs_n, max_pairs_n, warmup_n; /* as parsed */
    int format_i;
} ab_opts;

/* Parses tach ab's arguments (argv[0] is "ab") into o, checking every value.  Returns
 * CLI_OK, -1 after printing --help or the version, or CLI_USAGE after printing the bad
 * value in one line. */
int cli_ab_parse_args(int argc, char **argv, ab_opts *o);

struct cli_spawner;
/* `tach ab --metric instructions|cycles-est`: OLD and NEW (path and argv each; binary:
 * libtach benchmark binaries, else commands) run once each under callgrind, and each
 * benchmark's (or the command's) counts decide alone: regressed beyond +noise,
 * improved below -noise, else no difference (a count is the same run after run).
 * Prints the table or JSON; returns the exit status (0, 1 regressed, 2 bad input or
 * a side that failed, 128 + signal when interrupted). */
int cli_ab_instr(struct cli_spawner *sp, const ab_opts *o, bool binary, char *const path[2],
                 char **const argv[2], const char *tmpdir);

#endif /* TACH_CLI_AB_H */
