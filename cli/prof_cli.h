/*
 * prof_cli.h - profiles in the tach tool (docs/profiling.md): a command's profile
 * (prof_command.c) for `tach run --profile` and `tach profile`, a benchmark binary's
 * under `tach profile` (prof_binary.c).
 */
#ifndef TACH_PROF_CLI_H
#define TACH_PROF_CLI_H

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "profile.h"

/* Runs path/argv (stdin on in_fd, stdout on /dev/null, stderr on err_fd; -1: /dev/null)
 * once, sampled at hz with its threads and children, into raw (its mappings
 * into raw->maps).  timeout_s 0: none.  *exit_code: its exit status, or -signal, or
 * CLI_EXIT_UNKNOWN (run.h) for a status neither.
 * SIGINT, SIGTERM or SIGHUP while it runs is passed to the command's group; stop_sig
 * NULL: it then acts on tach; else it is taken, *stop_sig set to it (0: none came) and
 * the samples so far kept, and a second one kills the command and tach.  Still running
 * after timeout_s, the command's group is killed: timed_out NULL, that is an error (-1);
 * else *timed_out is set and the samples so far are kept (0).  0, or -1 with err. */
int cli_prof_command(const char *path, char *const argv[], char *const envp[], int hz,
                     double timeout_s, int in_fd, int err_fd, tach__prof_raw *raw,
                     int *exit_code, int *stop_sig, bool *timed_out, char *err);
/* Blocks SIGINT, SIGTERM and SIGHUP (stop, those three; old, the mask before): a signal
 * then waits to be taken, while a profiled program runs. */
void cli_prof_hold_signals(sigset_t *stop, sigset_t *old);
/* The first of set's signals pending (held, blocked, while a program runs), or 0. */
int cli_prof_held_signal(const sigset_t *set);
/* Takes sig, pending while held, off the pending set: it does not act on tach. */
void cli_prof_take_signal(int sig);
/* A second stop signal sig while the program (pid, leading its group) ends: the group
 * is killed and reaped, and tach ends by sig (its default action; old: the mask to
 * restore).  Does not return. */
void cli_prof_end_now(pid_t pid, int sig, const sigset_t *old) __attribute__((noreturn));
/* After a profile cli_prof_command's stop_sig cut short (printed above): the "partial:"
 * line on stdout and the "interrupted by SIG" one on stderr. */
void cli_prof_say_interrupted(int sig);
/* Symbolizes a command's raw profile against its mappings, writes the three files
 * into dir and returns the text to print (tach__prof_finish: the table when table
 * is true; its JSON into *top_json when not NULL).  NULL with err. */
char *cli_prof_report(const tach__prof_raw *raw, const char *name, int hz, const char *dir,
                      size_t top, bool table, json_t **top_json, char *err);

/* What tach profile and tach findings were told. */
typedef struct cli_prof_args {
    long hz, top;
    const char *dir;
    double timeout_s;
    const char *compile_commands; /* findings: a directory with compile_commands.json, or NULL */
    const char *cflags;           /* findings: compiler flags without one, or NULL */
    struct cli_prof_base *base;   /* profile --baseline: the tables get a change column */
} cli_prof_args;

/* tach profile --baseline REF (cmd_profile.c): a directory of folded stacks
 * (DIR/STEM.folded per profile), a .folded file (the baseline of every profile), a
 * results document or a stored run (its kept profiles, by name). */
typedef struct cli_prof_base cli_prof_base;

/* A profiled program and the speedscope files written for it (one per benchmark of
 * a benchmark binary, one for a command). */
typedef struct cli_prof_run {
    char *program;            /* the executable, resolved */
    char **speedscope;
    size_t n;
} cli_prof_run;

/* Profiles pos[0] (a benchmark binary: its benchmarks; else the command pos[]),
 * printing the bottleneck tables.  CLI_OK, or CLI_FAIL / CLI_USAGE (printed), or 128 +
 * the signal when Ctrl-C or SIGTERM stopped the --tach-probe (nothing else run); out is
 * filled as far as it went (free it with cli_prof_run_free). */
int cli_profile_program(const cli_prof_args *a, char **pos, int npos, cli_prof_run *out);
/* --profile-dir checked before the program runs: a name, a directory where one exists,
 * else its nearest existing parent one that can be written in (nothing is made).  CLI_OK,
 * or the usage error printed for command cmd ("profile", "findings"). */
int cli_prof_check_dir(const char *cmd, const char *dir);
/* The findings' options checked before the program runs (its profile is not made for
 * nothing): -p/--compile-commands DIR a directory holding a readable
 * compile_commands.json, --cflags words that split.  Either may be NULL.  CLI_OK, or
 * the usage error printed for command cmd ("findings", "profile"). */
int cli_prof_check_findings(const char *cmd, const char *compile_commands, const char *cflags);
void cli_prof_run_free(cli_prof_run *r);
/* tach profile of a libtach benchmark binary (prof_binary.c): path args... run once
 * with --profile (it prints its tables unless a->base, when its stdout is /dev/null).
 * *kept: an array of {"name", "top"} (top: context.profiles.NAME.top of its document,
 * or null), the benchmarks it profiled ("failed": "STATUS: MESSAGE" added for one that
 * did not end ok but has samples), and in their places {"name", "none"} for those
 * that ended otherwise with no profile ("profile of NAME: none (crashed: ...)", the line
 * the binary printed); NULL when none.  CLI_OK, CLI_FAIL (said), or
 * 128 + the signal when SIGINT, SIGTERM or SIGHUP stopped it (the profiles of what it
 * finished kept; the caller says it is partial, cli_prof_say_interrupted).  Stopped by
 * a->timeout_s (passed SIGINT as for a Ctrl-C): CLI_FAIL, *timed_out set, the profiles of
 * what it finished kept (the caller says it), and when there are none why_none
 * (TACH__ERR_MAX) says why. */
int cli_prof_binary(const cli_prof_args *a, const char *path, char **args, int nargs,
                    json_t **kept, bool *timed_out, char *why_none);

/* Static findings joined to the profile (findings.c): clang-tidy and cppcheck over
 * the source files of the hot frames, only the findings in functions with samples,
 * ranked by their self share; printed.  A missing tool: one line naming its Debian
 * package.  CLI_OK or CLI_FAIL. */
int cli_findings(const cli_prof_args *a, const cli_prof_run *run);

/* Self samples per function (the leaf of each sample) over the speedscope files of a
 * profiled run: what the static findings and the remarks rank by (findings.c). */
typedef struct cli_hot_fn {
    char *func, *file;
    uint64_t self;
} cli_hot_fn;
typedef struct cli_hot_fns {
    cli_hot_fn *fn;
    size_t n, cap;
    uint64_t samples;   /* all samples read, with and without a named leaf */
} cli_hot_fns;
/* Adds one speedscope file's self samples to h; -1 with err when it cannot be read. */
int cli_hot_fns_read(cli_hot_fns *h, const char *path, char *err);
void cli_hot_fns_free(cli_hot_fns *h);
/* The directory of compile_commands.json: dir when not NULL, else the current
 * directory or build/ in it, or in a parent; NULL when there is none.  Caller frees. */
char *cli_find_compile_commands(const char *dir);
/* Compiler optimization remarks joined to the profile (findings_remarks.c, tach
 * findings --remarks): gcc -fsave-optimization-record over the source files of the
 * hot frames (the flags of compile_commands.json in cc_dir, may be NULL, else
 * a->cflags), the missed vectorization and inlining remarks in functions with self
 * samples, ranked by their self share; printed.  gcc missing: one line naming its
 * package.  CLI_OK. */
int cli_findings_remarks(const cli_prof_args *a, const cli_prof_run *run, const char *cc_dir);

/* The option rows tach findings and tach profile --static share, over TYPE. */
#define CLI_FINDINGS_ROWS(TYPE, CC, CFLAGS)                                                  \
    {.kind = TACH__OPT_STRING, .name = "compile-commands", .short_name = 'p', .metavar = "DIR", \
     .offset = offsetof(TYPE, CC),                                                             \
     .help = "findings: the directory of compile_commands.json (default: the\n"              \
             "current directory, its parents, or build/ in them)"},                            \
    {.kind = TACH__OPT_STRING, .name = "cflags", .metavar = "FLAGS", .offset = offsetof(TYPE, CFLAGS), \
     .help = "findings: compiler flags when there is no compile_commands.json\n"              \
             "(e.g. '-Iinclude -DNDEBUG')"}

/* tach compare / gate: for each regressed benchmark with a profile on both sides,
 * the functions whose share grew most, printed to f or as JSON (an object keyed by
 * benchmark; {} when there is none).  A benchmark none of whose functions grew gets
 * neither a heading nor an entry. */
struct tool_comparison;
void cli_prof_compare_print(FILE *f, const tach__doc *base, const tach__doc *cur,
                            const struct tool_comparison *c);
json_t *cli_prof_compare_json(const tach__doc *base, const tach__doc *cur,
                              const struct tool_comparison *c);
/* For each profile doc keeps that cannot be read back (docs/profiling.md: damaged), a
 * warning on stderr: "tach CMD: warning: LABEL: the profile of NAME is damaged: WHAT". */
void cli_prof_say_damaged(const tach__doc *doc, const char *label, const char *what);

#endif /* TACH_PROF_CLI_H */
