/*
 * soak_cli.h - `tach soak`'s side of the store (cli/soak_store.c), which `tach record`
 * of a soak's series file shares.
 */
#ifndef TACH_SOAK_CLI_H
#define TACH_SOAK_CLI_H

#include <signal.h>
#include <stdbool.h>

#include "soak.h"
#include "store_cli.h"
#include "tach_internal.h"

/* The soak as a results document (partial when the series has no end line): one result
 * "soak: TARGET" with a sample per interval (ns per operation, iterations = the
 * interval's operations), status failed (message "its load run failed its checks: WHY")
 * when a load soak's load run failed its checks, or (message "its operations failed:
 * REASON") when the soak is failing, and context.soak = the whole report
 * (tool_soak_report_json).  NULL with err when out of memory. */
tach__doc *cli_soak_doc(const tool_soak_log *l, const tool_soak_verdict *v,
                        const tool_soak_targets *tg, char *err);

/* Records the soak of the series file path in the store chosen by store_opt (--store, or
 * NULL: TACH_STORE / .tach discovery) unless no_store; a soak with no interval is not
 * recorded.  Returns a CLI exit status (message printed when not CLI_OK). */
int cli_soak_record(const char *path, const char *store_opt, bool no_store);

/* A soak series file read to be recorded (by tach soak when it stops, by tach record
 * later): its document and what its record needs from the file. */
typedef struct cli_soak_file {
    tach__doc *doc;      /* cli_soak_doc; NULL: no interval, nothing to record */
    int64_t before;      /* the run the newest "recorded_run" line names (0: none) */
    char *before_store;  /* ... and the store it names (NULL: none) */
    bool noted_current;  /* ... and no interval nor end line came after that line */
    bool partial;        /* no end line */
    char *since;         /* the header's "started" (NULL: none) */
} cli_soak_file;
/* Reads path when it is a soak series (tool_soak_log_try): 1 read into *sf (release it
 * with cli_soak_file_free), 0 not a soak series (nothing read), -1 a series that cannot
 * be read, or out of memory, with err. */
int cli_soak_file_read(const char *path, cli_soak_file *sf, char *err);
void cli_soak_file_free(cli_soak_file *sf); /* zeroes it */
/* Whether run found, the run in st that carries the soak's run_uid, is the file's record
 * of an earlier stop of the soak (its "recorded_run" line, in this same store) that the
 * file has outgrown since (a --resume whose own record failed): to be replaced, not
 * "already recorded". */
bool cli_soak_file_outgrown(tool_store *st, const cli_soak_file *sf, int64_t found);
/* Records sf (a doc, not NULL), the soak of the series file path, in st with tags (k=v
 * strings, checked; ntags may be 0): a run the file notes as recorded in this store
 * before is replaced (tool_run_meta.replaces: "recorded run N in STORE (replacing run M,
 * the soak before --resume)"); else "recorded run N in STORE" unless quiet; a partial
 * soak's run is noted in the file, for a later --resume.  A CLI exit status (the store
 * failed: cli_store_record_failed, later's note), *id the run. */
int cli_soak_file_record(tool_store *st, const char *path, const cli_soak_file *sf, char **tags,
                         size_t ntags, bool quiet, const cli_later *later, int64_t *id);

/* A soak of a `tach load` scenario (cli/soak_load.c): one `tach load WORDS --duration
 * run_s --interval interval_s --warmup 0 --no-store --quiet --quiet-interrupt --series
 * TMP --export-json PIPE` (WORDS: the target's "argv", tach load's own arguments) for
 * the whole run; when it ends, its document's own checks go to put as {"load_run":
 * {"exit", "invalid", "invalid_reason", "slo_verdicts"}}; each
 * interval's line
 * (ops, ops_per_s, errors, p50_ns, p99_ns, max_ns, "hist" in HdrHistogram's base64,
 * length, and a benchmark binary's rss_bytes, heap_bytes, fds, threads) is given
 * "interval" (index0 + its number) and "t" (t0 + its end), the figures of the
 * target's "pid" when it has one (a URL target's server), and passed to put as soon
 * as it is written.  stop set: the load run is interrupted and what it finished is
 * kept.  Returns 0; 2 when tach load refused its arguments before any interval (it
 * said why on stderr); CLI_SOAK_LOAD_FAILED with err when the load run ended 1
 * (invalid, or an objective missed: the soak is whole, but it failed); -1 with err. */
#define CLI_SOAK_LOAD_FAILED 3
int cli_soak_load(const json_t *target, double run_s, double interval_s, double t0,
                  size_t index0, const volatile sig_atomic_t *stop,
                  int (*put)(void *ctx, json_t *line, char *err), void *ctx, char *err);
/* Whether the load target's words hold a URL (http:// or https://). */
bool cli_soak_load_is_url(const json_t *target);

#endif /* TACH_SOAK_CLI_H */
