/*
 * soak_cli.h - `tach soak`'s side of the store (cli/soak_store.c).
 */
#ifndef TACH_SOAK_CLI_H
#define TACH_SOAK_CLI_H

#include <stdbool.h>

#include "soak.h"
#include "tach_internal.h"

/* The soak as a results document (partial when the series has no end line): one result
 * "soak: TARGET" with a sample per interval (ns per operation, iterations = the
 * interval's operations) and context.soak = the whole report (tool_soak_report_json).  NULL with err when out of memory. */
tach__doc *cli_soak_doc(const tool_soak_log *l, const tool_soak_verdict *v,
                        const tool_soak_targets *tg, char *err);

/* Records the soak of the series file path in the store chosen by store_opt (--store, or
 * NULL: TACH_STORE / .tach discovery) unless no_store; a soak with no interval is not
 * recorded.  Returns a CLI exit status (message printed when not CLI_OK). */
int cli_soak_record(const char *path, const char *store_opt, bool no_store);

/* One interval of a soak of a `tach load` scenario (cli/soak_load.c): runs this tach's
 * `tach load WORDS --duration length_s --warmup 0 --no-store --quiet` (WORDS: the
 * target's "argv", tach load's own arguments) and returns the interval's line without
 * "interval" and "t": length, ops, ops_per_s, errors, p50_ns, p99_ns, max_ns
 * (corrected), "hist" (the interval's histogram, HdrHistogram's base64 encoding) and
 * "invalid" when tach load found the run invalid.  *exit_status: tach load's (2: bad
 * usage).  NULL with err when tach load gave no document. */
json_t *cli_soak_load_interval(const json_t *target, double length_s, int *exit_status, char *err);

#endif /* TACH_SOAK_CLI_H */
