/* cmd_site.c - `tach site DIR`: a static dashboard of the whole store. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof_doc.h"
#include "changepoint.h"
#include "report_cli.h"
#include "history_metric.h"

typedef struct site_args {
    const char *store_opt, *title, *commit_url, *metric_s;
    long last;
    bool help;
} site_args;

#define OFF(f) offsetof(site_args, f)
static const tach__opt site_table[] = {
    {.kind = TACH__OPT_STRING, .name = "commit-url", .metavar = "URL", .offset = OFF(commit_url),
     .help = "link commits to URL + SHA (e.g. https://host/repo/commit/)"},
    {.kind = TACH__OPT_STRING, .name = "title", .metavar = "TEXT", .offset = OFF(title),
     .help = "the dashboard's title"},
    {.kind = TACH__OPT_COUNT, .name = "last", .metavar = "N", .offset = OFF(last), .lo = 2,
     .hi = 100000000, .help = "each benchmark's last N runs (its machines and branches\n"
                              "together; at least 2, for its last verdict)"},
    {.kind = TACH__OPT_STRING, .name = "metric", .metavar = "NAME", .offset = OFF(metric_s),
     .help = "the values shown: wall, cpu, instructions, cycles-est, allocs,\n"
             "peak-rss (default: what the newest run was recorded in)"},
    CLI_ROW_STORE(site_args, store_opt),
    CLI_ROW_HELP(site_args),
};

CLI_OPTIONS(site, site_table,
    "usage: tach site DIR [options]\n\n"
    "Writes a static dashboard of the whole store into DIR (created if missing, with\n"
    "its parents):\n"
    "index.html (every benchmark with a sparkline and its last verdict),\n"
    "regressions.html, and b/*.html (a page per benchmark: its trend per machine\n"
    "and branch, change points marked and linked to their commit).  The pages open\n"
    "from disk; nothing is fetched.  --metric shows another metric than wall time\n"
    "(instruction counts, allocations, ...) in its unit; runs without it are left out.\n"
    "Regenerating into DIR removes the pages it wrote there before and no longer\n"
    "writes (it lists them in DIR/.tach-site); it removes no other file.  Nor does it\n"
    "replace one: an index.html, regressions.html or b/ page in DIR that tach did not\n"
    "write (tach's pages carry <meta name=\"generator\" content=\"tach\">) is refused,\n"
    "named, and nothing is written.\n\n",
    "Exit status: 0 written, 2 bad input (empty store, a store that cannot be opened or\n"
    "read, unwritable DIR, a file in DIR tach did not write; nothing written).\n")

static int streq0(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return !strcmp(a, b);
}

typedef struct site_data {
    tool_site_bench *benches;
    size_t nbenches;
    tool_history_point **raw;
    size_t *nraw;
    char **names;
    size_t nnames;
    char *ids;
} site_data;

static void site_data_free(site_data *d)
{
    for (size_t i = 0; i < d->nbenches; i++) {
        tool_site_bench *b = &d->benches[i];
        tach__free((char *)b->flame_svg);
        for (size_t k = 0; k < b->nseries; k++) tach__free(b->series[k].points);
        tach__free((void *)b->series);
    }
    /* Every name's history is loaded before the benches are filled: free them all (an
     * early stop leaves some loaded past nbenches). */
    for (size_t i = 0; d->raw && d->nraw && i < d->nnames; i++) tool_history_free(d->raw[i], d->nraw[i]);
    tach__free(d->benches);
    tach__free(d->raw);
    tach__free(d->nraw);
    tach__free(d->ids);
    tool_names_free(d->names, d->nnames);
}

/* Two runs compared (base against cur), kept so that every benchmark whose last two runs
 * are these two reuses the comparison; the documents are loaded once per run (docs). */
typedef struct run_pair {
    int64_t base, cur;
    tool_comparison cmp;
    bool ok; /* compared (a run that cannot be loaded leaves the verdict unknown) */
    tach__doc *proj[2]; /* base and cur projected onto --metric (cmp's rows point into them) */
} run_pair;

typedef struct run_doc {
    int64_t id;
    tach__doc *doc; /* NULL: could not be loaded */
} run_doc;

typedef struct verdict_cache {
    run_pair *pairs;
    size_t npairs;
    run_doc *docs;
    size_t ndocs;
} verdict_cache;

static void verdict_cache_free(verdict_cache *c)
{
    for (size_t k = 0; k < c->npairs; k++) {
        if (c->pairs[k].ok) tool_comparison_free(&c->pairs[k].cmp);
        tach__doc_free(c->pairs[k].proj[0]);
        tach__doc_free(c->pairs[k].proj[1]);
    }
    for (size_t k = 0; k < c->ndocs; k++) tach__doc_free(c->docs[k].doc);
    tach__free(c->pairs);
    tach__free(c->docs);
}

/* Run id's document into *doc, loaded once.  0; -1 with err when out of memory; 1 with
 * err when the run's document cannot be read (a damaged store). */
static int cached_doc(tool_store *st, verdict_cache *c, int64_t id, tach__doc **doc, char *err)
{
    for (size_t k = 0; k < c->ndocs; k++)
        if (c->docs[k].id == id && c->docs[k].doc) {
            *doc = c->docs[k].doc;
            return 0;
        }
    run_doc *t = tach__realloc(c->docs, (c->ndocs + 1) * sizeof *t);
    if (!t) return tach__err(err, "out of memory");
    c->docs = t;
    run_doc *d = &t[c->ndocs++];
    d->id = id;
    d->doc = NULL;
    if (tool_store_load(st, id, &d->doc, err) != 0) {
        d->doc = NULL;
        return 1;
    }
    *doc = d->doc;
    return 0;
}

/* b's last verdict: its newest run against its run before that on the same machine (none
 * when the two measured different inputs, or a bus latency row or an open-model load
 * row was offered at different rates).  A newest run where it crashed, failed or
 * timed out shows that status.  h is b's history,
 * oldest first.  Returns -1 with err when out of memory, 1 with err when a run's
 * document cannot be read (a damaged store). */
static int last_verdict(tool_store *st, tool_site_bench *b, const tool_history_point *h,
                        size_t n, verdict_cache *c, tool_metric metric, char *err)
{
    if (!n) return 0;
    const tool_history_point *last = &h[n - 1], *prev = NULL;
    if (last->status != TACH__OK && last->status != TACH__SKIPPED) {
        b->last_verdict = tach__status_name(last->status);
        return 0;
    }
    for (size_t k = n - 1; k-- > 0 && !prev;)
        if (h[k].status == TACH__OK && streq0(h[k].machine, last->machine)) prev = &h[k];
    if (!prev || last->status != TACH__OK) return 0;
    run_pair *p = NULL;
    for (size_t k = 0; k < c->npairs && !p; k++)
        if (c->pairs[k].base == prev->run_id && c->pairs[k].cur == last->run_id) p = &c->pairs[k];
    if (!p) {
        tach__doc *bd = NULL, *cd = NULL;
        int lrc = cached_doc(st, c, prev->run_id, &bd, err);
        if (lrc == 0) lrc = cached_doc(st, c, last->run_id, &cd, err);
        if (lrc != 0) return lrc;
        run_pair *t = tach__realloc(c->pairs, (c->npairs + 1) * sizeof *t);
        if (!t) return tach__err(err, "out of memory");
        c->pairs = t;
        p = &t[c->npairs++];
        memset(p, 0, sizeof *p);
        p->base = prev->run_id;
        p->cur = last->run_id;
        char lerr[TACH__ERR_MAX];
        /* two compression runs of different inputs (--data, its size, --block), or storage
         * runs on test files of other sizes: a row's time is one pass over another input,
         * so no verdict, as compare refuses them (it called 64 KiB then 1 MiB of corpus
         * "regressed +404%") */
        if (bd && cd && !tool_suite_inputs_differ(bd, cd, NULL, 0)) {
            tool_cmp_options o;
            tool_cmp_options_default(&o);
            o.deterministic = tool_metric_deterministic(metric);
            o.metric = tool_metric_name(metric);
            if (o.deterministic) o.noise = TOOL_METRIC_COUNT_NOISE; /* a count's default */
            tach__doc *pb = bd, *pc = cd; /* the documents projected onto the metric */
            if (metric != TOOL_METRIC_WALL) {
                pb = tool_metric_project(bd, metric, 1000, 0, lerr);
                pc = pb ? tool_metric_project(cd, metric, 1000, 0, lerr) : NULL;
            }
            p->ok = pb && pc && tool_compare(pb, pc, &o, &p->cmp, lerr) == 0;
            if (!p->ok && pb && pc) tool_comparison_free(&p->cmp);
            if (pb != bd) p->proj[0] = pb;
            if (pc != cd) p->proj[1] = pc;
        }
    }
    if (!p->ok) return 0;
    for (size_t k = 0; k < p->cmp.nrows; k++)
        if (p->cmp.rows[k].cur && !strcmp(p->cmp.rows[k].name, b->name)) {
            /* a bus latency row (or a load row) offered at other rates, or a load row
             * loaded otherwise (other clients, think time, mix): no verdict (—), as
             * compare gives it none (tool_cmp_loads_differ) */
            if (tool_cmp_loads_differ(&p->cmp.rows[k])) break;
            b->last_verdict = tool_verdict_name(p->cmp.rows[k].verdict);
            b->last_change = p->cmp.rows[k].change.value;
            break;
        }
    return 0;
}

/* Splits one benchmark's history into series per machine and branch, marks the
 * change points of each.  Returns 0; -1 when out of memory; 1 with err when a run's
 * document cannot be read (qc: whether it was a --quick run). */
static int split_series(tool_site_bench *b, tool_history_point *h, size_t n, char **ids,
                        tool_metric metric, cli_quick_runs *qc, char *err)
{
    tool_hist_series *ss = NULL;
    size_t ns = 0;
    bool *used = tach__calloc(n ? n : 1, sizeof *used);
    double *vals = tach__malloc((n ? n : 1) * sizeof *vals);
    size_t *map = tach__malloc((n ? n : 1) * sizeof *map);
    if (!used || !vals || !map) goto oom;
    for (size_t i = 0; i < n; i++) {
        if (used[i]) continue;
        size_t cnt = 0;
        for (size_t j = i; j < n; j++)
            if (!used[j] && streq0(h[j].machine, h[i].machine) && streq0(h[j].branch, h[i].branch)) cnt++;
        tool_hist_series *t = tach__realloc(ss, (ns + 1) * sizeof *ss);
        if (!t) goto oom;
        ss = t;
        tool_hist_series *s = &ss[ns++];
        memset(s, 0, sizeof *s);
        s->name = b->name;
        s->metric = metric;
        s->machine = h[i].machine;
        s->branch = h[i].branch;
        s->points = tach__calloc(cnt, sizeof *s->points);
        if (!s->points) goto oom;
        size_t m = 0;
        for (size_t j = i; j < n; j++) {
            if (used[j] || !streq0(h[j].machine, h[i].machine) || !streq0(h[j].branch, h[i].branch))
                continue;
            used[j] = true;
            tool_hist_point *p = &s->points[s->npoints];
            int w = snprintf(*ids, 24, "%lld", (long long)h[j].run_id);
            p->run_id = *ids;
            *ids += w + 1;
            p->commit = h[j].commit;
            p->date = h[j].time;
            p->value = h[j].median;
            p->lo = h[j].median_lo;
            p->hi = h[j].median_hi;
            p->failed = h[j].status != TACH__OK && h[j].status != TACH__SKIPPED;
            if (cli_run_quick(qc, h[j].run_id, &p->quick, err) != 0) {
                tach__free(used); /* the series so far are b's, freed with it */
                tach__free(vals);
                tach__free(map);
                b->series = ss;
                b->nseries = ns;
                return 1;
            }
            if (isfinite(p->value)) {
                vals[m] = p->value;
                map[m++] = s->npoints;
            }
            s->npoints++;
        }
        tool_change cps[64];
        size_t nc = m >= 6 ? tool_change_points(vals, m, 0.001, 3, cps, 64) : 0;
        for (size_t c = 0; c < nc; c++)
            if (cps[c].index < m) {
                tool_hist_point *cp = &s->points[map[cps[c].index]];
                cp->change = true;
                cp->cp_before = cps[c].before;
                cp->cp_after = cps[c].after;
            }
    }
    tach__free(used);
    tach__free(vals);
    tach__free(map);
    b->series = ss;
    b->nseries = ns;
    /* the index's row shows the newest run's series, whose machine its last verdict was
     * judged on (the longest one, another machine's, showed its value beside this one's
     * change) */
    for (size_t k = 0; n && k < ns && !b->newest; k++)
        if (streq0(ss[k].machine, h[n - 1].machine) && streq0(ss[k].branch, h[n - 1].branch))
            b->newest = &ss[k];
    return 0;
oom:
    tach__free(used);
    tach__free(vals);
    tach__free(map);
    for (size_t k = 0; k < ns; k++) tach__free(ss[k].points);
    tach__free(ss);
    return -1;
}

int cli_cmd_site(int argc, char **argv)
{
    site_args o = {0};
    tach__opt_result res;
    int prc = cli_opts_read(&site_options, &o, argc, argv, &res, &o.help);
    if (prc != CLI_OK) return prc < 0 ? CLI_OK : prc;
    const char *dir = NULL, *store_opt = o.store_opt, *title = o.title,
               *commit_url = o.commit_url;
    size_t last = (size_t)o.last;
    for (int i = 0; i < res.npos && prc == CLI_OK; i++) {
        const char *a = res.pos[i];
        if (!dir) dir = a;
        else prc = cli_usage_error("one directory ('%s' and '%s')", dir, a);
    }
    tach__opt_result_free(&res);
    if (prc != CLI_OK) return prc;
    if (!dir || !*dir) return cli_usage_error("which directory? (tach site DIR)");
    if (commit_url && cli_check_link_url("site", "--commit-url", commit_url) != CLI_OK) return CLI_USAGE;
    tool_metric metric = TOOL_METRIC_WALL;
    if (o.metric_s && tool_metric_parse(o.metric_s, &metric) != 0)
        return cli_cmd_usage_error("site", "--metric: '%s' is not a metric (expected wall, cpu, "
                                   "instructions, cycles-est, allocs or peak-rss)", o.metric_s);

    tool_store *st = NULL;
    int rc = cli_store_open(store_opt, false, &st);
    if (rc) return rc;
    char err[TACH__ERR_MAX] = "";
    int64_t latest = 0;
    int lrc = tool_store_latest(st, NULL, &latest, err);
    if (lrc) {
        rc = lrc == TOOL_STORE_NOT_FOUND
                 ? cli_usage_error("store %s is empty: nothing to show (record runs with 'tach run' "
                                   "or 'tach record')", tool_store_name(st))
                 : cli_usage_error("%s", err);
        tool_store_close(st);
        return rc;
    }
    if (!o.metric_s) { /* what the newest run was recorded in */
        tach__doc *newest = NULL;
        if (tool_store_load(st, latest, &newest, err) != 0) {
            rc = cli_store_read_failed(st, err); /* never a site of the wrong metric */
            tool_store_close(st);
            return rc;
        }
        metric = tool_doc_recorded_metric(newest);
        tach__doc_free(newest);
    }
    site_data d;
    memset(&d, 0, sizeof d);
    cli_doc_cache mcache = {0};
    tool_run_info *runs = NULL;
    size_t nruns = 0;
    verdict_cache vc;
    memset(&vc, 0, sizeof vc);
    cli_quick_runs qc = {.st = st}; /* which runs were --quick smoke runs */
    if (tool_store_runs(st, NULL, &runs, &nruns, err) ||
        tool_store_benchmark_names(st, NULL, &d.names, &d.nnames, err)) {
        rc = cli_store_read_failed(st, err); /* exit 2, the store named */
        goto done;
    }
    d.benches = tach__calloc(d.nnames ? d.nnames : 1, sizeof *d.benches);
    d.raw = tach__calloc(d.nnames ? d.nnames : 1, sizeof *d.raw);
    d.nraw = tach__calloc(d.nnames ? d.nnames : 1, sizeof *d.nraw);
    if (!d.benches || !d.raw || !d.nraw) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto done;
    }
    size_t total = 0;
    for (size_t i = 0; i < d.nnames; i++) {
        tool_run_filter f = {0};
        f.last = last;
        if (tool_store_history(st, d.names[i], last ? &f : NULL, &d.raw[i], &d.nraw[i], err)) {
            rc = cli_store_read_failed(st, err);
            goto done;
        }
        if (metric != TOOL_METRIC_WALL &&
            cli_history_metric_points(st, &mcache, d.names[i], d.raw[i], d.nraw[i], metric, err)) {
            rc = cli_store_read_failed(st, err);
            goto done;
        }
        total += d.nraw[i];
    }
    if (o.metric_s || metric != TOOL_METRIC_WALL) { /* a metric no run has: bad input */
        size_t with = 0;
        for (size_t i = 0; i < d.nnames; i++)
            for (size_t k = 0; k < d.nraw[i]; k++) with += isfinite(d.raw[i][k].median);
        if (!with) {
            rc = cli_usage_error("--metric %s: no run in store %s has %s values", tool_metric_name(metric),
                                 tool_store_name(st), tool_metric_name(metric));
            goto done;
        }
    }
    d.ids = tach__malloc(total * 24 + 1);
    if (!d.ids) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto done;
    }
    char *ids = d.ids;
    for (size_t i = 0; i < d.nnames; i++) {
        tool_site_bench *b = &d.benches[i];
        b->name = d.names[i];
        b->last_change = NAN;
        d.nbenches = i + 1;
        int src = split_series(b, d.raw[i], d.nraw[i], &ids, metric, &qc, err);
        if (src != 0) {
            rc = src > 0 ? cli_store_read_failed(st, err) : cli_error(CLI_FAIL, "out of memory");
            goto done;
        }
        if (d.nraw[i] && cli_run_quick(&qc, d.raw[i][d.nraw[i] - 1].run_id, &b->last_quick, err) != 0) {
            rc = cli_store_read_failed(st, err);
            goto done;
        }
        int lv = last_verdict(st, b, d.raw[i], d.nraw[i], &vc, metric, err);
        if (lv != 0) {
            rc = lv > 0 ? cli_store_read_failed(st, err) : cli_error(CLI_FAIL, "%s", err);
            goto done;
        }
        /* the newest run's profile, when it kept one */
        tach__doc *newest = NULL;
        int nrc = d.nraw[i] ? cached_doc(st, &vc, d.raw[i][d.nraw[i] - 1].run_id, &newest, err) : 0;
        if (nrc != 0) { /* never a page without what could not be read */
            rc = nrc > 0 ? cli_store_read_failed(st, err) : cli_error(CLI_FAIL, "%s", err);
            goto done;
        }
        if (newest && tool_profile_count(newest)) {
            tach__profile *p = tool_profile_from_doc(newest, b->name, err);
            if (p) b->flame_svg = tach__profile_svg(p, NULL, b->name);
            else if (err[0]) /* said, not shown as a run that kept none */
                fprintf(stderr, "%s: warning: run %lld: %s: no flame graph on its page\n", cli_prog(),
                        (long long)d.raw[i][d.nraw[i] - 1].run_id, err);
            tach__profile_free(p);
        }
        /* and its load series (the cache keeps the document until the site is written) */
        for (size_t k = 0; newest && k < newest->nresults; k++)
            if (newest->results[k].load && !strcmp(newest->results[k].name, b->name))
                b->load = newest->results[k].load;
        /* and a soak's series (docs/soak.md) */
        if (newest && !strncmp(b->name, "soak: ", 6) && json_is_object(json_object_get(newest->context, "soak")))
            b->soak = json_object_get(newest->context, "soak");
    }
    tool_site_in in;
    memset(&in, 0, sizeof in);
    in.title = title;
    in.benches = d.benches;
    in.nbenches = d.nbenches;
    in.commit_url = commit_url;
    char now[40];
    in.generated = cli_report_now(now, sizeof now);
    in.nruns = nruns;
    in.metric = metric;
    if (tool_site_write(&in, dir, err)) {
        rc = cli_usage_error("%s", err);
        goto done;
    }
    fprintf(stderr, "%s: wrote the site for %zu benchmark%s over %zu run%s: %s/index.html\n", cli_prog(),
            d.nbenches, d.nbenches == 1 ? "" : "s", nruns, nruns == 1 ? "" : "s", cli_term(dir));
done:
    cli_doc_cache_free(&mcache);
    site_data_free(&d);
    tool_run_infos_free(runs, nruns);
    verdict_cache_free(&vc);
    cli_quick_runs_free(&qc);
    tool_store_close(st);
    return rc;
}
