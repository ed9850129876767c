/* suite_table.c - the terminal tables of the suites: lzbench's for compression, one
 * row per algorithm and buffer size for crypto, fio's columns for storage, one row per
 * pattern for buses.  Built from the results document alone (any recorded suite run
 * renders the same). */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "suite.h"
#include "suite_table.h"
#include "suite_kind.h"

static const char *suite_name(const tach__doc *doc)
{
    json_t *s = json_object_get(doc->context, "suite");
    const char *n = json_string_value(json_object_get(s, "name"));
    return n ? n : "";
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static const char *param(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, name)) return r->params[i].value;
    return NULL;
}

/* "512.3 ±1.2" MB/s ("512.3 [498.0, 560.1]" when the CI is lopsided), or the status
 * when the row failed. */
static const char *rate_cell(const tach__result *r, char *buf, size_t size)
{
    if (!r) return snprintf(buf, size, "-"), buf;
    if (r->status != TACH__OK) return snprintf(buf, size, "%s", tach__status_name(r->status)), buf;
    double v = tool_suite_rate(r), lo, hi;
    tool_suite_rate_ci(r, &lo, &hi);
    tool_suite_ci_cell(buf, size, v, lo, hi, 1e6, 1, false);
    return buf;
}

static const char *mem_cell(double b, char *buf, size_t size)
{
    if (isnan(b)) snprintf(buf, size, "?");
    else if (b >= 1024 * 1024) snprintf(buf, size, "%.1f MiB", b / (1024 * 1024));
    else if (b >= 1024) snprintf(buf, size, "%.0f KiB", b / 1024);
    else snprintf(buf, size, "%.0f B", b);
    return buf;
}

static void quick_banner(const tach__doc *doc, tach__buf *b)
{
    if (json_is_true(json_object_get(json_object_get(doc->context, "suite"), "quick")))
        tach__buf_puts(b, "QUICK RUN (--quick): a smoke test, few samples; not figures to publish\n");
}

/* A run cut short (doc->partial): said on the table itself, which looked complete for
 * compression and crypto (a "-" cell, the rows after it absent, the reason on standard
 * error alone, so not in a file the table went to). */
static void partial_banner(const tach__doc *doc, tach__buf *b)
{
    if (!doc->partial) return;
    const char *why = json_string_value(json_object_get(json_object_get(doc->context, "suite"), "stopped"));
    tach__buf_printf(b, "PARTIAL RUN (%s): only what was measured before it stopped is shown\n",
                     why && !strcmp(why, "interrupted") ? "interrupted" : "stopped early");
}

static void notes(const tach__doc *doc, tach__buf *b)
{
    json_t *s = json_object_get(doc->context, "suite");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(s, "notes"), i, v) {
        tach__buf_puts(b, "note: ");
        tool_suite_put_text(b, json_string_value(v));
        tach__buf_puts(b, "\n");
    }
    for (size_t k = 0; k < doc->nresults; k++) {
        const tach__result *r = &doc->results[k];
        if (r->status != TACH__OK) {
            tach__buf_puts(b, "FAILED "); /* a loaded document's name: no ESC raw */
            tool_suite_put_text(b, r->name);
            tach__buf_puts(b, ": ");
            tool_suite_put_text(b, r->message ? r->message : tach__status_name(r->status));
            tach__buf_puts(b, "\n");
        }
    }
}

static void compression_table(const tach__doc *doc, tach__buf *b)
{
    json_t *s = json_object_get(doc->context, "suite");
    json_t *libs = json_object_get(s, "libraries");
    long long in = (long long)json_integer_value(json_object_get(s, "input_bytes"));
    long long blk = (long long)json_integer_value(json_object_get(s, "block_bytes"));
    tach__buf_puts(b, "input: ");
    tool_suite_put_text(b, json_string_value(json_object_get(s, "input"))); /* --data's name */
    tach__buf_printf(b, ", %lld byte%s, blocks of %lld byte%s\n", in, in == 1 ? "" : "s", blk,
                     blk == 1 ? "" : "s");
    tool_cols t = {0};
    tool_cols_add(&t, 6, (const char *const[]){"Compressor name", "Compress. MB/s", "Decompress. MB/s", "Ratio",
                                               "Mem comp.", "Mem dec."});
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *c = &doc->results[i];
        if (!ends_with(c->name, "/compress")) continue;
        const tach__result *d = NULL;
        size_t stem = strlen(c->name) - strlen("compress");
        for (size_t k = i + 1; k < doc->nresults && !d; k++)
            if (!strncmp(doc->results[k].name, c->name, stem) &&
                !strcmp(doc->results[k].name + stem, "decompress"))
                d = &doc->results[k];
        const char *codec = param(c, "codec"), *level = param(c, "level");
        char label[64], c1[48], c2[48], m1[24], m2[24], ratio[24];
        if (!codec) { /* a failed row keeps only its name: compression/CODEC/LEVEL/compress */
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(stem - 1), c->name + strlen("compression/"));
            char *sl = strchr(tmp, '/');
            if (sl) *sl = ' ';
            snprintf(label, sizeof label, "%s", tmp);
        } else {
            const char *ver = json_string_value(json_object_get(libs, codec));
            if (ver) snprintf(label, sizeof label, "%s %s -%s", codec, ver, level ? level : "?");
            else snprintf(label, sizeof label, "%s -%s", codec, level ? level : "?");
        }
        double rt = tach__result_counter(c, "ratio");
        if (isnan(rt)) snprintf(ratio, sizeof ratio, "-");
        else snprintf(ratio, sizeof ratio, "%.3f", rt);
        tool_cols_add(&t, 6, (const char *const[]){label, rate_cell(c, c1, sizeof c1), rate_cell(d, c2, sizeof c2),
                                                   ratio, mem_cell(tach__result_counter(c, "mem_bytes"), m1, sizeof m1),
                                                   d ? mem_cell(tach__result_counter(d, "mem_bytes"), m2, sizeof m2)
                                                     : "-"});
    }
    tool_cols_print(&t, b);
    tool_cols_free(&t);
    const char *rec = json_string_value(json_object_get(s, "recommendation"));
    if (rec) tach__buf_printf(b, "recommendation: %s\n", rec);
}

char *tool_suite_table(const tach__doc *doc)
{
    tach__buf b = {0};
    const char *name = suite_name(doc);
    tach__suite_kind kind = tach__suite_kind_of(name);
    if (kind == TACH__SUITE_STORAGE) /* fio's bw: a job's bytes over its time */
        tach__buf_printf(&b, "tach suite storage (MB/s: each job's bytes over its time, with 95%% CI)\n");
    else if (kind == TACH__SUITE_BUS) /* received over the run's time, as the bus tools' */
        tach__buf_printf(&b, "tach suite bus (msgs/s: messages received over the run's time, with 95%% CI)\n");
    else
        tach__buf_printf(&b, "tach suite %s (medians with 95%% CI)\n", name);
    quick_banner(doc, &b);
    if (kind == TACH__SUITE_COMPRESSION) compression_table(doc, &b);
    else if (tool_suite_table_more(doc, name, &b) != 0) tach__buf_puts(&b, "(no table for this suite)\n");
    notes(doc, &b);
    partial_banner(doc, &b);
    quick_banner(doc, &b);
    return tach__buf_take(&b);
}
