/*
 * bench_exec.c - `tach bench`'s third phase: each item of the plan runs in a child
 * `tach run` (a benchmark binary in its worker processes, or a command) or `tach load`,
 * which writes its results document to a temporary file; tach bench then moves every
 * result into one document, named "MODULE/benchmark".
 *
 * A child that fails, crashes or times out costs only its own item: its results so far
 * are kept, and an item that left none gets one result with its status and the reason,
 * so the report shows it.  On resource exhaustion (a worker killed by SIGKILL, as the
 * out-of-memory killer does, or ENOMEM, EAGAIN or EMFILE in its messages) the item is run
 * once more with reduced load (one worker process without extra ones, one thread, fewer
 * runs, half the load rate) and marked so.  A load line runs `tach load WORDS --no-store --quiet --export-json`
 * (--quick: --duration 2s).
 * Ctrl-C is passed to the child, which keeps what it finished; nothing after it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

static bool exhausted_text(const char *s)
{
    return s && (strstr(s, "Cannot allocate memory") || strstr(s, "out of memory") ||
                 strstr(s, "Resource temporarily unavailable") || strstr(s, "Too many open files"));
}

/* A sign that the item ran out of memory, processes or files. */
static bool exhausted(const tach__doc *d, const char *err_tail)
{
    if (exhausted_text(err_tail)) return true;
    for (size_t i = 0; d && i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (r->status == TACH__CRASHED && r->signal == SIGKILL) return true;
        if (r->status != TACH__OK && exhausted_text(r->message)) return true;
    }
    return false;
}

/* Moves d's results into b->doc as "MODULE/name". */
static int merge(cli_bench *b, cli_bitem *it, tach__doc *d)
{
    if (!b->doc->context || json_object_size(b->doc->context) == 0) {
        json_decref(b->doc->context);
        b->doc->context = json_incref(d->context);
    }
    for (size_t i = 0; i < d->nresults; i++) {
        tach__result *src = &d->results[i];
        size_t len = strlen(it->mod->name) + strlen(src->name) + 2;
        char *name = tach__malloc(len);
        tach__result *dst = name ? tach__doc_add(b->doc) : NULL;
        if (!dst) {
            tach__free(name);
            return -1;
        }
        snprintf(name, len, "%s/%s", it->mod->name, src->name);
        *dst = *src;
        memset(src, 0, sizeof *src);
        tach__free(dst->name);
        dst->name = name;
        it->nresults++;
        if (dst->status != TACH__OK && dst->status != TACH__SKIPPED) it->nbad++;
    }
    if (d->partial) b->doc->partial = true;
    return 0;
}

/* One result standing for an item that left none: its status and why. */
static int add_failure(cli_bench *b, cli_bitem *it, tach__status st)
{
    tach__result *r = tach__doc_add(b->doc);
    if (!r) return -1;
    /* "MODULE/./tool", but a binary at "MODULE: /abs/tool" (as the progress line), not
     * "MODULE//abs".  A command keeps "MODULE/" + the command, the name its results get
     * from tach run (merge), so a failed run and a good one are one benchmark. */
    const char *sep = it->src->shown[0] == '/' && it->kind != CLI_BITEM_COMMAND ? ": " : "/";
    size_t len = strlen(it->mod->name) + strlen(sep) + strlen(it->src->shown) + 1;
    r->name = tach__malloc(len);
    if (r->name) snprintf(r->name, len, "%s%s%s", it->mod->name, sep, it->src->shown);
    r->status = st;
    r->message = tach__strdup(it->why);
    if (it->kind == CLI_BITEM_COMMAND) r->command = tach__strdup(it->src->shown);
    tach__summary_undefined(&r->summary);
    it->nresults++;
    it->nbad++;
    return r->name && r->message ? 0 : -1;
}

/* mkdir -p path (errors are left to the binary, which names the folder it cannot use). */
static void make_dirs(const char *path)
{
    char *p = tach__strdup(path);
    if (!p) return;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s) continue;
        char c = *s;
        *s = 0;
        (void)mkdir(p, 0777);
        if (!c) break;
        *s = c;
    }
    tach__free(p);
}

/* Runs it once; *d gets its document (or NULL). */
static cli_run_outcome run_once(cli_bench *b, cli_bitem *it, size_t idx, bool reduced,
                                tach__doc **d, int *code)
{
    /* b->tmpdir leaves room for "/itemN.json" (make_tmpdir, cmd_bench.c) */
    char out[PATH_MAX + 32], errp[PATH_MAX + 32], tbuf[32], bbuf[32], pbuf[600];
    snprintf(out, sizeof out, "%s/item%zu.json", b->tmpdir, idx);
    snprintf(errp, sizeof errp, "%s/item%zu.err", b->tmpdir, idx);
    unlink(out);
    *d = NULL;
    bool profiled = false;
    for (size_t i = 0; i < it->nflags; i++) profiled = profiled || !strcmp(it->flags[i], "--profile");
    if (b->profile_dir && profiled) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/%s", b->profile_dir, it->mod->name);
        make_dirs(dir);
    }
    char **argv = cli_bench_child_argv(b, it, out, reduced, tbuf, bbuf, pbuf, sizeof pbuf);
    int efd = open(errp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (!argv || efd < 0) {
        tach__free(argv);
        if (efd >= 0) close(efd);
        *code = ENOMEM;
        return CLI_RUN_SPAWN_FAILED;
    }
    b->sp.sigint_grace_s = 20; /* the child stops, keeps what it finished and writes it */
    cli_run_outcome oc = cli_spawn_wait(&b->sp, b->self, argv, environ, -1, efd, 0, code);
    tach__free(it->err_tail);
    it->err_tail = cli_fd_tail(efd);
    close(efd);
    tach__free(argv);
    char err[TACH__ERR_MAX];
    if (access(out, F_OK) == 0) {
        *d = tach__doc_load(out, err);
        if (!*d) snprintf(it->why, sizeof it->why, "its results could not be read: %.*s",
                            tach__utf8_prec(err, 200), err);
    }
    return oc;
}

static void run_item(cli_bench *b, cli_bitem *it, size_t idx)
{
    if (it->kind == CLI_BITEM_LOAD && !b->have_load) {
        it->status = CLI_BITEM_UNAVAILABLE;
        snprintf(it->why, sizeof it->why, "in this build (no tach load)");
        return;
    }
    uint64_t t0 = tach__now_ns();
    tach__doc *d = NULL;
    int code = 0;
    size_t first = b->doc->nresults;
    cli_run_outcome oc = run_once(b, it, idx, false, &d, &code);
    if (oc == CLI_RUN_DONE && code != 2 && exhausted(d, it->err_tail) && !b->sp.interrupted) {
        tach__doc_free(d);
        it->retried = true;
        oc = run_once(b, it, idx, true, &d, &code);
    }
    it->seconds = (double)(tach__now_ns() - t0) / 1e9;
    if (oc == CLI_RUN_INTERRUPTED || b->sp.interrupted || code == 130) {
        it->status = CLI_BITEM_INTERRUPTED;
        snprintf(it->why, sizeof it->why, "interrupted");
        b->interrupted = true;
    } else if (oc == CLI_RUN_SPAWN_FAILED) {
        it->status = CLI_BITEM_NO_RESULTS;
        snprintf(it->why, sizeof it->why, "could not start tach: %s", strerror(code));
    } else if (oc == CLI_RUN_TIMEOUT) {
        it->status = CLI_BITEM_TIMEOUT;
        snprintf(it->why, sizeof it->why, "timed out");
    } else if (!d) {
        it->status = CLI_BITEM_NO_RESULTS;
        if (!it->why[0]) {
            char sb[64];
            if (code < 0)
                snprintf(it->why, sizeof it->why, "tach run %s%s",
                         code == CLI_EXIT_UNKNOWN ? "" : "was ",
                         cli_signal_describe(-code, sb, sizeof sb));
            else
                snprintf(it->why, sizeof it->why, "it ended (status %d) without results%s%s",
                         code, it->err_tail ? ": " : "",
                         it->err_tail ? it->err_tail : "");
        }
    } else {
        it->status = code == 0 ? CLI_BITEM_OK : CLI_BITEM_FAILED;
        if (code != 0)
            snprintf(it->why, sizeof it->why, "a benchmark failed, crashed or timed out");
    }
    if (d) merge(b, it, d);
    if (it->status == CLI_BITEM_INTERRUPTED) { /* what of it is kept ("interrupted: interrupted") */
        size_t kept = 0;
        for (size_t r = first; r < b->doc->nresults; r++) kept += b->doc->results[r].status == TACH__OK;
        if (kept)
            snprintf(it->why, sizeof it->why, "its %zu result%s measured before kept", kept,
                     kept == 1 ? "" : "s");
        else
            snprintf(it->why, sizeof it->why, "nothing of it measured");
    } else if (!d)
        add_failure(b, it, it->status == CLI_BITEM_TIMEOUT ? TACH__TIMEOUT
                           : oc == CLI_RUN_DONE && code >= 0 ? TACH__FAILED : TACH__CRASHED);
    if (d && it->nresults == 0 && it->status != CLI_BITEM_INTERRUPTED) {
        it->status = CLI_BITEM_NO_RESULTS;
        snprintf(it->why, sizeof it->why, "it measured nothing");
        add_failure(b, it, TACH__FAILED);
    }
    if (it->status == CLI_BITEM_OK && it->nbad) it->status = CLI_BITEM_FAILED;
    tach__doc_free(d);
}

/* Whether line (len bytes) is tach run's line for one of it's failed results, the
 * doc's from first on ("tach run: NAME: STATUS — MESSAGE"), which the table above shows. */
static bool said_above(const cli_bench *b, const cli_bitem *it, size_t first, const char *line,
                       size_t len)
{
    static const char head[] = "tach run: ";
    if (len < sizeof head - 1 || strncmp(line, head, sizeof head - 1) != 0) return false;
    size_t skip = strlen(it->mod->name) + 1; /* "MODULE/" */
    for (size_t r = first; r < b->doc->nresults; r++) {
        const tach__result *res = &b->doc->results[r];
        if (res->status == TACH__OK || !res->name || strlen(res->name) < skip) continue;
        char want[TACH__ERR_MAX * 2];
        snprintf(want, sizeof want, "%s%s: %s — %s", head, res->name + skip, tach__status_name(res->status),
                 res->message ? res->message : "");
        if (strlen(want) == len && !strncmp(want, line, len)) return true;
    }
    return false;
}

int cli_bench_execute(cli_bench *b, FILE *f)
{
    for (size_t i = 0; i < b->nitems; i++) {
        cli_bitem *it = &b->items[i];
        if (b->interrupted) break;
        if (f) {
            fprintf(f, "  [%zu/%zu] %s: %s ...", i + 1, b->nitems, cli_term(it->mod->name),
                    cli_term(it->src->shown));
            fflush(f);
        }
        size_t first = b->doc->nresults;
        run_item(b, it, i);
        b->total_s += it->seconds;
        if (!f) continue;
        if (it->status == CLI_BITEM_OK)
            fprintf(f, " ok, %zu result%s in %.1f s%s\n", it->nresults,
                    it->nresults == 1 ? "" : "s", it->seconds,
                    it->retried ? " (retried with reduced load)" : "");
        else
            fprintf(f, " %s%s%s%s\n", cli_bitem_status_name(it->status),
                    it->status == CLI_BITEM_UNAVAILABLE ? " " : ": ", cli_term(it->why),
                    it->retried ? " (retried with reduced load)" : "");
        for (size_t r = first; it->nbad && r < b->doc->nresults; r++) {
            const tach__result *res = &b->doc->results[r];
            if (res->status == TACH__OK || res->status == TACH__SKIPPED) continue;
            fprintf(f, "        %s: %s%s%s\n", cli_term(res->name),
                    tach__status_name(res->status), res->message ? ", " : "",
                    res->message ? cli_term(res->message) : "");
        }
        /* why it failed, in its own words (a command's stderr, a worker's): tach run's
         * last lines on standard error; a NO_RESULTS item's reason holds them already */
        if (it->err_tail && (it->status == CLI_BITEM_FAILED || it->status == CLI_BITEM_TIMEOUT)) {
            for (const char *p = it->err_tail; *p;) {
                size_t len = strcspn(p, "\n");
                if (!said_above(b, it, first, p, len)) fprintf(f, "        | %.*s\n", (int)len, p);
                p += len;
                if (*p) p++;
            }
        }
    }
    return b->interrupted ? CLI_INTERRUPTED : CLI_OK;
}
