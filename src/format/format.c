/*
 * format.c - the table of formats (format.h) and reading or writing a results file
 * in any of them.  What the formats share is in shared.c, so that the formats
 * depend on it and this table depends on them, never the other way round.
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
    &tach__format_orgmode,  &tach__format_console,  &tach__format_hlog,
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

/* One token replace_non_finite rewrote: "null" at offset at of the text it returns, in
 * place of a token of from bytes (NaN: 3, -Infinity: 9) in the file. */
typedef struct nf_edit { size_t at, from; } nf_edit;

/* Rewrites NaN, -NaN, Infinity, -Infinity, inf, -inf and nan outside strings as null;
 * each rewrite goes in *edits (*nedits of them, in order; the caller frees *edits). */
static char *replace_non_finite(const char *text, size_t len, nf_edit **edits, size_t *nedits)
{
    tach__buf b = {0};
    size_t cap = 0;
    *edits = NULL;
    *nedits = 0;
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
                    if (TACH__GROW(edits, &cap, *nedits + 1, 16) != 0) {
                        tach__buf_free(&b);
                        tach__free(*edits);
                        *edits = NULL;
                        return NULL;
                    }
                    (*edits)[(*nedits)++] = (nf_edit){.at = b.len, .from = tl};
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
    char *out = tach__buf_take(&b);
    if (!out) {
        tach__free(*edits);
        *edits = NULL;
    }
    return out;
}

/* The column the parser gave (on line, at byte position of text, the rewritten text)
 * in the user's file: each token rewritten before it on that line was from bytes, not
 * the 4 of "null" (the tokens are ASCII, so bytes are columns). */
static int file_column(const char *text, int line, int column, int position, const nf_edit *edits,
                       size_t nedits)
{
    if (position < 0) return column;
    int at_line = 1;
    size_t scanned = 0;
    for (size_t k = 0; k < nedits && edits[k].at + 4 <= (size_t)position; k++) {
        for (; scanned < edits[k].at; scanned++)
            if (text[scanned] == '\n') at_line++;
        if (at_line == line) column += (int)edits[k].from - 4;
    }
    return column;
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

/* A result without a name, or a name twice (hyperfine 'cmd' 'cmd', two files pasted
 * together): every reader matches results by name, so the second would be compared
 * with, recorded as or charted over the first.  True, with err set, for such a d. */
static bool names_bad(const tach__doc *d, const char *path, char *err)
{
    for (size_t k = 0; k < d->nresults; k++) {
        const char *a = d->results[k].name;
        if (!a || !*a) {
            tach__err(err, "%s: benchmark %zu has no name", path, k + 1);
            return true;
        }
        for (size_t j = 0; j < k; j++)
            if (!strcmp(d->results[j].name, a)) {
                tach__err(err, "%s: benchmark '%s' is in it twice: rename one (with hyperfine: -n "
                               "NAME)",
                          path, a);
                return true;
            }
    }
    return false;
}

tach__doc *tach__format_read_file(const char *path, char *err)
{
    return tach__format_read_file_top(path, NULL, err);
}

tach__doc *tach__format_read_file_top(const char *path, json_t **top, char *err)
{
    if (top) *top = NULL;
    char rerr[TACH__ERR_MAX];
    size_t len = 0;
    char *raw = tach__read_file(path, &len, rerr);
    if (!raw) {
        tach__err(err, "%s", rerr); /* it names the file */
        return NULL;
    }
    /* a UTF-8 byte order mark (an editor's, PowerShell's Out-File) is no text of the
     * file: JSON (RFC 8259) lets a reader skip it, and every results file tach reads
     * comes through here */
    size_t bom = len >= 3 && !memcmp(raw, "\xef\xbb\xbf", 3) ? 3 : 0;
    if (bom) {
        memmove(raw, raw + bom, len - bom + 1);
        len -= bom;
    }
    if (tach__hlog_looks_like(raw)) { /* the one text format read: HdrHistogram's log */
        tach__doc *hd = tach__hlog_read_text(raw, len, path, err);
        tach__free(raw);
        return hd;
    }
    nf_edit *edits = NULL;
    size_t nedits = 0;
    char *text = replace_non_finite(raw, len, &edits, &nedits);
    tach__free(raw);
    if (!text) {
        tach__err(err, "%s: out of memory", path);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    /* The parser stopped at the text's end: the file ends inside a value (a number cut
     * to "12.", a "tru"), which it calls an invalid token rather than an early end. */
    bool at_end = !j && je.position >= 0 && (size_t)je.position >= strlen(text);
    /* the column in the user's file, not in the text with its NaN as null */
    int column = j ? 0 : file_column(text, je.line, je.column, je.position, edits, nedits);
    tach__free(text);
    tach__free(edits);
    if (!j) {
        if (len == 0)
            tach__err(err, "%s: the file is empty", path);
        else
            tach__err(err, "%s:%d:%d: not valid JSON (%s)%s", path, je.line, column, je.text,
                      at_end || strstr(je.text, "end of") || strstr(je.text, "premature")
                          ? " - is the file truncated?"
                          : "");
        return NULL;
    }
    tach__doc *d = NULL;
    const tach__format *f = NULL;
    for (size_t i = 0; !f && json_is_object(j) && i < sizeof formats / sizeof *formats; i++)
        if (formats[i]->detect && formats[i]->read && formats[i]->detect(j)) f = formats[i];
    if (!json_is_object(j)) {
        tach__err(err, "%s: not a results file: the top level is not a JSON object", path);
    } else if (!f && (json_object_get(j, "results") || json_object_get(j, "benchmarks"))) {
        /* the key is there but not as either tool writes it: said so, not "no key" */
        const char *k = json_object_get(j, "results") ? "results" : "benchmarks";
        tach__err(err, "%s: %s: expected an array (of %s), got %s", path, k,
                  *k == 'r' ? "hyperfine's commands" : "benchmarks",
                  tach__json_type_name(json_object_get(j, k)));
    } else if (!f) {
        char keys[256];
        list_keys(j, keys, sizeof keys);
        tach__err(err, "%s: not a tach, Google Benchmark or hyperfine results file (no 'format', "
                       "'benchmarks' or 'results' key; its keys: %s)", path, keys);
    } else {
        d = f->read(j, path, err);
        /* a NaN or Infinity where a number must be: the reader saw the null it became,
         * a null the file does not hold */
        if (!d && nedits && err && strstr(err, "got null")) {
            char why[TACH__ERR_MAX];
            snprintf(why, sizeof why, "%s", err);
            tach__err(err, "%s (a NaN or Infinity in the file is read as null: no number)", why);
        }
    }
    if (d && names_bad(d, path, err)) {
        tach__doc_free(d);
        d = NULL;
    }
    if (d && top) *top = json_incref(j);
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
