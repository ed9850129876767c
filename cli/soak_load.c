/*
 * soak_load.c - a soak of a `tach load` scenario (docs/soak.md): one `tach load
 * LOAD-ARGS --duration D --interval I --warmup 0 --no-store --quiet --quiet-interrupt
 * --series TMP --export-json PIPE` for the whole soak, so the target lives as one process throughout; each
 * interval's line, written by the load run as soon as the interval ends
 * (src/bench/load_series.c), is read from TMP as it comes and checkpointed.  A benchmark binary's lines carry its
 * own RSS, heap, descriptors and threads; for a URL target, the process given by
 * --pid (the server) is read from /proc here at each line.  The load run's document,
 * read from PIPE, gives its own checks (invalid, objectives), kept in the file as a
 * {"load_run": {...}} line when it ends.
 */
#define _GNU_SOURCE /* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "proc_probe.h"
#include "soak_cli.h"
#include "tach_internal.h"

bool cli_soak_load_is_url(const json_t *target)
{
    size_t i;
    const json_t *w;
    json_array_foreach(json_object_get(target, "argv"), i, w) {
        const char *s = json_string_value(w);
        if (s && (!strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8))) return true;
    }
    return false;
}

/* One line of the load run's series as the soak's: the soak's own interval number and
 * time, and the watched server's figures. */
static int take_line(const char *text, size_t len, double t0, size_t index0, pid_t pid,
                     int (*put)(void *, json_t *, char *), void *ctx, size_t *lines, char *err)
{
    json_error_t je;
    json_t *o = json_loadb(text, len, 0, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return 0; /* not a line of the series: skipped */
    }
    double start = json_number_value(json_object_get(o, "start_s"));
    double length = json_number_value(json_object_get(o, "length"));
    size_t k = (size_t)json_integer_value(json_object_get(o, "interval"));
    json_object_set_new(o, "interval", json_integer((json_int_t)(index0 + k)));
    json_object_set_new(o, "t", json_real(t0 + start + length));
    json_object_del(o, "start_s");
    if (pid > 0) {
        tach__proc_probe p;
        tach__proc_probe_read(pid, &p);
        tach__proc_probe_json(&p, o);
    }
    int rc = put(ctx, o, err);
    json_decref(o);
    (*lines)++;
    return rc;
}

/* Appends what is in the (non-blocking) pipe fd to *buf. */
static int drain(int fd, char **buf, size_t *cap, size_t *have, char *err)
{
    for (;;) {
        if (*have + 1 >= *cap && TACH__GROW(buf, cap, *have + 4097, 4096) != 0)
            return tach__err(err, "out of memory");
        ssize_t r = read(fd, *buf + *have, *cap - *have - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return 0;
        *have += (size_t)r;
    }
}

/* The load run's own checks from its document: {"exit", "invalid", "invalid_reason",
 * "slo_verdicts"} of its "overall" result, or NULL when the document is not there. */
static json_t *load_outcome(const char *text, size_t len, int code)
{
    json_error_t je;
    json_t *d = len ? json_loadb(text, len, 0, &je) : NULL;
    size_t i;
    const json_t *b, *load = NULL;
    json_array_foreach(json_object_get(d, "benchmarks"), i, b) {
        const char *name = json_string_value(json_object_get(b, "name"));
        if (name && !strcmp(name, "overall")) load = json_object_get(b, "load");
    }
    json_t *o = load ? json_object() : NULL;
    if (o) {
        json_object_set_new(o, "exit", json_integer(code));
        json_object_set_new(o, "invalid", json_boolean(json_is_true(json_object_get(load, "invalid"))));
        const json_t *why = json_object_get(load, "invalid_reason");
        json_object_set_new(o, "invalid_reason", json_is_string(why) ? json_deep_copy(why) : json_null());
        const json_t *sv = json_object_get(load, "slo_verdicts");
        json_object_set_new(o, "slo_verdicts", json_is_array(sv) ? json_deep_copy(sv) : json_array());
    }
    json_decref(d);
    return o;
}

int cli_soak_load(const json_t *target, double run_s, double interval_s, double t0,
                  size_t index0, const volatile sig_atomic_t *stop,
                  int (*put)(void *, json_t *, char *), void *ctx, char *err)
{
    const json_t *words = json_object_get(target, "argv");
    size_t nw = json_array_size(words);
    pid_t watch = (pid_t)json_integer_value(json_object_get(target, "pid"));
    /* The series file has no name: it is unlinked at once and the load run writes it
     * through /proc/PID/fd/N of this process, so that nothing is left behind however
     * the soak ends (kill -9 included). */
    char tmpl[4096];
    const char *dir = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/tach-soak-load-XXXXXX", dir && *dir ? dir : "/tmp");
    int rfd = mkostemp(tmpl, O_CLOEXEC);
    if (rfd < 0) return tach__err(err, "cannot create a temporary file: %s", strerror(errno));
    unlink(tmpl);
    snprintf(tmpl, sizeof tmpl, "/proc/%ld/fd/%d", (long)getpid(), rfd);
    /* its document comes back through a pipe (written in place: a FIFO), read as it
     * comes so that the load run never blocks on a full pipe */
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) != 0) {
        int e = errno;
        close(rfd);
        return tach__err(err, "cannot create a pipe: %s", strerror(e));
    }
    char jpath[64];
    snprintf(jpath, sizeof jpath, "/proc/%ld/fd/%d", (long)getpid(), pfd[1]);
    char dur[64], ivl[64];
    snprintf(dur, sizeof dur, "%.6f", run_s);
    snprintf(ivl, sizeof ivl, "%.6f", interval_s);
    char **argv = tach__calloc(nw + 16, sizeof *argv);
    if (!argv) {
        close(rfd);
        close(pfd[0]);
        close(pfd[1]);
        return tach__err(err, "out of memory");
    }
    size_t n = 0;
    argv[n++] = "tach";
    argv[n++] = "load";
    for (size_t i = 0; i < nw; i++) argv[n++] = (char *)json_string_value(json_array_get(words, i));
    /* --quiet-interrupt: the soak stops it (Ctrl-C, a SIGTERM) and says so itself, naming
     * the command the user ran; "tach load: interrupted; ..." would name one never run */
    const char *tail[] = {"--duration", dur, "--interval", ivl, "--warmup", "0",
                          "--no-store", "--quiet", "--quiet-interrupt", "--series", tmpl,
                          "--export-json", jpath};
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) argv[n++] = (char *)tail[i];
    argv[n] = NULL;
    /* tach soak killed: its load run gets SIGTERM, stops its benchmark binary (which
     * dies with it at worst) and removes its own temporary file. */
    cli_child_opts co = {.deathsig = SIGTERM, .null_stdin = true, .null_stdout = true};
    pid_t pid = cli_child_fork(&co); /* its messages (stderr) are the user's to see */
    if (pid < 0) {
        int e = errno;
        tach__free(argv);
        close(rfd);
        close(pfd[0]);
        close(pfd[1]);
        return tach__err(err, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    tach__free(argv);
    /* Tail the series: complete lines as they come, until the load run ends. */
    char *buf = NULL, *doc = NULL;
    size_t cap = 0, have = 0, lines = 0, dcap = 0, dhave = 0;
    int rc = 0, st = 0;
    bool exited = false, signalled = false;
    for (;;) {
        if (!exited) {
            pid_t w = waitpid(pid, &st, WNOHANG);
            if (w == pid) exited = true;
        }
        for (;;) { /* read what is there */
            if (have == cap && TACH__GROW(&buf, &cap, have + 4096, 4096) != 0) {
                rc = tach__err(err, "out of memory");
                break;
            }
            ssize_t r = read(rfd, buf + have, cap - have);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            have += (size_t)r;
        }
        if (rc == 0) rc = drain(pfd[0], &doc, &dcap, &dhave, err);
        size_t used = 0;
        for (char *nl; rc == 0 && (nl = memchr(buf + used, '\n', have - used));) {
            rc = take_line(buf + used, (size_t)(nl - (buf + used)), t0, index0, watch, put, ctx,
                           &lines, err);
            used = (size_t)(nl - buf) + 1;
        }
        memmove(buf, buf + used, have - used);
        have -= used;
        if (rc != 0 || exited) break;
        if (stop && *stop && !signalled) {
            kill(pid, SIGINT); /* it stops sending and ends; the intervals done are in */
            signalled = true;
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (!exited) { /* an error: its document is not read (nor waited for on a full pipe) */
        close(pfd[0]);
        pfd[0] = -1;
        kill(pid, SIGINT);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    tach__free(buf);
    close(rfd);
    if (rc == 0) rc = drain(pfd[0], &doc, &dcap, &dhave, err);
    if (pfd[0] >= 0) close(pfd[0]);
    close(pfd[1]);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    /* the load run's own checks, kept in the file (docs/soak.md): an invalid run or a
     * missed objective travels with the soak's verdict, report and record */
    json_t *outcome = rc == 0 && lines > 0 ? load_outcome(doc, dhave, code) : NULL;
    tach__free(doc);
    if (outcome) {
        json_t *line = json_pack("{s:o}", "load_run", outcome);
        rc = line ? put(ctx, line, err) : tach__err(err, "out of memory");
        json_decref(line);
    }
    if (rc != 0) return rc;
    if (code == 2 && lines == 0) return 2; /* tach load refused (it said why) */
    if (stop && *stop) return 0;
    if (code == 1 && lines > 0) { /* it printed why: the run invalid, an objective missed */
        tach__err(err, "tach load %s failed its checks (exit 1: the run was invalid or an "
                       "objective was missed, as it said above): not a stable soak",
                  json_string_value(json_array_get(words, 0)));
        return CLI_SOAK_LOAD_FAILED; /* the soak itself is whole: judged and reported, then failed */
    }
    if (code != 0 && code != 1 && code != 130)
        return tach__err(err, "tach load %s exited %d (run it alone to see why)",
                         json_string_value(json_array_get(words, 0)), code);
    if (lines == 0)
        return tach__err(err, "tach load %s gave no interval", json_string_value(json_array_get(words, 0)));
    return 0;
}
