/* metric.c - the metrics a judging command may compare, and a document projected
 * onto one of them (metric.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgrind.h"
#include "metric.h"
#include "suite_kind.h"

const char *const tool_metric_names[] = {"wall", "cpu", "instructions", "cycles-est", "allocs",
                                         "peak-rss", NULL};
static const char *const units[] = {"ns", "ns", "instructions", "cycles", "allocs", "KiB"};

const char *tool_metric_name(tool_metric m)
{
    return (unsigned)m < TOOL_NMETRICS ? tool_metric_names[m] : "?";
}

int tool_metric_parse(const char *name, tool_metric *out)
{
    for (int i = 0; name && i < TOOL_NMETRICS; i++)
        if (!strcmp(name, tool_metric_names[i])) {
            *out = (tool_metric)i;
            return 0;
        }
    return -1;
}

const char *tool_metric_unit(tool_metric m)
{
    return (unsigned)m < TOOL_NMETRICS ? units[m] : "";
}

bool tool_metric_deterministic(tool_metric m)
{
    /* Allocation counts are exact: the same code allocates the same blocks. */
    return m == TOOL_METRIC_INSTRUCTIONS || m == TOOL_METRIC_CYCLES_EST || m == TOOL_METRIC_ALLOCS;
}

const char *tool_metric_fmt(tool_metric m, double v, char *buf, size_t size)
{
    if (!isfinite(v)) snprintf(buf, size, "-");
    else if (m == TOOL_METRIC_WALL || m == TOOL_METRIC_CPU) tach__fmt_time(v, buf, size);
    else if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, size, "%.0f %s", v, tool_metric_unit(m));
    else snprintf(buf, size, "%.2f %s", v, tool_metric_unit(m));
    return buf;
}

/* The values of metric m in r, a result of d: *n of them into a new array (NULL, 0 when r
 * has none).  A command's peak RSS at or below tach's own is no value: it is tach's. */
static double *values(const tach__doc *d, const tach__result *r, tool_metric m, size_t *n)
{
    *n = 0;
    double one = NAN;
    const double *many = NULL;
    size_t nmany = r->sample_ns ? r->nsamples : 0;
    switch (m) {
    case TOOL_METRIC_WALL: many = r->sample_ns; break;
    case TOOL_METRIC_CPU: many = r->user_ns && r->sys_ns ? r->user_ns : NULL; break;
    case TOOL_METRIC_INSTRUCTIONS: if (r->has_instr) one = r->instr.instructions; break;
    case TOOL_METRIC_CYCLES_EST:
        if (r->has_instr && r->instr.cache_sim) one = r->instr.cycles_est;
        break;
    case TOOL_METRIC_ALLOCS: if (r->memory.measured) one = r->memory.allocs_per_iter; break;
    case TOOL_METRIC_PEAK_RSS:
        if (r->max_rss_kib) many = tach__result_rss_bound_only(d, r) ? NULL : r->max_rss_kib;
        else if (r->memory.measured) one = r->memory.peak_rss_bytes / 1024.0;
        break;
    default: break;
    }
    if (many && nmany) {
        double *x = tach__malloc(nmany * sizeof *x);
        if (!x) return NULL;
        for (size_t i = 0; i < nmany; i++)
            x[i] = m == TOOL_METRIC_CPU ? r->user_ns[i] + r->sys_ns[i] : many[i];
        *n = nmany;
        return x;
    }
    if (isfinite(one)) {
        double *x = tach__malloc(sizeof *x);
        if (!x) return NULL;
        x[0] = one;
        *n = 1;
        return x;
    }
    return NULL;
}

double tool_metric_value(const tach__doc *d, const tach__result *r, tool_metric m)
{
    size_t n;
    double *x = values(d, r, m, &n);
    double v = n ? tach__median(x, n) : NAN;
    tach__free(x);
    return v;
}

size_t tool_metric_nvalues(const tach__doc *d, const tach__result *r, tool_metric m)
{
    size_t n;
    double *x = values(d, r, m, &n);
    tach__free(x);
    return x ? n : 0;
}

bool tool_doc_has_metric(const tach__doc *d, tool_metric m)
{
    for (size_t i = 0; d && i < d->nresults; i++) {
        size_t n;
        double *x = values(d, &d->results[i], m, &n);
        tach__free(x);
        if (n) return true;
    }
    return false;
}

const char *tool_metric_lack_reason(const tach__doc *d, tool_metric m)
{
    if (tool_doc_recorded_metric(d) == TOOL_METRIC_INSTRUCTIONS)
        return "it was measured in instruction mode";
    for (size_t i = 0; m == TOOL_METRIC_PEAK_RSS && d && i < d->nresults; i++)
        if (tach__result_rss_bound_only(d, &d->results[i]))
            return "its commands' peaks were at or below tach's own RSS, which Linux counts in a "
                   "child's peak: they cannot be told apart";
    /* recorded with --memory, but the heap could not be counted (ASan, a static
     * executable): the reason, not "not recorded" */
    for (size_t i = 0; m == TOOL_METRIC_ALLOCS && d && i < d->nresults; i++)
        if (d->results[i].memory.unavailable) return d->results[i].memory.unavailable;
    return "it was not recorded with them";
}

const char *tool_metric_count_failed(const tach__result *r, tool_metric m)
{
    static const char failed[] = "memory counting failed";
    if (m != TOOL_METRIC_ALLOCS || !r || r->memory.measured || !r->memory.unavailable) return NULL;
    return strncmp(r->memory.unavailable, failed, sizeof failed - 1) ? NULL : r->memory.unavailable;
}

tool_metric tool_doc_recorded_metric(const tach__doc *d)
{
    return tach__doc_has_instr(d) ? TOOL_METRIC_INSTRUCTIONS : TOOL_METRIC_WALL;
}

bool tool_doc_counted_instructions(const tach__doc *d)
{
    if (d && d->origin) d = d->origin;
    if (!d) return false;
    const json_t *m = json_object_get(json_object_get(d->context, "settings"), "metric");
    return tach__doc_has_instr(d) || (json_is_string(m) && !strcmp(json_string_value(m), "instructions"));
}

int tool_metric_default(const tach__doc *base, const tach__doc *cur, tool_metric *out, char *err)
{
    tool_metric b = tool_doc_recorded_metric(base), c = tool_doc_recorded_metric(cur);
    *out = b;
    if (b == c) return 0;
    return tach__err(err, "BASE was measured in %s and NEW in %s: pass --metric to say which to "
                          "compare (a metric both sides have)",
                     b == TOOL_METRIC_WALL ? "wall time" : tool_metric_name(b),
                     c == TOOL_METRIC_WALL ? "wall time" : tool_metric_name(c));
}

static int copy_identity(tach__result *dst, const tach__result *src)
{
    dst->name = tach__strdup(src->name);
    dst->group = tach__strdup(src->group);
    dst->function = tach__strdup(src->function);
    dst->command = tach__strdup(src->command);
    dst->named = src->named;
    dst->message = tach__strdup(src->message);
    dst->status = src->status;
    dst->signal = src->signal;
    if ((src->name && !dst->name) || (src->message && !dst->message)) return -1;
    for (size_t i = 0; i < src->nparams; i++)
        if (tach__result_set_param(dst, src->params[i].name, src->params[i].value) != 0) return -1;
    dst->has_instr = src->has_instr;
    dst->instr = src->instr;
    return 0;
}

/* The heap accounting, CPU counters and user counters: they do not depend on the
 * metric shown, so a report under --metric keeps its "Memory and CPU counters". */
static int copy_resources(tach__result *dst, const tach__result *src)
{
    dst->memory = src->memory;
    dst->memory.method = NULL;
    dst->memory.unavailable = NULL;
    if ((src->memory.method && !(dst->memory.method = tach__strdup(src->memory.method))) ||
        (src->memory.unavailable && !(dst->memory.unavailable = tach__strdup(src->memory.unavailable))))
        return -1;
    for (size_t i = 0; i < src->nhw; i++)
        if (tach__result_set_hw(dst, src->hw[i].name, src->hw[i].per_iter, src->hw[i].scaled) != 0) return -1;
    for (size_t i = 0; i < src->nhw_absent; i++)
        if (tach__result_set_hw_absent(dst, src->hw_absent[i].name, src->hw_absent[i].why) != 0) return -1;
    for (size_t i = 0; i < src->ncounters; i++)
        if (tach__result_set_counter(dst, src->counters[i].name, src->counters[i].value) != 0) return -1;
    return 0;
}

/* Every declared target of one result, whatever the metric: --metric chooses what is
 * compared, and the targets are checked against what the run measured (r->origin,
 * targets.c).  The sweep targets too: a counted run's sweeps are found in its projection
 * (fit_targets.c).  (A family's asserted class stays with the origin's results, which
 * the families are fitted from: complexity.h.) */
static int copy_targets(tach__result *dst, const tach__result *src)
{
    dst->max_mean_ns = src->max_mean_ns;
    dst->max_median_ns = src->max_median_ns;
    dst->max_p99_ns = src->max_p99_ns;
    dst->min_bytes_per_sec = src->min_bytes_per_sec;
    dst->min_items_per_sec = src->min_items_per_sec;
    dst->max_regression_pct = src->max_regression_pct;
    dst->max_allocs_per_iter = src->max_allocs_per_iter;
    dst->max_bytes_per_iter = src->max_bytes_per_iter;
    dst->max_peak_bytes = src->max_peak_bytes;
    dst->max_rss_bytes = src->max_rss_bytes;
    dst->min_efficiency = src->min_efficiency;
    dst->max_alpha = src->max_alpha;
    if (src->slo && !(dst->slo = tach__strdup(src->slo))) return -1;
    return 0;
}

tach__doc *tool_metric_project(const tach__doc *d, tool_metric m, size_t resamples,
                               uint64_t seed, char *err)
{
    tach__doc *out = tach__doc_new();
    if (!out) {
        tach__err(err, "out of memory");
        return NULL;
    }
    if (d->context) {
        json_decref(out->context);
        out->context = json_deep_copy(d->context);
    }
    out->partial = d->partial;
    out->origin = d->origin ? d->origin : d;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *src = &d->results[i];
        tach__result *r = tach__doc_add(out);
        if (!r || copy_identity(r, src) != 0 || copy_resources(r, src) != 0) goto oom;
        size_t n;
        double *x = values(d, src, m, &n);
        if (n && !x) goto oom;
        r->sample_ns = x;
        r->nsamples = n;
        if (n) {
            r->sample_iters = tach__malloc(n * sizeof *r->sample_iters);
            if (!r->sample_iters) goto oom;
            for (size_t k = 0; k < n; k++)
                r->sample_iters[k] = src->sample_iters && n == src->nsamples ? src->sample_iters[k]
                                     : src->has_instr ? src->instr.iterations : 1;
        }
        if (m == TOOL_METRIC_WALL) {
            /* times keep their rounds and throughput */
            if (src->sample_round && n == src->nsamples) {
                r->sample_round = tach__malloc(n * sizeof *r->sample_round);
                if (!r->sample_round) goto oom;
                memcpy(r->sample_round, src->sample_round, n * sizeof *r->sample_round);
            }
            r->bytes_per_iter = src->bytes_per_iter;
            r->items_per_iter = src->items_per_iter;
        }
        if (copy_targets(r, src) != 0) goto oom;
        r->origin = src->origin ? src->origin : src;
        r->precision_target = src->precision_target;
        if (tach__result_finish_resamples(r, seed, resamples, err) != 0) {
            tach__doc_free(out);
            return NULL;
        }
    }
    return out;
oom:
    tach__doc_free(out);
    tach__err(err, "out of memory");
    return NULL;
}

/* What each suite's runs measured, as context.suite records it: two runs with one of
 * these apart measured different inputs (tool_suite_inputs_differ). */
static const struct {
    tach__suite_kind suite;
    const char *key;
} input_keys[] = {{TACH__SUITE_COMPRESSION, "input_sha256"}, /* the bytes, not the path's spelling */
                  {TACH__SUITE_COMPRESSION, "input_bytes"},
                  {TACH__SUITE_COMPRESSION, "block_bytes"},
                  {TACH__SUITE_STORAGE, "file_size"},
                  {TACH__SUITE_BUS, "broker_at"}}; /* a broker's rows: tach's or --url's */

/* s whole when it is short, else its first whole characters in about 150 bytes and "…"
 * in buf: two of them and the words around fit why's 512 bytes, never cut inside a
 * character as snprintf cuts at the end ("?" for none). */
static const char *short_name(const char *s, char *buf, size_t size)
{
    if (!s) return "?";
    if (strlen(s) <= 150) return s;
    snprintf(buf, size, "%.*s\xe2\x80\xa6", tach__utf8_prec(s, 150), s);
    return buf;
}

/* why for a compression run's input: its name, its size where the sizes differ (two
 * corpora of one name read as the same input, only their hashes apart), and 12 digits
 * of its hash (hashed: key is "input_sha256", not the name of an older run's input). */
static void input_why(const char *suite, json_t *sa, json_t *sb, bool hashed, char *why, size_t size)
{
    const char *ia = json_string_value(json_object_get(sa, "input"));
    const char *ib = json_string_value(json_object_get(sb, "input"));
    json_t *za = json_object_get(sa, "input_bytes"), *zb = json_object_get(sb, "input_bytes");
    bool sizes = json_is_integer(za) && json_is_integer(zb) && !json_equal(za, zb);
    char sa_[48] = "", sb_[48] = "", ha[40] = "", hb[40] = "";
    if (sizes) {
        snprintf(sa_, sizeof sa_, ", %lld bytes", (long long)json_integer_value(za));
        snprintf(sb_, sizeof sb_, ", %lld bytes", (long long)json_integer_value(zb));
    }
    if (hashed) {
        const char *xa = json_string_value(json_object_get(sa, "input_sha256"));
        const char *xb = json_string_value(json_object_get(sb, "input_sha256"));
        snprintf(ha, sizeof ha, " (sha256 %.12s...)", xa ? xa : "?");
        snprintf(hb, sizeof hb, " (sha256 %.12s...)", xb ? xb : "?");
    }
    char ca[160], cb[160];
    snprintf(why, size, "%s input \"%s\"%s%s against \"%s\"%s%s", suite,
             short_name(ia, ca, sizeof ca), sa_, ha, short_name(ib, cb, sizeof cb), sb_, hb);
}

bool tool_suite_inputs_differ(const tach__doc *a, const tach__doc *b, char *why, size_t size)
{
    if (why && size) why[0] = '\0';
    json_t *sa = json_object_get(a ? a->context : NULL, "suite");
    json_t *sb = json_object_get(b ? b->context : NULL, "suite");
    const char *na = json_string_value(json_object_get(sa, "name"));
    const char *nb = json_string_value(json_object_get(sb, "name"));
    if (!na || !nb || strcmp(na, nb)) return false;
    for (size_t i = 0; i < sizeof input_keys / sizeof input_keys[0]; i++) {
        if (input_keys[i].suite != tach__suite_kind_of(na)) continue;
        const char *key = input_keys[i].key;
        /* a run recorded before input_sha256: its input by name, as then */
        if (!strcmp(key, "input_sha256") &&
            (!json_object_get(sa, key) || !json_object_get(sb, key)))
            key = "input";
        json_t *va = json_object_get(sa, key), *vb = json_object_get(sb, key);
        if (!va || !vb || json_equal(va, vb)) continue;
        if (!why || !size) return true;
        if (!strcmp(key, "input_sha256") || !strcmp(key, "input")) {
            input_why(na, sa, sb, !strcmp(key, "input_sha256"), why, size);
        } else if (!strcmp(key, "file_size") && json_is_integer(va) && json_is_integer(vb) &&
                   json_integer_value(va) >= 0 && json_integer_value(vb) >= 0) {
            char x[32], y[32];
            snprintf(why, size, "different file size: %s against %s",
                     tach__size_text((uint64_t)json_integer_value(va), x, sizeof x),
                     tach__size_text((uint64_t)json_integer_value(vb), y, sizeof y));
        } else if (!strcmp(key, "broker_at") && json_is_string(va) && json_is_string(vb)) {
            char ca[160], cb[160];
            snprintf(why, size, "different broker: %s against %s",
                     short_name(json_string_value(va), ca, sizeof ca),
                     short_name(json_string_value(vb), cb, sizeof cb));
        } else {
            char *ta = json_dumps(va, JSON_ENCODE_ANY), *tb = json_dumps(vb, JSON_ENCODE_ANY);
            char ca[160], cb[160];
            snprintf(why, size, "%s %s %s against %s", na, key, short_name(ta, ca, sizeof ca),
                     short_name(tb, cb, sizeof cb));
            free(ta);
            free(tb);
        }
        return true;
    }
    return false;
}

const char *tool_suite_inputs_advice(const tach__doc *a)
{
    json_t *s = json_object_get(a ? a->context : NULL, "suite");
    switch (tach__suite_kind_of(json_string_value(json_object_get(s, "name")))) {
    case TACH__SUITE_STORAGE:
        return "a storage job's time depends on how much of its test file the page cache "
               "holds, so their times are not comparable; compare runs of one --file-size "
               "(--quick lays out at most 16 MiB, and a size not given adapts to the free space)";
    case TACH__SUITE_COMPRESSION:
        return "a compression row's time is one pass over the whole input, so their times are "
               "not comparable; compare runs of the same input (--data, or --corpus and "
               "--corpus-size) and --block";
    case TACH__SUITE_BUS:
        return "a broker's rates and latencies are those of that server and the network to "
               "it, so their figures are not comparable; compare runs of one broker (--broker "
               "NAME, or one --url)";
    case TACH__SUITE_CRYPTO: /* nothing recorded of its inputs */
    case TACH__SUITE_NONE:
        break;
    }
    return "their times are not comparable";
}

/* The offered rate of a bus latency row (of the result a projection was made from), or
 * NaN. */
static double offered_rate(const tach__result *r)
{
    if (r->origin) r = r->origin;
    double c = tach__result_counter(r, "rate");
    if (c > 0) return c;
    json_t *t = json_object_get(r->load, "rate_target");
    return json_is_number(t) && json_number_value(t) > 0 ? json_number_value(t) : NAN;
}

/* The rate a `tach load` run of the open model offered (its "overall" result's
 * rate_target, requests/s), for any of its results (an operation's block has the model
 * but not the rate); NaN for the closed model, which offers no rate, or a document
 * without it. */
static double load_rate(const tach__doc *d, const tach__result *r)
{
    if (r->origin) r = r->origin;
    if (d->origin) d = d->origin;
    const char *kind = json_string_value(json_object_get(json_object_get(r->load, "model"), "kind"));
    if (!kind || strcmp(kind, "open") != 0) return NAN;
    json_t *t = json_object_get(r->load, "rate_target");
    for (size_t i = 0; !t && i < d->nresults; i++)
        if (d->results[i].load && d->results[i].name && !strcmp(d->results[i].name, "overall"))
            t = json_object_get(d->results[i].load, "rate_target");
    return json_is_number(t) && json_number_value(t) > 0 ? json_number_value(t) : NAN;
}

static bool bus_run(const tach__doc *d)
{
    json_t *s = json_object_get(d->context, "suite");
    return tach__suite_kind_of(json_string_value(json_object_get(s, "name"))) == TACH__SUITE_BUS;
}

bool tool_suite_rates_differ(const tach__doc *da, const tach__result *a, const tach__doc *db,
                             const tach__result *b, double *ra, double *rb, bool *requests)
{
    if (!da || !db || !a || !b) return false;
    bool bus = bus_run(da), load = !bus && a->load && b->load;
    if (bus != bus_run(db)) return false;
    if (!bus && !load) return false;
    double x = bus ? offered_rate(a) : load_rate(da, a), y = bus ? offered_rate(b) : load_rate(db, b);
    if (isnan(x) || isnan(y) || fabs(x - y) <= TOOL_SUITE_RATE_TOLERANCE * fmax(x, y)) return false;
    if (ra) *ra = x;
    if (rb) *rb = y;
    if (requests) *requests = !bus;
    return true;
}

static json_t *load_model(const tach__result *r)
{
    if (r->origin) r = r->origin;
    return json_object_get(r->load, "model");
}

/* The share of the run's load that op was given (share_target) in d, or NaN. */
static double op_share(const tach__doc *d, const char *op)
{
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (r->load && r->name && !strcmp(r->name, op)) {
            json_t *s = json_object_get(r->load, "share_target");
            return json_is_number(s) ? json_number_value(s) : NAN;
        }
    }
    return NAN;
}

/* The operations of d's load run (its results with a load block but "overall"), their
 * number in *n; false when one has no share_target (not recorded: no mix to compare). */
static bool load_mix(const tach__doc *d, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->load || !r->name || !strcmp(r->name, "overall")) continue;
        if (!json_is_number(json_object_get(r->load, "share_target"))) return false;
        (*n)++;
    }
    return *n > 0;
}

/* "get 70%, put 30%": d's mix, whole (NULL when out of memory; the caller frees it). */
static char *mix_text(const tach__doc *d)
{
    tach__buf b = {0};
    bool first = true;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->load || !r->name || !strcmp(r->name, "overall")) continue;
        double sh = json_number_value(json_object_get(r->load, "share_target"));
        tach__buf_printf(&b, "%s%s %.3g%%", first ? "" : ", ", r->name, sh * 100);
        first = false;
    }
    return tach__buf_take(&b);
}

/* Whether da's and db's mixes differ: other operations, or other shares of them. */
static bool mixes_differ(const tach__doc *da, const tach__doc *db)
{
    size_t na, nb;
    if (!load_mix(da, &na) || !load_mix(db, &nb)) return false; /* not recorded: unknown */
    if (na != nb) return true;
    for (size_t i = 0; i < da->nresults; i++) {
        const tach__result *r = &da->results[i];
        if (!r->load || !r->name || !strcmp(r->name, "overall")) continue;
        double x = json_number_value(json_object_get(r->load, "share_target")), y = op_share(db, r->name);
        if (isnan(y) || fabs(x - y) > 1e-6) return true;
    }
    return false;
}

/* The threads a closed in-process run ran: one per client at most.  Runs recorded
 * before model.threads said so kept --threads there (threads 4 for --clients 1), so
 * both sides are read the same way. */
static long long ran_threads(const char *kind, const json_t *threads, const json_t *clients)
{
    long long t = json_integer_value(threads), c = json_integer_value(clients);
    if (kind && !strcmp(kind, "closed") && json_is_integer(clients) && c > 0 && c < t) return c;
    return t;
}

const char *tool_load_settings_differ(const tach__doc *da, const tach__result *a,
                                      const tach__doc *db, const tach__result *b, char **base,
                                      char **cur)
{
    if (base) *base = NULL;
    if (cur) *cur = NULL;
    if (!da || !db || !a || !b) return NULL;
    json_t *ma = load_model(a), *mb = load_model(b);
    const char *ka = json_string_value(json_object_get(ma, "kind"));
    const char *kb = json_string_value(json_object_get(mb, "kind"));
    if (!ka || !kb) return NULL; /* not load runs */
    if (da->origin) da = da->origin;
    if (db->origin) db = db->origin;
    char x[48] = "", y[48] = "";
    const char *what = NULL;
    json_t *ca = json_object_get(ma, "clients"), *cb = json_object_get(mb, "clients");
    json_t *ta = json_object_get(ma, "think_s"), *tb = json_object_get(mb, "think_s");
    json_t *ha = json_object_get(ma, "threads"), *hb = json_object_get(mb, "threads");
    const char *ga = json_string_value(json_object_get(ma, "target"));
    const char *gb = json_string_value(json_object_get(mb, "target"));
    if (strcmp(ka, kb) != 0) {
        what = "model";
        snprintf(x, sizeof x, "%s", ka);
        snprintf(y, sizeof y, "%s", kb);
    } else if (json_is_integer(ca) && json_is_integer(cb) &&
               json_integer_value(ca) != json_integer_value(cb)) {
        /* the closed model's clients; the open model's requests in flight against URLs
         * (recorded since tach recorded it: an older run's is unknown, not compared) */
        what = "clients";
        snprintf(x, sizeof x, "%lld", (long long)json_integer_value(ca));
        snprintf(y, sizeof y, "%lld", (long long)json_integer_value(cb));
    } else if (!strcmp(ka, "closed") && json_is_number(ta) && json_is_number(tb) &&
               fabs(json_number_value(ta) - json_number_value(tb)) >
                   1e-9 * fmax(1, fmax(json_number_value(ta), json_number_value(tb)))) {
        what = "think time";
        snprintf(x, sizeof x, "%g s", json_number_value(ta));
        snprintf(y, sizeof y, "%g s", json_number_value(tb));
    } else if (ga && gb && !strcmp(ga, "in-process") && !strcmp(gb, "in-process") &&
               json_is_integer(ha) && json_is_integer(hb) &&
               ran_threads(ka, ha, ca) != ran_threads(kb, hb, cb)) {
        /* a benchmark binary's threads are its operations' callers: each its own setup
         * (a connection), each call synchronous, so they bound the requests the target
         * serves at once.  Against URLs the threads are event loops of the generator
         * only: the target gets the same connections and schedule, and a generator that
         * fell behind shows in its late sends (docs/load.md) */
        what = "threads";
        snprintf(x, sizeof x, "%lld", ran_threads(ka, ha, ca));
        snprintf(y, sizeof y, "%lld", ran_threads(kb, hb, cb));
    }
    if (!what && mixes_differ(da, db)) {
        if (base) *base = mix_text(da);
        if (cur) *cur = mix_text(db);
        return "mix";
    }
    if (what && base) *base = tach__strdup(x);
    if (what && cur) *cur = tach__strdup(y);
    return what;
}
