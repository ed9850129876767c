/* cmd_record.c - `tach record FILE.json`: store a results document made elsewhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "store_cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tach record [OPTIONS] FILE.json...\n\n"
            "Records results documents made elsewhere in the history store, one run each:\n"
            "a tach results document, Google Benchmark JSON or hyperfine JSON.\n"
            "The run gets the current git commit, branch, dirty flag and subject.\n\n"
            "options:\n"
            "  --store PATH|URL   the store (default $TACH_STORE, else .tach/tach.db in the\n"
            "                     nearest ancestor holding .tach/, else ./.tach/tach.db)\n"
            "  --tag K=V          a tag on the run (repeatable)\n"
            "  -q, --quiet        print only the run id(s)\n"
            "  -h, --help         this help\n\n"
            "Every file is read and checked before anything is written.\n"
            "exit: 0 recorded; 1 the store failed; 2 bad usage, unreadable file or bad store\n");
}

int cli_cmd_record(int argc, char **argv)
{
    const char *store = NULL;
    char **tags = NULL, **files = NULL;
    size_t ntags = 0, nfiles = 0;
    bool quiet = false;
    int rc = CLI_OK;
    tags = calloc((size_t)argc, sizeof *tags);
    files = calloc((size_t)argc, sizeof *files);
    if (!tags || !files) {
        free(tags);
        free(files);
        return cli_error(CLI_FAIL, "out of memory");
    }
    bool dashdash = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int k;
        if (dashdash || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = argv[i];
        } else if (!strcmp(a, "--")) {
            dashdash = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            goto out;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if ((k = cli_store_optval(argc, argv, &i, "--store", &v)) != 0) {
            if (k < 0 || !*v) {
                rc = k < 0 ? CLI_USAGE : cli_usage_error("--store: the path or URL is empty");
                goto out;
            }
            store = v;
        } else if ((k = cli_store_optval(argc, argv, &i, "--tag", &v)) != 0) {
            if (k < 0) {
                rc = CLI_USAGE;
                goto out;
            }
            const char *eq = strchr(v, '=');
            if (!eq || eq == v) {
                rc = cli_usage_error("bad --tag '%s': expected KEY=VALUE", v);
                goto out;
            }
            tags[ntags++] = (char *)v;
        } else {
            rc = cli_usage_error("record: unknown option '%s' (see 'tach record --help')", a);
            goto out;
        }
    }
    if (nfiles == 0) {
        rc = cli_cmd_usage_error("record", "no results file given (tach record FILE.json...; "
                                 "see 'tach record --help')");
        goto out;
    }

    /* Read everything first: a bad file records nothing. */
    tach__doc **docs = calloc(nfiles, sizeof *docs);
    if (!docs) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto out;
    }
    for (size_t f = 0; f < nfiles && rc == CLI_OK; f++) {
        char err[TACH__ERR_MAX] = "";
        docs[f] = tach__format_read_file(files[f], err);
        if (!docs[f]) rc = cli_usage_error("%s", *err ? err : files[f]);
        /* the store keeps the summary figures: the samples', not what the file says */
        else if (tach__doc_resummarize(docs[f], err) != 0)
            rc = cli_usage_error("%s: %s", files[f], err);
    }
    tool_store *s = NULL;
    if (rc == CLI_OK) rc = cli_store_open_to_write(store, true, &s);
    for (size_t f = 0; f < nfiles && rc == CLI_OK; f++) {
        int64_t id = 0;
        rc = cli_store_record_doc(s, docs[f], tags, ntags, quiet, &id);
        if (rc == CLI_OK && quiet) printf("%lld\n", (long long)id);
    }
    tool_store_close(s);
    for (size_t f = 0; f < nfiles; f++) tach__doc_free(docs[f]);
    free(docs);
out:
    free(tags);
    free(files);
    return rc;
}
