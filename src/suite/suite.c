/* suite.c - what every reference suite shares: the sampling loop, results from
 * self-timed samples, notes in the context, list and size options. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

#include <signal.h>

static volatile sig_atomic_t interrupted;

void tool_suite_interrupt(void)
{
    interrupted = 1;
}

bool tool_suite_interrupted(void)
{
    return interrupted != 0;
}

void tool_suite_budget_default(tool_suite_budget *b, bool quick)
{
    b->time_s = quick ? 0.05 : 0.5;
    b->sample_s = quick ? 0.005 : 0.02;
    b->min_samples = quick ? 3 : 10;
    b->max_samples = quick ? 20 : 200;
}

static tach__result *add_named(tach__doc *doc, const char *name)
{
    tach__result *r = tach__doc_add(doc);
    if (!r) return NULL;
    r->name = tach__strdup(name);
    const char *slash = strrchr(name, '/');
    if (slash) {
        r->group = tach__strdup(name);
        if (r->group) r->group[slash - name] = '\0';
    }
    if (!r->name) return NULL;
    return r;
}

tach__result *tool_suite_add_failed(tach__doc *doc, const char *name, const char *msg)
{
    tach__result *r = add_named(doc, name);
    if (!r) return NULL;
    r->status = TACH__FAILED;
    r->message = tach__strdup(msg);
    tach__summary_undefined(&r->summary);
    return r;
}

static int fill_samples(tach__result *r, const double *ns, const uint64_t *iters, size_t n,
                        double bytes, uint64_t seed)
{
    r->sample_ns = tach__calloc(n ? n : 1, sizeof *r->sample_ns);
    r->sample_iters = tach__calloc(n ? n : 1, sizeof *r->sample_iters);
    if (!r->sample_ns || !r->sample_iters) return -1;
    for (size_t i = 0; i < n; i++) {
        r->sample_ns[i] = ns[i];
        r->sample_iters[i] = iters ? iters[i] : 1;
    }
    r->nsamples = n;
    r->bytes_per_iter = bytes;
    char err[TACH__ERR_MAX];
    if (tach__result_finish(r, seed, err) != 0) {
        r->status = TACH__FAILED;
        r->message = tach__strdup(err);
    }
    return 0;
}

tach__result *tool_suite_add_samples(tach__doc *doc, const char *name, const double *ns,
                                     size_t n, double bytes, uint64_t seed)
{
    tach__result *r = add_named(doc, name);
    if (!r) return NULL;
    if (fill_samples(r, ns, NULL, n, bytes, seed) != 0) return NULL;
    if (n == 0) tach__summary_undefined(&r->summary);
    return r;
}

/* The test hook sigint-after-samples=N: SIGINT raised (through the tool's handler) once N
 * samples were taken, counted over every measurement of the run. */
static void sigint_hook_tick(void)
{
    static bool looked;
    static size_t left;
    if (!looked) {
        const char *v = tool_suite_test_hook("sigint-after-samples");
        left = v ? (size_t)strtoull(v, NULL, 10) : 0;
        looked = true;
    }
    if (left && --left == 0) raise(SIGINT);
}

int tool_suite_measure(tach__doc *doc, const char *name, tool_suite_fn fn, void *arg, double bytes,
                       const tool_suite_budget *b, uint64_t seed, tach__result **out)
{
    return tool_suite_measure_counted(doc, name, fn, arg, bytes, b, seed, NULL, out);
}

int tool_suite_measure_counted(tach__doc *doc, const char *name, tool_suite_fn fn, void *arg, double bytes,
                               const tool_suite_budget *b, uint64_t seed, tool_suite_count *c,
                               tach__result **out)
{
    *out = NULL;
    if (c) c->counted = 0, c->calls = 0;
    if (interrupted) return 1; /* not run: no row of no samples written as measured */
    char err[TACH__ERR_MAX] = "";
    uint64_t t0 = tach__now_ns();
    if (fn(arg, err) != 0) return (*out = tool_suite_add_failed(doc, name, *err ? err : "failed")) ? 0 : -1;
    double one_ns = (double)(tach__now_ns() - t0);
    /* the count opens after the warm-up call, as the samples do: a first call's cold
     * caches and first touches of its buffers were counted as the measured calls' */
    uint64_t c0 = c ? c->read(c->ctx) : 0;
    if (one_ns < 1) one_ns = 1;
    uint64_t batch = (uint64_t)(b->sample_s * 1e9 / one_ns);
    if (batch < 1) batch = 1;
    size_t cap = b->max_samples ? b->max_samples : 1;
    double *ns = tach__calloc(cap, sizeof *ns);
    uint64_t *it = tach__calloc(cap, sizeof *it);
    if (!ns || !it) {
        tach__free(ns), tach__free(it);
        return -1;
    }
    size_t n = 0;
    uint64_t start = tach__now_ns(), budget = (uint64_t)(b->time_s * 1e9);
    int failed = 0;
    while ((n < b->min_samples || tach__now_ns() - start < budget) && !interrupted) {
        if (n == cap) { /* time left: pairs merged into samples of twice the batch, so
                         * --time is sampled whole (it ended at max_samples, a 10 s
                         * --time of 64-byte sha256 after 0.2 s) */
            for (size_t i = 0; i + 1 < n; i += 2) {
                uint64_t m = it[i] + it[i + 1];
                ns[i / 2] = (ns[i] * (double)it[i] + ns[i + 1] * (double)it[i + 1]) / (double)m;
                it[i / 2] = m;
            }
            if (n % 2) ns[n / 2] = ns[n - 1], it[n / 2] = it[n - 1];
            n = (n + 1) / 2;
            batch *= 2;
        }
        uint64_t s0 = tach__now_ns();
        for (uint64_t k = 0; k < batch && !failed; k++)
            failed = fn(arg, err) != 0;
        if (failed) break;
        ns[n] = (double)(tach__now_ns() - s0) / (double)batch;
        it[n++] = batch;
        sigint_hook_tick();
    }
    if (c) { /* the window closes here, before the statistics */
        uint64_t c1 = c->read(c->ctx);
        c->counted = c1 > c0 ? c1 - c0 : 0;
        c->calls = 0; /* the samples' calls: not the warm-up call */
        for (size_t i = 0; i < n; i++) c->calls += (double)it[i];
    }
    int rc = 0;
    if (failed) {
        if (!(*out = tool_suite_add_failed(doc, name, *err ? err : "failed"))) rc = -1;
    } else if (n == 0) {
        rc = 1; /* interrupted before its first sample */
    } else {
        tach__result *r = add_named(doc, name);
        if (!r || fill_samples(r, ns, it, n, bytes, seed) != 0) rc = -1;
        else *out = r;
    }
    tach__free(ns);
    tach__free(it);
    return rc;
}

json_t *tool_suite_ctx(tach__doc *doc)
{
    json_t *s = json_object_get(doc->context, "suite");
    if (!s) {
        s = json_object();
        json_object_set_new(doc->context, "suite", s);
    }
    return s;
}

void tool_suite_note(tach__doc *doc, const char *fmt, ...)
{
    /* of any length: a note naming a long --dir was cut at 511 bytes */
    tach__buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    char *text = tach__buf_take(&msg);
    json_t *s = tool_suite_ctx(doc);
    json_t *notes = json_object_get(s, "notes");
    if (!notes) {
        notes = json_array();
        json_object_set_new(s, "notes", notes);
    }
    if (text) json_array_append_new(notes, tach__json_string_lossy(text));
    tach__free(text);
}

int tool_suite_words(const char *s, char ***out, size_t *n, char *err)
{
    *out = NULL, *n = 0;
    char **w = NULL;
    size_t cnt = 0, cap = 0;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0) {
            tool_suite_words_free(w, cnt);
            return tach__err_named(err, "'", s, "' has an empty item");
        }
        /* a word given twice is a mistake to say, not to drop (pipe,pipe ran pipe once,
         * silently), the same for every list option of every suite */
        for (size_t i = 0; i < cnt; i++)
            if (strlen(w[i]) == len && !strncmp(w[i], p, len)) {
                tach__err_named(err, "'", w[i], "' is given twice");
                tool_suite_words_free(w, cnt);
                return -1;
            }
        if (TACH__GROW(&w, &cap, cnt + 1, 8) != 0 || !(w[cnt] = tach__strdup(p))) {
            tool_suite_words_free(w, cnt);
            return tach__err(err, "out of memory");
        }
        w[cnt++][len] = '\0';
        p += len;
        if (*p == ',') {
            p++;
            if (!*p) {
                tool_suite_words_free(w, cnt);
                return tach__err_named(err, "'", s, "' ends with a comma");
            }
        }
    }
    if (cnt == 0) return tach__err(err, "the list is empty");
    *out = w, *n = cnt;
    return 0;
}

void tool_suite_words_free(char **w, size_t n)
{
    for (size_t i = 0; i < n; i++) tach__free(w[i]);
    tach__free(w);
}

/* A decimal integer at p: digits, a '-' before them for a negative one (strtol took a
 * leading blank and a '+': ' 1', '1, 3', '+1'). */
static long parse_int_at(const char *p, char **end)
{
    const char *d = *p == '-' ? p + 1 : p;
    if (!isdigit((unsigned char)*d)) {
        *end = (char *)p;
        return 0;
    }
    return strtol(p, end, 10);
}

int tool_suite_parse_ints(const char *s, int **out, size_t *n, int bad_value[2])
{
    *out = NULL, *n = 0;
    int *v = NULL;
    size_t cnt = 0, cap = 0;
    const char *p = s;
    char *end;
    for (;;) {
        errno = 0;
        long a = parse_int_at(p, &end), b;
        if (end == p) goto bad;
        if (errno || a < -1000 || a > 1000) goto beyond;
        b = a;
        if (*end == '-' && end != p) {
            p = end + 1;
            b = parse_int_at(p, &end);
            if (end == p) goto bad;
            if (errno || b < -1000 || b > 1000) goto beyond;
            if (b < a) { /* 9-1: said as reversed, not as no list at all */
                if (bad_value) bad_value[0] = (int)a, bad_value[1] = (int)b;
                tach__free(v);
                return -3;
            }
        }
        for (long x = a; x <= b; x++) {
            /* 1,1 or 1-3,2: a value given twice is said, not dropped */
            for (size_t i = 0; i < cnt; i++)
                if (v[i] == (int)x) {
                    if (bad_value) bad_value[0] = (int)x;
                    tach__free(v);
                    return -2;
                }
            if (TACH__GROW(&v, &cap, cnt + 1, 16) != 0) goto bad;
            v[cnt++] = (int)x;
        }
        if (!*end) break;
        if (*end != ',') goto bad;
        p = end + 1;
    }
    *out = v, *n = cnt;
    return 0;
beyond: /* "1001", "5-99999999999999999999": a whole number, one no codec has as a level */
    if (*end && *end != ',' && *end != '-') goto bad; /* "1001x" is no number */
    if (bad_value) bad_value[0] = (int)(p - s), bad_value[1] = (int)(end - p);
    tach__free(v);
    return -4;
bad:
    tach__free(v);
    return -1;
}

double tool_suite_rate(const tach__result *r)
{
    if (!r->has_summary || !(r->summary.median.value > 0) || !(r->bytes_per_iter > 0)) return NAN;
    return r->bytes_per_iter * 1e9 / r->summary.median.value;
}

void tool_suite_rate_ci(const tach__result *r, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (!r->has_summary || !(r->bytes_per_iter > 0)) return;
    /* a slower time is a lower rate: the bounds swap */
    if (r->summary.median.hi > 0) *lo = r->bytes_per_iter * 1e9 / r->summary.median.hi;
    if (r->summary.median.lo > 0) *hi = r->bytes_per_iter * 1e9 / r->summary.median.lo;
}

static void job_rate_ci(const tach__result *r, double value, uint64_t seed, double *lo, double *hi)
{
    *lo = *hi = NAN;
    size_t n = r->nsamples;
    double its = 0, ns = 0;
    for (size_t i = 0; i < n; i++)
        its += (double)r->sample_iters[i], ns += r->sample_ns[i] * (double)r->sample_iters[i];
    if (n < 2 || !(ns > 0) || !(value > 0)) return;
    enum { B = 1000 };
    double *v = tach__malloc(B * sizeof *v);
    if (!v) return;
    tach__rng g;
    tach__rng_seed(&g, seed ^ 0x6a6f625f726174ULL);
    size_t m = 0;
    for (int b = 0; b < B; b++) {
        double bi = 0, bn = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = (size_t)tach__rng_below(&g, n);
            bi += (double)r->sample_iters[i], bn += r->sample_ns[i] * (double)r->sample_iters[i];
        }
        if (bn > 0) v[m++] = value * (bi / bn) / (its / ns);
    }
    if (m) {
        tach__sort(v, m);
        *lo = tach__quantile_sorted(v, m, 0.025);
        *hi = tach__quantile_sorted(v, m, 0.975);
    }
    tach__free(v);
}

void tool_suite_set_rate_ci(tach__result *r, const char *name, double value, uint64_t seed)
{
    double lo, hi;
    job_rate_ci(r, value, seed, &lo, &hi);
    if (isnan(lo) || isnan(hi)) return;
    char key[96];
    snprintf(key, sizeof key, "%s_ci_low", name);
    tach__result_set_counter(r, key, lo);
    snprintf(key, sizeof key, "%s_ci_high", name);
    tach__result_set_counter(r, key, hi);
}

const char *tool_suite_test_hook(const char *key)
{
    const char *v = getenv("TACH_SUITE_TEST");
    if (!v) return NULL;
    size_t k = strlen(key);
    for (const char *p = v; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len >= k && !strncmp(p, key, k) && (len == k || p[k] == '=')) {
            return len == k ? "" : p + k + 1;
        }
        p += len + (e ? 1 : 0);
    }
    return NULL;
}

const char *tool_suite_rate_text(char *buf, size_t size, double v)
{
    snprintf(buf, size, fabs(v) >= 100 ? "%.0f" : "%.3g", v);
    return buf;
}

void tool_suite_ci_cell(char *buf, size_t size, double v, double lo, double hi, double scale, int digits,
                        bool percent)
{
    /* a figure under 10 with three significant digits (a 3-byte --data's 0.00215 MB/s,
     * a slow bus's MB/s once read "0.0 ±0.0"), as tach load prints its rates */
    double x = fabs(v / scale);
    if (isfinite(x) && x > 0 && x < 10) {
        int need = 2 - (int)floor(log10(x));
        if (need > digits) digits = need < 12 ? need : 12;
    }
    if (isnan(lo) || isnan(hi)) {
        snprintf(buf, size, "%.*f", digits, v / scale);
        return;
    }
    double below = v - lo, above = hi - v;
    double shorter = below < above ? below : above, longer = below < above ? above : below;
    if (shorter >= 0 && longer <= 1.5 * shorter) {
        /* "v ±h%": spaced as "v ±h" (it read 179.8±0% beside the compression table's
         * 172.2 ±5.6), one decimal under 10% (a tight interval read as ±0%) */
        double pct = (hi - lo) / 2 / v * 100;
        if (percent) snprintf(buf, size, "%.*f ±%.*f%%", digits, v / scale, pct < 9.95 ? 1 : 0, pct);
        else snprintf(buf, size, "%.*f ±%.*f", digits, v / scale, digits, (hi - lo) / 2 / scale);
    } else {
        snprintf(buf, size, "%.*f [%.*f, %.*f]", digits, v / scale, digits, lo / scale, digits, hi / scale);
    }
}
