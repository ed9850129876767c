/* cmd_compare.c - `tach compare [BASE] [NEW]`, and the body of `tach gate`.
 *
 * (Over 600 lines: choosing the two runs, the table, the JSON and the gate's exit all
 * read one comparison and its options; the statistics are in src/judge/.) */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "latency.h"
#include "format.h"
#include "options.h"
#include "callgrind.h"
#include "compare.h"
#include "metric.h"
#include "latency_cli.h"
#include "report.h"
#include "store_cli.h"
#include "suite_kind.h"
#include "prof_cli.h"
#include "prof_doc.h"

/* The tables' name column is at most CMP_NAME_COLS display columns wide: a longer name is
 * cut there with "…" (cli_term_cell), so its row's cells stand under their headers. */
#define CMP_NAME_COLS 60

typedef struct cmp_args {
    bool gate, help;
    const char *store_opt, *config_path, *format;
    double noise, critical, alpha; /* fractions, NaN when not given */
    long resamples;                /* 0: the default */
    uint64_t seed;
    int format_i, fail_on_i;
    tool_severity fail_on;
    bool allow_untestable; /* gate: a one-sample point change never fails */
    const char *metric;    /* --metric NAME, or NULL: what both sides were recorded in */
    const char *percentile;  /* --percentile LIST: latency percentiles to judge */
    const char *spec[2];
    int nspec;
} cmp_args;

/* One side of the comparison. */
typedef struct side {
    tach__doc *doc;
    tach__doc *measured; /* under --metric, the document as read: doc's origin (metric.h) */
    int64_t run_id;     /* 0 for a file */
    char *machine;      /* a run's fingerprint as the store recorded it, or NULL */
    /* (a file's whole path: cut short, a spec in the middle of a character was no
     * UTF-8, and --format json's "base" null, as a gate with no baseline says) */
    char label[PATH_MAX + 64]; /* "run 12 (abc1234 main, 2026-...)" or "file X" */
    char spec[PATH_MAX];
    size_t rss_bound;   /* peak-rss: results whose peak was tach's own (no value) */
} side;

/* ---- options: one table each for compare and gate (gate adds --fail-on) ---- */

static const char *const format_names[] = {"table", "json", NULL};
static const char *const fail_on_names[] = {"warning", "critical", NULL};

#define OFF(f) offsetof(cmp_args, f)
#define CMP_ROWS                                                                               \
    {.kind = TACH__OPT_PERCENT, .name = "noise", .metavar = "PCT", .offset = OFF(noise),       \
     .lo = 0, .hi = INFINITY, .help = "changes within +-PCT% are noise (default 2; 0.1 for\n"    \
             "instructions, cycles-est and allocs: exact counts)"},                    \
    {.kind = TACH__OPT_PERCENT, .name = "critical", .metavar = "PCT", .offset = OFF(critical), \
     .lo = 0, .hi = INFINITY, .help = "changes beyond PCT% are critical (default 10)"},        \
    {.kind = TACH__OPT_REAL, .name = "alpha", .metavar = "A", .offset = OFF(alpha), .lo = 0,   \
     .hi = 1, .flags = TACH__OPT_LO_OPEN | TACH__OPT_HI_OPEN,                                 \
     .help = "significance level on the q-value (default 0.05)"},                              \
    {.kind = TACH__OPT_STRING, .name = "config", .metavar = "FILE", .offset = OFF(config_path), \
     .help = "thresholds and targets (default .tach/config)"},                                 \
    CLI_ROW_STORE(cmp_args, store_opt),                                                        \
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "table|json", .offset = OFF(format_i), \
     .choices = format_names, .help = "output (default table)"},                               \
    {.kind = TACH__OPT_COUNT, .name = "resamples", .metavar = "N", .offset = OFF(resamples),   \
     .lo = 100, .hi = 1000000,                                                                 \
     .help = "bootstrap resamples for every CI (default: 100, redrawn\n"                       \
             "4x larger, up to 2000, while a CI ends near the noise\n"                         \
             "threshold)"},                                                                    \
    {.kind = TACH__OPT_SEED, .name = "seed", .metavar = "N", .offset = OFF(seed),              \
     .help = "bootstrap seed (decimal or 0x hex)"},                                            \
    {.kind = TACH__OPT_STRING, .name = "metric", .metavar = "NAME", .offset = OFF(metric),     \
     .help = "what to compare: wall, cpu, instructions, cycles-est,\n"                         \
             "allocs or peak-rss (default: what both runs recorded;\n"                        \
             "instructions: one run per side decides, docs/instructions.md)"},                                      \
    {.kind = TACH__OPT_STRING, .name = "percentile", .metavar = "P[:PCT],...",                 \
     .offset = OFF(percentile),                                                                \
     .help = "latency percentiles to judge where both sides carry\n"                           \
             "per-call histograms, each once, with its own noise\n"                           \
             "threshold (default 50,99 at --noise; e.g. 99:5,99.9:10)"}

static const tach__opt compare_table[] = {CMP_ROWS, CLI_ROW_HELP(cmp_args)};
static const tach__opt gate_table[] = {
    CMP_ROWS,
    {.kind = TACH__OPT_ENUM, .name = "fail-on", .metavar = "warning|critical",
     .offset = OFF(fail_on_i), .choices = fail_on_names,
     .help = "which regressions fail the gate (default warning:\n"
             "any regression beyond the noise threshold)"},
    {.kind = TACH__OPT_FLAG, .name = "allow-untestable", .offset = OFF(allow_untestable),
     .help = "a benchmark with too few samples to test (one on a side, or\n"
             "so few that no change could be significant) never fails the\n"
             "gate; by default its point change fails it when it is a\n"
             "slowdown beyond the critical threshold"},
    CLI_ROW_HELP(cmp_args),
};
#undef CMP_ROWS
#undef OFF

#define CMP_HEAD(cmd, what, without, first)                                                    \
    "usage: tach " cmd " [OPTIONS] [BASE] [NEW]\n\n" what "\n\n"                                 \
    "BASE and NEW are each a run id, \"latest\", a baseline name, a git ref (the newest\n"       \
    "run on that commit) or a results file (JSON).  Without NEW: the latest run.\n"              \
    without "is the first of its suite" first                                                  \
    "Per benchmark: change of the median with its 95% bootstrap CI (over rounds, then\n"        \
    "samples, when both sides have several rounds), p (Welch's t on the rounds' log\n"          \
    "medians, else Mann-Whitney U),\n"                                                          \
    "Benjamini-Hochberg q across the suite, a verdict (a regression is significant AND\n"       \
    "its whole CI lies beyond the noise threshold) and a severity.  A regressed\n"             \
    "benchmark whose runs both kept a profile (--profile) gets a line naming the\n"            \
    "functions that grew most (share before -> after, points, 95% CI;\n"                       \
    "profile_growth in --format json).  A change that is no number (a median of 0,\n"         \
    "a ratio beyond a double) reads n/a, its CI too, the reason under the table.\n\n"

static const cli_options compare_options = {
    "compare", CLI_TABLE(compare_table),
    CMP_HEAD("compare", "Compares two runs of a suite, benchmark by benchmark.",
             "Without either: baseline \"main\" if saved, against the latest run of its suite\n"
             "(runs with a benchmark in common), else the run before the latest of its suite\n"
             "(on the same machine if there is one), against the latest; none when the latest\n",
             " (exit 2); the same pair as `tach report` and\n"
             "`tach certify` without a run.\n\n"),
    "Exit status: 0 compared, 1 the output could not be written (a full disk, a closed\n"
    "pipe), 2 bad input (unknown run, baseline or ref; no benchmark in common; a store\n"
    "that cannot be opened or read).\n"};
static const cli_options gate_options = {
    "gate", CLI_TABLE(gate_table),
    CMP_HEAD("gate", "Compares like `tach compare`, then fails (exit 1) on a regression beyond its\n"
                     "threshold, a benchmark that failed in NEW (or whose count failed there:\n"
                     "--metric allocs, its counting process crashed), a missed target, or a slowdown\n"
                     "beyond the critical threshold with too few samples to test (not\n"
                     "testable): the CI step.",
             "Without either: always the latest run (the one just made), against baseline\n"
             "\"main\" when saved and of its suite (runs with a benchmark in common), else\n"
             "against the run before it of its suite (on the same machine if there is one),\n"
             "main of another suite said on stderr; none when the latest\n",
             " (a project's first run): then its targets\n"
             "are checked alone, nothing compared, said on stderr (\"first run of its\n"
             "suite: no baseline\"; no_baseline true in --format json): exit 0 when every\n"
             "target holds and no benchmark failed, else 1.  The same pair as `tach report`\n"
             "and `tach certify` without a run, except when main is of another suite: they\n"
             "take main against the latest run of main's suite.\n\n"),
    "Exit status: 0 passed, 1 failed (or the output could not be written: a full disk,\n"
    "a closed pipe), 2 bad input (unknown run, baseline or ref; no run in the store; no\n"
    "benchmark in common; a store that cannot be opened or read: never 1).\n"};
#undef CMP_HEAD
CLI_OPTIONS_ACCESSOR(compare, compare_options)
CLI_OPTIONS_ACCESSOR(gate, gate_options)

static int parse_args(int argc, char **argv, bool gate, cmp_args *a)
{
    memset(a, 0, sizeof *a);
    a->gate = gate;
    a->noise = a->critical = a->alpha = NAN;
    const cli_options *c = gate ? &gate_options : &compare_options;
    tach__opt_result res;
    int rc = cli_opts_read(c, a, argc, argv, &res, &a->help);
    if (rc != CLI_OK) return rc;
    a->format = format_names[a->format_i];
    a->fail_on = a->fail_on_i ? TOOL_CRITICAL : TOOL_WARNING;
    for (int i = 0; i < res.npos && rc == CLI_OK; i++) {
        if (a->nspec == 2) rc = cli_cmd_usage_error(c->cmd, "too many arguments: '%s'", res.pos[i]);
        else a->spec[a->nspec++] = res.pos[i];
    }
    tach__opt_result_free(&res);
    return rc;
}

/* ---- resolving BASE and NEW ---------------------------------------------- */

typedef struct resolver {
    const char *store_opt;
    tool_store *store; /* opened on first need */
    bool tried;
    char why[TACH__ERR_MAX]; /* why it could not be opened */
} resolver;

/* Opens the store on first need; on failure r->why says why, and the caller prints it in
 * its own one line (what it was trying to do, and this). */
static int need_store(resolver *r)
{
    if (r->store) return CLI_OK;
    if (r->tried) return CLI_USAGE;
    r->tried = true;
    const char *spec = cli_store_spec(r->store_opt);
    if (spec && !*spec) {
        snprintf(r->why, sizeof r->why, "--store needs a path or a postgresql:// URL");
        return CLI_USAGE;
    }
    if (spec && tool_store_check_spec(spec, r->why) != 0) return CLI_USAGE;
    r->store = tool_store_open(spec, 0, r->why);
    return r->store ? CLI_OK : CLI_USAGE;
}

static void short_time(const char *iso, char *buf, size_t size)
{
    /* 2026-11-23T13:45:01Z -> 2026-11-23 13:45 */
    snprintf(buf, size, "%.16s", iso ? iso : "?");
    char *t = strchr(buf, 'T');
    if (t) *t = ' ';
}

/* The value of the first "key": in JSON text is the literal `true`?  (A plain scan:
 * a false positive only sends the caller down the slow path.) */
static bool json_text_flag(const char *text, const char *quoted_key)
{
    const char *p = strstr(text, quoted_key);
    if (!p) return false;
    p += strlen(quoted_key);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':') p++;
    return !strncmp(p, "true", 4);
}

/* Whether the JSON text holds a "rounds" key whose value is an array (the rounds of
 * a benchmark's samples; the settings' "rounds" is a number). */
static bool has_round_array(const char *text)
{
    for (const char *p = text; (p = strstr(p, "\"rounds\"")) != NULL;) {
        p += strlen("\"rounds\"");
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':') p++;
        if (*p == '[') return true;
    }
    return false;
}

/* The fast way to a run's document: from the store's per-benchmark rows (names,
 * statuses, raw samples), without parsing the whole JSON document, which is most of
 * the time of comparing big runs.  Only when the document holds nothing else that a
 * comparison reads: no declared targets, every benchmark ok or skipped (a failure's
 * message is only in the document), and its context is replaced by the fingerprint
 * the store recorded.  Returns NULL when the slow path must be taken. */
static tach__doc *doc_from_rows(tool_store *s, int64_t id)
{
    char err[TACH__ERR_MAX];
    char *text = NULL;
    if (tool_store_load_json(s, id, &text, NULL, err) != 0) return NULL;
    /* Samples with their rounds ("rounds": [...]) are only in the document. */
    bool simple = !strstr(text, "\"targets\"") && !has_round_array(text);
    /* Other metrics (instruction counts, the memory block, a command's runs) too. */
    simple = simple && !strstr(text, "\"metric\"") && !strstr(text, "\"memory\"") &&
             !strstr(text, "\"runs\"") &&
             !strstr(text, "\"latency\"") && /* per-call histograms: only in the document */
             !strstr(text, "\"rate_target\"") && /* a load block's offered rate: its counters */
             !strstr(text, "\"profiles\""); /* kept profiles: context needed */
    bool partial = simple && json_text_flag(text, "\"partial\"");
    /* A damaged document (truncated, say, before its targets) takes the slow path,
     * which refuses it: it must never pass for a simple one. */
    json_t *whole = simple ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (!json_is_object(whole)) simple = false;
    /* a reference suite's settings: what it measured (tool_suite_inputs_differ) */
    json_t *suite = json_incref(json_object_get(json_object_get(whole, "context"), "suite"));
    /* and what the CPU and OpenSSL offered (a crypto run's OPENSSL_ia32cap: print_table) */
    json_t *feats = json_incref(json_object_get(json_object_get(whole, "context"), "cpu_features"));
    json_decref(whole);
    tach__free(text);
    if (!simple) {
        json_decref(suite);
        json_decref(feats);
        return NULL;
    }
    tool_bench_row *rows = NULL;
    size_t n = 0;
    if (tool_store_run_benchmarks(s, id, &rows, &n, err) != 0) {
        json_decref(suite);
        json_decref(feats);
        return NULL;
    }
    tach__doc *d = tach__doc_new();
    for (size_t i = 0; d && i < n; i++) {
        tach__result *r;
        if ((rows[i].status != TACH__OK && rows[i].status != TACH__SKIPPED) ||
            !(r = tach__doc_add(d)) || !(r->name = tach__strdup(rows[i].name))) {
            tach__doc_free(d);
            d = NULL;
            break;
        }
        r->status = rows[i].status;
        r->nsamples = rows[i].sample_ns ? rows[i].n : 0;
        r->sample_ns = rows[i].sample_ns; /* moved */
        rows[i].sample_ns = NULL;
    }
    if (d) d->partial = partial;
    if (d && suite) json_object_set(d->context, "suite", suite);
    if (d && feats) json_object_set(d->context, "cpu_features", feats);
    json_decref(suite);
    json_decref(feats);
    tool_bench_rows_free(rows, n);
    return d;
}

static int load_run(resolver *r, int64_t id, side *out)
{
    char err[TACH__ERR_MAX];
    tool_run_info info;
    memset(&info, 0, sizeof info);
    int rc = tool_store_run_get(r->store, id, &info, err);
    if (rc != 0) return cli_error(CLI_USAGE, "%s", err); /* never 1: that is a failed gate */
    out->doc = info.machine ? doc_from_rows(r->store, id) : NULL;
    out->machine = info.machine; /* the store's fingerprint: the history's machine */
    info.machine = NULL;
    if (!out->doc) {
        rc = tool_store_load(r->store, id, &out->doc, err);
        if (rc != 0) {
            tool_run_info_clear(&info);
            return cli_error(CLI_USAGE, "%s", err); /* a damaged run: 2, never 1 */
        }
    }
    out->run_id = id;
    char when[32];
    short_time(info.time, when, sizeof when);
    snprintf(out->label, sizeof out->label, "run %" PRId64 " (%.10s%s%s%s, %s)", id,
             info.commit ? info.commit : "no commit", info.dirty == 1 ? "+dirty" : "",
             info.branch ? " " : "", info.branch ? info.branch : "", when);
    tool_run_info_clear(&info);
    return CLI_OK;
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int resolve(resolver *r, const char *spec, side *out)
{
    snprintf(out->spec, sizeof out->spec, "%s", spec);
    if (is_file(spec)) {
        char err[TACH__ERR_MAX];
        out->doc = tach__format_read_file(spec, err); /* tach, Google Benchmark or hyperfine JSON */
        if (!out->doc) return cli_usage_error("%s", err); /* err names the file */
        snprintf(out->label, sizeof out->label, "file %s", spec);
        return CLI_OK;
    }
    struct stat dsb; /* a path (a slash in it) that names a directory or a special file
                      * (/dev/null): not a run or a ref */
    if (strchr(spec, '/') && cli_path_not_file(spec))
        return cli_usage_error("'%s' %s", spec, cli_path_not_file(spec));
    size_t len = strlen(spec);
    if (len > 5 && !strcmp(spec + len - 5, ".json")) { /* a file, not a ref like origin/main */
        if (stat(spec, &dsb) == 0 && S_ISDIR(dsb.st_mode))
            return cli_usage_error("'%s' is a directory, not a results file", spec);
        return cli_usage_error("no such results file: %s", spec);
    }
    if (need_store(r) != CLI_OK)
        return cli_usage_error("cannot resolve '%s': it %s, and no store to look it up in: %s",
                               spec, cli_path_not_file(spec) ? cli_path_not_file(spec)
                                                             : "is not a results file", r->why);
    int64_t id;
    /* (a store that failed a read is 2 there, never 1, which is a failed gate) */
    int rc = cli_store_resolve_run(r->store, spec, &id);
    if (rc != CLI_OK) return rc;
    return load_run(r, id, out);
}

/* A store that failed to answer (locked, unreadable, a lost connection, damaged):
 * exit 2 with the store named, never 1, which is a failed gate. */
static int store_failed(const resolver *r, const char *err)
{
    return cli_store_read_failed(r->store, err);
}

/* The gate of a first run: the latest run alone, its targets checked against an empty
 * BASE (every benchmark added), why there is no BASE in why. */
static int resolve_alone(resolver *r, int64_t latest, const char *why, side *base, side *cur)
{
    fprintf(stderr, "%s: note: %s: first run of its suite: no baseline, so no comparison "
                    "was made; targets checked only\n", cli_prog(), why);
    snprintf(base->spec, sizeof base->spec, "none");
    snprintf(base->label, sizeof base->label, "none (first run of its suite: no baseline)");
    base->doc = tach__doc_new();
    if (!base->doc) return cli_error(CLI_FAIL, "out of memory");
    snprintf(cur->spec, sizeof cur->spec, "latest");
    return load_run(r, latest, cur);
}

/* The default pair (tool_store_default_pair: the rule report and certify share), its
 * note on stderr.  Only NEW given: BASE from spec, against the latest run.  No pair (the
 * latest run is the first of its suite) is exit 2, but for the gate, which checks the
 * latest run's targets alone (*alone set): a project's first CI run. */
static int resolve_defaults(resolver *r, const cmp_args *a, side *base, side *cur, bool *alone)
{
    if (a->nspec == 2) {
        int rc = resolve(r, a->spec[0], base);
        return rc != CLI_OK ? rc : resolve(r, a->spec[1], cur);
    }
    if (need_store(r) != CLI_OK)
        return cli_usage_error("nothing to compare: %s; or give BASE and NEW as results files",
                               r->why);
    char err[TACH__ERR_MAX];
    int64_t latest;
    int rc = tool_store_latest(r->store, NULL, &latest, err);
    if (rc == TOOL_STORE_NOT_FOUND)
        return cli_usage_error("nothing to compare: the store %s holds no run",
                               tool_store_name(r->store));
    if (rc != 0) return store_failed(r, err);
    if (a->nspec == 1) {
        rc = resolve(r, a->spec[0], base);
        if (rc != CLI_OK) return rc;
        snprintf(cur->spec, sizeof cur->spec, "latest");
        return load_run(r, latest, cur);
    }
    tool_default_pair p;
    /* the gate judges the latest run, the one a CI job just made, whatever main's suite */
    rc = a->gate ? tool_store_gate_pair(r->store, &p, err) : tool_store_default_pair(r->store, &p, err);
    if (rc != 0 && tool_store_is_corrupt(r->store)) return cli_store_check_intact(r->store);
    if (rc == TOOL_STORE_NOT_FOUND && a->gate) {
        *alone = true;
        return resolve_alone(r, latest, err, base, cur);
    }
    if (rc == TOOL_STORE_NOT_FOUND)
        return cli_usage_error("nothing to compare: %s; give BASE and NEW", err);
    if (rc != 0) return store_failed(r, err);
    if (p.note[0]) fprintf(stderr, "%s: warning: %s (name the runs to choose)\n", cli_prog(), p.note);
    if (p.base_is_main) snprintf(base->spec, sizeof base->spec, TOOL_STORE_MAIN_BASELINE);
    else snprintf(base->spec, sizeof base->spec, "%" PRId64, p.base);
    rc = load_run(r, p.base, base);
    if (rc != CLI_OK) return rc;
    if (p.run == latest) snprintf(cur->spec, sizeof cur->spec, "latest");
    else snprintf(cur->spec, sizeof cur->spec, "%" PRId64, p.run);
    return load_run(r, p.run, cur);
}

/* ---- output ----------------------------------------------------------------- */

static const char *fmt_change(double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else if (!isfinite(v)) snprintf(buf, size, "n/a"); /* never "+inf%" */
    else if (fabs(v) >= 1e4) snprintf(buf, size, "%+.3g%%", v * 100.0); /* 1e300 ns: no 300 digits */
    else snprintf(buf, size, "%+.2f%%", v * 100.0);
    return buf;
}

/* A row's change, "n/a" when it is no number for a reason (change_na, said below the
 * table), "-" when not compared. */
static const char *fmt_row_change(const tool_cmp_row *r, char *buf, size_t size)
{
    if (isnan(r->change.value) && r->change_na) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    return fmt_change(r->change.value, buf, size);
}

/* A row's CI: "[lo, hi]", an end that is no number "n/a"; "-" when there is none. */
static const char *fmt_row_ci(const tool_cmp_row *r, char *buf, size_t size)
{
    char lo[32], hi[32];
    tach__ci ci = tool_cmp_shown_ci(r);
    if (isnan(ci.lo) && isnan(ci.hi)) {
        snprintf(buf, size, "%s", r->change_na && isnan(r->change.value) ? "n/a" : "-");
        return buf;
    }
    snprintf(buf, size, "[%s, %s]", isnan(ci.lo) ? "n/a" : fmt_change(ci.lo, lo, sizeof lo),
             isnan(ci.hi) ? "n/a" : fmt_change(ci.hi, hi, sizeof hi));
    return buf;
}

static const char *fmt_p(double p, char *buf, size_t size)
{
    return tool_rep_pvalue(p, buf, size);
}

/* A target's limit and measured value with their units; a measured time in the
 * limit's unit with four significant digits (100 ns, measured 100.5 ns), or as many
 * more as tell two different values apart. */
static void fmt_target_pair(const char *name, double lim, double act, char *l, char *a, size_t size)
{
    tool_rep_target_fmt_pair(name, lim, act, l, a, size);
    if (isnan(act) || !strstr(name, "_ns")) return;
    double scale = fabs(lim) >= 1e9 ? 1e9 : fabs(lim) >= 1e6 ? 1e6 : fabs(lim) >= 1e3 ? 1e3 : 1;
    const char *sym = scale == 1e9 ? "s" : scale == 1e6 ? "ms" : scale == 1e3 ? "\xc2\xb5s" : "ns";
    /* more digits while the two read the same: a missed 100.49 µs, measured 100.5 µs,
     * read "100.5 µs, measured 100.5 µs" */
    for (int digits = 4; digits <= 17; digits++) {
        snprintf(l, size, "%.*g %s", digits, lim / scale, sym);
        snprintf(a, size, "%.*g %s", digits, act / scale, sym);
        if (lim == act || strcmp(l, a) != 0) break;
    }
}

/* " (time per item)" after a complexity target of a family fitted on time per item, as
 * the complexity table says "O(N) per item"; else "". */
static const char *per_item(const tool_target_check *t)
{
    return t->per_item ? " (time per item)" : "";
}

/* "bytes" or "items" for a throughput target, else NULL. */
static const char *rate_target(const char *name)
{
    return !strcmp(name, "min_bytes_per_sec") ? "bytes" : !strcmp(name, "min_items_per_sec") ? "items" : NULL;
}

/* True when every target not checked was so because the run counted instructions. */
static bool not_checked_counted(const tool_comparison *c)
{
    for (size_t i = 0; i < c->nrows; i++)
        for (size_t k = 0; k < c->rows[i].ntargets; k++) {
            const char *why = c->rows[i].targets[k].not_checked;
            if (why && strcmp(why, TOOL_NOT_CHECKED_TIME) != 0 &&
                strcmp(why, TOOL_NOT_CHECKED_MEMORY) != 0)
                return false;
        }
    return true;
}

static int verdict_rank(tool_verdict v)
{
    switch (v) {
    case TOOL_BROKEN: return 0;
    case TOOL_REGRESSED: return 1;
    case TOOL_IMPROVED: return 2;
    case TOOL_UNSTABLE: return 3;
    case TOOL_UNTESTABLE: return 3;
    case TOOL_INCOMPARABLE: return 4;
    case TOOL_UNCHANGED: return 5;
    case TOOL_ADDED: return 6;
    case TOOL_REMOVED: return 7;
    }
    return 8;
}

static const char *verdict_color(tool_verdict v)
{
    switch (v) {
    case TOOL_BROKEN:
    case TOOL_REGRESSED: return "\033[31m";
    case TOOL_IMPROVED: return "\033[32m";
    case TOOL_UNSTABLE:
    case TOOL_UNTESTABLE:
    case TOOL_INCOMPARABLE: return "\033[33m";
    default: return "";
    }
}

/* The reference suite both runs were made by (context.suite.name), or NULL: a suite
 * has neither rounds, worker processes, --runs nor another build to interleave, so the
 * advice for it is its own options. */
static const char *suite_of(const side *base, const side *cur)
{
    const char *a = json_string_value(json_object_get(json_object_get(base->doc->context, "suite"), "name"));
    const char *b = json_string_value(json_object_get(json_object_get(cur->doc->context, "suite"), "name"));
    return a && b && !strcmp(a, b) ? b : NULL;
}

/* The option of suite that gives its rows more samples, with what it does. */
static const char *suite_more_samples(const char *suite)
{
    switch (tach__suite_kind_of(suite)) {
    case TACH__SUITE_STORAGE:
        return "tach suite storage --file-size 1GiB  (each job makes one pass over the file: "
               "a larger file, more I/Os and intervals; not --quick)";
    case TACH__SUITE_BUS:
        return "tach suite bus --messages 100000  (default 20000, --quick 2000: more batches "
               "and latencies per row)";
    case TACH__SUITE_CRYPTO:
        return "tach suite crypto --time 2  (each measurement sampled 2 s; default 0.5 s, --quick 0.05 s)";
    case TACH__SUITE_COMPRESSION:
    case TACH__SUITE_NONE: break;
    }
    return "tach suite compression --time 2  (each measurement sampled 2 s; default 0.5 s, --quick 0.05 s)";
}

/* Once, after the table: what would support a verdict where the noise (or a single
 * sample) left none, with the commands to run (a suite's own options for suite runs). */
static void print_advice(const tool_comparison *c, const char *suite, tool_metric metric)
{
    if (c->unstable) {
        size_t split = 0;
        for (size_t i = 0; i < c->nrows; i++)
            split += c->rows[i].verdict == TOOL_UNSTABLE && c->rows[i].rounds_disagree;
        printf("\nnote: %zu benchmark%s too noisy for a verdict at +-%.3g%%", c->unstable,
               c->unstable == 1 ? " was" : "s were", c->noise * 100);
        if (split) printf(" (%zu with rounds that disagree: the machine changed between them)", split);
        size_t uneven = 0;
        for (size_t i = 0; i < c->nrows; i++)
            uneven += c->rows[i].verdict == TOOL_UNSTABLE && c->rows[i].slowed_side != TOOL_SIDE_NONE;
        if (uneven)
            printf(" (%zu with one side slowed in most of its rounds and the other not: "
                   "record that side again)", uneven);
        size_t runs = 0;
        for (size_t i = 0; i < c->nrows; i++) runs += c->rows[i].runs_differ;
        if (runs)
            printf(" (%zu whose recorded runs differ by more than that from one to the next)", runs);
        /* each as its rows say it: a soak's CI may only reach past the band, a saturated
         * row's slower side "waited for a CPU or slept longer" */
        size_t beyond = 0, reach = 0;
        for (size_t i = 0; i < c->nrows; i++)
            if (c->rows[i].not_significant) tool_cmp_ci_beyond(&c->rows[i]) ? beyond++ : reach++;
        if (beyond || reach) {
            printf(" (");
            if (beyond) printf("%zu whose CI lies beyond it%s", beyond, reach ? ", " : "");
            if (reach) printf("%zu whose CI reaches past it", reach);
            printf(" while the U test, corrected across the benchmarks, does not confirm a "
                   "change: more samples would decide)");
        }
        size_t waited = 0, slept = 0;
        for (size_t i = 0; i < c->nrows; i++)
            if (c->rows[i].waited_for_cpu) tool_cmp_waited_saturated(&c->rows[i]) ? slept++ : waited++;
        if (waited || slept) {
            printf(" (");
            if (waited) printf("%zu whose slower side waited for a CPU%s", waited, slept ? ", " : "");
            if (slept) printf("%zu whose slower side waited for a CPU or slept longer", slept);
            printf(": its wall time grew, its CPU time did not)");
        }
        if (suite) {
            printf(".\nWhat would decide them, on both sides:\n"
                   "  more samples:  %s\n"
                   "  both runs one right after the other on a quiet machine, so drift and other "
                   "work hit both alike\n", suite_more_samples(suite));
        } else {
            /* a command's (tach run -c) more samples are more runs: it has no rounds */
            bool cmds = false, bins = false, soaks = false;
            for (size_t i = 0; i < c->nrows; i++) {
                if (c->rows[i].verdict != TOOL_UNSTABLE) continue;
                bool cmd = (c->rows[i].cur && c->rows[i].cur->command) ||
                           (c->rows[i].base && c->rows[i].base->command);
                if (c->rows[i].soak) soaks = true; /* neither rounds nor runs: intervals */
                else cmds |= cmd, bins |= !cmd;
            }
            printf(".\nWhat would decide them:\n");
            if (soaks)
                printf("  a longer soak on each side (a sample per interval):  tach soak "
                       "--duration LONGER ...\n");
            if (bins)
                printf("  more rounds, each its own worker process:  BENCH_BINARY --rounds 10  "
                       "(or tach run --processes 10 BENCH_BINARY)\n");
            if (cmds)
                printf("  more runs of each command:  tach run --min-runs 30 'COMMAND'  (default "
                       "at least 10 runs)\n");
            if (bins || cmds) /* soaks only: tach ab runs no soak */
                printf("  the two builds interleaved, so drift hits both alike:  tach ab OLD NEW\n"
                       "  a metric the machine's load barely moves (commands):  tach ab --metric cpu "
                       "'OLD_COMMAND' 'NEW_COMMAND'\n"
                       "%s"
                       "  a count the load cannot move (deterministic, one run per side):  "
                       "tach ab --metric instructions OLD NEW\n",
                       waited ? "  the CPU time these runs already hold, which waiting for a CPU "
                                "does not add to:  tach compare --metric cpu BASE NEW\n"
                              : "");
        }
    }
    if (!c->untestable) return;
    /* Tied samples (3 and 3, all equal on each side) get a tie-corrected p below alpha
     * (0.0469), printed in the row: "no change could be significant" beside it read as a
     * contradiction.  Said as it is: untied samples of these sizes never reach alpha, and
     * ties add no evidence (judge_shift). */
    const tool_cmp_row *tied = NULL;
    for (size_t i = 0; i < c->nrows && !tied; i++)
        if (c->rows[i].verdict == TOOL_UNTESTABLE && c->rows[i].too_few && c->rows[i].p < c->alpha)
            tied = &c->rows[i];
    char why[320];
    if (tied)
        snprintf(why, sizeof why, "one, or so few that no change could be significant without "
                 "ties: %zu and %zu samples give p %.2g at least; the lower p %.3g shown comes from "
                 "tied samples, which add no evidence",
                 tied->base->nsamples, tied->cur->nsamples,
                 tach__mann_whitney_min_p(tied->base->nsamples, tied->cur->nsamples), tied->p);
    else
        snprintf(why, sizeof why, "one, or so few that no change could be significant: 2 and 2, "
                 "3 and 3");
    if (suite)
        printf("\nnote: %zu benchmark%s too few samples on a side to be tested (%s): only the "
               "point change is known.\nRecord more, on both sides:  %s\n",
               c->untestable, c->untestable == 1 ? " has" : "s have", why, suite_more_samples(suite));
    else if (metric == TOOL_METRIC_PEAK_RSS) {
        /* A binary's peak RSS is one value per run (the timed workers' largest), with
         * --rounds or --processes as without: more of them cannot be recorded.  A
         * command's is one per run. */
        bool cmds = false, bins = false;
        for (size_t i = 0; i < c->nrows; i++) {
            if (c->rows[i].verdict != TOOL_UNTESTABLE) continue;
            bool cmd = (c->rows[i].cur && c->rows[i].cur->command) ||
                       (c->rows[i].base && c->rows[i].base->command);
            cmds |= cmd, bins |= !cmd;
        }
        printf("\nnote: %zu benchmark%s too few samples on a side to be tested (%s): only the "
               "point change is known.\n", c->untestable, c->untestable == 1 ? " has" : "s have", why);
        if (cmds) printf("Record more:  tach run --runs 10 'COMMAND'  (one peak RSS per run)\n");
        if (bins)
            printf("A benchmark binary's peak RSS is one value per run (its workers' largest, with "
                   "--rounds or --processes too): to hold it to a ceiling, set max_rss in "
                   ".tach/config, which tach gate checks\n");
    } else
        printf("\nnote: %zu benchmark%s too few samples on a side to be tested (%s): only the "
               "point change is known.\nRecord more:  tach run --runs 10, BENCH_BINARY --rounds 10, "
               "or Google Benchmark's --benchmark_repetitions=10\n",
               c->untestable, c->untestable == 1 ? " has" : "s have", why);
}

/* A median in the table: times and peak RSS with their units; counts per iteration
 * bare (their unit is in the metric line). */
static void fmt_median(tool_metric metric, double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else if (metric == TOOL_METRIC_WALL || metric == TOOL_METRIC_CPU) tach__fmt_time(v, buf, size);
    else if (metric == TOOL_METRIC_PEAK_RSS) tach__fmt_bytes(v * 1024, buf, size);
    else tach__fmt_per_iter(v, buf, size);
}

/* The targets missed, and those not checked, under a table. */
static void print_targets(const tool_comparison *c, const side *cur)
{
    if (c->targets_missed) {
        printf("\ntargets missed (%zu):\n", c->targets_missed);
        for (size_t i = 0; i < c->nrows; i++) {
            const tool_cmp_row *r = &c->rows[i];
            for (size_t k = 0; k < r->ntargets; k++) {
                const tool_target_check *t = &r->targets[k];
                if (t->met || t->not_checked) continue;
                char lim[32], act[32];
                fmt_target_pair(t->name, t->limit, t->actual, lim, act, sizeof lim);
                /* no tach_set_ hint where no code of the user's sets it: a command's
                 * row, or a suite's (a sync job or a bus latency row has no MB/s) */
                bool cmd = (r->cur && r->cur->command) || (cur && tool_rep_suite_name(cur->doc));
                if (t->invalid)
                    printf("  %s: %s, not a valid objective: %s\n", cli_term(r->name),
                           cli_term(t->name), cli_term(t->invalid));
                else if (isnan(t->actual) && isfinite(r->new_median) && rate_target(t->name))
                    /* timed, but no size to make a rate of: not "nothing measured" (a
                     * benchmark sets it with tach_set_bytes / _items; a command cannot) */
                    printf("  %s: %s %s, no %s per iteration recorded%s%s%s\n", cli_term(r->name),
                           t->name, lim, rate_target(t->name), cmd ? "" : " (tach_set_",
                           cmd ? "" : rate_target(t->name), cmd ? "" : ")");
                else if (isnan(t->actual) && !strcmp(t->name, "max_regression_pct") &&
                         r->base_median == 0 && r->new_median > 0)
                    /* measured, but a change from 0 has no percentage */
                    printf("  %s: %s %s, grown from 0 (no percentage)\n", cli_term(r->name),
                           t->name, lim);
                else if (isnan(t->actual)) /* the name may be a document's text: made safe */
                    printf("  %s: %s %s, nothing measured%s%s%s\n", cli_term(r->name),
                           cli_term(t->name), lim, t->unmeasured ? ": " : "",
                           t->unmeasured ? t->unmeasured : "",
                           !t->unmeasured && r->cur && r->cur->latency && r->cur->latency->too_short
                               ? " (calls too short to time one by one: no percentile)" : "");
                else
                    printf("  %s: %s %s, measured %s%s\n", cli_term(r->name), cli_term(t->name), lim,
                           act, per_item(t));
            }
        }
    }
    if (c->targets_not_checked) {
        /* neither met nor missed: no value of the run is of their kind */
        printf("\ntargets not checked (%zu):\n", c->targets_not_checked);
        for (size_t i = 0; i < c->nrows; i++) {
            const tool_cmp_row *r = &c->rows[i];
            for (size_t k = 0; k < r->ntargets; k++) {
                const tool_target_check *t = &r->targets[k];
                if (!t->not_checked) continue;
                char lim[32], act[32];
                fmt_target_pair(t->name, t->limit, t->actual, lim, act, sizeof lim);
                printf("  %s: %s %s%s, not checked: %s\n", cli_term(r->name), cli_term(t->name), lim,
                       per_item(t), t->not_checked);
            }
        }
    }
}

/* The gate of a run with no baseline (resolve_alone): each benchmark's median, status
 * and targets, nothing compared. */
static void print_alone(const tool_comparison *c, const side *cur, bool color, tool_metric metric)
{
    printf("base: none: first run of its suite: no baseline; targets checked only\n"
           "new:  %s\n", cli_term(cur->label));
    if (cur->doc->partial) {
        char why[512];
        printf("warning: the new run %s (partial results)\n",
               cli_term(tool_rep_partial_why(cur->doc, why, sizeof why)));
    }
    printf("\n");
    size_t w = strlen("benchmark"), checked = 0;
    for (size_t i = 0; i < c->nrows; i++)
        if (tach__display_width(cli_term(c->rows[i].name)) > w) w = tach__display_width(cli_term(c->rows[i].name));
    if (w > CMP_NAME_COLS) w = CMP_NAME_COLS;
    char h0[128], h1[32], h2[32];
    printf("%s  %s  %s  status\n", tach__pad("benchmark", -(int)w, h0, sizeof h0),
           tach__pad("median", 10, h1, sizeof h1), tach__pad("targets", -10, h2, sizeof h2));
    for (size_t i = 0; i < c->nrows; i++) {
        const tool_cmp_row *r = &c->rows[i];
        size_t n = 0;
        for (size_t k = 0; k < r->ntargets; k++) n += !r->targets[k].not_checked;
        checked += n;
        char med[32], tg[32], status[160];
        fmt_median(metric, r->new_median, med, sizeof med);
        if (!n) snprintf(tg, sizeof tg, "-");
        else if (r->targets_missed) snprintf(tg, sizeof tg, "%zu missed", r->targets_missed);
        else snprintf(tg, sizeof tg, "%zu met", n);
        const char *msg = r->cur->message;
        if (r->cur->status == TACH__OK) snprintf(status, sizeof status, "ok");
        else if (r->cur->status == TACH__SKIPPED || r->cur->status == TACH__FAILED)
            snprintf(status, sizeof status, "%s%s%s",
                     r->cur->status == TACH__SKIPPED ? "skipped" : "failed", msg ? ": " : "",
                     msg ? msg : "");
        else snprintf(status, sizeof status, "failed: %s%s%s", tach__status_name(r->cur->status),
                      msg ? ": " : "", msg ? msg : "");
        tach__terminal_safe(status, false); /* a benchmark's message, never raw */
        const char *col = color && (r->verdict == TOOL_BROKEN || r->targets_missed) ? "\033[31m" : "";
        char c0[CMP_NAME_COLS * 4 + 4], c1[40], c2[40];
        printf("%s  %s  %s  %s%s%s\n", cli_term_cell(r->name, (int)w, c0, sizeof c0),
               tach__pad(med, 10, c1, sizeof c1), tach__pad(tg, -10, c2, sizeof c2), col, status,
               *col ? "\033[0m" : "");
    }
    print_targets(c, cur);
    char nb[48];
    printf("\n%s, %zu failed; %zu target%s checked, %zu missed; nothing compared (no baseline)\n",
           tach__plural((double)c->nrows, "benchmark", NULL, nb, sizeof nb), c->broken, checked,
           checked == 1 ? "" : "s", c->targets_missed);
}

/* A crypto run's OPENSSL_ia32cap (NULL: unset), and whether the doc is a crypto run. */
static bool crypto_mask(const tach__doc *d, const char **mask)
{
    json_t *ctx = d ? d->context : NULL;
    const char *name = json_string_value(json_object_get(json_object_get(ctx, "suite"), "name"));
    *mask = json_string_value(json_object_get(
        json_object_get(json_object_get(ctx, "cpu_features"), "openssl"), "OPENSSL_ia32cap"));
    return name && !strcmp(name, "crypto");
}

static void print_table(const tool_comparison *c, const side *base, const side *cur, bool color,
                        tool_metric metric)
{
    char nb[48];
    printf("base: %s\nnew:  %s\n", cli_term(base->label), cli_term(cur->label));
    if (c->machine_mismatch)
        printf("warning: the runs come from different machines (%s vs %s): differences may be "
               "the machines', not the code's\n",
               c->base_fingerprint, c->new_fingerprint);
    if (base->doc->partial || cur->doc->partial) { /* interrupted, or a suite stopped early */
        char why[512];
        const side *p = base->doc->partial ? base : cur;
        printf("warning: %s run %s (partial results)\n", p == base ? "the base" : "the new",
               cli_term(tool_rep_partial_why(p->doc, why, sizeof why)));
    }
    bool qb = tool_rep_suite_quick(base->doc), qn = tool_rep_suite_quick(cur->doc);
    if (qb || qn) /* smoke runs (docs/suites.md): said wherever their figures are shown */
        printf("note: %s: a smoke test, not figures to publish\n",
               qb && qn ? "both runs were tach suite --quick runs"
               : qb     ? "the base run was a tach suite --quick run"
                        : "the new run was a tach suite --quick run");
    const char *mb, *mn; /* a masked OpenSSL runs other code: the change is the mask's */
    if (crypto_mask(base->doc, &mb) && crypto_mask(cur->doc, &mn) &&
        ((mb == NULL) != (mn == NULL) || (mb && strcmp(mb, mn))))
        printf("note: OpenSSL ran with %s%s in the base run and %s%s in the new: it used other "
               "CPU features (docs/suites.md), so its rows' change is the mask's, not the code's\n",
               mb ? "OPENSSL_ia32cap=" : "no OPENSSL_ia32cap", mb ? cli_term(mb) : "",
               mn ? "OPENSSL_ia32cap=" : "no OPENSSL_ia32cap", mn ? cli_term(mn) : "");
    printf("\n");

    size_t w = strlen("benchmark");
    size_t *order = tach__malloc((c->nrows ? c->nrows : 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        const tool_cmp_row *r = &c->rows[i];
        if (r->verdict == TOOL_ADDED || r->verdict == TOOL_REMOVED) continue;
        if (tach__display_width(cli_term(r->name)) > w) w = tach__display_width(cli_term(r->name));
        if (order) order[n++] = i;
    }
    /* Stable insertion sort by verdict rank: the worst news first. */
    for (size_t i = 1; i < n; i++) {
        size_t x = order[i], j = i;
        while (j > 0 && verdict_rank(c->rows[order[j - 1]].verdict) >
                            verdict_rank(c->rows[x].verdict)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    if (w > CMP_NAME_COLS) w = CMP_NAME_COLS;
    /* Cells are padded by display width (µs is two bytes, one column), and the change
     * column grows to its widest cell, so a long change never touches its neighbour. */
    int cw = 9, iw = 21;
    for (size_t k = 0; k < n; k++) {
        const tool_cmp_row *r = &c->rows[order[k]];
        char ch[32], ci[80];
        int l = (int)strlen(fmt_row_change(r, ch, sizeof ch));
        if (l > cw) cw = l;
        l = (int)strlen(fmt_row_ci(r, ci, sizeof ci));
        if (l > iw) iw = l;
    }
    char h0[128], h1[32], h2[32], h3[40];
    printf("%s  %s  %s  %s  %-*s  %7s  %7s  %s\n", tach__pad("benchmark", -(int)w, h0, sizeof h0),
           tach__pad("base", 10, h1, sizeof h1), tach__pad("new", 10, h2, sizeof h2),
           tach__pad("change", cw, h3, sizeof h3), iw, "95% CI", "p", "q", "verdict");
    for (size_t k = 0; k < n; k++) {
        const tool_cmp_row *r = &c->rows[order[k]];
        char b[32], nw[32], ch[32], ci[80], p[16], q[16];
        fmt_median(metric, r->base_median, b, sizeof b);
        fmt_median(metric, r->new_median, nw, sizeof nw);
        fmt_row_ci(r, ci, sizeof ci);
        char verdict[512], waited[192], slowed[64] = "", rates[400];
        if (r->slowed_side != TOOL_SIDE_NONE) {
            bool sb = r->slowed_side == TOOL_SIDE_BASE;
            snprintf(slowed, sizeof slowed, "%s slowed in %zu of %zu rounds", sb ? "BASE" : "NEW",
                     sb ? r->base_rounds_slowed : r->new_rounds_slowed,
                     sb ? r->base_rounds + r->base_rounds_slow : r->new_rounds + r->new_rounds_slow);
        }
        if (tool_cmp_waited_text(r, waited, sizeof waited))
            snprintf(verdict, sizeof verdict, "unstable: %s", waited);
        else if ((r->verdict == TOOL_REGRESSED || r->verdict == TOOL_IMPROVED) && *slowed)
            snprintf(verdict, sizeof verdict, "%s (%s; %s)", tool_verdict_name(r->verdict),
                     tool_severity_name(r->severity), slowed);
        else if ((r->verdict == TOOL_REGRESSED || r->verdict == TOOL_IMPROVED) && r->beyond_rounds)
            snprintf(verdict, sizeof verdict, "%s (%s; rounds disagree by %.0f%%)",
                     tool_verdict_name(r->verdict), tool_severity_name(r->severity),
                     r->rounds_range * 100);
        else if (r->verdict == TOOL_REGRESSED || r->verdict == TOOL_IMPROVED)
            snprintf(verdict, sizeof verdict, "%s (%s)", tool_verdict_name(r->verdict),
                     tool_severity_name(r->severity));
        else if (r->verdict == TOOL_BROKEN && r->count_failed) /* ok, but not counted */
            snprintf(verdict, sizeof verdict, "failed: NEW: %s", r->count_failed);
        else if (r->verdict == TOOL_BROKEN && r->cur->status == TACH__FAILED)
            snprintf(verdict, sizeof verdict, "failed%s%s", r->cur->message ? ": " : "",
                     r->cur->message ? r->cur->message : "");
        else if (r->verdict == TOOL_BROKEN)
            snprintf(verdict, sizeof verdict, "failed: %s%s%s", tach__status_name(r->cur->status),
                     r->cur->message ? ": " : "", r->cur->message ? r->cur->message : "");
        else if (r->verdict == TOOL_INCOMPARABLE && r->cur && r->cur->status == TACH__SKIPPED)
            snprintf(verdict, sizeof verdict, "skipped%s%s", r->cur->message ? ": " : "",
                     r->cur->message ? r->cur->message : "");
        else if (r->verdict == TOOL_UNTESTABLE && r->too_few)
            snprintf(verdict, sizeof verdict, "not testable (%zu and %zu samples)",
                     r->base->nsamples, r->cur->nsamples);
        else if (r->verdict == TOOL_UNTESTABLE)
            snprintf(verdict, sizeof verdict, "not testable (1 sample)");
        else if (r->verdict == TOOL_UNSTABLE && r->not_significant)
            snprintf(verdict, sizeof verdict, "unstable: not significant (q %.3g)", r->q);
        else if (r->verdict == TOOL_UNSTABLE && *slowed)
            snprintf(verdict, sizeof verdict, "unstable: %s", slowed);
        else if (r->verdict == TOOL_UNSTABLE && r->runs_differ)
            snprintf(verdict, sizeof verdict, "unstable: runs differ by %.0f%%",
                     r->run_noise * 100);
        else if (r->verdict == TOOL_UNSTABLE && r->rounds_disagree && !isnan(r->rounds_range))
            snprintf(verdict, sizeof verdict, "unstable: rounds disagree by %.0f%%",
                     r->rounds_range * 100);
        else if (r->verdict == TOOL_UNSTABLE) {
            char cb[16] = "-", cn[16] = "-"; /* undefined (a zero mean): "-", as null in JSON */
            if (!isnan(r->base_cv)) snprintf(cb, sizeof cb, "%.1f%%", r->base_cv * 100);
            if (!isnan(r->new_cv)) snprintf(cn, sizeof cn, "%.1f%%", r->new_cv * 100);
            snprintf(verdict, sizeof verdict, "unstable (cv %s / %s)", cb, cn);
        }
        else if (tool_cmp_rates_text(r, rates, sizeof rates)) /* a bus latency row, a load row
                                                                  * offered another load */
            snprintf(verdict, sizeof verdict, "incomparable (%s; %s)", rates, tool_cmp_rates_advice(r));
        else if (r->verdict == TOOL_INCOMPARABLE && r->base->status != TACH__OK)
            snprintf(verdict, sizeof verdict, "incomparable (base %s)",
                     tach__status_name(r->base->status));
        else if (r->verdict == TOOL_INCOMPARABLE) /* ok on both sides, no values on one */
            snprintf(verdict, sizeof verdict, "incomparable (no values in %s)",
                     isnan(r->base_median) && isnan(r->new_median) ? "either run"
                     : isnan(r->base_median)                        ? "BASE"
                                                                    : "NEW");
        else snprintf(verdict, sizeof verdict, "%s", tool_verdict_name(r->verdict));
        if (c->deterministic && (r->verdict == TOOL_REGRESSED || r->verdict == TOOL_IMPROVED ||
                                 r->verdict == TOOL_UNCHANGED)) {
            size_t l = strlen(verdict);
            snprintf(verdict + l, sizeof verdict - l, ", deterministic: no CI needed");
        }
        tach__terminal_safe(verdict, false); /* a benchmark's message, never raw */
        const char *col = color ? verdict_color(r->verdict) : "";
        char c0[CMP_NAME_COLS * 4 + 4], c1[40], c2[40], c3[40];
        printf("%s  %s  %s  %s  %-*s  %7s  %7s  %s%s%s\n", cli_term_cell(r->name, (int)w, c0, sizeof c0),
               tach__pad(b, 10, c1, sizeof c1), tach__pad(nw, 10, c2, sizeof c2),
               tach__pad(fmt_row_change(r, ch, sizeof ch), cw, c3, sizeof c3), iw, ci, fmt_p(r->p, p, sizeof p),
               fmt_p(r->q, q, sizeof q), col, verdict, *col ? "\033[0m" : "");
    }
    tach__free(order);
    /* why a change or a CI end reads n/a */
    bool na_head = false;
    for (size_t i = 0; i < c->nrows; i++) {
        if (!c->rows[i].change_na) continue;
        if (!na_head) printf("\nn/a:\n");
        na_head = true;
        printf("  %s: %s\n", cli_term(c->rows[i].name), c->rows[i].change_na);
    }

    for (int kind = 0; kind < 2; kind++) {
        tool_verdict v = kind ? TOOL_REMOVED : TOOL_ADDED;
        size_t cnt = kind ? c->removed : c->added;
        if (!cnt) continue;
        printf("\n%s (%zu):", kind ? "removed" : "added", cnt);
        for (size_t i = 0; i < c->nrows; i++)
            if (c->rows[i].verdict == v) printf(" %s", cli_term(c->rows[i].name));
        printf("\n");
    }
    print_targets(c, cur);
    printf("\n");
    char gm[48];
    if (isfinite(c->geomean_change))
        printf("suite geometric mean: %s over %s\n", fmt_change(c->geomean_change, gm, sizeof gm),
               tach__plural((double)c->geomean_n, "benchmark", NULL, nb, sizeof nb));
    printf("%zu regressed (%zu critical), %zu improved, %zu unchanged, %zu unstable", c->regressed,
           c->regressed_critical, c->improved, c->unchanged, c->unstable);
    if (c->broken) printf(", %zu failed", c->broken);
    if (c->incomparable) printf(", %zu incomparable", c->incomparable);
    if (c->untestable) printf(", %zu not testable", c->untestable);
    printf("  (noise %.3g%%, critical %.3g%%, alpha %.3g)\n", c->noise * 100, c->critical * 100,
           c->alpha);
    if (c->deterministic)
        printf("metric: %s per iteration, deterministic (the same binary gives the same count): "
               "one run per side decides, no CI is needed, and a threshold of 0.1%% is meaningful\n",
               tool_metric_name(metric));
    else if (metric != TOOL_METRIC_WALL)
        /* cpu's and peak-rss's cells are times and sizes in their own units (fmt_median):
         * the line says what they measure, not the ns or KiB the JSON holds (as history's) */
        printf("metric: %s (%s)\n", tool_metric_name(metric),
               metric == TOOL_METRIC_CPU ? "user + system time"
               : metric == TOOL_METRIC_PEAK_RSS ? "peak resident set size" : tool_metric_unit(metric));
    if (base->rss_bound || cur->rss_bound)
        printf("peak-rss: no value where a command's peak was at or below tach's own RSS (%zu "
               "in base, %zu in new): Linux counts tach's pages in a child's peak, so the "
               "command's own cannot be told apart\n",
               base->rss_bound, cur->rss_bound);
    print_advice(c, suite_of(base, cur), metric);
}

static json_t *side_json(const side *s)
{
    /* a file's name need not be UTF-8: made so, never the whole side dropped */
    json_t *o = json_object();
    if (o && (tach__json_set_lossy(o, "spec", tach__json_string_lossy(s->spec)) != 0 ||
              tach__json_set_lossy(o, "label", tach__json_string_lossy(s->label)) != 0)) {
        json_decref(o);
        return NULL;
    }
    if (o)
        json_object_set_new(o, "run_id", s->run_id ? json_integer((json_int_t)s->run_id) : json_null());
    if (o && tool_rep_suite_name(s->doc)) /* a suite run: whether it was a --quick smoke run */
        json_object_set_new(o, "quick", json_boolean(tool_rep_suite_quick(s->doc)));
    return o;
}

/* What the run-to-run noise of a benchmark is learned from: the runs before NEW on
 * NEW's machine (BASE among them), in the store. */
#define HISTORY_RUNS 30

typedef struct history_ctx {
    tool_store *store;
    const char *machine;
    int64_t before_id;
    double noise;                 /* the asked noise threshold (for the rounds set aside) */
    int64_t ids[HISTORY_RUNS * 2];  /* the runs' documents loaded so far, shared by */
    tach__doc *docs[HISTORY_RUNS * 2]; /* the benchmarks (NULL: it did not load) */
    size_t ndocs;
    char err[TACH__ERR_MAX]; /* the first read of the store that failed ("" none) */
} history_ctx;

/* Keeps why a read for the noise failed (the first one): the comparison is then not
 * made, as the noise it would take is not the store's. */
static void history_failed(history_ctx *h, const char *err)
{
    if (h->err[0]) return;
    const char *why = err[0] ? err : "a read of the store failed";
    size_t l = strlen(why);
    if (l >= sizeof h->err) l = sizeof h->err - 1;
    memcpy(h->err, why, l);
    h->err[l] = '\0';
}

static void history_free(history_ctx *h)
{
    for (size_t i = 0; i < h->ndocs; i++) tach__doc_free(h->docs[i]);
    h->ndocs = 0;
}

/* Run id's document, loaded once; NULL when it cannot be. */
static const tach__doc *history_doc(history_ctx *h, int64_t id)
{
    for (size_t i = 0; i < h->ndocs; i++)
        if (h->ids[i] == id) return h->docs[i];
    tach__doc *d = NULL;
    char err[TACH__ERR_MAX] = "";
    if (tool_store_load(h->store, id, &d, err) != 0) {
        d = NULL;
        history_failed(h, err);
    }
    if (h->ndocs < sizeof h->ids / sizeof h->ids[0]) {
        h->ids[h->ndocs] = id;
        h->docs[h->ndocs++] = d;
    }
    return d;
}

/* The run-to-run noise from the store's medians of each run; when that noise would
 * widen the threshold, it is learned again from the medians the comparison itself
 * takes (tool_result_compared_median: slowed rounds set aside), read from the runs'
 * documents, since the pooled medians of a busy machine's runs jump with every
 * preempted round and would overstate it. */
static double history_noise(const char *name, void *arg)
{
    history_ctx *h = arg;
    char err[TACH__ERR_MAX] = "";
    tool_run_filter f = {.machine = h->machine, .before_id = h->before_id, .last = HISTORY_RUNS};
    tool_history_point *pts = NULL;
    size_t n = 0;
    if (tool_store_history(h->store, name, &f, &pts, &n, err) != 0) {
        history_failed(h, err);
        return NAN;
    }
    double med[HISTORY_RUNS];
    size_t m = 0;
    for (size_t i = 0; i < n && m < HISTORY_RUNS; i++)
        if (pts[i].status == TACH__OK && pts[i].median > 0) med[m++] = pts[i].median;
    double s = tool_run_noise(med, m);
    if (s > 0 && s * 2.5 > h->noise) {
        m = 0;
        for (size_t i = 0; i < n && m < HISTORY_RUNS; i++) {
            if (pts[i].status != TACH__OK || !(pts[i].median > 0)) continue;
            const tach__doc *d = history_doc(h, pts[i].run_id);
            const tach__result *r = NULL;
            for (size_t k = 0; d && k < d->nresults && !r; k++)
                if (d->results[k].name && !strcmp(d->results[k].name, name)) r = &d->results[k];
            double v = r ? tool_result_compared_median(r, h->noise) : NAN;
            if (v > 0) med[m++] = v;
        }
        double robust = tool_run_noise(med, m);
        if (!isnan(robust)) s = robust;
    }
    tool_history_free(pts, n);
    return s;
}

int cli_compare_main(int argc, char **argv, bool gate)
{
    cmp_args a;
    int rc = parse_args(argc, argv, gate, &a);
    if (rc < 0) return CLI_OK; /* --help */
    if (rc != CLI_OK) return rc;

    tool_metric metric = TOOL_METRIC_WALL;
    if (a.metric && tool_metric_parse(a.metric, &metric) != 0)
        return cli_cmd_usage_error(gate ? "gate" : "compare",
                                   "--metric: '%s' is not a metric (expected wall, cpu, "
                                   "instructions, cycles-est, allocs or peak-rss)", a.metric);

    history_ctx hist; /* the loaded history; emptied at done */
    memset(&hist, 0, sizeof hist);
    cli_config cfg;
    rc = cli_config_load(NULL, a.config_path, &cfg);
    if (rc != CLI_OK) return rc;

    tool_cmp_options o;
    tool_cmp_options_default(&o);
    if (!isnan(cfg.noise)) o.noise = cfg.noise;
    if (!isnan(cfg.critical)) o.critical = cfg.critical;
    if (!isnan(cfg.alpha)) o.alpha = cfg.alpha;
    if (!isnan(a.noise)) o.noise = a.noise;
    if (!isnan(a.critical)) o.critical = a.critical;
    if (!isnan(a.alpha)) o.alpha = a.alpha;
    if (o.noise > o.critical) {
        cli_config_free(&cfg);
        return cli_usage_error("noise %g%% is above critical %g%% (--noise, --critical or "
                               ".tach/config [compare]): a change beyond the critical threshold "
                               "would be within the noise",
                               o.noise * 100, o.critical * 100);
    }
    if (a.resamples) {
        o.resamples = (size_t)a.resamples; /* exactly that many for every CI */
        o.quick_resamples = 0;
    }
    if (a.seed) o.seed = a.seed;
    o.rules = cfg.rules;
    o.nrules = cfg.nrules;

    resolver res = {.store_opt = a.store_opt};
    side base, cur;
    memset(&base, 0, sizeof base);
    memset(&cur, 0, sizeof cur);
    tool_comparison c;
    memset(&c, 0, sizeof c);
    tool_pct_change *pc = NULL; /* the latency percentiles judged */
    size_t npc = 0;
    bool alone = false; /* the gate of a first run: no BASE, its targets checked only */
    rc = resolve_defaults(&res, &a, &base, &cur, &alone);
    if (rc == CLI_OK && res.store) rc = cli_store_check_intact(res.store);
    if (rc != CLI_OK) goto done;
    /* One run on both sides (`tach gate main latest` just after `baseline save main
     * latest`): every change is 0 and a gate passes, said so rather than silently */
    if (!alone && base.run_id && base.run_id == cur.run_id)
        fprintf(stderr, "%s: warning: BASE %s and NEW %s are the same run %lld: nothing can have "
                        "changed (name two runs)\n",
                cli_prog(), cli_term(base.spec), cli_term(cur.spec), (long long)cur.run_id);
    char iwhy[512];
    if (tool_suite_inputs_differ(base.doc, cur.doc, iwhy, sizeof iwhy)) {
        rc = cli_usage_error("%s and %s measured different inputs (%s): %s", cli_term(base.label),
                             cli_term(cur.label), cli_term(iwhy), tool_suite_inputs_advice(base.doc));
        goto done;
    }

    /* The metric: asked, or what both sides were recorded in; a side without it is
     * bad input.  Any but wall time is judged on documents projected onto it. */
    char merr[TACH__ERR_MAX];
    if (!a.metric && tool_metric_default(alone ? cur.doc : base.doc, cur.doc, &metric, merr) != 0) {
        rc = cli_usage_error("%s", merr);
        goto done;
    }
    for (int k = alone; k < 2; k++) {
        side *sd = k ? &cur : &base;
        /* (Times may be absent for a reason of their own, e.g. a document of latency
         * blocks only: wall time is refused only for a document of counts.) */
        bool lacks = metric == TOOL_METRIC_WALL
                         ? tool_doc_recorded_metric(sd->doc) == TOOL_METRIC_INSTRUCTIONS &&
                               !tool_doc_has_metric(sd->doc, metric)
                         : !tool_doc_has_metric(sd->doc, metric);
        /* NEW's counts that failed (a counting process crashed) are failures to judge,
         * exit 1, not a document without the metric */
        for (size_t i = 0; lacks && k == 1 && !alone && i < sd->doc->nresults; i++)
            if (tool_metric_count_failed(&sd->doc->results[i], metric)) lacks = false;
        if (lacks) {
            rc = cli_usage_error("--metric %s: %s has no %s values (%s)", tool_metric_name(metric),
                                 sd->label, tool_metric_name(metric),
                                 tool_metric_lack_reason(sd->doc, metric));
            goto done;
        }
        if (metric == TOOL_METRIC_WALL) continue;
        for (size_t i = 0; metric == TOOL_METRIC_PEAK_RSS && i < sd->doc->nresults; i++)
            sd->rss_bound += tach__result_rss_bound_only(sd->doc, &sd->doc->results[i]);
        char perr[TACH__ERR_MAX];
        tach__doc *p = tool_metric_project(sd->doc, metric, 1000, o.seed, perr);
        if (!p) {
            rc = cli_error(CLI_FAIL, "%s", perr);
            goto done;
        }
        sd->measured = sd->doc; /* kept: the targets are checked against it */
        sd->doc = p;
    }
    o.deterministic = tool_metric_deterministic(metric);
    o.metric = tool_metric_name(metric);
    /* A count's default threshold is 0.1%: 2% would hide a 1% change one run shows. */
    if (o.deterministic && isnan(cfg.noise) && isnan(a.noise)) o.noise = TOOL_METRIC_COUNT_NOISE;

    /* Two runs from the store: each benchmark's run-to-run noise on NEW's machine,
     * learned from the runs before NEW, widens its noise threshold (wall time only:
     * the store's history is of times). */
    hist.store = res.store;
    hist.machine = cur.machine;
    hist.before_id = cur.run_id;
    hist.noise = o.noise;
    if (base.run_id && cur.run_id && res.store && cur.machine && metric == TOOL_METRIC_WALL) {
        o.run_noise = history_noise;
        o.run_noise_ctx = &hist;
    }
    if (!alone && tool_compare_common(base.doc, cur.doc) == 0) {
        char nb[48], nc[48];
        rc = cli_usage_error("no benchmark in common between %s (%s) and %s (%s)", base.label,
                             tach__plural((double)base.doc->nresults, "benchmark", NULL, nb, sizeof nb),
                             cur.label,
                             tach__plural((double)cur.doc->nresults, "benchmark", NULL, nc, sizeof nc));
        goto done;
    }
    char err[TACH__ERR_MAX];
    if (tool_compare(base.doc, cur.doc, &o, &c, err) != 0) {
        rc = cli_error(CLI_FAIL, "%s", err);
        goto done;
    }
    if (hist.err[0]) { /* a run the noise is learned from could not be read: no verdict */
        rc = cli_store_read_failed(res.store, hist.err);
        goto done;
    }
    /* A run read the fast way has no context: its fingerprint is the store's, which
     * hashes every machine fact (null where the machine has none).  Against such a
     * fingerprint only a side whose context has every fact's key, as tach writes them,
     * can be told apart (a file of another format cannot). */
    bool stored = base.machine || cur.machine, whole[2];
    for (int k = 0; k < 2; k++) {
        side *sd = k ? &cur : &base;
        char **fp = k ? &c.new_fingerprint : &c.base_fingerprint;
        whole[k] = sd->machine || tach__env_fingerprint_whole(sd->doc->context);
        if (!sd->machine) continue;
        tach__free(*fp);
        *fp = sd->machine;
        sd->machine = NULL;
    }
    if (alone) c.machine_mismatch = false; /* no other machine */
    else if (stored)
        c.machine_mismatch = whole[0] && whole[1] && c.base_fingerprint && c.new_fingerprint &&
                             strcmp(c.base_fingerprint, c.new_fingerprint) != 0;
    /* latency percentiles, where both sides carry per-call histograms */
    tool_pct_ask asks[CLI_MAX_PCTS];
    size_t nasks = 0;
    rc = cli_parse_percentiles(gate ? "gate" : "compare", a.percentile ? a.percentile : cfg.percentiles,
                               asks, &nasks);
    if (rc != CLI_OK) goto done;
    if (tool_compare_percentiles(&c, asks, nasks, o.resamples, o.seed, &pc, &npc, err) != 0) {
        rc = cli_error(CLI_FAIL, "%s", err);
        goto done;
    }
    size_t pct_fails = tool_percentiles_fail(pc, npc, a.fail_on);
    bool failed = tool_comparison_fails(&c, a.fail_on) || pct_fails > 0;
    size_t untestable_fails = a.allow_untestable ? 0 : tool_comparison_untestable_fails(&c);
    failed |= untestable_fails > 0;
    if (c.machine_mismatch)
        fprintf(stderr, "%s: warning: comparing runs from different machines\n", cli_prog());
    if (!strcmp(a.format, "json")) {
        json_t *j = tool_comparison_to_json(&c);
        if (!j) {
            rc = cli_error(CLI_FAIL, "out of memory");
            goto done;
        }
        json_object_set_new(j, "base", alone ? json_null() : side_json(&base));
        json_object_set_new(j, "new", side_json(&cur));
        if (npc) json_object_set_new(j, "percentiles", tool_percentiles_to_json(pc, npc));
        if (gate) json_object_set_new(j, "gate_failed", json_boolean(failed));
        /* the latest run the first of its suite: its targets checked, nothing compared */
        if (gate) json_object_set_new(j, "no_baseline", json_boolean(alone));
        /* Only when both sides kept a profile: {} then says "compared, nothing grew". */
        if (tool_profile_count(base.doc) && tool_profile_count(cur.doc))
            json_object_set_new(j, "profile_growth", cli_prof_compare_json(base.doc, cur.doc, &c));
        /* 15 digits: the thresholds as given ("noise": 0.05, not the 17 digits of the
         * nearest double), as tach stability and tach bench's summary write them */
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
        json_decref(j);
        if (!text) {
            rc = cli_error(CLI_FAIL, "out of memory");
            goto done;
        }
        tach__stdout_puts(text, true);
        free(text);
    } else if (alone) {
        print_alone(&c, &cur, cli_use_color(stdout), metric);
    } else {
        print_table(&c, &base, &cur, cli_use_color(stdout), metric);
        cli_print_percentiles(pc, npc, cli_use_color(stdout));
        cli_prof_compare_print(stdout, base.doc, cur.doc, &c);
    }
    rc = CLI_OK;
    if (gate) {
        if (alone) {
            fprintf(stderr, "%s: %s: first run of its suite: no baseline, nothing compared; "
                            "%zu failed benchmark%s, %zu target%s missed", cli_prog(),
                    failed ? "FAILED" : "passed", c.broken, c.broken == 1 ? "" : "s",
                    c.targets_missed, c.targets_missed == 1 ? "" : "s");
            if (c.targets_not_checked)
                fprintf(stderr, " (%zu not checked%s)", c.targets_not_checked,
                        not_checked_counted(&c) ? ": the run counted instructions" : "");
            fprintf(stderr, "\n");
            rc = failed ? CLI_FAIL : CLI_OK;
        } else if (failed) {
            size_t regs = 0;
            for (size_t i = 0; i < c.nrows; i++)
                regs += c.rows[i].verdict == TOOL_REGRESSED && c.rows[i].severity >= a.fail_on;
            fprintf(stderr,
                    "%s: FAILED: %zu regression%s beyond threshold, %zu failed "
                    "benchmark%s, %zu target%s missed", cli_prog(),
                    regs, regs == 1 ? "" : "s", c.broken, c.broken == 1 ? "" : "s",
                    c.targets_missed, c.targets_missed == 1 ? "" : "s");
            if (c.targets_not_checked)
                fprintf(stderr, " (%zu not checked%s)", c.targets_not_checked,
                        not_checked_counted(&c) ? ": the run counted instructions" : "");
            if (pct_fails)
                fprintf(stderr, ", %zu latency percentile%s regressed", pct_fails, pct_fails == 1 ? "" : "s");
            if (untestable_fails)
                fprintf(stderr,
                        ", %zu not testable (too few samples) with %s beyond the "
                        "critical threshold of %.3g%%: so few samples cannot be tested, so a "
                        "change that large fails unless --allow-untestable",
                        untestable_fails,
                        metric == TOOL_METRIC_WALL || metric == TOOL_METRIC_CPU ? "a slowdown"
                        : metric == TOOL_METRIC_PEAK_RSS ? "a rise in peak RSS" : "a rise",
                        c.critical * 100);
            fprintf(stderr, "\n");
            rc = CLI_FAIL;
        } else {
            char nb[48];
            fprintf(stderr, "%s: passed: %s compared", cli_prog(),
                    tach__plural((double)c.compared, "benchmark", NULL, nb, sizeof nb));
            /* the rows judged without a change, and those not judged, are said: "0
             * compared" alone read as if there had been nothing to compare */
            if (c.not_estimated)
                fprintf(stderr, ", %zu with no change to estimate (n/a)", c.not_estimated);
            if (c.incomparable) fprintf(stderr, ", %zu incomparable", c.incomparable);
            fprintf(stderr, ", no regression beyond threshold");
            /* --fail-on critical passes regressions below it: said, not hidden in "no
             * regression" (the table shows them, the line a CI log keeps did not) */
            if (c.regressed)
                fprintf(stderr, " (%zu below the critical threshold of %.3g%%, --fail-on critical)",
                        c.regressed, c.critical * 100);
            fprintf(stderr, ", no target missed");
            if (c.targets_not_checked)
                fprintf(stderr, " (%zu target%s not checked%s)", c.targets_not_checked,
                        c.targets_not_checked == 1 ? "" : "s",
                        not_checked_counted(&c) ? ": the run counted instructions" : "");
            fprintf(stderr, "\n");
        }
    }
done:
    history_free(&hist);
    tach__free(pc);
    tool_comparison_free(&c);
    tach__doc_free(base.doc);
    tach__doc_free(cur.doc);
    tach__doc_free(base.measured);
    tach__doc_free(cur.measured);
    tach__free(base.machine);
    tach__free(cur.machine);
    tool_store_close(res.store);
    cli_config_free(&cfg);
    return rc;
}

int cli_cmd_compare(int argc, char **argv)
{
    return cli_compare_main(argc, argv, false);
}
