/* suite_profile.c - the tables teams publish from a `tach suite` run, in reports and
 * certificates: compression profile, encryption profile, storage, bus. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "suite_kind.h"

static const char *param(const tach__result *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, name)) return r->params[i].value;
    return NULL;
}

static double rate(const tach__result *r)
{
    if (r->status != TACH__OK || !r->has_summary || !(r->summary.median.value > 0) || !(r->bytes_per_iter > 0))
        return NAN;
    return r->bytes_per_iter * 1e9 / r->summary.median.value;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

const char *tool_rep_size_label(const char *bytes, char *buf, size_t size)
{
    double v = bytes ? atof(bytes) : 0;
    if (v >= 1048576 && fmod(v, 1048576) == 0) snprintf(buf, size, "%.0f MiB", v / 1048576);
    else if (v >= 1024 && fmod(v, 1024) == 0) snprintf(buf, size, "%.0f KiB", v / 1024);
    else snprintf(buf, size, "%.0f B", v);
    return buf;
}

/* ---- a table in either form ------------------------------------------------------ */

typedef struct tbl {
    tool_sb *b;
    bool html;
    const json_t *notes; /* context.suite.notes: listed under the table (t_end) */
    size_t rows;         /* rows written (t_row) */
} tbl;

static void t_open(tbl *t, const char *id, const char *title, const char *hdr, bool quick)
{
    if (t->html) {
        tool_sb_printf(t->b, "<section id=\"%s\"><h2>", id);
        tool_sb_esc_xml(t->b, title);
        tool_sb_put(t->b, "</h2>");
        if (quick) tool_sb_put(t->b, "<p><b>Quick run (--quick)</b>: a smoke test with few samples, not figures to publish.</p>");
        tool_sb_put(t->b, "<div class=\"scroll\"><table><thead><tr>");
    } else {
        tool_sb_printf(t->b, "## %s\n\n", title);
        if (quick) tool_sb_put(t->b, "**Quick run (--quick)**: a smoke test with few samples, not figures to publish.\n\n");
        tool_sb_put(t->b, "|");
    }
    size_t cols = 0;
    for (const char *p = hdr; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        tool_sb_put(t->b, t->html ? "<th>" : " ");
        tool_sb_putn(t->b, p, n);
        tool_sb_put(t->b, t->html ? "</th>" : " |");
        cols++;
        p += n + (e ? 1 : 0);
    }
    if (t->html) tool_sb_put(t->b, "</tr></thead><tbody>");
    else {
        tool_sb_put(t->b, "\n|");
        for (size_t i = 0; i < cols; i++) tool_sb_put(t->b, " --- |");
        tool_sb_put(t->b, "\n");
    }
}

static void t_row(tbl *t, const char *const *cells, size_t n)
{
    t->rows++;
    tool_sb_put(t->b, t->html ? "<tr>" : "|");
    for (size_t i = 0; i < n; i++) {
        tool_sb_put(t->b, t->html ? "<td>" : " ");
        if (t->html) tool_sb_esc_xml(t->b, cells[i]);
        else tool_sb_esc_md(t->b, cells[i]);
        tool_sb_put(t->b, t->html ? "</td>" : " |");
    }
    tool_sb_put(t->b, t->html ? "</tr>" : "\n");
}

static void t_close(tbl *t)
{
    tool_sb_put(t->b, t->html ? "</tbody></table></div>" : "\n");
    if (!t->rows) /* a run stopped before its first row: not a table of headers alone */
        tool_sb_put(t->b, t->html ? "<p>No row was measured.</p>" : "No row was measured.\n\n");
}

/* The suite's notes (what it could not measure, or measured with a caveat: a job
 * skipped, a job that waited for a CPU), as the terminal prints them under its table:
 * never a silent gap in what is published. */
static void t_end(tbl *t)
{
    size_t n = json_array_size(t->notes);
    if (n) {
        tool_sb_put(t->b, t->html ? "<p>Notes:</p><ul>" : "Notes:\n\n");
        for (size_t i = 0; i < n; i++) {
            const char *note = json_string_value(json_array_get(t->notes, i));
            if (!note) continue;
            tool_sb_put(t->b, t->html ? "<li>" : "- ");
            if (t->html) tool_sb_esc_xml(t->b, note);
            else tool_sb_esc_md(t->b, note);
            tool_sb_put(t->b, t->html ? "</li>" : "\n");
        }
        tool_sb_put(t->b, t->html ? "</ul>" : "\n");
    }
    if (t->html) tool_sb_put(t->b, "</section>\n");
}

static void t_para(tbl *t, const char *s)
{
    tool_sb_put(t->b, t->html ? "<p>" : "");
    if (t->html) tool_sb_esc_xml(t->b, s);
    else tool_sb_esc_md(t->b, s);
    tool_sb_put(t->b, t->html ? "</p>" : "\n\n");
}

/* ---- compression ------------------------------------------------------------------ */

/* A compression row's codec and level: its params, or (a failed row may keep only its
 * name) compression/CODEC/LEVEL/SIDE.  false when it is not such a row. */
static bool codec_level(const tach__result *r, char *codec, size_t size, int *level)
{
    const char *c = param(r, "codec"), *lv = param(r, "level");
    if (c && lv) {
        snprintf(codec, size, "%s", c);
        *level = atoi(lv);
        return true;
    }
    if (strncmp(r->name, "compression/", 12)) return false;
    const char *p = r->name + 12, *sl = strchr(p, '/');
    if (!sl || sl == p || (size_t)(sl - p) >= size) return false;
    snprintf(codec, size, "%.*s", (int)(sl - p), p);
    *level = atoi(sl + 1);
    return true;
}

/* "1-9", "1, 6, 9": levels (ascending, distinct) as ranges, appended to buf */
static void level_ranges(const int *lv, size_t nl, char *buf, size_t size)
{
    for (size_t a = 0; a < nl;) {
        size_t z = a;
        while (z + 1 < nl && lv[z + 1] == lv[z] + 1) z++;
        size_t len = strlen(buf);
        const char *sep = a ? ", " : "";
        if (z > a + 1) snprintf(buf + len, size - len, "%s%d-%d", sep, lv[a], lv[z]);
        else if (z == a + 1) snprintf(buf + len, size - len, "%s%d, %d", sep, lv[a], lv[z]);
        else snprintf(buf + len, size - len, "%s%d", sep, lv[a]);
        a = z + 1;
    }
}

static void add_level(int *lv, size_t *nl, int level)
{
    size_t i = 0;
    while (i < *nl && lv[i] < level) i++;
    if ((i < *nl && lv[i] == level) || *nl >= 64) return;
    memmove(lv + i + 1, lv + i, (*nl - i) * sizeof *lv);
    lv[i] = level;
    (*nl)++;
}

static void compression(tbl *t, const tach__doc *doc, json_t *s, bool quick)
{
    t_open(t, "suite-profile", "Compression profile",
           "codec|default level|levels measured|best ratio|best compression MB/s|decompression MB/s at default",
           quick);
    char codecs[64][48];
    size_t nc = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        char c[48];
        int level;
        if (!codec_level(&doc->results[i], c, sizeof c, &level)) continue;
        bool seen = false;
        for (size_t k = 0; k < nc && !seen; k++) seen = !strcmp(codecs[k], c);
        if (!seen && nc < 64) snprintf(codecs[nc++], sizeof codecs[0], "%s", c);
    }
    static const struct { const char *codec; int level; } defaults[] = {
        {"zlib", 6}, {"libdeflate", 6}, {"zstd", 3}, {"lz4", 1}, {"lz4hc", 9}, {"brotli", 11},
        {"snappy", 1}, {"xz", 6}, {"bzip2", 9}};
    for (size_t k = 0; k < nc; k++) {
        int def = -1, best_rl = 0, best_sl = 0, lv[64], bad[64];
        size_t nl = 0, nb = 0;
        double best_ratio = NAN, best_speed = NAN, dec_def = NAN;
        const char *dec_status = NULL;
        for (size_t d = 0; d < sizeof defaults / sizeof *defaults; d++)
            if (!strcmp(defaults[d].codec, codecs[k])) def = defaults[d].level;
        /* a level is measured when both its sides ended ok; else it failed */
        for (size_t i = 0; i < doc->nresults; i++) {
            const tach__result *r = &doc->results[i];
            char c[48];
            int level;
            if (!codec_level(r, c, sizeof c, &level) || strcmp(c, codecs[k])) continue;
            if (r->status != TACH__OK) add_level(bad, &nb, level);
        }
        for (size_t i = 0; i < doc->nresults; i++) {
            const tach__result *r = &doc->results[i];
            char c[48];
            int level;
            if (!codec_level(r, c, sizeof c, &level) || strcmp(c, codecs[k])) continue;
            bool failed = false;
            for (size_t j = 0; j < nb && !failed; j++) failed = bad[j] == level;
            if (!failed) add_level(lv, &nl, level);
            if (ends_with(r->name, "/compress") && r->status == TACH__OK && !failed) {
                double ratio = tach__result_counter(r, "ratio"), sp = rate(r);
                if (isnan(best_ratio) || ratio > best_ratio) best_ratio = ratio, best_rl = level;
                if (isnan(best_speed) || sp > best_speed) best_speed = sp, best_sl = level;
            } else if (ends_with(r->name, "/decompress") && level == def) {
                dec_def = rate(r);
                if (r->status != TACH__OK) dec_status = tach__status_name(r->status);
            }
        }
        char c1[16], c2[200] = "", c3[48], c4[48], c5[32];
        snprintf(c1, sizeof c1, def >= 0 ? "%d" : "-", def);
        level_ranges(lv, nl, c2, sizeof c2);
        if (nb) { /* failed levels are not measured ones: said apart */
            size_t len = strlen(c2);
            snprintf(c2 + len, sizeof c2 - len, "%sFAILED: ", len ? "; " : "");
            level_ranges(bad, nb, c2 + strlen(c2), sizeof c2 - strlen(c2));
        }
        if (isnan(best_ratio)) snprintf(c3, sizeof c3, "-");
        else snprintf(c3, sizeof c3, "%.3f (-%d)", best_ratio, best_rl);
        if (isnan(best_speed)) snprintf(c4, sizeof c4, "-");
        else snprintf(c4, sizeof c4, "%.*f (-%d)", tool_rep_rate_digits(best_speed / 1e6, 1), best_speed / 1e6, best_sl);
        if (dec_status) snprintf(c5, sizeof c5, "%s", dec_status);
        else if (isnan(dec_def)) snprintf(c5, sizeof c5, "-");
        else snprintf(c5, sizeof c5, "%.*f", tool_rep_rate_digits(dec_def / 1e6, 1), dec_def / 1e6);
        const char *cells[] = {codecs[k], c1, c2, c3, c4, c5};
        t_row(t, cells, 6);
    }
    t_close(t);
    const char *rec = json_string_value(json_object_get(s, "recommendation"));
    if (rec) {
        char line[400];
        snprintf(line, sizeof line, "Recommendation: %s.", rec);
        t_para(t, line);
    }
    if (t->html) {
        tool_svg_point pts[512];
        size_t n = 0;
        for (size_t i = 0; i < doc->nresults && n < 512; i++) {
            const tach__result *r = &doc->results[i];
            const char *c = param(r, "codec"), *lv = param(r, "level");
            if (!c || !lv || !ends_with(r->name, "/compress") || r->status != TACH__OK) continue;
            pts[n++] = (tool_svg_point){c, atoi(lv), rate(r) / 1e6,
                                        tach__result_counter(r, "ratio"), false};
        }
        tool_sb_put(t->b, "<h3>Ratio against speed</h3>");
        tool_svg_pareto(t->b, pts, n, 720, 380);
    }
    t_end(t);
}

/* ---- encryption ------------------------------------------------------------------ */

/* The hardware acceleration column says what each library's code for the algorithm
 * uses on this CPU (tool_crypto_accel), not what the CPU offers.  Every size measured
 * is a column. */
static void crypto(tbl *t, const tach__doc *doc, bool quick)
{
    const char **sizes = tach__malloc((doc->nresults + 1) * sizeof *sizes);
    char *cells = tach__malloc((doc->nresults + 1) * 32);
    const char **cp = tach__malloc((doc->nresults + 3) * sizeof *cp);
    tool_sb hdr;
    tool_sb_init(&hdr);
    if (!sizes || !cells || !cp) {
        t->b->oom = true;
        goto out;
    }
    size_t ns = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        const char *sz = param(&doc->results[i], "size");
        bool seen = !sz;
        for (size_t k = 0; k < ns && !seen; k++) seen = !strcmp(sizes[k], sz);
        if (!seen) sizes[ns++] = sz;
    }
    tool_sb_put(&hdr, "algorithm|library|hardware acceleration");
    for (size_t k = 0; k < ns; k++) { /* 1 MiB, 16 KiB, 64 B: as the terminal's table */
        char lab[32];
        tool_sb_printf(&hdr, "|GB/s at %s", tool_rep_size_label(sizes[k], lab, sizeof lab));
    }
    if (hdr.oom) {
        t->b->oom = true;
        goto out;
    }
    t_open(t, "suite-profile", "Encryption profile", hdr.p, quick);
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        const char *lib = param(r, "library"), *alg = param(r, "algorithm");
        if (!lib || !alg) continue;
        bool first = true;
        for (size_t k = 0; k < i && first; k++) {
            const char *l2 = param(&doc->results[k], "library"), *a2 = param(&doc->results[k], "algorithm");
            first = !(l2 && a2 && !strcmp(l2, lib) && !strcmp(a2, alg));
        }
        if (!first) continue;
        cp[0] = alg, cp[1] = lib, cp[2] = tool_crypto_accel(lib, alg, doc->context);
        for (size_t k = 0; k < ns; k++) {
            char *cell = cells + 32 * k;
            snprintf(cell, 32, "-");
            for (size_t j = i; j < doc->nresults; j++) {
                const tach__result *q = &doc->results[j];
                const char *l2 = param(q, "library"), *a2 = param(q, "algorithm"), *s2 = param(q, "size");
                if (l2 && a2 && s2 && !strcmp(l2, lib) && !strcmp(a2, alg) && !strcmp(s2, sizes[k])) {
                    double v = rate(q);
                    if (q->status != TACH__OK) snprintf(cell, 32, "%s", tach__status_name(q->status));
                    else if (!isnan(v)) snprintf(cell, 32, "%.*f", tool_rep_rate_digits(v / 1e9, 3), v / 1e9);
                }
            }
            cp[3 + k] = cell;
        }
        t_row(t, cp, 3 + ns);
    }
    t_close(t);
    const char *mask = json_string_value(
        json_object_get(json_object_get(json_object_get(doc->context, "cpu_features"), "openssl"), "OPENSSL_ia32cap"));
    if (mask && *mask) {
        char line[300];
        snprintf(line, sizeof line, "OpenSSL ran with OPENSSL_ia32cap=%s: the features it masks are not used.", mask);
        t_para(t, line);
    }
    t_end(t);
out:
    tool_sb_free(&hdr);
    tach__free(sizes);
    tach__free(cells);
    tach__free(cp);
}

/* ---- storage and bus ---------------------------------------------------------------- */

static void fmt_ns(double ns, char *buf, size_t size)
{
    if (isnan(ns)) snprintf(buf, size, "-");
    else tach__fmt_time(ns, buf, size);
}

/* "[lo, hi]" of a rate's 95% CI (counters NAME_ci_low and NAME_ci_high, the suite's
 * samples resampled: a job's intervals, a row's batches), in units of scale, with the
 * rate's own decimals (tool_rep_rate_digits of the figure, as the suite's tables); "-" where
 * there is no rate, and "no CI: 1 interval" where too few samples gave none. */
static void ci_cell(const tach__result *r, const char *name, double scale, int digits,
                    const char *sample, const char *samples, char *buf, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "%s_ci_low", name);
    double lo = tach__result_counter(r, key);
    snprintf(key, sizeof key, "%s_ci_high", name);
    double hi = tach__result_counter(r, key);
    if (r->status != TACH__OK || isnan(tach__result_counter(r, name))) snprintf(buf, size, "-");
    else if (isnan(lo) || isnan(hi)) /* fewer than 2 intervals or batches: none to give */
        snprintf(buf, size, "no CI: %zu %s", r->nsamples, r->nsamples == 1 ? sample : samples);
    else {
        digits = tool_rep_rate_digits(tach__result_counter(r, name) / scale, digits);
        snprintf(buf, size, "[%.*f, %.*f]", digits, lo / scale, digits, hi / scale);
    }
}

/* MB/s is the job's bytes over its time (fio's bw) with its 95% CI from the job's
 * intervals resampled, as the suite's own table shows it. */
static void storage(tbl *t, const tach__doc *doc, bool quick)
{
    t_open(t, "suite-profile", "Storage", "job|MB/s|MB/s 95% CI|IOPS|p99", quick);
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        if (strncmp(r->name, "storage/", 8)) continue;
        char mb[32], ci[64] = "-", iops[32], p99[32];
        bool sync = param(r, "rw") && strstr(param(r, "rw"), "sync");
        double v = tach__result_counter(r, "bw_bytes"); /* bytes over the job's time, as fio's bw */
        if (isnan(v)) v = rate(r);
        snprintf(mb, sizeof mb, sync || isnan(v) ? "-" : "%.*f", tool_rep_rate_digits(v / 1e6, 1), v / 1e6);
        if (!sync) ci_cell(r, "bw_bytes", 1e6, 1, "interval", "intervals", ci, sizeof ci);
        double io = tach__result_counter(r, "iops");
        snprintf(iops, sizeof iops, isnan(io) ? "-" : "%.0f", io);
        fmt_ns(tach__result_counter(r, sync ? "lat_ns.percentile.99.000000" : "clat_ns.percentile.99.000000"), p99, sizeof p99);
        const char *cells[] = {r->name + 8, r->status == TACH__OK ? mb : tach__status_name(r->status), ci, iops, p99};
        t_row(t, cells, 5);
    }
    t_close(t);
    t_end(t);
}

/* msgs/s closed loop; p99 from the open-loop row at its rate, marked INVALID when the
 * publisher could not hold that rate (its latencies are then the generator's), or, with
 * no open-loop row (request-reply), the closed-loop round trip: the last column says
 * which. */
static void bus(tbl *t, const tach__doc *doc, bool quick)
{
    t_open(t, "suite-profile", "Bus", "pattern|msgs/s|msgs/s 95% CI|p99|p99 measured", quick);
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        size_t len = strlen(r->name);
        if (strncmp(r->name, "bus/", 4) || !ends_with(r->name, "/max")) continue;
        const tach__result *l = NULL;
        for (size_t k = i + 1; k < doc->nresults; k++)
            if (!strncmp(doc->results[k].name, r->name, len - 3) && !strcmp(doc->results[k].name + len - 3, "latency"))
                l = &doc->results[k];
        char pat[96], m[32], ci[64], p99[32], p99c[48], how[160];
        snprintf(pat, sizeof pat, "%.*s", (int)(len - 8), r->name + 4);
        double v = tach__result_counter(r, "msgs_per_s");
        snprintf(m, sizeof m, r->status != TACH__OK || isnan(v) ? "-" : "%.0f", v);
        ci_cell(r, "msgs_per_s", 1, 0, "batch", "batches", ci, sizeof ci); /* from the batches resampled */
        const tach__result *p = l ? l : r;
        if (p->status != TACH__OK) snprintf(p99, sizeof p99, "%s", tach__status_name(p->status));
        else fmt_ns(tach__result_counter(p, "p99_ns"), p99, sizeof p99);
        snprintf(p99c, sizeof p99c, "%s", p99);
        if (l && l->status == TACH__OK && tach__result_counter(l, "invalid") == 1) {
            snprintf(p99c, sizeof p99c, "INVALID (%s)", p99);
            double rt = tach__result_counter(l, "rate"); /* as given: 1.5, not 2 (suite bus's table) */
            snprintf(how, sizeof how, fabs(rt) >= 100 ? "open loop at %.0f msgs/s, not held (%.0f late, %.0f dropped): the generator's latency"
                                                      : "open loop at %.3g msgs/s, not held (%.0f late, %.0f dropped): the generator's latency",
                     rt, tach__result_counter(l, "late"), tach__result_counter(l, "dropped"));
        } else if (l) {
            double rt = tach__result_counter(l, "rate");
            snprintf(how, sizeof how, isnan(rt) ? "open loop" : fabs(rt) >= 100 ? "open loop at %.0f msgs/s" : "open loop at %.3g msgs/s",
                     rt);
        } else if (r->status != TACH__OK) { /* nothing measured */
            snprintf(p99c, sizeof p99c, "-");
            snprintf(how, sizeof how, "-");
        } else if (param(r, "pattern") ? !strcmp(param(r, "pattern"), "reqrep") : strstr(pat, "/reqrep/") != NULL) {
            snprintf(how, sizeof how, "round trip, closed loop (one request outstanding)");
        } else {
            snprintf(how, sizeof how, "closed loop (no open-loop row), from the actual send time");
        }
        const char *cells[] = {pat, r->status == TACH__OK ? m : tach__status_name(r->status), ci, p99c, how};
        t_row(t, cells, 5);
    }
    t_close(t);
    t_end(t);
}

void tool_report_suite_profile(tool_sb *b, const tach__doc *doc, bool html)
{
    json_t *s = json_object_get(doc->context, "suite");
    const char *name = json_string_value(json_object_get(s, "name"));
    if (!name) return;
    bool quick = json_is_true(json_object_get(s, "quick"));
    tbl t = {b, html, json_object_get(s, "notes"), 0};
    switch (tach__suite_kind_of(name)) {
    case TACH__SUITE_COMPRESSION: compression(&t, doc, s, quick); break;
    case TACH__SUITE_CRYPTO: crypto(&t, doc, quick); break;
    case TACH__SUITE_STORAGE: storage(&t, doc, quick); break;
    case TACH__SUITE_BUS: bus(&t, doc, quick); break;
    case TACH__SUITE_NONE: break;
    }
}
