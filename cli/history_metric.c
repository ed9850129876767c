/* history_metric.c - `tach history --metric NAME`: the points' values from the runs'
 * documents (history_metric.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgrind.h"
#include "format.h"
#include "history_metric.h"

void cli_doc_cache_free(cli_doc_cache *c)
{
    for (size_t i = 0; i < c->n; i++) tach__doc_free(c->docs[i]);
    free(c->ids);
    free(c->docs);
    memset(c, 0, sizeof *c);
}

static const tach__doc *doc_get(tool_store *st, cli_doc_cache *c, int64_t id, char *err)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->ids[i] == id) return c->docs[i];
    tach__doc *d = NULL;
    if (tool_store_load(st, id, &d, err) != 0) return NULL;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        int64_t *ids = realloc(c->ids, cap * sizeof *ids);
        if (ids) c->ids = ids;
        tach__doc **docs = ids ? realloc(c->docs, cap * sizeof *docs) : NULL;
        if (!docs) {
            tach__doc_free(d);
            snprintf(err, TACH__ERR_MAX, "out of memory");
            return NULL;
        }
        c->docs = docs;
        c->cap = cap;
    }
    c->ids[c->n] = id;
    c->docs[c->n++] = d;
    return d;
}

int cli_history_metric_points(tool_store *st, cli_doc_cache *c, const char *name,
                              tool_history_point *pts, size_t n, tool_metric m, char *err)
{
    for (size_t k = 0; k < n; k++) {
        tool_history_point *p = &pts[k];
        const tach__doc *d = doc_get(st, c, p->run_id, err);
        if (!d) return -1;
        double v = NAN;
        size_t nv = 0;
        for (size_t i = 0; i < d->nresults && isnan(v); i++)
            if (d->results[i].name && !strcmp(d->results[i].name, name)) {
                v = tool_metric_value(d, &d->results[i], m);
                nv = tool_metric_nvalues(d, &d->results[i], m);
            }
        /* the values the point is of (a binary's peak RSS: one), not the timed samples */
        if (isfinite(v)) p->n = nv;
        p->median = v;
        p->median_lo = p->median_hi = tool_metric_deterministic(m) ? v : NAN;
        p->mean = v;
    }
    return 0;
}

const char *cli_history_metric_lack(tool_store *st, cli_doc_cache *c, int64_t run_id, tool_metric m,
                                    char *err)
{
    const tach__doc *d = doc_get(st, c, run_id, err);
    return d ? tool_metric_lack_reason(d, m) : NULL;
}

void cli_history_fmt_value(tool_metric m, double v, char *buf, size_t size)
{
    if (m == TOOL_METRIC_WALL || m == TOOL_METRIC_CPU) tach__fmt_time(v, buf, size);
    else if (m == TOOL_METRIC_PEAK_RSS) tach__fmt_bytes(v * 1024, buf, size); /* KiB, as compare */
    else tach__fmt_per_iter(v, buf, size);
}
