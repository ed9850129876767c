/* cmd_report.c - `tach report`: a run as Markdown, HTML, JSON, JUnit XML,
 * OpenMetrics or CSV, with its comparison against a baseline and its history. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "prof_cli.h"
#include "report_cli.h"
#include "soak.h"

/* "markdown" is md's long name */
static const char *const formats[] = {"md", "html", "json", "junit", "openmetrics", "csv",
                                      "markdown", NULL};

typedef struct rep_opts {
    cli_report_src src;
    const char *out, *title, *commit_url;
    int format_i;
    long top;
    bool help;
} rep_opts;

#define OFF(f) offsetof(rep_opts, f)
static const tach__opt rep_table[] = {
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "FMT", .offset = OFF(format_i),
     .choices = formats, .help = "md (default; markdown is the same), html, json, junit,\n"
             "openmetrics, csv"},
    CLI_REPORT_ROW_OUTPUT(rep_opts),
    CLI_REPORT_ROWS_COMPARE(rep_opts),
    CLI_REPORT_ROW_LAST(rep_opts),
    CLI_REPORT_ROW_NO_HISTORY(rep_opts),
    CLI_REPORT_ROW_METRIC(rep_opts),
    {.kind = TACH__OPT_STRING, .name = "title", .metavar = "TEXT", .offset = OFF(title),
     .help = "the report's title"},
    {.kind = TACH__OPT_COUNT, .name = "top", .metavar = "N", .offset = OFF(top), .lo = 1, .hi = 10000,
     .help = "rows of each profile's bottleneck table (md, html; default 10)"},
    {.kind = TACH__OPT_STRING, .name = "commit-url", .metavar = "URL", .offset = OFF(commit_url),
     .help = "link change points to URL + SHA (HTML)"},
    CLI_REPORT_ROWS_END(rep_opts),
};

CLI_OPTIONS(report, rep_table,
    "usage: tach report [RUN | FILE.json] [--last N | --since REF] [options]\n\n"
    "Writes a report of one run: from the store (RUN is a run id, a baseline name,\n"
    "a git ref or 'latest') or from a results file.  Without RUN and --baseline/--since:\n"
    "the pair `tach compare` takes (baseline 'main' if saved, against the latest run of\n"
    "its suite; else the latest run against the run before it of its suite, or alone\n"
    "when it is the first of its suite); with --baseline, --since or --no-compare:\n"
    "the latest run.  A RUN named is compared with\n"
    "'main' when that is of its suite, else with the run before it of its suite;\n"
    "a FILE.json only with --baseline.\n"
    "--metric (md, html) shows another metric than wall time, in its unit: a run\n"
    "counted with --metric instructions is shown in instructions/iter by default.\n"
    "--format json and csv write the run's results document alone: --baseline,\n"
    "--since, --last and --title are refused with them.\n\n",
    "Exit status: 0 written, 1 the report could not be written (a full disk, a closed\n"
    "pipe; one line says which), 2 bad input or a store that cannot be opened or\n"
    "read (nothing written).\n")

int cli_cmd_report(int argc, char **argv)
{
    rep_opts o;
    memset(&o, 0, sizeof o);
    int rc = cli_report_read_args(&report_options, &o, &o.src, &o.help, argc, argv, NULL);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    cli_report_src src = o.src;
    const char *format = formats[o.format_i], *out = o.out, *title = o.title,
               *commit_url = o.commit_url;
    if (!strcmp(format, "markdown")) format = "md";
    if (src.last && src.since) return cli_usage_error("--last and --since exclude each other");
    if (commit_url && cli_check_link_url("report", "--commit-url", commit_url) != CLI_OK) return CLI_USAGE;
    bool table_doc = !strcmp(format, "json") || !strcmp(format, "csv"); /* no history */
    /* --since is a baseline and where the history starts: beside --baseline or
     * --no-compare only the history is left, and --no-history (or a json or csv
     * report, which has none) leaves that out too */
    if (src.since && (src.no_history || table_doc) && (src.baseline || src.no_compare))
        return cli_usage_error("--since %s, %s and %s: --since would change nothing "
                               "(beside %s it only sets where the history starts)",
                               cli_term(src.since), src.no_history ? "--no-history"
                               : !strcmp(format, "json") ? "--format json" : "--format csv",
                               src.baseline ? "--baseline" : "--no-compare",
                               src.baseline ? "--baseline" : "--no-compare");
    /* json and csv are the run's document alone: no comparison, no history, no title
     * for these options to change */
    if (table_doc) {
        const char *name = NULL, *val = NULL, *where = NULL;
        char num[24];
        snprintf(num, sizeof num, "%ld", src.last);
        if (src.baseline) name = "--baseline", val = src.baseline, where = "md, html, junit and openmetrics";
        else if (src.since) name = "--since", val = src.since, where = "md, html, junit and openmetrics";
        else if (src.last) name = "--last", val = num, where = "md and html";
        else if (title) name = "--title", val = title, where = "md, html and junit";
        if (name)
            return cli_usage_error("%s %s: --format %s writes the run's results document alone, with no "
                                   "comparison, history or title (%s applies to %s)",
                                   name, cli_term(val), format, name, where);
        src.no_history = true;
    }
    /* The Markdown and HTML reports show any metric in its unit; the other formats'
     * values are times by their definition (JUnit's time, OpenMetrics' seconds) or the
     * document as recorded (json, csv). */
    src.by_metric = !strcmp(format, "md") || !strcmp(format, "html");
    if (cli_report_check_metric(src.metric_s) != CLI_OK) return CLI_USAGE;
    if (src.metric_s && !src.by_metric)
        return cli_usage_error("--metric %s: --format %s shows wall time only (--metric applies to "
                               "md and html)", src.metric_s, format);
    /* --top and --commit-url shape what only some formats show (the profiles' tables of
     * md and html, html's chart links): with another, refused, not silently ignored */
    if (o.top && !src.by_metric)
        return cli_usage_error("--top %ld: --format %s shows no profile table (--top applies to md "
                               "and html)", o.top, format);
    if (commit_url && strcmp(format, "html"))
        return cli_usage_error("--commit-url %s: --format %s has no links to commits (--commit-url "
                               "applies to html)", cli_term(commit_url), format);
    if ((rc = cli_report_check_output(&src, out)) != CLI_OK) return rc;
    /* A soak's series file (docs/soak.md), partial or whole, has its own report. */
    tool_soak_log soak;
    memset(&soak, 0, sizeof soak);
    char soak_err[TACH__ERR_MAX];
    int is_soak = src.run ? tool_soak_log_try(src.run, &soak, soak_err) : 0;
    tool_soak_log_free(&soak);
    if (is_soak < 0) return cli_usage_error("%s", soak_err);
    if (is_soak) return cli_soak_report(src.run, format, out);

    if ((rc = cli_report_gather(&src)) != CLI_OK) {
        cli_report_src_free(&src);
        return rc;
    }
    if (src.by_metric) /* the formats that show profiles: one damaged is said, not left out silently */
        for (int k = 0; k < 2; k++)
            if (k ? src.base_doc : src.doc)
                cli_prof_say_damaged(k ? src.base_doc : src.doc, k ? src.base_label : src.run_label,
                                     "no flame graph or change from its stacks in the report");
    tool_report_in in;
    cli_report_input(&src, &in);
    in.title = title;
    in.commit_url = commit_url;
    in.top = (size_t)o.top;
    char now[40];
    in.generated = cli_report_now(now, sizeof now);
    char *command = cli_command_string(argc, argv);
    in.command = command;
    char err[TACH__ERR_MAX] = "";
    char *text = NULL;
    size_t len = 0;
    if (!strcmp(format, "md")) {
        text = tool_report_markdown(&in, err);
    } else if (!strcmp(format, "html")) {
        text = tool_report_html(&in, err);
    } else if (!strcmp(format, "junit")) {
        text = tool_report_junit(&in, err);
    } else if (!strcmp(format, "openmetrics")) {
        text = tool_report_openmetrics(&in, true, err);
    } else {
        /* csv and json: the formats' own writers (src/format/) */
        text = tach__format_write(src.doc, format, &len, err);
    }
    if (text) len = strlen(text);
    rc = text ? cli_write_output(text, len, out) : cli_error(CLI_FAIL, "%s", err);
    tach__free(text);
    tach__free(command);
    cli_report_src_free(&src);
    return rc;
}
