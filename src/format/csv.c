/* csv.c - one CSV row per benchmark (columns in docs/results-format.md); numbers in
 * the shortest form that reads back as the same double. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

static void csv_cell(tach__buf *b, const char *s);

/* Text as the results document writes a name (tach__text_escaped): valid UTF-8, a byte
 * that is not UTF-8 as U+FFFD and its hex digits, so that a cell reads as the name in the
 * document and two names apart stay apart.  Out of memory, b fails (its oom), as a
 * tach__buf_put that cannot grow it does, rather than take the raw bytes. */
void tach__csv_text(tach__buf *b, const char *s)
{
    if (!s) return;
    char *e = tach__text_escaped(s);
    if (!e) {
        b->oom = true;
        return;
    }
    csv_cell(b, e);
    tach__free(e);
}

static void csv_cell(tach__buf *b, const char *s)
{
    bool guard = *s && strchr("=+-@\t\r", *s); /* OWASP: what a spreadsheet reads as a formula */
    if (!guard && !strpbrk(s, ",\"\r\n")) {
        tach__buf_put(b, s, strlen(s));
        return;
    }
    tach__buf_put(b, guard ? "\"'" : "\"", guard ? 2 : 1);
    for (; *s; s++) {
        if (*s == '"') tach__buf_put(b, "\"", 1);
        tach__buf_put(b, s, 1);
    }
    tach__buf_put(b, "\"", 1);
}

static void put_num(tach__buf *b, double v)
{
    if (!isfinite(v)) return; /* undefined: empty cell */
    char tmp[64];
    tach__fmt_shortest(v, tmp, sizeof tmp); /* 21191923.8, not 21191923.800000001 */
    tach__buf_put(b, tmp, strlen(tmp));
}

#define CSV_HEADER                                                                                   \
    "name,status,samples,iterations,mean_ns,mean_ci_low_ns,mean_ci_high_ns,median_ns,"               \
    "median_ci_low_ns,median_ci_high_ns,stddev_ns,mad_ns,cv,min_ns,max_ns,p99_ns,bytes_per_second," \
    "items_per_second,memory_leak,message,partial,quick,instructions,cycles_est,allocs_per_iter,"  \
    "alloc_bytes_per_iter,peak_heap_bytes,peak_rss_bytes\n"

char *tach__doc_to_csv(const tach__doc *d)
{
    tach__buf b = {0};
    tach__buf_put(&b, CSV_HEADER, strlen(CSV_HEADER));
    bool quick = tach__doc_quick(d);
    for (size_t i = 0; d && i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        char tmp[64];
        tach__csv_text(&b, r->name);
        tach__buf_put(&b, ",", 1);
        tach__csv_text(&b, tach__status_name(r->status));
        uint64_t iters = 0;
        for (size_t k = 0; k < r->nsamples; k++) iters += r->sample_iters ? r->sample_iters[k] : 1;
        snprintf(tmp, sizeof tmp, ",%zu,%llu,", r->nsamples, (unsigned long long)iters);
        tach__buf_put(&b, tmp, strlen(tmp));
        const tach__summary *s = &r->summary;
        bool have = r->has_summary && s->n > 0;
        double nan = NAN;
        double med = have ? s->median.value : nan;
        double cols[] = {have ? s->mean.value : nan,   have ? s->mean.lo : nan,   have ? s->mean.hi : nan,
                         med,                          have ? s->median.lo : nan, have ? s->median.hi : nan,
                         have ? s->stddev : nan,       have ? s->mad : nan,       have ? s->cv : nan,
                         have ? s->min : nan,          have ? s->max : nan,       have ? s->p99 : nan,
                         have && r->bytes_per_iter > 0 && med > 0 ? r->bytes_per_iter * 1e9 / med : nan,
                         have && r->items_per_iter > 0 && med > 0 ? r->items_per_iter * 1e9 / med : nan};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            if (c) tach__buf_put(&b, ",", 1);
            put_num(&b, cols[c]);
        }
        /* memory_leak: the --memory pass's leak flag (docs/memory.md); empty when the
         * heap was not counted */
        tach__buf_puts(&b, !r->memory.measured ? "," : r->memory.leak ? ",true" : ",false");
        tach__buf_put(&b, ",", 1);
        tach__csv_text(&b, r->message);
        /* partial: the run was interrupted (Ctrl-C), so the row holds what was measured
         * before it stopped; every row says so, as CSV has no place for the run's own.
         * quick: a --quick run's smoke-test figures, said the same way (the last column,
         * so that a reader of the columns before it, by name or by place, reads on) */
        tach__buf_puts(&b, d->partial ? ",true" : ",false");
        tach__buf_puts(&b, quick ? ",true" : ",false");
        /* The counts and memory figures, after the columns that were there first (their
         * places stay): a counted run (--metric instructions) has no times, and these
         * hold what it measured.  Instructions and cycles-est per iteration (per run for
         * a command); the heap's per iteration and its peak when it was counted; the
         * peak RSS unless a command's is only tach's own (tach__result_rss_bound_only). */
        double rss = tach__result_rss_bound_only(d, r) ? nan : tach__result_peak_rss(r);
        const tach__memory *m = &r->memory;
        double more[] = {r->has_instr ? r->instr.instructions : nan,
                         r->has_instr && r->instr.cache_sim ? r->instr.cycles_est : nan,
                         m->measured ? m->allocs_per_iter : nan, m->measured ? m->bytes_per_iter : nan,
                         m->measured ? m->peak_bytes : nan, rss > 0 ? rss : nan};
        for (size_t c = 0; c < sizeof more / sizeof more[0]; c++) {
            tach__buf_put(&b, ",", 1);
            put_num(&b, more[c]);
        }
        tach__buf_put(&b, "\n", 1);
    }
    return tach__buf_take(&b);
}

static char *write_csv(const tach__doc *d, size_t *len, char *err)
{
    char *text = tach__doc_to_csv(d);
    if (!text) tach__err(err, "out of memory");
    else if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_csv = {
    .name = "csv", .extensions = ".csv", .summary = "CSV, one row per benchmark", .write = write_csv,
};
