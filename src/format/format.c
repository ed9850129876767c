/*
 * format.c - the table of formats (format.h), reading a results file in any of
 * them, and what the formats share: JSON text, shortest numbers, the Markdown
 * escapers and the table hyperfine's text exports show.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* The order is the order of detection and of help texts. */
static const tach__format *const formats[] = {
    &tach__format_json,     &tach__format_hyperfine, &tach__format_gbench,  &tach__format_csv,
    &tach__format_markdown, &tach__format_bmf,       &tach__format_github,  &tach__format_asciidoc,
    &tach__format_orgmode,  &tach__format_console,
};

const tach__format *tach__format_at(size_t i)
{
    return i < sizeof formats / sizeof *formats ? formats[i] : NULL;
}

const tach__format *tach__format_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof *formats; i++)
        if (!strcmp(formats[i]->name, name)) return formats[i];
    return NULL;
}

const char *tach__format_writable_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        if (!formats[i]->write) continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", formats[i]->name);
        if (w < 0 || (size_t)w >= size - used) break;
        used += (size_t)w;
    }
    return buf;
}

/* ---- reading ---------------------------------------------------------------- */

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

tach__doc *tach__format_read_file(const char *path, char *err)
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
    const tach__format *f = NULL;
    for (size_t i = 0; !f && json_is_object(j) && i < sizeof formats / sizeof *formats; i++)
        if (formats[i]->detect && formats[i]->read && formats[i]->detect(j)) f = formats[i];
    if (!json_is_object(j)) {
        tach__err(err, "%s: not a results file: the top level is not a JSON object", path);
    } else if (!f) {
        char keys[256];
        list_keys(j, keys, sizeof keys);
        tach__err(err, "%s: not a tach, Google Benchmark or hyperfine results file (no 'format', "
                       "'benchmarks' or 'results' key; its keys: %s)", path, keys);
    } else {
        d = f->read(j, path, err);
    }
    json_decref(j);
    return d;
}

char *tach__format_write(const tach__doc *d, const char *name, size_t *len, char *err)
{
    const tach__format *f = tach__format_find(name);
    if (!f || !f->write) {
        char names[256];
        tach__err(err, "unknown format '%s' (%s)", name ? name : "", tach__format_writable_names(names, sizeof names));
        return NULL;
    }
    return f->write(d, len, err);
}

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

/* Appends s with | escaped and line breaks as spaces; with lt, < as &lt; (outside a
 * code span it could open an HTML tag; inside one, &lt; would show as written). */
static void md_cell(tach__buf *b, const char *s, bool lt)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = *s == '|' ? "\\|" : *s == '\n' || *s == '\r' ? " " : lt && *s == '<' ? "&lt;" : NULL;
        if (!rep) continue;
        tach__buf_put(b, run, (size_t)(s - run));
        tach__buf_puts(b, rep);
        run = s + 1;
    }
    tach__buf_put(b, run, (size_t)(s - run));
}

void tach__md_text(tach__buf *b, const char *s)
{
    md_cell(b, s, true);
}

void tach__md_code(tach__buf *b, const char *s)
{
    if (!s) s = "";
    /* A code span's fence is one backtick more than the longest run inside it, padded
     * with spaces when it is longer than one (CommonMark), so `a` in a name stays text. */
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    for (size_t i = 0; i <= longest; i++) tach__buf_puts(b, "`");
    if (longest) tach__buf_puts(b, " ");
    md_cell(b, s, false);
    if (longest) tach__buf_puts(b, " ");
    for (size_t i = 0; i <= longest; i++) tach__buf_puts(b, "`");
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
    double lo = INFINITY, fastest = INFINITY, fastest_rsd = 0, sc;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!measured(r) || !(r->summary.mean.value < fastest)) continue;
        lo = fastest = r->summary.mean.value;
        fastest_rsd = r->nsamples > 1 ? r->summary.stddev / fastest : 0;
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
        row->label = r->command ? r->command : r->name ? r->name : "";
        row->measured = measured(r);
        row->status = tach__status_name(r->status);
        if (!row->measured) continue;
        const tach__summary *s = &r->summary;
        double sd = r->nsamples > 1 ? s->stddev : 0;
        snprintf(row->mean, sizeof row->mean, "%.1f ± %.1f", s->mean.value / sc, sd / sc);
        snprintf(row->min, sizeof row->min, "%.1f", s->min / sc);
        snprintf(row->max, sizeof row->max, "%.1f", s->max / sc);
        double rel = s->mean.value / fastest;
        if (s->mean.value == fastest) {
            snprintf(row->relative, sizeof row->relative, "1.00");
        } else {
            double rsd = s->mean.value > 0 ? sd / s->mean.value : 0;
            snprintf(row->relative, sizeof row->relative, "%.2f ± %.2f", rel,
                     rel * sqrt(rsd * rsd + fastest_rsd * fastest_rsd));
        }
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
