/* json.c - the tach results document (docs/results-format.md), both ways: written
 * with every double round-tripping, read strictly (src/core/doc_json.c names the
 * JSON path of what does not fit). */
#include <math.h>
#include <string.h>

#include "format.h"

static bool is_tach(const json_t *j)
{
    return json_object_get(j, "format") != NULL;
}

static tach__doc *read_tach(const json_t *j, const char *path, char *err)
{
    tach__doc *d = NULL;
    const json_t *f = json_object_get(j, "format");
    if (!json_is_string(f) || strcmp(json_string_value(f), TACH__DOC_FORMAT)) {
        tach__err(err, "%s: format: '%s' is not a tach results document", path,
                  json_is_string(f) ? json_string_value(f) : "?");
        return NULL;
    }
    char derr[TACH__ERR_MAX];
    d = tach__doc_from_json(j, derr);
    if (!d) {
        tach__err(err, "%s: %s", path, derr);
        return NULL;
    }
    /* estimates are derived from the samples: a document that carries only the
     * samples gets them computed (seeded as the writer's default) */
    for (size_t i = 0; i < d->nresults; i++) {
        tach__result *r = &d->results[i];
        if (r->nsamples && !r->has_summary && tach__result_finish(r, TACH__DEFAULT_SEED, derr) != 0) {
            tach__err(err, "%s: benchmarks[%zu]: %s", path, i, derr);
            tach__doc_free(d);
            return NULL;
        }
    }
    return d;
}

/* Whether a and b agree to 9 significant digits (a document keeps 17; two runs of
 * the same sums may differ in the last bits). */
static bool agree(double a, double b)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

int tach__doc_check_summaries(const tach__doc *d, char *err)
{
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->nsamples || !r->has_summary) continue;
        tach__result copy = {0};
        copy.nsamples = r->nsamples;
        copy.sample_ns = r->sample_ns;
        copy.sample_iters = r->sample_iters;
        char ferr[TACH__ERR_MAX];
        /* the figures that do not depend on the bootstrap: one resample is enough */
        if (tach__result_finish_resamples(&copy, TACH__DEFAULT_SEED, 1, ferr) != 0)
            return tach__err(err, "benchmarks[%zu]: %s", i, ferr);
        const tach__summary *a = &r->summary, *b = &copy.summary;
        const char *what = a->n != b->n                        ? "n"
                           : !agree(a->mean.value, b->mean.value) ? "mean"
                           : !agree(a->median.value, b->median.value) ? "median"
                           : !agree(a->min, b->min)             ? "min"
                           : !agree(a->max, b->max)             ? "max"
                           : !agree(a->stddev, b->stddev)       ? "stddev"
                                                                : NULL;
        if (what)
            return tach__err(err, "benchmarks[%zu].summary.%s: does not match the raw samples "
                                  "(the samples give another figure)", i, what);
    }
    return 0;
}

static char *write_tach(const tach__doc *d, size_t *len, char *err)
{
    return tach__format_json_dump(tach__doc_to_json(d), 17, len, err);
}

const tach__format tach__format_json = {
    .name = "json", .extensions = ".json", .summary = "the tach results document",
    .detect = is_tach, .read = read_tach, .write = write_tach,
};
