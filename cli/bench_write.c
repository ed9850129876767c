/*
 * bench_write.c - `tach bench`'s last phases: the report (PERFORMANCE_REPORT.md by
 * default: the suite's verdict, the summary per criterion, what ran, the machine's
 * warnings, the regression analysis, then tach report's Markdown of the run), --html (tach
 * report's HTML), the detailed JSON beside the report (REPORT.json: the suite, the
 * comparison and the whole results document), and the summary on the terminal.
 * A --quick run says so in every one of them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "report_cli.h"

static void sb_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void sb_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (*len + (size_t)n + 1 > *cap) {
        size_t nc = (*cap ? *cap * 2 : 4096) + (size_t)n;
        char *nb = tach__realloc(*buf, nc);
        if (!nb) return;
        *buf = nb;
        *cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(*buf + *len, *cap - *len, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

/* "- s" as a Markdown list item whose text shows as written: a benchmark's name in it
 * (a command's "<int>" or "*x*", a C++ frame's std::vector<int>) was read as markup, an
 * HTML tag dropped or a word emphasized (tach__md_text). */
static void md_item(char **buf, size_t *len, size_t *cap, const char *s)
{
    tool_sb t;
    tool_sb_init(&t);
    tool_sb_esc_md(&t, s);
    char *text = tool_sb_take(&t, NULL);
    sb_add(buf, len, cap, "- %s\n", text ? text : "");
    tach__free(text);
}

static const char *verdict_text(const cli_bench *b)
{
    if (b->interrupted) return "interrupted: the results so far are recorded";
    if (b->failed) return "FAILED: a regression, a failed benchmark or a missed target";
    return "passed";
}

void cli_bench_regression_text(const tool_cmp_row *r, char *buf, size_t size)
{
    char val[32], lo[32], hi[32], ci[160];
    tach__ci shown = tool_cmp_shown_ci(r);
    if (isnan(shown.lo) && isnan(shown.hi))
        snprintf(ci, sizeof ci, "95%% CI n/a%s%s", r->change_na ? ": " : "",
                 r->change_na ? r->change_na : "");
    else
        snprintf(ci, sizeof ci, "95%% CI %s to %s", tool_rep_pct(shown.lo, lo, sizeof lo),
                 tool_rep_pct(shown.hi, hi, sizeof hi));
    snprintf(buf, size, "%s (%s), %s%s", tool_rep_pct(r->change.value, val, sizeof val), ci,
             r->severity == TOOL_CRITICAL ? "critical" : "warning",
             r->beyond_rounds ? " (its rounds disagree)" : "");
}

/* The regressions, one line each: name, change, CI, severity. */
static void regression_lines(const cli_bench *b, char ***v, size_t *n)
{
    if (!b->src || !b->src->has_cmp) return;
    const tool_comparison *c = &b->src->cmp;
    for (size_t i = 0; i < c->nrows; i++) {
        const tool_cmp_row *r = &c->rows[i];
        if (r->verdict == TOOL_REGRESSED) {
            char line[512];
            cli_bench_regression_text(r, line, sizeof line);
            cli_bench_vpush(v, n, "%s: %s", r->name, line);
        } else if (r->verdict == TOOL_BROKEN)
            cli_bench_vpush(v, n, "%s: %s%s%s", r->name,
                            r->cur ? tach__status_name(r->cur->status) : "failed",
                            r->cur && r->cur->message ? ": " : "",
                            r->cur && r->cur->message ? r->cur->message : "");
        if (r->targets_missed)
            for (size_t t = 0; t < r->ntargets; t++)
                if (!r->targets[t].met && !r->targets[t].not_checked)
                    cli_bench_vpush(v, n, "%s: target %s %g missed (measured %g)", r->name,
                                    r->targets[t].name, r->targets[t].limit, r->targets[t].actual);
    }
}

static char *markdown(const cli_bench *b, char *err)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    sb_add(&buf, &len, &cap, "# Performance report%s\n\n", b->quick ? " (quick run)" : "");
    if (b->quick)
        sb_add(&buf, &len, &cap, "> **Quick run**: each benchmark ran on a short budget, as a "
                                 "smoke check. Its figures are rough, and it is never saved "
                                 "as a baseline.\n\n");
    sb_add(&buf, &len, &cap, "**Verdict: %s.**\n\n", verdict_text(b));
    sb_add(&buf, &len, &cap, "- Run %lld%s%s%s\n", (long long)b->run_id, b->commit ? ", commit `" : "",
           b->commit ? b->commit : "", b->commit ? "`" : "");
    if (b->saved_baseline)
        sb_add(&buf, &len, &cap, "- No baseline '%s' existed: this run is now the baseline\n",
               b->baseline);
    else if (b->base_id)
        sb_add(&buf, &len, &cap, "- Baseline '%s': run %lld%s%s%s\n", b->baseline,
               (long long)b->base_id, b->base_commit ? ", commit `" : "",
               b->base_commit ? b->base_commit : "", b->base_commit ? "`" : "");
    else
        sb_add(&buf, &len, &cap, "- No baseline '%s' (not compared)\n", b->baseline);
    sb_add(&buf, &len, &cap, "- Thresholds: +-%.1f%% warning, %.1f%% critical\n\n",
           b->noise * 100, b->critical * 100);
    sb_add(&buf, &len, &cap, "## Summary\n\n");
    for (size_t i = 0; i < b->nlines; i++) md_item(&buf, &len, &cap, b->lines[i]);

    sb_add(&buf, &len, &cap, "\n## What ran\n\n| module | kind | item | status | results | "
                             "seconds | not measured |\n| --- | --- | --- | --- | ---: | ---: | --- |\n");
    for (size_t i = 0; i < b->nitems; i++) {
        const cli_bitem *it = &b->items[i];
        static const char *const kinds[] = {"bench", "command", "load"};
        char st[300];
        snprintf(st, sizeof st, "%s%s%s%s", cli_bitem_status_name(it->status),
                 !it->why[0] || it->status == CLI_BITEM_OK ? ""
                 : it->status == CLI_BITEM_UNAVAILABLE ? " " : ": ",
                 it->status != CLI_BITEM_OK ? it->why : "",
                 it->retried ? " (retried with reduced load)" : "");
        for (char *p = st; *p; p++)
            if (*p == '|' || *p == '\n') *p = ' ';
        /* the item as a table cell's code span: a command's | (sh -c 'a | b', as the
         * docs say to write a pipe) split the row, a backtick ended the span */
        tool_sb item;
        tool_sb_init(&item);
        tool_sb_code_md(&item, it->src->shown);
        char *cell = tool_sb_take(&item, NULL);
        sb_add(&buf, &len, &cap, "| %s | %s | %s | %s | %zu | %.1f | %s |\n", it->mod->name,
               kinds[it->kind], cell ? cell : "", st, it->nresults, it->seconds,
               it->not_measured ? it->not_measured : "");
        tach__free(cell);
    }
    if (b->nmachine_notes) {
        sb_add(&buf, &len, &cap, "\n## The machine\n\n");
        for (size_t i = 0; i < b->nmachine_notes; i++)
            md_item(&buf, &len, &cap, b->machine_notes[i]);
    }
    char **reg = NULL;
    size_t nreg = 0;
    regression_lines(b, &reg, &nreg);
    if (nreg) {
        sb_add(&buf, &len, &cap, "\n## Regression analysis\n\n");
        for (size_t i = 0; i < nreg; i++) md_item(&buf, &len, &cap, reg[i]);
        if (b->commits && *b->commits)
            sb_add(&buf, &len, &cap, "\nCommits between the baseline (`%.12s`) and this run "
                                     "(`%.12s`), newest first (`git log --oneline`):\n\n```\n%s```\n",
                   b->base_commit, b->commit, b->commits);
        else if (b->base_commit && b->commit && !strcmp(b->base_commit, b->commit))
            sb_add(&buf, &len, &cap, "\nThe baseline was measured on this same commit: the "
                                     "change is in the work tree or the machine.\n");
        else if (b->base_commit && b->commit)
            sb_add(&buf, &len, &cap, "\nCommits between the baseline (`%.12s`) and this run "
                                     "(`%.12s`): `git log` lists none here (this run's commit "
                                     "is older than the baseline's, or git does not know "
                                     "them here).\n",
                   b->base_commit, b->commit);
        else
            sb_add(&buf, &len, &cap, "\nNo commit range: %s.\n",
                   b->base_commit ? "this run has no git commit"
                   : b->commit    ? "the baseline has no git commit"
                                  : "neither the baseline nor this run has a git commit");
        if (b->profile && b->ngrown) {
            sb_add(&buf, &len, &cap, "\nFrames that grew (share of self time, baseline -> "
                                     "this run; profiles in `%s` and `%s`):\n\n",
                   b->base_profile_dir, b->profile_dir);
            for (size_t i = 0; i < b->ngrown; i++) md_item(&buf, &len, &cap, b->grown[i]);
        } else if (b->profile) {
            sb_add(&buf, &len, &cap, "\nFrames that grew: none shown: %s.\n",
                   b->grown_note ? b->grown_note
                                 : "no binary here writes profiles (its --help lists no --profile)");
        }
    }
    cli_bench_vfree(reg, nreg);

    tool_report_in in;
    cli_report_input(b->src, &in);
    in.title = "The run in detail";
    char now[40];
    in.generated = cli_report_now(now, sizeof now);
    char *detail = tool_report_markdown(&in, err);
    if (!detail) {
        tach__free(buf);
        return NULL;
    }
    sb_add(&buf, &len, &cap, "\n%s", detail);
    tach__free(detail);
    return buf;
}

json_t *cli_bench_summary_json(const cli_bench *b)
{
    json_t *o = json_object();
    json_object_set_new(o, "quick", json_boolean(b->quick));
    json_object_set_new(o, "verdict", json_string(b->interrupted ? "interrupted"
                                                  : b->failed ? "failed" : "passed"));
    json_object_set_new(o, "run_id", json_integer(b->run_id));
    json_object_set_new(o, "commit", b->commit ? json_string(b->commit) : json_null());
    json_object_set_new(o, "baseline", json_string(b->baseline));
    json_object_set_new(o, "baseline_run_id", b->base_id ? json_integer(b->base_id) : json_null());
    json_object_set_new(o, "baseline_commit",
                        b->base_commit ? json_string(b->base_commit) : json_null());
    json_object_set_new(o, "saved_as_baseline", json_boolean(b->saved_baseline));
    json_object_set_new(o, "noise", json_real(b->noise));
    json_object_set_new(o, "critical", json_real(b->critical));
    json_t *lines = json_array();
    for (size_t i = 0; i < b->nlines; i++) json_array_append_new(lines, json_string(b->lines[i]));
    json_object_set_new(o, "summary", lines);
    char **reg = NULL;
    size_t nreg = 0;
    regression_lines(b, &reg, &nreg);
    json_t *ra = json_array();
    for (size_t i = 0; i < nreg; i++) json_array_append_new(ra, json_string(reg[i]));
    cli_bench_vfree(reg, nreg);
    json_object_set_new(o, "regressions", ra);
    json_t *commits = json_array();
    for (const char *p = b->commits; p && *p;) {
        size_t n = strcspn(p, "\n");
        if (n) json_array_append_new(commits, json_stringn(p, n));
        p += n + (p[n] == '\n');
    }
    json_object_set_new(o, "commits", commits);
    json_t *grown = json_array();
    for (size_t i = 0; i < b->ngrown; i++) json_array_append_new(grown, json_string(b->grown[i]));
    json_object_set_new(o, "grown_frames", grown);
    json_object_set_new(o, "profile_dir", b->profile_dir ? json_string(b->profile_dir) : json_null());
    json_t *items = json_array();
    for (size_t i = 0; i < b->nitems; i++) {
        const cli_bitem *it = &b->items[i];
        static const char *const kinds[] = {"bench", "command", "load"};
        json_t *j = json_object();
        json_object_set_new(j, "module", json_string(it->mod->name));
        json_object_set_new(j, "kind", json_string(kinds[it->kind]));
        json_object_set_new(j, "item", json_string(it->src->shown));
        json_object_set_new(j, "status", json_string(cli_bitem_status_name(it->status)));
        json_object_set_new(j, "why", it->why[0] ? json_string(it->why) : json_null());
        json_object_set_new(j, "retried", json_boolean(it->retried));
        json_object_set_new(j, "results", json_integer((json_int_t)it->nresults));
        json_object_set_new(j, "seconds", json_real(it->seconds));
        json_t *crit = json_array();
        for (unsigned bit = 1; bit <= CLI_CRIT_SCALABILITY; bit <<= 1)
            if (it->measured & bit) json_array_append_new(crit, json_string(cli_criterion_name(bit)));
        json_object_set_new(j, "criteria", crit);
        json_object_set_new(j, "not_measured",
                            it->not_measured ? json_string(it->not_measured) : json_null());
        json_array_append_new(items, j);
    }
    json_object_set_new(o, "items", items);
    json_t *m = json_array();
    for (size_t i = 0; i < b->nmachine_notes; i++)
        json_array_append_new(m, json_string(b->machine_notes[i]));
    json_object_set_new(o, "machine_warnings", m);
    json_object_set_new(o, "report", b->report_path ? json_string(b->report_path) : json_null());
    json_object_set_new(o, "json", b->json_path ? json_string(b->json_path) : json_null());
    json_object_set_new(o, "html", b->html ? json_string(b->html) : json_null());
    return o;
}

/* The suite's summary as JSON text: its thresholds as given ("noise": 0.05, not the
 * 17 digits of the nearest double), rounded to 15 significant digits; malloc'd. */
char *cli_bench_summary_text(const cli_bench *b, size_t flags)
{
    json_t *o = cli_bench_summary_json(b);
    char *t = json_dumps(o, flags | JSON_REAL_PRECISION(15));
    json_decref(o);
    return t;
}

/* One member of the top-level object: "  \"key\": TEXT", TEXT (dumped alone at
 * JSON_INDENT(2)) indented one level more, as one dump of the whole would give. */
static void put_member(tach__buf *out, const char *key, const char *text, bool last)
{
    tach__buf_printf(out, "  \"%s\": ", key);
    for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
        tach__buf_put(out, text, (size_t)(nl + 1 - text));
        tach__buf_puts(out, "  ");
    }
    tach__buf_puts(out, text);
    tach__buf_puts(out, last ? "\n}\n" : ",\n");
}

static int write_json(const cli_bench *b)
{
    /* The summary and the comparison at 15 digits, as tach compare and tach gate write
     * theirs; the results keep all 17 (tach__doc_load reads them back exactly). */
    const size_t flags = JSON_INDENT(2) | JSON_ENSURE_ASCII;
    char *suite = cli_bench_summary_text(b, flags);
    json_t *cmp = b->src && b->src->has_cmp ? tool_comparison_to_json(&b->src->cmp) : NULL;
    char *comparison = cmp ? json_dumps(cmp, flags | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(cmp);
    json_t *res = tach__doc_to_json(b->doc);
    char *results = res ? json_dumps(res, flags) : NULL;
    json_decref(res);
    tach__buf out = {0};
    tach__buf_puts(&out, "{\n");
    if (suite) put_member(&out, "suite", suite, false);
    put_member(&out, "comparison", comparison ? comparison : "null", false);
    if (results) put_member(&out, "results", results, true);
    bool lost = !suite || (b->src && b->src->has_cmp && !comparison) || !results;
    free(suite);
    free(comparison);
    free(results);
    char *text = tach__buf_take(&out);
    if (lost || !text) {
        tach__free(text);
        return cli_error(CLI_FAIL, "out of memory");
    }
    int rc = cli_write_output(text, strlen(text), b->json_path);
    tach__free(text);
    return rc;
}

int cli_bench_write(cli_bench *b)
{
    char err[TACH__ERR_MAX] = "";
    char *md = markdown(b, err);
    if (!md) return cli_error(CLI_FAIL, "%s", err);
    int rc = cli_write_output(md, strlen(md), b->report_path);
    tach__free(md);
    if (rc == CLI_OK) rc = write_json(b);
    if (rc == CLI_OK && b->html) {
        tool_report_in in;
        cli_report_input(b->src, &in);
        in.title = b->quick ? "Performance report (quick run: a smoke check, not a baseline)"
                            : "Performance report";
        char now[40];
        in.generated = cli_report_now(now, sizeof now);
        char *html = tool_report_html(&in, err);
        if (!html) return cli_error(CLI_FAIL, "%s", err);
        rc = cli_write_output(html, strlen(html), b->html);
        tach__free(html);
    }
    return rc;
}
