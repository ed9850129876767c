/*
 * latency_text.c - the latency section shown below the console table and in the
 * Markdown export: per benchmark with a latency block, p50 .. p99.99 and max with
 * their 95% CIs (each time as the console table writes one) and the samples each tail
 * rests on; a tail on fewer than 10 samples is marked, and a body too short to time one
 * call at a time says so instead of showing percentiles.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "latency.h"

const char *tach__fmt_count(int64_t n, char *buf, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%" PRId64, n < 0 ? -n : n);
    size_t len = strlen(digits), o = 0;
    if (n < 0 && o + 1 < size) buf[o++] = '-';
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        if (i && (len - i) % 3 == 0 && o + 1 < size) buf[o++] = ',';
        if (o + 1 < size) buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* "2,550 samples", "1 sample". */
static const char *samples_text(int64_t n, char *buf, size_t size)
{
    char c[32];
    snprintf(buf, size, "%s sample%s", tach__fmt_count(n, c, sizeof c), n == 1 ? "" : "s");
    return buf;
}

const char *tach__latency_thin_text(const tach__latency *l, const tach__lat_pct *q, char *buf,
                                    size_t size)
{
    char pn[16], calls[32], s[48];
    snprintf(buf, size, "%s from %s calls: %s", tach__lat_pname(q->p, pn, sizeof pn),
             tach__fmt_count(l->count, calls, sizeof calls), samples_text(q->samples, s, sizeof s));
    return buf;
}

static void one(tach__buf *b, const tach__result *r, bool markdown)
{
    const tach__latency *l = r->latency;
    char calls[32], t1[32], t2[32], t3[32], pn[16], s[48];
    tach__fmt_count(l->count, calls, sizeof calls);
    if (markdown) tach__buf_puts(b, "\n**");
    else tach__buf_puts(b, "\n");
    if (markdown) tach__md_text(b, r->name ? r->name : "?");
    else tach__buf_puts(b, r->name ? r->name : "?");
    tach__buf_printf(b, "%s: %s calls", markdown ? "**" : "", calls);
    if (l->lost) tach__buf_printf(b, " (%" PRId64 " outside 1 ns .. 1 h, not counted)", l->lost);
    tach__buf_puts(b, "\n");
    if (l->too_short || !l->count) {
        tach__buf_printf(b, "%s%s\n", markdown ? "\n" : "  ",
                         l->note ? l->note : "no calls were timed");
        return;
    }
    if (markdown)
        tach__buf_puts(b, "\n| percentile | value | 95% CI | samples above |\n| --- | ---: | --- | ---: |\n");
    else
        tach__buf_printf(b, "  %-7s %10s  %-23s  %s\n", "", "value", "95% CI", "samples above");
    for (size_t k = 0; k < TACH__LAT_NPCT; k++) {
        const tach__lat_pct *q = &l->pct[k];
        tach__fmt_time(q->value, t1, sizeof t1); /* as the console table: 999.9 µs is 1.00 ms */
        tach__fmt_time(q->lo, t2, sizeof t2); /* each bound in its own unit: a tail CI spans decades */
        if (isinf(q->hi)) snprintf(t3, sizeof t3, "unbounded"); /* too few above p to bound it */
        else tach__fmt_time(q->hi, t3, sizeof t3);
        samples_text(q->samples, s, sizeof s);
        const char *thin = tach__lat_thin(q) ? " (thin)" : "";
        char ci[80];
        snprintf(ci, sizeof ci, "[%s, %s]", t2, t3);
        if (markdown)
            tach__buf_printf(b, "| %s | %s | %s | %s%s |\n", tach__lat_pname(q->p, pn, sizeof pn),
                             t1, ci, s, thin);
        else {
            char padded[64], padci[96];
            tach__buf_printf(b, "  %-7s %s  %s  %s%s\n", tach__lat_pname(q->p, pn, sizeof pn),
                             tach__pad(t1, 10, padded, sizeof padded),
                             tach__pad(ci, -23, padci, sizeof padci), s, thin);
        }
    }
    tach__fmt_time(l->max, t1, sizeof t1);
    if (markdown) tach__buf_printf(b, "| max | %s | | |\n", t1);
    else {
        char padded[64];
        tach__buf_printf(b, "  %-7s %s\n", "max", tach__pad(t1, 10, padded, sizeof padded));
    }
    /* the thinnest tails, said in words once */
    for (size_t k = 0; k < TACH__LAT_NPCT; k++)
        if (tach__lat_thin(&l->pct[k])) {
            char why[128];
            tach__buf_printf(b, "%sThin tail (fewer than 10 samples above it): %s%s.\n",
                             markdown ? "\n" : "  ",
                             tach__latency_thin_text(l, &l->pct[k], why, sizeof why),
                             k + 1 < TACH__LAT_NPCT ? ", and the higher percentiles" : "");
            break;
        }
}

void tach__latency_section(tach__buf *b, const tach__doc *d, bool markdown)
{
    bool any = false;
    for (size_t i = 0; d && i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->latency) continue;
        if (!any) {
            tach__buf_puts(b, markdown ? "\n### Latency per call\n\nEach call timed on its own; percentiles "
                                         "from the histogram of every call (all rounds merged), 95% CIs "
                                         "by order statistics.\n"
                                       : "\nLatency per call (each call timed on its own; all rounds merged; "
                                         "95% CIs by order statistics)\n");
            any = true;
        }
        one(b, r, markdown);
    }
}
