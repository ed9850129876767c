/*
 * import_formats.c - reading results other tools wrote into a tach results document.
 *
 *   tach       a tach results document ("format": "tach-results"), read strictly
 *   gbench     Google Benchmark's --benchmark_format=json / --benchmark_out output:
 *              {"context": {...}, "benchmarks": [{"name", "run_name", "run_type",
 *              "repetitions", "iterations", "real_time", "cpu_time", "time_unit",
 *              "bytes_per_second", "items_per_second", "error_occurred",
 *              "error_message", counters...}]} (src/json_reporter.cc).  Its writer
 *              prints undefined numbers as bare NaN, Infinity and -Infinity, which
 *              are not JSON and which jansson 2.14 refuses (it has no flag to allow
 *              them), so the text is first rewritten: those tokens outside strings
 *              become null.  Each "iteration" entry is one sample (its repetitions
 *              are merged by run_name); aggregates (mean, median, stddev, cv, BigO,
 *              RMS) are derived values and are skipped unless a benchmark has nothing
 *              else, when its mean aggregate becomes its one sample.
 *   hyperfine  hyperfine's --export-json: {"results": [{"command", "times", "exit_codes",
 *              "parameters", "user", "system", ...}]}: one sample per run (seconds);
 *              user and system are only means there, kept as counters user_ns and
 *              system_ns; memory_usage_byte (hyperfine 1.16+) becomes max_rss_kib.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tach_internal.h"

/* Rewrites NaN, -NaN, Infinity, -Infinity, inf, -inf and nan outside strings as null. */
static char *replace_non_finite(const char *text, size_t len)
{
    tach__buf b = {0};
    bool in_str = false;
    size_t i = 0;
    static const char *const toks[] = {"-Infinity", "Infinity", "-NaN", "NaN", "-inf", "inf", "-nan", "nan"};
    while (i < len) {
        char c = text[i];
        if (in_str) {
            size_t j = i;
            while (j < len && text[j] != '"' && text[j] != '\\') j++;
            if (j < len && text[j] == '\\') j = j + 2 > len ? len : j + 2;
            else if (j < len) {
                in_str = false;
                j++;
            }
            tach__buf_put(&b, text + i, j - i);
            i = j;
            continue;
        }
        if (c == '"') {
            in_str = true;
            tach__buf_put(&b, "\"", 1);
            i++;
            continue;
        }
        bool done = false;
        if (c == '-' || c == 'N' || c == 'I' || c == 'i' || c == 'n') {
            for (size_t t = 0; t < sizeof toks / sizeof *toks; t++) {
                size_t tl = strlen(toks[t]);
                if (i + tl <= len && !memcmp(text + i, toks[t], tl)) {
                    char next = i + tl < len ? text[i + tl] : ' ';
                    if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) continue; /* "null" */
                    tach__buf_puts(&b, "null");
                    i += tl;
                    done = true;
                    break;
                }
            }
        }
        if (!done) {
            /* copy a run of ordinary characters */
            size_t j = i + 1;
            while (j < len && text[j] != '"' && text[j] != '-' && text[j] != 'N' && text[j] != 'I' &&
                   text[j] != 'i' && text[j] != 'n')
                j++;
            tach__buf_put(&b, text + i, j - i);
            i = j;
        }
    }
    if (!b.p) tach__buf_put(&b, "", 0);
    return tach__buf_take(&b);
}

/* ---- hyperfine --------------------------------------------------------------- */

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
    size_t i;
    const json_t *o;
    json_array_foreach(res, i, o) {
        if (!json_is_object(o)) {
            tach__err(err, "%s: results[%zu]: expected an object", path, i);
            goto fail;
        }
        const json_t *cmd = json_object_get(o, "command");
        const json_t *times = json_object_get(o, "times");
        if (!json_is_string(cmd)) {
            tach__err(err, "%s: results[%zu].command: expected a string", path, i);
            goto fail;
        }
        if (!json_is_array(times)) {
            tach__err(err, "%s: results[%zu].times: expected an array of seconds", path, i);
            goto fail;
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
                tach__err(err, "%s: results[%zu].times[%zu]: expected a number of seconds", path, i, k);
                goto fail;
            }
            r->sample_ns[k] = json_number_value(t) * 1e9;
            r->sample_iters[k] = 1;
        }
        r->nsamples = n;
        const json_t *codes = json_object_get(o, "exit_codes");
        if (codes && !json_is_null(codes)) {
            if (!json_is_array(codes) || json_array_size(codes) != n) {
                tach__err(err, "%s: results[%zu].exit_codes: expected an array with one code per time", path, i);
                goto fail;
            }
            if (!(r->exit_codes = tach__calloc(n ? n : 1, sizeof *r->exit_codes))) goto oom;
            for (size_t k = 0; k < n; k++) {
                const json_t *c = json_array_get(codes, k);
                if (json_is_null(c)) {
                    r->exit_codes[k] = -1; /* hyperfine: ended by a signal it does not name */
                } else if (json_is_integer(c)) {
                    r->exit_codes[k] = (int)json_integer_value(c);
                } else {
                    tach__err(err, "%s: results[%zu].exit_codes[%zu]: expected an integer or null", path, i, k);
                    goto fail;
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
                    tach__err(err, "%s: results[%zu].parameters.%s: expected a string", path, i, key);
                    goto fail;
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
        if (tach__result_finish(r, 0x7461636800000001ull, err) != 0) goto fail;
    }
    return d;
oom:
    tach__err(err, "%s: out of memory", path);
fail:
    tach__doc_free(d);
    return NULL;
}

/* ---- Google Benchmark ---------------------------------------------------------- */

static double unit_ns(const char *u)
{
    if (!u || !strcmp(u, "ns")) return 1;
    if (!strcmp(u, "us")) return 1e3;
    if (!strcmp(u, "ms")) return 1e6;
    if (!strcmp(u, "s")) return 1e9;
    return 0;
}

static bool gb_known_key(const char *k)
{
    static const char *const keys[] = {
        "name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "aggregate_name",
        "aggregate_unit", "error_occurred", "error_message", "iterations", "real_time", "cpu_time",
        "time_unit", "bytes_per_second", "items_per_second", "label", "family_index",
        "per_family_instance_index", "cpu_coefficient", "real_coefficient", "big_o", "rms",
        "allocs_per_iter", "max_bytes_used", "skipped", "skip_message", "total_allocated_bytes",
        "net_heap_growth"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(k, keys[i])) return true;
    return false;
}

/* GB names read "BM_x/64/threads:2" or "BM_x/size:64"; "k:v" segments become params. */
static int gb_params(tach__result *r, const char *run_name)
{
    const char *slash = strchr(run_name, '/');
    r->function = slash ? strndup(run_name, (size_t)(slash - run_name)) : tach__strdup(run_name);
    if (!r->function) return -1;
    size_t argi = 0;
    while (slash) {
        const char *seg = slash + 1;
        slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        char buf[256], key[64];
        if (n >= sizeof buf) n = sizeof buf - 1;
        memcpy(buf, seg, n);
        buf[n] = '\0';
        char *colon = strchr(buf, ':');
        int rc;
        /* the timing mode GB appends to a name is not a parameter */
        if (!strcmp(buf, "real_time") || !strcmp(buf, "manual_time") || !strcmp(buf, "process_time"))
            continue;
        if (colon) {
            *colon = '\0';
            rc = tach__result_set_param(r, buf, colon + 1);
        } else {
            snprintf(key, sizeof key, "arg%zu", argi++);
            rc = tach__result_set_param(r, key, buf);
        }
        if (rc != 0) return -1;
    }
    return 0;
}

static tach__doc *from_gbench(const json_t *j, const char *path, char *err)
{
    const json_t *bms = json_object_get(j, "benchmarks");
    tach__doc *d = tach__doc_new();
    if (!d) {
        tach__err(err, "out of memory");
        return NULL;
    }
    /* context: keep Google Benchmark's own, under the tach names where they exist */
    const json_t *ctx = json_object_get(j, "context");
    json_object_set_new(d->context, "tool", json_string("import:gbench"));
    json_object_set_new(d->context, "source", json_string(path));
    if (json_is_object(ctx)) {
        static const char *const map[][2] = {{"date", "date"},       {"host_name", "host"},
                                             {"executable", "executable"}, {"num_cpus", "cpus"},
                                             {"mhz_per_cpu", "mhz"}, {"load_avg", "load_avg"},
                                             {"library_build_type", "build_type"}};
        for (size_t k = 0; k < sizeof map / sizeof *map; k++) {
            json_t *v = json_object_get(ctx, map[k][0]);
            if (v && !json_is_null(v)) json_object_set(d->context, map[k][1], v);
        }
        json_object_set(d->context, "gbench_context", (json_t *)ctx);
    }
    /* two passes: iteration entries first; then aggregates of names that had none */
    for (int pass = 0; pass < 2; pass++) {
        size_t i;
        const json_t *o;
        json_array_foreach(bms, i, o) {
            if (!json_is_object(o)) {
                tach__err(err, "%s: benchmarks[%zu]: expected an object", path, i);
                goto fail;
            }
            const json_t *name = json_object_get(o, "name");
            if (!json_is_string(name)) {
                tach__err(err, "%s: benchmarks[%zu].name: expected a string", path, i);
                goto fail;
            }
            const json_t *rn = json_object_get(o, "run_name");
            const char *run_name = json_is_string(rn) ? json_string_value(rn) : json_string_value(name);
            const json_t *rt = json_object_get(o, "run_type");
            bool aggregate = json_is_string(rt) && !strcmp(json_string_value(rt), "aggregate");
            if (aggregate != (pass == 1)) continue;
            if (aggregate) {
                const json_t *an = json_object_get(o, "aggregate_name");
                if (!json_is_string(an) || strcmp(json_string_value(an), "mean")) continue;
            }
            tach__result *r = NULL;
            for (size_t k = 0; k < d->nresults && !r; k++)
                if (!strcmp(d->results[k].name, run_name)) r = &d->results[k];
            if (r && aggregate) continue; /* has iteration samples already */
            if (!r) {
                if (!(r = tach__doc_add(d))) goto oom;
                if (!(r->name = tach__strdup(run_name)) || gb_params(r, run_name) != 0) goto oom;
            }
            const json_t *eo = json_object_get(o, "error_occurred");
            const json_t *sk = json_object_get(o, "skipped");
            if (json_is_true(eo) || (json_is_string(sk) && strcmp(json_string_value(sk), "NotSkipped"))) {
                const json_t *em = json_object_get(o, "error_message");
                if (!json_is_string(em)) em = json_object_get(o, "skip_message");
                bool skipped = json_is_string(sk) && !strcmp(json_string_value(sk), "SkippedWithMessage");
                r->status = skipped ? TACH__SKIPPED : TACH__FAILED;
                tach__free(r->message);
                r->message = tach__strdup(json_is_string(em) ? json_string_value(em) : "error");
                continue;
            }
            const json_t *rtime = json_object_get(o, "real_time");
            const json_t *iters = json_object_get(o, "iterations");
            const json_t *tu = json_object_get(o, "time_unit");
            if (!rtime) continue; /* BigO / RMS entries have no real_time */
            double scale = unit_ns(json_is_string(tu) ? json_string_value(tu) : NULL);
            if (scale == 0) {
                tach__err(err, "%s: benchmarks[%zu].time_unit: unknown unit '%s'", path, i, json_string_value(tu));
                goto fail;
            }
            if (json_is_null(rtime)) continue; /* NaN/Infinity in the file: no sample */
            if (!json_is_number(rtime) || json_number_value(rtime) < 0) {
                tach__err(err, "%s: benchmarks[%zu].real_time: expected a number", path, i);
                goto fail;
            }
            if (iters && !json_is_integer(iters)) {
                tach__err(err, "%s: benchmarks[%zu].iterations: expected an integer", path, i);
                goto fail;
            }
            size_t n = r->nsamples + 1;
            double *ns = tach__realloc(r->sample_ns, n * sizeof *ns);
            if (!ns) goto oom;
            r->sample_ns = ns;
            uint64_t *it = tach__realloc(r->sample_iters, n * sizeof *it);
            if (!it) goto oom;
            r->sample_iters = it;
            double t = json_number_value(rtime) * scale;
            ns[n - 1] = t;
            it[n - 1] = iters && json_integer_value(iters) > 0 ? (uint64_t)json_integer_value(iters) : 1;
            r->nsamples = n;
            /* Google Benchmark divides rates by the CPU time (unless UseRealTime, when
             * cpu_time is the real time's twin), so per iteration = rate x cpu_time */
            const json_t *bps = json_object_get(o, "bytes_per_second");
            const json_t *ips = json_object_get(o, "items_per_second");
            const json_t *ctime = json_object_get(o, "cpu_time");
            double ct = json_is_number(ctime) && json_number_value(ctime) > 0 ? json_number_value(ctime) * scale : t;
            if (json_is_number(bps) && ct > 0) r->bytes_per_iter = json_number_value(bps) * ct / 1e9;
            if (json_is_number(ips) && ct > 0) r->items_per_iter = json_number_value(ips) * ct / 1e9;
            const char *key;
            const json_t *v;
            json_object_foreach((json_t *)o, key, v) {
                if (gb_known_key(key) || !json_is_number(v)) continue;
                if (tach__result_set_counter(r, key, json_number_value(v)) != 0) goto oom;
            }
        }
    }
    for (size_t k = 0; k < d->nresults; k++) {
        tach__result *r = &d->results[k];
        /* bytes/items per iteration: rounded to whole numbers as Google Benchmark's
         * SetBytesProcessed counts whole bytes */
        if (r->bytes_per_iter > 0) r->bytes_per_iter = round(r->bytes_per_iter);
        if (r->items_per_iter > 0) r->items_per_iter = round(r->items_per_iter);
        if (r->status == TACH__OK && r->nsamples == 0) {
            r->status = TACH__FAILED;
            r->message = tach__strdup("no finite time in the Google Benchmark output");
        }
        if (tach__result_finish(r, 0x7461636800000001ull, err) != 0) goto fail;
    }
    return d;
oom:
    tach__err(err, "%s: out of memory", path);
fail:
    tach__doc_free(d);
    return NULL;
}

/* ---- recognising a file ------------------------------------------------------------ */

static void list_keys(const json_t *j, char *buf, size_t size)
{
    buf[0] = '\0';
    const char *key;
    json_t *v;
    size_t used = 0, n = 0;
    json_object_foreach((json_t *)j, key, v) {
        (void)v;
        int w = snprintf(buf + used, size - used, "%s'%s'", n ? ", " : "", key);
        if (w < 0 || (size_t)w >= size - used) break;
        used += (size_t)w;
        if (++n == 5) break;
    }
    if (!n) snprintf(buf, size, "none");
}

tach__doc *cli_import_file(const char *path, char *err)
{
    char rerr[TACH__ERR_MAX];
    size_t len = 0;
    char *raw = tach__read_file(path, &len, rerr);
    if (!raw) {
        tach__err(err, "%s: %s", path, rerr);
        return NULL;
    }
    char *text = replace_non_finite(raw, len);
    tach__free(raw);
    if (!text) {
        tach__err(err, "%s: out of memory", path);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    tach__free(text);
    if (!j) {
        if (len == 0)
            tach__err(err, "%s: the file is empty", path);
        else
            tach__err(err, "%s:%d:%d: not valid JSON (%s)%s", path, je.line, je.column, je.text,
                      strstr(je.text, "end of") || strstr(je.text, "premature") ? " - is the file truncated?" : "");
        return NULL;
    }
    tach__doc *d = NULL;
    if (!json_is_object(j)) {
        tach__err(err, "%s: not a results file: the top level is not a JSON object", path);
    } else if (json_object_get(j, "format")) {
        const json_t *f = json_object_get(j, "format");
        if (!json_is_string(f) || strcmp(json_string_value(f), TACH__DOC_FORMAT)) {
            tach__err(err, "%s: format: '%s' is not a tach results document", path,
                      json_is_string(f) ? json_string_value(f) : "?");
        } else {
            char derr[TACH__ERR_MAX];
            d = tach__doc_from_json(j, derr);
            if (!d) tach__err(err, "%s: %s", path, derr);
            /* estimates are derived from the samples: a document that carries only the
             * samples gets them computed (seeded as the writer's default) */
            for (size_t i = 0; d && i < d->nresults; i++) {
                tach__result *r = &d->results[i];
                if (r->nsamples && !r->has_summary && tach__result_finish(r, 0x7461636800000001ull, derr) != 0) {
                    tach__err(err, "%s: benchmarks[%zu]: %s", path, i, derr);
                    tach__doc_free(d);
                    d = NULL;
                }
            }
        }
    } else if (json_is_array(json_object_get(j, "results"))) {
        d = from_hyperfine(j, path, err);
    } else if (json_is_array(json_object_get(j, "benchmarks"))) {
        d = from_gbench(j, path, err);
    } else {
        char keys[256];
        list_keys(j, keys, sizeof keys);
        tach__err(err, "%s: not a tach, Google Benchmark or hyperfine results file (no 'format', "
                       "'benchmarks' or 'results' key; its keys: %s)", path, keys);
    }
    json_decref(j);
    return d;
}
