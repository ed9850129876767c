/* markdown.c - the Markdown report (GitHub flavoured), for pull requests and CI
 * summaries. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static void md_time_ci(tool_sb *b, const tach__result *r, tool_metric m)
{
    char buf[96];
    if (!r->has_summary || r->summary.n == 0) {
        tool_sb_put(b, "\xe2\x80\x94");
        return;
    }
    tool_sb_put(b, tool_rep_fmt_range_m(m, r->summary.median.value, r->summary.median.lo,
                                        r->summary.median.hi, buf, sizeof buf));
}

static void md_summary(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    char buf[64];
    tool_sb_put(b, "## Summary\n\n| | |\n| --- | --- |\n");
    if (in->metric != TOOL_METRIC_WALL)
        tool_sb_printf(b, "| Metric | %s (%s)%s |\n", tool_metric_name(in->metric),
                        tool_rep_metric_unit(in->metric),
                        tool_metric_deterministic(in->metric)
                            ? "; deterministic: one run per side decides, no CI" : "");
    if (tool_rep_suite_quick(in->doc)) /* docs/suites.md: marked wherever its figures are */
        tool_sb_put(b, "| Mode | quick run (--quick): a smoke test with few samples, not figures "
                       "to publish |\n");
    tool_sb_printf(b, "| Benchmarks | %zu (", v->nitems);
    tool_rep_status_counts(b, v);
    tool_sb_put(b, ") |\n");
    const tool_comparison *c = in->cmp;
    if (c) {
        tool_sb_put(b, "| Against ");
        tool_sb_esc_md(b, in->base_label ? in->base_label : "the baseline");
        tool_sb_printf(b, " | %zu regressed (%zu critical), %zu improved, %zu unchanged, "
                           "%zu unstable",
                        c->regressed, c->regressed_critical, c->improved, c->unchanged,
                        c->unstable);
        /* as compare's summary, in its order: only when some are (a benchmark that
         * failed, one offered at other rates, one with too few samples) */
        if (c->broken) tool_sb_printf(b, ", %zu failed", c->broken);
        if (c->incomparable) tool_sb_printf(b, ", %zu incomparable", c->incomparable);
        if (c->untestable) tool_sb_printf(b, ", %zu not testable", c->untestable);
        if (c->added || c->removed)
            tool_sb_printf(b, "; %zu added, %zu removed", c->added, c->removed);
        tool_sb_put(b, " |\n");
        tool_sb_printf(b, "| Suite geometric-mean change | %s |\n",
                        tool_rep_pct(c->geomean_change, buf, sizeof buf));
    }
    tool_sb_printf(b, "| Targets | %zu met, %zu missed", v->targets_total - v->targets_missed,
                    v->targets_missed);
    if (v->targets_not_checked) tool_sb_printf(b, ", %zu not checked", v->targets_not_checked);
    tool_sb_put(b, " |\n");
    if (v->cv_free) /* the samples are parts of one run of the workload (view.c) */
        tool_sb_printf(b, "| Unstable (CV > 5%%) | n/a: not judged by CV (see Methodology) |\n");
    else
        tool_sb_printf(b, "| Unstable (CV > 5%%) | %zu |\n", v->unstable);
    if (in->doc->partial) {
        char why[512];
        tool_sb_put(b, "| Partial | the run ");
        tool_sb_esc_md(b, tool_rep_partial_why(in->doc, why, sizeof why));
        tool_sb_put(b, " |\n");
    }
    tool_sb_put(b, "\n");
}

static void md_problems(tool_sb *b, const tool_rep_view *v)
{
    size_t n = v->failed + v->crashed + v->timeout;
    if (!n) return;
    tool_sb_put(b, "## Problems\n\n");
    for (size_t i = 0; i < v->nitems; i++) {
        const tach__result *r = v->items[i].r;
        if (!v->items[i].broken) continue;
        tool_sb_put(b, "- ");
        tool_sb_code_md_inline(b, r->name);
        tool_sb_printf(b, " **%s**", tool_rep_status_upper(r->status));
        if (r->status == TACH__CRASHED && r->signal)
            tool_sb_printf(b, " (signal %d, %s)", r->signal, tool_rep_signal_name(r->signal));
        if (r->message) {
            tool_sb_put(b, ": ");
            tool_sb_esc_md(b, r->message);
        }
        tool_sb_put(b, "\n");
    }
    tool_sb_put(b, "\n");
}

static void md_change_row(tool_sb *b, const tool_cmp_row *row, tool_metric m)
{
    char bm[64], nm[64], ch[32], lo[32], hi[32], pv[16], qv[16];
    tool_sb_put(b, "| ");
    tool_sb_code_md(b, row->name);
    tool_sb_printf(b, " | %s | %s | %s [%s, %s] | %s | %s | %s |\n",
                    tool_rep_fmt_value(m, row->base_median, bm, sizeof bm),
                    tool_rep_fmt_value(m, row->new_median, nm, sizeof nm),
                    tool_rep_pct(row->change.value, ch, sizeof ch),
                    tool_rep_pct(tool_cmp_shown_ci(row).lo, lo, sizeof lo),
                    tool_rep_pct(tool_cmp_shown_ci(row).hi, hi, sizeof hi), tool_rep_pvalue(row->p, pv, sizeof pv),
                    tool_rep_pvalue(row->q, qv, sizeof qv),
                    tool_severity_name(row->severity));
}

static void md_regressions(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    if (!in->cmp) return;
    tool_sb_put(b, "## Regressions\n\n");
    if (!in->cmp->regressed) {
        tool_sb_put(b, "None.\n\n");
        return;
    }
    tool_sb_put(b, "| benchmark | base | new | change [95% CI] | p | q (BH) | severity |\n"
                    "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (size_t i = 0; i < v->nitems; i++)
        if (v->items[i].regressed) md_change_row(b, v->items[i].row, in->metric);
    tool_sb_put(b, "\n");
    /* with profiles on both sides: the function that grew most, beside each regression */
    bool any = false;
    for (size_t i = 0; i < v->nitems; i++) {
        if (!v->items[i].regressed) continue;
        tool_sb s = {0};
        if (tool_report_suspect(&s, in, v->items[i].row->name, false)) {
            if (!any) tool_sb_put(b, "What grew most in each regression's profile (share of samples):\n\n");
            any = true;
            tool_sb_put(b, "- ");
            tool_sb_code_md_inline(b, v->items[i].row->name);
            tool_sb_put(b, ": ");
            char *t = tach__buf_take(&s);
            tool_sb_put(b, t ? t : "");
            tach__free(t);
            tool_sb_put(b, "\n");
        } else {
            tach__free(tach__buf_take(&s));
        }
    }
    if (any) tool_sb_put(b, "\n");
}

static void md_targets(tool_sb *b, const tool_rep_view *v)
{
    tool_sb_put(b, "## Targets\n\n");
    if (!v->targets_total && !v->targets_not_checked) {
        tool_sb_put(b, "No benchmark declares a target.\n\n");
        return;
    }
    tool_sb_printf(b, "%zu met, %zu missed", v->targets_total - v->targets_missed,
                    v->targets_missed);
    if (v->targets_not_checked)
        tool_sb_printf(b, ", %zu not checked (neither met nor missed)", v->targets_not_checked);
    tool_sb_put(b, ".\n\n");
    tool_sb_put(b, "| benchmark | target | limit | actual | result |\n"
                    "| --- | --- | ---: | ---: | --- |\n");
    /* Missed first, then met, then those not checked. */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < v->nitems; i++) {
            const tool_rep_item *it = &v->items[i];
            for (size_t k = 0; k < it->ntargets; k++) {
                const tool_target_check *t = &it->targets[k];
                if (tool_rep_target_pass(t) != pass) continue;
                char lim[48], act[48];
                tool_rep_target_fmt_pair(t->name, t->limit, t->actual, lim, act, sizeof lim);
                tool_sb_put(b, "| ");
                tool_sb_code_md(b, it->r->name);
                tool_sb_printf(b, " | %s | %s | %s | ", tool_rep_check_label(t), lim, act);
                if (t->not_checked) tool_sb_printf(b, "not checked: %s |\n", t->not_checked);
                else tool_sb_put(b, t->met ? "met |\n" : "**MISSED** |\n");
            }
        }
    tool_sb_put(b, "\n");
}

static void md_group_table(tool_sb *b, const tool_report_in *in, const tool_rep_view *v,
                           size_t from, size_t to)
{
    tool_sb_put(b, "| benchmark | median [95% CI] | mean | p99 | throughput | samples |");
    if (in->cmp) tool_sb_put(b, " change [95% CI] | verdict |");
    tool_sb_put(b, " status |\n| --- | ---: | ---: | ---: | ---: | ---: |");
    if (in->cmp) tool_sb_put(b, " ---: | --- |");
    tool_sb_put(b, " --- |\n");
    for (size_t i = from; i < to; i++) {
        const tool_rep_item *it = &v->items[i];
        const tach__result *r = it->r;
        char buf[64], buf2[64];
        tool_sb_put(b, "| ");
        tool_sb_code_md(b, r->name);
        tool_sb_put(b, " | ");
        md_time_ci(b, r, in->metric);
        if (r->has_summary && r->summary.n) {
            tool_sb_printf(b, " | %s | %s | ",
                            tool_rep_fmt_value(in->metric, r->summary.mean.value, buf, sizeof buf),
                            tool_rep_fmt_value(in->metric, r->summary.p99, buf2, sizeof buf2));
            tool_rep_throughput(b, r);
            tool_sb_printf(b, " | %zu |", r->summary.n);
        } else {
            tool_sb_put(b, " | \xe2\x80\x94 | \xe2\x80\x94 | \xe2\x80\x94 | 0 |");
        }
        if (in->cmp) {
            if (it->row && !isnan(it->row->change.value) && in->cmp->deterministic &&
                isnan(it->row->change.lo)) {
                /* one count per side: no interval to show */
                tool_sb_printf(b, " %s (no CI: deterministic) | %s |",
                                tool_rep_pct(it->row->change.value, buf, sizeof buf),
                                it->regressed ? "**regressed**" : tool_verdict_name(it->row->verdict));
            } else if (it->row && !isnan(it->row->change.value)) {
                char lo[32], hi[32], waited[192];
                bool w = tool_cmp_waited_text(it->row, waited, sizeof waited) != NULL;
                tool_sb_printf(b, " %s [%s, %s] | %s",
                                tool_rep_pct(it->row->change.value, buf, sizeof buf),
                                tool_rep_pct(it->row->change.lo, lo, sizeof lo),
                                tool_rep_pct(it->row->change.hi, hi, sizeof hi),
                                it->regressed ? "**regressed**" : tool_verdict_name(it->row->verdict));
                if (w) { /* why unstable: the slower side waited for a CPU */
                    tool_sb_put(b, ": ");
                    tool_sb_esc_md(b, waited);
                }
                tool_sb_put(b, " |");
            } else {
                tool_sb_printf(b, " \xe2\x80\x94 | %s |", tool_rep_verdict(it));
            }
        }
        tool_sb_put(b, " ");
        tool_rep_status_cell_md(b, it);
        tool_sb_put(b, " |\n");
    }
    tool_sb_put(b, "\n");
}

static void md_results(tool_sb *b, const tool_report_in *in, const tool_rep_view *v)
{
    tool_sb_put(b, "## Results\n\n");
    if (!v->nitems) tool_sb_put(b, "No benchmark in this run.\n\n");
    size_t i = 0;
    while (i < v->nitems) {
        const char *g = tool_rep_group(v->items[i].r);
        size_t j = i;
        while (j < v->nitems && !strcmp(tool_rep_group(v->items[j].r), g)) j++;
        tool_sb_put(b, "### ");
        tool_sb_esc_md(b, g);
        tool_sb_put(b, "\n\n");
        md_group_table(b, in, v, i, j);
        i = j;
    }
    if (in->cmp && (in->cmp->removed)) {
        tool_sb_put(b, "Removed since the baseline: ");
        bool first = true;
        for (size_t k = 0; k < in->cmp->nrows; k++)
            if (in->cmp->rows[k].verdict == TOOL_REMOVED) {
                if (!first) tool_sb_put(b, ", ");
                tool_sb_code_md_inline(b, in->cmp->rows[k].name);
                first = false;
            }
        tool_sb_put(b, ".\n\n");
    }
}

static void md_environment(tool_sb *b, const tool_report_in *in)
{
    tool_sb_put(b, "## Environment\n\n| | |\n| --- | --- |\n");
    tool_rep_env_rows rows[32];
    size_t n = tool_rep_env(in->doc->context, rows, 32);
    for (size_t i = 0; i < n; i++) {
        tool_sb_printf(b, "| %s | ", rows[i].key);
        tool_sb_esc_md(b, rows[i].value);
        tool_sb_put(b, " |\n");
    }
    tool_sb_put(b, "\n");
    json_t *w = tool_rep_warnings(in->doc->context);
    if (w && json_array_size(w)) {
        tool_sb_put(b, "**Warnings**\n\n");
        size_t k;
        json_t *s;
        json_array_foreach(w, k, s) if (json_is_string(s))
        {
            tool_sb_put(b, "- ");
            tool_sb_esc_md(b, json_string_value(s));
            tool_sb_put(b, "\n");
        }
        tool_sb_put(b, "\n");
    } else {
        tool_sb_put(b, "No environment warnings.\n\n");
    }
    if (in->cmp && in->cmp->machine_mismatch)
        tool_sb_put(b, "**The baseline ran on a different machine**: changes may reflect "
                        "the hardware, not the code.\n\n");
    json_decref(w);
}

static void md_methodology(tool_sb *b, const tool_report_in *in)
{
    tool_sb_put(b, "## Methodology\n\n");
    tool_rep_method_line ml[16];
    size_t n = tool_rep_method(in, ml, 16);
    for (size_t i = 0; i < n; i++) {
        tool_sb_printf(b, "- **%s**: ", ml[i].key);
        tool_sb_put(b, ml[i].value);
        tool_sb_put(b, "\n");
    }
    tool_sb_put(b, "\n");
    char *cmdline = tool_rep_command_line(in->doc->context);
    if (cmdline || in->command) {
        tool_sb_put(b, "To reproduce:\n\n```sh\n");
        if (cmdline) {
            tool_sb_put(b, cmdline);
            tool_sb_put(b, "\n");
        }
        if (in->command) {
            tool_sb_put(b, in->command);
            tool_sb_put(b, "\n");
        }
        tool_sb_put(b, "```\n");
    }
    tach__free(cmdline);
}

char *tool_report_markdown(const tool_report_in *in, char *err)
{
    tool_rep_view v;
    if (tool_rep_view_build(in, &v, err)) return NULL;
    tool_sb b;
    tool_sb_init(&b);
    tool_sb_put(&b, "# "); /* --title as text: one heading line, whatever it holds */
    tool_sb_esc_md(&b, in->title ? in->title : "tach report");
    tool_sb_put(&b, "\n\n");
    tool_rep_header_md(&b, in);
    md_summary(&b, in, &v);
    md_problems(&b, &v);
    md_regressions(&b, in, &v);
    md_targets(&b, &v);
    md_results(&b, in, &v);
    tool_rep_resources_md(&b, in->doc);
    tool_rep_fits_md(&b, in->doc);
    tool_rep_latency_md(&b, in->doc);
    tool_rep_load_md(&b, in->doc);
    tool_rep_soak_md(&b, in->doc);
    tool_report_suite_profile(&b, in->doc, false);
    tool_report_profiles_md(&b, in, &v);
    md_environment(&b, in);
    md_methodology(&b, in);
    tool_rep_view_free(&v);
    tool_sb_md_controls(&b);
    char *s = tool_sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}
