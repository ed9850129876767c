/*
 * ab.h - internals of `tach ab` (cli/cmd_ab.c, its options in cli/ab_options.c).
 */
#ifndef TACH_CLI_AB_H
#define TACH_CLI_AB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tach_internal.h"

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

/* The name column of tach ab's tables (the timed one, cmd_ab.c, and the counted one,
 * ab_instr.c) is at most AB_NAME_COLS display columns: a longer name is cut there with
 * "…" (cli_term_cell), so that the other columns stay lined up. */
#define AB_NAME_COLS 60

struct cli_spawner;
/* For --metric instructions and cycles-est, before the probes start OLD or NEW: finds
 * Valgrind on PATH into valgrind (size bytes) and checks it can start its callgrind tool.
 * CLI_OK (also for any other metric, valgrind then ""), CLI_USAGE after one line naming
 * what is missing, or CLI_INTERRUPTED. */
int cli_ab_valgrind(struct cli_spawner *sp, const ab_opts *o, char *valgrind, size_t size);
/* `tach ab --metric instructions|cycles-est`: OLD and NEW (path and argv each; binary:
 * libtach benchmark binaries, else commands; shown: each as its table, JSON and messages
 * show it, passwords as ***) run once each under callgrind (commands under
 * valgrind, cli_ab_valgrind's), and each
 * benchmark's (or the command's) counts decide alone: regressed beyond +noise,
 * improved below -noise, else no difference (a count is the same run after run).
 * A binary's whole worker is killed after kill_after_s (cli_bench_kill_after: a backstop
 * past its benchmarks' --timeout, as in the timed pairs).
 * Prints the table or JSON; returns the exit status (0, 1 regressed, 2 bad input or
 * a side that failed, 128 + signal when interrupted). */
int cli_ab_instr(struct cli_spawner *sp, const ab_opts *o, const char *const shown[2], bool binary,
                 const char *valgrind, char *const path[2], char **const argv[2], const char *tmpdir,
                 double kill_after_s);

/* What ended a run early: the side whose command (or whole binary worker) failed,
 * crashed or timed out, for the JSON document (the table run prints the message only). */
typedef struct ab_stop {
    int side;          /* -1: none */
    const char *what;  /* "failed", "crashed", "timed out" */
    int exit_status;   /* the command's or worker's, when it exited (else -1) */
    int signal;        /* the signal that killed it (else 0) */
    char message[TACH__ERR_MAX + 128];
} ab_stop;
/* Keeps what ended the run in st and prints the message as cli_error does; CLI_FAIL. */
int cli_ab_stop(ab_stop *st, int side, const char *what, int exit_status, int sig,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* cli_ab_stop for a binary's whole worker that ended as wo (cli_bench_worker: timed out,
 * crashed, no results) with exit status code (-1: none) or signal sig (0: none), why its
 * words: crashed is killed by a signal; one that exited (status 3, or with no results)
 * failed, its status kept, as a command's is.  "the NEW binary WHY: SHOWN"; CLI_FAIL. */
int cli_ab_worker_stop(ab_stop *st, int side, int wo, int code, int sig, const char *why,
                       const char *shown);
/* root's "error" object: "side", "what", "exit_status" (null unless it exited),
 * "signal" ("SIGABRT", else null) and "message" (the timed and the counted tach ab). */
void cli_ab_stop_json(const ab_stop *st, json_t *root);

/* A benchmark of a binary that a side lost (ab_lost.c): its worker reported it failed,
 * crashed or timed out.  It is not judged; its row says which side lost it and how,
 * and the run exits 1 (docs/guide.md). */
typedef struct ab_lost {
    tach__status status[2]; /* OLD's, NEW's: TACH__FAILED, _CRASHED, _TIMEOUT; TACH__OK: not lost */
    char *message[2];       /* the worker's why (owned), or NULL */
} ab_lost;
/* Whether a result of status s is lost: failed, crashed or timed out (skipped is not). */
bool cli_ab_lost_status(tach__status s);
/* Notes r, side's result, when it failed, crashed or timed out: 1, or 0 when it did not
 * (l unchanged); -1 out of memory. */
int cli_ab_lost_note(ab_lost *l, int side, const tach__result *r);
void cli_ab_lost_free(ab_lost *l); /* its messages; l stays valid */
bool cli_ab_lost_any(const ab_lost *l);
/* The OLD or NEW column of a side that lost it ("failed", "crashed", "timed out"), or
 * NULL (that side measured it). */
const char *cli_ab_lost_cell(const ab_lost *l, int side);
/* The verdict column: "timed out (NEW)", "failed (OLD and NEW)", "crashed (OLD), timed
 * out (NEW)" (the worst first). */
void cli_ab_lost_verdict(const ab_lost *l, char *buf, size_t size);
/* Sets row's "verdict" ("crashed", "failed" or "timed out": the worst), the sides
 * arrays ("crashed", "failed", "timed_out": ["OLD", "NEW"]) and its "why". */
void cli_ab_lost_json(const ab_lost *l, double timeout_s, json_t *row);

/* How many benchmarks were lost, and how (one both crashed and timed out counts in each). */
typedef struct ab_lost_count { size_t benchmarks, crashed, failed, timed_out; } ab_lost_count;
void cli_ab_lost_count_add(ab_lost_count *c, const ab_lost *l);
/* The verdict line's end on stdout, nothing when none was lost: "; 1 benchmark crashed, 1
 * timed out after 1 s, not judged: exit status 1". */
void cli_ab_lost_count_print(const ab_lost_count *c, double timeout_s);
/* The top-level "crashed", "failed" and "timed_out" counts of root. */
void cli_ab_lost_count_json(const ab_lost_count *c, json_t *root);

/* A benchmark skipped on a side (skipped[side]: its message, or NULL when that side ran
 * it), as the timed and the counted tach ab both say it: the verdict column "skipped
 * (OLD)", "skipped (OLD and NEW)"; in JSON, "verdict": "skipped", "skipped": ["OLD"] and
 * "why": "OLD skipped: MESSAGE". */
void cli_ab_skipped_verdict(const char *const skipped[2], char *buf, size_t size);
void cli_ab_skipped_json(const char *const skipped[2], json_t *row);
/* The verdict line's end on stdout for the benchmarks not judged as they are in one
 * binary only or skipped, nothing when none: "; 1 benchmark only in NEW, 2 skipped, not
 * judged". */
void cli_ab_one_sided_print(size_t added, size_t removed, size_t skipped);

#endif /* TACH_CLI_AB_H */
