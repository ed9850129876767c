/* prof_doc.c - profiles kept in the results document (zlib + base64 folded stacks)
 * and the differential view of two profiles with bootstrap CIs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "prof_doc.h"

#define KEY "folded_zlib_base64"

int tool_profile_embed(tach__doc *doc, const char *name, const tach__profile *p, char *err)
{
    char *folded = tach__profile_folded(p);
    if (!folded) return tach__err(err, "out of memory");
    uLong n = (uLong)strlen(folded);
    uLongf zn = compressBound(n);
    unsigned char *z = tach__malloc(zn);
    unsigned char *b64 = z ? tach__malloc(4 * ((zn + 2) / 3) + 1) : NULL;
    int rc = 0;
    if (!z || !b64) rc = tach__err(err, "out of memory");
    else if (compress2(z, &zn, (const Bytef *)folded, n, 9) != Z_OK)
        rc = tach__err(err, "zlib could not compress the profile");
    if (rc == 0) {
        EVP_EncodeBlock(b64, z, (int)zn);
        json_t *all = json_object_get(doc->context, "profiles");
        if (!json_is_object(all)) {
            all = json_object();
            json_object_set_new(doc->context, "profiles", all);
        }
        json_t *e = json_object();
        json_object_set_new(e, KEY, json_string((const char *)b64));
        json_object_set_new(e, "bytes", json_integer((json_int_t)n));
        json_object_set_new(e, "samples", json_integer((json_int_t)p->samples));
        json_t *top = tach__profile_top_json(p, 20);
        if (top) json_object_set_new(e, "top", top);
        if (!all || !e || json_object_set_new(all, name, e) != 0) rc = tach__err(err, "out of memory");
    }
    tach__free(folded);
    tach__free(z);
    tach__free(b64);
    return rc;
}

size_t tool_profile_count(const tach__doc *doc)
{
    return json_object_size(json_object_get(doc->context, "profiles"));
}

tach__profile *tool_profile_from_doc(const tach__doc *doc, const char *name, char *err)
{
    err[0] = '\0';
    json_t *e = json_object_get(json_object_get(doc->context, "profiles"), name);
    const char *b64 = json_string_value(json_object_get(e, KEY));
    json_int_t bytes = json_integer_value(json_object_get(e, "bytes"));
    if (!b64) return NULL;
    size_t len = strlen(b64);
    if (bytes <= 0 || bytes > (json_int_t)1 << 30 || len % 4) {
        tach__err(err, "the profile of %s is damaged", name);
        return NULL;
    }
    unsigned char *z = tach__malloc(len / 4 * 3 + 1);
    char *text = tach__malloc((size_t)bytes + 1);
    tach__profile *p = NULL;
    if (!z || !text) {
        tach__err(err, "out of memory");
        goto out;
    }
    int zn = EVP_DecodeBlock(z, (const unsigned char *)b64, (int)len);
    /* EVP_DecodeBlock counts the padding's zero bytes: zlib stops at its end anyway */
    uLongf tn = (uLongf)bytes;
    if (zn < 0 || uncompress((Bytef *)text, &tn, z, (uLong)zn) != Z_OK || tn != (uLongf)bytes) {
        tach__err(err, "the profile of %s is damaged", name);
        goto out;
    }
    text[tn] = '\0';
    p = tach__profile_from_folded(text, name, err);
out:
    tach__free(z);
    tach__free(text);
    return p;
}

/* ---- the differential view ----------------------------------------------------- */

/* A draw of Binomial(n, p) / n: the share in a resample of n samples, in O(1) or
 * O(n p + 1) draws whatever n: the normal approximation when n p (1 - p) > 30; n
 * Bernoulli trials when n <= 1000 (as before: the pinned CIs of small profiles keep
 * their random stream); above, p = 0 and p = 1 exactly, otherwise the gaps between
 * occurrences of the rarer outcome, geometric (exact, about n min(p, 1-p) draws). */
static double draw_share(tach__rng *r, uint64_t n, double p)
{
    if (n == 0) return 0;
    double var = (double)n * p * (1 - p);
    if (var > 30) { /* the normal approximation is exact enough here */
        double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
        if (u1 < 1e-300) u1 = 1e-300;
        double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        double k = round((double)n * p + z * sqrt(var));
        if (k < 0) k = 0;
        if (k > (double)n) k = (double)n;
        return k / (double)n;
    }
    uint64_t k = 0;
    if (n <= 1000) {
        for (uint64_t i = 0; i < n; i++) k += tach__rng_double(r) < p;
        return (double)k / (double)n;
    }
    if (p <= 0) return 0;
    if (p >= 1) return 1;
    /* var <= 30 with n > 1000: the rarer outcome's probability q is below ~0.03, so
     * n q is below ~31; count its occurrences by the geometric gaps between them */
    double q = p < 0.5 ? p : 1 - p, lq = log1p(-q), pos = 0;
    for (;;) {
        double u = tach__rng_double(r);
        if (u < 1e-300) u = 1e-300;
        pos += floor(log(u) / lq) + 1; /* trials up to and with the next occurrence */
        if (pos > (double)n) break;
        k++;
    }
    if (q != p) k = n - k;
    return (double)k / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int by_change(const void *a, const void *b)
{
    const tool_prof_change *x = a, *y = b;
    if (x->change != y->change) return x->change < y->change ? 1 : -1;
    return strcmp(x->func, y->func);
}

/* Total and self samples of the function named func in p (all its frames). */
static void counts(const tach__profile *p, const char *func, uint64_t *total, uint64_t *self)
{
    *total = *self = 0;
    if (!p) return;
    for (size_t i = 0; i < p->nframes; i++)
        if (!strcmp(p->frames[i].func, func)) {
            *total += p->frames[i].total;
            *self += p->frames[i].self;
        }
}

tool_prof_change *tool_profile_diff(const tach__profile *base, const tach__profile *new_,
                                    size_t resamples, uint64_t seed, size_t *n)
{
    *n = 0;
    size_t cap = base->nframes + new_->nframes;
    tool_prof_change *c = tach__calloc(cap ? cap : 1, sizeof *c);
    double *d = tach__malloc((resamples ? resamples : 1) * sizeof *d);
    if (!c || !d) {
        tach__free(c);
        tach__free(d);
        return NULL;
    }
    tach__rng r;
    tach__rng_seed(&r, seed);
    for (int side = 0; side < 2; side++) {
        const tach__profile *p = side ? base : new_;
        for (size_t i = 0; i < p->nframes; i++) {
            const char *f = p->frames[i].func;
            bool seen = false;
            for (size_t k = 0; k < *n && !seen; k++) seen = !strcmp(c[k].func, f);
            if (seen) continue;
            uint64_t tb, sb, ta, sa;
            counts(base, f, &tb, &sb);
            counts(new_, f, &ta, &sa);
            tool_prof_change *x = &c[(*n)++];
            x->func = f;
            x->before = base->samples ? (double)tb / (double)base->samples : 0;
            x->after = new_->samples ? (double)ta / (double)new_->samples : 0;
            x->self_before = base->samples ? (double)sb / (double)base->samples : 0;
            x->self_after = new_->samples ? (double)sa / (double)new_->samples : 0;
            x->change = x->after - x->before;
            x->self_change = x->self_after - x->self_before;
            for (int self = 0; self < 2; self++) {
                double a = self ? x->self_after : x->after, b = self ? x->self_before : x->before;
                for (size_t k = 0; k < resamples; k++)
                    d[k] = draw_share(&r, new_->samples, a) - draw_share(&r, base->samples, b);
                qsort(d, resamples, sizeof *d, cmp_double);
                double lo = resamples ? d[(size_t)(0.025 * (double)(resamples - 1))] : NAN;
                double hi = resamples ? d[(size_t)(0.975 * (double)(resamples - 1))] : NAN;
                if (self) x->self_lo = lo, x->self_hi = hi;
                else x->lo = lo, x->hi = hi;
            }
        }
    }
    tach__free(d);
    qsort(c, *n, sizeof *c, by_change);
    return c;
}

char *tool_profile_diff_text(const tool_prof_change *c, size_t n, size_t rows)
{
    tach__buf b = {0};
    tach__buf_printf(&b, "%-32s  %8s  %8s  %9s  %s\n", "function", "before", "after", "change",
                     "95% CI (points)");
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < rows; i++, shown++) {
        if (c[i].change <= 0 && shown > 0) break;
        tach__buf_printf(&b, "%-32s  %7.1f%%  %7.1f%%  %+8.1f   [%+.1f, %+.1f]\n", c[i].func,
                         100 * c[i].before, 100 * c[i].after, 100 * c[i].change, 100 * c[i].lo,
                         100 * c[i].hi);
    }
    /* the largest shrinkage too, when not shown */
    if (n && c[n - 1].change < 0 && shown < n)
        tach__buf_printf(&b, "%-32s  %7.1f%%  %7.1f%%  %+8.1f   [%+.1f, %+.1f]\n", c[n - 1].func,
                         100 * c[n - 1].before, 100 * c[n - 1].after, 100 * c[n - 1].change,
                         100 * c[n - 1].lo, 100 * c[n - 1].hi);
    return tach__buf_take(&b);
}

const tool_prof_change *tool_prof_change_find(const tool_prof_change *c, size_t n, const char *func)
{
    for (size_t i = 0; c && func && i < n; i++)
        if (!strcmp(c[i].func, func)) return &c[i];
    return NULL;
}

bool tool_prof_change_significant(double lo, double hi)
{
    return !isnan(lo) && !isnan(hi) && (lo > 0 || hi < 0);
}

/* ---- the bottleneck table, from its JSON ------------------------------------ */

/* A row's file:line; without a file its module, as the binary's own table shows it ("-"
 * when it has neither: a document from before rows kept their module). */
static void top_where(const json_t *row, char *w, size_t n)
{
    const char *file = json_string_value(json_object_get(row, "file"));
    const char *module = json_string_value(json_object_get(row, "module"));
    json_int_t line = json_integer_value(json_object_get(row, "line"));
    if (file && line) snprintf(w, n, "%s:%lld", file, (long long)line);
    else snprintf(w, n, "%s", file ? file : module ? module : "-");
}

char *tool_profile_top_table(const json_t *top, const char *name, size_t rows,
                             const tool_prof_change *c, size_t nc, const char *base_label)
{
    tach__buf b = {0};
    tach__buf_printf(&b, "Top %zu of %s (self time):\n", rows, name);
    /* the function and file:line columns as wide as their widest row (an absolute path
     * is rarely under 40), so that the shares stay under their headings */
    int fw = 32, ww = 40;
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(top, "top"), i, row)
    {
        if (i >= rows) break;
        char w[512];
        top_where(row, w, sizeof w);
        const char *func = json_string_value(json_object_get(row, "function"));
        int l = func ? (int)strlen(func) : 1, lw = (int)strlen(w);
        if (l > fw) fw = l;
        if (lw > ww) ww = lw;
    }
    tach__buf_printf(&b, "%4s  %-*s  %-*s  %7s  %7s  %8s", "rank", fw, "function", ww, "file:line",
                     "self %", "total %", "samples");
    if (c) tach__buf_printf(&b, "  %7s", "change");
    tach__buf_puts(&b, "\n");
    bool marked = false;
    json_array_foreach(json_object_get(top, "top"), i, row)
    {
        if (i >= rows) break;
        const char *func = json_string_value(json_object_get(row, "function"));
        char w[512];
        top_where(row, w, sizeof w);
        tach__buf_printf(&b, "%4zu  %-*s  %-*s  %6.1f%%  %6.1f%%  %8lld", i + 1, fw, func ? func : "?", ww, w,
                         json_number_value(json_object_get(row, "self_pct")),
                         json_number_value(json_object_get(row, "total_pct")),
                         (long long)json_integer_value(json_object_get(row, "samples")));
        const tool_prof_change *x = c ? tool_prof_change_find(c, nc, func) : NULL;
        if (x) {
            bool sig = tool_prof_change_significant(x->self_lo, x->self_hi);
            marked |= sig;
            tach__buf_printf(&b, "  %+7.1f%s", 100 * x->self_change, sig ? " *" : "");
        } else if (c) {
            tach__buf_printf(&b, "  %7s", "-");
        }
        tach__buf_puts(&b, "\n");
    }
    json_int_t n = json_integer_value(json_object_get(top, "samples"));
    const char *method = json_string_value(json_object_get(top, "method"));
    const char *unwind = json_string_value(json_object_get(top, "unwind"));
    json_int_t hz = json_integer_value(json_object_get(top, "hz"));
    tach__buf_printf(&b, "%lld samples", (long long)n);
    if (method && method[0] && hz > 0)
        tach__buf_printf(&b, " (%s at %lld Hz, %s)", method, (long long)hz, unwind ? unwind : "?");
    tach__buf_printf(&b, ", %.1f%% without a symbol", 100 * json_number_value(json_object_get(top, "unknown_share")));
    json_int_t lost = json_integer_value(json_object_get(top, "lost"));
    if (lost) tach__buf_printf(&b, ", %lld lost", (long long)lost);
    /* a table kept before "other" was has none: read as 0, nothing said */
    json_int_t other = json_integer_value(json_object_get(top, "other"));
    if (other > 0)
        tach__buf_printf(&b, ", %lld more in child processes that ran other programs (not shown)",
                         (long long)other);
    json_int_t edge = json_integer_value(json_object_get(top, "edge"));
    tach__profile_edge_note(&b, n > 0 ? (uint64_t)n : 0, edge > 0 ? (uint64_t)edge : 0);
    /* a table with its "notes" (the report's own, which the caller prints after this
     * one: "no file:line for F: MODULE has no debug information") needs not say it */
    if (json_is_false(json_object_get(top, "debug_info")) && n && method && method[0] &&
        !json_is_array(json_object_get(top, "notes")))
        tach__buf_puts(&b, "note: no file:line: the code has no debug information; build it with -g\n");
    if (c)
        tach__buf_printf(&b, "change: the self share against %s, in points%s\n", base_label ? base_label : "the baseline",
                         marked ? "; * its 95% bootstrap CI excludes 0" : " (none with a 95% bootstrap CI excluding 0)");
    return tach__buf_take(&b);
}
