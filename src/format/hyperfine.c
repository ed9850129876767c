/*
 * hyperfine.c - hyperfine's --export-json, both ways.
 *
 * Written: {"results": [{"command", "mean", "stddev", "median", "user", "system", "min",
 * "max", "times", "exit_codes", "parameters"}]}, all times in seconds.  Field names as
 * hyperfine 1.15 writes them (checked against Debian's hyperfine output; stddev is
 * null with one run, an exit code is null when a signal ended the run, "parameters"
 * only when there are some).
 *
 * Read: one sample per run (seconds); user and system are only means there, kept as
 * counters user_ns and system_ns; memory_usage_byte (hyperfine 1.16+) becomes
 * max_rss_kib.  An interrupted run tach wrote has "partial": true beside "results", and
 * a --quick smoke run "quick": true; both read back so.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* The mean of an optional per-run array, or NaN. */
static double mean_of(const double *x, size_t n)
{
    return x && n ? tach__mean(x, n) : NAN;
}

static json_t *to_hyperfine(const tach__doc *d)
{
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        const tach__summary *s = &r->summary;
        bool sum = r->has_summary && r->nsamples > 0;
        if (!sum) continue; /* hyperfine's schema has no place for a run without times */
        json_t *o = json_object();
        json_object_set_new(o, "command", tach__json_string_bytes(tach__result_command_shown(r)));
        json_object_set_new(o, "mean", tach__json_num(sum ? s->mean.value / 1e9 : NAN));
        json_object_set_new(o, "stddev", tach__json_num(sum && r->nsamples > 1 ? s->stddev / 1e9 : NAN));
        json_object_set_new(o, "median", tach__json_num(sum ? s->median.value / 1e9 : NAN));
        /* user and system: the mean of the runs' times, or (imported from hyperfine, which
         * keeps only the means) the counters user_ns / system_ns */
        double us = mean_of(r->user_ns, r->nsamples), sy = mean_of(r->sys_ns, r->nsamples);
        if (isnan(us)) us = tach__result_counter(r, "user_ns");
        if (isnan(sy)) sy = tach__result_counter(r, "system_ns");
        json_object_set_new(o, "user", json_real(isfinite(us) ? us / 1e9 : 0.0));
        json_object_set_new(o, "system", json_real(isfinite(sy) ? sy / 1e9 : 0.0));
        json_object_set_new(o, "min", tach__json_num(sum ? s->min / 1e9 : NAN));
        json_object_set_new(o, "max", tach__json_num(sum ? s->max / 1e9 : NAN));
        json_t *times = json_array(), *codes = json_array();
        for (size_t k = 0; k < r->nsamples; k++) {
            json_array_append_new(times, json_real(r->sample_ns[k] / 1e9));
            int c = r->exit_codes ? r->exit_codes[k] : 0;
            json_array_append_new(codes, c >= 0 ? json_integer(c) : json_null());
        }
        json_object_set_new(o, "times", times);
        json_object_set_new(o, "exit_codes", codes);
        if (r->nparams) {
            json_t *p = json_object();
            for (size_t k = 0; k < r->nparams; k++)
                tach__json_set_bytes(p, r->params[k].name, tach__json_string_bytes(r->params[k].value));
            json_object_set_new(o, "parameters", p);
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "results", arr);
    /* an interrupted run (hyperfine's readers ignore keys they do not know) */
    if (d->partial) json_object_set_new(root, "partial", json_true());
    /* a --quick smoke run (context.suite.quick), likewise */
    if (tach__doc_quick(d)) json_object_set_new(root, "quick", json_true());
    return root;
}

static char *write_hyperfine(const tach__doc *d, size_t *len, char *err)
{
    return tach__format_json_dump(to_hyperfine(d), 15, len, err);
}

/* True when a and b have the same parameters, in the same order. */
static bool same_params(const tach__result *a, const tach__result *b)
{
    if (a->nparams != b->nparams) return false;
    for (size_t p = 0; p < a->nparams; p++)
        if (strcmp(a->params[p].name, b->params[p].name) || strcmp(a->params[p].value, b->params[p].value))
            return false;
    return true;
}

/* hyperfine -L n 1,2 --prepare 'make {n}' CMD gives one result per value, all named
 * CMD: a parameter the command does not use.  As tach run names them, each such result
 * is named "CMD [n=1]".  A command twice with the same parameters (or none) keeps its
 * name, and is refused as a name twice. */
static int param_names(tach__doc *d)
{
    for (size_t i = 0; i < d->nresults; i++) {
        tach__result *r = &d->results[i];
        bool dup = false, clash = false;
        for (size_t k = 0; k < d->nresults; k++) {
            if (k == i || strcmp(d->results[k].command, r->command)) continue;
            dup = true;
            clash |= same_params(&d->results[k], r);
        }
        if (!dup || clash || !r->nparams) continue;
        if (tach__result_name_by_params(r, r->command) != 0) return -1;
    }
    return 0;
}

static tach__doc *from_hyperfine(const json_t *j, const char *path, char *err)
{
    const json_t *res = json_object_get(j, "results");
    tach__doc *d = tach__doc_new();
    if (!d) {
        tach__err(err, "out of memory");
        return NULL;
    }
    json_object_set_new(d->context, "tool", json_string("import:hyperfine"));
    json_object_set_new(d->context, "source", json_string(path));
    /* an interrupted run, as tach writes it (to_hyperfine): read back so, or a
     * certificate or gate of the file would take it for a whole run */
    d->partial = json_is_true(json_object_get(j, "partial"));
    if (json_is_true(json_object_get(j, "quick")) && tach__doc_set_quick(d) != 0) {
        tach__doc_free(d);
        tach__err(err, "%s: out of memory", path);
        return NULL;
    }
    char jerr[TACH__ERR_MAX] = "";
    tach__jpath jp = {.path = "", .err = jerr}; /* names the place of a fault */
    size_t i;
    const json_t *o;
    if (json_array_size(res) == 0) { /* a file with nothing measured is not a run */
        tach__doc_free(d);
        tach__err(err, "%s: results is empty: no command to read", path);
        return NULL;
    }
    json_array_foreach(res, i, o) {
        tach__jpath_pop(&jp, 0);
        tach__jpath_key(&jp, "results");
        tach__jpath_index(&jp, i);
        if (!json_is_object(o)) {
            tach__jpath_expected(&jp, "an object", o);
            goto bad;
        }
        const json_t *cmd = json_object_get(o, "command");
        const json_t *times = json_object_get(o, "times");
        if (!json_is_string(cmd)) {
            tach__jpath_key(&jp, "command");
            tach__jpath_expected(&jp, "a string", cmd);
            goto bad;
        }
        if (!json_is_array(times)) {
            tach__jpath_key(&jp, "times");
            tach__jpath_expected(&jp, "an array of seconds", times);
            goto bad;
        }
        if (json_array_size(times) == 0) { /* hyperfine writes every run; none: nothing measured */
            tach__jpath_key(&jp, "times");
            tach__jpath_fail(&jp, "is empty: no run to read");
            goto bad;
        }
        tach__result *r = tach__doc_add(d);
        if (!r) goto oom;
        r->name = tach__strdup(json_string_value(cmd));
        r->command = tach__strdup(json_string_value(cmd));
        size_t n = json_array_size(times);
        r->sample_ns = tach__calloc(n, sizeof *r->sample_ns);
        r->sample_iters = tach__calloc(n, sizeof *r->sample_iters);
        if (!r->name || !r->command || !r->sample_ns || !r->sample_iters) goto oom;
        for (size_t k = 0; k < n; k++) {
            const json_t *t = json_array_get(times, k);
            if (!json_is_number(t) || !isfinite(json_number_value(t)) || json_number_value(t) < 0) {
                tach__jpath_key(&jp, "times");
                tach__jpath_index(&jp, k);
                tach__jpath_expected(&jp, "a number of seconds from 0", t);
                goto bad;
            }
            r->sample_ns[k] = json_number_value(t) * 1e9;
            if (!isfinite(r->sample_ns[k])) { /* 1e300 s: no double holds it in ns */
                char msg[96];
                snprintf(msg, sizeof msg, "%g s is too large a time (over 1.7e299 s)", json_number_value(t));
                tach__jpath_key(&jp, "times");
                tach__jpath_index(&jp, k);
                tach__jpath_fail(&jp, msg);
                goto bad;
            }
            r->sample_iters[k] = 1;
        }
        r->nsamples = n;
        const json_t *codes = json_object_get(o, "exit_codes");
        if (codes && !json_is_null(codes)) {
            if (!json_is_array(codes) || json_array_size(codes) != n) {
                tach__jpath_key(&jp, "exit_codes");
                tach__jpath_fail(&jp, "expected an array with one code per time");
                goto bad;
            }
            if (!(r->exit_codes = tach__calloc(n ? n : 1, sizeof *r->exit_codes))) goto oom;
            for (size_t k = 0; k < n; k++) {
                const json_t *c = json_array_get(codes, k);
                if (json_is_null(c)) {
                    r->exit_codes[k] = -1; /* hyperfine: ended by a signal it does not name */
                } else if (json_is_integer(c)) {
                    r->exit_codes[k] = (int)json_integer_value(c);
                } else {
                    tach__jpath_key(&jp, "exit_codes");
                    tach__jpath_index(&jp, k);
                    tach__jpath_expected(&jp, "an integer or null", c);
                    goto bad;
                }
            }
        }
        const json_t *params = json_object_get(o, "parameters");
        if (params && json_is_object(params)) {
            const char *key;
            const json_t *v;
            json_object_foreach((json_t *)params, key, v) {
                char num[64];
                const char *val = json_is_string(v) ? json_string_value(v) : NULL;
                if (!val && json_is_number(v)) {
                    snprintf(num, sizeof num, "%.17g", json_number_value(v));
                    val = num;
                }
                if (!val) {
                    tach__jpath_key(&jp, "parameters");
                    tach__jpath_key(&jp, key);
                    tach__jpath_expected(&jp, "a string", v);
                    goto bad;
                }
                if (tach__result_set_param(r, key, val) != 0) goto oom;
            }
        }
        /* hyperfine 1.16 and later add the peak memory of each run */
        const json_t *mem = json_object_get(o, "memory_usage_byte");
        if (json_is_array(mem) && json_array_size(mem) == n) {
            if (!(r->max_rss_kib = tach__calloc(n ? n : 1, sizeof *r->max_rss_kib))) goto oom;
            for (size_t k = 0; k < n; k++) {
                const json_t *m = json_array_get(mem, k);
                r->max_rss_kib[k] = json_is_number(m) ? json_number_value(m) / 1024.0 : 0;
            }
        }
        const json_t *us = json_object_get(o, "user"), *sy = json_object_get(o, "system");
        if (json_is_number(us) && tach__result_set_counter(r, "user_ns", json_number_value(us) * 1e9) != 0) goto oom;
        if (json_is_number(sy) && tach__result_set_counter(r, "system_ns", json_number_value(sy) * 1e9) != 0) goto oom;
        bool bad_exit = false;
        for (size_t k = 0; r->exit_codes && k < n; k++) bad_exit |= r->exit_codes[k] != 0;
        if (bad_exit) {
            /* hyperfine records such runs only with --ignore-failure: they were timed */
            r->message = tach__strdup("some runs exited non-zero (hyperfine --ignore-failure)");
        }
        if (tach__result_finish(r, TACH__DEFAULT_SEED, err) != 0) goto fail;
    }
    if (param_names(d) != 0) goto oom;
    return d;
oom:
    tach__err(err, "%s: out of memory", path);
    goto fail;
bad:
    tach__err(err, "%s: %s", path, jerr);
fail:
    tach__doc_free(d);
    return NULL;
}

static bool is_hyperfine(const json_t *j)
{
    return json_is_array(json_object_get(j, "results"));
}

const tach__format tach__format_hyperfine = {
    .name = "hyperfine", .extensions = ".json", .summary = "hyperfine's JSON (seconds)",
    .detect = is_hyperfine, .read = from_hyperfine, .write = write_hyperfine,
};
