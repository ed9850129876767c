/* cmd_record.c - `tach record FILE.json`: store a results document made elsewhere. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "format.h"
#include "store_cli.h"

typedef struct rec_opts {
    const char *store;
    cli_list tags; /* --tag, repeatable */
    bool quiet, help;
} rec_opts;

#define OFF(f) offsetof(rec_opts, f)
static const tach__opt rec_table[] = {
    CLI_ROW_STORE(rec_opts, store),
    {.kind = TACH__OPT_STRING, .name = "tag", .metavar = "K=V", .offset = OFF(tags),
     .flags = TACH__OPT_NO_STORE, .fn = cli_opt_append, .help = "a tag on the run (repeatable)"},
    {.kind = TACH__OPT_FLAG, .name = "quiet", .short_name = 'q', .offset = OFF(quiet),
     .help = "print only the run id(s)"},
    CLI_ROW_HELP(rec_opts),
};

CLI_OPTIONS(record, rec_table,
    "usage: tach record [OPTIONS] FILE.json...\n\n"
    "Records results documents made elsewhere in the history store, one run each:\n"
    "a tach results document, Google Benchmark JSON or hyperfine JSON.\n"
    "The run gets the current git commit, branch, dirty flag and subject.\n\n",
    "Every file is read and checked before anything is written.\n"
    "exit: 0 recorded; 1 the store failed to record it (the store named); 2 bad usage,\n"
    "unreadable file or bad store\n")

int cli_cmd_record(int argc, char **argv)
{
    rec_opts o = {0};
    char **files = NULL;
    size_t nfiles = 0;
    int rc = CLI_OK;
    files = calloc((size_t)argc, sizeof *files);
    if (!files) return cli_error(CLI_FAIL, "out of memory");
    tach__opt_result res;
    rc = cli_opts_read(&record_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) {
        if (rc < 0) rc = CLI_OK;
        goto out;
    }
    for (int i = 0; i < res.npos; i++) files[nfiles++] = res.pos[i];
    tach__opt_result_free(&res);
    const char *store = o.store;
    char **tags = (char **)o.tags.v;
    size_t ntags = o.tags.n;
    if (rc == CLI_OK) rc = cli_check_tags("record", tags, ntags);
    if (rc != CLI_OK) goto out;
    bool quiet = o.quiet;
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
        else if (docs[f]->nresults == 0) /* a run of nothing would become "latest" */
            rc = cli_usage_error("%s holds no benchmark: nothing to record", files[f]);
        /* the store keeps the summary figures: the samples', not what the file says */
        else if (tach__doc_resummarize(docs[f], err) != 0)
            rc = cli_usage_error("%s: %s", files[f], err);
    }
    tool_store *s = NULL;
    if (rc == CLI_OK) rc = cli_store_open_to_write(store, true, &s);
    for (size_t f = 0; f < nfiles && rc == CLI_OK; f++) {
        int64_t id = 0;
        rc = cli_store_record_doc(s, docs[f], tags, ntags, quiet, NULL, &id);
        if (rc == CLI_OK && quiet) printf("%lld\n", (long long)id);
    }
    tool_store_close(s);
    for (size_t f = 0; f < nfiles; f++) tach__doc_free(docs[f]);
    free(docs);
out:
    free(o.tags.v);
    free(files);
    return rc;
}
