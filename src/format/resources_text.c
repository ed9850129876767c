/*
 * resources_text.c - memory and CPU counters as people read them: the console
 * table's extra columns (allocs/iter, bytes/iter, peak, each counter measured, IPC),
 * the status pieces (a leak, a missed memory target) and the notes under the table
 * (why memory was not counted, which counters are absent and why).  The reports
 * (src/report/) use the same texts.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

const char *tach__fmt_bytes(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    if (!isfinite(bytes)) {
        snprintf(buf, size, "-");
        return buf;
    }
    size_t u = 0;
    double v = bytes;
    while (u + 1 < sizeof units / sizeof units[0] && fabs(v) >= 1024) {
        v /= 1024;
        u++;
    }
    /* a million TiB or more (1e300 read from a file): %g-style, as tach__fmt_time does,
     * not hundreds of digits that a cell cuts before the unit */
    if (fabs(v) >= 1e6) snprintf(buf, size, "%.3g %s", v, units[u]);
    else if (u == 0 && v == floor(v)) snprintf(buf, size, "%.0f B", v);
    else snprintf(buf, size, "%.*f %s", fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2, v, units[u]);
    return buf;
}

/* Three significant digits with k, M, G for thousands and up (the user counters'
 * style); whole numbers below 1000 as they are. */
static void fmt_count(double v, char *buf, size_t size)
{
    static const char *const sfx[] = {"", "k", "M", "G", "T"};
    size_t u = 0;
    while (u + 1 < sizeof sfx / sizeof sfx[0] && fabs(v) >= 999.5) {
        v /= 1000;
        u++;
    }
    if (!isfinite(v)) snprintf(buf, size, "-");
    else if (u == 0 && v == floor(v)) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.3g%s", v, sfx[u]);
}

/* ns with a unit, three significant digits (as tach__fmt_time, which lives in the
 * console table's file: that file calls this one). */
static void fmt_ns(double ns, char *buf, size_t size)
{
    static const struct { double scale; const char *unit; } units[] = {
        {1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1.0, "ns"}};
    size_t u = 3;
    for (size_t i = 0; i < 3; i++)
        if (fabs(ns) >= units[i].scale) {
            u = i;
            break;
        }
    double v = ns / units[u].scale;
    if (!isfinite(v)) snprintf(buf, size, "-");
    else if (fabs(v) >= 1e6) snprintf(buf, size, "%.3g %s", v, units[u].unit);
    else snprintf(buf, size, "%.*f %s", fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2, v, units[u].unit);
}

static const char *const memory_columns[] = {"allocs/iter", "bytes/iter", "peak"};
#define NMEMCOLS (sizeof memory_columns / sizeof memory_columns[0])

static size_t add_name(char names[][64], size_t n, size_t max, const char *name)
{
    for (size_t j = 0; j < n; j++)
        if (!strcmp(names[j], name)) return n;
    if (n < max) snprintf(names[n++], 64, "%s", name);
    return n;
}

size_t tach__resource_columns(const tach__doc *d, char names[][64], size_t n, size_t max)
{
    bool memory = false, ipc = false;
    for (size_t i = 0; d && i < d->nresults; i++) {
        memory = memory || d->results[i].memory.measured;
        ipc = ipc || isfinite(tach__hw_ipc(&d->results[i]));
    }
    for (size_t k = 0; memory && k < NMEMCOLS; k++) n = add_name(names, n, max, memory_columns[k]);
    for (size_t i = 0; d && i < d->nresults; i++)
        for (size_t k = 0; k < d->results[i].nhw; k++) {
            char safe[64];
            snprintf(safe, sizeof safe, "%s", d->results[i].hw[k].name);
            tach__terminal_safe(safe, false);
            n = add_name(names, n, max, safe);
        }
    if (ipc) n = add_name(names, n, max, "IPC");
    return n;
}

bool tach__resource_cell(const tach__result *r, const char *name, char *buf, size_t size)
{
    const tach__memory *m = &r->memory;
    for (size_t k = 0; k < NMEMCOLS; k++) {
        if (strcmp(name, memory_columns[k]) != 0) continue;
        if (!m->measured) snprintf(buf, size, "-");
        else if (k == 0) fmt_count(m->allocs_per_iter, buf, size);
        else tach__fmt_bytes(k == 1 ? m->bytes_per_iter : m->peak_bytes, buf, size);
        return true;
    }
    if (!strcmp(name, "IPC")) {
        double v = tach__hw_ipc(r);
        if (isfinite(v)) snprintf(buf, size, "%.2f", v);
        else snprintf(buf, size, "-");
        return true;
    }
    for (size_t k = 0; k < r->nhw; k++) {
        char safe[64];
        snprintf(safe, sizeof safe, "%s", r->hw[k].name);
        tach__terminal_safe(safe, false);
        if (strcmp(safe, name) != 0) continue;
        if (!strcmp(r->hw[k].name, "task-clock")) fmt_ns(r->hw[k].per_iter, buf, size);
        else fmt_count(r->hw[k].per_iter, buf, size);
        if (r->hw[k].scaled && strlen(buf) + 2 < size) strcat(buf, "*");
        return true;
    }
    for (size_t k = 0; k < r->nhw_absent; k++)
        if (!strcmp(r->hw_absent[k].name, name)) {
            snprintf(buf, size, "n/a");
            return true;
        }
    return false;
}

size_t tach__resource_status(const tach__result *r, char *buf, size_t size)
{
    const tach__memory *m = &r->memory;
    size_t n = 0, len = strlen(buf);
    char a[32], b[32];
#define PIECE(...)                                                     \
    do {                                                               \
        if (len < size) {                                              \
            int k_ = snprintf(buf + len, size - len, __VA_ARGS__);     \
            if (k_ > 0) len += (size_t)k_;                             \
        }                                                              \
        n++;                                                           \
    } while (0)
    if (m->measured && m->leak)
        PIECE(", LEAK +%s/iter", tach__fmt_bytes(m->net_growth_per_iter, a, sizeof a));
    /* A negative target is a target of zero (TACH_ZERO, tach.h). */
    double max_allocs = r->max_allocs_per_iter < 0 ? 0 : r->max_allocs_per_iter;
    if (r->max_allocs_per_iter != 0 && !(m->measured && m->allocs_per_iter <= max_allocs)) {
        fmt_count(max_allocs, a, sizeof a);
        fmt_count(m->measured ? m->allocs_per_iter : NAN, b, sizeof b);
        PIECE(", missed allocs/iter ≤ %s (%s)", a, b);
    }
    struct { const char *what; double limit, actual; } t[] = {
        {"bytes/iter", r->max_bytes_per_iter, m->measured ? m->bytes_per_iter : NAN},
        {"peak", r->max_peak_bytes, m->measured ? m->peak_bytes : NAN},
        {"RSS", r->max_rss_bytes, tach__result_peak_rss(r)},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (t[i].limit < 0) t[i].limit = 0; /* TACH_ZERO */
        else if (!(t[i].limit > 0)) continue;
        if (t[i].actual <= t[i].limit) continue;
        PIECE(", missed %s ≤ %s (%s)", t[i].what, tach__fmt_bytes(t[i].limit, a, sizeof a),
              tach__fmt_bytes(t[i].actual, b, sizeof b));
    }
#undef PIECE
    return n;
}

static bool has_reason(const tach__result *r, const char *why)
{
    return r->memory.unavailable && !strcmp(r->memory.unavailable, why);
}

/* "a, b: " naming the results that could not count their memory for why (at most 4,
 * then "and N more"), or nothing when every benchmark that ran shares it (ASan, a
 * static executable): a reason of one benchmark's pass (its counting process crashed)
 * must say which. */
static char *reason_names(const tach__doc *d, const char *why)
{
    bool everyone = true;
    size_t n = 0;
    for (size_t i = 0; i < d->nresults; i++) {
        if (has_reason(&d->results[i], why)) n++;
        else if (d->results[i].status == TACH__OK) everyone = false;
    }
    if (everyone) return NULL;
    tach__buf names = {0};
    size_t shown = 0;
    for (size_t i = 0; i < d->nresults && shown < 4; i++) {
        if (!has_reason(&d->results[i], why)) continue;
        const char *name = d->results[i].name ? d->results[i].name : "?";
        tach__buf_printf(&names, "%s%s", shown++ ? ", " : "", name);
    }
    if (n > shown) tach__buf_printf(&names, " and %zu more", n - shown);
    char *text = tach__buf_take(&names);
    if (text) tach__terminal_safe(text, false);
    return text;
}

void tach__resource_notes(const tach__doc *d, tach__buf *b)
{
    bool first = true;
    /* memory that could not be counted: one line per reason, naming the benchmarks */
    for (size_t i = 0; d && i < d->nresults; i++) {
        const char *why = d->results[i].memory.unavailable;
        bool seen = false;
        for (size_t j = 0; why && j < i; j++) seen = seen || has_reason(&d->results[j], why);
        if (!why || seen) continue;
        char *names = reason_names(d, why);
        tach__buf_printf(b, "%s%s%s%s\n", first ? "\n" : "", names ? names : "", names ? ": " : "", why);
        tach__free(names);
        first = false;
    }
    /* absent counters, grouped by reason: "cycles, instructions: why" */
    for (size_t i = 0; d && i < d->nresults; i++)
        for (size_t k = 0; k < d->results[i].nhw_absent; k++) {
            const char *why = d->results[i].hw_absent[k].why;
            bool seen = false;
            for (size_t j = 0; j <= i && !seen; j++)
                for (size_t l = 0; l < d->results[j].nhw_absent && !(j == i && l >= k); l++)
                    if (!strcmp(d->results[j].hw_absent[l].why, why)) {
                        seen = true;
                        break;
                    }
            if (seen) continue;
            /* every name with this reason, over all results, once each */
            tach__buf names = {0};
            for (size_t j = 0; j < d->nresults; j++)
                for (size_t l = 0; l < d->results[j].nhw_absent; l++) {
                    const tach__hwabsent *a = &d->results[j].hw_absent[l];
                    if (strcmp(a->why, why) != 0) continue;
                    if (names.p && strstr(names.p, a->name)) continue;
                    tach__buf_printf(&names, "%s%s", names.len ? ", " : "", a->name);
                }
            char *text = tach__buf_take(&names);
            tach__buf_printf(b, "%scounters not available: %s: %s\n", first ? "\n" : "",
                             text ? text : "", why);
            tach__free(text);
            first = false;
        }
}
