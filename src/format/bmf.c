/* bmf.c - Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format):
 * {"<benchmark>": {"latency": {"value", "lower_value", "upper_value"}}} with latency in
 * nanoseconds (Bencher's built-in Latency measure), here the median and its 95% CI;
 * plus "throughput" (operations/s, Bencher's built-in Throughput measure) from items
 * per second when a benchmark sets items.  Its keys are names, written as the results
 * document writes them (a byte that is not UTF-8 as U+FFFD and its hex digits), so that
 * two names apart are two keys; of two results of one name the first is written, as
 * OpenMetrics writes the first series and compare judges the first. */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "format.h"

static json_t *to_bmf(const tach__doc *d)
{
    json_t *root = json_object();
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->has_summary || !r->nsamples || !r->name) continue;
        char *key = tach__text_escaped(r->name);
        bool taken = key && json_object_get(root, key);
        tach__free(key);
        if (taken) continue;
        const tach__summary *s = &r->summary;
        json_t *b = json_object(), *lat = json_object();
        json_object_set_new(lat, "value", json_real(s->median.value));
        if (isfinite(s->median.lo)) json_object_set_new(lat, "lower_value", json_real(s->median.lo));
        if (isfinite(s->median.hi)) json_object_set_new(lat, "upper_value", json_real(s->median.hi));
        json_object_set_new(b, "latency", lat);
        if (r->items_per_iter > 0 && s->median.value > 0) {
            json_t *tp = json_object();
            json_object_set_new(tp, "value", json_real(r->items_per_iter * 1e9 / s->median.value));
            if (s->median.hi > 0)
                json_object_set_new(tp, "lower_value", json_real(r->items_per_iter * 1e9 / s->median.hi));
            if (s->median.lo > 0)
                json_object_set_new(tp, "upper_value", json_real(r->items_per_iter * 1e9 / s->median.lo));
            json_object_set_new(b, "throughput", tp);
        }
        tach__json_set_bytes(root, r->name, b);
    }
    return root;
}

static char *write_bmf(const tach__doc *d, size_t *len, char *err)
{
    /* Its keys are all benchmark names: there is no place to say the run was cut
     * short, and a tracker would record the part as a whole run. */
    if (d->partial) {
        tach__err(err, "not written: the run was interrupted, and Bencher Metric Format has no "
                       "place to mark a partial run");
        return NULL;
    }
    return tach__format_json_dump(to_bmf(d), 15, len, err);
}

const tach__format tach__format_bmf = {
    .name = "bmf", .extensions = ".json", .summary = "Bencher Metric Format", .write = write_bmf,
};
