/*
 * suite_cli.h - `tach suite`'s parts (cli_ prefix): its options, and one function per
 * suite turning them into the suite's own options (cli/suite_*.c) and running it.
 * Each returns a CLI exit status (message printed when not CLI_OK) and sets *failed to
 * the number of rows that failed.
 */
#ifndef TACH_SUITE_CLI_H
#define TACH_SUITE_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "suite.h"

typedef struct cli_suite_opts {
    /* every suite */
    bool quick, no_store, help;
    double time_s;
    uint64_t seed;
    const char *sizes, *format, *export_json, *store;
    cli_list tags;
    tool_suite_budget budget; /* from quick and time_s */
    /* compression */
    const char *data, *corpus, *corpus_size, *block, *codecs, *levels;
    bool ultra;
    /* crypto */
    const char *algos;
    /* storage */
    const char *dir, *file_size, *jobs;
    /* bus */
    const char *broker, *url, *patterns, *rate, *slo, *transports;
    long messages;
} cli_suite_opts;

int cli_suite_compression(const cli_suite_opts *o, tach__doc *doc, int *failed);
int cli_suite_crypto(const cli_suite_opts *o, tach__doc *doc, int *failed);
int cli_suite_storage(const cli_suite_opts *o, tach__doc *doc, int *failed);
int cli_suite_bus(const cli_suite_opts *o, tach__doc *doc, int *failed);

/* What a size option takes, said when a value is no size at all ('4.5MiB', '1e9' were
 * "not a size of 4MiB or more"): whole numbers, the units of tach__opt_size_unit. */
#define CLI_SUITE_SIZE_RULE                                                                  \
    "a whole number of bytes, or of k/KiB, M/MiB, G/GiB or T/TiB (powers of 1024) or of " \
    "kB, MB, GB or TB (powers of 1000: 1MB is 1000000 bytes)"

/* The suite's --sizes (or defs, a comma-separated default list), each from lo to hi
 * bytes (example, sizes in that range, shown when one is not): *out malloc'd. */
int cli_suite_sizes(const cli_suite_opts *o, const char *defs, uint64_t lo, uint64_t hi,
                    const char *example, uint64_t **out, size_t *n);

/* Rewrites each word of a list option (opt, e.g. "--codecs") that names one of known
 * (NULL-ended) in another case to its name as known spells it, so ZSTD runs and is stored
 * as zstd, as --broker NATS is nats; a word named twice that way (zstd,ZSTD) is refused
 * like zstd,zstd.  Words no name matches are left for the caller to refuse as typed. */
int cli_suite_canon(const char *opt, char **w, size_t n, const char *const *known);

#endif /* TACH_SUITE_CLI_H */
