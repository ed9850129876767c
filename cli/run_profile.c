/* run_profile.c - `tach run --profile`: after the timed runs, one more run of each
 * command (or one more worker of the benchmark binary, with --profile) sampled;
 * the bottleneck tables printed, the three files written and each profile kept in
 * the results document (so the store keeps it with the run). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "prof_cli.h"
#include "prof_doc.h"
#include "run.h"

/* Reads DIR/STEM.folded back for name and keeps it in doc. */
static int embed_file(tach__doc *doc, const char *dir, const char *name, char *err)
{
    char *path = tach__prof_folded_path(dir, name);
    int rc = 0;
    if (!path) rc = tach__err(err, "out of memory");
    else {
        size_t len = 0;
        char *text = tach__read_file(path, &len, err);
        tach__profile *p = text ? tach__profile_from_folded(text, name, err) : NULL;
        if (!p) rc = -1;
        else rc = tool_profile_embed(doc, name, p, err);
        tach__profile_free(p);
        tach__free(text);
    }
    tach__free(path);
    return rc;
}

/* A profiled run Ctrl-C (SIGTERM, SIGHUP: sig) stopped: its profile is not kept. */
static void say_dropped(const char *what, int sig)
{
    fprintf(stderr, "%s: --profile: %s: the profiled run was interrupted by %s (no profile kept)\n",
            cli_prog(), cli_term(what), tach__signal_name(sig ? sig : SIGINT));
}

/* The profiled run of a binary failed (exit status code): why, from the document it
 * wrote (bd, may be NULL) when a benchmark in it did not end ok (the one that took
 * longer than --timeout named so, as a timed run's timeout is), else in general. */
static int say_failed(const cli_run_opts *o, const char *bin, const tach__doc *bd, int code)
{
    bool said = false;
    for (size_t i = 0; bd && i < bd->nresults; i++) {
        const tach__result *r = &bd->results[i];
        if (r->status == TACH__OK || r->status == TACH__SKIPPED) continue;
        if (r->status == TACH__TIMEOUT && o->timeout_s > 0)
            fprintf(stderr, "%s: --profile: %s: the profiled run took longer than the timeout of %g s "
                            "(no profile kept)\n", cli_prog(), cli_term(r->name), o->timeout_s);
        else
            fprintf(stderr, "%s: --profile: %s: the profiled run ended %s%s%s (no profile kept)\n", cli_prog(),
                    cli_term(r->name), tach__status_name(r->status), r->message ? ": " : "",
                    r->message ? cli_term(r->message) : "");
        said = true;
    }
    if (said) return CLI_FAIL;
    char how[96]; /* as profiled_run_ok says it: never "signal 1000" for CLI_EXIT_UNKNOWN */
    if (code < 0) cli_signal_describe(-code, how, sizeof how);
    else snprintf(how, sizeof how, "exited with code %d", code);
    return cli_error(CLI_FAIL, "--profile: %s: the profiled run failed — %s", cli_term(bin), how);
}

/* The profiled run of binary bin: its benchmarks once more with --profile (each bounded
 * by --timeout, as in the timed runs; the binary killed whole, group and all, when it
 * outlives them all: cli_bench_kill_after), each profile kept in doc. */
static int profile_binary(cli_spawner *sp, const cli_run_opts *o, const char *bin, tach__doc *doc)
{
    char hz[32], top[32], tmo[32], tmp[4096];
    /* its --out, named as the timed runs' (cli_bench_run): the $TMPDIR they were let
     * have (the longest path counted, the temporary file the binary writes beside it)
     * holds it too, refused before anything ran, not after the timed runs */
    int fits = cli_tmpdir_fits(NULL, cli_tmp_dir(), sizeof tmp, "/.tach-run-XXXXXX" CLI_TMP_SUFFIX, "file",
                               NULL);
    if (fits != CLI_OK) return fits;
    snprintf(tmp, sizeof tmp, "%s/tach-run-XXXXXX", cli_tmp_dir());
    snprintf(hz, sizeof hz, "%ld", o->profile_hz);
    snprintf(top, sizeof top, "%ld", o->top);
    snprintf(tmo, sizeof tmo, "%g", o->timeout_s);
    int fd = mkstemp(tmp);
    if (fd < 0) return cli_error(CLI_FAIL, "--profile: cannot create a temporary file");
    close(fd);
    char **argv = tach__calloc(24 + o->nargv_cmd, sizeof *argv);
    if (!argv) {
        unlink(tmp);
        return cli_error(CLI_FAIL, "out of memory");
    }
    size_t k = 0;
    argv[k++] = (char *)bin;
    char *fixed[] = {"--profile", "--profile-hz", hz, "--profile-dir", (char *)o->profile_dir, "--top",
                     top, "--quiet", "--format", "json", "--out", tmp, "--rounds", "1"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) argv[k++] = fixed[i];
    if (o->filter) argv[k++] = "--filter", argv[k++] = (char *)o->filter;
    if (o->timeout_s > 0) argv[k++] = "--timeout", argv[k++] = tmo;
    for (size_t i = 0; i < o->nargv_cmd; i++) argv[k++] = o->argv_cmd[i];
    argv[k] = NULL;
    extern char **environ;
    int code = 0;
    double kill_after = o->timeout_s > 0 ? cli_bench_kill_after(doc->nresults, o->timeout_s) : 0;
    tach__stdout_flush();
    cli_run_outcome oc = cli_spawn_wait(sp, bin, argv, environ, STDOUT_FILENO, STDERR_FILENO,
                                        (uint64_t)(kill_after * 1e9), &code);
    tach__free(argv);
    int rc = CLI_OK;
    if (oc == CLI_RUN_INTERRUPTED) { /* killed: the timed results stand, marked partial */
        say_dropped(bin, sp->interrupt_sig);
        unlink(tmp);
        return CLI_INTERRUPTED;
    }
    char err[TACH__ERR_MAX];
    /* the binary's own document keeps each table with its file:line (the folded
     * stacks name functions only); one that failed says why there */
    tach__doc *bd = oc == CLI_RUN_DONE && (code == 0 || code == 1) ? tach__format_read_file(tmp, err) : NULL;
    if (oc == CLI_RUN_TIMEOUT) /* a hang outside a worker (--no-isolate): killed, group and all */
        rc = cli_error(CLI_FAIL, "--profile: %s: the profiled run took longer than %g s (the timeout of "
                                 "%g s for each of its %zu benchmark%s, and 10 s each to end one and write): "
                                 "killed", bin, kill_after, o->timeout_s, doc->nresults,
                      doc->nresults == 1 ? "" : "s");
    else if (oc != CLI_RUN_DONE) rc = cli_error(CLI_FAIL, "--profile: the profiled run failed");
    else if (code != 0) rc = say_failed(o, bin, bd, code);
    for (size_t i = 0; rc == CLI_OK && i < doc->nresults; i++) {
        const char *name = doc->results[i].name;
        if (doc->results[i].status != TACH__OK) continue;
        if (embed_file(doc, o->profile_dir, name, err) != 0) {
            rc = cli_error(CLI_FAIL, "--profile: %s", err);
            break;
        }
        json_t *btop = bd ? json_object_get(json_object_get(json_object_get(bd->context, "profiles"), name), "top") : NULL;
        json_t *e = json_object_get(json_object_get(doc->context, "profiles"), name);
        if (btop && e) json_object_set(e, "top", btop);
    }
    tach__doc_free(bd);
    unlink(tmp);
    return rc;
}

/* Whether the profiled run of u ended as a timed run may (cli_run_code_ignored); when
 * not, says so with its last lines on stderr, as a failed timed run is shown. */
static bool profiled_run_ok(const cli_run_opts *o, const cli_run_unit *u, int code, int efd)
{
    if (cli_run_code_ignored(o, code)) return true;
    char how[96];
    if (code < 0) cli_signal_describe(-code, how, sizeof how);
    else snprintf(how, sizeof how, "exited with code %d", code);
    fprintf(stderr, "%s: --profile: %s: the profiled run failed — %s (its profile is not kept)\n",
            cli_prog(), cli_term(u->label), how);
    char *tail = efd >= 0 ? cli_fd_tail(efd) : NULL;
    cli_print_tail(u->label, tail);
    tach__free(tail);
    return false;
}

/* u's --prepare, before its profiled run as before each timed run (it was not run: a
 * profiled run after a cleared cache or a reset file was one after the last timed run).
 * CLI_OK, CLI_INTERRUPTED, or CLI_FAIL after saying why (no profile of u then). */
static int run_prepare(cli_spawner *sp, const cli_run_opts *o, const cli_run_unit *u)
{
    extern char **environ;
    if (!u->prep_argv) return CLI_OK;
    cli_run_sample smp;
    uint64_t timeout = o->timeout_s > 0 ? (uint64_t)(o->timeout_s * 1e9) : 0;
    cli_run_outcome oc = cli_spawn_timed(sp, u->prep_argv[0], u->prep_argv, environ, timeout, true, &smp);
    if (oc == CLI_RUN_INTERRUPTED) {
        say_dropped(u->label, sp->interrupt_sig);
        return CLI_INTERRUPTED;
    }
    if (oc == CLI_RUN_DONE && smp.exit_code == 0) return CLI_OK;
    char how[160];
    cli_aux_failure(oc, smp.exit_code, o->timeout_s, how, sizeof how);
    char *shown = tach__redact(u->prep_argv[2]); /* the shell's command: no password */
    int rc = cli_error(CLI_FAIL, "--profile: %s: the --prepare command '%s' %s (no profile kept)",
                       cli_term(u->label), shown ? shown : "?", how);
    tach__free(shown);
    return rc;
}

int cli_run_profile(cli_spawner *sp, const cli_run_opts *o, const char *bin_path,
                    const cli_run_unit *units, size_t nunits, tach__doc *doc)
{
    if (bin_path) return profile_binary(sp, o, bin_path, doc);
    extern char **environ;
    char err[TACH__ERR_MAX];
    int rc = CLI_OK;
    for (size_t i = 0; i < nunits && rc == CLI_OK; i++) {
        const cli_run_unit *u = &units[i];
        const char *name = doc->results[u->result].name;
        /* a command whose timed runs failed is reported so already: no profile of it */
        if (doc->results[u->result].status != TACH__OK) continue;
        if ((rc = run_prepare(sp, o, u)) != CLI_OK) break;
        tach__prof_raw *raw = tach__prof_raw_new();
        int code = 0, stop = 0;
        if (!raw) return cli_error(CLI_FAIL, "out of memory");
        double timeout = o->timeout_s > 0 ? o->timeout_s : 0;
        int efd = cli_tmp_fd(); /* its stderr, to show why when it fails */
        /* --input, from its start, as the timed runs read it (it read /dev/null) */
        if (sp->in_rewind) lseek(sp->in_fd, 0, SEEK_SET);
        if (cli_prof_command(u->path, u->argv, environ, (int)o->profile_hz, timeout, sp->in_fd, efd, raw,
                             &code, &stop, NULL, err) != 0) {
            rc = cli_error(CLI_FAIL, "--profile: %s", err);
        } else if (stop) {
            /* the timed results stand, reported as tach run reports an interrupted run */
            say_dropped(u->label, stop);
            if (!sp->interrupted) sp->interrupt_sig = stop;
            sp->interrupted = true;
            rc = CLI_INTERRUPTED;
        } else {
            char *text = cli_prof_report(raw, name, (int)o->profile_hz, o->profile_dir, (size_t)o->top,
                                         true, NULL, err);
            if (!text) rc = cli_error(CLI_FAIL, "--profile: %s", err);
            else fprintf(stdout, "\n%s", text);
            tach__free(text);
            tach__stdout_flush();
            if (rc == CLI_OK && !profiled_run_ok(o, u, code, efd)) rc = CLI_FAIL;
            tach__symtab *t = rc == CLI_OK ? tach__symtab_new(raw->maps ? raw->maps : "", err) : NULL;
            tach__profile *p = t ? tach__profile_build(raw, t, name, (int)o->profile_hz, err) : NULL;
            if (rc == CLI_OK && (!p || tool_profile_embed(doc, name, p, err) != 0))
                rc = cli_error(CLI_FAIL, "--profile: %s", err);
            tach__profile_free(p);
            tach__symtab_free(t);
        }
        if (efd >= 0) close(efd);
        tach__prof_raw_free(raw);
    }
    tach__stdout_flush();
    return rc;
}
