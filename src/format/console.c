/* format_console.c - the console table and the unit formatting shared by every renderer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

const char *tach__fmt_time(double ns, char *buf, size_t size)
{
    static const struct { double scale; const char *unit; } units[] = {
        {1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1.0, "ns"}};
    if (!isfinite(ns)) {
        snprintf(buf, size, "-");
        return buf;
    }
    size_t u = 3;
    for (size_t i = 0; i < 3; i++)
        if (fabs(ns) >= units[i].scale) {
            u = i;
            break;
        }
    double v = ns / units[u].scale;
    /* Three significant digits: 1.23, 12.3, 123. */
    int prec = fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2;
    snprintf(buf, size, "%.*f %s", prec, v, units[u].unit);
    return buf;
}

const char *tach__fmt_rate(double per_sec, bool bytes, char *buf, size_t size)
{
    /* Decimal (SI) prefixes: 1 MB/s = 10^6 bytes per second. */
    static const struct { double scale; const char *b, *i; } units[] = {
        {1e12, "TB/s", "T/s"}, {1e9, "GB/s", "G/s"}, {1e6, "MB/s", "M/s"},
        {1e3, "kB/s", "k/s"}, {1.0, "B/s", "/s"}};
    if (!isfinite(per_sec) || per_sec <= 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    size_t u = 4;
    for (size_t i = 0; i < 4; i++)
        if (per_sec >= units[i].scale) {
            u = i;
            break;
        }
    double v = per_sec / units[u].scale;
    int prec = v >= 100 ? 1 : 2;
    snprintf(buf, size, "%.*f %s", prec, v, bytes ? units[u].b : units[u].i);
    return buf;
}

/* ---- table cells ------------------------------------------------------------ */

/* Display width of UTF-8 text: code points, not bytes (µ and ± are one column). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
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

typedef struct row { char cell[NCOLS][160]; int color; } row;

enum { C_NONE, C_GREEN, C_YELLOW, C_RED };

/* Makes the character at p safe to print and returns its length in bytes: a C0 or C1
 * control (newline, ESC, the 8-bit CSI U+009B) becomes spaces, a byte that does not
 * start valid UTF-8 becomes '?', anything else is kept. */
static size_t safe_char(char *p)
{
    unsigned char c = (unsigned char)p[0];
    if (c < 0x80) {
        if (c < 0x20 || c == 0x7f) p[0] = ' ';
        return 1;
    }
    size_t n = tach__utf8_len((const unsigned char *)p);
    if (n == 0) {
        p[0] = '?';
        return 1;
    }
    if (c == 0xC2 && (unsigned char)p[1] < 0xA0) p[0] = p[1] = ' '; /* U+0080..U+009F */
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
        double half = (s->median.hi - s->median.lo) / 2.0;
        if (isfinite(half) && s->median.value > 0)
            snprintf(out->cell[COL_CI], sizeof out->cell[COL_CI], "± %.1f%%",
                     100.0 * half / s->median.value);
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
        if (r->unstable || missed) {
            /* precision_achieved is the order-statistic CI (the stopping rule), which
             * is wider than the bootstrap CI in the "± 95% CI" column: say which. */
            char prec[64] = "";
            if (missed && !(brief && r->unstable))
                snprintf(prec, sizeof prec, ", precision ±%.1f%% (asked %.1f%%)",
                         100.0 * r->precision_achieved, 100.0 * r->precision_target);
            snprintf(out->cell[COL_STATUS], sizeof out->cell[COL_STATUS], "ok%s%s",
                     r->unstable ? (brief ? ", unstable" : ", unstable (CV > 5%)") : "", prec);
            out->color = C_YELLOW;
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
        while (*p) p += safe_char(p);
        while (p > out->cell[c] && p[-1] == ' ') *--p = '\0';
    }
}

char *tach__doc_to_table(const tach__doc *d, bool color, int width)
{
    (void)width; /* the status column is last, so a narrow terminal wraps only it */
    tach__buf b = {0};
    size_t n = d ? d->nresults : 0;
    row *rows = tach__calloc(n ? n : 1, sizeof *rows);
    if (!rows) return NULL;
    size_t w[NCOLS];
    for (int c = 0; c < NCOLS; c++) w[c] = display_width(headers[c]);
    bool any_rate = false;
    size_t unstable = 0;
    for (size_t i = 0; i < n; i++)
        unstable += d->results[i].status == TACH__OK && d->results[i].unstable;
    for (size_t i = 0; i < n; i++) {
        fill_row(&d->results[i], &rows[i], unstable >= 2);
        if (strcmp(rows[i].cell[COL_RATE], "-") != 0) any_rate = true;
        for (int c = 0; c < NCOLS; c++) {
            size_t cw = display_width(rows[i].cell[c]);
            if (cw > w[c]) w[c] = cw;
        }
    }
    for (int c = 0; c < NCOLS; c++) {
        if (c == COL_RATE && !any_rate) continue;
        if (c) tach__buf_puts(&b, "  ");
        sb_cell(&b, headers[c], c == NCOLS - 1 ? 0 : w[c], right_aligned[c]);
    }
    tach__buf_puts(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < NCOLS; c++) {
            if (c == COL_RATE && !any_rate) continue;
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
    if (unstable >= 2)
        tach__buf_printf(&b,
                         "\n%zu of %zu benchmarks are unstable (CV > 5%%): the machine was busy or "
                         "they are noisy, so their intervals are wide.\nFor numbers that hold: "
                         "more rounds (--rounds 10), a quieter machine, or, to compare two "
                         "builds, `tach ab OLD NEW` (interleaved).\n",
                         unstable, n);
    tach__free(rows);
    return tach__buf_take(&b);
}

static char *write_console(const tach__doc *d, size_t *len, char *err)
{
    char *text = tach__doc_to_table(d, false, 0);
    if (!text) tach__err(err, "out of memory");
    else if (len) *len = strlen(text);
    return text;
}

const tach__format tach__format_console = {
    .name = "console", .extensions = ".txt", .summary = "the console table, without colours",
    .write = write_console,
};
