/* history_latency.c - the per-call p50 / p99 trends `tach history` shows: read from
 * each run's document, once per run, and only when its text holds a latency block. */
#include <math.h>
#include <string.h>

#include "history_latency.h"
#include "latency.h"

typedef struct lat_run {
    int64_t id;
    tach__doc *doc; /* NULL: the run has no latency block */
} lat_run;

struct cli_lat_cache {
    tool_store *st;
    lat_run *runs;
    size_t n, cap;
};

cli_lat_cache *cli_lat_cache_new(tool_store *st)
{
    cli_lat_cache *c = tach__calloc(1, sizeof *c);
    if (c) c->st = st;
    return c;
}

void cli_lat_cache_free(cli_lat_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) tach__doc_free(c->runs[i].doc);
    tach__free(c->runs);
    tach__free(c);
}

/* The run's document when it holds latency blocks, else NULL; -1 on a store failure. */
static int run_doc(cli_lat_cache *c, int64_t id, const tach__doc **out, char *err)
{
    *out = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (c->runs[i].id == id) {
            *out = c->runs[i].doc;
            return 0;
        }
    if (TACH__GROW(&c->runs, &c->cap, c->n + 1, 16) != 0) return tach__err(err, "out of memory");
    char *text = NULL;
    if (tool_store_load_json(c->st, id, &text, NULL, err) != 0) return -1;
    bool has = strstr(text, "\"latency\"") != NULL; /* most runs have none: not parsed */
    tach__free(text);
    tach__doc *d = NULL;
    if (has && tool_store_load(c->st, id, &d, err) != 0) return -1;
    c->runs[c->n++] = (lat_run){id, d};
    *out = d;
    return 0;
}

long cli_lat_trend(cli_lat_cache *c, const char *name, const tool_history_point *pts, size_t n,
                   double *p50, double *p99, char *err)
{
    long found = 0;
    for (size_t i = 0; i < n; i++) {
        p50[i] = p99[i] = NAN;
        const tach__doc *d;
        if (run_doc(c, pts[i].run_id, &d, err) != 0) return -1;
        for (size_t k = 0; d && k < d->nresults; k++) {
            const tach__latency *l = d->results[k].latency;
            if (!l || !l->count || l->too_short || strcmp(d->results[k].name, name) != 0) continue;
            p50[i] = tach__lat_find(l, 50)->value;
            p99[i] = tach__lat_find(l, 99)->value;
            found++;
            break;
        }
    }
    return found;
}
