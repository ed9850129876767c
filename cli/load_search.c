/* load_search.c - `tach load --find-max-rate`: the open model's rate doubled from
 * --rate while every objective is met (up to the highest rate taken, 1e9/s, where the
 * search ends when it is met there too), then bisected between the last rate that met
 * them and the first that did not, to within 5% or --max-steps runs.  Each step is a
 * whole run (warm-up and --duration).  The knee (cli_load_knee) is read from the
 * steps in the order of their rates.  Ctrl-C in a step ends the search: the best run kept so far
 * is marked partial (search.interrupted). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load_cli.h"

static double overall_num(const tach__doc *d, const char *key, const char *pkey)
{
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->load || strcmp(r->name, "overall")) continue;
        if (!pkey) return json_number_value(json_object_get(r->load, key));
        const json_t *p = json_object_get(json_object_get(json_object_get(r->load, "corrected"),
                                                          "percentiles"), pkey);
        return json_is_number(json_object_get(p, "value_ns"))
                   ? json_number_value(json_object_get(p, "value_ns")) : NAN;
    }
    return NAN;
}

static bool overall_invalid(const tach__doc *d)
{
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && !strcmp(d->results[i].name, "overall"))
            return json_is_true(json_object_get(d->results[i].load, "invalid"));
    return false;
}

typedef struct knee_step {
    double rate, achieved, p99;
} knee_step;

static int by_rate(const void *a, const void *b)
{
    double x = ((const knee_step *)a)->rate, y = ((const knee_step *)b)->rate;
    return x < y ? -1 : x > y;
}

double cli_load_knee(const json_t *steps)
{
    size_t n = json_array_size(steps);
    knee_step *v = n ? tach__calloc(n, sizeof *v) : NULL;
    if (!v) return NAN;
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(steps, i);
        const json_t *a = json_object_get(s, "achieved"), *p = json_object_get(s, "p99_ns");
        v[i].rate = json_number_value(json_object_get(s, "rate"));
        v[i].achieved = json_is_number(a) ? json_number_value(a) : NAN;
        v[i].p99 = json_is_number(p) ? json_number_value(p) : NAN;
    }
    /* by rate, not in the order run: a bisection step below a rate already tried is no
     * increase, and its fall in the achieved rate no sign of saturation */
    qsort(v, n, sizeof *v, by_rate);
    double knee = NAN, min_p99 = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(v[i].p99) && v[i].p99 < min_p99) min_p99 = v[i].p99;
        if (i && v[i].p99 > 2 * min_p99 &&
            v[i].achieved - v[i - 1].achieved < 0.5 * (v[i].rate - v[i - 1].rate)) {
            knee = v[i - 1].rate;
            break;
        }
    }
    tach__free(v);
    return knee;
}

static bool meets(const cli_load_state *st, const tach__doc *d)
{
    for (size_t i = 0; i < st->slos.n; i++) {
        double v;
        if (tool_slo_check(&st->slos.v[i], d, &v, NULL, 0) != 1) return false;
    }
    return true;
}

int cli_load_find_max_rate(cli_load_state *st, tach__doc **out)
{
    *out = NULL;
    tach__load_cfg c = st->o.cfg; /* targets' names shared, not freed here */
    double rate = c.stages[0].rate, good = 0, bad = 0;
    tach__doc *best = NULL, *first = NULL;
    json_t *steps = json_array();
    int rc = CLI_OK;
    bool at_bound = false; /* the objectives met at TACH__LOAD_MAX_RATE: nothing above to try */
    bool first_invalid = false;
    long step = 0;
    for (; step < st->o.max_steps; step++) {
        c.stages[0].rate = rate;
        c.nstages = 1;
        char rb[32];
        if (!st->o.quiet)
            fprintf(stderr, "tach load: step %ld: %s ...\n", step + 1, cli_load_fmt_rate(rate, rb, sizeof rb));
        tach__doc *d = NULL;
        rc = cli_load_run_once(st, &c, &d);
        if (rc != CLI_OK || !d) {
            tach__doc_free(d);
            break;
        }
        bool ok = meets(st, d);
        double p99 = overall_num(d, NULL, "p99"), achieved = overall_num(d, "rate_achieved", NULL);
        /* a step missed because the generator could not hold its rate says so: its
         * p99 alone may be far inside the bound */
        bool invalid = overall_invalid(d);
        if (step == 0) first_invalid = invalid;
        json_array_append_new(steps, json_pack("{s:f,s:o,s:o,s:b,s:b}", "rate", rate, "achieved",
                                               tach__json_num(achieved), "p99_ns", tach__json_num(p99),
                                               "met", ok, "invalid", invalid));
        if (!first) {
            first = d;
            d = NULL;
        }
        if (ok) {
            good = rate;
            if (d) {
                tach__doc_free(best != first ? best : NULL);
                best = d;
            } else {
                best = first;
            }
        } else {
            bad = rate;
            if (d) tach__doc_free(d);
        }
        if (bad == 0 && rate >= TACH__LOAD_MAX_RATE) {
            at_bound = true;
            break;
        }
        if (bad == 0) rate = fmin(rate * 2, TACH__LOAD_MAX_RATE);
        else if (good == 0) break; /* the first rate already misses */
        else if ((bad - good) / good <= 0.05) break;
        else rate = (good + bad) / 2;
    }
    double knee = cli_load_knee(steps);
    tach__doc *keep = best ? best : first;
    if (first && first != keep) tach__doc_free(first);
    if (!keep) {
        json_decref(steps);
        return rc == CLI_OK ? cli_cmd_error(CLI_FAIL, "load", "--find-max-rate made no run") : rc;
    }
    /* Ctrl-C in a step: the search did not end; what it kept is partial (a higher rate
     * may meet the objectives too), in the document and in the store. */
    bool interrupted = rc == CLI_INTERRUPTED;
    if (interrupted) keep->partial = true;
    for (size_t i = 0; i < keep->nresults; i++)
        if (keep->results[i].load && !strcmp(keep->results[i].name, "overall")) {
            json_t *search = json_pack("{s:o,s:o,s:b,s:o,s:b}", "max_rate", good > 0 ? json_real(good) : json_null(),
                                       "knee_rate", tach__json_num(knee), "at_bound", at_bound,
                                       "steps", json_incref(steps), "interrupted", interrupted);
            if (search && interrupted) json_object_set_new(search, "interrupted_at_rate", json_real(rate));
            json_object_set_new(keep->results[i].load, "search", search);
        }
    if (!st->o.quiet) {
        FILE *f = cli_load_text_stream(&st->o);
        char rb[32];
        if (good > 0) fprintf(f, "max rate meeting the objectives: %s", cli_load_fmt_rate(good, rb, sizeof rb));
        else fprintf(f, "no rate tried met the objectives (the lowest: %s%s)",
                     cli_load_fmt_rate(c.stages[0].rate, rb, sizeof rb),
                     first_invalid ? ", an invalid run: the generator could not hold the rate" : "");
        if (!isnan(knee)) fprintf(f, "; knee near %s", cli_load_fmt_rate(knee, rb, sizeof rb));
        fprintf(f, " (%zu run%s)\n", json_array_size(steps), json_array_size(steps) == 1 ? "" : "s");
        if (at_bound)
            fprintf(f, "the objectives were met at the highest rate taken (%s, the bound of "
                       "--rate): the search stopped there, before any rate missed them\n",
                    cli_load_fmt_rate(TACH__LOAD_MAX_RATE, rb, sizeof rb));
        if (interrupted)
            fprintf(f, "the search was interrupted at step %ld (%s): it did not end, so the rate "
                       "above is only the highest met before it (partial)\n",
                    step + 1, cli_load_fmt_rate(rate, rb, sizeof rb));
    }
    json_decref(steps);
    *out = keep;
    return rc;
}
