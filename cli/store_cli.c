/* store_cli.c - choosing and opening the store, git facts, recording (see store_cli.h). */
#define _GNU_SOURCE /* pipe2 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"
#include "store_cli.h"

const char *cli_store_spec(const char *opt)
{
    if (opt) return opt;
    const char *env = getenv("TACH_STORE");
    if (env && *env) return env;
    return NULL;
}

/* Opens the chosen store with flags, without a word: NULL with why (TACH__ERR_MAX
 * bytes) when it cannot be, and *fault (may be NULL) what kind of failure it is (a spec
 * refused is TOOL_STORE_FAULT_ACCESS: a store that cannot be found). */
static tool_store *open_quiet_fault(const char *opt, int flags, tool_store_fault *fault,
                                    char *why)
{
    const char *spec = cli_store_spec(opt);
    if (fault) *fault = TOOL_STORE_FAULT_ACCESS;
    if (spec && !*spec) {
        tach__err(why, "--store needs a path or a postgresql:// URL");
        return NULL;
    }
    if (spec && tool_store_check_spec(spec, why) != 0) return NULL;
    return tool_store_open_ex(spec, flags, fault, why);
}

static tool_store *open_quiet(const char *opt, int flags, char *why)
{
    return open_quiet_fault(opt, flags, NULL, why);
}

/* Opens the chosen store with flags; prints the reason and returns CLI_USAGE on failure. */
static int open_store(const char *opt, int flags, tool_store **out)
{
    char err[TACH__ERR_MAX] = "";
    *out = open_quiet(opt, flags, err);
    return *out ? CLI_OK : cli_usage_error("%s", err);
}

tool_store *cli_store_open_quiet(const char *opt, char *why)
{
    return open_quiet(opt, 0, why);
}

int cli_store_open(const char *opt, bool create, tool_store **out)
{
    return open_store(opt, create ? TOOL_STORE_CREATE : 0, out);
}

int cli_store_open_to_write(const char *opt, bool create, tool_store **out)
{
    /* Every page is checked before the first write: a damaged store is refused whole
     * and left as it was, not written into. */
    return open_store(opt, (create ? TOOL_STORE_CREATE : 0) | TOOL_STORE_CHECK, out);
}

/* A store file not made yet that the first record can make: its directory is there and
 * writable (or, for the default .tach/tach.db, .tach's parent is). */
static bool makeable_later(const char *opt)
{
    const char *spec = cli_store_spec(opt);
    if (spec && (!*spec || tool_store_spec_is_postgres(spec))) return false;
    char err[TACH__ERR_MAX];
    char *path = spec ? tach__strdup(spec) : tool_store_default_path(NULL, err);
    if (!path) return false;
    struct stat st;
    bool later = false;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        char *slash = strrchr(path, '/');
        if (!slash) {
            later = access(".", W_OK) == 0;
        } else {
            *slash = '\0';
            const char *dir = *path ? path : "/";
            if (stat(dir, &st) == 0) {
                later = S_ISDIR(st.st_mode) && access(dir, W_OK) == 0;
            } else if (!spec && errno == ENOENT) { /* the default's .tach, made with the store */
                char *up = strrchr(path, '/');
                if (up) *up = '\0';
                const char *parent = up && *path ? path : up ? "/" : ".";
                later = stat(parent, &st) == 0 && S_ISDIR(st.st_mode) && access(parent, W_OK) == 0;
            }
        }
    }
    tach__free(path);
    return later;
}

int cli_store_precheck(const char *opt)
{
    /* Not there yet and makeable: nothing to check, and nothing made before the run
     * (bad usage found by the run itself then leaves no empty store behind) */
    const char *spec = cli_store_spec(opt);
    char err[TACH__ERR_MAX];
    if (spec && *spec && tool_store_check_spec(spec, err) != 0) return cli_usage_error("%s", err);
    if (makeable_later(opt)) return CLI_OK;
    /* A run takes seconds: spend a moment checking every page first. */
    tool_store *s = NULL;
    int rc = open_store(opt, TOOL_STORE_CREATE | TOOL_STORE_CHECK, &s);
    tool_store_close(s);
    return rc;
}

/* ---- git ------------------------------------------------------------------------------ */

/* Runs a git command line (through sh, stderr discarded) and returns its first line of
 * output, or NULL when git fails, is absent, or prints nothing.  *any_output tells whether
 * anything at all was printed (for `status --porcelain`). */
static char *git_line(const char *args, bool *any_output, int *status)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "git %s", args);
    /* not popen: its child would keep the SIGPIPE tach ignores (main.c), and a shell
     * cannot give it back; cli_child_fork does */
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return NULL;
    cli_child_opts co = {.null_stdin = true, .null_stderr = true};
    pid_t pid = cli_child_fork(&co);
    if (pid == 0) {
        if (dup2(fds[1], 1) < 0) _exit(127);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *p = pid > 0 ? fdopen(fds[0], "r") : NULL;
    if (!p) {
        close(fds[0]);
        if (pid > 0)
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        return NULL;
    }
    char buf[1024];
    char *line = NULL;
    bool any = false;
    if (fgets(buf, sizeof buf, p)) {
        any = true;
        buf[strcspn(buf, "\r\n")] = '\0';
        line = tach__strdup(buf);
        while (fgets(buf, sizeof buf, p)) {
        }
    }
    fclose(p);
    int st = -1;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (status) *status = st;
    if (any_output) *any_output = any;
    if (st != 0) {
        tach__free(line);
        return NULL;
    }
    if (line && !*line) {
        tach__free(line);
        return NULL;
    }
    return line;
}

void cli_git_info_get(cli_git_info *g)
{
    memset(g, 0, sizeof *g);
    g->dirty = -1;
    g->commit = git_line("rev-parse --verify -q HEAD", NULL, NULL);
    if (!g->commit) return; /* not a work tree, no commit yet, or no git */
    g->branch = git_line("symbolic-ref --short -q HEAD", NULL, NULL);
    g->subject = git_line("log -1 --format=%s HEAD", NULL, NULL);
    bool any = false;
    int st = -1;
    char *first = git_line("status --porcelain --untracked-files=no", &any, &st);
    tach__free(first);
    if (st == 0) g->dirty = any ? 1 : 0;
}

void cli_git_info_free(cli_git_info *g)
{
    if (!g) return;
    tach__free(g->commit);
    tach__free(g->branch);
    tach__free(g->subject);
    memset(g, 0, sizeof *g);
    g->dirty = -1;
}

char *cli_git_resolve(const char *ref)
{
    /* Only plain ref characters reach the shell. */
    if (!ref || !*ref || ref[0] == '-') return NULL;
    for (const char *p = ref; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-/~^@{}", *p)) return NULL;
    char args[400];
    if (snprintf(args, sizeof args, "rev-parse --verify -q '%s^{commit}'", ref) >= (int)sizeof args)
        return NULL;
    return git_line(args, NULL, NULL);
}

/* ---- recording ---------------------------------------------------------------------------- */

int cli_store_record_doc(tool_store *s, const tach__doc *doc, char **tags, size_t ntags,
                         bool quiet, const cli_later *later, int64_t *run_id)
{
    return cli_store_record_doc_once(s, doc, tags, ntags, quiet, later, run_id, NULL);
}

/* The commit a document names for itself (context "git_commit", else "commit", as a
 * report reads it), NULL when none: a file made elsewhere, recorded from another folder. */
static const char *doc_commit(const tach__doc *doc)
{
    const json_t *ctx = doc ? doc->context : NULL;
    const char *c = json_string_value(json_object_get(ctx, "git_commit"));
    if (!c || !*c) c = json_string_value(json_object_get(ctx, "commit"));
    return c && *c ? c : NULL;
}

/* Whether the document's commit c is HEAD's (head, full), or an abbreviation of it. */
static bool same_commit(const char *c, const char *head)
{
    size_t n = strlen(c);
    if (!head || n < 4 || n > strlen(head)) return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)c[i]) != tolower((unsigned char)head[i])) return false;
    return true;
}

/* The commit to store for a document's own commit c (not HEAD's): a SHA as the store
 * holds every other one and as a ref is looked up (cli_store_resolve_run: git's full
 * SHA, in lower case), so that 'compare HEAD~1' finds the run: an abbreviation git
 * knows the commit of made full, hex in upper case lowered; other text kept as given.
 * Malloc'd (tach__free), NULL when out of memory. */
static char *doc_commit_sha(const char *c)
{
    size_t n = strlen(c);
    bool hex = n >= 4 && n <= 64;
    for (size_t i = 0; hex && i < n; i++) hex = isxdigit((unsigned char)c[i]) != 0;
    char *sha = hex ? cli_git_resolve(c) : NULL;
    if (sha) return sha;
    sha = tach__strdup(c);
    for (char *p = sha; hex && p && *p; p++) *p = (char)tolower((unsigned char)*p);
    return sha;
}

int cli_store_record_doc_once(tool_store *s, const tach__doc *doc, char **tags, size_t ntags,
                              bool quiet, const cli_later *later, int64_t *run_id, bool *already)
{
    if (already) *already = false;
    tach__param *tv = ntags ? tach__calloc(ntags, sizeof *tv) : NULL;
    if (ntags && !tv) return cli_error(CLI_FAIL, "out of memory");
    for (size_t i = 0; i < ntags; i++) {
        const char *eq = strchr(tags[i], '=');
        if (!eq || eq == tags[i]) {
            for (size_t k = 0; k < i; k++) tach__free(tv[k].name);
            tach__free(tv);
            return cli_usage_error("bad --tag '%s': expected KEY=VALUE", tags[i]);
        }
        tv[i].name = tach__malloc((size_t)(eq - tags[i]) + 1);
        if (tv[i].name) {
            memcpy(tv[i].name, tags[i], (size_t)(eq - tags[i]));
            tv[i].name[eq - tags[i]] = '\0';
        }
        tv[i].value = (char *)(eq + 1);
    }
    cli_git_info g;
    cli_git_info_get(&g);
    /* The document's own commit wins over the current folder's: HEAD's branch, subject and
     * dirty flag then describe another commit, and are left out. */
    const char *own = doc_commit(doc);
    bool head = !own || same_commit(own, g.commit);
    char *own_sha = head ? NULL : doc_commit_sha(own);
    if (!head && !own_sha) {
        cli_git_info_free(&g);
        for (size_t i = 0; i < ntags; i++) tach__free(tv[i].name);
        tach__free(tv);
        return cli_error(CLI_FAIL, "out of memory");
    }
    tool_run_meta meta = {.commit = head ? g.commit : own_sha,
                           .branch = head ? g.branch : NULL,
                           .subject = head ? g.subject : NULL,
                           .dirty = head ? g.dirty : -1,
                           .tags = tv,
                           .ntags = ntags,
                           .once = already != NULL};
    char err[TACH__ERR_MAX] = "";
    int64_t id = 0;
    int rc = tool_store_record(s, doc, &meta, &id, err);
    cli_git_info_free(&g);
    tach__free(own_sha);
    for (size_t i = 0; i < ntags; i++) tach__free(tv[i].name);
    tach__free(tv);
    if (rc == TOOL_STORE_RECORDED_ALREADY) {
        *already = true;
        if (run_id) *run_id = id;
        return CLI_OK;
    }
    if (rc != 0) return cli_store_record_failed(s, rc, err, later);
    if (!quiet) fprintf(stderr, "%s: recorded run %lld in %s\n", cli_prog(), (long long)id, tool_store_name(s));
    if (run_id) *run_id = id;
    return CLI_OK;
}

void cli_set_run_uid(json_t *context)
{
    unsigned char r[16];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n <= 0) return; /* no uid: the run is recorded all the same, unchecked later */
        got += (size_t)n;
    }
    char hex[2 * sizeof r + 1];
    for (size_t i = 0; i < sizeof r; i++) snprintf(hex + 2 * i, 3, "%02x", r[i]);
    (void)json_object_set_new(context, "run_uid", json_string(hex));
}

/* later's note (cli_later), or "": "; its results are kept in FILE (tach record FILE
 * records them)", or "; record it later with: tach record FILE --tag K=V"; when the run
 * may be recorded already, "... records them unless they are recorded", "... (which
 * records it unless it is recorded)": tach record finds such a run by the id the file
 * carries (context.run_uid) and records it no more. */
static void later_note(const cli_later *later, bool maybe, char *buf, size_t size)
{
    *buf = '\0';
    if (later && later->kept && *later->kept) {
        snprintf(buf, size, "; its results are kept in %s (tach record %s records them%s)",
                 cli_term(later->kept), cli_term(later->kept), maybe ? " unless they are recorded" : "");
        return;
    }
    if (!later || !later->file || !*later->file) return;
    char **argv = tach__calloc(2 * later->ntags + 4, sizeof *argv);
    char *dotted = NULL; /* "-x.json" is an option to tach record: "./-x.json" */
    if (later->file[0] == '-' &&
        (dotted = tach__malloc(strlen(later->file) + 3)) != NULL)
        snprintf(dotted, strlen(later->file) + 3, "./%s", later->file);
    char *cmd = NULL;
    if (argv) {
        size_t n = 0;
        argv[n++] = (char *)"tach";
        argv[n++] = (char *)"record";
        argv[n++] = dotted ? dotted : (char *)later->file;
        for (size_t i = 0; i < later->ntags; i++) {
            argv[n++] = (char *)"--tag";
            argv[n++] = later->tags[i];
        }
        cmd = cli_words_join(argv);
    }
    const char *tail = maybe ? " (which records it unless it is recorded)" : "";
    if (cmd && (size_t)snprintf(buf, size, "; record it later with: %s%s", cli_term(cmd), tail) >= size) {
        /* a command cut would look runnable and is not: the file's, the tags said */
        tach__free(cmd);
        argv[3] = NULL;
        cmd = cli_words_join(argv);
        if (cmd)
            snprintf(buf, size, "; record it later with: %s, adding this run's %zu --tag options%s",
                     cli_term(cmd), later->ntags, tail);
        else
            *buf = '\0';
    }
    tach__free(cmd);
    tach__free(dotted);
    tach__free(argv);
}

int cli_store_record_failed(const tool_store *s, int rc, const char *err, const cli_later *later)
{
    /* the results printed and exported stay: say what is lost, or that it is not known */
    char note[2 * PATH_MAX + 64];
    later_note(later, rc == TOOL_STORE_MAYBE_RECORDED, note, sizeof note);
    char lost[TACH__ERR_MAX + sizeof note + 128];
    if (rc == TOOL_STORE_MAYBE_RECORDED)
        snprintf(lost, sizeof lost, "%s; the connection was lost at COMMIT: the run may or may "
                                    "not be recorded; check with tach history%s", err, note);
    else
        snprintf(lost, sizeof lost, "%s; the run was NOT recorded%s", err, note);
    return cli_store_failed(s, lost);
}

int cli_store_open_to_record(const char *opt, const cli_later *later, tool_store **out)
{
    /* The store was checked before the run (cli_store_precheck); one that cannot be
     * opened now (a PostgreSQL server down) fails the write, not the usage: exit 1, as a
     * write that fails, and the user told what is lost.  One damaged since (or replaced
     * by a foreign file or a directory, or migrated by a newer tach) is bad input, as it would have been
     * before the run and as a damaged store met by the record itself is: exit 2.  So is
     * one made read-only since (TOOL_STORE_FAULT_DENIED): the user's to fix. */
    char why[TACH__ERR_MAX] = "";
    tool_store_fault fault = TOOL_STORE_FAULT_NONE;
    *out = open_quiet_fault(opt, TOOL_STORE_CREATE | TOOL_STORE_CHECK, &fault, why);
    if (*out) return CLI_OK;
    char note[2 * PATH_MAX + 64];
    later_note(later, false, note, sizeof note);
    return cli_error(fault == TOOL_STORE_FAULT_ACCESS ? CLI_FAIL : CLI_USAGE,
                     "the run was NOT recorded: %s%s", why, note);
}

int cli_run_record(const tach__doc *doc, const char *kind, const char *store_opt, bool no_store,
                   char **tags, size_t ntags, const char *export_json)
{
    if (no_store) return CLI_OK;
    /* the export is the document to record later; without one, it is kept as tach
     * bench keeps its own, before the record is tried */
    cli_kept k = {0};
    bool keep = !export_json;
    if (keep) {
        char *dir = cli_project_tach_dir(k.why);
        if (dir) (void)cli_kept_write(&k, dir, kind, doc, tags, ntags);
        tach__free(dir);
    }
    cli_later later = {.kept = k.path, .file = export_json, .tags = tags, .ntags = ntags};
    tool_store *s = NULL;
    int rc = cli_store_open_to_record(store_opt, &later, &s);
    if (rc == CLI_OK) {
        rc = cli_store_record_doc(s, doc, tags, ntags, false, &later, NULL);
        tool_store_close(s);
    }
    if (rc == CLI_OK) {
        cli_kept_drop(&k);
        return rc;
    }
    if (keep && !k.path) /* not a silent loss: the results are in the outputs shown only */
        (void)cli_error(CLI_OK, "its results could not be kept for a tach record later: %s", k.why);
    cli_kept_free(&k);
    return rc;
}

/* ---- run references ------------------------------------------------------------------------ */

const char *cli_path_not_file(const char *spec)
{
    struct stat st;
    if (!spec || !*spec || stat(spec, &st) != 0 || S_ISREG(st.st_mode)) return NULL;
    return S_ISDIR(st.st_mode) ? "is a directory, not a results file"
                               : "is not a regular file (a results file)";
}

/* quiet: a reference naming no run returns CLI_USAGE unsaid (a failed read is still said) */
static int resolve_run(tool_store *s, const char *ref, int64_t *id, bool quiet)
{
    char err[TACH__ERR_MAX] = "";
    if (!ref || !*ref) return quiet ? CLI_USAGE : cli_usage_error("an empty run reference");
    bool digits = true;
    for (const char *p = ref; *p; p++)
        if (!isdigit((unsigned char)*p)) digits = false;
    if (digits && strlen(ref) < 12) {
        tool_run_info r;
        int rc = tool_store_run_get(s, strtoll(ref, NULL, 10), &r, err);
        tool_run_info_clear(&r);
        if (rc == 0) {
            *id = strtoll(ref, NULL, 10);
            return CLI_OK;
        }
        if (rc < 0) return cli_store_read_failed(s, err);
        /* Not a run id: a short number is nothing else; 4+ digits may be a SHA prefix. */
        if (strlen(ref) < 4) return quiet ? CLI_USAGE : cli_usage_error("%s", err);
    }
    if (!strcmp(ref, "latest")) {
        int rc = tool_store_latest(s, NULL, id, err);
        return rc == 0 ? CLI_OK
               : rc < 0 ? cli_store_read_failed(s, err)
               : quiet  ? CLI_USAGE
                        : cli_usage_error("%s", err);
    }
    int rc = tool_store_baseline_get(s, ref, id, err);
    if (rc == 0) return CLI_OK;
    if (rc < 0) return cli_store_read_failed(s, err);
    char *sha = cli_git_resolve(ref);
    const char *commit = sha ? sha : ref;
    bool hex = strlen(commit) >= 4;
    for (const char *p = commit; *p; p++)
        if (!isxdigit((unsigned char)*p)) hex = false;
    if (hex) {
        rc = tool_store_latest_on_commit(s, commit, NULL, id, err);
        if (rc == 0) {
            tach__free(sha);
            return CLI_OK;
        }
        if (rc < 0) {
            tach__free(sha);
            return cli_store_read_failed(s, err);
        }
    }
    if (quiet)
        ; /* the caller says it */
    else if (sha)
        cli_usage_error("no run on %s (commit %.12s) in store %s", ref, sha, tool_store_name(s));
    else if (digits)
        cli_usage_error("no run %s (nor a commit with that prefix) in store %s", ref,
                        tool_store_name(s));
    else if (cli_path_not_file(ref)) /* 'adir': a path, said before the store's no */
        cli_usage_error("'%s' %s, nor a run id, a baseline or a git ref with a run in store %s",
                        ref, cli_path_not_file(ref), tool_store_name(s));
    else
        cli_usage_error("'%s' is not a run id, a baseline or a git ref with a run in store %s",
                        ref, tool_store_name(s));
    tach__free(sha);
    return CLI_USAGE;
}

int cli_store_resolve_run(tool_store *s, const char *ref, int64_t *id)
{
    return resolve_run(s, ref, id, false);
}

int cli_store_find_run(tool_store *s, const char *ref, int64_t *id)
{
    return resolve_run(s, ref, id, true);
}

int cli_check_file_spec(const char *spec)
{
    bool json = strstr(spec, ".json") != NULL;
    if (!json && !strchr(spec, '/')) return CLI_OK;
    struct stat st;
    int se = stat(spec, &st) != 0 ? errno : 0;
    if (!se && S_ISDIR(st.st_mode))
        return cli_usage_error("'%s' is a directory, not a results file", spec);
    if (!json && (se == ENOENT || se == ENOTDIR)) return CLI_OK;
    return cli_usage_error("cannot read results file '%s': %s", spec,
                           se ? strerror(se) : "not a regular file");
}

/* err, with "store NAME: " before it unless it names the store already. */
static int store_error(const tool_store *s, int status, const char *err)
{
    const char *name = tool_store_name(s);
    if (strstr(err, name)) return cli_error(status, "%s", err);
    return cli_error(status, "store %s: %s", name, err);
}

int cli_store_failed(const tool_store *s, const char *err)
{
    return store_error(s, tool_store_is_corrupt(s) ? CLI_USAGE : CLI_FAIL, err);
}

int cli_store_read_failed(const tool_store *s, const char *err)
{
    return store_error(s, CLI_USAGE, err);
}

int cli_store_check_intact(const tool_store *s)
{
    if (!tool_store_is_corrupt(s)) return CLI_OK;
    if (tool_store_damage(s)) return cli_usage_error("%s", tool_store_damage(s));
    return cli_usage_error("the store is corrupt: a page of store %s is damaged (database disk "
                           "image is malformed)",
                           tool_store_name(s));
}

json_t *cli_command_line(int argc, char **argv)
{
    json_t *cl = json_array();
    if (!cl || json_array_append_new(cl, json_string("tach")) != 0) {
        json_decref(cl);
        return NULL;
    }
    for (int i = 0; i < argc; i++) {
        char *a = tach__redact_arg(i ? argv[i - 1] : NULL, argv[i]);
        int bad = !a || json_array_append_new(cl, tach__json_string_lossy(a)) != 0;
        tach__free(a);
        if (bad) {
            json_decref(cl);
            return NULL;
        }
    }
    return cl;
}
