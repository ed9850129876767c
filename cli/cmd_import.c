/*
 * cmd_import.c - `tach import FILE... [-o OUT]`: reads Google Benchmark JSON, hyperfine
 * JSON and tach documents and writes one tach results document (their results in the
 * order given).  The formats are read by src/format/ (format.h: one file each).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "run.h"
#include "tach_internal.h"

static void usage(FILE *f)
{
    fputs("usage: tach import FILE... [-o OUT]\n"
          "\n"
          "Reads Google Benchmark JSON (--benchmark_format=json, bare NaN/Infinity accepted),\n"
          "hyperfine JSON (--export-json) and tach results documents, recognised by their\n"
          "content, and writes one tach results document to OUT (default: standard output).\n"
          "\n"
          "  -o, --output OUT   where to write the document (written whole or not at all)\n"
          "\n"
          "Exit status: 0 done; 2 a file that cannot be read, is truncated or is not one of\n"
          "those formats (the file and the place named, nothing written).\n",
          f);
}

/* Moves src's results to the end of dst. */
static int append_results(tach__doc *dst, tach__doc *src)
{
    for (size_t i = 0; i < src->nresults; i++) {
        tach__result *r = tach__doc_add(dst);
        if (!r) return -1;
        *r = src->results[i];
        memset(&src->results[i], 0, sizeof src->results[i]);
    }
    return 0;
}

int cli_cmd_import(int argc, char **argv)
{
    const char *out = "-";
    const char **files = tach__calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    if (!files) return cli_error(CLI_FAIL, "out of memory");
    bool opts_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            usage(stdout);
            tach__free(files);
            return CLI_OK;
        } else if (!opts_done && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
            if (i + 1 >= argc) {
                tach__free(files);
                return cli_usage_error("%s needs a file name", a);
            }
            out = argv[++i];
        } else if (!opts_done && !strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (!opts_done && !strcmp(a, "--")) {
            opts_done = true;
        } else if (!opts_done && a[0] == '-' && a[1]) {
            tach__free(files);
            return cli_usage_error("unknown option '%s' (see 'tach import --help')", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (!nfiles) {
        tach__free(files);
        return cli_usage_error("no file to import (tach import FILE... [-o OUT])");
    }
    if (!*out) {
        tach__free(files);
        return cli_usage_error("-o: the file name is empty");
    }
    char err[TACH__ERR_MAX];
    if (cli_export_check_path(out, err) != 0) {
        tach__free(files);
        return cli_usage_error("-o: %s", err);
    }
    tach__doc *doc = NULL;
    json_t *sources = json_array();
    int rc = CLI_OK;
    for (size_t i = 0; i < nfiles; i++) {
        tach__doc *d = tach__format_read_file(files[i], err);
        if (!d) {
            rc = cli_usage_error("%s", err);
            break;
        }
        json_t *tool = json_object_get(d->context, "tool");
        json_t *src = json_object();
        json_object_set_new(src, "file", json_string(files[i]));
        json_object_set(src, "tool", tool ? tool : json_null());
        json_array_append_new(sources, src);
        if (!doc) {
            doc = d;
            continue;
        }
        if (d->partial) doc->partial = true;
        int m = append_results(doc, d);
        tach__doc_free(d);
        if (m != 0) {
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
    }
    if (rc == CLI_OK) {
        if (nfiles > 1) json_object_set_new(doc->context, "tool", json_string("import"));
        json_object_set(doc->context, "sources", sources);
        if (cli_export_write(doc, "json", out, err) != 0) rc = cli_error(CLI_FAIL, "%s", err);
    }
    json_decref(sources);
    tach__doc_free(doc);
    tach__free(files);
    return rc;
}
