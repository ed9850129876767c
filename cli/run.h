/*
 * run.h - internals of `tach run` (cli/cmd_run.c and cli/run_*.c).
 *
 * The measuring path is split so that each file holds one concern:
 *   cmd_run.c      the order of things: checks, setup, rounds, summary, exports, store
 *   run_units.c    the units measured: one per command and parameter combination
 *   run_options.c  the command line and --help (one option table, src/core/options.h)
 *   run_spawn.c    starting a prepared command and timing it (posix_spawn, wait4)
 *   run_command.c  turning the command line into argv vectors: word splitting,
 *                  {NAME} substitution, parameter scans, PATH lookup
 *   run_bench.c    driving a libtach benchmark binary in worker processes
 *   run_report.c   the terminal output: per-command summary, comparison, progress bar
 * and the formats: src/format/ (format.h), written out by export_file.c.
 */
#ifndef TACH_CLI_RUN_H
#define TACH_CLI_RUN_H

#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tach_internal.h"

/* ---- starting and timing one command (run_spawn.c) ----------------------- */

typedef enum cli_output_kind {
    CLI_OUTPUT_NULL = 0, /* stdout and stderr to /dev/null (the default) */
    CLI_OUTPUT_PIPE,     /* through a pipe that tach reads and discards */
    CLI_OUTPUT_INHERIT,  /* tach's own stdout and stderr */
    CLI_OUTPUT_FILE      /* appended to one file, truncated once at the start */
} cli_output_kind;

/* Where every run's standard streams go, and the signal plumbing.  Set up once with
 * cli_spawner_init before the first run; every fd is close-on-exec in tach. */
typedef struct cli_spawner {
    cli_output_kind output;
    int in_fd;              /* /dev/null or --input FILE (rewound before each run) */
    bool in_rewind;
    bool in_copy;           /* --input is a pipe or socket: copied to a file by init */
    int out_fd;             /* /dev/null or the --output FILE; -1 for pipe / inherit */
    int err_fd;             /* output null: the fd number each run's stderr pipe is kept
                             * at (/dev/null between runs); else -1 */
    char *err_buf;          /* output null: the end of the latest run's stderr, read from
                             * that pipe (its last CLI_TAIL_BYTES at least, never a file
                             * the size of what it wrote), so that a failure can show its
                             * last lines (cli_spawner_err_tail) */
    size_t err_len;         /* bytes held in err_buf */
    bool err_cut;           /* what err_buf holds is the end of more */
    int pipe_w_fixed;       /* pipe mode: the fd number the child's end is kept at */
    int sig_fd;             /* signalfd for SIGCHLD, SIGINT, SIGTERM, SIGHUP (blocked in tach) */
    int null_fd;            /* /dev/null, read-write */
    int psi_fd;             /* /proc/pressure/cpu, -1 when the kernel has no PSI */
    bool ready;             /* init completed: the spawn attributes must be destroyed */
    bool masked;            /* signals blocked: old_mask must be restored */
    sigset_t old_mask;      /* the mask before init, restored by cli_spawner_close */
    posix_spawn_file_actions_t fa, fa_quiet;
    posix_spawnattr_t attr;
    volatile bool interrupted; /* SIGINT, SIGTERM or SIGHUP seen */
    int interrupt_sig;      /* which of them came first (0: none); exit status 128 + it */
    double sigint_grace_s;  /* > 0: on SIGINT, cli_spawn_wait passes it on to the child's
                             * process group and lets it finish for this long (a libtach
                             * binary then writes what it measured) before SIGKILL */
    const char *capture_dir; /* cli_spawn_capture's working directory (NULL: tach's) */
} cli_spawner;

/* One run's measurements. */
typedef struct cli_run_sample {
    double wall_ns, user_ns, sys_ns, max_rss_kib;
    double minor_faults, major_faults, vol_ctxsw, invol_ctxsw;
    double cpu_stall_ns;    /* the machine's CPU pressure stall ("some") during the run,
                             * /proc/pressure/cpu; NaN without it */
    int exit_code;          /* the exit status, or -signal when killed, or
                             * CLI_EXIT_UNKNOWN */
} cli_run_sample;

/* exit_code of a child whose end could not be read (its wait failed, or a status neither
 * an exit nor a signal): no signal's number, never "killed by signal 1". */
#define CLI_EXIT_UNKNOWN (-1000)
/* The signal that killed a child whose exit_code (as in cli_run_sample) this is, else 0:
 * an exit status, or CLI_EXIT_UNKNOWN (no signal's number: a failure, never a crash). */
int cli_exit_signal(int exit_code);

typedef enum cli_run_outcome {
    CLI_RUN_DONE = 0,       /* the child ended (see exit_code) */
    CLI_RUN_TIMEOUT,        /* killed after the timeout */
    CLI_RUN_INTERRUPTED,    /* SIGINT: the child was killed (or, with sigint_grace_s,
                             * passed the SIGINT and ended); the sample is void */
    CLI_RUN_SPAWN_FAILED    /* posix_spawn failed; errno-style code in exit_code */
} cli_run_outcome;

/* input: NULL for /dev/null; output_file: for CLI_OUTPUT_FILE.  0 or -1 with err. */
int cli_spawner_init(cli_spawner *sp, const char *input, cli_output_kind output,
                     const char *output_file, char *err);
/* The same, a pipe given as input (read whole first, under the signal mask: -1 with
 * sp->interrupted set when SIGINT, SIGTERM or SIGHUP stopped it) failing when it gives
 * nothing, neither data nor its end, for input_idle_ns (0: no bound).  The output file
 * is truncated only once the input was read. */
int cli_spawner_init_input(cli_spawner *sp, const char *input, uint64_t input_idle_ns,
                           cli_output_kind output, const char *output_file, char *err);
void cli_spawner_close(cli_spawner *sp);
/* The last lines of the latest timed run's stderr (output null; cli_text_tail), or NULL.
 * Caller frees (tach__free). */
char *cli_spawner_err_tail(const cli_spawner *sp);
/* 0, or once SIGINT, SIGTERM or SIGHUP was seen the exit status it asks for (128 + the
 * first of them: 130, 143, 129).  Read it before a spawner used only to probe a target
 * is closed: a Ctrl-C that ended the probe must stop tach, not read as "no answer". */
int cli_spawner_stop_status(const cli_spawner *sp);
/* Starts path/argv with envp and waits for it, timing it.  timeout_ns 0 = none.  quiet:
 * stdout and stderr to /dev/null whatever --output says (prepare/setup commands), and what
 * it leaves running kept; a timed run's leftovers in its process group are killed once it
 * ended. */
cli_run_outcome cli_spawn_timed(cli_spawner *sp, const char *path, char *const argv[],
                                char *const envp[], uint64_t timeout_ns, bool quiet,
                                cli_run_sample *out);
/* Starts path/argv with stdout captured into a malloc'd string (at most max bytes),
 * stderr to /dev/null, in sp->capture_dir when set; *exit_code as in cli_run_sample.
 * Returns the output or NULL. */
char *cli_spawn_capture(cli_spawner *sp, const char *path, char *const argv[],
                        char *const envp[], size_t max, uint64_t timeout_ns, int *exit_code);
/* Starts path/argv with stdin from /dev/null, stdout to out_fd and stderr to err_fd
 * (-1: /dev/null) and waits for it.  *exit_code as in cli_run_sample (an errno value
 * for CLI_RUN_SPAWN_FAILED). */
cli_run_outcome cli_spawn_wait(cli_spawner *sp, const char *path, char *const argv[],
                               char *const envp[], int out_fd, int err_fd, uint64_t timeout_ns,
                               int *exit_code);
/* Waits for pid, a child already started (cli_child_fork with own_group and
 * sp->old_mask), as cli_spawn_wait waits for the one it starts. */
cli_run_outcome cli_spawn_wait_pid(cli_spawner *sp, pid_t pid, uint64_t timeout_ns, int *exit_code);
/* "killed by signal 11 (SIGSEGV)" style name of a signal, into buf; for
 * -CLI_EXIT_UNKNOWN "ended with a status tach could not read". */
const char *cli_signal_describe(int sig, char *buf, size_t size);
/* How a --setup, --prepare or --cleanup command that did not succeed ended, after "the
 * command 'x' ": "could not start: ...", "timed out: ...", "failed with exit code 1",
 * "was killed by signal 9 (SIGKILL)" or, CLI_EXIT_UNKNOWN, "ended with a status tach
 * could not read ...", into buf (oc is not CLI_RUN_INTERRUPTED). */
const char *cli_aux_failure(cli_run_outcome oc, int exit_code, double timeout_s, char *buf, size_t size);

/* ---- commands, words and parameters (run_command.c) ---------------------- */

/* A scan longer than this is surely a typo (lo:hi swapped with a tiny step); so are more
 * commands than this, the commands times the parameters' combinations. */
#define CLI_PARAM_MAX_VALUES 100000

/* A --param axis: its name and its values as strings. */
typedef struct cli_param_axis {
    char *name;
    char **values;
    size_t nvalues;
} cli_param_axis;

/* Parses "NAME=a,b,c" or "NAME=lo:hi[:step]" (integers; decimals need the step).  0 or -1 with err
 * naming the bad part (an empty list, lo > hi, a zero step, a malformed number). */
int cli_param_parse(const char *spec, cli_param_axis *out, char *err);
/* cli_param_parse, or with list_only the values only as a list a,b,c (hyperfine's -L
 * NAME VALUES: 1:3 is the one value 1:3, not a range). */
int cli_param_parse_as(const char *spec, bool list_only, cli_param_axis *out, char *err);
void cli_param_free(cli_param_axis *a);

/* Replaces every {NAME} of the axes with values[idx[i]] of axis i; other text is kept.
 * Returns a malloc'd string (NULL on allocation failure). */
char *cli_param_substitute(const char *text, const cli_param_axis *axes, size_t naxes,
                           const size_t *idx);
/* The same for a command /bin/sh runs (--prepare): a value that is not plain (letters,
 * digits, _./:=+,%@-) is put in single quotes, so that it stays one word and nothing in
 * it is expanded or run. */
char *cli_param_substitute_sh(const char *text, const cli_param_axis *axes, size_t naxes,
                              const size_t *idx);

/* Splits a command string into words like a shell would without expanding anything:
 * blanks separate words, '...' and "..." quote, backslash escapes.  Fails on an
 * unterminated quote, and on a word that is a shell operator (| || & && ; < > >> 2>&1 ...),
 * telling the user to pass --shell.  *argv is NULL-terminated, free with cli_words_free. */
int cli_words_split(const char *cmd, char ***argv, size_t *argc, char *err);
void cli_words_free(char **argv);
/* Joins argv into one line, quoting words that need it ("a 'b c'"). malloc'd. */
char *cli_words_join(char *const argv[]);
/* cli_words_join of argv's words as tach shows and keeps a command (a name, a label, a
 * message): each redacted by tach__redact_arg after the word before it, so that no
 * password given to it ("u:PW@", "--password PW") is shown or kept.  malloc'd; NULL
 * when out of memory. */
char *cli_words_shown(char *const argv[]);

/* Finds the executable argv0 names: a path with a '/' is checked as it is, otherwise
 * each directory of $PATH.  Returns the malloc'd path, or NULL with err ("command 'x'
 * not found" / "'./x' is not executable"), x shown redacted (tach__redact_arg) and
 * made safe for a terminal (tach__terminal_safe). */
char *cli_find_executable(const char *argv0, char *err);

/* ---- the units measured (run_units.c) ------------------------------------------ */

/* One thing measured: a command with one combination of parameter values. */
typedef struct cli_run_unit {
    size_t result;       /* index into doc->results (pointers move as the doc grows) */
    char *label;         /* the command as shown: each word redacted (tach__redact_arg) */
    char *path;          /* the executable */
    char **argv;         /* NULL-terminated */
    char **prep_argv;    /* [sh, -c, prepare] or NULL */
    size_t cap;          /* capacity of the result's per-run arrays */
    bool active;
    double sum_ns;
    char *err_tail;      /* the last lines of its failed run's stderr (cli_fd_tail), or NULL */
} cli_run_unit;

/* [shell, -c, cmd] as a NULL-terminated malloc'd vector (free with cli_words_free), or
 * NULL when out of memory. */
char **cli_sh_argv(const char *shell, const char *cmd);
struct cli_run_opts;
/* Builds one unit per command and parameter combination, each with its result added to
 * doc; every command is checked (words, then the executable).  Returns 0, or CLI_USAGE /
 * CLI_FAIL after printing why. */
int cli_units_build(const struct cli_run_opts *o, const char *shell_path, tach__doc *doc,
                    cli_run_unit **out, size_t *nout);
void cli_units_free(cli_run_unit *u, size_t n); /* NULL ok */

/* ---- the command line (run_options.c) -------------------------------------------- */

/* --style: auto (full on a terminal, else basic), full (colour, progress bar), basic, none. */
typedef enum cli_run_style { CLI_STYLE_AUTO, CLI_STYLE_FULL, CLI_STYLE_BASIC, CLI_STYLE_NONE } cli_run_style;

typedef struct cli_run_export {
    const char *format, *path;
} cli_run_export;

/* Everything `tach run` was told, as parsed (strings point into argv). */
typedef struct cli_run_opts {
    long warmup, runs, min_runs, max_runs;
    double min_time_s, max_time_s, precision, timeout_s;
    bool min_time_set, max_time_set;
    const char *max_time_opt; /* how the user spelled it: --total-time or --max-time */
    bool total_time_given, bench_time_given;
    double bench_time_s;      /* --bench-time: a binary's per-benchmark budget */
    const char *prepare, *setup, *cleanup;
    cli_param_axis *params;
    size_t nparams;
    /* hyperfine's -L NAME VALUES and -P NAME LO HI: the NAME words, read with the words
     * after them once the positional arguments are known (cli_run_parse_args) */
    struct cli_param_words {
        const char *name;
        size_t at;  /* its place among params */
        bool scan;  /* -P (LO HI), else -L (VALUES) */
    } *param_words;
    size_t nparam_words;
    const char *param_step; /* hyperfine's -D STEP, the step of its -P NAME LO HI scans */
    const char *input;
    cli_output_kind output;
    const char *output_file;
    bool ignore_all;
    int *ignore_codes;
    size_t nignore;
    int style;         /* a cli_run_style */
    uint64_t seed;
    bool seed_set;
    const char *shell; /* NULL: no shell */
    const char **cmds; /* -c */
    size_t ncmds;
    char **argv_cmd; /* after -- */
    size_t nargv_cmd;
    const char *binary; /* a positional: a benchmark binary */
    long processes;
    const char *filter;
    cli_run_export *exports;
    size_t nexports;
    const char *store;
    bool no_store;
    char **tags;
    size_t ntags;
    const char **names; /* -n/--command-name: the names of the first nnames commands */
    size_t nnames;
    bool help, version;
    bool binary_maybe;        /* binary is one word given without --: a binary when it
                               * answers --tach-probe, else a command */
    const char *command_only; /* the first option given that applies to commands only */
    const char *binary_only;  /* the first given that applies to a benchmark binary only */
    /* --counters[=LIST] (the mask, and the list as given, NULL for all) and --memory:
     * passed on to a benchmark binary; --counters also counts commands' runs */
    unsigned counters;
    const char *counters_list;
    bool memory;
    bool no_extra_rounds;     /* --no-extra-rounds: a binary's planned processes only */
    int metric;               /* 0 wall time, 1 instructions (under callgrind) */
    bool cache_sim;           /* --cache-sim, with --metric instructions */
    bool profile;             /* --profile (docs/profiling.md) */
    long profile_hz, top;
    const char *profile_dir;
} cli_run_opts;

/* ---- tach run --counters on commands (run_counters.c) --------------------------- */

/* The asked counters opened on tach, inherited by the commands it spawns and enabled
 * when they exec (docs/counters.md).  NULL when out of memory; counters that do not
 * open are recorded as absent by _after. */
typedef struct cli_run_counters cli_run_counters;
cli_run_counters *cli_run_counters_open(unsigned asked);
void cli_run_counters_close(cli_run_counters *c); /* NULL ok */
/* Reads the counters before a run is spawned ... */
void cli_run_counters_before(cli_run_counters *c);
/* ... and after it was waited for: r's counters become the mean per run over its
 * `runs` earlier runs and this one.  NULL c: nothing.  -1 when out of memory. */
int cli_run_counters_after(cli_run_counters *c, tach__result *r, size_t runs);
/* {"available": [...], "unavailable": {name: why}} for the run's context. */
json_t *cli_run_counters_probe(unsigned asked);

/* Parses tach run's arguments (argv[0] is "run") into o, checking every value.
 * Returns 0, -1 after printing --help, or CLI_USAGE after printing the bad value. */
int cli_run_parse_args(int argc, char **argv, cli_run_opts *o);
void cli_run_opts_free(cli_run_opts *o);
/* The option tach run itself passes each worker that the word a (an argument after --)
 * would give again ("max-time" for "--max-time=2"), or NULL when a may pass: tach run
 * refuses such a word (usage).  output: --format, --out, --quiet, --tach-probe, --list,
 * --help (tach run reads the workers' results itself), always passed, as --max-time;
 * --precision, --timeout, --seed, --filter when given to tach run (the flags). */
const char *cli_run_owned_arg(const char *a, bool precision, bool timeout, bool seed,
                              bool filter, bool *output);
void cli_run_usage(FILE *f);
/* tach run's option table (the one --help is generated from); *n gets its rows. */
struct tach__opt;
const struct tach__opt *cli_run_options(size_t *n);

/* ---- exports (export_file.c) ------------------------------------------------- */

/* Checks, before anything runs, that path can be written later: "-" (stdout), or a
 * file whose directory exists and is writable and that is not a directory.  0 or -1. */
int cli_export_check_path(const char *path, char *err);
/* Whether a and b name one file: the same inode when both exist, else the same path
 * once their directories are resolved (links, "..", "./"). */
bool cli_same_file(const char *a, const char *b);
/* Refuses an output file that is one the command reads or keeps (a results file read, a
 * baseline, the config, another output): when out and other name one file
 * (cli_same_file), prints "tach CMD: FLAG: 'OUT' is WHAT: the output would replace it ..."
 * and returns CLI_USAGE; else CLI_OK (also when either is NULL or "-").  Called before
 * anything is written. */
int cli_output_clash(const char *flag, const char *out, const char *other, const char *what);
/* cli_output_clash against the config: config_path, or (NULL) .tach/config beside the
 * default store. */
int cli_output_not_config(const char *flag, const char *out, const char *config_path);
/* cli_output_clash against the store a run is to be recorded in (--store store_opt,
 * $TACH_STORE or the default .tach/tach.db), made yet or not: a store not made yet was
 * written as the document, and the run's recording then failed on it. */
int cli_output_not_store(const char *flag, const char *out, const char *store_opt);
/* The same for two of a command's outputs (or an output and its input): true when they
 * name one regular file, or one not made yet, so that one would overwrite the other;
 * standard output ("-", /dev/stdout, the file stdout is redirected to: cli_path_is_stdout)
 * and special files (a FIFO) are streams and never count. */
bool cli_same_output_file(const char *a, const char *b);

/* ---- the benchmark-binary driver (bench_driver.c): run, ab and stability ---- */

/* True when path answers `path --tach-probe` with a libtach probe line (within 10 s). */
bool cli_bench_probe(cli_spawner *sp, const char *path, char *const envp[]);
/* The same, waiting at most cli_bench_probe_limit_ns(timeout_s): for a caller whose run
 * of the program --timeout bounds (tach profile), so a program that ignores --tach-probe
 * is not waited on for 10 s before a 1 s run. */
bool cli_bench_probe_within(cli_spawner *sp, const char *path, char *const envp[], double timeout_s);
/* How long a probe before a run bounded by timeout_s waits, in ns: timeout_s, but 1 s
 * at least and 10 s at most (10 s when timeout_s is 0 or less). */
unsigned long long cli_bench_probe_limit_ns(double timeout_s);
/* The same, waiting at most cli_bench_probe_limit_ns(timeout_s), also giving the libtach
 * version the binary reports (0.0 when it says none; major and minor may be NULL). */
bool cli_bench_probe_version(cli_spawner *sp, const char *path, char *const envp[],
                             double timeout_s, unsigned *major, unsigned *minor);
/* The one test of "a libtach benchmark binary" that run, ab and stability share: target
 * is one word (no blank or quote: a command string with arguments is a command) naming
 * an executable, as a path or found on PATH, that answers --tach-probe, waited on for
 * the --timeout (timeout_s) of the run it precedes, 1 to 10 s (cli_bench_probe_limit_ns:
 * a program that ignores the option is not waited on for 10 s before a 1 s run).
 * major/minor as for cli_bench_probe_version. */
bool cli_bench_recognise(cli_spawner *sp, const char *target, char *const envp[],
                         double timeout_s, unsigned *major, unsigned *minor);

/* How many of the binary's benchmarks --filter selects: path --list --filter FILTER
 * --quiet, its lines counted into *n.  0, or -1 when that did not exit 0 (not a
 * benchmark binary, a bad regular expression) or could not be run.  envp NULL: tach's
 * environment. */
int cli_bench_count_matching(const char *path, const char *filter, char *const envp[], size_t *n);
/* When a binary running nbench benchmarks under --timeout timeout_s each is killed whole:
 * a backstop (tach ab, tach stability) well past the binary's own per-benchmark timeout,
 * which reports a hanging benchmark as timed out and goes on: nbench (at least 1) times
 * (timeout_s + 10 s), plus 10 s to write the results. */
double cli_bench_kill_after(size_t nbench, double timeout_s);
/* Appends name to b as a POSIX ERE matching it literally (its metacharacters escaped),
 * for a --filter naming benchmarks exactly: ^(A|B)$ (tach run's extra worker, tach ab
 * leaving out a benchmark that timed out). */
void cli_bench_filter_quote(tach__buf *b, const char *name);

/* One worker process of a binary. */
typedef struct cli_bench_worker_spec {
    const char *path;       /* the binary, resolved */
    char **args;            /* its options (after the driver's own), then any extra */
    size_t nargs;
    const char *out_path;   /* where it writes its results document (replaced) */
    double bench_timeout_s; /* > 0: passed as --timeout (the binary ends one benchmark
                             * running longer, reports it timed out and goes on) */
    double kill_after_s;    /* > 0: the whole worker is killed after this long */
    int err_fd;             /* its stderr (-1: /dev/null) */
    int *signal_out;        /* if not NULL: set to the signal that killed it, else 0 */
    int *exit_out;          /* if not NULL: set to its exit status when it exited, else -1 */
} cli_bench_worker_spec;

/* What became of a worker (cli_bench_worker's return). */
enum {
    CLI_WORKER_OK = 0,       /* exit 0, *doc read */
    CLI_WORKER_FAILED,       /* exit 1: a benchmark failed; *doc read (the others in it) */
    CLI_WORKER_INTERRUPTED,  /* SIGINT: *doc what it finished, or NULL */
    CLI_WORKER_REFUSED,      /* exit 2: it refused its arguments */
    CLI_WORKER_CRASHED,      /* killed by a signal, another exit status, or exit 2 after its
                                results (an output it was given not written) */
    CLI_WORKER_TIMEOUT,      /* killed after kill_after_s */
    CLI_WORKER_NO_START,     /* could not be started */
    CLI_WORKER_NO_RESULTS    /* ended but left no readable document (or out of memory) */
};
/* Runs one worker: path --format=json --out OUT --quiet [--timeout S] args..., waits for
 * it (on Ctrl-C passing it the SIGINT with 10 s to write what it has) and reads its
 * results document back into *doc (the caller frees it).  Returns a CLI_WORKER_ value;
 * why says what happened in words that follow "the binary ..." ("timed out after 60 s",
 * "was killed by signal 9 (SIGKILL)", "refused its arguments (exit status 2)").  A
 * binary refusing a --filter that matches none of its benchmarks (exit 2, as libtach
 * 0.2 does) is CLI_WORKER_OK with an empty *doc, as a binary that ran none: the caller
 * says so in its own words. */
int cli_bench_worker(cli_spawner *sp, const cli_bench_worker_spec *w, char *const envp[],
                     tach__doc **doc, char *why, size_t size);

typedef struct cli_bench_opts {
    const char *binary;     /* resolved path */
    char **extra;           /* arguments after --, passed to every worker */
    size_t nextra;
    int processes;          /* >= 1: the planned workers */
    bool extra_rounds;      /* after them, up to as many again for the benchmarks slowed
                             * in more rounds than a comparison may set aside (below) */
    const char *filter;     /* NULL: all */
    double precision_pct;   /* 0: the binary's default */
    double max_time_s;      /* total, split across processes; 0: the binary's default (3 s) */
    double timeout_s;       /* per benchmark; 0: the binary's default */
    uint64_t seed;
    bool seed_set;
    bool progress;          /* print a line per worker on stderr */
    struct cli_progress *bar; /* or draw this progress bar (a terminal); NULL: none */
    bool memory;            /* pass --memory on */
    unsigned counters;      /* pass --counters[=counters_list] on (0: not asked) */
    const char *counters_list;
} cli_bench_opts;

/* Runs the workers one after another, merges their samples per benchmark into doc
 * (results in the order the first worker wrote them) and finishes each result.
 * With extra_rounds, once the planned workers have all ended well, the benchmarks
 * whose rounds were slowed in more than a comparison may set aside (tool_rounds_slowed
 * against tool_rounds_trim_cap: slowed throughout or mostly, docs/statistics.md) get
 * one more worker each time (the same --max-time share, --filter narrowed to their
 * names), until none is so or as many workers as planned have been added: at most
 * twice the rounds and twice --bench-time for those benchmarks, the others untouched.
 * settings.extra_processes counts the added workers, settings.extra_rounds_for names
 * the benchmarks they ran.
 * Returns CLI_OK, CLI_FAIL (a worker failed or a benchmark did not end ok; the message
 * printed), CLI_USAGE (the binary refused its arguments), or CLI_INTERRUPTED (doc holds
 * what the finished workers measured). */
int cli_bench_run(cli_spawner *sp, const cli_bench_opts *o, char *const envp[], tach__doc *doc);

/* ---- instruction mode of commands (run_instr.c) ------------------------------ */

/* `tach run --metric instructions`: each unit once under Valgrind's callgrind (the
 * whole process, its children included), its instruction count (and with
 * --cache-sim the cache figures) into its result (has_instr), no samples.  A unit
 * that fails under Valgrind is failed with Valgrind's message.  valgrind: the one
 * cli_valgrind_ready found before the first run.  Returns 0, or -1 on a fatal error
 * (no temporary directory; err says why). */
int cli_run_instr(cli_spawner *sp, const char *valgrind, const cli_run_opts *o,
                  cli_run_unit *units, size_t n, tach__doc *doc, bool *failed, char *err);
/* One command (path, its argv) once under callgrind with the valgrind found at
 * valgrind: r gets the counts (has_instr), or status failed / crashed (r->signal the
 * signal) / timeout and Valgrind's message (*failed set).  An exit status o ignores (-i,
 * --ignore-failure; o NULL: none) is no failure.  exit_code (NULL: not wanted) gets the
 * exit status when the run ended by exiting, else -1.  Returns 0, 1 when interrupted, -1
 * on a fatal error (err says why).  timeout_s 0: none. */
int cli_instr_count(cli_spawner *sp, const char *valgrind, const char *path, char *const *argv,
                    bool cache_sim, double timeout_s, const cli_run_opts *o, tach__result *r,
                    bool *failed, int *exit_code, char *err);
/* Whether the valgrind found at valgrind can start its callgrind tool (valgrind
 * --tool=callgrind --version: the tool is loaded, nothing is run under it), checked
 * before anything is counted: 0; 1 when interrupted; -1 with err saying what went
 * wrong, the first line valgrind wrote to stderr first (a tool not installed, a
 * VALGRIND_LIB naming no such folder), then how it ended. */
int cli_valgrind_starts(cli_spawner *sp, const char *valgrind, char *err);
/* What every command counting under callgrind checks before anything runs: finds Valgrind
 * on PATH into valgrind (size bytes) and checks it can start its callgrind tool
 * (cli_valgrind_starts).  metric: the --metric asked for, named in the message.  CLI_OK,
 * CLI_USAGE after one line naming the metric and what is missing, or CLI_INTERRUPTED. */
int cli_valgrind_ready(cli_spawner *sp, const char *metric, char *valgrind, size_t size);
/* Whether a run's exit status code is no failure under o's -i / --ignore-failure (0
 * always; a signal, code < 0, never). */
bool cli_run_code_ignored(const cli_run_opts *o, int code);
/* ---- --profile (run_profile.c) ---------------------------------------------- */

/* After the timed runs: one more run of each unit (or a worker of bin_path with
 * --profile) sampled; prints the bottleneck tables, writes the files into
 * o->profile_dir and keeps each profile in doc (prof_doc.h).  CLI_OK or CLI_FAIL
 * (printed), or CLI_INTERRUPTED when SIGINT, SIGTERM or SIGHUP stopped a profiled run
 * (its profile not kept, said; the signal noted in sp as the timed runs' would be). */
int cli_run_profile(cli_spawner *sp, const cli_run_opts *o, const char *bin_path,
                    const cli_run_unit *units, size_t nunits, tach__doc *doc);

/* ---- terminal output (run_report.c) --------------------------------------- */

/* Prints the summary of one command's result (mean ± σ, median with CI, range, user
 * and system, outliers). */
void cli_report_result(FILE *f, const tach__result *r, bool color, double shell_ns,
                       double spawner_rss_kib);
/* For several results: the fastest first, then "ran X ± Y times faster than" each other
 * with the Mann-Whitney p-value, or "no significant difference" when p >= 0.05. */
void cli_report_comparison(FILE *f, const tach__doc *doc, bool color);

/* The progress bar (stderr, a terminal): redrawn at most every 100 ms. */
typedef struct cli_progress { /* (also named in cli_bench_opts) */
    bool on, color;
    uint64_t last_ns;
    int width;
    const char *unit;       /* what is counted: "runs" (NULL) or "workers" */
} cli_progress;
void cli_progress_init(cli_progress *p, bool on, bool color);
/* label: the command; done/total runs (total 0 when unknown); eta_s < 0 when unknown
 * (not shown); estimate_ns: the current mean (NaN: not shown).  Cheap when called more
 * often than every 100 ms. */
void cli_progress_update(cli_progress *p, uint64_t now_ns, const char *label, size_t done,
                         size_t total, double eta_s, double estimate_ns);
void cli_progress_clear(cli_progress *p);

#endif /* TACH_CLI_RUN_H */
