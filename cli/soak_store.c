/*
 * soak_store.c - a soak recorded in the history store when it stops (whole, or partial
 * after Ctrl-C or a failure), so `tach history`, `tach report` and `tach site` see it
 * (docs/soak.md).  The run holds one result, "soak: TARGET": one sample per interval
 * (its time per operation, a thread's in a thread sweep, weighted by the interval's
 * operations), status "failed" when
 * a load soak's load run failed its checks or the soak's own operations failed
 * (failing); the context's "soak" object is the whole
 * report (tool_soak_report_json: the verdict, the targets and the series).  The
 * record's id is noted in the series file, so a soak resumed after Ctrl-C or a crash
 * replaces its earlier record when it stops again, in the same store: one record per
 * soak.  `tach record` of the series file records a soak whose own record failed the
 * same way (cli_soak_file_record).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "soak.h"
#include "soak_cli.h"
#include "store_cli.h"
#include "tach_internal.h"

tach__doc *cli_soak_doc(const tool_soak_log *l, const tool_soak_verdict *v,
                        const tool_soak_targets *tg, char *err)
{
    tach__doc *d = tach__doc_new();
    if (!d) {
        tach__err(err, "out of memory");
        return NULL;
    }
    d->partial = !l->ended;
    json_t *rep = tool_soak_report_json(l, v, tg);
    /* the machine the soak ran on, captured at its start (a file from before: this one) */
    const json_t *env = json_object_get(l->header, "context");
    json_t *own = json_is_object(env) ? NULL : tach__env_capture();
    if (json_is_object(env)) json_object_update(d->context, (json_t *)env);
    else if (json_is_object(own)) json_object_update(d->context, own);
    json_decref(own);
    json_object_set_new(d->context, "tool", json_string("tach soak"));
    if (rep) json_object_set_new(d->context, "soak", rep);
    tach__result *r = tach__doc_add(d);
    if (!r) goto oom;
    json_t *shown = tool_soak_target_shown(json_object_get(l->header, "target")); /* no password */
    const char *text = json_string_value(json_object_get(shown, "text"));
    char name[1100];
    snprintf(name, sizeof name, "soak: %s", text ? text : "?");
    json_decref(shown);
    r->name = tach__strdup(name);
    r->status = TACH__OK;
    r->sample_ns = tach__calloc(l->n ? l->n : 1, sizeof *r->sample_ns);
    r->sample_iters = tach__calloc(l->n ? l->n : 1, sizeof *r->sample_iters);
    if (!r->name || !r->sample_ns || !r->sample_iters) goto oom;
    for (size_t i = 0; i < l->n; i++) {
        double len = i ? l->t[i] - l->t[i - 1] : l->t[i];
        /* a thread sweep's ops are its N threads' together: its time per operation is
         * a thread's, as a threaded run's (docs/scaling.md) */
        double k = l->ops_threads && l->ops_threads[i] >= 1 ? l->ops_threads[i] : 1;
        double per = l->ops[i] / k;
        if (per >= 1 && len > 0 && isfinite(len)) {
            r->sample_ns[r->nsamples] = len * 1e9 / per;
            r->sample_iters[r->nsamples++] = (uint64_t)per;
        }
    }
    if (r->nsamples && tach__result_finish_resamples(r, 1, 1000, err) != 0) {
        tach__doc_free(d);
        return NULL;
    }
    /* A load soak whose load run failed its checks (invalid, an objective missed) failed,
     * as its exit status 1 says: a failed benchmark to tach report's JUnit, compare and
     * gate, whatever its drift and memory verdict (context.soak keeps that). */
    char load_why[512];
    if (tool_soak_load_failed(l->load_runs, load_why, sizeof load_why)) {
        char msg[600];
        snprintf(msg, sizeof msg, "its load run failed its checks: %s", load_why);
        r->status = TACH__FAILED;
        if (!(r->message = tach__strdup(msg))) goto oom;
    } else if (v->summary == TOOL_SOAK_FAILING) {
        /* its own operations failed (a command's non-zero exits, a benchmark's failed
         * samples, a load's failed requests): failed, as its exit status 1 says */
        char msg[600];
        snprintf(msg, sizeof msg, "its operations failed: %s", v->reason);
        r->status = TACH__FAILED;
        if (!(r->message = tach__strdup(msg))) goto oom;
    } else if (v->summary != TOOL_SOAK_STABLE) {
        r->message = tach__strdup(v->reason);
    }
    return d;
oom:
    tach__doc_free(d);
    tach__err(err, "out of memory");
    return NULL;
}

/* The store as the series file names it: a file store by its absolute, resolved path
 * (a relative --store or $TACH_STORE means another store from another directory), a
 * database by its (redacted) connection text.  NULL when out of memory. */
static char *store_identity(tool_store *st)
{
    const char *name = tool_store_name(st);
    if (tool_store_kind_of(st) == TOOL_STORE_SQLITE) {
        char *abs = realpath(name, NULL);
        if (abs) {
            char *copy = tach__strdup(abs);
            free(abs);
            return copy;
        }
    }
    return tach__strdup(name);
}

/* Appends {"recorded_run": id, "store": name} to the series file of a partial soak,
 * so a --resume replaces this record rather than adding a second one (a whole soak
 * cannot be resumed: its file ends with its end line).  Returns 0, or -1 with err set
 * when the line may not be in the file (a full disk, a file gone). */
static int note_recorded(const char *path, int64_t id, const char *store, char *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "recorded_run", json_integer((json_int_t)id));
    json_object_set_new(o, "store", tach__json_string_lossy(store));
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!text) return tach__err(err, "out of memory");
    FILE *f = fopen(path, "a");
    if (!f) {
        free(text);
        return tach__err(err, "%s", strerror(errno));
    }
    bool ok = fprintf(f, "%s\n", text) >= 0 && fflush(f) == 0 && !ferror(f);
    int e = errno;
    /* a file that cannot be synced (EINVAL: not one that keeps data) was still written */
    if (ok && fdatasync(fileno(f)) != 0 && errno != EINVAL) {
        ok = false;
        e = errno;
    }
    if (fclose(f) != 0 && ok) {
        ok = false;
        e = errno;
    }
    free(text);
    return ok ? 0 : tach__err(err, "%s", strerror(e));
}

int cli_soak_file_read(const char *path, cli_soak_file *sf, char *err)
{
    memset(sf, 0, sizeof *sf);
    tool_soak_log l;
    int r = tool_soak_log_try(path, &l, err);
    if (r <= 0) return r;
    if (l.n == 0) { /* nothing measured: nothing to record */
        tool_soak_log_free(&l);
        return 1;
    }
    tool_soak_verdict v;
    tool_soak_targets tg;
    if (tool_soak_log_judge(&l, &v, &tg) != 0) {
        tool_soak_log_free(&l);
        return tach__err(err, "out of memory");
    }
    sf->doc = cli_soak_doc(&l, &v, &tg, err);
    const char *started = json_string_value(json_object_get(l.header, "started"));
    sf->since = started ? tach__strdup(started) : NULL;
    sf->before = l.recorded_run;
    sf->before_store = l.recorded_store ? tach__strdup(l.recorded_store) : NULL;
    sf->noted_current = l.recorded_run > 0 && !l.grown_since_recorded;
    sf->partial = !l.ended;
    bool oom = (started && !sf->since) || (l.recorded_store && !sf->before_store);
    tool_soak_log_free(&l);
    if (!sf->doc || oom) {
        if (sf->doc) tach__err(err, "out of memory");
        cli_soak_file_free(sf);
        return -1;
    }
    return 1;
}

void cli_soak_file_free(cli_soak_file *sf)
{
    tach__doc_free(sf->doc);
    tach__free(sf->before_store);
    tach__free(sf->since);
    memset(sf, 0, sizeof *sf);
}

/* Whether run `before`, noted in the series file as recorded in before_store, is the
 * soak's run in st, the store it names (store_identity). */
static bool noted_here(tool_store *st, const cli_soak_file *sf)
{
    char *ident = sf->before > 0 && sf->before_store ? store_identity(st) : NULL;
    bool same = ident && !strcmp(sf->before_store, ident);
    tach__free(ident);
    return same;
}

bool cli_soak_file_outgrown(tool_store *st, const cli_soak_file *sf, int64_t found)
{
    return found == sf->before && !sf->noted_current && noted_here(st, sf);
}

int cli_soak_file_record(tool_store *st, const char *path, const cli_soak_file *sf, char **tags,
                         size_t ntags, bool quiet, const cli_later *later, int64_t *id)
{
    /* Recorded before (a soak stopped, then resumed) in this same store: the new record
     * replaces that one, in one transaction -- if the run of that id is still this
     * soak's (its one benchmark, recorded since the soak started); a store recreated
     * since, whose ids started again, keeps its run. */
    char err[TACH__ERR_MAX] = "";
    char *ident = store_identity(st);
    tach__param *tv = ntags ? tach__calloc(ntags, sizeof *tv) : NULL;
    bool oom = !ident || (ntags && !tv);
    for (size_t i = 0; i < ntags && !oom; i++) { /* KEY=VALUE, checked by the caller */
        const char *eq = strchr(tags[i], '=');
        tv[i].name = eq ? tach__malloc((size_t)(eq - tags[i]) + 1) : NULL;
        if (!tv[i].name) {
            oom = true;
            break;
        }
        memcpy(tv[i].name, tags[i], (size_t)(eq - tags[i]));
        tv[i].name[eq - tags[i]] = '\0';
        tv[i].value = (char *)(eq + 1);
    }
    bool same = noted_here(st, sf), replaced = false;
    cli_git_info g;
    cli_git_info_get(&g);
    tool_run_meta meta = {.commit = g.commit, .branch = g.branch, .subject = g.subject,
                          .dirty = g.dirty, .tags = tv, .ntags = ntags,
                          .replaces = same ? sf->before : 0,
                          .replaces_name = same ? sf->doc->results[0].name : NULL,
                          .replaces_since = same ? sf->since : NULL, .replaced = &replaced};
    int rc;
    if (oom) {
        rc = cli_error(CLI_FAIL, "out of memory");
    } else if ((rc = tool_store_record(st, sf->doc, &meta, id, err)) != 0) {
        rc = cli_store_record_failed(st, rc, err, later);
    } else {
        if (replaced && !quiet)
            fprintf(stderr, "%s: recorded run %lld in %s (replacing run %lld, the soak "
                            "before --resume)\n", cli_prog(), (long long)*id, tool_store_name(st), (long long)sf->before);
        else if (!quiet)
            fprintf(stderr, "%s: recorded run %lld in %s\n", cli_prog(), (long long)*id, tool_store_name(st));
        /* it can be resumed: unnoted, a --resume would record the soak again */
        /* said, the exit status left the soak's own (docs/soak.md): the run is
         * recorded, only a later --resume is told less */
        if (sf->partial && note_recorded(path, *id, ident, err) != 0)
            (void)cli_error(CLI_OK, "cannot note run %lld in %s (%s): a tach soak --resume "
                                    "%s would record the soak a second time, beside run %lld",
                            (long long)*id, path, err, path, (long long)*id);
    }
    for (size_t i = 0; i < ntags && tv; i++) tach__free(tv[i].name);
    tach__free(tv);
    tach__free(ident);
    cli_git_info_free(&g);
    return rc;
}

int cli_soak_record(const char *path, const char *store_opt, bool no_store)
{
    if (no_store) return CLI_OK;
    cli_soak_file sf;
    char err[TACH__ERR_MAX] = "";
    int r = cli_soak_file_read(path, &sf, err);
    if (r <= 0) return cli_error(CLI_FAIL, "%s", r == 0 ? "not a tach soak series" : err);
    if (!sf.doc) return CLI_OK; /* nothing measured: nothing to record */
    tool_store *st = NULL;
    cli_later later = {.file = path}; /* tach record FILE records it (docs/soak.md) */
    int rc = cli_store_open_to_record(store_opt, &later, &st); /* checked before the soak */
    if (rc == CLI_OK) {
        int64_t id = 0;
        rc = cli_soak_file_record(st, path, &sf, NULL, 0, false, &later, &id);
        tool_store_close(st);
    }
    cli_soak_file_free(&sf);
    return rc;
}
