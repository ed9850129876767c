/* json.c - the tach results document (docs/results-format.md), both ways: written
 * with every double round-tripping, read strictly (src/core/doc_json.c names the
 * JSON path of what does not fit). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

static bool is_tach(const json_t *j)
{
    return json_object_get(j, "format") != NULL;
}


/* The seed and resample count the document was written with (context.settings: the seed
 * an integer, or a decimal string above 2^63-1), so that its intervals come out the
 * same; the writer's defaults where it has none. */
static void doc_seed(const tach__doc *d, uint64_t *seed, size_t *resamples)
{
    const json_t *settings = json_object_get(d->context, "settings");
    const json_t *sj = json_object_get(settings, "seed"), *res = json_object_get(settings, "resamples");
    *seed = TACH__DEFAULT_SEED;
    if (json_is_integer(sj)) {
        *seed = (uint64_t)json_integer_value(sj);
    } else if (json_is_string(sj)) {
        const char *t = json_string_value(sj);
        char *end;
        errno = 0;
        unsigned long long v = strtoull(t, &end, 10);
        if (*t >= '0' && *t <= '9' && !*end && errno == 0) *seed = (uint64_t)v;
    }
    *resamples = json_is_integer(res) && json_integer_value(res) > 0 && json_integer_value(res) <= 1000000
                     ? (size_t)json_integer_value(res)
                     : 10000;
}

static tach__doc *read_tach(const json_t *j, const char *path, char *err)
{
    tach__doc *d = NULL;
    const json_t *f = json_object_get(j, "format");
    if (json_is_string(f) && !strcmp(json_string_value(f), "tach-soak-report")) {
        /* (src/judge/soak_log.c) a soak's judgement, without the run's environment: the
         * soak is in its series file */
        tach__err(err, "%s: a tach soak report (tach soak --format json), not a results "
                  "document: a soak is its series file, tach soak --out's (default "
                  "soak.jsonl): tach record SERIES records it, tach soak --report SERIES "
                  "reports it", path);
        return NULL;
    }
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
     * samples gets them computed, seeded with its own seed and resample count */
    uint64_t sd;
    size_t resamples;
    doc_seed(d, &sd, &resamples);
    for (size_t i = 0; i < d->nresults; i++) {
        tach__result *r = &d->results[i];
        if (r->nsamples && !r->has_summary && tach__result_finish_resamples(r, sd, resamples, derr) != 0) {
            tach__err(err, "%s: benchmarks[%zu]: %s", path, i, derr);
            tach__doc_free(d);
            return NULL;
        }
    }
    return d;
}

int tach__doc_resummarize(tach__doc *d, char *err)
{
    uint64_t sd;
    size_t resamples;
    doc_seed(d, &sd, &resamples);
    for (size_t i = 0; i < d->nresults; i++) {
        tach__result *r = &d->results[i];
        if (!r->nsamples) continue;
        char ferr[TACH__ERR_MAX];
        if (tach__result_finish_resamples(r, sd, resamples, ferr) != 0) return tach__err(err, "benchmarks[%zu]: %s", i, ferr);
    }
    return 0;
}

/* The document as every tach writer lays it out (tach__json_text: reals in their
 * shortest exact form, arrays of plain values on one line; docs/results-format.md). */
static char *write_tach(const tach__doc *d, size_t *len, char *err)
{
    json_t *j = tach__doc_to_json(d);
    char *text = j ? tach__json_text(j) : NULL;
    json_decref(j);
    if (!text) {
        tach__err(err, "cannot render JSON (out of memory or a number that is not finite)");
        return NULL;
    }
    if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_json = {
    .name = "json", .extensions = ".json", .summary = "the tach results document",
    .detect = is_tach, .read = read_tach, .write = write_tach,
};
