/* view.c - what every renderer needs to know about each benchmark: its comparison
 * row, its history, its targets, in the order reports show them.
 *
 * (About 1000 lines: one model that every report renders, so that Markdown, HTML,
 * JUnit, OpenMetrics and the certificate cannot disagree on a figure.) */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "complexity.h"
#include "report.h"
#include "suite_kind.h"

const char *tool_rep_group(const tach__result *r)
{
    return (r->group && *r->group) ? r->group : "(no group)";
}

const char *tool_rep_verdict(const tool_rep_item *it)
{
    if (it->r->status != TACH__OK) return tach__status_name(it->r->status);
    if (!it->row) return "new";
    return tool_verdict_name(it->row->verdict);
}

const char *tool_rep_ctx_str(const json_t *context, const char *key)
{
    if (!context) return NULL;
    const json_t *v = json_object_get(context, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *tool_rep_target_label(const char *name)
{
    if (!name) return "?";
    if (!strcmp(name, "max_mean_ns")) return "mean \xe2\x89\xa4";
    if (!strcmp(name, "max_median_ns")) return "median \xe2\x89\xa4";
    if (!strcmp(name, "max_p99_ns")) return "p99 \xe2\x89\xa4";
    if (!strcmp(name, "min_bytes_per_sec")) return "throughput \xe2\x89\xa5";
    if (!strcmp(name, "min_items_per_sec")) return "items/s \xe2\x89\xa5";
    if (!strcmp(name, "max_regression_pct")) return "regression \xe2\x89\xa4";
    if (!strcmp(name, "max_allocs_per_iter")) return "allocs/iter \xe2\x89\xa4";
    if (!strcmp(name, "max_bytes_per_iter")) return "bytes/iter \xe2\x89\xa4";
    if (!strcmp(name, "max_peak_bytes")) return "peak heap \xe2\x89\xa4";
    if (!strcmp(name, "max_rss_bytes")) return "peak RSS \xe2\x89\xa4";
    if (!strcmp(name, "complexity_o1_growth")) return "O(1): growth \xe2\x89\xa4";
    if (!strcmp(name, "complexity_exponent")) return "exponent \xe2\x89\xa4";
    if (!strcmp(name, "complexity_class")) return "class \xe2\x89\xa4 baseline's";
    if (!strcmp(name, "min_efficiency")) return "efficiency \xe2\x89\xa5";
    if (!strcmp(name, "max_alpha")) return "USL alpha \xe2\x89\xa4";
    return name;
}

const char *tool_rep_check_label(const tool_target_check *t)
{
    if (t->per_item && t->name) {
        if (!strcmp(t->name, "complexity_o1_growth")) return "O(1): growth per item \xe2\x89\xa4";
        if (!strcmp(t->name, "complexity_exponent")) return "exponent per item \xe2\x89\xa4";
        if (!strcmp(t->name, "complexity_class")) return "class per item \xe2\x89\xa4 baseline's";
    }
    return tool_rep_target_label(t->name);
}

int tool_rep_target_pass(const tool_target_check *t)
{
    return t->not_checked ? 2 : t->met ? 1 : 0;
}

/* A time or a rate below 1 in its smallest unit (a limit of 0.001 ns, 0.5 items/s):
 * tach__fmt_time and tach__fmt_rate give it fixed decimals ("0.00 ns"), so it has three
 * significant digits instead; 0 and the rest as they give them. */
static const char *fmt_time_sig(double ns, char *buf, size_t size)
{
    if (ns != 0 && fabs(ns) < 1) snprintf(buf, size, "%.3g ns", ns);
    else tach__fmt_time(ns, buf, size);
    return buf;
}

static const char *fmt_rate_sig(double per_sec, bool bytes, char *buf, size_t size)
{
    if (per_sec > 0 && per_sec < 1) snprintf(buf, size, "%.3g %s", per_sec, bytes ? "B/s" : "/s");
    else tach__fmt_rate(per_sec, bytes, buf, size);
    return buf;
}

void tool_rep_target_fmt(const char *name, double v, char *buf, size_t size)
{
    if (!strcmp(name, "load_valid")) { /* a load run's validity (src/judge/slo.c) */
        snprintf(buf, size, "%s", v == 1 ? "valid" : "invalid");
    } else if (isnan(v)) {
        snprintf(buf, size, "n/a");
    } else if (strpbrk(name, "<>")) { /* an objective of a load run, "p99<1ms" */
        if (strstr(name, "rps")) snprintf(buf, size, fabs(v) >= 100 ? "%.0f/s" : "%.3g/s", v);
        else if (strstr(name, "errors")) snprintf(buf, size, "%.3g%%", 100 * v);
        else fmt_time_sig(v, buf, size);
    } else if (!strcmp(name, "min_bytes_per_sec")) {
        fmt_rate_sig(v, true, buf, size);
    } else if (!strcmp(name, "min_items_per_sec")) {
        fmt_rate_sig(v, false, buf, size);
    } else if (!strcmp(name, "max_regression_pct")) {
        snprintf(buf, size, "%+.1f%%", v);
    } else if (!strcmp(name, "max_allocs_per_iter")) {
        snprintf(buf, size, "%.3g", v);
    } else if (!strcmp(name, "max_bytes_per_iter") || !strcmp(name, "max_peak_bytes") ||
               !strcmp(name, "max_rss_bytes")) {
        tach__fmt_bytes(v, buf, size);
    } else if (!strcmp(name, "complexity_o1_growth") || !strcmp(name, "min_efficiency")) {
        snprintf(buf, size, "%.1f%%", v * 100);
    } else if (!strcmp(name, "complexity_class")) {
        snprintf(buf, size, "%s", tach__cx_name((int)v));
    } else if (!strcmp(name, "complexity_exponent") || !strcmp(name, "max_alpha")) {
        snprintf(buf, size, "%.3g", v);
    } else {
        fmt_time_sig(v, buf, size);
    }
}

void tool_rep_target_fmt_pair(const char *name, double lim, double act, char *l, char *a,
                              size_t size)
{
    tool_rep_target_fmt(name, lim, l, size);
    tool_rep_target_fmt(name, act, a, size);
    if (lim == act || isnan(lim) || isnan(act) || strcmp(l, a) != 0) return;
    if (!strcmp(name, "load_valid") || !strcmp(name, "complexity_class")) return;
    /* Two values that read alike: a missed allocs/iter <= 99.99 read "100, measured 100",
     * a peak 1 byte over 1 MiB "1.00 MiB, measured 1.00 MiB".  Both in one unit (the
     * limit's, for a time) with as many digits as tell them apart. */
    double mul = 1;
    const char *unit = "", *sign = "";
    if (!strcmp(name, "max_bytes_per_iter") || !strcmp(name, "max_peak_bytes") ||
        !strcmp(name, "max_rss_bytes"))
        unit = " B";
    else if (!strcmp(name, "min_bytes_per_sec"))
        unit = " B/s";
    else if (!strcmp(name, "min_items_per_sec") || (strpbrk(name, "<>") && strstr(name, "rps")))
        unit = "/s";
    else if (!strcmp(name, "complexity_o1_growth") || !strcmp(name, "min_efficiency") ||
             (strpbrk(name, "<>") && strstr(name, "errors")))
        mul = 100, unit = "%";
    else if (!strcmp(name, "max_regression_pct"))
        unit = "%", sign = "+";
    else if (!strcmp(name, "max_allocs_per_iter") || !strcmp(name, "complexity_exponent") ||
             !strcmp(name, "max_alpha"))
        unit = "";
    else { /* a time, in the limit's unit */
        double m = fabs(lim);
        mul = m >= 1e9 ? 1e-9 : m >= 1e6 ? 1e-6 : m >= 1e3 ? 1e-3 : 1;
        unit = mul == 1e-9 ? " s" : mul == 1e-6 ? " ms" : mul == 1e-3 ? " \xc2\xb5s" : " ns";
    }
    for (int digits = 4; digits <= 17; digits++) {
        snprintf(l, size, *sign ? "%+.*g%s" : "%.*g%s", digits, lim * mul, unit);
        snprintf(a, size, *sign ? "%+.*g%s" : "%.*g%s", digits, act * mul, unit);
        if (strcmp(l, a) != 0) break;
    }
}

const char *tool_rep_pct(double frac, char *buf, size_t size)
{
    if (isnan(frac) || isinf(frac)) snprintf(buf, size, "n/a");
    else snprintf(buf, size, "%+.1f%%", frac * 100.0);
    return buf;
}

const char *tool_rep_pvalue(double p, char *buf, size_t size)
{
    if (isnan(p)) snprintf(buf, size, "-");
    else if (p < 0.0001) snprintf(buf, size, "<0.0001");
    else snprintf(buf, size, "%.4f", p);
    return buf;
}

const char *tool_rep_pvalue_is(const char *name, double p, char *buf, size_t size)
{
    char v[16];
    tool_rep_pvalue(p, v, sizeof v);
    if (*v == '<') snprintf(buf, size, "%s < %s", name, v + 1);
    else snprintf(buf, size, "%s = %s", name, v);
    return buf;
}

static const tool_cmp_row *find_row(const tool_comparison *c, const char *name)
{
    if (!c || !name) return NULL;
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i].cur && c->rows[i].name && !strcmp(c->rows[i].name, name))
            return &c->rows[i];
    return NULL;
}

static const tool_hist_series *find_series(const tool_report_in *in, const char *name)
{
    for (size_t i = 0; i < in->nseries; i++)
        if (in->series[i].name && !strcmp(in->series[i].name, name)) return &in->series[i];
    return NULL;
}

/* Rank inside a group: regressions (largest first), broken, missed targets, rest. */
static int item_rank(const tool_rep_item *it)
{
    if (it->regressed) return 0;
    if (it->broken) return 1;
    if (it->missed) return 2;
    return 3;
}

int tool_rep_view_build(const tool_report_in *in, tool_rep_view *v, char *err)
{
    memset(v, 0, sizeof *v);
    const tach__doc *d = in->doc;
    if (!d) return tach__err(err, "no results document to report on");
    v->items = tach__calloc(d->nresults ? d->nresults : 1, sizeof *v->items);
    if (!v->items) return tach__err(err, "out of memory");
    tool_fit_check *fit = NULL;
    size_t nfit = 0;
    if (!in->cmp && tool_fit_checks(NULL, d, in->rules, in->nrules, &fit, &nfit) != 0) {
        tach__free(v->items);
        v->items = NULL;
        return tach__err(err, "out of memory");
    }

    /* Group order: first appearance in the document. */
    /* a storage or bus suite run, or values that are counts (one exact value each) */
    v->cv_free = tool_rep_suite_cv_free(d) || tool_rep_soak_run(d) || tool_metric_deterministic(in->metric);
    size_t n = 0;
    for (size_t gi = 0; gi < d->nresults; gi++) {
        const char *g = tool_rep_group(&d->results[gi]);
        bool seen = false;
        for (size_t k = 0; k < gi && !seen; k++)
            seen = !strcmp(tool_rep_group(&d->results[k]), g);
        if (seen) continue;
        size_t start = n;
        for (size_t i = gi; i < d->nresults; i++) {
            const tach__result *r = &d->results[i];
            if (strcmp(tool_rep_group(r), g)) continue;
            tool_rep_item *it = &v->items[n++];
            it->r = r;
            it->row = find_row(in->cmp, r->name);
            it->series = find_series(in, r->name);
            it->broken = r->status == TACH__FAILED || r->status == TACH__CRASHED ||
                         r->status == TACH__TIMEOUT;
            it->cv_free = v->cv_free;
            it->unstable = r->unstable && !it->cv_free;
            if (it->row) {
                it->regressed = it->row->verdict == TOOL_REGRESSED;
                it->improved = it->row->verdict == TOOL_IMPROVED;
            }
            if (it->row && it->row->ntargets) {
                it->targets = tach__calloc(it->row->ntargets, sizeof *it->targets);
                if (!it->targets) goto oom;
                memcpy(it->targets, it->row->targets, it->row->ntargets * sizeof *it->targets);
                it->ntargets = it->row->ntargets;
                it->missed = it->row->targets_missed;
            } else {
                int missed = tool_check_targets(d, r, in->rules, in->nrules, &it->targets,
                                                &it->ntargets);
                if (missed < 0) goto oom;
                it->missed = (size_t)missed;
                /* complexity and thread-scaling targets (fit_targets.c) of this result */
                for (size_t k = 0; k < nfit; k++) {
                    if (fit[k].result != r) continue;
                    tool_target_check *nt = tach__realloc(it->targets, (it->ntargets + 1) * sizeof *nt);
                    if (!nt) goto oom;
                    it->targets = nt;
                    it->targets[it->ntargets++] = fit[k].check;
                    it->missed += !fit[k].check.met && !fit[k].check.not_checked;
                }
            }
        }
        /* Stable insertion sort by rank; regressions by size of change. */
        for (size_t i = start + 1; i < n; i++) {
            tool_rep_item t = v->items[i];
            size_t j = i;
            while (j > start) {
                const tool_rep_item *p = &v->items[j - 1];
                int rp = item_rank(p), rt = item_rank(&t);
                bool before = rt < rp ||
                              (rt == 0 && rp == 0 && t.row->change.value > p->row->change.value);
                if (!before) break;
                v->items[j] = v->items[j - 1];
                j--;
            }
            v->items[j] = t;
        }
    }
    v->nitems = n;
    for (size_t i = 0; i < n; i++) {
        const tool_rep_item *it = &v->items[i];
        switch (it->r->status) {
        case TACH__OK: v->ok++; break;
        case TACH__SKIPPED: v->skipped++; break;
        case TACH__FAILED: v->failed++; break;
        case TACH__CRASHED: v->crashed++; break;
        case TACH__TIMEOUT: v->timeout++; break;
        }
        for (size_t k = 0; k < it->ntargets; k++) {
            v->targets_total += !it->targets[k].not_checked;
            v->targets_not_checked += !!it->targets[k].not_checked;
        }
        v->targets_missed += it->missed;
        if (it->unstable) v->unstable++;
    }
    tach__free(fit);
    return 0;
oom:
    tach__free(fit);
    v->nitems = n;
    tool_rep_view_free(v);
    return tach__err(err, "out of memory");
}

void tool_rep_view_free(tool_rep_view *v)
{
    if (!v) return;
    if (v->items)
        for (size_t i = 0; i < v->nitems; i++) tach__free(v->items[i].targets);
    tach__free(v->items);
    memset(v, 0, sizeof *v);
}

void tool_rep_status_counts(tool_sb *b, const tool_rep_view *v)
{
    const struct { size_t n; const char *what; } parts[] = {
        {v->ok, "ok"}, {v->failed, "failed"}, {v->crashed, "crashed"},
        {v->timeout, "timed out"}, {v->skipped, "skipped"}};
    bool first = true;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i].n && i) continue;
        tool_sb_printf(b, "%s%zu %s", first ? "" : ", ", parts[i].n, parts[i].what);
        first = false;
    }
}

const char *tool_rep_status_upper(tach__status s)
{
    switch (s) {
    case TACH__OK: return "OK";
    case TACH__SKIPPED: return "SKIPPED";
    case TACH__FAILED: return "FAILED";
    case TACH__CRASHED: return "CRASHED";
    case TACH__TIMEOUT: return "TIMED OUT";
    }
    return "?";
}

const char *tool_rep_signal_name(int sig)
{
    const char *name = tach__signal_lookup(sig);
    return name ? name : "signal";
}

void tool_rep_throughput(tool_sb *b, const tach__result *r)
{
    char buf[48];
    double med = r->has_summary ? r->summary.median.value : NAN;
    bool any = false;
    if (r->bytes_per_iter > 0 && med > 0) {
        tool_sb_put(b, tach__fmt_rate(r->bytes_per_iter * 1e9 / med, true, buf, sizeof buf));
        any = true;
    }
    if (r->items_per_iter > 0 && med > 0) {
        if (any) tool_sb_put(b, ", ");
        tool_sb_put(b, tach__fmt_rate(r->items_per_iter * 1e9 / med, false, buf, sizeof buf));
        any = true;
    }
    if (!any) tool_sb_put(b, "\xe2\x80\x94");
}

void tool_rep_status_cell_md(tool_sb *b, const tool_rep_item *it)
{
    const tach__result *r = it->r;
    if (r->status == TACH__OK) {
        tool_sb_put(b, "ok");
    } else {
        tool_sb_printf(b, "**%s**", r->status == TACH__TIMEOUT ? "timed out" : tach__status_name(r->status));
        if (r->status == TACH__CRASHED && r->signal)
            tool_sb_printf(b, " (%s)", tool_rep_signal_name(r->signal));
    }
    if (it->unstable) tool_sb_put(b, ", unstable");
    if (it->missed) tool_sb_printf(b, ", **%zu target%s missed**", it->missed,
                                    it->missed == 1 ? "" : "s");
}

const char *tool_rep_commit(const tool_report_in *in)
{
    if (in->commit) return in->commit;
    const json_t *ctx = in->doc ? in->doc->context : NULL;
    const char *c = tool_rep_ctx_str(ctx, "git_commit");
    if (!c) c = tool_rep_ctx_str(ctx, "commit");
    return c;
}

void tool_rep_header_md(tool_sb *b, const tool_report_in *in)
{
    const json_t *ctx = in->doc->context;
    const char *sep = "";
    if (in->run_id) {
        tool_sb_put(b, "**Run** ");
        tool_sb_code_md_inline(b, in->run_id);
        sep = " \xc2\xb7 ";
    }
    const char *commit = tool_rep_commit(in);
    if (commit) {
        char sc[64]; /* columns, not bytes: 名 is 3 bytes, an emoji 4 */
        tool_sb_printf(b, "%s**Commit** ", sep);
        tool_sb_code_md_inline(b, tool_width_head(commit, 12, sc, sizeof sc));
        sep = " \xc2\xb7 ";
    }
    if (in->branch) {
        tool_sb_printf(b, "%s**Branch** ", sep);
        tool_sb_code_md_inline(b, in->branch);
        sep = " \xc2\xb7 ";
    }
    const char *host = tool_rep_ctx_str(ctx, "host");
    if (host) {
        tool_sb_printf(b, "%s**Host** ", sep);
        tool_sb_esc_md(b, host);
        sep = " \xc2\xb7 ";
    }
    const char *date = tool_rep_ctx_str(ctx, "date");
    if (date) {
        tool_sb_printf(b, "%s**Run at** ", sep);
        tool_sb_esc_md(b, date);
        sep = " \xc2\xb7 ";
    }
    if (in->generated) {
        tool_sb_printf(b, "%s**Generated** ", sep);
        tool_sb_esc_md(b, in->generated);
        sep = " \xc2\xb7 ";
    }
    if (*sep) tool_sb_put(b, "\n\n");
}

static void env_row(tool_rep_env_rows *rows, size_t *n, size_t max, const char *key,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void env_row(tool_rep_env_rows *rows, size_t *n, size_t max, const char *key,
                    const char *fmt, ...)
{
    if (*n >= max) return;
    va_list ap;
    va_start(ap, fmt);
    rows[*n].key = key;
    vsnprintf(rows[*n].value, sizeof rows[*n].value, fmt, ap);
    va_end(ap);
    (*n)++;
}

size_t tool_rep_env(const json_t *ctx, tool_rep_env_rows *rows, size_t max)
{
    size_t n = 0;
    if (!json_is_object(ctx)) return 0;
    static const struct { const char *key, *label; } strs[] = {
        {"host", "Host"}, {"cpu_model", "CPU"}, {"os", "OS"}, {"kernel", "Kernel"},
        {"arch", "Architecture"}, {"virtualization", "Virtualization"},
        {"governor", "Governor"}, {"compiler", "libtach compiler"},
        {"build_type", "libtach build type"}, {"build_flags", "libtach build flags"},
        {"tool", "Produced by"},
        {"tach_version", "tach version"}, {"executable", "Executable"}, {"date", "Run at"}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const json_t *v = json_object_get(ctx, strs[i].key);
        if (json_is_string(v) && *json_string_value(v))
            env_row(rows, &n, max, strs[i].label, "%s", json_string_value(v));
        else if (!strcmp(strs[i].key, "governor") && json_object_get(ctx, "governor"))
            env_row(rows, &n, max, strs[i].label, "none");
        if (!strcmp(strs[i].key, "cpu_model")) {
            const json_t *c = json_object_get(ctx, "cpus");
            if (json_is_integer(c))
                env_row(rows, &n, max, "Logical CPUs", "%lld", (long long)json_integer_value(c));
            const json_t *m = json_object_get(ctx, "mhz");
            if (json_is_number(m)) env_row(rows, &n, max, "Frequency", "%.0f MHz", json_number_value(m));
            const json_t *mem = json_object_get(ctx, "memory_kib");
            if (json_is_number(mem))
                env_row(rows, &n, max, "Memory", "%.1f GiB", json_number_value(mem) / 1048576.0);
        }
    }
    const json_t *la = json_object_get(ctx, "load_avg");
    if (json_is_array(la) && json_array_size(la) >= 3)
        env_row(rows, &n, max, "Load average", "%.2f %.2f %.2f",
                json_number_value(json_array_get(la, 0)), json_number_value(json_array_get(la, 1)),
                json_number_value(json_array_get(la, 2)));
    const json_t *aslr = json_object_get(ctx, "aslr");
    if (json_is_integer(aslr))
        env_row(rows, &n, max, "ASLR", "%lld%s", (long long)json_integer_value(aslr),
                json_integer_value(aslr) ? " (on)" : " (off)");
    /* the benchmark's own build (TACH_BENCH in the user's code), apart from libtach's */
    const json_t *bb = json_object_get(ctx, "benchmark_build");
    if (json_is_object(bb)) {
        const json_t *opt = json_object_get(bb, "optimized"), *nd = json_object_get(bb, "ndebug");
        const char *cc = json_string_value(json_object_get(bb, "compiler"));
        env_row(rows, &n, max, "Benchmark build", "%s, %s%s%s",
                json_is_true(opt) ? "optimized" : json_is_false(opt) ? "not optimized" : "optimization unknown",
                json_is_true(nd) ? "NDEBUG" : json_is_false(nd) ? "assertions on (no NDEBUG)" : "NDEBUG unknown",
                cc ? ", compiler " : "", cc ? cc : "");
    }
    const json_t *t = json_object_get(ctx, "timer");
    if (json_is_object(t)) {
        const json_t *res = json_object_get(t, "resolution_ns"), *cost = json_object_get(t, "cost_ns");
        const json_t *clk = json_object_get(t, "clock");
        env_row(rows, &n, max, "Timer", "%s, resolution %.3g ns, cost %.3g ns",
                json_is_string(clk) ? json_string_value(clk) : "?",
                json_is_number(res) ? json_number_value(res) : NAN,
                json_is_number(cost) ? json_number_value(cost) : NAN);
    }
    /* which of the asked CPU counters this machine gave (--counters; docs/counters.md) */
    const json_t *hw = json_object_get(ctx, "counters");
    if (json_is_object(hw)) {
        char av[160] = "", un[160] = "";
        size_t k;
        const char *key;
        const json_t *v;
        json_array_foreach(json_object_get(hw, "available"), k, v)
            if (json_is_string(v) && strlen(av) + strlen(json_string_value(v)) + 3 < sizeof av)
                snprintf(av + strlen(av), sizeof av - strlen(av), "%s%s", k ? ", " : "", json_string_value(v));
        json_object_foreach((json_t *)json_object_get(hw, "unavailable"), key, v)
            if (strlen(un) + strlen(key) + 3 < sizeof un)
                snprintf(un + strlen(un), sizeof un - strlen(un), "%s%s", un[0] ? ", " : "", key);
        env_row(rows, &n, max, "CPU counters", "%s%s%s", av[0] ? av : "none available",
                un[0] ? "; absent: " : "", un);
    }
    return n;
}

json_t *tool_rep_warnings(const json_t *context)
{
    const json_t *w = json_object_get(context, "warnings");
    if (json_is_array(w)) return json_incref((json_t *)w);
    if (!json_is_object(context) || !json_object_size(context)) return NULL;
    return tach__env_warnings(context);
}

static bool needs_quote(const char *s)
{
    if (!*s) return true;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("-_./=:,+@%", *s)))
            return true;
    return false;
}

char *tool_rep_command_line(const json_t *context)
{
    const json_t *cl = json_object_get(context, "command_line");
    if (!json_is_array(cl) || !json_array_size(cl)) return NULL;
    tool_sb b;
    tool_sb_init(&b);
    /* A document a "tach load" (or another tach command) wrote before its command line
     * began with "tach" holds ["load", ...]: the line printed is still one to paste. */
    const char *tool = json_string_value(json_object_get(context, "tool"));
    const char *first = json_string_value(json_array_get(cl, 0));
    if (tool && first && !strncmp(tool, "tach ", 5)) {
        size_t n = strcspn(tool + 5, " ");
        if (n && strlen(first) == n && !strncmp(first, tool + 5, n)) tool_sb_put(&b, "tach ");
    }
    size_t i;
    json_t *a;
    json_array_foreach(cl, i, a)
    {
        /* Passwords are redacted here too: a document written before tach redacted its
         * command line (or by another tool) may still hold one. */
        char *own = tach__redact_arg(i ? json_string_value(json_array_get(cl, i - 1)) : NULL,
                                     json_string_value(a));
        const char *s = own;
        if (!s) continue;
        if (i) tool_sb_put(&b, " ");
        if (!needs_quote(s)) {
            tool_sb_put(&b, s);
            tach__free(own);
            continue;
        }
        tool_sb_put(&b, "'");
        for (const char *p = s; *p; p++) {
            if (*p == '\'') tool_sb_put(&b, "'\\''");
            else tool_sb_putn(&b, p, 1);
        }
        tool_sb_put(&b, "'");
        tach__free(own);
    }
    return tool_sb_take(&b, NULL);
}

static void mline(tool_rep_method_line *l, size_t *n, size_t max, const char *key,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void mline(tool_rep_method_line *l, size_t *n, size_t max, const char *key,
                  const char *fmt, ...)
{
    if (*n >= max) return;
    va_list ap;
    va_start(ap, fmt);
    l[*n].key = key;
    vsnprintf(l[*n].value, sizeof l[*n].value, fmt, ap);
    va_end(ap);
    (*n)++;
}

static double setting(const json_t *s, const char *key)
{
    const json_t *v = json_object_get(s, key);
    if (json_is_boolean(v)) return json_is_true(v) ? 1 : 0;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The time sampler's lines: calibration, sampling, worker processes, the timeout and
 * the estimates of a timed run. */
static void method_sampled(const tool_report_in *in, tool_rep_method_line *l, size_t *pn,
                           size_t max)
{
    size_t n = *pn;
    const json_t *ctx = in->doc->context;
    const json_t *s = json_object_get(ctx, "settings");
    /* The sampler's settings: a benchmark binary's own when `tach run` drove it. */
    const json_t *ws = json_object_get(ctx, "worker_settings");
    const json_t *ss = ws ? ws : s;
    double st = setting(ss, "sample_time_ns"), prec = setting(ss, "precision"),
           maxt = setting(ss, "max_time_s"), mins = setting(ss, "min_samples"),
           mint = setting(ss, "min_time_s"),
           procs = setting(s, "processes"), res = setting(s, "resamples"),
           tmo = setting(s, "timeout_s");
    const char *tool = json_string_value(json_object_get(ctx, "tool"));
    bool commands = tool && !strcmp(tool, "tach run") && !ws;
    if (!isnan(st))
        mline(l, &n, max, "Calibration",
              "iterations per sample grown until one sample lasts at least %.3g ms, well "
              "above the timer's resolution", st / 1e6);
    else
        mline(l, &n, max, "Calibration",
              "iterations per sample grown until one sample lasts well above the timer's "
              "resolution");
    size_t reached = 0, measured = 0;
    for (size_t i = 0; i < in->doc->nresults; i++)
        if (in->doc->results[i].has_summary) {
            measured++;
            reached += in->doc->results[i].precision_reached;
        }
    char p[32] = "the precision asked", t[80] = "", m[64] = "";
    if (!isnan(prec)) snprintf(p, sizeof p, "%.3g%%", prec * 100);
    double bench_t = setting(s, "bench_time_s"); /* tach run's budget, split among its workers */
    if (ws && !isnan(bench_t) && !isnan(maxt))
        snprintf(t, sizeof t, " (%.3g s per benchmark, %.3g s per worker)", bench_t, maxt);
    else if (!isnan(maxt)) snprintf(t, sizeof t, " (%.3g s per benchmark)", maxt);
    if (!isnan(mint) && mint > 0) snprintf(m, sizeof m, ", after at least %.3g s of sampling,", mint);
    char buf[384];
    double runs = setting(s, "runs"), minr = setting(s, "min_runs"), maxr = setting(s, "max_runs"),
           warm = setting(s, "warmup");
    if (commands && !isnan(runs)) {
        /* `tach run --runs N`: a fixed count, no precision rule */
        snprintf(buf, sizeof buf, "exactly %.0f runs of each command%s", runs,
                 !isnan(warm) && warm > 0 ? ", after untimed warm-up runs" : "");
    } else if (commands && !(prec > 0)) {
        char cap[48] = "";
        if (!isnan(maxr)) snprintf(cap, sizeof cap, ", at most %.0f", maxr);
        snprintf(buf, sizeof buf, "at least %.0f runs%s and at least %.3g s of each command, "
                 "within %.3g s in all (no precision target)",
                 isnan(minr) ? 1 : minr, cap, isnan(mint) ? 0 : mint, isnan(maxt) ? 0 : maxt);
    } else {
        snprintf(buf, sizeof buf,
                 "sampled until the median's 95%% CI was within %s of it%s or the time budget%s "
                 "ended%s; %zu of %zu benchmark%s reached the precision asked",
                 p, m, t, isnan(mins) ? "" : " (with a minimum sample count)", reached, measured,
                 measured == 1 ? "" : "s");
    }
    mline(l, &n, max, "Samples", "%s", buf);
    /* Rounds: the binary's own setting; `tach run` keeps it as worker_settings. */
    double rounds = setting(s, "rounds");
    if (isnan(rounds)) rounds = setting(json_object_get(ctx, "worker_settings"), "rounds");
    /* the workers added for the benchmarks slowed in most of their rounds (extra rounds) */
    double extra = setting(s, "extra_processes");
    size_t nextra = json_array_size(json_object_get(s, "extra_rounds_for"));
    char more[160] = "";
    if (extra > 0 && nextra)
        snprintf(more, sizeof more, "; %.0f more process%s for the %zu benchmark%s slowed in most "
                 "of their rounds", extra, extra == 1 ? "" : "es", nextra, nextra == 1 ? "" : "s");
    if (!isnan(procs) && !isnan(rounds) && rounds > 1)
        mline(l, &n, max, "Processes",
              "%.0f worker processes per benchmark (%.0f process%s x %.0f rounds, the rounds "
              "interleaved with the other benchmarks')%s, samples merged, so between-process "
              "variance (layout, ASLR) and the machine's drift over the run are inside the "
              "estimate", procs * rounds, procs, procs == 1 ? "" : "es", rounds, more);
    else if (!isnan(procs))
        mline(l, &n, max, "Processes",
              "%.0f worker process%s per benchmark%s, samples merged, so between-process "
              "variance (layout, ASLR) is inside the estimate", procs, procs == 1 ? "" : "es", more);
    if (!isnan(tmo)) mline(l, &n, max, "Timeout", "%.3g s per benchmark", tmo);
    char rs[64] = "", sd[64] = "";
    if (!isnan(res)) snprintf(rs, sizeof rs, "%.0f resamples", res);
    /* the exact 64-bit seed (an integer, or a string when above INT64_MAX), never through a double */
    const json_t *seed = json_object_get(s, "seed");
    if (json_is_integer(seed))
        snprintf(sd, sizeof sd, "%sseed %" PRIu64, *rs ? ", " : "", (uint64_t)json_integer_value(seed));
    else if (json_is_string(seed))
        snprintf(sd, sizeof sd, "%sseed %.*s", *rs ? ", " : "", tach__utf8_prec(json_string_value(seed), 40),
                 json_string_value(seed));
    mline(l, &n, max, "Estimates",
          "median and mean of the per-iteration time with percentile-bootstrap 95%% "
          "confidence intervals%s%s%s%s (seeded: reruns give the same interval for the same "
          "samples); percentiles by linear interpolation (type 7)",
          (*rs || *sd) ? " (" : "", rs, sd, (*rs || *sd) ? ")" : "");
    if (tool_rep_soak_run(in->doc))
        mline(l, &n, max, "Stability", "a soak: not judged by CV, its samples are intervals "
                                       "whose drift over time is what the soak's own verdict judges");
    else
        mline(l, &n, max, "Outliers", "Tukey fences: mild beyond 1.5 IQR, severe beyond 3 IQR; "
                                      "a benchmark is unstable when its CV exceeds 5%%");
    *pn = n;
}

const char *tool_rep_suite_name(const tach__doc *doc)
{
    return json_string_value(json_object_get(json_object_get(doc->context, "suite"), "name"));
}

bool tool_rep_suite_quick(const tach__doc *doc)
{
    return json_is_true(json_object_get(json_object_get(doc->context, "suite"), "quick"));
}

const char *tool_rep_partial_why(const tach__doc *doc, char *buf, size_t size)
{
    const char *why = json_string_value(json_object_get(json_object_get(doc->context, "suite"), "stopped"));
    if (!why || !*why || !strcmp(why, "interrupted")) return "was interrupted";
    if (!strncmp(why, "stopped: ", 9)) why += 9; /* the storage suite's words */
    snprintf(buf, size, "stopped early: %s", why);
    return buf;
}

bool tool_rep_soak_run(const tach__doc *doc)
{
    if (doc->origin) doc = doc->origin;
    return json_is_object(json_object_get(doc->context, "soak"));
}

bool tool_rep_suite_cv_free(const tach__doc *doc)
{
    return tach__suite_one_run(tach__suite_kind_of(tool_rep_suite_name(doc)));
}

/* A `tach suite` run's lines (docs/suites.md): how the suite measured each row, which is
 * neither the calibrated sampler nor a precision target; for storage and bus the samples
 * are intervals, batches or messages of one run of the workload. */
static bool method_suite(const tool_report_in *in, tool_rep_method_line *l, size_t *n, size_t max)
{
    const char *suite = tool_rep_suite_name(in->doc);
    if (!suite) return false;
    const json_t *ctx = in->doc->context, *s = json_object_get(ctx, "settings"),
                 *sc = json_object_get(ctx, "suite");
    bool quick = setting(s, "quick") == 1;
    double t = setting(s, "time_s"), mins = setting(s, "min_samples");
    tach__suite_kind kind = tach__suite_kind_of(suite);
    if (kind == TACH__SUITE_STORAGE) {
        double jt = setting(sc, "job_time_s"), fs = setting(sc, "file_size");
        mline(l, n, max, "Jobs",
              "fio's jobs on one test file of %.0f MiB, its cached pages dropped before each; each "
              "job makes at most one pass over the file, ending at the end of the pass or after "
              "%.3g s (--time), whichever comes first: a fixed workload, no precision target",
              isnan(fs) ? 0 : fs / 1048576, isnan(jt) ? 0 : jt);
        mline(l, n, max, "Samples",
              "a sequential job's samples are its I/Os (ns per I/O each), a random or sync job's "
              "intervals of a fiftieth of --time (ns per I/O over each); every I/O's latency also "
              "goes into an HDR histogram, whose percentiles the tables show");
        mline(l, n, max, "Throughput",
              "MB/s is the job's bytes over its runtime (fio's bw), with a 95%% CI from its "
              "intervals resampled (none with fewer than 2); IOPS likewise");
    } else if (kind == TACH__SUITE_BUS) {
        double msgs = setting(sc, "messages");
        mline(l, n, max, "Messages",
              "%.0f per row (--messages), one publisher, subscribers threads of this process (each on its "
              "own connection to a broker), each message timestamped with CLOCK_MONOTONIC",
              isnan(msgs) ? 0 : msgs);
        mline(l, n, max, "Samples",
              "closed-loop (max) rows: batches of a fiftieth of the messages (ns per message), "
              "msgs/s the messages received over the run's time with a 95%% CI from the batches "
              "resampled; open-loop (latency) rows: subscriber 0's latencies (at most 2000, "
              "evenly thinned) from each message's intended send time, percentiles from the "
              "histogram of every delivery");
    } else {
        mline(l, n, max, "Samples",
              "per measurement one warm-up call, then samples of a batch of calls each (the batch "
              "sized from the warm-up call to last about %.3g ms), for %.3g s (--time), at least "
              "%.0f and at most %d samples: a fixed time, no precision target",
              quick ? 5.0 : 20.0, isnan(t) ? (quick ? 0.05 : 0.5) : t, isnan(mins) ? (quick ? 3 : 10) : mins,
              quick ? 20 : 200);
    }
    double res = setting(s, "resamples");
    char rs[96] = "";
    const json_t *seed = json_object_get(s, "seed");
    /* the exact 64-bit seed, an integer or a string when above INT64_MAX (tach__json_seed) */
    if (!isnan(res) && json_is_integer(seed))
        snprintf(rs, sizeof rs, " (%.0f resamples, seed %" PRIu64 ")", res, (uint64_t)json_integer_value(seed));
    else if (!isnan(res) && json_is_string(seed))
        snprintf(rs, sizeof rs, " (%.0f resamples, seed %.*s)", res,
                 tach__utf8_prec(json_string_value(seed), 40), json_string_value(seed));
    mline(l, n, max, "Estimates",
          "median and mean of the samples with percentile-bootstrap 95%% confidence "
          "intervals%s (seeded: reruns give the same interval for the same samples)", rs);
    if (tool_rep_suite_cv_free(in->doc))
        mline(l, n, max, "Stability",
              "not judged by CV: the samples are %s of one run of the workload, whose spread is "
              "the workload's own (%s), not measurement noise",
              kind == TACH__SUITE_STORAGE ? "I/Os or intervals" : "batches or messages",
              kind == TACH__SUITE_STORAGE ? "read-ahead stalls, writeback, the device's latency"
                                        : "bursts, scheduling, the broker's batching");
    else
        mline(l, n, max, "Outliers", "Tukey fences: mild beyond 1.5 IQR, severe beyond 3 IQR; "
                                      "a measurement is unstable when its CV exceeds 5%%");
    return true;
}

/* Whether d's counts are of commands `tach run --metric instructions` counted whole
 * (not a benchmark binary's measured region, whose settings `tach run` keeps as
 * worker_settings).  A projected document (--metric) is asked about its origin. */
static bool counted_commands(const tach__doc *d)
{
    if (d->origin) d = d->origin;
    const char *tool = json_string_value(json_object_get(d->context, "tool"));
    return tool && !strcmp(tool, "tach run") && !json_object_get(d->context, "worker_settings");
}

/* A count's lines (instructions, estimated cycles, allocations: metric.h's deterministic
 * metrics): one exact value per benchmark and side, nothing sampled, so no calibration,
 * confidence interval or outlier fence to describe. */
static void method_counted(const tool_report_in *in, tool_rep_method_line *l, size_t *n,
                           size_t max)
{
    if (in->metric == TOOL_METRIC_ALLOCS)
        mline(l, n, max, "Counting",
              "a memory pass after the timed samples runs each benchmark's measured region "
              "with the counting allocator preloaded into its own process: allocation calls "
              "per iteration (docs/memory.md)");
    else if (counted_commands(in->doc))
        mline(l, n, max, "Counting",
              "each command run once under Valgrind's callgrind, counted whole from its first "
              "instruction to its exit, its child processes included (the dynamic loader and "
              "start-up too): the count per run%s",
              in->metric == TOOL_METRIC_CYCLES_EST
                  ? "; cycles estimated as L1 hits + 5 x LL hits + 35 x RAM accesses"
                  : "");
    else
        mline(l, n, max, "Counting",
              "each benchmark once under Valgrind's callgrind, counting only inside the "
              "measured region: (count of 2N iterations - count of N) / N, N chosen from "
              "counts (never a clock), the empty loop's count per iteration subtracted%s",
              in->metric == TOOL_METRIC_CYCLES_EST
                  ? "; cycles estimated as L1 hits + 5 x LL hits + 35 x RAM accesses"
                  : "");
    double tmo = setting(json_object_get(in->doc->context, "settings"), "timeout_s");
    if (!isnan(tmo)) mline(l, n, max, "Timeout", "%.3g s per benchmark", tmo);
    mline(l, n, max, "Estimates",
          "one exact value per benchmark: a count has no sampling error, so no confidence "
          "interval, percentile or outlier fence is computed (median, mean and p99 show "
          "that value)");
}

/* A load run's lines (tach load, docs/load.md): no sampler, no precision target; its
 * requests timed from their intended start. */
static bool method_load(const tool_report_in *in, tool_rep_method_line *l, size_t *n, size_t max)
{
    const char *mode = json_string_value(json_object_get(in->doc->context, "mode"));
    if (!mode || strcmp(mode, "load")) return false; /* (a bus suite's rows are not one load) */
    const json_t *L = NULL;
    for (size_t i = 0; i < in->doc->nresults && !L; i++)
        if (in->doc->results[i].load && json_object_get(in->doc->results[i].load, "model"))
            L = in->doc->results[i].load;
    if (!L) return false;
    const json_t *m = json_object_get(L, "model");
    const char *kind = json_string_value(json_object_get(m, "kind"));
    bool open = kind && !strcmp(kind, "open");
    const char *arr = json_string_value(json_object_get(m, "arrivals"));
    char model[160];
    if (open)
        snprintf(model, sizeof model, "open model: requests sent on a schedule (%s arrivals), "
                 "whether or not earlier ones were answered", arr ? arr : "constant");
    else
        snprintf(model, sizeof model, "closed model: %.0f client%s, each sending when its "
                 "previous request was answered (and its think time passed)",
                 setting(m, "clients"), setting(m, "clients") == 1 ? "" : "s");
    /* measured_s, the overall's: what ran (an interrupted run's part of the duration) */
    const json_t *all = L;
    for (size_t i = 0; i < in->doc->nresults; i++)
        if (in->doc->results[i].load && in->doc->results[i].name &&
            !strcmp(in->doc->results[i].name, "overall"))
            all = in->doc->results[i].load;
    double measured = setting(all, "measured_s");
    if (isnan(measured)) measured = setting(m, "duration_s");
    mline(l, n, max, "Load", "%s; %.3g s of warm-up, then %.3g s measured on %.0f thread%s%s",
          model, setting(m, "warmup_s"), measured, setting(m, "threads"),
          setting(m, "threads") == 1 ? "" : "s",
          json_is_true(json_object_get(all, "partial")) ? " (interrupted)" : "");
    mline(l, n, max, "Latency",
          "every request timed from its intended start (its slot in the schedule, or when its "
          "client was ready: coordinated omission corrected) into an HDR histogram of 3 "
          "significant digits; median, percentiles, min and max are of the requests, with "
          "95%% CIs by order statistics");
    mline(l, n, max, "Samples",
          "one per interval of %.3g s: its mean latency; stddev, CV and outliers are of these "
          "intervals (a CV above 5%% says the latency moved during the run, not that too few "
          "requests were timed)",
          setting(m, "interval_s"));
    return true;
}

size_t tool_rep_method(const tool_report_in *in, tool_rep_method_line *l, size_t max)
{
    size_t n = 0;
    bool counted = tool_metric_deterministic(in->metric);
    if (in->metric != TOOL_METRIC_WALL)
        mline(l, &n, max, "Metric",
              "%s (%s)%s; the statistics below are of its values, not of times",
              tool_metric_name(in->metric), tool_rep_metric_unit(in->metric),
              in->metric == TOOL_METRIC_ALLOCS
                  ? ", counted by the memory pass: exact, the same binary gives the same count"
              : counted
                  ? ", counted under Valgrind's callgrind: the same binary gives the same count"
                  : "");
    if (counted) method_counted(in, l, &n, max);
    else if (!method_load(in, l, &n, max) && !method_suite(in, l, &n, max))
        method_sampled(in, l, &n, max);
    if (in->cmp && in->cmp->deterministic)
        mline(l, &n, max, "Comparison",
              "change = new/base - 1 of the count, one value per side; no test and no CI, as a "
              "count has no sampling error: regressed (or improved) when the change is beyond "
              "the noise threshold of %.3g%%, else unchanged; critical at %.3g%%",
              in->cmp->noise * 100, in->cmp->critical * 100);
    else if (in->cmp) {
        /* The test the rows took: Welch's on the rounds when both sides have several
         * (compare.c), else Mann-Whitney's on the samples. */
        size_t by_rounds = 0, by_samples = 0;
        for (size_t i = 0; i < in->cmp->nrows; i++) {
            if (in->cmp->rows[i].by_rounds) by_rounds++;
            else if (!isnan(in->cmp->rows[i].p)) by_samples++;
        }
        const char *mw = "two-sided Mann-Whitney U test (tie- and continuity-corrected)";
        const char *welch = "Welch's t-test on the log medians of the worker rounds, one value "
                            "per round (the CI by a bootstrap over rounds, then samples)";
        char test[400];
        if (by_rounds && by_samples)
            snprintf(test, sizeof test, "%s where both sides have several rounds, else a %s",
                     welch, mw);
        else snprintf(test, sizeof test, "%s", by_rounds ? welch : mw);
        mline(l, &n, max, "Comparison",
              "change = median(new)/median(base) - 1 with a bootstrap 95%% CI; %s, "
              "Benjamini-Hochberg across the suite (alpha %.3g); a regression needs "
              "significance and the whole CI beyond the noise threshold of %.3g%%; critical "
              "at %.3g%%",
              test, in->cmp->alpha, in->cmp->noise * 100, in->cmp->critical * 100);
    }
    /* the run has no times (docs/instructions.md), whatever the metric shown (certify's
     * is wall time) and though its benchmarks all failed under Valgrind */
    if (tool_rep_suite_name(in->doc))
        mline(l, &n, max, "Targets",
              "declared in .tach/config for the rows' names; checked against this run's mean, "
              "median, p99 and throughput (from the median)");
    else if (in->metric != TOOL_METRIC_ALLOCS && (counted || tool_doc_counted_instructions(in->doc)))
        mline(l, &n, max, "Targets",
              "declared in code (TACH_BENCH(..., .max_p99_ns = ...)) and in .tach/config; the "
              "time and rate targets are not checked on a run that counted instructions, the "
              "memory targets against the figures the run carries");
    else
        mline(l, &n, max, "Targets",
              "declared in code (TACH_BENCH(..., .max_p99_ns = ...)) and in .tach/config; checked "
              "against this run's mean, median, p99 and throughput (from the median)");
    return n;
}

/* The unit for a time of magnitude ns: its divisor and symbol. */
static void time_unit(double ns, double *div, const char **sym)
{
    double a = fabs(ns);
    if (a >= 1e9) *div = 1e9, *sym = "s";
    else if (a >= 1e6) *div = 1e6, *sym = "ms";
    else if (a >= 1e3) *div = 1e3, *sym = "\xc2\xb5s";
    else *div = 1, *sym = "ns";
}

/* Decimals that show x with at least `sig` significant digits in its unit; 0 with
 * sig - 1, as tach__fmt_time writes it (0.00 ns), so that a median of 0 reads as its
 * mean and p99 beside it do. */
static int decimals_for(double x, int sig)
{
    if (!(x > 0)) return sig - 1;
    int d = sig - 1 - (int)floor(log10(x));
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

const char *tool_rep_fmt_range(double v, double lo, double hi, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    double div;
    const char *sym;
    time_unit(v, &div, &sym);
    if (!isfinite(lo) || !isfinite(hi)) {
        snprintf(buf, size, "%.*f %s", decimals_for(fabs(v) / div, 3), v / div, sym);
        return buf;
    }
    /* Enough digits that the bounds differ from the value where they do. */
    int d = decimals_for(fabs(v) / div, 3);
    while (d < 6) {
        char a[40], b[40], c[40];
        snprintf(a, sizeof a, "%.*f", d, lo / div);
        snprintf(b, sizeof b, "%.*f", d, v / div);
        snprintf(c, sizeof c, "%.*f", d, hi / div);
        if ((strcmp(a, b) || lo == v) && (strcmp(b, c) || hi == v)) break;
        d++;
    }
    snprintf(buf, size, "%.*f %s [%.*f, %.*f]", d, v / div, sym, d, lo / div, d, hi / div);
    return buf;
}

const char *tool_rep_fmt_tick(double v, double step, double ref, char *buf, size_t size)
{
    double div;
    const char *sym;
    time_unit(ref, &div, &sym);
    int d = 0;
    double st = fabs(step) / div;
    if (st > 0 && st < 1) d = (int)ceil(-log10(st));
    if (d > 6) d = 6;
    snprintf(buf, size, "%.*f %s", d, v / div, sym);
    return buf;
}

const char *tool_rep_metric_unit(tool_metric m)
{
    switch (m) {
    case TOOL_METRIC_WALL: case TOOL_METRIC_CPU: return "time";
    case TOOL_METRIC_PEAK_RSS: return "bytes";
    case TOOL_METRIC_INSTRUCTIONS: return "instructions/iter";
    case TOOL_METRIC_CYCLES_EST: return "cycles/iter";
    case TOOL_METRIC_ALLOCS: return "allocs/iter";
    default: return tool_metric_unit(m);
    }
}

const char *tool_rep_metric_quantity(tool_metric m)
{
    switch (m) {
    case TOOL_METRIC_CPU: return "CPU time";
    case TOOL_METRIC_INSTRUCTIONS: return "instructions";
    case TOOL_METRIC_CYCLES_EST: return "estimated cycles";
    case TOOL_METRIC_ALLOCS: return "allocations";
    case TOOL_METRIC_PEAK_RSS: return "peak RSS";
    default: return "time";
    }
}

static bool is_time(tool_metric m)
{
    return m == TOOL_METRIC_WALL || m == TOOL_METRIC_CPU;
}

/* A count with decimals only where it has a fraction (3 significant digits then). */
static const char *fmt_count(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.*f", decimals_for(fabs(v), 3), v);
    return buf;
}

const char *tool_rep_fmt_value(tool_metric m, double v, char *buf, size_t size)
{
    if (!isfinite(v)) snprintf(buf, size, "n/a");
    else if (is_time(m)) tach__fmt_time(v, buf, size);
    else if (m == TOOL_METRIC_PEAK_RSS) tach__fmt_bytes(v * 1024.0, buf, size);
    else {
        char n[48];
        snprintf(buf, size, "%s %s", fmt_count(v, n, sizeof n), tool_rep_metric_unit(m));
    }
    return buf;
}

const char *tool_rep_fmt_range_m(tool_metric m, double v, double lo, double hi, char *buf,
                                 size_t size)
{
    if (is_time(m)) return tool_rep_fmt_range(v, lo, hi, buf, size);
    tool_rep_fmt_value(m, v, buf, size);
    /* a deterministic count has no interval (lo == hi == v): the value alone */
    if (!isfinite(v) || !isfinite(lo) || !isfinite(hi) || (lo == v && hi == v)) return buf;
    char a[48], z[48], val[96];
    snprintf(val, sizeof val, "%s", buf);
    if (m == TOOL_METRIC_PEAK_RSS) {
        tach__fmt_bytes(lo * 1024.0, a, sizeof a);
        tach__fmt_bytes(hi * 1024.0, z, sizeof z);
    } else {
        fmt_count(lo, a, sizeof a);
        fmt_count(hi, z, sizeof z);
    }
    snprintf(buf, size, "%s [%s, %s]", val, a, z);
    return buf;
}

const char *tool_rep_fmt_tick_m(tool_metric m, double v, double step, double ref, char *buf,
                                size_t size)
{
    if (is_time(m)) return tool_rep_fmt_tick(v, step, ref, buf, size);
    if (m == TOOL_METRIC_PEAK_RSS) return tach__fmt_bytes(v * 1024.0, buf, size);
    int d = 0;
    double st = fabs(step);
    if (st > 0 && st < 1) d = (int)ceil(-log10(st));
    if (d > 6) d = 6;
    snprintf(buf, size, "%.*f", d, v);
    return buf;
}
