/* load_report.c - the console summary of a load run: the model, one line per
 * operation and overall (share, count, rate, errors, the corrected percentiles), the
 * uncorrected ones beside them, the schedule's late and dropped sends (closed: the
 * sends late after their client was ready), and whether the run is invalid or partial. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load_cli.h"
#include "report.h"

static double num(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A percentile from a histogram summary, "~" after it when fewer than 10 samples lie
 * above it (tail_samples: the tail rests on too little to trust). */
static const char *pct(const json_t *h, const char *key, char *buf, size_t size, bool *thin)
{
    const json_t *p = json_object_get(json_object_get(h, "percentiles"), key);
    double v = num(p, "value_ns"), tail = num(p, "tail_samples");
    if (isnan(v)) return "-";
    char t[32];
    tach__fmt_time(v, t, sizeof t);
    bool few = !isnan(tail) && tail < 10;
    if (few) *thin = true;
    snprintf(buf, size, "%s%s", t, few ? "~" : "");
    return buf;
}

const char *cli_load_fmt_rate(double per_s, char *buf, size_t size)
{
    snprintf(buf, size, fabs(per_s) >= 100 ? "%.0f/s" : "%.3g/s", per_s);
    return buf;
}

static void row(FILE *f, int name_w, const char *name, const json_t *L, const json_t *h, bool *thin)
{
    char share[32] = "", b[6][40], cnt[32], rate[32], errs[48];
    double sh = num(L, "share"), st = num(L, "share_target");
    if (!isnan(sh)) snprintf(share, sizeof share, "%.1f%% (%.0f%%)", 100 * sh, 100 * st);
    snprintf(cnt, sizeof cnt, "%.0f", num(L, "count"));
    if (isnan(num(L, "rps"))) snprintf(rate, sizeof rate, "-"); /* nothing measured */
    else cli_load_fmt_rate(num(L, "rps"), rate, sizeof rate);
    double e = num(L, "errors"), er = num(L, "error_rate");
    snprintf(errs, sizeof errs, "%.0f (%.3g%%)", e, isnan(er) ? 0 : 100 * er);
    char maxb[32];
    double mx = num(h, "max_ns");
    fprintf(f, "%-*s %-14s %9s %9s %12s %10s %10s %10s %10s %10s %10s\n", name_w, name, share, cnt, rate,
            errs, pct(h, "p50", b[0], 40, thin), pct(h, "p90", b[1], 40, thin),
            pct(h, "p99", b[2], 40, thin), pct(h, "p999", b[3], 40, thin),
            pct(h, "p9999", b[4], 40, thin), num(L, "count") > 0 ? tach__fmt_time(mx, maxb, sizeof maxb) : "-");
}

/* One series of the intervals as a sparkline (eight levels from the series' lowest to
 * its highest, spanning at least 2% of its middle as the other sparklines do, so a flat
 * series with a little noise draws flat, not as jumps from the lowest bar to the highest;
 * ' ' for an empty interval), with its range (lowest .. highest) in the unit given. */
static void spark(FILE *f, const char *label, const json_t *ivs, const char *key, bool time)
{
    static const char *const bars[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                       "\u2585", "\u2586", "\u2587", "\u2588"};
    size_t n = json_array_size(ivs);
    if (n < 2) return;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double v = num(json_array_get(ivs, i), key);
        if (isnan(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (!isfinite(lo)) return;
    /* an interval with requests but no value (a document of a libtach from before the
     * intervals written to --series kept their p50, p99 and max): bars for a few would
     * mislead */
    for (size_t i = 0; i < n; i++) {
        const json_t *iv = json_array_get(ivs, i);
        if (isnan(num(iv, key)) && num(iv, "count") > 0) return;
    }
    /* the scale: a flat series at the middle of the fourth of the eight bars, where a
     * noise of +-1/16 of the 2% (0.125%) stays in it */
    double slo = lo, shi = hi;
    tool_spark_scale(&slo, &shi, 3.5 / 8);
    fprintf(f, "  %-5s ", label);
    for (size_t i = 0; i < n && i < 120; i++) {
        double v = num(json_array_get(ivs, i), key);
        int k = isnan(v) ? -1 : shi > slo ? (int)((v - slo) / (shi - slo) * 7.999) : 0;
        fputs(k < 0 ? " " : bars[k], f);
    }
    char a[32], b[32];
    if (time) fprintf(f, "  %s .. %s\n", tach__fmt_time(lo, a, sizeof a), tach__fmt_time(hi, b, sizeof b));
    else fprintf(f, "  %s .. %s\n", cli_load_fmt_rate(lo, a, sizeof a), cli_load_fmt_rate(hi, b, sizeof b));
}

void cli_load_print_summary(FILE *f, const tach__doc *d, bool color)
{
    const json_t *overall = NULL;
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && !strcmp(d->results[i].name, "overall")) overall = d->results[i].load;
    if (!overall) return;
    const json_t *m = json_object_get(overall, "model");
    const char *kind = json_string_value(json_object_get(m, "kind"));
    bool open = kind && !strcmp(kind, "open");
    /* HTTP: which transport sent the requests ("http, direct") */
    const char *engine = json_string_value(json_object_get(json_array_get(json_object_get(overall, "loops"), 0), "engine"));
    char target[64];
    const char *tk = json_string_value(json_object_get(m, "target"));
    snprintf(target, sizeof target, "%s%s%s", tk ? tk : "?", engine ? ", " : "", engine ? engine : "");
    /* the threads that ran: HTTP runs at most one event loop per connection, so
     * --threads beyond --clients gives fewer than asked */
    double want = num(m, "threads");
    size_t nloops = json_array_size(json_object_get(overall, "loops"));
    double ran = nloops && (double)nloops < want ? (double)nloops : want;
    /* a benchmark binary's closed model: a thread per client at most (threads_asked) */
    double threads_asked = num(m, "threads_asked");
    if (threads_asked > ran) want = threads_asked;
    /* the window measured: as asked ("10 s") when it ran whole, else as tach shows a
     * time ("1.42 s", not "1.41988 s") */
    char measured[32];
    double ms = num(overall, "measured_s");
    /* (0: interrupted in the warm-up, "0 s" rather than "0.00 ns") */
    if (ms == num(m, "duration_s") || isnan(ms) || ms == 0) snprintf(measured, sizeof measured, "%g s", ms);
    else tach__fmt_time(ms * 1e9, measured, sizeof measured);
    char threads[96];
    int tn = snprintf(threads, sizeof threads, "%.0f thread%s", ran, ran == 1 ? "" : "s");
    if (ran < want && tn > 0 && (size_t)tn < sizeof threads)
        snprintf(threads + tn, sizeof threads - (size_t)tn, " (of --threads %.0f: at most one per %s)",
                 want, threads_asked > ran ? "client" : "connection");
    if (open)
        fprintf(f, "load: open model (%s arrivals), %s, %s measured after %g s warm-up (%s)\n",
                json_string_value(json_object_get(m, "arrivals")), threads, measured,
                num(m, "warmup_s"), target);
    else
        fprintf(f, "load: closed model, %.0f client%s on %s, %s measured after %g s warm-up (%s)\n",
                num(m, "clients"), num(m, "clients") == 1 ? "" : "s", threads, measured,
                num(m, "warmup_s"), target);
    /* the name column as wide as the longest name (a URL is rarely under 14), so that
     * every row's columns stay under their headings */
    int name_w = 14;
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && d->results[i].name && (int)strlen(d->results[i].name) > name_w)
            name_w = (int)strlen(d->results[i].name);
    fprintf(f, "latency from the intended start (corrected):\n");
    fprintf(f, "%-*s %-14s %9s %9s %12s %10s %10s %10s %10s %10s %10s\n", name_w, "operation", "share (asked)",
            "count", "rate", "errors", "p50", "p90", "p99", "p99.9", "p99.99", "max");
    bool thin = false;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->load) continue;
        row(f, name_w, r->name, r->load, json_object_get(r->load, "corrected"), &thin);
    }
    fprintf(f, "latency from the actual send (uncorrected):\n");
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->load) continue;
        row(f, name_w, r->name, r->load, json_object_get(r->load, "uncorrected"), &thin);
    }
    if (thin) fprintf(f, "~ fewer than 10 requests above this percentile: a thin tail\n");
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        const json_t *ek = json_object_get(r->load, "error_kinds");
        const json_t *sc = json_object_get(r->load, "statuses");
        if (!r->load || !strcmp(r->name, "overall")) continue;
        if (json_object_size(ek) == 0 && json_object_size(sc) == 0) continue;
        fprintf(f, "%s:", r->name);
        const char *k;
        json_t *v;
        const char *sep = " "; /* "status 200: 49, error empty reply: 3865" */
        json_object_foreach((json_t *)sc, k, v) {
            fprintf(f, "%sstatus %s: %lld", sep, k, (long long)json_integer_value(v));
            sep = ", ";
        }
        json_object_foreach((json_t *)ek, k, v) {
            fprintf(f, "%serror %s: %lld", sep, k, (long long)json_integer_value(v));
            sep = ", ";
        }
        fputc('\n', f);
    }
    const json_t *loops = json_object_get(overall, "loops");
    if (json_array_size(loops) >= 2) { /* HTTP, --threads: what each event loop did */
        fprintf(f, "event loops:");
        size_t k;
        json_t *lp;
        json_array_foreach((json_t *)loops, k, lp)
            fprintf(f, "%s %.0f request%s on %.0f connection%s, %.2f s CPU", k ? ";" : "",
                    num(lp, "requests"), num(lp, "requests") == 1 ? "" : "s", num(lp, "connections"),
                    num(lp, "connections") == 1 ? "" : "s", num(lp, "cpu_s"));
        fputc('\n', f);
    }
    char lb[32];
    const json_t *lat = json_object_get(overall, "lateness");
    double l99 = num(json_object_get(json_object_get(lat, "percentiles"), "p99"), "value_ns");
    /* a send on time is recorded at the histogram's floor, 1 ns: "0 ns", not "0.00 ns" */
    const char *l99_s = isnan(l99) ? "-" : l99 <= 1 ? "0 ns" : tach__fmt_time(l99, lb, sizeof lb);
    char bound[32];
    tach__fmt_bound(num(overall, "late_bound_s"), bound, sizeof bound); /* 1 ms, 2 s, 1 ns */
    if (!open && num(overall, "scheduled") > 0)
        fprintf(f, "sends: %.0f of %.0f late (beyond %s after their client was ready: answer + think); "
                   "send lateness p99 %s\n",
                num(overall, "late"), num(overall, "scheduled"), bound, l99_s);
    if (open) {
        double sent = num(overall, "rate_achieved"); /* null: nothing measured */
        char asked[32], sentb[32];
        fprintf(f, "schedule: %s asked, %s sent; %.0f of %.0f sends late (beyond %s), %.0f dropped; "
                   "send lateness p99 %s\n",
                cli_load_fmt_rate(num(overall, "rate_target"), asked, sizeof asked),
                cli_load_fmt_rate(isnan(sent) ? 0.0 : sent, sentb, sizeof sentb), num(overall, "late"),
                num(overall, "scheduled"), bound, num(overall, "dropped"), l99_s);
        double cw = num(overall, "connect_waits");
        if (cw > 0)
            fprintf(f, "connects: %.0f sends waited while every connection was busy and some still "
                       "connecting (the server slow to accept); the connects' time is in their "
                       "latency from the intended start, not in their lateness\n", cw);
    }
    const json_t *ivs = json_object_get(overall, "intervals");
    if (json_array_size(ivs) >= 2) {
        fprintf(f, "over time (one mark per %g s, overall, corrected):\n",
                num(json_object_get(overall, "model"), "interval_s"));
        /* the rate sent in each interval, not by the slots' intended times: those chart
         * the rate asked while a run behind sent fewer (a document from before: rps) */
        spark(f, "rate", ivs, json_object_get(json_array_get(ivs, 0), "sent_rps") ? "sent_rps" : "rps",
              false);
        spark(f, "p50", ivs, "p50_ns", true);
        spark(f, "p99", ivs, "p99_ns", true);
        for (size_t i = 0; i < json_array_size(ivs); i++) {
            const json_t *iv = json_array_get(ivs, i);
            if (isnan(num(iv, "p50_ns")) && num(iv, "count") > 0) {
                fprintf(f, "  (p50, p99: each interval's in the --series lines)\n");
                break;
            }
        }
    }
    if (json_is_true(json_object_get(overall, "invalid")))
        fprintf(f, "%sINVALID%s: %s\n", color ? "\033[1;31m" : "", color ? "\033[0m" : "",
                json_string_value(json_object_get(overall, "invalid_reason")));
    if (json_is_true(json_object_get(overall, "partial")) && ms == 0)
        fprintf(f, "PARTIAL: interrupted in the warm-up; nothing was measured\n");
    else if (json_is_true(json_object_get(overall, "partial")))
        fprintf(f, "PARTIAL: interrupted; %s were measured\n", measured);
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].status != TACH__OK)
            fprintf(f, "%s: %s: %s\n", d->results[i].name, tach__status_name(d->results[i].status),
                    d->results[i].message ? d->results[i].message : "");
}
