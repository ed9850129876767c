/*
 * cli.h - the tach tool's internals (cli_ prefix).
 *
 * Exit statuses, shared by every subcommand:
 *   0 success; 1 the thing measured or judged failed (a regression, a failed run);
 *   2 bad usage or bad input (the bad value named, nothing written); 130 interrupted.
 */
#ifndef TACH_CLI_H
#define TACH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2
#define CLI_INTERRUPTED 130

#define TACH_CMD(name, summary) int cli_cmd_##name(int argc, char **argv);
#include "commands.def"
#undef TACH_CMD

/* The command being run, set once by main before it runs it (NULL: none yet): the
 * messages below without a CMD of their own name it, "tach CMD: ...". */
void cli_set_command(const char *cmd);
/* "tach CMD" for the command being run ("tach" before one): the start of a message a
 * command prints itself, fprintf(stderr, "%s: warning: ...\n", cli_prog()). */
const char *cli_prog(void);
/* After a write to standard output failed and was reported: what stdout still buffers is
 * dropped and its error cleared, so that tach's exit (which checks stdout) does not report
 * the same failure a second time. */
void cli_stdout_drop(void);
/* Prints "tach CMD: " + message + newline to stderr (CMD the command being run, see
 * cli_set_command); returns CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "tach CMD: " + message + newline to stderr; returns CLI_USAGE.  The style of
 * every option message: "tach run: --runs: 'x' is not a count, expected ...". */
int cli_cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "tach CMD: " + message + newline to stderr (as cli_usage_error); returns code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "tach CMD: " + message + newline to stderr (CMD NULL: the command being run);
 * returns code. */
int cli_cmd_error(int code, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reads argv (argv[0] the command) against a command's option table (src/core/options.h)
 * into base.  Returns CLI_OK with res filled (free it with tach__opt_result_free), or
 * CLI_USAGE after printing one line "tach CMD: ..." (res already freed). */
struct tach__opt;
struct tach__opt_result;
int cli_opt_parse(const char *cmd, const struct tach__opt *table, size_t n, void *base, int argc,
                  char **argv, struct tach__opt_result *res);
/* The folder of the docs (guide.md and the docs/NAME.md that help texts name): the
 * installed one beside the binary (PREFIX/share/doc/tach/docs), else the configured
 * install folder, else the source tree's (cli/docdir.c). */
const char *cli_docdir(void);
/* Ends a command's --help: a blank line and "Docs: DIR" (cli_docdir). */
void cli_help_docs(FILE *f);
/* Writes the options part of a command's --help, generated from its table. */
void cli_opt_help(FILE *f, const struct tach__opt *table, size_t n);
/* A command's options: its table and the text of its --help around the generated part. */
typedef struct cli_options {
    const char *cmd;               /* "report": messages say "tach report: ..." */
    const struct tach__opt *table;
    size_t n;
    const char *head;              /* usage line and description, ending in a blank line */
    const char *tail;              /* after the options (exit statuses); NULL: none */
} cli_options;
#define CLI_TABLE(t) (t), sizeof(t) / sizeof *(t)
/* Defines the accessor cli_NAME_options (below) of the cli_options desc. */
#define CLI_OPTIONS_ACCESSOR(name, desc)                                                     \
    const struct tach__opt *cli_##name##_options(size_t *n)                                 \
    {                                                                                        \
        *n = (desc).n;                                                                       \
        return (desc).table;                                                                 \
    }
/* Defines the static cli_options NAME_options (table, --help's head and tail) and its
 * accessor cli_NAME_options. */
#define CLI_OPTIONS(name, table, head, tail)                                                 \
    static const cli_options name##_options = {#name, CLI_TABLE(table), head, tail};         \
    CLI_OPTIONS_ACCESSOR(name, name##_options)
/* cli_opt_parse against c's table, the arguments after "--" appended to res->pos (so
 * res->pos holds every positional argument, in order); then, when the flag *help was
 * given, prints the --help (cli_opts_usage) and returns -1 (res freed), which the
 * command turns into exit 0. */
int cli_opts_read(const cli_options *c, void *base, int argc, char **argv,
                  struct tach__opt_result *res, const bool *help);
/* Writes c's --help: head, "options (--opt VALUE or --opt=VALUE):", the lines generated
 * from the table, then tail after a blank line. */
void cli_opts_usage(FILE *f, const cli_options *c);
/* The -h, --help row of a table over TYPE, which has a bool help. */
#define CLI_ROW_HELP(TYPE)                                                                   \
    {.kind = TACH__OPT_FLAG, .name = "help", .short_name = 'h',                              \
     .offset = offsetof(TYPE, help), .help = "this help"}
/* The --store row of a table over TYPE, stored in its const char *FIELD (every command
 * that reads or writes the store says the same). */
#define CLI_ROW_STORE(TYPE, FIELD)                                                           \
    {.kind = TACH__OPT_STRING, .name = "store", .metavar = "PATH|URL",                       \
     .offset = offsetof(TYPE, FIELD),                                                        \
     .help = "the store: a path or postgresql:// URL (default\n"                             \
             "$TACH_STORE, else .tach/tach.db in the nearest\n"                              \
             "ancestor holding .tach/, else ./.tach/tach.db)"}
/* A repeatable option's values, in the order given (a row with .fn = cli_opt_append and
 * .flags = TACH__OPT_NO_STORE, .offset = where its cli_list is).  Free v with free(). */
typedef struct cli_list {
    const char **v;
    size_t n;
} cli_list;
int cli_opt_append(void *base, const struct tach__opt *opt, const char *name, const char *value,
                   char *err);

/* Every command's option table (cli/cmd_NAME.c, cli/run_options.c, cli/ab_options.c): the
 * table --help is generated from and the parser reads; *n rows. */
#define TACH_CMD(name, summary) const struct tach__opt *cli_##name##_options(size_t *n);
#include "commands.def"
#undef TACH_CMD

/* True when colour may be used on f (a terminal and NO_COLOR unset or empty). */
bool cli_use_color(FILE *f);
/* s made safe for a terminal (tach__terminal_safe: controls as spaces, bad UTF-8 as
 * '?'): s itself when it is already safe, else a copy valid until 8 more calls. */
const char *cli_term(const char *s);
/* s (cli_term: made safe) in a column of w display columns (w >= 1), into buf: cut at a
 * character with "…" when it is wider, padded with spaces by display width when
 * narrower (tach__display_width: a wide character two columns, a combining one none), so
 * that the rows of a table line up.  buf: w * 4 + 4 bytes (a cell heavy with zero-width
 * characters that would not fit is cut shorter, at a character); returns buf. */
const char *cli_term_cell(const char *s, int w, char *buf, size_t size);
/* CLI_OK when every --tag of a command is KEY=VALUE, no key is given twice (a run
 * has one value per key) and none is quick (tach suite --quick's mark), else CLI_USAGE
 * after one line naming the tag. */
int cli_check_tags(const char *cmd, char *const *tags, size_t n);
/* The length of url's "http://" or "https://" (any case; 0: neither) and, in *hlen, of
 * its host: after any user[:password]@ (tach__url_userinfo over the authority, which
 * ends at the first '/', '?' or '#' as libcurl reads it), up to a ":PORT" or the path;
 * an IPv6 "[..." counts 1 (its brackets are libcurl's to check).  *hlen is 0 when
 * there is no host ("https://", "https:///x", "http://user@:9091/", "http://?a@b") or
 * no such scheme.  tach push's URL and a link. */
size_t cli_url_host(const char *url, size_t *hlen);
/* CLI_OK when v is an http:// or https:// URL with a host (a link tach writes into a
 * report: never javascript: or data:, nor "https://" alone), else CLI_USAGE after one
 * line naming opt, v shown with any password redacted (tach__redact). */
int cli_check_link_url(const char *cmd, const char *opt, const char *v);
/* CLI_OK when v is a regular expression as a benchmark binary reads its --filter (a
 * POSIX extended one), else CLI_USAGE after one line "invalid value 'V' for OPT: why"
 * (regerror's reason): checked before anything runs, since a worker refusing it says
 * only that it refused its arguments, its reason on a stderr tach does not show. */
int cli_check_regex(const char *opt, const char *v);

/* ---- a child process of tach (cli_util.c) --------------------------------- */
/* How cli_child_fork sets up the child before the caller's exec. */
typedef struct cli_child_opts {
    int deathsig;          /* sent to the child when tach dies (0: SIGKILL) */
    bool null_stdin, null_stdout, null_stderr; /* these streams to /dev/null */
    bool own_group;        /* the child leads a process group of its own */
    const sigset_t *mask;  /* its signal mask (NULL: none blocked) */
} cli_child_opts;
/* fork() for a child that will exec: in the child, the parent-death signal is set (and
 * the child ends at once when tach is already gone), the chosen standard streams go to
 * /dev/null (nothing else of it stays open), SIGINT, SIGTERM, SIGHUP, SIGCHLD and
 * SIGPIPE are back to their default action, the mask is o->mask, and every descriptor
 * from 3 up is made close-on-exec, so that none of tach's files reaches the program.
 * A caller that hands the child a descriptor dup2s it onto 0-2 after this.  Returns as
 * fork() does. */
pid_t cli_child_fork(const cli_child_opts *o);
/* Whether the program argv0 names (a path, or found on PATH) gains privileges when
 * exec'd: setuid, setgid, or file capabilities; false when it cannot be found. */
bool cli_exec_privileged(const char *argv0);
struct rusage;
/* Runs argv (execvp) in a child with its standard streams on /dev/null and waits for its
 * end: *status and *ru as wait4 gives them, *end_ns tach__now_ns() when the program
 * ended (at its exit stop when traced: the stop's cost is not in it).  *peak_kib, in
 * KiB: with trace, the exec'd program's own peak RSS (its VmHWM at exit, read under
 * ptrace, one stop) or a waited child's, whichever is larger, without the pages the
 * child held as a copy of tach before its exec; where it cannot be read (no exec,
 * tracing refused), ru_maxrss, those pages included.  Without trace, ru_maxrss only
 * when it is above tach's own size (a child's or the program's peak), else -1.  *own:
 * whether the program's own peak was read (a traced run that exec'd).  cancel (NULL:
 * none): once *cancel is set, by a signal handler whose signal interrupts the wait (no
 * SA_RESTART), the child is killed with SIGKILL and reaped; *status then says so.
 * (child_peak.c has the rule and the stop's cost.)  Returns the child's pid, or -1
 * (errno) when it could not be started or waited for. */
pid_t cli_child_run_peak(char *const argv[], bool trace, const volatile sig_atomic_t *cancel,
                         int *status, struct rusage *ru, double *peak_kib, bool *own,
                         uint64_t *end_ns);

/* ---- .tach/config: thresholds and targets (cli/config.c) ---------------- */
struct tool_rule;
/* One value of a [module] key, with the line it stands on (for messages). */
typedef struct cli_config_item {
    char *text;
    char *shown; /* text as shown and kept (names, reports, messages): no password
                  * (tach__redact_arg, as tach run shows a command string) */
    int line;
} cli_config_item;
/* The criteria a module is measured for (bits of cli_module.criteria). */
enum {
    CLI_CRIT_THROUGHPUT = 1, CLI_CRIT_LATENCY = 2, CLI_CRIT_MEMORY = 4, CLI_CRIT_CPU = 8,
    CLI_CRIT_SCALABILITY = 16, CLI_CRIT_ALL = 31
};
/* A [module "NAME"] section (cli/config_suite.c): what `tach bench` runs. */
typedef struct cli_module {
    char *name;
    int line;                                /* of its section header */
    cli_config_item *bench; size_t nbench;   /* libtach benchmark binaries */
    cli_config_item *command; size_t ncommand; /* commands timed like tach run */
    cli_config_item *load; size_t nload;     /* tach load argument lines */
    unsigned criteria;                       /* CLI_CRIT_ bits; 0: not given */
    int criteria_line;
} cli_module;
/* The [suite] section: `tach bench`'s defaults (NULL / NaN when unset). */
typedef struct cli_suite {
    char *baseline, *report;
    double noise, critical;                  /* fractions */
} cli_suite;
typedef struct cli_config {
    struct tool_rule *rules; size_t nrules; /* [bench "GLOB"] sections, in file order */
    double noise, critical, alpha;           /* from [compare] (fractions); NaN when unset */
    char *path;                              /* the file read, or NULL when there was none */
    char *load_slo;                          /* [load] slo: tach load's objectives, or NULL */
    cli_module *modules; size_t nmodules;    /* [module "NAME"] sections, in file order */
    cli_suite suite;
    char *percentiles;                       /* [compare] percentiles = 99:5,...; or NULL */
} cli_config;
/* Reads path, or (NULL) .tach/config beside the default store when it exists.  Returns
 * CLI_OK (an absent default file gives an empty config) or CLI_USAGE with one line
 * printed ("tach CMD: ", or "tach: " when cmd is NULL) naming the file, the line and the
 * bad section, key or value. */
int cli_config_load(const char *cmd, const char *path, cli_config *out);
/* The default config's path, .tach/config beside the default store (it need not exist);
 * NULL when it cannot be found.  Caller frees. */
char *cli_config_default_path(void);
void cli_config_free(cli_config *c); /* NULL ok */
/* "throughput", "latency", "memory", "cpu", "scalability": the bit of one criterion, or
 * 0 when name is none of them. */
unsigned cli_criterion_bit(const char *name);
/* The name of one CLI_CRIT_ bit. */
const char *cli_criterion_name(unsigned bit);
/* Reads a criteria list ("throughput latency", "throughput,memory") into *bits.  0, or -1
 * with err naming the unknown word. */
int cli_criteria_parse(const char *list, unsigned *bits, char *err, size_t errsize);

/* `tach report FILE` of a soak's series file (cli/cmd_soak.c): the soak's report in
 * format (md, markdown, html, json, junit) to out (NULL or "-": stdout).  CLI_OK when
 * written, whatever the verdict. */
int cli_soak_report(const char *path, const char *format, const char *out);

/* `tach compare` and `tach gate` (cli/cmd_compare.c): gate exits 1 on a failure. */
int cli_compare_main(int argc, char **argv, bool gate);

/* ---- writing a format out (cli/export_file.c; the formats: src/format/format.h) */
struct tach__doc;
/* Whether path is standard output: "-", /dev/stdout, /dev/fd/1, /proc/self/fd/1, or the
 * very file (the same device and inode) standard output is open on (`> FILE`, a pipe, a
 * terminal).  Such a path is written as "-" is: through standard output, which then
 * holds that output alone (the tables go to standard error). */
bool cli_path_is_stdout(const char *path);
/* Writes doc as format to path, whole or not at all (cli_path_is_stdout: to stdout).  0
 * or -1 with err; 1 (err "") for stdout once a write of an earlier one to it failed: that
 * failure was said, and this output is lost with it (`--export-json - --export-csv -`
 * into a closed pipe says "cannot write to standard output" once). */
int cli_export_write(const struct tach__doc *doc, const char *format, const char *path,
                     char *err);

/* How much of a failed program's standard error a message shows: its last lines, at
 * most this many and this many bytes. */
#define CLI_TAIL_LINES 20
#define CLI_TAIL_BYTES 4096
/* The end of a program's standard error written to fd (a regular file): its last
 * CLI_TAIL_LINES lines within CLI_TAIL_BYTES, made safe for a terminal (line breaks
 * kept); NULL when it wrote none.  Caller frees (tach__free). */
char *cli_fd_tail(int fd);
/* The same of len bytes of text, the end of a longer text when cut. */
char *cli_text_tail(const char *text, size_t len, bool cut);
/* Prints "tach CMD: WHAT wrote to standard error (its last lines):" and tail's lines,
 * indented, to stderr; nothing when tail is NULL or empty. */
void cli_print_tail(const char *what, const char *tail);
/* An unlinked temporary file (in cli_tmp_dir) open for reading and writing, for a
 * child's standard error, never 0, 1 or 2 (the child's dups onto those must not
 * overwrite it); -1 (errno) when none can be made. */
int cli_tmp_fd(void);

/* Where temporary files go: $TMPDIR when set and not empty, else /tmp. */
const char *cli_tmp_dir(void);
/* The widest suffix of the temporary file tach__write_text_file writes beside a path
 * (".NAME" + this): a path written so is counted with it ("/.out.json" CLI_TMP_SUFFIX). */
#define CLI_TMP_SUFFIX ".tmp.9223372036854775807.4294967295"
/* Whether dir (a $TMPDIR, or the default taken for it) leaves room for the longest path
 * written in it, dir + tail, in a buffer of size bytes.  CLI_OK when it does; else
 * CLI_USAGE, having said "TMPDIR is too long for a temporary WHAT in it (N bytes, at
 * most M): 'DIR'" and hint (NULL: none) after it, as cli_cmd_usage_error(cmd) does
 * (cmd NULL: as cli_usage_error). */
int cli_tmpdir_fits(const char *cmd, const char *dir, size_t size, const char *tail, const char *what,
                    const char *hint);

#endif
