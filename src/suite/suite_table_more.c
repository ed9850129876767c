/* suite_table_more.c - the crypto, storage and bus tables. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "suite_table.h"
#include "suite_kind.h"
#include "report.h"

static const char *param(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, name)) return r->params[i].value;
    return NULL;
}

/* One row per library and algorithm, one column per size: MB/s and the CI's
 * half-width in percent. */
static void crypto_table(const tach__doc *doc, tach__buf *b)
{
    json_t *cf = json_object_get(doc->context, "cpu_features"), *cpu = json_object_get(cf, "cpu");
    const char *k;
    json_t *v;
    tach__buf_puts(b, "CPU features:");
    json_object_foreach(cpu, k, v) tach__buf_printf(b, " %s=%s", k, json_is_true(v) ? "yes" : "no");
    tach__buf_puts(b, "\n");
    /* a masked OpenSSL uses less than the CPU offers: say so, and what is left */
    const char *mask = json_string_value(json_object_get(json_object_get(cf, "openssl"), "OPENSSL_ia32cap"));
    if (mask && *mask) {
        json_t *o = tool_openssl_features(cpu, mask);
        tach__buf_printf(b, "OpenSSL masked by OPENSSL_ia32cap=%s, it uses:", mask);
        json_object_foreach(o, k, v) tach__buf_printf(b, " %s=%s", k, json_is_true(v) ? "yes" : "no");
        tach__buf_puts(b, "\n");
        json_decref(o);
    }
    /* the sizes, in the order first seen: every one a column */
    const char **sizes = tach__malloc((doc->nresults + 1) * sizeof *sizes);
    size_t ns = 0;
    if (!sizes) {
        b->oom = true;
        return;
    }
    for (size_t i = 0; i < doc->nresults; i++) {
        const char *sz = param(&doc->results[i], "size");
        bool seen = !sz;
        for (size_t k2 = 0; k2 < ns && !seen; k2++) seen = !strcmp(sizes[k2], sz);
        if (!seen) sizes[ns++] = sz;
    }
    /* one row's cells: the label, then one per size */
    char(*cells)[48] = tach__calloc(ns + 1, sizeof *cells);
    const char **row = tach__calloc(ns + 1, sizeof *row);
    if (!cells || !row) {
        tach__free(cells);
        tach__free(row);
        tach__free(sizes);
        b->oom = true;
        return;
    }
    for (size_t c = 0; c <= ns; c++) row[c] = cells[c];
    tool_cols t = {0};
    snprintf(cells[0], sizeof cells[0], "MB/s (±CI%%)");
    for (size_t c = 0; c < ns; c++) tool_rep_size_label(sizes[c], cells[c + 1], sizeof cells[c + 1]);
    tool_cols_add(&t, ns + 1, row);
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        const char *lib = param(r, "library"), *alg = param(r, "algorithm");
        if (!lib || !alg) continue;
        bool first = true;
        for (size_t k2 = 0; k2 < i && first; k2++) {
            const char *l2 = param(&doc->results[k2], "library"), *a2 = param(&doc->results[k2], "algorithm");
            first = !(l2 && a2 && !strcmp(l2, lib) && !strcmp(a2, alg));
        }
        if (!first) continue;
        snprintf(cells[0], sizeof cells[0], "%s %s", lib, alg);
        for (size_t c = 0; c < ns; c++) {
            const tach__result *hit = NULL;
            for (size_t k2 = i; k2 < doc->nresults && !hit; k2++) {
                const tach__result *q = &doc->results[k2];
                const char *l2 = param(q, "library"), *a2 = param(q, "algorithm"), *s2 = param(q, "size");
                if (l2 && a2 && s2 && !strcmp(l2, lib) && !strcmp(a2, alg) && !strcmp(s2, sizes[c])) hit = q;
            }
            char *cell = cells[c + 1];
            size_t size = sizeof cells[c + 1];
            if (!hit) snprintf(cell, size, "-");
            else if (hit->status != TACH__OK) snprintf(cell, size, "%s", tach__status_name(hit->status));
            else {
                double rate = tool_suite_rate(hit), lo, hi;
                tool_suite_rate_ci(hit, &lo, &hi);
                tool_suite_ci_cell(cell, size, rate, lo, hi, 1e6, 1, true);
            }
        }
        tool_cols_add(&t, ns + 1, row);
    }
    tool_cols_print(&t, b);
    tool_cols_free(&t);
    tach__free(cells);
    tach__free(row);
    tach__free(sizes);
}

static void lat_cell(double ns, char *buf, size_t size)
{
    if (isnan(ns)) snprintf(buf, size, "-");
    else tach__fmt_time(ns, buf, size);
}

/* fio's columns: bandwidth, IOPS, completion latency percentiles. */
static void storage_table(const tach__doc *doc, tach__buf *b)
{
    json_t *s = json_object_get(doc->context, "suite");
    tach__buf_puts(b, "dir: ");
    tool_suite_put_text(b, json_string_value(json_object_get(s, "dir")));
    tach__buf_printf(b, ", file %lld MiB\n", (long long)(json_integer_value(json_object_get(s, "file_size")) >> 20));
    tool_cols t = {0};
    tool_cols_add(&t, 7, (const char *const[]){"job", "MB/s (±CI)", "IOPS", "p50", "p99", "p99.9", "p99.99"});
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        if (strncmp(r->name, "storage/", 8) || r->status != TACH__OK) continue;
        bool sync = !param(r, "rw") || strstr(param(r, "rw"), "sync");
        const char *lat = sync ? "lat_ns" : "clat_ns";
        char rate[96] = "-", p[4][32], key[64];
        if (!sync) { /* bytes over the job's time, as fio's bw (not the median interval's rate) */
            double v = tach__result_counter(r, "bw_bytes"), lo = tach__result_counter(r, "bw_bytes_ci_low"),
                   hi = tach__result_counter(r, "bw_bytes_ci_high");
            if (isnan(v)) v = tool_suite_rate(r), tool_suite_rate_ci(r, &lo, &hi); /* an older run */
            tool_suite_ci_cell(rate, sizeof rate, v, lo, hi, 1e6, 1, false);
            /* a job of fewer than 2 intervals has no CI to give: said, not a bare figure
             * that reads as one measured as precisely as its neighbours */
            if ((isnan(lo) || isnan(hi)) && !isnan(v)) {
                size_t len = strlen(rate);
                snprintf(rate + len, sizeof rate - len, " (no CI: %zu interval%s)", r->nsamples,
                         r->nsamples == 1 ? "" : "s");
            }
        }
        static const char *const pk[] = {"50.000000", "99.000000", "99.900000", "99.990000"};
        for (int k = 0; k < 4; k++) {
            snprintf(key, sizeof key, "%s.percentile.%s", lat, pk[k]);
            lat_cell(tach__result_counter(r, key), p[k], sizeof p[k]);
        }
        char iops[32];
        snprintf(iops, sizeof iops, "%.0f", tach__result_counter(r, "iops"));
        tool_cols_add(&t, 7, (const char *const[]){r->name + 8, rate, iops, p[0], p[1], p[2], p[3]});
    }
    tool_cols_print(&t, b);
    tool_cols_free(&t);
}

/* One row per transport, pattern and size: closed-loop msgs/s and MB/s, open-loop
 * latency percentiles at its rate, lost and reordered messages. */
static void bus_table(const tach__doc *doc, tach__buf *b)
{
    json_t *s = json_object_get(doc->context, "suite");
    const char *broker = json_string_value(json_object_get(s, "broker"));
    if (broker) {
        tach__buf_puts(b, "broker: ");
        tool_suite_put_text(b, broker);
        tach__buf_puts(b, "\n");
    }
    tool_cols t = {0};
    tool_cols_add(&t, 9, (const char *const[]){"transport/pattern/size", "msgs/s (±CI)", "MB/s", "rate", "p50",
                                               "p99", "p99.9", "lost", "reord"});
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        size_t len = strlen(r->name);
        if (strncmp(r->name, "bus/", 4) || len < 4 || strcmp(r->name + len - 4, "/max")) continue;
        char label[64], rate[48] = "-", p[3][32], ratecell[32] = "-";
        snprintf(label, sizeof label, "%.*s", (int)(len - 8), r->name + 4);
        if (r->status != TACH__OK) {
            tool_cols_add(&t, 2, (const char *const[]){label, tach__status_name(r->status)});
            continue;
        }
        /* the open-loop row beside it, when there is one (request-reply: the round trip) */
        const tach__result *l = r;
        char want[200];
        snprintf(want, sizeof want, "%.*s/latency", (int)(len - 4), r->name);
        for (size_t k = i + 1; k < doc->nresults; k++)
            if (!strcmp(doc->results[k].name, want)) l = &doc->results[k];
        double m = tach__result_counter(r, "msgs_per_s");
        /* received over the run's time, its CI from the batches (not the median batch's
         * rate, a burst's: 27x the run's on queue/fanout) */
        double mlo = tach__result_counter(r, "msgs_per_s_ci_low"), mhi = tach__result_counter(r, "msgs_per_s_ci_high");
        tool_suite_ci_cell(rate, sizeof rate, m, mlo, mhi, 1, 0, false);
        if (l != r && l->status == TACH__OK) tool_suite_rate_text(ratecell, sizeof ratecell, tach__result_counter(l, "rate"));
        else if (l != r) snprintf(ratecell, sizeof ratecell, "%s", tach__status_name(l->status));
        static const char *const keys[] = {"p50_ns", "p99_ns", "p99.9_ns"};
        for (int k = 0; k < 3; k++) lat_cell(l->status == TACH__OK ? tach__result_counter(l, keys[k]) : NAN, p[k], sizeof p[k]);
        char mbs[32], lost[32], reord[32];
        tool_suite_ci_cell(mbs, sizeof mbs, tach__result_counter(r, "mb_per_s"), NAN, NAN, 1, 1, false);
        snprintf(lost, sizeof lost, "%.0f",
                 tach__result_counter(r, "lost") + (l != r ? tach__result_counter(l, "lost") : 0));
        snprintf(reord, sizeof reord, "%.0f",
                 tach__result_counter(r, "reordered") + (l != r ? tach__result_counter(l, "reordered") : 0));
        tool_cols_add(&t, 9, (const char *const[]){label, rate, mbs, ratecell, p[0], p[1], p[2], lost, reord});
        char rt[32];
        if (l != r && tach__result_counter(l, "invalid") == 1)
            tool_cols_under(&t, "INVALID: the publisher could not hold %s msgs/s (%.0f late, %.0f dropped)",
                            tool_suite_rate_text(rt, sizeof rt, tach__result_counter(l, "rate")),
                            tach__result_counter(l, "late"),
                            tach__result_counter(l, "dropped"));
        const char *slo = json_string_value(json_object_get(s, "slo"));
        double best = tach__result_counter(l, "slo_max_rate"), low = tach__result_counter(l, "slo_lowest_rate");
        if (l != r && !isnan(best)) {
            tool_cols_under(&t, "highest rate meeting %s: %s msgs/s", slo, tool_suite_rate_text(rt, sizeof rt, best));
        } else if (l != r && !isnan(low)) { /* none met it (slo_max_rate null): no "0 msgs/s" */
            double v = tach__result_counter(l, "slo_lowest_value_ns");
            char d[32];
            if (isnan(v))
                tool_cols_under(&t, "no rate tried met %s: the lowest, %s msgs/s, missed it "
                                    "(the note below says why)", slo, tool_suite_rate_text(rt, sizeof rt, low));
            else
                tool_cols_under(&t, "no rate tried met %s: the lowest, %s msgs/s, had %.*s %s", slo,
                                tool_suite_rate_text(rt, sizeof rt, low),
                                (int)strcspn(slo, "<"), slo, tach__fmt_time(v, d, sizeof d));
        }
    }
    tool_cols_print(&t, b);
    tool_cols_free(&t);
    tach__buf_puts(b, "latency: open loop at the rate shown, from each message's intended send time;\n"
                      "request-reply: the round trip, one request outstanding\n");
}

int tool_suite_table_more(const tach__doc *doc, const char *suite, tach__buf *b)
{
    switch (tach__suite_kind_of(suite)) {
    case TACH__SUITE_CRYPTO: crypto_table(doc, b); return 0;
    case TACH__SUITE_STORAGE: storage_table(doc, b); return 0;
    case TACH__SUITE_BUS: bus_table(doc, b); return 0;
    case TACH__SUITE_COMPRESSION: /* suite_table.c's own */
    case TACH__SUITE_NONE: break;
    }
    return -1;
}
