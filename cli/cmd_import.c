/*
 * cmd_import.c - `tach import FILE... [-o OUT]`: reads Google Benchmark JSON, hyperfine
 * JSON and tach documents and writes one tach results document (their results in the
 * order given).  The formats are read by src/format/ (format.h: one file each).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "options.h"
#include "run.h"
#include "tach_internal.h"

typedef struct imp_opts {
    const char *out;
    bool help;
} imp_opts;

static const tach__opt imp_table[] = {
    {.kind = TACH__OPT_STRING, .name = "output", .short_name = 'o', .metavar = "OUT",
     .offset = offsetof(imp_opts, out),
     .help = "where to write the document (written whole or not at all;\n"
             "default: standard output)"},
    CLI_ROW_HELP(imp_opts),
};

CLI_OPTIONS(import, imp_table,
    "usage: tach import FILE... [-o OUT]\n"
    "\n"
    "Reads Google Benchmark JSON (--benchmark_format=json, bare NaN/Infinity accepted),\n"
    "hyperfine JSON (--export-json), tach results documents and HdrHistogram interval\n"
    "logs (.hlog: one result per tag), recognised by their content, and writes one\n"
    "tach results document to OUT (default: standard output).\n"
    "\n",
    "Exit status: 0 done; 1 the output could not be written (a full disk, a closed\n"
    "pipe); 2 a file that cannot be read, is truncated or is not one of those formats\n"
    "(the file and the place named, nothing written), or a benchmark name found twice\n"
    "(in one file or in two).\n")

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
    imp_opts o = {.out = "-"};
    tach__opt_result res;
    int prc = cli_opts_read(&import_options, &o, argc, argv, &res, &o.help);
    if (prc != CLI_OK) return prc < 0 ? CLI_OK : prc;
    const char *out = o.out;
    const char **files = tach__calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    if (!files) {
        tach__opt_result_free(&res);
        return cli_error(CLI_FAIL, "out of memory");
    }
    for (int i = 0; i < res.npos; i++) files[nfiles++] = res.pos[i];
    tach__opt_result_free(&res);
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
    int crc = CLI_OK;
    for (size_t i = 0; i < nfiles && crc == CLI_OK; i++)
        crc = cli_output_clash("-o", out, files[i], "a results file being read");
    if (crc != CLI_OK) {
        tach__free(files);
        return crc;
    }
    tach__doc *doc = NULL;
    size_t *owner = NULL; /* the file each of doc's results came from */
    json_t *sources = json_array();
    int rc = CLI_OK;
    for (size_t i = 0; i < nfiles; i++) {
        tach__doc *d = tach__format_read_file(files[i], err);
        if (!d) {
            rc = cli_usage_error("%s", err);
            break;
        }
        /* (a name twice in one file is refused by the reader) */
        if (!doc && !(owner = tach__calloc(d->nresults + 1, sizeof *owner))) {
            tach__doc_free(d);
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
        const char *note = json_string_value(json_object_get(d->context, "import_note"));
        if (note) fprintf(stderr, "%s: note: %s: %s\n", cli_prog(), cli_term(files[i]), note);
        json_t *tool = json_object_get(d->context, "tool");
        json_t *src = json_object();
        json_object_set_new(src, "file", json_string(files[i]));
        json_object_set(src, "tool", tool ? tool : json_null());
        json_array_append_new(sources, src);
        if (!doc) {
            doc = d;
            for (size_t k = 0; k < d->nresults; k++) owner[k] = i;
            continue;
        }
        /* A name in two files would be two benchmarks with one name: readers would
         * each pick one of them (compare the first, bmf the last). */
        const char *dup = NULL;
        size_t first = 0;
        for (size_t k = 0; k < d->nresults && !dup; k++)
            for (size_t j = 0; j < doc->nresults && !dup; j++)
                if (d->results[k].name && doc->results[j].name &&
                    !strcmp(d->results[k].name, doc->results[j].name)) {
                    dup = d->results[k].name;
                    first = owner[j];
                }
        if (dup) {
            rc = cli_usage_error("benchmark '%s' is in both %s and %s: import the files "
                                 "separately, or rename one", dup, files[first], files[i]);
            tach__doc_free(d);
            break;
        }
        size_t *grown = tach__realloc(owner, (doc->nresults + d->nresults) * sizeof *owner);
        if (!grown) {
            tach__doc_free(d);
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
        owner = grown;
        for (size_t k = 0; k < d->nresults; k++) owner[doc->nresults + k] = i;
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
    tach__free(owner);
    tach__free(files);
    return rc;
}
