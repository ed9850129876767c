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
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "rounds.h"
#include "run.h"

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* Moves the worker's results into doc: new names are appended, known ones get the
 * samples added; a status other than ok wins over ok (with its message) and leaves
 * the result without samples, as the binary's own rounds do (a benchmark that crashed
 * or failed in one worker is reported so, with no median from the others).  A name the
 * binary holds twice (the later one reported failed) is matched occurrence by
 * occurrence, so the two stay two results, as when the binary runs alone. */
static int merge_doc(tach__doc *doc, tach__doc *w)
{
    /* each result's occurrence of its name, counted before any is moved */
    size_t *rank = tach__calloc(w->nresults ? w->nresults : 1, sizeof *rank);
    if (!rank) return -1;
    for (size_t i = 0; i < w->nresults; i++)
        for (size_t k = 0; k < i; k++)
            rank[i] += w->results[i].name && w->results[k].name &&
                       !strcmp(w->results[k].name, w->results[i].name);
    for (size_t i = 0; i < w->nresults; i++) {
        tach__result *src = &w->results[i];
        tach__result *dst = NULL;
        size_t skip = rank[i];
        for (size_t k = 0; k < doc->nresults && !dst && src->name; k++)
            if (doc->results[k].name && !strcmp(doc->results[k].name, src->name) && skip-- == 0)
                dst = &doc->results[k];
        if (!dst) {
            tach__result *r = tach__doc_add(doc);
            if (!r) goto oom;
            *r = *src;                 /* take ownership of src's members */
            memset(src, 0, sizeof *src);
            continue;
        }
        if (dst->status == TACH__OK && src->status != TACH__OK) {
            dst->status = src->status;
            tach__free(dst->message);
            dst->message = src->message;
            src->message = NULL;
            dst->signal = src->signal;
        }
        if (dst->status != TACH__OK) tach__result_drop_samples(dst);
        else if (tach__result_append_samples(dst, src) != 0) goto oom;
    }
    tach__free(rank);
    return 0;
oom:
    tach__free(rank);
    return -1;
}

/* The last lines of a worker's stderr, for a failure message: made safe for a terminal
 * (cli_fd_tail), as a failed command's are under tach run. */
static void show_stderr(int fd, const char *what)
{
    char *tail = cli_fd_tail(fd);
    cli_print_tail(what, tail);
    tach__free(tail);
}

/* Whether r's rounds were slowed in more than a comparison may set aside (the rule of
 * src/judge/rounds.h, at its 10% floor: the comparison's noise threshold is not known
 * here, and a lower one only counts fewer rounds). */
static bool slowed_throughout(const tach__result *r)
{
    if (r->status != TACH__OK || !r->name || !r->sample_ns || !r->nsamples) return false;
    tool_rounds g;
    if (tool_rounds_of(r, &g)) return false; /* out of memory: no extra worker for it */
    bool slowed = tool_rounds_slowed(&g, 0, NULL) > tool_rounds_trim_cap(g.nrounds);
    tool_rounds_free(&g);
    return slowed;
}

/* A --filter matching exactly the names of doc's benchmarks slowed throughout
 * ("^(a|b)$", the ERE metacharacters of the names escaped), or NULL when there is none
 * (or memory ran out).  Their names are appended to names (when not in it yet); *n
 * gets how many there are. */
static char *slowed_filter(const tach__doc *doc, json_t *names, size_t *n)
{
    tach__buf b = {0};
    *n = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        if (!slowed_throughout(r)) continue;
        tach__buf_puts(&b, (*n)++ ? "|" : "^(");
        cli_bench_filter_quote(&b, r->name);
        bool known = false;
        for (size_t k = 0; k < json_array_size(names) && !known; k++)
            known = !strcmp(json_string_value(json_array_get(names, k)), r->name);
        if (!known) json_array_append_new(names, json_string(r->name));
    }
    if (!*n) {
        tach__buf_free(&b);
        return NULL;
    }
    tach__buf_puts(&b, ")$");
    return tach__buf_take(&b);
}

/* What the first worker's document says of the run that tach run's does not: the
 * binary's own settings (worker_settings), which of the asked counters this machine
 * gives (counters), and its warnings (--memory ignored with --metric instructions, say),
 * each added once and, with say, printed as tach run prints its own (a count's
 * timing-only ones not printed). */
static void take_worker_context(tach__doc *doc, const tach__doc *wd, bool say)
{
    json_t *wset = json_object_get(wd->context, "settings");
    if (wset) json_object_set(doc->context, "worker_settings", wset);
    json_t *hw = json_object_get(wd->context, "counters");
    if (hw && !json_object_get(doc->context, "counters")) json_object_set(doc->context, "counters", hw);
    json_t *mine = json_object_get(doc->context, "warnings");
    if (!json_is_array(mine)) {
        mine = json_array();
        if (!mine || json_object_set_new(doc->context, "warnings", mine) != 0) return;
    }
    /* a count's (--metric instructions): the timing-only ones recorded, not said */
    const char *metric = json_string_value(json_object_get(json_object_get(doc->context, "settings"), "metric"));
    bool counted = metric && !strcmp(metric, "instructions");
    size_t i, k;
    json_t *w, *m;
    json_array_foreach(json_object_get(wd->context, "warnings"), i, w) {
        /* the machine's warnings tach run gave already, its load average read a moment
         * earlier: the same up to their first ':' */
        const char *t = json_string_value(w);
        if (!t) continue;
        size_t head = strcspn(t, ":");
        bool seen = false;
        json_array_foreach(mine, k, m) {
            const char *u = json_string_value(m);
            seen = seen || (u && (t[head] ? !strncmp(u, t, head + 1) : !strcmp(u, t)));
        }
        if (seen) continue;
        json_array_append(mine, w);
        if (say && !(counted && tach__env_warning_timing_only(t))) fprintf(stderr, "%s: warning: %s\n", cli_prog(), json_string_value(w));
    }
}

int cli_bench_run(cli_spawner *sp, const cli_bench_opts *o, char *const envp[], tach__doc *doc)
{
    char out_path[4096], err_path[4096];
    /* A $TMPDIR within 20 bytes of a path was cut to fit these (exit 1, "cannot create a
     * temporary file in ...: Invalid argument"), and one within about 50 left no room
     * for the temporary file the binary writes beside out_path (tach__write_text_file):
     * the longest path in it, counted; one longer is refused naming it (exit 2) */
    int fits = cli_tmpdir_fits(NULL, tmp_dir(), sizeof out_path, "/.tach-run-XXXXXX" CLI_TMP_SUFFIX, "file",
                               NULL);
    if (fits != CLI_OK) return fits;
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

    /* each worker: the driver's options, then these, then the arguments after -- */
    char prec[32], maxt[32], seed[32];
    /* two slots before args for the extra workers' --filter when none was given */
    char **all = tach__calloc(18 + o->nextra, sizeof *all), **args = all ? all + 2 : NULL;
    if (!all) {
        unlink(out_path);
        close(err_fd);
        return cli_error(CLI_FAIL, "out of memory");
    }
    size_t n = 0;
    if (o->filter) args[n++] = "--filter", args[n++] = (char *)o->filter;
    if (o->precision_pct > 0) {
        snprintf(prec, sizeof prec, "%g", o->precision_pct);
        args[n++] = "--precision", args[n++] = prec;
    }
    double total = o->max_time_s > 0 ? o->max_time_s : 3.0;
    snprintf(maxt, sizeof maxt, "%g", total / o->processes);
    args[n++] = "--max-time", args[n++] = maxt;
    if (o->seed_set) {
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
        args[n++] = "--seed", args[n++] = seed;
    }
    char counters[256];
    if (o->memory) args[n++] = "--memory";
    if (o->counters) {
        snprintf(counters, sizeof counters, "--counters%s%s", o->counters_list ? "=" : "",
                 o->counters_list ? o->counters_list : "");
        args[n++] = counters;
    }
    for (size_t i = 0; i < o->nextra; i++) args[n++] = o->extra[i];
    cli_bench_worker_spec ws = {.path = o->binary, .args = args, .nargs = n,
                                .out_path = out_path, .bench_timeout_s = o->timeout_s,
                                .kill_after_s = 0, .err_fd = err_fd};

    json_object_set_new(doc->context, "executable", json_string(o->binary));
    int rc = CLI_OK;
    int done = 0, extra = 0;
    json_t *extra_for = json_array();
    char *extra_filter = NULL;
    cli_progress *bar = o->bar;
    uint64_t t_start = tach__now_ns();
    for (int w = 0; w < (o->extra_rounds ? 2 * o->processes : o->processes); w++) {
        int workers = o->processes;
        if (w >= o->processes) {
            /* The planned workers have ended: one more for the benchmarks slowed in
             * more rounds than a comparison may set aside, if any (and if all went
             * well), with --filter narrowed to them. */
            size_t nslowed = 0;
            tach__free(extra_filter);
            extra_filter = rc == CLI_OK && !doc->partial && extra_for
                               ? slowed_filter(doc, extra_for, &nslowed)
                               : NULL;
            if (!extra_filter) break;
            if (o->filter) {
                args[1] = extra_filter;
            } else {
                all[0] = "--filter", all[1] = extra_filter;
                ws.args = all;
                ws.nargs = n + 2;
            }
            extra++;
            workers = w + 1;
            if (!o->bar && o->progress)
                fprintf(stderr, "%s: extra worker %d (at most %d): %zu benchmark%s slowed in most "
                                "of %s rounds\n", cli_prog(), extra, o->processes, nslowed, nslowed == 1 ? "" : "s",
                        nslowed == 1 ? "its" : "their");
        }
        if (o->bar) {
            uint64_t now = tach__now_ns();
            double per = w ? (double)(now - t_start) / 1e9 / w : -1;
            bar->last_ns = 0; /* redraw at each worker */
            bar->unit = "workers done";
            cli_progress_update(bar, now, o->binary, (size_t)w, (size_t)workers,
                                per >= 0 ? per * (workers - w) : -1, NAN);
        } else if (o->progress && w < o->processes) {
            fprintf(stderr, "%s: worker %d/%d: %s (--max-time %s)\n", cli_prog(), w + 1, o->processes, o->binary, maxt);
        }
        if (ftruncate(err_fd, 0) != 0) {}
        lseek(err_fd, 0, SEEK_SET);
        tach__doc *wd = NULL;
        char why[TACH__ERR_MAX + 64];
        int wo = cli_bench_worker(sp, &ws, envp, &wd, why, sizeof why);
        char what[64];
        snprintf(what, sizeof what, "worker %d", w + 1);
        if (wo == CLI_WORKER_INTERRUPTED) {
            /* what the worker finished is merged like a whole worker's */
            if (wd && done == 0) take_worker_context(doc, wd, o->progress);
            if (wd && merge_doc(doc, wd) == 0) done++;
            tach__doc_free(wd);
            doc->partial = true;
            rc = CLI_INTERRUPTED;
            break;
        }
        if (wo == CLI_WORKER_NO_START) {
            rc = cli_error(CLI_FAIL, "worker %d '%s' %s", w + 1, o->binary, why);
            break;
        }
        if (wo == CLI_WORKER_REFUSED) {
            show_stderr(err_fd, what);
            rc = cli_error(CLI_USAGE, "'%s' refused its arguments (exit status 2)", o->binary);
            break;
        }
        if (wo == CLI_WORKER_CRASHED || wo == CLI_WORKER_TIMEOUT || wo == CLI_WORKER_NO_RESULTS) {
            show_stderr(err_fd, what);
            rc = cli_error(CLI_FAIL, "worker %d %s", w + 1, why);
            continue;
        }
        if (done == 0) take_worker_context(doc, wd, o->progress);
        if (wd->partial) doc->partial = true; /* the worker was stopped early */
        int m = merge_doc(doc, wd);
        tach__doc_free(wd);
        if (m != 0) {
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
        if (wo == CLI_WORKER_FAILED) rc = CLI_FAIL;
        done++;
    }
    if (bar) cli_progress_clear(bar);
    unlink(out_path);
    close(err_fd);
    tach__free(all);
    tach__free(extra_filter);

    json_t *st = json_object_get(doc->context, "settings");
    if (st) json_object_set_new(st, "processes_completed", json_integer(done));
    if (st && o->extra_rounds) {
        json_object_set_new(st, "extra_processes", json_integer(extra));
        json_object_set_new(st, "extra_rounds_for", extra_for ? extra_for : json_array());
    } else {
        json_decref(extra_for);
    }
    for (size_t i = 0; i < doc->nresults; i++) {
        tach__result *r = &doc->results[i];
        if (o->precision_pct > 0) r->precision_target = o->precision_pct / 100.0;
        char err[TACH__ERR_MAX];
        if (tach__result_finish(r, o->seed, err) != 0) return cli_error(CLI_FAIL, "%s", err);
        if (r->status != TACH__OK && r->status != TACH__SKIPPED && rc == CLI_OK) rc = CLI_FAIL;
    }
    return rc;
}
