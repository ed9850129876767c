/* cmd_report.c - `tach report`: a run as Markdown, HTML, JSON, JUnit XML,
 * OpenMetrics or CSV, with its comparison against a baseline and its history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "report_cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tach report [RUN | FILE.json] [--last N | --since REF] [options]\n\n"
            "Writes a report of one run: from the store (RUN is a run id, a baseline name,\n"
            "a git ref or 'latest'; default the latest run) or from a results file.\n\n"
            "  --format FMT     md (default), html, json, junit, openmetrics, csv\n"
            "  -o, --output F   write to F (atomically) instead of standard output\n"
            "  --baseline REF   compare against this run, baseline, git ref or results file\n"
            "                   (default: baseline 'main', else the previous run)\n"
            "  --since REF      compare against REF and show history from REF on\n"
            "  --last N         show the last N runs of history (default 30)\n"
            "  --no-compare     no comparison;  --no-history: no history charts\n"
            "  --title TEXT     the report's title\n"
            "  --commit-url URL link change points to URL + SHA (HTML)\n"
            "  --config FILE    thresholds and targets (default .tach/config)\n"
            "  --store SPEC     the store (path or postgresql:// URL; default .tach/tach.db)\n\n"
            "Exit status: 0 written, 2 bad input (nothing written).\n");
}

static const char *const formats[] = {"md", "html", "json", "junit", "openmetrics", "csv"};

int cli_cmd_report(int argc, char **argv)
{
    cli_report_src src;
    memset(&src, 0, sizeof src);
    const char *format = "md", *out = NULL, *title = NULL, *commit_url = NULL;
    int rc = CLI_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int used = cli_report_option(argc, argv, &i, &src, &rc);
        if (used < 0) return rc;
        if (used) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--format") || !strcmp(a, "-o") || !strcmp(a, "--output") ||
                   !strcmp(a, "--title") || !strcmp(a, "--commit-url")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--format")) format = v;
            else if (!strcmp(a, "--title")) title = v;
            else if (!strcmp(a, "--commit-url")) commit_url = v;
            else out = v;
        } else if (!strncmp(a, "--format=", 9)) {
            format = a + 9;
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (!strncmp(a, "--title=", 8)) {
            title = a + 8;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("report: unknown option '%s' (see 'tach report --help')", a);
        } else if (!src.run) {
            src.run = a;
        } else {
            return cli_usage_error("report: one run at a time ('%s' and '%s')", src.run, a);
        }
    }
    bool known = false;
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
        known = known || !strcmp(format, formats[k]);
    if (!strcmp(format, "markdown")) format = "md", known = true;
    if (!known)
        return cli_usage_error("--format: unknown format '%s' (md, html, json, junit, "
                               "openmetrics, csv)",
                               format);
    if (src.last && src.since) return cli_usage_error("--last and --since exclude each other");
    if (commit_url && cli_check_link_url("--commit-url", commit_url) != CLI_OK) return CLI_USAGE;
    if (!strcmp(format, "json") || !strcmp(format, "csv")) src.no_history = true;

    if ((rc = cli_report_gather(&src)) != CLI_OK) {
        cli_report_src_free(&src);
        return rc;
    }
    tool_report_in in;
    cli_report_input(&src, &in);
    in.title = title;
    in.commit_url = commit_url;
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
