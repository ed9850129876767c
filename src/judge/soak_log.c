/* soak_log.c - the series file of a soak: reading it (partial or whole), its targets
 * and its JSON report (see soak.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soak.h"

void tool_soak_log_free(tool_soak_log *l)
{
    if (!l) return;
    json_decref(l->header);
    double **cols[] = {&l->t, &l->ops, &l->ops_per_s, &l->errors, &l->p50, &l->p99,
                       &l->max, &l->rss, &l->heap, &l->fds, &l->threads, &l->ops_threads};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) tach__free(*cols[i]);
    tach__free(l->recorded_store);
    tach__free(l->restarts);
    json_decref(l->load_runs);
    memset(l, 0, sizeof *l);
}

static double num(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int push(tool_soak_log *l, size_t *cap, const json_t *o)
{
    static const char *const keys[] = {"t", "ops", "ops_per_s", "errors", "p50_ns", "p99_ns",
                                       "max_ns", "rss_bytes", "heap_bytes", "fds", "threads",
                                       "ops_threads"};
    double **cols[] = {&l->t, &l->ops, &l->ops_per_s, &l->errors, &l->p50, &l->p99,
                       &l->max, &l->rss, &l->heap, &l->fds, &l->threads, &l->ops_threads};
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            double *p = tach__realloc(*cols[i], nc * sizeof *p);
            if (!p) return -1;
            *cols[i] = p;
        }
        *cap = nc;
    }
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) (*cols[i])[l->n] = num(o, keys[i]);
    l->n++;
    return 0;
}

/* Whether a --resume starts the soak's target process again: a benchmark binary, or a
 * load run of one; not a URL's server watched by --pid, nor a command run anew each
 * time anyway. */
static bool restarts_target(const json_t *header)
{
    const json_t *target = json_object_get(header, "target");
    const char *kind = json_string_value(json_object_get(target, "kind"));
    if (!kind) return false;
    return !strcmp(kind, "benchmark") || (!strcmp(kind, "load") && !json_object_get(target, "pid"));
}

static int read_text(const char *path, const char *text, size_t len, tool_soak_log *out,
                     char *err)
{
    size_t cap = 0, line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        line++;
        if (!nl) {
            /* No newline: a line cut by a kill during its write; what came before holds. */
            out->torn = true;
            out->whole_len = (size_t)(p - text);
            break;
        }
        json_error_t je;
        json_t *o = json_loadb(p, (size_t)(nl - p), 0, &je);
        const char *line_start = p;
        p = nl + 1;
        if (!o || !json_is_object(o)) {
            json_decref(o);
            if (p >= end && line > 1) { /* a damaged last line: the same as a cut one */
                out->torn = true;
                out->whole_len = (size_t)(line_start - text);
                break;
            }
            return tach__err(err, "%s:%zu: not a JSON object (%s)", path, line, je.text);
        }
        if (line == 1) {
            const char *f = json_string_value(json_object_get(o, "format"));
            if (!f || strcmp(f, "tach-soak") != 0) {
                json_decref(o);
                return tach__err(err, "%s:1: not a tach soak series (no \"format\": \"tach-soak\")", path);
            }
            out->header = o;
            out->duration_s = num(o, "duration_s");
            out->interval_s = num(o, "interval_s");
            out->min_hours = num(o, "min_hours");
            out->max_growth_kb_h = num(o, "max_growth_kb_per_hour");
            /* every report and a --resume read them: a header without them is damaged */
            const char *missing = !(out->duration_s > 0 && isfinite(out->duration_s)) ? "duration_s"
                                  : !(out->interval_s > 0 && isfinite(out->interval_s)) ? "interval_s"
                                                                                        : NULL;
            if (missing)
                return tach__err(err, "%s:1: a malformed tach soak header: no \"%s\" (a positive "
                                 "number of seconds)", path, missing);
            continue;
        }
        if (json_object_get(o, "end")) out->ended = out->grown_since_recorded = true;
        else if (json_object_get(o, "resumed_at")) {
            out->resumes++;
            if (restarts_target(out->header) && out->n > 0 &&
                (!out->nrestarts || out->restarts[out->nrestarts - 1] < out->n)) {
                size_t *r = tach__realloc(out->restarts, (out->nrestarts + 1) * sizeof *r);
                if (!r) {
                    json_decref(o);
                    return tach__err(err, "out of memory");
                }
                out->restarts = r;
                out->restarts[out->nrestarts++] = out->n;
            }
        }
        else if (json_is_integer(json_object_get(o, "recorded_run"))) {
            out->recorded_run = (int64_t)json_integer_value(json_object_get(o, "recorded_run"));
            const char *st = json_string_value(json_object_get(o, "store"));
            tach__free(out->recorded_store);
            out->recorded_store = st ? tach__strdup(st) : NULL;
            out->grown_since_recorded = false;
        }
        else if (json_is_object(json_object_get(o, "load_run"))) {
            if (!out->load_runs) out->load_runs = json_array();
            if (!out->load_runs ||
                json_array_append(out->load_runs, json_object_get(o, "load_run")) != 0) {
                json_decref(o);
                return tach__err(err, "out of memory");
            }
        }
        else if (json_object_get(o, "interval")) {
            if (push(out, &cap, o) != 0) {
                json_decref(o);
                return tach__err(err, "out of memory");
            }
            out->grown_since_recorded = true;
        }
        json_decref(o);
    }
    if (!out->header) return tach__err(err, "%s: empty (no header line)", path);
    if (!out->torn) out->whole_len = len;
    return 0;
}

int tool_soak_log_read(const char *path, tool_soak_log *out, char *err)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *text = tach__read_file(path, &len, err);
    if (!text) return -1;
    int rc = read_text(path, text, len, out, err);
    tach__free(text);
    if (rc != 0) tool_soak_log_free(out);
    return rc;
}

int tool_soak_log_try(const char *path, tool_soak_log *out, char *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char head[256] = "";
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    char *nl = strchr(head, '\n');
    if (nl) *nl = '\0';
    if (!strstr(head, "\"tach-soak\"")) return 0;
    return tool_soak_log_read(path, out, err) == 0 ? 1 : -1;
}

tool_soak_series tool_soak_log_series(const tool_soak_log *l)
{
    return (tool_soak_series){l->n, l->t, l->ops_per_s, l->p99, l->rss, l->heap, l->ops, l->errors,
                              l->restarts, l->nrestarts};
}

int tool_soak_log_judge(const tool_soak_log *l, tool_soak_verdict *v, tool_soak_targets *tg)
{
    tool_soak_series s = tool_soak_log_series(l);
    if (tool_soak_judge(&s, 0, v) != 0) return -1;
    if (tg) tool_soak_check_targets(l, v, tg);
    return 0;
}

void tool_soak_check_targets(const tool_soak_log *l, const tool_soak_verdict *v,
                             tool_soak_targets *out)
{
    memset(out, 0, sizeof *out);
    out->elapsed_h = l->n ? l->t[l->n - 1] / 3600.0 : 0;
    out->growth_hi_kb_h = NAN;
    if (l->min_hours > 0) {
        out->has_min_hours = true;
        out->min_hours_met = out->elapsed_h >= l->min_hours;
    }
    if (l->max_growth_kb_h > 0) {
        out->has_max_growth = true;
        const tool_growth *g = v->heap_known ? &v->heap : &v->rss;
        out->growth_hi_kb_h = g->slope_kb_h.hi;
        /* Untested (too short) cannot show the bound holds. */
        out->max_growth_met = g->tested && g->slope_kb_h.hi <= l->max_growth_kb_h;
    }
}

bool tool_soak_load_failed(const json_t *runs, char *why, size_t n)
{
    size_t i, k, used = 0;
    const json_t *r, *v;
    bool failed = false;
    if (n) why[0] = 0;
    json_array_foreach(runs, i, r) {
        if (json_integer_value(json_object_get(r, "exit")) != 1) continue;
        failed = true;
        const char *reason = json_string_value(json_object_get(r, "invalid_reason"));
        if (json_is_true(json_object_get(r, "invalid")) && used < n)
            used += (size_t)snprintf(why + used, n - used, "%sthe load run was invalid (%s)",
                                     used ? "; " : "", reason ? reason : "the generator fell behind");
        json_array_foreach(json_object_get(r, "slo_verdicts"), k, v) {
            const char *verdict = json_string_value(json_object_get(v, "verdict"));
            const char *obj = json_string_value(json_object_get(v, "objective"));
            if (verdict && strcmp(verdict, "met") != 0 && used < n)
                used += (size_t)snprintf(why + used, n - used, "%sobjective %s %s", used ? "; " : "",
                                         obj ? obj : "?", verdict);
        }
    }
    if (failed && !used && n)
        snprintf(why, n, "the load run failed its checks (exit 1: an operation failed)");
    return failed;
}

static json_t *column(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) json_array_append_new(a, tach__json_num(v[i]));
    return a;
}

/* Replaces the string at key in o by redact(prev, it); -1 when out of memory. */
static int shown_string(json_t *o, const char *key, char *(*redact)(const char *))
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s) return 0;
    char *shown = redact(s);
    int rc = shown ? json_object_set_new(o, key, tach__json_string_lossy(shown)) : -1;
    tach__free(shown);
    return rc;
}

static char *redact_word(const char *s)
{
    return tach__redact_arg(NULL, s);
}

json_t *tool_soak_target_shown(const json_t *target)
{
    json_t *t = target ? json_deep_copy(target) : NULL;
    if (!t) return NULL;
    const json_t *raw = json_object_get(target, "argv");
    json_t *av = json_object_get(t, "argv");
    bool bad = shown_string(t, "text", tach__redact) != 0 || shown_string(t, "binary", redact_word) != 0;
    for (size_t i = 0; !bad && i < json_array_size(av); i++) {
        const char *w = json_string_value(json_array_get(raw, i));
        const char *prev = i ? json_string_value(json_array_get(raw, i - 1)) : NULL;
        char *shown = w ? tach__redact_arg(prev, w) : NULL;
        if (w && (!shown || json_array_set_new(av, i, tach__json_string_lossy(shown)) != 0)) bad = true;
        tach__free(shown);
    }
    if (bad) {
        json_decref(t);
        return NULL;
    }
    return t;
}

json_t *tool_soak_report_json(const tool_soak_log *l, const tool_soak_verdict *v,
                              const tool_soak_targets *tg)
{
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, "format", json_string("tach-soak-report"));
    json_object_set_new(o, "partial", json_boolean(!l->ended));
    json_t *t = json_object_get(l->header, "target");
    json_t *shown = t ? tool_soak_target_shown(t) : NULL;
    if (t && !shown) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "target", shown ? shown : json_null());
    json_object_set_new(o, "started", json_deep_copy(json_object_get(l->header, "started")));
    json_object_set_new(o, "duration_s", tach__json_num(l->duration_s));
    json_object_set_new(o, "interval_s", tach__json_num(l->interval_s));
    json_object_set_new(o, "intervals", json_integer((json_int_t)l->n));
    json_object_set_new(o, "elapsed_s", tach__json_num(l->n ? l->t[l->n - 1] : 0));
    json_object_set_new(o, "resumes", json_integer((json_int_t)l->resumes));
    json_object_set_new(o, "verdict", tool_soak_verdict_json(v));
    if (l->load_runs) { /* a load soak: its load runs' own checks, and whether one failed */
        json_t *ld = json_object();
        char why[512];
        bool failed = tool_soak_load_failed(l->load_runs, why, sizeof why);
        json_object_set_new(ld, "failed", json_boolean(failed));
        json_object_set_new(ld, "reason", failed ? tach__json_string_lossy(why) : json_null());
        json_object_set(ld, "runs", l->load_runs);
        json_object_set_new(o, "load", ld);
    }
    json_t *g = json_object();
    if (g && tg->has_min_hours) {
        json_t *m = json_object();
        json_object_set_new(m, "limit", json_real(l->min_hours));
        json_object_set_new(m, "actual", tach__json_num(tg->elapsed_h));
        json_object_set_new(m, "met", json_boolean(tg->min_hours_met));
        json_object_set_new(g, "soak_min_hours", m);
    }
    if (g && tg->has_max_growth) {
        json_t *m = json_object();
        json_object_set_new(m, "limit", json_real(l->max_growth_kb_h));
        json_object_set_new(m, "actual", tach__json_num(tg->growth_hi_kb_h));
        json_object_set_new(m, "met", json_boolean(tg->max_growth_met));
        json_object_set_new(g, "max_growth_kb_per_hour", m);
    }
    json_object_set_new(o, "targets", g);
    json_t *s = json_object();
    if (s) {
        json_object_set_new(s, "t", column(l->t, l->n));
        json_object_set_new(s, "ops_per_s", column(l->ops_per_s, l->n));
        json_object_set_new(s, "errors", column(l->errors, l->n));
        json_object_set_new(s, "p50_ns", column(l->p50, l->n));
        json_object_set_new(s, "p99_ns", column(l->p99, l->n));
        json_object_set_new(s, "rss_bytes", column(l->rss, l->n));
        json_object_set_new(s, "heap_bytes", column(l->heap, l->n));
        json_object_set_new(s, "fds", column(l->fds, l->n));
        json_object_set_new(s, "threads", column(l->threads, l->n));
    }
    json_object_set_new(o, "series", s);
    return o;
}
