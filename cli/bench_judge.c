/*
 * bench_judge.c - `tach bench`'s fourth phase: record the run (one run in the store with
 * the git commit, tagged tach_bench=full|quick and with each item's duration), compare it
 * with the baseline, check every target, and build the summary: one line per criterion.
 *
 * The baseline is the run saved under the suite's name (--baseline, else [suite]
 * baseline, else "main").  When there is none yet, this run becomes it (never a quick or
 * interrupted run).  The comparison uses the suite's thresholds (--noise / [suite] noise,
 * default 5%; --critical / [suite] critical, default 10%) and the [bench "GLOB"] rules.
 * The run fails (exit 1) on a critical regression, a broken benchmark, a missed target, or
 * a one-sample slowdown beyond the critical threshold; a regression between the two
 * thresholds is a warning.  Which rows are regressions is compare's verdict alone
 * (src/judge/compare.c): a slowdown whose rounds disagree but whose whole 95% CI lies
 * beyond the critical threshold is "regressed (critical)" there, for every command.
 *
 * The headline of each criterion (docs/bench.md):
 *   throughput  the geometric mean of the rates (items/s, bytes/s, a load run's
 *               requests/s — its overall rate, not its operations' shares — or runs and
 *               iterations per second) and of their changes;
 *   latency     the largest p99 among the benchmarks: per call (a binary run with
 *               --latency: its histogram) or per run (a command), with its change;
 *   memory      the largest peak (a command's peak RSS; a counter named *peak* or *rss*);
 *   cpu         the largest user+system time per run of a command, else the largest
 *               instructions (or cycles) per iteration, else task-clock per iteration;
 *   scalability the lowest parallel efficiency at a sweep's largest thread count (the
 *               document's derived "scaling" array), with its change.
 *
 * (About 700 lines: the verdict and the five headlines read the same run, baseline and
 * comparison; split, each piece would carry the whole of cli_bench across a file line.)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "profile.h"
#include "latency.h"
#include "report_cli.h"
#include "store_cli.h"

extern char **environ;

static void fmt_num(double v, char *buf, size_t size)
{
    /* 45232 -> "45,232"; below 100 keep three significant digits */
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (v < 100) {
        snprintf(buf, size, "%.3g", v);
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", v);
    size_t n = strlen(raw), o = 0;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = 0;
}

static void fmt_change(double c, char *buf, size_t size)
{
    if (!isfinite(c)) snprintf(buf, size, "no baseline value");
    else snprintf(buf, size, "%+.1f%% vs baseline", c * 100);
}

static void fmt_time(double ns, char *buf, size_t size)
{
    if (!isfinite(ns)) snprintf(buf, size, "n/a");
    else if (ns < 1e3) snprintf(buf, size, "%.3g ns", ns);
    else if (ns < 1e6) snprintf(buf, size, "%.3g µs", ns / 1e3);
    else if (ns < 1e9) snprintf(buf, size, "%.3f ms", ns / 1e6);
    else snprintf(buf, size, "%.3f s", ns / 1e9);
}

static const tach__result *find_result(const tach__doc *d, const char *name)
{
    for (size_t i = 0; d && i < d->nresults; i++)
        if (!strcmp(d->results[i].name, name)) return &d->results[i];
    return NULL;
}

static bool usable(const tach__result *r)
{
    return r && r->status == TACH__OK && r->has_summary && r->summary.median.value > 0;
}

/* What a result's rate is: items/s, bytes/s or per second; *unit gets its name. */
static double rate_of(const tach__result *r, const char **unit)
{
    const json_t *rps = r->load ? json_object_get(r->load, "rps") : NULL;
    if (json_is_number(rps) && json_number_value(rps) > 0) {
        *unit = "requests/s";
        return json_number_value(rps);
    }
    double per_s = 1e9 / r->summary.median.value;
    if (r->items_per_iter > 0) {
        *unit = "items/s";
        return per_s * r->items_per_iter;
    }
    if (r->bytes_per_iter > 0) {
        *unit = "bytes/s";
        return per_s * r->bytes_per_iter;
    }
    *unit = r->command ? "runs/s" : "iterations/s";
    return per_s;
}

/* Which criteria the items asked for and which they measured. */
static void criteria_of(const cli_bench *b, unsigned *asked, unsigned *measured)
{
    *asked = *measured = 0;
    for (size_t i = 0; i < b->nitems; i++) {
        const cli_bitem *it = &b->items[i];
        *asked |= b->criteria ? b->criteria : it->mod->criteria ? it->mod->criteria
                                                                 : CLI_CRIT_THROUGHPUT;
        *measured |= it->measured;
    }
}

/* A load run's per-operation results: their rates are shares of its "overall" one, so
 * the throughput headline counts the run once, by its overall rate. */
static bool load_share(const tach__result *r)
{
    const json_t *op = r->load ? json_object_get(r->load, "op") : NULL;
    return json_is_string(op) && strcmp(json_string_value(op), "overall") != 0;
}

static void line_throughput(cli_bench *b)
{
    const tach__doc *d = b->doc, *base = b->src ? b->src->base_doc : NULL;
    double lsum = 0, csum = 0;
    size_t n = 0, nc = 0;
    const char *unit = NULL;
    bool mixed = false;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!usable(r) || load_share(r)) continue;
        const char *u;
        lsum += log(rate_of(r, &u));
        n++;
        if (unit && strcmp(unit, u)) mixed = true;
        unit = u;
        const tach__result *o = find_result(base, r->name);
        if (usable(o)) {
            const char *ou;
            csum += log(rate_of(r, &u) / rate_of(o, &ou));
            nc++;
        }
    }
    if (!n) {
        cli_bench_vpush(&b->lines, &b->nlines, "Throughput: no benchmark ended ok");
        return;
    }
    char v[64], c[64], of[64] = "";
    fmt_num(exp(lsum / (double)n), v, sizeof v);
    fmt_change(nc ? exp(csum / (double)nc) - 1 : NAN, c, sizeof c);
    if (n > 1) snprintf(of, sizeof of, ", geometric mean of %zu", n);
    cli_bench_vpush(&b->lines, &b->nlines, "Throughput: %s %s%s (%s)", v,
                    mixed ? "per second" : unit, of, c);
}

/* A result's p99 latency in ns: of every call (a binary run with --latency), or of every
 * run (a command); NaN when it has none. */
static double p99_of(const tach__result *r)
{
    if (!usable(r)) return NAN;
    if (r->latency && !r->latency->too_short && r->latency->count > 0) {
        const tach__lat_pct *q = tach__lat_find(r->latency, 99);
        return q ? q->value : NAN;
    }
    return r->command ? r->summary.p99 : NAN;
}

static void line_latency(cli_bench *b)
{
    const tach__result *worst = NULL;
    double p99 = NAN;
    for (size_t i = 0; i < b->doc->nresults; i++) {
        double v = p99_of(&b->doc->results[i]);
        if (isfinite(v) && !(v <= p99)) p99 = v, worst = &b->doc->results[i];
    }
    if (!worst) {
        /* timed one call at a time, but every call was too short for that (latency.h):
         * not "no binary run with --latency", which the plan line shows it was */
        size_t short_n = 0;
        for (size_t i = 0; i < b->doc->nresults; i++) {
            const tach__result *r = &b->doc->results[i];
            short_n += usable(r) && r->latency && r->latency->too_short;
        }
        if (short_n)
            cli_bench_vpush(&b->lines, &b->nlines,
                            "Latency p99: no percentile: the calls of the %zu benchmark%s run "
                            "with --latency were too short to time one at a time",
                            short_n, short_n == 1 ? "" : "s");
        else
            cli_bench_vpush(&b->lines, &b->nlines, "Latency p99: no per-call latency in the "
                                                   "results (no command, and no binary run "
                                                   "with --latency)");
        return;
    }
    const tach__result *o = find_result(b->src ? b->src->base_doc : NULL, worst->name);
    double op = o ? p99_of(o) : NAN;
    char v[64], c[64];
    fmt_time(p99, v, sizeof v);
    fmt_change(op > 0 ? p99 / op - 1 : NAN, c, sizeof c);
    cli_bench_vpush(&b->lines, &b->nlines, "Latency p99: %s per %s, the highest, of %s (%s)", v,
                    worst->command ? "run" : "call", worst->name, c);
}

/* A result's peak memory in bytes (NaN when it has none): the measured region's peak live
 * heap (--memory), else the peak RSS (a command's runs, or the worker's), else a counter. */
static double peak_of(const tach__result *r, double *target)
{
    double best = NAN;
    *target = 0;
    if (r->memory.measured && isfinite(r->memory.peak_bytes) && r->memory.peak_bytes > 0) {
        *target = r->max_peak_bytes;
        return r->memory.peak_bytes;
    }
    if (r->memory.measured && isfinite(r->memory.peak_rss_bytes) && r->memory.peak_rss_bytes > 0) {
        *target = r->max_rss_bytes;
        return r->memory.peak_rss_bytes;
    }
    *target = r->max_rss_bytes;
    if (r->max_rss_kib)
        for (size_t i = 0; i < r->nsamples; i++)
            if (!(r->max_rss_kib[i] * 1024 <= best)) best = r->max_rss_kib[i] * 1024;
    for (size_t i = 0; i < r->ncounters; i++)
        if ((strstr(r->counters[i].name, "peak") || strstr(r->counters[i].name, "rss")) &&
            !(r->counters[i].value <= best))
            best = r->counters[i].value;
    return best;
}

static void line_memory(cli_bench *b)
{
    const tach__result *worst = NULL;
    double peak = NAN, target = 0, t;
    for (size_t i = 0; i < b->doc->nresults; i++) {
        double p = peak_of(&b->doc->results[i], &t);
        if (isfinite(p) && !(p <= peak)) peak = p, worst = &b->doc->results[i], target = t;
    }
    if (!worst) {
        const tach__result *u = NULL;
        for (size_t i = 0; i < b->doc->nresults && !u; i++)
            if (b->doc->results[i].memory.unavailable) u = &b->doc->results[i];
        if (u)
            cli_bench_vpush(&b->lines, &b->nlines, "Memory: not measured (%s: %s)", u->name,
                            u->memory.unavailable);
        else
            cli_bench_vpush(&b->lines, &b->nlines, "Memory: no peak measured (no command, and "
                                                   "no memory counter in the binaries' results)");
        return;
    }
    const tach__result *o = find_result(b->src ? b->src->base_doc : NULL, worst->name);
    double ot;
    double op = o ? peak_of(o, &ot) : NAN;
    char c[64], tg[96] = "";
    fmt_change(op > 0 ? peak / op - 1 : NAN, c, sizeof c);
    if (target > 0)
        snprintf(tg, sizeof tg, "; target %.1f MB: %s", target / 1e6, peak <= target ? "met" : "missed");
    cli_bench_vpush(&b->lines, &b->nlines, "Memory: %.1f MB peak, the highest, of %s (%s%s)",
                    peak / 1e6, worst->name, c, tg);
}

/* What a result's CPU figure is: a command's user+system ns per run, a counter's count
 * per iteration (instructions, else cycles), or CPU ns per iteration (task-clock, on a
 * machine without hardware counters). */
enum { CPU_RUN, CPU_COUNT, CPU_TASK };

static double cpu_of(const tach__result *r, int *kind)
{
    *kind = CPU_RUN;
    if (r->user_ns && r->sys_ns && r->nsamples) {
        double s = 0;
        for (size_t i = 0; i < r->nsamples; i++) s += r->user_ns[i] + r->sys_ns[i];
        return s / (double)r->nsamples;
    }
    const tach__hwcount *hw = tach__result_hw(r, "instructions");
    if (!hw) hw = tach__result_hw(r, "cycles");
    if (hw && isfinite(hw->per_iter)) {
        *kind = CPU_COUNT;
        return hw->per_iter;
    }
    for (size_t i = 0; i < r->ncounters; i++)
        if (!strcmp(r->counters[i].name, "instructions") || !strcmp(r->counters[i].name, "cycles")) {
            *kind = CPU_COUNT;
            return r->counters[i].value;
        }
    hw = tach__result_hw(r, "task-clock");
    if (hw && isfinite(hw->per_iter)) {
        *kind = CPU_TASK;
        return hw->per_iter;
    }
    return NAN;
}

static void line_cpu(cli_bench *b)
{
    const tach__result *worst = NULL;
    double v = NAN;
    int kind = CPU_RUN;
    /* the first kind found among commands, counts, task-clock; its highest value */
    for (int want = CPU_RUN; want <= CPU_TASK && !worst; want++)
        for (size_t i = 0; i < b->doc->nresults; i++) {
            int k;
            double x = cpu_of(&b->doc->results[i], &k);
            if (k == want && isfinite(x) && !(x <= v)) v = x, worst = &b->doc->results[i], kind = k;
        }
    if (!worst) {
        cli_bench_vpush(&b->lines, &b->nlines, "CPU: nothing measured (no command, and no "
                                               "CPU counter in the binaries' results)");
        return;
    }
    const tach__result *o = find_result(b->src ? b->src->base_doc : NULL, worst->name);
    int ok;
    double ov = o ? cpu_of(o, &ok) : NAN;
    char val[64], c[64];
    fmt_change(ov > 0 && ok == kind ? v / ov - 1 : NAN, c, sizeof c);
    if (kind == CPU_COUNT) fmt_num(v, val, sizeof val);
    else fmt_time(v, val, sizeof val);
    static const char *const what[] = {"user+system per run", "per iteration",
                                       "CPU time (task-clock) per iteration"};
    cli_bench_vpush(&b->lines, &b->nlines, "CPU: %s %s, the highest, of %s (%s)", val, what[kind],
                    worst->name, c);
}

/* The sweep of d with the lowest parallel efficiency at its largest thread count (the
 * document's derived "scaling" array, docs/results-format.md): its name, that efficiency
 * and thread count.  NaN when d has no sweep. */
static double worst_efficiency(const tach__doc *d, const char *only, char *name, size_t size,
                               json_int_t *threads)
{
    double worst = NAN;
    json_t *j = d ? tach__doc_to_json(d) : NULL;
    size_t i;
    json_t *sw;
    json_array_foreach(json_object_get(j, "scaling"), i, sw) {
        const char *sname = json_string_value(json_object_get(sw, "sweep"));
        json_t *pts = json_object_get(sw, "points");
        json_t *last = json_array_get(pts, json_array_size(pts) ? json_array_size(pts) - 1 : 0);
        json_t *eff = json_object_get(last, "efficiency");
        if (!sname || !json_is_number(eff) || (only && strcmp(only, sname))) continue;
        if (!(json_number_value(eff) >= worst)) {
            worst = json_number_value(eff);
            snprintf(name, size, "%s", sname);
            *threads = json_integer_value(json_object_get(last, "threads"));
        }
    }
    json_decref(j);
    return worst;
}

static void line_scalability(cli_bench *b)
{
    char name[256] = "", bname[256];
    json_int_t threads = 0, bt = 0;
    double eff = worst_efficiency(b->doc, NULL, name, sizeof name, &threads);
    if (isfinite(eff)) {
        double be = worst_efficiency(b->src ? b->src->base_doc : NULL, name, bname,
                                     sizeof bname, &bt);
        char c[64];
        fmt_change(be > 0 ? eff / be - 1 : NAN, c, sizeof c);
        cli_bench_vpush(&b->lines, &b->nlines, "Scalability: efficiency %.2f at %lld threads, the "
                        "lowest, of %s (%s)", eff, (long long)threads, name, c);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < b->doc->nresults; i++)
        for (size_t k = 0; k < b->doc->results[i].nparams; k++)
            n += !strcmp(b->doc->results[i].params[k].name, "threads");
    if (n)
        cli_bench_vpush(&b->lines, &b->nlines, "Scalability: %zu results over a thread sweep "
                                               "(see the report)", n);
    else
        cli_bench_vpush(&b->lines, &b->nlines, "Scalability: no thread sweep in the results");
}

/* The tags tach bench gives its run, "KEY=VALUE" each (cli_bench_vfree): the kind of
 * run, partial, the profile folder, each item's seconds.  -1 when out of memory. */
static int run_tags(const cli_bench *b, char ***tags, size_t *ntags)
{
    int rc = cli_bench_vpush(tags, ntags, "tach_bench=%s", b->quick ? "quick" : "full");
    if (b->interrupted && rc == 0) rc = cli_bench_vpush(tags, ntags, "partial=1");
    if (b->profile_dir && rc == 0) rc = cli_bench_vpush(tags, ntags, "profile_dir=%s", b->profile_dir);
    for (size_t i = 0; i < b->nitems && rc == 0; i++) {
        if (b->items[i].status == CLI_BITEM_PENDING) continue;
        char key[200];
        cli_bitem_key(b, i, key, sizeof key);
        rc = cli_bench_vpush(tags, ntags, "%s=%.1f", key, b->items[i].seconds);
    }
    return rc;
}

static char *git_log(const cli_bench *b, const char *from, const char *to)
{
    char err[TACH__ERR_MAX];
    char *git = cli_find_executable("git", err);
    if (!git) return NULL;
    char range[200];
    snprintf(range, sizeof range, "%s..%s", from, to);
    char *argv[] = {git, "log", "--oneline", "--no-decorate", range, NULL};
    int code = 0;
    char *out = cli_spawn_capture((cli_spawner *)&b->sp, git, argv, environ, 1 << 16,
                                  30000000000ull, &code);
    tach__free(git);
    if (code != 0) {
        tach__free(out);
        return NULL;
    }
    return out;
}

/* The folded profile of result name ("MODULE/bench") in a run's profile folder, any
 * length (a baseline's folder, from its tag, was cut at 1100 bytes: "no profile on one
 * side"): the binary names it after the benchmark (tach__prof_stem; in a folder an
 * older tach wrote: tach__prof_folded_path says which).  NULL: out of memory.  Caller
 * frees. */
static char *folded_path(const char *dir, const char *name)
{
    const char *slash = strchr(name, '/');
    size_t mlen = slash ? (size_t)(slash - name) : 0, n = strlen(dir) + mlen + 2;
    char *mdir = tach__malloc(n);
    if (!mdir) return NULL;
    snprintf(mdir, n, "%s/%.*s", dir, (int)mlen, name);
    char *path = tach__prof_folded_path(mdir, slash ? slash + 1 : name);
    tach__free(mdir);
    return path;
}

/* --profile: the frames that grew in each regression, from the two runs' profiles. */
static void grown_frames(cli_bench *b, const char *base_profile)
{
    if (!base_profile) {
        b->grown_note = tach__strdup("the baseline was not profiled (run it with --profile to "
                                     "compare profiles)");
        return;
    }
    const tool_comparison *c = &b->src->cmp;
    for (size_t i = 0; i < c->nrows; i++) {
        if (c->rows[i].verdict != TOOL_REGRESSED) continue;
        char *pa = folded_path(base_profile, c->rows[i].name);
        char *pb = folded_path(b->profile_dir, c->rows[i].name);
        char err[TACH__ERR_MAX] = "out of memory";
        char *g = pa && pb ? cli_profile_grown(pa, pb, 5, err) : NULL;
        if (!g && pa && pb && access(pa, F_OK) == 0 && access(pb, F_OK) == 0) {
            /* both there, one unreadable or damaged: said, not taken for a missing one */
            cli_bench_vpush(&b->grown, &b->ngrown, "%s: the profiles cannot be compared: %s",
                            c->rows[i].name, err);
            tach__free(pa);
            tach__free(pb);
            continue;
        }
        if (!g) {
            cli_bench_vpush(&b->grown, &b->ngrown, "%s: no profile on one side (%s, %s)",
                            c->rows[i].name, pa ? pa : "?", pb ? pb : "?");
            tach__free(pa);
            tach__free(pb);
            continue;
        }
        tach__free(pa);
        tach__free(pb);
        for (char *p = g; *p;) {
            size_t n = strcspn(p, "\n");
            cli_bench_vpush(&b->grown, &b->ngrown, "%s: %.*s", c->rows[i].name, (int)n, p);
            p += n + (p[n] == '\n');
        }
        if (!*g) cli_bench_vpush(&b->grown, &b->ngrown, "%s: no frame's share grew", c->rows[i].name);
        tach__free(g);
    }
}

int cli_bench_judge(cli_bench *b, FILE *f)
{
    /* checked before the run (cli_store_precheck): a store that cannot be opened or
     * written now is a run NOT recorded, exit 1, no verdict and no report -- its document
     * kept in a file its line names, for `tach record` */
    char **tags = NULL;
    size_t ntags = 0;
    if (run_tags(b, &tags, &ntags) != 0) {
        cli_bench_vfree(tags, ntags);
        return cli_error(CLI_FAIL, "out of memory");
    }
    if (b->doc->context) cli_set_run_uid(b->doc->context); /* one record of it, at most */
    /* kept in .tach/unrecorded/ in the project (tach bench works there) before its
     * record, which a failure or a kill leaves for a tach record later */
    cli_kept kept;
    size_t n = strlen(b->root) + 8;
    char *dir = tach__malloc(n);
    if (dir) {
        snprintf(dir, n, "%s/.tach", b->root);
        (void)cli_kept_write(&kept, dir, "bench", b->doc, tags, ntags);
        tach__free(dir);
    } else {
        memset(&kept, 0, sizeof kept);
        tach__err(kept.why, "out of memory");
    }
    cli_later later = {.kept = kept.path};
    tool_store *s = NULL;
    int rc = cli_store_open_to_record(b->store_opt, &later, &s);
    if (rc == CLI_OK &&
        (rc = cli_store_record_doc(s, b->doc, tags, ntags, true, &later, &b->run_id)) != CLI_OK)
        tool_store_close(s);
    cli_bench_vfree(tags, ntags);
    if (rc != CLI_OK) {
        if (!kept.path) /* docs/bench.md promises them kept: not a silent loss */
            (void)cli_error(CLI_OK, "its results could not be kept for a tach record later: %s",
                            kept.why);
        cli_kept_free(&kept);
        return rc;
    }
    cli_kept_drop(&kept);
    /* The reads below failing (a lock, an I/O error, a lost connection) are exit 2 with
     * the store named: never 1, a regression; nor "no git commit" for a commit it could
     * not read, nor a run judged without its baseline. */
    char err[TACH__ERR_MAX] = "";
    tool_run_info info;
    int ig = tool_store_run_get(s, b->run_id, &info, err);
    if (ig < 0) {
        rc = cli_store_read_failed(s, err);
        tool_store_close(s);
        return rc;
    }
    if (ig == 0) {
        b->commit = info.commit;
        info.commit = NULL;
        tool_run_info_clear(&info);
    }
    if (f) fprintf(f, "  recorded run %lld in %s%s\n", (long long)b->run_id, tool_store_name(s),
                   b->commit ? "" : " (no git commit: not in a git work tree, or none made yet)");
    int g = tool_store_baseline_get(s, b->baseline, &b->base_id, err);
    if (g == TOOL_STORE_NOT_FOUND) {
        b->base_id = 0;
        /* A run where no benchmark ended ok (failed, skipped) would be a baseline of nothing: the next
         * good run would compare against no result at all. */
        size_t nok = 0;
        for (size_t r = 0; r < b->doc->nresults; r++) nok += b->doc->results[r].status == TACH__OK;
        if (!b->quick && !b->interrupted && nok) {
            if (tool_store_baseline_save(s, b->baseline, b->run_id, err) != 0) {
                rc = cli_store_failed(s, err);
                tool_store_close(s);
                return rc;
            }
            b->saved_baseline = true;
            if (f) fprintf(f, "  no baseline '%s' yet: run %lld saved as baseline '%s'\n",
                           cli_term(b->baseline), (long long)b->run_id, cli_term(b->baseline));
        } else if (f && (b->quick || b->interrupted)) {
            fprintf(f, "  no baseline '%s' yet (a %s run is never saved as one)\n",
                    cli_term(b->baseline), b->quick ? "quick" : "partial");
        } else if (f) {
            fprintf(f, "  no baseline '%s' yet (not saved as the first baseline: no benchmark "
                       "ended ok)\n", cli_term(b->baseline));
        }
    } else if (g != 0) {
        rc = cli_store_read_failed(s, err);
        tool_store_close(s);
        return rc;
    } else if ((ig = tool_store_run_get(s, b->base_id, &info, err)) < 0) {
        rc = cli_store_read_failed(s, err);
        tool_store_close(s);
        return rc;
    } else if (ig == 0) {
        b->base_commit = info.commit;
        info.commit = NULL;
        for (size_t t = 0; t < info.ntags; t++)
            if (!strcmp(info.tags[t].name, "profile_dir") && !b->base_profile_dir)
                b->base_profile_dir = tach__strdup(info.tags[t].value);
        tool_run_info_clear(&info);
    }
    tool_store_close(s);

    /* The run, its baseline and history, as the reports read them. */
    b->src = tach__calloc(1, sizeof *b->src);
    if (!b->src) return cli_error(CLI_FAIL, "out of memory");
    static char run_ref[32], base_ref[32];
    snprintf(run_ref, sizeof run_ref, "%lld", (long long)b->run_id);
    snprintf(base_ref, sizeof base_ref, "%lld", (long long)b->base_id);
    b->src->store_opt = b->store_opt;
    b->src->config_path = b->cfg.path;
    b->src->run = run_ref;
    if (b->base_id && b->base_id != b->run_id) b->src->baseline = base_ref;
    else b->src->no_compare = true;
    if ((rc = cli_report_gather(b->src)) != CLI_OK) return rc;
    if (b->src->base_doc) {
        snprintf(b->src->base_label, sizeof b->src->base_label, "baseline %s (run %lld)",
                 b->baseline, (long long)b->base_id);
        tool_cmp_options o;
        tool_cmp_options_default(&o);
        o.noise = b->noise;
        o.critical = b->critical;
        if (isfinite(b->cfg.alpha)) o.alpha = b->cfg.alpha;
        o.rules = b->cfg.rules;
        o.nrules = b->cfg.nrules;
        if (b->src->has_cmp) tool_comparison_free(&b->src->cmp);
        b->src->has_cmp = false;
        if (tool_compare(b->src->base_doc, b->doc, &o, &b->src->cmp, err) != 0)
            return cli_error(CLI_FAIL, "%s", err);
        b->src->has_cmp = true;
        const tool_comparison *c = &b->src->cmp;
        b->failed = tool_comparison_fails(c, TOOL_CRITICAL) ||
                    tool_comparison_untestable_fails(c) > 0;
        /* The report's regression analysis lists regressions, broken benchmarks and
         * missed targets, and the commits between for each of them. */
        size_t nreg = 0, nanalysed = 0;
        for (size_t i = 0; i < c->nrows; i++) {
            nreg += c->rows[i].verdict == TOOL_REGRESSED;
            nanalysed += c->rows[i].verdict == TOOL_REGRESSED ||
                         c->rows[i].verdict == TOOL_BROKEN || c->rows[i].targets_missed;
        }
        if (nanalysed && b->base_commit && b->commit && strcmp(b->base_commit, b->commit))
            b->commits = git_log(b, b->base_commit, b->commit);
        if (nreg && b->profile_dir) grown_frames(b, b->base_profile_dir);
    }
    /* Broken benchmarks and targets count with or without a baseline. */
    size_t met = 0, missed = 0;
    char first_miss[300] = "";
    for (size_t i = 0; i < b->doc->nresults; i++) {
        const tach__result *r = &b->doc->results[i];
        if (r->status != TACH__OK && r->status != TACH__SKIPPED) b->failed = true;
        if (r->status != TACH__OK) continue;
        tool_target_check *t = NULL;
        size_t nt = 0;
        if (tool_check_targets(b->doc, r, b->cfg.rules, b->cfg.nrules, &t, &nt) < 0) continue;
        for (size_t k = 0; k < nt; k++) {
            if (t[k].not_checked) continue; /* neither met nor missed (compare.h) */
            if (t[k].met) {
                met++;
                continue;
            }
            if (!missed++)
                snprintf(first_miss, sizeof first_miss, "%s: %s %g, measured %g", r->name,
                         t[k].name, t[k].limit, t[k].actual);
        }
        tach__free(t);
    }
    if (missed) b->failed = true;
    for (size_t i = 0; i < b->nitems; i++)
        if (b->items[i].status != CLI_BITEM_OK && b->items[i].status != CLI_BITEM_UNAVAILABLE &&
            b->items[i].status != CLI_BITEM_PENDING)
            b->failed = true;

    unsigned asked, measured;
    criteria_of(b, &asked, &measured);
    void (*const fns[])(cli_bench *) = {line_throughput, line_latency, line_memory, line_cpu,
                                        line_scalability};
    for (unsigned k = 0; k < 5; k++) {
        unsigned bit = 1u << k;
        if (!(asked & bit)) continue;
        if (measured & bit) {
            fns[k](b);
            continue;
        }
        /* the first item's reason: "CRITERION: why" among its "; "-separated reasons */
        char why[400] = "";
        const char *cname = cli_criterion_name(bit);
        for (size_t i = 0; i < b->nitems && !why[0]; i++) {
            const char *nm = b->items[i].not_measured;
            for (const char *p = nm; p && *p && !why[0];) {
                size_t len = strcspn(p, ";");
                size_t cl = strlen(cname);
                if (len > cl + 2 && !strncmp(p, cname, cl) && p[cl] == ':')
                    snprintf(why, sizeof why, "%s: %.*s", b->items[i].src->shown,
                             (int)(len - cl - 2), p + cl + 2);
                p += len;
                while (*p == ';' || *p == ' ') p++;
            }
        }
        static const char *const title[] = {"Throughput", "Latency", "Memory", "CPU",
                                            "Scalability"};
        cli_bench_vpush(&b->lines, &b->nlines, "%s: not measured%s%s%s", title[k],
                        why[0] ? " (" : "", why, why[0] ? ")" : "");
    }
    if (met + missed)
        cli_bench_vpush(&b->lines, &b->nlines, "Targets: %zu met, %zu missed%s%s%s", met, missed,
                        missed ? " (" : "", first_miss, missed ? (missed > 1 ? ", ...)" : ")") : "");
    return CLI_OK;
}
