/*
 * export_formats.c - a results document in the formats other tools read.
 *
 *   json       the tach results document (docs/results-format.md)
 *   hyperfine  hyperfine's --export-json schema: {"results": [{"command", "mean",
 *              "stddev", "median", "user", "system", "min", "max", "times",
 *              "exit_codes", "parameters"}]}, all times in seconds.  Field names as
 *              hyperfine 1.15 writes them (checked against Debian's hyperfine output;
 *              stddev is null with one run, an exit code is null when a signal ended
 *              the run, "parameters" only when there are some).
 *   gbench     Google Benchmark's JSON (tach__doc_to_gbench, src/format/gbench.c)
 *   csv        tach__doc_to_csv (header in docs/results-format.md)
 *   markdown   a table like hyperfine's --export-markdown: Command | Mean [unit] |
 *              Min [unit] | Max [unit] | Relative, one unit for the whole table
 *   bmf        Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format):
 *              {"<benchmark>": {"latency": {"value", "lower_value", "upper_value"}}} with
 *              latency in nanoseconds (Bencher's built-in Latency measure), here the
 *              median and its 95% CI; plus "throughput" (operations/s, Bencher's built-in
 *              Throughput measure) from items per second when a benchmark sets items.
 *   github     github-action-benchmark's customSmallerIsBetter input: a JSON array of
 *              {"name", "unit", "value", "range", "extra"} (the fields its
 *              extractCustomBenchmarkResult reads in src/extract.ts); value is the median
 *              in ns, range "± stddev", extra the mean, CI and sample count.
 *
 * Each export is written whole or not at all (tach__write_text_file: a temporary
 * file in the same directory, fsync, rename).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"
#include "tach_internal.h"

static const char *const formats[] = {"json", "hyperfine", "gbench", "csv", "markdown", "bmf", "github"};

bool cli_export_known(const char *format)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (!strcmp(format, formats[i])) return true;
    return false;
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* The mean of an optional per-run array, or NaN. */
static double mean_of(const double *x, size_t n)
{
    return x && n ? tach__mean(x, n) : NAN;
}

static double counter(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->ncounters; i++)
        if (!strcmp(r->counters[i].name, name)) return r->counters[i].value;
    return NAN;
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
        json_object_set_new(o, "command", json_string(r->command ? r->command : r->name ? r->name : ""));
        json_object_set_new(o, "mean", num_or_null(sum ? s->mean.value / 1e9 : NAN));
        json_object_set_new(o, "stddev", num_or_null(sum && r->nsamples > 1 ? s->stddev / 1e9 : NAN));
        json_object_set_new(o, "median", num_or_null(sum ? s->median.value / 1e9 : NAN));
        /* user and system: the mean of the runs' times, or (imported from hyperfine, which
         * keeps only the means) the counters user_ns / system_ns */
        double us = mean_of(r->user_ns, r->nsamples), sy = mean_of(r->sys_ns, r->nsamples);
        if (isnan(us)) us = counter(r, "user_ns");
        if (isnan(sy)) sy = counter(r, "system_ns");
        json_object_set_new(o, "user", json_real(isfinite(us) ? us / 1e9 : 0.0));
        json_object_set_new(o, "system", json_real(isfinite(sy) ? sy / 1e9 : 0.0));
        json_object_set_new(o, "min", num_or_null(sum ? s->min / 1e9 : NAN));
        json_object_set_new(o, "max", num_or_null(sum ? s->max / 1e9 : NAN));
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
                json_object_set_new(p, r->params[k].name, json_string(r->params[k].value));
            json_object_set_new(o, "parameters", p);
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "results", arr);
    /* an interrupted run (hyperfine's readers ignore keys they do not know) */
    if (d->partial) json_object_set_new(root, "partial", json_true());
    return root;
}

static json_t *to_bmf(const tach__doc *d)
{
    json_t *root = json_object();
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->has_summary || !r->nsamples || !r->name) continue;
        const tach__summary *s = &r->summary;
        json_t *b = json_object(), *lat = json_object();
        json_object_set_new(lat, "value", json_real(s->median.value));
        if (isfinite(s->median.lo)) json_object_set_new(lat, "lower_value", json_real(s->median.lo));
        if (isfinite(s->median.hi)) json_object_set_new(lat, "upper_value", json_real(s->median.hi));
        json_object_set_new(b, "latency", lat);
        if (r->items_per_iter > 0 && s->median.value > 0) {
            json_t *tp = json_object();
            json_object_set_new(tp, "value", json_real(r->items_per_iter * 1e9 / s->median.value));
            if (s->median.hi > 0)
                json_object_set_new(tp, "lower_value", json_real(r->items_per_iter * 1e9 / s->median.hi));
            if (s->median.lo > 0)
                json_object_set_new(tp, "upper_value", json_real(r->items_per_iter * 1e9 / s->median.lo));
            json_object_set_new(b, "throughput", tp);
        }
        json_object_set_new(root, r->name, b);
    }
    return root;
}

/* A number of ns for people: whole above 1000, else 4 significant digits. */
static const char *plain(double v, char buf[32])
{
    if (!isfinite(v))
        snprintf(buf, 32, "n/a");
    else if (fabs(v) >= 1000)
        snprintf(buf, 32, "%.0f", v);
    else
        snprintf(buf, 32, "%.4g", v);
    return buf;
}

static json_t *to_github(const tach__doc *d)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->has_summary || !r->nsamples || !r->name) continue;
        const tach__summary *s = &r->summary;
        json_t *o = json_object();
        char range[64], extra[256];
        json_object_set_new(o, "name", json_string(r->name));
        json_object_set_new(o, "unit", json_string("ns"));
        json_object_set_new(o, "value", json_real(s->median.value));
        char a[32], b[32], c[32], e[32];
        snprintf(range, sizeof range, "± %s", plain(r->nsamples > 1 ? s->stddev : 0.0, a));
        json_object_set_new(o, "range", json_string(range));
        snprintf(extra, sizeof extra, "median 95%% CI: %s .. %s ns\nmean: %s ns\nsamples: %zu%s",
                 plain(s->median.lo, b), plain(s->median.hi, c), plain(s->mean.value, e), r->nsamples,
                 d->partial ? "\npartial: the run was interrupted before it was done" : "");
        json_object_set_new(o, "extra", json_string(extra));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The unit of a Markdown table: the largest of s, ms, µs, ns in which the smallest
 * mean is at least 1. */
static void md_unit(const tach__doc *d, const char **name, double *scale)
{
    double lo = INFINITY;
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].has_summary && d->results[i].nsamples && d->results[i].summary.mean.value < lo)
            lo = d->results[i].summary.mean.value;
    if (lo >= 1e9)
        *name = "s", *scale = 1e9;
    else if (lo >= 1e6)
        *name = "ms", *scale = 1e6;
    else if (lo >= 1e3)
        *name = "µs", *scale = 1e3;
    else
        *name = "ns", *scale = 1;
}

static void md_escape(tach__buf *b, const char *s)
{
    tach__buf_puts(b, "`");
    for (; *s; s++) {
        if (*s == '|')
            tach__buf_puts(b, "\\|");
        else if (*s == '`')
            tach__buf_puts(b, "'");
        else if (*s == '\n')
            tach__buf_puts(b, " ");
        else
            tach__buf_put(b, s, 1);
    }
    tach__buf_puts(b, "`");
}

static char *to_markdown(const tach__doc *d)
{
    const char *u;
    double sc;
    md_unit(d, &u, &sc);
    double fastest = INFINITY, fastest_rsd = 0;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (r->has_summary && r->nsamples && r->summary.mean.value < fastest) {
            fastest = r->summary.mean.value;
            fastest_rsd = r->nsamples > 1 ? r->summary.stddev / fastest : 0;
        }
    }
    tach__buf b = {0};
    tach__buf_printf(&b, "| Command | Mean [%s] | Min [%s] | Max [%s] | Relative |\n", u, u, u);
    tach__buf_puts(&b, "|:---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        tach__buf_puts(&b, "| ");
        md_escape(&b, r->command ? r->command : r->name ? r->name : "");
        if (!r->has_summary || !r->nsamples) {
            tach__buf_printf(&b, " | %s | | | |\n", tach__status_name(r->status));
            continue;
        }
        const tach__summary *s = &r->summary;
        double sd = r->nsamples > 1 ? s->stddev : 0;
        tach__buf_printf(&b, " | %.1f ± %.1f | %.1f | %.1f | ", s->mean.value / sc, sd / sc, s->min / sc,
                         s->max / sc);
        double rel = s->mean.value / fastest;
        if (s->mean.value == fastest) {
            tach__buf_puts(&b, "1.00 |\n");
        } else {
            double rsd = s->mean.value > 0 ? sd / s->mean.value : 0;
            tach__buf_printf(&b, "%.2f ± %.2f |\n", rel, rel * sqrt(rsd * rsd + fastest_rsd * fastest_rsd));
        }
    }
    if (d->partial)
        tach__buf_puts(&b, "\n*Partial: the run was interrupted; these are the runs measured before it "
                           "stopped.*\n");
    return tach__buf_take(&b);
}

/* precision: significant digits of reals; 17 round-trips every double (the tach
 * document), 15 prints 0.003 rather than 0.0030000000000000001 (the other tools' files). */
static char *dump(json_t *j, int precision, size_t *len, char *err)
{
    if (!j) {
        tach__err(err, "out of memory");
        return NULL;
    }
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(precision));
    json_decref(j);
    if (!s) {
        tach__err(err, "cannot render JSON (out of memory or a number that is not finite)");
        return NULL;
    }
    /* json_dumps' memory comes from jansson's allocator (malloc by default); hand out
     * our own copy with a final newline so that callers free it with tach__free. */
    size_t n = strlen(s);
    char *out = tach__malloc(n + 2);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\n';
        out[n + 1] = '\0';
        if (len) *len = n + 1;
    } else {
        tach__err(err, "out of memory");
    }
    free(s);
    return out;
}

char *cli_export_text(const tach__doc *doc, const char *format, size_t *len, char *err)
{
    char *text = NULL;
    if (!strcmp(format, "json"))
        return dump(tach__doc_to_json(doc), 17, len, err);
    if (!strcmp(format, "hyperfine"))
        return dump(to_hyperfine(doc), 15, len, err);
    if (!strcmp(format, "gbench"))
        return dump(tach__doc_to_gbench(doc), 15, len, err);
    if (!strcmp(format, "bmf")) {
        /* Its keys are all benchmark names: there is no place to say the run was cut
         * short, and a tracker would record the part as a whole run. */
        if (doc->partial) {
            tach__err(err, "not written: the run was interrupted, and Bencher Metric Format has no "
                           "place to mark a partial run");
            return NULL;
        }
        return dump(to_bmf(doc), 15, len, err);
    }
    if (!strcmp(format, "github"))
        return dump(to_github(doc), 15, len, err);
    if (!strcmp(format, "csv"))
        text = tach__doc_to_csv(doc);
    else if (!strcmp(format, "markdown"))
        text = to_markdown(doc);
    else {
        tach__err(err, "unknown format '%s' (json, hyperfine, gbench, csv, markdown, bmf, github)", format);
        return NULL;
    }
    if (!text) {
        tach__err(err, "out of memory");
        return NULL;
    }
    if (len) *len = strlen(text);
    return text;
}

int cli_export_write(const tach__doc *doc, const char *format, const char *path, char *err)
{
    size_t len = 0;
    char *text = cli_export_text(doc, format, &len, err);
    if (!text) return -1;
    int rc = 0;
    if (!strcmp(path, "-")) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            rc = tach__err(err, "cannot write to standard output");
    } else {
        rc = tach__write_text_file(text, len, path, err);
    }
    tach__free(text);
    return rc;
}

int cli_export_check_path(const char *path, char *err)
{
    if (!strcmp(path, "-")) return 0;
    if (!*path) return tach__err(err, "the file name is empty");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return tach__err(err, "'%s' is a directory", path);
    char *copy = tach__strdup(path);
    if (!copy) return tach__err(err, "out of memory");
    const char *dir = dirname(copy);
    int rc = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = tach__err(err, "cannot write '%s': directory '%s' does not exist", path, dir);
    else if (access(dir, W_OK) != 0)
        rc = tach__err(err, "cannot write '%s': directory '%s' is not writable", path, dir);
    else
        rc = tach__check_writable(path, err); /* what the write will do: make a temp file there */
    tach__free(copy);
    return rc;
}
