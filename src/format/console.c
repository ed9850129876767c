/* console.c - the console table (the unit formatting every renderer shares is units.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgrind.h"
#include "format.h"
#include "suite_kind.h"

/* ---- table cells ------------------------------------------------------------ */

/* Display width of UTF-8 text in terminal columns (tach__display_width: µ one, 名 two). */
static size_t display_width(const char *s)
{
    return tach__display_width(s);
}

static void sb_cell(tach__buf *b, const char *s, size_t width, bool right)
{
    size_t w = display_width(s);
    if (right)
        for (; w < width; w++) tach__buf_put(b, " ", 1);
    tach__buf_puts(b, s);
    if (!right)
        for (; w < width; w++) tach__buf_put(b, " ", 1);
}

/* ---- the table -------------------------------------------------------------- */

enum { COL_NAME, COL_MEDIAN, COL_CI, COL_MEAN, COL_RATE, COL_SAMPLES, COL_CV, COL_OUTLIERS, COL_STATUS, NCOLS };

static const char *const headers[NCOLS] = {"benchmark", "median", "± 95% CI", "mean", "throughput",
                                           "samples", "CV", "outliers", "status"};
static const bool right_aligned[NCOLS] = {false, true, true, true, true, true, true, true, false};

/* User counters (tach_counter) get a column each, before the status, as in Google
 * Benchmark's console output; at most this many (the first names met). */
#define MAX_COUNTER_COLS 8

/* Memory and CPU counter columns (resources_text.c) come after the user counters. */
#define MAX_EXTRA_COLS (MAX_COUNTER_COLS + 16)

typedef struct row { char cell[NCOLS][160]; char counter[MAX_EXTRA_COLS][32]; int color; } row;

enum { C_NONE, C_GREEN, C_YELLOW, C_RED };

/* Decimals for a relative interval beside its precision target: one, or as many (up to
 * four) as it takes for a miss to show above the target (1.04% against 1.0%, not
 * 1.0% against 1.0%). */
static int precision_decimals(const tach__result *r, double rel)
{
    int d = 1;
    if (r->precision_reached || !(r->precision_target > 0) || !isfinite(rel)) return d;
    for (; d < 4; d++) {
        double k = pow(10, d);
        if (round(rel * 100 * k) > round(r->precision_target * 100 * k)) break;
    }
    return d;
}

/* The decimals that show the precision asked as it was asked (0.25%, not 0.2%), at least
 * d (those that tell the interval from it) and at most 4. */
static int target_decimals(double pct, int d)
{
    for (; d < 4; d++) {
        double k = pow(10, d);
        if (fabs(round(pct * k) - pct * k) < 1e-6) break;
    }
    return d;
}

/* The declared targets r misses, as ", missed median ≤ 10.0 ns (17.9 ns)" pieces in
 * buf; returns how many. */
static size_t missed_targets(const tach__result *r, char *buf, size_t size)
{
    if (!r->has_summary) return 0;
    const tach__summary *s = &r->summary;
    double bps = s->median.value > 0 && r->bytes_per_iter > 0 ? r->bytes_per_iter * 1e9 / s->median.value : NAN;
    double ips = s->median.value > 0 && r->items_per_iter > 0 ? r->items_per_iter * 1e9 / s->median.value : NAN;
    struct { const char *what; double limit, actual; bool max, time, bytes; } t[] = {
        {"mean ≤", r->max_mean_ns, s->mean.value, true, true, false},
        {"median ≤", r->max_median_ns, s->median.value, true, true, false},
        {"p99 ≤", r->max_p99_ns, s->p99, true, true, false},
        {"throughput ≥", r->min_bytes_per_sec, bps, false, false, true},
        {"items ≥", r->min_items_per_sec, ips, false, false, false},
    };
    size_t n = 0, len = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!(t[i].limit > 0)) continue;
        bool miss = isnan(t[i].actual) || (t[i].max ? t[i].actual > t[i].limit : t[i].actual < t[i].limit);
        if (!miss) continue;
        char a[32], b[32];
        if (t[i].time) {
            tach__fmt_time(t[i].limit, a, sizeof a);
            tach__fmt_time(t[i].actual, b, sizeof b);
        } else {
            tach__fmt_rate(t[i].limit, t[i].bytes, a, sizeof a);
            tach__fmt_rate(t[i].actual, t[i].bytes, b, sizeof b);
        }
        if (len < size) {
            int k = snprintf(buf + len, size - len, ", missed %s %s (%s)", t[i].what, a, b);
            if (k > 0) len += (size_t)k;
        }
        n++;
    }
    return n;
}

/* brief: several rows are unstable, so each says only "ok, unstable" and the table
 * ends with one note saying why and what to do (not a wall of the same warning). */
static void fill_row(const tach__result *r, row *out, bool brief)
{
    memset(out, 0, sizeof *out);
    snprintf(out->cell[COL_NAME], sizeof out->cell[COL_NAME], "%s", r->name ? r->name : "?");
    const char *dash = "-";
    for (int c = COL_MEDIAN; c < COL_STATUS; c++) snprintf(out->cell[c], sizeof out->cell[c], "%s", dash);
    if (r->has_summary && r->summary.n > 0) {
        const tach__summary *s = &r->summary;
        tach__fmt_time(s->median.value, out->cell[COL_MEDIAN], sizeof out->cell[COL_MEDIAN]);
        /* One interval per row: the one the precision rule judged (precision_achieved,
         * the order-statistic CI of the median), else the bootstrap CI of the median. */
        double rel = NAN;
        if (isfinite(r->precision_achieved) && r->precision_achieved > 0) rel = r->precision_achieved;
        else if (s->median.value > 0) rel = (s->median.hi - s->median.lo) / 2.0 / s->median.value;
        if (isfinite(rel))
            snprintf(out->cell[COL_CI], sizeof out->cell[COL_CI], "± %.*f%%",
                     precision_decimals(r, rel), 100.0 * rel);
        tach__fmt_time(s->mean.value, out->cell[COL_MEAN], sizeof out->cell[COL_MEAN]);
        if (s->median.value > 0 && r->bytes_per_iter > 0)
            tach__fmt_rate(r->bytes_per_iter * 1e9 / s->median.value, true, out->cell[COL_RATE],
                           sizeof out->cell[COL_RATE]);
        else if (s->median.value > 0 && r->items_per_iter > 0)
            tach__fmt_rate(r->items_per_iter * 1e9 / s->median.value, false, out->cell[COL_RATE],
                           sizeof out->cell[COL_RATE]);
        snprintf(out->cell[COL_SAMPLES], sizeof out->cell[COL_SAMPLES], "%zu", s->n);
        if (isfinite(s->cv))
            snprintf(out->cell[COL_CV], sizeof out->cell[COL_CV], "%.1f%%", 100.0 * s->cv);
        const tach__outliers *o = &s->outliers;
        size_t all = o->low_severe + o->low_mild + o->high_mild + o->high_severe;
        size_t severe = o->low_severe + o->high_severe;
        if (severe)
            snprintf(out->cell[COL_OUTLIERS], sizeof out->cell[COL_OUTLIERS], "%zu (%zu severe)", all,
                     severe);
        else
            snprintf(out->cell[COL_OUTLIERS], sizeof out->cell[COL_OUTLIERS], "%zu", all);
    }
    const char *st = tach__status_name(r->status);
    if (r->status == TACH__OK) {
        bool missed = !r->precision_reached && r->precision_target > 0 && r->has_summary;
        char targets[160] = "";
        size_t nmissed = missed_targets(r, targets, sizeof targets);
        nmissed += tach__resource_status(r, targets, sizeof targets); /* a leak, memory targets */
        if (r->unstable || missed || nmissed) {
            /* the interval is the one in the "± 95% CI" column, shown with the digits
             * that tell it from the target: only the target asked is said here */
            char prec[64] = "";
            if (missed && !(brief && r->unstable))
                snprintf(prec, sizeof prec, ", precision missed (asked %.*f%%)",
                         target_decimals(100.0 * r->precision_target,
                                         precision_decimals(r, r->precision_achieved)),
                         100.0 * r->precision_target);
            char *cell = out->cell[COL_STATUS];
            int n = snprintf(cell, sizeof out->cell[COL_STATUS], "ok%s%s%s",
                             r->unstable ? (brief ? ", unstable" : ", unstable (CV > 5%)") : "",
                             prec, targets);
            if (n >= (int)sizeof out->cell[COL_STATUS]) /* cut: say so */
                memcpy(cell + sizeof out->cell[COL_STATUS] - 4, "...", 4);
            out->color = nmissed ? C_RED : C_YELLOW;
        } else {
            snprintf(out->cell[COL_STATUS], sizeof out->cell[COL_STATUS], "ok");
            out->color = C_GREEN;
        }
    } else {
        if (r->message)
            snprintf(out->cell[COL_STATUS], sizeof out->cell[COL_STATUS], "%s: %s", st, r->message);
        else
            snprintf(out->cell[COL_STATUS], sizeof out->cell[COL_STATUS], "%s", st);
        out->color = r->status == TACH__SKIPPED ? C_YELLOW : C_RED;
    }
    /* A name or message may hold a newline or other control bytes (a benchmark's
     * own text): one row stays one line, and nothing reaches the terminal raw. */
    for (int c = 0; c < NCOLS; c++) {
        char *p = out->cell[c];
        if (strlen(p) == sizeof out->cell[c] - 1) tach__utf8_cut(p); /* full: maybe cut */
        tach__terminal_safe(p, false);
        p += strlen(p);
        while (p > out->cell[c] && p[-1] == ' ') *--p = '\0';
    }
}

/* The counter names of d's results, first met first, at most MAX_COUNTER_COLS, made
 * safe to print; returns how many. */
static size_t counter_names(const tach__doc *d, char names[][64])
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->nresults; i++)
        for (size_t k = 0; k < d->results[i].ncounters; k++) {
            const char *name = d->results[i].counters[k].name;
            if (!name) continue;
            size_t j = 0;
            char safe[64];
            snprintf(safe, sizeof safe, "%s", name);
            tach__terminal_safe(safe, false);
            while (j < n && strcmp(names[j], safe)) j++;
            if (j == n && n < MAX_COUNTER_COLS) memcpy(names[n++], safe, sizeof safe);
        }
    return n;
}

/* A counter's value as Google Benchmark shows one: three significant digits with
 * k, M, G, T for thousands and up ("12.3k"); from 1000T on, the number with its
 * exponent ("2.5e+15"), not a suffix on an exponent ("2.5e+03T"). */
static void fmt_counter(double v, char *buf, size_t size)
{
    static const char *const sfx[] = {"", "k", "M", "G", "T"};
    size_t u = 0;
    double a = fabs(v), s = v;
    while (u + 1 < sizeof sfx / sizeof sfx[0] && a >= 999.5) {
        a /= 1000;
        s /= 1000;
        u++;
    }
    if (!isfinite(v)) snprintf(buf, size, "-");
    else if (a >= 999.5) snprintf(buf, size, "%.3g", v);
    else snprintf(buf, size, "%.3g%s", s, sfx[u]);
}

static void fill_counters(const tach__result *r, char names[][64], size_t n, row *out)
{
    for (size_t k = 0; k < n; k++) {
        snprintf(out->counter[k], sizeof out->counter[k], "-");
        if (tach__resource_cell(r, names[k], out->counter[k], sizeof out->counter[k])) continue;
        for (size_t j = 0; j < r->ncounters; j++) {
            char safe[64];
            snprintf(safe, sizeof safe, "%s", r->counters[j].name ? r->counters[j].name : "");
            tach__terminal_safe(safe, false);
            if (!strcmp(safe, names[k])) fmt_counter(r->counters[j].value, out->counter[k], sizeof out->counter[k]);
        }
    }
}

char *tach__doc_to_table(const tach__doc *d, bool color, int width)
{
    (void)width; /* the status column is last, so a narrow terminal wraps only it */
    if (tach__doc_instr_mode(d)) return tach__instr_table(d, color); /* counts, not times */
    tach__buf b = {0};
    size_t n = d ? d->nresults : 0;
    row *rows = tach__calloc(n ? n : 1, sizeof *rows);
    if (!rows) return NULL;
    size_t w[NCOLS];
    for (int c = 0; c < NCOLS; c++) w[c] = display_width(headers[c]);
    char cname[MAX_EXTRA_COLS][64];
    size_t nc = counter_names(d, cname), cw[MAX_EXTRA_COLS];
    nc = tach__resource_columns(d, cname, nc, MAX_EXTRA_COLS);
    for (size_t k = 0; k < nc; k++) cw[k] = display_width(cname[k]);
    bool any_rate = false;
    /* a reference suite's run (docs/suites.md): a storage or bus row's samples are parts
     * of one run of the workload, whose spread is the workload's, so no row is called
     * unstable (as in reports and certificates); the others sample for --time */
    const char *suite = json_string_value(json_object_get(json_object_get(d ? d->context : NULL, "suite"), "name"));
    bool cv_free = tach__suite_one_run(tach__suite_kind_of(suite));
    size_t unstable = 0;
    for (size_t i = 0; i < n && !cv_free; i++)
        unstable += d->results[i].status == TACH__OK && d->results[i].unstable;
    for (size_t i = 0; i < n; i++) {
        tach__result r = d->results[i];
        r.unstable = r.unstable && !cv_free;
        fill_row(&r, &rows[i], unstable >= 2);
        fill_counters(&d->results[i], cname, nc, &rows[i]);
        if (strcmp(rows[i].cell[COL_RATE], "-") != 0) any_rate = true;
        for (int c = 0; c < NCOLS; c++) {
            size_t l = display_width(rows[i].cell[c]);
            if (l > w[c]) w[c] = l;
        }
        for (size_t k = 0; k < nc; k++)
            if (display_width(rows[i].counter[k]) > cw[k]) cw[k] = display_width(rows[i].counter[k]);
    }
    for (int c = 0; c < NCOLS; c++) {
        if (c == COL_RATE && !any_rate) continue;
        for (size_t k = 0; c == COL_STATUS && k < nc; k++) {
            tach__buf_puts(&b, "  ");
            sb_cell(&b, cname[k], cw[k], true);
        }
        if (c) tach__buf_puts(&b, "  ");
        sb_cell(&b, headers[c], c == NCOLS - 1 ? 0 : w[c], right_aligned[c]);
    }
    tach__buf_puts(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < NCOLS; c++) {
            if (c == COL_RATE && !any_rate) continue;
            for (size_t k = 0; c == COL_STATUS && k < nc; k++) {
                tach__buf_puts(&b, "  ");
                sb_cell(&b, rows[i].counter[k], cw[k], true);
            }
            if (c) tach__buf_puts(&b, "  ");
            bool paint = color && c == COL_STATUS && rows[i].color != C_NONE;
            if (paint)
                tach__buf_puts(&b, rows[i].color == C_GREEN ? "\033[32m"
                            : rows[i].color == C_YELLOW ? "\033[33m" : "\033[31m");
            sb_cell(&b, rows[i].cell[c], c == NCOLS - 1 ? 0 : w[c], right_aligned[c]);
            if (paint) tach__buf_puts(&b, "\033[0m");
        }
        tach__buf_puts(&b, "\n");
    }
    tach__table_fits(d, &b);
    if (unstable >= 2) {
        /* the way to more samples that the tool which made the document takes */
        const char *tool = json_string_value(json_object_get(d->context, "tool"));
        const json_t *st = json_object_get(d->context, "settings");
        const char *more = "more rounds (--rounds 10)"; /* a benchmark binary itself */
        char suite_more[96];
        if (suite) { /* a suite has no rounds, and its two builds are not tach ab's to compare */
            /* named only when it is one of the suites: the document's name may be anything,
             * control characters too, and is not the table's to print raw */
            const char *name = tach__suite_name(tach__suite_kind_of(suite));
            if (name)
                snprintf(suite_more, sizeof suite_more, "a longer sampling time (tach suite %s --time 2)", name);
            else
                snprintf(suite_more, sizeof suite_more, "a longer sampling time (tach suite --time 2)");
            more = suite_more;
        } else if (tool && !strcmp(tool, "tach run")) {
            more = json_object_get(st, "processes") ? "more worker processes (tach run --processes 10)"
                                                    : "more runs (tach run --runs 30)";
        } else if (tool && !strcmp(tool, "tach load")) {
            more = "a longer run (tach load --duration 60)";
        }
        tach__buf_printf(&b,
                         "\n%zu of %zu benchmarks are unstable (CV > 5%%): the machine was busy or "
                         "they are noisy, so their intervals are wide.\nFor numbers that hold: "
                         "%s%s.\n",
                         unstable, n, more,
                         suite ? " or a quieter machine"
                               : ", a quieter machine, or, to compare two builds, `tach ab OLD NEW` "
                                 "(interleaved)");
    }
    tach__resource_notes(d, &b);
    tach__latency_section(&b, d, false);
    tach__free(rows);
    return tach__buf_take(&b);
}

static char *write_console(const tach__doc *d, size_t *len, char *err)
{
    char *text = tach__doc_to_table(d, false, 0);
    if (text && d->partial) { /* an interrupted run, said under the table as tach profile says it */
        /* a suite stopped by itself (a full disk, a lost broker) says why in its document;
         * not printed here, as any text a document holds is not the table's to print raw */
        const char *why = json_string_value(json_object_get(json_object_get(d->context, "suite"), "stopped"));
        tach__buf b = {0};
        tach__buf_printf(&b, "%spartial: %s (the results measured until then, not the whole run)\n", text,
                         why && *why && strcmp(why, "interrupted") ? "stopped early" : "interrupted");
        tach__free(text);
        text = tach__buf_take(&b);
    }
    if (text && tach__doc_quick(d)) { /* a suite's --quick run, said under the table */
        tach__buf b = {0};
        tach__buf_printf(&b, "%sQuick run (--quick): a smoke test with few samples; not figures to publish.\n",
                         text);
        tach__free(text);
        text = tach__buf_take(&b);
    }
    if (!text) tach__err(err, "out of memory");
    else if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_console = {
    .name = "console", .extensions = ".txt", .summary = "the console table, without colours",
    .write = write_console,
};
