/* report_cli.c - gathering a report's input from the store or from files (see
 * report_cli.h).
 *
 * (Over 600 lines: the run, its baseline, the metric shown and the history are chosen
 * together, from one store or files and one set of options, by the rules every report
 * command shares; the rendering is in src/report/.) */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "changepoint.h"
#include "format.h"
#include "history_metric.h"
#include "report_cli.h"
#include "run.h"

int cli_report_read_args(const cli_options *c, void *base, cli_report_src *src,
                         const bool *help, int argc, char **argv, const char **first)
{
    tach__opt_result res;
    int rc = cli_opts_read(c, base, argc, argv, &res, help);
    if (rc != CLI_OK) return rc;
    for (int i = 0; i < res.npos && rc == CLI_OK; i++) {
        if (first && !*first) *first = res.pos[i];
        else if (!src->run) src->run = res.pos[i];
        else rc = cli_cmd_usage_error(c->cmd, "one run at a time ('%s' and '%s')", src->run,
                                      res.pos[i]);
    }
    tach__opt_result_free(&res);
    return rc;
}

static bool is_file(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int add_evidence(cli_report_src *src, int64_t id, const char *path, const char *text,
                        size_t len)
{
    if (!src->want_json_text || src->nevidence >= 2) return CLI_OK;
    cli_evidence_doc *e = &src->evidence[src->nevidence];
    char err[TACH__ERR_MAX] = "", buf[48];
    if (tool_sha256_hex(text, len, e->sha256, err)) return cli_error(CLI_FAIL, "%s", err);
    if (id) {
        snprintf(e->run_id, sizeof e->run_id, "%lld", (long long)id);
        snprintf(buf, sizeof buf, "store:%lld", (long long)id);
        e->source = tach__strdup(buf);
    } else {
        e->run_id[0] = '\0';
        e->source = tach__strdup(path);
    }
    if (!e->source) return cli_error(CLI_FAIL, "out of memory");
    src->nevidence++;
    return CLI_OK;
}

/* A results file (tach, Google Benchmark or hyperfine), and its bytes' hash. */
static int load_file(cli_report_src *src, const char *path, tach__doc **out)
{
    char err[TACH__ERR_MAX] = "";
    *out = tach__format_read_file(path, err);
    if (!*out) return cli_usage_error("%s", err);
    if (src->want_json_text) {
        size_t len = 0;
        char *text = tach__read_file(path, &len, err);
        if (!text) return cli_usage_error("%s", err);
        int rc = add_evidence(src, 0, path, text, len);
        tach__free(text);
        return rc;
    }
    return CLI_OK;
}

static int load_run(cli_report_src *src, int64_t id, tach__doc **out)
{
    char err[TACH__ERR_MAX] = "";
    int rc = tool_store_load(src->store, id, out, err);
    if (rc) return cli_usage_error("%s", err);
    if (src->want_json_text) {
        char *text = NULL;
        size_t len = 0;
        if (tool_store_load_json(src->store, id, &text, &len, err))
            return cli_usage_error("%s", err);
        rc = add_evidence(src, id, NULL, text, len);
        tach__free(text);
        return rc;
    }
    return CLI_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void base_label(cli_report_src *src, int64_t id, bool is_main)
{
    if (is_main)
        snprintf(src->base_label, sizeof src->base_label, "baseline " TOOL_STORE_MAIN_BASELINE
                 " (run %lld)", (long long)id);
    else
        snprintf(src->base_label, sizeof src->base_label, "run %lld", (long long)id);
}

/* A store that failed to answer after it opened (locked, an I/O error, a lost
 * connection) or was found damaged: exit 2 with the store named, like one that cannot be
 * opened -- never 1, which is a report not written or a certificate REJECTED. */
static int store_failed(const cli_report_src *src, const char *err)
{
    if (tool_store_is_corrupt(src->store)) return cli_store_check_intact(src->store);
    return cli_store_read_failed(src->store, err);
}

/* The run to compare against when none is named (tool_store_default_base), labelled in
 * src->base_id (0: none).  A CLI exit status. */
static int default_base(cli_report_src *src)
{
    char err[TACH__ERR_MAX] = "";
    bool is_main = false;
    if (tool_store_default_base(src->store, src->run_id, &src->base_id, &is_main, err) != 0)
        return store_failed(src, err);
    if (src->base_id) base_label(src, src->base_id, is_main);
    return CLI_OK;
}

/* No run and no baseline named: the pair of runs `tach compare` takes
 * (tool_store_default_pair), its note on stderr; src->run_id is left as the latest run
 * when there is no such pair.  A CLI exit status. */
static int default_pair(cli_report_src *src)
{
    char err[TACH__ERR_MAX] = "";
    tool_default_pair p;
    int rc = tool_store_default_pair(src->store, &p, err);
    if (rc != 0 && tool_store_is_corrupt(src->store)) return cli_store_check_intact(src->store);
    if (rc == TOOL_STORE_NOT_FOUND) return CLI_OK; /* one run, or none of a suite: no comparison */
    if (rc != 0) return store_failed(src, err);
    if (p.note[0]) fprintf(stderr, "%s: warning: %s (name the runs to choose)\n", cli_prog(), p.note);
    src->run_id = p.run;
    src->base_id = p.base;
    base_label(src, p.base, p.base_is_main);
    return CLI_OK;
}

/* The default run is the latest; when it is the first of its suite after runs of
 * another (a first `tach suite bus` after compression runs, a stray `tach run -c true`
 * in the same store), say so.  A read that failed
 * is exit 2 (tool_store_first_of_suite), never that warning: the run it could not read
 * may well share a benchmark, and a report must not be made from a store that fails. */
static int warn_other_suite(cli_report_src *src)
{
    char err[TACH__ERR_MAX] = "";
    int64_t prev = 0;
    if (tool_store_first_of_suite(src->store, src->run_id, &prev, err) != 0)
        return store_failed(src, err);
    /* no pair (tool_store_default_pair): the run alone, said plainly, never the latest
     * two runs of another suite */
    bool alone = !src->no_compare && !src->baseline && !src->since;
    if (prev)
        fprintf(stderr, "%s: warning: the latest run %lld is the first of its suite: no earlier run "
                        "has a benchmark in common with it (run %lld before it is of another "
                        "suite)%s\n", cli_prog(), (long long)src->run_id, (long long)prev,
                alone ? "; reported alone, with nothing to compare it with (name a run, or "
                        "--baseline, to choose one)" : "");
    return CLI_OK;
}

static int gather_history(cli_report_src *src, int64_t since_id)
{
    const tach__doc *d = src->doc;
    size_t n = d->nresults;
    src->series = tach__calloc(n ? n : 1, sizeof *src->series);
    src->raw = tach__calloc(n ? n : 1, sizeof *src->raw);
    src->nraw = tach__calloc(n ? n : 1, sizeof *src->nraw);
    if (!src->series || !src->raw || !src->nraw) return cli_error(CLI_FAIL, "out of memory");
    size_t window = src->last ? (size_t)src->last : 30;
    size_t total = 0;
    cli_doc_cache cache = {0};
    for (size_t i = 0; i < n; i++) {
        const char *name = d->results[i].name;
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++) dup = !strcmp(d->results[k].name, name);
        if (dup || !name) continue;
        tool_run_filter f = {0};
        f.machine = src->machine;
        f.branch = src->branch; /* the series the chart names: this run's machine and branch */
        f.before_id = src->run_id < INT64_MAX ? src->run_id + 1 : 0; /* 0: no bound */
        f.after_id = since_id ? since_id - 1 : 0;
        f.last = window;
        char err[TACH__ERR_MAX] = "";
        size_t k = src->nseries;
        if (tool_store_history(src->store, name, &f, &src->raw[k], &src->nraw[k], err)) {
            cli_doc_cache_free(&cache);
            return store_failed(src, err); /* exit 2, the store named */
        }
        src->series[k].metric = src->metric;
        if (src->metric != TOOL_METRIC_WALL) {
            /* the store's points are times: each run's document gives the metric's value */
            int mrc = cli_history_metric_points(src->store, &cache, name, src->raw[k],
                                                src->nraw[k], src->metric, err);
            if (mrc != 0) {
                cli_doc_cache_free(&cache);
                return store_failed(src, err);
            }
        }
        src->series[k].name = name;
        src->series[k].machine = NULL;
        src->series[k].branch = src->branch;
        total += src->nraw[k];
        src->nseries++;
    }
    cli_doc_cache_free(&cache);
    /* Points, with run ids as text in one block. */
    src->idtext = tach__malloc(total * 24 + 1);
    if (!src->idtext) return cli_error(CLI_FAIL, "out of memory");
    char *ids = src->idtext;
    double *vals = tach__malloc((window + 1) * sizeof *vals);
    size_t *map = tach__malloc((window + 1) * sizeof *map);
    if (!vals || !map) {
        tach__free(vals);
        tach__free(map);
        return cli_error(CLI_FAIL, "out of memory");
    }
    cli_quick_runs qc = {.st = src->store}; /* which runs were --quick smoke runs */
    char qerr[TACH__ERR_MAX] = "";
    bool qfail = false;
    for (size_t k = 0; k < src->nseries; k++) {
        size_t np = src->nraw[k];
        tool_hist_point *p = tach__calloc(np ? np : 1, sizeof *p);
        if (!p) break;
        size_t m = 0;
        for (size_t j = 0; j < np; j++) {
            const tool_history_point *h = &src->raw[k][j];
            int w = snprintf(ids, 24, "%lld", (long long)h->run_id);
            p[j].run_id = ids;
            ids += w + 1;
            p[j].commit = h->commit;
            p[j].date = h->time;
            p[j].value = h->median;
            p[j].lo = h->median_lo;
            p[j].hi = h->median_hi;
            p[j].failed = h->status != TACH__OK && h->status != TACH__SKIPPED;
            qfail = qfail || cli_run_quick(&qc, h->run_id, &p[j].quick, qerr) != 0; /* a ring */
            if (isfinite(h->median) && m <= window) {
                vals[m] = h->median;
                map[m++] = j;
            }
        }
        tool_change cps[16];
        size_t nc = m >= 6 ? tool_change_points(vals, m, 0.001, 3, cps, 16) : 0;
        for (size_t c = 0; c < nc; c++)
            if (cps[c].index < m) {
                p[map[cps[c].index]].change = true;
                p[map[cps[c].index]].cp_before = cps[c].before;
                p[map[cps[c].index]].cp_after = cps[c].after;
            }
        src->series[k].points = p;
        src->series[k].npoints = np;
    }
    cli_quick_runs_free(&qc);
    tach__free(vals);
    tach__free(map);
    return qfail ? store_failed(src, qerr) : CLI_OK;
}

/* Whether d lacks metric m's values.  (Times may be absent for a reason of their own,
 * e.g. a document of latency blocks only: wall time is lacking only in a document of
 * counts.) */
static bool lacks_metric(const tach__doc *d, tool_metric m)
{
    if (m == TOOL_METRIC_WALL)
        return tool_doc_recorded_metric(d) == TOOL_METRIC_INSTRUCTIONS && !tool_doc_has_metric(d, m);
    return !tool_doc_has_metric(d, m);
}



int cli_report_check_metric(const char *metric_s)
{
    tool_metric m;
    if (metric_s && tool_metric_parse(metric_s, &m) != 0)
        return cli_usage_error("--metric: '%s' is not a metric (expected wall, cpu, instructions, "
                               "cycles-est, allocs or peak-rss)", metric_s);
    return CLI_OK;
}

/* --metric: the run's metric (asked, or what it was recorded in), the run lacking it bad
 * input; the run's document projected onto it (tool_metric_project). */
static int choose_metric(cli_report_src *src)
{
    if (cli_report_check_metric(src->metric_s) != CLI_OK) return CLI_USAGE;
    if (src->metric_s) tool_metric_parse(src->metric_s, &src->metric);
    if (!src->metric_s) src->metric = tool_doc_recorded_metric(src->doc);
    if (lacks_metric(src->doc, src->metric))
        return cli_usage_error("--metric %s: %s %s has no %s values (%s)",
                               tool_metric_name(src->metric), src->run_id ? "run" : "file",
                               src->run_label, tool_metric_name(src->metric),
                               tool_metric_lack_reason(src->doc, src->metric));
    if (src->metric == TOOL_METRIC_WALL) return CLI_OK;
    char err[TACH__ERR_MAX];
    tach__doc *p = tool_metric_project(src->doc, src->metric, 1000, 0, err);
    if (!p) return cli_error(CLI_FAIL, "%s", err);
    src->measured = src->doc; /* p's origin */
    src->doc = p;
    return CLI_OK;
}

/* The baseline under --metric: an asked baseline lacking the metric is bad input; the
 * default one (the previous run) is left out then.  Else projected like the run. */
static int metric_base(cli_report_src *src)
{
    if (lacks_metric(src->base_doc, src->metric)) {
        if (src->baseline)
            return cli_usage_error("--metric %s: baseline %s has no %s values (%s)",
                                   tool_metric_name(src->metric), src->baseline,
                                   tool_metric_name(src->metric), tool_metric_lack_reason(src->base_doc, src->metric));
        tach__doc_free(src->base_doc);
        src->base_doc = NULL;
        src->base_label[0] = 0;
        return CLI_OK;
    }
    if (src->metric == TOOL_METRIC_WALL) return CLI_OK;
    char err[TACH__ERR_MAX];
    tach__doc *p = tool_metric_project(src->base_doc, src->metric, 1000, 0, err);
    if (!p) return cli_error(CLI_FAIL, "%s", err);
    src->base_measured = src->base_doc; /* p's origin */
    src->base_doc = p;
    return CLI_OK;
}

/* The comparison of a report that shows the documents as read (junit, openmetrics, push):
 * a run that counted instructions (instruction mode) is compared by its counts, as tach
 * compare compares it, not by times it does not have.  Both sides are projected onto the
 * count for the comparison only (kept in src->cmp_docs, the rows point into them); a
 * baseline without counts is bad input when asked for, else left out (as metric_base
 * does).  A timed run: *m stays wall, the documents as read. */
static int counted_cmp(cli_report_src *src, tool_metric *m, const tach__doc **b, const tach__doc **c)
{
    tool_metric rm = tool_doc_recorded_metric(src->doc);
    if (rm == TOOL_METRIC_WALL) return CLI_OK;
    if (!tool_doc_has_metric(src->base_doc, rm)) {
        if (src->baseline)
            return cli_usage_error("baseline %s has no %s values (%s): %s %s counted them, and "
                                   "is compared by its counts",
                                   src->baseline, tool_metric_name(rm),
                                   tool_metric_lack_reason(src->base_doc, rm),
                                   src->run_id ? "run" : "file", src->run_label);
        tach__doc_free(src->base_doc);
        src->base_doc = NULL;
        src->base_label[0] = 0;
        *b = NULL;
        return CLI_OK;
    }
    char err[TACH__ERR_MAX];
    for (int k = 0; k < 2; k++) {
        src->cmp_docs[k] = tool_metric_project(k ? src->doc : src->base_doc, rm, 1000, 0, err);
        if (!src->cmp_docs[k]) return cli_error(CLI_FAIL, "%s", err);
    }
    *m = rm;
    *b = src->cmp_docs[0];
    *c = src->cmp_docs[1];
    return CLI_OK;
}

int cli_report_check_output(const cli_report_src *src, const char *out)
{
    int rc = CLI_OK;
    if (src->run && is_file(src->run))
        rc = cli_output_clash("-o", out, src->run, "the results file being read");
    if (rc == CLI_OK && src->baseline && is_file(src->baseline))
        rc = cli_output_clash("-o", out, src->baseline, "the baseline file being read");
    if (rc == CLI_OK) rc = cli_output_not_config("-o", out, src->config_path);
    char err[TACH__ERR_MAX];
    if (rc == CLI_OK && out && cli_export_check_path(out, err) != 0) rc = cli_usage_error("-o: %s", err);
    /* the store: an SQLite file is never written over (tach__write_text_file) */
    return rc;
}

int cli_report_gather(cli_report_src *src)
{
    char err[TACH__ERR_MAX] = "";
    int rc;
    if (src->no_compare && src->baseline) /* the baseline would be ignored */
        return cli_usage_error("--no-compare and --baseline: choose one");
    if ((rc = cli_config_load(NULL, src->config_path, &src->cfg)) != CLI_OK) return rc;
    src->has_cfg = true;
    int64_t since_id = 0;

    if (src->run && is_file(src->run)) {
        if ((rc = load_file(src, src->run, &src->doc)) != CLI_OK) return rc;
        snprintf(src->run_label, sizeof src->run_label, "%s", base_name(src->run));
        if (src->since) return cli_usage_error("--since needs a store, not a results file");
    } else {
        if (src->run && (rc = cli_check_file_spec(src->run)) != CLI_OK) return rc;
        if ((rc = cli_store_open(src->store_opt, false, &src->store)) != CLI_OK) return rc;
        rc = tool_store_latest(src->store, NULL, &src->run_id, err);
        if (rc == TOOL_STORE_NOT_FOUND)
            return cli_usage_error("store %s is empty: no run to report on (record one with "
                                   "'tach run' or 'tach record')",
                                   tool_store_name(src->store));
        if (rc) return cli_usage_error("%s", err);
        if (src->run && (rc = cli_store_resolve_run(src->store, src->run, &src->run_id)))
            return rc;
        /* Neither the run nor its baseline named: the pair compare and gate take. */
        bool pair = !src->run && !src->no_compare && !src->baseline && !src->since;
        if (pair && (rc = default_pair(src)) != CLI_OK) return rc;
        tool_run_info info;
        /* its commit, branch and machine: the report's header and its history's series */
        rc = tool_store_run_get(src->store, src->run_id, &info, err);
        if (rc < 0) return store_failed(src, err); /* (info left empty) */
        if (rc == 0) {
            src->commit = info.commit;
            src->branch = info.branch;
            src->machine = info.machine;
            info.commit = info.branch = info.machine = NULL;
            tool_run_info_clear(&info);
        }
        if ((rc = cli_store_check_intact(src->store)) != CLI_OK) return rc;
        if (src->since) {
            /* --since is a run of the store, where a history starts: a run id, a baseline
             * or a ref first, whatever file of that name is here (a run 1 beside a file
             * '1', a branch fix.json-io); only a value naming none of them that is a
             * file is said to be one ('not a run id ...' did not say a results file has
             * no history, and --baseline takes one) */
            rc = cli_store_find_run(src->store, src->since, &since_id);
            if (rc == CLI_USAGE && is_file(src->since))
                return cli_usage_error("--since %s: a results file is not a run of the store "
                                       "(--since takes a run id, a baseline or a git ref; "
                                       "--baseline takes a file)",
                                       cli_term(src->since));
            if (rc == CLI_USAGE) rc = cli_store_resolve_run(src->store, src->since, &since_id);
            if (rc) return rc;
            if (since_id > src->run_id)
                return cli_usage_error("--since %s (run %lld) is newer than run %lld", src->since,
                                       (long long)since_id, (long long)src->run_id);
        }
        /* a --baseline naming no run is said alone (exit 2), not after the warning below
         * about the pair it replaces; it is resolved again where it is loaded */
        if (src->baseline && !src->no_compare && !is_file(src->baseline)) {
            int64_t id;
            if ((rc = cli_check_file_spec(src->baseline)) != CLI_OK) return rc;
            if ((rc = cli_store_resolve_run(src->store, src->baseline, &id)) != CLI_OK) return rc;
        }
        if (!src->run && !src->base_id && (rc = warn_other_suite(src)) != CLI_OK) return rc;
        if ((rc = load_run(src, src->run_id, &src->doc)) != CLI_OK) return rc;
        snprintf(src->run_label, sizeof src->run_label, "%lld", (long long)src->run_id);
    }
    if (src->by_metric && (rc = choose_metric(src)) != CLI_OK) return rc;

    /* The baseline. */
    if (!src->no_compare) {
        if (src->baseline && is_file(src->baseline)) {
            if ((rc = load_file(src, src->baseline, &src->base_doc)) != CLI_OK) return rc;
            snprintf(src->base_label, sizeof src->base_label, "%s", base_name(src->baseline));
        } else if (src->baseline && (rc = cli_check_file_spec(src->baseline)) != CLI_OK) {
            return rc;
        } else if (src->baseline || since_id || src->store) {
            if (!src->store && (rc = cli_store_open(src->store_opt, false, &src->store)))
                return rc;
            if (src->baseline) {
                if ((rc = cli_store_resolve_run(src->store, src->baseline, &src->base_id)))
                    return rc;
                snprintf(src->base_label, sizeof src->base_label, "%s (run %lld)", src->baseline,
                         (long long)src->base_id);
            } else if (since_id) {
                src->base_id = since_id;
                snprintf(src->base_label, sizeof src->base_label, "%s (run %lld)", src->since,
                         (long long)since_id);
            } else if (!src->base_id) { /* default_pair may have chosen it */
                if ((rc = default_base(src)) != CLI_OK) return rc;
            }
            if (src->base_id && src->base_id != src->run_id &&
                (rc = load_run(src, src->base_id, &src->base_doc)) != CLI_OK)
                return rc;
        }
        char iwhy[512];
        if (src->base_doc && tool_suite_inputs_differ(src->base_doc, src->doc, iwhy, sizeof iwhy)) {
            /* one pass over another input, or another test file: not the same benchmarks */
            if (src->baseline || since_id)
                return cli_usage_error("%s%s and %s %s measured different inputs (%s): %s",
                                       src->base_id ? "" : "file ", src->base_label,
                                       src->run_id ? "run" : "file", src->run_label, iwhy,
                                       tool_suite_inputs_advice(src->base_doc));
            fprintf(stderr, "%s: note: no comparison with %s: it measured another input (%s)\n", cli_prog(),
                    cli_term(src->base_label), cli_term(iwhy));
            tach__doc_free(src->base_doc);
            src->base_doc = NULL;
            src->base_label[0] = 0;
        }
        if (src->base_doc && src->by_metric && (rc = metric_base(src)) != CLI_OK) return rc;
        tool_metric cm = src->by_metric ? src->metric : TOOL_METRIC_WALL; /* what is compared */
        const tach__doc *cb = src->base_doc, *cc = src->doc;
        if (src->base_doc && !src->by_metric && (rc = counted_cmp(src, &cm, &cb, &cc)) != CLI_OK)
            return rc;
        /* A baseline asked for that shares no benchmark is bad input, as tach compare's:
         * it judged nothing, and a certificate said "None among 0 compared benchmarks",
         * APPROVED, better than one with no baseline at all (after the metric checks above:
         * a baseline without the metric is said as such; a run holding no benchmark is
         * judged, REJECTED) */
        if (src->base_doc && (src->baseline || since_id) && src->doc->nresults &&
            tool_compare_common(src->base_doc, src->doc) == 0) {
            char nb[48];
            return cli_usage_error("%s %s: no benchmark in common with %s %s (%s against %zu)",
                                   src->baseline ? "--baseline" : "--since", cli_term(src->base_label),
                                   src->run_id ? "run" : "file", cli_term(src->run_label),
                                   tach__plural((double)src->base_doc->nresults, "benchmark", NULL,
                                                nb, sizeof nb),
                                   src->doc->nresults);
        }
        if (src->base_doc) {
            tool_cmp_options o;
            tool_cmp_options_default(&o);
            if (cm != TOOL_METRIC_WALL) {
                o.deterministic = tool_metric_deterministic(cm);
                o.metric = tool_metric_name(cm);
                if (o.deterministic) o.noise = TOOL_METRIC_COUNT_NOISE; /* a count's default */
            }
            if (isfinite(src->cfg.noise)) o.noise = src->cfg.noise;
            if (isfinite(src->cfg.critical)) o.critical = src->cfg.critical;
            if (isfinite(src->cfg.alpha)) o.alpha = src->cfg.alpha;
            o.rules = src->cfg.rules;
            o.nrules = src->cfg.nrules;
            if (tool_compare(cb, cc, &o, &src->cmp, err))
                return cli_error(CLI_FAIL, "%s", err);
            src->has_cmp = true;
            /* bus latency rows and open-model load rows offered at other rates, load rows
             * loaded otherwise (clients, think time, mix): incomparable (tool_cmp_loads_differ) */
            for (size_t i = 0; i < src->cmp.nrows; i++) {
                char why[512];
                if (tool_cmp_rates_text(&src->cmp.rows[i], why, sizeof why))
                    fprintf(stderr, "%s: note: %s not compared with %s: %s; %s\n", cli_prog(),
                            cli_term(src->cmp.rows[i].name), cli_term(src->base_label), why,
                            tool_cmp_rates_advice(&src->cmp.rows[i]));
            }
        }
    }
    if (src->store && src->run_id && !src->no_history) {
        if ((rc = gather_history(src, since_id)) != CLI_OK) return rc;
    }
    /* a lookup above that met a damaged page took it as "none" */
    return src->store ? cli_store_check_intact(src->store) : CLI_OK;
}

void cli_report_src_free(cli_report_src *src)
{
    if (!src) return;
    for (size_t k = 0; k < src->nseries; k++) {
        tach__free(src->series[k].points);
        tool_history_free(src->raw[k], src->nraw[k]);
    }
    tach__free(src->series);
    tach__free(src->raw);
    tach__free(src->nraw);
    tach__free(src->idtext);
    if (src->has_cmp) tool_comparison_free(&src->cmp);
    if (src->has_cfg) cli_config_free(&src->cfg);
    tach__doc_free(src->cmp_docs[0]); /* projections, before what they were made from */
    tach__doc_free(src->cmp_docs[1]);
    tach__doc_free(src->doc);
    tach__doc_free(src->base_doc);
    tach__doc_free(src->measured);
    tach__doc_free(src->base_measured);
    tach__free(src->commit);
    tach__free(src->branch);
    tach__free(src->machine);
    for (size_t i = 0; i < src->nevidence; i++) tach__free(src->evidence[i].source);
    tool_store_close(src->store);
    memset(src, 0, sizeof *src);
}

void cli_report_input(const cli_report_src *src, tool_report_in *in)
{
    memset(in, 0, sizeof *in);
    in->doc = src->doc;
    in->run_id = src->run_label[0] ? src->run_label : NULL;
    in->commit = src->commit;
    in->branch = src->branch;
    in->cmp = src->has_cmp ? &src->cmp : NULL;
    in->no_compare = src->no_compare;
    in->base_label = src->base_label[0] ? src->base_label : NULL;
    in->base_doc = src->base_doc;
    in->series = src->series;
    in->nseries = src->nseries;
    in->rules = src->cfg.rules;
    in->nrules = src->cfg.nrules;
    in->metric = src->metric;
}

int cli_write_output(const char *text, size_t len, const char *path)
{
    if (!path || !strcmp(path, "-")) {
        errno = 0;
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
            int e = errno;
            cli_stdout_drop();
            return cli_error(CLI_FAIL, "cannot write to standard output: %s", e ? strerror(e) : "write error");
        }
        return CLI_OK;
    }
    /* the path was checked before the work (cli_export_check_path): what fails now is the
     * write itself (a full disk), not the user's input */
    char err[TACH__ERR_MAX] = "";
    if (tach__write_text_file(text, len, path, err)) return cli_error(CLI_FAIL, "%s", err);
    return CLI_OK;
}

const char *cli_report_now(char *buf, size_t size)
{
    const char *pin = getenv("TACH_REPORT_DATE");
    if (pin && *pin) {
        snprintf(buf, size, "%s", pin);
        return buf;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

char *cli_command_string(int argc, char **argv)
{
    json_t *a = json_array();
    json_t *ctx = json_object();
    if (!a || !ctx) {
        json_decref(a);
        json_decref(ctx);
        return NULL;
    }
    json_array_append_new(a, json_string("tach"));
    for (int i = 0; i < argc; i++) json_array_append_new(a, json_string(argv[i]));
    json_object_set_new(ctx, "command_line", a); /* tool_rep_command_line redacts it */
    char *s = tool_rep_command_line(ctx);
    json_decref(ctx);
    return s;
}
