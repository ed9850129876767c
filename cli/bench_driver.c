/*
 * bench_driver.c - the one driver of a libtach benchmark binary's worker processes,
 * shared by `tach run`, `tach ab` and `tach stability` (see run.h):
 *   - one way to recognise a binary: the target is one word naming an executable (a
 *     path, or a name found on PATH) that answers --tach-probe with the probe line;
 *   - one timeout policy: a timeout bounds one benchmark and is passed to the binary
 *     (--timeout S), which ends that benchmark, reports it timed out and goes on; the
 *     driver kills a worker only when it outlives the caller's whole-worker limit;
 *   - one way to read a worker's results back: --format json --out FILE --quiet, then
 *     the document loaded from FILE (also after exit 1, a benchmark failing, and after
 *     an interrupt, when the worker wrote what it finished).
 */
#define _GNU_SOURCE /* pipe2, environ */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

#define PROBE_TIMEOUT_NS (10ull * 1000000000ull)
#define PROBE_FLOOR_NS 1000000000ull

unsigned long long cli_bench_probe_limit_ns(double timeout_s)
{
    /* A benchmark binary answers --tach-probe from main, before any benchmark runs:
     * milliseconds, seconds only when a loaded machine delays its start.  A program that
     * ignores the option runs instead, until killed: so the wait is no longer than the
     * run it precedes may take (--timeout), but a second at least (the start of a real
     * binary on a slow machine, which a shorter wait would take for a program), and 10 s
     * at most. */
    if (!(timeout_s > 0) || timeout_s * 1e9 >= (double)PROBE_TIMEOUT_NS) return PROBE_TIMEOUT_NS;
    unsigned long long ns = (unsigned long long)(timeout_s * 1e9);
    return ns < PROBE_FLOOR_NS ? PROBE_FLOOR_NS : ns;
}

static bool probe(cli_spawner *sp, const char *path, char *const envp[], unsigned long long limit_ns,
                  unsigned *major, unsigned *minor)
{
    char *argv[] = {(char *)path, "--tach-probe", NULL};
    int code = -1;
    if (major) *major = 0;
    if (minor) *minor = 0;
    char *out = cli_spawn_capture(sp, path, argv, envp, 4096, limit_ns, &code);
    if (!out) return false;
    bool ok = false;
    if (code == 0) {
        char *nl = strchr(out, '\n');
        if (nl) *nl = '\0';
        json_error_t je;
        json_t *j = json_loads(out, 0, &je);
        json_t *v = j ? json_object_get(j, "tach_bench") : NULL;
        ok = v && json_is_integer(v) && json_integer_value(v) == 1;
        const char *ver = json_string_value(json_object_get(j, "version"));
        unsigned a = 0, b = 0;
        if (ok && ver && sscanf(ver, "%u.%u", &a, &b) == 2) {
            if (major) *major = a;
            if (minor) *minor = b;
        }
        json_decref(j);
    } else if (code == 126 || code == 127) {
        /* the program could not run at all: the dynamic loader's (or a shell's) status, whose
         * message went to /dev/null with the probe's stderr; said here, or the user sees only
         * "not a libtach benchmark binary" or a command failing with 127 */
        fprintf(stderr,
                "%s: warning: '%s --tach-probe' exited with status %d, so it is not taken for a "
                "libtach benchmark binary: %s; run it by hand to see why\n", cli_prog(),
                path, code,
                code == 127 ? "a shared library or command it needs was not found (libtach.so.0 "
                              "outside the loader's path? set LD_LIBRARY_PATH)"
                            : "something it runs was found but is not executable");
    }
    tach__free(out);
    return ok;
}

bool cli_bench_probe_version(cli_spawner *sp, const char *path, char *const envp[],
                             double timeout_s, unsigned *major, unsigned *minor)
{
    return probe(sp, path, envp, cli_bench_probe_limit_ns(timeout_s), major, minor);
}

bool cli_bench_probe(cli_spawner *sp, const char *path, char *const envp[])
{
    return probe(sp, path, envp, PROBE_TIMEOUT_NS, NULL, NULL);
}

bool cli_bench_probe_within(cli_spawner *sp, const char *path, char *const envp[], double timeout_s)
{
    return probe(sp, path, envp, cli_bench_probe_limit_ns(timeout_s), NULL, NULL);
}

bool cli_bench_recognise(cli_spawner *sp, const char *target, char *const envp[],
                         double timeout_s, unsigned *major, unsigned *minor)
{
    if (major) *major = 0;
    if (minor) *minor = 0;
    /* a command string with arguments is a command, never probed */
    if (!target || !*target || strpbrk(target, " \t\n'\"\\")) return false;
    char err[TACH__ERR_MAX];
    char *path = cli_find_executable(target, err);
    if (!path) return false;
    bool yes = cli_bench_probe_version(sp, path, envp, timeout_s, major, minor);
    tach__free(path);
    return yes;
}

double cli_bench_kill_after(size_t nbench, double timeout_s)
{
    const double grace_s = 10.0; /* to end a timed-out benchmark and write the results */
    return (double)(nbench ? nbench : 1) * (timeout_s + grace_s) + grace_s;
}

void cli_bench_filter_quote(tach__buf *b, const char *name)
{
    for (const char *c = name; *c; c++) {
        if (strchr("\\.[](){}*+?^$|", *c)) tach__buf_put(b, "\\", 1);
        tach__buf_put(b, c, 1);
    }
}

int cli_bench_count_matching(const char *path, const char *filter, char *const envp[], size_t *n)
{
    *n = 0;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return -1;
    cli_child_opts co = {.null_stdin = true, .null_stderr = true};
    pid_t pid = cli_child_fork(&co);
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        if (dup2(p[1], 1) < 0) _exit(127);
        char *argv[] = {(char *)path, "--list", "--filter", (char *)filter, "--quiet", NULL};
        execve(path, argv, envp ? envp : environ);
        _exit(127);
    }
    close(p[1]);
    char buf[4096];
    ssize_t got;
    while ((got = read(p[0], buf, sizeof buf)) != 0) {
        if (got < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (ssize_t i = 0; i < got; i++) *n += buf[i] == '\n';
    }
    close(p[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 0 : -1;
}

/* The --filter a worker is given (the last one, as the binary reads them), or NULL. */
static const char *worker_filter(const cli_bench_worker_spec *w)
{
    const char *f = NULL;
    for (size_t i = 0; i < w->nargs; i++) {
        if (!strcmp(w->args[i], "--")) break;
        if (!strcmp(w->args[i], "--filter") && i + 1 < w->nargs) f = w->args[++i];
        else if (!strncmp(w->args[i], "--filter=", 9)) f = w->args[i] + 9;
    }
    return f;
}

int cli_bench_worker(cli_spawner *sp, const cli_bench_worker_spec *w, char *const envp[],
                     tach__doc **doc, char *why, size_t size)
{
    *doc = NULL;
    why[0] = '\0';
    if (w->signal_out) *w->signal_out = 0;
    if (w->exit_out) *w->exit_out = -1;
    char tmo[32];
    char **argv = tach__calloc(w->nargs + 12, sizeof *argv);
    if (!argv) {
        snprintf(why, size, "out of memory");
        return CLI_WORKER_NO_RESULTS;
    }
    size_t n = 0;
    argv[n++] = (char *)w->path;
    argv[n++] = "--format=json";
    argv[n++] = "--out";
    argv[n++] = (char *)w->out_path;
    argv[n++] = "--quiet";
    if (w->bench_timeout_s > 0) {
        snprintf(tmo, sizeof tmo, "%g", w->bench_timeout_s);
        argv[n++] = "--timeout", argv[n++] = tmo;
    }
    for (size_t i = 0; i < w->nargs; i++) argv[n++] = w->args[i];
    argv[n] = NULL;
    unlink(w->out_path); /* the worker writes it anew (by rename) */
    int code = 0;
    /* On Ctrl-C the worker is passed the SIGINT and given time to write what it has
     * measured (libtach's runner stops, keeps its finished benchmarks and marks its
     * document partial). */
    double grace = sp->sigint_grace_s;
    sp->sigint_grace_s = 10;
    cli_run_outcome oc = cli_spawn_wait(sp, w->path, argv, envp, -1, w->err_fd,
                                        (uint64_t)(w->kill_after_s * 1e9), &code);
    sp->sigint_grace_s = grace;
    tach__free(argv);
    char err[TACH__ERR_MAX];
    switch (oc) {
    case CLI_RUN_INTERRUPTED:
        if (access(w->out_path, F_OK) == 0) *doc = tach__doc_load(w->out_path, err);
        snprintf(why, size, "was interrupted");
        return CLI_WORKER_INTERRUPTED;
    case CLI_RUN_TIMEOUT:
        snprintf(why, size, "timed out after %g s", w->kill_after_s);
        return CLI_WORKER_TIMEOUT;
    case CLI_RUN_SPAWN_FAILED:
        snprintf(why, size, "could not start: %s", strerror(code));
        return CLI_WORKER_NO_START;
    case CLI_RUN_DONE:
        break;
    }
    if (w->exit_out && code >= 0) *w->exit_out = code;
    if (code == 2 && access(w->out_path, F_OK) == 0) {
        /* Its results written, then an output it was given (--export-hlog, the profiles)
         * not: a failure, said on its stderr, not a refusal of its arguments. */
        snprintf(why, size, "could not write an output it was given (exit status 2)");
        return CLI_WORKER_CRASHED;
    }
    const char *filter = code == 2 ? worker_filter(w) : NULL;
    size_t nmatch = 0;
    if (filter && cli_bench_count_matching(w->path, filter, envp, &nmatch) == 0 && nmatch == 0) {
        /* the filter matched nothing: what an older libtach answered with exit 0 and a
         * document of no benchmark, which each caller words (tach run: "no benchmark of
         * BINARY matches --filter") */
        *doc = tach__doc_new();
        if (*doc) return CLI_WORKER_OK;
        snprintf(why, size, "out of memory");
        return CLI_WORKER_NO_RESULTS;
    }
    if (code == 2) {
        snprintf(why, size, "refused its arguments (exit status 2)");
        return CLI_WORKER_REFUSED;
    }
    if (code == CLI_EXIT_UNKNOWN) { /* no signal's number: none kept */
        char sb[64];
        snprintf(why, size, "%s", cli_signal_describe(-code, sb, sizeof sb));
        return CLI_WORKER_CRASHED;
    }
    if (code < 0) {
        if (w->signal_out) *w->signal_out = -code;
        char sb[64];
        /* "was killed by signal 9", but "ended with a status tach could not read" */
        snprintf(why, size, "%s%s", code == CLI_EXIT_UNKNOWN ? "" : "was ",
                 cli_signal_describe(-code, sb, sizeof sb));
        return CLI_WORKER_CRASHED;
    }
    if (code != 0 && code != 1) {
        snprintf(why, size, "exited with status %d", code);
        return CLI_WORKER_CRASHED;
    }
    *doc = tach__doc_load(w->out_path, err);
    if (!*doc) {
        snprintf(why, size, "wrote no readable results: %s", err);
        return CLI_WORKER_NO_RESULTS;
    }
    /* exit 1: some benchmark failed; the others' results are in the document */
    if (code == 1) snprintf(why, size, "reported a failing benchmark (exit status 1)");
    return code == 1 ? CLI_WORKER_FAILED : CLI_WORKER_OK;
}
