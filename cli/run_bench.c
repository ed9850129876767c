/*
 * run_bench.c - `tach run ./bench_binary`: drives a libtach benchmark binary in several
 * worker processes and merges their samples per benchmark.
 *
 * Code layout, ASLR and the allocator change a result from one process to the next
 * more than from one sample to the next (pyperf's lesson).  Each worker is a fresh
 * process of the binary, run one after another (never at once: they would compete for
 * the cores), each with its share of the time budget; the samples of all workers are
 * merged before the estimates are computed, so that variance is inside the intervals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

#define PROBE_TIMEOUT_NS (10ull * 1000000000ull)

bool cli_bench_probe_version(cli_spawner *sp, const char *path, char *const envp[],
                             unsigned *major, unsigned *minor)
{
    char *argv[] = {(char *)path, "--tach-probe", NULL};
    int code = -1;
    if (major) *major = 0;
    if (minor) *minor = 0;
    char *out = cli_spawn_capture(sp, path, argv, envp, 4096, PROBE_TIMEOUT_NS, &code);
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
    }
    tach__free(out);
    return ok;
}

bool cli_bench_probe(cli_spawner *sp, const char *path, char *const envp[])
{
    return cli_bench_probe_version(sp, path, envp, NULL, NULL);
}

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* Moves the worker's results into doc: new names are appended, known ones get the
 * samples added; a status other than ok wins over ok (with its message). */
static int merge_doc(tach__doc *doc, tach__doc *w)
{
    for (size_t i = 0; i < w->nresults; i++) {
        tach__result *src = &w->results[i];
        tach__result *dst = NULL;
        for (size_t k = 0; k < doc->nresults && !dst; k++)
            if (doc->results[k].name && src->name && !strcmp(doc->results[k].name, src->name))
                dst = &doc->results[k];
        if (!dst) {
            tach__result *r = tach__doc_add(doc);
            if (!r) return -1;
            *r = *src;                 /* take ownership of src's members */
            memset(src, 0, sizeof *src);
            continue;
        }
        if (tach__result_append_samples(dst, src) != 0) return -1;
        if (dst->status == TACH__OK && src->status != TACH__OK) {
            dst->status = src->status;
            tach__free(dst->message);
            dst->message = src->message;
            src->message = NULL;
            dst->signal = src->signal;
        }
    }
    return 0;
}

/* The last lines of a worker's stderr, for a failure message. */
static void show_stderr(int fd, const char *what)
{
    char buf[2048];
    off_t end = lseek(fd, 0, SEEK_END);
    off_t from = end > (off_t)sizeof buf - 1 ? end - (off_t)sizeof buf + 1 : 0;
    ssize_t n = pread(fd, buf, sizeof buf - 1, from);
    if (n <= 0) return;
    buf[n] = '\0';
    fprintf(stderr, "tach: %s said:\n%s%s", what, buf, buf[n - 1] == '\n' ? "" : "\n");
}

int cli_bench_run(cli_spawner *sp, const cli_bench_opts *o, char *const envp[], tach__doc *doc)
{
    char out_path[4096], err_path[4096];
    snprintf(out_path, sizeof out_path, "%s/tach-run-XXXXXX", tmp_dir());
    int out_fd = mkstemp(out_path);
    if (out_fd < 0) return cli_error(CLI_FAIL, "cannot create a temporary file in %s: %s", tmp_dir(), strerror(errno));
    close(out_fd);
    snprintf(err_path, sizeof err_path, "%s/tach-run-err-XXXXXX", tmp_dir());
    int err_fd = mkostemp(err_path, O_CLOEXEC);
    if (err_fd < 0) {
        unlink(out_path);
        return cli_error(CLI_FAIL, "cannot create a temporary file in %s: %s", tmp_dir(), strerror(errno));
    }
    unlink(err_path);

    /* argv: binary --format=json --out TMP --quiet [passed-through options] [extra] */
    char prec[32], maxt[32], tmo[32], seed[32];
    char **argv = tach__calloc(16 + o->nextra, sizeof *argv);
    if (!argv) {
        unlink(out_path);
        close(err_fd);
        return cli_error(CLI_FAIL, "out of memory");
    }
    size_t n = 0;
    argv[n++] = (char *)o->binary;
    argv[n++] = "--format=json";
    argv[n++] = "--out";
    argv[n++] = out_path;
    argv[n++] = "--quiet";
    if (o->filter) argv[n++] = "--filter", argv[n++] = (char *)o->filter;
    if (o->precision_pct > 0) {
        snprintf(prec, sizeof prec, "%g", o->precision_pct);
        argv[n++] = "--precision", argv[n++] = prec;
    }
    double total = o->max_time_s > 0 ? o->max_time_s : 3.0;
    snprintf(maxt, sizeof maxt, "%g", total / o->processes);
    argv[n++] = "--max-time", argv[n++] = maxt;
    if (o->timeout_s > 0) {
        snprintf(tmo, sizeof tmo, "%g", o->timeout_s);
        argv[n++] = "--timeout", argv[n++] = tmo;
    }
    if (o->seed_set) {
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
        argv[n++] = "--seed", argv[n++] = seed;
    }
    for (size_t i = 0; i < o->nextra; i++) argv[n++] = o->extra[i];
    argv[n] = NULL;

    json_object_set_new(doc->context, "executable", json_string(o->binary));
    int rc = CLI_OK;
    int done = 0;
    cli_progress *bar = o->bar;
    uint64_t t_start = tach__now_ns();
    for (int w = 0; w < o->processes; w++) {
        if (o->bar) {
            uint64_t now = tach__now_ns();
            double per = w ? (double)(now - t_start) / 1e9 / w : -1;
            bar->last_ns = 0; /* redraw at each worker */
            bar->unit = "workers done";
            cli_progress_update(bar, now, o->binary, (size_t)w, (size_t)o->processes,
                                per >= 0 ? per * (o->processes - w) : -1, NAN);
        } else if (o->progress) {
            fprintf(stderr, "tach: worker %d/%d: %s (--max-time %s)\n", w + 1, o->processes, o->binary, maxt);
        }
        /* the worker replaces out_path by rename; start from an empty file each time */
        if (ftruncate(err_fd, 0) != 0) {}
        lseek(err_fd, 0, SEEK_SET);
        unlink(out_path);
        int code = 0;
        /* On Ctrl-C the worker is passed the SIGINT and given time to write what it
         * has measured (libtach's runner stops, keeps its finished benchmarks and marks
         * its document partial); that is merged like a whole worker's. */
        sp->sigint_grace_s = 10;
        cli_run_outcome oc = cli_spawn_wait(sp, o->binary, argv, envp, -1, err_fd, 0, &code);
        sp->sigint_grace_s = 0;
        if (oc == CLI_RUN_INTERRUPTED) {
            char e2[TACH__ERR_MAX];
            tach__doc *wd = access(out_path, F_OK) == 0 ? tach__doc_load(out_path, e2) : NULL;
            json_t *ws = wd && done == 0 ? json_object_get(wd->context, "settings") : NULL;
            if (ws) json_object_set(doc->context, "worker_settings", ws);
            if (wd && merge_doc(doc, wd) == 0) done++;
            tach__doc_free(wd);
            doc->partial = true;
            rc = CLI_INTERRUPTED;
            break;
        }
        char what[64];
        snprintf(what, sizeof what, "worker %d", w + 1);
        if (oc == CLI_RUN_SPAWN_FAILED) {
            rc = cli_error(CLI_FAIL, "worker %d could not start '%s': %s", w + 1, o->binary, strerror(code));
            break;
        }
        if (code == 2) {
            show_stderr(err_fd, what);
            rc = cli_error(CLI_USAGE, "'%s' refused its arguments (exit status 2)", o->binary);
            break;
        }
        if (code != 0 && code != 1) {
            char sb[64];
            show_stderr(err_fd, what);
            if (code < 0)
                cli_error(CLI_FAIL, "worker %d was %s", w + 1, cli_signal_describe(-code, sb, sizeof sb));
            else
                cli_error(CLI_FAIL, "worker %d exited with status %d", w + 1, code);
            rc = CLI_FAIL;
            continue;
        }
        char err[TACH__ERR_MAX];
        tach__doc *wd = tach__doc_load(out_path, err);
        if (!wd) {
            show_stderr(err_fd, what);
            rc = cli_error(CLI_FAIL, "worker %d wrote no readable results: %s", w + 1, err);
            continue;
        }
        if (done == 0) {
            /* the binary's own settings, for the record */
            json_t *ws = json_object_get(wd->context, "settings");
            if (ws) json_object_set(doc->context, "worker_settings", ws);
        }
        if (wd->partial) doc->partial = true; /* the worker was stopped early */
        int m = merge_doc(doc, wd);
        tach__doc_free(wd);
        if (m != 0) {
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
        if (code == 1) rc = CLI_FAIL;
        done++;
    }
    if (bar) cli_progress_clear(bar);
    unlink(out_path);
    close(err_fd);
    tach__free(argv);

    json_t *st = json_object_get(doc->context, "settings");
    if (st) json_object_set_new(st, "processes_completed", json_integer(done));
    for (size_t i = 0; i < doc->nresults; i++) {
        tach__result *r = &doc->results[i];
        if (o->precision_pct > 0) r->precision_target = o->precision_pct / 100.0;
        char err[TACH__ERR_MAX];
        if (tach__result_finish(r, o->seed, err) != 0) return cli_error(CLI_FAIL, "%s", err);
        if (r->status != TACH__OK && r->status != TACH__SKIPPED && rc == CLI_OK) rc = CLI_FAIL;
    }
    return rc;
}
