/* cmd_baseline.c - `tach baseline save NAME [RUN] | list | rm NAME`. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "options.h"
#include "store_cli.h"

typedef struct bl_opts {
    const char *store;
    bool help;
} bl_opts;

static const tach__opt bl_table[] = {
    CLI_ROW_STORE(bl_opts, store),
    CLI_ROW_HELP(bl_opts),
};

CLI_OPTIONS(baseline, bl_table,
    "usage: tach baseline save NAME [RUN]   name a run (default: the latest)\n"
    "       tach baseline list              the saved baselines\n"
    "       tach baseline rm NAME           forget a baseline (the run stays)\n\n"
    "RUN is a run id, 'latest', another baseline's name, or a git ref / commit SHA\n"
    "(the latest run on that commit); a results file is not a run (record it first\n"
    "with 'tach record FILE').  'tach compare' compares against the baseline 'main'\n"
    "by default when it exists.\n\n"
    "NAME is ASCII letters, digits and . _ - / + @, at most 200 bytes, and cannot\n"
    "read as another RUN: not all digits (a run id), not 4 or more hex digits alone\n"
    "(0-9, a-f: a commit SHA or its prefix, as 581b or cafe), not 'latest', not git's\n"
    "HEAD, @ or a *_HEAD (ORIG_HEAD: a baseline is looked up first, so 'compare HEAD'\n"
    "would mean it), no '..' (a git range) and no '.json' (read as a results file).\n"
    "A name refused is exit 2, nothing saved.\n\n",
    "exit: 0 done; 1 the store failed to save or remove it; 2 bad usage, unknown run or\n"
    "baseline, a bad store or one that cannot be opened or read (the store named)\n")

/* Whether ref, not a baseline nor a git ref, names a results file (one there, or a
 * name ending in .json): a baseline names a recorded run, and the message says so. */
static int check_not_file(tool_store *s, const char *ref)
{
    size_t n = strlen(ref);
    struct stat st;
    bool file = (n > 5 && !strcasecmp(ref + n - 5, ".json")) || (!stat(ref, &st) && S_ISREG(st.st_mode));
    if (!file) return CLI_OK;
    int64_t id;
    char err[TACH__ERR_MAX] = "";
    int r = tool_store_baseline_get(s, ref, &id, err);
    if (r < 0) return cli_store_read_failed(s, err);
    if (r == 0) return CLI_OK;
    char *sha = cli_git_resolve(ref);
    bool git = sha != NULL;
    tach__free(sha);
    if (git) return CLI_OK;
    return cli_usage_error("'%s' is not a run id, a baseline or a git ref with a run in store %s: a "
                           "baseline names a recorded run, not a results file (record it first: "
                           "tach record FILE)", ref, tool_store_name(s));
}

static int do_save(tool_store *s, const char *name, const char *ref)
{
    int64_t id = 0;
    char err[TACH__ERR_MAX] = "";
    int rc = ref ? check_not_file(s, ref) : CLI_OK;
    if (rc == CLI_OK && ref) rc = cli_store_resolve_run(s, ref, &id);
    if (rc != CLI_OK) return rc;
    if (!ref) {
        int r = tool_store_latest(s, NULL, &id, err);
        if (r < 0) return cli_store_read_failed(s, err);
        if (r != 0) return cli_usage_error("cannot save baseline '%s': %s", name, err);
    }
    int r = tool_store_baseline_save(s, name, id, err);
    if (r == TOOL_STORE_NOT_FOUND) return cli_usage_error("%s", err);
    if (r != 0) {
        /* A bad name is bad usage; anything else is the store failing. */
        if (strstr(err, "baseline name") || strstr(err, "needs a name"))
            return cli_usage_error("%s", err);
        return cli_store_failed(s, err);
    }
    printf("baseline '%s' -> run %lld\n", name, (long long)id);
    return CLI_OK;
}

static int do_list(tool_store *s)
{
    tool_baseline *b = NULL;
    size_t n = 0;
    char err[TACH__ERR_MAX] = "";
    if (tool_store_baseline_list(s, &b, &n, err) != 0) return cli_store_read_failed(s, err);
    if (n == 0) {
        printf("no baselines (save one with 'tach baseline save NAME')\n");
        tool_baselines_free(b, n);
        return CLI_OK;
    }
    /* each run's commit and branch, all read before a line is printed: a read that
     * fails is exit 2 with nothing listed, never a "-" for a commit it could not read */
    tool_run_info *runs = tach__calloc(n, sizeof *runs);
    int rc = runs ? CLI_OK : cli_error(CLI_FAIL, "out of memory");
    for (size_t i = 0; i < n && rc == CLI_OK; i++)
        if (tool_store_run_get(s, b[i].run_id, &runs[i], err) < 0) rc = cli_store_read_failed(s, err);
    if (rc == CLI_OK) {
        /* the name column as wide as the longest name (ASCII, at most 200 bytes): a name
         * over 20 pushed its row's columns out of line */
        int w = 20;
        for (size_t i = 0; i < n; i++)
            if (strlen(b[i].name) > (size_t)w) w = (int)strlen(b[i].name);
        printf("%-*s %6s  %-20s  %-12s  %s\n", w, "baseline", "run", "saved", "commit", "branch");
        for (size_t i = 0; i < n; i++)
            printf("%-*s %6lld  %-20s  %-12.12s  %s\n", w, b[i].name, (long long)b[i].run_id, b[i].time,
                   runs[i].commit ? runs[i].commit : "-", runs[i].branch ? runs[i].branch : "-");
    }
    if (runs) tool_run_infos_free(runs, n);
    tool_baselines_free(b, n);
    return rc;
}

static int do_rm(tool_store *s, const char *name)
{
    char err[TACH__ERR_MAX] = "";
    int r = tool_store_baseline_rm(s, name, err);
    if (r == TOOL_STORE_NOT_FOUND) return cli_usage_error("%s", err);
    if (r != 0) return cli_store_failed(s, err);
    printf("baseline '%s' removed\n", name);
    return CLI_OK;
}

int cli_cmd_baseline(int argc, char **argv)
{
    bl_opts o = {0};
    const char *pos[4] = {0};
    int npos = 0;
    tach__opt_result res;
    int rc = cli_opts_read(&baseline_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    for (int i = 0; i < res.npos && rc == CLI_OK; i++) {
        const char *a = res.pos[i];
        if (npos == 4) rc = cli_usage_error("too many arguments ('%s')", a);
        else pos[npos++] = a;
    }
    tach__opt_result_free(&res);
    if (rc != CLI_OK) return rc;
    const char *store = o.store;
    if (npos == 0) {
        cli_opts_usage(stderr, &baseline_options);
        return CLI_USAGE;
    }
    const char *verb = pos[0];
    /* one argument too many is named, as every bad value is */
    if (!strcmp(verb, "save")) {
        if (npos > 3)
            return cli_usage_error("too many arguments ('%s'): usage: tach baseline save NAME [RUN]", pos[3]);
        if (npos < 2) return cli_usage_error("usage: tach baseline save NAME [RUN]");
    } else if (!strcmp(verb, "list") || !strcmp(verb, "ls")) {
        if (npos != 1)
            return cli_usage_error("too many arguments ('%s'): usage: tach baseline list", pos[1]);
    } else if (!strcmp(verb, "rm") || !strcmp(verb, "remove")) {
        if (npos > 2)
            return cli_usage_error("too many arguments ('%s'): usage: tach baseline rm NAME", pos[2]);
        if (npos < 2) return cli_usage_error("usage: tach baseline rm NAME");
    } else {
        return cli_usage_error("unknown action '%s' (save, list or rm)", verb);
    }
    tool_store *s = NULL;
    bool writes = strcmp(verb, "list") && strcmp(verb, "ls");
    rc = writes ? cli_store_open_to_write(store, false, &s) : cli_store_open(store, false, &s);
    if (rc != CLI_OK) return rc;
    if (!strcmp(verb, "save"))
        rc = do_save(s, pos[1], npos == 3 ? pos[2] : NULL);
    else if (!strcmp(verb, "rm") || !strcmp(verb, "remove"))
        rc = do_rm(s, pos[1]);
    else
        rc = do_list(s);
    tool_store_close(s);
    return rc;
}
