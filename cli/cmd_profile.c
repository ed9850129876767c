/*
 * cmd_profile.c - `tach profile [OPTIONS] [--] PROGRAM [ARGS...]`: runs PROGRAM once
 * sampled and prints where its time went (the bottleneck table) and where the
 * folded stacks, speedscope JSON and SVG flame graph were written.  A libtach
 * benchmark binary is run with --profile (its measured region only, every
 * benchmark); any other program is profiled whole, threads and children included.
 * (Over 600 lines: its three modes, a program, a benchmark binary and --diff, share the
 * options, the baseline read back and the printing of each table.)
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"
#include "prof_cli.h"
#include "prof_doc.h"
#include "format.h"
#include "run.h"
#include "store_cli.h"

extern char **environ;

typedef struct prof_opts {
    long hz, top;
    const char *dir;
    double timeout_s;
    const char *compile_commands, *cflags;
    const char *diff, *baseline, *store;
    bool static_, help;
} prof_opts;

#define OFF(f) offsetof(prof_opts, f)
static const tach__opt prof_table[] = {
    {.kind = TACH__OPT_COUNT, .name = "profile-hz", .metavar = "N", .offset = OFF(hz), .lo = 1,
     .hi = TACH__PROF_MAX_HZ, .help = "samples per second of CPU time (default 997)"},
    {.kind = TACH__OPT_STRING, .name = "profile-dir", .metavar = "DIR", .offset = OFF(dir),
     .help = "where NAME.folded, NAME.speedscope.json and NAME.svg go\n"
             "(default .tach/profile)"},
    {.kind = TACH__OPT_COUNT, .name = "top", .metavar = "N", .offset = OFF(top), .lo = 1, .hi = 10000,
     .help = "rows of the bottleneck table (default 10)"},
    {.kind = TACH__OPT_DURATION, .name = "timeout", .metavar = "S", .offset = OFF(timeout_s), .lo = 0,
     .hi = 1e6, .flags = TACH__OPT_LO_OPEN, .help = "stop PROGRAM (a benchmark binary too) and its process\n"
             "group still running after S (default 600): its profile so\n"
             "far is kept, marked partial, and tach exits 1"},
    {.kind = TACH__OPT_STRING, .name = "diff", .metavar = "BASE", .offset = OFF(diff),
     .help = "compare two profiles instead: BASE and PROGRAM are folded\n"
             "stacks files; prints each function's share before and after\n"
             "with a 95% CI and writes DIR/NAME.diff.svg (red grew, blue shrank)"},
    {.kind = TACH__OPT_STRING, .name = "baseline", .metavar = "REF", .offset = OFF(baseline),
     .help = "add a change column to the tables: each function's self share\n"
             "against REF's, in points (* when its 95% CI excludes 0); REF is\n"
             "a directory of folded stacks (an earlier --profile-dir), a\n"
             "NAME.folded file, a results document or a stored run (run id,\n"
             "latest, baseline name, git ref) recorded with a profile"},
    {.kind = TACH__OPT_STRING, .name = "store", .metavar = "SPEC", .offset = OFF(store),
     .help = "the store --baseline's run is in (default $TACH_STORE or .tach)"},
    {.kind = TACH__OPT_FLAG, .name = "static", .offset = OFF(static_),
     .help = "then static findings on the hot code (as tach findings)"},
    CLI_FINDINGS_ROWS(prof_opts, compile_commands, cflags),
    CLI_ROW_HELP(prof_opts),
};
#undef OFF

CLI_OPTIONS(profile, prof_table,
    "usage: tach profile [OPTIONS] [--] PROGRAM [ARGS...]\n"
    "\n"
    "Runs PROGRAM once under a sampling profiler (perf_event cpu-clock, user space)\n"
    "and prints the top bottlenecks (function, file:line, self and total share) and\n"
    "where the flame graph (NAME.svg), speedscope JSON and folded stacks are.  A\n"
    "libtach benchmark binary profiles the measured region of each benchmark (ARGS are\n"
    "its options, e.g. --filter); any other program is profiled whole, its threads and\n"
    "children included.  Put -- before PROGRAM when ARGS start with '-'.  To tell the\n"
    "two apart PROGRAM is first started once as PROGRAM --tach-probe (waited on for\n"
    "--timeout, 1 to 10 s, then SIGTERM, SIGKILL 1 s later if ignored).  Ctrl-C\n"
    "stops PROGRAM and prints its profile so far (partial); a second Ctrl-C kills both.\n"
    "\n",
    "Exit status: 0 profiled; 1 the program failed or could not be profiled; 2 bad\n"
    "usage; 130 interrupted (the profile so far printed and written, partial; 143\n"
    "after SIGTERM, 129 after SIGHUP).  See docs/profiling.md.\n")

/* The profile (called name) in path's folded text, or NULL (err: PATH:LINE when a line is
 * bad).  parse_folded: a file with no samples is refused too, nothing to compare. */
static tach__profile *folded_at(const char *text, const char *path, const char *name, char *err)
{
    tach__profile *p = tach__profile_from_folded(text, name, err);
    size_t line = 0;
    int at = 0;
    char msg[TACH__ERR_MAX];
    if (!p && sscanf(err, "folded stacks, line %zu: %n", &line, &at) == 1 && at > 0 &&
        snprintf(msg, sizeof msg, "%s:%zu: %s", path, line, err + at) > 0)
        snprintf(err, TACH__ERR_MAX, "%s", msg);
    return p;
}

static tach__profile *parse_folded(const char *text, const char *path, const char *name, char *err)
{
    tach__profile *p = folded_at(text, path, name, err);
    if (p && p->samples == 0) {
        /* shares of nothing: every function "0%" there, and a change with a CI drawn from
         * the other side alone looked significant */
        tach__err(err, "%s has no samples (no 'frame;frame;... COUNT' line): there is nothing "
                       "to compare", path);
        tach__profile_free(p);
        p = NULL;
    }
    return p;
}

static tach__profile *read_folded(const char *path, char *err)
{
    size_t len = 0;
    char *text = tach__read_file(path, &len, err);
    if (!text) return NULL;
    const char *base = strrchr(path, '/');
    char *name = tach__strdup(base ? base + 1 : path);
    size_t nlen = name ? strlen(name) : 0; /* a trailing ".folded" only: a.folded.v2 is itself */
    if (nlen > 7 && !strcmp(name + nlen - 7, ".folded")) name[nlen - 7] = '\0';
    tach__profile *p = name ? parse_folded(text, path, name, err) : NULL;
    if (!name) tach__err(err, "out of memory");
    tach__free(name);
    tach__free(text);
    return p;
}

/* ---- --baseline REF --------------------------------------------------------- */

struct cli_prof_base {
    char **stems, **texts;    /* a directory of folded stacks: STEM.folded's text, read
                               * before the run (which may write into the same one) */
    size_t n;
    bool dir;
    bool marked;              /* the directory has TACH__PROF_MARKER: no older stems */
    tach__profile *one;       /* a folded file */
    tach__doc *doc;           /* a results document or a stored run */
    char label[512];
};

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n >= m && !strcmp(s + n - m, end);
}

/* Opens REF; CLI_OK or CLI_USAGE (printed, naming REF). */
static int base_open(cli_prof_base *b, const char *ref, const char *store_opt)
{
    char err[TACH__ERR_MAX] = "";
    memset(b, 0, sizeof *b);
    snprintf(b->label, sizeof b->label, "%s", ref);
    if (is_dir(ref)) {
        b->dir = true;
        b->marked = tach__prof_dir_marked(ref); /* before the run writes one there */
        DIR *d = opendir(ref);
        if (!d) return cli_cmd_usage_error("profile", "--baseline %s: cannot read the directory", ref);
        struct dirent *e;
        int rc = CLI_OK;
        while (rc == CLI_OK && (e = readdir(d))) {
            if (!ends_with(e->d_name, ".folded") || strlen(e->d_name) == strlen(".folded")) continue;
            size_t len = strlen(ref) + strlen(e->d_name) + 2;
            char *path = tach__malloc(len), *text = NULL;
            if (path) {
                snprintf(path, len, "%s/%s", ref, e->d_name);
                text = tach__read_file(path, NULL, err);
                /* read as --baseline FILE.folded is: one with no samples (tach writes
                 * none such) or a bad line is refused before the run, naming it */
                tach__profile *p = text ? parse_folded(text, path, e->d_name, err) : NULL;
                if (!p) {
                    tach__free(text);
                    text = NULL;
                }
                tach__profile_free(p);
            }
            char **st = text ? tach__realloc(b->stems, (b->n + 1) * sizeof *st) : NULL;
            if (st) b->stems = st;
            char **tx = st ? tach__realloc(b->texts, (b->n + 1) * sizeof *tx) : NULL;
            if (tx) b->texts = tx;
            char *stem = tx ? tach__strdup(e->d_name) : NULL;
            if (!stem) {
                /* a file that could not be read or parsed (err says why), else memory */
                rc = path && !text ? cli_cmd_usage_error("profile", "--baseline %s: %s", ref, err)
                                   : cli_error(CLI_FAIL, "out of memory");
                tach__free(text);
            } else {
                stem[strlen(stem) - strlen(".folded")] = '\0';
                b->stems[b->n] = stem;
                b->texts[b->n++] = text;
            }
            tach__free(path);
        }
        closedir(d);
        if (rc == CLI_OK && !b->n)
            rc = cli_cmd_usage_error("profile", "--baseline %s: no .folded file in the directory", ref);
        return rc;
    }
    if (access(ref, F_OK) == 0) {
        if (ends_with(ref, ".folded")) b->one = read_folded(ref, err);
        else b->doc = tach__format_read_file(ref, err);
        if (!b->one && !b->doc) return cli_cmd_usage_error("profile", "--baseline %s: %s", ref, err);
        return CLI_OK;
    }
    if (ends_with(ref, ".folded"))
        return cli_cmd_usage_error("profile", "--baseline %s: no such file or directory", ref);
    /* not a file: a run of the store, by the rule report's --baseline follows (feature/x
     * is a git ref or a baseline, x.json a results file that is not there) */
    int rc = cli_check_file_spec(ref);
    if (rc != CLI_OK) return rc;
    tool_store *st = NULL;
    if ((rc = cli_store_open(store_opt, false, &st)) != CLI_OK) return rc;
    int64_t id = 0;
    rc = cli_store_resolve_run(st, ref, &id);
    if (rc == CLI_OK && tool_store_load(st, id, &b->doc, err) != 0)
        rc = cli_usage_error("--baseline %s: %s", ref, err);
    if (rc == CLI_OK) snprintf(b->label, sizeof b->label, "run %lld (%s)", (long long)id, ref);
    tool_store_close(st);
    return rc;
}

static void base_close(cli_prof_base *b)
{
    for (size_t i = 0; i < b->n; i++) {
        tach__free(b->stems[i]);
        tach__free(b->texts[i]);
    }
    tach__free(b->stems);
    tach__free(b->texts);
    tach__profile_free(b->one);
    tach__doc_free(b->doc);
    memset(b, 0, sizeof *b);
}

/* The folded stacks of name in dir, or NULL (err). */
static tach__profile *folded_in(const char *dir, const char *name, char *err)
{
    char *path = tach__prof_folded_path(dir, name);
    tach__profile *p = NULL;
    if (!path) tach__err(err, "out of memory");
    else {
        size_t len = 0;
        char *text = tach__read_file(path, &len, err);
        p = text ? folded_at(text, path, name, err) : NULL;
        tach__free(text);
    }
    tach__free(path);
    return p;
}

/* The baseline's profile of name, or NULL (*own: the caller frees it; err: "" when the
 * baseline has none, else why it could not be read back). */
static tach__profile *base_get(cli_prof_base *b, const char *name, bool *own, char *err)
{
    err[0] = '\0';
    *own = true;
    if (b->dir) {
        /* its file under today's stem, else, in a folder an older tach wrote (no
         * marker), one under the stem it gave (tach__prof_stem_old); in a marked
         * folder, a/b's a_b.folded is benchmark a_b's */
        char *stems[2] = {tach__prof_stem(name), b->marked ? NULL : tach__prof_stem_old(name)};
        tach__profile *p = NULL;
        if (!stems[0] || (!b->marked && !stems[1])) tach__err(err, "out of memory");
        for (int k = 0; k < 2 && stems[k] && !p && !err[0]; k++)
            for (size_t i = 0; i < b->n && !p; i++)
                if (!strcmp(b->stems[i], stems[k])) p = tach__profile_from_folded(b->texts[i], name, err);
        tach__free(stems[0]);
        tach__free(stems[1]);
        return p;
    }
    if (b->doc) return tool_profile_from_doc(b->doc, name, err);
    *own = false;
    return b->one;
}

/* The "note: " and "warning: " lines of plain (the report printed without --baseline)
 * that shown (the table with the change column) lacks: the sampler's note, a function
 * with no debug information...; shown is made safe for a terminal, and so is plain
 * here (a name's escape sequence as spaces, tach__terminal_safe). */
static void print_notes_left(const char *plain_raw, const char *shown)
{
    char *plain = tach__strdup(plain_raw);
    tach__terminal_safe(plain, true);
    for (const char *l = plain; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        bool note = !strncmp(l, "note: ", 6) || !strncmp(l, "warning: ", 9), in = false;
        for (const char *m = shown; note && m && *m && !in;) {
            const char *mnl = strchr(m, '\n');
            size_t mlen = mnl ? (size_t)(mnl - m) : strlen(m);
            in = mlen == len && !memcmp(m, l, len);
            m = mnl ? mnl + 1 : NULL;
        }
        if (note && !in) printf("%.*s\n", (int)len, l);
        l = nl ? nl + 1 : NULL;
    }
    tach__free(plain);
}

/* Prints name's bottleneck table with the change column against the baseline (its
 * rows from top, NULL: from the folded stacks in dir), the notes of plain (the report
 * without the column, a command's or a binary's notes, may be NULL) it lacks, then where
 * its files are.
 * CLI_OK, or CLI_FAIL (said) when the profile just written cannot be read back: no
 * table was shown for it. */
static int print_vs_base(const cli_prof_args *a, const char *name, const json_t *top, const char *plain)
{
    char err[TACH__ERR_MAX];
    tach__profile *cur = folded_in(a->dir, name, err);
    if (!cur) return cli_error(CLI_FAIL, "profile of %s: %s", name, err);
    json_t *own_top = top ? NULL : tach__profile_top_json(cur, (size_t)a->top);
    bool own = false;
    tach__profile *base = base_get(a->base, name, &own, err);
    size_t nc = 0;
    tool_prof_change *c = base ? tool_profile_diff(base, cur, 2000, TACH__DEFAULT_SEED, &nc) : NULL;
    char *text = tool_profile_top_table(top ? top : own_top, name, (size_t)a->top, c, nc, a->base->label);
    char *stem = tach__prof_stem(name);
    if (text) {
        tach__terminal_safe(text, true); /* a name's escape sequence as spaces */
        tach__stdout_puts(text, false);
    }
    if (plain) print_notes_left(plain, text ? text : "");
    if (!base && err[0]) /* damaged; the label, a path, and err naming it: made safe as name is */
        printf("no change column: %s: %s\n", cli_term(a->base->label), cli_term(err));
    else if (!base)
        printf("no change column: %s keeps no profile of %s\n", cli_term(a->base->label), cli_term(name));
    printf("profile: %s/%s.{folded,speedscope.json,svg}\n", cli_term(a->dir), stem ? cli_term(stem) : "?");
    tach__free(stem);
    tach__free(text);
    tach__free(c);
    if (own) tach__profile_free(base);
    tach__profile_free(cur);
    json_decref(own_top);
    return CLI_OK;
}

/* tach profile --diff BASE NEW */
static int profile_diff(const prof_opts *o, const char *new_path)
{
    char err[TACH__ERR_MAX];
    tach__profile *b = read_folded(o->diff, err);
    if (!b) return cli_cmd_usage_error("profile", "--diff: %s", err);
    tach__profile *n = read_folded(new_path, err);
    if (!n) {
        tach__profile_free(b);
        return cli_cmd_usage_error("profile", "--diff: %s", err);
    }
    size_t nc = 0;
    int rc = CLI_OK;
    tool_prof_change *c = tool_profile_diff(b, n, 2000, TACH__DEFAULT_SEED, &nc);
    char *text = c ? tool_profile_diff_text(c, nc, (size_t)o->top) : NULL;
    char title[512];
    snprintf(title, sizeof title, "%s against %s (red grew, blue shrank)", n->name, b->name);
    char *svg = tach__profile_svg(n, b, title);
    /* NEW's name is its file's (NAME of NAME.folded): kept as it is, without a hash */
    char *stem = tach__prof_stem_old(n->name);
    if (!text || !svg || !stem) rc = cli_error(CLI_FAIL, "out of memory");
    if (rc == CLI_OK) {
        printf("%llu samples before, %llu after\n%s", (unsigned long long)b->samples,
               (unsigned long long)n->samples, text);
        json_t *top = tach__profile_top_json(n, (size_t)o->top);
        char *table = top ? tool_profile_top_table(top, n->name, (size_t)o->top, c, nc, o->diff) : NULL;
        tach__terminal_safe(table, true);
        if (table) printf("\n%s\n", table);
        tach__free(table);
        json_decref(top);
        size_t len = strlen(o->dir) + strlen(stem) + 16;
        char *path = tach__malloc(len);
        if (path) snprintf(path, len, "%s/%s.diff.svg", o->dir, stem);
        if (!path || tach__prof_mkdirs(o->dir, err) != 0 || tach__write_text_file(svg, strlen(svg), path, err) != 0)
            rc = cli_error(CLI_FAIL, "%s", path ? err : "out of memory");
        else printf("differential flame graph: %s\n", path);
        tach__free(path);
    }
    tach__free(stem);
    tach__free(svg);
    tach__free(text);
    tach__free(c);
    tach__profile_free(b);
    tach__profile_free(n);
    return rc;
}

/* After the profile of a program --timeout stopped (printed above, when it has one): the
 * "partial:" line on stdout and the error on stderr; why_none, when not NULL, says why
 * no profile was kept. */
static void say_timed_out(double timeout_s, const char *how, const char *why_none)
{
    if (!why_none)
        printf("partial: timed out after %g s (the profile of the program's run until then)\n", timeout_s);
    tach__stdout_flush();
    if (why_none)
        cli_error(CLI_FAIL, "the profiled run timed out after %g s (%s): no profile kept: %s",
                  timeout_s, how, why_none);
    else
        cli_error(CLI_FAIL, "the profiled run timed out after %g s (%s): printed the profile so "
                            "far (marked partial)", timeout_s, how);
}

/* Adds DIR/STEM.speedscope.json of name to *paths. */
static int add_path(cli_prof_run *out, const char *dir, const char *name)
{
    char *stem = tach__prof_stem(name);
    size_t n = strlen(dir) + (stem ? strlen(stem) : 0) + 24;
    char *p = stem ? tach__malloc(n) : NULL;
    char **grown = p ? tach__realloc(out->speedscope, (out->n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        tach__free(stem);
        tach__free(p);
        return -1;
    }
    snprintf(p, n, "%s/%s.speedscope.json", dir, stem);
    out->speedscope = grown;
    out->speedscope[out->n++] = p;
    tach__free(stem);
    return 0;
}

/* The notes a benchmark binary printed with the table top (its "notes", which a document
 * from an older tach lacks: none), one a line, or NULL. */
static char *binary_notes(const json_t *top)
{
    tach__buf b = {0};
    size_t i;
    const json_t *n;
    json_array_foreach(json_object_get(top, "notes"), i, n)
        if (json_is_string(n)) tach__buf_printf(&b, "%s\n", json_string_value(n));
    return b.len ? tach__buf_take(&b) : NULL;
}

/* A benchmark binary's profiles (cli_prof_binary): with --baseline printed here, with
 * the change column; each one's speedscope file added to out. */
static int profile_binary(const cli_prof_args *o, const char *path, char **args, int nargs,
                          cli_prof_run *out)
{
    json_t *kept = NULL;
    bool timed_out = false;
    char why_none[TACH__ERR_MAX];
    int rc = cli_prof_binary(o, path, args, nargs, &kept, &timed_out, why_none);
    size_t i, nprofiles = 0;
    json_t *p;
    json_array_foreach(kept, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *none = json_string_value(json_object_get(p, "none"));
        if (none) { /* the binary said it on the stdout tach took */
            if (o->base) printf("\n%s\n", cli_term(none));
            continue;
        }
        nprofiles++;
        if (o->base) {
            printf("\n");
            /* its table is shown (the binary shows it without --baseline), said to be of
             * a run that did not end ok */
            const char *failed = json_string_value(json_object_get(p, "failed"));
            if (failed)
                printf("note: %s did not end ok (%s): its profile is of its run until then\n", cli_term(name),
                       cli_term(failed));
            /* its own notes (the sampler's...) after the table, as a command's */
            char *notes = binary_notes(json_object_get(p, "top"));
            if (print_vs_base(o, name, json_object_get(p, "top"), notes) != CLI_OK && rc == CLI_OK) rc = CLI_FAIL;
            tach__free(notes);
        }
        if (add_path(out, o->dir, name) != 0 && rc == CLI_OK) rc = cli_error(CLI_FAIL, "out of memory");
    }
    if (timed_out) say_timed_out(o->timeout_s, "stopped with SIGINT", nprofiles ? NULL : why_none);
    json_decref(kept);
    if (rc > 128) cli_prof_say_interrupted(rc - 128); /* after the tables */
    return rc;
}

int cli_prof_check_dir(const char *cmd, const char *dir)
{
    if (!dir[0]) return cli_cmd_usage_error(cmd, "--profile-dir: the directory name is empty");
    /* the directory, or the nearest of its parents that exists: a directory we may write
     * in (nothing is made here: bad usage found later must leave nothing behind) */
    char *d = tach__strdup(dir);
    if (!d) return cli_error(CLI_FAIL, "out of memory");
    int rc = CLI_OK;
    for (;;) {
        struct stat st;
        if (stat(d, &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                rc = cli_cmd_usage_error(cmd, "--profile-dir: '%s' is not a directory", d);
            else if (access(d, W_OK | X_OK) != 0)
                rc = cli_cmd_usage_error(cmd, "--profile-dir: cannot write in '%s'", d);
            break;
        }
        char *slash = strrchr(d, '/');
        while (slash && slash > d && slash[1] == '\0') { /* a trailing slash */
            *slash = '\0';
            slash = strrchr(d, '/');
        }
        if (!slash) { /* a relative name with no parent left: the current directory */
            if (access(".", W_OK | X_OK) != 0)
                rc = cli_cmd_usage_error(cmd, "--profile-dir: cannot write in the current directory");
            break;
        }
        if (slash == d) { /* its parent is "/" */
            if (access("/", W_OK | X_OK) != 0)
                rc = cli_cmd_usage_error(cmd, "--profile-dir: cannot write in '/' to make '%s'", dir);
            break;
        }
        *slash = '\0';
    }
    tach__free(d);
    return rc;
}

int cli_prof_check_findings(const char *cmd, const char *compile_commands, const char *cflags)
{
    if (compile_commands) {
        const char *dir = compile_commands;
        struct stat st;
        char path[4200];
        if (!dir[0])
            return cli_cmd_usage_error(cmd, "-p/--compile-commands: the directory name is empty");
        if (stat(dir, &st) != 0)
            return cli_cmd_usage_error(cmd, "-p/--compile-commands: '%s' does not exist (the "
                                       "directory of compile_commands.json)", dir);
        if (!S_ISDIR(st.st_mode))
            return cli_cmd_usage_error(cmd, "-p/--compile-commands: '%s' is not a directory (the "
                                       "directory of compile_commands.json)", dir);
        snprintf(path, sizeof path, "%s/compile_commands.json", dir);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            return cli_cmd_usage_error(cmd, "-p/--compile-commands: '%s' holds no "
                                       "compile_commands.json", dir);
        if (access(path, R_OK) != 0)
            return cli_cmd_usage_error(cmd, "-p/--compile-commands: cannot read '%s'", path);
    }
    if (cflags) {
        char err[TACH__ERR_MAX];
        char **w = NULL;
        size_t n = 0;
        if (cli_words_split(cflags, &w, &n, err) != 0)
            return cli_cmd_usage_error(cmd, "--cflags: %s", err);
        cli_words_free(w);
    }
    return CLI_OK;
}


int cli_profile_program(const cli_prof_args *o, char **pos, int npos, cli_prof_run *out)
{
    memset(out, 0, sizeof *out);
    char err[TACH__ERR_MAX];
    char *path = cli_find_executable(pos[0], err);
    if (!path) return cli_usage_error("%s", err);
    out->program = path;
    cli_spawner sp;
    bool bench = false;
    if (cli_spawner_init(&sp, NULL, CLI_OUTPUT_NULL, NULL, err) == 0) {
        /* PROGRAM is one path here (never a command line), blanks or not */
        /* waited on no longer than the run --timeout bounds (cli_bench_probe_limit_ns) */
        bench = cli_bench_probe_within(&sp, path, environ, o->timeout_s);
        cli_spawner_close(&sp);
        /* Ctrl-C (or SIGTERM) during the probe stops tach: the program is not run */
        int stop = cli_spawner_stop_status(&sp);
        if (stop) return stop;
    }
    if (bench) return profile_binary(o, path, pos + 1, npos - 1, out);
    int rc = CLI_OK;
    char **cargv = tach__calloc((size_t)npos + 1, sizeof *cargv);
    tach__prof_raw *raw = tach__prof_raw_new();
    int code = 0, stop = 0;
    bool timed_out = false;
    if (!cargv || !raw) rc = cli_error(CLI_FAIL, "out of memory");
    for (int i = 0; rc == CLI_OK && i < npos; i++) cargv[i] = pos[i];
    /* its standard error is kept, so that a failure can show why */
    int efd = cli_tmp_fd();
    if (rc == CLI_OK && cli_prof_command(path, cargv, environ, (int)o->hz, o->timeout_s, -1, efd, raw, &code,
                                         &stop, &timed_out, err) != 0)
        rc = cli_error(CLI_FAIL, "%s", err);
    if (rc == CLI_OK) {
        char *label = cli_words_shown(cargv); /* its name: no password shown or kept */
        const char *name = label ? label : pos[0];
        json_t *top = NULL;
        /* with --baseline, its notes are printed with the other table (print_vs_base) */
        char *text = cli_prof_report(raw, name, (int)o->hz, o->dir, (size_t)o->top, true,
                                     o->base ? &top : NULL, err);
        if (!text) rc = cli_error(CLI_FAIL, "%s", err);
        else if (o->base && top) rc = print_vs_base(o, name, top, text);
        else tach__stdout_puts(text, false);
        json_decref(top);
        if (text && raw->samples && add_path(out, o->dir, name) != 0) rc = cli_error(CLI_FAIL, "out of memory");
        if (stop) /* its end by the signal passed on is no failure */
            cli_prof_say_interrupted(stop);
        else if (timed_out) {
            say_timed_out(o->timeout_s, "killed", raw->samples ? NULL : "no sample was taken before it");
            rc = CLI_FAIL;
        } else if (code != 0) {
            if (code == CLI_EXIT_UNKNOWN) /* no signal's number: not "killed by signal 1" */
                fprintf(stderr, "%s: %s ended with a status tach could not read\n", cli_prog(),
                        cli_term(pos[0]));
            else if (code < 0)
                fprintf(stderr, "%s: %s was killed by signal %d (%s)\n", cli_prog(), cli_term(pos[0]), -code,
                        tach__signal_name(-code));
            else fprintf(stderr, "%s: %s exited with status %d\n", cli_prog(), cli_term(pos[0]), code);
            char *tail = efd >= 0 ? cli_fd_tail(efd) : NULL;
            cli_print_tail(pos[0], tail);
            tach__free(tail);
            rc = CLI_FAIL;
        }
        tach__free(text);
        tach__free(label);
    }
    if (efd >= 0) close(efd);
    tach__free(cargv);
    tach__prof_raw_free(raw);
    return stop ? 128 + stop : rc; /* 130, 143, 129 */
}

void cli_prof_run_free(cli_prof_run *r)
{
    for (size_t i = 0; i < r->n; i++) tach__free(r->speedscope[i]);
    tach__free(r->speedscope);
    tach__free(r->program);
    memset(r, 0, sizeof *r);
}

int cli_cmd_profile(int argc, char **argv)
{
    prof_opts o = {.hz = TACH__PROF_DEFAULT_HZ, .top = 10, .dir = TACH__PROF_DEFAULT_DIR, .timeout_s = 600};
    tach__opt_result res;
    int rc = cli_opts_read(&profile_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (res.npos < 1) {
        tach__opt_result_free(&res);
        return o.diff ? cli_usage_error("--diff %s: no NEW folded file to compare with it (tach profile "
                                        "--diff BASE NEW)", o.diff)
                      : cli_usage_error("no program to profile (tach profile [OPTIONS] [--] PROGRAM [ARGS...])");
    }
    if (o.diff && (o.baseline || o.static_)) { /* silently ignored before: the change column
                                                 * was BASE's, no findings were run */
        tach__opt_result_free(&res);
        return o.baseline ? cli_usage_error("--baseline %s applies to a program's profile, not to --diff "
                                            "(which compares NEW with BASE)", o.baseline)
                          : cli_usage_error("--static applies to a program's profile, not to --diff");
    }
    if (o.store && !o.baseline) { /* silently ignored before */
        tach__opt_result_free(&res);
        return cli_usage_error("--store %s: the store is where --baseline's run is read; add --baseline "
                               "REF", o.store);
    }
    if (!o.static_ && (o.compile_commands || o.cflags)) { /* silently ignored before */
        tach__opt_result_free(&res);
        return cli_usage_error("%s applies to the static findings: add --static (or run tach findings)",
                               o.compile_commands ? "-p/--compile-commands" : "--cflags");
    }
    if ((rc = cli_prof_check_dir("profile", o.dir)) != CLI_OK ||
        (o.static_ && (rc = cli_prof_check_findings("profile", o.compile_commands, o.cflags)) != CLI_OK)) {
        tach__opt_result_free(&res); /* before the program runs */
        return rc;
    }
    if (o.diff) {
        rc = res.npos == 1 ? profile_diff(&o, res.pos[0])
                           : cli_usage_error("--diff BASE takes one more folded file (tach profile --diff BASE NEW)");
        tach__opt_result_free(&res);
        return rc;
    }
    cli_prof_base base;
    if (o.baseline && (rc = base_open(&base, o.baseline, o.store)) != CLI_OK) {
        base_close(&base);
        tach__opt_result_free(&res);
        return rc;
    }
    cli_prof_args a = {o.hz, o.top, o.dir, o.timeout_s, o.compile_commands, o.cflags,
                       o.baseline ? &base : NULL};
    cli_prof_run run;
    rc = cli_profile_program(&a, res.pos, res.npos, &run);
    if (o.baseline) base_close(&base);
    if (o.static_ && run.n) { /* after Ctrl-C too: on the profile so far (still 130) */
        int frc = cli_findings(&a, &run);
        if (rc == CLI_OK) rc = frc;
    }
    cli_prof_run_free(&run);
    tach__opt_result_free(&res);
    return rc;
}
