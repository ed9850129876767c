/*
 * store_cli.h - the tach tool's side of the history store (cli_ prefix): choosing and
 * opening the store (--store / TACH_STORE / .tach discovery), git information,
 * recording a document with everything a run carries, and keeping it for a later `tach
 * record` when that fails (unrecorded.c).
 *
 * Functions returning an int return a CLI exit status (CLI_OK, CLI_USAGE, CLI_FAIL) and
 * have already printed one "tach CMD: ..." line on stderr when it is not CLI_OK.
 */
#ifndef TACH_STORE_CLI_H
#define TACH_STORE_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "store.h"
#include "tach_internal.h"

/* The store spec chosen: opt (a --store value) if not NULL, else $TACH_STORE if set and
 * not empty, else NULL (meaning the default .tach/tach.db discovery). */
const char *cli_store_spec(const char *opt);

/* Opens the store chosen by cli_store_spec(opt).  create: create it if absent (the
 * default location is created by recording commands; readers pass false and get a clear
 * "no store" message).  On failure prints the reason and returns CLI_USAGE (a corrupt,
 * foreign or newer store is bad input: exit 2, the file untouched). */
int cli_store_open(const char *opt, bool create, tool_store **out);
/* cli_store_open(opt, false, ...) without a word, for a command that says why in a line
 * of its own (certify --verify): the store, or NULL with the reason in why (TACH__ERR_MAX
 * bytes), the same reason cli_store_open prints. */
tool_store *cli_store_open_quiet(const char *opt, char *why);
/* cli_store_open for a command that writes (record, baseline save/rm): every page of an
 * SQLite store is checked first (TOOL_STORE_CHECK), so a damaged store is refused with
 * exit 2 and left byte for byte as it was, not written into. */
int cli_store_open_to_write(const char *opt, bool create, tool_store **out);

/* Checks that the chosen store can be opened for writing, before a run starts, so that a
 * corrupt or foreign store is refused before anything runs (SQLite: every page's structure
 * is checked, TOOL_STORE_CHECK).  Creates it if absent.
 * Returns CLI_OK or CLI_USAGE (message printed). */
int cli_store_precheck(const char *opt);

/* Git facts about the current directory's work tree; all NULL / -1 outside one or when
 * git is absent.  Strings are malloc'd; free with cli_git_info_free. */
typedef struct cli_git_info {
    char *commit, *branch, *subject;
    int dirty; /* 1, 0, or -1 unknown */
} cli_git_info;
void cli_git_info_get(cli_git_info *g);
void cli_git_info_free(cli_git_info *g);
/* `git rev-parse --verify REF^{commit}`: the full SHA (malloc'd) or NULL. */
char *cli_git_resolve(const char *ref);

/* What a run NOT recorded leaves for a `tach record` later, which its line names: the
 * file tach kept its document in (kept, cli_kept: "; its results are kept in KEPT (tach
 * record KEPT records them)"), else a file of the user's that tach record records (file:
 * a --export-json FILE, a soak's series file: "; record it later with: tach record FILE",
 * the path shell-quoted where it needs it, with a --tag for each of tags, the run's).
 * NULL, or all NULL: nothing is said. */
typedef struct cli_later {
    const char *kept, *file;
    char *const *tags;
    size_t ntags;
} cli_later;

/* Opens the store chosen by opt (--store or NULL) to record a run that is done, as
 * `tach run`, `suite`, `load`, `bench` and `soak` do once cli_store_precheck passed
 * before it: created if absent, every page checked (TOOL_STORE_CHECK).  One that cannot
 * be opened by then says "the run was NOT recorded: WHY": a store that cannot be used
 * (a PostgreSQL server down, TOOL_STORE_FAULT_ACCESS) is a failed write, CLI_FAIL; one
 * damaged since, replaced by a file that is not a tach store or by no file (a
 * directory), written by a newer tach, or that this process may no longer write
 * (TOOL_STORE_FAULT_DENIED: made read-only, a role's right revoked) is bad input,
 * CLI_USAGE.  The line goes on with later's note (cli_later; for
 * TOOL_STORE_MAYBE_RECORDED, cli_store_record_failed, "... records them unless they are
 * recorded").  Returns CLI_OK with *out, else *out NULL. */
int cli_store_open_to_record(const char *opt, const cli_later *later, tool_store **out);
/* Reports a run's record that failed (rc and err, from tool_store_record) as
 * cli_store_failed does, its line ending "; the run was NOT recorded" -- or, for
 * TOOL_STORE_MAYBE_RECORDED, "; the connection was lost at COMMIT: the run may or may not
 * be recorded; check with tach history"; then later's note (cli_store_open_to_record):
 * CLI_FAIL (CLI_USAGE for a damaged store). */
int cli_store_record_failed(const tool_store *s, int rc, const char *err, const cli_later *later);

/* Records doc in the store s with git facts, machine fingerprint and tags (k=v strings,
 * ntags may be 0).  Prints "tach CMD: recorded run N in STORE" on stderr unless quiet.
 * Returns CLI_OK, CLI_USAGE (a bad tag, named) or CLI_FAIL (the store failed: its line
 * ends "the run was NOT recorded"; cli_store_record_failed, later may be NULL). */
int cli_store_record_doc(tool_store *s, const tach__doc *doc, char **tags, size_t ntags,
                         bool quiet, const cli_later *later, int64_t *run_id);
/* cli_store_record_doc, unless the run of doc (its context.run_uid) is in s already,
 * checked inside the record's transaction (tool_run_meta.once): then nothing is written
 * nor said, *already true, *run_id that run's id, CLI_OK (tach record: two records of
 * one file at once store it once). */
int cli_store_record_doc_once(tool_store *s, const tach__doc *doc, char **tags, size_t ntags,
                              bool quiet, const cli_later *later, int64_t *run_id, bool *already);

/* ---- a run's document kept for a later record (unrecorded.c) ---------------------- */

/* A run's document kept in the project's .tach/unrecorded/ while its record is tried
 * (tach bench; run, load and suite without a --export-json file), so that a record that
 * fails -- or never ends: a tach killed while it waits for a lock (60 s, SQLite's busy
 * timeout) or a server (10 s to connect) -- loses no measurement: `tach record PATH`
 * records it later, with its tags, and removes the file. */
typedef struct cli_kept {
    char *path;     /* the file (absolute when tach_dir is), NULL when not kept */
    char *tach_dir; /* the .tach folder it is in */
    bool made;      /* tach_dir was made for it */
    char why[TACH__ERR_MAX]; /* why not kept */
} cli_kept;
/* Writes doc, with tags (KEY=VALUE strings) beside it, to
 * TACH_DIR/unrecorded/KIND-TIME-PID.json (folders made as needed): 0 with k->path, or -1
 * with k->why (the record is tried all the same; the caller says why when it fails too:
 * a silent loss would not be).  k need not be initialized; release it with cli_kept_drop
 * or cli_kept_free. */
int cli_kept_write(cli_kept *k, const char *tach_dir, const char *kind, const tach__doc *doc,
                   char *const *tags, size_t ntags);
/* The run is recorded: the file goes, its folder when nothing else is in it, and .tach
 * when made for kept files and empty (cli_unrecorded_rmdir); k released.  Nothing kept:
 * only the folders. */
void cli_kept_drop(cli_kept *k);
/* Removes dir, a .tach/unrecorded folder, when it is empty, and then the .tach holding it
 * when tach made that .tach for kept files (cli_kept_write marks the folder so) and it
 * holds nothing else: whichever run of the project made it, the last one out removes it;
 * a .tach of the user's own stays.  True when dir is gone. */
bool cli_unrecorded_rmdir(const char *dir);
/* The run is NOT recorded: the file stays for a tach record; k released. */
void cli_kept_free(cli_kept *k);
/* The project's .tach folder, where the default store is or would be
 * (tool_store_default_path: the nearest .tach above the current directory, else its
 * own), made or not: an absolute path (tach__free), or NULL with err. */
char *cli_project_tach_dir(char *err);

/* Gives a run's document context a unique id, "run_uid" (32 hex digits, random;
 * docs/results-format.md), before the document is exported, kept for a later record or
 * recorded (tach run, suite, load, bench; soak's series header): `tach record` of such a
 * file finds the run in the store by it when it is recorded already (a tach killed after
 * its COMMIT, an export of a recorded run), and does not record it twice
 * (tool_store_find_run_uid).  Nothing when no random bytes can be had. */
void cli_set_run_uid(json_t *context);

/* The command line a recorded document keeps (context.command_line): "tach", then argv
 * (which starts at the command's name: "run", "suite", ...), each word with a password in
 * a URL redacted (tach__redact), so that the line a report shows is one to run again and
 * holds no secret.  A new array, or NULL when out of memory. */
json_t *cli_command_line(int argc, char **argv);

/* The hook `tach run` (suite, load: kind) calls after a run completes: records doc in
 * the store chosen by store_opt (--store or NULL) unless no_store, opened by
 * cli_store_open_to_record, with tags (k=v strings).  export_json: the file the run's
 * --export-json wrote, or NULL (none, or standard output).  A run NOT recorded says how
 * to record it later (cli_later): with its export, tach record FILE and its --tag's;
 * without one, its document is kept in .tach/unrecorded/ (cli_kept_write, as tach bench
 * does) while the record is tried, and named.  Returns a CLI exit status. */
int cli_run_record(const tach__doc *doc, const char *kind, const char *store_opt, bool no_store,
                   char **tags, size_t ntags, const char *export_json);

/* Resolves a run reference to a run id: a run id (digits), "latest", a baseline name, or a
 * git ref / SHA prefix (the newest run on that commit).  Returns CLI_OK, or CLI_USAGE with
 * a message naming ref, or the store when a read failed (cli_store_read_failed). */
int cli_store_resolve_run(tool_store *s, const char *ref, int64_t *id);
/* The same, a reference naming no run returned as CLI_USAGE without a word (a failed
 * read is still said): for a caller with a better message (report --since FILE). */
int cli_store_find_run(tool_store *s, const char *ref, int64_t *id);

/* How spec, when it names an existing path that is not a regular file, is no results
 * file: "is a directory, not a results file" or "is not a regular file (a results
 * file)"; NULL when it names no path or a regular file. */
const char *cli_path_not_file(const char *spec);

/* Whether spec, a run reference or results file that is not a regular file (a RUN or
 * --baseline of report, certify, push, profile), is for the store: CLI_OK, else the
 * error of a results file that cannot be read (printed, CLI_USAGE): a name with ".json"
 * in it, or a path (a '/' in it) that exists but is a directory or a special file.  A
 * missing path with a '/' is a git ref or a baseline (feature/x, origin/main, a baseline
 * x/y), as `tach compare` takes it: the store resolves it or says it has no such run. */
int cli_check_file_spec(const char *spec);

/* Reports a failed store READ (err) after the store opened -- a lock outlasting the busy
 * timeout, an I/O error, a lost connection -- in one line naming the store: exit status 2,
 * as a store that cannot be opened, never 1 (a regression, a failed benchmark, a
 * certificate REJECTED); a damaged store (tool_store_is_corrupt) is 2 as well.  The
 * caller writes nothing after it. */
int cli_store_read_failed(const tool_store *s, const char *err);
/* Reports a failed store WRITE (err: a run, a baseline not saved) in one line naming the
 * store: exit status 1, what record, baseline, run and soak document for it; 2 when the
 * store turned out to be damaged (tool_store_is_corrupt: bad input). */
int cli_store_failed(const tool_store *s, const char *err);
/* CLI_OK while the store has met no damaged page or row; else reports it (exit status 2).  For
 * the end of work whose lookups may have read a damaged page and taken it as "none"
 * (tool_store_same_suite, tool_store_prev_of_suite). */
int cli_store_check_intact(const tool_store *s);

/* ---- memory in tach history (history_memory.c) ---------------------------------- */

/* The results of stored runs, each run's document loaded once. */
typedef struct cli_hist_mem cli_hist_mem;
cli_hist_mem *cli_hist_mem_new(tool_store *st); /* NULL when out of memory */
void cli_hist_mem_free(cli_hist_mem *c);         /* NULL ok */
/* The result called name in run run_id, or NULL (no such run or result); *doc (when
 * not NULL) gets its run's document. */
const tach__result *cli_hist_mem_result(cli_hist_mem *c, int64_t run_id, const char *name,
                                        const tach__doc **doc);
/* Why the first run's document that cli_hist_mem_result could not load was not (a
 * damaged document, a failed read: the store named), or NULL when every one loaded. */
const char *cli_hist_mem_error(const cli_hist_mem *c);
/* Adds r's memory (allocs_per_iter ... leak, peak_rss_bytes) to a history JSON point; a
 * command's peak RSS at or below tach's own (tach__result_rss_bound_only: tach's pages,
 * not the command's) as peak_rss_at_most_bytes instead. */
void cli_hist_mem_json(json_t *point, const tach__doc *d, const tach__result *r);
/* "3 allocs/iter, 300 B/iter, peak 300 B, growth 0 B/iter, peak RSS 1.6 MiB  LEAK";
 * "peak RSS ≤ 11.4 MiB (tach's own)" for a command's peak that is only a bound; "peak
 * RSS 2 MiB (heap not counted: why)" for a binary whose heap could not be counted;
 * false when r has no memory figures. */
bool cli_hist_mem_line(const tach__doc *d, const tach__result *r, char *buf, size_t size);

/* ---- --quick runs in tach history and tach site (run_quick.c) -------------------- */

/* Which runs were `tach suite ... --quick` smoke runs (their document's
 * context.suite.quick, as tach report marks them), each run's document read once.  Set
 * st and zero the rest before use; free with cli_quick_runs_free. */
typedef struct cli_quick_runs {
    tool_store *st;
    int64_t *ids;   /* sorted */
    bool *quick;
    size_t n, cap;
} cli_quick_runs;
/* *quick: whether run id was a --quick run.  0, or -1 with err (the store failed, or out
 * of memory). */
int cli_run_quick(cli_quick_runs *c, int64_t id, bool *quick, char *err);
void cli_quick_runs_free(cli_quick_runs *c); /* NULL ok */
/* "note: runs 2 and 5 were tach suite --quick runs: smoke tests, not figures to publish"
 * (ids sorted, the first 10 named) on f; nothing when n is 0. */
void cli_quick_note(FILE *f, const int64_t *ids, size_t n);

#endif /* TACH_STORE_CLI_H */
