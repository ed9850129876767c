/* cmd_history.c - `tach history [FILTER]`: each benchmark over the recorded runs, with
 * a sparkline of its median and the change points found in it (tool_change_points).
 *
 * (Over 600 lines: the table, JSON and CSV outputs and the runs list share `series` and
 * the options and are read together; the latency blocks are read through latency_cli.h,
 * the other metrics' values (--metric) in history_metric.c.) */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"
#include "report.h"
#include "cli.h"
#include "history_latency.h"
#include "options.h"
#include "callgrind.h"
#include "format.h"
#include "history_metric.h"
#include "metric.h"
#include "store_cli.h"

/* Hunter's threshold (see src/judge/changepoint.c) and the smallest segment it may cut. */
#define CP_ALPHA 0.001
#define CP_ALPHA_TEXT "0.001" /* as --help says it */
#define CP_MIN_SIZE 3
#define CP_MAX 64
/* The sparkline shows at most this many of the newest points. */
#define SPARK_MAX 40

typedef struct hist_opts {
    const char *store, *filter, *format;
    tool_run_filter f;
    long last;
    int format_i;
    bool changes, runs, help;
    const char *metric_s;  /* --metric NAME */
    tool_metric metric;
} hist_opts;

static const char *const format_names[] = {"table", "json", "csv", NULL};

#define OFF(f) offsetof(hist_opts, f)
static const tach__opt hist_table[] = {
    CLI_ROW_STORE(hist_opts, store),
    {.kind = TACH__OPT_STRING, .name = "machine", .metavar = "FP", .offset = OFF(f.machine),
     .help = "only runs on the machine with this fingerprint (16 hex\n"
             "digits, as --runs shows them; 'this': here)"},
    {.kind = TACH__OPT_STRING, .name = "branch", .metavar = "NAME", .offset = OFF(f.branch),
     .help = "only runs on this git branch"},
    {.kind = TACH__OPT_STRING, .name = "tag", .metavar = "K[=V]", .offset = OFF(f.tag),
     .help = "only runs carrying this tag (tach run/record --tag)"},
    {.kind = TACH__OPT_COUNT, .name = "last", .metavar = "N", .offset = OFF(last), .lo = 1,
     .hi = 100000000, .help = "only the newest N runs"},
    {.kind = TACH__OPT_FLAG, .name = "changes", .offset = OFF(changes),
     .help = "list every change point: run, commit, levels, change, p\n"
             "(the table's; json and csv always have them)"},
    {.kind = TACH__OPT_FLAG, .name = "runs", .offset = OFF(runs),
     .help = "list the runs instead (id, time, commit, branch, machine);\n"
             "not with FILTER, --changes or --metric, which follow benchmarks"},
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "FMT", .offset = OFF(format_i),
     .choices = format_names, .help = "table (default), json or csv"},
    {.kind = TACH__OPT_STRING, .name = "metric", .metavar = "NAME", .offset = OFF(metric_s),
     .help = "what to follow: wall (default), cpu, instructions,\n"
             "cycles-est, allocs or peak-rss (runs without it are left out)"},
    CLI_ROW_HELP(hist_opts),
};

CLI_OPTIONS(history, hist_table,
    "usage: tach history [OPTIONS] [FILTER]\n\n"
    "Shows each benchmark over the recorded runs (oldest to newest): its first and last\n"
    "median, a sparkline of the median per run (its bars span at least 2% of the median:\n"
    "medians within 0.1% of each other draw flat; a \xc2\xb7 for a run without one: the\n"
    "benchmark failed, crashed, timed out or was skipped there), and the change points\n"
    "found (E-Divisive means with a Welch t-test, as Hunter does it; alpha " CP_ALPHA_TEXT ").\n"
    "FILTER keeps benchmarks whose name contains it, or matches it when it holds * ? or [.\n\n",
    "exit: 0 shown, or no runs to show: an empty store, or --machine, --branch or --tag\n"
    "matching no run (\"no runs matching\"; json, csv: no benchmark); 2 bad usage, no store or\n"
    "one that cannot be opened or read (a lock, an I/O error, a lost connection: the store\n"
    "named), a FILTER matching no benchmark (among the runs kept, those filters given or\n"
    "not), no run with the metric's values\n")

/* filter is escaped as the store's names are (tach__text_escaped), so that raw bytes not
 * UTF-8 given on the command line match the benchmark they name */
static bool name_matches(const char *name, const char *filter)
{
    if (!filter) return true;
    char *e = tach__text_escaped(filter);
    const char *f = e ? e : filter;
    bool m = strpbrk(f, "*?[") ? fnmatch(f, name, 0) == 0 : strstr(name, f) != NULL;
    tach__free(e);
    return m;
}

/* ---- one benchmark's series -------------------------------------------------------- */

typedef struct series {
    char *name;
    tool_history_point *pts;
    size_t n;
    tool_change cps[CP_MAX];
    size_t ncps;
    size_t *cp_point; /* cps[k].index mapped back to an index into pts */
    double *p50, *p99; /* per-call latency per point (NaN: none); NULL when no run has it */
    long nlat;
    bool *quick;       /* per point: its run was a tach suite --quick run (run_quick.c) */
} series;

static void series_free(series *s)
{
    tool_history_free(s->pts, s->n);
    free(s->cp_point);
    tach__free(s->p50);
    tach__free(s->p99);
    tach__free(s->quick);
}

/* Fills s->quick, each point's run looked up in qc.  0, or -1 with err. */
static int mark_quick(series *s, cli_quick_runs *qc, char *err)
{
    s->quick = tach__calloc(s->n ? s->n : 1, sizeof *s->quick);
    if (!s->quick) return tach__err(err, "out of memory");
    for (size_t i = 0; i < s->n; i++)
        if (cli_run_quick(qc, s->pts[i].run_id, &s->quick[i], err) != 0) return -1;
    return 0;
}

/* The runs of ss's points that were --quick runs, each once, ascending: a new array
 * (*n of them), NULL when none or out of memory. */
static int64_t *quick_ids(const series *ss, size_t n, size_t *nq)
{
    *nq = 0;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += ss[i].n;
    int64_t *ids = tach__malloc((total ? total : 1) * sizeof *ids);
    if (!ids) return NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ss[i].n; k++) {
            if (!ss[i].quick || !ss[i].quick[k]) continue;
            int64_t id = ss[i].pts[k].run_id;
            size_t at = 0;
            while (at < *nq && ids[at] < id) at++;
            if (at < *nq && ids[at] == id) continue;
            memmove(ids + at + 1, ids + at, (*nq - at) * sizeof *ids);
            ids[at] = id;
            (*nq)++;
        }
    if (!*nq) {
        tach__free(ids);
        return NULL;
    }
    return ids;
}

static bool usable(const tool_history_point *p)
{
    return p->status == TACH__OK && isfinite(p->median);
}

static int find_changes(series *s)
{
    double *x = malloc((s->n ? s->n : 1) * sizeof *x);
    size_t *map = malloc((s->n ? s->n : 1) * sizeof *map);
    if (!x || !map) {
        free(x);
        free(map);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (usable(&s->pts[i])) {
            x[m] = s->pts[i].median;
            map[m++] = i;
        }
    s->ncps = m >= 2 * CP_MIN_SIZE ? tool_change_points(x, m, CP_ALPHA, CP_MIN_SIZE, s->cps, CP_MAX)
                                   : 0;
    s->cp_point = calloc(s->ncps ? s->ncps : 1, sizeof *s->cp_point);
    if (!s->cp_point) {
        free(x);
        free(map);
        return -1;
    }
    for (size_t k = 0; k < s->ncps; k++) s->cp_point[k] = map[s->cps[k].index];
    free(x);
    free(map);
    return 0;
}

/* ---- rendering ------------------------------------------------------------------------- */

/* Fills s's p50 / p99 from the runs' documents (left NULL when none has them). */
static int lat_trend(cli_lat_cache *lat, series *s, char *err)
{
    if (!lat) return tach__err(err, "out of memory");
    if (!s->n) return 0;
    s->p50 = tach__calloc(s->n, sizeof *s->p50);
    s->p99 = tach__calloc(s->n, sizeof *s->p99);
    if (!s->p50 || !s->p99) return tach__err(err, "out of memory");
    s->nlat = cli_lat_trend(lat, s->name, s->pts, s->n, s->p50, s->p99, err);
    if (s->nlat < 0) return -1;
    if (s->nlat == 0) {
        tach__free(s->p50);
        tach__free(s->p99);
        s->p50 = s->p99 = NULL;
    }
    return 0;
}

static void sparkline(const series *s, char *out, size_t size)
{
    static const char *bars[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    size_t first = s->n > SPARK_MAX ? s->n - SPARK_MAX : 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = first; i < s->n; i++)
        if (usable(&s->pts[i])) {
            if (s->pts[i].median < lo) lo = s->pts[i].median;
            if (s->pts[i].median > hi) hi = s->pts[i].median;
        }
    /* a series within 2% of its middle draws around the fourth bar, as a flat one */
    if (isfinite(lo)) tool_spark_scale(&lo, &hi, 3.0 / 7.0);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = first; i < s->n && o + 4 < size; i++) {
        const char *c = "·";
        if (usable(&s->pts[i])) {
            int level = 3;
            if (hi > lo) level = (int)lround((s->pts[i].median - lo) / (hi - lo) * 7.0);
            if (level < 0) level = 0;
            if (level > 7) level = 7;
            c = bars[level];
        }
        size_t cl = strlen(c);
        memcpy(out + o, c, cl);
        o += cl;
        out[o] = '\0';
    }
}

static const tool_history_point *first_usable(const series *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (usable(&s->pts[i])) return &s->pts[i];
    return NULL;
}

static const tool_history_point *last_usable(const series *s)
{
    for (size_t i = s->n; i-- > 0;)
        if (usable(&s->pts[i])) return &s->pts[i];
    return NULL;
}

/* A change point's change as a percentage; "n/a" for a level that rose from 0 (no
 * percentage, as tach compare says it; JSON null): it read "+inf%". */
static const char *cp_pct(double change, char *buf, size_t size)
{
    if (isfinite(change)) snprintf(buf, size, "%+.1f%%", change * 100.0);
    else snprintf(buf, size, "n/a");
    return buf;
}

static void print_change(const series *s, size_t k, const char *indent, tool_metric metric)
{
    const tool_change *c = &s->cps[k];
    const tool_history_point *p = &s->pts[s->cp_point[k]];
    char b[48], a[48]; /* the levels in the metric's unit (a count is no time) */
    tool_metric_fmt(metric, c->before, b, sizeof b);
    tool_metric_fmt(metric, c->after, a, sizeof a);
    /* p alone: 1 - p is no confidence that the level shifted, and the p of the best of
     * many candidate splits is optimistic (docs/statistics.md) */
    char pv[24], pc[32];
    printf("%schange at run %lld (%.10s, commit %.10s): %s -> %s (%s, %s)\n", indent,
           (long long)p->run_id, p->time ? p->time : "?", p->commit ? p->commit : "unknown", b,
           a, cp_pct(c->change, pc, sizeof pc), tool_rep_pvalue_is("p", c->p, pv, sizeof pv));
}

/* The per-call p50 / p99 of the benchmarks whose runs carry latency blocks: the
 * first and last value and the change of each. */
static void print_latency_trends(const series *ss, size_t n)
{
    bool head = false;
    for (size_t i = 0; i < n; i++) {
        const series *s = &ss[i];
        if (s->nlat <= 0) continue;
        if (!head) {
            printf("\nlatency per call (runs with per-call histograms; first -> last):\n");
            head = true;
        }
        size_t f = 0, l = s->n;
        while (f < s->n && isnan(s->p50[f])) f++;
        while (l > 0 && isnan(s->p50[l - 1])) l--;
        l--;
        char a[32], b[32], c[32], d[32], e[40] = "", g[40] = "";
        if (l > f && s->p50[f] > 0) snprintf(e, sizeof e, " (%+.1f%%)", (s->p50[l] / s->p50[f] - 1) * 100);
        if (l > f && s->p99[f] > 0) snprintf(g, sizeof g, " (%+.1f%%)", (s->p99[l] / s->p99[f] - 1) * 100);
        printf("  %s: %ld run%s  p50 %s -> %s%s  p99 %s -> %s%s\n", cli_term(s->name), s->nlat,
               s->nlat == 1 ? "" : "s", tach__fmt_time(s->p50[f], a, sizeof a),
               tach__fmt_time(s->p50[l], b, sizeof b), e, tach__fmt_time(s->p99[f], c, sizeof c),
               tach__fmt_time(s->p99[l], d, sizeof d), g);
    }
}

/* The name column is at most NAME_COLS display columns wide (cli_term_cell cuts it). */
#define NAME_COLS 48

/* Whether pairs holds {"runs": [a, b]} already. */
static bool pair_seen(json_t *pairs, int64_t a, int64_t b)
{
    size_t j;
    json_t *v;
    json_array_foreach(pairs, j, v) {
        json_t *r = json_object_get(v, "runs");
        if (json_integer_value(json_array_get(r, 0)) == a && json_integer_value(json_array_get(r, 1)) == b)
            return true;
    }
    return false;
}

/* The table's notes of pairs (inputs_pairs, rates_pairs, load_pairs), taken: "note: runs
 * A and B WHAT (why): MEANING" for the first 4, then "note: and N more pairs of runs MORE". */
static void pairs_note(json_t *pairs, const char *what, const char *meaning, const char *more)
{
    enum { SHOWN = 4 };
    size_t np = json_array_size(pairs), j;
    json_t *v;
    json_array_foreach(pairs, j, v) {
        if (j == SHOWN) break;
        json_t *r = json_object_get(v, "runs");
        printf("%snote: runs %lld and %lld %s (%s): %s\n", j == 0 ? "\n" : "",
               (long long)json_integer_value(json_array_get(r, 0)),
               (long long)json_integer_value(json_array_get(r, 1)), what,
               cli_term(json_string_value(json_object_get(v, "why"))), meaning);
    }
    if (np > SHOWN) printf("note: and %zu more pairs of runs %s\n", np - SHOWN, more);
    json_decref(pairs);
}

/* The pairs of consecutive runs a, b of each series wants takes (NULL: every series),
 * each pair of runs once, as build makes them: the pair's object, or NULL to pass it by
 * (a later series may take it).  The walk of inputs_pairs, rates_pairs and load_pairs; a
 * new array, oldest first (NULL when out of memory). */
typedef json_t *pair_build_cb(const char *name, int64_t a, int64_t b, const tach__doc *da,
                              const tach__result *ra, const tach__doc *db, const tach__result *rb);

static json_t *walk_pairs(const series *ss, size_t n, cli_hist_mem *mem, bool (*wants)(const char *name),
                          pair_build_cb *build)
{
    json_t *pairs = json_array();
    for (size_t i = 0; pairs && mem && i < n; i++) {
        if (wants && !wants(ss[i].name)) continue;
        for (size_t k = 1; k < ss[i].n; k++) {
            int64_t a = ss[i].pts[k - 1].run_id, b = ss[i].pts[k].run_id;
            if (pair_seen(pairs, a, b)) continue;
            const tach__doc *da = NULL, *db = NULL;
            const tach__result *ra = cli_hist_mem_result(mem, a, ss[i].name, &da);
            const tach__result *rb = cli_hist_mem_result(mem, b, ss[i].name, &db);
            json_t *pair = build(ss[i].name, a, b, da, ra, db, rb);
            if (pair) json_array_append_new(pairs, pair);
        }
    }
    return pairs;
}

/* Consecutive runs of a compression row that measured different inputs (a row's time is
 * one pass over the whole input), of a storage row on test files of other sizes (what
 * the page cache holds differs), or of a bus run through another broker (tach's, a
 * --url's): the change between them is the input's (tach compare
 * and gate refuse such a pair, tool_suite_inputs_differ; history drew it as a trend
 * without a word).  Each pair of runs once, as {"runs": [a, b], "why": ...}, oldest
 * first: the table's note and the JSON's "different_inputs" (NULL when out of memory). */
static bool inputs_wants(const char *name)
{
    return strncmp(name, "compression/", 12) == 0 || strncmp(name, "storage/", 8) == 0 ||
           strncmp(name, "bus/", 4) == 0;
}

static json_t *inputs_pair(const char *name, int64_t a, int64_t b, const tach__doc *da,
                           const tach__result *ra, const tach__doc *db, const tach__result *rb)
{
    (void)name, (void)ra, (void)rb;
    char why[512];
    if (!da || !db || !tool_suite_inputs_differ(da, db, why, sizeof why)) return NULL;
    return json_pack("{s:[I,I],s:o}", "runs", (json_int_t)a, (json_int_t)b, "why",
                     tach__json_string_lossy(why));
}

static json_t *inputs_pairs(const series *ss, size_t n, cli_hist_mem *mem)
{
    return walk_pairs(ss, n, mem, inputs_wants, inputs_pair);
}

static void inputs_note(json_t *pairs)
{
    pairs_note(pairs, "measured different inputs",
               "a compression row's time is one pass over the whole input, a storage job's "
               "depends on how much of its test file the page cache holds, a broker's on that "
               "server and the network to it, so the change between "
               "them is the input's, not a regression or an improvement", "of different inputs");
}

/* A benchmark's name in a note of the table (table), cut at a character with "…" past
 * NOTE_NAME bytes, as the load mix beside it is (a name of a long mix ran on for lines);
 * the JSON's (not table) whole. */
enum { NOTE_NAME = 120 };
static void note_name(tach__buf *b, const char *name, bool table)
{
    if (!table || strlen(name) <= NOTE_NAME) tach__buf_puts(b, name);
    else tach__buf_printf(b, "%.*s\xe2\x80\xa6", tach__utf8_prec(name, NOTE_NAME), name);
}

/* Consecutive runs of a row offered at different rates: a bus latency row, or a row of a
 * `tach load` run of the open model (tool_suite_rates_differ, the rule compare and gate
 * follow in calling such a row incomparable); history drew them as one trend without a
 * word.  Each pair of runs once, with the first row found at different rates, as
 * {"runs": [a, b], "benchmark", "base_rate", "new_rate", "unit", "why"}, oldest first:
 * the table's note and the JSON's "different_rates" (NULL when out of memory). */
static json_t *rates_pair_why(const char *name, int64_t a, int64_t b, const tach__doc *da,
                              const tach__result *ra, const tach__doc *db, const tach__result *rb,
                              bool table)
{
    double x, y;
    bool requests = false;
    if (!tool_suite_rates_differ(da, ra, db, rb, &x, &y, &requests)) return NULL;
    /* the phrase compare's verdict gives (tool_cmp_rates_text) */
    tool_cmp_row row;
    memset(&row, 0, sizeof row);
    row.verdict = TOOL_INCOMPARABLE;
    row.base_rate = x;
    row.new_rate = y;
    row.rate_requests = requests;
    char text[96];
    (void)tool_cmp_rates_text(&row, text, sizeof text);
    tach__buf why = {0}; /* whole, however long the name (512 bytes cut it in a character) */
    note_name(&why, name, table);
    tach__buf_printf(&why, " %s", text);
    char *w = tach__buf_take(&why);
    json_t *pair = json_pack("{s:[I,I],s:o,s:f,s:f,s:s,s:o}", "runs", (json_int_t)a, (json_int_t)b,
                             "benchmark", tach__json_string_lossy(name), "base_rate", x, "new_rate", y,
                             "unit", requests ? "requests/s" : "msgs/s", "why",
                             w ? tach__json_string_lossy(w) : NULL);
    tach__free(w);
    return pair;
}

static json_t *rates_pair(const char *name, int64_t a, int64_t b, const tach__doc *da,
                          const tach__result *ra, const tach__doc *db, const tach__result *rb)
{
    return rates_pair_why(name, a, b, da, ra, db, rb, false);
}

static json_t *rates_pair_cut(const char *name, int64_t a, int64_t b, const tach__doc *da,
                              const tach__result *ra, const tach__doc *db, const tach__result *rb)
{
    return rates_pair_why(name, a, b, da, ra, db, rb, true);
}

static json_t *rates_pairs(const series *ss, size_t n, cli_hist_mem *mem)
{
    return walk_pairs(ss, n, mem, NULL, rates_pair);
}

static void rates_note(json_t *pairs)
{
    pairs_note(pairs, "offered different rates",
               "a latency at one rate is no change from another's, not a regression or an "
               "improvement", "at different rates");
}

/* Consecutive runs of a row of `tach load` runs loaded otherwise than by their rate:
 * other clients, think time, threads, mix of operations or model
 * (tool_load_settings_differ, the rule compare and gate follow in calling such a row
 * incomparable).  Each pair of runs
 * once, with the first row found loaded otherwise, as {"runs": [a, b], "benchmark",
 * "different": "clients", "why"}, oldest first: the table's note (table: each side of a
 * long mix cut at a character, with "…", as compare's verdict, and a long name) and the JSON's
 * "different_load" (the whole of it), NULL when out of memory. */
static json_t *load_pair_why(const char *name, int64_t a, int64_t b, const tach__doc *da,
                             const tach__result *ra, const tach__doc *db, const tach__result *rb,
                             bool table)
{
    /* offered at other rates: in different_rates, not twice */
    if (tool_suite_rates_differ(da, ra, db, rb, NULL, NULL, NULL)) return NULL;
    char *x, *y;
    const char *what = tool_load_settings_differ(da, ra, db, rb, &x, &y);
    if (!what) return NULL;
    /* the phrase compare's verdict gives (tool_cmp_rates_text) */
    tach__buf why = {0};
    if (table) {
        tool_cmp_row row;
        memset(&row, 0, sizeof row);
        row.verdict = TOOL_INCOMPARABLE;
        row.load_differs = what;
        row.load_base = x;
        row.load_new = y;
        char text[400]; /* compare's verdict's room */
        note_name(&why, name, true);
        tach__buf_printf(&why, ": %s", tool_cmp_rates_text(&row, text, sizeof text));
    } else {
        tach__buf_printf(&why, "%s: different %s: %s against %s", name, what, x ? x : "?", y ? y : "?");
    }
    tach__free(x);
    tach__free(y);
    char *text = tach__buf_take(&why);
    json_t *pair = json_pack("{s:[I,I],s:o,s:s,s:o}", "runs", (json_int_t)a, (json_int_t)b, "benchmark",
                             tach__json_string_lossy(name), "different", what, "why",
                             text ? tach__json_string_lossy(text) : NULL);
    tach__free(text);
    return pair;
}

static json_t *load_pair(const char *name, int64_t a, int64_t b, const tach__doc *da,
                         const tach__result *ra, const tach__doc *db, const tach__result *rb)
{
    return load_pair_why(name, a, b, da, ra, db, rb, false);
}

static json_t *load_pair_cut(const char *name, int64_t a, int64_t b, const tach__doc *da,
                             const tach__result *ra, const tach__doc *db, const tach__result *rb)
{
    return load_pair_why(name, a, b, da, ra, db, rb, true);
}

static json_t *load_pairs(const series *ss, size_t n, cli_hist_mem *mem)
{
    return walk_pairs(ss, n, mem, NULL, load_pair);
}

static void load_note(json_t *pairs)
{
    pairs_note(pairs, "were loaded differently",
               "a latency under one load is no change from another's, not a regression or an "
               "improvement", "loaded differently");
}

static int print_table(series *ss, size_t n, const hist_opts *o, tool_store *st)
{
    /* The runs' documents the table reads (each benchmark's last run for its memory, the
     * pairs of runs its notes name) are loaded first: one that cannot be read (damaged,
     * a failed read) stops it before a line is printed, as a damaged row does. */
    cli_hist_mem *mem = cli_hist_mem_new(st);
    for (size_t i = 0; mem && i < n; i++)
        if (ss[i].n) (void)cli_hist_mem_result(mem, ss[i].pts[ss[i].n - 1].run_id, ss[i].name, NULL);
    json_t *inputs = walk_pairs(ss, n, mem, inputs_wants, inputs_pair);
    json_t *rates = walk_pairs(ss, n, mem, NULL, rates_pair_cut);
    json_t *loads = walk_pairs(ss, n, mem, NULL, load_pair_cut);
    if (cli_hist_mem_error(mem)) {
        int rc = cli_store_read_failed(st, cli_hist_mem_error(mem));
        json_decref(inputs);
        json_decref(rates);
        json_decref(loads);
        cli_hist_mem_free(mem);
        return rc;
    }
    /* the unit once ("allocs", not "allocs (allocs)"), and a count said to be one; cpu's
     * and peak-rss's cells are times and sizes in their own units (cli_history_fmt_value),
     * so the line says what they measure, not the ns or KiB the JSON and CSV hold */
    const char *mname = tool_metric_name(o->metric), *munit = tool_metric_unit(o->metric);
    if (o->metric == TOOL_METRIC_CPU) munit = "user + system time";
    else if (o->metric == TOOL_METRIC_PEAK_RSS) munit = "peak resident set size";
    if (o->metric != TOOL_METRIC_WALL)
        printf("metric: %s%s%s%s%s\n", mname, strcmp(mname, munit) ? " (" : "",
               strcmp(mname, munit) ? munit : "", strcmp(mname, munit) ? ")" : "",
               tool_metric_deterministic(o->metric) ? ", an exact count: one value per run" : "");
    int w = 9;
    for (size_t i = 0; i < n; i++) {
        int l = (int)tach__display_width(cli_term(ss[i].name));
        if (l > w) w = l;
    }
    if (w > NAME_COLS) w = NAME_COLS;
    int sw = 5; /* the sparkline column: one character per shown point */
    for (size_t i = 0; i < n; i++) {
        int c = (int)(ss[i].n > SPARK_MAX ? SPARK_MAX : ss[i].n);
        if (c > sw) sw = c;
    }
    int cw = 8; /* the change column grows to its widest cell (+19900.0%) */
    for (size_t i = 0; i < n; i++) {
        const tool_history_point *f = first_usable(&ss[i]), *l = last_usable(&ss[i]);
        char ch[32];
        if (f && l && f != l && f->median > 0) {
            int cl = snprintf(ch, sizeof ch, "%+.1f%%", (l->median / f->median - 1.0) * 100.0);
            if (cl > cw) cw = cl;
        }
    }
    printf("%-*s %5s %11s %11s  %*s  %-*s %s\n", w, "benchmark", "runs", "first", "last", cw,
           "change", sw, "trend", "shifts");
    for (size_t i = 0; i < n; i++) {
        series *s = &ss[i];
        const tool_history_point *f = first_usable(s), *l = last_usable(s);
        char fb[32] = "-", lb[32] = "-", ch[32] = "-", spark[SPARK_MAX * 4 + 1];
        if (f) cli_history_fmt_value(o->metric, f->median, fb, sizeof fb);
        if (l) cli_history_fmt_value(o->metric, l->median, lb, sizeof lb);
        if (f && l && f != l && f->median > 0)
            snprintf(ch, sizeof ch, "%+.1f%%", (l->median / f->median - 1.0) * 100.0);
        else if (f && l && f != l) /* from 0: no percentage, as the shifts column says */
            snprintf(ch, sizeof ch, "n/a");
        sparkline(s, spark, sizeof spark);
        char shifts[96] = "";
        if (s->ncps) {
            const tool_change *c = &s->cps[s->ncps - 1];
            char pc[32];
            snprintf(shifts, sizeof shifts, "%zu (last: run %lld, %s)", s->ncps,
                     (long long)s->pts[s->cp_point[s->ncps - 1]].run_id,
                     cp_pct(c->change, pc, sizeof pc));
        } else {
            snprintf(shifts, sizeof shifts, "-");
        }
        /* Pad the sparkline by its display width (one column per point). */
        size_t cols = s->n > SPARK_MAX ? SPARK_MAX : s->n;
        char c1[40], c2[40], nb[NAME_COLS * 4 + 8];
        printf("%s %5zu %s %s  %*s  %s%*s %s\n", cli_term_cell(s->name, w, nb, sizeof nb), s->n, tach__pad(fb, 11, c1, sizeof c1),
               tach__pad(lb, 11, c2, sizeof c2), cw, ch, spark, (int)cols < sw ? sw - (int)cols : 0, "", shifts);
        if (o->changes)
            for (size_t k = 0; k < s->ncps; k++) print_change(s, k, "    ", o->metric);
    }
    /* Memory of each benchmark's last run, when it was counted (docs/memory.md). */
    bool header = false;
    for (size_t i = 0; mem && i < n; i++) {
        const tool_history_point *l = ss[i].n ? &ss[i].pts[ss[i].n - 1] : NULL;
        char line[512];
        const tach__doc *ld = NULL;
        const tach__result *lr = l ? cli_hist_mem_result(mem, l->run_id, ss[i].name, &ld) : NULL;
        if (!lr || !cli_hist_mem_line(ld, lr, line, sizeof line)) continue;
        if (!header) printf("\nmemory (last run):\n");
        header = true;
        char nb[NAME_COLS * 4 + 8];
        printf("  %s %s\n", cli_term_cell(ss[i].name, w, nb, sizeof nb), line);
    }
    inputs_note(inputs);
    rates_note(rates);
    load_note(loads);
    cli_hist_mem_free(mem);
    print_latency_trends(ss, n);
    /* One series mixing machines compares machines, not commits: say so. */
    char *machines[4] = {0};
    size_t nm = 0;
    for (size_t i = 0; i < n && nm < 4; i++)
        for (size_t k = 0; k < ss[i].n && nm < 4; k++) {
            const char *m = ss[i].pts[k].machine;
            bool seen = !m;
            for (size_t a = 0; a < nm && !seen; a++) seen = !strcmp(machines[a], m);
            if (!seen) machines[nm++] = (char *)m;
        }
    if (nm > 1 && !o->f.machine)
        printf("\nnote: these runs come from %s%zu machines; --machine FP (see 'tach history "
               "--runs') or --machine this keeps one\n",
               nm == 4 ? "at least " : "", nm);
    /* Runs that were --quick smoke tests, as tach report and compare mark them. */
    size_t nq = 0;
    int64_t *qids = quick_ids(ss, n, &nq);
    if (nq) {
        printf("\n");
        tach__stdout_flush();
        cli_quick_note(stdout, qids, nq);
    }
    tach__free(qids);
    return CLI_OK;
}

static json_t *jstr(const char *s)
{
    /* a store's text is not always UTF-8 (a name tach run stored as it was, a tag or a git
     * branch recorded by a tach that did not check), and json_string's NULL would drop the
     * key: such a byte as U+FFFD and its hex digits, as the results document and the CSV
     * (csv_field) write it, so that two names apart stay apart and read as the CSV's */
    return s ? tach__json_string_bytes(s) : json_null();
}

/* Frees the strings of a point left out of a series. */
static void free_point(tool_history_point *p)
{
    tach__free(p->time);
    tach__free(p->commit);
    tach__free(p->branch);
    tach__free(p->machine);
}

/* Under --metric: the points of runs without the metric's value left out (their
 * median NaN).  *newest is raised to the series' newest run, kept or not (the
 * message of a history left empty says why that run lacks the metric).  False when
 * none is left. */
static bool keep_measured(series *s, int64_t *newest)
{
    if (s->n && s->pts[s->n - 1].run_id > *newest) *newest = s->pts[s->n - 1].run_id;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!isnan(s->pts[i].median)) {
            s->pts[k++] = s->pts[i];
            continue;
        }
        free_point(&s->pts[i]);
    }
    s->n = k;
    return k > 0;
}

/* In wall time: the points of runs that measured no time (ok, no samples: a run that
 * counted instructions) and carry no per-call latency either left out, as --metric
 * leaves out the runs without its values (a failed run stays: its '·').  Call after
 * lat_trend.  False when none is left. */
static bool keep_timed(series *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const tool_history_point *p = &s->pts[i];
        bool untimed = p->status == TACH__OK && isnan(p->median) && p->n == 0 &&
                       !(s->p50 && !isnan(s->p50[i]));
        if (!untimed) {
            if (s->p50) {
                s->p50[k] = s->p50[i];
                s->p99[k] = s->p99[i];
            }
            s->pts[k++] = s->pts[i];
            continue;
        }
        free_point(&s->pts[i]);
    }
    s->n = k;
    return k > 0;
}

/* Prints text (json_dumps's; freed here, NULL: out of memory) and a newline.  A write
 * that fails (a full disk, a closed pipe) is one line with its reason, the one the table
 * gets at exit ("No space left on device", not stdio's bare "write error"). */
static int put_text(char *text)
{
    if (!text) return cli_error(CLI_FAIL, "out of memory");
    errno = 0;
    int bad = puts(text) == EOF;
    int e = errno;
    free(text);
    if (!bad) return CLI_OK;
    cli_stdout_drop(); /* reported here: once */
    return cli_error(CLI_FAIL, "cannot write to standard output: %s", e ? strerror(e) : "write error");
}

/* A point's samples: a count (instructions, cycles-est, allocs) is one exact value per
 * run, whatever timed samples the run also took (its timed samples were given: 45). */
static size_t point_samples(const tool_history_point *p, tool_metric metric)
{
    if (!tool_metric_deterministic(metric)) return p->n;
    return isfinite(p->median) ? 1 : 0;
}

static int print_json(series *ss, size_t n, tool_store *st, tool_metric metric)
{
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "store", jstr(tool_store_name(st))); /* a path need not be UTF-8 */
    /* the points' "median_ns" hold this metric's values, in "unit", when not wall */
    if (metric != TOOL_METRIC_WALL) {
        json_object_set_new(root, "metric", json_string(tool_metric_name(metric)));
        json_object_set_new(root, "unit", json_string(tool_metric_unit(metric)));
    }
    json_object_set_new(root, "alpha", json_real(CP_ALPHA));
    cli_hist_mem *mem = cli_hist_mem_new(st); /* each point's memory, from its run */
    for (size_t i = 0; i < n; i++) {
        series *s = &ss[i];
        json_t *b = json_object(), *pts = json_array(), *cps = json_array();
        json_object_set_new(b, "name", jstr(s->name));
        for (size_t k = 0; k < s->n; k++) {
            const tool_history_point *p = &s->pts[k];
            json_t *j = json_object();
            json_object_set_new(j, "run", json_integer(p->run_id));
            json_object_set_new(j, "time", jstr(p->time));
            json_object_set_new(j, "commit", jstr(p->commit));
            json_object_set_new(j, "branch", jstr(p->branch));
            json_object_set_new(j, "machine", jstr(p->machine));
            json_object_set_new(j, "status", json_string(tach__status_name(p->status)));
            json_object_set_new(j, "median_ns", tach__json_num(p->median));
            json_object_set_new(j, "median_ci_low_ns", tach__json_num(p->median_lo));
            json_object_set_new(j, "median_ci_high_ns", tach__json_num(p->median_hi));
            json_object_set_new(j, "mean_ns", tach__json_num(p->mean));
            json_object_set_new(j, "samples", json_integer((json_int_t)point_samples(p, metric)));
            /* a tach suite --quick run: a smoke test, not figures to publish */
            json_object_set_new(j, "quick", json_boolean(s->quick && s->quick[k]));
            const tach__doc *pd = NULL;
            const tach__result *pr = cli_hist_mem_result(mem, p->run_id, s->name, &pd);
            cli_hist_mem_json(j, pd, pr);
            if (s->p50 && !isnan(s->p50[k])) {
                json_object_set_new(j, "latency_p50_ns", json_real(s->p50[k]));
                json_object_set_new(j, "latency_p99_ns", json_real(s->p99[k]));
            }
            json_array_append_new(pts, j);
        }
        for (size_t k = 0; k < s->ncps; k++) {
            const tool_history_point *p = &s->pts[s->cp_point[k]];
            json_t *j = json_object();
            json_object_set_new(j, "run", json_integer(p->run_id));
            json_object_set_new(j, "commit", jstr(p->commit));
            json_object_set_new(j, "time", jstr(p->time));
            json_object_set_new(j, "before_ns", tach__json_num(s->cps[k].before));
            json_object_set_new(j, "after_ns", tach__json_num(s->cps[k].after));
            json_object_set_new(j, "change", tach__json_num(s->cps[k].change));
            json_object_set_new(j, "p", tach__json_num(s->cps[k].p));
            json_object_set_new(j, "confidence", tach__json_num(1.0 - s->cps[k].p));
            json_array_append_new(cps, j);
        }
        json_object_set_new(b, "points", pts);
        json_object_set_new(b, "changes", cps);
        json_array_append_new(arr, b);
    }
    json_object_set_new(root, "benchmarks", arr);
    /* the pairs of runs whose compression rows measured different inputs (the table's note) */
    json_object_set_new(root, "different_inputs", inputs_pairs(ss, n, mem));
    /* the pairs of runs whose rows were offered at different rates (the table's note) */
    json_object_set_new(root, "different_rates", rates_pairs(ss, n, mem));
    json_object_set_new(root, "different_load", load_pairs(ss, n, mem));
    if (cli_hist_mem_error(mem)) { /* a point's run whose document cannot be read */
        int rc = cli_store_read_failed(st, cli_hist_mem_error(mem));
        json_decref(root);
        cli_hist_mem_free(mem);
        return rc;
    }
    cli_hist_mem_free(mem);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(root);
    return put_text(text);
}

/* a text cell as the CSV export writes it (tach__csv_text: quoted, formulas guarded);
 * false when out of memory (nothing written) */
static bool csv_field(const char *s)
{
    tach__buf b = {0};
    tach__csv_text(&b, s);
    char *t = tach__buf_take(&b);
    if (t) fputs(t, stdout);
    tach__free(t);
    return t != NULL;
}

static void csv_num(double v)
{
    putchar(',');
    char buf[40];
    if (isfinite(v)) fputs(tach__fmt_shortest(v, buf, sizeof buf), stdout); /* 21191923.8, as the CSV export */
}

static int print_csv(series *ss, size_t n, tool_metric metric)
{
    bool ok = true;
    /* the values' unit in the column names: ns for times, else the metric's (counts) */
    char u[16];
    snprintf(u, sizeof u, "%s", tool_metric_unit(metric));
    for (char *c = u; *c; c++) *c = (char)tolower((unsigned char)*c);
    printf("name,run,time,commit,branch,machine,status,median_%s,median_ci_low_%s,"
           "median_ci_high_%s,mean_%s,samples,change_point,quick\n", u, u, u, u);
    for (size_t i = 0; i < n; i++) {
        series *s = &ss[i];
        for (size_t k = 0; k < s->n; k++) {
            const tool_history_point *p = &s->pts[k];
            bool cp = false;
            for (size_t c = 0; c < s->ncps; c++)
                if (s->cp_point[c] == k) cp = true;
            ok &= csv_field(s->name);
            printf(",%lld,", (long long)p->run_id);
            ok &= csv_field(p->time);
            putchar(',');
            ok &= csv_field(p->commit);
            putchar(',');
            ok &= csv_field(p->branch);
            putchar(',');
            ok &= csv_field(p->machine);
            printf(",%s", tach__status_name(p->status));
            csv_num(p->median);
            csv_num(p->median_lo);
            csv_num(p->median_hi);
            csv_num(p->mean);
            printf(",%zu,%d,%s\n", point_samples(p, metric), cp ? 1 : 0, s->quick && s->quick[k] ? "true" : "false");
        }
    }
    return ok ? CLI_OK : cli_error(CLI_FAIL, "out of memory");
}

/* ---- --runs ------------------------------------------------------------------------------- */

static int print_runs(tool_store *st, const hist_opts *o)
{
    tool_run_info *runs = NULL;
    size_t n = 0;
    char err[TACH__ERR_MAX] = "";
    if (tool_store_runs(st, &o->f, &runs, &n, err) != 0)
        return tool_store_is_corrupt(st) || !strstr(err, "commit SHA") ? cli_store_read_failed(st, err)
                                                                        : cli_usage_error("%s", err);
    /* which were tach suite --quick runs (their documents say it; a recorded file has no
     * quick=1 tag) */
    bool *quick = tach__calloc(n ? n : 1, sizeof *quick);
    cli_quick_runs qc = {.st = st};
    int qrc = quick ? 0 : tach__err(err, "out of memory");
    for (size_t i = 0; i < n && qrc == 0; i++) qrc = cli_run_quick(&qc, runs[i].id, &quick[i], err);
    cli_quick_runs_free(&qc);
    if (qrc != 0) {
        tach__free(quick);
        tool_run_infos_free(runs, n);
        return cli_store_read_failed(st, err);
    }
    if (!strcmp(o->format, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            tool_run_info *r = &runs[i];
            json_t *j = json_object(), *tags = json_object();
            json_object_set_new(j, "id", json_integer(r->id));
            json_object_set_new(j, "time", jstr(r->time));
            json_object_set_new(j, "commit", jstr(r->commit));
            json_object_set_new(j, "branch", jstr(r->branch));
            json_object_set_new(j, "dirty", r->dirty < 0 ? json_null() : json_boolean(r->dirty));
            json_object_set_new(j, "subject", jstr(r->subject));
            json_object_set_new(j, "machine", jstr(r->machine));
            json_object_set_new(j, "machine_desc", jstr(r->machine_desc));
            json_object_set_new(j, "tach_version", jstr(r->tach_version));
            json_object_set_new(j, "benchmarks", json_integer((json_int_t)r->nbenchmarks));
            json_object_set_new(j, "failed", json_integer((json_int_t)r->nfailed));
            json_object_set_new(j, "quick", json_boolean(quick[i]));
            for (size_t t = 0; t < r->ntags; t++)
                (void)tach__json_set_bytes(tags, r->tags[t].name, jstr(r->tags[t].value));
            json_object_set_new(j, "tags", tags);
            json_array_append_new(arr, j);
        }
        char *text = json_dumps(arr, JSON_INDENT(2));
        json_decref(arr);
        int prc = put_text(text);
        if (prc != CLI_OK) {
            tool_run_infos_free(runs, n);
            tach__free(quick);
            return prc;
        }
    } else if (!strcmp(o->format, "csv")) {
        bool ok = true;
        printf("id,time,commit,branch,dirty,machine,benchmarks,failed,subject,quick,tags\n");
        for (size_t i = 0; i < n; i++) {
            tool_run_info *r = &runs[i];
            printf("%lld,", (long long)r->id);
            ok &= csv_field(r->time);
            putchar(',');
            ok &= csv_field(r->commit);
            putchar(',');
            ok &= csv_field(r->branch);
            printf(",%s,", r->dirty < 0 ? "" : r->dirty ? "1" : "0");
            ok &= csv_field(r->machine);
            printf(",%zu,%zu,", r->nbenchmarks, r->nfailed);
            ok &= csv_field(r->subject);
            printf(",%s,", quick[i] ? "true" : "false");
            /* the tags as --format json gives them, one JSON object: a value may hold any
             * separator */
            json_t *tags = json_object();
            for (size_t t = 0; tags && t < r->ntags; t++)
                (void)tach__json_set_bytes(tags, r->tags[t].name, jstr(r->tags[t].value));
            char *text = tags ? json_dumps(tags, JSON_COMPACT) : NULL;
            json_decref(tags);
            if (!text) {
                tool_run_infos_free(runs, n);
                tach__free(quick);
                return cli_error(CLI_FAIL, "out of memory");
            }
            ok &= csv_field(text);
            free(text);
            putchar('\n');
        }
        if (!ok) {
            tool_run_infos_free(runs, n);
            tach__free(quick);
            return cli_error(CLI_FAIL, "out of memory");
        }
    } else {
        if (n == 0)
            printf("no runs%s in store %s\n", o->f.machine || o->f.branch || o->f.tag ? " matching" : "",
                   tool_store_name(st));
        else
            printf("%6s  %-20s  %-10s  %-16s  %-16s  %6s  %s\n", "run", "time", "commit", "branch",
                   "machine", "bench", "subject / tags");
        for (size_t i = 0; i < n; i++) {
            tool_run_info *r = &runs[i];
            char extra[256] = "";
            size_t e = 0;
            /* a --quick run first: its figures are not to publish (its quick=1 tag, which
             * says the same, is then not repeated) */
            if (quick[i]) e += (size_t)snprintf(extra, sizeof extra, "(quick run)");
            if (r->subject)
                e += (size_t)snprintf(extra + e, sizeof extra - e, "%s%.*s", e ? " " : "",
                                      (int)tach__width_prefix(r->subject, 60, 180, NULL), r->subject);
            for (size_t t = 0; t < r->ntags && e < sizeof extra; t++) {
                if (quick[i] && !strcmp(r->tags[t].name, "quick")) continue;
                /* a long key or value elided as other long cells are (its middle gives
                 * way), where the cell was cut off at its end, with no mark */
                char kb[40], vb[64];
                e += (size_t)snprintf(extra + e, sizeof extra - e, "%s[%s=%s]", e ? " " : "",
                                      tach__elide(r->tags[t].name, sizeof kb - 1, kb, sizeof kb),
                                      tach__elide(r->tags[t].value, sizeof vb - 1, vb, sizeof vb));
            }
            /* a tag's value, a commit's subject and a branch come from outside: an ESC or a
             * newline in one (--tag msg="$(git log -1)") was printed raw, a row broken */
            char bb[16 * 4 + 8];
            printf("%6lld  %-20s  %-10.10s%s %s  %-16.16s  %6zu  %s\n", (long long)r->id,
                   r->time, r->commit ? r->commit : "-", r->dirty == 1 ? "+" : " ",
                   cli_term_cell(r->branch ? r->branch : "-", 16, bb, sizeof bb),
                   r->machine ? r->machine : "-", r->nbenchmarks, cli_term(extra));
        }
    }
    tool_run_infos_free(runs, n);
    tach__free(quick);
    return CLI_OK;
}

/* ---- the command ------------------------------------------------------------------------------ */

static int parse(int argc, char **argv, hist_opts *o, char **this_fp)
{
    tach__opt_result res;
    int rc = cli_opts_read(&history_options, o, argc, argv, &res, &o->help);
    if (rc != CLI_OK) return rc;
    o->format = format_names[o->format_i];
    o->f.last = (size_t)o->last;
    for (int i = 0; i < res.npos && rc == CLI_OK; i++) {
        if (o->filter) rc = cli_usage_error("one FILTER only ('%s')", res.pos[i]);
        else o->filter = res.pos[i];
    }
    tach__opt_result_free(&res);
    if (rc != CLI_OK) return rc;
    /* --runs lists runs, not benchmarks: a FILTER, --changes or --metric would change
     * nothing in it, and were ignored */
    if (o->runs && (o->filter || o->changes || o->metric_s))
        return cli_cmd_usage_error("history", "--runs lists the runs, not their benchmarks: %s%s%s "
                                   "would change nothing; give it without --runs",
                                   o->filter ? "FILTER '" : o->changes ? "--changes" : "--metric",
                                   o->filter ? cli_term(o->filter) : "", o->filter ? "'" : "");
    /* the JSON holds every change point ("changes") and the CSV marks each
     * (change_point): --changes, the table's list of them, would change nothing */
    if (o->changes && strcmp(o->format, "table"))
        return cli_cmd_usage_error("history", "--changes lists the change points under the table: "
                                   "--format %s gives them always (%s); give it without --changes",
                                   o->format, !strcmp(o->format, "json") ? "\"changes\"" : "change_point");
    if (o->metric_s && tool_metric_parse(o->metric_s, &o->metric) != 0)
        return cli_cmd_usage_error("history", "--metric: '%s' is not a metric (expected wall, cpu, "
                                   "instructions, cycles-est, allocs or peak-rss)", o->metric_s);
    if (o->f.tag && *o->f.tag == '=')
        return cli_cmd_usage_error("history", "--tag: '%s' is not a tag, expected KEY or KEY=VALUE",
                                   o->f.tag);
    if (o->f.machine && strcmp(o->f.machine, "this") != 0) {
        /* a fingerprint is 16 hex digits (printed in lower case): anything else can match
         * no run, so it is a typo, not an empty history */
        size_t n = strlen(o->f.machine);
        bool hex = n == 16;
        for (size_t i = 0; hex && i < n; i++) hex = isxdigit((unsigned char)o->f.machine[i]) != 0;
        if (!hex)
            return cli_cmd_usage_error("history", "--machine: '%s' is not a machine fingerprint, "
                                       "expected 16 hex digits (see 'tach history --runs') or 'this'",
                                       o->f.machine);
        *this_fp = malloc(n + 1); /* freed with free(), as the fingerprint of 'this' */
        if (!*this_fp) return cli_error(CLI_FAIL, "out of memory");
        memcpy(*this_fp, o->f.machine, n + 1);
        for (char *c = *this_fp; *c; c++) *c = (char)tolower((unsigned char)*c);
        o->f.machine = *this_fp;
    } else if (o->f.machine) {
        json_t *ctx = tach__env_capture();
        *this_fp = ctx ? tach__env_fingerprint(ctx) : NULL;
        json_decref(ctx);
        if (!*this_fp) return cli_error(CLI_FAIL, "cannot fingerprint this machine");
        o->f.machine = *this_fp;
    }
    return CLI_OK;
}

/* ", among the runs kept by --last 2 --branch B" when run filters are given, else "": a FILTER
 * that matches nothing among them may well match older runs or another branch's. */
static const char *runs_kept(const hist_opts *o, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    if (o->f.last) k += (size_t)snprintf(buf + k, size - k, " --last %zu", o->f.last);
    if (k < size && o->f.branch) k += (size_t)snprintf(buf + k, size - k, " --branch %s", cli_term(o->f.branch));
    if (k < size && o->f.machine) k += (size_t)snprintf(buf + k, size - k, " --machine %s", o->f.machine);
    if (k < size && o->f.tag) k += (size_t)snprintf(buf + k, size - k, " --tag %s", cli_term(o->f.tag));
    if (!buf[0]) return "";
    char words[256];
    snprintf(words, sizeof words, "%s", buf + 1);
    snprintf(buf, size, ", among the runs kept by %s", words);
    return buf;
}

/* Bounds f, whose f->last is set, below by the oldest of the newest f->last runs it
 * matches (f->after_id).  0, or -1 with err. */
static int keep_last_runs(tool_store *st, tool_run_filter *f, char *err)
{
    tool_run_info *runs = NULL;
    size_t n = 0;
    if (tool_store_runs(st, f, &runs, &n, err) != 0) return -1;
    if (n) f->after_id = runs[n - 1].id - 1; /* newest first */
    tool_run_infos_free(runs, n);
    return 0;
}

int cli_cmd_history(int argc, char **argv)
{
    hist_opts o = {0};
    char *this_fp = NULL;
    int rc = parse(argc, argv, &o, &this_fp);
    if (rc != CLI_OK) {
        free(this_fp);
        return rc < 0 ? CLI_OK : rc;
    }
    tool_store *st = NULL;
    rc = cli_store_open(o.store, false, &st);
    if (rc != CLI_OK) {
        free(this_fp);
        return rc;
    }
    if (o.runs) {
        rc = print_runs(st, &o);
        goto done;
    }
    char err[TACH__ERR_MAX] = "";
    /* --last N is the newest N runs (the names are theirs): each benchmark's points are
     * taken from them too, not from its own newest N rows, which reach back past them to
     * the runs before a run that left it out */
    if (o.f.last && keep_last_runs(st, &o.f, err) != 0) {
        rc = cli_store_read_failed(st, err);
        goto done;
    }
    char **names = NULL;
    size_t nnames = 0;
    if (tool_store_benchmark_names(st, &o.f, &names, &nnames, err) != 0) {
        rc = cli_store_read_failed(st, err);
        goto done;
    }
    series *ss = calloc(nnames ? nnames : 1, sizeof *ss);
    size_t n = 0;
    bool any_named = false; /* a benchmark matched the filter (under --metric n may be 0) */
    int64_t newest = 0;     /* the newest run of a matching benchmark (why it lacks --metric) */
    cli_doc_cache cache = {0};
    cli_lat_cache *lat = cli_lat_cache_new(st);
    cli_quick_runs quick = {.st = st};
    if (!ss) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto names_done;
    }
    for (size_t i = 0; i < nnames && rc == CLI_OK; i++) {
        if (!name_matches(names[i], o.filter)) continue;
        any_named = true;
        series *s = &ss[n];
        s->name = names[i];
        if (tool_store_history(st, names[i], &o.f, &s->pts, &s->n, err) != 0)
            rc = cli_store_read_failed(st, err);
        else if (o.metric != TOOL_METRIC_WALL &&
                 cli_history_metric_points(st, &cache, s->name, s->pts, s->n, o.metric, err) != 0)
            rc = cli_store_read_failed(st, err);
        else if (o.metric != TOOL_METRIC_WALL && !keep_measured(s, &newest)) {
            series_free(s); /* no run of it has the metric: left out, as the help says */
            memset(s, 0, sizeof *s);
            continue;
        }
        else if (lat_trend(lat, s, err) != 0)
            rc = cli_store_read_failed(st, err);
        else if (o.metric == TOOL_METRIC_WALL && !keep_timed(s)) {
            series_free(s); /* no run of it measured time: left out likewise */
            memset(s, 0, sizeof *s);
            continue;
        }
        else if (mark_quick(s, &quick, err) != 0)
            rc = cli_store_read_failed(st, err);
        else if (find_changes(s) != 0)
            rc = cli_error(CLI_FAIL, "out of memory");
        n++;
    }
    char kept[512];
    if (rc == CLI_OK) {
        if (nnames == 0 && !o.filter) {
            if (!strcmp(o.format, "table"))
                printf("no runs%s in store %s\n",
                       o.f.machine || o.f.branch || o.f.tag ? " matching" : "",
                       tool_store_name(st));
            else if (!strcmp(o.format, "json"))
                rc = print_json(ss, 0, st, o.metric);
            else
                rc = print_csv(ss, 0, o.metric);
        } else if (n == 0 && o.metric == TOOL_METRIC_WALL && any_named) { /* all left out */
            rc = cli_usage_error("no run%s in store %s has wall times (a run that counted "
                                 "instructions is followed with --metric instructions)",
                                 o.filter ? " of a matching benchmark" : "", tool_store_name(st));
        } else if (n == 0 && o.metric != TOOL_METRIC_WALL && !any_named) {
            rc = cli_usage_error("no benchmark matching '%s' in store %s%s", o.filter,
                                 tool_store_name(st), runs_kept(&o, kept, sizeof kept));
        } else if (n == 0 && o.metric != TOOL_METRIC_WALL) {
            /* why: the newest run's reason, as compare gives it for a side */
            const char *why = newest ? cli_history_metric_lack(st, &cache, newest, o.metric, err) : "";
            char because[TACH__ERR_MAX] = "";
            if (why && newest)
                snprintf(because, sizeof because, " (the newest, run %" PRId64 ": %s)", newest, why);
            if (!why)
                rc = cli_store_read_failed(st, err);
            else
                rc = cli_usage_error("--metric %s: no run%s in store %s has %s values%s%s", o.metric_s,
                                     o.filter ? " of a matching benchmark" : "", tool_store_name(st),
                                     o.metric_s, runs_kept(&o, kept, sizeof kept), because);
        } else if (n == 0) {
            rc = cli_usage_error("no benchmark matching '%s' in store %s%s", o.filter,
                                 tool_store_name(st), runs_kept(&o, kept, sizeof kept));
        } else if (!strcmp(o.format, "json")) {
            rc = print_json(ss, n, st, o.metric);
        } else if (!strcmp(o.format, "csv")) {
            rc = print_csv(ss, n, o.metric);
        } else {
            rc = print_table(ss, n, &o, st);
        }
    }
    for (size_t i = 0; i < n; i++) series_free(&ss[i]);
    free(ss);
    cli_doc_cache_free(&cache);
    cli_lat_cache_free(lat);
    cli_quick_runs_free(&quick);
names_done:
    tool_names_free(names, nnames);
done:
    tool_store_close(st);
    free(this_fp);
    return rc;
}
