/*
 * prof_binary.c - `tach profile BINARY` of a libtach benchmark binary: the binary run
 * once with --profile (it samples each benchmark's measured region, writes the files and
 * prints the tables), its results document read back for the benchmarks it profiled.
 *
 * The binary leads a process group of its own.  SIGINT, SIGTERM and SIGHUP are held in
 * tach while it runs; the first is taken and passed to the group as SIGINT, as `tach run`
 * passes one to a worker (libtach stops, keeps the benchmarks it finished, prints the
 * profiles so far and writes its document marked partial), with 10 s to end before it
 * is killed; tach then reports what it printed as partial (cmd_profile.c) and exits
 * 128 + the signal.
 * A second one kills the binary and tach at once.
 *
 * --timeout S bounds the binary's whole run, as it bounds a command's: still running
 * after S, it is stopped as by a Ctrl-C (SIGINT to its group, 10 s to end, then killed),
 * the profiles it finished are kept and reported partial, and tach exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "prof_cli.h"

extern char **environ;

/* As long as `tach run` gives an interrupted worker to write what it has. */
#define STOP_GRACE_NS (10ull * 1000000000ull)

/* Waits for pid (leading its group) with SIGINT, SIGTERM and SIGHUP held (stop, old
 * the mask before); *stop_sig the first of them (0: none), passed on; *killed whether it
 * outlived the grace after it.  A second signal ends tach at once, tmp (its document)
 * removed first.  deadline (tach__now_ns; 0: none) passed, the group is passed SIGINT
 * as for the first signal (*killed as well) and *timed_out set; a signal after it is
 * still the first (passed on, waited on).  Its wait status. */
static int wait_binary(pid_t pid, const sigset_t *stop, const sigset_t *old, const char *tmp,
                       uint64_t deadline, int *stop_sig, bool *killed, bool *timed_out)
{
    int ws = 0;
    uint64_t kill_at = 0;
    *stop_sig = 0;
    for (;;) {
        if (deadline && !*stop_sig && !*timed_out && tach__now_ns() >= deadline) {
            /* stopped as a Ctrl-C stops it: what it profiled until then is kept */
            *timed_out = true;
            if (kill(-pid, SIGINT) != 0) kill(pid, SIGINT);
            kill_at = tach__now_ns() + STOP_GRACE_NS;
        }
        pid_t w = waitpid(pid, &ws, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        int sig = cli_prof_held_signal(stop);
        if (sig && !*stop_sig) { /* (the first, after a timeout too: not a second one) */
            cli_prof_take_signal(sig);
            *stop_sig = sig;
            /* SIGINT whichever came: libtach's runner stops on it (SIGHUP would kill it) */
            if (kill(-pid, SIGINT) != 0) kill(pid, SIGINT);
            if (!*timed_out) kill_at = tach__now_ns() + STOP_GRACE_NS;
        } else if (sig) {
            unlink(tmp);
            cli_prof_end_now(pid, sig, old); /* a second one */
        } else if (kill_at && tach__now_ns() > kill_at) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            *killed = true;
            kill_at = 0;
        }
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (!*stop_sig && (*stop_sig = cli_prof_held_signal(stop)) != 0)
        cli_prof_take_signal(*stop_sig); /* it came as the binary ended: still an interruption */
    return ws;
}

/* Adds name and its top (context.profiles.NAME.top, or null) to kept; r, when not
 * NULL, a benchmark that did not end ok but has samples: "failed" says how it ended. */
static int keep(json_t *kept, const char *name, json_t *top, const tach__result *r)
{
    json_t *e = json_pack("{s:s, s:O}", "name", name, "top", top ? top : json_null());
    if (e && r) {
        tach__buf b = {0};
        tach__buf_printf(&b, "%s%s%s", tach__status_name(r->status), r->message ? ": " : "",
                         r->message ? r->message : "");
        char *how = tach__buf_take(&b);
        if (!how || json_object_set_new(e, "failed", json_string(how)) != 0) {
            json_decref(e);
            e = NULL;
        }
        tach__free(how);
    }
    return e && json_array_append_new(kept, e) == 0 ? 0 : -1;
}

/* Adds to kept the line the binary printed for name, which has no profile (it crashed,
 * failed or was skipped with no samples): "profile of NAME: none (STATUS: MESSAGE)". */
static int keep_none(json_t *kept, const tach__result *r)
{
    tach__buf b = {0};
    tach__buf_printf(&b, "profile of %s: none (%s%s%s)", r->name, tach__status_name(r->status),
                     r->message ? ": " : "", r->message ? r->message : "");
    char *line = tach__buf_take(&b);
    json_t *e = line ? json_pack("{s:s, s:s}", "name", r->name, "none", line) : NULL;
    tach__free(line);
    return e && json_array_append_new(kept, e) == 0 ? 0 : -1;
}

/* The profiles doc holds: each benchmark it finished (status ok), one that ended
 * otherwise (failed in its teardown, a later round crashed) with the samples it had
 * (marked "failed"), and when partial the one cut short too (in context.profiles, not
 * among the results) when it has samples; in their places, the lines of those that
 * ended otherwise with no profile. */
static int take_profiles(const tach__doc *d, json_t *kept)
{
    json_t *profiles = json_object_get(d->context, "profiles");
    for (size_t i = 0; i < d->nresults; i++) {
        const char *name = d->results[i].name;
        if (!name) continue;
        json_t *top = json_object_get(json_object_get(profiles, name), "top");
        if (d->results[i].status != TACH__OK) {
            if (top ? keep(kept, name, top, &d->results[i]) != 0 : keep_none(kept, &d->results[i]) != 0)
                return -1;
            continue;
        }
        if (keep(kept, name, top, NULL) != 0) return -1;
    }
    const char *name;
    json_t *p;
    json_object_foreach(profiles, name, p) {
        json_t *top = json_object_get(p, "top");
        if (!d->partial || json_integer_value(json_object_get(top, "samples")) <= 0) continue;
        bool listed = false;
        for (size_t i = 0; i < d->nresults && !listed; i++)
            listed = d->results[i].name && !strcmp(d->results[i].name, name);
        if (!listed && keep(kept, name, top, NULL) != 0) return -1;
    }
    return 0;
}

int cli_prof_binary(const cli_prof_args *o, const char *path, char **args, int nargs,
                    json_t **kept, bool *timed_out_, char *why_none)
{
    *kept = NULL;
    *timed_out_ = false;
    why_none[0] = '\0';
    char hz[32], top[32], tmp[4096];
    /* its --out: a $TMPDIR within 20 bytes of a path was cut to fit (exit 1), one within
     * about 50 left no room for the temporary file the binary writes beside it */
    int fits = cli_tmpdir_fits(NULL, cli_tmp_dir(), sizeof tmp, "/.tach-profile-XXXXXX" CLI_TMP_SUFFIX,
                               "file", NULL);
    if (fits != CLI_OK) return fits;
    snprintf(tmp, sizeof tmp, "%s/tach-profile-XXXXXX", cli_tmp_dir());
    snprintf(hz, sizeof hz, "%ld", o->hz);
    snprintf(top, sizeof top, "%ld", o->top);
    int fd = mkstemp(tmp);
    if (fd < 0) return cli_error(CLI_FAIL, "cannot create a temporary file");
    close(fd);
    char **argv = tach__calloc((size_t)nargs + 16, sizeof *argv);
    if (!argv) {
        unlink(tmp);
        return cli_error(CLI_FAIL, "out of memory");
    }
    size_t k = 0;
    argv[k++] = (char *)path;
    for (int i = 0; i < nargs; i++) argv[k++] = args[i];
    char *extra[] = {"--profile", "--profile-hz", hz, "--profile-dir", (char *)o->dir, "--top", top,
                     "--format", "json", "--out", tmp};
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) argv[k++] = extra[i];
    argv[k] = NULL;
    tach__stdout_flush();
    fflush(NULL);
    sigset_t stop, old;
    cli_prof_hold_signals(&stop, &old);
    /* With --baseline tach prints the tables, with the change column.  A group of its
     * own (so stdin from /dev/null: it may not read the terminal): a Ctrl-C reaches
     * tach alone, which passes it on once. */
    cli_child_opts co = {.null_stdin = true, .null_stdout = o->base != NULL, .own_group = true};
    pid_t pid = cli_child_fork(&co);
    if (pid == 0) {
        execve(path, argv, environ);
        _exit(127);
    }
    int stop_sig = 0, ws = 0;
    bool killed = false, timed_out = false;
    uint64_t deadline = o->timeout_s > 0 ? tach__now_ns() + (uint64_t)(o->timeout_s * 1e9) : 0;
    if (pid > 0) {
        setpgid(pid, pid); /* as the child does: no signal passed on is lost to the race */
        ws = wait_binary(pid, &stop, &old, tmp, deadline, &stop_sig, &killed, &timed_out);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    tach__free(argv);
    int rc = pid > 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? CLI_OK : CLI_FAIL;
    if (pid < 0) rc = cli_error(CLI_FAIL, "cannot start %s", path);
    else if (timed_out || stop_sig) rc = CLI_OK; /* its end by the SIGINT passed on is no failure */
    else if (rc != CLI_OK && WIFSIGNALED(ws)) /* its own stderr, above, says why */
        cli_error(CLI_FAIL, "%s was killed by signal %d (%s)", path, WTERMSIG(ws), tach__signal_name(WTERMSIG(ws)));
    else if (rc != CLI_OK)
        cli_error(CLI_FAIL, "%s exited with status %d", path, WEXITSTATUS(ws));
    char err[TACH__ERR_MAX];
    /* interrupted, the document it wrote (marked partial) when it had the time; failed (a
     * benchmark crashed: exit 1), the one it wrote all the same, with the profiles of the
     * others (with --baseline none was printed, and --static had no hot code) */
    tach__doc *d = pid > 0 && !killed && (rc == CLI_OK || WIFEXITED(ws)) ? tach__format_read_file(tmp, err)
                                                                          : NULL;
    if (timed_out) { /* what it kept is said after its tables (cmd_profile.c) */
        *timed_out_ = true;
        if (killed) tach__err(why_none, "it did not end within %llu s of the SIGINT passed on, and was killed",
                              (unsigned long long)(STOP_GRACE_NS / 1000000000ull));
        else if (!d) tach__err(why_none, "%s", err);
        else tach__err(why_none, "no benchmark was finished or had samples before it");
    } else if (stop_sig && killed)
        fprintf(stderr, "%s: %s did not end within %llu s of the SIGINT passed on: killed, no profile "
                        "kept\n", cli_prog(), cli_term(path), (unsigned long long)(STOP_GRACE_NS / 1000000000ull));
    else if (stop_sig && pid > 0 && !d)
        fprintf(stderr, "%s: %s: no profile kept: %s\n", cli_prog(), cli_term(path), err);
    if (d && (!(*kept = json_array()) || take_profiles(d, *kept) != 0))
        rc = cli_error(CLI_FAIL, "out of memory");
    tach__doc_free(d);
    unlink(tmp);
    if (timed_out) return CLI_FAIL;
    return stop_sig ? 128 + stop_sig : rc; /* 130, 143, 129 */
}
