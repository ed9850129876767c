/* markdown.c - the Markdown report (GitHub flavoured), for pull requests and CI
 * summaries. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static void md_time_ci(tach__sb *b, const tach__result *r)
{
    char buf[96];
    if (!r->has_summary || r->summary.n == 0) {
        tach__sb_put(b, "\xe2\x80\x94");
        return;
    }
    tach__sb_put(b, tach__rep_fmt_range(r->summary.median.value, r->summary.median.lo,
                                        r->summary.median.hi, buf, sizeof buf));
}

static void md_summary(tach__sb *b, const tach__report_in *in, const tach__rep_view *v)
{
    char buf[64];
    tach__sb_put(b, "## Summary\n\n| | |\n| --- | --- |\n");
    tach__sb_printf(b, "| Benchmarks | %zu (", v->nitems);
    tach__rep_status_counts(b, v);
    tach__sb_put(b, ") |\n");
    const tach__comparison *c = in->cmp;
    if (c) {
        tach__sb_put(b, "| Against ");
        tach__sb_esc_md(b, in->base_label ? in->base_label : "the baseline");
        tach__sb_printf(b, " | %zu regressed (%zu critical), %zu improved, %zu unchanged, "
                           "%zu unstable",
                        c->regressed, c->regressed_critical, c->improved, c->unchanged,
                        c->unstable);
        if (c->added || c->removed)
            tach__sb_printf(b, "; %zu added, %zu removed", c->added, c->removed);
        tach__sb_put(b, " |\n");
        tach__sb_printf(b, "| Suite geometric-mean change | %s |\n",
                        tach__rep_pct(c->geomean_change, buf, sizeof buf));
    }
    tach__sb_printf(b, "| Targets | %zu met, %zu missed |\n",
                    v->targets_total - v->targets_missed, v->targets_missed);
    tach__sb_printf(b, "| Unstable (CV > 5%%) | %zu |\n", v->unstable);
    if (in->doc->partial) tach__sb_put(b, "| Partial | the run was interrupted |\n");
    tach__sb_put(b, "\n");
}

static void md_problems(tach__sb *b, const tach__rep_view *v)
{
    size_t n = v->failed + v->crashed + v->timeout;
    if (!n) return;
    tach__sb_put(b, "## Problems\n\n");
    for (size_t i = 0; i < v->nitems; i++) {
        const tach__result *r = v->items[i].r;
        if (!v->items[i].broken) continue;
        tach__sb_put(b, "- ");
        tach__sb_code_md(b, r->name);
        tach__sb_printf(b, " **%s**", tach__rep_status_upper(r->status));
        if (r->status == TACH__CRASHED && r->signal)
            tach__sb_printf(b, " (signal %d, %s)", r->signal, tach__rep_signal_name(r->signal));
        if (r->message) {
            tach__sb_put(b, ": ");
            tach__sb_esc_md(b, r->message);
        }
        tach__sb_put(b, "\n");
    }
    tach__sb_put(b, "\n");
}

static void md_change_row(tach__sb *b, const tach__cmp_row *row)
{
    char bm[32], nm[32], ch[32], lo[32], hi[32];
    tach__sb_put(b, "| ");
    tach__sb_code_md(b, row->name);
    tach__sb_printf(b, " | %s | %s | %s [%s, %s] | %.3g | %.3g | %s |\n",
                    tach__fmt_time(row->base_median, bm, sizeof bm),
                    tach__fmt_time(row->new_median, nm, sizeof nm),
                    tach__rep_pct(row->change.value, ch, sizeof ch),
                    tach__rep_pct(row->change.lo, lo, sizeof lo),
                    tach__rep_pct(row->change.hi, hi, sizeof hi), row->p, row->q,
                    tach__severity_name(row->severity));
}

static void md_regressions(tach__sb *b, const tach__report_in *in, const tach__rep_view *v)
{
    if (!in->cmp) return;
    tach__sb_put(b, "## Regressions\n\n");
    if (!in->cmp->regressed) {
        tach__sb_put(b, "None.\n\n");
        return;
    }
    tach__sb_put(b, "| benchmark | base | new | change [95% CI] | p | q (BH) | severity |\n"
                    "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (size_t i = 0; i < v->nitems; i++)
        if (v->items[i].regressed) md_change_row(b, v->items[i].row);
    tach__sb_put(b, "\n");
}

static void md_targets(tach__sb *b, const tach__rep_view *v)
{
    tach__sb_put(b, "## Targets\n\n");
    if (!v->targets_total) {
        tach__sb_put(b, "No benchmark declares a target.\n\n");
        return;
    }
    tach__sb_printf(b, "%zu met, %zu missed.\n\n", v->targets_total - v->targets_missed,
                    v->targets_missed);
    tach__sb_put(b, "| benchmark | target | limit | actual | result |\n"
                    "| --- | --- | ---: | ---: | --- |\n");
    /* Missed first, then met. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < v->nitems; i++) {
            const tach__rep_item *it = &v->items[i];
            for (size_t k = 0; k < it->ntargets; k++) {
                const tach__target_check *t = &it->targets[k];
                if (t->met != (pass == 1)) continue;
                char lim[48], act[48];
                tach__rep_target_fmt(t->name, t->limit, lim, sizeof lim);
                tach__rep_target_fmt(t->name, t->actual, act, sizeof act);
                tach__sb_put(b, "| ");
                tach__sb_code_md(b, it->r->name);
                tach__sb_printf(b, " | %s | %s | %s | %s |\n", tach__rep_target_label(t->name),
                                lim, act, t->met ? "met" : "**MISSED**");
            }
        }
    tach__sb_put(b, "\n");
}

static void md_group_table(tach__sb *b, const tach__report_in *in, const tach__rep_view *v,
                           size_t from, size_t to)
{
    tach__sb_put(b, "| benchmark | median [95% CI] | mean | p99 | throughput | samples |");
    if (in->cmp) tach__sb_put(b, " change [95% CI] | verdict |");
    tach__sb_put(b, " status |\n| --- | ---: | ---: | ---: | ---: | ---: |");
    if (in->cmp) tach__sb_put(b, " ---: | --- |");
    tach__sb_put(b, " --- |\n");
    for (size_t i = from; i < to; i++) {
        const tach__rep_item *it = &v->items[i];
        const tach__result *r = it->r;
        char buf[48], buf2[48];
        tach__sb_put(b, "| ");
        tach__sb_code_md(b, r->name);
        tach__sb_put(b, " | ");
        md_time_ci(b, r);
        if (r->has_summary && r->summary.n) {
            tach__sb_printf(b, " | %s | %s | ", tach__fmt_time(r->summary.mean.value, buf, sizeof buf),
                            tach__fmt_time(r->summary.p99, buf2, sizeof buf2));
            tach__rep_throughput(b, r);
            tach__sb_printf(b, " | %zu |", r->summary.n);
        } else {
            tach__sb_put(b, " | \xe2\x80\x94 | \xe2\x80\x94 | \xe2\x80\x94 | 0 |");
        }
        if (in->cmp) {
            if (it->row && !isnan(it->row->change.value)) {
                char lo[32], hi[32];
                tach__sb_printf(b, " %s [%s, %s] | %s |",
                                tach__rep_pct(it->row->change.value, buf, sizeof buf),
                                tach__rep_pct(it->row->change.lo, lo, sizeof lo),
                                tach__rep_pct(it->row->change.hi, hi, sizeof hi),
                                it->regressed ? "**regressed**" : tach__verdict_name(it->row->verdict));
            } else {
                tach__sb_printf(b, " \xe2\x80\x94 | %s |", tach__rep_verdict(it));
            }
        }
        tach__sb_put(b, " ");
        tach__rep_status_cell_md(b, it);
        tach__sb_put(b, " |\n");
    }
    tach__sb_put(b, "\n");
}

static void md_results(tach__sb *b, const tach__report_in *in, const tach__rep_view *v)
{
    tach__sb_put(b, "## Results\n\n");
    size_t i = 0;
    while (i < v->nitems) {
        const char *g = tach__rep_group(v->items[i].r);
        size_t j = i;
        while (j < v->nitems && !strcmp(tach__rep_group(v->items[j].r), g)) j++;
        tach__sb_put(b, "### ");
        tach__sb_esc_md(b, g);
        tach__sb_put(b, "\n\n");
        md_group_table(b, in, v, i, j);
        i = j;
    }
    if (in->cmp && (in->cmp->removed)) {
        tach__sb_put(b, "Removed since the baseline: ");
        bool first = true;
        for (size_t k = 0; k < in->cmp->nrows; k++)
            if (in->cmp->rows[k].verdict == TACH__REMOVED) {
                if (!first) tach__sb_put(b, ", ");
                tach__sb_code_md(b, in->cmp->rows[k].name);
                first = false;
            }
        tach__sb_put(b, ".\n\n");
    }
}

static void md_environment(tach__sb *b, const tach__report_in *in)
{
    tach__sb_put(b, "## Environment\n\n| | |\n| --- | --- |\n");
    tach__rep_env_rows rows[32];
    size_t n = tach__rep_env(in->doc->context, rows, 32);
    for (size_t i = 0; i < n; i++) {
        tach__sb_printf(b, "| %s | ", rows[i].key);
        tach__sb_esc_md(b, rows[i].value);
        tach__sb_put(b, " |\n");
    }
    tach__sb_put(b, "\n");
    json_t *w = tach__rep_warnings(in->doc->context);
    if (w && json_array_size(w)) {
        tach__sb_put(b, "**Warnings**\n\n");
        size_t k;
        json_t *s;
        json_array_foreach(w, k, s) if (json_is_string(s))
        {
            tach__sb_put(b, "- ");
            tach__sb_esc_md(b, json_string_value(s));
            tach__sb_put(b, "\n");
        }
        tach__sb_put(b, "\n");
    } else {
        tach__sb_put(b, "No environment warnings.\n\n");
    }
    if (in->cmp && in->cmp->machine_mismatch)
        tach__sb_put(b, "**The baseline ran on a different machine**: changes may reflect "
                        "the hardware, not the code.\n\n");
    json_decref(w);
}

static void md_methodology(tach__sb *b, const tach__report_in *in)
{
    tach__sb_put(b, "## Methodology\n\n");
    tach__rep_method_line ml[16];
    size_t n = tach__rep_method(in, ml, 16);
    for (size_t i = 0; i < n; i++) {
        tach__sb_printf(b, "- **%s**: ", ml[i].key);
        tach__sb_put(b, ml[i].value);
        tach__sb_put(b, "\n");
    }
    tach__sb_put(b, "\n");
    char *cmdline = tach__rep_command_line(in->doc->context);
    if (cmdline || in->command) {
        tach__sb_put(b, "To reproduce:\n\n```sh\n");
        if (cmdline) {
            tach__sb_put(b, cmdline);
            tach__sb_put(b, "\n");
        }
        if (in->command) {
            tach__sb_put(b, in->command);
            tach__sb_put(b, "\n");
        }
        tach__sb_put(b, "```\n");
    }
    tach__free(cmdline);
}

char *tach__report_markdown(const tach__report_in *in, char *err)
{
    tach__rep_view v;
    if (tach__rep_view_build(in, &v, err)) return NULL;
    tach__sb b;
    tach__sb_init(&b);
    tach__sb_printf(&b, "# %s\n\n", in->title ? in->title : "tach report");
    tach__rep_header_md(&b, in);
    md_summary(&b, in, &v);
    md_problems(&b, &v);
    md_regressions(&b, in, &v);
    md_targets(&b, &v);
    md_results(&b, in, &v);
    md_environment(&b, in);
    md_methodology(&b, in);
    tach__rep_view_free(&v);
    char *s = tach__sb_take(&b, NULL);
    if (!s) tach__err(err, "out of memory");
    return s;
}
