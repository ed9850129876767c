/*
 * run_report.c - what `tach run` prints: a summary per command, the comparison of
 * several commands, and the progress bar on stderr.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

#define BOLD(c) ((c) ? "\033[1m" : "")
#define GREEN(c) ((c) ? "\033[32m" : "")
#define CYAN(c) ((c) ? "\033[36m" : "")
#define YELLOW(c) ((c) ? "\033[33m" : "")
#define RED(c) ((c) ? "\033[31m" : "")
#define RESET(c) ((c) ? "\033[0m" : "")

static const char *fmt_t(double ns, char *buf)
{
    if (!isfinite(ns)) return "n/a";
    return tach__fmt_time(ns, buf, 32);
}

/* ns in ref's unit: one unit per line, as hyperfine prints them */
static const char *fmt_in(double ns, double ref, char *buf)
{
    if (!isfinite(ns)) return "n/a";
    return tach__fmt_time_in(ns, ref, buf, 32);
}

void cli_report_result(FILE *f, const tach__result *r, bool color, double shell_ns,
                       double spawner_rss_kib)
{
    char a[32], b[32], c[32];
    const tach__summary *s = &r->summary;
    if (r->has_summary && r->nsamples > 0) {
        fprintf(f, "  Time (mean ± σ):     %s%s%s ± %s", GREEN(color), fmt_t(s->mean.value, a),
                RESET(color), fmt_in(r->nsamples > 1 ? s->stddev : NAN, s->mean.value, b));
        if (r->user_ns && r->sys_ns) {
            double us = tach__mean(r->user_ns, r->nsamples), sy = tach__mean(r->sys_ns, r->nsamples);
            fprintf(f, "    [User: %s, System: %s]", fmt_in(us, s->mean.value, a),
                    fmt_in(sy, s->mean.value, c));
        }
        fputc('\n', f);
        fprintf(f, "  Median (95%% CI):     %s%s%s  [%s … %s]\n", GREEN(color), fmt_t(s->median.value, a),
                RESET(color), fmt_in(s->median.lo, s->median.value, b), fmt_in(s->median.hi, s->median.value, c));
        fprintf(f, "  Range (min … max):   %s%s%s … %s%s%s    %zu %s\n", CYAN(color), fmt_in(s->min, s->mean.value, a),
                RESET(color), CYAN(color), fmt_in(s->max, s->mean.value, b), RESET(color), r->nsamples,
                r->exit_codes ? (r->nsamples == 1 ? "run" : "runs") : (r->nsamples == 1 ? "sample" : "samples"));
        if (r->max_rss_kib) {
            double rss = tach__median(r->max_rss_kib, r->nsamples);
            if (spawner_rss_kib > 0 && rss <= spawner_rss_kib)
                /* what Linux reports is tach's own memory, which the child shared until exec */
                fprintf(f, "  Peak memory:         ≤ %.1f MiB (at most tach's own: below that the command's "
                           "peak cannot be told apart)\n", spawner_rss_kib / 1024.0);
            else
                fprintf(f, "  Peak memory:         %.1f MiB (median of the runs' max RSS)\n", rss / 1024.0);
        }
        const tach__outliers *o = &s->outliers;
        size_t mild = o->low_mild + o->high_mild, severe = o->low_severe + o->high_severe;
        if (mild + severe)
            fprintf(f, "  Outliers:            %zu mild, %zu severe (Tukey fences, %zu low, %zu high)\n",
                    mild, severe, o->low_mild + o->low_severe, o->high_mild + o->high_severe);
        if (r->exit_codes) {
            size_t nonzero = 0;
            for (size_t i = 0; i < r->nsamples; i++) nonzero += r->exit_codes[i] != 0;
            if (nonzero)
                fprintf(f, "  %sNote:%s %zu of the runs exited non-zero (ignored as asked)\n",
                        YELLOW(color), RESET(color), nonzero);
        }
        /* a run no longer than the shell's start-up reads 0 once that is subtracted (as
         * hyperfine clamps it): a statistic of such runs says nothing of the command */
        size_t zero = 0;
        for (size_t i = 0; shell_ns > 0 && i < r->nsamples; i++) zero += r->sample_ns[i] <= 0;
        if (zero)
            fprintf(f, "  %sWarning:%s %zu of %zu runs were no longer than the shell's start-up (%s) "
                       "and read 0 after subtracting it; time the command without --shell\n",
                    YELLOW(color), RESET(color), zero, r->nsamples, fmt_t(shell_ns, a));
        if (r->unstable)
            fprintf(f, "  %sWarning:%s unstable: CV %.1f%% is above 5%%\n", YELLOW(color), RESET(color),
                    s->cv * 100);
        if (r->precision_target > 0) {
            /* the target as asked: 0.125%, not 0.12% (two decimals at least, four at most) */
            double t = r->precision_target * 100;
            int d = 2;
            while (d < 4 && fabs(round(t * pow(10, d)) - t * pow(10, d)) >= 1e-6) d++;
            fprintf(f, "  Precision:           ±%.2f%% of the median (target ±%.*f%%: %s)\n",
                    r->precision_achieved * 100, d, t,
                    r->precision_reached ? "reached" : "not reached");
        }
    }
    if (r->status != TACH__OK)
        fprintf(f, "  %sStatus: %s%s — %s\n", RED(color), tach__status_name(r->status), RESET(color),
                r->message ? cli_term(r->message) : "");
}

/* The runs each of two commands needs for "faster" to be a verdict when every run of
 * one is faster, as one of m claims: the Mann-Whitney p of complete separation, times m
 * (Benjamini-Hochberg's q when only that claim differs), below 0.05. */
static size_t runs_needed(size_t m)
{
    size_t n = 2;
    while (n < 1000 && !(tach__mann_whitney_min_p(n, n) * (double)m < 0.05)) n++;
    return n;
}

enum { NOTE_NONE, NOTE_P, NOTE_Q };

/* Once for the m claims against the fastest, a (the others at[k]): the rows whose note[k]
 * is kind, named, with their runs ("with 3 and 3 runs" when all have the same, else
 * "with 3 and 3 runs for 'b', 3 and 2 for 'c'"), and the runs that would do. */
static void note_runs(FILE *f, const tach__doc *doc, const tach__result *a, const size_t *at,
                      const int *note, size_t m, int kind)
{
    size_t rows = 0, first = 0;
    bool same = true;
    for (size_t k = 0; k < m; k++) {
        if (note[k] != kind) continue;
        if (!rows++) first = k;
        else if (doc->results[at[k]].nsamples != doc->results[at[first]].nsamples) same = false;
    }
    if (!rows) return;
    if (same)
        fprintf(f, "  (with %zu and %zu runs%s", a->nsamples, doc->results[at[first]].nsamples,
                kind == NOTE_Q ? " and" : "");
    else
        fprintf(f, "  (%s", kind == NOTE_Q ? "with" : "");
    if (kind == NOTE_Q) fprintf(f, " %zu comparisons%s", m, same ? "" : ",");
    fprintf(f, "%sthe test cannot reach %c < 0.05 for ", same || kind == NOTE_Q ? " " : "",
            kind == NOTE_Q ? 'q' : 'p');
    for (size_t k = 0, i = 0; k < m; k++) {
        if (note[k] != kind) continue;
        const tach__result *b = &doc->results[at[k]];
        fprintf(f, "%s'%s'", i == 0 ? "" : i + 1 == rows ? " and " : ", ", cli_term(b->name));
        if (!same) fprintf(f, " (%zu and %zu runs)", a->nsamples, b->nsamples);
        i++;
    }
    if (kind == NOTE_Q)
        fprintf(f, " even when every run of one is faster, unless %s as clear: give each at least "
                   "%zu runs)\n",
                m == 2 ? "the other is" : "the others are", runs_needed(m));
    else
        fprintf(f, " even when every run of one is faster: give each at least %zu runs)\n",
                runs_needed(m));
}

/* The fastest command by median (the estimate tach reports and compares everywhere)
 * and, for each other one, the ratio of the medians and the Mann-Whitney p.  With
 * several others each claim is one of as many tests: "faster" needs the
 * Benjamini-Hochberg q across them below 0.05, as compare's verdicts do. */
void cli_report_comparison(FILE *f, const tach__doc *doc, bool color)
{
    size_t fast = SIZE_MAX, n = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        if (!r->has_summary || r->nsamples < 1) continue;
        n++;
        if (fast == SIZE_MAX || r->summary.median.value < doc->results[fast].summary.median.value) fast = i;
    }
    if (n < 2) return;
    const tach__result *a = &doc->results[fast];
    double *p = tach__malloc(doc->nresults * sizeof *p), *q = tach__malloc(doc->nresults * sizeof *q);
    size_t *at = tach__malloc(doc->nresults * sizeof *at);
    int *note = tach__malloc(doc->nresults * sizeof *note);
    if (!p || !q || !at || !note) {
        tach__free(p);
        tach__free(q);
        tach__free(at);
        tach__free(note);
        return;
    }
    size_t m = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *b = &doc->results[i];
        if (i == fast || !b->has_summary || b->nsamples < 1) continue;
        double u = NAN;
        p[m] = NAN;
        tach__mann_whitney(a->sample_ns, a->nsamples, b->sample_ns, b->nsamples, &u, &p[m]);
        at[m++] = i;
    }
    tach__benjamini_hochberg(p, m, q);
    fprintf(f, "%sSummary%s\n  '%s%s%s' ran\n", BOLD(color), RESET(color), CYAN(color), cli_term(a->name), RESET(color));
    for (size_t k = 0; k < m; k++) {
        const tach__result *b = &doc->results[at[k]];
        double ma = a->summary.median.value, mb = b->summary.median.value;
        double ratio = mb / ma;
        double sa = a->summary.mean.value, sb = b->summary.mean.value;
        double ra = a->nsamples > 1 ? a->summary.stddev / sa : NAN;
        double rb = b->nsamples > 1 ? b->summary.stddev / sb : NAN;
        /* uncertainty of the ratio by propagation of the relative standard deviations
         * (what hyperfine prints, so the two tools read alike); none when a side ran once
         * (its σ is n/a: the ratio was said '± 0.00', known exactly) */
        double err = ratio * sqrt(ra * ra + rb * rb);
        char ebuf[32] = "", cbuf[64] = "";
        if (!isnan(err)) {
            snprintf(ebuf, sizeof ebuf, " ± %.2f", err);
            snprintf(cbuf, sizeof cbuf, " ± %s%.2f%s", GREEN(color), err, RESET(color));
        }
        char pbuf[64];
        if (isnan(p[k]))
            snprintf(pbuf, sizeof pbuf, "Mann-Whitney p undefined");
        else if (m > 1)
            snprintf(pbuf, sizeof pbuf, "Mann-Whitney p = %.2g, q = %.2g", p[k], q[k]);
        else
            snprintf(pbuf, sizeof pbuf, "Mann-Whitney p = %.2g", p[k]);
        if (!isnan(q[k]) && q[k] < 0.05)
            fprintf(f, "    %s%.2f%s%s times faster than '%s%s%s'  (%s)\n", GREEN(color), ratio,
                    RESET(color), cbuf, CYAN(color), cli_term(b->name), RESET(color), pbuf);
        else
            fprintf(f, "    with no significant difference from '%s%s%s'  (%.2f%s, %s)\n",
                    CYAN(color), cli_term(b->name), RESET(color), ratio, ebuf, pbuf);
        /* The verdict is q's: what the runs cannot show is said of q when there are
         * several claims (it was said of p alone, so 4 and 4 runs among three commands,
         * p 0.03 and q 0.06, got no note, and 3 and 3 were told 4 would do) */
        double minp = tach__mann_whitney_min_p(a->nsamples, b->nsamples);
        note[k] = !(minp < 0.05) ? NOTE_P
                  : m > 1 && !(minp * (double)m < 0.05) && !(q[k] < 0.05) ? NOTE_Q : NOTE_NONE;
        if (m == 1 && note[k] == NOTE_P)
            fprintf(f, "    (with %zu and %zu runs the test cannot reach p < 0.05 even when every run "
                       "of one is faster: give each at least %zu runs)\n",
                    a->nsamples, b->nsamples, runs_needed(m));
    }
    /* With several commands the note is said once, after the lines, naming the rows it
     * concerns (under every row it was the same sentence again and again). */
    if (m > 1) {
        note_runs(f, doc, a, at, note, m, NOTE_P);
        note_runs(f, doc, a, at, note, m, NOTE_Q);
    }
    tach__free(p);
    tach__free(q);
    tach__free(at);
    tach__free(note);
}

void cli_progress_init(cli_progress *p, bool on, bool color)
{
    memset(p, 0, sizeof *p);
    p->on = on;
    p->color = color;
    p->width = 24;
}

void cli_progress_update(cli_progress *p, uint64_t now_ns, const char *label, size_t done,
                         size_t total, double eta_s, double estimate_ns)
{
    if (!p->on || (p->last_ns && now_ns - p->last_ns < 100000000u)) return;
    p->last_ns = now_ns;
    char line[512], bar[64], est[32], tail[96];
    int len = 0;
    char shown[96];
    snprintf(shown, sizeof shown, "%s", label);
    if (strlen(label) > 80) memcpy(shown + 77, "...", 4);
    tach__terminal_safe(shown, false);
    len = snprintf(line, sizeof line, "\r\033[K%s%s%s ", p->color ? "\033[1m" : "", shown,
                   p->color ? "\033[0m" : "");
    if (total) {
        size_t fill = done >= total ? (size_t)p->width : done * (size_t)p->width / total;
        for (int i = 0; i < p->width; i++) bar[i] = (size_t)i < fill ? '#' : '.';
        bar[p->width] = '\0';
        len += snprintf(line + len, sizeof line - (size_t)len, "[%s%s%s] %zu/%zu %s", p->color ? "\033[32m" : "",
                        bar, p->color ? "\033[0m" : "", done, total, p->unit ? p->unit : "runs");
    } else {
        len += snprintf(line + len, sizeof line - (size_t)len, "%zu %s", done, p->unit ? p->unit : "runs");
    }
    tail[0] = '\0';
    if (eta_s >= 0) snprintf(tail, sizeof tail, "  ETA %.0f s", ceil(eta_s));
    if (isfinite(estimate_ns))
        snprintf(tail + strlen(tail), sizeof tail - strlen(tail), "  mean %s",
                 tach__fmt_time(estimate_ns, est, sizeof est));
    if (len > 0 && (size_t)len < sizeof line) len += snprintf(line + len, sizeof line - (size_t)len, "%s", tail);
    if (len > 0) {
        if ((size_t)len > sizeof line - 1) len = (int)sizeof line - 1;
        if (write(STDERR_FILENO, line, (size_t)len) < 0) p->on = false;
    }
}

void cli_progress_clear(cli_progress *p)
{
    if (!p->on || !p->last_ns) return;
    if (write(STDERR_FILENO, "\r\033[K", 4) < 0) p->on = false;
    p->last_ns = 0;
}
