/* load_exec.c - one `tach load` run: the benchmark binary's load mode in a process of
 * its own (passed Ctrl-C, given 5 s to write what it measured), or the HTTP engine in
 * this process (Ctrl-C stops the sending). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load_cli.h"

extern char **environ;

static volatile sig_atomic_t http_interrupt;

/* --series for an HTTP target: the lines come from this process (which is not the
 * server: no process figures). */
typedef struct http_series {
    FILE *f;
    const tach__load_cfg *cfg;
    bool failed; /* a line could not be written */
    int why;     /* its errno, said with the file's name (docs/load.md: "FILE and the reason") */
    bool begun;  /* a line was given to it: the run started */
} http_series;

static void http_series_line(void *ctx, size_t k, const tach__hist *h, int64_t count, int64_t errors,
                             int64_t sent)
{
    http_series *hs = ctx;
    /* FILE is emptied at the first line, not when opened: a run that does not start
     * leaves a FILE the user had as it was */
    struct stat sb; /* a regular file; not a device (/dev/full, /dev/stdout) */
    if (!hs->begun && !hs->failed && fstat(fileno(hs->f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        ftruncate(fileno(hs->f), 0) != 0) {
        hs->failed = true;
        hs->why = errno;
    }
    hs->begun = true;
    if (!hs->failed && tach__load_series_line(hs->f, hs->cfg, k, h, count, errors, sent, false) != 0) {
        hs->failed = true;
        hs->why = errno;
    }
}
static void on_sigint(int sig)
{
    http_interrupt = sig;
}

/* What each event loop did, in the overall result's load block ("loops"). */
static void add_loops(tach__doc *d, const tool_http_loop_info *loops, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:I,s:f,s:I}", "engine",
                                             loops[i].engine ? loops[i].engine : "libcurl",
                                             "connections", (json_int_t)loops[i].connections,
                                             "requests", (json_int_t)loops[i].requests,
                                             "errors", (json_int_t)loops[i].errors,
                                             "cpu_s", loops[i].cpu_s,
                                             "wakeups", (json_int_t)loops[i].wakeups));
    for (size_t i = 0; arr && i < d->nresults; i++)
        if (d->results[i].load && !strcmp(d->results[i].name, "overall"))
            json_object_set(d->results[i].load, "loops", arr);
    json_decref(arr);
}

int cli_load_run_once(cli_load_state *st, const tach__load_cfg *cfg, tach__doc **out)
{
    *out = NULL;
    char err[TACH__ERR_MAX] = "";
    if (st->http) {
        tach__load_stats s;
        http_series hs = {.cfg = cfg};
        tach__load_sink sink = {http_series_line, &hs};
        /* Opened before the handlers go in: a bad path is a usage error, as it is for a
         * benchmark binary's load mode, and leaves nothing installed.  A file made here is
         * removed when the run fails before its first line (it did not start: an event
         * loop not set up), and one that was there is left as it was (emptied only at
         * the first line); one that failed later keeps the lines it has. */
        struct stat before;
        bool made = st->o.series && stat(st->o.series, &before) != 0 && errno == ENOENT;
        int sfd = st->o.series ? open(st->o.series, O_WRONLY | O_CREAT | O_CLOEXEC, 0666) : -1;
        if (st->o.series && (sfd < 0 || !(hs.f = fdopen(sfd, "w")))) {
            int e = errno;
            if (sfd >= 0) close(sfd);
            if (made && sfd >= 0) unlink(st->o.series);
            return cli_cmd_usage_error("load", "--series: cannot write %s: %s", st->o.series,
                                       strerror(e));
        }
        struct sigaction sa, old_int, old_term;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        st->http_opts.sink = hs.f ? &sink : NULL;
        tool_http_loop_info *loops = NULL;
        size_t nloops = 0;
        int rc = tool_http_run(cfg, &st->http_opts, &http_interrupt, &s, &loops, &nloops, err);
        st->http_opts.sink = NULL;
        if (hs.f && fclose(hs.f) != 0 && !hs.failed) {
            hs.failed = true;
            hs.why = errno;
        }
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        if (rc == 0 && !hs.begun && st->o.series) {
            /* a run that started and ended before its first line (Ctrl-C in the warm-up)
             * has no series: FILE is emptied, not left with an older run's lines */
            struct stat sb;
            if (stat(st->o.series, &sb) == 0 && S_ISREG(sb.st_mode) && truncate(st->o.series, 0) != 0 &&
                !hs.failed) {
                hs.failed = true;
                hs.why = errno;
            }
        }
        if (rc != 0) {
            if (made && !hs.begun) unlink(st->o.series);
            tach__free(loops);
            tach__load_stats_clear(&s);
            return cli_cmd_error(CLI_FAIL, "load", "%s", err);
        }
        if (hs.failed) {
            tach__free(loops);
            tach__load_stats_clear(&s);
            return cli_cmd_error(CLI_FAIL, "load", "--series: cannot write %s: %s", st->o.series,
                                 strerror(hs.why ? hs.why : EIO));
        }
        tach__doc *d = tach__doc_new();
        if (!d || tach__load_to_doc(&s, d, err) != 0) {
            tach__doc_free(d);
            tach__free(loops);
            tach__load_stats_clear(&s);
            return cli_cmd_error(CLI_FAIL, "load", "%s", err[0] ? err : "out of memory");
        }
        json_decref(d->context);
        d->context = tach__env_capture();
        if (!d->context) d->context = json_object();
        add_loops(d, loops, nloops);
        tach__free(loops);
        tach__load_stats_clear(&s);
        *out = d;
        return http_interrupt ? CLI_INTERRUPTED : CLI_OK;
    }

    char **args = tach__load_cfg_argv(cfg);
    size_t nargs = 0;
    while (args && args[nargs]) nargs++;
    char **argv = tach__calloc(nargs + 6, sizeof *argv);
    if (!args || !argv) {
        tach__load_argv_free(args);
        tach__free(argv);
        return cli_cmd_error(CLI_FAIL, "load", "out of memory");
    }
    char outopt[4200];
    snprintf(outopt, sizeof outopt, "--out=%s", st->out_path);
    size_t n = 0;
    argv[n++] = (char *)st->binary;
    argv[n++] = TACH__LOAD_ARG;
    argv[n++] = outopt;
    char seriesopt[4200];
    if (st->o.series) {
        snprintf(seriesopt, sizeof seriesopt, "--series=%s", st->o.series);
        argv[n++] = seriesopt;
    }
    for (size_t i = 0; i < nargs; i++) argv[n++] = args[i];
    argv[n] = NULL;
    unlink(st->out_path);
    int code = 0;
    st->sp.sigint_grace_s = 5; /* the binary stops sending and writes what it measured */
    /* Started with a parent-death signal: a killed tach load (or tach soak --load) does
     * not leave its benchmark binary sending load. */
    cli_child_opts co = {.null_stdin = true, .null_stdout = true, .own_group = true,
                         .mask = &st->sp.old_mask};
    tach__stdout_flush();
    fflush(NULL);
    pid_t pid = cli_child_fork(&co);
    if (pid == 0) {
        execve(st->binary, argv, environ);
        _exit(127);
    }
    int fork_errno = errno;
    cli_run_outcome oc = pid < 0 ? CLI_RUN_SPAWN_FAILED : cli_spawn_wait_pid(&st->sp, pid, 0, &code);
    tach__free(argv);
    tach__load_argv_free(args);
    if (oc == CLI_RUN_SPAWN_FAILED)
        return cli_cmd_error(CLI_FAIL, "load", "cannot start %s: %s", st->binary, strerror(fork_errno));
    bool interrupted = oc == CLI_RUN_INTERRUPTED || code == 130;
    if (access(st->out_path, F_OK) != 0) {
        if (interrupted) return CLI_INTERRUPTED;
        if (code == 2) return CLI_USAGE; /* it said why on stderr */
        /* a crash (or the OOM killer) as the signal that ended it, not a negative status */
        char how[96];
        if (code < 0) cli_signal_describe(-code, how, sizeof how);
        else snprintf(how, sizeof how, "exit status %d", code);
        return cli_cmd_error(CLI_FAIL, "load", "%s ended without writing its results: %s", st->binary, how);
    }
    if (code == 2 && !interrupted) {
        /* Results written, but an output the binary was given (--series) was not: it
         * said which; the run fails as a URL target's does. */
        unlink(st->out_path);
        return CLI_FAIL;
    }
    tach__doc *d = tach__doc_load(st->out_path, err);
    unlink(st->out_path);
    if (!d) return cli_cmd_error(CLI_FAIL, "load", "cannot read %s's results: %s", st->binary, err);
    if (interrupted) d->partial = true;
    *out = d;
    return interrupted ? CLI_INTERRUPTED : CLI_OK;
}

FILE *cli_load_text_stream(const cli_load_opts *o)
{
    return (o->export_json && cli_path_is_stdout(o->export_json)) ||
                   (o->export_hlog && cli_path_is_stdout(o->export_hlog))
               ? stderr
               : stdout;
}
