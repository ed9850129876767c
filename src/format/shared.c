/*
 * shared.c - what the formats share (format.h): JSON text, shortest numbers, the
 * Markdown escapers, the table hyperfine's text exports show and the rates' format
 * (here, not in console.c, for console_fits.c to share without a circle).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* ---- shared helpers ----------------------------------------------------------- */

char *tach__format_json_dump(json_t *j, int precision, size_t *len, char *err)
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

const char *tach__fmt_shortest(double v, char *buf, size_t size)
{
    /* from as many digits as the integer part has, so that %g never switches to an
     * exponent where a plain number reads better (110, not 1.1e+02) */
    int first = isfinite(v) && fabs(v) >= 1 ? (int)floor(log10(fabs(v))) + 1 : 1;
    if (first > 17) first = 17;
    for (int prec = first; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v || !isfinite(v)) break;
    }
    return buf;
}

bool tach__doc_quick(const tach__doc *d)
{
    return d && json_is_true(json_object_get(json_object_get(d->context, "suite"), "quick"));
}

int tach__doc_set_quick(tach__doc *d)
{
    json_t *suite = json_object_get(d->context, "suite");
    if (!json_is_object(suite)) {
        if (!(suite = json_object()) || json_object_set_new(d->context, "suite", suite) != 0) return -1;
    }
    return json_object_set_new(suite, "quick", json_true());
}

/* Appends s with line breaks as spaces, and with pipe (a table cell's text) | escaped;
 * with lt (text, not a code span), < as &lt; (it could open an HTML tag) and & as
 * &amp; (a name holding "&amp;" would show as "&"), and a backslash before each
 * character Markdown would act on inline (md_acts: \\ ` * ~, an _ at a word's edge, a [
 * opening a link: a message "_x_" or "*x*" was shown emphasized, "[x](y)" as a link),
 * so the text shows as written; inside a code span all show as written. */
static bool md_acts(const char *start, const char *s)
{
    if (strchr("\\`*~", *s)) return true;
    /* an _ between letters or digits never emphasizes (x86_64, CLOCK_MONOTONIC) */
    if (*s == '_') return s == start || !isalnum((unsigned char)s[-1]) || !isalnum((unsigned char)s[1]);
    /* a [ opens a link only before "](" or "][" (no line of a cell can define a reference:
     * line breaks are spaces), so a CI's [1.0, 2.0] stays as it is */
    return *s == '[' && (strstr(s, "](") || strstr(s, "]["));
}

static void md_cell(tach__buf *b, const char *s, bool lt, bool pipe)
{
    if (!s) return;
    const char *run = s, *start = s;
    for (; *s; s++) {
        char one[3] = {'\\', *s, '\0'};
        const char *rep = *s == '|' ? (pipe ? "\\|" : NULL) : *s == '\n' || *s == '\r' ? " " : !lt ? NULL
                          : *s == '<' ? "&lt;" : *s == '&' ? "&amp;"
                          : md_acts(start, s) ? one : NULL;
        if (!rep) continue;
        tach__buf_put(b, run, (size_t)(s - run));
        tach__buf_puts(b, rep);
        run = s + 1;
    }
    tach__buf_put(b, run, (size_t)(s - run));
}

void tach__md_text(tach__buf *b, const char *s)
{
    md_cell(b, s, true, true);
}

/* A code span's fence is one backtick more than the longest run inside it, padded
 * with spaces when it is longer than one (CommonMark), so `a` in a name stays text.
 * cell: in a table cell, where GFM reads \| as | even in a code span; anywhere else a
 * code span shows a backslash as written, so | is kept. */
static void md_span(tach__buf *b, const char *s, bool cell)
{
    if (!s) s = "";
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    for (size_t i = 0; i <= longest; i++) tach__buf_puts(b, "`");
    if (longest) tach__buf_puts(b, " ");
    md_cell(b, s, false, cell);
    if (longest) tach__buf_puts(b, " ");
    for (size_t i = 0; i <= longest; i++) tach__buf_puts(b, "`");
}

void tach__md_code(tach__buf *b, const char *s)
{
    md_span(b, s, true);
}

void tach__md_code_inline(tach__buf *b, const char *s)
{
    md_span(b, s, false);
}

void tach__md_controls(tach__buf *b)
{
    if (!b->p || b->oom) return;
    tach__buf out = {0};
    const char *run = b->p, *s = b->p;
    bool changed = false;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        unsigned cp; /* the control's code point, else none */
        size_t n = tach__utf8_control(s, &cp);
        if (cp == '\n' || cp == '\t') cp = 0; /* Markdown's own */
        if (!cp && n) {
            s += n;
            continue;
        }
        tach__buf_put(&out, run, (size_t)(s - run));
        if (n) tach__buf_printf(&out, "\\u%04x", cp);
        else tach__buf_printf(&out, "\\x%02x", c), n = 1;
        s += n;
        run = s;
        changed = true;
    }
    if (!changed) return;
    tach__buf_put(&out, run, (size_t)(s - run));
    tach__buf_free(b);
    *b = out;
}

/* ---- the table of hyperfine's text exports ------------------------------------ */

static bool measured(const tach__result *r)
{
    return r->has_summary && r->nsamples;
}

int tach__table_build(const tach__doc *d, tach__table *t, char *err)
{
    memset(t, 0, sizeof *t);
    /* one unit: the largest of s, ms, µs, ns in which the smallest mean is at least 1 */
    double lo = INFINITY, fastest = INFINITY, fastest_rsd = NAN, sc;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!measured(r) || !(r->summary.mean.value < fastest)) continue;
        lo = fastest = r->summary.mean.value;
        fastest_rsd = r->nsamples > 1 ? r->summary.stddev / fastest : NAN;
    }
    if (lo >= 1e9) t->unit = "s", sc = 1e9;
    else if (lo >= 1e6) t->unit = "ms", sc = 1e6;
    else if (lo >= 1e3) t->unit = "µs", sc = 1e3;
    else t->unit = "ns", sc = 1;
    if (!(t->rows = tach__calloc(d->nresults ? d->nresults : 1, sizeof *t->rows)))
        return tach__err(err, "out of memory");
    t->nrows = d->nresults;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        tach__table_row *row = &t->rows[i];
        row->label = tach__result_command_shown(r);
        row->measured = measured(r);
        row->status = tach__status_name(r->status);
        if (!row->measured) continue;
        const tach__summary *s = &r->summary;
        /* One run has no standard deviation (the terminal's "± n/a", hyperfine's null):
         * the mean alone, as hyperfine writes it, not "± 0.0", no spread at all; and
         * a ratio with such a side has no ± either. */
        bool spread = r->nsamples > 1;
        double sd = spread ? s->stddev : NAN;
        if (spread)
            snprintf(row->mean, sizeof row->mean, "%.1f ± %.1f", s->mean.value / sc, sd / sc);
        else
            snprintf(row->mean, sizeof row->mean, "%.1f", s->mean.value / sc);
        snprintf(row->min, sizeof row->min, "%.1f", s->min / sc);
        snprintf(row->max, sizeof row->max, "%.1f", s->max / sc);
        double rel = s->mean.value / fastest;
        double rsd = s->mean.value > 0 ? sd / s->mean.value : 0;
        double rel_sd = rel * sqrt(rsd * rsd + fastest_rsd * fastest_rsd);
        if (s->mean.value == fastest)
            snprintf(row->relative, sizeof row->relative, "1.00");
        else if (!(fastest > 0)) /* a mean of 0 (a no-op read from a file) is no unit of speed */
            snprintf(row->relative, sizeof row->relative, "\xe2\x80\x94"); /* not "inf ± -nan" */
        else if (isnan(rel_sd))
            snprintf(row->relative, sizeof row->relative, "%.2f", rel);
        else
            snprintf(row->relative, sizeof row->relative, "%.2f ± %.2f", rel, rel_sd);
    }
    return 0;
}

void tach__table_free(tach__table *t)
{
    if (!t) return;
    tach__free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
}

/* v as printed with prec decimals (what a reader sees): 999.96 at one decimal is 1000.0. */
static double printed(double v, int prec)
{
    char t[64];
    snprintf(t, sizeof t, "%.*f", prec, v);
    return strtod(t, NULL);
}

const char *tach__fmt_rate(double per_sec, bool bytes, char *buf, size_t size)
{
    /* Decimal (SI) prefixes: 1 MB/s = 10^6 bytes per second. */
    static const struct { double scale; const char *b, *i; } units[] = {
        {1e12, "TB/s", "T/s"}, {1e9, "GB/s", "G/s"}, {1e6, "MB/s", "M/s"},
        {1e3, "kB/s", "k/s"}, {1.0, "B/s", "/s"}};
    /* "-" only for a rate that was not measured (NaN, or a value no rate can take);
     * a measured zero is a real figure and reads as one. */
    if (!isfinite(per_sec) || per_sec < 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (per_sec == 0) {
        snprintf(buf, size, "0 %s", bytes ? "B/s" : "/s");
        return buf;
    }
    size_t u = 4;
    for (size_t i = 0; i < 4; i++)
        if (per_sec >= units[i].scale) {
            u = i;
            break;
        }
    double v = per_sec / units[u].scale;
    int prec = v >= 100 ? 1 : 2;
    /* judged on the value as rounded: 999,960 B/s reads 1.00 MB/s, not "1000.0 kB/s" */
    double pv = printed(v, prec);
    if (pv >= 1000 && u > 0) {
        v = per_sec / units[--u].scale;
        prec = 2;
    } else if (pv >= 100) {
        prec = 1;
    }
    snprintf(buf, size, "%.*f %s", prec, v, bytes ? units[u].b : units[u].i);
    return buf;
}
