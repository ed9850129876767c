/*
 * cmd_convert.c - `tach convert IN --to FORMAT [-o OUT]`: a results file (tach, Google
 * Benchmark or hyperfine JSON, as `tach import` reads them) in another format.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "options.h"
#include "run.h"
#include "tach_internal.h"

typedef struct conv_opts {
    const char *to, *out;
    bool help;
} conv_opts;

#define OFF(f) offsetof(conv_opts, f)
static const tach__opt conv_table[] = {
    {.kind = TACH__OPT_STRING, .name = "to", .metavar = "FORMAT", .offset = OFF(to),
     .help = "json, hyperfine, gbench, csv, markdown, bmf, github, asciidoc,\n"
             "orgmode, console or hlog"},
    {.kind = TACH__OPT_STRING, .name = "output", .short_name = 'o', .metavar = "OUT",
     .offset = OFF(out), .help = "the file to write (default: standard output)"},
    CLI_ROW_HELP(conv_opts),
};

CLI_OPTIONS(convert, conv_table,
    "usage: tach convert IN --to FORMAT [-o OUT]\n"
    "\n"
    "Reads IN (a tach results document, Google Benchmark JSON, hyperfine JSON or an\n"
    "HdrHistogram interval log, .hlog) and writes it as FORMAT to OUT (default: standard output), whole or not at all.\n"
    "\n",
    "Exit status: 0 done; 1 OUT could not be written (a full disk, a closed pipe); 2 bad\n"
    "usage, or IN unreadable, truncated or foreign (the file and the place named,\n"
    "nothing written).\n")

int cli_cmd_convert(int argc, char **argv)
{
    conv_opts o = {.out = "-"};
    tach__opt_result res;
    int rc = cli_opts_read(&convert_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    const char *in = NULL, *to = o.to, *out = o.out;
    for (int i = 0; i < res.npos && rc == CLI_OK; i++) {
        const char *a = res.pos[i];
        if (in) rc = cli_usage_error("unexpected argument '%s' (one input file)", a);
        else in = a;
    }
    tach__opt_result_free(&res);
    if (rc != CLI_OK) return rc;
    if (!in) return cli_usage_error("no input file (tach convert IN --to FORMAT [-o OUT])");
    char names[256];
    tach__format_writable_names(names, sizeof names);
    if (!to) return cli_usage_error("--to FORMAT is required (%s)", names);
    const tach__format *f = tach__format_find(to);
    if (!f || !f->write)
        return cli_cmd_usage_error("convert", "--to: '%s' is not a format, expected %s", to, names);
    if (!*out) return cli_usage_error("-o: the file name is empty");
    char err[TACH__ERR_MAX];
    if (cli_export_check_path(out, err) != 0) return cli_usage_error("-o: %s", err);
    if ((rc = cli_output_clash("-o", out, in, "the results file being read")) != CLI_OK) return rc;
    tach__doc *doc = tach__format_read_file(in, err);
    if (!doc) return cli_usage_error("%s", err);
    if (!strcmp(f->name, "hlog") && !tach__hlog_has_latency(doc)) { /* bad input, not a failed write */
        tach__doc_free(doc);
        return cli_cmd_usage_error("convert", "--to hlog: %s has no per-call latency (a benchmark timed "
                                   "call by call, .latency = 1, or a tach load run)", in);
    }
    if (!strcmp(f->name, "hlog") && tach__hlog_check_tags(doc, err) != 0) { /* bad input too */
        tach__doc_free(doc);
        return cli_cmd_usage_error("convert", "--to hlog: %s: %s", in, err);
    }
    if (!strcmp(f->name, "bmf") && doc->partial) { /* bad input too: the format cannot say so */
        tach__doc_free(doc);
        return cli_cmd_usage_error("convert", "--to bmf: %s is a partial run (interrupted), and "
                                   "Bencher Metric Format has no place to mark a partial run: "
                                   "nothing written", in);
    }
    if (cli_export_write(doc, to, out, err) != 0) rc = cli_error(CLI_FAIL, "%s", err);
    tach__doc_free(doc);
    return rc;
}
