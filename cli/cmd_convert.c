/*
 * cmd_convert.c - `tach convert IN --to FORMAT [-o OUT]`: a results file (tach, Google
 * Benchmark or hyperfine JSON, as `tach import` reads them) in another format.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "run.h"
#include "tach_internal.h"

static void usage(FILE *f)
{
    fputs("usage: tach convert IN --to FORMAT [-o OUT]\n"
          "\n"
          "Reads IN (a tach results document, Google Benchmark JSON or hyperfine JSON) and\n"
          "writes it as FORMAT to OUT (default: standard output), whole or not at all.\n"
          "\n"
          "  --to FORMAT        json, hyperfine, gbench, csv, markdown, bmf, github, asciidoc,\n"
          "                     orgmode or console\n"
          "  -o, --output OUT   the file to write\n"
          "\n"
          "Exit status: 0 done; 2 bad usage, or IN unreadable, truncated or foreign (the\n"
          "file and the place named, nothing written).\n",
          f);
}

int cli_cmd_convert(int argc, char **argv)
{
    const char *in = NULL, *to = NULL, *out = "-";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--to") || !strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a value", a);
            if (!strcmp(a, "--to"))
                to = argv[++i];
            else
                out = argv[++i];
        } else if (!strncmp(a, "--to=", 5)) {
            to = a + 5;
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s' (see 'tach convert --help')", a);
        } else if (in) {
            return cli_usage_error("unexpected argument '%s' (one input file)", a);
        } else {
            in = a;
        }
    }
    if (!in) return cli_usage_error("no input file (tach convert IN --to FORMAT [-o OUT])");
    char names[256];
    tach__format_writable_names(names, sizeof names);
    if (!to) return cli_usage_error("--to FORMAT is required (%s)", names);
    const tach__format *f = tach__format_find(to);
    if (!f || !f->write) return cli_usage_error("--to: unknown format '%s' (%s)", to, names);
    if (!*out) return cli_usage_error("-o: the file name is empty");
    char err[TACH__ERR_MAX];
    if (cli_export_check_path(out, err) != 0) return cli_usage_error("-o: %s", err);
    tach__doc *doc = tach__format_read_file(in, err);
    if (!doc) return cli_usage_error("%s", err);
    int rc = CLI_OK;
    if (cli_export_write(doc, to, out, err) != 0) rc = cli_error(CLI_FAIL, "%s", err);
    tach__doc_free(doc);
    return rc;
}
