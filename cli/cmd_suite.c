/*
 * cmd_suite.c - `tach suite compression|crypto|storage|bus [OPTIONS]`: the reference
 * suites (src/suite/).  Every option is checked before anything runs; the suite writes
 * a results document like every run, printed as the suite's table (or --format),
 * exported with --export-json and recorded in the store unless --no-store.
 */
#define _GNU_SOURCE
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "options.h"
#include "run.h"
#include "store_cli.h"
#include "suite_cli.h"
#include "suite_kind.h"
#include "suite_table.h"

/* --sizes's help, ending in the suites that take it ("(crypto, bus)"): written by
 * owned_help from owned[] below, the set check_owned refuses the option by, so the two
 * cannot drift apart. */
static char sizes_help[192];

#define OFF(f) offsetof(cli_suite_opts, f)
#define SECTION(t) {.kind = TACH__OPT_SECTION, .name = t}
static const tach__opt suite_table[] = {
    SECTION("every suite:"),
    {.kind = TACH__OPT_FLAG, .name = "quick", .offset = OFF(quick),
     .help = "a smoke run in under a minute (fewer levels, sizes and samples),\n"
             "marked as such in the table, the document, the store and the\n"
             "formats with a place for it (not hyperfine, gbench, bmf)"},
    {.kind = TACH__OPT_DURATION, .name = "time", .metavar = "S", .offset = OFF(time_s), .lo = 0,
     .hi = 3600, .flags = TACH__OPT_LO_OPEN,
     .help = "sampling time of each measurement, above 0 and at most 3600 s\n"
             "(default 0.5 s, --quick 0.05 s); storage: each job's limit, within\n"
             "one pass over the file (default 2 s, --quick 0.25 s); not bus,\n"
             "which sends --messages"},
    {.kind = TACH__OPT_SEED, .name = "seed", .metavar = "N", .offset = OFF(seed),
     .help = "seed of the built-in data and the bootstrap"},
    {.kind = TACH__OPT_STRING, .name = "sizes", .metavar = "LIST", .offset = OFF(sizes),
     .help = sizes_help},
    {.kind = TACH__OPT_STRING, .name = "format", .metavar = "FMT", .offset = OFF(format),
     .help = "what standard output gets: table (default), or a format tach\n"
             "convert writes (json, csv, markdown, gbench, ...; not hlog: no\n"
             "suite row has per-call latency histograms)"},
    {.kind = TACH__OPT_STRING, .name = "export-json", .metavar = "FILE", .offset = OFF(export_json),
     .help = "write the results document to FILE (- or /dev/stdout: standard\n"
             "output, the table then goes to standard error)"},
    CLI_ROW_STORE(cli_suite_opts, store),
    {.kind = TACH__OPT_FLAG, .name = "no-store", .offset = OFF(no_store), .help = "do not record the run"},
    {.kind = TACH__OPT_STRING, .name = "tag", .metavar = "K=V", .offset = OFF(tags),
     .flags = TACH__OPT_NO_STORE, .fn = cli_opt_append,
     .help = "a tag on the recorded run (repeatable; not quick, --quick's mark;\nnot with --no-store)"},
    SECTION("compression:"),
    {.kind = TACH__OPT_STRING, .name = "data", .metavar = "FILE", .offset = OFF(data),
     .help = "measure on this file (read once into memory; --quick: its first\n256KiB; default: the built-in corpus)"},
    {.kind = TACH__OPT_STRING, .name = "corpus", .metavar = "KIND", .offset = OFF(corpus),
     .help = "the built-in corpus: text, records, binary, incompressible or mixed\n(default)"},
    {.kind = TACH__OPT_STRING, .name = "corpus-size", .metavar = "SIZE", .offset = OFF(corpus_size),
     .help = "the built-in corpus's size, 1KiB to 1GiB (default 1MiB; --quick\n256KiB, at most)"},
    {.kind = TACH__OPT_STRING, .name = "block", .metavar = "SIZE", .offset = OFF(block),
     .help = "compress in independent blocks of SIZE, 1KiB or more (default:\nthe whole input)"},
    {.kind = TACH__OPT_STRING, .name = "codecs", .metavar = "LIST", .offset = OFF(codecs),
     .help = "codecs to measure (default all built in: zlib, libdeflate, zstd,\nlz4, lz4hc, brotli, snappy, xz, bzip2)"},
    {.kind = TACH__OPT_STRING, .name = "levels", .metavar = "LIST", .offset = OFF(levels),
     .help = "levels, e.g. 1,3,5-9 (default every level; --quick the lowest,\nthe default and the highest)"},
    {.kind = TACH__OPT_FLAG, .name = "ultra", .offset = OFF(ultra), .help = "zstd's levels 20-22 too (refused when zstd is not among\nthe codecs, or --levels has none of 20-22)"},
    SECTION("crypto:"),
    {.kind = TACH__OPT_STRING, .name = "algos", .metavar = "LIST", .offset = OFF(algos),
     .help = "algorithms (default all: aes-128-gcm, aes-256-gcm, chacha20-poly1305,\n"
             "aes-128-ctr, aes-256-ctr, sha256, sha512, blake2b, hmac-sha256)"},
    SECTION("storage:"),
    {.kind = TACH__OPT_STRING, .name = "dir", .metavar = "PATH", .offset = OFF(dir),
     .help = "where the test file goes (default a new temporary directory);\n"
             "nothing is written elsewhere, everything written is removed"},
    {.kind = TACH__OPT_STRING, .name = "file-size", .metavar = "SIZE", .offset = OFF(file_size),
     .help = "the test file's size, 4MiB or more (default 256MiB; --quick\n16MiB, at most; less when "
             "the disk is fuller; refused when it\ncannot hold it)"},
    {.kind = TACH__OPT_STRING, .name = "jobs", .metavar = "LIST", .offset = OFF(jobs),
     .help = "jobs to run (default all; see docs/suites.md)"},
    SECTION("bus:"),
    {.kind = TACH__OPT_STRING, .name = "broker", .metavar = "NAME", .offset = OFF(broker),
     .help = "start a broker on 127.0.0.1 in a temporary directory: nats, mqtt\nor redis"},
    {.kind = TACH__OPT_STRING, .name = "url", .metavar = "URL", .offset = OFF(url),
     .help = "a broker the user runs: nats://, mqtt:// or\nredis://[USER:PASSWORD@]HOST:PORT (the password never shown)"},
    {.kind = TACH__OPT_STRING, .name = "transports", .metavar = "LIST", .offset = OFF(transports),
     .help = "in-process baselines: pipe, unix, queue (default all, unless a\nbroker is asked)"},
    {.kind = TACH__OPT_STRING, .name = "patterns", .metavar = "LIST", .offset = OFF(patterns),
     .help = "1to1, fanout (1 to 10), reqrep (default all)"},
    {.kind = TACH__OPT_STRING, .name = "rate", .metavar = "N", .offset = OFF(rate),
     .help = "open-loop messages per second, from 1 to 1e8 (default: as fast as\n"
             "possible, then an open-loop run at half that rate)"},
    {.kind = TACH__OPT_STRING, .name = "slo", .metavar = "EXPR", .offset = OFF(slo),
     .help = "find the highest rate meeting it, e.g. 'p99<1ms'"},
    {.kind = TACH__OPT_COUNT, .name = "messages", .metavar = "N", .offset = OFF(messages), .lo = 10,
     .hi = 100000000, .help = "messages per measurement, 10 to 1e8 (default 20000; --quick 2000)"},
    SECTION("other:"),
    CLI_ROW_HELP(cli_suite_opts),
};
#undef SECTION

static const cli_options suite_options = {"suite", CLI_TABLE(suite_table),
    "usage: tach suite compression|crypto|storage|bus [OPTIONS]\n\n"
    "Runs a reference suite with tach's sampling and statistics (medians with 95%\n"
    "confidence intervals, never the fastest run) and records it like any run:\n"
    "  compression  every level of each codec: MB/s each way, ratio, memory, round trip\n"
    "  crypto       OpenSSL EVP and libsodium ciphers and hashes per buffer size\n"
    "  storage      sequential and random I/O, fsync latency, in --dir\n"
    "  bus          pipes, sockets, a thread queue, and brokers started on 127.0.0.1\n"
    "See docs/suites.md.\n\n",
    "exit: 0 every row measured; 1 a row failed (a round-trip mismatch, a full disk, a\n"
    "broker lost), or the run could not be recorded (\"the run was NOT recorded\"; its\n"
    "outputs are written); 2 bad usage (nothing run, nothing written), or a store\n"
    "damaged, replaced (a directory) or made read-only during the run (NOT recorded,\n"
    "its outputs written); 130 interrupted.  A run NOT recorded says how to record it\n"
    "later: tach record of its --export-json FILE, else of the file its document is kept\n"
    "in (.tach/unrecorded/, removed once recorded)\n"};

/* A set of suites: bit k for tach__suite_kind k (bit 0, TACH__SUITE_NONE, never set). */
#define SUITE_BIT(id) (1u << TACH__SUITE_##id)
#define ALL_SUITES (~0u << 1)
#define SUITE_COUNT(id, name, one_run) +1
_Static_assert(0 TACH__SUITES(SUITE_COUNT) < 32, "a set of suites is an unsigned's bits");
#undef SUITE_COUNT

/* The names of the suites in set, in suite_kind.h's order, sep between them and last
 * before the last ("compression, crypto, storage or bus"); how many through *n (NULL:
 * not wanted). */
static const char *suite_list(char *buf, size_t size, unsigned set, const char *sep,
                              const char *last, int *n)
{
    int total = 0, done = 0;
    for (int k = 1; tach__suite_name(k); k++) total += (set >> k) & 1u;
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 1; tach__suite_name(k) && len < size; k++) {
        if (!((set >> k) & 1u)) continue;
        const char *s = done == 0 ? "" : done + 1 < total ? sep : last;
        int w = snprintf(buf + len, size - len, "%s%s", s, tach__suite_name(k));
        if (w < 0) break;
        len += (size_t)w;
        done++;
    }
    if (n) *n = total;
    return buf;
}

/* Options that belong to some suites only: given to another, they are refused, the
 * message naming the suites they belong to from the set. */
typedef struct owned_opt {
    const char *name;
    unsigned suites; /* SUITE_BIT()s */
} owned_opt;
static const owned_opt owned[] = {
    {"data", SUITE_BIT(COMPRESSION)}, {"corpus", SUITE_BIT(COMPRESSION)},
    {"corpus-size", SUITE_BIT(COMPRESSION)}, {"block", SUITE_BIT(COMPRESSION)},
    {"codecs", SUITE_BIT(COMPRESSION)}, {"levels", SUITE_BIT(COMPRESSION)},
    {"ultra", SUITE_BIT(COMPRESSION)},
    {"algos", SUITE_BIT(CRYPTO)},
    {"sizes", SUITE_BIT(CRYPTO) | SUITE_BIT(BUS)},
    {"dir", SUITE_BIT(STORAGE)}, {"file-size", SUITE_BIT(STORAGE)}, {"jobs", SUITE_BIT(STORAGE)},
    {"broker", SUITE_BIT(BUS)}, {"url", SUITE_BIT(BUS)}, {"transports", SUITE_BIT(BUS)},
    {"patterns", SUITE_BIT(BUS)}, {"rate", SUITE_BIT(BUS)}, {"slo", SUITE_BIT(BUS)},
    {"messages", SUITE_BIT(BUS)},
    /* the bus measures --messages per row, not for a time (--time was taken and unused) */
    {"time", ALL_SUITES & ~SUITE_BIT(BUS)},
};

/* Fills the help texts that name the suites an option belongs to (sizes_help). */
static void owned_help(void)
{
    if (sizes_help[0]) return;
    for (size_t i = 0; i < sizeof owned / sizeof *owned; i++) {
        if (strcmp(owned[i].name, "sizes")) continue;
        char list[96];
        /* the ranges of cli/suite_crypto.c and cli/suite_bus.c (suite_help.sh holds
         * them to their refusals) */
        snprintf(sizes_help, sizeof sizes_help, "buffer or message sizes, e.g. 16,64,1k,1MiB (%s;\n"
                 "crypto from 1 byte to 256MiB, bus from 16 bytes to 64KiB)",
                 suite_list(list, sizeof list, owned[i].suites, ", ", ", ", NULL));
    }
}

/* The table's accessor (as CLI_OPTIONS defines one), its help texts filled. */
const struct tach__opt *cli_suite_options(size_t *n)
{
    owned_help();
    *n = suite_options.n;
    return suite_options.table;
}

static int check_owned(tach__suite_kind suite, const tach__opt_result *res)
{
    size_t n = sizeof suite_table / sizeof *suite_table;
    for (size_t i = 0; i < sizeof owned / sizeof *owned; i++) {
        if ((owned[i].suites >> suite) & 1u) continue;
        if (!tach__opt_given(suite_table, n, res, owned[i].name)) continue;
        char list[128];
        int nsuites;
        suite_list(list, sizeof list, owned[i].suites, ", ", " and ", &nsuites);
        return cli_cmd_usage_error("suite", "--%s applies to the %s suite%s, not to %s",
                                   owned[i].name, list, nsuites > 1 ? "s" : "",
                                   tach__suite_name(suite));
    }
    return CLI_OK;
}

/* The formats a suite writes: every writable one but hlog (an interval log needs
 * per-call latency histograms, which no suite row carries), ", "-separated. */
static const char *suite_format_names(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; tach__format_at(i); i++) {
        const tach__format *f = tach__format_at(i);
        if (!f->write || !strcmp(f->name, "hlog")) continue;
        int k = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", f->name);
        if (k < 0 || (size_t)k >= size - n) break;
        n += (size_t)k;
    }
    return buf;
}

static int write_outputs(const cli_suite_opts *o, tach__doc *doc, const char **json_file)
{
    char err[TACH__ERR_MAX];
    int rc = CLI_OK;
    *json_file = NULL;
    if (o->export_json && cli_export_write(doc, "json", o->export_json, err) != 0)
        rc = cli_cmd_error(CLI_FAIL, "suite", "--export-json: %s", err);
    else if (o->export_json && !cli_path_is_stdout(o->export_json))
        *json_file = o->export_json; /* the document, for a tach record later */
    if (!o->format || !strcmp(o->format, "table")) {
        /* --export-json - (or /dev/stdout, the file stdout is redirected to): standard
         * output is the document's, the table goes to stderr */
        bool json_out = o->export_json && cli_path_is_stdout(o->export_json);
        char *t = tool_suite_table(doc);
        if (t && json_out) fputs(t, stderr);
        else if (t) tach__stdout_puts(t, false);
        tach__free(t);
    } else if (cli_export_write(doc, o->format, "-", err) != 0) {
        rc = cli_cmd_error(CLI_FAIL, "suite", "%s", err);
    }
    tach__stdout_flush();
    return rc;
}

static void suite_context(tach__doc *doc, const cli_suite_opts *o, const char *suite, int argc,
                       char **argv)
{
    json_t *env = tach__env_capture();
    if (env) {
        json_object_update(doc->context, env);
        json_decref(env);
    }
    char tool[64];
    snprintf(tool, sizeof tool, "tach suite %s", suite);
    json_object_set_new(doc->context, "tool", json_string(tool));
    json_object_set_new(doc->context, "tach_version", json_string(tach_version()));
    json_t *cl = cli_command_line(argc, argv);
    if (cl) json_object_set_new(doc->context, "command_line", cl);
    json_t *s = tool_suite_ctx(doc);
    json_object_set_new(s, "name", json_string(suite));
    json_object_set_new(s, "quick", json_boolean(o->quick));
    json_t *st = json_object();
    json_object_set_new(st, "quick", json_boolean(o->quick));
    /* the sampling budget of compression and crypto only: a storage job's limit is
     * suite.job_time_s, the bus sends suite.messages (their documents said 0.05 s and 3
     * samples, a budget neither used) */
    if (!strcmp(suite, "compression") || !strcmp(suite, "crypto")) {
        json_object_set_new(st, "time_s", json_real(o->budget.time_s));
        json_object_set_new(st, "min_samples", json_integer((json_int_t)o->budget.min_samples));
    }
    json_object_set_new(st, "seed", tach__json_seed(o->seed));
    json_object_set_new(st, "resamples", json_integer(10000));
    json_object_set_new(doc->context, "settings", st);
    json_t *warn = tach__env_warnings(doc->context);
    if (warn) json_object_set_new(doc->context, "warnings", warn);
    cli_set_run_uid(doc->context); /* the export's and the record's: tach record knows it */
}

static volatile sig_atomic_t caught_sig;

static void on_signal(int sig)
{
    caught_sig = sig;
    tool_suite_interrupt();
}

/* SIGINT and SIGTERM ask the suite to stop at its next step (files removed, brokers
 * stopped, what was measured written out and marked partial); a second one kills.
 * (SIGPIPE is ignored by main: a closed standard output is a write error.) */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_cmd_suite(int argc, char **argv)
{
    cli_suite_opts o;
    memset(&o, 0, sizeof o);
    o.seed = TACH__DEFAULT_SEED;
    tach__opt_result res;
    owned_help();
    int rc = cli_opts_read(&suite_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) {
        free(o.tags.v);
        return rc < 0 ? CLI_OK : rc;
    }
    const char *suite = NULL;
    char list[128];
    if (res.npos == 0) {
        rc = cli_cmd_usage_error("suite", "no suite named (tach suite %s; see 'tach suite --help')",
                                 suite_list(list, sizeof list, ALL_SUITES, "|", "|", NULL));
    } else if (res.npos > 1) {
        rc = cli_cmd_usage_error("suite", "'%s': one suite at a time", res.pos[1]);
    } else {
        suite = tach__suite_name(tach__suite_kind_of(res.pos[0]));
        if (!suite)
            rc = cli_cmd_usage_error("suite", "'%s' is not a suite, expected %s", res.pos[0],
                                     suite_list(list, sizeof list, ALL_SUITES, ", ", " or ", NULL));
    }
    if (rc == CLI_OK) rc = check_owned(tach__suite_kind_of(suite), &res);
    tach__opt_result_free(&res);
    char err[TACH__ERR_MAX];
    if (rc == CLI_OK && o.format && strcmp(o.format, "table")) {
        const tach__format *f = tach__format_find(o.format);
        char names[256];
        if (f && f->write && !strcmp(f->name, "hlog")) /* checked here, not after the whole run */
            rc = cli_cmd_usage_error("suite", "--format hlog: suite rows carry no per-call latency "
                                     "histograms to write as an interval log; expected table or %s",
                                     suite_format_names(names, sizeof names));
        else if (!f || !f->write)
            rc = cli_cmd_usage_error("suite", "--format: '%s' is not a format, expected table or %s",
                                     o.format, suite_format_names(names, sizeof names));
    }
    if (rc == CLI_OK && o.export_json && cli_export_check_path(o.export_json, err) != 0)
        rc = cli_cmd_usage_error("suite", "--export-json: %s", err);
    /* the document written over the input it was measured on (exit 0, the file lost) */
    if (rc == CLI_OK && o.export_json && o.data && cli_same_output_file(o.export_json, o.data))
        rc = cli_cmd_usage_error("suite", "--export-json '%s' is the --data file: writing it would "
                                 "destroy the suite's input; name another file", o.export_json);
    /* standard output holds one thing: the document, or the table (then on stderr) */
    bool json_to_stdout = o.export_json && cli_path_is_stdout(o.export_json);
    if (rc == CLI_OK && json_to_stdout && o.format && strcmp(o.format, "table"))
        rc = cli_cmd_usage_error("suite", "--export-json %s%s and --format %s: both would go to "
                                 "standard output; give --export-json a file", o.export_json,
                                 strcmp(o.export_json, "-") ? " (standard output)" : "", o.format);
    /* (the key quick, --quick's mark, refused: a user's quick=0 beside it was dropped, and
     * a quick=1 without it would mark a full run as a smoke test) */
    if (rc == CLI_OK) rc = cli_check_tags("suite", (char *const *)o.tags.v, o.tags.n);
    tool_suite_budget_default(&o.budget, o.quick);
    if (o.time_s > 0) o.budget.time_s = o.time_s;
    if (rc == CLI_OK && !o.no_store) rc = cli_output_not_store("--export-json", o.export_json, o.store);
    if (rc == CLI_OK && !o.no_store) rc = cli_store_precheck(o.store);
    if (rc != CLI_OK) {
        free(o.tags.v);
        return rc;
    }

    tach__doc *doc = tach__doc_new();
    if (!doc) {
        free(o.tags.v);
        return cli_error(CLI_FAIL, "out of memory");
    }
    suite_context(doc, &o, suite, argc, argv);
    catch_signals();
    int failed = 0;
    switch (tach__suite_kind_of(suite)) {
    case TACH__SUITE_COMPRESSION: rc = cli_suite_compression(&o, doc, &failed); break;
    case TACH__SUITE_CRYPTO: rc = cli_suite_crypto(&o, doc, &failed); break;
    case TACH__SUITE_STORAGE: rc = cli_suite_storage(&o, doc, &failed); break;
    case TACH__SUITE_BUS: rc = cli_suite_bus(&o, doc, &failed); break;
    case TACH__SUITE_NONE: break; /* refused above */
    }
    if (caught_sig) {
        doc->partial = true;
        json_object_set_new(tool_suite_ctx(doc), "stopped", json_string("interrupted"));
        fprintf(stderr, "tach suite: interrupted by %s: writing what was measured (marked partial), "
                "not recording it\n", tach__signal_name(caught_sig));
    }
    if (rc == CLI_OK && !caught_sig && doc->nresults == 0) {
        /* nothing asked for exists (--levels 99, --codecs with no such level): bad usage,
         * not an empty run to write and record */
        const json_t *notes = json_object_get(tool_suite_ctx(doc), "notes");
        size_t k;
        const json_t *n;
        json_array_foreach(notes, k, n) fprintf(stderr, "tach suite: %s\n", cli_term(json_string_value(n)));
        rc = cli_cmd_usage_error("suite", "nothing to measure in what was asked for (nothing written)");
    }
    if (rc == CLI_OK) {
        const char *json_file;
        rc = write_outputs(&o, doc, &json_file);
        const char **tags = calloc(o.tags.n + 1, sizeof *tags);
        size_t ntags = 0;
        for (size_t t = 0; tags && t < o.tags.n; t++) tags[ntags++] = o.tags.v[t];
        if (tags && o.quick) tags[ntags++] = "quick=1";
        int src = !tags ? cli_error(CLI_FAIL, "out of memory")
                  : caught_sig ? CLI_OK : cli_run_record(doc, "suite", o.store, o.no_store, (char **)tags, ntags, json_file);
        free(tags);
        if (rc == CLI_OK) rc = src;
        if (rc == CLI_OK && (failed || doc->partial)) rc = CLI_FAIL;
        if (caught_sig) rc = 128 + caught_sig;
    }
    tach__doc_free(doc);
    free(o.tags.v);
    return rc;
}
