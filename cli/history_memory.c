/*
 * history_memory.c - what `tach history` shows of memory (docs/memory.md): each
 * point's heap accounting and peak RSS, read from the run's stored document (the
 * per-benchmark table keeps times only), each run's document loaded once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "store_cli.h"

#define CACHE_MAX 256

struct cli_hist_mem {
    tool_store *st;
    int64_t ids[CACHE_MAX];
    tach__doc *docs[CACHE_MAX]; /* NULL: could not be loaded */
    size_t n;
    char err[TACH__ERR_MAX]; /* why the first document that could not be loaded was not */
};

cli_hist_mem *cli_hist_mem_new(tool_store *st)
{
    cli_hist_mem *c = tach__calloc(1, sizeof *c);
    if (c) c->st = st;
    return c;
}

void cli_hist_mem_free(cli_hist_mem *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) tach__doc_free(c->docs[i]);
    tach__free(c);
}

const tach__result *cli_hist_mem_result(cli_hist_mem *c, int64_t run_id, const char *name,
                                        const tach__doc **doc)
{
    if (doc) *doc = NULL;
    if (!c) return NULL;
    size_t i;
    for (i = 0; i < c->n && c->ids[i] != run_id; i++) {}
    if (i == c->n) {
        if (c->n == CACHE_MAX) { /* the oldest loaded goes */
            tach__doc_free(c->docs[0]);
            memmove(c->ids, c->ids + 1, (CACHE_MAX - 1) * sizeof c->ids[0]);
            memmove(c->docs, c->docs + 1, (CACHE_MAX - 1) * sizeof c->docs[0]);
            c->n--;
        }
        char err[TACH__ERR_MAX] = "";
        tach__doc *d = NULL;
        if (tool_store_load(c->st, run_id, &d, err) != 0) {
            d = NULL;
            const char *why = err[0] ? err : "a run's document could not be read";
            size_t l = strlen(why);
            if (l >= sizeof c->err) l = sizeof c->err - 1;
            if (!c->err[0]) {
                memcpy(c->err, why, l);
                c->err[l] = '\0';
            }
        }
        c->ids[c->n] = run_id;
        c->docs[c->n] = d;
        i = c->n++;
    }
    const tach__doc *d = c->docs[i];
    if (doc) *doc = d;
    for (size_t k = 0; d && k < d->nresults; k++)
        if (d->results[k].name && !strcmp(d->results[k].name, name)) return &d->results[k];
    return NULL;
}

const char *cli_hist_mem_error(const cli_hist_mem *c)
{
    return c && c->err[0] ? c->err : NULL;
}

void cli_hist_mem_json(json_t *point, const tach__doc *d, const tach__result *r)
{
    if (!r) return;
    const tach__memory *m = &r->memory;
    if (m->measured) {
        json_object_set_new(point, "allocs_per_iter", tach__json_num(m->allocs_per_iter));
        json_object_set_new(point, "bytes_per_iter", tach__json_num(m->bytes_per_iter));
        json_object_set_new(point, "peak_bytes", tach__json_num(m->peak_bytes));
        json_object_set_new(point, "net_growth_per_iter", tach__json_num(m->net_growth_per_iter));
        json_object_set_new(point, "leak", json_boolean(m->leak));
    }
    double rss = tach__result_peak_rss(r);
    if (isfinite(rss) && tach__result_rss_bound_only(d, r)) /* the bound the table shows: tach's own */
        json_object_set_new(point, "peak_rss_at_most_bytes",
                            json_real(tach__doc_spawner_rss_kib(d) * 1024.0));
    else if (isfinite(rss))
        json_object_set_new(point, "peak_rss_bytes", json_real(rss));
}

bool cli_hist_mem_line(const tach__doc *d, const tach__result *r, char *buf, size_t size)
{
    if (!r) return false;
    const tach__memory *m = &r->memory;
    double rss = tach__result_peak_rss(r);
    char a[32], b[32], c[32], g[32], n[64];
    if (m->measured) {
        /* the count as the table's cell shows it (1.5k, not 1.5e+03) */
        if (!tach__resource_cell(r, "allocs/iter", n, sizeof n)) snprintf(n, sizeof n, "-");
        snprintf(buf, size, "%s allocs/iter, %s/iter, peak %s, growth %s/iter%s%s%s",
                 n, tach__fmt_bytes(m->bytes_per_iter, a, sizeof a),
                 tach__fmt_bytes(m->peak_bytes, b, sizeof b),
                 tach__fmt_bytes(m->net_growth_per_iter, g, sizeof g),
                 isfinite(rss) ? ", peak RSS " : "", isfinite(rss) ? tach__fmt_bytes(rss, c, sizeof c) : "",
                 m->leak ? "  LEAK" : "");
        return true;
    }
    if (isfinite(rss) && r->max_rss_kib) { /* a command: its runs' peak RSS */
        if (tach__result_rss_bound_only(d, r)) /* what Linux counted was tach's own memory */
            snprintf(buf, size, "peak RSS ≤ %s (tach's own: the command's cannot be told apart)",
                     tach__fmt_bytes(tach__doc_spawner_rss_kib(d) * 1024.0, c, sizeof c));
        else
            snprintf(buf, size, "peak RSS %s", tach__fmt_bytes(rss, c, sizeof c));
        return true;
    }
    if (isfinite(rss)) { /* a binary whose heap could not be counted (ASan, a failed pass) */
        snprintf(buf, size, "peak RSS %s%s%s%s", tach__fmt_bytes(rss, c, sizeof c),
                 m->unavailable ? " (heap not counted: " : "", m->unavailable ? m->unavailable : "",
                 m->unavailable ? ")" : "");
        tach__terminal_safe(buf, false);
        return true;
    }
    return false;
}
