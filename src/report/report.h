/*
 * report.h - the renderers: Markdown, HTML, JUnit XML, OpenMetrics, the static
 * site and the performance certificate, with SVG charts drawn by tach (tach__
 * prefix; the tool core).
 *
 * Every renderer is a pure function from a tool_report_in (a results document,
 * optionally its comparison against a baseline and its history) to a string the
 * caller writes (atomically, with tach__write_text_file).  They never print, never
 * exit and never touch the store: the tool (cli/cmd_report.c ...) gathers the
 * input and hands it over.  Strings returned are owned by the caller (tach__free).
 */
#ifndef TACH_REPORT_H
#define TACH_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "metric.h"
#include "tach_internal.h"

/* ---- a growing string (src/report/sbuf.c) -------------------------------- */

/* The library's growing string (tach__buf: text in .p, oom set after an
 * allocation failure, later appends ignored, so renderers check once at the end),
 * with the escapers the renderers need. */
typedef tach__buf tool_sb;

void tool_sb_init(tool_sb *b);
void tool_sb_free(tool_sb *b);                 /* frees s; b may be reused after init */
void tool_sb_put(tool_sb *b, const char *s);   /* NULL appends nothing */
void tool_sb_putn(tool_sb *b, const char *s, size_t n);
void tool_sb_printf(tool_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for HTML/XML text and attribute values (& < > " '). */
void tool_sb_esc_xml(tool_sb *b, const char *s);
/* The same for an XML attribute value that must keep its newlines, carriage returns and
 * tabs (written as &#10; &#13; &#9;, which attribute normalisation would read as spaces). */
void tool_sb_esc_xml_attr(tool_sb *b, const char *s);
/* Appends an href: base (escaped for XML) followed by part percent-encoded (RFC 3986:
 * all but letters, digits and -._~), so a commit or ref of any text ("v1.2 rc", "a/b#c")
 * stays one path segment of the link. */
void tool_sb_href_part(tool_sb *b, const char *base, const char *part);
/* Appends s escaped for a Markdown table cell (| and newlines, backticks kept). */
void tool_sb_esc_md(tool_sb *b, const char *s);
/* Appends s as a Markdown code span in a table cell (tach__md_code), fenced so that
 * backticks inside it stay text. */
void tool_sb_code_md(tool_sb *b, const char *s);
/* The same span outside a table: a heading, a list item, a paragraph
 * (tach__md_code_inline: | kept, as a backslash before it would show there). */
void tool_sb_code_md_inline(tool_sb *b, const char *s);
/* Rewrites b's Markdown so that it carries no control character (tach__md_controls:
 * ESC, CR, the 8-bit CSI as the text \u001b; newline and tab kept): the last step of
 * every Markdown renderer, so that a report shown on a terminal never drives it. */
void tool_sb_md_controls(tool_sb *b);
/* Appends s escaped for an OpenMetrics label value (\\ \" \n). */
void tool_sb_esc_label(tool_sb *b, const char *s);
/* The longest end of s that is whole characters, at most cols display columns
 * (tach__display_width: a wide character, 名, is two) and max bytes, and does not start
 * with a zero-width mark cut from its letter (s when it fits): a name cut at its start
 * for a label, as wide as a Latin one of cols characters. */
const char *tool_width_tail(const char *s, size_t cols, size_t max);
/* The longest start of s (NULL: "") that is whole characters, at most cols display
 * columns (tach__width_prefix: 名 is two, a combining accent stays with its letter) and
 * size - 1 bytes, into buf: a commit shortened for a page or a chart, as wide as a hex
 * one of cols digits (one read from a results file may be any text).  Returns buf. */
const char *tool_width_head(const char *s, size_t cols, char *buf, size_t size);
/* Hands the string over (the buffer is reset); NULL after an allocation failure
 * (the buffer is then freed).  *len may be NULL. */
char *tool_sb_take(tool_sb *b, size_t *len);

/* ---- the input of every renderer ----------------------------------------- */

/* One point of a benchmark's history (one stored run). */
typedef struct tool_hist_point {
    const char *run_id;   /* the store's id, as text; may be NULL */
    const char *commit;   /* full git commit, or NULL */
    const char *date;     /* ISO 8601 UTC, or NULL */
    double value, lo, hi; /* median per-iteration time and its 95% CI, ns (NaN: none) */
    bool change;          /* a change point: the level shifts starting here */
    double cp_before, cp_after; /* at a change point: the levels (segment means, as
                                 * tach history --changes gives them) either side */
    bool failed;          /* the benchmark did not end ok in that run (value NaN) */
    bool quick;           /* that run was a tach suite --quick run (a smoke test) */
} tool_hist_point;

/* One benchmark's history on one machine and branch, oldest first. */
typedef struct tool_hist_series {
    const char *name;     /* full benchmark name */
    const char *machine;  /* fingerprint or host; may be NULL */
    const char *branch;   /* may be NULL */
    tool_hist_point *points;
    size_t npoints;
    tool_metric metric;   /* what the values are (0, wall: times in ns; else metric.h's unit) */
} tool_hist_series;

typedef struct tool_report_in {
    const tach__doc *doc;          /* the run reported on (required) */
    const char *title;             /* NULL: "tach report" */
    const char *run_id;            /* the store's run id, or the file name; may be NULL */
    const char *commit, *branch;   /* NULL when unknown (then taken from doc->context) */
    const tool_comparison *cmp;   /* against a baseline, or NULL */
    const char *base_label;        /* what cmp compared against ("run 12", "baseline main") */
    const tool_hist_series *series; size_t nseries; /* history, or NULL/0 */
    const tool_rule *rules; size_t nrules;          /* config targets; may be NULL */
    const char *generated;         /* when the report was made (ISO 8601); NULL omits it */
    const char *command;           /* the tach command that made this report; may be NULL */
    const char *commit_url;        /* prefix for commit links in charts (+ SHA); NULL: none */
    const tach__doc *base_doc;     /* the baseline's document (its profiles), or NULL */
    tool_metric metric;            /* what doc's samples are (0, wall: times; else doc was
                                    * projected with tool_metric_project, --metric) */
    size_t top;                    /* rows of the bottleneck tables (--top); 0: 10 */
    bool no_compare;               /* cmp NULL because the comparison was left out
                                    * (--no-compare), not for want of a baseline */
} tool_report_in;

/* The "Memory and CPU counters" section of the Markdown and the HTML report
 * (resources.c): nothing when no result of d has memory or counters. */
void tool_rep_resources_md(tool_sb *b, const tach__doc *d);
void tool_rep_resources_html(tool_sb *b, const tach__doc *d);

/* Markdown (GitHub flavoured): summary, problems, regressions, targets, a table per
 * group (regressions first), environment and warnings, methodology. */
char *tool_report_markdown(const tool_report_in *in, char *err);
/* One self-contained HTML file: inline CSS, inline SVG charts, a small inline script
 * that makes the table sortable and filterable (the page reads fully without it).
 * Nothing is fetched. */
char *tool_report_html(const tool_report_in *in, char *err);
/* JUnit XML: a testcase per benchmark; a <failure> per regression or missed target;
 * crashed/timed-out benchmarks as <error>, failed as <failure>, skipped as <skipped>. */
char *tool_report_junit(const tool_report_in *in, char *err);

/* OpenMetrics text (application/openmetrics-text, ends with "# EOF") when
 * openmetrics is true; the Prometheus text format 0.0.4 (what a Pushgateway
 * takes) when false.  Metric names start with tach_. */
char *tool_report_openmetrics(const tool_report_in *in, bool openmetrics, char *err);

/* ---- profiles (src/report/prof_report.c) ----------------------------------- */

struct tool_rep_view;
/* The profiles section: each profiled benchmark's bottleneck table and flame graph;
 * a regressed one with a profiled baseline: what grew, and the differential graph.
 * Nothing when in->doc keeps no profile. */
void tool_report_profiles_html(tool_sb *b, const tool_report_in *in, const struct tool_rep_view *v);
void tool_report_profiles_md(tool_sb *b, const tool_report_in *in, const struct tool_rep_view *v);
/* Beside a regression (the Regressions table's next line or cell): the function whose
 * share of samples grew most against the baseline's profile of the benchmark name,
 * "`f` 10.5% -> 20.9% (+10.4 points, 95% CI [+6.1, +14.5])" (Markdown, or HTML with
 * html), when both sides have profiles and one grew; nothing otherwise.  Returns
 * whether it wrote. */
bool tool_report_suspect(tool_sb *b, const tool_report_in *in, const char *name, bool html);
/* The same as an HTML table row of cols columns ("grew most in its profile: ..."),
 * or nothing. */
void tool_report_suspect_row(tool_sb *b, const tool_report_in *in, const char *name, int cols);

/* One benchmark's bottleneck table in a report: its rows (the "top" JSON kept with
 * the run, or made from its folded stacks when none was kept) and, when the
 * baseline's document keeps a profile of it too, the diff (each function's self
 * share change and its bootstrap CI: tool_profile_diff). */
struct tool_prof_change;
typedef struct tool_rep_prof {
    json_t *top;                   /* owned */
    struct tool_prof_change *c;    /* NULL without a profiled baseline */
    size_t nc;
    void *p, *base;                /* the profiles read back (tach__profile) */
} tool_rep_prof;
/* 0 when in->doc keeps a profile of name (r filled; free it), -1 when not. */
int tool_rep_prof_get(const tool_report_in *in, const char *name, tool_rep_prof *r);
void tool_rep_prof_free(tool_rep_prof *r);
/* The rows shown (in->top or 10). */
size_t tool_rep_prof_rows(const tool_report_in *in);
/* The change cell of a table row for func: "+7.1" ("+7.1 *" when its 95% CI
 * excludes 0, *sig set), "" without a baseline. */
void tool_rep_prof_change(const tool_rep_prof *r, const char *func, char *out, size_t n, bool *sig);
/* The certificate's "Top N bottlenecks" section (N: in->top or 10): each profiled
 * benchmark's table with the change column when in->base_doc keeps a profile of it,
 * or "No profile recorded (run with --profile)."  html: as tool_cert_render's HTML
 * (closes the open <section> and opens one). */
void tool_report_bottlenecks_cert(tool_sb *b, const tool_report_in *in, const struct tool_rep_view *v, bool html);

/* ---- the per-benchmark view the renderers share (src/report/view.c) ------ */

typedef struct tool_rep_item {
    const tach__result *r;
    const tool_cmp_row *row;          /* NULL: no comparison for it */
    const tool_hist_series *series;   /* NULL: no history */
    tool_target_check *targets; size_t ntargets; size_t missed; /* owned */
    bool regressed, improved, broken;
    bool cv_free;                     /* not judged by CV: of a storage or bus suite run (its
                                         samples are parts of one run of the workload:
                                         tool_rep_suite_cv_free), or a count (one exact value) */
    bool unstable;                    /* r->unstable, unless cv_free */
} tool_rep_item;

typedef struct tool_rep_view {
    tool_rep_item *items; size_t nitems; /* grouped (group order of first
                                             appearance), regressions first in a group */
    size_t ok, skipped, failed, crashed, timeout;
    size_t targets_total, targets_missed; /* the targets checked (met or missed) */
    size_t targets_not_checked;       /* and those not (tool_target_check.not_checked) */
    size_t unstable;
    bool cv_free;                     /* no row judged by CV: a storage or bus suite run, a
                                         soak, or a deterministic metric's counts */
} tool_rep_view;

/* Builds the view of in: each result with its comparison row (by name), its history
 * series and its targets checked (the comparison's checks when it has them, else
 * tool_check_targets with in->rules).  Free with tool_rep_view_free (NULL-safe
 * members); -1 with err on allocation failure. */
int tool_rep_view_build(const tool_report_in *in, tool_rep_view *v, char *err);
void tool_rep_view_free(tool_rep_view *v);
/* The verdict shown for an item: the comparison's, except that a benchmark that did
 * not end ok shows its status ("crashed", "timeout", "failed", "skipped"); "new"
 * when it has no comparison row. */
const char *tool_rep_verdict(const tool_rep_item *it);
/* The group shown for r ("(no group)" when it has none). */
const char *tool_rep_group(const tach__result *r);
/* A context string (NULL when absent or not a string). */
const char *tool_rep_ctx_str(const json_t *context, const char *key);
/* "max_mean_ns" -> "mean ≤", and the limit/actual formatted per its unit (a time
 * or rate below 1 ns or 1/s with three significant digits, never "0.00 ns"). */
const char *tool_rep_target_label(const char *name);
void tool_rep_target_fmt(const char *name, double v, char *buf, size_t size);
/* A target's limit into l and measured value into a, as tool_rep_target_fmt gives them;
 * two different values that would read alike both get as many digits as tell them apart
 * (allocs/iter <= 99.99, measured 100: "99.99, measured 100"). */
void tool_rep_target_fmt_pair(const char *name, double lim, double act, char *l, char *a,
                              size_t size);
/* The label of one check: tool_rep_target_label's, a complexity target of a family fitted
 * on time per item saying so ("exponent per item \xe2\x89\xa4"), as the complexity table. */
const char *tool_rep_check_label(const tool_target_check *t);
/* Where a target's row goes in a table of targets: 0 missed, 1 met, 2 not checked. */
int tool_rep_target_pass(const tool_target_check *t);
/* "115.02 µs [114.80, 115.17]": a time and its CI in one unit, with enough
 * digits that the bounds differ from the value. */
const char *tool_rep_fmt_range(double v, double lo, double hi, char *buf, size_t size);
/* An axis tick: v in the unit of ref, with decimals enough for step. */
const char *tool_rep_fmt_tick(double v, double step, double ref, char *buf, size_t size);
/* The same three for a value of metric m: wall and cpu as above (times), else the
 * number in the metric's unit: "1003 instructions/iter", "12.5 cycles/iter",
 * "2 allocs/iter", and peak-rss as bytes ("1.50 MiB"). */
/* The unit those values are in: "time", "instructions/iter", "cycles/iter",
 * "allocs/iter", "bytes". */
const char *tool_rep_metric_unit(tool_metric m);
/* What a value of metric m is, for a chart's title: "time", "CPU time",
 * "instructions", "estimated cycles", "allocations", "peak RSS". */
const char *tool_rep_metric_quantity(tool_metric m);
const char *tool_rep_fmt_value(tool_metric m, double v, char *buf, size_t size);
const char *tool_rep_fmt_range_m(tool_metric m, double v, double lo, double hi, char *buf,
                                 size_t size);
const char *tool_rep_fmt_tick_m(tool_metric m, double v, double step, double ref, char *buf,
                                size_t size);
/* "+3.2%" / "-1.0%" / "n/a" from a fraction. */
const char *tool_rep_pct(double frac, char *buf, size_t size);
/* A p- or q-value as every output shows it: "0.0321", "<0.0001" below 0.0001 (never
 * "0"), "-" when there is none (NaN). */
const char *tool_rep_pvalue(double p, char *buf, size_t size);
/* The same in a sentence: "q = 0.0321", "q < 0.0001" (name is "p" or "q"). */
const char *tool_rep_pvalue_is(const char *name, double p, char *buf, size_t size);


/* Helpers the renderers share (src/report/view.c). */
/* "10 ok, 1 crashed, 1 skipped" */
void tool_rep_status_counts(tool_sb *b, const tool_rep_view *v);
const char *tool_rep_status_upper(tach__status s);       /* "CRASHED", ... */
const char *tool_rep_signal_name(int sig);               /* "SIGSEGV", ... */
/* The throughput cell: bytes/s and/or items/s from the median, or an em dash. */
void tool_rep_throughput(tool_sb *b, const tach__result *r);
/* The status cell of a Markdown table: "ok", "**crashed** (SIGSEGV)", ... plus
 * "unstable" and missed targets. */
void tool_rep_status_cell_md(tool_sb *b, const tool_rep_item *it);
/* "Run `12` · commit `abc1234` (main) · host · date" line(s) for Markdown. */
void tool_rep_header_md(tool_sb *b, const tool_report_in *in);

typedef struct tool_rep_env_rows { const char *key; char value[256]; } tool_rep_env_rows;
/* The environment as label/value rows (at most max); returns how many. */
size_t tool_rep_env(const json_t *context, tool_rep_env_rows *rows, size_t max);
/* The environment's warnings: context "warnings", else derived with
 * tach__env_warnings.  New reference (may be NULL). */
json_t *tool_rep_warnings(const json_t *context);

typedef struct tool_rep_method_line { const char *key; char value[512]; } tool_rep_method_line;
/* The methodology as label/value lines (Markdown code spans allowed in values). */
size_t tool_rep_method(const tool_report_in *in, tool_rep_method_line *l, size_t max);
/* The suite a `tach suite` run was made by (context.suite.name), or NULL. */
const char *tool_rep_suite_name(const tach__doc *doc);
/* Whether doc is a `tach suite ... --quick` run (context.suite.quick): a smoke run, whose
 * figures are not to publish, marked so in every output. */
bool tool_rep_suite_quick(const tach__doc *doc);
/* Why doc is partial, as the words after "the run": "was interrupted", or, for a suite
 * run that stopped on its own (a full disk, a broker that died: context.suite.stopped),
 * "stopped early: REASON" in buf. */
const char *tool_rep_partial_why(const tach__doc *doc, char *buf, size_t size);
/* Whether doc is a storage or bus suite run: its samples are I/Os, intervals, batches or
 * messages of one run of a workload, whose spread is the workload's, so the CV rule
 * ("unstable") does not apply to them. */
bool tool_rep_suite_cv_free(const tach__doc *doc);
/* Whether doc is a run recorded by `tach soak` (context.soak, docs/soak.md): its samples
 * are intervals whose drift over time the soak's own verdict judges, so the CV rule
 * ("unstable") does not apply to them. */
bool tool_rep_soak_run(const tach__doc *doc);
/* The context's command_line joined with shell quoting where needed, or NULL; a
 * line a tach command stored without its leading "tach" gets it back. */
char *tool_rep_command_line(const json_t *context);
/* The commit for the report: in->commit, else context "git_commit"/"commit". */
const char *tool_rep_commit(const tool_report_in *in);

/* The start and end of every tach HTML page (inline stylesheet; the end adds the
 * footer and, when script is true, the sorting/filtering script).  The start holds
 * TOOL_HTML_GENERATOR, in every version of tach: how a page tach wrote is told from a
 * user's own (tool_site_write overwrites only those). */
#define TOOL_HTML_GENERATOR "<meta name=\"generator\" content=\"tach\">"
void tool_html_page_open(tool_sb *b, const char *title);
void tool_html_page_close(tool_sb *b, bool script);

/* The complexity fits and thread sweeps of d as report sections (fits_report.c):
 * nothing when d has neither. */
void tool_rep_fits_md(tool_sb *b, const tach__doc *d);
void tool_rep_fits_html(tool_sb *b, const tach__doc *d);
/* The complexity families of the run measured (tach__cx_families): a projected
 * document's origin (--metric, metric.h), as the targets are checked (fit_targets.c).
 * A run counted in instruction mode comes to the report projected, its samples the
 * counts, and the projection keeps no asserted class: its families are fitted on the
 * origin's counts (tach__cx_family.counted).  The count, or -1 when out of memory. */
struct tach__cx_family; /* complexity.h */
int tool_rep_cx_families(const tach__doc *d, struct tach__cx_family **cx);

/* ---- SVG charts (src/report/svg.c) ---------------------------------------- */

/* Each appends one <svg> element (with a <title> for screen readers) to b. */

/* Histogram of the per-iteration samples, the median as a line and its 95% CI
 * as a band. */
void tool_svg_distribution(tool_sb *b, const tach__result *r, int width, int height);
/* Horizontal bars of each compared benchmark's change with its CI, coloured by
 * verdict, the noise band shaded. */
void tool_svg_compare_bars(tool_sb *b, const tool_comparison *c, int width);
/* The median over runs with its CI band; change points marked with a dashed line
 * and, when link_base is not NULL, linked to link_base + commit. */
void tool_svg_trend(tool_sb *b, const tool_hist_series *s, int width, int height,
                     const char *link_base);
/* A value of metric m (time, instructions, ...: what the run measured and the report
 * shows) against parameter on log-log axes, one line per family; the chart is titled
 * and its axis labelled by that quantity. */
typedef struct tool_svg_family {
    const char *label;             /* the family's name without the parameter */
    const char *param;             /* the parameter's name (x axis) */
    double *x, *y; size_t n;       /* parameter values and median times, x ascending */
    /* The complexity fit to draw over the points (dashed): value = a + b*g(x) for class
     * fit_class (TACH_O_*; 0 = none), in the chart's quantity.  Note the fit of times
     * is of each size's 10th percentile. */
    int fit_class;
    double fit_a, fit_b;
} tool_svg_family;
void tool_svg_loglog(tool_sb *b, const tool_svg_family *f, size_t nfam, tool_metric m, int width,
                      int height);
/* A sparkline's vertical scale (the HTML site's lines, tach history's and tach load's
 * bars): lo and hi, a series' lowest and highest, widened when they differ by less than
 * TOOL_SPARK_MIN_SPAN of their middle to span that much, the middle at `at` of the
 * scale (0 its bottom, 1 its top).  A series that moves less than a comparison's default
 * noise threshold (2%) then draws flat or nearly, not as a full-height jump (a 0.02%
 * difference drew the lowest bar and the highest).  Unchanged when the middle is 0. */
#define TOOL_SPARK_MIN_SPAN 0.02
void tool_spark_scale(double *lo, double *hi, double at);
/* A small line without axes (for tables), scaled by tool_spark_scale. */
void tool_svg_sparkline(tool_sb *b, const tool_hist_point *p, size_t n, int width,
                         int height);

/* ---- the static site (src/report/site.c) ---------------------------------- */

typedef struct tool_site_bench {
    const char *name;
    const tool_hist_series *series; size_t nseries;  /* per machine and branch */
    const char *last_verdict;    /* "regressed", "improved", "unchanged", ... or NULL */
    double last_change;          /* fraction, NaN when none */
    const char *flame_svg;       /* the newest run's flame graph (SVG), or NULL */
    const json_t *load;          /* the newest run's "load" block (its intervals charted), or NULL */
    const json_t *soak;          /* the newest run's soak report (context "soak": its series
                                  * charted), or NULL */
    bool last_quick;             /* its newest run was a tach suite --quick run */
    const tool_hist_series *newest; /* the series holding the newest run, whose last value
                                     * and sparkline the index shows beside the verdict;
                                     * NULL: the one with the most points */
} tool_site_bench;

typedef struct tool_site_in {
    const char *title;           /* NULL: "tach dashboard" */
    const tool_site_bench *benches; size_t nbenches;
    const char *commit_url;      /* prefix for commit links (e.g. a repository's
                                    ".../commit/"); NULL: no link, the commit is shown */
    const char *generated;       /* NULL omits */
    size_t nruns;                /* runs in the store */
    tool_metric metric;          /* what the series' values are (0: wall times) */
} tool_site_in;

/* Writes DIR/index.html, DIR/regressions.html and DIR/b/<slug>.html for every
 * benchmark.  Each file is written atomically.  dir is created when missing, with
 * its missing parents.  The
 * pages written are listed in DIR/.tach-site; a listed page this call no longer
 * writes is removed (no other file is).  A file there that tach did not write (a page
 * without TOOL_HTML_GENERATOR, a foreign .tach-site) is never replaced: -1 with err
 * naming it, checked before anything is written. */
int tool_site_write(const tool_site_in *in, const char *dir, char *err);
/* The file name (without directory) of a benchmark's page: a readable slug of the
 * name and 8 hex digits of its hash (so distinct names never collide); caller frees. */
char *tool_site_slug(const char *name);

/* ---- the performance certificate (src/report/certify.c) ------------------- */

typedef struct tool_cert_evidence {
    const char *run_id;     /* store run id or NULL */
    const char *source;     /* where --verify finds the document again: a file path
                               or "store:<id>" */
    char sha256[65];        /* of the results document's bytes: the file's, or the JSON
                               text the store keeps (docs/reports.md) */
} tool_cert_evidence;

typedef enum tool_cert_verdict {
    TOOL_APPROVED = 0,
    TOOL_CONDITIONAL,
    TOOL_REJECTED
} tool_cert_verdict;
const char *tool_cert_verdict_name(tool_cert_verdict v); /* "APPROVED", ... */

typedef struct tool_cert_area {
    const char *name;       /* "Reliability", "Targets", ... */
    int score;              /* 0..100, or -1 when not applicable */
    char detail[160];
} tool_cert_area;

typedef struct tool_cert {
    tool_cert_verdict verdict;
    tool_cert_area areas[8]; size_t nareas;
    char **conditions; size_t nconditions;  /* CONDITIONALLY APPROVED: what to fix */
    char **reasons; size_t nreasons;        /* REJECTED: why */
    char **soak; size_t nsoak;              /* a soak's verdicts with their evidence */
} tool_cert;

/* Judges the report input (targets, regressions, failures, stability,
 * environment, precision) into c; tool_cert_free frees it. */
int tool_cert_judge(const tool_report_in *in, tool_cert *c, char *err);
void tool_cert_free(tool_cert *c);
/* A soak run (src/report/certify_soak.c): from soak, the report a recorded soak keeps in
 * its context ("soak"), adds the "Soak" area, the verdicts with their evidence (c->soak)
 * and its targets soak_min_hours and max_growth_kb_per_hour to c (leaking or a target
 * missed is a reason, drifting a condition).  Nothing when soak is not an object.  -1
 * when out of memory. */
int tool_cert_soak(const json_t *soak, tool_cert *c);
/* Appends a formatted line, whole, to the list *arr of *n strings (the certificate's
 * reasons, conditions, soak lines; tach bench's summary lines).  0, or -1 when out of
 * memory.  tool_strv_vpush takes the arguments as a va_list. */
int tool_cert_push(char ***arr, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int tool_strv_vpush(char ***arr, size_t *n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* The certificate as Markdown (html false) or one self-contained HTML file.  Both
 * carry a machine-readable evidence block that tool_cert_parse_evidence reads. */
char *tool_cert_render(const tool_report_in *in, const tool_cert *c,
                        const tool_cert_evidence *ev, size_t nev, bool html, char *err);
/* Reads the evidence block of a certificate's text into *ev (n entries; their
 * run_id, "" for a file, and source strings are allocated): free with
 * tool_cert_evidence_free.  -1 with err when there is no block, it is not closed,
 * a line is malformed or it names no document. */
int tool_cert_parse_evidence(const char *text, tool_cert_evidence **ev, size_t *nev,
                              char *err);
void tool_cert_evidence_free(tool_cert_evidence *ev, size_t nev);
/* Checks the certificate's own text (everything above its evidence block: verdict,
 * findings, the readable evidence table; CRLF read as LF) against the SHA-256 its block
 * records.  Returns 0 when it matches, 1 when the text was changed or its recorded hash
 * is not 64 hex digits (err says so), -1
 * with err when there is no block or it records no text hash (an older certificate).
 * The hash is not a signature: it finds an edit, not an editor who recomputes it. */
int tool_cert_check_text(const char *text, char *err);

/* SHA-256 of a buffer as 64 lowercase hex digits + NUL (libcrypto). */
int tool_sha256_hex(const void *data, size_t len, char out[65], char *err);

/* ---- per-call latency (latency_report.c) ---- */

/* Whether any result of d carries a latency block. */
bool tool_rep_has_latency(const tach__doc *d);
/* The latency section (percentiles with CIs and tail calls, thin tails marked, too-short
 * bodies said so) in Markdown / HTML; nothing when no result carries a latency block. */
void tool_rep_latency_md(tool_sb *b, const tach__doc *d);
void tool_rep_latency_html(tool_sb *b, const tach__doc *d);
/* ---- the reference suites' profiles (suite_profile.c, svg_pareto.c) ---------- */

/* One codec at one level: compression MB/s and ratio; frontier set by tool_pareto_mark. */
typedef struct tool_svg_point {
    const char *codec;
    int level;
    double speed, ratio;
    bool frontier;
} tool_svg_point;
/* Sorts p by speed, fastest first, and marks the Pareto frontier: the points no other
 * point beats on both speed and ratio.  Returns how many are on it. */
size_t tool_pareto_mark(tool_svg_point *p, size_t n);
/* The ratio-against-speed chart (log speed axis), the frontier joined and labelled;
 * p is sorted and marked as tool_pareto_mark does. */
void tool_svg_pareto(tool_sb *b, tool_svg_point *p, size_t n, int width, int height);
/* When doc is a `tach suite` run (its context names the suite), appends the table teams
 * publish: the compression profile (codec, default level, levels measured and failed,
 * best ratio, best speed; HTML adds the chart), the encryption profile (algorithm,
 * the hardware acceleration the library uses, GB/s at every size), storage (job, MB/s,
 * IOPS, p99) or bus (pattern, msgs/s, p99 and how it was measured, INVALID rows marked),
 * marked when the run was --quick.  html: a <section>; else Markdown.  Nothing for
 * other documents. */
void tool_report_suite_profile(tool_sb *b, const tach__doc *doc, bool html);

/* ---- what a crypto library uses of the CPU (crypto_accel.c) ------------------ */

/* The features OpenSSL 3 dispatches on, given the CPU's (cpu: {"aes_ni": true, ...},
 * as context.cpu_features.cpu) and its OPENSSL_ia32cap variable (NULL or "": unset),
 * read as crypto/cpuid.c does ("~A" clears A's bits of CPUID.1, ":~B" of CPUID.7;
 * without a ':' the whole CPUID.7 word - SHA, AVX2, AVX-512 - is cleared).  A new
 * object of the same keys; NULL when cpu is not an object or out of memory. */
json_t *tool_openssl_features(const json_t *cpu, const char *mask);
/* A buffer size given in bytes as text ("1048576") as the suites' tables write it:
 * "1 MiB", "16 KiB", "64 B" (whole KiB and MiB only, else bytes).  Returns buf. */
const char *tool_rep_size_label(const char *bytes, char *buf, size_t size);
/* The decimals a suite's rate is printed with: DIGITS, or three significant digits
 * under 10, as the suite's own tables. */
int tool_rep_rate_digits(double v, int digits);
/* The hardware acceleration library's code for alg uses on the machine a suite's
 * context describes (its cpu_features and cpu_model): "AES-NI, PCLMULQDQ", "AVX2",
 * "none (portable C)", ...; "-" where it cannot be known.  A static string. */
const char *tool_crypto_accel(const char *lib, const char *alg, const json_t *context);

/* ---- a load run over time (svg_series.c) ------------------------------------ */

/* The requests per second of each interval of a result's "load" block (docs/load.md)
 * against time: one <circle class="iv"> per interval.  Nothing without intervals. */
void tool_svg_load_rate(tool_sb *b, const json_t *load, int width, int height);
/* The p50 and p99 of each interval against time: one <circle class="iv"> per interval
 * that had a request, per line.  Nothing without intervals. */
void tool_svg_load_latency(tool_sb *b, const json_t *load, int width, int height);
/* A soak's series (its report's "series", docs/soak.md) against time: three charts,
 * throughput (class soak-rate), p50/p99 (soak-latency), RSS and heap (soak-memory),
 * one <circle class="iv"> per interval and series.  Nothing without intervals. */
void tool_svg_soak(tool_sb *b, const json_t *soak, int width, int height);
/* Whether d is a recorded soak (its context's "soak" holds a series). */
bool tool_rep_has_soak(const tach__doc *d);
/* The "Soak over time" section (id="soak"): the verdict and the three charts. */
void tool_rep_soak_html(tool_sb *b, const tach__doc *d);
/* The Markdown "## Soak" section: the verdict and its reason (the charts are HTML's). */
void tool_rep_soak_md(tool_sb *b, const tach__doc *d);
/* Whether any result of d carries a load block with intervals. */
bool tool_rep_has_load(const tach__doc *d);
/* The "Load over time" section: both charts per load result (HTML); a summary line per
 * load result and the intervals of "overall" as a table when there are at most 30
 * (Markdown).  Nothing when no result has intervals. */
void tool_rep_load_html(tool_sb *b, const tach__doc *d);
void tool_rep_load_md(tool_sb *b, const tach__doc *d);

#endif /* TACH_REPORT_H */
