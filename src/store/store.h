/*
 * store.h - the history store: one interface, two backends (tool_store_ prefix).
 *
 *   SQLite (default): a file, normally .tach/tach.db; WAL mode, busy timeout.
 *   PostgreSQL:       a spec starting with postgresql:// or postgres:// (libpq).
 *
 * Both backends keep the same schema and behave the same.  What a store keeps per run:
 * id, time, git commit / branch / dirty flag / subject, tags, the machine's fingerprint
 * and description, tach's version, and the whole results document (docs/results-format.md),
 * plus one row per benchmark (name, status, median with CI, mean, n, raw samples) so that
 * history and comparisons never parse whole documents.
 *
 * Conventions (as in tach_internal.h): functions return 0 on success and -1 on failure with
 * a message in `err` (TACH__ERR_MAX bytes, may be NULL).  Look-ups of something that may be
 * absent (a run id, a baseline, a commit) return TOOL_STORE_NOT_FOUND (1) when it is not
 * there, also with a message in err ("no run 42 in store .tach/tach.db").  Nothing prints,
 * nothing exits.  Every array handed out has its _free function, which accepts NULL.
 *
 * Safety:
 *   - tool_store_record writes one run in ONE transaction: a run is stored whole or not
 *     at all (a writer killed mid-run leaves no trace of it).
 *   - tool_store_open checks a file before writing anything to it: a file that is not an
 *     SQLite database, is truncated or corrupt, or is an SQLite database without tach's
 *     meta table, is refused and left byte for byte as it was.  A store whose
 *     schema_version is newer than TOOL_STORE_SCHEMA is refused; an older one is migrated
 *     (in a transaction) when opened for writing.
 *   - A store handle is not thread-safe; processes may share a store freely.
 */
#ifndef TACH_STORE_H
#define TACH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tach_internal.h"

/* The schema version this tach writes (the meta table's schema_version). */
#define TOOL_STORE_SCHEMA 3

/* Returned by look-ups when the thing asked for is not in the store. */
#define TOOL_STORE_NOT_FOUND 1
/* tool_store_record: the connection to the server was lost at COMMIT, so the run may or
 * may not be stored (a failure, as -1: the message is in err). */
#define TOOL_STORE_MAYBE_RECORDED (-2)
/* tool_store_record with meta->once: the document's run is in the store already (its
 * id in *run_id), nothing written. */
#define TOOL_STORE_RECORDED_ALREADY 2

typedef struct tool_store tool_store;

typedef enum tool_store_kind { TOOL_STORE_SQLITE = 0, TOOL_STORE_POSTGRES } tool_store_kind;

/* ---- opening -------------------------------------------------------------- */

/* Flags for tool_store_open. */
#define TOOL_STORE_CREATE 0x1   /* create the file (and .tach/ directory) and schema if absent */
#define TOOL_STORE_READONLY 0x2 /* never write: no creation, no migration (SQLite opened read-only) */
/* SQLite: also check every page's structure (PRAGMA quick_check) before anything is written;
 * costs time in proportion to the file (about 0.2 s for 150 MB).  Without it, damage deep in
 * the data pages is found only when those pages are read.  No effect on PostgreSQL.
 * Writing commands pass it, so it also keeps a store this process may not write from being
 * opened read-only (as readers' are): such a store is refused at once (SQLite: a file or
 * directory this process may not write; PostgreSQL: a role that may not record a run). */
#define TOOL_STORE_CHECK 0x4

/* True when spec names a PostgreSQL store (starts with postgresql:// or postgres://). */
bool tool_store_spec_is_postgres(const char *spec);

/* Checks a store spec a user gave (--store, TACH_STORE) before it is opened: it must be
 * a PostgreSQL URL or a file path whose directory exists.  Another URL scheme (mysql://,
 * http://), SQLite's ":memory:" and "file:" names and an empty spec are refused rather
 * than taken as file names, and a missing directory is refused rather than created
 * (only the default .tach/ is made).  0, or -1 with a message. */
int tool_store_check_spec(const char *spec, char *err);

/* The default store path: .tach/tach.db in the nearest ancestor of start_dir (NULL: the
 * current directory) that holds a .tach/ directory, else start_dir/.tach/tach.db.
 * Caller frees.  NULL with err on failure. */
char *tool_store_default_path(const char *start_dir, char *err);

/* Opens the store named by spec: a PostgreSQL URL, a file path, or NULL for the default
 * (tool_store_default_path(NULL)).  The environment (TACH_STORE) is the tool's business,
 * not this function's.  Without TOOL_STORE_CREATE a missing file fails ("no store at
 * PATH"); with it, a missing file's directories are made too (check a user's spec with
 * tool_store_check_spec first).  On failure returns NULL with err set; the file is left
 * untouched. */
tool_store *tool_store_open(const char *spec, int flags, char *err);

/* Why tool_store_open_ex failed: whether the store could not be used (a failure) or what
 * it holds was refused (bad input), which a command that checked the store before its work
 * and opens it again after tells apart.  Codes only grow. */
typedef enum tool_store_fault {
    TOOL_STORE_FAULT_NONE = 0, /* it opened */
    /* The store could not be found, reached, opened, read or written: a missing file or
     * database, an I/O error, a lock outlasting the busy timeout, a PostgreSQL server
     * down or refusing the connection, a role that may not record, out of memory. */
    TOOL_STORE_FAULT_ACCESS,
    /* What the store holds was refused: a file that is not an SQLite database, is
     * truncated or corrupt (SQLite's header, a damaged page), an SQLite database that is
     * not tach's, or a tach store whose tach_meta or tables are damaged; or what is in its
     * place is no file (a directory, a FIFO, a device): a path that names no store. */
    TOOL_STORE_FAULT_DAMAGED,
    /* A store written by a newer tach (its schema_version above TOOL_STORE_SCHEMA). */
    TOOL_STORE_FAULT_NEWER,
    /* A store this process may not write, opened to write (TOOL_STORE_CREATE or
     * TOOL_STORE_CHECK): an SQLite file, or its directory, it may not write (read-only,
     * immutable; "cannot write store PATH: ..."), a PostgreSQL role that may not record
     * ("cannot write store URL: its role R may not ...").  Not a failure: the user's to
     * fix, as a store refused so before a run is. */
    TOOL_STORE_FAULT_DENIED,
} tool_store_fault;

/* tool_store_open, and *fault (may be NULL) says why it failed: TOOL_STORE_FAULT_NONE
 * when it opened. */
tool_store *tool_store_open_ex(const char *spec, int flags, tool_store_fault *fault, char *err);
/* Closes the store; NULL ok. */
void tool_store_close(tool_store *s);
/* The path or URL the store was opened with, for messages: a URL's password
 * (user:password@) reads "***".  Valid until close. */
const char *tool_store_name(const tool_store *s);
tool_store_kind tool_store_kind_of(const tool_store *s);
/* The schema version found in the store (after any migration). */
int tool_store_schema_version(const tool_store *s);
/* True once an operation on s failed because the store is damaged (SQLite: a corrupt page
 * met while reading; either backend: a row tach never writes, as a hand-edited store may
 * hold: a NULL where tach always writes a value, text where it writes a number, a negative
 * count, samples that do not match their count, one run id twice, a baseline naming a run
 * not there, a results document missing or unreadable): the tool treats that as bad input
 * (exit 2), not as a failure. */
bool tool_store_is_corrupt(const tool_store *s);
/* The first damaged row found ("store NAME is damaged: ..."), or NULL when none was (a
 * damaged SQLite page has no such message). */
const char *tool_store_damage(const tool_store *s);

/* ---- recording -------------------------------------------------------------- */

typedef struct tool_run_meta {
    const char *commit;         /* full git SHA, or NULL outside a work tree */
    const char *branch;         /* NULL when unknown or detached */
    const char *subject;        /* the commit's subject line, or NULL */
    int dirty;                  /* 1 dirty work tree, 0 clean, -1 unknown */
    const tach__param *tags;    /* --tag k=v pairs (name = k); may be NULL */
    size_t ntags;
    const char *machine;        /* fingerprint; NULL: tach__env_fingerprint(doc->context), or
                                 * none when the context lacks a fact (another tool's file) */
    const char *machine_desc;   /* e.g. "host: CPU model, 2 cpus, 4 GiB"; NULL: derived from context */
    const char *tach_version;   /* NULL: tach_version() */
    const char *time;           /* ISO 8601 UTC; NULL: context "date", else now */
    int64_t replaces;           /* a run this one replaces (0: none): in the same
                                 * transaction its rows go and its baselines move to the
                                 * new run (tach soak --resume: one record per soak) */
    const char *replaces_name;  /* with replaces: the run is replaced only when it holds
                                 * one benchmark, of this name (NULL: no check) ... */
    const char *replaces_since; /* ... recorded at or after this ISO 8601 time (NULL: no
                                 * check); else it is left alone and the new run is added */
    bool *replaced;             /* may be NULL: set to whether replaces was replaced */
    bool once;                  /* not when a run of the store carries doc's run_uid
                                 * already (tool_store_find_run_uid), checked inside the
                                 * write transaction: two records of one document at once
                                 * store it once (TOOL_STORE_RECORDED_ALREADY) */
} tool_run_meta;

/* Records doc as one run, in one transaction; *run_id (may be NULL) receives its id (ids
 * grow: a later run has a larger id).  meta may be NULL (all unknown).  The store keeps
 * the whole document as JSON, and one row per benchmark.  A PostgreSQL connection found
 * lost before the transaction's COMMIT (a server restarted since the store was opened, or
 * during the write) is made again once (PQreset) and the run written again from the
 * start; lost at COMMIT, the run may be stored, and is not written twice: that failure
 * returns TOOL_STORE_MAYBE_RECORDED, any other -1 (then nothing was stored); with
 * meta->once, TOOL_STORE_RECORDED_ALREADY when the run is there already.
 * Test hook: when the environment variable TACH_STORE_TEST_SLEEP_MS is set, the write
 * sleeps that long in the middle of the transaction (after the run row and about half of
 * the benchmark rows; after all of them when they fit in one statement of 64) so that
 * tests can kill a writer mid-run; with TACH_STORE_TEST_MARK set
 * too, it first creates that (empty) file, so a test knows when the transaction is open. */
int tool_store_record(tool_store *s, const tach__doc *doc, const tool_run_meta *meta,
                       int64_t *run_id, char *err);

/* The run doc is already recorded as, by the unique id its context carries ("run_uid",
 * docs/results-format.md: the document tach bench keeps for a later record has it, as
 * do a run's export and the run its own record stored): a record killed after its
 * COMMIT, before the kept file went, or an export of a recorded run is found so and not
 * recorded twice.  0 with *id, TOOL_STORE_NOT_FOUND (no
 * such run, or doc has no run_uid or date), or -1 with err (a read failed). */
int tool_store_find_run_uid(tool_store *s, const tach__doc *doc, int64_t *id, char *err);

/* ---- runs -------------------------------------------------------------------- */

typedef struct tool_run_info {
    int64_t id;
    char *time;                 /* ISO 8601 UTC, e.g. 2026-11-23T13:45:01Z */
    char *commit, *branch, *subject; /* NULL when unknown */
    int dirty;                  /* 1, 0, or -1 unknown */
    tach__param *tags; size_t ntags;
    char *machine;              /* fingerprint (may be NULL) */
    char *machine_desc;         /* may be NULL */
    char *tach_version;         /* may be NULL */
    size_t nbenchmarks;         /* number of results in the run */
    size_t nfailed;             /* results whose status is not ok/skipped */
} tool_run_info;

/* Filters for tool_store_runs and tool_store_history; a zeroed filter means "all". */
typedef struct tool_run_filter {
    const char *machine;        /* fingerprint, exact; NULL any */
    const char *branch;         /* exact; NULL any */
    const char *commit;         /* a full SHA or a prefix of at least 4 hex digits; NULL any */
    const char *tag;            /* "k=v": runs carrying that tag; NULL any */
    int64_t after_id;           /* only runs with id > after_id (0: no bound) */
    int64_t before_id;          /* only runs with id < before_id (0: no bound) */
    size_t last;                /* 0: all.  Not one meaning: tool_store_runs and
                                 * _benchmark_names take the newest `last` runs that match;
                                 * tool_store_history the newest `last` runs holding its
                                 * one benchmark, reaching back past runs that lack it (for
                                 * the newest N runs, bound it with after_id instead) */
} tool_run_filter;

/* Runs matching f (NULL: all), NEWEST FIRST (descending id). */
int tool_store_runs(tool_store *s, const tool_run_filter *f, tool_run_info **out,
                     size_t *n, char *err);
void tool_run_infos_free(tool_run_info *runs, size_t n);
void tool_run_info_clear(tool_run_info *r); /* frees r's members, zeroes it */

/* One run's record.  0, TOOL_STORE_NOT_FOUND or -1. */
int tool_store_run_get(tool_store *s, int64_t id, tool_run_info *out, char *err);
/* The id of the newest run (matching f, may be NULL).  0, NOT_FOUND (empty store) or -1. */
int tool_store_latest(tool_store *s, const tool_run_filter *f, int64_t *id, char *err);
/* The newest run on a commit (full SHA or a prefix of >= 4 hex digits; resolving a git ref
 * to a SHA is the caller's job), optionally on one machine (NULL any).  0, NOT_FOUND, -1. */
int tool_store_latest_on_commit(tool_store *s, const char *commit, const char *machine,
                                 int64_t *id, char *err);

/* The whole results document of a run.  0 (*out owned by the caller), NOT_FOUND, -1. */
int tool_store_load(tool_store *s, int64_t id, tach__doc **out, char *err);
/* The document exactly as stored (JSON text, as recorded: hash it for evidence).
 * 0 (*json malloc'd, NUL-terminated; *len may be NULL), NOT_FOUND, -1. */
int tool_store_load_json(tool_store *s, int64_t id, char **json, size_t *len, char *err);

/* ---- one run's benchmarks, fast (no JSON parsing) ------------------------------ */

typedef struct tool_bench_row {
    char *name;
    tach__status status;
    double median, median_lo, median_hi; /* ns per iteration; NaN when no samples */
    double mean;
    double cv;                  /* NaN when undefined */
    size_t n;                   /* number of samples */
    double *sample_ns;          /* the n raw per-iteration sample times (NULL when n == 0) */
} tool_bench_row;

/* A run's benchmarks in recorded order, with their raw samples, read from the per-benchmark
 * table.  0, NOT_FOUND (no such run), -1. */
int tool_store_run_benchmarks(tool_store *s, int64_t id, tool_bench_row **out, size_t *n,
                               char *err);
void tool_bench_rows_free(tool_bench_row *rows, size_t n);

/* ---- history of one benchmark ------------------------------------------------ */

typedef struct tool_history_point {
    int64_t run_id;
    char *time;                 /* ISO 8601 UTC */
    char *commit, *branch;      /* NULL when unknown */
    char *machine;              /* NULL when unknown */
    tach__status status;
    double median, median_lo, median_hi, mean; /* NaN when no samples */
    size_t n;                   /* number of samples */
} tool_history_point;

/* The benchmark `name` (exact) over the runs matching f (NULL: all), OLDEST FIRST
 * (ascending run id; with f->last, the newest `last` runs holding it, every row of each
 * (the schema lets a run hold a name twice, though tach record refuses it): runs without it do not
 * count, unlike tool_store_runs' `last`).  Served from the per-benchmark table, indexed by name.
 * An unknown name gives 0 points (not an error). */
int tool_store_history(tool_store *s, const char *name, const tool_run_filter *f,
                        tool_history_point **out, size_t *n, char *err);
void tool_history_free(tool_history_point *pts, size_t n);

/* Every distinct benchmark name in the store (in runs matching f, NULL: all), sorted
 * (byte order).  *names is an array of n malloc'd strings; free with tool_names_free. */
int tool_store_benchmark_names(tool_store *s, const tool_run_filter *f, char ***names,
                                size_t *n, char *err);
void tool_names_free(char **names, size_t n);

/* ---- baselines: a name for a run ------------------------------------------------- */

typedef struct tool_baseline {
    char *name;
    int64_t run_id;
    char *time;                 /* when it was saved, ISO 8601 UTC */
} tool_baseline;

/* Whether name can name a baseline (what tool_store_baseline_save checks first): not
 * empty, letters, digits and . _ - / + @, not all digits (a run id), not 4 or more hex
 * digits alone (a commit SHA or its prefix), not "latest", at most 200 bytes.  0, or -1 with a message naming it; the store is not needed. */
int tool_store_baseline_check_name(const char *name, char *err);
/* Saves (or moves) baseline `name` to run_id.  NOT_FOUND when the run does not exist. */
int tool_store_baseline_save(tool_store *s, const char *name, int64_t run_id, char *err);
/* 0 with *run_id, NOT_FOUND, -1 (also when the run it names is not there: damage). */
int tool_store_baseline_get(tool_store *s, const char *name, int64_t *run_id, char *err);
/* All baselines sorted by name. */
int tool_store_baseline_list(tool_store *s, tool_baseline **out, size_t *n, char *err);
void tool_baselines_free(tool_baseline *b, size_t n);
/* 0, NOT_FOUND, -1. */
int tool_store_baseline_rm(tool_store *s, const char *name, char *err);

/* ---- suites, and the runs compared by default (store_suite.c) -------------------- */

/* The baseline compared against when no run is named (`tach baseline save main`). */
#define TOOL_STORE_MAIN_BASELINE "main"

/* One store may hold several suites (a benchmark binary's runs beside a stray `tach run
 * -c true`).  Two runs are of the same suite when they have a benchmark name in common
 * (the same binary or command set measured them; load runs' "overall" does not count):
 * only then can they be compared.  False when either cannot be read.
 * The look-ups below take a damaged page for "none": check tool_store_is_corrupt after. */
bool tool_store_same_suite(tool_store *s, int64_t a, int64_t b);
/* The newest run before `before` of the same suite as run `like`, on `machine` (a
 * fingerprint) when not NULL, looked for through every earlier run; 0 when there is none. */
int64_t tool_store_prev_of_suite(tool_store *s, int64_t like, int64_t before, const char *machine);

/* Whether run `run` is the first of its suite after a run of another (a stray `tach run
 * -c true` recorded before it): *prev gets the run just before it when neither that run
 * nor any of the 200 before it has a benchmark in common with `run`; 0 when one has, or
 * when `run` is the first run.  0, or -1 on a failure (a damaged store:
 * tool_store_is_corrupt; or a read that failed, which may have hidden a run of its
 * suite: err its message), *prev 0. */
int tool_store_first_of_suite(tool_store *s, int64_t run, int64_t *prev, char *err);

/* The run that run `run` is compared against when no baseline is named: the baseline
 * "main" when it is saved, is not `run` itself, and is of run's suite; else the newest
 * earlier run of run's suite on run's machine, else on any machine.  0 with *base that
 * run, or 0 when there is none; *is_main (may be NULL) tells whether it is main.  -1 on
 * a failure (a damaged store: tool_store_is_corrupt; or a read that failed, which may
 * have hidden the base: err its message), *base 0. */
int tool_store_default_base(tool_store *s, int64_t run, int64_t *base, bool *is_main, char *err);

/* The pair of runs compared when no run is named at all -- the one rule of `tach
 * compare`, `tach gate`, `tach report` and `tach certify` without run arguments:
 *   - baseline "main", when saved and not the latest run, against the latest run of
 *     main's suite: the latest run when it is of that suite, else the newest run of
 *     main's suite recorded after main (note says so);
 *   - else the latest run against its default base (tool_store_default_base); note
 *     names main when main was saved but of another suite with no run of its suite
 *     after it.  When the latest run has none (the first run of its suite), there is no
 *     pair: never the latest two runs of another suite.
 * 0 with *out filled; TOOL_STORE_NOT_FOUND with a message when there is no such pair (an
 * empty store, a single run, a latest run that is the first of its suite); -1 on a failure
 * (a damaged store: tool_store_is_corrupt; or a read that failed, err its message). */
typedef struct tool_default_pair {
    int64_t base, run;   /* compare run against base */
    bool base_is_main;   /* base is the baseline "main" */
    char note[320];      /* "" or why the pair is not main (or the run before) against the
                          * latest run: a warning to show, without "tach: " */
} tool_default_pair;
int tool_store_default_pair(tool_store *s, tool_default_pair *out, char *err);

/* The pair `tach gate` judges when no run is named: always the latest run (the run a CI
 * job just made), never a run of main's suite in its place.  As tool_store_default_pair
 * when main is of the latest run's suite; else the latest run against its default base
 * (the newest earlier run of its suite), note naming main and why it was not used; no
 * such run is TOOL_STORE_NOT_FOUND (err names main when it was saved), the gate then
 * checking the latest run's targets alone. */
int tool_store_gate_pair(tool_store *s, tool_default_pair *out, char *err);

#endif /* TACH_STORE_H */
