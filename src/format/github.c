/* github.c - github-action-benchmark's customSmallerIsBetter input: a JSON array of
 * {"name", "unit", "value", "range", "extra"} (the fields its
 * extractCustomBenchmarkResult reads in src/extract.ts); value is the median in ns,
 * range "± stddev", extra the mean, CI and sample count. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* A number of ns for people: whole above 1000, else 4 significant digits. */
static const char *plain(double v, char buf[32])
{
    if (!isfinite(v))
        snprintf(buf, 32, "n/a");
    else if (fabs(v) >= 1000)
        snprintf(buf, 32, "%.0f", v);
    else
        snprintf(buf, 32, "%.4g", v);
    return buf;
}

static json_t *to_github(const tach__doc *d)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->has_summary || !r->nsamples || !r->name) continue;
        const tach__summary *s = &r->summary;
        json_t *o = json_object();
        char range[64], extra[384];
        json_object_set_new(o, "name", tach__json_string_bytes(r->name));
        json_object_set_new(o, "unit", json_string("ns"));
        json_object_set_new(o, "value", json_real(s->median.value));
        char a[32], b[32], c[32], e[32];
        snprintf(range, sizeof range, "± %s", plain(r->nsamples > 1 ? s->stddev : 0.0, a));
        json_object_set_new(o, "range", json_string(range));
        snprintf(extra, sizeof extra, "median 95%% CI: %s .. %s ns\nmean: %s ns\nsamples: %zu%s%s",
                 plain(s->median.lo, b), plain(s->median.hi, c), plain(s->mean.value, e), r->nsamples,
                 d->partial ? "\npartial: the run was interrupted before it was done" : "",
                 tach__doc_quick(d) ? "\nquick: a --quick smoke test, not figures to publish" : "");
        json_object_set_new(o, "extra", json_string(extra));
        json_array_append_new(arr, o);
    }
    return arr;
}

static char *write_github(const tach__doc *d, size_t *len, char *err)
{
    return tach__format_json_dump(to_github(d), 15, len, err);
}

const tach__format tach__format_github = {
    .name = "github", .extensions = ".json", .summary = "github-action-benchmark's customSmallerIsBetter JSON",
    .write = write_github,
};
